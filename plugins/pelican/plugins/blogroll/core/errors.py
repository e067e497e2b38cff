"""Exception hierarchy of the blogroll pipeline.

Every error a stage raises on purpose derives from BlogrollError, so callers
can isolate one feed's failure without catching programming errors blindly.
Not counted: Pelican's own FileOverwriteFailedError, raised by
site/builder/pelicanwriter.py where it stands in for Pelican's Writer (Pelican's
callers expect it), and a signal that never leaves its module (fetch/client.py's
OverflowError, turned into a FetchError).
"""

from __future__ import annotations


class BlogrollError(Exception):
    """Base class of every error raised on purpose by the pipeline."""


class RegistryError(BlogrollError):
    """feeds.yaml or specialties.yaml is invalid; holds every problem found."""

    def __init__(self, problems: list[tuple[str, int, str]]):
        self.problems = sorted(problems, key=lambda p: (p[0], p[1]))
        super().__init__("\n".join(f"{f}:{line}: {reason}" for f, line, reason in self.problems))


class FetchError(BlogrollError):
    """A feed could not be fetched. `reason` is a short French sentence for /etat/."""

    def __init__(self, reason: str, *, status: int | None = None):
        self.reason = reason
        self.status = status
        super().__init__(reason)


class BlockedAddress(FetchError):
    """The URL resolves to an address the SSRF guard refuses."""


class ParseError(BlogrollError):
    """A fetched body is not a usable feed. The message is our own French words only (it is
    shown on /etat/); `detail` holds what the server sent (a parser's message quoting the
    document, the feeds a page advertises), for the maintainer's log and `try` only."""

    def __init__(self, reason: str, *, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(reason)


class StoreLocked(BlogrollError):
    """Another run holds the store's lock."""


class StoreError(BlogrollError):
    """The state directory's store cannot be used as it is (written by a newer version)."""
