"""The demo site, built and served on loopback for a real browser.

Used by the browser tests (tests/e2e/test_browser.py) and tools/screenshots.py:
- `SiteServer` serves a folder on 127.0.0.1 (any free port) like a static
  host: index.html for folders, 404.html with status 404 otherwise.
- `build_demo` builds the demo registry (demo/feeds.yaml, feeds served on
  loopback by FeedServer) with Pelican in a subprocess, with SITEURL set to
  the server's origin so canonical URLs, the sitemap and robots.txt are real.
- `launch_chromium` starts Debian's chromium through Playwright (never a
  downloaded browser).
"""

from __future__ import annotations

import io
import mimetypes
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from feedserver import FeedServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-features=Translate,OptimizationHints,MediaRouter", "--no-default-browser-check",
]
DEMO_FEEDS_PORT = 8731  # the port written in demo/feeds.yaml

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("application/xml", ".opml")
mimetypes.add_type("application/atom+xml", ".atom.xml")


class SiteServer:
    """Static server of `root` on 127.0.0.1; records every path it serves."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.requests: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.root), **kwargs)

            def log_message(self, *args):
                pass

            def send_head(self):
                server.requests.append(self.path)
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if not path.is_file():
                    body = (server.root / "404.html").read_bytes() if (server.root / "404.html").is_file() else b""
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    return io.BytesIO(body)
                return super().send_head()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def build_demo(output: Path, state: Path, site_url: str) -> subprocess.CompletedProcess:
    """Build the demo site into `output` (feeds served on a free loopback port)."""
    registry_text = (ROOT / "demo" / "feeds.yaml").read_text("utf-8")
    with FeedServer(ROOT / "demo" / "feeds") as feeds:
        registry = state / "demo-feeds.yaml"
        state.mkdir(parents=True, exist_ok=True)
        registry.write_text(registry_text.replace(f"127.0.0.1:{DEMO_FEEDS_PORT}", f"127.0.0.1:{feeds.port}"),
                            "utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
        env.update(BLOGROLL_FEEDS=str(registry), BLOGROLL_STATE_DIR=str(state), BLOGROLL_ALLOW_PRIVATE="1",
                   BLOGROLL_PARSE_WORKERS="0")
        cmd = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(output), "-e", f'SITEURL="{site_url}"', "-q"]
        return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)


def chromium_missing() -> str | None:
    """Why the browser cannot run here, or None."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return "chromium is not installed (make browser-deps installs it, as root, from Debian)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (make venv installs the test extra)"
    return None


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium") or CHROMIUM, args=CHROMIUM_ARGS)
