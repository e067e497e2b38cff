"""A loopback HTTP server with one canned answer per path (status, headers, body).

Answers can be changed between requests (`set`, `drop`), so a test can make
a feed fail then recover across successive builds. Every request is logged.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackServer:
    """A threaded HTTP server on a free loopback port that logs every request path and
    answers GETs with `answer(path)` -> (status, headers, body); a context manager."""

    def __init__(self, host: str = "127.0.0.1"):
        self.requests: list[str] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with owner.lock:
                    owner.requests.append(self.path)
                status, headers, body = owner.answer(self.path)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class RouteServer(LoopbackServer):
    def __init__(self, host: str = "127.0.0.1"):
        super().__init__(host)
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.routes.get(path, (404, {"Content-Type": "text/plain"}, b"introuvable"))

    def set(self, path: str, body: str | bytes, content_type: str = "application/rss+xml; charset=utf-8",
            status: int = 200, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, data)

    def redirect(self, path: str, target: str, status: int = 301) -> None:
        self.routes[path] = (status, {"Location": target}, b"")

    def drop(self, path: str) -> None:
        self.routes.pop(path, None)
