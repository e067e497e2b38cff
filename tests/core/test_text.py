"""core/text.py."""

from __future__ import annotations

import re
import sys

from pelican.plugins.blogroll.core.text import squash

_SPACES = re.compile(r"\s+")


def test_squash_is_the_regex_collapse_of_whitespace():
    # str.split() and regex \s agree on every code point: squash may use the faster one.
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        text = f"{c}a{c}{c}b {c}"
        assert squash(text) == _SPACES.sub(" ", text).strip(), hex(code)
    for text in ("", " ", "\u00a0a\u2028\u2029b\x1c\x1dc\x1e\x1f", "\t\n\r\x0b\x0c x \u3000\u200b y\u0085"):
        assert squash(text) == _SPACES.sub(" ", text).strip()
