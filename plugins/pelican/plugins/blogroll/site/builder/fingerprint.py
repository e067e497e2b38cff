"""Digests of what a build renders, so that an hourly build renders only what changed.

Two levels, both conservative (a digest covers everything the output is made of):

- the *build* fingerprint (`inputs_digest` + the store's entries + the
  registry + the day): when it equals the last successful build's, the
  generator renders nothing at all and keeps every file of the last build;
- per-page keys (`Digester` over a page's template context): a page whose key
  equals the one it was rendered with last time is kept as it is on disk.

`Digester` digests plain data — dataclasses, lists, tuples, dicts, strings,
numbers, dates, Markup — memoized by object for the duration of one build, so
an entry shared by a hundred pages is digested once. Anything it cannot
digest reproducibly (a function, an arbitrary object) makes the page
uncacheable rather than risking a stale page.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import hashlib
import json
import operator
import os
import types
import typing
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ...core.errors import BlogrollError
from ...core.files import write_atomic
from ...core.settings import Settings
from ..model.health import FeedStatus, state_of

# The whole package (site/builder/ -> blogroll/): its templates, and every stage's code.
PLUGIN_DIR = Path(__file__).resolve().parents[2]
# Libraries whose version can change the bytes of a page.
LIBRARIES = ("pelican", "jinja2", "markupsafe", "babel", "pagefind")
# Blogroll settings that only steer fetching (what they change reaches pages through
# the store, which is digested on its own). Any other setting is part of the digest.
FETCH_ONLY_SETTINGS = frozenset({
    "feeds", "specialties", "takedowns", "state_dir", "offline", "allow_private", "concurrency",
    "connect_timeout", "total_timeout", "max_bytes", "max_redirects", "max_entries_per_feed",
    "excerpt_words", "parse_workers", "user_agent",
    # When feeds are polled and how far their history is walked: what they change reaches
    # pages through the store and the feeds' health (/etat/'s own digest).
    "poll_adaptive", "poll_min_hours", "poll_max_hours", "poll_divisor", "backfill_max_pages",
    "backfill_max_entries", "backfill_max_bytes", "backfill_max_seconds", "backfill_delay",
    "backfill_page_size", "backfill_budget", "backfill_budget_seconds",
})


# pelicanconf/env keys of the plugin's own Settings.
_SETTINGS_KEYS = frozenset("BLOGROLL_" + f.name.upper() for f in dataclasses.fields(Settings))


class Uncacheable(BlogrollError):
    """A value cannot be digested reproducibly: what it feeds is rendered, never cached."""


def _h(*parts: bytes) -> bytes:
    """The digest of `parts`, each length-prefixed: no two sequences of parts give the same bytes."""
    return hashlib.blake2b(b"".join([b for p in parts for b in (len(p).to_bytes(4, "little"), p)]),
                           digest_size=16).digest()


def denylist_digest(tokens: tuple[str, ...]) -> str:
    """The deny-list's part of the build fingerprint: a name added to it (the file or the
    secret changes, not a setting) must quarantine what is already published, so the build
    cannot be "nothing changed". A digest: the names never reach the state folder."""
    return _h(*(t.encode("utf-8") for t in tokens)).hex() if tokens else ""


def site_digest(scope: str, store_digest: str) -> str:
    """The build fingerprint: what the build is made of (`scope`) and every archived entry."""
    return _h(scope.encode(), store_digest.encode()).hex()


_SCALARS = (str, int, float, bool, type(None))


_LEAF_TYPES = (str, int, float, bool, type(None), datetime, date, time, timedelta)


@functools.cache
def _fields_getter(t: type) -> Callable[[object], Any] | None:
    """For a frozen dataclass made only of plain values (by its annotations): a getter of the
    tuple of its field values, whose repr is its digest — one C-level pass instead of one
    digest per field (a third of a listing's render time went to digesting entries). Else None.
    Containers of other objects keep the per-object digest, which is memoized."""
    params = getattr(t, "__dataclass_params__", None)
    if not (params and params.frozen) or not _leafy(t, ()):
        return None
    return operator.attrgetter(*(f.name for f in dataclasses.fields(t)))


def _leafy(tp: Any, seen: tuple) -> bool:
    if tp in _LEAF_TYPES or tp is Markup:
        return True
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if tp in seen or not tp.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return False
        try:
            hints = typing.get_type_hints(tp)
        except Exception:
            return False
        return all(_leafy(hints.get(f.name), seen + (tp,)) for f in dataclasses.fields(tp))
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple and args:
        return all(_leafy(a, seen) for a in args if a is not Ellipsis)
    if origin in (typing.Union, types.UnionType):
        return all(_leafy(a, seen) for a in args)
    return False


class Digester:
    """Reproducible digests of plain data, memoized by object within one build."""

    def __init__(self) -> None:
        # id -> (object, digest): holding the object keeps its id from being reused.
        self._memo: dict[int, tuple[Any, bytes]] = {}

    def __call__(self, obj: Any) -> bytes:
        """The digest of `obj`; for a plain scalar, its type and repr as they are (never hashed
        alone: a container's digest length-prefixes each part, so they stay unambiguous)."""
        t = type(obj)
        if t in _SCALARS:
            return t.__name__.encode() + b":" + repr(obj).encode("utf-8", "surrogatepass")
        hit = self._memo.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        digest = self._digest(obj, t)
        self._memo[id(obj)] = (obj, digest)
        return digest

    def _digest(self, obj: Any, t: type) -> bytes:
        if isinstance(obj, Markup):
            return _h(b"Markup", str(obj).encode("utf-8", "surrogatepass"))
        if isinstance(obj, (str, int, float)):  # subclasses (enums, str-enums)
            return _h(t.__qualname__.encode(), repr(obj).encode("utf-8", "surrogatepass"))
        if isinstance(obj, (datetime, date, time, timedelta)):
            return _h(t.__name__.encode(), repr(obj).encode())
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            getter = _fields_getter(t)
            if getter is not None:
                values = getter(obj)
                return _h(t.__qualname__.encode(), repr(values if isinstance(values, tuple) else (values,))
                          .encode("utf-8", "surrogatepass"))
            return _h(t.__qualname__.encode(),
                      *(self(getattr(obj, f.name)) for f in dataclasses.fields(obj)))
        if isinstance(obj, (list, tuple)):
            return _h(t.__name__.encode(), *map(self, obj))
        if isinstance(obj, dict):
            return _h(b"dict", *(part for k, v in obj.items() for part in (self(k), self(v))))
        if isinstance(obj, (set, frozenset)):
            return _h(b"set", *sorted(map(self, obj)))
        raise Uncacheable(f"{t.__qualname__} cannot be digested reproducibly")

    def hexdigest(self, obj: Any) -> str | None:
        try:
            return self(obj).hex()
        except Uncacheable:
            return None


def tree_digest(paths: Iterable[Path], ignore: Iterable[str] = ("__pycache__", "*.pyc", ".*")) -> bytes:
    """Digest of every file under `paths` (names and bytes)."""
    ignore = tuple(ignore)
    parts = []
    for root in paths:
        root = Path(root)
        if root.is_file():
            parts += [root.name.encode(), root.read_bytes()]
            continue
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, p) for p in ignore))
            for name in sorted(files):
                if any(fnmatch.fnmatch(name, p) for p in ignore):
                    continue
                path = Path(dirpath) / name
                parts += [path.relative_to(root).as_posix().encode(), path.read_bytes()]
    return _h(*parts)


def settings_digest(settings: dict) -> bytes:
    """Pelican's settings (every upper-case key) as they can reach a template."""
    def plain(value: object) -> object:
        if isinstance(value, _SCALARS):
            return value
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, (set, frozenset)):
            return sorted(map(str, value))
        return getattr(value, "__qualname__", type(value).__qualname__)  # callables, classes: by name

    # The plugin's Settings are digested by blogroll_digest; any other BLOGROLL_* key (such as
    # BLOGROLL_THEME_STATIC_PATHS, set by the plugin itself) is digested here.
    data = {k: plain(v) for k, v in settings.items() if k.isupper() and k not in _SETTINGS_KEYS}
    return _h(json.dumps(data, sort_keys=True, default=str).encode())


def blogroll_digest(settings: Any) -> bytes:
    """The plugin's settings that can change a page (see FETCH_ONLY_SETTINGS)."""
    values = {f.name: repr(getattr(settings, f.name)) for f in dataclasses.fields(settings)
              if f.name not in FETCH_ONLY_SETTINGS}
    return _h(json.dumps(values, sort_keys=True).encode())


def library_versions() -> bytes:
    out = []
    for name in LIBRARIES:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}==absent")
    return ";".join(out).encode()


def inputs_digest(*, theme: Path, content: Path | None, pelican_settings: dict, blogroll_settings: Any,
                  registry: Any) -> str:
    """Everything a build renders from except the store and the clock."""
    d = Digester()
    paths = [PLUGIN_DIR, Path(theme)]
    if content is not None and Path(content).is_dir():
        paths.append(Path(content))
    return _h(tree_digest(paths), settings_digest(pelican_settings), library_versions(),
              blogroll_digest(blogroll_settings), d(registry)).hex()


def status_digest(statuses: Iterable[FeedStatus], today: date) -> str | None:
    """What /etat/ shows of each feed's *state* (health.STATE_KEYS) and of its failed attempts:
    the page is rendered again when those change (and once a day), not at every hourly attempt."""
    d = Digester()
    rows = []
    for s in statuses:
        row = state_of(s.as_json())
        row["failed_attempts"] = [(a.status, a.error) for a in s.history if not a.ok]
        rows.append(row)
    try:
        return d((today, rows)).hex()
    except Uncacheable:
        return None


class RenderMemo:
    """What each output file was rendered from in the last build, kept in the state folder.

    Files are keyed by output folder (like the writer's manifest). `scope` is the
    digest of everything every page depends on (code, theme, settings, the
    day): when it changes, every page is rendered again.
    """

    def __init__(self, path: Path, output_key: str, scope: str | None):
        self.path = Path(path)
        self.output_key = output_key
        self.scope = scope
        self.digest = Digester()
        self.files: dict[str, str] = {}
        self.build: dict[str, str | None] = {}
        self._data: dict = {}
        try:
            self._data = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            self._data = {}
        last = self._data.get(output_key) or {}
        self.last_build: dict = last.get("build") or {}
        self._old: dict[str, str] = last.get("files", {}) if scope and last.get("scope") == scope else {}

    def key(self, parts: Any) -> str | None:
        if self.scope is None:
            return None
        try:
            return self.digest(parts).hex()
        except Uncacheable:
            return None

    def fresh(self, rel: str, key: str | None) -> bool:
        return key is not None and self._old.get(rel) == key

    def record(self, rel: str, key: str | None) -> None:
        if key is not None:
            self.files[rel] = key

    def carry_over(self) -> None:
        """Nothing was rendered: keep last build's keys as they are."""
        self.files = dict(self._old)

    def save(self, **build: str | None) -> None:
        record = {"scope": self.scope, "build": build, "files": self.files}
        if self._data.get(self.output_key) == record:
            return  # an hour that rendered nothing: the file says so already
        self._data[self.output_key] = record
        write_atomic(self.path, json.dumps(self._data, separators=(",", ":")))
