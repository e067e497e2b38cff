"""Which specialties an entry is filed under, and whether `only_tags` admits it."""

from __future__ import annotations

import re

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
    """The feed's specialties, then those whose label, slug or a synonym is one of the
    entry's tags (in vocabulary order)."""
    found = list(feed.specialties)
    named = {slug for tag in split_tags(tags) if (slug := vocabulary.slug_named(tag)) is not None}
    found += [slug for slug in vocabulary.specialties if slug in named and slug not in found]
    return tuple(found)


def admitted(feed: FeedConfig, tags: tuple[str, ...]) -> bool:
    """A feed with `only_tags` admits only entries carrying one of them."""
    return not feed.only_tags or bool(split_tags(tags) & set(feed.only_tags))
