"""Real builds of generated blogs, and everything they leave behind read back as text.

`Blog` is one registered feed (the documents its servers answer, build by build); `run_builds`
serves them on loopback (one server for all, plus one per blog that must be walked back: the
hourly backfill budget asks each host once per build), builds with real Pelican once per
registry in `builds` (the same state folder: the archive carries over), capturing the build
log — every record Pelican prints by default (WARNING and above, what the hourly CI job shows)
and every record of the project's own loggers from INFO (`make html -v`); a library's INFO
lines (httpx's request lines) are not the project's words — and returns `Evidence`: the output files (Pagefind's
compressed index read decompressed), their paths, the state folder's bytes (SQLite, its WAL)
and the build log, each as folded text.
"""

from __future__ import annotations

import gzip
import html
import logging
import os
import re
import sqlite3
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from adversary import fold
from conftest import Site, registry_yaml
from routeserver import RouteServer

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


@dataclass
class Route:
    body: str = ""
    atom: bool = False
    redirect_to: str | None = None     # a path on the same server: 301 there
    location: str | None = None        # any Location a server may send (302)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Blog:
    fid: str
    path: str                                        # the registered path, on its server
    routes: list[dict[str, Route]]                   # one {path: route} per build ({} = not registered)
    own_server: bool = False                         # walked back: a host of its own
    pseudonym: str = ""
    title: str = ""

    def registry_entry(self, base: str) -> dict[str, str]:
        return {"id": self.fid, "feed": base + self.path, "author": self.pseudonym or f"Plume {self.fid}",
                "title": self.title or f"Carnet {self.fid}"}


class View:
    """One file, path or log, folded (separators kept), squeezed, and as a set of words."""

    def __init__(self, label: str, folded: str) -> None:
        self.label, self.folded = label, folded
        self.squeezed = re.sub(r"[^a-z0-9]+", "", folded)
        self.words = set(re.findall(r"[a-z0-9]+", folded))

    def __repr__(self) -> str:
        return f"View({self.label!r}, {len(self.folded)} characters)"

    def has(self, needle: str, *, word: bool) -> bool:
        return needle in self.words if word else needle in self.squeezed


@dataclass
class Evidence:
    site: Site
    views: list[View]
    log: str

    def entries(self) -> list[dict]:
        db = sqlite3.connect(self.site.state / "blogroll.sqlite3")
        db.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in db.execute("SELECT * FROM entries")]
        finally:
            db.close()


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING and not record.name.startswith(("pelican.plugins.blogroll", "blogroll")):
            return
        try:
            self.lines.append(f"{record.name} {record.levelname} {record.getMessage()}")
        except Exception as exc:  # a malformed record is evidence too
            self.lines.append(f"{record.name} {record.msg!r} {record.args!r} {exc}")
        if record.exc_info and record.exc_info[1] is not None:
            self.lines.append(repr(record.exc_info[1]))


@contextmanager
def captured_log():
    root = logging.getLogger()
    handler, level = _Capture(), root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@contextmanager
def blog_env(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _serve(rs: RouteServer, routes: dict[str, Route]) -> None:
    rs.routes.clear()
    for path, r in routes.items():
        if r.redirect_to:
            rs.redirect(path, rs.url + r.redirect_to, 301)
        elif r.location:
            rs.redirect(path, r.location, 302)
        else:
            rs.set(path, r.body, content_type=ATOM_TYPE if r.atom else RSS_TYPE, **r.headers)


def run_builds(root: Path, blogs: list[Blog], builds: int = 1) -> Evidence:
    root.mkdir(parents=True, exist_ok=True)
    site = Site(root)
    lines: list[str] = []
    walked = sum(b.own_server for b in blogs)
    with ExitStack() as stack:
        shared = stack.enter_context(RouteServer())
        servers = {b.fid: stack.enter_context(RouteServer()) if b.own_server else shared for b in blogs}
        # As tests/conftest.py: builds seconds apart on fixtures dated in the past (no adaptive
        # polling); the hourly backfill budget on, one page per walked blog and build.
        stack.enter_context(blog_env(BLOGROLL_BACKFILL_BUDGET=str(walked + 2), BLOGROLL_BACKFILL_DELAY="0",
                                     BLOGROLL_POLL_ADAPTIVE="0"))
        log = stack.enter_context(captured_log())
        for n in range(builds):
            merged: dict[RouteServer, dict[str, Route]] = {}
            entries = []
            for b in blogs:
                if not b.routes[n]:
                    continue
                merged.setdefault(servers[b.fid], {}).update(b.routes[n])
                entries.append(b.registry_entry(servers[b.fid].url))
            for rs in {id(s): s for s in servers.values()}.values():
                _serve(rs, merged.get(rs, {}))
            site.feeds.write_text(registry_yaml(entries), "utf-8")
            site.build()
        lines = list(log)
    log_text = "\n".join(lines)
    views = _views(site.output, "output") + _views(site.state, "state")
    views.append(_view("build log", log_text))
    return Evidence(site, views, log_text)


def read_any(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        with suppress(OSError, EOFError):  # not gzip after all: read as it is
            data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def _view(label: str, text: str) -> View:
    unescaped = html.unescape(text)
    joined = "\n".join((text, unescaped, unquote(unescaped), unquote(unquote(unescaped))))
    return View(label, fold(joined))


def _views(root: Path, prefix: str) -> list[View]:
    out = []
    if not root.exists():
        return out
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = str(path.relative_to(root))
        out.append(_view(f"{prefix}/{rel}", rel + "\n" + read_any(path)))
    return out


# How much text on each side of a needle makes its context (squeezed characters).
_MARGIN = 8


def _site_text(chrome: dict[str, View]) -> str:
    """Everything the site writes of its own: the chrome build's files, squeezed, and the
    sentences it writes only about withheld entries (a neutral build withholds none)."""
    from pelican.plugins.blogroll.clean.withhold import NEUTRAL_TITLE, WHY, withheld_note
    from pelican.plugins.blogroll.update.decide import UNSAFE_NEXT, UNSAFE_TEXT

    phrases = [NEUTRAL_TITLE, UNSAFE_NEXT, UNSAFE_TEXT, withheld_note(dict.fromkeys(WHY, 1)) or "",
               *(withheld_note({why: 1}) or "" for why in WHY)]
    return "\n".join([v.squeezed for v in chrome.values()] + [_view("phrases", p).squeezed for p in phrases])


def _own_words_only(v: View, needle: str, site: str) -> bool:
    """Whether every place `needle` stands in `v` (squeezed) is inside the site's own text: the
    needle with its context on both sides is found in `site` (« og:title content » holds
    « lecon », « adresse contient » holds « secon »); a name written anywhere else has its own
    context."""
    text, at = v.squeezed, v.squeezed.find(needle)
    while at >= 0:
        if text[max(0, at - _MARGIN):at + len(needle) + _MARGIN] not in site:
            return False
        at = text.find(needle, at + 1)
    return True


def found(views: list[View], sub: set[str], word: set[str], chrome: dict[str, View] | None = None,
          ) -> list[tuple[str, str, str]]:
    """(needle, view label, folded context) for every needle found in a view, unless the same
    file of `chrome` (a build without the identity) holds it too: then it is the site's own.
    A substring needle found only inside the site's own text (`_own_words_only`) is no leak."""
    chrome = chrome or {}
    site = _site_text(chrome) if chrome else ""
    hits = []
    for needle, is_word in [(n, False) for n in sorted(sub)] + [(n, True) for n in sorted(word)]:
        for v in views:
            own = chrome.get(v.label)
            if v.has(needle, word=is_word) and not (own and own.has(needle, word=is_word)) \
                    and not (site and not is_word and _own_words_only(v, needle, site)):
                hits.append((needle, v.label, _context(v, needle, is_word)))
                break
    return hits


def _context(v: View, needle: str, is_word: bool) -> str:
    if is_word:
        m = re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", v.folded)
        return v.folded[max(0, m.start() - 60):m.end() + 60] if m else ""
    i = v.squeezed.find(needle)
    return v.squeezed[max(0, i - 50):i + len(needle) + 50]




def view(label: str, text: str) -> View:
    """`text` as the oracle reads it: HTML entities and percent-escapes undone, folded."""
    return _view(label, text)
