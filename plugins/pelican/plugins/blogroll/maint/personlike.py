"""Does a string a maintainer tool would propose (a title, an id, a pseudonym) look like a
person's name? The tools then propose nothing from it: the pseudonym slot stays empty and the
maintainer is asked, in French, without the string being echoed.

A string looks like a person when it holds an e-mail address, or a pair of capitalised words
(« Prénom Nom », « NOM Prénom », titles such as « Dr » skipped) that opens with a first name
(the identity model's first-name list, core/personal.py, when it is there) or holds a word
that is not an ordinary French word (the word list of `pyspellchecker`, core/names.py). Conservative on purpose: asking the
maintainer about « Carnet Hibou » costs a keystroke, proposing a real name costs a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..core.names import common_word, fold_name, name_words

# Titles and roles written before a name: not a name themselves.
TITLES = frozenset({"dr", "dre", "docteur", "docteure", "doc", "pr", "prof", "professeur", "professeure", "mme",
                    "madame", "m", "mr", "monsieur", "mlle", "me", "maitre", "sage-femme", "ide", "infirmier",
                    "infirmiere", "kine", "psy", "interne"})
# Words of blog titles the French word list lacks: ordinary here.
BLOG_WORDS = frozenset({"blog", "blogue", "podcast", "web", "doc", "docs", "net", "medical", "medicale", "medicaux",
                        "infos", "chroniques", "carnets", "news"})
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")


def _first_name_rule() -> Callable[[str], bool] | None:
    try:
        from ..core.personal import is_first_name  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return is_first_name  # type: ignore[no-any-return,unused-ignore]


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _ordinary(word: str) -> bool:
    parts = [p for p in re.split(r"['’-]", word.rstrip(".")) if p]
    return bool(parts) and all(common_word(p) or fold_name(p) in BLOG_WORDS for p in parts)


def looks_like_person(text: str | None) -> bool:
    """« Le blog de Philomène Trécastel », « TRÉCASTEL Philomène », « p.trecastel@… »: yes;
    « Carnet de nuit », « Docteur Hibou », « Les carnets du Hibou »: no."""
    if not text:
        return False
    if _EMAIL.search(text):
        return True
    words = [w for w in _WORD.findall(text) if fold_name(w.rstrip(".")) not in TITLES]
    first_name = _first_name_rule()
    for a, b in zip(words, words[1:], strict=False):
        # An initial (« J. ») may open a name; a lone letter (« Pseudo X ») is no name part.
        if not (_capitalised(a) and _capitalised(b)) or len(b.rstrip(".")) < 2 or (len(a) == 1):
            continue
        # « Prénom Nom », or « NOM Prénom » (the surname in capitals first)
        named = first_name is not None and (first_name(a) or (a.isupper() and first_name(b)))
        if named or not (_ordinary(a) and _ordinary(b)):
            return True
    return False


def host_words_look_like_person(host: str | None) -> bool:
    """A host's first label read as words (« philomene-trecastel.example »)."""
    if not host:
        return False
    label = host.split(".")[0]
    parts = [p for p in re.split(r"[-_]", label) if p]
    return len(parts) >= 2 and looks_like_person(" ".join(p.capitalize() for p in parts))


def declared_words(identities: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(whole words, glued forms) of the identities a feed declares (parse/identities.py):
    every name part of 2 letters or more but the titles, digits stripped (« portevin75 »), an
    e-mail's local part split at its dots, a leading title dropped from a login
    (« drpouliquen »), the first initial glued to the surname (« avo »); the glued forms are
    each name's parts joined in both orders (« aureleboulanger »)."""
    words: set[str] = set()
    glued: set[str] = set()
    for ident in identities:
        text = ident.split("@", 1)[0] if "@" in ident and "://" not in ident else ident
        parts = [_bare(w) for w in name_words(text)]
        parts = [p for p in parts if len(p) >= 2 and p not in TITLES and p not in _URL_WORDS]
        words.update(parts)
        if len(parts) >= 2:
            words.add(parts[0][0] + parts[-1])
            glued.update({"".join(parts), "".join(reversed(parts))})
    return frozenset(words), frozenset(g for g in glued if len(g) >= 5)


# Words of addresses and service mailboxes, not of names.
_URL_WORDS = frozenset({"http", "https", "www", "com", "org", "net", "fr", "example", "html", "php", "index", "feed",
                        "rss", "atom", "xml", "author", "auteur", "profile", "profil", "users", "user", "blog",
                        "contact", "redaction", "admin", "info", "infos", "webmaster", "noreply", "equipe"})
_TITLE_PREFIX = re.compile(r"^(?:docteure?|dre?|pr|prof|mme)(?=[a-z]{2})")


def _bare(word: str) -> str:
    """A folded word without its digits nor a title glued before it (« drboulanger75 »)."""
    return _TITLE_PREFIX.sub("", re.sub(r"\d+", "", word))


def holds_declared(text: str | None, identities: Iterable[str]) -> bool:
    """Does `text` hold a name part the feed declares, as a word, glued to a title, digits or
    the other parts (« @DrBoulanger », « boulanger75 », « AureleBoulanger »)? Read with the
    identity folding (core/names.py): case, accents, invisibles, look-alikes."""
    if not text:
        return False
    words, glued = declared_words(identities)
    folded = name_words(text)
    if any(w in words or re.sub(r"\d+", "", w) in words or _bare(w) in words for w in folded):
        return True
    squeezed = "".join(folded)
    return any(g in squeezed for g in glued) or any(len(w) >= 5 and w in squeezed for w in words)


def person_identities(identities: Iterable[str]) -> tuple[str, ...]:
    """The declared identities that look like a person: a « Prénom Nom », an e-mail whose local
    part is made of two words or more (« prenom.nom@ »), a handle of two words (« prenom-nom »).
    A blogger's declared pseudonym (« Docteur Hibou », « jaddo@… ») is theirs to be listed under."""
    out = []
    for ident in identities:
        if "@" in ident and "://" not in ident:
            parts = [p for p in re.split(r"[._+\-\d]+", ident.split("@", 1)[0]) if len(p) >= 2]
            if len(parts) >= 2:
                out.append(ident)
        elif looks_like_person(ident) or host_words_look_like_person(ident):
            out.append(ident)
    return tuple(out)
