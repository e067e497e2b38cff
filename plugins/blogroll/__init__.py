"""Docs du Net blogroll: a Pelican plugin that aggregates pseudonymous health blogs.

Pipeline, one module per stage: registry -> fetch -> parse -> clean -> store -> site.
"""

from __future__ import annotations


def _force_autoescape(pelican) -> None:
    # Pelican's Jinja environment has no autoescape by default; ours always does.
    env = pelican.settings.setdefault("JINJA_ENVIRONMENT", {})
    env["autoescape"] = True


def _generators(pelican):
    from .generator import BlogrollGenerator

    return BlogrollGenerator


def register() -> None:
    """Connect module-level receivers: connecting them again is a no-op (tests build many times)."""
    from pelican import signals

    signals.initialized.connect(_force_autoescape)
    signals.get_generators.connect(_generators)
