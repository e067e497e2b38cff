"""Fill the tables of docs/reliability.md from a run of the fault-matrix and kill tests.

    .venv/bin/python tools/reliability_report.py

Runs tests/fetch/test_fetch_faults.py (the fault matrix) and tests/e2e/test_durability.py
(kill -9 of real builds) with RELIABILITY_REPORT set; each case records what
it observed (the reason shown on /etat/, entries lost, entries doubled). The
tables between the <!-- report:... --> markers are rewritten from that; the
run must pass, or nothing is written.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reliability.md"
MATRIX = "tests/fetch/test_fetch_faults.py::test_fault_fails_one_feed_and_loses_nothing"


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.jsonl"
        env = dict(os.environ, RELIABILITY_REPORT=str(path))
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", MATRIX, "tests/e2e/test_durability.py"]
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"the tests failed; docs/reliability.md left as it is\n{result.stdout[-4000:]}")
        summary = result.stdout.strip().splitlines()[-1]
        print(summary)
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def fault_table(rows: list[dict]) -> str:
    out = ["| Fault | Outcome (reason shown on /etat/) | Victim's entries kept | Entries lost | Time | Test |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {cell(r['case'])} | {cell(r['outcome'])} | {r['kept']} of 3 | **{r['lost']}** | "
                   f"{r['seconds']:.1f} s | `{MATRIX}[{r['case']}]` |")
    return "\n".join(out)


def kill_table(rows: list[dict]) -> str:
    out = ["| Build killed (SIGKILL) | Right after the kill | Entries lost | Entries doubled |",
           "|---|---|---|---|"]
    for r in rows:
        out.append(f"| {cell(r['case'])} | {cell(r['outcome'])} | **{r['lost']}** | **{r['doubled']}** |")
    return "\n".join(out)


def replace(doc: str, name: str, table: str) -> str:
    pattern = re.compile(rf"(<!-- report:{name} -->\n).*?(\n<!-- /report:{name} -->)", re.S)
    if not pattern.search(doc):
        sys.exit(f"marker report:{name} missing from {DOC}")
    return pattern.sub(lambda m: m.group(1) + table + m.group(2), doc)


def main() -> None:
    rows = run()
    faults = [r for r in rows if r["kind"] == "fault"]
    kills = [r for r in rows if r["kind"] == "kill"]
    if any(r["lost"] for r in faults) or any(r["lost"] or r["doubled"] for r in kills):
        sys.exit("entries were lost or doubled: see the rows above")
    doc = DOC.read_text("utf-8")
    doc = replace(doc, "faults", fault_table(faults))
    doc = replace(doc, "kills", kill_table(kills))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    doc = re.sub(r"(<!-- report:stamp -->).*?(<!-- /report:stamp -->)",
                 lambda m: f"{m.group(1)}{stamp}, {len(faults)} faults and {len(kills)} kills{m.group(2)}", doc)
    DOC.write_text(doc, "utf-8")
    print(f"{DOC.relative_to(ROOT)}: {len(faults)} faults, {len(kills)} kills")


if __name__ == "__main__":
    main()
