"""A real feed of 14 entries linking « page#a »…« page#n » (issue 23, item 2), served on
loopback and run through the update path (fetch, parse, clean, store on a real SQLite
file): 14 entries, still 14 fetched again, and an archive the old identity had collapsed
to one row gains the other 13 without a duplicate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import SPECIALTIES, registry_yaml, rss
from legacyidentity import legacy_identity
from pelican.plugins.blogroll import registry, update
from pelican.plugins.blogroll.core.model import Registry
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.store import Store
from routeserver import RouteServer

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
PAGE = "https://breves.example/carnet/"
LETTERS = "abcdefghijklmn"
SETTINGS = Settings(allow_private=True, parse_workers=0, backfill_budget=0, poll_adaptive=False)


def atom(letters: str) -> str:
    """An Atom feed whose entries are anchors of one page, with ids that are those anchors."""
    entries = "".join(
        f"<entry><title>Brève {c}</title><link rel='alternate' href='{PAGE}#{c}'/><id>{PAGE}#{c}</id>"
        f"<published>2026-11-{20 - LETTERS.index(c):02d}T10:00:00Z</published>"
        f"<updated>2026-11-{20 - LETTERS.index(c):02d}T10:00:00Z</updated>"
        f"<content type='html'>&lt;p&gt;Texte de la brève {c}.&lt;/p&gt;</content></entry>" for c in letters)
    return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>Brèves</title><id>{PAGE}</id><updated>2026-11-20T10:00:00Z</updated>{entries}</feed>")


def rss_without_guids(letters: str) -> str:
    return rss([{"title": f"Brève {c}", "link": f"{PAGE}#{c}", "body": f"<p>Texte de la brève {c}.</p>",
                 "date": f"Fri, {20 - LETTERS.index(c):02d} Nov 2026 10:00:00 +0000"} for c in letters])


FEEDS = {"atom": (atom, "application/atom+xml"), "rss": (rss_without_guids, "application/rss+xml")}


def load(tmp_path: Path, server: RouteServer) -> Registry:
    path = tmp_path / "feeds.yaml"
    path.write_text(registry_yaml([{"id": "breves", "feed": f"{server.url}/feed.xml",
                                    "site": "https://breves.example/"}]), "utf-8")
    return registry.load(path, SPECIALTIES, allow_private=True)


@pytest.mark.parametrize("kind", FEEDS)
def test_fourteen_anchors_of_one_page_are_fourteen_entries_fetched_twice(tmp_path, kind):
    make, content_type = FEEDS[kind]
    with RouteServer() as server, Store(tmp_path / "state") as store:
        reg = load(tmp_path, server)
        server.set("/feed.xml", make(LETTERS), content_type)
        assert update.run(reg, store, SETTINGS, NOW).new_entries == 14
        server.set("/feed.xml", make(LETTERS[::-1]), content_type)  # another body: parsed and stored again
        assert update.run(reg, store, SETTINGS, NOW + HOUR).new_entries == 0
        assert len(server.requests) == 2
        stored = store.entries(["breves"])
        assert sorted(e.title for e in stored) == [f"Brève {c}" for c in LETTERS]
        assert {e.link for e in stored} == {PAGE}


@pytest.mark.parametrize("kind", FEEDS)
def test_an_archive_the_old_identity_collapsed_gains_the_other_entries_once(tmp_path, kind):
    make, content_type = FEEDS[kind]
    with RouteServer() as server, Store(tmp_path / "state") as store:
        reg = load(tmp_path, server)
        server.set("/feed.xml", make(LETTERS[1:]), content_type)
        with legacy_identity():  # the release before: one row for the page
            update.run(reg, store, SETTINGS, NOW)
            server.set("/feed.xml", make(LETTERS), content_type)
            update.run(reg, store, SETTINGS, NOW + HOUR)
        [legacy] = store.entries(["breves"])
        assert legacy.title == "Brève a"  # the old row followed the newest anchor
        server.set("/feed.xml", make(LETTERS) + " ", content_type)
        assert update.run(reg, store, SETTINGS, NOW + 2 * HOUR).new_entries == 13
        server.set("/feed.xml", make(LETTERS[::-1]), content_type)
        assert update.run(reg, store, SETTINGS, NOW + 3 * HOUR).new_entries == 0
        stored = store.entries(["breves"])
        assert sorted(e.title for e in stored) == [f"Brève {c}" for c in LETTERS]
        assert next(e for e in stored if e.title == "Brève a").id == legacy.id
        assert store.health("breves").entry_count == 14


@pytest.mark.build
def test_the_anchors_of_one_page_get_distinct_atom_ids(site, server, feed_dir):
    import speccheck

    (feed_dir / "breves.xml").write_text(atom(LETTERS), "utf-8")
    site.write_registry([{"id": "breves", "author": "Docteur Brève", "feed": f"{server.url}/breves.xml",
                          "site": "https://breves.example/"}])
    site.build(BLOGROLL_NOW="2026-11-21T08:00:00+00:00")
    feed = site.output / "feeds" / "all.atom.xml"
    assert feed.read_text("utf-8").count("<entry") == 14
    assert not [p for p in speccheck.check_atom(feed.read_bytes()) if p.startswith("DuplicateEntries")]
