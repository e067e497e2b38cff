"""The figures `make bench` ends with: each stage against its library floor, and issue 24's targets.

Every target is a figure of one run: a ratio of two scenarios of the same corpus (ours ÷ the
`reader` peer's), an absolute count or the peak memory. Each is printed met, MISSED (with the
measured ratio and what it was measured against) or not measured (with the reason), for the
synthetic corpus and for the real-feed one. Figures at a size other than the reference one are
printed all the same, labelled as such.
"""

from __future__ import annotations

from typing import Any

REFERENCE_LABEL = "1000 × 20, archive 50000"

# The build's own phases (state/last-build.json, wall seconds of the `make html` process) that
# make up each stage the floors module cannot run by itself.
SEARCH_PHASES = ("render.search_records", "render.search")
JINJA_PHASES = ("render.seo", "render.home", "render.specialties", "render.authors", "render.opml_status")


def _phases(timings: dict, names: tuple[str, ...]) -> float | None:
    found = [timings[n] for n in names if n in timings]
    return round(sum(found), 3) if found else None


def stages(floors: dict, cold: Any) -> list[dict]:
    """One row per stage: ours, its floor (CPU seconds, one process, same bytes), ours ÷ floor,
    and the cold build's own phase (wall seconds) for reference; or why no floor was measured."""
    timings = (cold.build.get("timings", {}) if cold is not None else {}) or {}
    rows = []
    for stage, key, phase in (("parse", "parse", ("update.parse",)), ("sanitize", "sanitize", ()),
                              ("clean (whole stage)", "clean", ()), ("store", "store", ("update.store",))):
        f = floors.get(key)
        row: dict[str, Any] = {"stage": stage, "build_phase_s": _phases(timings, phase) if phase else None}
        if not f or "not_measured" in f:
            row["not_measured"] = (f or {}).get("not_measured", "bench.floors gave no figure for this stage")
        else:
            row.update(ours=f["ours"], ours_s=f["ours_cpu_s"], floor=f["floor"], floor_s=f["floor_cpu_s"],
                       items=f["items"], ratio=_ratio(f["ours_cpu_s"], f["floor_cpu_s"]))
        rows.append(row)
    if "parse" in floors:
        rows[0]["build_phase_note"] = "parse + clean in the worker pool"
    read = floors.get("read")
    model = timings.get("model")
    row = {"stage": "view model", "build_phase_s": model}
    if read and model is not None:
        row.update(ours="the cold build's `model` phase (wall s, one thread)", ours_s=model, floor=read["floor"],
                   floor_s=read["floor_cpu_s"], items=read["items"], ratio=_ratio(model, read["floor_cpu_s"]))
    else:
        row["not_measured"] = "no cold build timings (state/last-build.json) or no store floor"
    rows.append(row)
    rows.append({"stage": "search (Pagefind)", "build_phase_s": _phases(timings, SEARCH_PHASES),
                 "not_measured": "Pagefind runs inside the build beside the page rendering: its own CPU is not "
                                 "separated from ours, and its floor would be Pagefind on the same records, "
                                 "which the build deletes (build phase: records rendered + waiting for Pagefind)"})
    rows.append({"stage": "Jinja rendering", "build_phase_s": _phases(timings, JINJA_PHASES),
                 "not_measured": "the pages' template contexts exist only inside the build; rendering them "
                                 "alone needs the build's internals (build phase: home, specialties, authors, "
                                 "OPML and status pages, with Pagefind pumped between them)"})
    return rows


def _ratio(ours: float, floor: float) -> float | None:
    return round(ours / floor, 1) if floor > 0 else None


def stage_table(name: str, rows: list[dict]) -> list[str]:
    lines = [f"Stages against their library floor, {name} corpus (CPU s of one process on the same bytes; "
             "the cold build's phase in wall s):", "",
             "| stage | ours | ours s | floor | floor s | ours ÷ floor | cold build phase s |",
             "|---|---|---:|---|---:|---:|---:|"]
    for r in rows:
        phase = "—" if r.get("build_phase_s") is None else f"{r['build_phase_s']:.2f}"
        if r.get("build_phase_note") and phase != "—":
            phase += f" ({r['build_phase_note']})"
        if "not_measured" in r:
            lines.append(f"| {r['stage']} | — | — | floor not measured: {r['not_measured']} | — | — | {phase} |")
            continue
        ratio = "—" if r["ratio"] is None else f"×{r['ratio']:g}"
        lines.append(f"| {r['stage']} | {r['ours']} | {r['ours_s']:.3f} | {r['floor']} | {r['floor_s']:.3f} | "
                     f"{ratio} | {phase} |")
    return lines


# --- targets -----------------------------------------------------------------------

def targets(results: dict, reference: bool, real: dict | None) -> list[dict]:
    out: list[dict] = []
    synth = {"corpus": "synthetic", "reference": reference}
    full_real = {"corpus": "real", "reference": bool(real and real.get("complete"))}
    out.append(_ratio_target("cold ÷ reader cold (wall)", results, "real-cold", "real-reader-cold", 0.5,
                             **full_real, missing_real=real is None))
    out.append(_ratio_target("cold ÷ reader cold (wall and CPU)", results, "cold", "reader-cold", 0.4, cpu=True,
                             **synth))
    out.append(_ratio_target("nothing changed ÷ reader warm (wall)", results, "hourly-unchanged", "reader-warm",
                             0.15, **synth))
    out.append(_ratio_target("nothing changed ÷ reader warm (wall)", results, "real-hourly-unchanged",
                             "real-reader-warm", 0.15, **full_real, missing_real=real is None))
    out.append(_ratio_target("changed hour, archive ÷ reader warm (wall)", results, "hourly-changed",
                             "reader-warm", 0.5, **synth))
    out.append({"figure": "changed hour ÷ reader warm", "corpus": "real", "reference": full_real["reference"],
                "limit": 0.5, "met": None, "value": None,
                "reason": "not measured: the real corpus's files never change (no changed hour on it)"})
    for corpus, prefix in (("synthetic", ""), ("real", "real-")):
        out.append(_memory(results, corpus, prefix, synth["reference"] if not prefix else full_real["reference"],
                           missing_real=bool(prefix) and real is None))
    out.append(_count("files written by the changed hour", results, "hourly-changed", 300, **synth))
    for name, corpus in (("hourly-unchanged", "synthetic"), ("hourly-unchanged-archive", "synthetic"),
                         ("real-hourly-unchanged", "real")):
        out.append(_count(f"files written or deleted by {name}", results, name, 0, corpus=corpus,
                          reference=True, deleted=True, missing_real=corpus == "real" and real is None))
    return out


def _absent(figure: str, corpus: str, limit: float, reference: bool, why: str) -> dict:
    return {"figure": figure, "corpus": corpus, "reference": reference, "limit": limit, "met": None,
            "value": None, "reason": f"not measured: {why}"}


def _ratio_target(figure: str, results: dict, ours: str, theirs: str, limit: float, *, corpus: str,
                  reference: bool, cpu: bool = False, missing_real: bool = False) -> dict:
    a, b = results.get(ours), results.get(theirs)
    if missing_real:
        return _absent(figure, corpus, limit, reference, "no real-feed corpus (see the notes)")
    if a is None or b is None or b.wall_s <= 0 or b.cpu_s <= 0:
        missing = ours if a is None else theirs
        why = "the reader peer is not installed" if "reader" in missing and b is None else f"{missing} not run"
        return _absent(figure, corpus, limit, reference, why)
    wall, cpu_ratio = round(a.wall_s / b.wall_s, 2), round(a.cpu_s / b.cpu_s, 2)
    met = wall <= limit and (cpu_ratio <= limit or not cpu)
    against = (f"{ours} {a.wall_s:.2f} s wall / {a.cpu_s:.2f} s CPU ÷ {theirs} {b.wall_s:.2f} s wall / "
               f"{b.cpu_s:.2f} s CPU")
    value = f"{wall:.2f}× wall, {cpu_ratio:.2f}× CPU"
    return {"figure": figure, "corpus": corpus, "reference": reference, "limit": limit, "met": met,
            "value": value, "wall_ratio": wall, "cpu_ratio": cpu_ratio, "ours": ours, "theirs": theirs,
            "reason": f"{value}: {against}"}


def _memory(results: dict, corpus: str, prefix: str, reference: bool, missing_real: bool) -> dict:
    figure, limit = "peak memory, any scenario (MB)", 500.0
    if missing_real:
        return _absent(figure, corpus, limit, reference, "no real-feed corpus (see the notes)")
    mine = [r for n, r in results.items() if n.startswith("real-") == bool(prefix)]
    if not mine:
        return _absent(figure, corpus, limit, reference, "no scenario run")
    top = max(mine, key=lambda r: max(r.peak_rss_mb, r.peak_tree_pss_mb))
    peak = max(top.peak_rss_mb, top.peak_tree_pss_mb)
    return {"figure": figure, "corpus": corpus, "reference": reference, "limit": limit, "met": peak <= limit,
            "value": peak, "reason": f"{peak:.0f} MB in {top.name} (largest of one process's RSS and all "
                                     f"processes' PSS)"}


def _count(figure: str, results: dict, name: str, limit: int, *, corpus: str, reference: bool,
           deleted: bool = False, missing_real: bool = False) -> dict:
    r = results.get(name)
    if missing_real:
        return _absent(figure, corpus, limit, reference, "no real-feed corpus (see the notes)")
    if r is None:
        return _absent(figure, corpus, limit, reference, f"{name} not run")
    value = r.files_written + (r.files_deleted if deleted else 0)
    detail = f"{r.files_written} written, {r.files_deleted} deleted, of {r.files_total}"
    if r.written_sample and value > limit:
        detail += ": " + ", ".join(r.written_sample[:6]) + (" …" if r.files_written > 6 else "")
    return {"figure": figure, "corpus": corpus, "reference": reference, "limit": limit, "met": value <= limit,
            "value": value, "reason": f"{value} files ({detail})"}


def target_table(rows: list[dict]) -> list[str]:
    lines = ["Targets of issue 24 (ratios of two scenarios of one run; counts and memory absolute):", "",
             "| figure | corpus | target | verdict | measured |", "|---|---|---:|---|---|"]
    for t in rows:
        size = "" if t["reference"] else " (not at the reference size)"
        verdict = "not measured" if t["met"] is None else "met" if t["met"] else "MISSED"
        unit = "×" if "÷" in t["figure"] else ""
        lines.append(f"| {t['figure']} | {t['corpus']}{size} | ≤ {t['limit']:g}{unit} | {verdict} | "
                     f"{t['reason']} |")
    return lines
