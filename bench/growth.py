"""Growth table for docs/performance.md from several `make bench JSON=...` reports.

    python -m bench.growth report-250.json report-500.json report-1000.json

One row per scenario, one column group per report (feeds × entries, archive):
wall seconds, CPU seconds, the peak RSS of the largest process (named when it is not
Python, i.e. Pagefind) and the output files written; then issue 24's targets (bench/figures.py),
each a ratio of two figures of the same run or an absolute count, with its verdict.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def table(reports: list[dict]) -> str:
    head = ["scenario"]
    for r in reports:
        p = r["params"]
        archive = f"{p['archive']:,}".replace(",", " ")
        head.append(f"{p['feeds']} × {p['entries']}, archive {archive}")
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * len(reports) + "|"]
    names = [s["name"] for s in reports[-1]["scenarios"]]
    for name in names:
        row = [name]
        for r in reports:
            s = next((x for x in r["scenarios"] if x["name"] == name), None)
            if s is None:
                row.append("—")
                continue
            progs = s.get("peak_by_program_mb") or {}
            top = max(progs, key=progs.get) if progs else ""
            who = f" ({top})" if top and top != "python" else ""
            files = f", {s['files_written']} files written" if s.get("files_total") else ""
            row.append(f"{s['wall_s']:.1f} s / {s['cpu_s']:.1f} s CPU / {s['peak_rss_mb']:.0f} MB{who}{files}")
        lines.append("| " + " | ".join(row) + " |")
    # The time targets, each a ratio of two figures of one run (wall, CPU in parentheses).
    keys = [(t["figure"], t["corpus"]) for t in reports[-1].get("targets", [])]
    for figure, corpus in keys:
        row = [f"**{figure}** ({corpus})"]
        for r in reports:
            x = next((t for t in r.get("targets", []) if (t["figure"], t["corpus"]) == (figure, corpus)), None)
            verdict = "" if x is None or x["met"] is None else " met" if x["met"] else " MISSED"
            row.append("—" if x is None or x["value"] is None else f"{x['value']}{verdict}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    paths = argv if argv is not None else sys.argv[1:]
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    reports = [json.loads(Path(p).read_text("utf-8")) for p in paths]
    reports.sort(key=lambda r: (r["params"]["feeds"], r["params"]["archive"]))
    print(table(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
