"""The generated adversary of issue #20: synthetic identities, the person field that declares
each, the place it reappears and the spelling it reappears in, written as feeds.

Everything here is invented for this project: first names from a pool of rare ones, surnames
either ordinary French words (« Boulanger »-style: a word of the language that is also a
surname), or built from syllables, so no generated identity is a real person's.

The oracle is ours, not the pipeline's: `fold` is at least as aggressive as any folding the
pipeline may use (NFKC, casefold, every default-ignorable and invisible code point dropped,
marks stripped, Unicode's confusables (UTS #39) mapped to the Latin letter they are read as,
then every other script transliterated by Unidecode), and `squeeze` drops every separator.
A case leaks when one of its needles is found in the folded text of an output file, an output
path, the store's bytes or the build log:

- every surname part of 4 letters or more, as a substring of the separator-free text (so
  « drboulanger », « boulanger75 » and « b.o.u.l.a.n.g.e.r » are caught);
- every shorter part (« Vo ») as a whole folded word, and the glued forms it was written in
  (« drvo », « vo75 ») as substrings.

The first name alone is not a needle (« Aurèle » alone identifies nobody); glued to a surname
it is caught through the surname.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache
from importlib import resources
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from unidecode import unidecode

# --- sizes: « anonymity-quick » in `make test`, « anonymity-fuzz » in `make fuzz-anonymity` ----

# No shrinking: an example is a real build or two; the failure message lists every case.
_COMMON = {"deadline": None, "database": None, "phases": (Phase.explicit, Phase.generate),
               "suppress_health_check": list(HealthCheck)}
# A build test's example is a whole batch built twice (~20 s): one per family in `make test`.
# A pipeline test's example is one feed through parse_and_clean (milliseconds).
settings.register_profile("anonymity-quick", max_examples=1, derandomize=True, **_COMMON)
settings.register_profile("anonymity-fuzz", max_examples=12, **_COMMON)
settings.register_profile("anonymity-quick-pipeline", max_examples=300, derandomize=True, **_COMMON)
settings.register_profile("anonymity-fuzz-pipeline", max_examples=2000, **_COMMON)


def profile(kind: str = "build") -> settings:
    """HYPOTHESIS_PROFILE=anonymity-fuzz picks the long run; anything else the quick one.
    `kind`: « build » (real builds) or « pipeline » (parse_and_clean alone)."""
    size = "anonymity-fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "anonymity-fuzz" else "anonymity-quick"
    return settings.get_profile(size if kind == "build" else f"{size}-pipeline")


# --- the oracle's folding ------------------------------------------------------------------

# Default-ignorable code points (Unicode DerivedCoreProperties) and fillers that render as
# nothing, beyond category Cf: variation selectors, the combining grapheme joiner, Hangul
# fillers, Mongolian variation selectors, the Khmer inherent vowels.
_INVISIBLE_RANGES = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
                     (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0000, 0xE0FFF), (0x1BCA0, 0x1BCA3))


def invisible(c: str) -> bool:
    code = ord(c)
    return unicodedata.category(c) in ("Cf", "Mn", "Me", "Mc") or any(a <= code <= b for a, b in _INVISIBLE_RANGES)


@lru_cache(maxsize=1)
def _confusables() -> dict[str, str]:
    """Non-ASCII character -> the ASCII letter or digit UTS #39 says it looks like."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    out: dict[str, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            base = "".join(c for c in unicodedata.normalize("NFKD", glyph.get("c", "")) if not invisible(c))
            if len(base) == 1 and base.isascii() and base.isalnum():
                out[char] = "i" if base == "l" and char.isupper() else base.lower()
                break
    return out


class _Table(dict):
    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c.isascii():
            out = c.lower()
        else:
            conf = _confusables()
            parts = []
            for n in unicodedata.normalize("NFKC", c):
                if invisible(n):
                    continue
                if n in conf:
                    parts.append(conf[n])
                    continue
                for d in unicodedata.normalize("NFKD", n.casefold()):
                    if not invisible(d):
                        parts.append(d if d.isascii() else (conf.get(d) or unidecode(d)))
            out = "".join(parts).lower()
        self[code] = out
        return out


_TABLE = _Table()


def fold(text: str) -> str:
    """NFKC, casefold, invisibles and marks gone, look-alikes mapped, other scripts
    transliterated to ASCII. Separators are kept."""
    return text.translate(_TABLE)


def squeeze(text: str) -> str:
    """fold(text) with everything but [a-z0-9] removed."""
    return re.sub(r"[^a-z0-9]+", "", fold(text))


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


# --- identities ----------------------------------------------------------------------------

FIRST_NAMES = ("Aurèle", "Clervie", "Ysolde", "Théobald", "Gwenvael", "Léandre", "Ombeline", "Eulalie", "Maëlys",
               "Anatole", "Perrine", "Ignace", "Solène", "Baptistin", "Domitille", "Corentine", "Ermengarde")
# Ordinary French words that are also surnames: the "not an ordinary word" rule must not spare them.
ORDINARY = ("Boulanger", "Marchand", "Maison", "Bonjour", "Fromage", "Meunier", "Chevalier", "Poirier", "Fontaine",
            "Charpentier", "Tonnelier", "Jardinier", "Lavande", "Sabotier", "Vigneron", "Cerisier", "Moulin",
            "Berger", "Rivière", "Forêt", "Lévêque", "Couturier", "Pêcheur", "Chaudron")
SHORT = ("Vo", "Ky", "Xu", "Zé", "Hô", "Ly")
SYLLABLES = ("quis", "tre", "bert", "gar", "ri", "vier", "por", "vin", "pou", "quen", "dou", "rakh", "val", "lade",
             "cor", "mier", "ar", "ro", "man", "zol", "brun", "fau", "gnac", "jou", "lor", "nou", "ouar", "ghe",
             "lec", "vraz", "kern", "plo", "uzan")
ACCENTED = ("ké", "pré", "sé", "vré", "mé", "hé", "lè", "rô", "çon", "nï", "dû")
TITLES = ("", "", "Dr", "Pr", "Docteur", "Mme")
KINDS = ("ordinary", "short", "long", "accented", "compound", "saint", "particle")


@dataclass(frozen=True)
class Identity:
    kind: str
    title: str
    first: str
    written: str                 # the surname as declared: « Le Trévennec », « Vallade-Cormier »
    parts: tuple[str, ...]       # what identifies: « Trévennec »; « Vallade », « Cormier »
    particle: str = ""           # « Le », « de », « N' »

    @property
    def full(self) -> str:
        return f"{self.first} {self.written}"

    @property
    def titled(self) -> str:
        return f"{self.title} {self.full}" if self.title else self.full

    @property
    def slug(self) -> str:
        """« aurele-le-trevennec »: how a URL or an e-mail writes the name."""
        return re.sub(r"[^a-z0-9]+", "-", unidecode(self.full).lower()).strip("-")

    def substring_needles(self) -> set[str]:
        return {squeeze(p) for p in self.parts if len(squeeze(p)) >= 4}

    def word_needles(self) -> set[str]:
        return {squeeze(p) for p in self.parts if len(squeeze(p)) < 4}


def _invented(draw, salt: int, syllables=SYLLABLES, lo: int = 2, hi: int = 4) -> str:
    """A surname made of syllables; `salt` (the case's rank in its batch) turns the first one,
    so even hypothesis's simplest draws give every case of a batch a surname of its own."""
    parts = draw(st.lists(st.sampled_from(syllables), min_size=lo, max_size=hi))
    n = len(syllables)
    parts = [syllables[(syllables.index(p) + salt * (5 + 2 * k) + 3 * k) % n] for k, p in enumerate(parts)]
    word = "".join(parts)
    if len(word) < 5:
        word += draw(st.sampled_from(("ec", "ou", "ard", "enne")))
    return word[0].upper() + word[1:]


def _pick(draw, pool: tuple[str, ...], salt: int) -> str:
    return pool[(draw(st.integers(0, len(pool) - 1)) + salt) % len(pool)]


@st.composite
def identities(draw, kind: str | None = None, salt: int = 0) -> Identity:
    kind = kind or draw(st.sampled_from(KINDS))
    first = _pick(draw, FIRST_NAMES, salt)
    title = draw(st.sampled_from(TITLES))
    particle = ""
    if kind == "ordinary":
        parts = (_pick(draw, ORDINARY, salt),)
        written = parts[0]
    elif kind == "short":
        parts = (_pick(draw, SHORT, salt),)
        written = parts[0]
    elif kind == "long":
        parts = (_invented(draw, salt, lo=3, hi=5),)
        written = parts[0]
    elif kind == "accented":
        parts = (_invented(draw, salt, SYLLABLES + ACCENTED * 3, lo=2, hi=4),)
        if parts[0] == unidecode(parts[0]):
            parts = (parts[0] + draw(st.sampled_from(("é", "ère", "ïs", "ôt"))),)
        written = parts[0]
    elif kind == "compound":
        a = _pick(draw, ORDINARY, salt + 7) if draw(st.booleans()) else _invented(draw, salt + 11)
        parts = (a, _invented(draw, salt))
        written = "-".join(parts)
    elif kind == "saint":
        parts = (_invented(draw, salt),)
        written = f"St-{parts[0]}"
    else:
        particle = draw(st.sampled_from(("Le", "de", "N'", "Du")))
        parts = (_invented(draw, salt),)
        written = f"{particle}{parts[0]}" if particle.endswith("'") else f"{particle} {parts[0]}"
    return Identity(kind, title, first, written, parts, particle)


# --- spelling families: how the name is written where it reappears ---------------------------

CYRILLIC = dict(zip("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ", strict=True))
GREEK = dict(zip("oABEHIKMNOPTXYZv", "οΑΒΕΗΙΚΜΝΟΡΤΧΥΖν", strict=True))
MARKS = ("\u200b", "\ufe0f", "\u034f", "\u00ad", "\u2060", "\u200d")

FAMILIES = ("verbatim", "case", "glued", "reversed", "initial", "particle", "half", "handle", "login-title",
            "email-digits", "email-spelled", "invisible", "script", "bare-domain", "split", "titled")
# What cuts a surname in the « split » family (« Var-denasse », « Vardé nasse », « Var.de.nasse »).
SPLITTERS = ("-", " ", ".", " - ", "\u2009", "/")
# Newer top-level domains a scrubber's list may lack.
NEW_TLDS = ("blog", "paris", "bzh", "online", "site", "sante", "care", "health", "doctor", "life", "xyz", "alsace")


def _ascii(text: str, sep: str = "") -> str:
    return re.sub(r"[^a-z0-9]+", sep, unidecode(text).lower()).strip(sep)


def _with_marks(draw, word: str) -> str:
    inner = max(1, len(word) - 1)
    spots = sorted(set(draw(st.lists(st.integers(1, inner), min_size=1, max_size=3))))
    out, last = [], 0
    for i in spots:
        out.append(word[last:i])
        out.append(draw(st.sampled_from(MARKS)))
        last = i
    return "".join(out) + word[last:]


def _in_script(draw, word: str) -> str:
    table = draw(st.sampled_from((CYRILLIC, GREEK)))
    out = "".join(table.get(c, c) for c in word)
    if out == word:  # nothing to swap in this script: the other one has « a », « e », « o »
        out = "".join(CYRILLIC.get(c, c) for c in word)
    return out


def spell(draw, ident: Identity, family: str) -> str:
    """The identity written in one spelling family (one draw among its forms)."""
    digits = str(draw(st.integers(2, 99)))
    sur, first = ident.written, ident.first
    if family == "verbatim":
        return ident.titled
    if family == "case":
        return draw(st.sampled_from((ident.titled.upper(), ident.full.lower(), f"{first} {sur.upper()}")))
    if family == "glued":
        glued = draw(st.sampled_from((first + sur, sur + first)))
        return re.sub(r"[\s'-]+", "", draw(st.sampled_from((glued, glued.lower()))))
    if family == "reversed":
        return draw(st.sampled_from((f"{sur.upper()} {first}", f"{sur} {first}", f"{sur}, {first}")))
    if family == "initial":
        return draw(st.sampled_from((f"{first[0]}. {sur}", f"{first[0]}{_ascii(sur)}", f"{sur} {first[0]}.")))
    if family == "particle":  # the particle or « St- » glued or dropped; else the surname alone
        if ident.particle or ident.kind == "saint":
            return draw(st.sampled_from((re.sub(r"[\s'-]+", "", sur), ident.parts[-1], f"{first} {ident.parts[-1]}")))
        return draw(st.sampled_from((sur, f"{first[0]} {sur}")))
    if family == "half":
        return draw(st.sampled_from(ident.parts))
    if family == "handle":
        return draw(st.sampled_from((f"@Dr{_ascii(sur).capitalize()}", f"{_ascii(sur)}{digits}",
                                     f"@{first[0].lower()}{_ascii(sur)}", f"@{_ascii(sur)}_{digits}")))
    if family == "login-title":
        return draw(st.sampled_from(("dr", "pr", "docteur"))) + _ascii(sur)
    if family == "email-digits":
        local = draw(st.sampled_from((f"{_ascii(first)}.{_ascii(sur)}{digits}", f"{_ascii(sur)}{digits}",
                                      f"{first[0].lower()}{_ascii(sur)}{digits}")))
        return f"{local}@{draw(st.sampled_from(('example.org', 'example.net', 'cabinet.example')))}"
    if family == "email-spelled":
        local = f"{_ascii(first)}.{_ascii(sur, '-')}"
        return draw(st.sampled_from((f"{local} @ example dot org", f"{local} -at- example -dot- org",
                                     f"{local} arobase example point org", f"{local} (at) example (dot) net",
                                     f"{local}@exa\u200bmple.org", f"{local} [at] example [point] fr")))
    if family == "bare-domain":  # a personal site written bare, on a newer TLD
        label = draw(st.sampled_from((f"{_ascii(first)}-{_ascii(sur, '-')}", f"{_ascii(first)}{_ascii(sur)}",
                                      f"dr{_ascii(sur)}", f"{_ascii(sur)}{digits}")))
        return f"{label}.{draw(st.sampled_from(NEW_TLDS))}"
    if family == "invisible":
        return f"{first} {_with_marks(draw, sur)}"
    if family == "script":
        return f"{first} {_in_script(draw, sur)}"
    if family == "split":  # the surname cut anywhere by separators, after the first name
        cuts = sorted(set(draw(st.lists(st.integers(1, max(1, len(sur) - 1)), min_size=1, max_size=2))))
        pieces = [sur[a:b] for a, b in zip([0, *cuts], [*cuts, len(sur)], strict=True)]
        return f"{first} " + draw(st.sampled_from(SPLITTERS)).join(p for p in pieces if p)
    if family == "titled":  # a doctor's title and the surname alone (« le blog du Dr Quistrebard »)
        return f"{draw(st.sampled_from(('Dr', 'Dr.', 'Docteure', 'Pr', 'DOCTEUR')))} {sur}"
    raise ValueError(family)


# --- fields that declare the identity --------------------------------------------------------

FIELDS = ("author", "dc:creator", "managingEditor", "webMaster", "itunes:author", "podcast:person", "atom:name",
          "atom:email", "atom:uri", "rel=author", "rel=me", "e-mail", "redirect")
ATOM_FIELDS = ("atom:name", "atom:email", "atom:uri", "rel=author", "rel=me")

# --- places where the name reappears --------------------------------------------------------

PLACES = ("title", "body", "tags", "link-path", "link-host", "body-link", "other-feed", "backfill", "archive",
          "channel-title", "channel-description", "generator", "itunes:summary", "image-url", "media:title",
          "next-url", "encoding-header", "redirect-scheme")
CHANNEL_PLACES = ("channel-title", "channel-description", "generator", "itunes:summary", "image-url")
ENTRY_PLACES = ("title", "body", "tags", "link-path", "media:title")
HISTORY_PLACES = ("other-feed", "backfill", "archive")
SERVER_PLACES = ("next-url", "encoding-header", "redirect-scheme")
SPELLINGS = tuple(f for f in FAMILIES if f not in ("email-digits", "email-spelled", "bare-domain"))
SCRUBBER = ("email-digits", "email-spelled", "bare-domain")

# The families of issue #20, each a test of its own (so that one can be marked as a known gap):
# (spelling families, declaring fields, places) the group's cases are drawn from.
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "spellings": (SPELLINGS, FIELDS, ENTRY_PLACES),
    "link-hosts": (SPELLINGS, FIELDS, ("link-host", "body-link")),
    "channel": (SPELLINGS, FIELDS, CHANNEL_PLACES + ("media:title",)),
    "history": (SPELLINGS, FIELDS, HISTORY_PLACES),
    "server": (SPELLINGS, FIELDS, SERVER_PLACES),
    "scrubber": (SCRUBBER, FIELDS, ("title", "body", "tags")),
}
# Groups whose cases are one feed read once: parse_and_clean alone can judge them.
SINGLE_FEED = ("spellings", "link-hosts", "channel", "scrubber")


def declared_form(draw, ident: Identity) -> str:
    """How a name field writes the identity: plainly, or in another script, or with marks."""
    how = draw(st.sampled_from(("plain", "plain", "plain", "script", "marks")))
    if how == "script":
        return f"{ident.title + ' ' if ident.title else ''}{ident.first} {_in_script(draw, ident.written)}"
    if how == "marks":
        return f"{ident.title + ' ' if ident.title else ''}{ident.first} {_with_marks(draw, ident.written)}"
    return ident.titled


@dataclass(frozen=True)
class Case:
    identity: Identity
    field: str
    place: str
    family: str
    text: str          # the identity as the place writes it
    declared: str      # the identity as the field writes it (name fields)
    host_style: int = 0

    @property
    def label(self) -> str:
        return f"{self.family} / {self.field} / {self.place} ({self.identity.kind})"

    def needles(self) -> tuple[set[str], set[str]]:
        """(substring needles of the separator-free text, whole-word needles)."""
        sub = self.identity.substring_needles()
        word = self.identity.word_needles()
        if word:  # a short surname: its glued spellings are needles too
            glued = squeeze(self.text)
            if len(glued) >= 4 and any(w in glued for w in word) and "@" not in self.text:
                sub.add(glued)
            sub |= {g for g in (squeeze(self.identity.first) + w for w in word) if len(g) >= 5}
        return sub, word


@st.composite
def cases(draw, family: str, field: str, place: str, kind: str, salt: int) -> Case:
    ident = draw(identities(kind, salt))
    if place == "other-feed" and kind == "ordinary" and family in ("half", "particle"):
        # An ordinary word alone in another blog (« un poirier ») names nobody there: that blog
        # must cut the name in every form that is one (with the first name, a title, a handle).
        family = "verbatim"
    return Case(ident, field, place, family, spell(draw, ident, family), declared_form(draw, ident),
                draw(st.integers(0, 2)))


@st.composite
def batches(draw, group: str | None = None) -> list[Case]:
    """One case per family, per field and per place of the group (every axis when None); along
    each list the other axes (and the identity's kind) turn from a drawn offset, so every batch,
    hypothesis's simplest included, covers every family, field, place and kind of the group,
    each time in other pairs."""
    families, fields, places = GROUPS[group] if group else (FAMILIES, FIELDS, PLACES)
    off = draw(st.tuples(*(st.integers(0, 99) for _ in range(4))))
    axes = [(families, 0), (fields, 1), (places, 2)]
    out: list[Case] = []
    for values, which in axes:
        for i, value in enumerate(values):
            n = len(out)
            pick = [families[(i + off[0]) % len(families)], fields[(i + off[1] + n) % len(fields)],
                    places[(i + off[2] + 2 * n) % len(places)]]
            pick[which] = value
            for attempt in range(6):  # a surname of its own in the batch
                case = draw(cases(*pick, kind=KINDS[(i + off[3] + n) % len(KINDS)], salt=n + 41 * attempt))
                if not any(collide(case, other) for other in out):
                    break
            out.append(case)
    return out


@st.composite
def single_cases(draw, group: str) -> Case:
    """One case of a group: any family, field, place and kind of it."""
    families, fields, places = GROUPS[group]
    return draw(cases(draw(st.sampled_from(families)), draw(st.sampled_from(fields)), draw(st.sampled_from(places)),
                      kind=draw(st.sampled_from(KINDS)), salt=draw(st.integers(0, 999))))


def collide(a: Case, b: Case) -> bool:
    """Could a needle of one case come from the other's identity?"""
    for x, y in ((a, b), (b, a)):
        sub, word = x.needles()
        text = y.identity.full + " " + y.text
        if any(n in squeeze(text) for n in sub) or word & words(text):
            return True
    return False


# --- feeds ----------------------------------------------------------------------------------

NEUTRAL = ("Une nuit de garde calme, trois entrées et un café froid.",
           "Réflexions sur la consultation du lundi matin.",
           "Le point sur les nouvelles recommandations de vaccination.")
BASE_DATE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass
class Item:
    title: str | None
    link: str
    guid: str
    date: datetime
    body: str
    tags: tuple[str, ...] = ()
    decl: str = ""                # raw XML of the item's person fields
    media_title: str | None = None


@dataclass
class Doc:
    atom: bool
    title: str
    site: str
    description: str
    items: list[Item]
    head: list[str] = field(default_factory=list)   # raw XML in the channel/feed head
    next_url: str | None = None

    def render(self) -> str:
        return _atom(self) if self.atom else _rss(self)


_NS = ('xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
       'xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:media="http://search.yahoo.com/mrss/" '
       'xmlns:atom="http://www.w3.org/2005/Atom"')


def _media(title: str | None) -> str:
    if title is None:
        return ""
    return (f'<media:content url="https://cdn.example/photo-1.jpg" medium="image">'
            f"<media:title>{escape(title)}</media:title></media:content>")


def _rss(d: Doc) -> str:
    items = []
    for it in d.items:
        title = f"<title>{escape(it.title)}</title>" if it.title is not None else ""
        tags = "".join(f"<category>{escape(t)}</category>" for t in it.tags)
        items.append(f"<item>{title}<link>{escape(it.link)}</link><guid isPermaLink=\"false\">{it.guid}</guid>"
                     f"<pubDate>{format_datetime(it.date)}</pubDate>{tags}"
                     f"<description><![CDATA[{it.body}]]></description>{it.decl}{_media(it.media_title)}</item>")
    nxt = f'<atom:link rel="next" href={quoteattr(d.next_url)}/>' if d.next_url else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" {_NS}><channel>'
            f"<title>{escape(d.title)}</title><link>{escape(d.site)}</link>"
            f"<description>{escape(d.description)}</description>{nxt}{''.join(d.head)}{''.join(items)}"
            "</channel></rss>\n")


def _atom(d: Doc) -> str:
    entries = []
    for it in d.items:
        title = f"<title>{escape(it.title)}</title>" if it.title is not None else ""
        tags = "".join(f"<category term={quoteattr(t)}/>" for t in it.tags)
        entries.append(f"<entry>{title}<link rel=\"alternate\" href={quoteattr(it.link)}/><id>{it.guid}</id>"
                       f"<updated>{it.date.isoformat()}</updated>{tags}"
                       f"<summary type=\"html\">{escape(it.body)}</summary>{it.decl}{_media(it.media_title)}</entry>")
    nxt = f'<link rel="next" href={quoteattr(d.next_url)}/>' if d.next_url else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" {_NS}>'
            f"<title>{escape(d.title)}</title><subtitle>{escape(d.description)}</subtitle>"
            f"<link rel=\"alternate\" href={quoteattr(d.site)}/><id>{escape(d.site)}</id>"
            f"<updated>{BASE_DATE.isoformat()}</updated>{nxt}{''.join(d.head)}{''.join(entries)}</feed>\n")


def declaration(case: Case) -> tuple[list[str], str]:
    """(channel-head XML, item XML) declaring the case's identity in its field."""
    ident, name, f = case.identity, case.declared, case.field
    local = ident.slug.replace("-", ".", 1)
    if f == "author":
        return [], f"<author>{escape(f'redaction@example.org ({name})')}</author>"
    if f == "dc:creator":
        return [], f"<dc:creator>{escape(name)}</dc:creator>"
    if f in ("managingEditor", "webMaster"):
        return [f"<{f}>{escape(f'contact@example.org ({name})')}</{f}>"], ""
    if f == "itunes:author":
        return [f"<itunes:author>{escape(name)}</itunes:author>"], ""
    if f == "podcast:person":
        return [], f'<podcast:person role="host">{escape(name)}</podcast:person>'
    if f == "atom:name":
        return [], f"<author><name>{escape(name)}</name></author>"
    if f == "atom:email":
        return [], f"<author><name>Rédaction</name><email>{local}@example.org</email></author>"
    if f == "atom:uri":
        return [], f"<author><name>Rédaction</name><uri>https://annuaire.example/auteur/{ident.slug}/</uri></author>"
    if f == "rel=author":
        return [f'<link rel="author" href="https://annuaire.example/equipe/{ident.slug}"/>'], ""
    if f == "rel=me":
        return [f'<link rel="me" href="https://social.example/@{ident.slug}"/>'], ""
    if f == "e-mail":
        return [], f"<author>{local}@example.org</author>"
    if f == "redirect":
        return [], ""
    raise ValueError(f)


def url_text(text: str) -> str:
    return quote(re.sub(r"\s+", "-", text.strip()), safe="@-._~")


def post_host(case: Case) -> str:
    first, sur = _ascii(case.identity.first), _ascii(case.identity.written)
    return (f"{first}-{_ascii(case.identity.written, '-')}.example", f"{first}{sur}.blogspot.example",
            f"{first}.{sur}.free.example")[case.host_style]
