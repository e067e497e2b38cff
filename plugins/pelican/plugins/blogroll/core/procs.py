"""Child processes that end with the run that started them.

A build killed with SIGKILL cannot clean up: its parse workers (forked) and
the Pagefind indexer (a subprocess) would live on, the workers forever. Each
child asks the kernel to kill it when its parent dies (Linux's
PR_SET_PDEATHSIG; elsewhere this does nothing).
"""

from __future__ import annotations

import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Call in the child (pool initializer, preexec_fn) with the parent's pid."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
