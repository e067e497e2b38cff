"""Connections of the fetch stage: kept alive per host name, never shared between host
names, HTTP/2 where the server offers it. Real TLS servers on loopback, certificates from a
test CA (trustme)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import hypothesis
import pytest
import trustme
from faultserver import FaultServer, feed, redirect, respond
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.model import Outcome, Validators
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.fetch import FetchRequest, fetch_all

FEED = b'<rss version="2.0"><channel><title>t</title><item><title>x</title></item></channel></rss>'


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


class _Served:
    """A loopback test server in `httpd`, served from a thread while the `with` block runs."""

    def _serve(self, httpd: ThreadingHTTPServer) -> None:
        self.httpd = httpd
        self.port = httpd.server_address[1]
        self.thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class StrictVhostServer(_Served):
    """HTTPS on 127.0.0.1 for two names (localhost and the address itself) that answers 421,
    as shared hosting does, when a request's Host is not the name the connection's TLS
    handshake was for (SNI; none for an address). Logs (connection, SNI, Host) per request."""

    def __init__(self, ca: trustme.CA):
        self.log: list[tuple[int, str | None, str]] = []
        sni: dict[int, str | None] = {}
        owner = self
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("localhost", "127.0.0.1").configure_cert(ctx)

        def on_sni(sock, name, _ctx):
            sni[id(sock)] = name
        ctx.sni_callback = on_sni

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                name = sni.get(id(self.connection))
                host = self.headers.get("Host", "").rsplit(":", 1)[0]
                owner.log.append((id(self.connection), name, host))
                status, body = (200, FEED) if host == (name or "127.0.0.1") else (421, b"")
                self.send_response(status)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self):
                conn, addr = super().get_request()
                return ctx.wrap_socket(conn, server_side=True), addr

        self._serve(Server(("127.0.0.1", 0), Handler))


def test_a_connection_opened_for_one_host_name_never_serves_another(ca):
    """Both names are the same address: one pool keyed by the address would reuse the
    localhost connection for the other name (and get 421 here, another site elsewhere)."""
    with StrictVhostServer(ca) as server:
        urls = [f"https://localhost:{server.port}/a.xml", f"https://127.0.0.1:{server.port}/b.xml"] * 4
        results = fetch_all([FetchRequest(f"f{i}", u) for i, u in enumerate(urls)],
                            Settings(allow_private=True, concurrency=1), ssl_context=client_context(ca))
    assert [r.outcome for r in results] == [Outcome.OK] * 8, [(r.status, r.error) for r in results]
    hosts_per_connection: dict[int, set[str]] = {}
    for conn, _, host in server.log:
        hosts_per_connection.setdefault(conn, set()).add(host)
    assert all(len(hosts) == 1 for hosts in hosts_per_connection.values()), hosts_per_connection
    # And connections are kept alive: two names, eight requests, two connections.
    assert len(hosts_per_connection) == 2, hosts_per_connection


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_http2_is_spoken_where_the_server_offers_it(ca, tmp_path):
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    versions: list[str] = []
    clients: set[tuple] = set()  # (address, port): one per connection

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        versions.append(scope["http_version"])
        clients.add(tuple(scope["client"]))
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/rss+xml"), (b"etag", b'"v1"')]})
        await send({"type": "http.response.body", "body": FEED})

    pem = tmp_path / "server.pem"
    ca.issue_cert("localhost").private_key_and_cert_chain_pem.write_to_path(str(pem))
    config = Config()
    port = _free_port()
    config.bind = [f"127.0.0.1:{port}"]
    config.certfile = config.keyfile = str(pem)
    config.loglevel = "WARNING"
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    ready = threading.Event()

    async def main():
        async def trigger():
            await stop.wait()
        task = loop.create_task(serve(app, config, shutdown_trigger=trigger))  # type: ignore[arg-type]
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                await asyncio.sleep(0.02)
        ready.set()
        await task

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    try:
        assert ready.wait(10)
        urls = [f"https://localhost:{port}/{i}.xml" for i in range(5)]
        results = fetch_all([FetchRequest(f"f{i}", u) for i, u in enumerate(urls)],
                            Settings(allow_private=True), ssl_context=client_context(ca))
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
    assert [r.outcome for r in results] == [Outcome.OK] * 5, [(r.status, r.error) for r in results]
    assert results[0].etag == '"v1"' and results[0].body == FEED
    assert versions == ["2"] * 5, versions
    # Five feeds at once on one HTTP/2 connection: its streams are shared, as httpcore's pool did.
    assert len(clients) == 1, clients


class CountingServer(_Served):
    """Plain HTTP/1.1 on 127.0.0.1 with conditional GET (ETag), counting the connections it
    was opened, those still open and the requests it was handling at once. Paths starting with
    /close/ answer « Connection: close » and close their connection. `on_request` runs first
    in each request's thread."""

    def __init__(self, on_request=None):
        self.lock = threading.Lock()
        self.connections = self.open = 0
        self.in_flight = self.max_in_flight = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                with owner.lock:
                    owner.connections += 1
                    owner.open += 1

            def finish(self):
                with owner.lock:
                    owner.open -= 1
                super().finish()

            def do_GET(self):
                if on_request is not None:
                    on_request()
                # Held from arrival until just before the answer goes out: the client cannot
                # send its next request in that slot before the count goes down.
                with owner.lock:
                    owner.in_flight += 1
                    owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
                threading.Event().wait(0.005)  # let requests overlap
                with owner.lock:
                    owner.in_flight -= 1
                fresh = self.headers.get("If-None-Match") == '"v1"'
                self.send_response(304 if fresh else 200)
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", "0" if fresh else str(len(FEED)))
                if self.path.startswith("/close/"):
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if not fresh:
                    self.wfile.write(FEED)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 64

        self._serve(Server(("127.0.0.1", 0), Handler))


@hypothesis.settings(max_examples=12, deadline=None)  # a timing limit is no behaviour (a loaded machine)
@hypothesis.given(concurrency=st.integers(1, 5), closing=st.lists(st.booleans(), min_size=1, max_size=30))
def test_one_host_gets_at_most_concurrency_connections_kept_alive_across_runs(concurrency, closing):
    """Feeds of one host, some of whose answers close their connection: every request succeeds,
    the host never handles more than `concurrency` requests at once, and connections are kept
    alive: the first run opens at most `concurrency` plus one per closing answer, and so does the
    conditional second run (304s)."""
    with CountingServer() as server:
        urls = [f"http://127.0.0.1:{server.port}/{'close/' if c else ''}{i}.xml" for i, c in enumerate(closing)]
        settings = Settings(allow_private=True, concurrency=concurrency)
        first = fetch_all([FetchRequest(f"f{i}", u) for i, u in enumerate(urls)], settings)
        assert [r.outcome for r in first] == [Outcome.OK] * len(urls), [r.error for r in first]
        opened = server.connections
        assert opened <= concurrency + sum(closing)
        again = [FetchRequest(r.feed_id, r.url, Validators(r.url, r.etag)) for r in first]
        second = fetch_all(again, settings)
        assert [r.outcome for r in second] == [Outcome.NOT_MODIFIED] * len(urls), [r.error for r in second]
        assert server.connections - opened <= concurrency + sum(closing)
        assert server.max_in_flight <= concurrency


def _reset_mid_body(h) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "2000")  # under the test's cap: the body is read, and cut
    h.end_headers()
    h.wfile.write(FEED[:40])
    h.wfile.flush()
    h.close_connection = True
    with contextlib.suppress(OSError):  # the client may have closed first
        h.connection.shutdown(socket.SHUT_RDWR)


# What each feed's server does, and what its fetch must say (None: fetched).
BEHAVIOURS = {
    "ok": (lambda: feed(FEED, etag='"e"'), None),
    "closes": (lambda: respond(200, FEED, headers={"Connection": "close"}), None),
    "redirected": (lambda: redirect(302, "/ok.xml"), None),
    "reset-mid-body": (lambda: _reset_mid_body, "réponse HTTP invalide"),
    "oversize": (lambda: respond(200, b"<!-- -->" * 1000), "réponse trop volumineuse"),
    "http-500-with-body": (lambda: respond(500, b"oups " * 500, "text/plain"), "erreur interne du serveur"),
}


@hypothesis.settings(max_examples=25, deadline=None)  # a timing limit is no behaviour (a loaded machine)
@hypothesis.given(concurrency=st.integers(1, 4), kinds=st.lists(st.sampled_from(sorted(BEHAVIOURS)), min_size=1,
                                                                 max_size=16))
def test_a_broken_connection_fails_its_own_feed_only(concurrency, kinds):
    """Feeds of one host whose answers reset, overflow the cap or are left unread, mixed with
    healthy ones in any order: each broken feed fails with its own reason, every other feed is
    fetched (no request is sent on a connection another request left unusable)."""
    with FaultServer() as server:
        server.route("/ok.xml", feed(FEED, etag='"e"'))
        urls = [server.route(f"/{i}-{kind}.xml", BEHAVIOURS[kind][0]()) for i, kind in enumerate(kinds)]
        results = fetch_all([FetchRequest(f"f{i}", u) for i, u in enumerate(urls)],
                            Settings(allow_private=True, concurrency=concurrency, max_bytes=4096))
    for kind, result in zip(kinds, results, strict=True):
        reason = BEHAVIOURS[kind][1]
        if reason is None:
            assert result.outcome is Outcome.OK and result.body == FEED, (kind, result.error)
        else:
            assert result.outcome is Outcome.ERROR and result.error.startswith(reason), (kind, result.error)


def test_a_host_s_connections_close_once_the_run_needs_it_no_more():
    """A thousand blogs are a thousand hosts: a host's idle connections are closed when none of
    the run's requests is left for it, not all held open to the end of the fetch."""
    seen: list[int] = []

    def first_still_open():  # while the last host is asked: is the first one's socket closed?
        for _ in range(100):
            with first.lock:
                if first.open == 0:
                    break
            threading.Event().wait(0.02)
        seen.append(first.open)

    with CountingServer() as first, CountingServer() as a, CountingServer() as b, \
            CountingServer(on_request=first_still_open) as last:
        ports = [first.port] * 2 + [a.port] * 2 + [b.port] * 2 + [last.port]
        requests = [FetchRequest(f"f{i}", f"http://127.0.0.1:{port}/feed-{i}.xml") for i, port in enumerate(ports)]
        results = fetch_all(requests, Settings(allow_private=True, concurrency=2))
    assert [r.outcome for r in results] == [Outcome.OK] * len(ports)
    assert seen == [0]
