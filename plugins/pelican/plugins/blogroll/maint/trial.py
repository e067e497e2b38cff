"""`python -m pelican.plugins.blogroll try`: fetch one feed now and tell what the site would show.

Runs the real stages (hardened fetch, parse, clean) without touching the
store, and collects every warning an author can act on: missing dates,
relative links, identity fields that will be dropped, redirects, size.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import feedparser
import yaml

from ..clean.entry import clean_entries
from ..core.errors import ParseError
from ..core.model import CleanEntry, FeedConfig, FetchResult, Outcome, ParsedFeed, Registry
from ..core.settings import Settings
from ..core.text import fold
from ..fetch import fetch_url
from ..parse import parse_feed, safe_document
from ..registry import url_problems
from ..site.model.frdates import long_date

_RELATIVE_ATTR = re.compile(r"""\b(?:href|src)\s*=\s*["']?(?!https?:|mailto:|tel:|data:|#|//)([^"'\s>]+)""", re.I)
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# Compared fields when deciding what a pull request changed.
_FIELDS = ("title", "author", "site", "feed", "specialties", "lang", "active", "only_tags", "noindex",
           "classify")
# Filed posts `try` lists with their words (the others are counted).
FILED_SHOWN = 12


@dataclass
class Newest:
    title: str
    link: str
    date: datetime | None
    excerpt: str


@dataclass
class Trial:
    feed: FeedConfig
    ok: bool = False
    error: str | None = None
    status: int | None = None
    size: int = 0
    content_type: str | None = None
    final_url: str | None = None
    permanent_url: str | None = None
    entries: int = 0
    kept: int = 0
    oldest: datetime | None = None
    newest_date: datetime | None = None
    undated: int = 0
    specialties: Counter = field(default_factory=Counter)
    newest: Newest | None = None
    warnings: list[str] = field(default_factory=list)
    parser: str = ""
    # Posts filed beyond the blog's specialties: (title, ((slug, words), ...)), newest first.
    filed: list[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = field(default_factory=list)


def try_feed(feed: FeedConfig, reg: Registry, settings: Settings) -> Trial:
    t = Trial(feed)
    t.warnings += url_problems(feed.feed, allow_private=settings.allow_private, what="feed")[1]
    result = fetch_url(feed.feed, settings, feed.id)
    _note_fetch(t, result)
    if result.outcome is not Outcome.OK or result.body is None:
        t.error = result.error or f"réponse HTTP {result.status}"
        return t
    body = result.body
    _note_size(t, len(body), settings.max_bytes)
    try:
        parsed = parse_feed(body, base_url=result.final_url or feed.feed, content_type=result.content_type,
                            max_entries=settings.max_entries_per_feed)
    except ParseError as exc:
        # Not exc.detail: it quotes the document, and this report goes to a pull request's public log.
        t.error = str(exc)
        return t
    _note_parsed(t, parsed)
    if not parsed.entries:
        t.error = "le flux ne contient aucun billet"
        return t
    t.warnings += _relative_links(body, result.content_type)
    _note_cleaned(t, clean_entries(parsed.entries, feed, reg.vocabulary, excerpt_words=settings.excerpt_words))
    t.ok = True
    return t


def _note_fetch(t: Trial, result: FetchResult) -> None:
    """The response's status and addresses, and a warning for each redirection."""
    t.status, t.final_url, t.permanent_url = result.status, result.final_url, result.permanent_url
    t.content_type = result.content_type
    if result.permanent_url:
        t.warnings.append(f"redirection permanente vers {host_of(result.permanent_url)} : remplacez l'adresse "
                          "« feed » dans feeds.yaml (le chemin n'est pas affiché : il peut contenir un nom ; "
                          "ouvrez l'adresse du flux pour le lire)")
    elif result.final_url and result.final_url != t.feed.feed:
        t.warnings.append(f"redirection temporaire vers {host_of(result.final_url)}")


def _note_size(t: Trial, size: int, max_bytes: int) -> None:
    """The body's size, with a warning past half the limit."""
    t.size = size
    if t.size > max_bytes // 2:
        t.warnings.append(f"flux volumineux : {_size(t.size)} (limite {_size(max_bytes)}) ; "
                          "réduisez le nombre de billets ou publiez des extraits")


def _note_parsed(t: Trial, parsed: ParsedFeed) -> None:
    """The parse stage's warnings (told what becomes of identity fields), entries and parser."""
    for w in parsed.warnings:
        if w.startswith("champs d'identité ignorés"):
            w += " (jamais stockés ni publiés : seul le pseudonyme de feeds.yaml apparaît)"
        t.warnings.append(w)
    t.entries = len(parsed.entries)
    t.parser = parsed.parser


def _note_cleaned(t: Trial, cleaned: list[CleanEntry]) -> None:
    """What the site would show of the cleaned entries: how many, their dates, links,
    specialties, the posts filed by their words and the newest one."""
    t.kept = len(cleaned)
    if t.feed.only_tags and t.kept < t.entries:
        t.warnings.append(f"only_tags : {t.kept} billet(s) sur {t.entries} retenus")
    dated = [e.published for e in cleaned if e.published]
    t.undated = t.kept - len(dated)
    if t.undated:
        t.warnings.append(f"{t.undated} billet(s) sans date : ils seront datés du jour où Docs du Net "
                          "les découvre")
    no_link = sum(1 for e in cleaned if not e.own_link)
    if no_link:
        t.warnings.append(f"{no_link} billet(s) sans lien : ils pointeront vers la page d'accueil du blog")
    if dated:
        t.oldest, t.newest_date = min(dated), max(dated)
    for e in cleaned:
        t.specialties.update(e.specialties)
    t.filed = [(e.title, e.filed_by) for e in cleaned if e.filed_by]
    if cleaned:
        newest = max(cleaned, key=lambda e: (e.published is not None, e.published or datetime.min))
        t.newest = Newest(newest.title, newest.link, newest.published, newest.excerpt)


def _relative_links(body: bytes, content_type: str | None) -> list[str]:
    """Links the feed gives relative to nothing (readers must guess the base).

    Reads the document parse_feed already accepted, through the same guards
    (DTD, prolog), so this second look cannot be slower or less safe than it."""
    try:
        document, _ = safe_document(body, content_type=content_type)
        raw = feedparser.parse(io.BytesIO(document), resolve_relative_uris=False, sanitize_html=False)
    except Exception:
        return []
    links = sum(1 for e in raw.entries if e.get("link") and not _ABSOLUTE.match(e["link"]))
    in_content = 0
    for e in raw.entries:
        values = [c.get("value", "") for c in e.get("content") or ()] + [e.get("summary", "")]
        if any(_RELATIVE_ATTR.search(v or "") for v in values):
            in_content += 1
    out = []
    if links:
        out.append(f"{links} billet(s) avec un lien relatif : Docs du Net le complète avec l'adresse du flux, "
                   "d'autres lecteurs n'y arriveront pas")
    if in_content:
        out.append(f"{in_content} billet(s) dont le texte contient des liens ou images relatifs")
    return out


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} Mio".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:.0f} Kio"
    return f"{n} octets"


_URL = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*:)?(?<![\w/])//[^\s«»\"'<>()]+|\bmailto:[^\s«»\"'<>()]+")
_PATH = re.compile(r"(?<![\w/.:])/[^\s«»\"'<>()]+")


def host_of(url: str, known: frozenset[str] | None = None) -> str:
    """« https://host.example/ » only: no path, query, user or port of a server's address; and,
    given the `known` hosts (the registry's own, public already), only one of those: another
    host (« prenom-nom.example ») may be a name too."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        host = ""
    if not host or not parts.scheme:
        return "(adresse masquée)"
    if known is not None and host not in known:
        return "(adresse d'un autre site, masquée)"
    return f"{parts.scheme}://{host}/"


def hosts_only(text: str, known: frozenset[str] | None = None) -> str:
    """Every address of `text` cut to its host (masked when not `known`), every bare path
    masked: what `try` prints goes to a pull request's public CI log, where a path
    (« /par/prenom-nom/ ») would publish a name."""
    def one(m: re.Match[str]) -> str:
        url = m.group()
        if url.lower().startswith("mailto:"):
            return "(adresse masquée)"
        return host_of(url if ":" in url.split("//")[0] else "http:" + url, known)

    return _PATH.sub("/…", _URL.sub(one, text))


_MEDIA_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+")


def media_type(content_type: str | None) -> str | None:
    """« application/rss+xml » of a Content-Type header: its parameters are the server's words."""
    m = _MEDIA_TYPE.match((content_type or "").strip())
    return m.group().lower() if m else None


def report(t: Trial, reg: Registry) -> str:
    known = frozenset(h for h in (_hostname(t.feed.feed), _hostname(t.feed.site)) if h)
    return "\n".join(hosts_only(line, known) for line in _report_lines(t, reg))


def _hostname(url: str | None) -> str:
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


def _report_lines(t: Trial, reg: Registry) -> list[str]:
    f = t.feed
    lines = [f"{f.id} — {f.title} (par {f.author})", f"  flux : {f.feed}"]
    http = [f"HTTP {t.status}" if t.status else None, _size(t.size) if t.size else None, media_type(t.content_type)]
    if any(http):
        lines.append("  réponse : " + " · ".join(x for x in http if x))
    if t.error:
        lines.append(f"  ÉCHEC : {t.error}")
    else:
        kept = f" ({t.kept} retenus)" if t.kept != t.entries else ""
        lines.append(f"  billets : {t.entries}{kept}")
        if t.parser:
            lines.append(f"  analyseur : {t.parser}")
        if t.oldest and t.newest_date:
            lines.append(f"  dates : du {long_date(t.oldest)} au {long_date(t.newest_date)}")
        else:
            lines.append("  dates : aucune")
        spec = ", ".join(f"{reg.vocabulary.label(s)} ({n})" for s, n in t.specialties.most_common())
        lines.append(f"  spécialités : {spec or 'aucune'}")
        lines += _filed_lines(t, reg)
        if t.newest:
            n = t.newest
            when = long_date(n.date) if n.date else "sans date"
            lines.append(f"  dernier billet : « {n.title} » — {when}")
            lines.append(f"    {n.link}")
            if n.excerpt:
                lines.append(f"    {n.excerpt[:280]}")
    if t.warnings:
        lines.append("  avertissements :")
        lines += [f"    - {w}" for w in t.warnings]
    else:
        lines.append("  avertissements : aucun")
    lines.append("  => " + ("OK : ce flux s'affichera sur le site" if t.ok else "ce flux ne peut pas être affiché"))
    return lines


def _filed_lines(t: Trial, reg: Registry) -> list[str]:
    """Which posts go beyond the blog's specialties, and the words that put them there
    (for the maintainer: the site never shows them)."""
    how = "étiquettes et mots" if t.feed.classify else "étiquettes seulement (classify: false)"
    lines = [f"  rangés ailleurs par leurs {how} : {len(t.filed)} billet(s)"]
    for title, filed in t.filed[:FILED_SHOWN]:
        why = " ; ".join(f"{reg.vocabulary.label(slug)} ({', '.join(words)})" for slug, words in filed)
        lines.append(f"    « {title[:90]} » → {why}")
    if len(t.filed) > FILED_SHOWN:
        lines.append(f"    … et {len(t.filed) - FILED_SHOWN} autre(s)")
    return lines


def changed_ids(base_text: str, reg: Registry) -> list[str]:
    """Ids of active feeds that are new or edited compared with a previous feeds.yaml."""
    try:
        data = yaml.safe_load(base_text) or {}
    except yaml.YAMLError:
        data = {}
    before = {}
    for item in (data.get("feeds") if isinstance(data, dict) else None) or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            before[item["id"]] = item
    out = []
    for f in reg.active:
        old = before.get(f.id)
        if old is None or any(_norm(k, getattr(f, k)) != _norm(k, old.get(k, _default(k))) for k in _FIELDS):
            out.append(f.id)
    return out


def _default(key: str) -> object:
    return {"lang": "fr", "active": True, "only_tags": (), "noindex": False, "classify": True}.get(key)


def _norm(key: str, value: object) -> object:
    if isinstance(value, (list, tuple)):
        # FeedConfig keeps only_tags folded (case and accents dropped).
        return tuple(fold(str(v)).strip() if key == "only_tags" else str(v).strip() for v in value)
    return value.strip() if isinstance(value, str) else value
