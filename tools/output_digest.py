"""Print a digest line for every file of a built site: « sha256  path », sorted by path.

Two builds of the same inputs with the same clock (BLOGROLL_NOW) print the same
lines: compare them to show that a change of code left the site as it was.
Pagefind's index, filter and meta files are not reproducible (hash-map order),
so each search bundle is represented by its fragments alone: one per record,
named by Pagefind after its content (pagefind/<month>/fragment/*.pf_fragment).

    python tools/output_digest.py output/ > before.txt
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

BUNDLE = "pagefind/"


def manifest(output: Path) -> list[str]:
    lines = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        rel = path.relative_to(output).as_posix()
        if rel.startswith(BUNDLE) and "/fragment/" not in rel:
            continue
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {rel}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python tools/output_digest.py OUTPUTDIR", file=sys.stderr)
        return 2
    print("\n".join(manifest(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
