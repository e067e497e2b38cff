"""How a name is recognised in text, whatever Unicode does to it: ONE folding for the redactor
(clean/redact.py) and the leak guard (tools/privacy_check.py, the build's quarantine).

`fold_name` maps text to lowercase ASCII-like letters and digits so that every way of writing
a name that reads the same folds the same:

- NFKC (fullwidth « Ｃａｍｉｌｌｅ », ligatures, compatibility forms), then casefold;
- format characters (Unicode category Cf: zero-width space and joiners, soft hyphen, bidi
  overrides such as U+202E) are dropped: they split a name for a program, not for a reader;
- accents are dropped (NFKD, combining marks removed) and the Latin letters that do not
  decompose are spelt out: æ -> ae, œ -> oe, ø -> o, ß -> ss, ł -> l, đ/ð -> d, þ -> th...;
- every other character that Unicode's confusables data (UTS #39, shipped by the
  `confusable-homoglyphs` package) says looks like one ASCII letter or digit becomes that
  letter: Cyrillic « а », Greek « ο », mathematical letters...

`fold_map` also returns, for each folded character, the index of the original character it
came from, so that a match in the folded text can be cut from the original text.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from functools import lru_cache
from importlib import resources

# Latin letters NFKD leaves alone, spelt as French readers read them.
_SPELT = {"æ": "ae", "œ": "oe", "ø": "o", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
          "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ƒ": "f", "ſ": "s", "ȷ": "j"}


@lru_cache(maxsize=1)
def _skeleton() -> dict[str, str]:
    """Non-ASCII character -> the ASCII letter or digit it is confusable with (UTS #39 data)."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    out: dict[str, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            base = "".join(c for c in unicodedata.normalize("NFKD", glyph.get("c", ""))
                           if not unicodedata.combining(c))
            if len(base) == 1 and base.isascii() and base.isalnum():
                # UTS #39 spells every I-like capital « l »; in a casefolded name it reads « i ».
                out[char] = "i" if base == "l" and char.isupper() else base.casefold()
                break
    return out


@lru_cache(maxsize=65536)
def fold_char(c: str) -> str:
    """What one character folds to: "" for format characters and marks, else letters/digits or
    the character itself casefolded (punctuation and spaces stay as they are)."""
    if c.isascii():
        return c.lower()
    if unicodedata.category(c) == "Cf":
        return ""
    out = []
    skeleton = _skeleton()
    for n in unicodedata.normalize("NFKC", c):
        if n in skeleton and n.casefold() not in _SPELT:  # capitals first: Greek « Β » is a « B »
            out.append(skeleton[n])
            continue
        for d in unicodedata.normalize("NFKD", n.casefold()):
            if unicodedata.combining(d) or unicodedata.category(d) == "Cf":
                continue
            if d.isascii():
                out.append(d)
            else:
                out.append(_SPELT.get(d) or skeleton.get(d) or d)
    return "".join(out)


class _FoldTable(dict):
    """str.translate table filled on demand: C-speed folding of long texts."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold_name(text: str) -> str:
    """« Cælia », « CAELIA », « C\u200bælia », « Ｃａｅｌｉａ » and « Cаelia » (Cyrillic а)
    all fold to « caelia »."""
    if text.isascii():
        return text.lower()
    return text.translate(_TABLE)


def fold_map(text: str) -> tuple[str, list[int]]:
    """(folded text, index in `text` of the character each folded character comes from)."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    parts: list[str] = []
    index: list[int] = []
    last = 0
    # An ASCII character folds to itself lowercased, one for one: only the runs of other
    # characters are folded one by one (a few in a French text).
    for m in _NON_ASCII_RUN.finditer(text):
        start, end = m.span()
        parts.append(text[last:start].lower())
        index.extend(range(last, start))
        for i in range(start, end):
            f = fold_char(text[i])
            parts.append(f)
            index.extend([i] * len(f))
        last = end
    parts.append(text[last:].lower())
    index.extend(range(last, len(text)))
    return "".join(parts), index


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


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
