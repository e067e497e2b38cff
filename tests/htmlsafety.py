"""HTML safety checks shared by the sanitizer properties, the XSS build probes and the corpus run."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from jinja2 import Environment
from pelican.plugins.blogroll.clean.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS

# Attributes that hold a URL, in any element a browser knows.
URL_ATTRS = {"href", "src", "cite", "action", "formaction", "poster", "background", "data", "ping", "srcset",
             "xlink:href", "lowsrc", "dynsrc", "codebase"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


class Inspector(HTMLParser):
    """Every element and attribute of a page (duplicates kept), and its script and style bodies."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.attrs: list[tuple[str, str, str]] = []  # (tag, name, value), duplicate attributes too
        self.raw: list[tuple[str, str]] = []  # (tag, text) of script/style bodies
        self._in: str | None = None

    @property
    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def handle_starttag(self, tag, attrs):
        self.handle_startendtag(tag, attrs)
        if tag in ("script", "style"):
            self._in = tag

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self.attrs.extend((tag, k, v or "") for k, v in attrs)

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw.append((self._in, data))


def scheme(url: str) -> str | None:
    """The scheme a browser would see: entities decoded, controls and spaces dropped."""
    m = re.match(r"^([a-z][a-z0-9+.\-]*):", _CONTROL.sub("", html.unescape(url)).lower())
    return m.group(1) if m else None


def assert_safe_markup(out: str) -> None:
    """Sanitizer output: only allowed tags and attributes, no event handler, no unsafe URL scheme."""
    lowered = out.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<svg" not in lowered
    inspector = Inspector()
    inspector.feed(out)
    inspector.close()
    for tag in inspector.tags:
        assert tag in ALLOWED_TAGS, (tag, out)
    for tag, name, value in inspector.attrs:
        assert not name.startswith("on"), out
        assert name not in ("style", "ping", "srcset", "src", "action", "formaction"), out
        # nh3 keeps its harmless generic attributes (lang, title) on every tag.
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel", "lang", "title"}, out
        if name in URL_ATTRS:
            found = scheme(value)
            assert found is None or found in ALLOWED_SCHEMES, (value, out)


AUTOESCAPE = Environment(autoescape=True).from_string("<p>{{ text }}</p>")


def assert_inert_text(text: str) -> None:
    """Rendered the way the theme renders every text field: no element but our own <p>."""
    inspector = Inspector()
    inspector.feed(AUTOESCAPE.render(text=text))
    inspector.close()
    assert inspector.tags == ["p"] and inspector.attrs == [], text
