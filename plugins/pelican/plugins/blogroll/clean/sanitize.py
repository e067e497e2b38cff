"""The one nh3 policy for feed markup that keeps tags, and its defaults.

The only other nh3 call, core/text.py's `html_to_text`, allows no tag at all: it extracts
the text, it does not decide which markup survives."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
    "i", "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "u", "ul",
}
# No `cite`: nh3 does not check its scheme (<blockquote cite="javascript:..."> passes).
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(markup: str) -> str:
    """Markup that may survive: no scripts, forms, iframes, SVG, style, on*, ping, srcset, images."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        # Raw-text and embedding elements go with their content: it is markup or junk, not prose.
        clean_content_tags={"script", "style", "svg", "math", "template", "textarea", "select", "noscript",
                            "iframe", "noembed", "noframes", "xmp", "plaintext", "object", "applet", "title"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
