"""Clean stage: parsed entries in, what may be stored out. Pure functions, no I/O.

Feed HTML is never stored or shown: an entry keeps a plain-text title and a
plain-text excerpt (rendered autoescaped), and a link to the original post.
Text is extracted from sanitized markup (`sanitize`: the nh3 policy, also the
one for any markup that would have to survive), then scrubbed of e-mail
addresses, bare URLs and hashes (`scrub`), cleared of the identities the feed
declares (`redact`), and cut to an excerpt (`excerpt`). Links that show a
person are refused (`links`); `classify` files the entry under specialties;
`entry` runs one entry through all of it. After redaction an independent detector (`detect`)
looks again at what will be published; a hit withholds the entry's text (`withhold`).

`entry` is loaded on first use only: the store and the update path import `detect` and
`withhold` (light), and a run where every feed answered 304 never loads the parse and clean
stages (phonenumbers, the stemmer…).
"""

from __future__ import annotations

from typing import Any

__all__ = ["clean_entries", "clean_entry", "dedup"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import entry

        return getattr(entry, name)
    raise AttributeError(name)
