"""Writes the plugin's output files: atomically, only when changed, never twice.

- Each file is written to a temporary name and renamed, so a crash never
  leaves a half-written file in place of the last good one. The data is
  flushed to disk once for the whole build (`finish` calls sync) rather than
  per file: an fsync per file cost seconds of wall time on a large rebuild.
- A file whose bytes are unchanged is left untouched (mtime and all), so a
  deploy step uploads nothing when nothing changed.
- Writing the same path twice in one build is a URL collision: an error,
  like Pelican's own refusal to overwrite a file.
- Files this writer produced in the previous build and not in this one
  (a retired feed, a taken-down author) are deleted at `finish`.
- `keep` marks a file of the previous build as produced again without
  rendering it (its inputs did not change): it is neither rewritten nor deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


class CollisionError(RuntimeError):
    pass


class OutputWriter:
    def __init__(self, output_dir: Path, manifest: Path):
        self.output_dir = Path(output_dir)
        self.manifest = Path(manifest)
        self.written: set[str] = set()
        self.changed: list[str] = []
        self.unchanged = 0
        self.kept = 0
        self._previous: set[str] | None = None

    def _claim(self, relpath: str) -> str:
        relpath = relpath.lstrip("/")
        if relpath in self.written:
            raise CollisionError(f"deux pages veulent le même fichier : {relpath}")
        if ".." in Path(relpath).parts:
            raise CollisionError(f"chemin de sortie invalide : {relpath}")
        self.written.add(relpath)
        return relpath

    def previous(self) -> set[str]:
        """The files this writer produced in the previous build of this output folder."""
        if self._previous is None:
            try:
                self._previous = set(json.loads(self.manifest.read_text("utf-8")).get(self._key(), []))
            except (FileNotFoundError, ValueError):
                self._previous = set()
        return self._previous

    def keep(self, relpath: str) -> bool:
        """Produce `relpath` again as it is on disk; False (nothing claimed) when it is not there."""
        rel = relpath.lstrip("/")
        if rel not in self.previous() or not (self.output_dir / rel).is_file():
            return False
        self._claim(rel)
        self.kept += 1
        return True

    def write(self, relpath: str, data: str | bytes) -> None:
        relpath = self._claim(relpath)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path = self.output_dir / relpath
        try:
            if path.stat().st_size == len(payload) and path.read_bytes() == payload:
                self.unchanged += 1
                return
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
        self.changed.append(relpath)

    def finish(self) -> list[str]:
        """Delete files we wrote last time but not this time; save the new manifest."""
        if self.changed:
            os.sync()  # one flush for the whole build (see the module docstring)
        removed = []
        parents: set[Path] = set()
        for rel in sorted(self.previous() - self.written):
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
        try:
            data = json.loads(self.manifest.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            pass
        data[self._key()] = sorted(self.written)
        self.manifest.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=0), "utf-8")
        os.replace(tmp, self.manifest)
        return removed

    def _key(self) -> str:
        return hashlib.sha256(str(self.output_dir.resolve()).encode()).hexdigest()[:16]
