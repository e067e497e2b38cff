"""Characters no published text may hold, taken out of what the clean stage stores.

XML 1.0 (§2.2, the Char production) cannot carry the C0 controls other than tab, line feed
and carriage return, the surrogates (U+D800–U+DFFF) or U+FFFE and U+FFFF: one of them in a
title and the Atom feeds it reaches are not XML any more. The same section discourages DEL,
the C1 controls (U+007F–U+009F) and the noncharacters (U+FDD0–U+FDEF and the last two code
points of every plane); HTML calls every one of them a parse error. A post never means one:
they come from a feed's escaped HTML escaped once more (« &amp;#1; »), a bad encoding, a
copy-and-paste.

C1 controls that Windows-1252 assigns are read as it reads them (U+0092 is « ’ », U+0085
« … »): a feed encoded in Windows-1252 but labelled ISO-8859-1 holds them where it meant
punctuation, and HTML reads its numeric references (« &#x92; ») the same way. Every other
character of these classes is removed.

This is the clean stage's rule, applied after every unescaping (clean/entry.py). The site's
writers (site/formats/xmltext.py) and the build's quarantine (site/model/quarantine.py) each
have a check of their own, written apart from this one.
"""

from __future__ import annotations

import re

_NONCHARACTERS = "".join(chr(plane << 16 | 0xFFFE) + "-" + chr(plane << 16 | 0xFFFF) for plane in range(17))
UNFIT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")


def _windows_1252(code: int) -> str:
    try:
        return bytes((code,)).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: Windows-1252 leaves them unassigned
        return ""


# C1 controls -> what Windows-1252 reads at that byte; every other unfit character -> nothing.
_READ_AS = {code: _windows_1252(code) for code in range(0x80, 0xA0)}


def _replace(m: re.Match[str]) -> str:
    return _READ_AS.get(ord(m.group()), "")


# UNFIT within the Basic Multilingual Plane. A character class with ranges beyond it is read
# range by range for every character; this one, from a table: about eight times faster on a
# post's markup, which most often holds no character beyond U+FFFF.
_UNFIT_BMP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry or discourages (see above)."""
    if text.isascii() and text.isprintable():  # most titles and tags: nothing to look for
        return text
    beyond_bmp = len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)  # 4 bytes each
    return (UNFIT if beyond_bmp else _UNFIT_BMP).sub(_replace, text)
