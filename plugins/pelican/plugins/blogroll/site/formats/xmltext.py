"""Text and attribute values for every file the site writes: escaped, and never holding a
character XML 1.0 cannot carry.

Every producer of XML (the Atom feeds, the OPML, the sitemap) takes its text and attribute
values through `text`, `attr` or `clear`; /etat.json through `json_text`; the HTML templates
through `publishable` (the Jinja environment's finalize, site/builder/templates.py). What they
write is therefore well-formed whatever they are given: an archived entry from before the clean
stage took such characters out (clean/xmlchars.py), a registry value, a server's message.

What is dropped: every code point outside XML 1.0's Char production (§2.2: the C0 controls but
tab, line feed and carriage return, the surrogates, U+FFFE and U+FFFF) and those it discourages
(DEL and the C1 controls, the noncharacters), which HTML calls parse errors. The rule is written
here as the characters allowed, apart from the clean stage's, which lists those it removes:
either one alone keeps the files valid. Ordinary text is escaped exactly as ElementTree escapes
it, so the bytes are the ones written before.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape


def _allowed() -> str:
    """XML's Char, minus what it discourages: tab, LF, CR, U+0020–U+007E, U+00A0–U+D7FF,
    U+E000–U+FDCF, U+FDF0–U+FFFD, and each supplementary plane but its last two code points."""
    ranges = ["\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd"]
    ranges += [f"{chr(plane << 16)}-{chr(plane << 16 | 0xFFFD)}" for plane in range(1, 17)]
    return "".join(ranges)


_REFUSED = re.compile(f"[^{_allowed()}]+")
_ATTR_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def clear(s: str) -> str:
    """`s` without the code points no published file may hold."""
    return _REFUSED.sub("", s) if _REFUSED.search(s) else s


def text(s: str) -> str:
    """Element text: cleared, then escaped as ElementTree escapes it (&, <, >)."""
    return escape(clear(s))


def attr(s: str) -> str:
    """An attribute value (between double quotes): cleared, then escaped as ElementTree does."""
    return escape(clear(s), _ATTR_ENTITIES)


def _cleared(value: Any) -> Any:
    if isinstance(value, str):
        return clear(value)
    if isinstance(value, dict):
        return {_cleared(k): _cleared(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleared(v) for v in value]
    return value


def json_text(data: Any) -> str:
    """`data` as the site's JSON files are written (UTF-8 text, one-space indent), every string
    cleared: json.dumps would write a lone surrogate as it is, and no UTF-8 file can hold it."""
    return json.dumps(_cleared(data), ensure_ascii=False, indent=1) + "\n"


def publishable(value: Any) -> Any:
    """The HTML templates' finalize: a string (markup included: dropping a control character
    never makes a tag) cleared, any other value as it is, for Jinja to print and escape."""
    if isinstance(value, str) and _REFUSED.search(value):
        return type(value)(_REFUSED.sub("", value))
    return value
