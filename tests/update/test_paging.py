"""The history walk's decisions (update/paging.py), pure: which paging a feed offers, when a
failing page is retried or given up."""

from __future__ import annotations

from datetime import UTC, datetime

from pelican.plugins.blogroll.core.model import BackfillState, FetchResult, Outcome
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.update import paging

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_a_failing_page_is_retried_at_the_next_run_then_given_up():
    s = Settings(backfill_delay=0)
    state = BackfillState("b", "https://b.example/feed/", strategy="wordpress",
                          next_url="https://b.example/feed/?paged=3", pages=2, entries=50)
    down = FetchResult("b", state.next_url, Outcome.ERROR, NOW, status=500, error="erreur interne du serveur (HTTP 500)")
    for attempt in range(1, paging.MAX_FAILURES):
        state = paging.after_page(state, state.next_url, down, None, (), "", 0, s, NOW)
        assert not state.done and state.failures == attempt and state.next_url.endswith("paged=3")
    state = paging.after_page(state, state.next_url, down, None, (), "", 0, s, NOW)
    assert state.done and state.reason.startswith("abandon")


def test_paging_is_detected_from_the_first_page():
    assert paging.detect("https://x.example/feed/", (("next", "https://x.example/p2"),), "") == "rfc5005"
    assert paging.detect("https://x.example/", (), "https://wordpress.org/?v=6.5") == "wordpress"
    assert paging.detect("https://x.example/?feed=rss2", (), "") == "wordpress"
    assert paging.detect("https://x.blogspot.com/feeds/posts/default", (), "") == "blogger"
    assert paging.detect("https://x.over-blog.com/rss", (), "") == ""
    assert paging.with_query("https://x.example/?feed=rss2", paged=2) == "https://x.example/?feed=rss2&paged=2"
