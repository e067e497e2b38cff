"""Structural checks of a built site against the specs its files claim to follow.

    python tools/speccheck.py OUTPUTDIR [--site-url https://docsdu.net]

Atom feeds by RFC 4287 (with RFC 3339 dates and RFC 4151 tag: URIs), the OPML
blogroll by OPML 2.0, sitemap.xml by sitemaps.org's protocol, robots.txt's
Sitemap line, and the HTML pages' canonical/og:url, icons and blogroll link.
Each problem is one line « file: type: detail », its type named after the W3C
Feed Validator's message where there is one (InvalidFullLink, DuplicateUpdated,
...), so a finding can be looked up. Exit status 1 when there is a problem.

Written from the specs, not from our writer: the production build test
(tests/e2e/test_production_build.py) runs it on the output of `make publish`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 3339 date-time (Atom 3.3): full date, time, seconds, a zone.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# W3C Datetime (sitemaps.org's lastmod): YYYY, YYYY-MM, YYYY-MM-DD, or with hh:mm[:ss[.s]]TZD.
W3C_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")
# RFC 4151: tag:authority,date:specific, authority a DNS name (or an e-mail address).
TAG_URI = re.compile(r"^tag:(?P<authority>[A-Za-z0-9.@-]+),(?P<date>\d{4}(-\d{2}(-\d{2})?)?):(?P<specific>\S*)$")
DNS_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)
# BCP 47 language tag, as far as xml:lang needs (RFC 3066 in the Atom validator).
LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
MAX_SITEMAP_URLS = 50_000
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


def absolute_http(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def absolute_iri(value: str | None) -> bool:
    """RFC 3987 absolute IRI: a scheme, then something; http(s) ones with a host."""
    value = value or ""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value):
        return False
    return absolute_http(value) if value.lower().startswith(("http:", "https:")) else True


def tag_problem(value: str) -> str | None:
    """Why `value` is not an RFC 4151 tag URI with a real domain authority, or None."""
    m = TAG_URI.match(value)
    if not m:
        return "not a tag: URI (RFC 4151)"
    authority = m["authority"].split("@")[-1]
    if not DNS_NAME.match(authority):
        return f"tag: authority « {m['authority']} » is not a domain name"
    return None


def _id_problem(value: str | None) -> str | None:
    if not value:
        return "MissingId: no atom:id"
    if value.startswith("tag:"):
        problem = tag_problem(value)
        return f"InvalidTAG: {value}: {problem}" if problem else None
    if value.startswith("urn:"):
        return None if re.match(r"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$", value, re.I) else f"InvalidURN: {value}"
    return None if absolute_iri(value) else f"InvalidFullLink: id must be a full and valid URL: {value}"


def check_atom(data: bytes, *, site_url: str | None = None, langs: set[str] | None = None) -> list[str]:
    """RFC 4287 § 4.1 (feed, entry), § 3.3 (dates), § 4.2.7 (links), plus the site's rules:
    every link absolute (on `site_url` for the feed's own), icon, logo, subtitle, xml:lang,
    unique entry `updated` values."""
    out: list[str] = []
    try:
        feed = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"NotWellFormed: {exc}"]
    if feed.tag != f"{ATOM}feed":
        return [f"UnexpectedRoot: <{feed.tag}> is not atom:feed"]
    lang = feed.get(XML_LANG)
    if not lang or not LANG_TAG.match(lang):
        out.append(f"InvalidLanguage: feed xml:lang « {lang} »")

    def one(parent: ET.Element, name: str, where: str, required: bool = True) -> ET.Element | None:
        found = parent.findall(f"{ATOM}{name}")
        if len(found) > 1:
            out.append(f"DuplicateElement: {where} has {len(found)} atom:{name}")
        if not found and required:
            out.append(f"MissingElement: {where} has no atom:{name}")
        return found[0] if found else None

    def date(el: ET.Element | None, where: str) -> str | None:
        if el is None:
            return None
        if not RFC3339.match(el.text or ""):
            out.append(f"InvalidRFC3339Date: {where}: « {el.text} »")
            return None
        return el.text

    feed_id = one(feed, "id", "feed")
    problem = _id_problem(feed_id.text if feed_id is not None else None)
    if problem:
        out.append(f"{problem} (feed)")
    one(feed, "title", "feed")
    feed_updated = date(one(feed, "updated", "feed"), "feed updated")
    for name in ("subtitle", "icon", "logo"):
        el = one(feed, name, "feed")
        if el is not None and name != "subtitle" and not absolute_http(el.text):
            out.append(f"InvalidFullLink: feed {name} « {el.text} » is not absolute")
    links = feed.findall(f"{ATOM}link")
    rels = Counter((lk.get("rel", "alternate"), lk.get("type"), lk.get(XML_LANG)) for lk in links)
    if not any(lk.get("rel") == "self" for lk in links):
        out.append("MissingSelf: no atom:link rel=\"self\"")
    for key, n in rels.items():
        if key[0] == "alternate" and n > 1:
            out.append("DuplicateAtomLink: two alternate links of one type and language")
    for lk in links:
        href = lk.get("href")
        if not absolute_http(href):
            out.append(f"InvalidFullLink: feed link rel={lk.get('rel')} href « {href} » is not absolute")
        elif site_url and lk.get("rel") == "self" and not href.startswith(site_url.rstrip("/") + "/"):
            out.append(f"SelfDoesntMatchLocation: self link « {href} » is not under {site_url}")
    feed_author = feed.find(f"{ATOM}author") is not None

    ids: Counter = Counter()
    updates: Counter = Counter()
    for n, entry in enumerate(feed.findall(f"{ATOM}entry"), 1):
        where = f"entry {n}"
        id_el = one(entry, "id", where)
        problem = _id_problem(id_el.text if id_el is not None else None)
        if problem:
            out.append(f"{problem} ({where})")
        elif id_el is not None:
            ids[id_el.text] += 1
        one(entry, "title", where)
        updated = date(one(entry, "updated", where), f"{where} updated")
        published = date(one(entry, "published", where, required=False), f"{where} published")
        if updated:
            updates[updated] += 1
            if feed_updated and updated > feed_updated and updated[:19] > feed_updated[:19]:
                out.append(f"UpdatedAfterFeed: {where} updated {updated} is after the feed's {feed_updated}")
        if updated and published and published[:19] > updated[:19] and updated[19:] == published[19:]:
            out.append(f"PublishedAfterUpdated: {where}")
        entry_lang = entry.get(XML_LANG, lang)
        if not entry_lang or not LANG_TAG.match(entry_lang):
            out.append(f"InvalidLanguage: {where} xml:lang « {entry_lang} »")
        elif langs is not None and entry.get(XML_LANG) not in langs:
            out.append(f"UnexpectedLanguage: {where} xml:lang « {entry.get(XML_LANG)} » is no registry lang")
        content = entry.find(f"{ATOM}content")
        alternates = [lk for lk in entry.findall(f"{ATOM}link") if lk.get("rel", "alternate") == "alternate"]
        if content is None and not alternates:
            out.append(f"MissingAlternateLink: {where} has neither content nor an alternate link")
        if content is None or content.get("src"):
            one(entry, "summary", where)
        for lk in entry.findall(f"{ATOM}link"):
            if not absolute_http(lk.get("href")):
                out.append(f"InvalidFullLink: {where} link « {lk.get('href')} » is not absolute")
        if not feed_author and entry.find(f"{ATOM}author") is None:
            out.append(f"MissingAuthor: {where} and the feed have no atom:author")
        for author in entry.findall(f"{ATOM}author"):
            if not (author.findtext(f"{ATOM}name") or "").strip():
                out.append(f"MissingElement: {where} author has no name")
        for cat in entry.findall(f"{ATOM}category"):
            if not cat.get("term"):
                out.append(f"MissingAttribute: {where} category has no term")
    out += [f"DuplicateEntries: {n} entries have id {i}" for i, n in ids.items() if n > 1]
    out += [f"DuplicateUpdated: {n} entries have updated {u}" for u, n in updates.items() if n > 1]
    return out


def check_opml(data: bytes) -> list[str]:
    """OPML 2.0 (opml.org/spec2): version, head (title, dateCreated RFC 822, ownerId an http
    address), body with outlines that all have `text`; subscription outlines (type rss) an
    absolute xmlUrl; plus the site's rules: dateCreated, ownerId and each feed's language."""
    out: list[str] = []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"NotWellFormed: {exc}"]
    if root.tag != "opml" or root.get("version") != "2.0":
        out.append(f"InvalidOpmlVersion: <{root.tag} version={root.get('version')}>")
    head, body = root.find("head"), root.find("body")
    if head is None or body is None:
        return out + ["MissingElement: <head> or <body>"]
    if not (head.findtext("title") or "").strip():
        out.append("MissingElement: head has no title")
    created = head.findtext("dateCreated")
    if created is None:
        out.append("MissingElement: head has no dateCreated")
    else:
        try:
            parsedate_to_datetime(created)
        except (TypeError, ValueError):
            out.append(f"InvalidRFC822Date: dateCreated « {created} »")
    owner = head.findtext("ownerId")
    if not absolute_http(owner):
        out.append(f"InvalidFullLink: ownerId « {owner} » is not an http address")
    outlines = list(body.iter("outline"))
    if not outlines:
        out.append("MissingElement: body has no outline")
    for o in outlines:
        if o.get("text") is None:
            out.append(f"MissingAttribute: outline without text ({o.get('title')})")
        if o.get("type") == "rss":
            if not absolute_http(o.get("xmlUrl")):
                out.append(f"InvalidFullLink: xmlUrl « {o.get('xmlUrl')} »")
            if o.get("htmlUrl") is not None and not absolute_http(o.get("htmlUrl")):
                out.append(f"InvalidFullLink: htmlUrl « {o.get('htmlUrl')} »")
            if not LANG_TAG.match(o.get("language") or ""):
                out.append(f"MissingAttribute: outline « {o.get('text')} » has no language")
    return out


def check_sitemap(data: bytes, *, site_url: str | None = None) -> list[str]:
    """sitemaps.org: a <urlset> (or <sitemapindex>) in the 0.9 namespace, at most 50,000 URLs
    and 50 MB, each <loc> an absolute URL of 12 to 2,048 characters on the site, lastmod a W3C
    Datetime, changefreq and priority from their lists; each URL once."""
    out: list[str] = []
    if len(data) > MAX_SITEMAP_BYTES:
        out.append(f"TooLarge: {len(data)} bytes (at most {MAX_SITEMAP_BYTES})")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"NotWellFormed: {exc}"]
    kinds = {f"{{{SITEMAP_NS}}}urlset": "url", f"{{{SITEMAP_NS}}}sitemapindex": "sitemap"}
    if root.tag not in kinds:
        return out + [f"InvalidNamespace: root <{root.tag}> (expected urlset or sitemapindex in {SITEMAP_NS})"]
    child = f"{{{SITEMAP_NS}}}{kinds[root.tag]}"
    items = list(root)
    if len(items) > MAX_SITEMAP_URLS:
        out.append(f"TooManyUrls: {len(items)} (at most {MAX_SITEMAP_URLS})")
    seen: Counter = Counter()
    for item in items:
        if item.tag != child:
            out.append(f"UnexpectedElement: <{item.tag}>")
            continue
        locs = item.findall(f"{{{SITEMAP_NS}}}loc")
        if len(locs) != 1:
            out.append(f"MissingElement: {len(locs)} <loc> in one <{kinds[root.tag]}>")
            continue
        loc = (locs[0].text or "").strip()
        seen[loc] += 1
        if not absolute_http(loc):
            out.append(f"InvalidFullLink: loc « {loc} » is not an absolute URL")
        elif not 12 <= len(loc) <= 2048:
            out.append(f"InvalidLength: loc « {loc} » ({len(loc)} characters, 12 to 2048)")
        elif site_url and not loc.startswith(site_url.rstrip("/") + "/"):
            out.append(f"OffSite: loc « {loc} » is not under {site_url}")
        mod = item.findtext(f"{{{SITEMAP_NS}}}lastmod")
        if mod is not None and not W3C_DATETIME.match(mod.strip()):
            out.append(f"InvalidW3CDTFDate: lastmod « {mod} »")
        freq = item.findtext(f"{{{SITEMAP_NS}}}changefreq")
        if freq is not None and freq not in {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}:
            out.append(f"InvalidValue: changefreq « {freq} »")
        prio = item.findtext(f"{{{SITEMAP_NS}}}priority")
        if prio is not None and not re.match(r"^(0(\.\d+)?|1(\.0+)?)$", prio):
            out.append(f"InvalidValue: priority « {prio} »")
    out += [f"DuplicateUrl: {loc} listed {n} times" for loc, n in seen.items() if n > 1]
    return out


def check_robots(text: str, sitemap_url: str) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines()]
    sitemaps = [ln.split(":", 1)[1].strip() for ln in lines if ln.lower().startswith("sitemap:")]
    if sitemap_url not in sitemaps:
        return [f"MissingSitemap: robots.txt has no « Sitemap: {sitemap_url} » line"]
    return [f"InvalidFullLink: robots.txt Sitemap « {s} »" for s in sitemaps if not absolute_http(s)]


class _Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.metas: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append(dict(attrs))
        elif tag == "meta":
            self.metas.append(dict(attrs))


def check_html(text: str, *, site_url: str) -> list[str]:
    """One page: canonical and og:url absolute on the site, /favicon.ico, a PNG icon,
    rel="blogroll" to the OPML, feed links absolute."""
    p = _Head()
    p.feed(text)
    out: list[str] = []
    base = site_url.rstrip("/") + "/"
    for m in p.metas:
        if m.get("property") == "og:url" and not (m.get("content") or "").startswith(base):
            out.append(f"InvalidFullLink: og:url « {m.get('content')} » is not absolute on {site_url}")
    rels = [(set((lk.get("rel") or "").lower().split()), lk) for lk in p.links]
    for rel, lk in rels:
        if rel & {"canonical", "alternate", "blogroll", "icon", "apple-touch-icon"} \
                and not (lk.get("href") or "").startswith(base):
            out.append(f"InvalidFullLink: link rel={lk.get('rel')} « {lk.get('href')} »")
    icons = [lk for rel, lk in rels if "icon" in rel]
    if not any((lk.get("href") or "").endswith("/favicon.ico") for lk in icons):
        out.append("MissingIcon: no link to /favicon.ico")
    if not any(lk.get("type") == "image/png" or (lk.get("href") or "").endswith(".png") for lk in icons):
        out.append("MissingIcon: no PNG icon")
    if not any("blogroll" in rel and (lk.get("href") or "").endswith(".opml") for rel, lk in rels):
        out.append("MissingBlogroll: no link rel=\"blogroll\" to the OPML")
    return out


def check_site(output: Path, site_url: str, *, langs: set[str] | None = None) -> list[str]:
    """Every feed, the OPML, the sitemap(s), robots.txt, every HTML page and the icons."""
    out: list[str] = []

    def report(path: Path, problems: list[str]) -> None:
        out.extend(f"{path.relative_to(output)}: {p}" for p in problems)

    feeds = sorted(output.glob("feeds/**/*.atom.xml"))
    if not feeds:
        out.append("feeds/: no Atom feed")
    for path in feeds:
        report(path, check_atom(path.read_bytes(), site_url=site_url, langs=langs))
    opml = output / "blogroll.opml"
    report(opml, check_opml(opml.read_bytes()) if opml.is_file() else ["MissingFile"])
    sitemap = output / "sitemap.xml"
    report(sitemap, check_sitemap(sitemap.read_bytes(), site_url=site_url) if sitemap.is_file() else ["MissingFile"])
    for part in sorted(output.glob("sitemap-*.xml")):
        report(part, check_sitemap(part.read_bytes(), site_url=site_url))
    robots = output / "robots.txt"
    report(robots, check_robots(robots.read_text("utf-8"), site_url.rstrip("/") + "/sitemap.xml")
           if robots.is_file() else ["MissingFile"])
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        if rel.startswith(("pagefind/", ".")):
            continue
        report(path, check_html(path.read_text("utf-8"), site_url=site_url))
    icon = output / "favicon.ico"
    if not icon.is_file() or icon.read_bytes()[:4] != b"\0\0\1\0":
        out.append("favicon.ico: MissingIcon: no ICO file at the site's root")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", type=Path)
    ap.add_argument("--site-url", default="https://docsdu.net")
    args = ap.parse_args(argv)
    problems = check_site(args.output, args.site_url)
    for p in problems:
        print(p)
    print(f"speccheck: {len(problems)} problem(s) in {args.output}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
