"""No URL the site published returns 404 later: not after a new post, not after the switch to
archive pages numbered from the oldest (docs/urls.md). And a new post rewrites O(1) pages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.build

NOW = "2026-11-20T08:00:00+00:00"
MAIN_URLS = ROOT / "tests" / "fixtures" / "urls" / "main-demo.txt"
NEW_POST = """  <entry>
    <title type="text">Une garde de plus</title>
    <link rel="alternate" type="text/html" href="https://interne-du-soir.example/2026/11/une-garde-de-plus/"/>
    <id>tag:interne-du-soir.example,2026:entry-new</id>
    <published>2026-11-19T23:10:00+01:00</published>
    <updated>2026-11-19T23:10:00+01:00</updated>
    <category term="internat"/>
    <content type="html">&lt;p&gt;Une garde de plus, écrite pour ce test : calme, puis pas du tout.&lt;/p&gt;</content>
  </entry>
"""


def run_demo(tmp_path: Path, port: int, feeds: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
    env.update(DEMO_PORT=str(port), DEMO_FEEDS=str(feeds), OUTPUTDIR=str(tmp_path / "out"),
               STATE=str(tmp_path / "state"), BLOGROLL_NOW=NOW, BLOGROLL_POLL_ADAPTIVE="0")
    return subprocess.run([sys.executable, str(ROOT / "tools" / "demo.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of the output: (inode, mtime in ns), to see which ones a build rewrote."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def url_file(url: str) -> str:
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def redirect_target(html: str) -> str | None:
    m = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    return m.group(1) if m else None


def assert_reachable(out: Path, urls: list[str]) -> None:
    """Each URL is a file of the output; a redirect page leads to a page that is no redirect."""
    for url in urls:
        path = out / url_file(url)
        assert path.is_file(), f"{url} would be a 404"
        if path.suffix != ".html":
            continue
        target = redirect_target(path.read_text("utf-8"))
        if target is not None:
            html = path.read_text("utf-8")
            assert '<meta name="robots" content="noindex">' in html and f'<link rel="canonical" href="{target}">' in html
            assert f'<a href="{target}">' in html
            final = out / url_file(target.split("://", 1)[-1].split("/", 1)[-1] if "://" in target else target)
            assert final.is_file() and redirect_target(final.read_text("utf-8")) is None, (url, target)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The demo built, then built again after one blog published one new post."""
    tmp = tmp_path_factory.mktemp("urls")
    feeds = tmp / "feeds"
    shutil.copytree(ROOT / "demo" / "feeds", feeds)
    port = free_port()
    first = run_demo(tmp, port, feeds)
    assert first.returncode == 0, first.stderr[-3000:]
    before = snapshot(tmp / "out")
    contents = {rel: (tmp / "out" / rel).read_bytes() for rel in before}
    feed = feeds / "interne-du-soir.xml"
    text = feed.read_text("utf-8")
    feed.write_text(text.replace("  <entry>", NEW_POST + "  <entry>", 1), "utf-8")
    second = run_demo(tmp, port, feeds)
    assert second.returncode == 0, second.stderr[-3000:]
    return tmp / "out", before, contents, snapshot(tmp / "out")


def test_every_url_of_mains_demo_build_still_exists(two_builds):
    out, *_ = two_builds
    urls = [line for line in MAIN_URLS.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    assert "/page/6/" in urls and len(urls) > 90
    assert_reachable(out, urls)
    # main's oldest home page (newest first, page 6) is now page 1: a redirect page sends it there.
    assert redirect_target((out / "page/6/index.html").read_text("utf-8")).endswith("/page/1/")


def test_a_new_post_keeps_every_url_and_rewrites_o1_listing_pages(two_builds):
    out, before, contents, after = two_builds
    assert_reachable(out, ["/" + rel for rel in before if not rel.startswith("pagefind/")])
    assert "Une garde de plus" in (out / "index.html").read_text("utf-8")
    rewritten = {rel for rel, stamp in after.items() if before.get(rel) != stamp}
    changed = {rel for rel in rewritten if rel in contents and (out / rel).read_bytes() != contents[rel]}
    assert changed == {rel for rel in rewritten if rel in contents}  # rewritten only when its bytes changed
    numbered = sorted(rel for rel in changed if "/page/" in "/" + rel)
    # The home, the specialty and the author pages of the new post: at most one numbered page each.
    listings = {rel.split("page/")[0] for rel in numbered}
    assert all(sum(r.split("page/")[0] == base for r in numbered) <= 1 for base in listings), numbered
    assert len(numbered) <= 3, numbered
    pages = [rel for rel in changed if rel.endswith(".html") and not rel.startswith("pagefind/")]
    assert len(pages) <= 12, sorted(pages)


def test_sitemap_and_rel_links_agree_with_the_numbering(two_builds):
    out, *_ = two_builds
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    for path in out.rglob("index.html"):
        rel = path.relative_to(out).as_posix()
        if rel.startswith("pagefind/"):
            continue
        html = path.read_text("utf-8")
        moved = redirect_target(html) is not None
        url = "/" + rel[: -len("index.html")]
        if moved:
            assert f"{url}</loc>" not in sitemap, url
        for rel_name in ("prev", "next"):
            for href in re.findall(rf'<link rel="{rel_name}" href="([^"]+)">', html):
                target = out / url_file(href.split("://", 1)[-1].split("/", 1)[-1] if "://" in href else href)
                assert target.is_file() and redirect_target(target.read_text("utf-8")) is None, (url, href)
    home = (out / "index.html").read_text("utf-8")
    assert re.search(r'<link rel="next" href="[^"]*/page/\d+/">', home)
    one = (out / "page/1/index.html").read_text("utf-8")
    assert '<link rel="next"' not in one and '<link rel="prev"' in one
