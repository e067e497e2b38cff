"""`make demo`: build a populated site with no internet.

Serves the synthetic feeds of demo/feeds/ on 127.0.0.1 (or the feeds of DEMO_FEEDS, a folder,
for tests) while Pelican builds, with the demo registry and its own state folder. The port is
DEMO_PORT when set, else 8731, else (8731 taken) any free one. The feeds' addresses name the
port, and so do the pages: two demos give the same bytes on the same port, 8731 when it is free. Running it twice sends conditional requests the second time. Before the
build, `python -m pelican.plugins.blogroll backfill` walks the older pages of the one paged demo blog
(`carnets-d-antan`, WordPress-style `?paged=N`), as a maintainer does for a new blog.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from feedserver import FeedServer  # noqa: E402

DEFAULT_PORT = 8731
BACKFILLED = "carnets-d-antan"  # the demo blog whose history is walked (demo/feeds/*.paged-N.xml)


def serve(feeds: Path, port: int | None) -> FeedServer:
    """The demo's feed server: on `port` (DEMO_PORT) when given, else on 8731, else, when 8731
    is taken (another demo, another program), on a free port the system picks."""
    if port is not None:
        return FeedServer(feeds, port=port)
    try:
        return FeedServer(feeds, port=DEFAULT_PORT)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
    server = FeedServer(feeds, port=0)
    print(f"démo : le port {DEFAULT_PORT} est occupé, les flux sont servis sur le port {server.port} "
          "(DEMO_PORT=… pour en choisir un).", file=sys.stderr)
    return server


def main() -> int:
    asked = os.environ.get("DEMO_PORT")
    registry = ROOT / "demo" / "feeds.yaml"
    output = os.environ.get("OUTPUTDIR", "output")
    state = os.environ.get("STATE", ".state-demo")
    text = registry.read_text("utf-8")
    try:
        server = serve(Path(os.environ.get("DEMO_FEEDS") or ROOT / "demo" / "feeds"), int(asked) if asked else None)
    except OSError as exc:
        print(f"démo : impossible d'écouter sur 127.0.0.1:{asked or DEFAULT_PORT} ({exc}) ; "
              "choisissez un autre port avec DEMO_PORT=…", file=sys.stderr)
        return 2
    port = server.port
    with tempfile.TemporaryDirectory() as tmp, server:
        if port != DEFAULT_PORT:
            registry = Path(tmp) / "feeds.yaml"
            registry.write_text(text.replace(f"127.0.0.1:{DEFAULT_PORT}", f"127.0.0.1:{port}"), "utf-8")
        env = dict(os.environ, BLOGROLL_FEEDS=str(registry), BLOGROLL_STATE_DIR=state, BLOGROLL_ALLOW_PRIVATE="1")
        backfill = subprocess.run([sys.executable, "-m", "pelican.plugins.blogroll", "backfill", BACKFILLED],
                                  cwd=ROOT, env=dict(env, BLOGROLL_BACKFILL_DELAY="0"))
        if backfill.returncode != 0:
            return backfill.returncode
        cmd = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(ROOT / "pelicanconf.py"),
               "-o", output]
        result = subprocess.run(cmd, cwd=ROOT, env=env)
    conditional = sum(1 for r in server.requests
                      if "If-None-Match" in r["headers"] or "If-Modified-Since" in r["headers"])
    not_modified = sum(1 for r in server.requests if r.get("status") == 304)
    print(f"demo: served {len(server.requests)} requests on 127.0.0.1:{port} "
          f"({conditional} conditional, {not_modified} answered 304); site in {output}/")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
