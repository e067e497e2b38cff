"""`make screenshots`: the demo home page at 375 and 1280 px, for the README.

Builds the demo site into a scratch folder, serves it on loopback and takes
the first screen of the home page with Debian's chromium (see
tools/browsersite.py). Writes docs/screenshots/home-375.png and home-1280.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browsersite import ROOT, SiteServer, build_demo, chromium_missing, launch_chromium  # noqa: E402

SHOTS = {375: 812, 1280: 800}  # width -> height of the first screen


def main() -> int:
    reason = chromium_missing()
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    target = ROOT / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        out.mkdir()
        with SiteServer(out) as server:
            result = build_demo(out, Path(tmp) / "state", server.origin)
            if result.returncode != 0:
                print(result.stdout + result.stderr, file=sys.stderr)
                return result.returncode
            with sync_playwright() as p:
                browser = launch_chromium(p)
                for width, height in SHOTS.items():
                    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="light")
                    page.goto(server.origin + "/")
                    path = target / f"home-{width}.png"
                    page.screenshot(path=str(path))
                    page.close()
                    print(f"screenshots: {path.relative_to(ROOT)}")
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
