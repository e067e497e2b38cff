"""Pelican's own writer, made to leave unchanged files untouched.

Pelican renders content/pages (the charter, the 404 page) and rewrites them at
every build, which changes their mtime: the hourly deploy would upload them
for nothing. This writer renders exactly as Pelican's does, but a file whose
bytes are unchanged is not rewritten, and a changed one is replaced atomically.
It keeps Pelican's bookkeeping of written and overridden files.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import TextIO

from pelican import writers
from pelican.writers import Writer

from ...core.files import write_atomic

log = logging.getLogger(__name__)
# Pelican 4.12's refusal to overwrite a file; the Pelicans before it raise a RuntimeError.
FileOverwriteFailedError: type[Exception] = getattr(writers, "FileOverwriteFailedError", RuntimeError)


class _UnchangedSkippingFile(io.StringIO):
    def __init__(self, path: str, encoding: str):
        super().__init__()
        self._path = path
        self._encoding = encoding

    def close(self) -> None:
        if not self.closed:
            payload = self.getvalue().encode(self._encoding)
            _write_if_changed(self._path, payload)
        super().close()


def _write_if_changed(path: str, payload: bytes) -> None:
    try:
        if os.path.getsize(path) == len(payload):
            with open(path, "rb") as fh:
                if fh.read() == payload:
                    return
    except FileNotFoundError:
        pass
    write_atomic(Path(path), payload)


class UnchangedSkippingWriter(Writer):
    def _open_w(self, filename: str, encoding: str, override: bool = False) -> TextIO:
        # Same checks as pelican.writers.Writer._open_w (Pelican 4.12), minus the truncating open().
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            log.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                log.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                    "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _UnchangedSkippingFile(filename, encoding)
