"""Shared test helpers: loopback feed servers and real Pelican builds.

No test touches the internet: pytest-socket (see pyproject.toml) only lets
sockets reach 127.0.0.1 and ::1.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from browsersite import SiteServer, build_demo, chromium_missing, launch_chromium  # noqa: E402
from feedserver import FeedServer  # noqa: E402

SPECIALTIES = ROOT / "specialties.yaml"


@pytest.fixture(autouse=True)
def _clean_blogroll_env(monkeypatch):
    """Builds read BLOGROLL_* from the environment; tests set them explicitly.

    Tests build several times within seconds, on fixtures dated in the past: adaptive
    polling would (rightly) skip those feeds, and the hourly backfill budget would add
    requests the tests count. Both are off here; tests of them turn them on
    (test_polling.py, test_backfill.py)."""
    for key in list(os.environ):
        if key.startswith("BLOGROLL_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("BLOGROLL_POLL_ADAPTIVE", "0")
    monkeypatch.setenv("BLOGROLL_BACKFILL_BUDGET", "0")


@pytest.fixture
def feed_dir(tmp_path) -> Path:
    d = tmp_path / "served"
    d.mkdir()
    return d


@pytest.fixture
def server(feed_dir):
    with FeedServer(feed_dir) as s:
        yield s


def rss(items: list[dict], title: str = "Blog de test") -> str:
    """A small RSS 2.0 document. Item keys: title, link, guid, date, body, tags, extra."""
    out = []
    for it in items:
        tags = "".join(f"<category>{t}</category>" for t in it.get("tags", ()))
        guid = f"<guid isPermaLink=\"false\">{it['guid']}</guid>" if it.get("guid") else ""
        date = f"<pubDate>{it['date']}</pubDate>" if it.get("date") else ""
        link = f"<link>{it['link']}</link>" if it.get("link") else ""
        out.append(f"<item><title>{it['title']}</title>{link}{guid}{date}{tags}"
                   f"<description><![CDATA[{it.get('body', '')}]]></description>{it.get('extra', '')}</item>")
    return textwrap.dedent(f"""\
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
        <channel><title>{title}</title><link>https://blog.example/</link><description>test</description>
        {''.join(out)}
        </channel></rss>
        """)


def registry_yaml(feeds: list[dict]) -> str:
    lines = ["feeds:"]
    for f in feeds:
        lines.append(f"  - id: {f['id']}")
        lines.append(f"    title: \"{f.get('title', f['id'])}\"")
        lines.append(f"    author: \"{f.get('author', 'Pseudo ' + f['id'])}\"")
        lines.append(f"    site: {f.get('site', 'https://' + f['id'] + '.example/')}")
        lines.append(f"    feed: {f['feed']}")
        lines.append(f"    specialties: [{', '.join(f.get('specialties', ['medecine-generale']))}]")
        for key in ("only_tags",):
            if key in f:
                lines.append(f"    {key}: [{', '.join(f[key])}]")
        for key in ("active", "noindex", "classify"):
            if key in f:
                lines.append(f"    {key}: {'true' if f[key] else 'false'}")
    return "\n".join(lines) + "\n"


class Site:
    """A project-like folder: registry, state and output, built by real Pelican."""

    def __init__(self, root: Path):
        self.root = root
        self.feeds = root / "feeds.yaml"
        self.state = root / "state"
        self.output = root / "output"
        self.takedowns = root / "takedowns.yaml"  # absent unless a test writes it

    def write_registry(self, feeds: list[dict]) -> None:
        self.feeds.write_text(registry_yaml(feeds), "utf-8")

    def settings(self, **extra) -> dict:
        from pelican.settings import read_settings

        override = {
            "BLOGROLL_FEEDS": str(self.feeds),
            "BLOGROLL_SPECIALTIES": str(SPECIALTIES),
            "BLOGROLL_STATE_DIR": str(self.state),
            "BLOGROLL_TAKEDOWNS": str(self.takedowns),
            "BLOGROLL_ALLOW_PRIVATE": True,
            "BLOGROLL_PARSE_WORKERS": 0,
            "OUTPUT_PATH": str(self.output),
        }
        override.update(extra)
        return read_settings(str(ROOT / "pelicanconf.py"), override=override)

    def build(self, **extra) -> None:
        from pelican import Pelican

        Pelican(self.settings(**extra)).run()

    def read(self, rel: str) -> str:
        return (self.output / rel).read_text("utf-8")


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def serve_two_blogs(site: Site, server: FeedServer, feed_dir: Path, alpha: list[dict], beta: list[dict]) -> Site:
    """Two blogs on loopback: « Docteur Alpha » (médecine générale) and « Psy Bêta » (psychiatrie)."""
    (feed_dir / "alpha.xml").write_text(rss(alpha), "utf-8")
    (feed_dir / "beta.xml").write_text(rss(beta), "utf-8")
    site.write_registry([
        {"id": "alpha", "author": "Docteur Alpha", "feed": f"{server.url}/alpha.xml"},
        {"id": "beta", "author": "Psy Bêta", "feed": f"{server.url}/beta.xml", "specialties": ["psychiatrie"]},
    ])
    return site


def entry_view(n: int, date, *, link: str, excerpt: str, noindex: bool = False):
    """A site EntryView for tests of the search index and the renderers."""
    from pelican.plugins.blogroll.site.model.views import EntryView

    return EntryView(title=f"Billet {n}", link=link, date=date, date_iso=date.isoformat(), date_fr="",
                     year=date.year, author="Pseudo", author_url="auteurs/pseudo/", blog_title="Blog",
                     blog_site="https://blog.example/", chips=(), excerpt=excerpt, noindex=noindex, feed_id="b")


def search_record(e) -> str:
    """The smallest Pagefind record page for an entry: its card, its original link."""
    return (f'<!DOCTYPE html><html lang="fr"><body><article data-pagefind-body><h2>{e.title}</h2>'
            f'<a data-pagefind-meta="url[href]" href="{e.link}">lien</a><p>{e.excerpt}</p></article></body></html>')


def build_plugin_wheel(out: Path) -> Path:
    """The plugin's wheel, built from a clean copy of what it is made of: a build in the
    checkout itself reuses setuptools' build/ folder, where files of an older layout linger."""
    import shutil
    import subprocess

    src = out / "src"
    shutil.copytree(ROOT / "plugins", src / "plugins", ignore=shutil.ignore_patterns("__pycache__", "*.pyc",
                                                                                    "*.egg-info"))
    for name in ("pyproject.toml", "LICENSE", "docs/plugin-readme.md"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    wheels = out / "wheels"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels),
                             str(src)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (built,) = wheels.glob("pelican_docsdunet-*-py3-none-any.whl")
    return built


# ---------------------------------------------------------------- browser tests: the demo, Chromium

def served_demo(tmp_path_factory, name: str, **environ: str) -> Iterator[SiteServer]:
    """The demo site built with SITEURL = the loopback server that serves it (`environ`: variables
    set for the build only)."""
    tmp = tmp_path_factory.mktemp(name)
    out = tmp / "output"
    out.mkdir()
    with SiteServer(out) as server, pytest.MonkeyPatch.context() as env:
        for key, value in environ.items():
            env.setenv(key, value)
        result = build_demo(out, tmp / "state", server.origin)
        assert result.returncode == 0, result.stdout + result.stderr
        server.output = out
        yield server


def playwright_or_skip():
    """Playwright's API once Chromium is known to be there (as root, `make browser-deps` installs
    it, so its absence is a failure there, a skip elsewhere)."""
    reason = chromium_missing()
    if reason:
        if hasattr(os, "geteuid") and os.geteuid() == 0 and "chromium" in reason:
            pytest.fail(f"{reason}; as root, `make browser-deps` should have installed it")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    return sync_playwright


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[SiteServer]:
    yield from served_demo(tmp_path_factory, "browser-site")


@pytest.fixture(scope="module")
def browser():
    with playwright_or_skip()() as p:
        b = launch_chromium(p)
        yield b
        b.close()
