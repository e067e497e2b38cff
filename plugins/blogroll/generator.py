"""Pelican glue: a generator that runs the pipeline and writes the blogroll pages.

The blogroll pages are written by our own generator rather than injected as
Pelican articles: Pelican's article path is O(N²) in places and would write
full-content pages we must not publish. Pelican still renders content/pages
(the charter, the 404 page); the theme's static files are copied by this
generator through the output writer (see __init__.py).

An hourly build where nothing changed renders nothing: the build fingerprint
(code, theme, content, settings, registry, every archived entry, the day;
site/fingerprint.py) is compared with the last build's, and /etat/ is
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
import os
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pelican.generators import Generator

from . import pipeline, registry
from .core.settings import Settings
from .site import urls
from .site.build import fingerprint
from .site.model import quarantine, views
from .site.model.health import statuses
from .site.build.render import Renderer
from .site.build.writer import OutputWriter
from .store import Store

log = logging.getLogger(__name__)


class BlogrollGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Feed text is hostile: every template of ours is autoescaped, whatever
        # JINJA_ENVIRONMENT says. Only sanitizer output may be marked safe.
        self.env.autoescape = True
        # Templates do not change during a build: no stat() of every template at every page.
        self.env.auto_reload = False
        self.blogroll = Settings.load(self.settings, base=Path.cwd())
        self.store: Store | None = None
        self.timings: dict[str, float] = {}

    @contextmanager
    def _timed(self, phase: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] = round(self.timings.get(phase, 0.0) + time.perf_counter() - started, 3)

    def generate_context(self) -> None:
        s = self.blogroll
        warnings: list = []
        with self._timed("registry"):
            reg = registry.load(s.feeds, s.specialties, allow_private=s.allow_private, warnings=warnings,
                                takedowns_path=s.takedowns)
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
                report = pipeline.update(reg, self.store, s, now, timings=self.timings)
            log.info("blogroll: %d parsed, %d not modified (304), %d unchanged, %d failed, %d skipped; "
                     "%d new entries, %d updated", report.fetched, report.not_modified, report.unchanged_body,
                     report.failed, report.skipped, report.new_entries, report.updated_entries)
            for feed_id, reason in sorted(report.errors.items()):
                log.warning("blogroll: %s: %s", feed_id, reason)
        with self._timed("health"):
            healths = self.store.all_health()
            histories = {f.id: self.store.history(f.id, 24) for f in reg.feeds}
            self.now = now
            self.statuses = statuses(reg, healths, now, s.down_days, histories)
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        with self._timed("fingerprint"):
            self.fingerprints = self._fingerprints(reg, day)
            self.mode = self._mode()
        self.model = None
        if self.mode == "full":
            with self._timed("model"):
                self.model = views.build(reg, self._unquarantined(), day)
            self.context["blogroll_specialties"] = self.model.specialties

    def _unquarantined(self) -> list:
        """The archive minus the entries carrying a deny-listed name (site/model/quarantine.py)."""
        entries = self.store.entries()
        s = self.blogroll
        tokens = quarantine.load_denylist(s.privacy_denylist, s.privacy_denylist_file)
        if not tokens or s.test_no_redact:
            return entries
        entries, held = quarantine.split(entries, tokens)
        for e in held:
            log.warning("blogroll: quarantined (deny-listed name): feed %s, entry #%d of %s; "
                        "left out of this build", e.feed_id, e.id, e.sort_date.date().isoformat())
        return entries

    def _fingerprints(self, reg, day: datetime) -> dict[str, str | None]:
        try:
            scope = fingerprint.inputs_digest(
                theme=Path(self.theme), content=Path(self.path), pelican_settings=self.settings,
                blogroll_settings=self.blogroll, registry=reg) + day.date().isoformat()
        except (fingerprint.Uncacheable, OSError) as exc:
            log.info("blogroll: no build fingerprint (%s): everything is rendered", exc)
            return {"scope": None, "site": None, "status": None}
        return {"scope": scope, "site": fingerprint.site_digest(scope, self.store.digest()),
                "status": fingerprint.status_digest(self.statuses, day.date())}

    def _mode(self) -> str:
        """ "skip" (nothing changed), "status" (only feed states changed) or "full"."""
        fp = self.fingerprints
        self.out = OutputWriter(Path(self.output_path), self.blogroll.state_dir / "output-manifest.json")
        self.memo = fingerprint.RenderMemo(self.blogroll.state_dir / "render-memo.json", self.out._key(),
                                           fp["scope"])
        last = self.memo.last_build
        if fp["site"] is None or last.get("site") != fp["site"]:
            return "full"
        previous = self.out.previous()
        if not previous or not all((self.out.output_dir / rel).is_file() for rel in previous):
            return "full"  # output/ was emptied or edited: render again
        if fp["status"] is not None and last.get("status") == fp["status"]:
            return "skip"
        return "status"

    def generate_output(self, writer) -> None:
        s = self.blogroll
        out, memo, fp = self.out, self.memo, self.fingerprints
        try:
            renderer = Renderer(self.env, out, self.context, per_page=s.per_page,
                                site_url=self.settings.get("SITEURL", ""), site_name=s.site_name, memo=memo)
            status_files = {urls.file_for(urls.STATUS), urls.STATUS_JSON}
            if self.mode == "full":
                with self._timed("render"):
                    renderer.site(self.model, self.statuses, status_key=fp["status"], status_as_of=self.now)
                    self._copy_theme_static(out)
                self.timings.update(renderer.timings)
            else:
                memo.carry_over()
                for rel in sorted(out.previous()):
                    if self.mode == "skip" or rel not in status_files:
                        out.keep(rel)
                if self.mode == "status":
                    renderer.status(self.statuses, key=fp["status"], as_of=self.now)
            with self._timed("finish"):
                removed = out.finish()
                memo.save(site=fp["site"], status=fp["status"])
            self._save_report(written=len(out.changed), unchanged=out.unchanged, kept=out.kept,
                              removed=len(removed))
            log.info("blogroll: %s build, %d files written, %d unchanged, %d kept without rendering, %d removed",
                     self.mode, len(out.changed), out.unchanged, out.kept, len(removed))
        finally:
            if self.store is not None:
                self.store.close()
                self.store = None

    def _save_report(self, **counts: int) -> None:
        """What this build did and where its time went, for `make bench` (state/last-build.json)."""
        path = self.blogroll.state_dir / "last-build.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"mode": self.mode, **counts, "timings": self.timings}, indent=1), "utf-8")
        os.replace(tmp, path)

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
