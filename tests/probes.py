"""The adversarial probe corpus of tests/fixtures/probes/: loading and feed building.

Every identity in the corpus is invented (no real person): names, e-mails on
example.org / example.net / example.com / .test, phone numbers in the
01 99 00 xx xx range reserved for fiction, made-up RPPS/ADELI digits.

One YAML file per class holds a list of probes. A probe is one small feed (one
blog, one entry or a few) given either verbatim (`feed:`) or from fields that
`build_feed` turns into RSS 2.0, Atom 1.0 or RSS 1.0 (RDF):

    id, class, what, format (rss | atom | rdf)
    channel_title, site                 the feed's own title and home page
    title | title_raw                   entry title, XML-escaped | inserted verbatim
    title_type                          Atom only: text | html | xhtml
    link, guid                          entry link and GUID (defaults derive from the id)
    description, content                entry HTML (CDATA in RSS/RDF, escaped in Atom)
    description_raw                     inserted verbatim in <description>/<summary>
    tags                                categories
    item_xml, channel_xml               raw XML placed in the entry / in the channel head
    author_fields                       raw XML: a string (entry) or {channel: ..., item: ...}
    item_attrs, root_attrs              raw attributes of the entry / root element (xml:base=...)
    namespaces                          {prefix: uri} declared beside the defaults (NAMESPACES)
    entries                             several entries: a list of mappings of the entry fields
    feed                                the whole document verbatim (exotic namespaces, HTML pages)

and what the tests assert:

    secrets     strings that must appear NOWHERE in output files, output paths or state files,
                compared with `fold` (NFKC, casefold, Unicode format characters removed)
    keep        words that must survive in the published entry; keep[0] is the probe's
                unique marker. With expect: refused or error, the marker must NOT be published.
    keep_link   the exact entry link that must be kept (precision probes)
    expect      published (default) | refused (the feed is not aggregated: comment feeds)
                | error (the fetch or parse fails; /etat/ reports it without the secrets)
    feed_path   the path the test server serves the feed at (default /<id>.xml)
    content_type the Content-Type the server sends (default by format)
    server      {status, headers, redirect_to, redirect_host}: what the test server must do
                (see tests/fixtures/probes/state.yaml)
    pseudonym, blog_title   the registry entry the test writes (defaults below)
    malformed   true when the document is deliberately not well-formed XML

Loading needs PyYAML (a pinned dependency of the project); building is stdlib only.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.sax.saxutils import escape, quoteattr

import yaml

PROBE_DIR = Path(__file__).parent / "fixtures" / "probes"

LEAK_CLASSES = ("names", "places", "text", "links", "state", "comments")
CLASSES = LEAK_CLASSES + ("precision",)
FORMATS = ("rss", "atom", "rdf")
EXPECTS = ("published", "refused", "error")

DEFAULT_PSEUDONYM = "Docteur Sonde"
DEFAULT_BLOG_TITLE = "Le carnet de la sonde"
DEFAULT_SITE = "https://sonde.example/"
DEFAULT_DATE_RSS = "Mon, 05 Jan 2026 10:00:00 +0000"
DEFAULT_DATE_ISO = "2026-01-05T10:00:00Z"

CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
}

# Declared on every generated document, so probes can use these prefixes without ceremony.
NAMESPACES: dict[str, str] = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "media": "http://search.yahoo.com/mrss/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "googleplay": "http://www.google.com/schemas/play-podcasts/1.0",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sioc": "http://rdfs.org/sioc/ns#",
}
ATOM_NS = "http://www.w3.org/2005/Atom"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1_NS = "http://purl.org/rss/1.0/"

_ENTRY_KEYS = ("title", "title_raw", "title_type", "link", "guid", "description", "description_raw", "content",
               "tags", "item_xml", "item_attrs", "author_fields", "date")


def strip_accents(s: str) -> str:
    """« Hôpital » -> « Hopital » (combining marks dropped; æ, ø, ß are left alone)."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def fold(s: str) -> str:
    """How secrets are compared: NFKC, casefold, and no format characters (category Cf:
    zero-width spaces and joiners, soft hyphen, bidi controls...). Accents are kept."""
    s = "".join(c for c in s if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", s).casefold())


@dataclass(frozen=True)
class Server:
    """What a test server must do for the probe's feed path, beyond serving `feed`."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    # Answer feed_path with `status` and Location: redirect_to (a path on the same server, or
    # an absolute URL); the target then serves the feed with 200.
    redirect_to: str | None = None
    # A host name the redirect goes to: the test must make it resolve to the loopback server.
    redirect_host: str | None = None

    def location(self, base_url: str) -> str | None:
        """The Location header for a test server listening at base_url (« http://127.0.0.1:port »)."""
        if self.redirect_to is None:
            return None
        if self.redirect_host:
            port = base_url.rsplit(":", 1)[-1]
            return f"http://{self.redirect_host}:{port}{self.redirect_to}"
        if self.redirect_to.startswith("/"):
            return base_url + self.redirect_to
        return self.redirect_to


@dataclass(frozen=True)
class Probe:
    id: str
    cls: str
    what: str
    format: str
    feed: bytes
    secrets: tuple[str, ...]
    keep: tuple[str, ...]
    keep_link: str | None = None
    expect: str = "published"
    feed_path: str = ""
    content_type: str = ""
    server: Server | None = None
    malformed: bool = False
    pseudonym: str = DEFAULT_PSEUDONYM
    blog_title: str = DEFAULT_BLOG_TITLE
    site: str = DEFAULT_SITE
    source: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def marker(self) -> str:
        return self.keep[0]

    @property
    def leak(self) -> bool:
        return self.cls != "precision"

    def served_text(self) -> str:
        """Everything the probe makes a server send, decoded every way a leak could be read
        back (entities once and twice, %-escapes, base64 and hex tokens), then folded."""
        text = self.feed.decode("utf-8", "replace")
        parts = [text, self.feed_path, self.content_type]
        if self.server:
            parts += [f"{k}: {v}" for k, v in self.server.headers]
            parts += [self.server.redirect_to or "", self.server.redirect_host or ""]
        joined = "\n".join(parts)
        once = html.unescape(joined)
        twice = html.unescape(once)
        visible = " ".join(re.sub(r"<[^>]*>", " ", twice).split())  # markup gone, as in an excerpt
        variants = [joined, once, twice, unquote(twice), visible]
        variants.append(strip_accents(" ".join(variants)))  # as slugs and folded text write it
        for token in re.findall(r"[A-Za-z0-9+/_-]{12,}={0,2}", twice):
            variants.extend(_decodings(token))
        return "\n".join(fold(v) for v in variants)

    def registry_entry(self, feed_url: str, feed_id: str = "sonde") -> dict[str, str]:
        """The feeds.yaml entry a test writes for this probe (conftest.registry_yaml keys)."""
        return {"id": feed_id, "title": self.blog_title, "author": self.pseudonym, "site": self.site,
                "feed": feed_url}


def _decodings(token: str) -> list[str]:
    out = []
    if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", token):
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):
            out.append(binascii.unhexlify(token).decode("utf-8"))
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        padded = token.rstrip("=") + "=" * (-len(token.rstrip("=")) % 4)
        with contextlib.suppress(binascii.Error, UnicodeDecodeError, ValueError):
            out.append(decode(padded).decode("utf-8"))
    return out


# --- building feeds ---------------------------------------------------------------

def _ns_attrs(extra: Mapping[str, str], *skip: str) -> str:
    merged = {**NAMESPACES, **extra}
    return "".join(f'\n    xmlns:{p}="{u}"' for p, u in merged.items() if p not in skip)


def _cdata(markup: str) -> str:
    return "<![CDATA[" + markup.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _author_fields(value: Any) -> tuple[str, str]:
    """(channel xml, item xml) of an `author_fields` value."""
    if value is None:
        return "", ""
    if isinstance(value, str):
        return "", value
    return value.get("channel", "") or "", value.get("item", "") or ""


def _entries(spec: Mapping[str, Any], probe_id: str) -> list[dict[str, Any]]:
    given = spec.get("entries")
    if given:
        return [{**e, "_n": i} for i, e in enumerate(given, 1)]
    return [{k: spec[k] for k in _ENTRY_KEYS if k in spec} | {"_n": 1}]


def _defaults(e: Mapping[str, Any], probe_id: str, site: str) -> tuple[str, str]:
    n = e["_n"]
    suffix = "" if n == 1 else f"-{n}"
    link = e.get("link", f"{site.rstrip('/')}/2026/01/{probe_id}{suffix}/")
    guid = e.get("guid", f"tag:sonde.example,2026:{probe_id}{suffix}")
    return link, guid


def _open(tag: str, e: Mapping[str, Any]) -> str:
    return tag + (" " + e["item_attrs"] if e.get("item_attrs") else "") + ">"


def _rss_title_link(e: Mapping[str, Any], link: str) -> list[str]:
    """<title> and <link> as RSS 2.0 and RSS 1.0 (RDF) write them."""
    parts = []
    if "title_raw" in e:
        parts.append(f"<title>{e['title_raw']}</title>")
    elif "title" in e:
        parts.append(f"<title>{escape(e['title'])}</title>")
    if link:
        parts.append(f"<link>{escape(link)}</link>")
    return parts


def _rss_text_and_tail(e: Mapping[str, Any], close: str) -> list[str]:
    """<description>, <content:encoded>, the author fields and the extra XML of an RSS item."""
    parts = []
    if "description_raw" in e:
        parts.append(f"<description>{e['description_raw']}</description>")
    elif "description" in e:
        parts.append(f"<description>{_cdata(e['description'])}</description>")
    if "content" in e:
        parts.append(f"<content:encoded>{_cdata(e['content'])}</content:encoded>")
    return parts + [_author_fields(e.get("author_fields"))[1], e.get("item_xml", ""), close]


def _rss_item(e: Mapping[str, Any], probe_id: str, site: str) -> str:
    link, guid = _defaults(e, probe_id, site)
    parts = [_open("<item", e), *_rss_title_link(e, link)]
    if guid:
        parts.append(f'<guid isPermaLink="false">{escape(guid)}</guid>')
    parts.append(f"<pubDate>{e.get('date', DEFAULT_DATE_RSS)}</pubDate>")
    parts += [f"<category>{_cdata(t)}</category>" for t in e.get("tags", ())]
    parts += _rss_text_and_tail(e, "</item>")
    return "\n      ".join(p for p in parts if p)


def _atom_entry(e: Mapping[str, Any], probe_id: str, site: str) -> str:
    link, guid = _defaults(e, probe_id, site)
    parts = [_open("<entry", e)]
    kind = e.get("title_type", "html" if "title_raw" in e else "text")
    if "title_raw" in e:
        parts.append(f'<title type="{kind}">{e["title_raw"]}</title>')
    elif "title" in e:
        parts.append(f'<title type="{kind}">{escape(e["title"])}</title>')
    if link:
        parts.append(f'<link rel="alternate" type="text/html" href={quoteattr(link)}/>')
    if guid:
        parts.append(f"<id>{escape(guid)}</id>")
    date = e.get("date", DEFAULT_DATE_ISO)
    parts += [f"<published>{date}</published>", f"<updated>{date}</updated>"]
    parts += [f"<category term={quoteattr(t)}/>" for t in e.get("tags", ())]
    if "description_raw" in e:
        parts.append(f"<summary>{e['description_raw']}</summary>")
    elif "description" in e:
        parts.append(f'<summary type="html">{escape(e["description"])}</summary>')
    if "content" in e:
        parts.append(f'<content type="html">{escape(e["content"])}</content>')
    parts.append(_author_fields(e.get("author_fields"))[1])
    parts.append(e.get("item_xml", ""))
    parts.append("</entry>")
    return "\n    ".join(p for p in parts if p)


def _rdf_item(e: Mapping[str, Any], probe_id: str, site: str) -> str:
    link, _ = _defaults(e, probe_id, site)
    about = link or f"{site}#{probe_id}-{e['_n']}"
    parts = [_open(f"<item rdf:about={quoteattr(about)}", e), *_rss_title_link(e, link)]
    parts.append(f"<dc:date>{e.get('date', DEFAULT_DATE_ISO)}</dc:date>")
    parts += [f"<dc:subject>{escape(t)}</dc:subject>" for t in e.get("tags", ())]
    parts += _rss_text_and_tail(e, "</item>")
    return "\n  ".join(p for p in parts if p)


def build_feed(spec: Mapping[str, Any]) -> bytes:
    """The feed document of a probe mapping: `feed` verbatim, or built from its fields."""
    if spec.get("feed") is not None:
        return str(spec["feed"]).encode("utf-8")
    fmt = spec.get("format", "rss")
    probe_id = spec["id"]
    site = spec.get("site", DEFAULT_SITE)
    title = escape(spec.get("channel_title", DEFAULT_BLOG_TITLE))
    extra_ns = spec.get("namespaces") or {}
    root_attrs = (" " + spec["root_attrs"]) if spec.get("root_attrs") else ""
    channel_author, _ = _author_fields(spec.get("author_fields"))
    head = "\n  ".join(x for x in (channel_author, spec.get("channel_xml", "")) if x)
    entries = _entries(spec, probe_id)
    if fmt == "rss":
        items = "\n    ".join(_rss_item(e, probe_id, site) for e in entries)
        doc = (f'<rss version="2.0" xmlns:atom="{ATOM_NS}"{_ns_attrs(extra_ns, "atom")}{root_attrs}>\n'
               f"  <channel>\n  <title>{title}</title>\n  <link>{escape(site)}</link>\n"
               f"  <description>Billets de test</description>\n  <language>fr</language>\n"
               f"  {head}\n    {items}\n  </channel>\n</rss>\n")
    elif fmt == "atom":
        items = "\n  ".join(_atom_entry(e, probe_id, site) for e in entries)
        doc = (f'<feed xmlns="{ATOM_NS}" xml:lang="fr"{_ns_attrs(extra_ns)}{root_attrs}>\n'
               f"  <title>{title}</title>\n  <link rel=\"alternate\" href={quoteattr(site)}/>\n"
               f"  <id>tag:sonde.example,2026:{probe_id}</id>\n  <updated>{DEFAULT_DATE_ISO}</updated>\n"
               f"  {head}\n  {items}\n</feed>\n")
    elif fmt == "rdf":
        abouts = []
        for e in entries:
            link, _ = _defaults(e, probe_id, site)
            abouts.append(link or f"{site}#{probe_id}-{e['_n']}")
        seq = "".join(f"<rdf:li rdf:resource={quoteattr(a)}/>" for a in abouts)
        items = "\n".join(_rdf_item(e, probe_id, site) for e in entries)
        doc = (f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns="{RSS1_NS}"{_ns_attrs(extra_ns)}{root_attrs}>\n'
               f"<channel rdf:about={quoteattr(site)}>\n  <title>{title}</title>\n  <link>{escape(site)}</link>\n"
               f"  <description>Billets de test</description>\n  {head}\n"
               f"  <items><rdf:Seq>{seq}</rdf:Seq></items>\n</channel>\n{items}\n</rdf:RDF>\n")
    else:
        raise ValueError(f"{probe_id}: unknown format {fmt!r}")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + doc).encode("utf-8")


# --- loading ----------------------------------------------------------------------

def _server(value: Mapping[str, Any] | None) -> Server | None:
    if not value:
        return None
    headers = tuple((str(k), str(v)) for k, v in (value.get("headers") or {}).items())
    return Server(status=int(value.get("status", 200)), headers=headers, redirect_to=value.get("redirect_to"),
                  redirect_host=value.get("redirect_host"))


def probe_from(spec: Mapping[str, Any], source: str = "") -> Probe:
    fmt = spec.get("format", "rss")
    return Probe(
        id=spec["id"],
        cls=spec["class"],
        what=spec.get("what", ""),
        format=fmt,
        feed=build_feed(spec),
        secrets=tuple(str(s) for s in spec.get("secrets") or ()),
        keep=tuple(str(k) for k in spec.get("keep") or ()),
        keep_link=spec.get("keep_link"),
        expect=spec.get("expect", "published"),
        feed_path=spec.get("feed_path", f"/{spec['id']}.xml"),
        content_type=spec.get("content_type", CONTENT_TYPES.get(fmt, CONTENT_TYPES["rss"])),
        server=_server(spec.get("server")),
        malformed=bool(spec.get("malformed", False)),
        pseudonym=spec.get("pseudonym", DEFAULT_PSEUDONYM),
        blog_title=spec.get("blog_title", DEFAULT_BLOG_TITLE),
        site=spec.get("site", DEFAULT_SITE),
        source=source,
        raw=dict(spec),
    )


def load_file(path: Path) -> list[Probe]:
    data = yaml.safe_load(path.read_text("utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: a list of probes is expected")
    return [probe_from(spec, path.name) for spec in data]


def load_probes(cls: str | None = None) -> list[Probe]:
    """Every probe of the corpus (or of one class), in file then document order."""
    probes: list[Probe] = []
    for path in sorted(PROBE_DIR.glob("*.yaml")):
        probes += load_file(path)
    return [p for p in probes if cls is None or p.cls == cls]
