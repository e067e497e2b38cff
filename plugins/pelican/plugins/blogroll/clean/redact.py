"""Cut the identities a feed declares (parse/identities.py) out of its text.

The precision rule (docs/anonymity.md): redaction cuts identities, never words.

- Text and tokens are compared through `core.names.fold_name` (NFKC, casefold, format
  characters dropped, accents and non-decomposing letters spelt out, UTS #39 look-alikes):
  « Cælia », « CAELIA », « C\u200bælia » and a Cyrillic « а » are one name.
- Honorifics (« Dr », « Pr », « Mme »...) are not part of a name: « Dr X Y » declared also
  cuts « X Y » and « Y X ».
- A declared FULL name (two words or more once honorifics and particles are gone) is cut
  whole, in either order, and each of its words of 3 letters or more is cut alone too, even
  when it is also an ordinary word (« Pierre », « Boulanger »): what cannot be told from
  the name is resolved toward anonymity.
- Words of a practice's name (« cabinet », « médical », « centre »...) are never names:
  « Cabinet médical » declared cuts nothing; « Cabinet Dupont » cuts « Dupont ».
- A declared SINGLE word is cut only when it is not an ordinary French word: « docteur »,
  « cabinet » or « Marie » as a whole identity are left alone.
- A word is never cut out of a compound: « Marie » is not cut from « Sainte-Marie ».
- Numbers and years (« 2026 ») are never cut; long digit ids (a Blogger profile, 6+ digits) are.
- Words of the blog's own pseudonym and title, and roles (« admin », « webmaster »), are kept.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from ..core.names import common_word, fold_map, fold_name, name_words
from ..core.text import squash

# Names that are roles, not people: never worth redacting from a post's text.
GENERIC_NAMES = frozenset({
    "admin", "administrateur", "administratrice", "administrator", "webmaster", "webmestre", "editor",
    "editeur", "redaction", "redac", "contact", "info", "infos", "noreply", "no-reply", "reply", "unknown",
    "anonymous", "anonyme", "blogger", "wordpress", "auteur", "author", "guest", "invite", "team", "equipe",
    "root", "user", "mail", "email", "courriel", "bonjour", "hello", "postmaster", "help", "support", "aide",
    "blog", "blogueur", "blogueuse", "presse", "press", "moi", "www", "http", "https", "com", "org", "net",
    "example", "members", "member", "users", "profil", "profile", "profiles", "authors", "auteurs",
})
HONORIFICS = frozenset({
    "dr", "dre", "docteur", "doctoresse", "doc", "pr", "prof", "professeur", "professeure", "mme", "madame",
    "m", "mr", "mrs", "ms", "monsieur", "mlle", "mademoiselle", "me", "maitre", "ste", "st", "sr", "soeur",
    "pere", "ifd", "ide", "inf", "sf", "sage", "femme", "infirmier", "infirmiere", "kine", "psy",
})
PARTICLES = frozenset({"de", "du", "des", "la", "le", "les", "d", "l", "van", "von", "der", "den", "di",
                       "da", "del", "della", "y", "et", "and", "el", "al", "ben", "bin", "mac", "mc"})
# Words of a practice's or an institution's name: never a person's name on their own.
INSTITUTION = frozenset({
    "cabinet", "medical", "medicale", "medicaux", "centre", "center", "maison", "sante", "clinique",
    "pharmacie", "hopital", "chu", "chr", "association", "service", "groupe", "pole", "sos", "urgences",
    "laboratoire", "labo", "officine", "cabinets", "paramedical", "dentaire", "infirmier", "infirmiers",
    "kinesitherapie", "kinesitherapeute", "podologie", "orthophonie", "psychologie", "psychiatrie",
    "medecine", "generale", "generaliste", "pediatrie", "sage", "femme", "sages", "femmes", "blog",
    "carnet", "journal", "notes", "equipe", "collectif", "reseau", "ehpad", "smur", "samu", "liberal",
    # credits of image banks and agencies
    "wikimedia", "commons", "wikipedia", "flickr", "unsplash", "pixabay", "pexels", "freepik", "shutterstock",
    "istock", "istockphoto", "getty", "images", "adobe", "stock", "afp", "reuters", "inserm", "creative",
    "photo", "photos", "image", "illustration", "dessin", "schema", "source", "credit", "credits", "droits",
    "portrait", "profil", "podcast", "episode", "audio", "video",
})
_SEP = r"[^a-z0-9]{0,3}"
_LONG_ID = re.compile(r"\d{6,}")
# Extra room around a match: the honorific (« Dr. ») in front of a name goes with it.
_BEFORE = r"(?:(?:dr|pr|docteur|mme|m|mr|mlle)[^a-z0-9]{1,2})?"
# Up to this many distinct words, a text is first checked for them with `in` (see Redactor).
_MAX_KEYS = 24


def _words(text: str) -> list[str]:
    return name_words(text)


def _phrase(words: list[str]) -> str:
    return _SEP.join(map(re.escape, words))


def token_patterns(token: str, kept: frozenset[str] | set[str] = frozenset()) -> tuple[set[str], set[str]]:
    """(phrase patterns, lone-word patterns) that `token` cuts, on folded text."""
    phrases: set[str] = set()
    lone: set[str] = set()
    if "@" in token:  # an address is cut whole (its local part comes as a token of its own)
        words = _words(token)
        if len(words) >= 2:
            phrases.add(_phrase(words))
        return phrases, lone
    words = [w for w in _words(token) if not (w.isdigit() and not _LONG_ID.fullmatch(w))]
    if not words:
        return phrases, lone
    name = [w for w in words if w not in HONORIFICS]
    core = [w for w in name if w not in PARTICLES and w not in INSTITUTION and w not in GENERIC_NAMES
            and len(w) >= 2]
    if not core or set(core) <= kept:
        return phrases, lone
    if len(core) >= 2:
        for seq in (words, name, core, core[::-1], core[-1:] + core[:-1]):
            if len(seq) >= 2 and sum(map(len, seq)) >= 4:
                phrases.add(_phrase(seq))
        for i in range(len(core) - 1):  # « Dupont-Martin » of « Camille Dupont-Martin »
            phrases.add(_phrase(core[i:i + 2]))
        for w in core:
            if (len(w) >= 3 or _LONG_ID.fullmatch(w)) and w not in kept and w not in GENERIC_NAMES:
                lone.add(re.escape(w))
        return phrases, lone
    (w,) = core
    if w in kept or w in GENERIC_NAMES:
        return phrases, lone
    if _LONG_ID.fullmatch(w) or (len(w) >= 4 and not w.isdigit() and not common_word(w)):
        lone.add(re.escape(w))
        if len(words) > 1:
            phrases.add(_phrase(words))  # « Dr Dupont » goes whole
    return phrases, lone


class Redactor:
    """Cuts a feed's identity tokens (see parse/identities.py) out of text, by the precision
    rule above: « Camille Testard » also removes « camille.testard », « TESTARD Camille »,
    « Testard » alone and « C\u200bamille T\u0435stard »."""

    def __init__(self, tokens: Iterable[str], keep: Collection[str] = ()) -> None:
        # The blog's public names, word by word and run together (« docteursonde »).
        kept = {w for k in keep for w in _words(k)} | {"".join(_words(k)) for k in keep} | set(GENERIC_NAMES)
        phrases: set[str] = set()
        lone: set[str] = set()
        for token in tokens:
            p, w = token_patterns(token, kept)
            phrases |= p
            lone |= w
        alternatives = [rf"{_BEFORE}(?:{p})" for p in sorted(phrases, key=len, reverse=True)]
        if lone:
            # A lone word, never inside a compound (« Sainte-Marie ») or a longer word.
            words = "|".join(sorted(lone, key=len, reverse=True))
            alternatives.append(rf"{_BEFORE}(?<![a-z0-9]-)(?:{words})(?!-[a-z0-9])")
        self.pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])") \
            if alternatives else None
        # Speed only: every match holds one of these words as it is (each lone word, and the
        # longest word of each phrase: its words are [a-z0-9]+, which re.escape leaves alone,
        # joined by _SEP). A folded text holding none of them cannot match, and `in` is much
        # cheaper than the pattern; with many words the pattern alone is cheaper.
        keys = set(lone) | {max(p.split(_SEP), key=len) for p in phrases}
        self._keys = tuple(sorted(keys)) if len(keys) <= _MAX_KEYS else None

    def _search(self, folded: str) -> re.Match | None:
        assert self.pattern is not None
        if self._keys is not None and not any(k in folded for k in self._keys):
            return None
        return self.pattern.search(folded)

    def __bool__(self) -> bool:
        return self.pattern is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the tokens are in `text` (indexes into `text`)."""
        if self.pattern is None or not text:
            return []
        if not self._search(fold_name(text)):
            return []
        folded, index = fold_map(text)
        return [(index[m.start()], index[m.end() - 1] + 1) for m in self.pattern.finditer(folded)
                if m.end() > m.start()]

    def found(self, text: str) -> bool:
        return self.pattern is not None and bool(text) and self._search(fold_name(text)) is not None

    def __call__(self, text: str) -> str:
        """`text` without the tokens; the very same object when there was nothing to cut."""
        spans = self.spans(text)
        if not spans:
            return text
        out, last = [], 0
        for start, end in spans:
            if start < last:
                continue
            out.append(text[last:start])
            out.append(" ")
            last = end
        out.append(text[last:])
        return squash("".join(out))
