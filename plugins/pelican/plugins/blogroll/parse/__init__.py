"""Parse stage: feed bytes -> ParsedFeed (`feed`), identity fields never copied; the
identities a feed declares are collected for the clean stage to redact (`identities`)."""

from __future__ import annotations

from .feed import advertised_feeds, parse_feed, safe_document

__all__ = ["advertised_feeds", "parse_feed", "safe_document"]
