"""The plugin's own templates: shipped in the package, overridable by the host's theme.

The plugin's pages are rendered from `blogroll/<name>.html`; a theme that has a
file of that name in its templates folder (or THEME_TEMPLATES_OVERRIDES) wins,
so a site restyles a page by copying it into its theme. The pages extend the
theme's `base.html` (blocks `title`, `head`, `content`, `scripts`).

Autoescape is switched on in the blogroll generator's environment only (each
Pelican generator has an environment of its own): the host's templates keep
the host's JINJA_ENVIRONMENT.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from ..formats.typography import french_html
from ..formats.xmltext import publishable

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


def plugin_environment(env: Environment) -> Environment:
    """`env` (the generator's own) with the plugin's templates behind the theme's, autoescaped."""
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES_DIR))]) if env.loader \
        else FileSystemLoader(str(TEMPLATES_DIR))
    # Feed text is hostile: every page of ours is autoescaped, whatever JINJA_ENVIRONMENT says.
    # Feed markup is never rendered, sanitized or not. Marked safe is our own markup only: the
    # activity charts (site/model/activity.py: numbers, every label escaped) and the cards
    # render.CardCache keeps (the autoescaped entry_card macro's own output). The theme's one
    # |safe is in Pelican's environment, for our Markdown pages (theme/templates/page.html).
    env.autoescape = True
    # What a template prints is cleared of the characters no page may hold (C0 and C1 controls,
    # lone surrogates, noncharacters: site/formats/xmltext.py) before it is escaped.
    env.finalize = publishable
    # Templates do not change during a build: no stat() of every template at every page.
    env.auto_reload = False
    # French spacing (U+202F before « ; : ! ? », inside guillemets): the renderer applies it to
    # every page it writes, whatever the theme. A theme that applies it to its whole page (this
    # site's base.html, for Pelican's own pages) finds the filter here, where it has nothing to do.
    env.filters["french_spacing"] = _spaced_by_the_renderer
    return env


def _spaced_by_the_renderer(html: str) -> str:
    return html


def french_spacing(html: str) -> Markup:
    """The `french_spacing` filter for Pelican's own pages (pelicanconf.py's JINJA_FILTERS):
    rendered markup in, the same markup with French spacing out."""
    return Markup(french_html(str(html)))
