"""What servers send, reduced to what the site could publish: the store (.state/) and /etat/
hold only these forms (docs/anonymity.md, « L'état des flux »).

- `public_reason`: an error text in our own French words; any server-supplied value left in it
  (an address, a host, a header value, a quoted string, a parser's message) is cut. A part in
  parentheses is kept only when it is one of our own phrases (an allow-list, `_OUR_PARENS`).
- `safe_etag`, `safe_last_modified`: conditional-GET validators kept only in shapes that cannot
  hold a name (opaque hex/digit tokens; an HTTP date, rewritten by us); otherwise dropped (the
  feed is then fetched in full, and the body hash still spares the parse).
"""

from __future__ import annotations

import re
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime

from . import emails

MOVED = "redirection permanente (adresse dans le journal)"

_URLISH = re.compile(r"(?:https?:)?//\S+|\bwww\.\S+|\b[\w\-\u00c0-\u024f]+(?:\.[\w\-\u00c0-\u024f]+)+\b", re.I)
_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|'[^']{2,}'|“[^”]*”")
# Parenthesized parts we write, and only those: an ALLOW-LIST of our own phrases, never a test
# of the words (a server's header made of two ordinary words, « (Marie Dupont) », is cut).
_EXCEPTION = r"[A-Z][A-Za-z]*(?:Error|Exception|Timeout|Exceeded|Closed|Invalid)[A-Za-z]*"
_OUR_PARENS = re.compile("|".join((
    r"HTTP \d{3}",
    r"\d+(?:[.,]\d+)? ?(?:s|Mio|Kio|octets|min|h)",
    r"plus de \d+(?: (?:Mio|Kio|octets))?",
    r"DNS", r"page HTML", r"entités XML", r"http et https seulement", r"seuls http et https sont permis",
    r"délai de lecture dépassé", r"connexion interrompue ou mal formée", r"mémoire épuisée ou plantage",
    r"les commentaires des lecteurs nomment souvent l'auteur", r"adresse dans le journal",
    r"la page répète le flux", r"la page ne donne que des billets déjà archivés", r"elle n'est pas conservée",
    rf"(?:erreur interne|erreur de l'analyseur) : {_EXCEPTION}",
    _EXCEPTION,
)))
_PAREN = re.compile(r"\s*\(([^()]*)\)")


def public_reason(text: str | None) -> str | None:
    if not text:
        return text
    out = _PAREN.sub(lambda m: m.group(0) if _safe_paren(m.group(1).strip()) else "", text)
    out = emails.EMAIL.sub("…", out)
    out = _URLISH.sub(lambda m: m.group(0) if _our_number(m.group(0)) else "…", out)
    out = _QUOTED.sub("…", out)
    out = re.sub(r"\s+", " ", out).strip(" :;,")
    return out[:300] or "erreur"


def _safe_paren(inner: str) -> bool:
    """One of our own parenthesized phrases (`_OUR_PARENS`), nothing else."""
    return _OUR_PARENS.fullmatch(inner) is not None


def _our_number(token: str) -> bool:
    """« 2.5 » or « 1.0 » (a number we wrote), not a host."""
    return bool(re.fullmatch(r"\d+(?:\.\d+)*", token))


_OPAQUE = re.compile(r'^(?:W/)?"?[0-9A-Za-z+/=_.:\-]{1,128}"?$')
_LETTERS = re.compile(r"[A-Za-z]{5,}")
_HEXISH = re.compile(r"^[0-9a-fA-F]+$")
_ENCODING_SUFFIX = re.compile(r"-(?:gzip|br|deflate|zstd)$", re.I)


def safe_etag(etag: str | None) -> str | None:
    """The ETag when it is an opaque token (« "5f3e-1a2b3c" », « W/"abc123" »): no run of five
    letters or more that is not hexadecimal (a name, a login), else None."""
    if not etag or not _OPAQUE.match(etag.strip()):
        return None
    core = _ENCODING_SUFFIX.sub("", etag.strip().removeprefix("W/").strip('"'))
    if any(not _HEXISH.match(run) for run in _LETTERS.findall(core)):
        return None
    return etag.strip()


def safe_last_modified(value: str | None) -> str | None:
    """An HTTP date rewritten by us (RFC 9110 IMF-fixdate), or None when it is not one."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return format_datetime(moment.astimezone(UTC), usegmt=True)
