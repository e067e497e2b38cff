"""Read an OPML blogroll (ours from /blogroll.opml, or any reader's export) into new entries.

OPML is hostile input like any feed: a document with a DTD anywhere is refused
by the parser itself (defusedxml, forbid_dtd), not by a search of its first
bytes, and nothing is fetched from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from ..core.errors import BlogrollError
from ..core.model import Registry
from ..core.text import squash
from ..registry import normalize_url, url_problems
from .append import NewEntry, unique_id
from .personlike import host_words_look_like_person, looks_like_person

_SPLIT = re.compile(r"\s*[,;/|]\s*")
_AUTHOR_IN_TEXT = re.compile(r"^(?P<title>.+?)\s+\((?P<author>[^()]+)\)$")


class OpmlError(BlogrollError):
    """The document is not an OPML blogroll we can read (or carries a DTD). French message."""


@dataclass(frozen=True)
class Outline:
    title: str
    text: str
    xml_url: str
    html_url: str
    categories: tuple[str, ...]
    groups: tuple[str, ...]
    language: str = ""


def parse_opml(data: bytes) -> list[Outline]:
    try:
        root = defused_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise OpmlError("document refusé : déclaration DTD (entités XML)")
    except ET.ParseError as exc:
        raise OpmlError(f"OPML illisible : {exc}")
    if root.tag != "opml":
        raise OpmlError(f"ce n'est pas un fichier OPML (élément racine <{root.tag}>)")
    body = root.find("body")
    if body is None:
        raise OpmlError("OPML sans élément <body>")
    out: list[Outline] = []

    def walk(node: ET.Element, groups: tuple[str, ...]) -> None:
        for o in node.findall("outline"):
            text = squash(o.get("text") or "")
            title = squash(o.get("title") or "")
            xml_url = (o.get("xmlUrl") or o.get("xmlurl") or "").strip()
            if xml_url:
                cats = tuple(c for c in _SPLIT.split(o.get("category") or "") if c)
                out.append(Outline(title, text, xml_url, (o.get("htmlUrl") or o.get("htmlurl") or "").strip(),
                                   cats, groups, (o.get("language") or "").strip()))
            walk(o, groups + ((title or text),) if not xml_url and (title or text) else groups)

    walk(body, ())
    return out


def split_title_author(o: Outline) -> tuple[str, str | None]:
    """Our export writes text="Title (Pseudonym)"; other readers put the title there."""
    m = _AUTHOR_IN_TEXT.match(o.text)
    if m and (not o.title or squash(m.group("title")) == o.title):
        return squash(m.group("title")), squash(m.group("author"))
    m = _AUTHOR_IN_TEXT.match(o.title or "")
    if m:  # « Title (Name) » in a foreign title: the part in parentheses is a person, maybe a real name
        return squash(m.group("title")), squash(m.group("author"))
    return o.title or o.text, None


def opml_owner_title(data: bytes) -> str:
    """The OPML's <head><title> (ours is the site's name: its « (Pseudonym) » can be trusted)."""
    try:
        head = ET.fromstring(data).find("head")
    except ET.ParseError:
        return ""
    node = head.find("title") if head is not None else None
    return squash(node.text or "") if node is not None else ""


Ask = Callable[[str, str], str | None]


def to_entries(outlines: list[Outline], reg: Registry, *, allow_private: bool = False,
               author_from_title: bool = False, default_specialties: list[str] | None = None,
               ask_author: Ask | None = None, ask_specialties: Ask | None = None,
               trusted_pseudonyms: bool = False,
               ) -> tuple[list[NewEntry], list[tuple[str, str]]]:
    """New entries for outlines not yet in the registry, and (outline, French reason) skipped."""
    taken_ids = {f.id for f in reg.feeds} | set(getattr(getattr(reg, "takedowns", None), "feeds", ()) or ())
    known = {normalize_url(f.feed): f.id for f in reg.feeds}
    entries: list[NewEntry] = []
    skipped: list[tuple[str, str]] = []
    for o in outlines:
        title, author = split_title_author(o)
        person_title = looks_like_person(title)
        if person_title:  # « Prénom Nom » as a blog's title: never a title nor an id
            host = urlsplit(o.html_url or o.xml_url).hostname or ""
            title = "" if host_words_look_like_person(host) else host
        label = title or "(titre à choisir : il ressemble à un nom de personne)"
        proposed = None
        if author and (not trusted_pseudonyms or looks_like_person(author)):
            # « Title (Name) » from another reader, or a person-looking name even in an OPML that
            # says it is ours: the name never becomes the pseudonym unasked.
            proposed, author = author, None
        norm = normalize_url(o.xml_url)
        if norm in known:
            skipped.append((label, f"déjà présent dans feeds.yaml (id « {known[norm]} »)"))
            continue
        errors, _ = url_problems(o.xml_url, allow_private=allow_private, what="xmlUrl")
        if errors:
            skipped.append((label, "; ".join(errors)))
            continue
        site = _site(o, allow_private)
        if not author and author_from_title and title and not person_title:
            author = title
        if not author and ask_author:
            author = ask_author(label + _proposal(proposed), o.xml_url)
        if not author:
            skipped.append((label, _why_no_pseudonym(proposed, person_title)))
            continue
        if not title:
            skipped.append((label, "le titre et l'adresse du blog ressemblent à un nom de personne : ajoutez-le "
                                   "avec make add --title TITRE"))
            continue
        specialties = _specialties(o, label, reg, default_specialties, ask_specialties)
        if not specialties:
            skipped.append((label, "aucune spécialité reconnue dans les catégories : précisez --specialties"))
            continue
        fid = unique_id(title or urlsplit(site).hostname or "blog", taken_ids)
        taken_ids.add(fid)
        known[norm] = fid
        entries.append(NewEntry(id=fid, title=title or fid, author=author, site=site, feed=o.xml_url,
                                specialties=specialties, lang=_lang(o)))
    return entries, skipped


def _proposal(proposed: str | None) -> str:
    """What the prompt says of the OPML's « (Name) »: echoed only when it looks like no person."""
    if not proposed:
        return ""
    if looks_like_person(proposed):
        return (" — l'OPML donne entre parenthèses ce qui ressemble à un nom de personne : il n'est pas repris ; "
                "tapez un pseudonyme public")
    return f" — l'OPML propose « {proposed} » : un pseudonyme public, jamais un nom réel ; retapez-le pour le confirmer"


def _why_no_pseudonym(proposed: str | None, person_title: bool) -> str:
    if proposed and looks_like_person(proposed):
        return ("pseudonyme laissé vide : le nom entre parenthèses ressemble à celui d'une personne, à confirmer "
                "avec --ask (tapez un pseudonyme public)")
    if proposed:
        return f"pseudonyme « {proposed} » tiré du titre, à confirmer (ce peut être un nom réel) : relancez avec --ask"
    if person_title:
        return "pseudonyme laissé vide : le titre ressemble à un nom de personne ; relancez avec --ask"
    return ("pseudonyme inconnu (l'OPML ne le dit pas) : relancez avec un terminal pour le saisir, "
            "ou --author-from-title")


def _site(o: Outline, allow_private: bool) -> str:
    """The blog's home page: its htmlUrl when usable, the root of its feed's host otherwise."""
    site = o.html_url
    if not site or url_problems(site, allow_private=allow_private, what="htmlUrl")[0]:
        p = urlsplit(o.xml_url)
        site = urlunsplit((p.scheme, p.netloc, "/", "", ""))
    return site


def _specialties(o: Outline, label: str, reg: Registry, default_specialties: list[str] | None,
                 ask_specialties: Ask | None) -> list[str]:
    """The outline's specialties: from its categories and groups, else the defaults given,
    else asked; [] when none of them says."""
    specialties = reg.vocabulary.match(o.categories + o.groups)
    if not specialties and default_specialties:
        specialties = list(default_specialties)
    if not specialties and ask_specialties:
        answer = ask_specialties(label, o.xml_url) or ""
        specialties = [s for s in _SPLIT.split(answer.strip()) if s]
    return specialties


def _lang(o: Outline) -> str | None:
    """The outline's language as a two-letter code, None when it has none that reads as one."""
    lang = o.language.split("-")[0].lower() if o.language else None
    return lang if lang and re.fullmatch(r"[a-z]{2}", lang) else None
