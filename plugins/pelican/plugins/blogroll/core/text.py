"""Small pure text helpers shared by several stages.

`html_to_text` calls nh3 with no tag allowed: it extracts text, and is not a markup
policy (that is clean/sanitize.py). Importing nh3 costs about a millisecond.
"""

from __future__ import annotations

import html
import re

import nh3
from unidecode import unidecode

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase ASCII transliteration (Unidecode, Pelican's own): 'Gynécologie' -> 'gynecologie',
    'Cœur' -> 'coeur', 'Æ' -> 'ae', 'ß' -> 'ss'. Stripping combining marks alone dropped œ and æ,
    which do not decompose."""
    return unidecode(text).casefold()


def slugify(text: str) -> str:
    """URL slug: 'Docteur Cœur' -> 'docteur-coeur' (it was 'docteur-c-ur'), 'Œdème' -> 'oedeme'."""
    return _NON_SLUG.sub("-", fold(text)).strip("-") or "x"


def squash(text: str) -> str:
    r"""Collapse runs of whitespace into single spaces, none at either end.

    str.split() splits on exactly the characters regex \s matches (str.isspace, checked by
    tests/core/test_text.py): the same as re.sub(r"\s+", " ", text).strip(), 4x cheaper."""
    return " ".join(text.split())


_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|div|br|li|ul|ol|blockquote|h[1-6]|tr|td|th|section|article|figure|figcaption|pre|hr|dd|dt|table)\b)",
    re.I,
)
_DROP_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "svg", "math",
                      "textarea", "select", "title", "head"}


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, via nh3 (no markup survives).

    Block-level tags become spaces so words of adjacent paragraphs stay apart;
    scripts, styles and other non-text elements are dropped with their content.
    """
    if "<" not in markup and "&" not in markup:
        return squash(markup)
    spaced = _BLOCK_TAG.sub(" <", markup)
    stripped = nh3.clean(spaced, tags=set(), attributes={}, clean_content_tags=_DROP_WITH_CONTENT)
    return squash(html.unescape(stripped))
