"""Quarantine: archived entries that carry a deny-listed real name are left out of this build.

The deny-list is the one `make privacy-check` reads (a CI secret), given to the build as the
settings `privacy_denylist` / `privacy_denylist_file` (BLOGROLL_PRIVACY_DENYLIST...). It is
matched the way the guard matches it (core/names.py folding, any punctuation a separator,
camelCase logins split, a several-word name also run together): an entry whose title,
excerpt, tags or link carries one is not rendered anywhere (pages, Atom, search index), and
is named in the log for the maintainers (feed id, entry number, date: never the name). The
rest of the site is built and deployed as usual. The archive keeps the entry: a takedown or a
fixed redactor decides its fate.

`split_unfit` holds back, the same way, an entry whose published fields hold a character that
would make a page or a feed invalid: one XML 1.0 refuses (a strict XML parser reads the fields
back), or one HTML calls a parse error (a control character, a surrogate, a noncharacter). The
clean stage removes those (clean/xmlchars.py) and the writers drop them (site/formats/xmltext.py);
this check shares no code with either, so that a gap in one of them withholds an entry instead
of breaking the build's output. It also covers entries archived before the clean stage did.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

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


def published_fields(e: StoredEntry) -> tuple[str, ...]:
    """What the site shows of an entry's own text: its title, excerpt, tags and link."""
    return (e.title, e.excerpt, *e.tags, e.link)


# Characters Unicode does not call printable that text is commonly made of: set aside before a
# field is looked at character by character (French puts U+00A0 and U+202F before « ; : ! ? »).
_SEPARATORS = ("\xa0", "\u202f", "\u2009", "\t", "\n", "\r", "\u200d")


def _residue(fields: Iterable[str]) -> str:
    """The characters of `fields` that Unicode's database does not call printable, but for the
    common separators. Every character XML refuses or HTML calls a parse error is among them
    (categories Cc, Cs, Cn), so only these need a closer look."""
    out: list[str] = []
    for f in fields:
        if f.isprintable():
            continue
        for sep in _SEPARATORS:
            f = f.replace(sep, " ")
        if not f.isprintable():
            out.extend(c for c in f if not c.isprintable())
    return "".join(out)


@lru_cache(maxsize=4096)
def _html_refuses(char: str) -> bool:
    """WHATWG HTML: a control other than ASCII whitespace, a surrogate or a noncharacter in the
    input stream is a parse error. Form feed is ASCII whitespace in HTML, but XML refuses it."""
    code = ord(char)
    if char in "\t\n\r":
        return False
    return (unicodedata.category(char) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE)


def _xml_refuses(chars: str) -> bool:
    """Whether a strict XML parser (expat) refuses `chars` as an element's attribute and text,
    escaped the plain way."""
    doc = f"<e v={quoteattr(chars)}>{escape(chars)}</e>"
    try:
        data = doc.encode("utf-8")  # a lone surrogate has no UTF-8 form: no file could hold it
        expat.ParserCreate("utf-8").Parse(data, True)
    except (UnicodeEncodeError, expat.ExpatError):
        return True
    return False


def _refused(chars: str) -> bool:
    return bool(chars) and (any(_html_refuses(c) for c in set(chars)) or _xml_refuses(chars))


def unfit(e: StoredEntry) -> bool:
    """Whether the entry's published fields would make a page or a feed invalid."""
    return _refused(_residue(published_fields(e)))


def split_unfit(entries: Iterable[StoredEntry]) -> tuple[list[StoredEntry], list[StoredEntry]]:
    """(entries to build, entries held back: unfit). The archive's characters are checked all
    at once; entry by entry only when one of them is refused."""
    entries = list(entries)
    residues = [_residue(published_fields(e)) for e in entries]
    if not _refused("".join(residues)):
        return entries, []
    kept: list[StoredEntry] = []
    held: list[StoredEntry] = []
    for e, residue in zip(entries, residues, strict=True):
        (held if _refused(residue) else kept).append(e)
    return kept, held
