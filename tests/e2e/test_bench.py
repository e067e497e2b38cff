"""`make bench` at a tiny size: it completes and its report is well-formed.

Times are never asserted here (they belong to the benchmark itself); what is
asserted is the shape of the report and the behaviour it measures: conditional
GET answered 304, and an hourly run with nothing changed writes no file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.build, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ["parse-only", "parse+clean", "cold", "hourly-unchanged", "full-render", "hourly-changed",
             "hourly-unchanged-archive"]
PEER = ["reader-cold", "reader-warm"]  # when the bench extra (reader) is installed: make bench installs it


def has_reader() -> bool:
    return subprocess.run([sys.executable, "-c", "import reader"], capture_output=True).returncode == 0
FEEDS, ENTRIES, ARCHIVE = 12, 3, 100


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    report = work / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--feeds", str(FEEDS), "--entries", str(ENTRIES), "--archive",
         str(ARCHIVE), "--workdir", str(work / "run"), "--json", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout, json.loads(report.read_text("utf-8")), work / "run"


def test_report_is_well_formed(bench_run):
    _, report, _ = bench_run
    peer = PEER if has_reader() else []
    assert [s["name"] for s in report["scenarios"]] == SCENARIOS[:2] + peer + SCENARIOS[2:]
    # The time targets as ratios of two figures of this run (the peer's only with the peer).
    figures = {(r["ours"], r["theirs"]) for r in report["ratios"]}
    assert ("hourly-changed", "cold") in figures
    assert (("cold", "reader-cold") in figures) == bool(peer)
    for r in report["ratios"]:
        assert r["wall_ratio"] == round(r["ours_wall_s"] / r["theirs_wall_s"], 2)
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


def test_table_lists_every_scenario(bench_run):
    stdout, report, _ = bench_run
    assert "| scenario | wall s | CPU s |" in stdout
    for name in SCENARIOS:
        assert f"| {name} |" in stdout
    assert "Machine: " in stdout and "Time targets apply to the reference size" in stdout


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
