"""Backfill: a feed's whole history, walked once, through the hourly path's guards.

Loopback blogs of 300 posts over 12 pages, paging like WordPress (?paged=N), Blogger
(?start-index=N&max-results=M) and RFC 5005 (rel="next", rel="prev-archive"); an endless
one for the caps; a real subprocess killed with SIGKILL for resumption; a real build for
the author page's years.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, SPECIALTIES, registry_yaml
from pagingserver import EMAIL, IDENTITY, PagingServer, post_date
from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.store import Store
from pelican.plugins.blogroll.update import walk as backfill

pytestmark = [pytest.mark.build, pytest.mark.slow]

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
STYLES = ("wordpress", "blogger", "rfc5005-paged", "rfc5005-archive")


def setup(tmp_path: Path, server: PagingServer, **settings):
    tmp_path.mkdir(parents=True, exist_ok=True)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(registry_yaml([{"id": "pagine", "author": "Docteur Pagine", "feed": server.feed_url,
                                     "site": server.url + "/", "specialties": ["urgences"]}]), "utf-8")
    reg = registry.load(feeds, SPECIALTIES, allow_private=True)
    s = Settings(feeds=feeds, specialties=SPECIALTIES, state_dir=tmp_path / "state", allow_private=True,
                 parse_workers=0, backfill_delay=0, **settings)
    return reg, s


@pytest.mark.parametrize("style", STYLES)
def test_one_backfill_stores_all_300_posts_and_a_second_fetches_nothing(tmp_path, style):
    with PagingServer(style) as server:
        reg, s = setup(tmp_path, server)
        with Store(s.state_dir) as store:
            said: list[str] = []
            report = backfill.run(reg, store, s, NOW, progress=said.append)
            assert store.count() == 300
            # What a maintainer's console (or a CI log) shows: our words, no server address.
            assert said and not any("://" in line or "?" in line for line in said), said
            assert report.new_entries == 300 and report.pages == 12 + (style == "blogger")
            state = store.backfill_state("pagine")
            assert state.done and state.reason.startswith("fin de l'historique")
            assert state.strategy == {"wordpress": "wordpress", "blogger": "blogger"}.get(style, "rfc5005")
            seen = len(server.requests)
            assert seen == len(set(server.requests)), "a page was fetched twice"
            again = backfill.run(reg, store, s, NOW)
            assert len(server.requests) == seen and again.pages == 0 and store.count() == 300
            texts = " ".join(e.title + " " + e.excerpt for e in store.entries())
        # Through the clean stage: the identities the feed carries never reach the archive.
        assert IDENTITY not in texts and EMAIL not in texts and "Récit de garde" in texts


def test_wordpress_pages_are_paged_and_blogger_pages_start_where_the_last_ended(tmp_path):
    with PagingServer("wordpress") as wp:
        reg, s = setup(tmp_path / "wp", wp)
        with Store(s.state_dir) as store:
            backfill.run(reg, store, s, NOW)
        assert wp.requests[:3] == ["/feed/", "/feed/?paged=2", "/feed/?paged=3"]
        assert wp.requests[-1] == "/feed/?paged=13"  # the 404 that ends the walk
    with PagingServer("blogger") as blogger:
        reg, s = setup(tmp_path / "bl", blogger, backfill_page_size=50)
        with Store(s.state_dir) as store:
            backfill.run(reg, store, s, NOW)
            assert store.count() == 300
        assert blogger.requests[:3] == ["/feeds/posts/default", "/feeds/posts/default?start-index=26&max-results=50",
                                        "/feeds/posts/default?start-index=76&max-results=50"]


@pytest.mark.parametrize("cap, value, pages", [("backfill_max_pages", 5, 5), ("backfill_max_entries", 60, 3),
                                               ("backfill_max_bytes", 20_000, None)])
def test_caps_hold_on_an_endless_paging_server(tmp_path, cap, value, pages):
    with PagingServer("endless") as server:
        reg, s = setup(tmp_path, server, **{cap: value})
        with Store(s.state_dir) as store:
            backfill.run(reg, store, s, NOW)
            state = store.backfill_state("pagine")
            assert state.done and state.reason.startswith("plafond atteint")
            if pages is not None:
                assert state.pages == pages and len(server.requests) == pages
            else:
                assert state.bytes >= value and len(server.requests) == state.pages
                assert state.bytes - value < state.bytes / state.pages + 1  # stopped at the first page over
            assert store.count() == state.pages * 25
            n = len(server.requests)
            backfill.run(reg, store, s, NOW)  # done is done
            assert len(server.requests) == n


def test_the_time_cap_stops_a_run_and_the_next_run_resumes(tmp_path):
    ticks = iter(range(1000))
    with PagingServer("endless") as server:
        reg, s = setup(tmp_path, server, backfill_max_seconds=4, backfill_max_pages=8)
        with Store(s.state_dir) as store:
            report = backfill.run(reg, store, s, NOW, clock=lambda: float(next(ticks)))
            assert report.stopped == "temps imparti écoulé" and 0 < report.pages < 8
            first = report.pages
            backfill.run(reg, store, s, NOW)
            assert store.backfill_state("pagine").pages == 8
        assert len(server.requests) == 8 and len(set(server.requests)) == 8 and first < 8


def test_requests_to_one_host_are_spaced_by_the_delay(tmp_path):
    waits: list[float] = []
    with PagingServer("wordpress", posts=75) as server:
        reg, s = setup(tmp_path, server)
        s = dataclasses.replace(s, backfill_delay=5.0)
        clock = [0.0]

        def sleep(seconds: float) -> None:
            waits.append(seconds)
            clock[0] += seconds

        with Store(s.state_dir) as store:
            backfill.run(reg, store, s, NOW, clock=lambda: clock[0], sleep=sleep)
            assert store.count() == 75
    assert waits == [5.0] * 3  # pages 2, 3 and the closing 404


def test_undated_posts_of_old_pages_are_left_out(tmp_path):
    with PagingServer("wordpress", posts=50, dated=False) as server:
        reg, s = setup(tmp_path, server)
        with Store(s.state_dir) as store:
            report = backfill.run(reg, store, s, NOW)
            assert store.count() == 0 and report.undated == 50


def _pages_done(state_dir: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{state_dir / 'blogroll.sqlite3'}?mode=ro", uri=True, timeout=1)
        try:
            row = db.execute("SELECT pages FROM backfill WHERE feed_id = 'pagine'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return 0
    return row[0] if row else 0


def test_a_kill_9_mid_run_loses_nothing_and_the_next_run_resumes(tmp_path):
    with PagingServer("wordpress") as server:
        reg, s = setup(tmp_path, server)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
        env.update(BLOGROLL_FEEDS=str(s.feeds), BLOGROLL_SPECIALTIES=str(SPECIALTIES),
                   BLOGROLL_STATE_DIR=str(s.state_dir), BLOGROLL_ALLOW_PRIVATE="1", BLOGROLL_BACKFILL_DELAY="0.3",
                   BLOGROLL_TAKEDOWNS=str(tmp_path / "none.yaml"), PYTHONPATH=str(ROOT / "plugins"))
        cmd = [sys.executable, "-m", "pelican.plugins.blogroll", "backfill", "pagine"]
        proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _pages_done(s.state_dir) < 4 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
        with Store(s.state_dir) as store:
            state = store.backfill_state("pagine")
            assert 4 <= state.pages < 12 and not state.done
            assert store.count() == state.pages * 25  # every committed page is whole
        before = len(server.requests)
        env["BLOGROLL_BACKFILL_DELAY"] = "0"
        again = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        resumed = server.requests[before:]
        assert resumed[0] == f"/feed/?paged={state.pages + 1}"  # where it stopped, not page 1
        with Store(s.state_dir) as store:
            assert store.count() == 300 and store.backfill_state("pagine").done
        assert "300" not in again.stdout or "billet" in again.stdout


def test_the_hourly_budget_walks_a_page_per_blog_per_build_until_done(tmp_path, site, monkeypatch):
    with PagingServer("wordpress", posts=50) as one, PagingServer("blogger", posts=50) as two:
        site.feeds.write_text(registry_yaml([
            {"id": "un", "author": "Docteur Un", "feed": one.feed_url, "site": one.url + "/"},
            {"id": "deux", "author": "Docteur Deux", "feed": two.feed_url, "site": two.url + "/"}]), "utf-8")
        monkeypatch.setenv("BLOGROLL_BACKFILL_BUDGET", "4")
        counts = []
        for _ in range(3):
            site.build()
            with Store(site.state) as store:
                counts.append(store.count())
                states = store.backfill_states()
        # Build 1: both feeds (25 each; their parse is page 1 of each walk), then page 2 of
        # each; build 2: the ends of both (a 404, an empty feed); build 3: nothing left to walk.
        assert counts == [100, 100, 100] and all(st.done for st in states.values()) and len(states) == 2
        older = [p for p in one.requests + two.requests if "paged" in p or "start-index" in p]
        assert sorted(older) == sorted(set(older)) and len(older) == 4
        assert len(one.requests) == 3 + 2  # three hourly fetches, two older pages


def test_backfilled_posts_show_on_the_author_page_every_year_and_in_search(tmp_path, site):
    with PagingServer("wordpress") as server:
        site.feeds.write_text(registry_yaml([{"id": "pagine", "author": "Docteur Pagine", "feed": server.feed_url,
                                              "site": server.url + "/", "specialties": ["urgences"]}]), "utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
        env.update(BLOGROLL_FEEDS=str(site.feeds), BLOGROLL_SPECIALTIES=str(SPECIALTIES),
                   BLOGROLL_STATE_DIR=str(site.state), BLOGROLL_ALLOW_PRIVATE="1", BLOGROLL_BACKFILL_DELAY="0",
                   BLOGROLL_TAKEDOWNS=str(site.takedowns), PYTHONPATH=str(ROOT / "plugins"))
        done = subprocess.run([sys.executable, "-m", "pelican.plugins.blogroll", "backfill"], env=env, cwd=site.root,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "300 billet(s) ajouté(s)" in done.stdout
        site.build()
        with Store(site.state) as store:
            assert store.count() == 300
    author = site.read("auteurs/docteur-pagine/index.html")
    years = sorted({post_date(i).year for i in range(300)})
    assert len(years) >= 7
    for year in years:
        assert f"#annee-{year}" in author, year
    assert "Billet numéro 0" in site.read("specialites/urgences/index.html")
    oldest = site.read("auteurs/docteur-pagine/page/1/index.html")  # pages count from the oldest
    assert "Billet numéro 299" in oldest
    assert IDENTITY not in author and EMAIL not in oldest
    # The search index (two Pagefind bundles whatever the archive's age) has a record for every one of them.
    bundles = sorted((site.output / "pagefind").glob("*/pagefind-entry.json"))
    assert [b.parent.name for b in bundles] == ["base", "recent"]
    assert sum(json.loads(b.read_text("utf-8"))["languages"]["fr"]["page_count"] for b in bundles) == 300


def test_a_server_ignoring_the_paging_parameter_ends_the_walk_at_the_second_page(tmp_path, feed_dir, server):
    # tools/feedserver.py ignores ?start-index=: the "older page" is the feed again.
    blog = PagingServer("blogger", posts=25)
    (feed_dir / "blog.xml").write_text(blog.atom(range(25), generator="Blogger"), "utf-8")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(registry_yaml([{"id": "pagine", "feed": f"{server.url}/blog.xml"}]), "utf-8")
    reg = registry.load(feeds, SPECIALTIES, allow_private=True)
    s = Settings(allow_private=True, parse_workers=0, backfill_delay=0)
    blog.httpd.server_close()
    with Store(tmp_path / "state") as store:
        backfill.run(reg, store, s, NOW)
        state = store.backfill_state("pagine")
        assert state.done and state.pages == 2 and "déjà archivés" in state.reason
        assert store.count() == 25
    assert [r["path"] for r in server.requests] == ["/blog.xml", "/blog.xml?start-index=26&max-results=25"]
