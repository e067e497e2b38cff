"""The feeds' stylesheets: how a reader who opens an Atom feed in a browser sees a page.

Every Atom feed of the site names two stylesheets in processing instructions (which feed
readers ignore and Atom allows before the root element): `feeds/flux.xsl` (XSLT: the feed
becomes a French page explaining what a feed is, with its address to copy and its entries)
and `feeds/flux.css` (for browsers that no longer run XSLT, which all three engines are
removing: the raw feed, laid out and explained by CSS alone). A browser uses the first it
supports. The hrefs are relative to each feed (`../flux.xsl` from `feeds/specialites/`), so
they resolve whatever SITEURL is and under any URL prefix; a browser only applies a
stylesheet of the feed's own origin.
"""

from __future__ import annotations

import posixpath
import re

from .xmltext import attr

XSL_TYPE = "text/xsl"
CSS_TYPE = "text/css"
# The words feed.xsl holds in place of the site's values, each filled by `fill_xsl`.
PLACEHOLDERS = ("SITE_NAME", "HOME_URL", "SUBSCRIBE_URL", "JOIN_URL")
_PLACEHOLDER = re.compile("|".join(PLACEHOLDERS))


def relative(target: str, feed_path: str) -> str:
    """`target` (a path under SITEURL) as seen from the feed at `feed_path` (same root)."""
    return posixpath.relpath(target, posixpath.dirname(feed_path) or ".")


def stylesheets(feed_path: str, xsl_path: str, css_path: str) -> tuple[tuple[str, str], ...]:
    """The (type, href) pairs of the feed at `feed_path`: the XSLT first, the CSS fallback."""
    return ((XSL_TYPE, relative(xsl_path, feed_path)), (CSS_TYPE, relative(css_path, feed_path)))


def processing_instructions(sheets: tuple[tuple[str, str], ...]) -> str:
    """`<?xml-stylesheet type="…" href="…"?>` lines (W3C « Associating Style Sheets with XML
    documents »): pseudo-attribute values escaped as attribute values are."""
    return "".join(f'<?xml-stylesheet type="{attr(t)}" href="{attr(h)}"?>\n' for t, h in sheets)


def fill_xsl(template: str, *, site_name: str, home_url: str, subscribe_url: str, join_url: str) -> bytes:
    """feed.xsl with the site's values in place of its placeholders, each escaped for XML (they
    stand in attribute values and text)."""
    values = dict(zip(PLACEHOLDERS, (site_name, home_url, subscribe_url, join_url), strict=True))
    # One pass: a value holding a placeholder's word is not filled in turn.
    return _PLACEHOLDER.sub(lambda m: attr(values[m.group(0)]), template).encode("utf-8")
