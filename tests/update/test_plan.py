"""When a feed is fetched, what an outcome does to its health, and how entries are dated.

update/plan.py is pure: those tests need no server. The dating rules (future
dates clamped, missing dates -> first seen, a rewritten `updated` never
bumps a post) are checked through real runs of the update path on loopback.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from conftest import SPECIALTIES, registry_yaml
from faultserver import FaultServer, feed
from pelican.plugins.blogroll import registry, update
from pelican.plugins.blogroll.core.model import FeedConfig, FeedHealth, FetchResult, Outcome
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.store import Store
from pelican.plugins.blogroll.update import plan as schedule

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
FEED = FeedConfig(id="alpha", title="Alpha", author="Docteur Alpha", site="https://alpha.example/",
                  feed="https://alpha.example/feed/", specialties=("medecine-generale",))


def result(outcome=Outcome.OK, at=NOW, **kw) -> FetchResult:
    return FetchResult("alpha", FEED.feed, outcome, at, **kw)


def healthy() -> FeedHealth:
    return schedule.after_fetch(None, FEED, result(status=200, etag='"v1"', last_modified="lun."), body_hash="h1")


# --- due ----------------------------------------------------------------------------

def test_new_feed_is_due():
    assert schedule.due(None, FEED, NOW) == (True, None)


def test_waiting_feed_is_not_due_until_its_time():
    h = dataclasses.replace(healthy(), next_attempt=NOW + timedelta(hours=2))
    ok, why = schedule.due(h, FEED, NOW + timedelta(hours=1))
    assert not ok and why.startswith("en attente jusqu'à 2026-05-04T12:00")
    assert schedule.due(h, FEED, NOW + timedelta(hours=2)) == (True, None)


def test_gone_feed_is_not_due_until_its_entry_changes():
    h = schedule.after_fetch(healthy(), FEED, result(Outcome.GONE, status=410, error="le flux a été supprimé (HTTP 410)"))
    assert h.gone
    ok, why = schedule.due(h, FEED, NOW + timedelta(days=365))
    assert not ok and "modifiez son entrée dans feeds.yaml" in why
    edited = dataclasses.replace(FEED, feed="https://alpha.example/nouveau-flux/")
    assert schedule.due(h, edited, NOW) == (True, None)


def test_any_edit_of_the_entry_lifts_a_back_off():
    h = dataclasses.replace(healthy(), next_attempt=NOW + timedelta(hours=8), consecutive_failures=4)
    assert schedule.due(h, dataclasses.replace(FEED, title="Alpha (corrigé)"), NOW)[0]


# --- back-off ---------------------------------------------------------------------------

def test_backoff_grows_then_caps_at_a_day():
    waits = [schedule.backoff(n) for n in range(1, 9)]
    assert waits[0] == timedelta(0)
    assert waits[1:5] == [timedelta(hours=h) - schedule.SLACK for h in (2, 4, 8, 16)]
    assert waits[5:] == [timedelta(hours=24) - schedule.SLACK] * 3
    assert all(a <= b for a, b in zip(waits, waits[1:], strict=False))


# --- after_fetch ----------------------------------------------------------------------------

def test_success_records_validators_and_resets_failures():
    failing = dataclasses.replace(healthy(), consecutive_failures=3, last_error="x", down_since=NOW - timedelta(days=2),
                                  next_attempt=NOW)
    h = schedule.after_fetch(failing, FEED, result(status=200, etag='"v2"'), body_hash="h2")
    assert (h.consecutive_failures, h.last_error, h.down_since, h.next_attempt) == (0, None, None, None)
    assert (h.last_success, h.etag, h.body_hash) == (NOW, '"v2"', "h2")


def test_not_modified_keeps_validators_and_body_hash():
    h0 = healthy()
    later = NOW + timedelta(hours=1)
    h = schedule.after_fetch(h0, FEED, result(Outcome.NOT_MODIFIED, at=later, status=304, etag='"v1"'))
    assert (h.etag, h.last_modified, h.body_hash) == ('"v1"', "lun.", "h1")
    assert h.last_success == later and h.last_error is None


def test_failures_count_and_keep_down_since_and_validators():
    h = healthy()
    for i in range(1, 4):
        at = NOW + timedelta(hours=i)
        h = schedule.after_fetch(h, FEED, result(Outcome.ERROR, at=at, status=500, error="erreur interne"))
        assert h.consecutive_failures == i and h.down_since == NOW + timedelta(hours=1)
        assert h.next_attempt == (at + schedule.backoff(i) if i > 1 else None)
        assert h.last_success == NOW and h.etag == '"v1"'


def test_parse_error_on_a_200_is_a_failure_and_forgets_the_body_hash():
    h = schedule.after_fetch(healthy(), FEED, result(status=200), error="ce n'est pas un flux (page HTML)",
                             body_hash=None)
    assert h.consecutive_failures == 1 and h.last_error == "ce n'est pas un flux (page HTML)"
    assert h.body_hash == "h1"  # the last good body's hash stays; the next good body is parsed anyway


def test_retry_after_wins_over_a_shorter_back_off_and_loses_to_a_longer_one():
    h = schedule.after_fetch(healthy(), FEED, result(Outcome.ERROR, status=429, error="x",
                                                     retry_after=NOW + timedelta(minutes=10)))
    assert h.next_attempt == NOW + timedelta(minutes=10)
    for _ in range(3):
        h = schedule.after_fetch(h, FEED, result(Outcome.ERROR, status=429, error="x",
                                                 retry_after=NOW + timedelta(minutes=10)))
    assert h.consecutive_failures == 4 and h.next_attempt == NOW + schedule.backoff(4)


def test_permanent_redirect_is_remembered_through_failures_and_cleared_by_a_direct_success():
    moved = "https://alpha.example/new-feed/"
    h = schedule.after_fetch(healthy(), FEED, result(status=200, permanent_url=moved), body_hash="h")
    assert h.permanent_url == moved
    h = schedule.after_fetch(h, FEED, result(Outcome.ERROR, status=500, error="x"))
    assert h.permanent_url == moved
    h = schedule.after_fetch(h, FEED, result(status=200), body_hash="h")
    assert h.permanent_url is None


def test_new_url_forgets_validators_but_keeps_history():
    h = schedule.after_fetch(healthy(), FEED, result(Outcome.ERROR, status=404, error="x"))
    edited = dataclasses.replace(FEED, feed="https://alpha.example/rss.xml")
    h2 = schedule.after_fetch(h, edited, FetchResult("alpha", edited.feed, Outcome.ERROR, NOW, status=404, error="x"))
    assert (h2.etag, h2.last_modified, h2.body_hash) == (None, None, None)
    assert h2.url == edited.feed and h2.consecutive_failures == 2 and h2.last_success == NOW


# --- dates through the update path --------------------------------------------------------------

def atom(entries: list[dict]) -> str:
    items = []
    for e in entries:
        pub = f"<published>{e['published']}</published>" if e.get("published") else ""
        upd = f"<updated>{e['updated']}</updated>" if e.get("updated") else ""
        items.append(f'<entry><title>{e["title"]}</title><id>{e["id"]}</id>'
                     f'<link href="https://alpha.example/{e["id"]}/"/>{pub}{upd}'
                     f'<summary>Texte de {e["title"]}.</summary></entry>')
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>Alpha</title><id>urn:alpha</id><updated>2026-01-01T00:00:00Z</updated>{"".join(items)}</feed>')


@pytest.fixture
def run(tmp_path):
    with FaultServer() as server:
        path = tmp_path / "feeds.yaml"
        path.write_text(registry_yaml([{"id": "alpha", "feed": f"{server.url}/alpha.xml"}]), "utf-8")
        reg = registry.load(path, SPECIALTIES, allow_private=True)
        store = Store(tmp_path / "state")
        settings = Settings(allow_private=True, parse_workers=0)

        def go(entries: list[dict], at: datetime):
            server.route("/alpha.xml", feed(atom(entries), content_type="application/atom+xml"))
            report = update.run(reg, store, settings, at)
            assert report.failed == 0, report.errors
            return {e.title: e for e in store.entries()}

        yield go
        store.close()


def test_future_date_is_clamped_to_fetch_time(run):
    got = run([{"title": "Du futur", "id": "f", "published": "2099-01-01T00:00:00Z"},
               {"title": "Normal", "id": "n", "published": "2026-05-01T00:00:00Z"}], NOW)
    assert got["Du futur"].sort_date == NOW
    assert got["Normal"].sort_date == datetime(2026, 5, 1, tzinfo=UTC)
    # Still clamped later: it never jumps back to the top when 2099 nears.
    got = run([{"title": "Du futur", "id": "f", "published": "2099-01-01T00:00:00Z"}], NOW + timedelta(days=30))
    assert got["Du futur"].sort_date == NOW


def test_missing_date_is_first_seen_time_and_stays(run):
    got = run([{"title": "Sans date", "id": "s"}], NOW)
    assert got["Sans date"].sort_date == NOW and got["Sans date"].first_seen == NOW
    got = run([{"title": "Sans date", "id": "s"}, {"title": "Autre", "id": "a"}], NOW + timedelta(hours=5))
    assert got["Sans date"].sort_date == NOW
    assert got["Autre"].sort_date == NOW + timedelta(hours=5)


def test_rewritten_updated_never_pushes_old_posts_to_the_top(run):
    old = [{"title": f"Ancien {i}", "id": f"o{i}", "updated": f"2025-0{i}-01T00:00:00Z"} for i in range(1, 4)]
    newer = {"title": "Récent", "id": "r", "published": "2026-05-01T00:00:00Z", "updated": "2026-05-01T00:00:00Z"}
    first = run(old + [newer], NOW)
    order = [e.title for e in sorted(first.values(), key=lambda e: e.sort_date, reverse=True)]
    assert order == ["Récent", "Ancien 3", "Ancien 2", "Ancien 1"]
    # A theme change rewrites every `updated` to today (and edits a title): same order, no duplicate.
    rewritten = [dict(e, updated="2026-05-05T09:00:00Z") for e in old]
    rewritten[0]["title"] = "Ancien 1 (corrigé)"
    later = run(rewritten + [dict(newer, updated="2026-05-05T09:00:00Z")], NOW + timedelta(days=1))
    assert len(later) == 4
    order = [e.title for e in sorted(later.values(), key=lambda e: e.sort_date, reverse=True)]
    assert order == ["Récent", "Ancien 3", "Ancien 2", "Ancien 1 (corrigé)"]
    assert later["Ancien 1 (corrigé)"].sort_date == first["Ancien 1"].sort_date
