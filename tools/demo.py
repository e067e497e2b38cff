"""`make demo`: build a populated site with no internet.

Serves the synthetic feeds of demo/feeds/ on 127.0.0.1 (port 8731, or
DEMO_PORT; or the feeds of DEMO_FEEDS, a folder, for tests) while Pelican builds, with the demo registry and its own state
folder. Running it twice sends conditional requests the second time. Before the
build, `python -m pelican.plugins.blogroll backfill` walks the older pages of the one paged demo blog
(`carnets-d-antan`, WordPress-style `?paged=N`), as a maintainer does for a new blog.
"""

from __future__ import annotations

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


def main() -> int:
    port = int(os.environ.get("DEMO_PORT", DEFAULT_PORT))
    registry = ROOT / "demo" / "feeds.yaml"
    output = os.environ.get("OUTPUTDIR", "output")
    state = os.environ.get("STATE", ".state-demo")
    text = registry.read_text("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        if port != DEFAULT_PORT:
            registry = Path(tmp) / "feeds.yaml"
            registry.write_text(text.replace(f"127.0.0.1:{DEFAULT_PORT}", f"127.0.0.1:{port}"), "utf-8")
        try:
            server = FeedServer(Path(os.environ.get("DEMO_FEEDS") or ROOT / "demo" / "feeds"), port=port)
        except OSError as exc:
            print(f"demo: cannot listen on 127.0.0.1:{port} ({exc}); set DEMO_PORT", file=sys.stderr)
            return 2
        with server:
            env = dict(os.environ, BLOGROLL_FEEDS=str(registry), BLOGROLL_STATE_DIR=state,
                       BLOGROLL_ALLOW_PRIVATE="1")
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
