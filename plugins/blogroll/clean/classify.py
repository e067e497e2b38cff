"""Which specialties an entry is filed under, and whether `only_tags` admits it."""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.model import FeedConfig, Vocabulary
from ..core.text import fold

_TAG_SPLIT = re.compile(r"\s*[/,;|]\s*")


def split_tags(tags: tuple[str, ...]) -> set[str]:
    out = set()
    for tag in tags:
        folded = fold(tag).strip()
        if folded:
            out.add(folded)
            out.update(p for p in _TAG_SPLIT.split(folded) if p)
    return out


def specialties_for(feed: FeedConfig, tags: tuple[str, ...], vocabulary: Vocabulary) -> tuple[str, ...]:
    """The feed's specialties ∪ those whose label, slug or synonyms match the entry's tags."""
    found = list(feed.specialties)
    folded = split_tags(tags)
    for slug, spec in vocabulary.specialties.items():
        if slug in found:
            continue
        if folded & _names(slug, spec):
            found.append(slug)
    return tuple(found)


@lru_cache(maxsize=4096)
def _names(slug: str, spec) -> frozenset[str]:
    """A specialty's slug, label and synonyms, folded: computed once, not once per entry."""
    return frozenset({slug, fold(spec.label)} | {fold(s) for s in spec.synonyms})


def admitted(feed: FeedConfig, tags: tuple[str, ...]) -> bool:
    """A feed with `only_tags` admits only entries carrying one of them."""
    return not feed.only_tags or bool(split_tags(tags) & set(feed.only_tags))
