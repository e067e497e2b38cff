"""The generated adversary (issue #20): a declared identity, in any spelling family, reappearing
anywhere a feed can carry it, reaches no output file, output path, store byte or log line.

Each hypothesis example is one batch of generated cases (adversary.batches: every spelling
family, every declaring field and every place at least once, the other axes drawn), each case
a blog of its own, all served on loopback and built by real Pelican with the plugin, twice
with one state folder (the second build is where a feed declares a name its archived entry
already carried). A case leaks when one of its needles (adversary.Case.needles), compared with
the oracle's own folding, is found in the evidence (harness.run_builds).

Sized by hypothesis profiles: « anonymity-quick » (derandomized, a few batches) in `make test`,
« anonymity-fuzz » when HYPOTHESIS_PROFILE=anonymity-fuzz (`make fuzz-anonymity`).
ANONYMITY_ADVERSARY_REPORT=path appends one JSON line per case (family, field, place, kind,
leaked) for the table of docs/anonymity.md.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from datetime import timedelta

import pytest
from adversary import (
    ATOM_FIELDS,
    BASE_DATE,
    NEUTRAL,
    Case,
    Doc,
    Identity,
    Item,
    batches,
    collide,
    declaration,
    post_host,
    profile,
    url_text,
)
from harness import Blog, Route, View, found, run_builds
from hypothesis import given

pytestmark = [pytest.mark.build, pytest.mark.slow]

# --- cases as blogs -------------------------------------------------------------------------

def _item(case: Case, fid: str, n: int, *, carries: bool, declares: bool, days: int = 0) -> Item:
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
    if place == "media:title":
        it.title, it.media_title = None, text.lower()
    return it


def _doc(case: Case, fid: str, items: list[Item], *, declares: bool, next_url: str | None = None) -> Doc:
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


def _routes(case: Case, fid: str, doc: Doc) -> dict[str, Route]:
    path = f"/{fid}/flux.xml"
    if case.field == "redirect":
        target = f"/par/{case.identity.slug}/flux.xml"
        return {path: Route(redirect_to=target), target: Route(doc.render(), doc.atom)}
    return {path: Route(doc.render(), doc.atom)}


def blogs_of(case: Case, fid: str) -> list[Blog]:
    """The blogs a case is made of: two builds each ({} where a blog is not yet listed)."""
    path = f"/{fid}/flux.xml"
    place = case.place
    if place == "archive":  # build 1: no declaration, the name in an entry; build 2: declared
        old = _doc(case, fid, [_item(case, fid, 1, carries=True, declares=False, days=40)], declares=False)
        new = _doc(case, fid, [_item(case, fid, 2, carries=False, declares=True)], declares=True)
        return [Blog(fid, path, [_routes(case, fid, old), _routes(case, fid, new)])]
    if place == "backfill":  # page 1 declares and links to page 2, which does not
        page2 = _doc(case, fid, [_item(case, fid, 1, carries=True, declares=False, days=30)], declares=False)
        first = _doc(case, fid, [_item(case, fid, 2, carries=False, declares=True)], declares=True,
                     next_url="/older/page-2.xml")
        routes = _routes(case, fid, first) | {"/older/page-2.xml": Route(page2.render(), page2.atom)}
        return [Blog(fid, path, [{}, routes], own_server=True)]
    if place == "other-feed":  # one blog declares, another (same build) writes the name
        decl = _doc(case, fid, [_item(case, fid, 1, carries=False, declares=True)], declares=True)
        other = Doc(False, f"Carnet {fid}b", f"https://{fid}b.example/", "Notes",
                    [_item(case, f"{fid}b", 1, carries=True, declares=False)])
        return [Blog(fid, path, [{}, _routes(case, fid, decl)]),
                Blog(f"{fid}b", f"/{fid}b/flux.xml", [{}, {f"/{fid}b/flux.xml": Route(other.render())}])]
    doc = _doc(case, fid, [_item(case, fid, 1, carries=place not in _CHANNEL_ONLY, declares=True)], declares=True)
    return [Blog(fid, path, [{}, _routes(case, fid, doc)])]


_CHANNEL_ONLY = ("channel-title", "channel-description", "generator", "itunes:summary", "image-url")


# --- the oracle -----------------------------------------------------------------------------

def neutral_blog() -> Blog:
    """A blog with no identity at all, listed in every build."""
    case = Case(Identity("long", "", "Neutre", "Neutre", ("Neutre",)), "dc:creator", "body", "verbatim", "", "")
    doc = _doc(case, "neutre", [_item(case, "neutre", n, carries=False, declares=False) for n in range(3)],
               declares=False)
    routes = {"/neutre/flux.xml": Route(doc.render())}
    return Blog("neutre", "/neutre/flux.xml", [routes, routes])


_CHROME: dict[str, View] = {}


def chrome(tmp_path_factory) -> dict[str, View]:
    """What a build of one neutral blog writes, file by file: a needle that file holds there
    too is the site's own word, not a leak. Built once per session."""
    if not _CHROME:
        ev = run_builds(tmp_path_factory.mktemp("chrome"), [neutral_blog()], builds=2)
        _CHROME.update({v.label: v for v in ev.views})
    return _CHROME


def _independent(batch: list[Case]) -> list[tuple[int, Case]]:
    """The cases of a batch whose needles no other case's identity holds."""
    return [(i, c) for i, c in enumerate(batch) if not any(collide(c, o) for j, o in enumerate(batch) if j != i)]


def _report(case: Case, batch: str, leaked: bool) -> None:
    path = os.environ.get("ANONYMITY_ADVERSARY_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"batch": batch, "text": case.text, "family": case.family, "field": case.field,
                                "place": case.place, "kind": case.identity.kind, "leaked": leaked}) + "\n")


_RUN = [0]


@given(batch=batches())
@profile()
def test_no_declared_identity_reaches_any_output_store_or_log(batch, tmp_path_factory):
    own = chrome(tmp_path_factory)
    kept = _independent(batch)
    key = hashlib.blake2b(repr(batch).encode(), digest_size=6).hexdigest()
    assert len(kept) >= len(batch) * 3 // 4, "the batch's identities collide too often"
    blogs = [neutral_blog()] + [b for i, case in kept for b in blogs_of(case, f"g{i:02d}")]
    _RUN[0] += 1
    ev = run_builds(tmp_path_factory.mktemp(f"adversary{_RUN[0]}"), blogs, builds=2)
    failures = []
    for i, case in kept:
        sub, word = case.needles()
        hits = found(ev.views, sub, word, own)
        _report(case, key, bool(hits))
        if hits:
            needle, label, context = hits[0]
            failures.append(f"g{i:02d} {case.label}: {case.text!r} declared {case.declared!r} "
                            f"-> {needle!r} in {label}: …{context}…")
    assert not failures, f"{len(failures)} of {len(kept)} cases leak:\n" + "\n".join(failures)
