"""Loopback blogs whose feeds page through their history like the platforms do.

- "wordpress": RSS at /feed/, older pages at /feed/?paged=N, HTTP 404 past the last page;
- "blogger": Atom at /feeds/posts/default, older at ?start-index=N&max-results=M, an empty
  feed past the end (as Blogger answers);
- "rfc5005-paged": Atom at /atom.xml with <link rel="next"> to /atom.xml?page=N;
- "rfc5005-archive": Atom at /atom.xml with <link rel="prev-archive"> to /archive/N.xml;
- "endless": like "wordpress", but every page has 25 more posts and there is no last page.

Posts are synthetic (« Billet numéro 17 »), dated every 9 days back from 2025-06-01, and
carry an identity the clean stage must drop (a dc:creator / author name and an e-mail in
the body). Every request path is recorded.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit

from routeserver import LoopbackServer

NEWEST = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
STEP = timedelta(days=9)
IDENTITY = "Jeanne Exemple-Civil"
EMAIL = "jeanne.civil@example.org"
FEED_PATHS = {"wordpress": "/feed/", "endless": "/feed/", "blogger": "/feeds/posts/default",
              "rfc5005-paged": "/atom.xml", "rfc5005-archive": "/atom.xml"}


def post_date(i: int) -> datetime:
    return NEWEST - STEP * i


class PagingServer(LoopbackServer):
    def __init__(self, style: str, posts: int = 300, per_page: int = 25, *, dated: bool = True):
        super().__init__()
        self.style, self.posts, self.per_page, self.dated = style, posts, per_page, dated
        self.feed_url = self.url + FEED_PATHS[style]

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        status, ctype, body = self.page(path)
        return status, {"Content-Type": ctype}, body.encode("utf-8")

    # --- pages ---------------------------------------------------------------

    def page(self, path: str) -> tuple[int, str, str]:
        parts = urlsplit(path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        pages = -(-self.posts // self.per_page)
        if self.style in ("wordpress", "endless") and parts.path == "/feed/":
            n = int(q.get("paged", "1"))
            if self.style == "wordpress" and not 1 <= n <= pages:
                return 404, "text/html; charset=utf-8", "<html><body>Page introuvable</body></html>"
            start = (n - 1) * self.per_page
            last = start + self.per_page if self.style == "endless" else min(start + self.per_page, self.posts)
            return 200, "application/rss+xml; charset=utf-8", self.rss(range(start, last))
        if self.style == "blogger" and parts.path == "/feeds/posts/default":
            start = int(q.get("start-index", "1"))
            size = int(q.get("max-results", str(self.per_page)))
            return 200, "application/atom+xml; charset=utf-8", self.atom(
                range(start - 1, min(start - 1 + size, self.posts)), generator="Blogger")
        if self.style == "rfc5005-paged" and parts.path == "/atom.xml":
            n = int(q.get("page", "1"))
            start = (n - 1) * self.per_page
            link = f'<link rel="next" href="{self.url}/atom.xml?page={n + 1}"/>' if n < pages else ""
            return 200, "application/atom+xml; charset=utf-8", self.atom(
                range(start, min(start + self.per_page, self.posts)), links=link)
        if self.style == "rfc5005-archive" and (parts.path == "/atom.xml" or parts.path.startswith("/archive/")):
            # The subscription document holds the newest page; archive k holds page k+1.
            n = 1 if parts.path == "/atom.xml" else int(parts.path.rsplit("/", 1)[1].split(".")[0])
            start = (n - 1) * self.per_page
            link = (f'<link rel="prev-archive" href="{self.url}/archive/{n + 1}.xml"/>' if n < pages else "")
            return 200, "application/atom+xml; charset=utf-8", self.atom(
                range(start, min(start + self.per_page, self.posts)), links=link)
        return 404, "text/plain; charset=utf-8", "introuvable"

    def _body(self, i: int) -> str:
        return (f"<p>Récit de garde numéro {i} : une nuit aux urgences, un patient, une consultation.</p>"
                f"<p>Signé {IDENTITY}, écrivez à {EMAIL}.</p>")

    def rss(self, indices) -> str:
        items = []
        for i in indices:
            date = f"<pubDate>{format_datetime(post_date(i))}</pubDate>" if self.dated else ""
            items.append(f"<item><title>Billet numéro {i}</title><link>{self.url}/{i}/</link>"
                         f"<guid isPermaLink=\"false\">{self.style}-{i}</guid>{date}"
                         f"<dc:creator>{IDENTITY}</dc:creator><category>Urgences</category>"
                         f"<description><![CDATA[{self._body(i)}]]></description></item>")
        return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog paginé</title>'
                f'<link>{self.url}/</link><description>test</description>'
                '<generator>https://wordpress.org/?v=6.5</generator>' + "".join(items) + "</channel></rss>")

    def atom(self, indices, *, links: str = "", generator: str = "") -> str:
        entries = []
        for i in indices:
            when = post_date(i).isoformat()
            date = f"<published>{when}</published><updated>{when}</updated>" if self.dated else ""
            entries.append(f"<entry><id>tag:{self.style},{i}</id><title>Billet numéro {i}</title>{date}"
                           f'<link rel="alternate" type="text/html" href="{self.url}/{i}/"/>'
                           f"<author><name>{IDENTITY}</name><email>{EMAIL}</email></author>"
                           f'<category term="Urgences"/>'
                           f'<content type="html">{html.escape(self._body(i))}</content></entry>')
        gen = f"<generator>{generator}</generator>" if generator else ""
        return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                f'<title>Blog paginé</title><id>tag:{self.style}</id><updated>{NEWEST.isoformat()}</updated>'
                f'<link rel="alternate" type="text/html" href="{self.url}/"/>{gen}{links}'
                + "".join(entries) + "</feed>")
