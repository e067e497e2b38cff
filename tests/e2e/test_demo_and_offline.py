"""The README's commands on their own: `make demo` twice, and a build with no network."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_demo(tmp_path, port, **blogroll):
    """tools/demo.py (what `make demo` runs) on DEMO_PORT=`port`, or on its own choice when None."""
    env = dict(os.environ, OUTPUTDIR=str(tmp_path / "out"), STATE=str(tmp_path / "state"))
    env = {k: v for k, v in env.items() if not k.startswith("BLOGROLL_") and k != "DEMO_PORT"} | blogroll
    if port is not None:
        env["DEMO_PORT"] = str(port)
    return subprocess.run([sys.executable, str(ROOT / "tools" / "demo.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_demo_twice_is_conditional_and_loses_nothing(tmp_path):
    port = free_port()
    first = run_demo(tmp_path, port)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "(0 conditional, 0 answered 304)" in first.stdout
    home = (tmp_path / "out" / "index.html").read_text("utf-8")
    # The newest 20 entries on the home page, the archive on pages numbered from the oldest.
    assert home.count('class="entry"') == 20 and (tmp_path / "out" / "page" / "2" / "index.html").exists()
    counts = {f["id"]: f["entry_count"] for f in json.loads((tmp_path / "out" / "etat.json").read_text())["feeds"]}
    assert_blogs_lead_to_each_other(tmp_path / "out")
    second = run_demo(tmp_path, port)
    assert second.returncode == 0, second.stderr[-2000:]
    # Every feed asked again (adaptive polling leaves the demo's quiet blogs for tomorrow)
    # is asked conditionally and answers 304; the backfilled history is not walked again.
    asked = re.search(r"\((\d+) conditional, (\d+) answered 304\)", second.stdout)
    assert asked and asked.group(1) == asked.group(2) and int(asked.group(1)) >= 1, second.stdout
    assert "40 billet(s) ajouté(s)" in first.stdout and "déjà parcouru" in second.stdout
    again = {f["id"]: f["entry_count"] for f in json.loads((tmp_path / "out" / "etat.json").read_text())["feeds"]}
    assert again == counts and sum(counts.values()) >= 60


def assert_blogs_lead_to_each_other(out):
    """« De lien en lien » on the demo (site/model/web.py): its posts link to other demo blogs'
    posts. Le Veilleur's two blogs cite Docteur Divan's post on suicide (and each other: the
    same author, so not shown); Madame Officine cites it too, which makes it a conversation;
    Docteure Pipette's post on success rates is cited by two other authors."""
    def page(*parts):
        return (out.joinpath(*parts) / "index.html").read_text("utf-8")
    veilleur, divan, pipette = page("auteurs", "le-veilleur"), page("auteurs", "docteur-divan"), \
        page("auteurs", "docteure-pipette")
    assert "Ce blog cite" in veilleur and "Docteur Divan</a> (2 billets)" in veilleur
    assert "Le Veilleur</a> (2 billets)" not in veilleur.split("Ce blog cite")[1]  # never itself
    assert "Cité par" in divan and "Le Veilleur" in divan and "Madame Officine" in divan
    assert "Cité par" in pipette and "Docteur Mirabelle" in pipette and "Sage-femme des collines" in pipette
    talk = page("conversations")
    assert talk.count('class="entry"') == 2, talk
    assert talk.index("Parler de suicide") < talk.index("taux de réussite")  # newest first


def test_a_busy_8731_makes_the_demo_pick_another_port(tmp_path):
    """8731 taken (here by this test; by another program for a newcomer): the demo serves its
    feeds on a free port, says which, and builds; the pages name that port."""
    with socket.socket() as busy:
        try:
            busy.bind(("127.0.0.1", 8731))
            busy.listen()
        except OSError:
            pass  # already taken by someone else: just as busy
        result = run_demo(tmp_path, None)
    assert result.returncode == 0, result.stderr[-2000:]
    said = re.search(r"démo : le port 8731 est occupé, les flux sont servis sur le port (\d+) ", result.stderr)
    assert said, result.stderr[-2000:]
    port = said.group(1)
    assert port != "8731" and f"requests on 127.0.0.1:{port} " in result.stdout
    opml = (tmp_path / "out" / "blogroll.opml").read_text("utf-8")
    assert f"127.0.0.1:{port}/" in opml and "127.0.0.1:8731" not in opml
    assert (tmp_path / "out" / "index.html").exists()


def test_a_demo_port_asked_for_and_taken_is_refused_in_french(tmp_path):
    """DEMO_PORT wins: when it is taken the demo does not move elsewhere, it says so."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_demo(tmp_path, busy.getsockname()[1])
    assert result.returncode == 2
    assert "démo : impossible d'écouter sur 127.0.0.1:" in result.stderr and "DEMO_PORT=" in result.stderr


def test_build_without_network_exits_zero_and_reports_each_feed(site):
    # A closed loopback port stands for "no internet": every fetch fails fast.
    port = free_port()
    site.write_registry([
        {"id": "un", "feed": f"http://127.0.0.1:{port}/un.xml"},
        {"id": "deux", "feed": f"http://127.0.0.1:{port}/deux.xml"},
    ])
    site.build()
    status = json.loads(site.read("etat.json"))["feeds"]
    assert {s["id"]: s["state"] for s in status} == {"un": "en-panne", "deux": "en-panne"}
    assert all(s["last_error"] == "connexion refusée ou impossible" for s in status)
    assert "connexion refusée ou impossible" in site.read("etat/index.html")
    assert (site.output / "index.html").exists()


def test_offline_build_uses_the_store_only(site, server, feed_dir):
    from conftest import rss

    (feed_dir / "a.xml").write_text(rss([{"title": "Gardé", "link": "https://a.example/1", "guid": "1",
                                          "date": "Mon, 05 Jan 2026 10:00:00 +0000"}]), "utf-8")
    site.write_registry([{"id": "a", "feed": f"{server.url}/a.xml"}])
    site.build()
    server.requests.clear()
    site.build(BLOGROLL_OFFLINE=True)
    assert server.requests == []
    assert "Gardé" in site.read("index.html")


def test_two_builds_of_the_same_inputs_give_the_same_site(tmp_path):
    """Same feeds, same clock (BLOGROLL_NOW): byte-identical sites, checked by tools/output_digest.py,
    the digest that shows a refactoring changed no output."""
    sys.path.insert(0, str(ROOT / "tools"))
    from output_digest import manifest

    digests, port = [], free_port()  # the feeds' addresses (and so the pages) name the port
    for run in ("a", "b"):
        result = run_demo(tmp_path / run, port, BLOGROLL_NOW="2026-11-20T08:00:00+00:00")
        assert result.returncode == 0, result.stderr[-2000:]
        digests.append(manifest(tmp_path / run / "out"))
    assert len(digests[0]) > 50 and any(line.endswith("  index.html") for line in digests[0])
    assert digests[0] == digests[1]
