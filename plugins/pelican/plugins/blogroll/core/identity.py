"""STAND-IN (helper anon-detect, issue #20): a minimal version of the identity model's API that
helper anon-model is building in this very file (/work/notes/anon-contract.md). The detector,
the withhold rule and the identity memory code only against `fold`, `squeeze`, `Variants` and
`variants` below; at merge the lead keeps anon-model's file, not this one.

    fold(text)        one folding for every matcher (separators kept)
    squeeze(text)     fold(text) with everything but [a-z0-9] removed
    Variants          words (whole-word tokens) and glued (separator-free forms, length >= 5)
    variants(tokens)  the variants of the strings a feed's person fields hold
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from unidecode import unidecode

from .names import common_word, fold_name

# Invisible code points NFKC and the Cf category leave behind (variation selectors, combining
# grapheme joiner, Hangul fillers).
_INVISIBLE = re.compile("[\u034f\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_TOKEN = re.compile(r"[a-z0-9]+")
_TITLES = frozenset({"dr", "pr", "docteur", "professeur", "mme", "mlle", "mr", "m", "me", "madame", "monsieur"})
_PARTICLES = frozenset({"de", "du", "des", "la", "le", "d", "l", "van", "von", "da", "di", "del", "st", "ste"})
# Roles and credits: never a person. Words of a practice's name: not a person when the name
# starts with one (« Cabinet Dupont » names Dupont, « Babra Maison » names Maison).
_ROLES = frozenset({
    "admin", "webmaster", "redaction", "contact", "info", "equipe", "auteur", "author", "blog", "wikimedia",
    "commons", "portrait", "photo", "jpg", "png", "www", "http", "https", "com", "org", "net", "fr", "example",
})
_PRACTICE = frozenset({
    "cabinet", "medical", "medicale", "centre", "maison", "sante", "clinique", "pharmacie", "hopital", "chu",
    "sos", "urgences", "medecins", "medecin", "service",
})


def fold(text: str) -> str:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    folded = fold_name(text)
    return "".join(c if c.isascii() else unidecode(c).lower() for c in folded)


def squeeze(text: str) -> str:
    return "".join(_TOKEN.findall(fold(text)))


@dataclass(frozen=True)
class Variants:
    words: frozenset[str] = frozenset()
    glued: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.words or self.glued)

    def __or__(self, other: Variants) -> Variants:
        return Variants(self.words | other.words, self.glued | other.glued)


def _parts(token: str) -> list[str]:
    """The name parts of one declared string (an e-mail's local part and a URL's last segment
    included), titles dropped."""
    text = fold(token)
    if "@" in text:
        text = text.split("@", 1)[0]
    if "/" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1]
    words = _TOKEN.findall(text)
    while words and words[0] in _TITLES:
        words = words[1:]
    return words


def variants(tokens: Iterable[str]) -> Variants:
    words: set[str] = set()
    glued: set[str] = set()
    for token in tokens:
        parts = _parts(token)
        bare = [b for b in (p.strip("0123456789") for p in parts) if b and b not in _ROLES]
        if bare and bare[0] in _PRACTICE:
            bare = [b for b in bare if b not in _PRACTICE]
        names = [p for p in bare if p not in _PARTICLES and p not in _TITLES]
        if not names or (len(names) == 1 and common_word(names[0])):
            continue  # a role, a practice, one ordinary word: no one (the precision rule)
        words.update(p for p in names if len(p) >= 2)
        whole = "".join(bare)
        if whole.startswith(("dr", "pr")) and len(parts) == 1 and len(whole) > 6:
            glued.add(whole[2:])
        glued.add(whole)
        if len(names) >= 2:
            glued.add("".join(names))
            glued.add("".join(reversed(names)))
            glued.add(names[0][0] + names[-1])
            glued.add(names[-1] + names[0][0])
            if len(names) >= 3:
                glued.add("".join(names[1:]))
        glued.update(p + q for p, q in zip(bare, bare[1:], strict=False) if p in _PARTICLES)
    return Variants(frozenset(words), frozenset(g for g in glued if len(g) >= 5))
