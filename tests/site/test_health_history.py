"""Feed health across runs: /etat/ and /etat.json built by successive real builds.

Four feeds on a loopback server: one always fine, one that fails for two runs
then recovers, one dead from the start (404), one moved for good (301). Runs
are a day apart: between builds the store's health and attempt times are
moved one day back, as if the clock had advanced (the store is the real
SQLite file; nothing else is touched).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import rss
from pelican.plugins.blogroll.maint import cli
from routeserver import RouteServer

pytestmark = pytest.mark.build

DAY = timedelta(days=1)


def age_store(state_dir: Path, delta: timedelta) -> None:
    """Move every timestamp of feed health and attempts `delta` into the past."""
    db = sqlite3.connect(state_dir / "blogroll.sqlite3")
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert "attempts" in tables
        for table in ("feeds", "attempts"):
            if table not in tables:
                continue
            cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            for row in db.execute(f"SELECT rowid, * FROM {table}").fetchall():
                changes = {}
                for col, value in zip(cols, row[1:], strict=True):
                    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
                        try:
                            changes[col] = (datetime.fromisoformat(value) - delta).isoformat()
                        except ValueError:
                            continue
                if changes:
                    sets = ", ".join(f"{c} = ?" for c in changes)
                    db.execute(f"UPDATE {table} SET {sets} WHERE rowid = ?", (*changes.values(), row[0]))
        db.commit()
    finally:
        db.close()


def post(feed: str, n: int) -> dict:
    return {"title": f"Billet {n} de {feed}", "link": f"https://{feed}.example/{n}/", "guid": f"{feed}-{n}",
            "date": f"Mon, 0{n} Feb 2026 10:00:00 +0000", "body": f"<p>Texte {n}.</p>"}


@pytest.fixture
def world(site):
    with RouteServer() as web:
        web.set("/stable.xml", rss([post("stable", 1)], title="Stable"))
        web.set("/flaky.xml", rss([post("flaky", 1)], title="Flaky"))
        web.redirect("/ancien.xml", "/nouveau.xml", 301)
        web.set("/nouveau.xml", rss([post("demenage", 1)], title="Déménagé"))
        site.write_registry([
            {"id": "stable", "title": "Stable", "feed": f"{web.url}/stable.xml"},
            {"id": "flaky", "title": "Intermittent", "feed": f"{web.url}/flaky.xml"},
            {"id": "mort", "title": "Zombie", "feed": f"{web.url}/mort.xml"},
            {"id": "demenage", "title": "Déménagé", "feed": f"{web.url}/ancien.xml"},
        ])
        yield site, web


def status(site) -> dict[str, dict]:
    feeds = json.loads(site.read("etat.json"))["feeds"]
    return {f["id"]: f for f in feeds} | {"_order": [f["id"] for f in feeds]}


def html_rows(site) -> list[tuple[str, str]]:
    page = site.read("etat/index.html")
    return re.findall(r'<li class="feed ([^"]*)" id="flux-([^"]+)">', page)


def row_html(site, feed_id: str) -> str:
    """A blog's card on /etat/, its French spacing (U+202F, typography.py) read as spaces."""
    page = site.read("etat/index.html")
    start = page.index(f'id="flux-{feed_id}"')
    return page[start:page.index("</li>", start)].replace("\u202f", " ")




def test_health_history_across_runs(world, capsys):
    site, web = world
    web.set("/flaky.xml", rss([post("flaky", 1)], title="Flaky"))
    site.build(BLOGROLL_DOWN_DAYS=2)  # run 1: the dead feed fails for the first time
    age_store(site.state, DAY)
    web.set("/flaky.xml", "panne", "text/plain", status=500)
    site.build(BLOGROLL_DOWN_DAYS=2)  # run 2: flaky goes down
    age_store(site.state, DAY)
    site.build(BLOGROLL_DOWN_DAYS=2)  # run 3: both still down

    s = status(site)
    # Down for 2 days (>= BLOGROLL_DOWN_DAYS) first, then the other failure, then the rest by title.
    assert s["_order"] == ["mort", "flaky", "demenage", "stable"]
    mort, flaky = s["mort"], s["flaky"]
    assert mort["state"] == "en-panne" and mort["long_down"] is True
    assert mort["consecutive_failures"] == 3
    assert mort["last_status"] == 404
    assert mort["last_error"] == "flux introuvable à cette adresse (HTTP 404)"
    assert [h["ok"] for h in mort["history"]] == [False, False, False]
    assert mort["down_since"] == mort["history"][0]["at"]  # down since the first run
    assert mort["down_days"] == 2

    assert flaky["state"] == "en-panne" and flaky["long_down"] is False  # down 1 day < 2
    assert flaky["consecutive_failures"] == 2
    assert flaky["last_status"] == 500 and flaky["last_error"] == "erreur interne du serveur (HTTP 500)"
    assert [h["ok"] for h in flaky["history"]] == [True, False, False]
    assert [h["status"] for h in flaky["history"]] == [200, 500, 500]
    assert flaky["down_since"] == flaky["history"][1]["at"]
    assert flaky["recent_attempts_ok"] == [False, False, True]  # newest first
    times = [datetime.fromisoformat(h["at"]) for h in flaky["history"]]
    assert times[1] - times[0] >= DAY - timedelta(minutes=5) and times[2] - times[1] >= DAY - timedelta(minutes=5)

    assert s["demenage"]["permanent_redirect_to"] is True  # whether it moved; the target is in the log
    assert s["demenage"]["state"] == "ok" and s["stable"]["consecutive_failures"] == 0

    # The page shows the same, in the same order, with a row of marks.
    rows = html_rows(site)
    assert [fid for _, fid in rows] == ["mort", "flaky", "demenage", "stable"]
    assert "long-down" in rows[0][0] and "long-down" not in rows[1][0]
    mort_row = row_html(site, "mort")
    assert "en panne depuis le" in mort_row and "depuis plus de 2 jours" in mort_row
    assert "✗✗✗" in re.sub(r"<[^>]+>", "", mort_row)
    assert "3 échecs sur les 3 dernières tentatives ; la plus récente a échoué" in mort_row
    assert "flux introuvable à cette adresse (HTTP 404)" in mort_row
    flaky_row = row_html(site, "flaky")
    assert "✓✗✗" in re.sub(r"<[^>]+>", "", flaky_row)
    assert 'title="échec le' in flaky_row and "erreur interne du serveur (HTTP 500)" in flaky_row
    assert "depuis plus de" not in flaky_row
    assert "Redirection permanente : mettez à jour feeds.yaml" in row_html(site, "demenage")
    assert "nouveau.xml" not in row_html(site, "demenage")

    # The threshold is a setting: with 7 days nobody is "long down" yet (offline: no new attempt).
    site.build(BLOGROLL_DOWN_DAYS=7, BLOGROLL_OFFLINE=True)
    s7 = status(site)
    assert not s7["mort"]["long_down"] and "depuis plus de" not in site.read("etat/index.html")
    assert s7["mort"]["history"] == mort["history"]

    # Run 4, a day later: flaky is back.
    age_store(site.state, DAY)
    web.set("/flaky.xml", rss([post("flaky", 1), post("flaky", 2)], title="Flaky"))
    site.build(BLOGROLL_DOWN_DAYS=2)
    s = status(site)
    flaky = s["flaky"]
    assert flaky["state"] == "ok" and flaky["consecutive_failures"] == 0 and flaky["down_since"] is None
    assert flaky["last_error"] is None and flaky["last_status"] == 200
    assert [h["ok"] for h in flaky["history"]] == [True, False, False, True]
    assert s["mort"]["consecutive_failures"] == 4 and s["mort"]["down_days"] == 3
    assert s["_order"] == ["mort", "demenage", "flaky", "stable"]
    assert "✓✗✗✓" in re.sub(r"<[^>]+>", "", row_html(site, "flaky"))
    assert "Billet 2 de flaky" in site.read("index.html")


def decide(site, capsys) -> str:
    """What the hourly workflow's « blogroll changed --mark » step prints."""
    capsys.readouterr()
    assert cli.main(["changed", "--output", str(site.output), "--record", str(site.state / "deployed.json"),
                     "--mark"]) == 0
    return capsys.readouterr().out.strip()


def test_a_run_where_no_feed_changed_is_not_deployed(world, capsys):
    site, web = world
    site.build()
    assert decide(site, capsys) == "deploy=true"

    # The next run: every feed fetched again (the dead one too), nothing new.
    # /etat/ has new attempt times and counters, but that alone is not worth a deploy.
    before = site.read("etat.json")
    site.build()
    assert site.read("etat.json") != before
    assert decide(site, capsys) == "deploy=false"

    # A new post is.
    web.set("/stable.xml", rss([post("stable", 1), post("stable", 2)], title="Stable"))
    site.build()
    assert decide(site, capsys) == "deploy=true"

    # So is a feed going down.
    web.drop("/stable.xml")
    site.build()
    assert decide(site, capsys) == "deploy=true"
