"""Settings of the blogroll plugin and their defaults, in one place.

Each field can be set in pelicanconf.py as ``BLOGROLL_<NAME>`` and overridden
from the environment with the same name (the Makefile maps FEEDS, STATE and
OUTPUTDIR onto them). Nothing else in the plugin reads the environment
(the fetcher's HTTP clients ignore it too: trust_env=False), nor a
``BLOGROLL_<NAME>`` setting. Pelican's own settings are read from Pelican
where they are used (SITEURL, THEME_STATIC_DIR, THEME_STATIC_PATHS and
IGNORE_FILES in the generator and the plugin's __init__; what the host writes,
DIRECT_TEMPLATES, the feeds, EXTRA_PATH_METADATA…, in site/builder/hostpaths.py;
all of them in the build fingerprint); BLOGROLL_THEME_STATIC_PATHS is no setting
but the plugin's own note in Pelican's settings, from __init__ to the generator.

The plugin is a guest on the host's site: it does nothing unless BLOGROLL_FEEDS
is set (`configured`), and what is not set comes from the host where it can
(`load`: the name from SITENAME, the Atom ids' authority and the contact URL
from SITEURL) or from the package (the default vocabulary of specialties).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SITE_NAME = "Docs du Net"
# The vocabulary of specialties shipped in the package (package data): used when
# BLOGROLL_SPECIALTIES is not set and the project has no specialties.yaml of its own.
DEFAULT_SPECIALTIES = Path(__file__).resolve().parent.parent / "registry" / "default" / "specialties.yaml"
# The date of the Atom tag authority derived from SITEURL (RFC 4151: a domain, a date its owner
# held it on). A fixed year, the one this default was introduced, not the build's: ids must
# never change once published, whatever the clock, a lost state folder or a rebuilt archive.
TAG_YEAR = 2026


@dataclass(frozen=True)
class Settings:
    feeds: Path = Path("feeds.yaml")
    specialties: Path = Path("specialties.yaml")
    state_dir: Path = Path(".state")
    # Feeds and entries removed for good at their authors' request (missing file: none).
    takedowns: Path = Path("takedowns.yaml")
    # Build from the store only, without any network access.
    offline: bool = False
    # Let feed URLs be loopback or private addresses: lifts the SSRF guard (fetch/netguard.py)
    # and the registry's check of feed addresses. For feeds served on this machine: `make demo`
    # and `make screenshots` (tools/demo.py, tools/browsersite.py), the benchmarks, the tests.
    # A public deploy leaves it off. It touches where feeds may be fetched from, not redaction.
    allow_private: bool = False
    concurrency: int = 16
    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    max_entries_per_feed: int = 200
    excerpt_words: int = 50
    per_page: int = 20
    # Feeds down for this many days are listed first on /etat/.
    down_days: int = 7
    # Worker processes for parsing (0 = parse in the main process).
    parse_workers: int = 2
    # Parse with feedparser-rs where it is proven equal to feedparser (parse/fast.py), with
    # feedparser for every other document; off: feedparser alone.
    native_parser: bool = True
    # Deny-list of real names for the build's quarantine (entries carrying one are left out of
    # the build and listed in the log): newline-separated, or files (« : »-separated). CI sets
    # them from the same secret as tools/privacy_check.py's PRIVACY_DENYLIST.
    privacy_denylist: str = ""
    privacy_denylist_file: str = ""
    # The build's clock, ISO 8601 (« 2026-11-20T08:00:00+00:00 »), for reproducible builds
    # and tests; empty: the real clock.
    now: str = ""
    # Adaptive polling (schedule.py): a feed is fetched again after (time since its newest
    # post) / poll_divisor, kept between poll_min_hours and poll_max_hours, and no sooner
    # than its cache headers, <ttl> or sy:updatePeriod allow (within the same bounds).
    poll_adaptive: bool = True
    poll_min_hours: float = 1.0
    poll_max_hours: float = 24.0
    poll_divisor: float = 8.0
    # Backfill (backfill.py): walking each feed's older pages once. Caps per feed, per run.
    backfill_max_pages: int = 100
    backfill_max_entries: int = 5000
    backfill_max_bytes: int = 50 * 1024 * 1024
    backfill_max_seconds: float = 600.0
    # Seconds between two requests to the same host (tests set 0).
    backfill_delay: float = 2.0
    # Blogger pages: entries asked per page (max-results).
    backfill_page_size: int = 25
    # Older pages fetched by each hourly build (0: none), and its time bound in seconds.
    backfill_budget: int = 3
    backfill_budget_seconds: float = 20.0
    # Where a blog's owner can reach the site: in the User-Agent of every fetch and the OPML's
    # <ownerId>. Empty: the root of SITEURL (none without a SITEURL).
    contact_url: str = ""
    # Joining (the « Proposer un blog » page, the footer): the project's public repository
    # (https://…; its « Proposer un blog » issue form, its CONTRIBUTING.md) and an address for
    # proposals by e-mail. Empty: the page offers what is set.
    repository_url: str = ""
    join_email: str = ""
    # Empty: Pelican's SITENAME (then « Docs du Net »).
    site_name: str = ""
    # Empty: Pelican's SITESUBTITLE. The feeds' <subtitle>.
    site_subtitle: str = ""
    # Authority of the tag: URIs of the Atom ids (RFC 4151): a domain the site owns, a date
    # it owned it on. Ids must never change: set it once. Empty: SITEURL's host name and
    # TAG_YEAR (« ailleurs.example,2026 »), « localhost,2026 » without a SITEURL.
    tag_authority: str = ""
    # Where the blogroll's pages go in the output: « » (the site's root) or a folder
    # (« blogroll/ »). None (not set): the root, unless the site writes its own home page or
    # feed there, then « blogroll/ » (site/urls.py, docs/urls.md).
    url_prefix: str | None = None
    # The feeds' <icon> (square) and <logo> (2:1): paths under SITEURL, empty for none.
    feed_icon: str = ""
    feed_logo: str = ""
    # Let the plugin write Pelican's pages and the theme's static files too, leaving unchanged
    # files untouched (the deploy uploads nothing when nothing changed). Off: Pelican's own.
    keep_unchanged_files: bool = False
    user_agent: str = field(default="")

    def __post_init__(self) -> None:
        if not self.site_name:
            object.__setattr__(self, "site_name", SITE_NAME)
        if not self.tag_authority:
            object.__setattr__(self, "tag_authority", tag_authority_for(""))
        if not self.user_agent:
            contact = f"; +{self.contact_url}" if self.contact_url else ""
            object.__setattr__(self, "user_agent", f"DocsDuNet/0.1 (blogroll{contact})")

    def clock(self) -> datetime:
        """The time this build runs at: `now` when set, else the real clock (UTC)."""
        if not self.now:
            return datetime.now(UTC)
        moment = datetime.fromisoformat(self.now)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    @classmethod
    def load(cls, pelican_settings: Mapping[str, Any] | None = None,
             environ: Mapping[str, str] | None = None, base: Path | None = None) -> Settings:
        """Defaults, then pelicanconf's BLOGROLL_*, then the environment's BLOGROLL_*; what is
        not set comes from the host's settings (SITENAME, SITESUBTITLE, SITEURL) and, for the
        vocabulary, from the package when the project (`base`) has no specialties.yaml."""
        pelican_settings = pelican_settings or {}
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = "BLOGROLL_" + f.name.upper()
            raw = environ.get(key)
            if raw is None or raw == "":
                raw = pelican_settings.get(key)
                if raw is None:  # not set (None in pelicanconf says so too)
                    continue
            values[f.name] = _coerce(f, raw)
        for name, key in (("site_name", "SITENAME"), ("site_subtitle", "SITESUBTITLE")):
            if not values.get(name) and pelican_settings.get(key):
                values[name] = str(pelican_settings[key])
        site_url = str(pelican_settings.get("SITEURL") or "")
        values["tag_authority"] = values.get("tag_authority") or tag_authority_for(site_url)
        values["contact_url"] = values.get("contact_url") or contact_url_for(site_url)
        if "specialties" not in values and base is not None and not (base / cls.specialties).is_file():
            values["specialties"] = DEFAULT_SPECIALTIES
        settings = cls(**values)
        if base is not None:
            settings = settings.resolve(base)
        return settings

    def resolve(self, base: Path) -> Settings:
        """Make relative paths relative to `base` (the project folder)."""
        return dataclasses.replace(
            self,
            feeds=_under(base, self.feeds),
            specialties=_under(base, self.specialties),
            takedowns=_under(base, self.takedowns),
            state_dir=_under(base, self.state_dir),
        )


def given(name: str, pelican_settings: Mapping[str, Any] | None = None,
          environ: Mapping[str, str] | None = None) -> bool:
    """BLOGROLL_<NAME> is set (not empty) in pelicanconf or the environment."""
    environ = os.environ if environ is None else environ
    key = "BLOGROLL_" + name.upper()
    return bool(environ.get(key)) or (pelican_settings or {}).get(key) not in (None, "")


def configured(pelican_settings: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """The plugin does something only where BLOGROLL_FEEDS is set: installed in an environment
    that builds other sites (a namespace plugin loads itself where PLUGINS is not set), it
    leaves them alone."""
    return given("feeds", pelican_settings, environ)


def tag_authority_for(site_url: str) -> str:
    """« ailleurs.example,2026 » for https://ailleurs.example/…; « localhost,2026 » without one."""
    host = (urlsplit(site_url).hostname or "") if "//" in site_url else ""
    return f"{host or 'localhost'},{TAG_YEAR}"


def contact_url_for(site_url: str) -> str:
    """The root of SITEURL (« https://ailleurs.example/ »); « » without an absolute SITEURL."""
    return site_url.rstrip("/") + "/" if site_url.startswith(("https://", "http://")) else ""


def _under(base: Path, p: Path) -> Path:
    return p if p.is_absolute() else base / p


_TRUE = {"1", "true", "yes", "on", "oui"}


def _coerce(f: dataclasses.Field, raw: Any) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    if kind == "bool":
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in _TRUE
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    if kind == "Path":
        return Path(raw)
    return str(raw)
