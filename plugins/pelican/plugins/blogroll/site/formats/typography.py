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

# What is left alone in a page: raw-text elements (their text is code or data) and comments.
_RAW = re.compile(r"<(script|style|pre|code|textarea)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
# Spaces and tags, mixed: what may stand between a word and its punctuation in a page.
_GAP = f"(?:[\u202f{_WS}]|<[^<>]*>)*"
_TAG = re.compile("<[^<>]*>")
# Inside a tag: the next angle bracket closes it (text has no raw « < » or « > »: pages are escaped).
_IN_TAG = re.compile("[^<>]*>")
# The attributes a reader sees, when their value may need spacing.
_SHOWN_ATTRS = re.compile(r'(\s(?:title|alt|aria-label|placeholder|label|content)=")([^"<>]*[;:!?«»][^"<>]*)(")',
                          re.IGNORECASE)
# Where a space may stand before the high punctuation or a closing guillemet: right before it, or
# before the tags right before it (« garde <a>x</a> ; »).
_HIGH_AT = re.compile(f"[\u202f{_WS}>][;:!?]|»")
_GAP_BEFORE = re.compile(f"{_GAP}\\Z")
_OPEN = re.compile(f"«({_GAP})")
_SPACES_OR_TAG = set(" \t\r\n\u00a0\u202f\u205f>" + "".join(map(chr, range(0x2000, 0x200B))))
# A quick test for text that needs no change: most of a page.
_NEEDS = re.compile(f"[{_WS}][;:!?»\u202f]|«(?!\u202f)|«\u202f[{_WS}]|[^\u202f]»")
# The same in a page, where tags may stand between the space and the punctuation.
_NEEDS_HTML = re.compile(f"{_NEEDS.pattern}|[{_WS}](?:<[^<>]*>)+\u202f?[;:!?»]|«\u202f?(?:<[^<>]*>)+[{_WS}]")


def french_text(text: str) -> str:
    """`text` with U+202F before « ; : ! ? » and inside guillemets (see the module)."""
    if not _NEEDS.search(text) and not text.startswith("»"):
        return text
    text = _BEFORE.sub(NNBSP, text)
    text = _AFTER_OPEN.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSE.sub(NNBSP + "»", text)
    text = _OPEN_AT_END.sub("«" + NNBSP, text)
    return _CLOSE_AT_START.sub(NNBSP + "»", text)


def french_html(html: str) -> str:
    """A rendered page with French spacing in its text and shown attributes (see the module).

    Tags do not stop the text: « garde <a>…</a> ; » and « <strong>Note</strong> : » are spaced
    across them (one U+202F, on the side of the tags the space was), as are guillemets around a
    link. A raw element
    (script, style, pre, code, textarea) or a comment does stop it. Every step is a regular
    expression over the page: a page costs a few scans, not a Python step per tag."""
    if not _NEEDS_HTML.search(html):
        return html
    out: list[str] = []
    pos = 0
    for m in _RAW.finditer(html):
        out += [_region(html[pos:m.start()]), m.group(0)]
        pos = m.end()
    out.append(_region(html[pos:]))
    return "".join(out)


def _spaced(gap: str, closing: bool) -> str:
    """The spaces and tags between a word and its punctuation, spaced: the tags, and one U+202F on
    the side of them where a space was (after them when none was, before a closing guillemet)."""
    tags = "".join(_TAG.findall(gap))
    if len(tags) == len(gap):  # no space was there
        return tags + NNBSP if closing else gap  # « x<a>; »: none is added before « ; »
    return NNBSP + tags if gap[-1] == ">" else tags + NNBSP


def _before_marks(html: str) -> str:
    """U+202F before « ; : ! ? » and « » » in the text of `html` (not inside a tag)."""
    out: list[str] = []
    pos = 0
    for m in _HIGH_AT.finditer(html):
        mark = m.end() - 1  # the punctuation
        if mark < pos or _IN_TAG.match(html, mark):
            continue
        before = html[mark - 1:mark]
        if before not in _SPACES_OR_TAG:
            start = mark  # « mot» : nothing between
        elif before != ">" and html[mark - 2:mark - 1] not in _SPACES_OR_TAG:
            start = mark - 1  # « mot ; »: the one space, no tag
        else:
            gap = _GAP_BEFORE.search(html, max(pos, mark - 400), mark)
            start = gap.start() if gap else mark
        out += [html[pos:start], _spaced(html[start:mark], html[mark] == "»")]
        pos = mark
    out.append(html[pos:])
    return "".join(out)


def _after_open(m: re.Match) -> str:
    if _IN_TAG.match(m.string, m.end()):
        return m.group(0)
    return "«" + NNBSP + "".join(_TAG.findall(m.group(1)))


def _region(html: str) -> str:
    """Spacing for a stretch of a page without raw elements or comments."""
    if not _NEEDS_HTML.search(html):
        return html
    html = _SHOWN_ATTRS.sub(lambda m: m.group(1) + french_text(m.group(2)) + m.group(3), html)
    html = _before_marks(html)
    return _OPEN.sub(_after_open, html)
