"""Search index: Pagefind over the entries' excerpts, built at each site build.

One Pagefind record per entry, made from the entry card alone (title, date,
pseudonym, blog, excerpt) and carrying the original post's address as its
`url` meta (Pagefind's documented result-URL override): a search result leads
to the blog, never to a page of ours. Entries of noindex blogs are left out.
Records are HTML with <html lang="fr">, so Pagefind applies its French
stemming; the specialty chips are its `specialite` filter.

The index is split by period: one Pagefind bundle per month of the entries'
dates (`pagefind/2026-11/`, …), merged in the browser by the search page
(Pagefind's `mergeIndex`; the newest bundle is the primary one and alone keeps
Pagefind's script, worker and WebAssembly, which the merged bundles do not
load). A new post re-indexes its month only, and Pagefind, which needs about
60 KB of memory per record, indexes one month at a time (two small months at
once on a cold build), not the whole archive.

Records are written to a scratch folder and indexed in one run per bundle of the Pagefind
binary shipped by `pagefind[bin]` (its Python service API answers one record
per 100 ms poll, far too slow for thousands of entries). The bundle is then
copied through the output writer: atomic, unchanged files untouched, stale
chunks removed. Pagefind's output is not byte-for-byte reproducible (filter
chunks come out in hash-map order), so when a bundle's records are the same as last
build's the bundle is kept as it is: an hourly build with nothing new rewrites no search file.
The records' digest is kept in the state folder (`search-digests.json`, beside the writer's
manifest), with a digest of the bundle's entry file it was built into (which names the
bundle's index and its page count), not in the published bundle: a changed bundle is one
file fewer to write and upload, and a bundle on disk that is not the one the digest was
recorded for (output/ restored, a killed build) is indexed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ...core.files import write_atomic
from ...core.procs import die_with_parent
from .. import urls
from ..builder.writer import OutputWriter
from ..model.views import EntryView

BUNDLE = urls.SEARCH_BUNDLE
# Pagefind's ready-made UIs are not used (our own small script talks to its JS API).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
DIGESTS = "search-digests.json"  # in the state folder: each bundle's records digest, by output folder
LEGACY_DIGEST = "records.sha256"  # where bundles kept their records' digest until then (read once)
ENTRY = "pagefind-entry.json"
# What only the primary bundle needs: the merged ones are read by the primary's script and worker.
_RUNTIME = re.compile(r"^(pagefind\.js|pagefind-worker\.js|wasm\.[^/]+\.pagefind)$")
_PERIOD = re.compile(r"^\d{4}-\d{2}$")
PARALLEL = 2  # Pagefind runs at once on a cold build (one core each)
RECORDS_AT_ONCE = 4000  # records indexed at once (Pagefind: ~60 KB of memory per record)


@dataclass(frozen=True)
class Bundles:
    """The search index as written: the records count and the bundles' folders, newest first
    (the first is the primary one, the others are merged into it by the search page)."""
    count: int
    folders: tuple[str, ...]


# Keeps a bundle without rendering its records: (folder, its entries, is it the primary) ->
# kept? (the renderer's memo: the entries are the same as when it was last built).
KeepFn = Callable[[str, list[EntryView], bool], bool]


class SearchIndexError(RuntimeError):
    pass


def indexable(entries: Iterable[EntryView]) -> list[EntryView]:
    return [e for e in entries if not e.noindex]


def period(e: EntryView) -> str:
    """The bundle of an entry: the month of its date (UTC), `YYYY-MM`."""
    return e.date_iso[:7]


def periods(entries: Iterable[EntryView]) -> dict[str, list[EntryView]]:
    """Indexable entries by bundle, newest period first."""
    groups: dict[str, list[EntryView]] = {}
    for e in indexable(entries):
        groups.setdefault(period(e), []).append(e)
    return {k: groups[k] for k in sorted(groups, reverse=True)}


def bundle_files(folder: Path, *, primary: bool) -> list[Path]:
    """The files of a bundle on disk that the site serves (the runtime only in the primary)."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith(_UNUSED) or rel == LEGACY_DIGEST or (not primary and _RUNTIME.match(rel)):
            continue
        out.append(path)
    return out


def complete(folder: Path, *, primary: bool) -> bool:
    """A whole bundle is there (its entry file, and the runtime when it is the primary one)."""
    return (folder / ENTRY).is_file() and (not primary or (folder / "pagefind.js").is_file())


def build_index(entries: Iterable[EntryView], render: Callable[[EntryView], str], writer: OutputWriter, *,
                keep: KeepFn | None = None,
                meanwhile: Callable[[Callable[[], None]], None] | None = None) -> Bundles:
    """Index `entries` (each rendered to a record by `render`), one bundle per period; write the
    bundles whose records changed, keep the others. Returns what was written.

    `meanwhile(pump)` runs once every bundle is handed to Pagefind and before waiting for them:
    the rest of the site is rendered on one core while Pagefind indexes on the other; `pump`
    (cheap, never blocks) starts the bundles still waiting for memory and collects the
    finished ones."""
    groups = periods(entries)
    if not groups:  # Pagefind refuses an empty index; the search page says there is nothing yet
        if meanwhile is not None:
            meanwhile(lambda: None)
        return Bundles(0, ())
    primary = next(iter(groups))
    digests = _Digests(writer)
    scratch = _scratch_dir()
    _sweep(scratch)
    with tempfile.TemporaryDirectory(prefix=f"pagefind-{os.getpid()}-", dir=scratch) as tmp, \
            _Runner(Path(tmp), writer, digests) as runner:
        for key, records in groups.items():
            folder, is_primary = f"{BUNDLE}{key}/", key == primary
            if keep is not None and keep(folder, records, is_primary):
                digests.carry(folder)
                continue
            pages = [render(e) for e in records]
            digest = _digest(pages)
            current = writer.output_dir / folder
            if digests.matches(folder, digest, current) and complete(current, primary=is_primary):
                for path in bundle_files(current, primary=is_primary):
                    writer.write(folder + path.relative_to(current).as_posix(), path.read_bytes())
                digests.record(folder, digest, current / ENTRY)
                continue
            runner.add(folder, _record_names(records), pages, digest, is_primary)
            del pages  # on the scratch disk now (RAM-backed when there is one), not in this process
        if meanwhile is not None:
            meanwhile(runner.pump)
        runner.finish()
    digests.save()
    return Bundles(sum(len(r) for r in groups.values()), tuple(f"{BUNDLE}{k}/" for k in groups))


class _Digests:
    """The records digest each bundle of this output folder was built from, and the digest of the
    entry file it was written with (state folder, `DIGESTS`). A bundle matches when both agree
    with what is on disk; a bundle of an older build, which kept its digest in `LEGACY_DIGEST`
    inside the bundle, matches by that file (once: the file is then left out and deleted)."""

    def __init__(self, writer: OutputWriter):
        self.path = writer.manifest.with_name(DIGESTS)
        self.key = writer.key
        try:
            self.data: dict = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            self.data = {}
        self.old: dict = self.data.get(self.key) or {}
        self.new: dict[str, list[str | None]] = {}

    def matches(self, folder: str, digest: str, current: Path) -> bool:
        old = self.old.get(folder)
        if old is not None:
            return old == [digest, _file_digest(current / ENTRY)]
        return _read(current / LEGACY_DIGEST) == digest

    def record(self, folder: str, digest: str, entry: Path) -> None:
        self.new[folder] = [digest, _file_digest(entry)]

    def carry(self, folder: str) -> None:
        """The bundle was kept without rendering its records: its digest stays as it was."""
        if folder in self.old:
            self.new[folder] = self.old[folder]

    def save(self) -> None:
        if self.new == self.old:
            return
        self.data[self.key] = self.new
        write_atomic(self.path, json.dumps(self.data, indent=0, sort_keys=True))


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


@dataclass
class _Job:
    work: Path
    folder: str
    digest: str
    primary: bool
    records: int
    proc: subprocess.Popen | None = None


class _Runner:
    """Runs Pagefind over each bundle's records, several at once while the records being indexed
    stay under RECORDS_AT_ONCE (Pagefind holds ~60 KB per record: the build's own memory plus
    Pagefind's stays under 1 GB), and hands each bundle to the writer (in this thread) when done."""

    def __init__(self, root: Path, writer: OutputWriter, digests: _Digests):
        self.root, self.writer, self.digests = root, writer, digests
        self.waiting: list[_Job] = []
        self.running: list[_Job] = []
        self.count = 0

    def __enter__(self) -> _Runner:
        return self

    def __exit__(self, *exc) -> None:
        for job in self.running:  # a failure: no orphan Pagefind
            if job.proc is not None and job.proc.poll() is None:
                job.proc.kill()
                job.proc.wait()

    def add(self, folder: str, names: list[str], pages: list[str], digest: str, primary: bool) -> None:
        self.count += 1
        work = self.root / str(self.count)
        (work / "records").mkdir(parents=True)
        for name, page in zip(names, pages, strict=True):
            (work / "records" / name).write_text(page, "utf-8")
        self.waiting.append(_Job(work, folder, digest, primary, len(pages)))
        self._pump(block=False)

    def finish(self) -> None:
        while self.waiting or self.running:
            self._pump(block=True)

    def pump(self) -> None:
        self._pump(block=False)

    def _pump(self, *, block: bool) -> None:
        while self.waiting and (not self.running or len(self.running) < PARALLEL and
                                sum(j.records for j in self.running) + self.waiting[0].records <= RECORDS_AT_ONCE):
            job = self.waiting.pop(0)
            cmd = [sys.executable, "-m", "pagefind", "--site", str(job.work / "records"),
                   "--output-path", str(job.work / "bundle"), "--silent"]
            job.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        preexec_fn=partial(die_with_parent, os.getpid()))
            self.running.append(job)
        for job in list(self.running):
            assert job.proc is not None
            if not block and job.proc.poll() is None:
                continue
            out, err = job.proc.communicate()
            self.running.remove(job)
            if job.proc.returncode != 0:
                raise SearchIndexError(f"pagefind a échoué ({job.proc.returncode}) : {out}{err}")
            bundle = job.work / "bundle"
            for path in bundle_files(bundle, primary=job.primary):
                self.writer.write(job.folder + path.relative_to(bundle).as_posix(), path.read_bytes())
            self.digests.record(job.folder, job.digest, bundle / ENTRY)
            shutil.rmtree(job.work, ignore_errors=True)
            if block:
                return


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


def _record_names(records: list[EntryView]) -> list[str]:
    """A file name per record that does not depend on its rank: Pagefind puts the record's
    path in its fragment, so names by position would change every fragment (thousands of
    files to delete and upload) whenever one new entry arrives at the top."""
    names, seen = [], set()
    for e in records:
        base = hashlib.sha1(f"{e.feed_id}\n{e.link}\n{e.date_iso}\n{e.title}".encode()).hexdigest()[:16]
        name, n = f"{base}.html", 1
        while name in seen:
            n += 1
            name = f"{base}-{n}.html"
        seen.add(name)
        names.append(name)
    return names


def _digest(pages: list[str]) -> str:
    from importlib.metadata import version

    h = hashlib.sha256(version("pagefind").encode())
    for page in pages:
        h.update(b"\0" + page.encode("utf-8"))
    return h.hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
