"""What the fault and durability tests observed, for docs/reliability.md.

tools/reliability_report.py runs those tests with RELIABILITY_REPORT set to a
file; each case appends one JSON line (the fault, what happened, the numbers).
Without the variable this does nothing.
"""

from __future__ import annotations

import json
import os


def report(kind: str, case: str, outcome: str, **numbers) -> None:
    path = os.environ.get("RELIABILITY_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"kind": kind, "case": case, "outcome": outcome, **numbers}, ensure_ascii=False) + "\n")
