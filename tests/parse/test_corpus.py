"""Every feed file of ../shared/corpus/ (real-world feeds and feedparser's own test files):
through parse + clean, then one real `make html`-like build serving them all on loopback.

Nothing but ParseError may come out of parse_feed, every sanitized fragment
and every text field is inert, and the build over the whole corpus exits 0
with no script, event handler or javascript: URL in any page. The corpus is
read in place (never copied); these tests skip when it is absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SPECIALTIES, registry_yaml
from feedcorpus import CORPUS, content_type, corpus_files
from feedserver import FeedServer
from htmlsafety import Inspector, assert_inert_text, assert_safe_markup, scheme
from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.clean.sanitize import sanitize_html
from pelican.plugins.blogroll.core.errors import ParseError
from pelican.plugins.blogroll.core.model import FeedConfig
from pelican.plugins.blogroll.parse import parse_feed
from pelican.plugins.blogroll.update.worker import ParseJob, parse_and_clean

pytestmark = [pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no feed corpus at {CORPUS}"),
              pytest.mark.build, pytest.mark.slow]


def test_the_corpus_is_there_and_large():
    assert len(corpus_files()) > 150


def test_every_corpus_file_parses_or_is_refused_with_a_reason():
    vocabulary = registry.load_vocabulary(SPECIALTIES)
    feed = FeedConfig(id="corpus", title="Corpus", author="Pseudo", site="https://corpus.example/",
                               feed="https://corpus.example/feed.xml", specialties=("medecine-generale",))
    parsed = refused = entries = 0
    reasons: dict[str, int] = {}
    for path in corpus_files():
        data = path.read_bytes()
        ctype = content_type(data)
        try:
            result = parse_feed(data, base_url="https://corpus.example/feed.xml", content_type=ctype)
        except ParseError as exc:
            refused += 1
            reasons[str(exc).split(" : ")[0]] = reasons.get(str(exc).split(" : ")[0], 0) + 1
            continue
        parsed += 1
        for e in result.entries:
            assert_safe_markup(sanitize_html(e.content_html))
        outcome = parse_and_clean(ParseJob(data, "https://corpus.example/feed.xml", ctype, feed, vocabulary,
                                           200, 50))
        assert outcome.error is None, (path, outcome.error)
        for e in outcome.entries:
            entries += 1
            assert e.link.startswith(("http://", "https://")), (path, e.link)
            for text in (e.title, e.excerpt, *e.tags):
                assert_inert_text(text)
            if "sanitize" in path.parts:  # feedparser's XSS cases: no code may surface as text either
                for code in ("location.href", "alert(", "javascript:", "expression(", "document.", "vbscript"):
                    assert code not in (e.title + e.excerpt).lower(), (path.name, e.title, e.excerpt)
    assert parsed > 170 and entries > 350, (parsed, refused, entries, reasons)


def test_a_build_over_the_whole_corpus_exits_0_and_publishes_no_script(tmp_path):
    files = corpus_files()
    feeds = [{"id": f"c{i:03d}", "feed": None, "rel": p.relative_to(CORPUS).as_posix()} for i, p in enumerate(files)]
    with FeedServer(CORPUS) as server:
        for f in feeds:
            f["feed"] = f"{server.url}/{f.pop('rel')}"
        registry_file = tmp_path / "feeds.yaml"
        registry_file.write_text(registry_yaml(feeds), "utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
        env.update(BLOGROLL_FEEDS=str(registry_file), BLOGROLL_SPECIALTIES=str(SPECIALTIES),
                   BLOGROLL_STATE_DIR=str(tmp_path / "state"), BLOGROLL_ALLOW_PRIVATE="1",
                   BLOGROLL_BACKFILL_BUDGET="0")  # one request per feed, counted below
        out = tmp_path / "output"
        cmd = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(out), "-q"]
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert len(server.requests) == len(feeds)
    status = {f["id"]: f for f in json.loads((out / "etat.json").read_text("utf-8"))["feeds"]}
    assert set(status) == {f["id"] for f in feeds}
    ok = [f for f in status.values() if f["state"] == "ok"]
    assert len(ok) > 165
    assert sum(f["entry_count"] for f in ok) > 350
    assert all(f["last_error"] for f in status.values() if f["state"] != "ok")
    pages = sorted(out.rglob("*.html"))
    for page in pages:
        inspector = Inspector()
        inspector.feed(page.read_text("utf-8"))
        inspector.close()
        for tag, attrs in inspector.elements:
            assert tag not in ("iframe", "object", "embed", "applet", "base", "frame"), (page, tag)
            if tag == "script":
                assert attrs.get("src", "").startswith("/theme/"), (page, attrs)
            for name, value in attrs.items():
                assert not name.startswith("on"), (page, tag, name)
                if name in ("href", "src", "action", "formaction", "poster", "srcset"):
                    assert scheme(value) in (None, "http", "https", "mailto"), (page, tag, name, value)
        assert not any(kind == "script" and body.strip() for kind, body in inspector.raw), page
