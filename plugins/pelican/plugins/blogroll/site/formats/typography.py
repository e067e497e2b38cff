"""French spacing: a narrow no-break space (U+202F) before « ; : ! ? » and inside « guillemets ».

French puts a space before the high punctuation and inside guillemets, and that space must not
break: with an ordinary space a line can start with « ; » or with a lone « » ». One function,
`french_text`, does it for plain text (feed titles and summaries, attribute values);
`french_html` applies it to the text of a rendered page: its text nodes and the attributes a
reader sees (title, alt, aria-label, placeholder, label, content), never inside a tag's name or
other attributes, nor in script, style, pre, code, textarea or comments. Both are idempotent.

Only spaces that are there are changed before « ; : ! ? » (« 14:05 », « Re: », « https:// »
are left as they are); inside guillemets, which are French only, a missing space is added.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"

# Whitespace that may stand before the high punctuation or inside guillemets: ordinary spaces,
# tabs, line breaks, the no-break space and the other fixed-width spaces (not U+202F itself).
_WS = " \t\r\n\u00a0\u2000-\u200a\u205f"
# A run of spaces with at least one that is not U+202F.
_RUN = f"[\u202f{_WS}]*[{_WS}][\u202f{_WS}]*"
_BEFORE = re.compile(f"{_RUN}(?=[;:!?»])")
_AFTER_OPEN = re.compile(f"«(?:{_RUN}|(?=[^\u202f{_WS}]))")
_BEFORE_CLOSE = re.compile(f"(?<=[^\u202f{_WS}])»")
_OPEN_AT_END = re.compile("«$")
_CLOSE_AT_START = re.compile("^»")

# A page split into what is left alone (tags, comments, raw-text elements, code) and text.
_TOKENS = re.compile(
    r"(<!--.*?-->"
    r"|<(script|style|pre|code|textarea)\b[^>]*>.*?</\2\s*>"
    r"|<[^>]*>)",
    re.DOTALL | re.IGNORECASE,
)
_SHOWN_ATTRS = re.compile(r'(\s(?:title|alt|aria-label|placeholder|label|content)=")([^"]*)(")', re.IGNORECASE)
# A quick test for text that needs no change: most of a page.
_NEEDS = re.compile(f"[{_WS}][;:!?»\u202f]|«(?!\u202f)|«\u202f[{_WS}]|[^\u202f]»")


def french_text(text: str) -> str:
    """`text` with U+202F before « ; : ! ? » and inside guillemets (see the module)."""
    if not _NEEDS.search(text) and not text.startswith("»"):
        return text
    text = _BEFORE.sub(NNBSP, text)
    text = _AFTER_OPEN.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSE.sub(NNBSP + "»", text)
    text = _OPEN_AT_END.sub("«" + NNBSP, text)
    return _CLOSE_AT_START.sub(NNBSP + "»", text)


def _node(text: str) -> str:
    # A text node between two tags: « <a>titre</a> » has « « » at the end of one node and « » »
    # at the start of the next, which still get their space.
    return french_text(text)


def _tag(tag: str) -> str:
    if tag.startswith(("<!--", "</")) or "=" not in tag:
        return tag
    if re.match(r"<(script|style|pre|code|textarea)\b", tag, re.IGNORECASE):
        return tag  # a whole raw element: left as it is
    return _SHOWN_ATTRS.sub(lambda m: m.group(1) + french_text(m.group(2)) + m.group(3), tag)


def french_html(html: str) -> str:
    """A rendered page with French spacing in its text and shown attributes (see the module)."""
    if not _NEEDS.search(html):
        return html
    out: list[str] = []
    pos = 0
    for m in _TOKENS.finditer(html):
        if m.start() > pos:
            out.append(_node(html[pos:m.start()]))
        out.append(_tag(m.group(0)) if m.group(2) is None else m.group(0))
        pos = m.end()
    if pos < len(html):
        out.append(_node(html[pos:]))
    return "".join(out)
