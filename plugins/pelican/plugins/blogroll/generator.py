"""Pelican glue: a generator that runs the update path (update/) and writes the blogroll pages.

The blogroll pages are written by our own generator rather than injected as
Pelican articles: Pelican's article path is O(N²) in places and would write
full-content pages we must not publish. Pelican still renders content/pages
(the charter, the 404 page); the theme's static files are copied by this
generator through the output writer (see __init__.py).

An hourly build where nothing changed renders nothing: the build fingerprint
(code, theme, content, settings, registry, every archived entry, the day;
site/builder/fingerprint.py) is compared with the last build's, and /etat/ is
rendered again only when a feed's state changed (or once a day). When
something did change, pages whose inputs are the same as last time are kept
as they are (per-page keys in the state folder). Pages are rendered with the
clock at the start of the day (UTC), as they show dates by the day, so that
two builds of the same day render the same bytes.
"""

from __future__ import annotations

import fnmatch
import json
import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jinja2 import Environment
from pelican.generators import Generator

from . import registry, update
from .core.files import write_atomic
from .core.model import Registry
from .core.settings import DEFAULT_SPECIALTIES, Settings, given
from .core.timing import timed
from .faults import BuildFault, explained_stage
from .site import urls
from .site.builder import fingerprint, hostpaths
from .site.builder.assets import SearchAssets, search_assets
from .site.builder.templates import plugin_environment
from .site.builder.writer import HostCollision, OutputWriter
from .site.model import quarantine
from .site.model.health import FeedStatus, statuses
from .store import Store

if TYPE_CHECKING:
    from .site.builder.render import Renderer
    from .site.model.views import SiteModel

log = logging.getLogger(__name__)

Mode = Literal["skip", "status", "full"]


@dataclass(frozen=True)
class Fingerprints:
    """Digests of this build's inputs (site/builder/fingerprint.py); None: could not be taken."""

    scope: str | None   # code, theme, content, settings, registry, the day
    site: str | None    # scope + every archived entry
    status: str | None  # what /etat/ shows of each feed's state


@dataclass(frozen=True)
class BuildPlan:
    """What generate_context decided, for generate_output to carry out."""

    mode: Mode
    now: datetime
    fingerprints: Fingerprints
    statuses: list[FeedStatus]
    model: SiteModel | None  # built only for a full build
    writer: OutputWriter
    memo: fingerprint.RenderMemo


def decide(prints: Fingerprints, last_build: dict, writer: OutputWriter) -> Mode:
    """ "skip" (nothing changed), "status" (only feed states changed) or "full"."""
    if prints.site is None or last_build.get("site") != prints.site:
        return "full"
    if not writer.previous_intact():
        return "full"  # output/ was emptied or edited: render again
    if prints.status is not None and last_build.get("status") == prints.status:
        return "skip"
    return "status"


def announce_written(out: OutputWriter, context: dict) -> None:
    """Pelican's `content_written` for every file of the plugin's output, as Pelican's writer
    sends it for its own (other plugins minify, index or list them from there)."""
    from pelican import signals  # type: ignore[attr-defined]  # mypy reads plugins/pelican (our shim) as pelican

    if not hostpaths.others_listen(signals.content_written):
        return  # ours alone, and it records the host's files only: 62,000 sends were a second an hour
    for rel in sorted(out.written):
        signals.content_written.send(str(out.output_dir / rel), context=context)


class BlogrollGenerator(Generator):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.env: Environment = plugin_environment(self.env)
        self.blogroll = Settings.load(self.settings, base=Path.cwd())
        # What Pelican writes for the host site (recorded by the plugin's receivers, __init__.py).
        self.host = hostpaths.HostFiles(self.output_path)
        self.context[hostpaths.CONTEXT_KEY] = self.host
        self.urls = urls.ROOT  # the URL map: under BLOGROLL_URL_PREFIX, or chosen by generate_context
        self.host_predicted: dict[str, str] = {}
        self.store: Store | None = None
        self.plan: BuildPlan | None = None  # what generate_context decided
        self.timings: dict[str, float] = {}

    def _timed(self, phase: str) -> AbstractContextManager[None]:
        return timed(self.timings, phase)

    def _announce(self) -> None:
        """The host's files (the URL prefix follows from them), and what the build takes from
        the host or the package because it is not set: said once, in the log."""
        s = self.blogroll
        self.host_predicted = hostpaths.predicted(self.settings, self.context)
        try:
            self.urls = hostpaths.choose_prefix(s.url_prefix, self.host_predicted)
        except ValueError as exc:
            raise BuildFault(f"échec : BLOGROLL_URL_PREFIX : {exc}")
        if s.specialties == DEFAULT_SPECIALTIES:
            log.info("blogroll : vocabulaire des spécialités par défaut (%s) ; BLOGROLL_SPECIALTIES ou un "
                     "specialties.yaml dans le projet le remplace", DEFAULT_SPECIALTIES)
        if not given("tag_authority", self.settings):
            log.info("blogroll : identifiants Atom en tag:%s:… (d'après SITEURL) ; fixez BLOGROLL_TAG_AUTHORITY "
                     "pour qu'ils ne changent jamais", s.tag_authority)

    @explained_stage
    def generate_context(self) -> None:
        s = self.blogroll
        self._announce()
        warnings: list = []
        with self._timed("registry"):
            reg = registry.load(s.feeds, s.specialties, allow_private=s.allow_private, warnings=warnings,
                                takedowns_path=s.takedowns, cache_dir=s.state_dir)
        for file, line, reason in warnings:
            log.warning("%s:%s: %s", file, line, reason)
        now = s.clock()
        self.store = Store(s.state_dir)
        # Takedowns first, offline or not: what was asked to go is gone from this build on.
        erased = self.store.erase(reg.takedowns)
        if erased:
            log.info("blogroll: %d entries erased (takedowns)", erased)
        if s.offline:
            log.info("blogroll: offline, building from the store only")
        else:
            with self._timed("update"):
                report = update.hourly(reg, self.store, s, now, timings=self.timings)
            log.info("blogroll: %d parsed, %d not modified (304), %d unchanged, %d failed, %d skipped; "
                     "%d new entries, %d updated", report.fetched, report.not_modified, report.unchanged_body,
                     report.failed, report.skipped, report.new_entries, report.updated_entries)
            for feed_id, reason in sorted(report.errors.items()):
                log.warning("blogroll: %s: %s", feed_id, reason)
        with self._timed("health"):
            healths = self.store.all_health()
            histories = {f.id: self.store.history(f.id, 24) for f in reg.feeds}
            feed_statuses = statuses(reg, healths, now, s.down_days, histories)
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        writer = OutputWriter(Path(self.output_path), s.state_dir / "output-manifest.json")
        with self._timed("fingerprint"):
            denied = self._denylist()
            prints = self._fingerprints(reg, day, feed_statuses, denied)
            memo = fingerprint.RenderMemo(s.state_dir / "render-memo.json", writer.key, prints.scope)
            mode = decide(prints, memo.last_build, writer)
        model = None
        if mode == "full":
            from .site.model import views  # an hour that renders nothing need not load it

            with self._timed("model"):
                model = views.build(reg, self._unquarantined(denied), day, self.urls)
            self.context["blogroll_specialties"] = model.specialties
        self.plan = BuildPlan(mode=mode, now=now, fingerprints=prints, statuses=feed_statuses, model=model,
                              writer=writer, memo=memo)

    def _denylist(self) -> tuple[str, ...]:
        s = self.blogroll
        return tuple(quarantine.load_denylist(s.privacy_denylist, s.privacy_denylist_file))

    def _unquarantined(self, tokens: tuple[str, ...]) -> list:
        """The archive minus the entries carrying a deny-listed name or a character that would
        make a page or a feed invalid (site/model/quarantine.py)."""
        assert self.store is not None
        entries, unfit = quarantine.split_unfit(self.store.entries())
        for e in unfit:
            log.warning("blogroll: quarantined (a character no page or feed may hold): feed %s, entry #%d of %s; "
                        "left out of this build", e.feed_id, e.id, e.sort_date.date().isoformat())
        if not tokens:
            return entries
        entries, held = quarantine.split(entries, list(tokens))
        for e in held:
            log.warning("blogroll: quarantined (deny-listed name): feed %s, entry #%d of %s; "
                        "left out of this build", e.feed_id, e.id, e.sort_date.date().isoformat())
        return entries

    def _fingerprints(self, reg: Registry, day: datetime, feed_statuses: list[FeedStatus],
                      denied: tuple[str, ...]) -> Fingerprints:
        assert self.store is not None
        try:
            scope = fingerprint.inputs_digest(
                theme=Path(self.theme), content=Path(self.path), pelican_settings=self.settings,
                blogroll_settings=self.blogroll, registry=reg) + day.date().isoformat() \
                + fingerprint.denylist_digest(denied)
        except (fingerprint.Uncacheable, OSError) as exc:
            log.info("blogroll: no build fingerprint (%s): everything is rendered", exc)
            return Fingerprints(None, None, None)
        return Fingerprints(scope=scope, site=fingerprint.site_digest(scope, self.store.digest()),
                            status=fingerprint.status_digest(feed_statuses, day.date()))

    @explained_stage
    def generate_output(self, writer: Any) -> None:  # Pelican's Writer: unused, ours is plan.writer
        plan = self.plan
        assert plan is not None, "generate_context runs first"
        out, memo, fp = plan.writer, plan.memo, plan.fingerprints
        out.reserved = self.host.reserved(self.context, self.host_predicted)
        try:
            status_files = {urls.file_for(self.urls.status), self.urls.status_json}
            if plan.mode == "full":
                assert plan.model is not None
                renderer = self._renderer(out, memo)
                with self._timed("render"):
                    renderer.site(plan.model, plan.statuses, status_key=fp.status, status_as_of=plan.now)
                    self._copy_theme_static(out)
                self.timings.update(renderer.timings)
            else:
                memo.carry_over()
                for rel in sorted(out.previous()):
                    if plan.mode == "skip" or rel not in status_files:
                        out.keep(rel)
                if plan.mode == "status":
                    self._renderer(out, memo).status(plan.statuses, key=fp.status, as_of=plan.now)
            with self._timed("finish"):
                removed = out.finish()
                memo.save(site=fp.site, status=fp.status)
            announce_written(out, self.context)
            self._save_report(plan.mode, written=len(out.changed), unchanged=out.unchanged, kept=out.kept,
                              removed=len(removed))
            log.info("blogroll: %s build, %d files written, %d unchanged, %d kept without rendering, %d removed",
                     plan.mode, len(out.changed), out.unchanged, out.kept, len(removed))
        except HostCollision as exc:
            raise BuildFault(f"échec : {exc} ; le site construit n'a pas été modifié par le blogroll.")
        finally:
            if self.store is not None:
                self.store.close()
                self.store = None

    def _renderer(self, out: OutputWriter, memo: fingerprint.RenderMemo) -> Renderer:
        # Imported here: an hour where nothing changed renders nothing and need not load the
        # renderer, its formats and the view model (~60 ms of the hour's start-up).
        from .site.builder import render

        s = self.blogroll
        return render.Renderer(self.env, out, self.context, per_page=s.per_page,
                               site_url=self.settings.get("SITEURL", ""), site_name=s.site_name, memo=memo,
                               settings=s, where=self.urls, assets=self._search_assets())

    def _search_assets(self) -> SearchAssets:
        """The theme's search script, or the package's (site/builder/assets.py)."""
        paths = self.settings.get("BLOGROLL_THEME_STATIC_PATHS", self.settings.get("THEME_STATIC_PATHS", []))
        return search_assets(Path(self.theme), paths, self.settings.get("THEME_STATIC_DIR", "theme"), self.urls)

    def _save_report(self, mode: str, **counts: int) -> None:
        """What this build did and where its time went, for `make bench` (state/last-build.json)."""
        write_atomic(self.blogroll.state_dir / "last-build.json",
                     json.dumps({"mode": mode, **counts, "timings": self.timings}, indent=1))

    def _copy_theme_static(self, out: OutputWriter) -> None:
        """The theme's static files, as Pelican would copy them, but through the writer:
        unchanged files keep their mtime (Pelican's copy rewrites them at every build)."""
        ignores = self.settings.get("IGNORE_FILES", [])
        dest = self.settings.get("THEME_STATIC_DIR", "theme")
        for rel in self.settings.get("BLOGROLL_THEME_STATIC_PATHS", []):
            source = Path(self.theme) / rel
            files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
            for path in files:
                parts = path.relative_to(source.parent if source.is_file() else source).parts
                if any(fnmatch.fnmatch(part, pattern) for part in parts for pattern in ignores):
                    continue
                out.write(f"{dest}/{'/'.join(parts)}", path.read_bytes())
