"""Search that stays light at any size: a generated archive of 50,000 entries over 10 years,
indexed by the project's own code (the view model of site/model/views.py, the theme's record
template, site/builder/pagefind.py), searched in headless Chromium through the package's
search page and script. A first query showing 10 results costs at most 25 requests and 500 KB,
and every result shows its date.

The index is built once per session (one Pagefind run over ~50,000 records: about a minute of
CPU and ~2.7 GB of memory), so this module is marked slow; `make test` runs it.
"""

from __future__ import annotations

import itertools
import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from browsersite import ROOT, SiteServer, chromium_missing, launch_chromium
from jinja2 import DictLoader, Environment
from pelican.plugins.blogroll.core.model import FeedConfig, Registry, StoredEntry
from pelican.plugins.blogroll.registry.load import load_vocabulary
from pelican.plugins.blogroll.site import urls
from pelican.plugins.blogroll.site.builder import pagefind
from pelican.plugins.blogroll.site.builder.assets import search_assets, write_own
from pelican.plugins.blogroll.site.builder.render import search_records
from pelican.plugins.blogroll.site.builder.templates import plugin_environment
from pelican.plugins.blogroll.site.builder.writer import OutputWriter
from pelican.plugins.blogroll.site.model import views

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ENTRIES, YEARS, BLOGS = 50_000, 10, 300
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
MAX_REQUESTS, MAX_BYTES = 25, 500 * 1024
DATE = re.compile(r"\d{1,2}(er)? \w+ \d{4} · ")  # « 7 décembre 2026 · Docteur … »
# The search page's own frame: the plugin's search.html needs a theme's base.html (blocks only).
BASE_HTML = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Rechercher</title></head>'
             "<body><main>{% block content %}{% endblock %}</main>{% block scripts %}{% endblock %}</body></html>")


def words(rng: random.Random, n: int) -> list[str]:
    """A vocabulary of made-up French-looking words, used with Zipf-like frequencies."""
    syllables = ["ma", "lo", "ri", "té", "pan", "cho", "ver", "du", "sel", "min", "ga", "ron", "pé", "bla", "ti"]
    return sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(n)})


def archive() -> tuple[Registry, list[StoredEntry]]:
    """300 blogs of the default vocabulary's specialties, 50,000 posts over 10 years."""
    rng = random.Random(20261207)
    vocabulary = load_vocabulary(ROOT / "specialties.yaml")
    slugs = sorted(vocabulary.specialties)
    feeds = tuple(FeedConfig(id=f"blog-{i}", title=f"Carnet numéro {i}", author=f"Docteur Pseudo{i}",
                             site=f"https://blog-{i}.example/", feed=f"https://blog-{i}.example/feed/",
                             specialties=(slugs[i % len(slugs)],), noindex=i % 97 == 0)
                  for i in range(BLOGS))
    lexicon = words(rng, 20_000)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(lexicon))))
    topical = ["garde", "urgences", "patient", "consultation", "ordonnance", "FIV", "grossesse", "fièvre"]
    span = timedelta(days=365 * YEARS).total_seconds()
    entries = []
    for i in range(ENTRIES):
        feed = feeds[rng.randrange(BLOGS)]
        when = NOW - timedelta(seconds=rng.random() * span)
        text = rng.choices(lexicon, cum_weights=cumulative, k=45) + rng.sample(topical, 2)
        rng.shuffle(text)
        entries.append(StoredEntry(
            id=i + 1, feed_id=feed.id, guid=None, link=f"{feed.site}{when:%Y/%m}/billet-{i}/",
            title=" ".join(rng.choices(lexicon, cum_weights=cumulative, k=6)).capitalize(), excerpt=" ".join(text) + ".",
            published=when, first_seen=when, sort_date=when, tags=(), specialties=feed.specialties))
    entries.sort(key=lambda e: e.sort_date, reverse=True)
    return Registry(feeds, vocabulary), entries


@pytest.fixture(scope="session")
def large_site(tmp_path_factory):
    """The search page and index of the generated archive, built once, served on loopback."""
    out = tmp_path_factory.mktemp("search-50k") / "output"
    registry, entries = archive()
    model = views.build(registry, entries, NOW)
    env = plugin_environment(Environment(loader=DictLoader({"base.html": BASE_HTML})))
    render, _ = search_records(env, {}, None)
    writer = OutputWriter(out, out.parent / "manifest.json")
    with pagefind.start(model.entries, render, writer) as indexing:
        bundles = indexing.collect()
    assets = search_assets(ROOT / "theme", [], "theme", urls.ROOT)
    write_own(writer, assets)
    with SiteServer(out) as server:
        page = env.get_template("blogroll/search.html").render(
            SITEURL=server.origin, urls=urls.ROOT, specialties=model.specialties, indexed=bundles.count,
            bundles=bundles.folders, search_assets=assets)
        writer.write(urls.file_for(urls.ROOT.search), page)
        writer.finish()
        server.output = out
        server.bundles = bundles
        yield server


@pytest.fixture(scope="module")
def browser():
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def first_query(browser, origin: str, query: str) -> tuple[int, int, str, list[str]]:
    """Open the search page with `query` in its address, as a reader following a link would, in
    a fresh context (nothing cached): requests made and bytes received until the results are
    shown, the status line, each result's meta line."""
    context = browser.new_context()
    page = context.new_page()
    done: list = []
    page.on("requestfinished", lambda r: done.append(r))
    page.on("requestfailed", lambda r: done.append(r))
    page.goto(f"{origin}/recherche/?q={query}", wait_until="load")
    page.wait_for_function("() => { const s = document.getElementById('etat-recherche');"
                           " return s && s.textContent && !s.textContent.startsWith('Recherche'); }",
                           timeout=60_000)
    page.wait_for_load_state("networkidle")
    status = page.inner_text("#etat-recherche")
    metas = page.eval_on_selector_all("#resultats li .meta", "els => els.map(e => e.textContent)")
    received = 0
    for request in done:
        sizes = request.sizes()
        received += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return len(done), received, status, metas


def test_the_index_is_two_bundles_whatever_the_archives_age(large_site) -> None:
    assert large_site.bundles.folders == ("pagefind/recent/", "pagefind/base/")
    assert large_site.bundles.count > 0.98 * ENTRIES  # all but the noindex blogs' posts
    assert (large_site.output / "pagefind" / "recent" / "pagefind.js").is_file()
    assert not (large_site.output / "pagefind" / "base" / "pagefind.js").exists()


@pytest.mark.parametrize("query", ["PMA", "ordonnance"])
def test_a_first_query_showing_ten_results_stays_under_25_requests_and_500_kb(large_site, browser, query) -> None:
    requests, received, status, metas = first_query(browser, large_site.origin, query)
    print(f"50k archive, « {query} »: {requests} requests, {received / 1024:.0f} KB, {status}")
    assert len(metas) == 10 and status.split()[0].isdigit() and int(status.split()[0]) > 10
    assert all(DATE.match(meta) for meta in metas), metas  # each result is dated
    assert requests <= MAX_REQUESTS, requests
    assert received <= MAX_BYTES, received
