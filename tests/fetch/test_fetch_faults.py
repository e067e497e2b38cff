"""Fault matrix: one feed misbehaves, the run goes on and nothing stored is lost.

Each case runs the real pipeline (fetch -> parse -> clean -> store) twice
against a loopback server: a first run where both feeds are healthy, then a
run where the victim feed misbehaves while the witness feed publishes a new
post. Every case asserts the victim's outcome, that its archived entries are
exactly what they were, and that the witness's entries (old and new) are there.

The server listens on ::1 and the runs use the production SSRF guard, except
that the test policy lets ::1 play a public blog: redirects to 127.0.0.1,
169.254.169.254 or [::ffff:127.0.0.1] meet the real guard.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from conftest import SPECIALTIES, registry_yaml, rss
from faultserver import FaultServer, drip, endless, feed, gzip_bomb, gzipped, hang, redirect, respond
from pelican.plugins.blogroll import registry, update
from pelican.plugins.blogroll.core.model import Outcome
from pelican.plugins.blogroll.core.publicsafe import MOVED
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.fetch import FetchRequest, client, fetch_all
from pelican.plugins.blogroll.fetch.netguard import is_public_address
from pelican.plugins.blogroll.store import Store
from pelican.plugins.blogroll.update import plan as schedule
from pelican.plugins.blogroll.update import worker
from reliability import report as record

pytestmark = pytest.mark.slow

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def ipv6_loopback_is_public(ip) -> bool:
    return ip == ipaddress.ip_address("::1") or is_public_address(ip)


def posts(prefix: str, n: int, start: int = 0) -> list[dict]:
    return [{"title": f"{prefix} billet {i}", "guid": f"{prefix}-{i}", "link": f"https://{prefix}.example/{i}/",
             "date": email.utils.format_datetime(T0 - timedelta(days=30 - i)),
             "body": f"<p>Texte du billet {i} de {prefix}.</p>"} for i in range(start, start + n)]


class World:
    """Two feeds on one loopback server, a real store, and a clock the test moves."""

    def __init__(self, tmp_path, server: FaultServer, **settings):
        self.tmp = tmp_path
        self.server = server
        self.now = T0
        base = {"allow_private": False, "connect_timeout": 1.0, "total_timeout": 3.0, "max_bytes": 256 * 1024,
                    "parse_workers": 0, "poll_adaptive": False, "backfill_budget": 0}  # as conftest: every run fetches
        self.settings = Settings(**{**base, **settings})
        self.routes = {}
        self.serve("temoin", feed(rss(posts("temoin", 2)), etag='"t1"'))
        self.serve("cible", feed(rss(posts("cible", 3)), etag='"c1"'))
        self.feeds = tmp_path / "feeds.yaml"
        self.write_registry()
        self.store = Store(tmp_path / "state")

    def serve(self, name: str, behaviour) -> None:
        self.routes[name] = behaviour
        self.server.route(f"/{name}.xml", lambda h, n=name: self.routes[n](h))

    def write_registry(self, **cible_extra) -> None:
        self.feeds.write_text(registry_yaml([
            {"id": "temoin", "feed": f"{self.server.url}/temoin.xml"},
            {"id": "cible", "feed": f"{self.server.url}/cible.xml", **cible_extra},
        ]), "utf-8")
        self.registry = registry.load(self.feeds, SPECIALTIES, allow_private=True)

    def run(self, after: timedelta = timedelta(hours=1)):
        self.now += after
        return update.run(self.registry, self.store, self.settings, self.now)

    def archive(self, feed_id: str | None = None) -> list[tuple]:
        return sorted((e.feed_id, e.guid, e.title, e.link, e.excerpt, e.sort_date.isoformat())
                      for e in self.store.entries([feed_id] if feed_id else None))

    def health(self, feed_id: str = "cible"):
        return self.store.health(feed_id)


@pytest.fixture
def server(monkeypatch):
    """The feeds' server on ::1, which the SSRF guard is told to take for a public address (the
    guard itself stays on: a private address such as 127.0.0.1 is still refused)."""
    monkeypatch.setattr(client, "is_public_address", ipv6_loopback_is_public)
    with FaultServer("::1") as s:
        yield s


@pytest.fixture
def world(tmp_path, server):
    w = World(tmp_path, server)
    yield w
    w.store.close()


@pytest.fixture
def internal():
    """A loopback service the feeds must never reach (stands for anything private)."""
    with FaultServer("127.0.0.1") as s:
        s.route("/", respond(200, rss(posts("interne", 1))))
        s.route("/feed.xml", respond(200, rss(posts("interne", 1))))
        yield s


def _bomb_doc() -> str:
    decls = '<!ENTITY e0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 6))
    return f'<!DOCTYPE rss [{decls}]><rss version="2.0"><channel><title>&e5;</title></channel></rss>'


def _reset_mid_body(h):
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(rss(posts("cible", 1)).encode()[:200])
    h.wfile.flush()
    h.close_connection = True
    h.connection.shutdown(2)


def _closed_port() -> int:
    import socket

    s = socket.socket(socket.AF_INET6)
    s.bind(("::1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


GML = "<rss><channel><item><gml:pos>1 2</gml:pos></item></channel></rss>"
HTML = ('<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" '
        'href="https://cible.example/feed/"></head><body>Nouveau thème !</body></html>')

# name -> (behaviour factory(world, internal), expected error (regex), settings overrides)
FAULTS = {
    "never-answers": (lambda w, i: hang(w.server), r"délai|cessé de répondre", {"total_timeout": 1.5}),
    "drip-1-byte-per-second": (lambda w, i: drip(w.server, rss(posts("cible", 3)).encode(), 1.0),
                               r"^délai total dépassé \(2 s\)$", {"total_timeout": 2.0}),
    "oversize-declared": (lambda w, i: respond(200, "<!-- -->" * 40_000),
                          r"^réponse trop volumineuse", {}),
    "oversize-endless-stream": (lambda w, i: endless(w.server), r"^réponse trop volumineuse", {}),
    "gzip-bomb": (lambda w, i: gzip_bomb(64 * 1024 * 1024), r"^réponse trop volumineuse", {}),
    "corrupt-gzip": (lambda w, i: respond(200, b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"}),
                     r"^contenu compressé illisible$", {}),
    "unknown-content-encoding": (lambda w, i: respond(200, b"x", headers={"Content-Encoding": "br"}),
                                 r"^encodage de contenu non pris en charge$", {}),  # the server's value: log only
    "connection-reset-mid-body": (lambda w, i: _reset_mid_body, r"^réponse HTTP invalide", {}),
    "connection-refused": (lambda w, i: redirect(302, f"http://[::1]:{_closed_port()}/feed.xml"),
                           r"^connexion refusée", {}),
    "redirect-loop": (lambda w, i: redirect(302, "/cible.xml"), r"^trop de redirections \(plus de 5\)$", {}),
    "redirect-to-127.0.0.1": (lambda w, i: redirect(302, f"http://127.0.0.1:{i.port}/feed.xml"),
                              r"^adresse refusée : 127\.0\.0\.1", {}),
    "redirect-to-metadata-169.254.169.254": (lambda w, i: redirect(301, "http://169.254.169.254/latest/meta-data/"),
                                             r"^adresse refusée : 169\.254\.169\.254", {}),
    "redirect-to-[::ffff:127.0.0.1]": (lambda w, i: redirect(307, f"http://[::ffff:127.0.0.1]:{i.port}/feed.xml"),
                                       r"^adresse refusée : ::ffff:127\.0\.0\.1", {}),
    "redirect-to-decimal-2130706433": (lambda w, i: redirect(308, f"http://2130706433:{i.port}/feed.xml"),
                                       r"^adresse refusée : 127\.0\.0\.1", {}),
    "redirect-to-file-scheme": (lambda w, i: redirect(302, "file:///etc/passwd"), r"^schéma … refusé", {}),  # the Location's scheme is the server's: not quoted
    "redirect-without-location": (lambda w, i: respond(302, b""), r"sans adresse de destination", {}),
    "http-500": (lambda w, i: respond(500, "oups", "text/plain"), r"^erreur interne du serveur \(HTTP 500\)$", {}),
    "http-404": (lambda w, i: respond(404, "non", "text/plain"), r"^flux introuvable à cette adresse \(HTTP 404\)$",
                 {}),
    "http-403": (lambda w, i: respond(403, "non", "text/plain"), r"^accès interdit par le serveur \(HTTP 403\)$", {}),
    "http-401": (lambda w, i: respond(401, "non", "text/plain"), r"accès protégé par mot de passe", {}),
    "http-418": (lambda w, i: respond(418, "théière", "text/plain"), r"^le serveur a répondu HTTP 418$", {}),
    "empty-200": (lambda w, i: respond(200, b""), r"^réponse vide", {}),
    "html-instead-of-xml": (lambda w, i: respond(200, HTML, "text/html; charset=utf-8"),
                            r"^ce n'est pas un flux \(page HTML\) ; la page annonce des flux : voyez make try$",
                            {}),
    "malformed-xml": (lambda w, i: respond(200, b"<rss version='2.0'><channel><title>t</ti\x00\xff"),
                      r"^ce n'est pas un flux RSS ou Atom valide", {}),
    "not-xml-at-all": (lambda w, i: respond(200, b'{"items": []}', "application/json"),
                       r"^ce n'est pas un flux : aucun élément XML$", {}),
    "gml-pos-crash": (lambda w, i: respond(200, GML), r"erreur de l'analyseur : KeyError", {}),
    "entity-expansion": (lambda w, i: respond(200, _bomb_doc()), r"DTD interne", {}),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_fails_one_feed_and_loses_nothing(tmp_path, server, internal, fault):
    make, expected, overrides = FAULTS[fault]
    w = World(tmp_path, server, **overrides)
    try:
        first = w.run()
        assert first.failed == 0 and first.new_entries == 5
        before = w.archive()
        victim = w.archive("cible")
        assert len(victim) == 3

        w.serve("cible", make(w, internal))
        w.serve("temoin", feed(rss(posts("temoin", 3)), etag='"t2"'))
        started = time.monotonic()
        report = w.run()
        elapsed = time.monotonic() - started

        # The victim's outcome, with its reason for /etat/.
        h = w.health("cible")
        assert report.failed == 1 and set(report.errors) == {"cible"}
        assert h.last_error is not None and re.search(expected, h.last_error), h.last_error
        assert h.consecutive_failures == 1 and h.down_since == w.now and h.last_success == T0 + timedelta(hours=1)
        assert h.gone is False
        # Nothing lost: the victim's archive is untouched, the witness gained its new post.
        assert w.archive("cible") == victim
        assert len(w.archive("temoin")) == 3
        assert set(before) <= set(w.archive())
        assert len(w.archive()) == len(before) + 1
        assert report.new_entries == 1
        # Slow faults end at the total timeout, not at the server's pace.
        assert elapsed < w.settings.total_timeout + 3
        # Never reached: the private service behind the redirects.
        assert internal.hits() == 0
        record("fault", fault, h.last_error, lost=len(set(before) - set(w.archive())),
               kept=len(w.archive("cible")), seconds=round(elapsed, 2))
    finally:
        w.store.close()



def test_gzip_bomb_is_refused_in_bounded_memory(server):
    """64 MiB of zeros in ~64 KB of gzip, against a 1 MiB cap."""
    url = server.route("/bomb.xml", gzip_bomb(64 * 1024 * 1024))
    settings = Settings(allow_private=True, max_bytes=1024 * 1024)
    tracemalloc.start()
    result = fetch_all([FetchRequest("bombe", url)], settings)[0]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.outcome is Outcome.ERROR and result.error == "réponse trop volumineuse (plus de 1 Mio)"
    assert peak < 8 * 1024 * 1024, peak


def test_gzip_body_within_the_cap_is_decompressed(server):
    body = rss(posts("gz", 2)).encode()
    url = server.route("/gz.xml", gzipped(body))
    result = fetch_all([FetchRequest("gz", url)], Settings(allow_private=True))[0]
    assert result.outcome is Outcome.OK and result.body == body


def test_cap_applies_after_decompression(server):
    """A 600 KB feed that compresses to a few KB is still over a 512 KiB cap."""
    body = rss(posts("gz", 1)).encode() + b"<!--" + b" " * 600_000 + b"-->"
    url = server.route("/gz.xml", gzipped(body))
    result = fetch_all([FetchRequest("gz", url)], Settings(allow_private=True, max_bytes=512 * 1024))[0]
    assert result.error == "réponse trop volumineuse (plus de 524288 octets)"


def test_exactly_five_redirects_are_followed_six_are_not(server):
    for i in range(6):
        server.route(f"/r{i}", redirect(302, f"/r{i + 1}"))
    server.route("/r6", feed(rss(posts("r", 1))))
    ok = fetch_all([FetchRequest("a", f"{server.url}/r1")], Settings(allow_private=True))[0]
    assert ok.outcome is Outcome.OK and ok.final_url == f"{server.url}/r6"
    too_many = fetch_all([FetchRequest("b", f"{server.url}/r0")], Settings(allow_private=True))[0]
    assert too_many.error == "trop de redirections (plus de 5)"


def test_connect_timeout_on_unroutable_listener(server):
    """A listener whose accept queue is full never completes the handshake: connect timeout."""
    import socket

    sock = socket.socket(socket.AF_INET6)
    sock.bind(("::1", 0))
    sock.listen(0)
    port = sock.getsockname()[1]
    fillers = []
    try:
        for _ in range(8):  # fill the backlog so further SYNs are dropped
            c = socket.socket(socket.AF_INET6)
            c.setblocking(False)
            c.connect_ex(("::1", port))
            fillers.append(c)
        started = time.monotonic()
        result = fetch_all([FetchRequest("x", f"http://[::1]:{port}/")],
                           Settings(allow_private=True, connect_timeout=0.5, total_timeout=5))[0]
        assert result.outcome is Outcome.ERROR
        assert result.error in ("délai de connexion dépassé (0.5 s)",
                                "le serveur a cessé de répondre (délai de lecture dépassé)"), result.error
        assert time.monotonic() - started < 4
    finally:
        for c in fillers:
            c.close()
        sock.close()


# --- HTTP semantics -----------------------------------------------------------------


def test_304_parses_nothing_and_rewrites_nothing(world, server):
    world.run()
    before = world.archive()
    server.requests.clear()
    report = world.run()
    assert report.not_modified == 2 and report.fetched == 0 and report.new_entries == report.updated_entries == 0
    assert all(r["headers"].get("If-None-Match") for r in server.requests)
    assert world.archive() == before
    assert world.health().last_success == world.now and world.health().last_error is None


def test_unchanged_body_without_validators_is_not_parsed_again(world, server):
    world.serve("cible", respond(200, rss(posts("cible", 3))))  # no ETag, no Last-Modified
    world.run()
    report = world.run()
    assert report.unchanged_body == 1 and report.fetched == 0


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_is_followed_and_recorded(world, server, status):
    world.run()
    old = world.archive("cible")
    server.route("/moved.xml", feed(rss(posts("cible", 4))))
    world.serve("cible", redirect(status, "/moved.xml"))
    report = world.run()
    h = world.health()
    assert report.failed == 0 and h.last_error is None
    # The target is the server's value: the log and `try` have it, the store only that it moved.
    assert h.permanent_url == MOVED
    assert set(old) < set(world.archive("cible")) and len(world.archive("cible")) == 4
    # Still recorded on the next run (so /etat/ keeps asking for the feeds.yaml update).
    world.run()
    assert world.health().permanent_url == MOVED


@pytest.mark.parametrize("status", [302, 303, 307])
def test_temporary_redirect_is_followed_and_not_recorded(world, server, status):
    world.run()
    server.route("/elsewhere.xml", feed(rss(posts("cible", 4))))
    world.serve("cible", redirect(status, "/elsewhere.xml"))
    world.run()
    h = world.health()
    assert h.last_error is None and h.permanent_url is None
    assert len(world.archive("cible")) == 4


def test_permanent_then_temporary_chain_is_not_recorded(world, server):
    server.route("/tmp.xml", redirect(302, "/final.xml"))
    server.route("/final.xml", feed(rss(posts("cible", 3))))
    world.serve("cible", redirect(301, "/tmp.xml"))
    world.run()
    assert world.health().permanent_url is None and world.health().last_error is None


def test_410_marks_gone_and_stops_fetching_until_the_entry_changes(world, server):
    world.run()
    kept = world.archive("cible")
    world.serve("cible", respond(410, "parti", "text/plain"))
    world.run()
    h = world.health()
    assert h.gone and h.last_error == "le flux a été supprimé (HTTP 410)"
    hits = server.hits("/cible.xml")
    for _ in range(3):
        report = world.run(timedelta(days=2))
        assert report.skipped == 1
    assert server.hits("/cible.xml") == hits
    assert world.archive("cible") == kept
    # The maintainer edits the entry in feeds.yaml: fetched again, and back to health.
    world.serve("cible", feed(rss(posts("cible", 3))))
    world.write_registry(title="Cible (nouvelle adresse)")
    world.run()
    assert server.hits("/cible.xml") == hits + 1
    h = world.health()
    assert not h.gone and h.last_error is None and h.consecutive_failures == 0


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_respected(world, server, status):
    world.run()
    world.serve("cible", respond(status, "attendez", "text/plain", headers={"Retry-After": "7200"}))
    world.run()
    h = world.health()
    assert h.next_attempt == world.now + timedelta(hours=2)
    assert h.last_error.endswith(f"(HTTP {status})")
    hits = server.hits("/cible.xml")
    world.serve("cible", feed(rss(posts("cible", 3))))
    assert world.run(timedelta(hours=1)).skipped == 1
    assert server.hits("/cible.xml") == hits
    world.run(timedelta(hours=1, minutes=1))
    assert server.hits("/cible.xml") == hits + 1 and world.health().last_error is None


def test_retry_after_http_date_and_its_bounds(world, server):
    world.run()
    at = world.now + timedelta(hours=1) + timedelta(hours=5)
    world.serve("cible", respond(503, "", "text/plain",
                                 headers={"Retry-After": email.utils.format_datetime(at, usegmt=True)}))
    world.run()
    assert world.health().next_attempt == at
    # A year is capped at a week; garbage is ignored (normal back-off).
    world.serve("cible", respond(429, "", "text/plain", headers={"Retry-After": "31536000"}))
    world.run(timedelta(hours=6))
    assert world.health().next_attempt == world.now + timedelta(days=7)
    world.write_registry(title="edited")  # lift the wait
    world.serve("cible", respond(429, "", "text/plain", headers={"Retry-After": "demain peut-être"}))
    world.run()
    h = world.health()
    assert h.consecutive_failures == 3 and h.next_attempt == world.now + schedule.backoff(3)


def test_repeated_failures_back_off_more_and_more(world, server):
    world.run()
    world.serve("cible", respond(500, "", "text/plain"))
    waits = []
    hits = server.hits("/cible.xml")
    for _ in range(5):
        # Jump to the next allowed attempt (or one hour later).
        h = world.health()
        step = (h.next_attempt - world.now) if h.next_attempt and h.next_attempt > world.now else timedelta(hours=1)
        world.run(step)
        h = world.health()
        waits.append((h.next_attempt - world.now) if h.next_attempt else timedelta(0))
    assert server.hits("/cible.xml") == hits + 5
    assert world.health().consecutive_failures == 5
    assert waits[0] == timedelta(0)
    assert waits[1] < waits[2] < waits[3] < waits[4] <= timedelta(hours=24)
    # Not fetched while waiting.
    assert world.run(timedelta(minutes=30)).skipped == 1
    assert server.hits("/cible.xml") == hits + 5
    assert len(world.archive("cible")) == 3


def test_every_fault_at_once_in_a_real_build_keeps_every_entry_published(site, tmp_path):
    """All the failing feeds of the matrix in one Pelican build: every archived post stays on the site."""
    names = ["hang", "drip", "big", "bomb", "loop", "e500", "html", "bad", "gml", "dtd", "gone", "slow"]
    with FaultServer("127.0.0.1") as srv:
        for n in names:
            srv.route(f"/{n}.xml", feed(rss(posts(n, 2))))
        site.write_registry([{"id": n, "feed": f"{srv.url}/{n}.xml"} for n in names])
        site.build()
        home_before = site.read("index.html")
        for n in names:
            assert f"{n} billet 1" in site.read(f"auteurs/pseudo-{n}/index.html")
        srv.route("/hang.xml", hang(srv))
        srv.route("/drip.xml", drip(srv, b"<rss/>" * 100, 1.0))
        srv.route("/big.xml", endless(srv))
        srv.route("/bomb.xml", gzip_bomb(32 * 1024 * 1024))
        srv.route("/loop.xml", redirect(302, "/loop.xml"))
        srv.route("/e500.xml", respond(500, "", "text/plain"))
        srv.route("/html.xml", respond(200, HTML, "text/html"))
        srv.route("/bad.xml", respond(200, b"<rss><channel><item><title>x</ti"))
        srv.route("/gml.xml", respond(200, GML))
        srv.route("/dtd.xml", respond(200, _bomb_doc()))
        srv.route("/gone.xml", respond(410, ""))
        srv.route("/slow.xml", respond(429, "", headers={"Retry-After": "3600"}))
        started = time.monotonic()
        site.build(BLOGROLL_TOTAL_TIMEOUT=2.0, BLOGROLL_CONNECT_TIMEOUT=1.0, BLOGROLL_MAX_BYTES=1024 * 1024)
        assert time.monotonic() - started < 20
    for n in names:
        page = site.read(f"auteurs/pseudo-{n}/index.html")
        assert f"{n} billet 0" in page and f"{n} billet 1" in page, n
    assert site.read("index.html") == home_before
    import json

    states = {f["id"]: f for f in json.loads(site.read("etat.json"))["feeds"]}
    assert all(states[n]["state"] in ("en-panne", "supprime") for n in names), states
    assert all(states[n]["entry_count"] == 2 for n in names)
    assert states["gone"]["state"] == "supprime", json.dumps(states["gone"])


def test_a_parse_worker_killed_by_the_system_costs_its_own_feed_only(tmp_path, monkeypatch):
    """A feed whose parsing gets its worker SIGKILLed (as the out-of-memory killer does): the run goes
    on, the other feeds are stored, the victim keeps its archive and gets a reason on /etat/.
    No real input is known to kill a worker, so the parse function is wrapped to do it on a marker."""
    import os
    import signal

    real = worker.parse_feed

    def parse_or_die(body, **kw):
        if b"<!-- tue-moi -->" in body:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(body, **kw)

    with FaultServer() as srv:
        names = [f"f{i}" for i in range(10)]
        for n in names:
            srv.route(f"/{n}.xml", respond(200, rss(posts(n, 2))))
        path = tmp_path / "feeds.yaml"
        path.write_text(registry_yaml([{"id": n, "feed": f"{srv.url}/{n}.xml"} for n in names]), "utf-8")
        reg = registry.load(path, SPECIALTIES, allow_private=True)
        settings = Settings(allow_private=True, parse_workers=2, poll_adaptive=False, backfill_budget=0)
        with Store(tmp_path / "state") as store:
            assert update.run(reg, store, settings, T0).new_entries == 20
            monkeypatch.setattr(worker, "parse_feed", parse_or_die)
            for n in names:
                srv.route(f"/{n}.xml", respond(200, rss(posts(n, 3))))
            srv.route("/f3.xml", respond(200, rss(posts("f3", 3)) + "<!-- tue-moi -->"))
            report = update.run(reg, store, settings, T0 + timedelta(hours=1))
            assert report.errors == {"f3": worker.WORKER_DIED}
            assert report.new_entries == 9
            assert len(store.entries(["f3"])) == 2
            assert all(len(store.entries([n])) == 3 for n in names if n != "f3")
            assert store.health("f3").last_error == worker.WORKER_DIED
