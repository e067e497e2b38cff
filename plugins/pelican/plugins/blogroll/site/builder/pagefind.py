"""Pagefind over the search records, and the one cache deciding which bundles are kept as they are.

The two bundles (site/formats/search.py): `recent/`, the primary, and `base/`, every entry dated
before the cut-off. The cut-off is recorded with the bundles (DIGESTS) and kept while the base is
kept as it is and the recent part stays under search.RECENT_LIMIT records; it moves to the newest
entry (the base, indexed again anyway, takes all the others) on the first build, when the recent
part outgrows its limit, and when the base's records changed (an old post edited, taken down,
backfilled; another theme). So an hourly build indexes the recent bundle only, and the base's one
long Pagefind run (~0.6 ms of CPU and ~55 KB of memory per record: 2.7 GB at 50,000 entries)
happens when the recent part has grown by RECENT_LIMIT posts or an old post changed.

site/formats/search.py says what the index is made of (bundles, records, their digest, the files
served); this module runs Pagefind and writes the bundles through the output writer.

Runs. The records of a bundle to index go to a scratch folder as soon as they are rendered
(RAM-backed when there is one; out of the build's memory), and one run of the Pagefind binary
shipped by `pagefind[bin]` indexes them (its Python service API answers one record per 100 ms
poll, far too slow for thousands of entries). Up to PARALLEL runs go at once while the records
being indexed stay under RECORDS_AT_ONCE (Pagefind holds ~60 KB per record); a larger bundle (the
base of a big archive) runs alone, the recent one before it. A finished bundle is copied through the output writer:
atomic, unchanged files untouched, stale ones removed.

Overlap. `start` hands every bundle to Pagefind and returns; the builder renders the rest of the
site meanwhile (on one core, Pagefind on the other), calling `Indexing.pump` between pages (cheap,
never blocks: it starts the bundles waiting for memory and collects the finished ones), then
`Indexing.collect`, which waits for the rest, writes them and saves the cache.

The cache. Pagefind's output is not byte-for-byte reproducible (filter chunks come out in hash-map
order): a bundle indexed again is a bundle rewritten and uploaded again. So the state folder keeps
(DIGESTS, beside the writer's manifest; not in the published bundle: one file fewer to upload),
for each bundle of this output folder, what it was made from: the digest of its records, the
digest of the entry file it was written with (that file names the bundle's index files and its
page count), and the key of what its records were rendered from (`inputs`: the renderer's memo
scope — code, theme, settings, library versions, the day — and the bundle's entries). One rule:

    A bundle is kept as it is (nothing indexed, no file written) when the bundle on disk is the
    one recorded and its records are the ones recorded. Any other bundle is indexed again.

- The bundle on disk is the one recorded: every file the previous build wrote in its folder is
  still there, its entry file (and, for the primary bundle, Pagefind's script) among them, and
  that entry file's digest is the recorded one. An output/ restored or edited, a folder emptied,
  another build's bundle: indexed again.
- Its records are the recorded ones: known without rendering a record when their inputs key is
  the recorded one (records are made from those inputs alone); otherwise they are rendered and
  their digest compared. So an hourly build with nothing new renders no record and writes no
  search file, and the day's first build (the day is in the scope) renders the records but
  writes no search file unless a record changed.

Why a killed build is safe: the cache is saved by `collect`, before the writer's commit. Killed
before the commit, the cache names the new entry files while the disk holds the old bundles:
they are indexed again. Killed during the commit, the next build's writer completes the commit
before anything is read: the disk holds the recorded bundles. Killed before the save, the old
record and the old bundle agree. The scratch folders such builds leave are swept by the next.

A bundle of a build older than DIGESTS kept its records' digest in the bundle
(search.LEGACY_DIGEST): that file stands for its record, once (it is not served, so it goes).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ...core.errors import BlogrollError
from ...core.files import write_atomic
from ...core.procs import die_with_parent
from ..formats import search
from ..model.views import EntryView
from .writer import OutputWriter

DIGESTS = "search-digests.json"  # in the state folder: what each bundle was made from, by output folder
PARALLEL = 2  # Pagefind runs at once on a cold build (one core each)
RECORDS_AT_ONCE = 4000  # records indexed at once (Pagefind: ~60 KB of memory per record)

# The key of what a period's records are rendered from; None: unknown (its records are rendered).
InputsKey = Callable[[search.Period], str | None]


class SearchIndexError(BlogrollError):
    """Pagefind failed to index a bundle (its own output in the message, for the log)."""


@dataclass(frozen=True)
class Recorded:
    """What a bundle on disk was made from (see the module's docstring)."""
    records: str  # search.records_digest of its records
    entry: str | None  # sha256 of its entry file as written
    inputs: str | None = None  # key of what its records were rendered from

    def as_json(self) -> list[str | None]:
        return [self.records, self.entry, self.inputs]  # the records' digest first: tools read it there

    @classmethod
    def from_json(cls, value: Any) -> Recorded | None:
        """A record as saved; [records, entry] from before the inputs key was kept."""
        if not isinstance(value, list) or len(value) not in (2, 3) or not isinstance(value[0], str) \
                or not all(v is None or isinstance(v, str) for v in value):
            return None
        return cls(*value)


class BundleCache:
    """The one cache of the search bundles (the module's docstring): what each bundle of this
    output folder was made from at the last build (`old`) and at this one (`new`)."""

    def __init__(self, writer: OutputWriter, root: str = search.BUNDLE):
        self.writer = writer
        self.root = root  # the bundles' folder (`pagefind/`, under the URL prefix if any)
        self.path = writer.manifest.with_name(DIGESTS)
        try:
            self.data: dict[str, Any] = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            self.data = {}
        saved = self.data.get(writer.key)
        saved = saved if isinstance(saved, dict) else {}
        bundles = saved.get("bundles", saved)  # a flat mapping: a build of one bundle per month
        self.old: dict[str, Recorded] = {}
        for folder, value in (bundles.items() if isinstance(bundles, dict) else ()):
            recorded = Recorded.from_json(value)
            if recorded is not None:
                self.old[folder] = recorded
        self.new: dict[str, Recorded] = {}
        self.cutoff = _arrival(saved.get("cutoff"))  # where the last build split recent and base
        self._old_cutoff = self.cutoff
        self._previous: dict[str, set[str]] | None = None

    def check(self, period: search.Period, inputs: str | None,
              render: Callable[[search.Period], search.Bundle]) -> search.Bundle | None:
        """The rule. None when the bundle is kept as it is (its files claimed as they are on disk);
        else `period`'s records rendered by `render`, to be indexed."""
        recorded = self._on_disk(period)
        if recorded is not None and inputs is not None and recorded.inputs == inputs:
            self._keep(period, recorded)  # not one record rendered
            return None
        bundle = render(period)
        if recorded is not None and recorded.records == bundle.digest:
            self._keep(period, replace(recorded, inputs=inputs))
            return None
        return bundle

    def record(self, folder: str, records: str, entry_file: Path, inputs: str | None) -> None:
        """A bundle indexed in this build, written with `entry_file`."""
        self.new[folder] = Recorded(records, _file_digest(entry_file), inputs)

    def save(self) -> None:
        if self.new == self.old and self.cutoff == self._old_cutoff:
            return
        self.data[self.writer.key] = {
            "bundles": {folder: r.as_json() for folder, r in self.new.items()},
            "cutoff": [d.isoformat() for d in self.cutoff] if self.cutoff is not None else None}
        write_atomic(self.path, json.dumps(self.data, indent=0, sort_keys=True))

    def _on_disk(self, period: search.Period) -> Recorded | None:
        """What was recorded for the bundle in `period.folder`, when the bundle on disk is whole
        and is the one it was recorded for; else None."""
        folder, out = period.folder, self.writer.output_dir
        files = self._previous_under(folder)
        needed = {folder + search.ENTRY} | ({folder + search.RUNTIME_SCRIPT} if period.primary else set())
        if not needed <= files or not all(self.writer.on_disk(rel) for rel in files):
            return None
        entry = _file_digest(out / folder / search.ENTRY)
        old = self.old.get(folder)
        if old is not None:
            return old if old.entry == entry else None
        legacy = _read(out / folder / search.LEGACY_DIGEST)
        return Recorded(legacy, entry) if legacy else None

    def _keep(self, period: search.Period, recorded: Recorded) -> None:
        """Claim the bundle's files as they are (the runtime goes when it is no longer the primary)."""
        for rel in sorted(self._previous_under(period.folder)):
            if search.served(rel[len(period.folder):], primary=period.primary):
                self.writer.keep(rel)
        self.new[period.folder] = recorded

    def _previous_under(self, folder: str) -> set[str]:
        """The files the previous build wrote under the bundle folder `folder`."""
        if self._previous is None:
            found: dict[str, set[str]] = {}
            for rel in self.writer.previous():
                if rel.startswith(self.root):
                    head = rel[len(self.root):].partition("/")[0]
                    found.setdefault(f"{self.root}{head}/", set()).add(rel)
            self._previous = found
        return self._previous.get(folder, set())


@dataclass
class _Job:
    work: Path
    folder: str
    primary: bool
    records: int
    digest: str
    inputs: str | None
    proc: subprocess.Popen[str] | None = None


class _Runner:
    """Runs Pagefind over each bundle's records, several at once while the records being indexed
    stay under RECORDS_AT_ONCE, and hands each bundle to the writer (in this thread) when done."""

    def __init__(self, root: Path, writer: OutputWriter, cache: BundleCache):
        self.root, self.writer, self.cache = root, writer, cache
        self.waiting: list[_Job] = []
        self.running: list[_Job] = []
        self.count = 0

    def add(self, bundle: search.Bundle, inputs: str | None) -> None:
        self.count += 1
        work = self.root / str(self.count)
        (work / "records").mkdir(parents=True)
        for name, page in zip(bundle.names, bundle.pages, strict=True):
            (work / "records" / name).write_text(page, "utf-8")
        self.waiting.append(_Job(work, bundle.folder, bundle.primary, len(bundle.pages), bundle.digest, inputs))
        self.pump()

    def pump(self) -> None:
        """Start the bundles memory allows, collect the finished ones; never blocks."""
        self._start_ready()
        for job in [j for j in self.running if j.proc is not None and j.proc.poll() is not None]:
            self._collect(job)

    def finish(self) -> None:
        """Wait for every bundle, oldest run first."""
        while self.waiting or self.running:
            self._start_ready()
            self._collect(self.running[0])

    def stop(self) -> None:
        """A failure: no orphan Pagefind."""
        for job in self.running:
            if job.proc is not None and job.proc.poll() is None:
                job.proc.kill()
                job.proc.wait()

    def _start_ready(self) -> None:
        while self.waiting and (not self.running or len(self.running) < PARALLEL and
                                sum(j.records for j in self.running) + self.waiting[0].records <= RECORDS_AT_ONCE):
            job = self.waiting.pop(0)
            cmd = [sys.executable, "-m", "pagefind", "--site", str(job.work / "records"),
                   "--output-path", str(job.work / "bundle"), "--silent"]
            job.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        preexec_fn=partial(die_with_parent, os.getpid()))
            self.running.append(job)

    def _collect(self, job: _Job) -> None:
        """Wait for `job`'s run, write its bundle's served files, record what it was made from."""
        assert job.proc is not None
        out, err = job.proc.communicate()
        self.running.remove(job)
        if job.proc.returncode != 0:
            raise SearchIndexError(f"pagefind a échoué ({job.proc.returncode}) : {out}{err}")
        bundle = job.work / "bundle"
        for path in _files(bundle):
            rel = path.relative_to(bundle).as_posix()
            if search.served(rel, primary=job.primary):
                self.writer.write(job.folder + rel, path.read_bytes())
        self.cache.record(job.folder, job.digest, bundle / search.ENTRY, job.inputs)
        shutil.rmtree(job.work, ignore_errors=True)


class Indexing:
    """The search bundles of one build, handed to Pagefind by `start`."""

    def __init__(self, periods: tuple[search.Period, ...], runner: _Runner, cache: BundleCache):
        self._periods, self._runner, self._cache = periods, runner, cache

    def pump(self) -> None:
        """Call between pages: starts the bundles waiting for memory, collects the finished ones."""
        self._runner.pump()

    def collect(self) -> search.Bundles:
        """Wait for Pagefind, write the last bundles, save the cache; the index as written."""
        self._runner.finish()
        self._cache.save()
        return search.summary(self._periods)


@contextmanager
def start(entries: Iterable[EntryView], render: search.Render, writer: OutputWriter, *,
          inputs_key: InputsKey | None = None, root: str = search.BUNDLE) -> Iterator[Indexing]:
    """Hand the search bundles of `entries` to Pagefind: the bundles the cache keeps are claimed
    as they are, the others' records are rendered (`render`) and indexed while the caller
    renders the rest of the site; `Indexing.collect` waits for them. `inputs_key` keys what a
    period's records are rendered from (None: they are always rendered, and compared by digest).
    Leaving the block before `collect` (an error) stops Pagefind and records nothing."""
    entries = list(entries)
    cache = BundleCache(writer, root)
    scratch = _scratch_dir()
    _sweep(scratch)
    with tempfile.TemporaryDirectory(prefix=f"pagefind-{os.getpid()}-", dir=scratch) as tmp:
        runner = _Runner(Path(tmp), writer, cache)
        try:
            records = partial(search.bundle, render=render, indexer=_pagefind_version())

            keys: dict[str, str | None] = {}

            def check(period: search.Period) -> search.Bundle | None:
                keys[period.folder] = inputs_key(period) if inputs_key is not None else None
                return cache.check(period, keys[period.folder], records)

            found, todo = _plan(entries, cache, check, root)
            for bundle in todo:
                runner.add(bundle, keys[bundle.folder])
            del todo  # on the scratch disk now, not in this process
            yield Indexing(found.periods, runner, cache)
        finally:
            runner.stop()


def _plan(entries: list[EntryView], cache: BundleCache,
          check: Callable[[search.Period], search.Bundle | None], root: str) -> tuple[search.Split, list[search.Bundle]]:
    """Where the cut-off goes and which bundles are indexed (the recent one first: it is small and
    the search page's primary). The recorded cut-off stays while the base is kept as it is and
    the recent part is under its limit; else it moves to the newest entry (`search.cut`): the
    base, indexed again anyway, takes every older entry. A fresh cut-off is recorded."""
    found = search.split(entries, cache.cutoff, root)
    if cache.cutoff is not None and search.outgrown(found):
        found = search.split(entries, None, root)
    base = _period(found, f"{root}{search.BASE}/")
    base_bundle = check(base) if base is not None else None
    fresh = search.cut(entries)
    if base_bundle is not None and found.cutoff != fresh:
        found = search.split(entries, fresh, root)
        base = _period(found, f"{root}{search.BASE}/")
        base_bundle = check(base) if base is not None else None
    cache.cutoff = found.cutoff
    recent = _period(found, f"{root}{search.RECENT}/")
    recent_bundle = check(recent) if recent is not None else None
    return found, [b for b in (recent_bundle, base_bundle) if b is not None]


def _period(found: search.Split, folder: str) -> search.Period | None:
    return next((p for p in found.periods if p.folder == folder), None)


def _arrival(value: Any) -> search.Arrival | None:
    """A recorded cut-off ([first seen, date], ISO 8601); None when absent or unreadable."""
    try:
        seen, date = (datetime.fromisoformat(v) for v in value)
    except (TypeError, ValueError):
        return None
    return seen, date


@functools.cache
def _pagefind_version() -> str:
    return version("pagefind")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _scratch_dir() -> str | None:
    """A RAM-backed folder for the records and Pagefind's output when the system has one:
    creating a small file costs about 1 ms on this project's CI disk and 15 µs in RAM,
    and a 50,000-entry index is two files per entry."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _sweep(scratch: str | None) -> None:
    """Remove the scratch folders of builds that were killed (kill -9 skips the clean-up of
    TemporaryDirectory; in /dev/shm what they leave holds RAM). A folder is named after the
    build's process id and removed only once that process is gone."""
    root = Path(scratch or tempfile.gettempdir())
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith("pagefind-")]
    except OSError:
        return
    for path in candidates:
        pid = path.name.split("-")[1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running (or the id was reused: left alone, harmless)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # not ours to signal: some other user's live process
            continue
