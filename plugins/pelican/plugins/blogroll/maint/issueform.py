"""Read the body of a « Proposer un blog » issue (.github/ISSUE_TEMPLATE/proposer-un-blog.yml).

GitHub renders an issue form as Markdown: one `### Label` heading per field,
then the answer (`_No response_` when left empty); checkboxes become
`- [X] Label` lines. Each of our labels ends with the feeds.yaml field in
parentheses, « Adresse du blog (site) », and each specialty option with its
slug, « Pédiatrie (pediatrie) », which is what is read here. The body is
untrusted text: only these values come out, and `add` validates them all.
"""

from __future__ import annotations

import re

FIELDS = ("site", "feed", "title", "author", "specialties", "lang", "only_tags", "noindex", "id")
_HEADING = re.compile(r"^###\s+(?P<label>.+?)\s*$", re.M)
_KEY = re.compile(r"\((?P<key>[a-z_]+)\)\s*$")
_CHECKED = re.compile(r"^\s*[-*]\s+\[[xX]\]\s+.*\((?P<slug>[a-z0-9-]+)\)\s*$", re.M)
_EMPTY = {"", "_no response_", "none"}


def parse_issue(body: str) -> dict:
    """{field: value} for the fields answered; specialties and only_tags as lists, noindex as bool."""
    body = body.replace("\r\n", "\n")[:20000]
    out: dict = {}
    seen: set[str] = set()
    heads = list(_HEADING.finditer(body))
    for i, h in enumerate(heads):
        key_match = _KEY.search(h.group("label"))
        if not key_match or key_match.group("key") not in FIELDS:
            continue
        key = key_match.group("key")
        if key in seen:
            continue  # the form's own field comes first; a look-alike heading in free text never overrides it
        seen.add(key)
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        text = body[h.end():end].strip()
        if key == "specialties":
            slugs = [m.group("slug") for m in _CHECKED.finditer(text)]
            if slugs:
                out[key] = slugs
            continue
        value = " ".join(text.split())
        if value.casefold() in _EMPTY:
            continue
        if key == "only_tags":
            out[key] = [t.strip() for t in value.split(",") if t.strip()]
        elif key == "noindex":
            out[key] = value.casefold() == "oui"
        else:
            out[key] = value
    return out
