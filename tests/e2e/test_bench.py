"""`make bench` at a tiny size: it completes and its report is well-formed.

Times are never asserted here (they belong to the benchmark itself); what is
asserted is the shape of the report and the behaviour it measures: conditional
GET answered 304, an hourly run with nothing changed writes no file, every
stage has its floor or the reason it has none, every target of issue 24 is
printed with its verdict for both corpora, and the real-feed scenario runs on
../shared/corpus read in place (a sample of its files) or says it was skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = [pytest.mark.build, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ["parse-only", "parse+clean", "cold", "hourly-unchanged", "full-render", "hourly-changed",
             "hourly-unchanged-archive"]
PEER = ["reader-cold", "reader-warm"]  # when the bench extra (reader) is installed: make bench installs it
REAL = ["real-parse-only", "real-parse+clean", "real-cold", "real-hourly-unchanged"]
CORPUS = ROOT.parent / "shared" / "corpus"  # read in place; absent from a fresh clone
STAGES = ["parse", "sanitize", "clean (whole stage)", "store", "view model", "search (Pagefind)", "Jinja rendering"]
# Issue 24's figures, each printed for both corpora (the changed hour and its files on the synthetic one).
FIGURES = {("cold ÷ reader cold (wall)", "real"), ("cold ÷ reader cold (wall and CPU)", "synthetic"),
           ("nothing changed ÷ reader warm (wall)", "synthetic"), ("nothing changed ÷ reader warm (wall)", "real"),
           ("changed hour, archive ÷ reader warm (wall)", "synthetic"), ("changed hour ÷ reader warm", "real"),
           ("peak memory, any scenario (MB)", "synthetic"), ("peak memory, any scenario (MB)", "real"),
           ("files written by the changed hour", "synthetic")}


def has_reader() -> bool:
    return subprocess.run([sys.executable, "-c", "import reader"], capture_output=True).returncode == 0
FEEDS, ENTRIES, ARCHIVE, REAL_FILES = 12, 3, 100, 16


def bench(work: Path, *extra: str) -> tuple[str, dict]:
    report = work / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--feeds", str(FEEDS), "--entries", str(ENTRIES), "--archive",
         str(ARCHIVE), "--workdir", str(work / "run"), "--json", str(report), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout, json.loads(report.read_text("utf-8"))


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    stdout, report = bench(work, "--real-limit", str(REAL_FILES))
    return stdout, report, work / "run"


def test_report_is_well_formed(bench_run):
    _, report, _ = bench_run
    peer = PEER if has_reader() else []
    real = REAL[:2] + ["real-" + p for p in peer] + REAL[2:] if CORPUS.is_dir() else []
    assert [s["name"] for s in report["scenarios"]] == SCENARIOS[:2] + peer + SCENARIOS[2:] + real
    assert report["params"] == {"feeds": FEEDS, "entries": ENTRIES, "archive": ARCHIVE, "changed": 0.05,
                                "seed": 20260115, "workers": 2, "reference_size": False}
    assert report["machine"]["cpus"] >= 1 and report["machine"]["python"].startswith("3.")
    assert report["corpus"]["entries"] == FEEDS * ENTRIES and report["corpus"]["bytes"] > FEEDS * ENTRIES * 2000
    for s in report["scenarios"]:
        assert s["returncode"] == 0, s
        for key in ("wall_s", "cpu_s", "peak_rss_mb"):
            assert isinstance(s[key], (int, float)) and s[key] > 0, (s["name"], key)
        assert s["peak_tree_pss_mb"] >= 0
        for t in s["targets"]:
            assert set(t) == {"target", "value", "limit", "met", "gap"}
            assert t["met"] == (t["value"] <= t["limit"])


def test_every_target_is_printed_with_its_verdict(bench_run):
    stdout, report, _ = bench_run
    assert {(t["figure"], t["corpus"]) for t in report["targets"]} >= FIGURES
    by_name = {s["name"]: s for s in report["scenarios"]}
    for t in report["targets"]:
        assert (t["met"] is None) == t["reason"].startswith("not measured: "), t
        if "wall_ratio" in t:  # a ratio of two scenarios of this run, said with what it was against
            ours, theirs = by_name[t["ours"]], by_name[t["theirs"]]
            assert t["wall_ratio"] == round(ours["wall_s"] / theirs["wall_s"], 2)
            assert t["cpu_ratio"] == round(ours["cpu_s"] / theirs["cpu_s"], 2)
            assert t["ours"] in t["reason"] and t["theirs"] in t["reason"]
        if t["corpus"] == "synthetic":
            assert t["reference"] is ("written or deleted" in t["figure"])
        verdict = "not measured" if t["met"] is None else "met" if t["met"] else "MISSED"
        size = "" if t["reference"] else " (not at the reference size)"
        assert f"| {t['figure']} | {t['corpus']}{size} | ≤ {t['limit']:g}" in stdout
        assert f"| {verdict} | {t['reason']} |" in stdout
    assert ("cold", "reader-cold") in {(t.get("ours"), t.get("theirs")) for t in report["targets"]} or \
        not has_reader()


def test_stages_against_their_floor(bench_run):
    stdout, report, _ = bench_run
    corpora = ["synthetic", "real"] if CORPUS.is_dir() else ["synthetic"]
    assert sorted(report["stages"]) == sorted(corpora)
    for name in corpora:
        rows = report["stages"][name]
        assert [r["stage"] for r in rows] == STAGES
        assert f"Stages against their library floor, {name} corpus" in stdout
        for r in rows:
            if "not_measured" in r:  # said, with its reason, never left blank
                assert r["not_measured"] and f"| {r['stage']} | — | — | floor not measured: " in stdout
                continue
            assert r["ours_s"] >= 0 and r["floor_s"] >= 0 and r["items"] > 0
            assert r["ratio"] == (round(r["ours_s"] / r["floor_s"], 1) if r["floor_s"] > 0 else None)
        measured = {r["stage"] for r in rows if "not_measured" not in r}
        assert {"parse", "clean (whole stage)", "store", "view model"} <= measured
    assert report["stages"]["synthetic"][0]["floor"] == "feedparser_rs.parse"


def test_table_lists_every_scenario(bench_run):
    stdout, report, _ = bench_run
    assert "| scenario | wall s | CPU s |" in stdout
    for s in report["scenarios"]:
        assert f"| {s['name']} |" in stdout
    assert "Machine: " in stdout and "is not at the reference size" in stdout


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent (a fresh clone)")
def test_real_corpus_is_served_in_place(bench_run):
    stdout, report, work = bench_run
    real, s = report["real"], {x["name"]: x for x in report["scenarios"]}
    assert real["files"] == REAL_FILES and real["complete"] is False
    assert real["span"]["documents"] == REAL_FILES and real["span"]["years_spanned"] >= 1
    assert "Real feeds: 16 files of the shared corpus" in stdout
    # Every file was asked for over HTTP and the registry's names are the bench's pseudonyms.
    assert sum(without_backfill(s["real-cold"]["http"]).values()) == REAL_FILES
    registry = (work / "real" / "feeds.yaml").read_text("utf-8")
    assert registry.count("  author: Soignant ") == REAL_FILES
    # Served from the corpus folder itself: each feed URL is a file of it, nothing copied beside the run.
    feeds = yaml.safe_load(registry)["feeds"]
    assert all((CORPUS / urlsplit(f["feed"]).path.lstrip("/")).is_file() for f in feeds)
    beside = {"feeds.yaml", "reader.sqlite", "reader.sqlite.search", "state", "output"}
    assert {p.name for p in (work / "real").iterdir()} <= beside
    # Nothing changed on the server: at most /etat/ is written again (a feed in error counts its failures).
    written = set((work / "logs" / "real-hourly-unchanged.written").read_text("utf-8").split())
    assert written <= {"etat/index.html", "etat.json"}
    assert s["real-hourly-unchanged"]["files_deleted"] == 0


def test_without_the_corpus_the_real_scenario_is_skipped_with_a_note(tmp_path):
    stdout, report = bench(tmp_path, "--only", "parse-only", "--real-corpus", str(tmp_path / "nowhere"))
    assert [s["name"] for s in report["scenarios"]] == ["parse-only"]
    assert report["real"] is None and "stages" in report
    assert any(n.startswith("real-feed scenario skipped: ") for n in report["notes"])
    assert "Real feeds: skipped" in stdout
    real = [t for t in report["targets"] if t["corpus"] == "real"]
    assert real and all(t["met"] is None for t in real)


def without_backfill(http: dict) -> dict:
    """The statuses of the hourly fetch: the budget's one page (a 200 for a walk's first page,
    a 404 past a WordPress-style end, a 200 the server sent ignoring ?start-index=) removed."""
    out = dict(http)
    for status in ("404", "200"):
        if out.get(status):
            out[status] -= 1
            if not out[status]:
                del out[status]
            break
    return out


def test_scenarios_measure_what_they_say(bench_run):
    _, report, work = bench_run
    s = {x["name"]: x for x in report["scenarios"]}
    modes = report["corpus"]["validators"]
    # Cold: every feed fetched in full, and the site written; the hourly backfill budget adds
    # at most one page a build here (every feed is on one host: one request at a time).
    assert without_backfill(s["cold"]["http"]) == {"200": FEEDS}
    if "reader-cold" in s:  # the peer asks for the same feeds, conditionally the second time
        assert s["reader-cold"]["http"] == {"200": FEEDS}
        assert s["reader-warm"]["http"].get("304") == modes.get("etag", 0) + modes.get("lm", 0)
    assert s["cold"]["files_written"] == s["cold"]["files_total"] > FEEDS
    # Hourly, nothing changed: feeds with a validator answer 304, the others 200
    # (their body hash spares the parse), and output/ is left untouched.
    unchanged = modes.get("etag", 0) + modes.get("lm", 0)
    assert without_backfill(s["hourly-unchanged"]["http"]) == {k: v for k, v in (("200", modes.get("none", 0)),
                                                                 ("304", unchanged)) if v}
    for name in ("hourly-unchanged", "hourly-unchanged-archive"):
        assert s[name]["files_written"] == 0 and s[name]["files_deleted"] == 0, s[name]["written_sample"]
    # The seeded archive is rendered: more pages than the cold build had.
    assert s["full-render"]["files_total"] > s["cold"]["files_total"]
    assert s["hourly-changed"]["files_written"] > 0
    assert (work / "output" / "index.html").is_file()
