"""Withhold when unsure: an entry in which the detector (detect.py) still finds a declared
name after redaction is published without its text. Pure.

The entry keeps its date, its blog and its specialties; its title becomes NEUTRAL_TITLE, it
has no excerpt and no tags, and it links to the blog's home page. Its `withheld` field says why
(a key of WHY), so that the store counts it and /etat/ tells the maintainer in our own words,
never the text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ..core.identity import Variants
from ..core.model import CleanEntry, FeedConfig
from ..core.weburl import clean_url
from .detect import Check, first_hit
from .links import link_text
from .xmlchars import xml_safe

if TYPE_CHECKING:
    from .redact import Redactor

NEUTRAL_TITLE = "Billet sans titre publiable"

# Why an entry was withheld -> what /etat/ says, in our own words.
DECLARED, CHANNEL, OTHER_FEED, HISTORY = "declared", "channel", "other-feed", "history"
WHY = {
    DECLARED: "un nom que le flux déclare",
    CHANNEL: "un nom que la présentation du flux porte (titre, description, image…)",
    OTHER_FEED: "un nom qu'un autre blog de la liste déclare",
    HISTORY: "un nom que le flux a déclaré auparavant",
}

_WITHHELD_WORDS = "billet(s) retenu(s)"
_WITHHELD_NOTE = re.compile(rf"^\d+ {re.escape(_WITHHELD_WORDS)} ")


def home_page(feed: FeedConfig) -> str:
    """The blog's home page: the link of an entry whose own link may not be followed."""
    return xml_safe(clean_url(feed.site) or feed.site)


def withhold(entry: CleanEntry, home: str, why: str) -> CleanEntry:
    """`entry` without anything of its own: neutral title, no excerpt, no tags, the blog's home
    page as link, no filing words (they may be tags), no links between blogs (« Ce blog cite »
    would show a placeholder)."""
    return dataclasses.replace(entry, title=NEUTRAL_TITLE, excerpt="", tags=(), link=home, own_link=False,
                               filed_by=(), cites=(), withheld=why)


def checked(entry: CleanEntry, site: str, home: str, checks: Iterable[tuple[Check, str]],
            cutter: Callable[[], Redactor | None] | None = None) -> CleanEntry:
    """`entry` as it may be published: withheld when a check finds a name in it (an entry
    already withheld stays as it is). With a `cutter` (the names of the other feeds of the run,
    or the ones a feed just declared, in the clear: `cutter_of`), a name found is first cut
    from the entry's title, excerpt and tags, its link being the blog's home page when the link
    holds one; the entry is withheld only when the checks still find a name after the cut."""
    if entry.withheld:
        return entry
    checks = list(checks)
    why = first_hit(entry, site, checks)
    if why and cutter is not None and (redact := cutter()) is not None:
        entry = cut(entry, redact, home)
        why = first_hit(entry, site, checks)
    return withhold(entry, home, why) if why else entry


def cutter_of(declared: Variants) -> Redactor | None:
    """A redactor of already expanded variants (`checked`), None when there are none."""
    # Imported when used: the store and the update read this module's notes and home pages in
    # every hour, the redactor (nameparser, the excerpt's scrubbing) is the clean stage's.
    from .redact import Redactor

    redact = Redactor((), declared=declared)
    return redact if redact else None


def cut(entry: CleanEntry, redact: Redactor, home: str) -> CleanEntry:
    """`entry` with what `redact` finds cut from its title, excerpt and tags."""
    from .excerpt import excerpt

    excerpt_text = redact(entry.excerpt)
    title = redact(entry.title).strip(" ,;:") or excerpt(excerpt_text, 8) or "(sans titre)"
    tags = tuple(t for t in (redact(tag).strip() for tag in entry.tags) if t)
    named = entry.own_link and redact.found(link_text(entry.link))
    return dataclasses.replace(entry, title=title, excerpt=excerpt_text, tags=tags,
                               link=home if named else entry.link, own_link=entry.own_link and not named,
                               link_named=entry.link_named or bool(named))


def is_withheld_note(line: str) -> bool:
    """Whether `line` is one withheld_note wrote (a feed's note holds it beside its own words)."""
    return _WITHHELD_NOTE.match(line) is not None


def withheld_note(counts: Mapping[str, int]) -> str | None:
    """/etat/'s line for a blog's withheld entries (counts by reason), or None."""
    total = sum(counts.values())
    if not total:
        return None
    reasons = " ; ".join(WHY.get(why, WHY[DECLARED]) for why in WHY if counts.get(why)) \
        or WHY[DECLARED]
    return (f"{total} {_WITHHELD_WORDS} : leur titre, leur résumé ou leur adresse contient {reasons}"
            " ; ils paraissent sans texte, avec un lien vers l'accueil du blog (voir docs/anonymity.md)")
