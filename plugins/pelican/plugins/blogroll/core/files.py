"""Writing a file so that a reader (or a killed build) sees the old bytes or the new, never half;
the digest of the plugin's own source files."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, durable: bool = False) -> None:
    """Write `data` beside `path` under a name of this process's own, then rename it into place.

    `durable` also flushes the file and its folder to disk before returning (journals,
    manifests): after a power cut the rename is there with its data, or not at all.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(payload)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    if durable:
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@cache
def source_digest(*rooms: str) -> bytes:
    """The digest of the plugin's source files in `rooms` (« core », « clean »…): what a cache
    keyed by it was made with (registry/load.py, update/worker.py); another release, another key."""
    plugin = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for room in rooms:
        for path in sorted((plugin / room).rglob("*.py")):
            h.update(path.relative_to(plugin).as_posix().encode() + b"\0" + path.read_bytes())
    return h.digest()
