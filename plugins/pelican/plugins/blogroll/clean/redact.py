"""Cut the identities a feed declares (parse/identities.py) out of its text: every spelling
family of core/identity.py's `variants`.

- Text is read through `core.identity.fold` (NFKC, casefold, default-ignorable code points
  dropped, marks stripped, confusables, other scripts transliterated): « Cælia », « C\u200bælia »,
  a Cyrillic « а » and « Ca\ufe0felia » are one name.
- `Variants.words` are cut as whole words, a person's title in front going with them
  (« Dr Vo », « Dr. Sage », « DrSage »), digits after them too (« portevin75 »), never out of
  a compound (« Sainte-Marie », « Marie-Galante », « martin-pêcheur »).
- `Variants.glued` are found in the separator-free text: the word (or the run of words) that
  holds one is cut whole (« jdupont75 », « @DrQuistrebert », « Le Tré vennec »). A run of
  several words is cut only when each of its words is a name part, a particle, a title or an
  initial; a glued form inside an ordinary French word is left alone.
- A surname the feed declares is cut even when it is an ordinary word (« Camille Boulanger »):
  cutting « boulanger » from that one blog's excerpts costs less than a name.
- Words of the blog's own pseudonym and title, and roles (« admin », « webmaster »), are kept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable

from ..core.identity import Variants, fold, fold_map, one_reading, variants
from ..core.personal import PARTICLES, TITLES, common_word
from ..core.text import squash

_TITLE = r"(?:docteure?|dre?|pr|prof|professeure?|mme|madame|mlle|mr|m|monsieur)"
_MAX_KEYS = 24


class Redactor:
    """Cuts a feed's identity tokens out of text (see the module's docstring)."""

    def __init__(self, tokens: Iterable[str], keep: Collection[str] = (), *, declared: Variants | None = None) -> None:
        """`declared`: variants already expanded (what other feeds declare, the identity memory's
        new forms) instead of `tokens`; only their plain words and glued forms are cut."""
        found = variants(tokens) if declared is None else Variants(
            frozenset(w for w in declared.words if w.isalnum()), frozenset(g for g in declared.glued if g.isalnum()))
        kept_words = {w for k in keep for w in re.findall(r"[a-z0-9]+", fold(k))}
        kept_glued = {re.sub(r"[^a-z0-9]", "", fold(k)) for k in keep}
        own = kept_words | kept_glued
        self.variants = Variants(frozenset(found.words - kept_words),
                                 frozenset(g for g in found.glued if g not in own and _untitled(g) not in own))
        names = sorted(self.variants.words, key=len, reverse=True)
        self.pattern = re.compile(
            rf"(?<![a-z0-9])(?<![a-z0-9]-)(?:{_TITLE}[^a-z0-9]{{0,2}}(?<![a-z0-9]-))?(?:{'|'.join(map(re.escape, names))})"
            r"\d*(?!-[a-z0-9])(?![a-z0-9])") if names else re.compile(r"(?!)")
        # Words of five letters or more too: written in pieces, a word is found glued again
        # (`_cut_name`); inside one word it stays a word's business (`_acceptable`).
        glued = sorted(self.variants.glued | {w for w in self.variants.words if len(w) >= 5 and w.isalpha()},
                       key=len, reverse=True)
        self._glued = re.compile("|".join(map(re.escape, glued))) if glued else None
        self._glued_forms = tuple(glued)
        self._parts = set(self.variants.words) | PARTICLES | TITLES
        keys = set(self.variants.words) | set(self.variants.glued)
        self._keys = tuple(sorted(keys)) if len(keys) <= _MAX_KEYS else None

    def __bool__(self) -> bool:
        return bool(self.variants)

    def _may_match(self, folded: str) -> bool:
        # Speed only: every match holds one of the variants as it is, or glued: a text holding
        # none of them (once separators are gone) cannot match.
        if self._keys is None:
            return True
        squeezed = re.sub(r"[^a-z0-9]", "", folded)
        return any(k in squeezed for k in self._keys)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the identities are in `text` (sorted, non-overlapping indexes into `text`)."""
        if not self or not text:
            return []
        one_way = one_reading(text)
        if not self._may_match(fold(text)) and (one_way or not self._may_match(fold_map(text, True)[0])):
            return []
        spans: list[tuple[int, int]] = []
        # Letters of another script read by their look (confusables) and by their sound.
        for transliterate in (False,) if one_way else (False, True):
            folded, index = fold_map(text, transliterate)
            spans += [(index[m.start()], index[m.end() - 1] + 1) for m in self.pattern.finditer(folded)
                      if m.end() > m.start()]
            if self._glued is not None:
                spans += self._glued_spans(text, folded, index)
        return _merge(spans)

    def _glued_spans(self, text: str, folded: str, index: list[int]) -> list[tuple[int, int]]:
        keep = [i for i, c in enumerate(folded) if "a" <= c <= "z" or "0" <= c <= "9"]
        squeezed = "".join(folded[i] for i in keep)
        words = [(m.start(), m.end()) for m in re.finditer(r"[a-z0-9]+", folded)]
        starts = [s for s, _ in words]
        out = []
        assert self._glued is not None
        pos = 0
        while (m := self._glued.search(squeezed, pos)) is not None:
            # Every form found here, longest first: « Kazan pour » with a first name « P… »
            # holds « kazanp », refused (it ends inside « pour »), and « kazan », not.
            for form in (g for g in self._glued_forms if squeezed.startswith(g, m.start())):
                first, last = keep[m.start()], keep[m.start() + len(form) - 1]
                w1, w2 = bisect_right(starts, first) - 1, bisect_right(starts, last) - 1
                if self._acceptable(folded, words[w1:w2 + 1], first, last):
                    out.append((index[words[w1][0]], index[words[w2][1] - 1] + 1))
                    pos = m.start() + len(form)
                    break
            else:
                pos = m.start() + 1  # « selon St-X »: « n » + « stx » is refused, « stx » is not
        return out

    def _acceptable(self, folded: str, run: list[tuple[int, int]], first: int, last: int) -> bool:
        """A glued form found in one word: not inside an ordinary word it is only part of. Found
        across words: from a word's start to a word's end, every word a name part, a particle,
        a title or an initial."""
        pieces = [folded[s:e] for s, e in run]
        if len(run) == 1:
            word = re.sub(r"\d+$", "", pieces[0])
            matched = folded[first:last + 1]
            (start, end), size = run[0], len(folded)
            compound = (start >= 2 and folded[start - 1] == "-" and folded[start - 2].isalnum()) or (
                end + 1 < size and folded[end] == "-" and folded[end + 1].isalnum())
            if compound and matched in self.variants.words:
                return False  # « Sainte-Éloïse »: a name part is never cut out of a compound
            return word == matched or not common_word(word)
        if first != run[0][0] or re.sub(r"\d+$", "", folded[last + 1:run[-1][1]]):
            return False
        if all(p in self._parts or len(p) == 1 or p.isdigit() for p in pieces):
            return True
        # A full name whose surname is written in pieces (« Clervie Mou lin »): the run is
        # exactly a glued form and holds a declared word. Cutting « Clervie » alone would leave
        # « Mou lin », two words to the detector, the name to a reader.
        joined = re.sub(r"\d+$", "", "".join(pieces))
        if joined in self.variants.glued and joined not in self.variants.words \
                and any(p in self.variants.words for p in pieces):
            return True
        return self._cut_name(pieces, [folded[a[1]:b[0]] for a, b in zip(run, run[1:], strict=False)])

    def _cut_name(self, pieces: list[str], separators: list[str]) -> bool:
        """A declared word of five letters or more written in pieces (« Var-denasse », « Vardé
        nasse », « Fo ntaine »); when every piece is a word itself, only when no separator is
        a space: « Bon-jour », « Bon.jour » are a name, « du bois », « mais on » are prose."""
        joined = re.sub(r"\d+$", "", "".join(pieces))
        if len(joined) < 5 or joined not in self.variants.words:
            return False
        return any(not common_word(p) for p in pieces) or not any(re.search(r"\s", s) for s in separators)

    def found(self, text: str) -> bool:
        return bool(self.spans(text))

    def __call__(self, text: str) -> str:
        """`text` without the identities; the very same object when there was nothing to cut.
        A cut can change how what is left reads (a word of another script read alone), so the
        text is read again until nothing is found (a few rounds at most)."""
        for _ in range(4):
            spans = self.spans(text)
            if not spans:
                return text
            out, last = [], 0
            for start, end in spans:
                out.append(text[last:start])
                out.append(" ")
                last = end
            out.append(text[last:])
            text = squash("".join(out))
        return text


def _untitled(glued: str) -> str:
    """« droiseau » -> « oiseau »: a title glued in front of a name."""
    m = re.match(r"(?:docteure?|doc|dre?|pr|mme)(?=[a-z0-9]{2})", glued)
    return glued[m.end():] if m else glued


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
