"""Measure the generated adversary: N random batches per family of issue #20, each built for
real, every case tried, and the leak counts per group, spelling family, declaring field, place
and kind printed as Markdown tables (docs/anonymity.md, « measured »). Unlike the tests, it
goes on after a leak.

    .venv/bin/python tests/anonymity/measure_adversary.py 2                # builds
    .venv/bin/python tests/anonymity/measure_adversary.py 8 --group=history  # one family's builds
    .venv/bin/python tests/anonymity/measure_adversary.py --pipeline 500   # parse_and_clean, per group
    .venv/bin/python tests/anonymity/measure_adversary.py --precision 1000 # words lost, share withheld
"""

from __future__ import annotations

import collections
import sys
import tempfile
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent / "tools")]

from hypothesis.errors import NonInteractiveExampleWarning  # noqa: E402

WITHHELD = [0, 0]  # entries withheld, entries stored (the case blogs' own, build after build)
WITHHELD_BY_GROUP: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])


def _adversary(n: int, root: Path, only: str | None = None) -> list[dict]:
    from adversary import GROUPS, batches
    from casefeeds import blogs_of, independent, neutral_blog
    from harness import found, run_builds

    own = {v.label: v for v in run_builds(root / "chrome", [neutral_blog()], builds=2).views}
    rows = []
    for k in range(n):
        for group in [g for g in GROUPS if only in (None, g)]:
            batch = batches(group).example()
            kept = independent(batch)
            blogs = [neutral_blog()] + [b for i, case in kept for b in blogs_of(case, f"g{i:02d}")]
            ev = run_builds(root / f"batch{k}-{group}", blogs, builds=2)
            views = ev.views
            stored = [r for r in ev.entries() if r["feed_id"] != "neutre"]
            WITHHELD[0] += sum(bool(r.get("withheld")) for r in stored)
            WITHHELD[1] += len(stored)
            WITHHELD_BY_GROUP[group][0] += sum(bool(r.get("withheld")) for r in stored)
            WITHHELD_BY_GROUP[group][1] += len(stored)
            for _, case in kept:
                sub, word = case.needles()
                hits = found(views, sub, word, own)
                where = sorted({h[1].split("/")[0] if "/" in h[1] else h[1] for h in hits})
                rows.append({"group": group, "family": case.family, "field": case.field, "place": case.place,
                             "kind": case.identity.kind, "leaked": bool(hits), "where": " + ".join(where),
                             "text": case.text, "context": f"{hits[0][0]!r} in {hits[0][1]}: …{hits[0][2]}…"
                             if hits else ""})
        print(f"round {k + 1}/{n}: {sum(r['leaked'] for r in rows)} leaks in {len(rows)} cases", file=sys.stderr)
    return rows


def _pipeline(n: int) -> list[dict]:
    from adversary import SINGLE_FEED, single_cases
    from test_generated_pipeline import TEMPLATE, judge

    rows = []
    for group in SINGLE_FEED:
        strategy = single_cases(group)
        while sum(r["group"] == group for r in rows) < n:
            case = strategy.example()
            if any(x in TEMPLATE for x in case.needles()[0]):
                continue
            rows.append({"group": group, "family": case.family, "field": case.field, "place": case.place,
                         "kind": case.identity.kind, "leaked": bool(judge(case)), "text": case.text})
    return rows


def _precision(n: int) -> list[dict]:
    from adversary import squeeze
    from hypothesis import strategies as st
    from test_generated_pipeline import run_blog
    from test_generated_precision import _blog, _identity_clear, precise

    rows = []
    cases = st.integers(0, 10 ** 6).flatmap(lambda seed: precise(salt=seed))
    while len(rows) < n:
        p = cases.example()
        if not _identity_clear(p):
            continue
        blog, phrase, link = _blog(p, len(rows) % 100)
        (e,) = run_blog(blog).entries or (None,)
        withheld = e is None or bool(getattr(e, "withheld", ""))
        kept = not withheld and squeeze(phrase) in squeeze(" ".join((e.title, e.excerpt, *e.tags)))
        rows.append({"kind": p.kind, "trap": p.trap, "place": p.place, "phrase": phrase, "withheld": withheld,
                     "lost": not withheld and (not kept or e.link != link)})
    return rows


def table(rows: list[dict], axis: str) -> str:
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for r in rows:
        counts[r[axis]][0] += r["leaked"]
        counts[r[axis]][1] += 1
    lines = [f"| {axis} | fuites / cas |", "|---|---|"]
    lines += [f"| {name} | {a} / {b} |" for name, (a, b) in sorted(counts.items())]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    import os

    for k in list(os.environ):
        if k.startswith("BLOGROLL_"):
            del os.environ[k]
    args = [a for a in argv if not a.startswith("--")]
    n = int(args[0]) if args else 4
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    if "--precision" in argv:
        rows = _precision(n)
        lost = [r for r in rows if r["lost"]]
        print(f"{len(lost)} entrées sur {len(rows)} ont perdu des mots ; {sum(r['withheld'] for r in rows)} retenues\n")
        for (kind, trap, phrase), count in collections.Counter((r["kind"], r["trap"], r["phrase"])
                                                               for r in lost).most_common():
            print(f"- {count} × {kind}, piège {trap} : {phrase!r}")
        return 0
    if "--pipeline" in argv:
        rows = _pipeline(n)
    else:
        only = next((a.split("=", 1)[1] for a in argv if a.startswith("--group=")), None)
        with tempfile.TemporaryDirectory() as tmp:
            rows = _adversary(n, Path(tmp), only)
    print(f"{sum(r['leaked'] for r in rows)} fuites sur {len(rows)} cas")
    if WITHHELD[1]:
        print(f"{WITHHELD[0]} entrées retenues sur {WITHHELD[1]} stockées")
        print(", ".join(f"{g} {a}/{b}" for g, (a, b) in sorted(WITHHELD_BY_GROUP.items())) + "\n")
    for axis in ("group", "family", "field", "place", "kind") + (("where",) if rows and "where" in rows[0] else ()):
        print(table(rows, axis) + "\n")
    for r in [r for r in rows if r["leaked"]][:30]:
        print(f"- {r['group']} {r['family']}/{r['field']}/{r['place']} ({r['kind']}) : {r.get('text', '')!r}"
              + (f" -> {r['context']}" if r.get("context") else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
