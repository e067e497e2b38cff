"""Measure the generated adversary: N random batches, each built for real, every case tried,
and the leak counts per spelling family, declaring field, place and kind printed as Markdown
tables (docs/anonymity.md, « measured »). Unlike the test, it goes on after a leaking batch.

    .venv/bin/python tests/anonymity/measure_adversary.py 6
"""

from __future__ import annotations

import collections
import json
import sys
import tempfile
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent / "tools")]

from hypothesis.errors import NonInteractiveExampleWarning  # noqa: E402


def _adversary(n: int, root: Path) -> list[dict]:
    from adversary import GROUPS, batches
    from casefeeds import blogs_of, independent, neutral_blog
    from harness import found, run_builds

    own = {v.label: v for v in run_builds(root / "chrome", [neutral_blog()], builds=2).views}
    rows = []
    for k in range(n):
        for group in GROUPS:
            batch = batches(group).example()
            kept = independent(batch)
            blogs = [neutral_blog()] + [b for i, case in kept for b in blogs_of(case, f"g{i:02d}")]
            ev = run_builds(root / f"batch{k}-{group}", blogs, builds=2)
            views = [v for v in ev.views if v.label != "build log"] if group == "server" else ev.views
            for _, case in kept:
                sub, word = case.needles()
                rows.append({"group": group, "family": case.family, "field": case.field, "place": case.place,
                             "kind": case.identity.kind, "leaked": bool(found(views, sub, word, own))})
        print(f"round {k + 1}/{n}: {sum(r['leaked'] for r in rows)} leaks in {len(rows)} cases", file=sys.stderr)
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
    n = int(argv[0]) if argv else 4
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    with tempfile.TemporaryDirectory() as tmp:
        rows = _adversary(n, Path(tmp))
    print(f"{sum(r['leaked'] for r in rows)} fuites sur {len(rows)} cas, {n} lots\n")
    for axis in ("group", "family", "field", "place", "kind"):
        print(table(rows, axis) + "\n")
    print(json.dumps(rows), file=sys.stderr) if "--json" in argv else None
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
