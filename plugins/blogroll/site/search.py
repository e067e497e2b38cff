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
chunks removed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from . import urls
from .views import EntryView
from .writer import OutputWriter

BUNDLE = urls.SEARCH_BUNDLE
# Pagefind's ready-made UIs are not used (our own small script talks to its JS API).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


class SearchIndexError(RuntimeError):
    pass


def indexable(entries: Iterable[EntryView]) -> list[EntryView]:
    return [e for e in entries if not e.noindex]


def build_index(entries: Iterable[EntryView], render: Callable[[EntryView], str], writer: OutputWriter) -> int:
    """Index `entries` (each rendered to a record by `render`); write the bundle. Returns the record count."""
    records = indexable(entries)
    if not records:  # Pagefind refuses an empty index; the search page says there is nothing yet
        return 0
    with tempfile.TemporaryDirectory(prefix="pagefind-") as tmp:
        site, out = Path(tmp) / "records", Path(tmp) / "bundle"
        site.mkdir()
        for i, e in enumerate(records):
            (site / f"{i}.html").write_text(render(e), "utf-8")
        cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out), "--silent"]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise SearchIndexError(f"pagefind a échoué ({result.returncode}) : {result.stdout}{result.stderr}")
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            rel = path.relative_to(out).as_posix()
            if not rel.startswith(_UNUSED):
                writer.write(BUNDLE + rel, path.read_bytes())
    return len(records)
