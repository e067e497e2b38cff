"""Writes the plugin's output files: all at once at the end, only when changed, never twice.

- Changed files are first written into a staging folder inside the output
  folder (same file system), and moved into place only at `finish`, in one
  burst of renames recorded beforehand in a journal (the commit). A build
  killed before the commit leaves the last good site exactly as it was; one
  killed during the commit is completed by the next build, which replays the
  journal before anything else. Either way no reader ever gets a half-written
  file, and no file of an unfinished build is left behind unrecorded.
  The data is flushed to disk once per build (before the journal) rather than
  per file: an fsync per file cost seconds of wall time on a large rebuild.
- A file whose bytes are unchanged is left untouched (mtime and all), so a
  deploy step uploads nothing when nothing changed.
- Writing the same path twice in one build is a URL collision: an error,
  like Pelican's own refusal to overwrite a file. So is writing (or keeping)
  a file the host site writes (`reserved`, site/builder/hostpaths.py).
- Files this writer produced in the previous build and not in this one
  (a retired feed, a taken-down author) are deleted by the commit.
- `keep` marks a file of the previous build as produced again without
  rendering it (its inputs did not change): it is neither rewritten nor deleted.
- Whether a file of the previous build is still there is asked of its folder
  first: each commit records every folder's inode and change time (`ctime`,
  which no tool can set back) beside the manifest. A folder whose stamp is
  unchanged has had no file added, removed or renamed since (POSIX marks a
  folder's ctime for update whenever a name in it is created, removed or
  renamed; a file system that does not would defeat this), so its files are
  all there without a `stat` each; any other folder's files are looked at one
  by one. A stamp taken in the same tick of the file system's clock as the
  stamps file itself is not trusted (a later change in that tick would carry
  the same time). Nothing-changed hours thus look at ~10,000 folders instead of
  ~60,000 files at 50,000 entries, and rewrite nothing in the state folder.

The writer must be used under the store's lock (one build at a time).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from ...core.errors import BlogrollError
from ...core.files import write_atomic


class CollisionError(BlogrollError):
    """Two pages of one build want the same file, or a page's path leaves the output folder."""


class HostCollision(CollisionError):
    """A file of the blogroll's is one the host site writes (its home page, a feed, a static
    file…): the blogroll never overwrites it. The message names both sides and the settings."""

    def __init__(self, relpath: str, host: str):
        super().__init__(
            f"{relpath} est écrit par le site ({host}) et le serait aussi par le blogroll, qui ne "
            f"l'écrase pas ; servez le blogroll dans un dossier à lui (BLOGROLL_URL_PREFIX = « blogroll/ » "
            f"dans pelicanconf.py) ou déplacez ce fichier du site")
        self.relpath = relpath
        self.host = host


STAGING = ".blogroll-staging"


class OutputWriter:
    def __init__(self, output_dir: Path, manifest: Path):
        self.output_dir = Path(output_dir)
        self.manifest = Path(manifest)
        # Several output folders can share one state folder: each has its own manifest key.
        self.key = hashlib.sha256(str(self.output_dir.resolve()).encode()).hexdigest()[:16]
        self.journal = self.manifest.with_name(f"{self.manifest.stem}.{self.key}.commit.json")
        self.staging = self.output_dir / STAGING
        self.written: set[str] = set()
        # Files the host site writes ({path: what writes it}, site/builder/hostpaths.py): refused.
        self.reserved: dict[str, str] = {}
        self.changed: list[str] = []
        self.unchanged = 0
        self.kept = 0
        self._previous: set[str] | None = None
        self._root = str(self.output_dir)
        self._present: dict[str, bool] = {}
        self.folders = self.manifest.with_name(f"{self.manifest.stem}.{self.key}.folders.json")
        self._trusted: set[str] | None = None  # folders whose stamp is unchanged (see the docstring)
        self._looked_at = False  # a folder's files were looked at one by one: its stamp is worth taking
        self.recovered = self._recover()

    def _claim(self, relpath: str) -> str:
        relpath = relpath.lstrip("/")
        if relpath in self.written:
            raise CollisionError(f"deux pages veulent le même fichier : {relpath}")
        if relpath in self.reserved:
            raise HostCollision(relpath, self.reserved[relpath])
        if "/." in "/" + relpath:  # some part starts with a dot: `..`, `.`, STAGING or a dotfile
            parts = [p for p in relpath.split("/") if p not in ("", ".")]  # Path.parts, without pathlib's cost
            if ".." in parts or parts[:1] == [STAGING]:
                raise CollisionError(f"chemin de sortie invalide : {relpath}")
        self.written.add(relpath)
        return relpath

    def previous(self) -> set[str]:
        """The files this writer produced in the previous build of this output folder."""
        if self._previous is None:
            try:
                self._previous = set(json.loads(self.manifest.read_text("utf-8")).get(self.key, []))
            except (FileNotFoundError, ValueError):
                self._previous = set()
        return self._previous

    def on_disk(self, rel: str) -> bool:
        """`rel` was produced by the previous build and is still there. Asked once per file and
        build (output/ changes only at `finish`): an hour that changed little asks it of every
        file of the site, some twice."""
        if rel not in self.previous():
            return False
        present = self._present.get(rel)
        if present is None:
            if rel.rpartition("/")[0] in self._trusted_folders():
                present = True
            else:
                present = os.path.isfile(os.path.join(self._root, rel))
                self._looked_at = True
            self._present[rel] = present
        return present

    def _trusted_folders(self) -> set[str]:
        """The folders whose stamp, taken at the last commit, is unchanged and was not racy."""
        if self._trusted is None:
            self._trusted = set()
            try:
                clock = os.stat(self.folders).st_ctime_ns
                stamps = json.loads(self.folders.read_text("utf-8"))
            except (OSError, ValueError):
                return self._trusted
            if not isinstance(stamps, dict):
                return self._trusted
            for folder, stamp in stamps.items():
                if isinstance(stamp, list) and len(stamp) == 2 and isinstance(stamp[1], int) \
                        and stamp[1] < clock and _stamp(os.path.join(self._root, folder)) == tuple(stamp):
                    self._trusted.add(folder)
        return self._trusted

    def previous_intact(self) -> bool:
        """The previous build's files are all still on disk (output/ was not emptied or edited)."""
        previous = self.previous()
        trusted = self._trusted_folders()
        return bool(previous) and all(rel.rpartition("/")[0] in trusted or self.on_disk(rel) for rel in previous)

    def keep(self, relpath: str) -> bool:
        """Produce `relpath` again as it is on disk; False (nothing claimed) when it is not there."""
        rel = relpath.lstrip("/")
        if not self.on_disk(rel):
            return False
        self._claim(rel)
        self.kept += 1
        return True

    def write(self, relpath: str, data: str | bytes) -> None:
        relpath = self._claim(relpath)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path = os.path.join(self._root, relpath)
        try:
            if os.stat(path).st_size == len(payload):
                with open(path, "rb") as fh:
                    if fh.read() == payload:
                        self.unchanged += 1
                        return
        except (FileNotFoundError, NotADirectoryError):
            pass
        staged = self.staging / relpath
        staged.parent.mkdir(parents=True, exist_ok=True)
        with open(staged, "wb") as fh:
            fh.write(payload)
        self.changed.append(relpath)

    def finish(self) -> list[str]:
        """Commit: move the staged files into place, delete stale ones, save the manifest."""
        self._present.clear()  # output/ changes now
        # A file of the last build that the host site writes now stays: it is the host's.
        delete = sorted(self.previous() - self.written - self.reserved.keys())
        if not self.changed and not delete and self.written == self.previous():
            # Nothing to commit: the manifest holds these files already. Folders looked at one by
            # one get a fresh stamp, so that the next hour need not look at them again.
            if self._looked_at:
                self._stamp_folders(self.written)
            return []
        if self.changed:
            os.sync()  # the staged data is on disk before the journal says to use it
        journal = {
            "key": self.key,
            "move": _commit_order(self.changed),
            "delete": delete,
            "written": sorted(self.written),
        }
        write_atomic(self.journal, json.dumps(journal, indent=0), durable=True)
        return self._apply(journal)

    def _apply(self, journal: dict) -> list[str]:
        """Carry out a commit journal; safe to run again after a crash half-way through."""
        for rel in journal["move"]:
            staged, final = self.staging / rel, self.output_dir / rel
            if staged.is_file():
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, final)
        removed = []
        parents: set[Path] = set()
        for rel in journal["delete"]:
            path = self.output_dir / rel
            try:
                path.unlink()
                removed.append(rel)
            except FileNotFoundError:
                continue
            parents.add(path.parent)
        # Emptied folders go too, deepest first; each folder is listed once, not once per file.
        for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
            while parent != self.output_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        data: dict = {}
        with contextlib.suppress(FileNotFoundError, ValueError):
            data = json.loads(self.manifest.read_text("utf-8"))
        data[journal["key"]] = journal["written"]
        write_atomic(self.manifest, json.dumps(data, indent=0), durable=True)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.journal.unlink(missing_ok=True)
        self._previous = set(journal["written"])
        self._stamp_folders(journal["written"])
        return removed

    def _stamp_folders(self, files: Iterable[str]) -> None:
        """Record each folder of `files` as it is now (every file of ours in it is there). A
        cache: written last, never flushed; lost or torn, the next build looks at every file."""
        stamps = {}
        for folder in sorted({rel.rpartition("/")[0] for rel in files}):
            stamp = _stamp(os.path.join(self._root, folder))
            if stamp is not None:
                stamps[folder] = stamp
        write_atomic(self.folders, json.dumps(stamps, separators=(",", ":")))
        self._trusted, self._looked_at = None, False

    def _recover(self) -> str | None:
        """Finish the commit a killed build left half done, or drop what it staged."""
        try:
            journal = json.loads(self.journal.read_text("utf-8"))
        except FileNotFoundError:
            journal = None
        except ValueError:  # torn journal: the commit had not started
            journal = None
            self.journal.unlink(missing_ok=True)
        if journal is not None and journal.get("key") == self.key:
            self._apply(journal)
            return "commit completed"
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
            return "staged files dropped"
        return None


def _stamp(path: str) -> tuple[int, int] | None:
    """A folder's inode and change time: the change time moves whenever a name in the folder is
    added, removed or renamed, and no tool can set it back."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_ctime_ns) if stat.S_ISDIR(st.st_mode) else None


def _commit_order(changed: list[str]) -> list[str]:
    """Assets and feeds first, then pages, the home page last: during the burst of
    renames a page never links to a file that is not there yet."""
    def key(rel: str) -> tuple[bool, bool, int, str]:
        page = rel.endswith(".html")
        return (page, rel == "index.html", -rel.count("/") if page else 0, rel)
    return sorted(changed, key=key)
