"""The search page's script and styles, on any theme.

The search page needs a script (Pagefind's JS API, results built with DOM
methods) and, on a theme that does not style it, a few rules. Both ship in the
package (`static/search.js`, `static/search.css`). A theme that has its own
`js/search.js` among its static files (this site's links to the package's
copy) serves it from THEME_STATIC_DIR and styles the page itself; on any other
theme (Pelican's own `notmyidea`, a site's theme that knows nothing of the
blogroll) the build writes the package's two files beside the search page
(`recherche/search.js`, `recherche/search.css`, under the URL prefix) and the
page links them from its `content` block, the one block every theme has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import urls
from .writer import OutputWriter

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"
THEME_SCRIPT = "js/search.js"  # where a theme's own search script sits among its static files


@dataclass(frozen=True)
class SearchAssets:
    script: str  # URL path (under SITEURL) of the search script
    styles: str  # of its stylesheet; « » when the theme styles the page
    own: bool  # the package's copies, written by the build (linked from the page's content block)


def search_assets(theme: Path, static_paths: Iterable[str], static_dir: str, where: urls.UrlMap) -> SearchAssets:
    """The theme's script when one of its static folders (THEME_STATIC_PATHS) has js/search.js,
    else the package's script and styles under the URL map."""
    for rel in static_paths:
        if (Path(theme) / rel / THEME_SCRIPT).is_file():
            return SearchAssets(f"{static_dir}/{THEME_SCRIPT}", "", own=False)
    return SearchAssets(where.search_script, where.search_styles, own=True)


def write_own(writer: OutputWriter, assets: SearchAssets) -> None:
    """The package's script and styles, when the page links them."""
    if assets.own:
        writer.write(assets.script, (STATIC_DIR / "search.js").read_bytes())
        writer.write(assets.styles, (STATIC_DIR / "search.css").read_bytes())
