"""The host site's own output files: the blogroll never overwrites one of them.

Pelican writes the host's pages (its home page, feeds, articles, pages, static
files…) into the same output folder as the blogroll. Two checks:

- `predicted`, before anything is fetched: the files Pelican's settings and the
  host's content say it writes. `choose_prefix` serves the blogroll under
  « blogroll/ » when BLOGROLL_URL_PREFIX is not set and the host has its own home
  page or feed (or any file) where the blogroll's would go: a site made by
  pelican-quickstart builds with the defaults and keeps its own index.html.
- `HostFiles.reserved`, before the blogroll writes: what Pelican's writer did
  write (the `content_written` and `feed_written` signals, recorded by the
  plugin's receivers in __init__.py), the static files Pelican copies after
  the blogroll, and the predicted files. The output writer refuses to write or
  keep one of them (`writer.HostCollision`): the build stops with one French
  line naming both sides and the setting that separates them.
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from .. import urls

log = logging.getLogger(__name__)

CONTEXT_KEY = "blogroll_host_files"  # where the generator puts its HostFiles in Pelican's context

# Feeds Pelican writes at a fixed path, and those named by a category, an author or a tag slug.
_FEEDS = ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS")
_SLUG_FEEDS = {"CATEGORY_FEED_ATOM": "categories", "CATEGORY_FEED_RSS": "categories",
               "AUTHOR_FEED_ATOM": "authors", "AUTHOR_FEED_RSS": "authors",
               "TAG_FEED_ATOM": "tags", "TAG_FEED_RSS": "tags"}
_CONTENTS = (("articles", "l'article"), ("drafts", "le brouillon"), ("hidden_articles", "l'article caché"),
             ("pages", "la page"), ("hidden_pages", "la page cachée"), ("draft_pages", "la page brouillon"))


def _rel(path: Any) -> str:
    return os.path.normpath(str(path)).replace(os.sep, "/").lstrip("/")


def predicted(settings: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, str]:
    """{output path: what writes it} for the files the host's settings and content make Pelican
    write (its articles and pages must already be in `context`)."""
    found: dict[str, str] = {}
    for name in settings.get("DIRECT_TEMPLATES") or ():
        key = f"{str(name).upper()}_SAVE_AS"
        save_as = settings.get(key, f"{name}.html")
        if save_as:
            what = "la page d'accueil du site" if name == "index" else f"la page « {name} » du site"
            found.setdefault(_rel(save_as), f"{what} ({key})")
    for key in _FEEDS:
        if settings.get(key):
            found.setdefault(_rel(settings[key]), f"le flux du site ({key})")
    for key, listing in _SLUG_FEEDS.items():
        pattern = settings.get(key)
        for item in _firsts(context.get(listing)) if pattern else ():
            slug = getattr(item, "slug", None)
            if slug:
                found.setdefault(_rel(str(pattern).format(slug=slug)), f"le flux « {slug} » du site ({key})")
    for source, dest in (settings.get("TEMPLATE_PAGES") or {}).items():
        found.setdefault(_rel(dest), f"la page {source} du site (TEMPLATE_PAGES)")
    for source, meta in (settings.get("EXTRA_PATH_METADATA") or {}).items():
        if isinstance(meta, Mapping) and meta.get("save_as", meta.get("path")):
            found.setdefault(_rel(meta.get("save_as", meta.get("path"))),
                             f"le fichier statique {source} du site (EXTRA_PATH_METADATA)")
    for key, what in _CONTENTS:
        for item in _with_translations(context.get(key)):
            if getattr(item, "save_as", ""):
                found.setdefault(_rel(item.save_as), f"{what} {_source(item)} du site")
    return found


def _firsts(listing: Any) -> Iterable[Any]:
    """Categories, authors or tags from Pelican's context: (item, articles) pairs."""
    for pair in listing or ():
        yield pair[0] if isinstance(pair, tuple) else pair


def _with_translations(items: Any) -> Iterable[Any]:
    for item in items or ():
        yield item
        yield from getattr(item, "translations", ()) or ()


def _source(item: Any) -> str:
    return str(getattr(item, "relative_source_path", None) or getattr(item, "source_path", "") or "?")


def choose_prefix(setting: str | None, host: Mapping[str, str]) -> urls.UrlMap:
    """The URL map: BLOGROLL_URL_PREFIX when set (« » included); else the site's root, unless
    the host writes files the blogroll would write there: then urls.AUTO_PREFIX, said once."""
    if setting is not None:
        return urls.UrlMap(urls.normalize_prefix(setting))
    clashes = sorted(path for path in host if urls.ROOT.claims(path))
    if not clashes:
        return urls.ROOT
    shown = ", ".join(f"{path} ({host[path]})" for path in clashes[:3]) + (" …" if len(clashes) > 3 else "")
    log.info("blogroll : le site écrit déjà %s ; le blogroll est servi sous %s (réglez BLOGROLL_URL_PREFIX "
             "pour choisir son dossier, « » pour la racine)", shown, urls.AUTO_PREFIX)
    return urls.UrlMap(urls.AUTO_PREFIX)


class HostFiles:
    """What Pelican's writer writes in this build (the plugin's signal receivers call `wrote`
    until the blogroll starts writing), and with the static files, what the blogroll must not."""

    def __init__(self, output_dir: str):
        self.output_dir = os.path.abspath(output_dir)
        self.written: dict[str, str] = {}
        self.recording = True

    def wrote(self, path: str, context: Mapping[str, Any] | None) -> None:
        if not self.recording:
            return
        rel = os.path.relpath(os.path.abspath(path), self.output_dir).replace(os.sep, "/")
        if rel.startswith("../"):
            return
        context = context or {}
        if context.get("article") is not None:
            what = f"l'article {_source(context['article'])} du site"
        elif context.get("page") is not None:
            what = f"la page {_source(context['page'])} du site"
        else:
            what = "un fichier que Pelican écrit pour le site"
        self.written.setdefault(rel, what)

    def reserved(self, context: Mapping[str, Any], host: Mapping[str, str]) -> dict[str, str]:
        """Every file of the host's: written so far, predicted (`host`), and the static files
        Pelican copies after the blogroll's generator. Recording stops here: what follows is ours."""
        self.recording = False
        files = {**self.written, **host}  # the predicted ones say which setting writes them
        for item in context.get("staticfiles") or ():
            if getattr(item, "save_as", ""):
                files.setdefault(_rel(item.save_as), f"le fichier statique {_source(item)} du site")
        return files


def host_wrote(path: str, context: Mapping[str, Any] | None = None, **_: Any) -> None:
    """Pelican's writer wrote `path` for the host site (content_written, feed_written): noted
    where the blogroll's generator left its notebook in the context (none when inactive). The
    plugin connects it (__init__.py `register`)."""
    files = (context or {}).get(CONTEXT_KEY)
    if files is not None:
        files.wrote(path, context)


def others_listen(signal: Any) -> bool:
    """Whether a receiver other than the plugin's own `host_wrote` is connected to `signal`
    (True when blinker does not say: then every file is announced, as before)."""
    receivers = getattr(signal, "receivers", None)
    if not isinstance(receivers, dict):
        return True
    for receiver in list(receivers.values()):
        target = receiver() if isinstance(receiver, weakref.ref) else receiver
        if target is not None and target is not host_wrote:
            return True
    return False
