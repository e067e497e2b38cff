"""site/formats/search.py: which entries make which bundle, their records and digest, which of
Pagefind's files are served. Pure: no file, no process."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from conftest import entry_view, search_record
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.site.formats import search
from pelican.plugins.blogroll.site.model.views import EntryView


def entry(n: int, month: int, *, noindex: bool = False, title: str | None = None) -> EntryView:
    e = entry_view(n, datetime(2026, month, n, 9, tzinfo=UTC), link=f"https://blog.example/{n}/",
                   excerpt=f"Texte numéro {n}.", noindex=noindex)
    return e if title is None else replace(e, title=title)


def test_entries_split_at_the_cut_off_recent_first_and_noindex_blogs_left_out() -> None:
    entries = [entry(3, 11), entry(2, 11), entry(1, 11, noindex=True), entry(20, 9), entry(5, 10)]
    cutoff = (datetime(2026, 11, 2, 9, tzinfo=UTC),) * 2  # (first seen, date)
    found = search.split(entries, cutoff)
    assert found.cutoff == cutoff
    assert [p.folder for p in found.periods] == ["pagefind/recent/", "pagefind/base/"]
    assert [p.primary for p in found.periods] == [True, False]
    assert [[e.link for e in p.entries] for p in found.periods] == [
        ["https://blog.example/3/", "https://blog.example/2/"],
        ["https://blog.example/20/", "https://blog.example/5/"]]
    assert all(len(p.names) == len(p.entries) for p in found.periods)
    assert search.summary(found.periods) == search.Bundles(4, ("pagefind/recent/", "pagefind/base/"))
    # No cut-off yet: the newest indexable entry's date; the base takes every older one.
    fresh = search.split(entries, None)
    assert fresh.cutoff == (entry(3, 11).date,) * 2 and [len(p.entries) for p in fresh.periods] == [1, 3]
    # Nothing indexable: no bundle at all (Pagefind refuses an empty index).
    assert search.split([entry(1, 11, noindex=True)], None) == search.Split(None, ())
    assert search.summary(()) == search.Bundles(0, ())


dates = st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(dates, st.booleans(), st.one_of(st.none(), st.integers(0, 5000))), max_size=40),
       st.one_of(st.none(), st.tuples(dates, dates)))
def test_any_archive_makes_at_most_two_bundles_that_partition_it(rows, cutoff) -> None:
    """Whatever the archive's age and the cut-off: at most two bundles, every indexable entry in
    exactly one, the recent ones arrived (first seen; their date when unknown) from the cut-off on
    and the base ones before it, the first bundle the primary; a fresh cut leaves the recent
    bundle holding only the last arrivals."""
    entries = [replace(entry(1, 11, noindex=noindex), date=when, link=f"https://blog.example/{i}/",
                       seen=when + timedelta(hours=late) if late is not None else None)
               for i, (when, noindex, late) in enumerate(rows)]
    found = search.split(entries, cutoff)
    assert len(found.periods) <= 2
    assert [p.primary for p in found.periods] == [True, False][:len(found.periods)]
    placed = [e.link for p in found.periods for e in p.entries]
    assert sorted(placed) == sorted(e.link for e in entries if not e.noindex)
    for p in found.periods:
        assert found.cutoff is not None and p.folder in ("pagefind/recent/", "pagefind/base/")
        assert all((search.arrival(e) >= found.cutoff) == p.folder.endswith("/recent/") for e in p.entries)
    fresh = search.split(entries, None)
    if fresh.periods:
        recent = fresh.periods[0]
        assert recent.folder == "pagefind/recent/" and {search.arrival(e) for e in recent.entries} == {fresh.cutoff}
        assert not search.outgrown(fresh, len(recent.entries))
        assert search.outgrown(fresh, len(recent.entries) - 1)


def test_a_record_indexes_pseudonym_blog_and_specialty_synonyms() -> None:
    """The theme's record (search_record.html): its text holds the pseudonym, the blog, each
    specialty with its synonyms (filter values: the labels); its meta what a result shows."""
    from pelican.plugins.blogroll.site.model.views import Chip  # noqa: PLC0415

    chip = Chip("pma", "PMA", "specialites/pma/", ("procréation médicalement assistée", "FIV"))
    e = replace(entry(1, 11), author="Docteure Éprouvette", blog_title="Carnet <b>", chips=(chip,),
                date_fr="1 novembre 2026")
    html = record_html(e)
    assert 'data-pagefind-filter="specialite">PMA</span>' in html
    assert "procréation médicalement assistée, FIV" in html
    assert "Carnet &lt;b&gt;" in html and "<b>" not in html  # escaped
    assert 'data-pagefind-meta="date">1 novembre 2026' in html and "data-pagefind-sort" not in html
    text = re.sub(r"<[^>]+>", " ", html.split("</h2>", 1)[1].replace("data-pagefind-ignore>", ">"))
    assert "Docteure Éprouvette" in text


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
    period = search.split([entry(2, 11), entry(1, 11)], (entry(1, 11).date,) * 2).periods[0]
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


def record_html(e: EntryView) -> str:
    """`e`'s record as the site renders it: the plugin's search_record.html, autoescaped."""
    from jinja2 import Environment  # noqa: PLC0415
    from pelican.plugins.blogroll.site.builder.templates import plugin_environment  # noqa: PLC0415

    return plugin_environment(Environment()).get_template("blogroll/search_record.html").render(entry=e)
