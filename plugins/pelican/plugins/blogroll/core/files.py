"""Writing a file so that a reader (or a killed build) sees the old bytes or the new, never half."""

from __future__ import annotations

import os
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
