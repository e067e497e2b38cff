"""Plain typed data passed from one pipeline stage to the next.

registry -> FeedConfig, Vocabulary
fetch    -> FetchResult
parse    -> ParsedFeed (ParsedEntry...)   identity fields already dropped
clean    -> CleanEntry                    sanitized, scrubbed, excerpted
update   -> FeedUpdate                    one fetch decided: health, entries, walk state
store    -> StoredEntry, FeedHealth       what the site renders
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property, lru_cache

from .identity import Variants


def _no_variants() -> Variants:
    return Variants(frozenset(), frozenset())


@dataclass(frozen=True)
class Term:
    """A word or phrase that files a post by its content (specialties.yaml `strong`/`weak`).

    `unless`: words whose presence in the same post cancels this term (« PMA » near
    « festival » is a first-aid post, « FIV » near « chat » a cat's virus)."""

    text: str
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Specialty:
    slug: str
    label: str
    # Tag names: an entry tag equal to the label, the slug or one of these files it (match()).
    synonyms: tuple[str, ...] = ()
    # Content filing (clean/classify.py): a strong term files a post alone; weak ones
    # only two or more together, never one alone.
    strong: tuple[Term, ...] = ()
    weak: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    specialties: dict[str, Specialty]

    def label(self, slug: str) -> str:
        s = self.specialties.get(slug)
        return s.label if s else slug

    @cached_property
    def _names(self) -> dict[str, str]:
        """Every specialty's slug, label and synonyms, folded, to its slug (the registry
        refuses a name used by two specialties). Computed once per vocabulary."""
        from .text import fold

        index: dict[str, str] = {}
        for slug, spec in self.specialties.items():
            for name in (slug, spec.label, *spec.synonyms):
                index.setdefault(fold(name).strip(), slug)
        return index

    def slug_named(self, folded: str) -> str | None:
        """The specialty whose slug, label or a synonym is `folded` (already `text.fold`ed)."""
        return self._names.get(folded)

    def match(self, names: Iterable[str]) -> list[str]:
        """The specialties named by `names` (case and accents do not count), each once,
        in the order of `names`."""
        from .text import fold

        out: list[str] = []
        for name in names:
            slug = self._names.get(fold(name).strip())
            if slug is not None and slug not in out:
                out.append(slug)
        return out


@dataclass(frozen=True)
class FeedConfig:
    """One blog from feeds.yaml. `author` is the public pseudonym."""

    id: str
    title: str
    author: str
    site: str
    feed: str
    specialties: tuple[str, ...]
    lang: str = "fr"
    active: bool = True
    only_tags: tuple[str, ...] = ()
    noindex: bool = False
    # False: posts are filed by their blog's specialties and their tags only, never by
    # their words (a blog whose vocabulary misleads the content classifier).
    classify: bool = True
    line: int = 0

    @property
    def author_slug(self) -> str:
        from .text import slugify

        return slugify(self.author)

    @property
    def config_hash(self) -> str:
        """Changes whenever the maintainer edits the entry (used to retry gone feeds)."""
        return _config_hash(self)


@lru_cache(maxsize=8192)
def _config_hash(feed: FeedConfig) -> str:
    """FeedConfig.config_hash, remembered by value (asked three times per feed and run)."""
    data = asdict(feed)
    data.pop("line")
    if data["classify"]:  # the default: hashes made before the field existed stay the same
        data.pop("classify")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Takedowns:
    """What takedowns.yaml removes for good: whole feeds by id, single entries by key.

    `entries` holds normalized keys (clean.takedown_key), never the raw strings.
    """

    feeds: frozenset[str] = frozenset()
    entries: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.feeds or self.entries)

    @property
    def hashed(self) -> bool:
        """Some entries are given only as a hash (« sha256:… »)."""
        return any(k.startswith("hash:") for k in self.entries)


@dataclass(frozen=True)
class Registry:
    feeds: tuple[FeedConfig, ...]
    vocabulary: Vocabulary
    path: str = "feeds.yaml"
    # Feeds listed in takedowns.yaml are already left out of `feeds`.
    takedowns: Takedowns = field(default_factory=Takedowns)

    @property
    def active(self) -> tuple[FeedConfig, ...]:
        return tuple(f for f in self.feeds if f.active)

    def by_id(self) -> dict[str, FeedConfig]:
        return {f.id: f for f in self.feeds}


class Outcome(StrEnum):
    OK = "ok"                      # 200 with a body
    NOT_MODIFIED = "not_modified"  # 304
    GONE = "gone"                  # 410
    ERROR = "error"                # anything else


@dataclass(frozen=True)
class Validators:
    """Conditional-GET validators kept between runs, bound to the URL they came from."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    feed_id: str
    url: str
    outcome: Outcome
    fetched_at: datetime
    status: int | None = None
    body: bytes | None = None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # Set when a 301/308 was followed: maintainers should update feeds.yaml.
    permanent_url: str | None = None
    error: str | None = None
    retry_after: datetime | None = None
    content_type: str | None = None
    # Cache headers as the server sent them (on 200 and 304): update/plan.py honours them.
    cache_control: str | None = None
    expires: str | None = None


@dataclass(frozen=True)
class ParsedEntry:
    """One entry as the feed gave it, minus every identity field."""

    guid: str | None
    link: str | None
    title: str
    content_html: str
    published: datetime | None
    updated: datetime | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    entries: tuple[ParsedEntry, ...]
    title: str = ""
    link: str | None = None
    warnings: tuple[str, ...] = ()
    # Names, e-mails, usernames the feed carries (parse/identities.py): used by the clean
    # stage to redact them from the text, never stored or shown.
    identities: tuple[str, ...] = field(default=(), repr=False)
    # Person-looking strings of the channel's own fields (title, description, itunes:summary,
    # generator, image, media:title): no declared identity, so never cut by the redactor; the
    # detector withholds a text holding one (parse/identities.py `suspects`).
    suspects: tuple[str, ...] = field(default=(), repr=False)
    # How often the feed says it changes: RSS <ttl> (minutes), sy:updatePeriod/updateFrequency.
    ttl_minutes: int | None = None
    update_period: str | None = None
    update_frequency: int | None = None
    # Paging links of the feed document (RFC 5005 and the like), as (rel, href), and its
    # <generator>: update/walk.py walks the history with them.
    links: tuple[tuple[str, str], ...] = ()
    generator: str = ""
    # Which parser read it: "feedparser-rs", or "feedparser" with why the fast path declined
    # (parse/fast.py); for `make try`, not part of what the feed says.
    parser: str = field(default="", compare=False)


@dataclass(frozen=True)
class CleanEntry:
    """What may be stored and shown: plain-text title and excerpt, safe URLs."""

    feed_id: str
    guid: str | None
    link: str
    title: str
    excerpt: str
    published: datetime | None
    tags: tuple[str, ...]
    specialties: tuple[str, ...]
    content_hash: str
    # False when the feed gave no usable link and `link` is the blog's home page.
    own_link: bool = True
    # Why the entry is filed beyond its blog's specialties: (slug, words) pairs, the words
    # being vocabulary terms or « #tag ». For maintainers (`try`), never shown to readers.
    filed_by: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The post's own link held a name the feed declares: `link` is the blog's home page
    # instead (counted on /etat/ for the maintainer). Never stored.
    link_named: bool = False
    # The links the post makes to other sites, each as keys (clean/cites.py, core/linkkeys.py):
    # « Ce blog cite », « Cité par » and « Conversations » are made of them.
    cites: tuple[tuple[str, ...], ...] = ()
    # Why the detector withheld the entry's text (clean/withhold.py: WHY), "" when published as
    # cleaned. A withheld entry has a neutral title, no excerpt, no tags, the blog's home page as
    # link; the store keeps the reason so that /etat/ counts them, in our own words.
    withheld: str = ""
    # What the entry was cleaned from (clean/entry.py `raw_key`: the parsed entry, the feed's
    # declarations, the clean stage's code and settings), hashed: the same key in a later fetch,
    # and the entry is not cleaned again (update/worker.py). "" when not known.
    raw_key: str = ""


@dataclass(frozen=True)
class ParseOutcome:
    """One feed through parse and clean (update.worker.parse_and_clean): its entries, or the
    French reason it could not be read."""

    entries: tuple[CleanEntry, ...] | None
    error: str | None
    warnings: tuple[str, ...] = ()
    # What the feed says of itself: update pace (seconds, update.plan.feed_ttl), paging links
    # and generator (update/paging.py), and how many entries it held before cleaning.
    ttl: int | None = None
    links: tuple[tuple[str, str], ...] = ()
    generator: str = ""
    raw_count: int = 0
    # What the server sent that explains `error` (the maintainer's log only, never /etat/).
    detail: str = ""
    # The variants of what the feed declares (person fields, channel suspects), folded, in the
    # clear: held in memory by the parent process for this run (the cross-feed union, the
    # identity memory's hashes), never stored, logged or shown.
    variants: Variants = field(default_factory=_no_variants, repr=False, compare=False)
    # Entries not cleaned again: the archive holds them as this fetch gives them (`raw_key`);
    # and how many of those link to the blog's home page (`CleanEntry.link_named`).
    unchanged: int = 0
    unchanged_named: int = 0


@dataclass(frozen=True)
class StoredEntry:
    id: int
    feed_id: str
    guid: str | None
    link: str
    title: str
    excerpt: str
    published: datetime | None
    first_seen: datetime
    sort_date: datetime
    tags: tuple[str, ...]
    specialties: tuple[str, ...]
    filed_by: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # « De lien en lien » (core/linkkeys.py): the keys of the links the post makes, and of its
    # own link (page, then its possible site addresses; empty when it links to the blog's home).
    cites: tuple[tuple[str, ...], ...] = ()
    link_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedHealth:
    feed_id: str
    url: str = ""
    config_hash: str = ""
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    down_since: datetime | None = None
    next_attempt: datetime | None = None
    gone: bool = False
    permanent_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    entry_count: int = 0
    # Adaptive polling (update/plan.py): the newest post's date, what the server said about
    # freshness (cache headers, then the feed's <ttl>/sy:), and the planned next fetch.
    last_post: datetime | None = None
    fresh_until: datetime | None = None
    feed_ttl: int | None = None  # seconds
    next_poll: datetime | None = None
    # For the maintainer, on /etat/: our own words only (e.g. links replaced by the blog's home).
    note: str | None = None

    @property
    def validators(self) -> Validators:
        return Validators(self.url, self.etag, self.last_modified)


@dataclass(frozen=True)
class Attempt:
    """One past fetch of a feed, as the store keeps it (store.Store.history)."""

    at: datetime | None
    ok: bool
    status: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class BackfillState:
    """How far the history walk (update/walk.py) went along a feed's history (one row of the store's `backfill` table).

    `next_url` is the next older page to fetch; `done` is set once the history ends, a cap
    is reached or paging is unknown (`reason` says which, in French)."""

    feed_id: str
    feed_url: str
    strategy: str = ""          # "rfc5005", "wordpress", "blogger", "" (none found yet)
    next_url: str | None = None
    pages: int = 0
    entries: int = 0
    bytes: int = 0
    failures: int = 0
    done: bool = False
    reason: str = ""
    updated: datetime | None = None


@dataclass(frozen=True)
class FeedUpdate:
    """Everything one fetch of one feed changes in the store, decided before anything is
    written (update/decide.py), written by one call (store.Store.apply) in one transaction.
    The hourly run and the history walk make the same thing."""

    feed_id: str
    # The feed's new health, its polling plan included; None: left as it is (a walk's page).
    # The store derives the entry count itself.
    health: FeedHealth | None = None
    # Entries to archive (new ones added, known ones updated, none ever removed).
    entries: tuple[CleanEntry, ...] = ()
    # The feed's history walk after this fetch (a walk's page, or its first page seeded by
    # the hourly fetch); None: left as it is.
    walk: BackfillState | None = None
    # One more row of the feed's fetch history on /etat/ (a request was made for its health).
    attempted: bool = True
    # What the feed declared in this fetch, in the clear (ParseOutcome.variants): the store keeps
    # only keyed hashes of it (store/identities.py) and re-checks its archive when it is new.
    identities: Variants = field(default_factory=_no_variants, repr=False, compare=False)


@dataclass
class RunReport:
    fetched: int = 0
    not_modified: int = 0
    unchanged_body: int = 0
    failed: int = 0
    skipped: int = 0
    new_entries: int = 0
    updated_entries: int = 0
    # Older entries archived by this run's backfill budget (update/walk.py).
    backfilled: int = 0
    # Entries of the parsed feeds not cleaned again: the archive held them as fetched.
    unchanged_entries: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.new_entries or self.updated_entries or self.backfilled)
