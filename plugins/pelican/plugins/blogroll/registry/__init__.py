"""Registry stage: feeds.yaml, specialties.yaml and takedowns.yaml read and validated.

Every problem is reported at once as (file, line, reason). Nothing here
touches the network: a hostile pull request is refused before any fetch.
"""

from __future__ import annotations

from .load import IDENTITY_KEYS, load, load_registry, load_takedowns, load_vocabulary, normalize_url, url_problems

__all__ = ["IDENTITY_KEYS", "load", "load_registry", "load_takedowns", "load_vocabulary", "normalize_url",
           "url_problems"]
