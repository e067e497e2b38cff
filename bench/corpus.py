"""The synthetic corpus of the benchmark: N blogs × M entries, deterministic.

Every blog has an infinite, reproducible sequence of entries k = 0, 1, 2, …
(entry k is generated from (seed, blog, k) alone). Version v of a feed
holds the M entries [v·STEP, v·STEP + M): a changed feed gains STEP new entries
and drops its STEP oldest, like a real blog's feed window. Archived rows
seeded straight into the store use negative k (older than anything served).

Sizes follow the issue: 2–20 KB of HTML per entry, log-uniform (most posts
short, a few long), RSS 2.0 (WordPress-like, CDATA) and Atom (half CDATA,
half entity-escaped, like Blogger). Each feed is served with ETag and
Last-Modified, with Last-Modified only, or with neither, and carries the
identity fields real feeds leak (dc:creator, Atom author e-mail) so the
parser's dropping of them is part of the measured work.
"""

from __future__ import annotations

import hashlib
import html
import math
import os
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from pelican.plugins.blogroll.core.text import slugify

from .lorem import Lorem

STEP = 2                      # new entries per changed feed
BASE = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
BASE_MTIME = int(BASE.timestamp())
MIN_HTML, MAX_HTML = 2_000, 20_000
VALIDATOR_MODES = (("etag", 0.60), ("lm", 0.25), ("none", 0.15))
GENERIC_TAGS = ("vie perso", "garde", "humeur", "coup de gueule", "formation", "lecture", "cabinet",
                "hôpital", "réflexions", "patients", "administratif", "confinement")


@dataclass(frozen=True)
class FeedSpec:
    index: int
    id: str
    title: str
    author: str
    specialties: tuple[str, ...]
    fmt: str             # "rss" | "atom" | "atom-escaped"
    validators: str      # "etag" (ETag + Last-Modified) | "lm" (Last-Modified only) | "none"
    interval_days: int
    newest: datetime     # date of entry M-1 (the newest at version 0)

    @property
    def site(self) -> str:
        return f"https://{self.id}.example/"

    @property
    def path(self) -> str:
        return f"f/{self.id}.xml"


@dataclass(frozen=True)
class EntrySpec:
    k: int
    guid: str
    link: str
    title: str
    html: str
    text_excerpt: str
    published: datetime
    tags: tuple[str, ...]


def _seed(*parts) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "big")


class Corpus:
    def __init__(self, root: Path, feeds: int, entries: int, *, seed: int = 20260115,
                 specialties: dict | None = None):
        self.root = Path(root)
        self.served = self.root / "served"
        self.n = feeds
        self.m = entries
        self.seed = seed
        lorem = Lorem(seed)
        self.lorem = lorem
        self.pool = [lorem.paragraph_html() for _ in range(2500)]
        specialties = specialties or {}
        self.specialty_slugs = sorted(specialties) or ["medecine-generale"]
        synonyms = [s for spec in specialties.values() for s in (spec.get("synonyms") or [])[:2]]
        self.tag_pool = list(GENERIC_TAGS) + synonyms[:12]
        self.feeds = [self._feed(i) for i in range(feeds)]
        self.versions = [0] * feeds

    # --- blogs and entries --------------------------------------------------

    def _feed(self, i: int) -> FeedSpec:
        rng = random.Random(_seed(self.seed, "feed", i))
        fid = f"blog-{i:04d}-{slugify(rng.choice(self.lorem.pseudo))}"
        # About one author in 25 keeps two blogs.
        author_seed = i - 1 if i % 25 == 24 else i
        arng = random.Random(_seed(self.seed, "author", author_seed))
        author = f"{arng.choice(('Docteur', 'Docteure', 'Infirmière', 'Sage-femme', 'Interne', 'Pharmacien'))} " \
                 f"{arng.choice(self.lorem.pseudo).capitalize()} {author_seed}"
        r = rng.random()
        validators = "none"
        acc = 0.0
        for mode, share in VALIDATOR_MODES:
            acc += share
            if r < acc:
                validators = mode
                break
        fmt = rng.choice(("rss", "rss", "rss", "atom", "atom-escaped"))
        specs = tuple(rng.sample(self.specialty_slugs, k=min(len(self.specialty_slugs), rng.choice((1, 1, 2)))))
        return FeedSpec(
            index=i, id=fid, title=f"Le blog {self.lorem.title()}", author=author, specialties=specs,
            fmt=fmt, validators=validators, interval_days=rng.randint(2, 14),
            newest=BASE - timedelta(hours=rng.randint(1, 24 * 30)),
        )

    def entry(self, feed: FeedSpec, k: int) -> EntrySpec:
        rng = random.Random(_seed(self.seed, "entry", feed.index, k))
        size = math.exp(rng.uniform(math.log(MIN_HTML), math.log(MAX_HTML)))
        words = rng.choices(self.lorem.vocab, k=rng.randint(40, 90))
        first = "<p>" + words[0].capitalize() + " " + " ".join(words[1:]) + ".</p>"
        parts = [first]
        length = len(first)
        while length < size:
            p = rng.choice(self.pool)
            parts.append(p)
            length += len(p) + 1
        body = "\n".join(parts)
        title_words = rng.choices(self.lorem.vocab, k=rng.randint(3, 8))
        title = (title_words[0].capitalize() + " " + " ".join(title_words[1:])).replace(",", "")
        slug = slugify(" ".join(title_words[:5]))
        if k < self.m:  # the corpus as first served, and its archive (k < 0)
            published = feed.newest + timedelta(days=feed.interval_days * (k - (self.m - 1)),
                                                minutes=rng.randint(0, 600))
        else:  # published since the last build: version v's posts are dated in the v-th hour after BASE
            published = BASE + timedelta(hours=(k - self.m) // STEP,
                                         minutes=10 + 20 * ((k - self.m) % STEP) + rng.randint(0, 9))
        tags = tuple(rng.sample(self.tag_pool, k=rng.randint(1, 4)))
        return EntrySpec(
            k=k, guid=f"{feed.site}?p={1000 + k}" if k >= 0 else f"{feed.site}?p=old{-k}",
            link=f"{feed.site}{published:%Y/%m}/{slug}-{k}/",
            title=title, html=body, text_excerpt=" ".join(words[:55]), published=published, tags=tags,
        )

    def window(self, feed: FeedSpec, version: int) -> list[EntrySpec]:
        """The entries served at `version`, newest first."""
        first = version * STEP
        return [self.entry(feed, k) for k in range(first + self.m - 1, first - 1, -1)]

    # --- documents ----------------------------------------------------------

    def document(self, feed: FeedSpec, version: int) -> bytes:
        entries = self.window(feed, version)
        if feed.fmt == "rss":
            return _rss(feed, entries).encode("utf-8")
        return _atom(feed, entries, escaped=feed.fmt == "atom-escaped").encode("utf-8")

    def write_all(self) -> int:
        """Write every feed at version 0; returns the total number of bytes."""
        total = 0
        for feed in self.feeds:
            total += self._write(feed, 0)
        return total

    def _write(self, feed: FeedSpec, version: int) -> int:
        path = self.served / feed.path
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.document(feed, version)
        path.write_bytes(data)
        # Last-Modified moves by one hour per version: deterministic and always distinct.
        mtime = BASE_MTIME + 3600 * version
        os.utime(path, (mtime, mtime))
        return len(data)

    def change(self, fraction: float, round_no: int) -> list[str]:
        """Publish STEP new entries on `fraction` of the blogs; returns their ids."""
        count = max(1, round(self.n * fraction)) if fraction > 0 else 0
        rng = random.Random(_seed(self.seed, "change", round_no))
        chosen = sorted(rng.sample(range(self.n), k=min(count, self.n)))
        for i in chosen:
            self.versions[i] += 1
            self._write(self.feeds[i], self.versions[i])
        return [self.feeds[i].id for i in chosen]

    def validators_for(self, rel: str) -> tuple[bool, bool]:
        """(send ETag, send Last-Modified) for a served path."""
        mode = self._modes.get(rel.lstrip("/"), "etag")
        return mode == "etag", mode in ("etag", "lm")

    @property
    def _modes(self) -> dict[str, str]:
        cached = getattr(self, "_modes_cache", None)
        if cached is None:
            cached = {f.path: f.validators for f in self.feeds}
            self._modes_cache = cached
        return cached

    def registry_yaml(self, base_url: str) -> str:
        feeds = [{
            "id": f.id, "title": f.title, "author": f.author, "site": f.site,
            "feed": f"{base_url}/{f.path}", "specialties": list(f.specialties),
        } for f in self.feeds]
        return "# Synthetic registry written by bench/corpus.py\n" + yaml.safe_dump(
            {"feeds": feeds}, allow_unicode=True, sort_keys=False, width=200)

    # --- archive rows for the store ------------------------------------------

    def archive_entries(self, feed: FeedSpec, count: int):
        """`count` CleanEntry rows older than anything served (k = -1, -2, …)."""
        from pelican.plugins.blogroll.core.entrykeys import content_hash
        from pelican.plugins.blogroll.core.model import CleanEntry

        out = []
        for j in range(1, count + 1):
            e = self.entry(feed, -j)
            out.append(CleanEntry(
                feed_id=feed.id, guid=e.guid, link=e.link, title=e.title, excerpt=e.text_excerpt + " …",
                published=e.published, tags=e.tags, specialties=feed.specialties,
                content_hash=content_hash(e.title, e.text_excerpt), own_link=True,
            ))
        return out


def _rfc822(d: datetime) -> str:
    from email.utils import format_datetime

    return format_datetime(d.astimezone(UTC), usegmt=True)


def _iso(d: datetime) -> str:
    return d.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _rss(feed: FeedSpec, entries: list[EntrySpec]) -> str:
    items = []
    for e in entries:
        cats = "".join(f"<category><![CDATA[{t}]]></category>" for t in e.tags)
        items.append(
            f"<item>\n<title>{html.escape(e.title, quote=False)}</title>\n<link>{e.link}</link>\n"
            f"<dc:creator><![CDATA[Camille Testard]]></dc:creator>\n<pubDate>{_rfc822(e.published)}</pubDate>\n"
            f"{cats}\n<guid isPermaLink=\"false\">{html.escape(e.guid)}</guid>\n"
            f"<description><![CDATA[{e.text_excerpt} [&#8230;]]]></description>\n"
            f"<content:encoded><![CDATA[{e.html}]]></content:encoded>\n</item>")
    updated = _rfc822(entries[0].published) if entries else _rfc822(BASE)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        f"<channel>\n<title>{html.escape(feed.title, quote=False)}</title>\n<link>{feed.site}</link>\n"
        f'<atom:link href="{feed.site}feed/" rel="self" type="application/rss+xml"/>\n'
        f"<description>Un blog de soignant</description>\n<language>fr-FR</language>\n"
        f"<lastBuildDate>{updated}</lastBuildDate>\n<generator>https://wordpress.example/?v=6.5</generator>\n"
        + "\n".join(items) + "\n</channel>\n</rss>\n")


def _atom(feed: FeedSpec, entries: list[EntrySpec], *, escaped: bool) -> str:
    def payload(markup: str) -> str:
        return html.escape(markup, quote=False) if escaped else f"<![CDATA[{markup}]]>"

    items = []
    for e in entries:
        cats = "".join(f'<category scheme="{feed.site}" term="{html.escape(t)}"/>' for t in e.tags)
        items.append(
            f"<entry>\n<author><name>Camille Testard</name><email>camille.testard@example.org</email>"
            f"<uri>{feed.site}</uri></author>\n"
            f'<title type="html">{payload(html.escape(e.title, quote=False))}</title>\n'
            f'<link rel="alternate" type="text/html" href="{e.link}"/>\n<id>{html.escape(e.guid)}</id>\n'
            f"<updated>{_iso(e.published)}</updated>\n<published>{_iso(e.published)}</published>\n{cats}\n"
            f'<summary type="html">{payload(e.text_excerpt + " [&#8230;]")}</summary>\n'
            f'<content type="html" xml:base="{e.link}">{payload(e.html)}</content>\n</entry>')
    updated = _iso(entries[0].published) if entries else _iso(BASE)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">\n'
        f'<title type="text">{html.escape(feed.title, quote=False)}</title>\n'
        f"<subtitle type=\"text\">Un blog de soignant</subtitle>\n<updated>{updated}</updated>\n"
        f"<id>{feed.site}feed/atom/</id>\n"
        f'<link rel="alternate" type="text/html" href="{feed.site}"/>\n'
        f'<link rel="self" type="application/atom+xml" href="{feed.site}feed/atom/"/>\n'
        f'<generator uri="https://blogger.example/" version="7.00">Blogger</generator>\n'
        + "\n".join(items) + "\n</feed>\n")
