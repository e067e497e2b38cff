"""The deployed build is the tested build: `make publish`, exactly as hourly.yml and pr.yml run
it, on the demo feeds served on loopback, then every feed, the OPML, the sitemap, robots.txt
and every page through the spec checks of tools/speccheck.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import speccheck  # noqa: E402
from feedserver import FeedServer  # noqa: E402

pytestmark = pytest.mark.build

SITE_URL = "https://docsdu.net"


def _workflow_build_commands(name: str) -> list[str]:
    steps = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))["jobs"]
    return [s.get("run", "") for job in steps.values() for s in job.get("steps", [])]


@pytest.mark.parametrize("workflow", ["hourly.yml", "pr.yml"])
def test_workflows_deploy_the_publish_build(workflow):
    runs = "\n".join(_workflow_build_commands(workflow))
    assert re.search(r"^make publish\b", runs, re.M), runs
    assert not re.search(r"^make html\b", runs, re.M)
    assert re.search(r"^make validate\b", runs, re.M)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("publish")
    with FeedServer(ROOT / "demo" / "feeds") as server:
        registry = tmp / "feeds.yaml"
        registry.write_text((ROOT / "demo" / "feeds.yaml").read_text("utf-8")
                            .replace("127.0.0.1:8731", f"127.0.0.1:{server.port}"), "utf-8")
        env = dict(os.environ, BLOGROLL_ALLOW_PRIVATE="1", BLOGROLL_PARSE_WORKERS="0")
        env.pop("SITEURL", None)
        cmd = ["make", "--no-print-directory", "publish", "-o", ".venv/.installed", f"PY={sys.executable}",
               f"FEEDS={registry}", f"STATE={tmp / 'state'}", f"OUTPUTDIR={tmp / 'output'}"]
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return tmp / "output"


def test_published_site_passes_the_spec_checks(published):
    langs = {f.get("lang", "fr") for f in yaml.safe_load((ROOT / "demo" / "feeds.yaml").read_text("utf-8"))["feeds"]}
    assert speccheck.check_site(published, SITE_URL, langs=langs) == []


def test_published_feeds_have_absolute_ids_and_the_sites_metadata(published):
    text = (published / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "<id>tag:docsdu.net,2026:feeds/all.atom.xml</id>" in text
    assert f'<link rel="self" type="application/atom+xml" href="{SITE_URL}/feeds/all.atom.xml" />' in text
    assert f"<icon>{SITE_URL}/theme/icons/icon-192.png</icon>" in text
    assert f"<logo>{SITE_URL}/theme/icons/logo.png</logo>" in text
    assert "<subtitle>Les blogs des soignants qui écrivent sous pseudonyme</subtitle>" in text
    for name in ("icon-192.png", "logo.png", "icon-32.png", "apple-touch-icon.png"):
        assert (published / "theme" / "icons" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_published_opml_robots_and_pages(published):
    opml = (published / "blogroll.opml").read_text("utf-8")
    assert "<ownerId>https://docsdu.net/charte/</ownerId>" in opml and "<dateCreated>" in opml
    assert (published / "robots.txt").read_text("utf-8").endswith(f"Sitemap: {SITE_URL}/sitemap.xml\n")
    home = (published / "index.html").read_text("utf-8")
    assert f'<meta property="og:url" content="{SITE_URL}/">' in home
    assert '<link rel="blogroll" type="text/x-opml"' in home


def test_checkers_catch_what_the_validators_reported():
    """The findings of the W3C Feed Validator and the sitemaps.org schema on the old build."""
    old_feed = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>t</title><id>/feeds/all.atom.xml</id>
<updated>2026-01-01T00:00:00+00:00</updated><link rel="self" href="/feeds/all.atom.xml" />
<entry><title>a</title><link href="https://b.example/1" /><id>tag:docsdunet,2026:entry:a</id>
<updated>2026-01-01T00:00:00+00:00</updated><author><name>x</name></author><summary>s</summary></entry>
<entry><title>b</title><link href="https://b.example/2" /><id>tag:docsdunet,2026:entry:b</id>
<updated>2026-01-01T00:00:00+00:00</updated><author><name>x</name></author><summary>s</summary></entry>
</feed>"""
    kinds = {p.split(":")[0] for p in speccheck.check_atom(old_feed)}
    assert {"InvalidFullLink", "InvalidTAG", "DuplicateUpdated", "MissingElement"} <= kinds
    old_sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   b"<url><loc>/</loc></url><url><loc>/auteurs/</loc><lastmod>21/11/2026</lastmod></url></urlset>")
    assert len(speccheck.check_sitemap(old_sitemap)) == 3
    assert speccheck.check_robots("User-agent: *\n", f"{SITE_URL}/sitemap.xml")
    assert speccheck.check_opml(b'<opml version="2.0"><head><title>t</title><ownerId>/</ownerId></head>'
                                b'<body><outline text="a" type="rss" xmlUrl="https://a.example/f" /></body></opml>')
