"""How a name is recognised in text, whatever Unicode does to it. The folding itself is
core/identity.py's `fold` (THE one folding of every matcher: the redactor, the detector, the
leak guard tools/privacy_check.py and the build's quarantine); `fold_name` is its old name.

This module keeps what reads a name for display and for the precision rules: `name_words`,
`strip_format` (format characters out of what is shown) and `common_word` (the French word
list of `pyspellchecker`).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from functools import lru_cache
from importlib import resources

from .identity import fold, fold_char, fold_map

__all__ = ["common_word", "fold_char", "fold_map", "fold_name", "name_words", "strip_format"]

fold_name = fold

_WORD = re.compile(r"[a-z0-9]+")


def name_words(text: str) -> list[str]:
    """The folded words of `text`: « Dr Jean-Pierre DUPONT » -> [dr, jean, pierre, dupont]."""
    return _WORD.findall(fold_name(text))


def strip_format(text: str) -> str:
    """`text` without its format characters (bidi overrides, zero-width spaces, soft hyphens):
    none may reach a page, where U+202E would flip the line. The zero-width joiner of emoji
    sequences (U+200D) stays."""
    if text.isascii():
        return text
    if "\u202e" in text or "\u202d" in text:
        text = _RIGHT_TO_LEFT_RUN.sub(lambda m: m.group(1)[::-1], text)
    return _format_chars().sub("", text)


@lru_cache(maxsize=1)
def _format_chars() -> re.Pattern[str]:
    """One character class of every format character (category Cf in this Python's Unicode
    data) but U+200D: a regex scan is ~5x cheaper than asking unicodedata character by
    character. Built on first use from a scan of every code point (~70 ms, once a process)."""
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if code == 0x200D or unicodedata.category(chr(code)) != "Cf":
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


# A right-to-left override run (U+202E … U+202C, or to the end of the line): the reader sees its
# characters reversed, so that is the order they are kept in, once the control is gone.
_RIGHT_TO_LEFT_RUN = re.compile("\u202e([^\u202c\n]*)\u202c?")


@lru_cache(maxsize=1)
def _french_words() -> frozenset[str]:
    """Ordinary French words, folded: the word-frequency list `pyspellchecker` ships (proper
    names such as most surnames and many first names are not in it)."""
    import gzip

    raw = resources.files("spellchecker").joinpath("resources/fr.json.gz").read_bytes()
    words = json.loads(gzip.decompress(raw))
    return frozenset(fold_name(w) for w in words if len(w) > 1)


def common_word(word: str) -> bool:
    """An ordinary French word (« docteur », « cabinet », « pierre », « marie »), folded."""
    return fold_name(word) in _french_words()
