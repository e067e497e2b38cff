"""A loopback HTTP server with one canned answer per path (status, headers, body).

Answers can be changed between requests (`set`, `drop`), so a test can make
a feed fail then recover across successive builds. Every request is logged.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RouteServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                owner.requests.append(self.path)
                status, headers, body = owner.routes.get(
                    self.path, (404, {"Content-Type": "text/plain"}, b"introuvable"))
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

    def set(self, path: str, body: str | bytes, content_type: str = "application/rss+xml; charset=utf-8",
            status: int = 200, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, data)

    def redirect(self, path: str, target: str, status: int = 301) -> None:
        self.routes[path] = (status, {"Location": target}, b"")

    def drop(self, path: str) -> None:
        self.routes.pop(path, None)

    def __enter__(self) -> "RouteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
