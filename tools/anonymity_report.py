"""Fill the table of docs/anonymity.md from a run of the probe corpus through real builds.

    .venv/bin/python tools/anonymity_report.py

Runs tests/anonymity/test_probe_builds.py with ANONYMITY_REPORT set: each probe records
whether a secret leaked and whether its entry lost a word (or its link), each guard test how
many probes reached the output with redaction off and how many the guard flagged. The table
between the <!-- report:anonymity --> markers is rewritten from that; the run must pass, or
nothing is written.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "anonymity.md"
TESTS = "tests/anonymity/test_probe_builds.py"
ORDER = ("names", "places", "text", "links", "state", "comments", "precision")


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.jsonl"
        env = {**os.environ, "ANONYMITY_REPORT": str(path)}
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TESTS],
                              cwd=ROOT, env=env)
        if done.returncode != 0:
            raise SystemExit("anonymity_report : des tests échouent, docs/anonymity.md n'est pas modifié")
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def table(rows: list[dict]) -> str:
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        if "guard" in r:
            g = per[r["guard"]]
            g["reached"] += r["reached_output"]
            g["flagged"] += r["flagged"]
            continue
        c = per[r["class"]]
        c["probes"] += 1
        c["leak"] += r["leak_probe"]
        c["leaked"] += r["leaked"]
        c["over"] += r["over_redacted"]
    lines = ["| classe | sondes | dont sondes de fuite | fuites | sur-caviardages | guet, caviardage coupé : "
             "sondes arrivées dans le site / signalées |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    total = defaultdict(int)
    for cls in ORDER:
        c = per.get(cls)
        if not c:
            continue
        guard = f"{c['reached']} / {c['flagged']}" if cls != "precision" else "—"
        lines.append(f"| {cls} | {c['probes']} | {c['leak']} | {c['leaked']} | {c['over']} | {guard} |")
        for k in ("probes", "leak", "leaked", "over", "reached", "flagged"):
            total[k] += c[k]
    lines.append(f"| **total** | **{total['probes']}** | **{total['leak']}** | **{total['leaked']}** | "
                 f"**{total['over']}** | **{total['reached']} / {total['flagged']}** |")
    return "\n".join(lines)


def main() -> int:
    rows = run()
    doc = DOC.read_text("utf-8")
    # The section may be empty (the two markers on consecutive lines): it is filled all the same.
    new = re.sub(r"(<!-- report:anonymity -->\n)(?:.*?\n)?(<!-- /report:anonymity -->)",
                 lambda m: m.group(1) + table(rows) + "\n" + m.group(2), doc, flags=re.S)
    DOC.write_text(new, "utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
