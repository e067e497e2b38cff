"""Durability: kill -9 of a real build at any moment, then run again: nothing lost, nothing doubled.

Each build is a real `python -m pelican` subprocess (what `make html` runs)
against feeds served on loopback, with a process pool for parsing. A build
is killed with SIGKILL (the main process only, as `kill -9 PID` would) at
moments spread over its whole duration and at targeted moments (while the
store is half written, while the site is being rendered), then built again;
the archive must then hold exactly the reference entries, once each, and the
site must list them. Right after a kill, output/ must hold only complete
files, each the previous build's or the new one's. Two builds at once: the
second exits at once with a clear message and the first completes untouched.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, SPECIALTIES, registry_yaml, rss
from faultserver import FaultServer, hang, respond
from pelican.plugins.blogroll.site.builder.writer import STAGING
from reliability import report

pytestmark = [pytest.mark.build, pytest.mark.slow]

FEEDS = 16
POSTS = 40
T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def feed_body(i: int, posts: int = POSTS) -> str:
    return rss([{"title": f"Blog {i} billet {j}", "guid": f"b{i}-{j}", "link": f"https://b{i}.example/{j}/",
                 "date": email.utils.format_datetime(T0 + timedelta(hours=i * POSTS + j)),
                 "body": f"<p>Texte {j} du blog {i}. " + "Une phrase de garde de nuit. " * 20 + "</p>"}
                for j in range(posts)], title=f"Blog {i}")


class Builds:
    """Feeds on loopback, one state folder and one output folder, builds as subprocesses."""

    def __init__(self, root: Path, server: FaultServer):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.server = server
        self.state = root / "state"
        self.output = root / "output"
        self.feeds = root / "feeds.yaml"
        self.feeds.write_text(registry_yaml([
            {"id": f"blog-{i}", "feed": f"{server.url}/b{i}.xml",
             "specialties": [["medecine-generale", "psychiatrie", "pediatrie"][i % 3]]}
            for i in range(FEEDS)]), "utf-8")
        self.posts = POSTS
        self.serve(POSTS)

    def serve(self, posts: int) -> None:
        self.posts = posts
        for i in range(FEEDS):
            self.server.route(f"/b{i}.xml", respond(200, feed_body(i, posts)))

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
        env.update(BLOGROLL_FEEDS=str(self.feeds), BLOGROLL_SPECIALTIES=str(SPECIALTIES),
                   BLOGROLL_STATE_DIR=str(self.state), BLOGROLL_ALLOW_PRIVATE="1", BLOGROLL_PARSE_WORKERS="2",
                   BLOGROLL_POLL_ADAPTIVE="0", BLOGROLL_BACKFILL_BUDGET="0",  # as conftest: builds seconds apart
                   PYTHONDONTWRITEBYTECODE="1", **extra)
        return env

    def start(self, **extra) -> subprocess.Popen:
        cmd = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(self.output), "-q"]
        return subprocess.Popen(cmd, cwd=ROOT, env=self.env(**extra), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)

    def build(self, **extra) -> subprocess.CompletedProcess:
        proc = self.start(**extra)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, out + err
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)

    def entries(self) -> list[tuple]:
        db = sqlite3.connect(f"file:{self.state / 'blogroll.sqlite3'}?mode=ro", uri=True)
        try:
            return sorted(db.execute("SELECT feed_id, guid, title, link, sort_date FROM entries").fetchall())
        finally:
            db.close()

    def stored_count(self) -> int:
        try:
            db = sqlite3.connect(f"file:{self.state / 'blogroll.sqlite3'}?mode=ro", uri=True, timeout=0.2)
            try:
                return db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
            finally:
                db.close()
        except sqlite3.Error:
            return -1

    def snapshot(self) -> dict[str, bytes]:
        return {p.relative_to(self.output).as_posix(): p.read_bytes()
                for p in self.output.rglob("*") if p.is_file()}

    def expected(self) -> list[tuple]:
        from pelican.plugins.blogroll.core.entrykeys import safe_guid  # GUIDs are stored as keyed hashes

        return sorted((f"blog-{i}", safe_guid(f"b{i}-{j}"), f"Blog {i} billet {j}", f"https://b{i}.example/{j}/",
                       (T0 + timedelta(hours=i * POSTS + j)).isoformat(timespec="seconds"))
                      for i in range(FEEDS) for j in range(self.posts))


def kill_at(proc: subprocess.Popen, condition, deadline: float = 60) -> bool:
    """SIGKILL the build's main process once `condition()` holds; False if it finished first."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        if condition():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    raise AssertionError("the build neither finished nor reached the kill point")


def reap(proc: subprocess.Popen) -> None:
    """Kill whatever the killed build left behind (pool workers, pagefind), so no test leaks processes."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def survivors(proc: subprocess.Popen) -> list[int]:
    """Processes of the killed build's session still alive (pool workers, Pagefind...)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[3]) == proc.pid and fields[0] != "Z":  # session id == the build's pid
                out.append(int(d.name))
    return out


def unrecorded(b: Builds) -> set[str]:
    """Files of output/ that the blogroll's manifest does not list (Pelican's own pages)."""
    import hashlib
    import json

    key = hashlib.sha256(str(b.output.resolve()).encode()).hexdigest()[:16]
    recorded = set(json.loads((b.state / "output-manifest.json").read_text("utf-8"))[key])
    return set(b.snapshot()) - recorded


def listed_links(output: Path) -> set[str]:
    links = set()
    for page in [output / "index.html", *(output / "page").glob("*/index.html")]:
        links.update(re.findall(r'href="(https://b\d+\.example/\d+/)"', page.read_text("utf-8")))
    return links


@pytest.fixture
def builds(tmp_path):
    with FaultServer() as server:
        yield Builds(tmp_path / "site", server)


def test_reference_build(builds):
    builds.build()
    assert builds.entries() == builds.expected()
    assert listed_links(builds.output) == {e[3] for e in builds.expected()}


def complete(rel: str, data: bytes) -> bool:
    """A whole file, not a truncated one (every format we write has a recognisable end)."""
    if rel.endswith(".html"):
        return data.rstrip().endswith(b"</html>")
    if rel.endswith((".xml", ".opml")):
        import xml.etree.ElementTree as ET

        try:
            ET.fromstring(data)
            return True
        except ET.ParseError:
            return False
    if rel.endswith(".json"):
        import json

        try:
            json.loads(data)
            return True
        except ValueError:
            return False
    return True


def check_after_kill(builds: Builds, proc: subprocess.Popen, before: dict[str, bytes]) -> dict[str, bytes]:
    """Right after the kill: no survivor holds the store, output/ holds only whole files."""
    time.sleep(0.2)
    left = survivors(proc)
    reap(proc)
    assert left == [], f"processes of the killed build still alive: {left}"
    now = builds.snapshot() if builds.output.exists() else {}
    # What the killed build staged is dropped (or committed) by the next build.
    now = {rel: data for rel, data in now.items() if not rel.startswith(STAGING + "/")}
    for rel, data in now.items():
        assert not any(part.startswith(".") for part in Path(rel).parts), f"temporary file in output/: {rel}"
        assert complete(rel, data), f"half-written file in output/: {rel}"
    return now


_RNG = random.Random(3)
# One random moment in each quarter of the build's duration (fixed seed: reproducible).
FRACTIONS = [0.03 + 0.94 * (k + _RNG.random()) / 4 for k in range(4)]


def b_stored(files: dict) -> str:
    return "site not yet published" if "index.html" not in files else "site published"


def timed_build(b: Builds) -> float:
    started = time.monotonic()
    b.build()
    return time.monotonic() - started


def test_kill_9_during_a_cold_build_then_rebuild(builds, tmp_path):
    duration = timed_build(builds)
    reference = builds.expected()
    assert builds.entries() == reference
    moments = [("after", f) for f in FRACTIONS] + [("store half written", None)]
    kills = 0
    for k, (what, fraction) in enumerate(moments):
        b = Builds(tmp_path / f"cold-{k}", builds.server)
        proc = b.start()
        started = time.monotonic()
        if fraction is None:
            killed = kill_at(proc, lambda b=b: 0 < b.stored_count() < len(reference))
        else:
            # A cold rebuild can beat the timed first build: aim a little early.
            killed = kill_at(proc, lambda started=started, fraction=fraction:
                             time.monotonic() - started >= 0.9 * fraction * duration)
        kills += killed
        after = check_after_kill(b, proc, {})
        b.build()
        got = b.entries()
        report("kill", f"cold build, {what}" + (f" {fraction:.0%} of its duration" if fraction else ""),
               (f"no survivor, lock free, output/: {len(after)} whole files, {b_stored(after)}" if killed
                else "finished before the kill"),
               lost=len(set(reference) - set(got)), doubled=len(got) - len(set(got)))
        assert got == reference, f"killed {what} {fraction}: the archive differs"
        assert listed_links(b.output) == {e[3] for e in reference}
        assert not (b.output / STAGING).exists()
    assert kills >= len(moments) - 1, "the builds ended before most kill moments: nothing was tested"


def test_kill_9_during_an_incremental_build_keeps_the_last_good_site(builds, tmp_path):
    """A build that adds posts is killed; output/ is the previous site (or, if the kill fell in the
    final commit, a mix of whole old and new files); the next build completes the archive."""
    import shutil

    builds.serve(30)
    builds.build()
    base = tmp_path / "base"
    shutil.copytree(builds.root, base, ignore=shutil.ignore_patterns("lock"))
    builds.serve(POSTS)
    duration = timed_build(builds)  # the reference incremental build
    final = builds.snapshot()
    reference = builds.expected()
    volatile = {"etat/index.html", "etat.json", "sitemap.xml"}
    intact = 0
    for fraction in FRACTIONS + [None, "render"]:
        # Back to the 30-post state, in place (the manifest knows output/ by its path).
        shutil.rmtree(builds.root)
        shutil.copytree(base, builds.root)
        b = Builds(builds.root, builds.server)
        b.serve(POSTS)
        before = b.snapshot()
        proc = b.start()
        started = time.monotonic()
        if fraction is None:
            kill_at(proc, lambda b=b: 0 < b.stored_count() - FEEDS * 30 < FEEDS * 10)
        elif fraction == "render":
            # Half the new site rendered (staged): output/ must be the last good site, byte for byte.
            staged = b.output / STAGING
            assert kill_at(proc, lambda staged=staged: staged.is_dir() and sum(1 for _ in staged.rglob("*.html")) > 20)
        else:
            kill_at(proc, lambda started=started, fraction=fraction: time.monotonic() - started >= fraction * duration)
        after = check_after_kill(b, proc, before)
        if fraction == "render":
            assert after == before
        for rel, data in after.items():
            # Status pages carry times, and Pagefind's output differs from run to run (hash-map order).
            if rel not in volatile and not rel.startswith("pagefind/"):
                assert data == before.get(rel) or data == final.get(rel), f"{rel}: neither the old nor the new file"
        intact += after == before
        b.build()
        got = b.entries()
        moment = {None: "store half written", "render": "new site half rendered"}.get(
            fraction, f"at {fraction:.0%} of its duration" if isinstance(fraction, float) else fraction)
        report("kill", f"incremental build, {moment}",
               "no survivor, lock free, " + ("output/ = the last good site, byte for byte" if after == before
                                             else "output/: whole files, each old or new"),
               lost=len(set(reference) - set(got)), doubled=len(got) - len(set(got)))
        assert got == reference, f"killed at {fraction}: the archive differs"
        assert listed_links(b.output) == {e[3] for e in reference}
        # Pagefind's chunk names vary from run to run; everything else is the same set of files,
        # and nothing is left that no build recorded (an orphan would be deployed forever).
        assert {r for r in b.snapshot() if not r.startswith("pagefind/")} == \
            {r for r in final if not r.startswith("pagefind/")}
        assert unrecorded(b) == {"404.html", "charte/index.html", "favicon.ico"}  # Pelican's pages and static
    assert intact >= 1


def test_second_build_at_once_exits_with_a_clear_message(builds):
    builds.build()
    builds.server.route("/b0.xml", hang(builds.server))
    first = builds.start(BLOGROLL_TOTAL_TIMEOUT="4")
    deadline = time.monotonic() + 20
    while builds.server.hits("/b0.xml") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the first build should still be waiting on its slow feed"
    second = builds.start()
    out, err = second.communicate(timeout=60)
    assert second.returncode != 0
    assert "une autre exécution utilise déjà" in " ".join((out + err).split()), out + err
    assert first.poll() is None, "the second build waited for the first instead of stopping"
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, out + err
    assert listed_links(builds.output) == {e[3] for e in builds.expected()}
    assert builds.entries() == builds.expected()
    builds.serve(POSTS)
    builds.build()  # and once the first is done, the next one runs
