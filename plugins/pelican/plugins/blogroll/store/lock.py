"""The state folder's exclusive lock: one run at a time per store."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from ..core.errors import StoreLocked

# File descriptors of the locks this process holds (see _forget_in_child).
_HELD: set[int] = set()
_HOOKED = False


def _forget_in_child() -> None:
    """A forked child (a parse worker) inherits the lock's descriptor, and a flock lock
    belongs to the open file, not to a process: a worker outliving a killed run would
    keep the store locked for every later run. The child closes its copy - never
    LOCK_UN, which would release the parent's lock as well."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


class StoreLock:
    """flock on `<state>/lock`, taken at once or refused with StoreLocked (never waited for)."""

    def __init__(self, state_dir: Path):
        global _HOOKED
        path = state_dir / "lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLocked(f"une autre exécution utilise déjà {state_dir} (verrou {path}) ; "
                              "attendez qu'elle se termine")
        if not _HOOKED:  # once per process, by the first lock it takes
            os.register_at_fork(after_in_child=_forget_in_child)
            _HOOKED = True
        self._fd: int | None = fd
        _HELD.add(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        _HELD.discard(self._fd)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
