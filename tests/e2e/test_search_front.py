"""The search page of the demo in headless Chromium, as a reader uses it: specialty names and
their expansions find the specialty's posts (« PMA », « FIV », « procréation »…), a pseudonym
finds that blog's posts and only them, the count shown is the number of results the page
lists, and a query costs a bounded number of requests (two bundles, ten results at a time).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from browsersite import SiteServer, build_demo, chromium_missing, launch_chromium

pytestmark = pytest.mark.browser

PMA_QUERIES = ["PMA", "FIV", "procréation", "procréation médicalement assistée", "fécondation in vitro"]
PSEUDONYM, PSEUDONYM_PAGE = "Docteure Pipette", "auteurs/docteure-pipette/"
COUNT = re.compile(r"^(\d+) billets? pour «\u202f(.+)\u202f»")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search-demo")
    out = tmp / "output"
    out.mkdir()
    with SiteServer(out) as server:
        result = build_demo(out, tmp / "state", server.origin)
        assert result.returncode == 0, result.stdout + result.stderr
        server.output = out
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


def listed_links(out: Path, listing: str) -> set[str]:
    """The posts of a listing (its own page and numbered pages), by their original address."""
    pages = [out / listing / "index.html", *(out / listing / "page").glob("*/index.html")]
    links: set[str] = set()
    for page in pages:
        links |= set(re.findall(r'<h[23] class="entry-title"><a href="([^"]+)"', page.read_text("utf-8")))
    return links


def search_all(browser, origin: str, query: str) -> tuple[str, list[str], int]:
    """Search `query` from the page's address; show every result (« Afficher … de plus » until
    there is no more); the status line, every result's link, and the requests of the first view."""
    context = browser.new_context()
    page = context.new_page()
    requests: list = []
    page.on("request", lambda r: requests.append(r))
    page.goto(f"{origin}/recherche/?q={quote(query)}", wait_until="load")
    page.wait_for_function("() => { const s = document.getElementById('etat-recherche');"
                           " return s && s.textContent && !s.textContent.startsWith('Recherche'); }",
                           timeout=15_000)
    page.wait_for_load_state("networkidle")
    first = len(requests)
    status = page.inner_text("#etat-recherche")
    while page.locator("button.search-more").count():
        shown = page.locator("#resultats li").count()
        page.click("button.search-more")
        page.wait_for_function(f"() => document.querySelectorAll('#resultats li').length > {shown}")
    links = page.eval_on_selector_all("#resultats li h2 a", "els => els.map(a => a.href)")
    context.close()
    return status, links, first


@pytest.mark.parametrize("query", PMA_QUERIES)
def test_specialty_names_and_expansions_find_the_specialtys_posts(demo, browser, query) -> None:
    pma = listed_links(demo.output, "specialites/pma")
    assert len(pma) >= 3
    status, links, _ = search_all(browser, demo.origin, query)
    assert pma <= set(links), (status, pma - set(links))
    m = COUNT.match(status)
    assert m and int(m.group(1)) == len(links) == len(set(links)) and m.group(2) == query


def test_a_pseudonym_finds_that_blogs_posts_and_the_count_is_what_is_listed(demo, browser) -> None:
    hers = listed_links(demo.output, PSEUDONYM_PAGE)
    status, links, _ = search_all(browser, demo.origin, PSEUDONYM)
    m = COUNT.match(status)
    assert m and int(m.group(1)) == len(links), status
    assert set(links) == hers, (status, set(links) ^ hers)


def test_every_word_is_required(demo, browser) -> None:
    """Pagefind alone drops, per bundle, a word that bundle lacks: « Docteure zzzqx » would list
    every post saying « docteur »."""
    status, links, _ = search_all(browser, demo.origin, f"{PSEUDONYM.split()[0]} zzzqxw")
    assert links == [] and status.startswith("Aucun billet"), status


def test_a_query_costs_a_bounded_number_of_requests(demo, browser) -> None:
    """Page, styles, script, Pagefind's runtime, two bundles' entry, metadata and word chunks,
    ten records: about twenty requests, whatever the number of months in the archive."""
    bundles = re.search(r'data-bundles="([^"]+)"', (demo.output / "recherche" / "index.html").read_text("utf-8"))
    assert bundles and len(bundles.group(1).split()) == 2
    status, links, first = search_all(browser, demo.origin, "stéthoscope")
    assert links and first <= 25, (first, status)
