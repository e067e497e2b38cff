"""Append new entries to feeds.yaml as text, keeping its comments and order.

No YAML round-trip library: the entry is rendered here with every string
double-quoted (a JSON string is a valid YAML double-quoted scalar), appended
at the end of the file, and the whole registry is validated again by
`registry.load`; on any problem the file is put back byte for byte.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import registry
from ..core.errors import RegistryError
from ..core.files import write_atomic
from ..core.model import Registry
from ..core.text import slugify, squash

# Characters that YAML folds or refuses inside a double-quoted scalar even
# when JSON leaves them raw (line and paragraph separators, NEL, BOM).
_YAML_UNSAFE = re.compile("[\u0085\u2028\u2029\ufeff]")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)-[ \t]+id[ \t]*:", re.M)


@dataclass
class NewEntry:
    id: str
    title: str
    author: str
    site: str
    feed: str
    specialties: list[str]
    lang: str | None = None
    only_tags: list[str] = field(default_factory=list)
    noindex: bool = False
    comment: str | None = None


def quote(value: str) -> str:
    """A YAML double-quoted scalar for any string (control characters escaped)."""
    return json.dumps(_YAML_UNSAFE.sub(" ", value), ensure_ascii=False)


def render(entry: NewEntry, indent: str = "  ") -> str:
    pad = indent + "  "
    lines = []
    if entry.comment:
        lines.append(f"{indent}# {squash(entry.comment)}")
    lines += [
        f"{indent}- id: {entry.id}",
        f"{pad}title: {quote(squash(entry.title))}",
        f"{pad}author: {quote(squash(entry.author))}",
        f"{pad}site: {quote(entry.site.strip())}",
        f"{pad}feed: {quote(entry.feed.strip())}",
        f"{pad}specialties: [{', '.join(entry.specialties)}]",
    ]
    if entry.lang and entry.lang != "fr":
        lines.append(f"{pad}lang: {quote(entry.lang)}")
    if entry.only_tags:
        lines.append(f"{pad}only_tags: [{', '.join(quote(t) for t in entry.only_tags)}]")
    if entry.noindex:
        lines.append(f"{pad}noindex: true")
    return "\n".join(lines) + "\n"


def item_indent(text: str) -> str:
    """The indentation the file already uses for its `- id:` items."""
    m = _ITEM.search(text)
    return m.group("indent") if m else "  "


def unique_id(title: str, taken: set[str], max_len: int = 48) -> str:
    base = slugify(title)[:max_len].strip("-") or "blog"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def append_entries(feeds_path: Path, specialties_path: Path, entries: list[NewEntry], *,
                   allow_private: bool = False) -> Registry:
    """Append `entries` and validate; restore the file and re-raise on any problem."""
    original = feeds_path.read_bytes()
    text = original.decode("utf-8")
    indent = item_indent(text)
    addition = "".join("\n" + render(e, indent) for e in entries)
    if text and not text.endswith("\n"):
        text += "\n"
    if re.search(r"^feeds:[ \t]*\[\s*\][ \t]*$", text, re.M):
        # An empty flow list cannot be appended to: make it a block list.
        text = re.sub(r"^feeds:[ \t]*\[\s*\][ \t]*$", "feeds:", text, count=1, flags=re.M)
    write_atomic(feeds_path, (text + addition).encode("utf-8"))
    try:
        return registry.load(feeds_path, specialties_path, allow_private=allow_private)
    except RegistryError:
        write_atomic(feeds_path, original)
        raise
