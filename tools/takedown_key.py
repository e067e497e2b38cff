"""Print the hashed form of takedown entries, for takedowns.yaml.

    python tools/takedown_key.py https://blog.example/2026/01/billet/ [GUID ...]
    -> sha256:4f1c…   (one line per argument)

takedowns.yaml is public: listing a removed post's address there would point
readers at the very post its author wanted gone. The hash matches the same
entries as the address itself (scheme, « www. », tracking parameters,
fragment and trailing slash ignored) without revealing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from pelican.plugins.blogroll.core.entrykeys import (
    hashed_key,
    takedown_key,  # noqa: E402
)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for value in argv:
        key = takedown_key(value)
        if key.startswith("hash:"):
            print(f"sha256:{key[5:]}")
        else:
            print(f"sha256:{hashed_key(key)[5:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
