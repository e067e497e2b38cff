"""Cut the identities a feed declares (parse/identities.py) out of its text."""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.text import fold, squash

# Names that are roles, not people: never worth redacting from a post's text.
GENERIC_NAMES = frozenset({
    "admin", "administrateur", "administratrice", "administrator", "webmaster", "webmestre", "editor",
    "editeur", "redaction", "redac", "contact", "info", "infos", "noreply", "no-reply", "reply", "unknown",
    "anonymous", "anonyme", "blogger", "wordpress", "auteur", "author", "guest", "invite", "team", "equipe",
    "root", "user", "mail", "email", "courriel", "bonjour", "hello", "postmaster", "help", "support", "aide",
    "blog", "blogueur", "blogueuse", "presse", "press", "moi",
})


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


_COMBINING = "[\u0300-\u036f]*"


@lru_cache(maxsize=1)
def _letter_classes() -> dict[str, str]:
    """For each ASCII letter, a regex class of it and its accented Latin forms: e -> [eEéÉèÈ…]."""
    found: dict[str, set[str]] = {}
    for cp in (*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        c = chr(cp)
        f = fold(c)
        if len(f) == 1 and f.isascii() and f.isalpha():
            found.setdefault(f, set()).update({c, c.upper(), c.lower()})
    return {k: "[" + re.escape("".join(sorted(v))) + "]" + _COMBINING for k, v in found.items()}


def _word_pattern(word: str) -> str:
    classes = _letter_classes()
    return "".join(classes.get(c, re.escape(c)) for c in word)


class Redactor:
    """Cuts a feed's identity tokens (see parse/identities.py) out of text, ignoring case, accents and
    separators: « Camille Testard » also removes « camille.testard » and « CAMILLE-TESTARD ».

    Tokens made only of words of the public pseudonym or the blog title are kept (many
    bloggers sign with their pseudonym), and so are roles like « admin » and tokens shorter
    than 4 letters, which would cut ordinary words.
    """

    def __init__(self, tokens, keep=()):
        kept = {w for k in keep for w in _words(k)} | GENERIC_NAMES
        patterns = set()
        for token in tokens:
            words = _words(token)
            if not words or sum(map(len, words)) < 4 or set(words) <= kept:
                continue
            patterns.add(r"[\W_]{0,3}".join(map(_word_pattern, words)))
        # Accents are matched by the letter classes, so the text is searched as it is.
        self.pattern = re.compile(
            r"(?<![^\W_])(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + r")(?![^\W_])"
        ) if patterns else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def __call__(self, text: str) -> str:
        """`text` without the tokens; the very same object when there was nothing to cut."""
        if self.pattern is None or not text or not self.pattern.search(text):
            return text
        return squash(self.pattern.sub(" ", text))
