"""The real-world feed corpus beside the project (../shared/corpus): its feed files, read in
place, and the Content-Type each one asks for. Absent on a user's fresh clone: callers skip."""

from __future__ import annotations

import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
_HEADER = re.compile(rb"^Header:\s*Content-type:\s*(.+?)\s*$", re.I | re.M)


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix.lower() in FEED_SUFFIXES
                  and "licenses" not in p.parts)


def content_type(data: bytes) -> str | None:
    """feedparser's test files name the Content-Type their test server sends."""
    m = _HEADER.search(data[:2000])
    return m.group(1).decode("ascii", "replace") if m else None
