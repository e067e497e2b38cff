"""Clean stage: parsed entries in, what may be stored out. Pure functions, no I/O.

Feed HTML is never stored or shown: an entry keeps a plain-text title and a
plain-text excerpt (rendered autoescaped), and a link to the original post.
Text is extracted from sanitized markup (`sanitize`: the nh3 policy, also the
one for any markup that would have to survive), then scrubbed of e-mail
addresses, bare URLs and hashes (`scrub`), cleared of the identities the feed
declares (`redact`), and cut to an excerpt (`excerpt`). Links that show a
person are refused (`links`); `classify` files the entry under specialties;
`entry` runs one entry through all of it.
"""

from __future__ import annotations

from .entry import clean_entries, clean_entry, dedup

__all__ = ["clean_entries", "clean_entry", "dedup"]
