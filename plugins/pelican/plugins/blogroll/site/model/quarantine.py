"""Quarantine: archived entries that carry a deny-listed real name are left out of this build.

The deny-list is the one `make privacy-check` reads (a CI secret), given to the build as the
settings `privacy_denylist` / `privacy_denylist_file` (BLOGROLL_PRIVACY_DENYLIST...). It is
matched the way the guard matches it (core/names.py folding, any punctuation a separator,
camelCase logins split, a several-word name also run together): an entry whose title,
excerpt, tags or link carries one is not rendered anywhere (pages, Atom, search index), and
is named in the log for the maintainers (feed id, entry number, date: never the name). The
rest of the site is built and deployed as usual. The archive keeps the entry: a takedown or a
fixed redactor decides its fate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from ...core.model import StoredEntry
from ...core.names import fold_name, strip_format

_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    return _NON_ALNUM.sub(" ", fold_name(strip_format(_CAMEL.sub(" ", text)))).strip()


def load_denylist(inline: str, files: str) -> list[str]:
    lines = inline.splitlines()
    for name in filter(None, files.split(":")):
        path = Path(name)
        if path.is_file():
            lines += path.read_text("utf-8").splitlines()
    tokens = (normalize(line) for line in lines if line.strip() and not line.lstrip().startswith("#"))
    return [t for t in dict.fromkeys(tokens) if t]


def carries(text: str, tokens: list[str]) -> bool:
    norm = normalize(text)
    if not norm:
        return False
    padded, squeezed = f" {norm} ", norm.replace(" ", "")
    return any(f" {t} " in padded or (" " in t and len(t) >= 9 and t.replace(" ", "") in squeezed)
               for t in tokens)


def split(entries: Iterable[StoredEntry], tokens: list[str]) -> tuple[list[StoredEntry], list[StoredEntry]]:
    """(entries to build, entries held back)."""
    kept: list[StoredEntry] = []
    held: list[StoredEntry] = []
    for e in entries:
        text = " ".join((e.title, e.excerpt, " ".join(e.tags), unquote(e.link)))
        (held if tokens and carries(text, tokens) else kept).append(e)
    return kept, held
