"""Adaptive polling: each blog is fetched at its own pace (schedule.plan / due, pure), and
end to end: a dormant blog is not requested on the next hourly run, a new post brings it
back to hourly, and /etat/ says when each blog is fetched next."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from conftest import SPECIALTIES, registry_yaml, rss
from pelican.plugins.blogroll import registry, update
from pelican.plugins.blogroll.core.model import FeedConfig, FeedHealth, FetchResult, Outcome
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.site.model.health import statuses
from pelican.plugins.blogroll.store import Store
from pelican.plugins.blogroll.update import plan as schedule
from routeserver import RouteServer

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
FEED = FeedConfig(id="alpha", title="Alpha", author="Docteur Alpha", site="https://alpha.example/",
                  feed="https://alpha.example/feed/", specialties=("medecine-generale",))
POLICY = schedule.PollPolicy()


def fetched(last_post: datetime | None, at: datetime = NOW, **headers) -> FeedHealth:
    result = FetchResult("alpha", FEED.feed, Outcome.OK, at, status=200, body=b"x", **headers)
    h = schedule.after_fetch(None, FEED, result, body_hash="h")
    return schedule.plan(dataclasses.replace(h, last_post=last_post), POLICY)


def hourly_runs(h, hours: int) -> list[bool]:
    """Which of the next `hours` hourly builds (a minute late, as CI runs) fetch the feed."""
    return [schedule.due(h, FEED, NOW + HOUR * n + timedelta(minutes=1))[0] for n in range(1, hours + 1)]


# --- pure ----------------------------------------------------------------------------

def test_a_blog_that_just_posted_is_fetched_at_every_build():
    h = fetched(NOW - 3 * HOUR)
    assert h.next_poll is None and all(hourly_runs(h, 3))


def test_a_weekly_blog_is_not_fetched_every_hour():
    h = fetched(NOW - 4 * DAY)  # posts weekly, last post 4 days ago: every 12 hours
    assert schedule.interval(h, POLICY) == 12 * HOUR
    runs = hourly_runs(h, 24)
    assert runs.index(True) == 11 and not any(runs[:11])
    ok, why = schedule.due(h, FEED, NOW + HOUR)
    assert not ok and why.startswith("rythme du blog")


def test_a_blog_silent_for_years_is_fetched_once_a_day():
    h = fetched(NOW - 6 * 365 * DAY)
    assert schedule.interval(h, POLICY) == DAY
    assert hourly_runs(h, 48).index(True) == 23  # the 24th build after, not one before


def test_a_new_post_brings_a_dormant_blog_back_to_hourly():
    dormant = fetched(NOW - 3 * 365 * DAY)
    later = NOW + DAY
    result = FetchResult("alpha", FEED.feed, Outcome.OK, later, status=200, body=b"y")
    h = schedule.after_fetch(dormant, FEED, result, body_hash="h2")
    h = schedule.plan(dataclasses.replace(h, last_post=later - 2 * HOUR), POLICY)
    assert h.next_poll is None
    assert schedule.due(h, FEED, later + HOUR)[0]


@pytest.mark.parametrize("headers, ttl, wait", [
    ({"cache_control": "public, max-age=10800"}, None, 3 * HOUR),
    ({"cache_control": "no-cache, max-age=10800"}, None, HOUR),
    ({"expires": format_datetime(NOW + 5 * HOUR, usegmt=True)}, None, 5 * HOUR),
    ({"cache_control": "max-age=7200", "expires": format_datetime(NOW + 9 * HOUR, usegmt=True)}, None, 2 * HOUR),
    ({"expires": "0"}, None, HOUR),
    ({}, schedule.feed_ttl(240, None, None), 4 * HOUR),                    # RSS <ttl>240</ttl>
    ({}, schedule.feed_ttl(None, "daily", 4), 6 * HOUR),                   # sy:updatePeriod daily, 4 times
    ({}, schedule.feed_ttl(None, "weekly", None), DAY),                    # a week: capped at a day
    ({"cache_control": "max-age=31536000"}, None, DAY),                    # a year: capped too
])
def test_server_and_feed_hints_are_honoured_within_the_bounds(headers, ttl, wait):
    h = fetched(NOW - HOUR, **headers)
    h = schedule.plan(dataclasses.replace(h, feed_ttl=ttl), POLICY)
    assert schedule.interval(h, POLICY) == wait


def test_hints_never_make_a_quiet_blog_polled_more_often():
    h = fetched(NOW - 6 * 365 * DAY, cache_control="max-age=60")
    assert schedule.interval(h, POLICY) == DAY


def test_failures_follow_the_back_off_not_the_pace():
    h = fetched(NOW - 6 * 365 * DAY)
    failed = FetchResult("alpha", FEED.feed, Outcome.ERROR, NOW + DAY, status=500, error="HTTP 500")
    h = schedule.plan(schedule.after_fetch(h, FEED, failed), POLICY)
    assert h.next_poll is None and schedule.due(h, FEED, NOW + DAY + HOUR)[0]


def test_no_policy_means_every_build_and_an_edit_means_now():
    h = fetched(NOW - 6 * 365 * DAY)
    assert schedule.plan(h, None).next_poll is None
    assert schedule.due(h, dataclasses.replace(FEED, title="Alpha (corrigé)"), NOW + HOUR)[0]


def test_feed_ttl_reads_ttl_then_sy_update():
    assert schedule.feed_ttl(60, "daily", 1) == 3600
    assert schedule.feed_ttl(None, "hourly", 2) == 1800
    assert schedule.feed_ttl(None, "sometimes", 2) is None and schedule.feed_ttl(0, None, None) is None


# --- end to end -------------------------------------------------------------------------

def _item(n: int, when: datetime) -> dict:
    return {"title": f"Billet {n}", "guid": f"g{n}", "link": f"https://blog.example/{n}/",
            "date": format_datetime(when, usegmt=True), "body": f"<p>Texte {n}.</p>"}


def test_a_dormant_blog_is_not_requested_on_the_next_hourly_run_until_it_posts(tmp_path):
    with RouteServer() as server:
        server.set("/dormant.xml", rss([_item(1, datetime(2013, 3, 1, tzinfo=UTC))]),
                   **{"Cache-Control": "max-age=0"})
        server.set("/vivant.xml", rss([_item(2, NOW - 2 * HOUR)]))
        server.set("/hebdo.xml", rss([_item(3, NOW - 5 * DAY)]), **{"Cache-Control": "max-age=600"})
        path = tmp_path / "feeds.yaml"
        path.write_text(registry_yaml([{"id": i, "feed": f"{server.url}/{i}.xml"}
                                       for i in ("dormant", "vivant", "hebdo")]), "utf-8")
        reg = registry.load(path, SPECIALTIES, allow_private=True)
        s = Settings(allow_private=True, parse_workers=0, backfill_budget=0)
        assert s.poll_adaptive  # the default
        with Store(tmp_path / "state") as store:
            def hour(n: int, minutes: int = 1) -> list[str]:
                before = len(server.requests)
                update.run(reg, store, s, NOW + n * HOUR + timedelta(minutes=minutes))
                return sorted(p.strip("/").removesuffix(".xml") for p in server.requests[before:])

            assert hour(0) == ["dormant", "hebdo", "vivant"]
            assert hour(1) == ["vivant"]              # the dormant and the weekly blog wait
            assert hour(2) == ["vivant"]
            page = {st.id: st for st in statuses(reg, store.all_health(), NOW + 2 * HOUR, 7)}
            assert page["vivant"].next_fetch is None
            assert page["vivant"].next_fetch_label.startswith("à la prochaine construction")
            assert page["dormant"].next_fetch == NOW + DAY + timedelta(minutes=1) - schedule.SLACK
            assert page["dormant"].next_fetch_label.startswith("vers le 2 décembre 2026 à ")
            assert "une fois par jour" in page["dormant"].next_fetch_label
            assert "environ toutes les" in page["hebdo"].next_fetch_label
            # The dormant blog posts; it is read at its next daily fetch, then every hour again.
            server.set("/dormant.xml", rss([_item(4, NOW + 20 * HOUR), _item(1, datetime(2013, 3, 1, tzinfo=UTC))]))
            fetched_at = [n for n in range(3, 25) if "dormant" in hour(n)]
            assert fetched_at == [24]
            assert "dormant" in hour(25) and "dormant" in hour(26)
            assert {e.title for e in store.entries(["dormant"])} == {"Billet 1", "Billet 4"}
