"""core/names.py: the fast forms of the text helpers give exactly what the plain ones give."""

from __future__ import annotations

import sys
import unicodedata

from pelican.plugins.blogroll.core.names import _RIGHT_TO_LEFT_RUN, fold_char, fold_map, fold_name, strip_format


def reference_strip_format(text: str) -> str:
    """strip_format as first written: one unicodedata lookup per character."""
    if text.isascii():
        return text
    if "\u202e" in text or "\u202d" in text:
        text = _RIGHT_TO_LEFT_RUN.sub(lambda m: m.group(1)[::-1], text)
    return "".join(c for c in text if c == "\u200d" or unicodedata.category(c) != "Cf")


def test_strip_format_drops_every_format_character_but_the_joiner():
    # Every code point of this Python's Unicode data, in chunks, each between two letters.
    for start in range(0, sys.maxunicode + 1, 8192):
        text = "é".join(chr(c) for c in range(start, min(start + 8192, sys.maxunicode + 1)))
        assert strip_format(text) == reference_strip_format(text)


def test_strip_format_keeps_the_reading_order_of_right_to_left_runs():
    for text in ("abc \u202edcba\u202c fin", "x\u202eolleh\nligne", "\u202d\u200bé\u200d\U0001f468",
                 "é\u202e\u202e\u200bab\u202c\u202c", "\u00ad\ufeff\u2066a\u2069"):
        assert strip_format(text) == reference_strip_format(text)
    assert strip_format("Ca\u200bmi\u00adlle \U0001f468\u200d\U0001f469") == "Camille \U0001f468\u200d\U0001f469"


def reference_fold_map(text: str) -> tuple[str, list[int]]:
    """fold_map as first written: every character through fold_char."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    parts: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = fold_char(c)
        parts.append(f)
        index.extend([i] * len(f))
    return "".join(parts), index


def test_fold_map_folds_character_by_character_in_latin_words():
    # Words holding a Latin letter are read through the confusables, character by character
    # (a word in another script altogether is transliterated: tests/core/test_identity_model.py).
    samples = ["Cælia CAELIA C\u200bælia Ｃａｅｌｉａ Cаelia", "GROẞVÖLKERIN ﬁn ǅ Ⅻ", "ascii only", "", "é", "éa", "aé",
               "Dr\u00a0Jean-Pierre\u202eDUPONT\u202c, 06 12 34 56 78 \U0001d4d2amille ᴬ ㏍ İı ſ aꭰ"]
    for text in samples:
        folded, index = fold_map(text)
        assert (folded, index) == reference_fold_map(text)
        assert folded == fold_name(text)


def test_fold_map_points_every_folded_character_at_its_source():
    samples = ["".join(chr(c) for c in range(start, start + 600)) + "Ab" for start in range(0, 0x3400, 300)]
    samples += ["Иван Петров, Παπαδόπουλος et Cаelia", "ꭰ 中文 ab\ufe0fc"]
    for text in samples:
        folded, index = fold_map(text)
        assert folded == fold_name(text) and len(index) == len(folded)
        assert index == sorted(index) and all(0 <= i < len(text) for i in index)
