"""The generated precision corpus (issue #20): legitimate text keeps every word.

Each hypothesis example is one batch of blogs, built once by real Pelican from loopback feeds.
Every blog declares a synthetic identity (adversary.identities, never colliding with the
corpus) in a person field, and its one entry carries a legitimate phrase — an eponym, a drug
or a combination, a place, a service or its mailbox, a number, the blog's own pseudonym or
title — in its title, body or tags, with a trap beside it: the same phrase capitalised as an
image's or a link's title, as a media file name, or the service written as the feed's
mailbox, its team page or its handle. Asserted:

- every keep word of every published entry is in that entry (its stored title, excerpt and
  tags, folded with the oracle's folding), and so is its link when it is the post's own;
- at least 90 % of the entries are published (their marker is on the site): withholding
  everything is no answer.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from adversary import BASE_DATE, Case, Doc, Identity, Item, declaration, identities, profile, squeeze, url_text
from harness import Blog, Route, run_builds
from hypothesis import given
from hypothesis import strategies as st
from unidecode import unidecode

pytestmark = [pytest.mark.build, pytest.mark.slow]

# (phrase, kind). Every phrase is legitimate text a medical blog writes; none is a person here.
EPONYMS = ("Maladie de Parkinson", "Signe de Babinski", "syndrome d'Ehlers-Danlos", "Maladie de Crohn",
           "Score de Glasgow", "Manœuvre de Heimlich", "Signe de Lasègue", "Syndrome de Guillain-Barré",
           "Test de Romberg", "Classification de Gleason")
DRUGS = ("Amoxicilline Acide Clavulanique", "Paracétamol Codéine", "Lévothyroxine Sodique", "Salbutamol",
         "Fluticasone Salmétérol", "Oméprazole", "Ibuprofène")
PLACES = ("Clermont-Ferrand", "Sainte-Marie", "Marie-Galante", "Saint-Étienne", "Aix-en-Provence",
          "Mont-de-Marsan", "Châlons-en-Champagne", "Pointe-à-Pitre")
SERVICES = ("consultation douleur", "néonatologie", "pneumologue", "soins palliatifs", "addictologie",
            "médecine interne")
# (« 12 rue des … » is not here: a street address is what the scrubber must cut.)
NUMBERS = ("4 cours de réanimation", ", 40000 Français", "10 000 000 000 €", "en 1998", "2026",
           "15 000 passages", "3 000 000 € de budget")
# Words of web addresses a server's redirect puts in a path (a 301 to /index.php/feed/).
WEB = ("l'index glycémique", "un feed-back des patients", "la page d'accueil du service")
TRAPS = ("image-title", "link-title", "media-file", "service-field", "none", "redirect-index")


@dataclass(frozen=True)
class Precise:
    phrase: str
    kind: str            # eponym, drug, place, service, number, own
    place: str           # title, body, tags
    trap: str
    identity: Identity
    field: str


@st.composite
def precise(draw, salt: int) -> Precise:
    kind = draw(st.sampled_from(("eponym", "drug", "place", "service", "number", "web", "own")))
    pool = {"eponym": EPONYMS, "drug": DRUGS, "place": PLACES, "service": SERVICES, "number": NUMBERS, "web": WEB,
            "own": ("",)}[kind]
    phrase = pool[(draw(st.integers(0, len(pool) - 1)) + salt) % len(pool)]
    special = {"service": "service-field", "web": "redirect-index"}.get(kind)
    trap = special if special and draw(st.booleans()) else draw(st.sampled_from(TRAPS[:3] + TRAPS[4:5]))
    field = draw(st.sampled_from(("dc:creator", "author", "itunes:author", "atom:name", "managingEditor")))
    return Precise(phrase, kind, draw(st.sampled_from(("title", "body", "tags"))), trap,
                   draw(identities(salt=salt + 3)), field)


def _identity_clear(p: Precise) -> bool:
    """The declared identity shares no word with the corpus (else cutting it is right)."""
    corpus = squeeze(" ".join(EPONYMS + DRUGS + PLACES + SERVICES + NUMBERS) + " carnet hibou plume")
    return not any(squeeze(part) in corpus for part in p.identity.parts) and \
        squeeze(p.identity.first) not in corpus


def _blog(p: Precise, n: int) -> tuple[Blog, str, str]:
    """(blog, the phrase it must keep, its link) for one precision case."""
    fid = f"k{n:02d}"
    pseudo, title = f"Docteur Hibou {n}", f"Les carnets du Hibou {n}"
    phrase = p.phrase or (pseudo if n % 2 else title)
    marker = f"Fiche numéro {n:03d}q"
    case = Case(p.identity, p.field, "body", "verbatim", "", p.identity.titled)
    link = f"https://{fid}.example/2026/11/fiche-{n}/"
    item = Item(title=marker, link=link, guid=f"urn:uuid:{fid}", date=BASE_DATE - timedelta(hours=n),
                body=f"<p>Une consultation ordinaire, rien à signaler ({html.escape(title)}).</p>", tags=("garde",))
    item.decl = declaration(case)[1]
    if p.place == "title":
        item.title = f"{marker} : {phrase}"
    elif p.place == "body":
        item.body += f"<p>Ce matin : {html.escape(phrase)}, comme chaque semaine.</p>"
    else:
        item.tags = ("garde", phrase)
    slug = url_text(p.phrase.lower()) or "fiche"
    capital = phrase[:1].upper() + phrase[1:]
    if p.trap == "image-title":
        item.body += f'<p><img src="https://{fid}.example/img/{slug}.jpg" title="{html.escape(capital)}" ' \
                     f'alt="{html.escape(capital)}"></p>'
    elif p.trap == "link-title":
        item.body += f'<p><a href="https://{fid}.example/fiches/{slug}/" title="{html.escape(capital)}">voir ' \
                     f"la fiche</a></p>"
    elif p.trap == "media-file":
        item.decl += f'<enclosure url="https://{fid}.example/media/{slug}.mp3" length="1000" type="audio/mpeg"/>'
    doc = Doc(p.field == "atom:name", title, f"https://{fid}.example/", "Notes de garde", [item])
    doc.head += declaration(case)[0]
    if p.trap == "service-field":
        mailbox = re.sub(r"[^a-z]+", ".", unidecode(p.phrase).lower()).strip(".")
        doc.head.append(f"<webMaster>{mailbox}@chu.example</webMaster>" if not doc.atom else f'<link rel="author" href="https://chu.example/equipe/{mailbox}/"/>')
        doc.head.append(f'<atom:link rel="me" href="https://social.example/@{mailbox.replace(".", "")}"/>'
                        if not doc.atom else "")
    path = f"/{fid}/flux.xml"
    routes = {path: Route(doc.render(), doc.atom)}
    if p.trap == "redirect-index":  # the registered address answers 301 to /<fid>/index.php/feed/
        routes = {path: Route(redirect_to=f"/{fid}/index.php/feed/"), f"/{fid}/index.php/feed/": routes[path]}
    return Blog(fid, path, [routes], pseudonym=pseudo, title=title), phrase, link


_RUN = [0]


@given(batch=st.integers(0, 10 ** 6).flatmap(
    lambda seed: st.tuples(*(precise(salt=seed + i) for i in range(26)))))
@profile()
def test_legitimate_text_keeps_every_word_and_stays_published(batch, tmp_path_factory):
    cases = [p for p in batch if _identity_clear(p)]
    assert len(cases) >= 18
    made = [_blog(p, n) for n, p in enumerate(cases)]  # (blog, phrase, link)
    _RUN[0] += 1
    ev = run_builds(tmp_path_factory.mktemp(f"precision{_RUN[0]}"), [b for b, _, _ in made])
    public = "".join(v.squeezed for v in ev.views if v.label.startswith("output/"))
    rows = {r["feed_id"]: r for r in ev.entries()}
    published, cut = 0, []
    for n, (p, (blog, phrase, link)) in enumerate(zip(cases, made, strict=True)):
        if squeeze(f"Fiche numéro {n:03d}q") not in public:
            continue
        published += 1
        row = rows[blog.fid]
        text = row["title"] + " " + row["excerpt"] + " " + " ".join(json.loads(row["tags"]))
        if squeeze(phrase) not in squeeze(html.unescape(text)) or row["link"] != link:
            cut.append(f"{blog.fid} {p.kind}/{p.place}/{p.trap}/{p.field} {phrase!r}: "
                       f"{row['title']!r} | {row['excerpt'][:160]!r} | {row['tags']} | {row['link']}")
    assert published >= 0.9 * len(cases), f"only {published} of {len(cases)} entries published"
    assert not cut, f"{len(cut)} of {published} published entries lost words:\n" + "\n".join(cut)
