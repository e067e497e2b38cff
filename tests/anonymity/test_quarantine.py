"""Quarantine: an hourly build whose archive holds a deny-listed name (one no feed declares, so
the redactor cannot know it) exits 0, leaves those entries out, names them in the log, and
deploys the rest; `make privacy-check` with the same deny-list then passes."""

from __future__ import annotations

import logging
import os
import subprocess

import pytest
from conftest import ROOT, rss
from pelican.plugins.blogroll.site.model import quarantine

pytestmark = pytest.mark.build


def test_a_deny_listed_name_is_quarantined_and_the_rest_is_built(site, server, feed_dir, caplog):
    # The name is in a figcaption-like byline the feed never declares: only the deny-list knows it.
    (feed_dir / "alpha.xml").write_text(rss([
        {"title": "Billet gardé", "link": "https://alpha.example/garde", "guid": "a1",
         "body": "<p>Un billet sans nom propre.</p>"},
        {"title": "Photo de garde", "link": "https://alpha.example/photo", "guid": "a2",
         "body": "<p>Photo : Ondine Quarantegrue, service des urgences.</p>"},
        {"title": "Le billet de OndineQuarantegrue", "link": "https://alpha.example/camel", "guid": "a3",
         "body": "<p>Sans autre nom.</p>"},
    ]), "utf-8")
    site.write_registry([{"id": "alpha", "author": "Docteur Alpha", "feed": f"{server.url}/alpha.xml"}])
    with caplog.at_level(logging.WARNING):
        site.build(BLOGROLL_PRIVACY_DENYLIST="Ondine Quarantegrue\n")  # raises on failure: it returns
    home = site.read("index.html")
    assert "Billet gardé" in home
    assert "Photo de garde" not in home and "Le billet de" not in home
    held = [r.getMessage() for r in caplog.records if "quarantined" in r.getMessage()]
    assert len(held) == 2 and all("feed alpha" in m for m in held)
    assert not any("Quarantegrue" in r.getMessage() for r in caplog.records)  # the log never repeats it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVACY_", "BLOGROLL_"))}
    env["PRIVACY_DENYLIST"] = "Ondine Quarantegrue"
    run = subprocess.run(["make", "-s", "--no-print-directory", "privacy-check", f"OUTPUTDIR={site.output}"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    # The archive keeps them: a takedown or a better redactor decides.
    import sqlite3
    assert sqlite3.connect(site.state / "blogroll.sqlite3").execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 3


def test_matching_is_the_guards():
    tokens = quarantine.load_denylist("Ondine Quarantegrue\n# comment\n", "")
    assert quarantine.carries("par ONDINE QUARANTÈGRUE", tokens)
    assert quarantine.carries("ondine.quarantegrue", tokens)
    assert quarantine.carries("Ondine\u200bQuarantegrue", tokens)
    assert quarantine.carries("Ondine Quarant\u0435grue", tokens)  # a Cyrillic е
    assert not quarantine.carries("Ondine seule", tokens)


def test_a_name_added_to_the_deny_list_takes_down_what_is_already_published(site, server, feed_dir, tmp_path):
    """The deny-list file changes, nothing else does: the next build must not be "nothing
    changed" (the list's digest is part of the build fingerprint)."""
    (feed_dir / "alpha.xml").write_text(rss([
        {"title": "Billet gardé", "link": "https://alpha.example/garde", "guid": "a1", "body": "<p>Rien.</p>"},
        {"title": "Photo de garde", "link": "https://alpha.example/photo", "guid": "a2",
         "body": "<p>Photo : Ondine Quarantegrue.</p>"},
    ]), "utf-8")
    site.write_registry([{"id": "alpha", "author": "Docteur Alpha", "feed": f"{server.url}/alpha.xml"}])
    denylist = tmp_path / "denylist.txt"
    denylist.write_text("# empty for now\n", "utf-8")
    site.build(BLOGROLL_PRIVACY_DENYLIST_FILE=str(denylist))
    assert "Photo de garde" in site.read("index.html")
    denylist.write_text("Ondine Quarantegrue\n", "utf-8")
    site.build(BLOGROLL_PRIVACY_DENYLIST_FILE=str(denylist))
    home = site.read("index.html")
    assert "Photo de garde" not in home and "Billet gardé" in home
    assert "Quarantegrue" not in (site.state / "render-memo.json").read_text("utf-8")
