"""Pelican glue: a generator that runs the pipeline and writes the blogroll pages.

The blogroll pages are written by our own generator rather than injected as
Pelican articles: Pelican's article path is O(N²) in places and would write
full-content pages we must not publish. Pelican still renders content/pages
(the charter, the 404 page) and copies the theme's static files.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from pelican.generators import Generator

from . import pipeline, registry
from .settings import Settings
from .site import views
from .site.health import statuses
from .site.render import Renderer
from .site.writer import OutputWriter
from .store import Store

log = logging.getLogger(__name__)


class BlogrollGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Feed text is hostile: every template of ours is autoescaped, whatever
        # JINJA_ENVIRONMENT says. Only sanitizer output may be marked safe.
        self.env.autoescape = True
        self.blogroll = Settings.load(self.settings, base=Path.cwd())
        self.store: Store | None = None

    def generate_context(self) -> None:
        s = self.blogroll
        warnings: list = []
        reg = registry.load(s.feeds, s.specialties, allow_private=s.allow_private, warnings=warnings,
                            takedowns_path=s.takedowns)
        for file, line, reason in warnings:
            log.warning("%s:%s: %s", file, line, reason)
        now = datetime.now(timezone.utc)
        self.store = Store(s.state_dir)
        # Takedowns first, offline or not: what was asked to go is gone from this build on.
        erased = self.store.erase(reg.takedowns)
        if erased:
            log.info("blogroll: %d entries erased (takedowns)", erased)
        if s.offline:
            log.info("blogroll: offline, building from the store only")
        else:
            report = pipeline.update(reg, self.store, s, now)
            log.info("blogroll: %d parsed, %d not modified (304), %d unchanged, %d failed, %d skipped; "
                     "%d new entries, %d updated", report.fetched, report.not_modified, report.unchanged_body,
                     report.failed, report.skipped, report.new_entries, report.updated_entries)
            for feed_id, reason in sorted(report.errors.items()):
                log.warning("blogroll: %s: %s", feed_id, reason)
        healths = self.store.all_health()
        histories = {f.id: self.store.history(f.id, 24) for f in reg.feeds}
        self.model = views.build(reg, self.store.entries(), now)
        self.statuses = statuses(reg, healths, now, s.down_days, histories)
        self.context["blogroll_specialties"] = self.model.specialties

    def generate_output(self, writer) -> None:
        s = self.blogroll
        out = OutputWriter(Path(self.output_path), s.state_dir / "output-manifest.json")
        try:
            renderer = Renderer(self.env, out, self.context, per_page=s.per_page,
                                site_url=self.settings.get("SITEURL", ""), site_name=s.site_name)
            renderer.site(self.model, self.statuses)
            removed = out.finish()
            log.info("blogroll: %d files written, %d unchanged, %d removed",
                     len(out.changed), out.unchanged, len(removed))
        finally:
            if self.store is not None:
                self.store.close()
                self.store = None
