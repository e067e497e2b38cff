"""tools/privacy_check.py: the leak guard CI runs on every build."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import privacy_check  # noqa: E402
from privacy_check import keyed_hash, normalize  # noqa: E402

pytestmark = pytest.mark.build

CLEAN_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><style>@media (max-width: 40em) { a { color: #ff00aa; } }</style></head>
<body><p>Docteur Oiseau · <a href="https://oiseau.example/2026/01/toux/?page=2" rel="noopener">Toux</a></p>
<p>Entrée tag:docsdunet,2026:entry:e2w2vaeb75hhmzfd623fjbhv, lot 20260105, 12345678901234567890123456789012345</p>
<p>Nos pages <a href="/auteurs/docteur-oiseau/">auteurs</a>.</p></body></html>
"""

LEAKS = [
    ("e-mail", "écrire à camille.testard@example.org"),
    ("e-mail", "écrire à camille.testard&#64;example.org"),
    ("e-mail", "écrire à camille.testard%40example.org"),
    ("e-mail", "écrire à camille [at] example [dot] org"),
    ("e-mail", '<a href="mailto:x">x</a>'),
    ("avatar", '<img src="https://secure.gravatar.com/avatar/abc?s=96">'),
    ("avatar", "https://i0.wp.com/blog.example/wp-content/avatar-96.png"),
    ("pixel", '<img src="https://pixel.wp.com/b.gif?blog=1">'),
    ("profil", "https://www.blogger.com/profile/09876543210987654321"),
    ("auteur", '<a href="https://blog.example/author/camille-testard/">'),
    ("suivi", "https://blog.example/p/?utm_source=rss"),
    ("hash", "avatar 8958deb41cac9ef15fdcfed6ce4e2965 ici"),
    ("hash", "1714310553C76BD8FAC6333329B81E5E80C0029078BAEA7E94813E95381D0F9B"),
]


def site(tmp_path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "output"
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8")
    return root


@pytest.fixture(autouse=True)
def _no_denylist(monkeypatch):
    for key in ("PRIVACY_DENYLIST", "PRIVACY_DENYLIST_FILE", "PRIVACY_DENYLIST_HASHES", "PRIVACY_DENYLIST_KEY"):
        monkeypatch.delenv(key, raising=False)


def test_clean_output_passes(tmp_path, capsys):
    root = site(tmp_path, {"index.html": CLEAN_PAGE, "feeds/all.atom.xml": "<feed><id>tag:x</id></feed>",
                           "theme/favicon.png": b"\x89PNG\r\n\x1a\n\0\0 binary@example.org"})
    assert privacy_check.main([str(root)]) == 0
    err = capsys.readouterr().err
    assert "2 fichiers lus, 1 binaires ignorés" in err and "0 alerte(s)" in err


@pytest.mark.parametrize("rule, leak", LEAKS)
def test_each_kind_of_leak_fails_with_file_line_and_rule(tmp_path, capsys, rule, leak):
    root = site(tmp_path, {"index.html": CLEAN_PAGE, "auteurs/x/index.html": f"<p>ligne 1</p>\n<p>{leak}</p>\n"})
    assert privacy_check.main([str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{root / 'auteurs/x/index.html'}:2: {rule}:" in out, out
    assert "index.html:" not in out.replace(str(root / "auteurs/x/index.html"), "")  # the clean page is clean


def test_matches_are_masked_unless_asked(tmp_path, capsys):
    root = site(tmp_path, {"a.html": "camille.testard@example.org"})
    assert privacy_check.main([str(root)]) == 1
    assert "camille.testard@example.org" not in capsys.readouterr().out
    assert privacy_check.main([str(root), "--show"]) == 1
    assert "camille.testard@example.org" in capsys.readouterr().out


def test_gzipped_files_and_file_paths_are_scanned(tmp_path, capsys):
    root = site(tmp_path, {"pagefind/fragment/fr_1.pf_fragment": gzip.compress(b'pagefind_dcd{"c":"x@example.org"}'),
                           "blog.example/author/x/index.html": "rien"})
    assert privacy_check.main([str(root)]) == 1
    out = capsys.readouterr().out
    assert "fr_1.pf_fragment:1: e-mail:" in out
    assert "author/x/index.html:0: auteur:" in out


def test_denylist_from_the_environment_matches_folded_and_never_prints_the_name(tmp_path, capsys, monkeypatch):
    root = site(tmp_path, {
        "a.html": "<p>Par ÉLOÏSE BRÛLÉ, ce matin.</p>",
        "b.html": "<p>signé eloise.brule</p>",
        "c.html": "<p>le compte eloisebrule sur un réseau</p>",
        "d.html": "<p>Éloïse a vu Mme Brûlé.</p>",      # the words apart: no hit
        "e.html": CLEAN_PAGE,
    })
    monkeypatch.setenv("PRIVACY_DENYLIST", "# commentaire\nÉloïse Brûlé\n\nzorglub@example.org\n")
    assert privacy_check.main([str(root)]) == 1
    out = capsys.readouterr().out
    hits = sorted(Path(line.split(":")[0]).name for line in out.splitlines())
    assert hits == ["a.html", "b.html", "c.html"]
    assert "liste privée: entrée n°1 de la liste" in out
    assert "loïse" not in out.lower() and "eloise" not in out.lower() and "brul" not in out.lower()


def test_denylist_from_files_outside_the_repo(tmp_path, capsys, monkeypatch):
    first, second = tmp_path / "noms-1.txt", tmp_path / "noms-2.txt"
    first.write_text("Personne Absente\n", "utf-8")
    second.write_text("Docteur Oiseau\n", "utf-8")
    root = site(tmp_path, {"index.html": CLEAN_PAGE})
    monkeypatch.setenv("PRIVACY_DENYLIST_FILE", str(first))
    assert privacy_check.main([str(root)]) == 0
    monkeypatch.setenv("PRIVACY_DENYLIST_FILE", f"{first}:{second}")
    assert privacy_check.main([str(root)]) == 1
    assert "index.html:3: liste privée: entrée n°2 de la liste" in capsys.readouterr().out
    monkeypatch.setenv("PRIVACY_DENYLIST_FILE", str(tmp_path / "absent.txt"))
    with pytest.raises(SystemExit, match="introuvable"):
        privacy_check.main([str(root)])


def test_keyed_hash_denylist_needs_its_key(tmp_path, capsys, monkeypatch):
    key = b"cle-secrete-de-test"
    hashes = tmp_path / "denylist.sha256"
    hashes.write_text("# HMAC-SHA256\n" + keyed_hash(key, normalize("Docteur Oiseau")) + "\n", "utf-8")
    root = site(tmp_path, {"index.html": CLEAN_PAGE, "other.html": "<p>rien à signaler</p>"})
    monkeypatch.setenv("PRIVACY_DENYLIST_HASHES", str(hashes))
    with pytest.raises(SystemExit, match="PRIVACY_DENYLIST_KEY"):
        privacy_check.main([str(root)])
    monkeypatch.setenv("PRIVACY_DENYLIST_KEY", key.decode())
    assert privacy_check.main([str(root)]) == 1
    out = capsys.readouterr().out
    assert "index.html:3: liste privée: entrée de la liste chiffrée" in out and "other.html" not in out
    monkeypatch.setenv("PRIVACY_DENYLIST_KEY", "une-autre-cle")
    assert privacy_check.main([str(root)]) == 0


def test_command_line_exit_codes_and_hash_mode(tmp_path):
    tool = [sys.executable, str(ROOT / "tools" / "privacy_check.py")]
    env = {"PATH": "/usr/bin:/bin", "PRIVACY_DENYLIST_KEY": "k"}
    clean = site(tmp_path, {"index.html": CLEAN_PAGE})
    assert subprocess.run([*tool, str(clean)], env=env, capture_output=True).returncode == 0
    assert subprocess.run([*tool, str(tmp_path / "absent")], env=env, capture_output=True).returncode == 2
    made = subprocess.run([*tool, "--hash"], input="Éloïse  Brûlé\n", env=env, capture_output=True, text=True)
    assert made.stdout.strip() == keyed_hash(b"k", "eloise brule")


def test_the_sites_own_contact_address_is_allowed_and_others_can_be(tmp_path, capsys, monkeypatch):
    root = site(tmp_path, {"charte/index.html": "<p>Écrivez à <strong>retrait@docsdu.net</strong>.</p>",
                           "b.html": "<p>contact : retrait@autre-site.example</p>"})
    assert privacy_check.main([str(root)]) == 1
    assert "b.html:1: e-mail" in capsys.readouterr().out
    monkeypatch.setenv("PRIVACY_ALLOW", "Retrait@autre-site.example\n")
    assert privacy_check.main([str(root)]) == 0


def test_the_sites_own_address_may_be_a_mailto_link_and_no_other_may(tmp_path, capsys):
    own = '<a href="mailto:proposer@docsdu.net?subject=Proposer%20un%20blog">proposer@docsdu.net</a>'
    root = site(tmp_path, {"proposer/index.html": f"<p>{own}</p>",
                           "charte/index.html": '<a href="mailto:retrait@docsdu.net">retrait@docsdu.net</a>'})
    assert privacy_check.main([str(root)]) == 0
    for n, other in enumerate(("mailto:retrait@docsdu.net.autre.example", "mailto:retrait@docsdu.network",
                               "mailto:xretrait@docsdu.net", "mailto:quelquun@ailleurs.example")):
        root = site(tmp_path / str(n), {"a.html": f'<p><a href="{other}">écrire</a></p>'})
        assert privacy_check.main([str(root)]) == 1, other
        assert "a.html:1: e-mail" in capsys.readouterr().out


def test_our_own_search_digest_is_allowed_only_as_a_lone_digest(tmp_path, capsys):
    digest = "555150c2606e244e58dc55d21ff4bf63869a4cf5351dddef169e53b562d3bf19\n"
    root = site(tmp_path, {"pagefind/records.sha256": digest, "pagefind/2026-11/records.sha256": digest})
    assert privacy_check.main([str(root)]) == 0
    root = site(tmp_path / "b", {"pagefind/records.sha256": digest + "x@example.org\n",
                                 "autre/records.sha256": digest})
    assert privacy_check.main([str(root)]) == 1
    out = capsys.readouterr().out
    assert "pagefind/records.sha256:2: e-mail" in out and "autre/records.sha256:1: hash" in out
