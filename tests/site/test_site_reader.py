"""Reader-facing pure parts of site/: activity charts, sitemap/robots, year archive, French relative dates."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from pelican.plugins.blogroll.site.builder.render import years_of
from pelican.plugins.blogroll.site.formats.sitemap import robots, sitemap
from pelican.plugins.blogroll.site.model import activity
from pelican.plugins.blogroll.site.model.frdates import days_ago

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def ago(**kw) -> datetime:
    return NOW - timedelta(**kw)


def test_weekly_buckets_end_at_now_and_cover_52_weeks():
    act = activity.activity([ago(days=0), ago(days=6, hours=23), ago(days=7), ago(days=363), ago(days=364),
                             ago(days=-3)], NOW)
    assert len(act.weeks) == 52
    assert act.weeks[-1] == 3  # now, 6 days 23 h ago, and a post dated in the future
    assert act.weeks[-2] == 1  # exactly 7 days ago starts the previous week
    assert act.weeks[0] == 1  # 363 days ago is in the oldest week; 364 days is out
    assert act.total == 5 and act.busiest == 3
    assert act.busiest_week == NOW - timedelta(days=7)


def test_months_are_the_last_twelve_calendar_months_in_french():
    act = activity.activity([datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 2, 10, tzinfo=UTC),
                             datetime(2025, 11, 30, tzinfo=UTC)], NOW)
    labels = [m for m, _ in act.months]
    assert labels[0] == "déc. 2025" and labels[-1] == "nov. 2026" and len(labels) == 12
    assert dict(act.months)["févr. 2026"] == 1 and dict(act.months)["nov. 2026"] == 1
    assert sum(n for _, n in act.months) == 2  # November 2025 is outside the twelve months


def test_svg_draws_one_bar_per_active_week_on_the_given_scale():
    act = activity.activity([ago(days=1), ago(days=1), ago(days=15)], NOW)
    svg = activity.svg(act, label="Pédiatrie", ident="act-pediatrie", scale=4)
    ET.fromstring(svg)  # well-formed
    bars = svg.split('class="bars" d="')[1].split('"')[0]
    assert bars.count("M") == 2
    assert "v-16h" in bars and "v-8h" in bars  # 2/4 and 1/4 of the 32-unit height
    assert 'role="img"' in svg and 'aria-labelledby="act-pediatrie-t act-pediatrie-d"' in svg
    assert "<title id=\"act-pediatrie-t\">Pédiatrie : billets par semaine sur 12 mois</title>" in svg
    assert "3 billets en 52 semaines ; au plus 2 billets la semaine du" in svg


def test_svg_escapes_labels_and_handles_silence():
    act = activity.activity([], NOW)
    svg = activity.svg(act, label='<script>"x"</script>', ident="a")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'class="bars"' not in svg and "Aucun billet ces 12 derniers mois." in svg
    ET.fromstring(svg)


def test_shared_scale_is_the_busiest_week_of_all():
    a = activity.activity([ago(days=1)] * 3, NOW)
    b = activity.activity([ago(days=1)], NOW)
    assert activity.shared_scale([a, b]) == 3
    assert activity.shared_scale([]) == 1


def test_sitemap_is_valid_and_escaped():
    xml = sitemap([("https://docsdu.net/", NOW), ("https://docsdu.net/a?b=1&c=2", None)])
    root = ET.fromstring(xml)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [u.findtext("s:loc", namespaces=ns) for u in root] == ["https://docsdu.net/", "https://docsdu.net/a?b=1&c=2"]
    assert root[0].findtext("s:lastmod", namespaces=ns) == "2026-11-21"
    assert root[1].find("s:lastmod", ns) is None


def test_robots_points_to_the_sitemap():
    text = robots("https://docsdu.net/sitemap.xml", disallow=["etat/"])
    assert text.splitlines() == ["User-agent: *", "Disallow: /etat/", "", "Sitemap: https://docsdu.net/sitemap.xml"]
    assert "Sitemap" not in robots("/sitemap.xml", disallow=["etat/"])  # local build without SITEURL


def test_year_archive_links_to_the_page_where_each_year_starts():
    entries = [SimpleNamespace(year=y) for y in [2026] * 25 + [2025] * 3 + [2024] * 20]
    author = SimpleNamespace(url="auteurs/x/", entries=entries)
    years = years_of(author, per_page=20)
    assert [(y.year, y.count, y.url) for y in years] == [
        # 48 entries: the newest 20 on the author's page (page/2/ holds the 20 before the newest 8), page/1/ the oldest 20.
        (2026, 25, "auteurs/x/"), (2025, 3, "auteurs/x/page/2/"), (2024, 20, "auteurs/x/page/1/")]


def test_days_ago_in_french():
    assert days_ago(NOW - timedelta(hours=2), NOW) == "aujourd'hui"
    assert days_ago(NOW - timedelta(days=1), NOW) == "hier"
    assert days_ago(NOW - timedelta(days=2), NOW) == "il y a 2 jours"
    assert days_ago(NOW - timedelta(days=14), NOW) == "il y a 2 semaines"
    assert days_ago(NOW - timedelta(days=200), NOW) == "il y a 7 mois"
