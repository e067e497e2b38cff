"""Docs du Net blogroll: a Pelican plugin that aggregates pseudonymous health blogs.

The folders are the pipeline, in order: registry -> fetch -> parse -> clean -> store -> site,
on the shared core/; maint/ holds the maintainer tools (README, "How it works").
"""

from __future__ import annotations


def _force_autoescape(pelican) -> None:
    # Pelican's Jinja environment has no autoescape by default; ours always does.
    env = pelican.settings.setdefault("JINJA_ENVIRONMENT", {})
    env["autoescape"] = True


def _take_over_theme_static(pelican) -> None:
    # Pelican copies the theme's static files at every build, giving them new
    # mtimes; the blogroll generator copies them through its writer instead,
    # which leaves unchanged files untouched (the hourly deploy uploads nothing).
    s = pelican.settings
    s.setdefault("BLOGROLL_THEME_STATIC_PATHS", list(s.get("THEME_STATIC_PATHS", [])))
    s["THEME_STATIC_PATHS"] = []


def _generators(pelican):
    from .generator import BlogrollGenerator

    return BlogrollGenerator


def _writer(pelican):
    # Pelican's writer, minus rewriting unchanged pages (content/pages).
    from .site.builder.pelicanwriter import UnchangedSkippingWriter

    return UnchangedSkippingWriter


def register() -> None:
    """Connect module-level receivers: connecting them again is a no-op (tests build many times)."""
    from pelican import signals

    signals.initialized.connect(_force_autoescape)
    signals.initialized.connect(_take_over_theme_static)
    signals.get_generators.connect(_generators)
    signals.get_writer.connect(_writer)
