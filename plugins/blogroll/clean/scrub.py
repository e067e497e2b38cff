"""Scrub identifying text: e-mail addresses, bare URLs, profile paths, hex hashes."""

from __future__ import annotations

import re

from ..core.emails import EMAIL, EMAIL_HINT, EMAIL_WORDS, EMAIL_WORDS_HINT
from ..core.text import squash

_BARE_URL = re.compile(r"(?<![\w/])(?:(?:https?:)?//|www\.)\S+", re.I)
# What is left of a profile link once the scheme is gone: « blog.example/author/nom ».
_IDENTITY_PATH = re.compile(r"(?<!\S)\S*/(?:author|profile)/\S*", re.I)
# 32+ hex digits: an MD5/SHA-256 Gravatar hash is an e-mail address one guess away.
_HEX_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])", re.I)


# Speed only (scrub_text ran ~0.5 ms per KB of text, half of the cold build's clean stage):
# each hint is a part that every match of its pattern must contain (see core/emails.py).
_BARE_URL_HINT = re.compile(r"//|www\.", re.I)
_IDENTITY_PATH_HINT = re.compile(r"/(?:author|profile)/", re.I)


def _may_hold_hex_hash(text: str) -> bool:
    # 32 hex digits in a row sit inside one whitespace-free token of 32+ characters.
    return len(text) >= 32 and max(map(len, text.split()), default=0) >= 32


def scrub_text(text: str) -> str:
    """Drop e-mail addresses (also obfuscated: « nom [at] domaine [dot] fr »), bare URLs,
    profile paths and hex hashes from text."""
    if EMAIL_HINT.search(text):
        text = EMAIL.sub(" ", text)
    if EMAIL_WORDS_HINT.search(text):
        text = EMAIL_WORDS.sub(" ", text)
    if _BARE_URL_HINT.search(text):
        text = _BARE_URL.sub(" ", text)
    if _IDENTITY_PATH_HINT.search(text):
        text = _IDENTITY_PATH.sub(" ", text)
    if _may_hold_hex_hash(text):
        text = _HEX_HASH.sub(" ", text)
    return squash(text)
