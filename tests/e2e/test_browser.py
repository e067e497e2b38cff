"""The reader's site in a real browser: the demo site, built once, served on loopback.

Headless Chromium (Debian's package, installed by `make browser-deps`) is
driven by Playwright. For each page type: zero axe-core violations of impact
serious or critical (light and dark), zero console errors, zero requests to
any other origin, no horizontal scroll at 320 and 375 px. Search finds a demo
word and the specialty filter narrows it. The Nu HTML Checker (vnu-jar) finds
no error in any page type. Page weights, sitemap, robots.txt and head
metadata are checked on the built files (no browser needed for those).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from browsersite import ROOT

pytestmark = pytest.mark.browser

NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# page type -> path (the demo registry: petits-patients is Docteur Doudou's pediatrics blog,
# psy-de-quartier / Docteur Divan is the noindex blog).
PAGES = {
    "home": "/",
    "page-2": "/page/2/",
    "specialty": "/specialites/pediatrie/",
    "specialties": "/specialites/",
    "blogroll": "/auteurs/",
    "author": "/auteurs/docteur-doudou/",
    "status": "/etat/",
    "charter": "/charte/",
    "subscribe": "/s-abonner/",
    "join": "/proposer-un-blog/",
    "404": "/404.html",
    "search": "/recherche/?q=st%C3%A9thoscope",
}
NOINDEX_AUTHOR = "/auteurs/docteur-divan/"
DEMO_WORD = "ornithorynque"  # in exactly one post, of the pediatrics blog petits-patients
DEMO_WORD_POST = "https://petits-patients.example/"
COMMON_WORD = "stéthoscope"  # in several posts of several specialties
NOINDEX_WORD = "téléconsultation"  # only in the excerpts of the noindex blog
NOINDEX_BLOG = "psy-de-quartier"
WEIGHT_BUDGET = 60 * 1024


def file_of(path: str) -> str:
    path = path.split("?", 1)[0].lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


# ---------------------------------------------------------------- fixtures




class Visit:
    """A page opened in a fresh context that records console errors, page errors,
    CSP violations and every request; requests to another origin are aborted."""

    def __init__(self, browser, origin: str, **context_options):
        self.origin = origin
        self.console: list[str] = []
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.context = browser.new_context(**context_options)
        self.context.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def goto(self, path: str):
        return self.page.goto(self.origin + path, wait_until="load")

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp")

    def __enter__(self) -> Visit:
        return self

    def __exit__(self, *exc) -> None:
        self.context.close()


def wait_until(condition, page, seconds: float = 5.0) -> None:
    """Let the page's events arrive (Playwright delivers them while we wait) until `condition()`."""
    for _ in range(int(seconds * 20)):
        if condition():
            return
        page.wait_for_timeout(50)


def wait_for_search(page) -> None:
    page.wait_for_function(
        "() => { const s = document.getElementById('etat-recherche');"
        " return s && s.textContent && !s.textContent.startsWith('Recherche en cours'); }", timeout=10_000)


# ---------------------------------------------------------------- browser: every page type


def run_axe(v: Visit) -> list[str]:
    v.page.add_script_tag(path=str(AXE))
    result = v.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{r['id']} ({r['impact']}): {r['help']} — " + "; ".join(str(n["target"]) for n in r["nodes"][:3])
        for r in result["violations"] if r["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(demo, browser, kind, scheme):
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core missing: run `make browser-deps` (npm ci)")
    # axe is injected as a script: this context alone bypasses the page's CSP to let it in.
    with Visit(browser, demo.origin, bypass_csp=True, color_scheme=scheme) as v:
        v.goto(PAGES[kind])
        if kind == "search":
            wait_for_search(v.page)
        bad = run_axe(v)
    assert bad == [], "\n".join(bad)


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_loads_only_same_origin_without_console_errors(demo, browser, kind):
    with Visit(browser, demo.origin) as v:
        response = v.goto(PAGES[kind])
        assert response.status == 200
        if kind == "search":
            wait_for_search(v.page)
        csp = v.csp_violations()
        loaded_css = any(u.endswith("/theme/css/style.css") for u in v.requests)
    assert v.foreign == [], f"requests left the site's origin: {v.foreign}"
    assert v.console == [], f"console errors: {v.console}"
    assert csp == [], f"CSP violations: {csp}"
    assert loaded_css and len(v.requests) >= 2  # the recorder did see the page's own requests
    if kind == "search":
        assert any("/pagefind/" in u for u in v.requests)


def test_the_checks_above_do_catch_problems(demo, browser):
    """The harness itself: a remote image is caught (by the CSP, or by the request
    recorder when the CSP is off) and never leaves; axe reports low contrast."""
    remote = "http://198.51.100.7/pixel.png"  # TEST-NET-2: unroutable, and aborted anyway
    inject = f"() => {{ const i = new Image(); i.src = '{remote}'; document.body.append(i); }}"
    with Visit(browser, demo.origin) as v:
        v.goto("/")
        v.page.evaluate(inject)
        v.page.wait_for_function("() => window.__csp.length > 0", timeout=5_000)
        wait_until(lambda: v.console, v.page)
        assert any(remote in x for x in v.csp_violations()) and v.console
    with Visit(browser, demo.origin, bypass_csp=True) as v:
        v.goto("/")
        v.page.evaluate(inject)
        wait_until(lambda: v.foreign, v.page)
        assert v.foreign == [remote]
        if AXE.is_file():
            v.page.evaluate("() => { document.querySelector('.lead').style.color = '#ddd'; }")
            assert any(b.startswith("color-contrast (serious)") for b in run_axe(v))


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_horizontal_scroll_on_small_screens(demo, browser, kind):
    with Visit(browser, demo.origin, viewport={"width": 375, "height": 800}) as v:
        v.goto(PAGES[kind])
        if kind == "search":
            wait_for_search(v.page)
        for width in (375, 320):
            v.page.set_viewport_size({"width": width, "height": 800})
            scroll, inner = v.page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert inner == width
            assert scroll <= inner, f"{kind} is {scroll}px wide in a {inner}px viewport"


def test_skip_link_is_first_visible_on_focus_and_reaches_main(demo, browser):
    with Visit(browser, demo.origin) as v:
        v.goto("/")
        v.page.keyboard.press("Tab")
        focused = v.page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
        assert focused == ["skip", "Aller au contenu"]
        box = v.page.locator("a.skip").bounding_box()
        assert box and box["y"] >= 0 and box["x"] >= 0  # on screen once focused
        outline = v.page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"  # visible focus
        v.page.keyboard.press("Enter")
        # Following the link is asynchronous: wait for the navigation, not a fixed time.
        v.page.wait_for_function("() => location.hash === '#contenu'", timeout=5000)
        assert v.page.url.endswith("#contenu")


# ---------------------------------------------------------------- browser: search


def search(v: Visit, query: str, specialty: str | None = None) -> tuple[str, list[str]]:
    v.page.fill("#q", query)
    v.page.press("#q", "Enter")
    wait_for_search(v.page)
    if specialty is not None:
        before = v.page.inner_text("#etat-recherche")
        v.page.select_option("#specialite", specialty)
        v.page.wait_for_function(
            "b => { const t = document.getElementById('etat-recherche').textContent;"
            " return t !== b && !t.startsWith('Recherche en cours'); }", arg=before, timeout=10_000)
    links = v.page.eval_on_selector_all("#resultats li h2 a", "els => els.map(a => a.href)")
    return v.page.inner_text("#etat-recherche"), links


def test_search_finds_the_demo_post_and_links_to_the_original(demo, browser):
    with Visit(browser, demo.origin) as v:
        v.goto("/recherche/")
        status, links = search(v, DEMO_WORD)
        marks = v.page.eval_on_selector_all("#resultats mark", "els => els.map(m => m.textContent.toLowerCase())")
        assert v.foreign == [] and v.console == []
    assert status == f"1 billet pour «\u202f{DEMO_WORD}\u202f»."
    assert len(links) == 1 and links[0].startswith(DEMO_WORD_POST)
    assert DEMO_WORD in marks  # the excerpt highlights the word


def bundle_records(bundle: Path) -> list[dict]:
    """The records of one Pagefind bundle, decoded from its fragments."""
    out = []
    for f in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(f.read_bytes())
        out.append(json.loads(data[len(b"pagefind_dcd"):]))
    return out


def test_search_finds_a_post_of_every_period(demo, browser):
    """Two Pagefind bundles whatever the archive's age (the recent one, the primary, and the base
    of older posts), merged by the search page: a post of each is found."""
    html = (demo.output / "recherche" / "index.html").read_text("utf-8")
    bundles = re.search(r'data-bundles="([^"]+)"', html).group(1).split()
    assert [b.rsplit("/", 2)[-2] for b in bundles] == ["recent", "base"]  # the primary first
    assert (demo.output / "pagefind" / "recent" / "pagefind.js").is_file()
    assert not (demo.output / "pagefind" / "base" / "pagefind.js").exists()
    wanted = []
    for url in bundles:
        records = bundle_records(demo.output / "pagefind" / url.rsplit("/", 2)[-2])
        assert records, url
        wanted.append(records[0]["meta"])
    with Visit(browser, demo.origin) as v:
        v.goto("/recherche/")
        for meta in wanted:
            status, links = search(v, meta["title"])
            assert meta["url"] in links, (meta, status, links)
        assert v.foreign == [] and v.console == []


def test_search_specialty_filter_narrows_results(demo, browser):
    with Visit(browser, demo.origin) as v:
        v.goto("/recherche/")
        _, everything = search(v, COMMON_WORD)
        status, pediatrics = search(v, COMMON_WORD, specialty="Pédiatrie")
        chips = v.page.eval_on_selector_all("#resultats li .small", "els => els.map(e => e.textContent)")
        url = v.page.url
    assert len(everything) >= 2
    assert 1 <= len(pediatrics) < len(everything)
    assert set(pediatrics) <= set(everything)
    assert all("Pédiatrie" in c for c in chips) and len(chips) == len(pediatrics)
    assert status.endswith("en Pédiatrie.")
    assert "specialite=P%C3%A9diatrie" in url  # the filtered search has its own address


def test_search_query_in_the_address_runs_on_load(demo, browser):
    with Visit(browser, demo.origin) as v:
        v.goto(f"/recherche/?q={DEMO_WORD}")
        wait_for_search(v.page)
        links = v.page.eval_on_selector_all("#resultats li h2 a", "els => els.map(a => a.href)")
    assert len(links) == 1 and links[0].startswith(DEMO_WORD_POST)


def test_search_never_returns_noindex_blogs(demo, browser):
    assert NOINDEX_WORD in (demo.output / file_of(NOINDEX_AUTHOR)).read_text("utf-8")  # the word is on the site
    with Visit(browser, demo.origin) as v:
        v.goto("/recherche/")
        status, links = search(v, NOINDEX_WORD)
    # Pagefind falls back to partial matches elsewhere; the noindex blog itself never comes back.
    assert not any(NOINDEX_BLOG in link for link in links), links


# ---------------------------------------------------------------- built files (no browser)


def test_search_index_holds_excerpts_only_and_no_noindex_blog(demo):
    """Decode every Pagefind fragment: one per indexable entry, URL = the original post."""
    fragments = sorted((demo.output / "pagefind").rglob("*.pf_fragment"))
    records = []
    for f in fragments:
        data = gzip.decompress(f.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        records.append(json.loads(data[len(b"pagefind_dcd"):]))
    urls = {r["meta"]["url"] for r in records}
    assert any(u.startswith(DEMO_WORD_POST) for u in urls)
    assert not any(NOINDEX_BLOG in u for u in urls)
    assert all(urlsplit(u).scheme == "https" for u in urls)
    assert not any(NOINDEX_WORD in r["content"].lower() for r in records)
    # Only the card: no navigation, footer or page chrome in any record.
    assert not any("Aller au contenu" in r["content"] or "rassemble des blogs" in r["content"] for r in records)
    # Every entry once: `/` repeats the newest numbered page's entries, so cards count by their id.
    home_entries = {card for p in [demo.output / "index.html", *(demo.output / "page").glob("*/index.html")]
                    for card in re.findall(r'<article class="entry" id="([^"]+)"', p.read_text("utf-8"))}
    assert len(records) == len(home_entries) - count_noindex_entries(demo)


def test_noindex_blog_excerpts_carry_nosnippet_on_listings(demo):
    html = (demo.output / "specialites" / "psychiatrie" / "index.html").read_text("utf-8")
    cards = re.findall(r'<article class="entry"[^>]*>(.*?)</article>', html, re.S)
    noindex = [c for c in cards if NOINDEX_BLOG in c]
    assert noindex and all("<div data-nosnippet>" in c for c in noindex)
    assert all("data-nosnippet" not in c for c in cards if NOINDEX_BLOG not in c)


def count_noindex_entries(demo) -> int:
    return len(re.findall(r'<article class="entry"', (demo.output / file_of(NOINDEX_AUTHOR)).read_text("utf-8")))


def listing_pages(out: Path) -> list[Path]:
    pages = [out / "index.html", out / "specialites" / "index.html", out / "auteurs" / "index.html"]
    pages += out.glob("page/*/index.html")
    pages += out.glob("specialites/*/index.html")
    pages += out.glob("specialites/*/page/*/index.html")
    pages += out.glob("auteurs/*/index.html")
    pages += out.glob("auteurs/*/page/*/index.html")
    return sorted(set(pages))


def test_listing_pages_html_plus_css_under_budget(demo):
    css = sum(p.stat().st_size for p in (demo.output / "theme" / "css").glob("*.css"))
    pages = listing_pages(demo.output)
    assert len(pages) > 20
    weights = {str(p.relative_to(demo.output)): p.stat().st_size + css for p in pages}
    heaviest = max(weights, key=weights.get)
    assert weights[heaviest] < WEIGHT_BUDGET, f"{heaviest}: {weights[heaviest]} bytes"
    # A full page of entries is part of what was measured.
    assert len(re.findall(r'<article class="entry"', (demo.output / "page/1/index.html").read_text("utf-8"))) == 20


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.anchors: list[dict] = []
        self.imgs: list[dict] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = a.get("name") or a.get("property") or a.get("http-equiv")
            if key:
                self.meta[key.lower()] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)
        elif tag == "a":
            self.anchors.append(a)
        elif tag == "img":
            self.imgs.append(a)
        elif tag == "script":
            self.scripts.append(a)


def parse(demo, path: str) -> Head:
    h = Head()
    h.feed((demo.output / file_of(path)).read_text("utf-8"))
    return h


@pytest.mark.parametrize("kind", list(PAGES))
def test_head_metadata_and_outbound_links(demo, kind):
    path = PAGES[kind]
    h = parse(demo, path)
    csp = h.meta["content-security-policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert h.meta["referrer"] in ("no-referrer", "strict-origin", "same-origin")
    assert h.meta["og:title"] and h.meta["og:description"] and h.meta["og:locale"] == "fr_FR"
    assert "og:image" not in h.meta
    feeds = [link for link in h.links if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]
    assert feeds and all(link["href"].startswith(demo.origin + "/feeds/") for link in feeds)
    canonical = [link["href"] for link in h.links if link.get("rel") == "canonical"]
    if kind == "404":
        assert canonical == [] and h.meta["robots"] == "noindex"
    else:
        assert canonical == [demo.origin + path.split("?")[0]]
    for a in h.anchors:
        href = urljoin(demo.origin + path, a.get("href", ""))
        if urlsplit(href).scheme in ("http", "https") and not href.startswith(demo.origin + "/"):
            assert "noopener" in a.get("rel", "").split(), a
    for img in h.imgs:
        assert urljoin(demo.origin + path, img.get("src", "")).startswith(demo.origin + "/"), img
    if kind == "search":
        assert [s.get("src") for s in h.scripts] == [demo.origin + "/theme/js/search.js"]
    else:
        assert h.scripts == []  # no JavaScript needed to browse


def test_pagination_links_next_and_prev(demo):
    # Numbered from the oldest (page 1): the home page's "next" (older) is the highest number.
    last = max(int(p.parent.name) for p in demo.output.glob("page/*/index.html")
               if 'http-equiv="refresh"' not in p.read_text("utf-8"))
    assert last >= 3
    home, newer = parse(demo, "/"), parse(demo, f"/page/{last}/")
    rel = lambda h, r: [link["href"] for link in h.links if link.get("rel") == r]  # noqa: E731
    assert rel(home, "next") == [demo.origin + f"/page/{last}/"] and rel(home, "prev") == []
    assert rel(newer, "prev") == [demo.origin + "/"] and rel(newer, "next") == [demo.origin + f"/page/{last - 1}/"]
    two = parse(demo, "/page/2/")
    assert rel(two, "prev") == [demo.origin + "/page/3/"] and rel(two, "next") == [demo.origin + "/page/1/"]
    assert rel(parse(demo, "/page/1/"), "next") == []


def test_sitemap_and_robots(demo):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(demo.output / "sitemap.xml").getroot()
    locs = [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)]
    assert len(locs) == len(set(locs))
    for kind in ("home", "page-2", "specialty", "specialties", "blogroll", "author", "charter"):
        assert demo.origin + PAGES[kind] in locs, kind
    assert demo.origin + NOINDEX_AUTHOR not in locs
    paths = [urlsplit(u).path for u in locs]  # not the origin: its port may hold « 404 »
    assert not any(p.startswith(("/etat/", "/recherche/")) or "404" in p for p in paths)
    for loc in locs:  # every listed page exists and says it is its own canonical URL
        h = parse(demo, loc[len(demo.origin):])
        assert [link["href"] for link in h.links if link.get("rel") == "canonical"] == [loc]
        assert h.meta.get("robots") != "noindex"
    assert parse(demo, NOINDEX_AUTHOR).meta["robots"] == "noindex"
    robots = (demo.output / "robots.txt").read_text("utf-8").splitlines()
    assert f"Sitemap: {demo.origin}/sitemap.xml" in robots
    assert "Disallow: /etat/" in robots


def test_activity_charts_are_static_accessible_svg(demo):
    html = (demo.output / "specialites" / "index.html").read_text("utf-8")
    svgs = re.findall(r"<svg class=\"activity\".*?</svg>", html, re.S)
    assert len(svgs) >= 5
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg and "Par mois" in svg
        assert "<script" not in svg
    assert '<table class="activity-table">' in html  # the text alternative
    author = (demo.output / file_of(PAGES["author"])).read_text("utf-8")
    assert author.count('<svg class="activity"') == 1


def test_every_page_type_passes_the_nu_html_checker(demo):
    if not VNU.is_file():
        pytest.skip("node_modules/vnu-jar missing: run `make browser-deps` (npm ci)")
    java = shutil.which("java")
    if not java:
        pytest.skip("java is not installed (the Nu HTML Checker needs it)")
    files = [str(demo.output / file_of(p)) for p in PAGES.values()]
    files.append(str(demo.output / file_of(NOINDEX_AUTHOR)))
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout)
    errors = [f"{Path(m.get('url', '')).parent.name}/{Path(m.get('url', '')).name}:{m.get('lastLine')}: "
              f"{m['message']}" for m in report["messages"] if m["type"] == "error"]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_readme_shows_the_home_page_screenshots():
    readme = (ROOT / "README.md").read_text("utf-8")
    for width in (375, 1280):
        shot = ROOT / "docs" / "screenshots" / f"home-{width}.png"
        assert f"docs/screenshots/home-{width}.png" in readme
        assert png_size(shot)[0] == width
