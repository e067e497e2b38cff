"""The identity flow through the update path, on real loopback servers, a real store and real
runs (update/run.py, update/walk.py): what a feed declares follows its backfilled pages in
later runs, reaches the other feeds' posts (in one run and across runs), and never leaves the
walk table in clear. Every name is synthetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape

import pytest
from conftest import SPECIALTIES, registry_yaml
from pelican.plugins.blogroll import registry, update
from pelican.plugins.blogroll.clean.withhold import HISTORY, NEUTRAL_TITLE, OTHER_FEED
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.store import Store
from pelican.plugins.blogroll.update.decide import UNSAFE_NEXT
from routeserver import RouteServer

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
NAME = "Palomir Vardenasse"


def atom(entries: list[tuple[str, str]], *, next_href: str | None = None, author: str | None = None,
         base: str = "") -> str:
    """An Atom page: (id, title) entries, an optional rel="next" and an optional feed author."""
    head = f'<link rel="next" href="{escape(base + next_href)}"/>' if next_href else ""
    who = f"<author><name>{escape(author)}</name></author>" if author else ""
    items = "".join(
        f"<entry><id>urn:{i}</id><title>{escape(t)}</title><link href=\"https://blog.example/{i}\"/>"
        f"<updated>{(NOW - timedelta(days=int(i[1:]))).isoformat()}</updated>"
        f"<summary>Compte rendu de garde numéro {i}.</summary></entry>" for i, t in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Carnet</title><id>urn:carnet</id><updated>{NOW.isoformat()}</updated>{who}{head}{items}</feed>")


def setup(tmp_path, server: RouteServer, ids: tuple[str, ...], **settings):
    path = tmp_path / "feeds.yaml"
    path.write_text(registry_yaml([{"id": i, "feed": f"{server.url}/{i}.xml", "site": "https://blog.example/"}
                                   for i in ids]), "utf-8")
    reg = registry.load(path, SPECIALTIES, allow_private=True)
    return reg, Settings(allow_private=True, parse_workers=0, backfill_delay=0, poll_adaptive=False, **settings)


def test_page_three_of_a_later_run_is_withheld_for_the_author_page_one_declared(tmp_path):
    with RouteServer() as server:
        server.set("/carnet.xml", atom([("p1", "Première garde")], next_href="/carnet-2.xml", author=NAME,
                                       base=server.url), "application/atom+xml")
        server.set("/carnet-2.xml", atom([("p2", "Deuxième garde")], next_href="/carnet-3.xml", base=server.url),
                   "application/atom+xml")
        server.set("/carnet-3.xml", atom([("p3", f"Garde avec {NAME.split()[1]} cette nuit")], base=server.url),
                   "application/atom+xml")
        reg, s = setup(tmp_path, server, ("carnet",), backfill_budget=1)
        state = tmp_path / "state"
        with Store(state) as store:  # run 1: page 1 (the hourly fetch) and page 2 (the budget)
            update.hourly(reg, store, s, NOW)
            assert "/carnet-2.xml" in server.requests and "/carnet-3.xml" not in server.requests
            sealed = store.db.execute("SELECT next_url FROM backfill").fetchone()[0]
            assert sealed.startswith("sealed1:")
        with Store(state) as store:  # run 2, a new process: page 3 declares nobody
            update.hourly(reg, store, s, NOW + timedelta(hours=1))
            assert "/carnet-3.xml" in server.requests
            rows = {r["guid"]: (r["withheld"], r["title"], r["link"], r["excerpt"])
                    for r in store.db.execute("SELECT * FROM entries")}
        third = [v for v in rows.values() if v[0]]
        assert third == [(HISTORY, NEUTRAL_TITLE, "https://blog.example/", "")]
        assert len(rows) == 3
    assert b"vardenasse" not in b"".join(p.read_bytes() for p in state.iterdir() if p.is_file()).lower()


def test_a_next_address_holding_the_declared_name_ends_the_walk_and_is_not_kept(tmp_path):
    with RouteServer() as server:
        server.set("/carnet.xml", atom([("p1", "Première garde")], next_href="/par/palomir-vardenasse/2.xml",
                                       author=NAME, base=server.url), "application/atom+xml")
        reg, s = setup(tmp_path, server, ("carnet",), backfill_budget=1)
        with Store(tmp_path / "state") as store:
            update.hourly(reg, store, s, NOW)
            state = store.backfill_state("carnet")
            assert state.done and state.next_url is None and state.reason == UNSAFE_NEXT
            assert store.db.execute("SELECT next_url FROM backfill").fetchone()[0] is None
        assert not any("vardenasse" in p for p in server.requests)


def test_a_name_one_feed_declares_is_cut_from_another_in_the_same_run_or_withheld(tmp_path):
    with RouteServer() as server:
        server.set("/a.xml", atom([("p1", "Garde du soir")], author=NAME), "application/atom+xml")
        # The name in the clear forms of the run, cut; « Dr Vardenasse » (a form the other feeds
        # look for, not one the cut takes out of « Dr X »): withheld.
        server.set("/b.xml", atom([("p2", f"Lu chez {NAME}"), ("p3", "Nuit calme"),
                                   ("p4", "Lu chez le Dr " + NAME.split()[1])]), "application/atom+xml")
        reg, s = setup(tmp_path, server, ("a", "b"), backfill_budget=0)
        with Store(tmp_path / "state") as store:
            update.run(reg, store, s, NOW)
            titles = {r["title"]: r["withheld"] for r in store.db.execute("SELECT * FROM entries WHERE feed_id='b'")}
            assert titles.pop("Nuit calme") == "" and titles.pop("Lu chez") == ""
            assert titles in ({}, {NEUTRAL_TITLE: OTHER_FEED}, {"Lu chez le": ""}), titles
        assert b"Vardenasse" not in (tmp_path / "state" / "blogroll.sqlite3").read_bytes()


def test_a_name_one_feed_declared_in_an_earlier_run_is_withheld_from_a_feed_added_later(tmp_path):
    with RouteServer() as server:
        server.set("/a.xml", atom([("p1", "Garde du soir")], author=NAME), "application/atom+xml")
        server.set("/b.xml", atom([("p2", f"Lu chez {NAME.split()[1]} {NAME.split()[0]}")]), "application/atom+xml")
        reg, s = setup(tmp_path, server, ("a",), backfill_budget=0)
        with Store(tmp_path / "state") as store:
            update.run(reg, store, s, NOW)
        reg, s = setup(tmp_path, server, ("a", "b"), backfill_budget=0)
        with Store(tmp_path / "state") as store:
            update.run(reg, store, s, NOW + timedelta(hours=1))  # a's body is the same: not parsed again
            rows = store.db.execute("SELECT title, withheld FROM entries WHERE feed_id = 'b'").fetchall()
            assert [tuple(r) for r in rows] == [(NEUTRAL_TITLE, OTHER_FEED)]


def test_a_feed_declaring_someone_new_cleans_the_archive_of_every_feed(tmp_path):
    with RouteServer() as server:
        server.set("/a.xml", atom([("p1", "Garde du soir")]), "application/atom+xml")
        server.set("/b.xml", atom([("p2", f"Merci à {NAME}")]), "application/atom+xml")
        reg, s = setup(tmp_path, server, ("a", "b"), backfill_budget=0)
        with Store(tmp_path / "state") as store:
            update.run(reg, store, s, NOW)
            assert store.db.execute("SELECT COUNT(*) FROM entries WHERE withheld != ''").fetchone()[0] == 0
            server.set("/a.xml", atom([("p1", "Garde du soir"), ("p4", "Nouveau billet")], author=NAME),
                       "application/atom+xml")
            server.set("/b.xml", atom([("p2", f"Merci à {NAME}")]), "application/atom+xml")
            update.run(reg, store, s, NOW + timedelta(hours=1))
            rows = store.db.execute("SELECT feed_id, title, withheld FROM entries ORDER BY feed_id").fetchall()
            assert ("b", "Merci à", "") in [tuple(r) for r in rows]  # cut in place, still published
    assert b"Vardenasse" not in (tmp_path / "state" / "blogroll.sqlite3").read_bytes()


@pytest.mark.parametrize("header", ["Marie Rose", "garde nuit"])
def test_a_header_of_two_ordinary_words_never_reaches_etat(tmp_path, header):
    with RouteServer() as server:
        server.set("/a.xml", atom([("p1", "Garde")]), "application/atom+xml", **{"Content-Encoding": header})
        reg, s = setup(tmp_path, server, ("a",), backfill_budget=0)
        with Store(tmp_path / "state") as store:
            update.run(reg, store, s, NOW)
            health = store.all_health()["a"]
            assert health.last_error == "encodage de contenu non pris en charge"
            assert header not in (store.history("a")[0].error or "")


def test_a_changed_feed_cleans_its_new_posts_only_and_a_new_name_still_reaches_the_archive(tmp_path):
    """The hourly run cleans only what the archive does not hold as fetched (clean/entry.py
    `clean_changed`); a feed that declares someone new has every post cleaned again (its
    declarations are part of the raw key), and the name is found nowhere."""
    with RouteServer() as server:
        posts = [("p1", "Première garde"), ("p2", f"Garde avec {NAME.split()[1]}"), ("p3", "Troisième garde")]
        server.set("/carnet.xml", atom(posts), "application/atom+xml")
        reg, s = setup(tmp_path, server, ("carnet",))
        state = tmp_path / "state"
        with Store(state) as store:
            first = update.hourly(reg, store, s, NOW)
        assert (first.new_entries, first.unchanged_entries) == (3, 0)
        server.set("/carnet.xml", atom([("p0", "Nouvelle garde"), *posts]), "application/atom+xml")
        with Store(state) as store:
            second = update.hourly(reg, store, s, NOW + timedelta(hours=1))
            assert (second.new_entries, second.unchanged_entries) == (1, 3)
            assert store.count() == 4
        # The feed now declares its author: every post is cleaned again (another declaration),
        # and the surname is found nowhere.
        server.set("/carnet.xml", atom([("p0", "Nouvelle garde"), *posts], author=NAME), "application/atom+xml")
        with Store(state) as store:
            third = update.hourly(reg, store, s, NOW + timedelta(hours=2))
            assert third.unchanged_entries == 0
            assert not any(NAME.split()[1] in e.title + e.excerpt for e in store.entries())
