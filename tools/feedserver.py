"""A static feed server for the demo, the tests and the benchmark (loopback only).

Serves files from a folder with real conditional-GET semantics (ETag and
Last-Modified, answering 304), and records every request it sees so tests can
assert on the headers the fetcher sent. Pages like WordPress: `name.xml?paged=N`
serves `name.paged-N.xml`, and 404 when there is no such file (past the last page).
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Server(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a fetcher opening 16 connections at
    # once would see SYNs dropped and retried after a second, which real servers never do.
    request_queue_size = 128


class FeedServer:
    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0, *,
                 etag: bool = True, last_modified: bool = True,
                 validators: Callable[[str], tuple[bool, bool]] | None = None, etag_cache: bool = False):
        self.root = Path(root)
        self.requests: list[dict] = []
        self.etag = etag
        self.last_modified = last_modified
        # Per-path override: rel path -> (send ETag, send Last-Modified).
        self.validators = validators or (lambda rel: (self.etag, self.last_modified))
        # Hash each file once per (mtime, size) instead of at every request: for the benchmark,
        # whose files never change twice within a clock tick (tests rewrite files that fast).
        self._etags: dict[tuple, str] | None = {} if etag_cache else None
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without TCP_NODELAY, Nagle's
            # algorithm and the client's delayed ACK add ~40 ms to every response.
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet
                pass

            def send_response(self, code, message=None):
                record = getattr(self, "record", None)
                if record is not None:
                    record["status"] = code
                super().send_response(code, message)

            def do_GET(self):
                self.record = {"path": self.path, "headers": dict(self.headers)}
                server.requests.append(self.record)
                rel, _, query = self.path.partition("?")
                rel = rel.lstrip("/")
                paged = dict(p.partition("=")[::2] for p in query.split("&")).get("paged", "")
                if paged.isdigit() and int(paged) > 1 and rel.endswith(".xml"):
                    rel = f"{rel[:-4]}.paged-{int(paged)}.xml"
                path = (server.root / rel).resolve()
                if server.root.resolve() not in path.parents or not path.is_file():
                    body = b"introuvable"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                st = path.stat()
                version = (str(path), st.st_mtime_ns, st.st_size)
                data = None
                tag = server._etags.get(version) if server._etags is not None else None
                if tag is None:
                    data = path.read_bytes()
                    tag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
                    if server._etags is not None:
                        server._etags[version] = tag
                modified = email.utils.formatdate(int(st.st_mtime), usegmt=True)
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                use_etag, use_modified = server.validators(rel)
                fresh = (use_etag and inm == tag) or (
                    not inm and use_modified and ims == modified)
                if fresh:
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if data is None:
                    data = path.read_bytes()
                self.send_response(200)
                ctype = "application/atom+xml" if b"<feed" in data[:500] else "application/rss+xml"
                if path.suffix in (".html", ".htm"):
                    ctype = "text/html"
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if use_etag:
                    self.send_header("ETag", tag)
                if use_modified:
                    self.send_header("Last-Modified", modified)
                self.end_headers()
                self.wfile.write(data)

        self.httpd = _Server((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
