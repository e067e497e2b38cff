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
# The same in a page, where tags and comments may stand between the space and the punctuation.
_NEEDS_HTML = re.compile(f"{_NEEDS.pattern}|[{_WS}\u202f](?:<[^>]*>)+\u202f?[;:!?»]|«\u202f?(?:<[^>]*>)+[{_WS}]")


def french_text(text: str) -> str:
    """`text` with U+202F before « ; : ! ? » and inside guillemets (see the module)."""
    if not _NEEDS.search(text) and not text.startswith("»"):
        return text
    text = _BEFORE.sub(NNBSP, text)
    text = _AFTER_OPEN.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSE.sub(NNBSP + "»", text)
    text = _OPEN_AT_END.sub("«" + NNBSP, text)
    return _CLOSE_AT_START.sub(NNBSP + "»", text)


def _tag(tag: str) -> str:
    if tag.startswith(("<!--", "</")) or "=" not in tag:
        return tag
    if re.match(r"<(script|style|pre|code|textarea)\b", tag, re.IGNORECASE):
        return tag  # a whole raw element: left as it is
    return _SHOWN_ATTRS.sub(lambda m: m.group(1) + french_text(m.group(2)) + m.group(3), tag)


def french_html(html: str) -> str:
    """A rendered page with French spacing in its text and shown attributes (see the module).

    Tags and comments do not stop the text: « garde <a>…</a> ; » and « <strong>Note</strong> : »
    are spaced across them (the space before the punctuation ends the node before the tag, or
    starts the one after it), as is a guillemet at the end of one text node. A raw element
    (script, style, pre, code, textarea) does stop it."""
    if not _NEEDS_HTML.search(html):
        return html
    out: list[str] = []
    last: int | None = None  # index in `out` of the previous text node, across tags and comments
    pos = 0
    for m in _TOKENS.finditer(html):
        if m.start() > pos:
            last = _text_node(out, last, html[pos:m.start()])
        if m.group(2) is not None:  # a raw element: the text before it does not reach past it
            out.append(m.group(0))
            last = None
        else:
            out.append(_tag(m.group(0)))
        pos = m.end()
    if pos < len(html):
        _text_node(out, last, html[pos:])
    return "".join(out)


_SPACES = " \t\r\n\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u205f" + NNBSP
_STARTS_HIGH = re.compile(f"^{NNBSP}?[;:!?»]")


def _text_node(out: list[str], last: int | None, raw: str) -> int:
    """Append the text node `raw`, spaced, to `out`; fix the spacing across the tags since the
    previous text node `out[last]`. Returns the new node's index."""
    text = french_text(raw)
    if last is not None and text:
        prev = out[last]
        if _STARTS_HIGH.match(text) and prev[-1:] in _SPACES and prev:
            out[last] = prev.rstrip(_SPACES) + NNBSP  # « garde <a>x</a> » + « ; »: one U+202F
            text = text.removeprefix(NNBSP)
        elif prev.endswith("«" + NNBSP) and text[:1] in _SPACES:
            text = text.lstrip(_SPACES)  # « «<a> » + « mot »: the guillemet's space is there
    out.append(text)
    return len(out) - 1
