"""What the listings say of a blog (health.blog_state): archived, gone, broken, dormant or
followed, from the same health the status page shows; only a live blog is worth subscribing to."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.model import FeedConfig, FeedHealth
from pelican.plugins.blogroll.site.model.health import blog_state, feed_status

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
DOWN_DAYS = 7


def feed(active: bool = True) -> FeedConfig:
    return FeedConfig(id="b", title="Un blog", author="Docteur Test", site="https://b.example/",
                      feed="https://b.example/feed.xml", specialties=(), active=active)


@given(active=st.booleans(), attempted=st.booleans(), gone=st.booleans(), failing=st.booleans(),
       down_for=st.integers(0, 30), entries=st.integers(0, 5), silent_days=st.one_of(st.none(), st.integers(0, 900)))
def test_a_blog_is_live_unless_archived_gone_or_broken(active, attempted, gone, failing, down_for, entries,
                                                      silent_days):
    down_since = NOW - timedelta(days=down_for) if failing else None
    health = FeedHealth("b", last_attempt=NOW if attempted else None, gone=gone and attempted,
                        last_error="flux introuvable à cette adresse (HTTP 404)" if failing else None,
                        down_since=down_since, entry_count=entries) if attempted else None
    status = feed_status(feed(active), health, NOW, down_limit=DOWN_DAYS)
    last_post = NOW - timedelta(days=silent_days) if silent_days is not None else None
    state = blog_state(status, last_post, NOW)
    broken = status.state == "en-panne" and (down_for >= DOWN_DAYS or entries == 0)
    assert state.live == (active and status.state != "supprime" and not broken)
    if not active:
        assert state.kind == "archive" and "archivé" in state.label
    elif broken:
        assert state.kind == "en-panne" and state.label.startswith("flux en panne depuis le ")
    elif state.live:
        # Followed, or dormant: no post for a year (it may write again: still worth following).
        dormant = silent_days is not None and silent_days > 364
        assert state.kind == ("en-sommeil" if dormant else "suivi")
        assert bool(state.label) == dormant


def test_a_failure_of_a_day_on_a_blog_with_posts_is_not_shown_on_the_listings():
    health = FeedHealth("b", last_attempt=NOW, last_error="erreur interne du serveur (HTTP 500)",
                        down_since=NOW - timedelta(hours=3), entry_count=12)
    status = feed_status(feed(), health, NOW, down_limit=DOWN_DAYS)
    assert status.state == "en-panne" and blog_state(status, NOW - timedelta(days=2), NOW).kind == "suivi"


@given(st.lists(st.sampled_from(["ok", "en-panne", "supprime", "jamais", "inactif"]), max_size=30))
def test_the_status_summary_counts_every_feed_once(states):
    from dataclasses import replace

    from pelican.plugins.blogroll.site.model.health import summary

    base = feed_status(feed(), None, NOW)
    text = summary([replace(base, state=s) for s in states])
    counted = [int(n) for n in re.findall(r"(\d+) (?!flux)", text)]
    assert text.startswith(f"{len(states)} flux suivi") and sum(counted) == len(states)
    assert bool(re.search(r"(?<!\d)1 fonctionne\b", text)) == (states.count("ok") == 1)  # not « 11 fonctionnent »
    assert ("fonctionnent" in text) == (states.count("ok") > 1)
