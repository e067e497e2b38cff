"""Search index: Pagefind over the entries' excerpts, built at each site build.

One Pagefind record per entry, made from the entry card alone (title, date,
pseudonym, blog, excerpt) and carrying the original post's address as its
`url` meta (Pagefind's documented result-URL override): a search result leads
to the blog, never to a page of ours. Entries of noindex blogs are left out.
Records are HTML with <html lang="fr">, so Pagefind applies its French
stemming; the specialty chips are its `specialite` filter.

Records are written to a scratch folder and indexed in one run of the Pagefind
binary shipped by `pagefind[bin]` (its Python service API answers one record
per 100 ms poll, far too slow for thousands of entries). The bundle is then
copied through the output writer: atomic, unchanged files untouched, stale
chunks removed. Pagefind's output is not byte-for-byte reproducible (filter
chunks come out in hash-map order), so when the records are the same as last
build's (their digest sits beside the bundle) the bundle is kept as it is:
an hourly build with nothing new rewrites no search file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from ...core.procs import die_with_parent
from .. import urls
from ..model.views import EntryView
from ..builder.writer import OutputWriter

BUNDLE = urls.SEARCH_BUNDLE
# Pagefind's ready-made UIs are not used (our own small script talks to its JS API).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
DIGEST = "records.sha256"  # digest of the records the bundle beside it was built from


class SearchIndexError(RuntimeError):
    pass


def indexable(entries: Iterable[EntryView]) -> list[EntryView]:
    return [e for e in entries if not e.noindex]


def build_index(entries: Iterable[EntryView], render: Callable[[EntryView], str], writer: OutputWriter) -> int:
    """Index `entries` (each rendered to a record by `render`); write the bundle. Returns the record count."""
    records = indexable(entries)
    if not records:  # Pagefind refuses an empty index; the search page says there is nothing yet
        return 0
    pages = [render(e) for e in records]
    digest = _digest(pages)
    current = writer.output_dir / BUNDLE
    if _read(current / DIGEST) == digest and (current / "pagefind-entry.json").is_file():
        for path in sorted(p for p in current.rglob("*") if p.is_file()):
            writer.write(BUNDLE + path.relative_to(current).as_posix(), path.read_bytes())
        return len(records)
    # The new bundle and its digest reach output/ together, in the writer's commit.
    scratch = _scratch_dir()
    _sweep(scratch)
    with tempfile.TemporaryDirectory(prefix=f"pagefind-{os.getpid()}-", dir=scratch) as tmp:
        site, out = Path(tmp) / "records", Path(tmp) / "bundle"
        site.mkdir()
        for name, page in zip(_record_names(records), pages, strict=True):
            (site / name).write_text(page, "utf-8")
        cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out), "--silent"]
        result = subprocess.run(cmd, capture_output=True, text=True,
                                preexec_fn=partial(die_with_parent, os.getpid()))
        if result.returncode != 0:
            raise SearchIndexError(f"pagefind a échoué ({result.returncode}) : {result.stdout}{result.stderr}")
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            rel = path.relative_to(out).as_posix()
            if not rel.startswith(_UNUSED):
                writer.write(BUNDLE + rel, path.read_bytes())
    writer.write(BUNDLE + DIGEST, digest + "\n")
    return len(records)


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
