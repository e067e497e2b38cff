"""A post filed by its words reaches its specialty's page (marked « Vu ailleurs »), Atom
feed and search filter: the demo's PMA post of a general practitioner, in a real build."""

from __future__ import annotations

import gzip
import json
import re
import shutil

import pytest
from conftest import ROOT

pytestmark = pytest.mark.build

PMA_POST = "https://docteur-mirabelle.example/2026/10/deux-ans-essais/"


def test_a_gps_pma_post_is_on_the_pma_page_feed_and_search_filter(site, server, feed_dir):
    for name in ("docteur-mirabelle", "tests-et-eprouvettes"):
        shutil.copy(ROOT / "demo" / "feeds" / f"{name}.xml", feed_dir / f"{name}.xml")
    site.write_registry([
        {"id": "docteur-mirabelle", "author": "Docteur Mirabelle", "feed": f"{server.url}/docteur-mirabelle.xml"},
        {"id": "tests-et-eprouvettes", "author": "Docteure Pipette", "feed": f"{server.url}/tests-et-eprouvettes.xml",
         "specialties": ["pma", "gynecologie-obstetrique"], "only_tags": ["pma", "fiv", "grossesse"]},
    ])
    site.build()

    page = site.read("specialites/pma/index.html")
    cards = re.findall(r'<article class="entry"[^>]*>(.*?)</article>', page, re.S)
    gp = [c for c in cards if PMA_POST in c]
    assert len(gp) == 1 and "Vu ailleurs" in gp[0] and "rangé en PMA pour son sujet" in gp[0]
    own = [c for c in cards if "tests-et-eprouvettes" in c or "Tests et" in c]
    assert own and not any("Vu ailleurs" in c for c in own)  # the PMA blog's own posts carry no marker
    # The marker belongs to the PMA page only: the GP's own page and the home page do not show it.
    assert "Vu ailleurs" not in site.read("specialites/medecine-generale/index.html")
    assert "Vu ailleurs" not in site.read("index.html")

    atom = site.read("feeds/specialites/pma.atom.xml")
    assert PMA_POST in atom and "Vu ailleurs" not in atom

    records = [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
               for f in (site.output / "pagefind").rglob("*.pf_fragment")]
    mine = [r for r in records if r["meta"]["url"] == PMA_POST]
    assert len(mine) == 1 and "PMA" in mine[0]["filters"]["specialite"]

    # Why it was filed is for maintainers: never in what readers get.
    for rel in ("specialites/pma/index.html", "feeds/specialites/pma.atom.xml", "etat.json"):
        text = site.read(rel)
        assert "filed_by" not in text and "insémination)" not in text
    assert not any("filed_by" in json.dumps(r) for r in records)
