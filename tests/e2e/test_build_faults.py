"""Faults a deploy meets outside the feeds: one French line, a non-zero exit, nothing lost.

Each case builds a good site first (the production command, as `make publish` runs it), then
breaks one thing and builds again: the build must stop with one line saying what happened
and what to do, no traceback, the store and the last site as they were."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, registry_yaml, rss

pytestmark = pytest.mark.build


def _build(feeds: Path, state: Path, output: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, BLOGROLL_FEEDS=str(feeds), BLOGROLL_STATE_DIR=str(state), BLOGROLL_ALLOW_PRIVATE="1",
               BLOGROLL_PARSE_WORKERS="0")
    return subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "publishconf.py", "-o", str(output)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _entries(state: Path) -> int:
    db = sqlite3.connect(f"file:{state / 'blogroll.sqlite3'}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        db.close()


def _one_french_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode != 0
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text[-3000:]
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("échec")]
    assert len(lines) == 1, result.stderr[-3000:]
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def good(tmp_path, server, feed_dir):
    """(feeds.yaml, state, output) after one good build of two entries."""
    def make(state: Path, output: Path):
        (feed_dir / "a.xml").write_text(rss([
            {"title": "Premier", "link": "https://a.example/1", "date": "Mon, 02 Mar 2026 08:00:00 +0000"},
            {"title": "Second", "link": "https://a.example/2", "date": "Tue, 03 Mar 2026 08:00:00 +0000"}]), "utf-8")
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(registry_yaml([{"id": "a", "feed": f"{server.url}/a.xml", "author": "Docteur A"}]), "utf-8")
        first = _build(feeds, state, output)
        assert first.returncode == 0, first.stderr[-3000:]
        assert _entries(state) == 2
        return feeds, state, output
    return make


def test_missing_registry(tmp_path, good):
    feeds, state, output = good(tmp_path / "state", tmp_path / "output")
    before = _snapshot(output)
    feeds.unlink()
    _one_french_line(_build(feeds, state, output), "feeds.yaml", "introuvable", "FEEDS=")
    assert _snapshot(output) == before and _entries(state) == 2


def test_store_locked_by_another_build(tmp_path, good):
    feeds, state, output = good(tmp_path / "state", tmp_path / "output")
    before = _snapshot(output)
    fd = os.open(state / "lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        _one_french_line(_build(feeds, state, output), "une autre exécution", "relancez")
    finally:
        os.close(fd)
    assert _snapshot(output) == before and _entries(state) == 2


def test_corrupt_store(tmp_path, good):
    feeds, state, output = good(tmp_path / "state", tmp_path / "output")
    before = _snapshot(output)
    store = state / "blogroll.sqlite3"
    for extra in ("-wal", "-shm"):
        Path(f"{store}{extra}").unlink(missing_ok=True)
    store.write_bytes(b"ceci n'est pas une base SQLite" * 200)
    _one_french_line(_build(feeds, state, output), "corrompu", "restaurez")
    assert _snapshot(output) == before
    assert store.read_bytes().startswith(b"ceci n'est pas")  # left for the maintainer to look at


def test_state_folder_that_cannot_exist(tmp_path, good):
    feeds, state, output = good(tmp_path / "state", tmp_path / "output")
    before = _snapshot(output)
    blocker = tmp_path / "un-fichier"
    blocker.write_text("x")
    _one_french_line(_build(feeds, blocker / "state", output), "n'existe pas", "STATE=")
    assert _snapshot(output) == before


@pytest.fixture
def tmpfs(tmp_path):
    """A 3 MB tmpfs (root only; skipped elsewhere)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs (not root, or no mount permission)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_read_only_state_folder(tmp_path, good, tmpfs):
    feeds, state, output = good(tmpfs / "state", tmp_path / "output")
    before = _snapshot(output)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    line = _one_french_line(_build(feeds, state, output), "accessible en écriture")
    assert "rien n'a été perdu" in line
    assert _snapshot(output) == before and _entries(state) == 2


def test_full_disk(good, tmpfs, server, feed_dir):
    """State and output on a full disk: the measured case of the issue (disk I/O error from
    PRAGMA journal_mode=WAL, with a traceback)."""
    feeds, state, output = good(tmpfs / "state", tmpfs / "output")
    before = _snapshot(output)
    (feed_dir / "a.xml").write_text(rss([
        {"title": "Troisième", "link": "https://a.example/3", "date": "Wed, 04 Mar 2026 08:00:00 +0000"},
        {"title": "Premier", "link": "https://a.example/1", "date": "Mon, 02 Mar 2026 08:00:00 +0000"}]), "utf-8")
    filler = tmpfs / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    for extra in ("-wal", "-shm"):  # a fresh process must create them: the first write of a build
        Path(f"{state / 'blogroll.sqlite3'}{extra}").unlink(missing_ok=True)
    _one_french_line(_build(feeds, state, output), "disque plein", "libérez")
    filler.unlink()
    assert _snapshot(output) == before and _entries(state) == 2
    again = _build(feeds, state, output)  # room again: the build goes on where it was
    assert again.returncode == 0, again.stderr[-2000:]
    assert _entries(state) == 3


def test_a_feed_that_is_a_web_page_is_logged_in_our_words_only(tmp_path, server, feed_dir):
    """The build log may be public (a CI run): a page served instead of a feed is said in our own
    words, never with what the page holds (the addresses it announces, its text)."""
    (feed_dir / "a.xml").write_text(
        '<!DOCTYPE html><html><head><title>Le cabinet de Gontravel Quistrebert</title>'
        '<link rel="alternate" type="application/rss+xml" href="/par/gontravel-quistrebert/feed/">'
        '</head><body>Bienvenue</body></html>', "utf-8")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(registry_yaml([{"id": "a", "feed": f"{server.url}/a.xml", "author": "Docteur A"}]), "utf-8")
    result = _build(feeds, tmp_path / "state", tmp_path / "output")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "ce n'est pas un flux (page HTML)" in log, log[-3000:]
    assert "quistrebert" not in log.lower() and "/par/" not in log, log[-3000:]
