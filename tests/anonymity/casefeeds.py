"""Generated cases (adversary.Case) written as blogs: the documents their servers answer, build
by build (harness.Blog), or one feed's bytes for parse_and_clean alone.

Every place of adversary.PLACES is written here: in an entry (title, body, tags, its link's
path or host, a link in its body, an avatar's media:title), in the channel (title,
description, generator, itunes:summary, image), across feeds and builds (another listed blog,
a backfilled page, an entry archived before the declaration) and in what a server sends (the
rel="next" address the walk keeps, a Content-Encoding header quoted by the error text, a
Location with an unknown scheme).
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

from adversary import (
    ATOM_FIELDS,
    BASE_DATE,
    CHANNEL_PLACES,
    NEUTRAL,
    Case,
    Doc,
    Identity,
    Item,
    collide,
    declaration,
    post_host,
    squeeze,
    url_text,
)
from harness import Blog, Route
from unidecode import unidecode


def item_of(case: Case, fid: str, n: int, *, carries: bool, declares: bool, days: int = 0) -> Item:
    """Entry n of the case's blog; `carries`: the name is written at the case's place."""
    text, place = case.text, case.place
    it = Item(title=f"Billet {n} du carnet {fid}", link=f"https://{fid}.example/2026/11/billet-{n}/",
              guid=f"urn:uuid:{fid}-{n}", date=BASE_DATE - timedelta(days=days), body=f"<p>{NEUTRAL[n % 3]}</p>",
              tags=("garde",))
    if declares:
        it.decl = declaration(case)[1]
    if not carries:
        return it
    if place in ("title", "backfill", "archive"):
        it.title = f"Garde de nuit avec {text}"
    if place in ("body", "other-feed", "backfill", "archive"):
        it.body = f"<p>{NEUTRAL[0]} Merci à {html.escape(text)} pour la relecture.</p>"
    if place == "tags":
        it.tags = ("garde", text)
    if place == "link-path":
        it.link = f"https://{fid}.example/2026/11/{url_text(text)}/"
    if place == "link-host":
        it.link = f"https://{post_host(case)}/2026/11/billet-{n}.html"
    if place == "body-link":
        it.body = (f'<p>{NEUTRAL[1]} La suite <a href="https://{post_host(case)}/notes/garde.html">sur cet autre '
                   "carnet</a>.</p>")
    if place == "media:title":
        it.title, it.media_title = None, text.lower()
    return it


def doc_of(case: Case, fid: str, items: list[Item], *, declares: bool, next_url: str | None = None) -> Doc:
    atom = case.field in ATOM_FIELDS
    d = Doc(atom, f"Carnet {fid}", f"https://{fid}.example/", "Notes de garde", items, next_url=next_url)
    text, place = case.text, case.place
    if declares:
        d.head += declaration(case)[0]
    if place == "channel-title":
        d.title = f"Le carnet de {text}"
    elif place == "channel-description":
        d.description = f"Les notes de {text}, médecin."
    elif place == "generator":
        d.head.append(f"<generator>{html.escape(text)}</generator>")
    elif place == "itunes:summary":
        d.head.append(f"<itunes:summary>Un carnet tenu par {html.escape(text)}</itunes:summary>")
    elif place == "image-url":
        url = f"https://cdn.example/avatars/{url_text(text)}.png"
        d.head.append(f"<logo>{html.escape(url)}</logo>" if atom else
                      f"<image><url>{html.escape(url)}</url><title>Carnet</title><link>https://{fid}.example/</link>"
                      "</image>")
    return d


def routes_of(case: Case, fid: str, doc: Doc) -> dict[str, Route]:
    path = f"/{fid}/flux.xml"
    if case.field == "redirect":
        target = f"/par/{case.identity.slug}/flux.xml"
        return {path: Route(redirect_to=target), target: Route(doc.render(), doc.atom)}
    return {path: Route(doc.render(), doc.atom)}


def header_words(case: Case) -> str:
    """The surname as a header value of ordinary-looking words (« boulanger cuisine »): what a
    filter of « our own words » may let through."""
    return " ".join(re.sub(r"[^a-z]+", " ", unidecode(p).lower()).strip() for p in case.identity.parts) + " cuisine"


def scheme_of(case: Case) -> str:
    """The name as a URL scheme (« drboulanger: »), letters only."""
    return "x" + (re.sub(r"[^a-z]+", "", squeeze(case.text)) or "nom")


def _server_blog(case: Case, fid: str, path: str) -> list[Blog]:
    place = case.place
    if place == "next-url":  # page 1 declares and sends the walk to an address holding the name
        nxt = f"/par/{url_text(case.text)}/page-2.xml"
        page2 = doc_of(case, fid, [item_of(case, fid, 1, carries=False, declares=False, days=30)], declares=False)
        first = doc_of(case, fid, [item_of(case, fid, 2, carries=False, declares=True)], declares=True,
                       next_url=nxt)
        routes = routes_of(case, fid, first) | {nxt: Route(page2.render(), page2.atom)}
        return [Blog(fid, path, [{}, routes], own_server=True)]
    doc = doc_of(case, fid, [item_of(case, fid, 1, carries=False, declares=True)], declares=True)
    if place == "encoding-header":
        route = Route(doc.render(), doc.atom, headers={"Content-Encoding": header_words(case)})
        return [Blog(fid, path, [{}, {path: route}])]
    # redirect-scheme: the registered address answers 302 to an unknown scheme
    return [Blog(fid, path, [{}, {path: Route(location=f"{scheme_of(case)}://{fid}.example/flux.xml")}])]


def blogs_of(case: Case, fid: str) -> list[Blog]:
    """The blogs a case is made of: two builds each ({} where a blog is not yet listed)."""
    path = f"/{fid}/flux.xml"
    place = case.place
    if place in ("next-url", "encoding-header", "redirect-scheme"):
        return _server_blog(case, fid, path)
    if place == "archive":  # build 1: no declaration, the name in an entry; build 2: declared
        old = doc_of(case, fid, [item_of(case, fid, 1, carries=True, declares=False, days=40)], declares=False)
        new = doc_of(case, fid, [item_of(case, fid, 2, carries=False, declares=True)], declares=True)
        return [Blog(fid, path, [routes_of(case, fid, old), routes_of(case, fid, new)])]
    if place == "backfill":  # page 1 declares and links to page 2, which does not
        page2 = doc_of(case, fid, [item_of(case, fid, 1, carries=True, declares=False, days=30)], declares=False)
        first = doc_of(case, fid, [item_of(case, fid, 2, carries=False, declares=True)], declares=True,
                       next_url="/older/page-2.xml")
        routes = routes_of(case, fid, first) | {"/older/page-2.xml": Route(page2.render(), page2.atom)}
        return [Blog(fid, path, [{}, routes], own_server=True)]
    if place == "other-feed":  # one blog declares, another (same build) writes the name
        decl = doc_of(case, fid, [item_of(case, fid, 1, carries=False, declares=True)], declares=True)
        other = Doc(False, f"Carnet {fid}b", f"https://{fid}b.example/", "Notes",
                    [item_of(case, f"{fid}b", 1, carries=True, declares=False)])
        return [Blog(fid, path, [{}, routes_of(case, fid, decl)]),
                Blog(f"{fid}b", f"/{fid}b/flux.xml", [{}, {f"/{fid}b/flux.xml": Route(other.render())}])]
    return [Blog(fid, path, [{}, routes_of(case, fid, single_doc(case, fid))])]


def single_doc(case: Case, fid: str) -> Doc:
    """The one document of a single-feed case (adversary.SINGLE_FEED groups)."""
    return doc_of(case, fid, [item_of(case, fid, 1, carries=case.place not in CHANNEL_PLACES, declares=True)],
                  declares=True)


def neutral_blog() -> Blog:
    """A blog with no identity at all, listed in every build."""
    case = Case(Identity("long", "", "Neutre", "Neutre", ("Neutre",)), "dc:creator", "body", "verbatim", "", "")
    doc = doc_of(case, "neutre", [item_of(case, "neutre", n, carries=False, declares=False) for n in range(3)],
                 declares=False)
    routes = {"/neutre/flux.xml": Route(doc.render())}
    return Blog("neutre", "/neutre/flux.xml", [routes, routes])


def independent(batch: list[Case]) -> list[tuple[int, Case]]:
    """The cases of a batch whose needles no other case's identity holds."""
    return [(i, c) for i, c in enumerate(batch) if not any(collide(c, o) for j, o in enumerate(batch) if j != i)]
