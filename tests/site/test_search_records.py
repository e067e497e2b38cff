"""site/formats/search.py: which entries make which bundle, their records and digest, which of
Pagefind's files are served. Pure: no file, no process."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from conftest import entry_view, search_record
from pelican.plugins.blogroll.site.formats import search
from pelican.plugins.blogroll.site.model.views import EntryView


def entry(n: int, month: int, *, noindex: bool = False, title: str | None = None) -> EntryView:
    e = entry_view(n, datetime(2026, month, n, 9, tzinfo=UTC), link=f"https://blog.example/{n}/",
                   excerpt=f"Texte numéro {n}.", noindex=noindex)
    return e if title is None else replace(e, title=title)


def test_entries_are_grouped_by_month_newest_first_and_noindex_blogs_left_out() -> None:
    entries = [entry(3, 11), entry(2, 11), entry(1, 11, noindex=True), entry(20, 9), entry(5, 10)]
    found = search.periods(entries)
    assert [p.folder for p in found] == ["pagefind/2026-11/", "pagefind/2026-10/", "pagefind/2026-09/"]
    assert [p.primary for p in found] == [True, False, False]
    assert [[e.link for e in p.entries] for p in found] == [
        ["https://blog.example/3/", "https://blog.example/2/"], ["https://blog.example/5/"],
        ["https://blog.example/20/"]]
    assert all(len(p.names) == len(p.entries) for p in found)
    assert search.summary(found) == search.Bundles(4, ("pagefind/2026-11/", "pagefind/2026-10/",
                                                       "pagefind/2026-09/"))
    # Nothing indexable: no bundle at all (Pagefind refuses an empty index).
    assert search.periods([entry(1, 11, noindex=True)]) == ()
    assert search.summary(()) == search.Bundles(0, ())


def test_record_names_do_not_depend_on_rank_and_never_collide() -> None:
    """Pagefind puts a record's file name in its fragment: a new entry at the top must not
    rename every other record (thousands of fragments deleted and uploaded again)."""
    older = [entry(2, 11), entry(1, 11)]
    before = search.record_names(older)
    after = search.record_names([entry(3, 11), *older])
    assert after[1:] == before and after[0] not in before
    assert all(n.endswith(".html") for n in after)
    twins = search.record_names([entry(1, 11), entry(1, 11), entry(1, 11)])
    assert len(set(twins)) == 3 and twins[1] == twins[0].replace(".html", "-2.html")
    assert search.record_names([entry(1, 11, title="Autre titre")]) != search.record_names([entry(1, 11)])


def test_a_bundle_is_its_records_in_order_and_their_digest() -> None:
    period = search.periods([entry(2, 11), entry(1, 11)])[0]
    bundle = search.bundle(period, search_record, indexer="1.0")
    assert (bundle.folder, bundle.primary, bundle.names) == (period.folder, True, period.names)
    assert bundle.pages == (search_record(period.entries[0]), search_record(period.entries[1]))
    assert bundle.digest == search.records_digest(bundle.pages, "1.0")
    # The same records make the same digest; another record, order or Pagefind version does not.
    assert search.bundle(period, search_record, indexer="1.0") == bundle
    assert search.records_digest(reversed(bundle.pages), "1.0") != bundle.digest
    assert search.records_digest(bundle.pages, "1.1") != bundle.digest
    assert search.bundle(period, lambda e: search_record(e) + " ", indexer="1.0").digest != bundle.digest


def test_the_runtime_is_served_by_the_primary_bundle_only() -> None:
    runtime = ["pagefind.js", "pagefind-worker.js", "wasm.fr.pagefind", "wasm.unknown.pagefind"]
    data = ["pagefind-entry.json", "fragment/fr_1a2b.pf_fragment", "index/fr_3c4d.pf_index",
            "filter/fr_5e6f.pf_filter", "pagefind.fr_7a8b.pf_meta"]
    unused = ["pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-modular-ui.js",
              "pagefind-highlight.js", "records.sha256"]
    assert all(search.served(rel, primary=True) for rel in runtime + data)
    assert [rel for rel in runtime + data if search.served(rel, primary=False)] == data
    assert not any(search.served(rel, primary=p) for rel in unused for p in (True, False))
