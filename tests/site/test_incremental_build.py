"""Hourly builds: nothing changed -> nothing rendered, nothing rewritten; something changed -> only
what shows it. Real Pelican builds on loopback feeds; files compared by inode and mtime."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Site, rss, serve_two_blogs
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.build

ALPHA = [{"title": f"Billet alpha {n}", "link": f"https://alpha.example/{n}/", "guid": f"alpha-{n}",
          "date": f"Mon, 0{n} Feb 2026 10:00:00 +0000", "body": f"<p>Texte alpha {n}.</p>"} for n in range(1, 4)]
BETA = [{"title": "Billet bêta", "link": "https://beta.example/1/", "guid": "beta-1",
         "date": "Wed, 11 Feb 2026 09:00:00 +0000", "body": "<p>Une consultation.</p>"}]


def snapshot(root) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            st = os.stat(os.path.join(dirpath, name))
            out[os.path.relpath(os.path.join(dirpath, name), root)] = (st.st_ino, st.st_mtime_ns)
    return out


def touched(before: dict, after: dict) -> set[str]:
    return {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}


@pytest.fixture
def blogs(site, server, feed_dir):
    return serve_two_blogs(site, server, feed_dir, ALPHA, BETA)


def build_log(site, caplog, **extra) -> str:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="pelican.plugins.blogroll"):
        site.build(**extra)
    return "\n".join(r.getMessage() for r in caplog.records if r.getMessage().startswith("blogroll:"))


def test_unchanged_hourly_build_renders_and_rewrites_nothing(blogs, server, caplog):
    build_log(blogs, caplog)
    before = snapshot(blogs.output)
    # Pelican's own pages and the theme's static files are there too.
    assert {"404.html", "charte/index.html", "theme/css/style.css", "index.html", "etat.json"} <= set(before)
    log = build_log(blogs, caplog)
    assert any(r["status"] == 304 for r in server.requests[-2:])
    assert touched(before, snapshot(blogs.output)) == set()
    assert re.search(r"skip build, 0 files written, 0 unchanged, \d+ kept without rendering, 0 removed", log), log
    # Nor is the state folder's record of the output rewritten: the manifest and the render memo
    # already say what this hour would write.
    kept = {n: (os.stat(blogs.state / n).st_ino, os.stat(blogs.state / n).st_mtime_ns)
            for n in ("output-manifest.json", "render-memo.json")}
    build_log(blogs, caplog)
    assert {n: (os.stat(blogs.state / n).st_ino, os.stat(blogs.state / n).st_mtime_ns) for n in kept} == kept


def test_new_post_renders_only_the_pages_that_show_it(blogs, feed_dir, caplog):
    build_log(blogs, caplog)
    before = snapshot(blogs.output)
    new = {"title": "Billet alpha 4", "link": "https://alpha.example/4/", "guid": "alpha-4",
           "date": "Mon, 09 Feb 2026 10:00:00 +0000", "body": "<p>Texte alpha 4.</p>"}
    (feed_dir / "alpha.xml").write_text(rss([new] + ALPHA), "utf-8")
    log = build_log(blogs, caplog)
    changed = touched(before, snapshot(blogs.output))
    assert {"index.html", "auteurs/docteur-alpha/index.html", "feeds/all.atom.xml",
            "feeds/auteurs/docteur-alpha.atom.xml", "etat.json"} <= changed
    # Beta's pages and feeds, and the pages of specialties alpha is not in, were not even rendered.
    assert not {"auteurs/psy-beta/index.html", "feeds/auteurs/psy-beta.atom.xml",
                "specialites/psychiatrie/index.html", "404.html", "theme/css/style.css"} & changed
    kept = int(re.search(r"full build, \d+ files written, \d+ unchanged, (\d+) kept", log).group(1))
    assert kept >= 4
    assert "Billet alpha 4" in blogs.read("index.html")


def test_a_new_post_leaves_the_base_search_bundle_as_it_is(blogs: Site, feed_dir: Path) -> None:
    """The search index is two Pagefind bundles: the recent one (the primary, with Pagefind's
    runtime) and the base of older posts. A new post re-indexes the recent bundle only; the base
    is kept as it is (not indexed again: Pagefind's output is not reproducible, so that would
    rewrite it)."""
    blogs.build()
    before = snapshot(blogs.output)
    base = {rel for rel in before if rel.startswith("pagefind/base/")}
    assert "pagefind/recent/pagefind.js" in before and base and "pagefind/base/pagefind.js" not in base
    new = {"title": "Billet alpha de mars", "link": "https://alpha.example/mars/", "guid": "alpha-mars",
           "date": "Mon, 02 Mar 2026 10:00:00 +0000", "body": "<p>Texte de mars.</p>"}
    (feed_dir / "alpha.xml").write_text(rss([new] + ALPHA), "utf-8")
    blogs.build()
    after = snapshot(blogs.output)
    assert "Billet alpha de mars" in blogs.read("index.html")
    assert not touched(before, after) & base and base <= set(after)
    assert any(rel.startswith("pagefind/recent/") for rel in touched(before, after))
    # What each bundle was made from, the key of its records' inputs included (the renderer's memo),
    # and the cut-off between them.
    (recorded,) = json.loads((blogs.state / "search-digests.json").read_text("utf-8")).values()
    assert set(recorded["bundles"]) == {"pagefind/recent/", "pagefind/base/"} and recorded["cutoff"]
    recorded = recorded["bundles"]
    assert all(len(v) == 3 and all(v) for v in recorded.values())


def test_status_pages_follow_feed_states_not_attempt_times(blogs, feed_dir):
    blogs.build()
    status = json.loads(blogs.read("etat.json"))
    as_of = datetime.fromisoformat(status["as_of"])
    assert abs(datetime.now(UTC) - as_of).total_seconds() < 600
    assert "État au " in blogs.read("etat/index.html") and "au moins une fois par jour" in blogs.read("etat/index.html")
    before = snapshot(blogs.output)
    blogs.build()  # a new attempt, same states: /etat/ keeps the state it showed
    assert touched(before, snapshot(blogs.output)) == set()
    (feed_dir / "beta.xml").unlink()  # beta goes down: that is a state change
    blogs.build()
    changed = touched(before, snapshot(blogs.output))
    assert {"etat.json", "etat/index.html"} <= changed
    beta = {f["id"]: f for f in json.loads(blogs.read("etat.json"))["feeds"]}["beta"]
    assert beta["state"] == "en-panne" and beta["consecutive_failures"] == 1


def test_changing_only_the_theme_static_paths_is_a_change(blogs, caplog):
    """BLOGROLL_THEME_STATIC_PATHS (which theme files are copied) is part of the build fingerprint:
    changing it alone must not give a "nothing changed" build that never copies the new files."""
    build_log(blogs, caplog)
    assert (blogs.output / "theme/css/style.css").is_file()  # THEME_STATIC_PATHS = ["static"]
    log = build_log(blogs, caplog, BLOGROLL_THEME_STATIC_PATHS=["static/js"])
    assert "skip build" not in log, log
    assert not (blogs.output / "theme/css/style.css").exists()  # no longer copied: removed
    assert (blogs.output / "theme/search.js").is_file()
    log = build_log(blogs, caplog, BLOGROLL_THEME_STATIC_PATHS=["static"])
    assert "skip build" not in log, log
    assert (blogs.output / "theme/css/style.css").is_file()


def test_output_files_removed_or_edited_are_rendered_again(blogs):
    blogs.build()
    (blogs.output / "index.html").unlink()
    (blogs.output / "auteurs" / "psy-beta" / "index.html").write_text("abîmé", "utf-8")
    blogs.build(BLOGROLL_OFFLINE=True)
    assert "Billet bêta" in blogs.read("index.html")
    # An edited file is not detected by the fingerprint, but any full build compares bytes:
    # a settings change (here the page size) renders everything again.
    blogs.build(BLOGROLL_OFFLINE=True, BLOGROLL_PER_PAGE=2)
    assert "Billet bêta" in blogs.read("auteurs/psy-beta/index.html")
    assert "http-equiv=\"refresh\"" not in blogs.read("page/1/index.html")  # paginated by 2: a page


def test_digester_is_reproducible_and_refuses_what_it_cannot_digest():
    from dataclasses import dataclass

    from markupsafe import Markup
    from pelican.plugins.blogroll.site.builder.fingerprint import Digester, Uncacheable

    @dataclass(frozen=True)
    class Item:
        title: str
        when: datetime
        tags: tuple

    a = Item("Titre", datetime(2026, 2, 1, tzinfo=UTC), ("x", "y"))
    b = Item("Titre", datetime(2026, 2, 1, tzinfo=UTC), ("x", "y"))
    d = Digester()
    assert d([a, {"k": Markup("<b>")}]) == Digester()([b, {"k": Markup("<b>")}])
    assert d(a) != d(Item("Titre", datetime(2026, 2, 2, tzinfo=UTC), ("x", "y")))
    assert d(Markup("<b>")) != d("<b>") and d(1) != d("1") and d((1,)) != d([1])
    # A short-lived list whose id is reused later is never mistaken for the old one.
    first = d([1, 2, 3])
    assert d([4, 5, 6]) != first
    with pytest.raises(Uncacheable):
        d({"f": lambda: 1})


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 300), st.text(max_size=4),
                     st.floats(allow_nan=False, width=16))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(st.text(max_size=3), inner, max_size=3),
    st.frozensets(st.one_of(st.integers(0, 9), st.text(max_size=2)), max_size=3)), max_leaves=8)


def _typed(value):
    """`value` with every type spelt out: equal only when equal and of the same types throughout."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_typed(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_typed(k), _typed(v)) for k, v in value.items()))
    if isinstance(value, frozenset):
        return ("set", frozenset(_typed(v) for v in value))
    return (type(value).__name__, repr(value))


@settings(max_examples=300, deadline=None)
@given(a=_values, b=_values)
def test_two_values_have_one_digest_exactly_when_they_are_the_same(a, b) -> None:
    """Page keys (site/builder/fingerprint.py): a changed page context never keeps its key, and
    parts never run into one another (« ab », « c » against « a », « bc »; 1 against « 1 »)."""
    from pelican.plugins.blogroll.site.builder.fingerprint import Digester

    assert (Digester()(a) == Digester()(b)) == (_typed(a) == _typed(b))
    split = Digester()
    assert split(["ab", "c"]) != split(["a", "bc"]) and split({"ab": "c"}) != split({"a": "bc"})


def test_other_plugins_hear_of_every_file_written_or_kept(blogs):
    """Pelican's `content_written` for each of the plugin's files, rendered or kept as it is (a
    sitemap or minify plugin listens there); sent only when someone besides the plugin listens."""
    from pelican import signals

    heard: list[str] = []

    def listener(path, context=None, **_):
        heard.append(os.path.relpath(path, blogs.output))

    blogs.build()  # no listener: nothing to hear
    signals.content_written.connect(listener)
    try:
        blogs.build()  # nothing changed: every file kept
    finally:
        signals.content_written.disconnect(listener)
    ours = {rel for rel in snapshot(blogs.output) if rel.startswith(("auteurs/", "specialites/", "etat"))}
    assert ours and ours <= set(heard)
    assert len(heard) == len(set(heard))


def test_the_build_fingerprint_covers_every_file_of_the_package():
    """A new version of the plugin (a template, any stage's code) renders every page again: the
    fingerprint digests the whole package, not the folder its own module happens to sit in."""
    import pelican.plugins.blogroll as package
    from pelican.plugins.blogroll.site.builder import fingerprint

    root = Path(package.__file__).resolve().parent
    shipped = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert any(p.suffix == ".html" for p in shipped) and any(p.name == "generator.py" for p in shipped)
    assert all(p.is_relative_to(fingerprint.PLUGIN_DIR) for p in shipped)
