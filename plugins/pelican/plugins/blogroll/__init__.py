"""Docs du Net blogroll: a Pelican plugin that aggregates pseudonymous health blogs.

The folders are the pipeline, in order: registry -> fetch -> parse -> clean -> store -> site,
on the shared core/, run by update/; maint/ holds the maintainer tools (docs/architecture.md).

It is the `pelican.plugins.blogroll` namespace plugin: installed, PLUGINS = ["blogroll"]
is enough, without PLUGIN_PATHS; `python -m pelican.plugins.blogroll` runs the maintainer
tools. It leaves its host alone:

- it does nothing at all unless BLOGROLL_FEEDS is set (pelicanconf or the environment):
  Pelican loads every installed namespace plugin where PLUGINS is not set, so another site
  built in the same environment gets one line in the log and nothing else;
- it never overwrites a file the host writes (site/builder/hostpaths.py): its pages go
  under « blogroll/ » when the host has its own home page or feed, and a file both would
  write stops the build with one French line;
- its own templates are autoescaped (not the host's); Pelican's writer and static copy
  are replaced only when the site asks for it (BLOGROLL_KEEP_UNCHANGED_FILES).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where they are used: importing the plugin stays light
    from .generator import BlogrollGenerator
    from .site.builder.pelicanwriter import UnchangedSkippingWriter

log = logging.getLogger(__name__)


def _configured(settings: Mapping[str, Any]) -> bool:
    from .core.settings import configured

    return configured(settings)


def _keeps_unchanged(settings: Mapping[str, Any]) -> bool:
    from .core.settings import Settings

    return _configured(settings) and Settings.load(settings).keep_unchanged_files


def _initialized(pelican: Any) -> None:
    if not _configured(pelican.settings):
        log.info("blogroll : inactif sur ce site, BLOGROLL_FEEDS n'est pas réglé (réglez-le, dans pelicanconf.py "
                 "ou l'environnement, sur le registre des blogs, par exemple « feeds.yaml », pour l'activer)")
        return
    from .faults import install_filter

    install_filter()  # faults of the surroundings in one French line, without a traceback
    _take_over_theme_static(pelican)


def _take_over_theme_static(pelican: Any) -> None:
    # Opt-in (BLOGROLL_KEEP_UNCHANGED_FILES): Pelican copies the theme's static files at
    # every build, giving them new mtimes; the blogroll generator copies them through its
    # writer instead, which leaves unchanged files untouched (the deploy uploads nothing).
    s = pelican.settings
    if not _keeps_unchanged(s):
        return
    s.setdefault("BLOGROLL_THEME_STATIC_PATHS", list(s.get("THEME_STATIC_PATHS", [])))
    s["THEME_STATIC_PATHS"] = []


def _generators(pelican: Any) -> type[BlogrollGenerator] | None:
    if not _configured(pelican.settings):
        return None
    from .generator import BlogrollGenerator

    return BlogrollGenerator


def _writer(pelican: Any) -> type[UnchangedSkippingWriter] | None:
    # Opt-in too: Pelican's writer, minus rewriting unchanged pages (content/pages).
    if not _keeps_unchanged(pelican.settings):
        return None
    from .site.builder.pelicanwriter import UnchangedSkippingWriter

    return UnchangedSkippingWriter


def register() -> None:
    """Connect module-level receivers: connecting them again is a no-op (tests build many times)."""
    from pelican import signals  # type: ignore[attr-defined]  # mypy reads plugins/pelican (our shim) as pelican

    signals.initialized.connect(_initialized)
    signals.get_generators.connect(_generators)
    signals.get_writer.connect(_writer)
    from .site.builder.hostpaths import host_wrote

    for name in ("content_written", "feed_written"):
        signal = getattr(signals, name, None)  # feed_written: not in every Pelican
        if signal is not None:
            signal.connect(host_wrote)
