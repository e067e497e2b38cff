"""A loopback HTTP server that misbehaves on purpose, one behaviour per path.

Used by the fault-matrix, SSRF and durability tests. Every request is
recorded (path, headers) so a test can assert that a refused URL was never
requested. Behaviours are plain functions of the request handler, built by
the helpers below (respond, hang, drip, redirect, gzipped...).
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Behaviour = Callable[[BaseHTTPRequestHandler], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # The default backlog (5) drops SYNs when a run opens a dozen connections
    # at once, and the client's 1 s SYN retry then looks like a connect timeout.
    request_queue_size = 128


class _Server6(_Server):
    address_family = socket.AF_INET6


class FaultServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Behaviour] = {}
        self.requests: list[dict] = []
        self.closing = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle(self):
                # a client killed mid-request (the durability tests do that)
                with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                    super().handle()

            def do_GET(self):
                owner.requests.append({"path": self.path, "headers": dict(self.headers)})
                behaviour = owner.routes.get(self.path.split("?", 1)[0])
                if behaviour is None:
                    respond(404, b"introuvable", "text/plain")(self)
                else:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                        behaviour(self)

        cls = _Server6 if ":" in host else _Server
        self.httpd = cls((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.host = host
        self.url = f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def route(self, path: str, behaviour: Behaviour) -> str:
        self.routes[path] = behaviour
        return self.url + path

    def hits(self, path: str | None = None) -> int:
        return sum(1 for r in self.requests if path is None or r["path"].split("?", 1)[0] == path)

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


# --- behaviours -------------------------------------------------------------

def respond(status: int, body: bytes | str = b"", content_type: str = "application/rss+xml; charset=utf-8",
            headers: dict[str, str] | None = None) -> Behaviour:
    payload = body.encode("utf-8") if isinstance(body, str) else body

    def run(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        if content_type:
            h.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    return run


def feed(body: bytes | str, etag: str | None = None, **kw) -> Behaviour:
    """A 200 feed that honours If-None-Match when given an ETag."""
    ok = respond(200, body, headers={"ETag": etag} if etag else None, **kw)

    def run(h: BaseHTTPRequestHandler) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            respond(304, b"", content_type="")(h)
        else:
            ok(h)

    return run


def redirect(status: int, location: str) -> Behaviour:
    return respond(status, b"", content_type="text/plain", headers={"Location": location})


def gzipped(body: bytes, status: int = 200, content_type: str = "application/rss+xml") -> Behaviour:
    return respond(status, gzip.compress(body, 9), content_type, headers={"Content-Encoding": "gzip"})


def gzip_bomb(expanded_bytes: int) -> Behaviour:
    """A few KB of gzip that inflate to `expanded_bytes` of zeros."""
    comp = gzip.compress(b"\0" * expanded_bytes, 9)
    return respond(200, comp, "application/rss+xml", headers={"Content-Encoding": "gzip"})


def hang(owner: FaultServer) -> Behaviour:
    """Accept the connection, read the request, never answer."""

    def run(h: BaseHTTPRequestHandler) -> None:
        owner.closing.wait(60)

    return run


def drip(owner: FaultServer, body: bytes, interval: float = 1.0) -> Behaviour:
    """Send the response one byte every `interval` seconds (status line included)."""
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()

    def run(h: BaseHTTPRequestHandler) -> None:
        for i in range(len(head) + len(body)):
            if owner.closing.is_set():
                return
            byte = (head + body)[i:i + 1]
            h.wfile.write(byte)
            h.wfile.flush()
            time.sleep(interval)
        h.close_connection = True

    return run


def endless(owner: FaultServer, chunk: bytes = b"<!-- padding -->" * 4096) -> Behaviour:
    """A 200 without Content-Length whose body never ends (until the client hangs up)."""

    def run(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        while not owner.closing.is_set():
            h.wfile.write(chunk)
        h.close_connection = True

    return run
