"""Takedowns: takedowns.yaml removes feeds and entries for good, from the store and the site."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from conftest import rss, serve_two_blogs
from pelican.plugins.blogroll.core.entrykeys import hashed_key, safe_guid, takedown_key, taken_down, without_takedowns
from pelican.plugins.blogroll.core.errors import RegistryError
from pelican.plugins.blogroll.core.model import CleanEntry, FeedHealth, FeedUpdate, Takedowns
from pelican.plugins.blogroll.registry import load_takedowns
from pelican.plugins.blogroll.store import Store

pytestmark = pytest.mark.build

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


# --- the file -----------------------------------------------------------------------

def write(tmp_path, text: str):
    path = tmp_path / "takedowns.yaml"
    path.write_text(text, "utf-8")
    return path


def test_missing_empty_or_comment_only_file_removes_nothing(tmp_path):
    assert not load_takedowns(tmp_path / "absent.yaml")
    assert not load_takedowns(None)
    assert not load_takedowns(write(tmp_path, "# nothing yet\n"))
    assert not load_takedowns(write(tmp_path, "feeds:\nentries:\n"))


def sha(value: str) -> str:
    """The line tools/takedown_key.py prints for `value`."""
    return "sha256:" + hashed_key(takedown_key(value))[5:]


def test_feeds_and_hashed_entries_are_read(tmp_path):
    t = load_takedowns(write(tmp_path, (
        "feeds:\n  - ancien-blog\n"
        f"entries:\n  - {sha('https://www.blog.example/2026/01/billet/?utm_source=rss#commentaires')}\n"
        f"  - {sha('tag:blogger.com,1999:blog-1.post-2').upper().replace('SHA256', 'sha256')}\n")))
    assert t.feeds == {"ancien-blog"}
    assert t.entries == {hashed_key("url:blog.example/2026/01/billet"),
                         hashed_key(takedown_key("tag:blogger.com,1999:blog-1.post-2"))}


@pytest.mark.parametrize("text, line, reason", [
    ("feeds:\n  - Mauvais Id\n", 2, "n'est pas un id de blog"),
    ("feeds: jaddo\n", 1, "type attendu"),
    (f"entries:\n  - {sha('https://b.example/p/')}\n  - {sha('http://b.example/p?utm_source=x')}\n", 3,
     "en double (déjà ligne 2)"),
    ("entries:\n  - https://b.example/p/\n", 2, "écrivez l'empreinte du billet, pas son adresse"),
    ("entries:\n  - sha256:abc\n", 2, "tools/takedown_key.py"),
    ("feeds:\n  - a\nraison: demande de l'auteur\n", 3, "champ inconnu « raison »"),
    ("feeds:\n  - a\nemail: zorglub@example.org\n", 3, "ce fichier est public"),
    ("entries:\n  - ''\n", 2, "entries.0"),
    ("feeds: [a\n", 2, "YAML invalide"),
    ("- a\n", 1, "feeds: » et/ou « entries: »"),
])
def test_problems_are_reported_with_their_line(tmp_path, text, line, reason):
    with pytest.raises(RegistryError) as err:
        load_takedowns(write(tmp_path, text))
    assert any(p[1] == line and reason in p[2] and p[0] == "takedowns.yaml" for p in err.value.problems), \
        err.value.problems


# --- matching (pure) ---------------------------------------------------------------------

def ce(guid, link, feed_id="f", title="T"):
    return CleanEntry(feed_id=feed_id, guid=guid, link=link, title=title, excerpt="x", published=None, tags=(),
                      specialties=(), content_hash=f"h-{guid}-{link}-{title}")


def test_an_entry_url_matches_whatever_its_scheme_www_slash_or_trackers():
    key = takedown_key("https://blog.example/2026/01/billet/")
    assert key == takedown_key("http://www.blog.example/2026/01/billet?utm_medium=rss")
    assert key != takedown_key("https://blog.example/2026/01/billet-2/")
    assert key != takedown_key("https://autre.example/2026/01/billet/")
    t = Takedowns(frozenset({"gone"}), frozenset({key, takedown_key("guid-42")}))
    assert taken_down(t, "f", None, "http://blog.example/2026/01/billet/")
    assert taken_down(t, "f", "https://blog.example/2026/01/billet", "https://blog.example/?p=1")  # permalink GUID
    assert taken_down(t, "f", "guid-42", "https://blog.example/other/")
    assert taken_down(t, "gone", "g", "https://any.example/")
    assert not taken_down(t, "f", "guid-43", "https://blog.example/2026/01/")
    hashed = Takedowns(entries=frozenset({hashed_key(key)}))
    assert hashed.hashed and not t.hashed
    assert taken_down(hashed, "f", "g", "http://www.blog.example/2026/01/billet?utm_source=x")
    assert not taken_down(hashed, "f", "g", "https://blog.example/2026/01/billet-2/")
    assert takedown_key(f"sha256:{hashed_key(key)[5:].upper()}") == hashed_key(key)
    kept = without_takedowns([ce("guid-42", "https://b.example/1"), ce("g2", "https://b.example/2")], t)
    assert [e.guid for e in kept] == ["g2"]


# --- the store ------------------------------------------------------------------------------

def test_store_erase_deletes_for_good_and_leaves_no_trace_in_the_file(tmp_path):
    with Store(tmp_path) as s:
        for fid in ("f", "gone"):
            health = FeedHealth(feed_id=fid, url=f"https://{fid}.example/feed", last_attempt=T0, last_success=T0)
            s.apply(FeedUpdate(fid, health, (ce(f"{fid}-1", f"https://{fid}.example/1/", fid,
                                                title=f"Titre Ornithorynque {fid}"),
                                             ce(f"{fid}-2", f"https://{fid}.example/2/", fid,
                                                title=f"Titre Gardé {fid}"))), T0)
        t = Takedowns(frozenset({"gone"}), frozenset({takedown_key("http://www.f.example/1?utm_source=x")}))
        assert s.erase(t) == 3
        assert [(e.feed_id, e.guid) for e in s.entries()] == [("f", "f-2")]
        assert set(s.all_health()) == {"f"} and s.all_health()["f"].entry_count == 1
        assert s.history("gone") == []
        assert s.erase(t) == 0  # idempotent
    # secure_delete + WAL truncation: the erased titles are not left in free pages.
    for path in tmp_path.iterdir():
        if path.name.startswith("blogroll.sqlite3"):
            data = path.read_bytes()
            assert b"Ornithorynque" not in data, path.name
            assert b"Gard\xc3\xa9 gone" not in data, path.name
    assert sqlite3.connect(tmp_path / "blogroll.sqlite3").execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- end to end -----------------------------------------------------------------------------

ALPHA = [
    {"title": "Billet gardé", "link": "https://alpha.example/garde/", "guid": "alpha-1",
     "date": "Mon, 05 Jan 2026 10:00:00 +0000", "body": "<p>Une consultation ordinaire.</p>"},
    {"title": "Billet retiré à la demande", "link": "https://alpha.example/retire/?utm_source=rss", "guid": "alpha-2",
     "date": "Tue, 06 Jan 2026 10:00:00 +0000", "body": "<p>Un récit qui ornithorynque.</p>"},
    {"title": "Billet retiré par GUID", "link": "https://alpha.example/guid/", "guid": "alpha-3",
     "date": "Wed, 07 Jan 2026 10:00:00 +0000", "body": "<p>Un autre récit.</p>"},
]
BETA = [{"title": "Billet du blog retiré", "link": "https://beta.example/b1/", "guid": "beta-1",
         "date": "Thu, 08 Jan 2026 10:00:00 +0000", "body": "<p>Tout le blog part.</p>"}]


@pytest.fixture
def two_blogs(site, server, feed_dir):
    return serve_two_blogs(site, server, feed_dir, ALPHA, BETA)


# Entries as tools/takedown_key.py prints them; the URL given in another form than the feed's.
TAKEDOWNS = "feeds:\n  - beta\nentries:\n" + "".join(
    f"  - {sha(v)}\n" for v in ("http://www.alpha.example/retire", "alpha-3"))
GONE = ("Billet retiré", "ornithorynque", "Billet du blog retiré", "Psy Bêta", "beta.example", "beta.xml")


def _all_text(root):
    from privacy_check import read_text

    return {str(p.relative_to(root)): read_text(p) or "" for p in root.rglob("*") if p.is_file()}


def test_takedown_erases_from_store_and_site_and_is_never_reimported(two_blogs, server, feed_dir):
    site = two_blogs
    site.build()
    assert "Billet retiré à la demande" in site.read("index.html")
    assert (site.output / "auteurs/psy-beta/index.html").is_file()
    assert (site.output / "feeds/auteurs/psy-beta.atom.xml").is_file()

    site.takedowns.write_text(TAKEDOWNS, "utf-8")
    server.requests.clear()
    site.build()
    _assert_gone(site)
    # A taken-down feed is not fetched at all.
    assert [r["path"] for r in server.requests] == ["/alpha.xml"]

    # The blog still serves the entries and publishes a new one: the feed is parsed
    # again, and the taken-down entries are filtered out before storing.
    new = {"title": "Billet nouveau", "link": "https://alpha.example/nouveau/", "guid": "alpha-4",
           "date": "Fri, 09 Jan 2026 10:00:00 +0000", "body": "<p>Du neuf.</p>"}
    (feed_dir / "alpha.xml").write_text(rss(ALPHA + [new]), "utf-8")
    site.build()
    _assert_gone(site, also=["alpha-4"])
    assert "Billet nouveau" in site.read("index.html")


def test_takedown_listed_before_the_first_build_is_never_imported(two_blogs):
    site = two_blogs
    site.takedowns.write_text(TAKEDOWNS, "utf-8")
    site.build()
    _assert_gone(site)


def _assert_gone(site, also=()):
    texts = _all_text(site.output)
    for rel, text in texts.items():
        for gone in GONE:
            assert gone not in text and gone.lower() not in rel, (rel, gone)
    assert not (site.output / "auteurs/psy-beta").exists()
    assert not (site.output / "feeds/auteurs/psy-beta.atom.xml").exists()
    assert "Billet gardé" in texts["index.html"] and "Docteur Alpha" in texts["blogroll.opml"]
    db = sqlite3.connect(site.state / "blogroll.sqlite3")
    assert [r[0] for r in db.execute("SELECT guid FROM entries ORDER BY guid")] == sorted([safe_guid("alpha-1"), *map(safe_guid, also)])
    assert db.execute("SELECT id FROM feeds").fetchall() == [("alpha",)]
    db.close()
    for path in site.state.iterdir():
        if path.name.startswith("blogroll.sqlite3"):
            assert b"ornithorynque" not in path.read_bytes(), path.name


def test_invalid_takedowns_stop_the_build_with_file_and_line(two_blogs):
    two_blogs.takedowns.write_text("feeds:\n  - Beta Blog\n", "utf-8")
    with pytest.raises(RegistryError) as err:
        two_blogs.build()
    assert "takedowns.yaml:2:" in str(err.value)


# --- noindex ----------------------------------------------------------------------------------

def test_noindex_blog_is_listed_but_kept_out_of_robots_sitemap_and_search(two_blogs, feed_dir, server):
    site = two_blogs
    site.write_registry([
        {"id": "alpha", "author": "Docteur Alpha", "feed": f"{server.url}/alpha.xml"},
        {"id": "beta", "author": "Psy Bêta", "feed": f"{server.url}/beta.xml", "specialties": ["psychiatrie"],
         "noindex": True},
    ])
    site.build()
    robots = '<meta name="robots" content="noindex">'
    assert robots in site.read("auteurs/psy-beta/index.html")
    assert robots not in site.read("auteurs/docteur-alpha/index.html")
    assert robots not in site.read("index.html")
    # Still part of the blogroll: listed, with its entries, in its feeds and the OPML.
    assert "Billet du blog retiré" in site.read("index.html")
    assert "Psy Bêta" in site.read("blogroll.opml")
    # Out of the sitemap...
    sitemap = site.read("sitemap.xml")
    assert "/auteurs/docteur-alpha/" in sitemap and "/auteurs/psy-beta/" not in sitemap
    # ...and out of the search index (Pagefind fragments, gzipped).
    texts = _all_text(site.output)
    index = " ".join(t for rel, t in texts.items() if rel.startswith("pagefind/"))
    assert "Billet gardé" in index and "Billet du blog retiré" not in index and "beta.example" not in index


def test_takedown_key_tool_prints_the_hash_the_loader_matches(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    out = subprocess.run([sys.executable, str(ROOT / "tools" / "takedown_key.py"),
                          "https://www.alpha.example/retire/?utm_source=rss", "alpha-3"],
                         capture_output=True, text=True, check=True).stdout.split()
    t = load_takedowns(write(tmp_path, "entries:\n" + "".join(f"  - {line}\n" for line in out)))
    assert t.entries == {hashed_key(takedown_key("http://alpha.example/retire")), hashed_key(takedown_key("alpha-3"))}
