"""The detector (clean/detect.py) and the withhold rule (clean/withhold.py), on generated names.

Names are generated from syllables (synthetic: no real person), in every shape the issue lists:
a first name and a surname, a two-letter surname, a compound surname, a particle, an ordinary
French word as surname, other scripts. Each is written in every spelling family (verbatim,
reversed, glued, handle with a title or digits, invisible marks inside, look-alike letters,
upper case, the link's host and path), and the detector must find it. A generated precision
corpus (eponyms, drugs, places, services, numbers, the blog's own words) must not be touched
by a name that is not in it.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.detect import Detector, Union, link_texts, remembered, shared, without
from pelican.plugins.blogroll.clean.entry import clean_entries, declared_variants
from pelican.plugins.blogroll.clean.withhold import (
    CHANNEL,
    DECLARED,
    NEUTRAL_TITLE,
    OTHER_FEED,
    checked,
    withheld_note,
)
from pelican.plugins.blogroll.core.identity import fold, squeeze, variants
from pelican.plugins.blogroll.core.model import CleanEntry, FeedConfig, ParsedEntry, Vocabulary
from pelican.plugins.blogroll.parse.feed import parse_feed

ONSETS = ("b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "cl", "gr", "tr", "qu")
VOWELS = ("a", "e", "i", "o", "u", "ou", "é", "è", "ai", "eu")
CODAS = ("", "", "", "n", "r", "l", "s", "c")
CYRILLIC = ("ка", "ро", "ми", "ла", "не", "то", "ва", "ду", "зи", "бо")
INVISIBLE = ("\u200b", "\ufe0f", "\u034f", "\u00ad", "\u2060", "\U000e0101")
LOOKALIKE = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р"}  # Cyrillic letters

syllable = st.builds(lambda o, v, c: o + v + c, st.sampled_from(ONSETS), st.sampled_from(VOWELS),
                     st.sampled_from(CODAS))
word = st.lists(syllable, min_size=2, max_size=4).map("".join).filter(lambda w: len(squeeze(w)) >= 5)
short = st.builds(lambda o, v: (o + v)[:2], st.sampled_from("bgkmntvw"), st.sampled_from("aeiou"))


def cap(w: str) -> str:
    return w[:1].upper() + w[1:]


@dataclasses.dataclass(frozen=True)
class Person:
    first: str
    last: str          # as written (may hold a particle, a hyphen)
    declared: str      # what the feed's author field says

    @property
    def parts(self) -> list[str]:
        return [p for p in self.last.replace("-", " ").split() if p.lower() not in ("le", "de", "du")]


@st.composite
def people(draw) -> Person:
    first = cap(draw(word))
    shape = draw(st.sampled_from(("plain", "short", "compound", "particle", "ordinary")))
    if shape == "short":
        last = cap(draw(short))
    elif shape == "compound":
        last = f"{cap(draw(word))}-{cap(draw(word))}"
    elif shape == "particle":
        last = f"Le {cap(draw(word))}"
    elif shape == "ordinary":
        last = draw(st.sampled_from(("Boulanger", "Marchand", "Sage", "Maison", "Bonjour", "Meunier")))
    else:
        last = cap(draw(word))
    title = draw(st.sampled_from(("", "Dr ", "Pr ", "Docteur ")))
    return Person(first, last, f"{title}{first} {last}")


def spellings(p: Person) -> list[str]:
    """The person's name written in every family: each must be found."""
    last, first = p.last, p.first
    surname = p.parts[-1]
    glued = "".join(p.parts)
    out = [
        f"Un billet de {first} {last} sur la garde.",
        f"Selon {last} {first}, tout va bien.",
        f"Merci au Dr {surname} pour son aide.",
        f"{first.upper()} {last.upper()}",
        f"Suivez @Dr{glued} et @{first[0].lower()}{glued.lower()}",
        f"contact : {glued.lower()}75",
        f"{first}{glued}",
        f"{last.replace(' ', '')} {first}",  # particle glued (« Letrévennec »)
        f"{first} {''.join(c + INVISIBLE[i % len(INVISIBLE)] for i, c in enumerate(surname))}",
        f"{first} {''.join(LOOKALIKE.get(c, c) for c in surname)}",
        f"{first} {fold(surname)}",  # accents dropped
    ]
    if "-" in last:
        out += [f"Madame {last.split('-')[0]} est là.", f"Le cabinet {last.split('-')[1]} ferme."]
    return out


def links(p: Person) -> list[str]:
    host = "-".join(fold(x) for x in [p.first, *p.parts])
    glued = "".join(fold(x) for x in [p.first, *p.parts])
    return [f"https://{host}.example/billet", f"https://{glued}.blogspot.example/2026/01/billet.html",
            f"https://{fold(p.first)}.{fold(p.parts[-1])}.free.example/", f"https://blog.example/2026/{host}-au-congres"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(people())
def test_every_spelling_of_a_declared_name_is_found(person):
    detect = Detector(variants([person.declared]))
    for text in spellings(person):
        assert detect.hits(text), text
    for url in links(person):
        assert any(detect.hits(t) for t in link_texts(url)), url


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(st.sampled_from(CYRILLIC), min_size=3, max_size=4).map("".join),
       st.lists(st.sampled_from(CYRILLIC), min_size=3, max_size=4).map("".join))
def test_a_name_declared_in_one_script_is_found_in_another(first, last):
    declared = f"{first.capitalize()} {last.capitalize()}"
    latin = fold(declared)
    assert Detector(variants([declared])).hits(f"Billet de {latin.title()} à la garde")
    assert Detector(variants([latin])).hits(f"Billet de {declared} à la garde")


PRECISION = (
    "La maladie de Parkinson et le signe de Babinski chez l'adulte",
    "Amoxicilline acide clavulanique : 1 g trois fois par jour",
    "Le syndrome d'Ehlers-Danlos expliqué aux patients",
    "De Clermont-Ferrand à Saint-Jean-de-Luz en passant par Marie-Galante",
    "La consultation douleur et l'équipe de néonatologie du CHU",
    "4 cours de pharmacologie, 40000 Français, 10 000 000 000 € de budget",
    "Le paracétamol, l'ibuprofène et la maladie d'Alzheimer",
    "Compte rendu de la garde de nuit aux urgences pédiatriques",
    "Le Vidal, la HAS et l'ANSM publient leurs recommandations 2026",
    "Les Carnets de Sonde Bleue : billet du dimanche",
)
FEED = FeedConfig(id="sonde", title="Les Carnets de Sonde Bleue", author="Sonde Bleue", site="https://sonde.example/",
                  feed="https://sonde.example/feed", specialties=())


def _apart(person: Person) -> bool:
    """The generated name shares no word with the precision corpus (a name that IS a word of
    a text is found there, by design)."""
    corpus = " ".join(PRECISION)
    forms = variants([person.declared])
    return not Detector(forms).hits(corpus)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(people().filter(lambda p: p.last not in ("Boulanger", "Marchand", "Sage", "Maison", "Bonjour", "Meunier")))
def test_the_precision_corpus_is_never_withheld_for_a_name_it_does_not_hold(person):
    detect = Detector(without(variants([person.declared]), (FEED.author, FEED.title)))
    assume(_apart(person))
    for text in PRECISION:
        assert not detect.hits(text), text


def test_the_blogs_own_pseudonym_and_title_never_count_as_a_name():
    declared = without(variants(["Sonde Bleue", "Dr Sonde Bleue"]), (FEED.author, FEED.title))
    assert not declared
    assert not Detector(declared).hits(PRECISION[-1])


def test_shared_forms_leave_out_ordinary_words_but_keep_short_surnames():
    v = variants(["Dr Gontravel Vo", "Amélie Boulanger"])
    common = shared(v)
    assert "vo" in v.words and "vo" in common.words  # short, and no French word: a name anywhere
    assert "boulanger" in v.words and "boulanger" not in common.words
    assert "gontravel" in common.words and "ameliboulanger" not in common.glued
    assert "amelieboulanger" in common.glued
    assert not {g for g in common.glued if len(g) - len("boulanger") <= 3 and "boulanger" in g} - {
        "drboulanger", "dreboulanger", "prboulanger"}  # after a title only
    other = Union({"b": common}).besides("a")
    assert not other.hits("Le boulanger a ouvert, chez la boulangère du coin")
    assert other.hits("Merci à Amélie Boulanger")
    assert other.hits("Merci au Dr Boulanger et à @DrVo") and other.hits("Merci à Vo")
    assert other.hits("Merci à G. Vo") and other.hits("A. Boulanger") and not other.hits("à la boulangerie")
    assert other.hits("Suivez @boulanger_75") and not other.hits("Le boulanger 75 ans") \
        and not other.hits("le boulanger_du_coin")


def test_an_elided_letter_is_no_initial_but_the_same_letter_before_a_period_or_hyphen_is():
    other = Union({"b": shared(variants(["Laure Orange"]))}).besides("a")
    assert not other.hits("Un jus d'orange, puis l’orange pressée, et Lʼorange amère")
    assert other.hits("Merci à L. Orange") and other.hits("https://blog.example/2026/11/l-orange/")


def test_a_word_of_another_script_is_read_by_its_look_as_well_as_its_sound():
    # « ку »: Cyrillic letters, read « ku » by sound and « ky » by look.
    assert Detector(variants(["perrine.ky@example.org"])).hits("perrine ку")


def test_an_initial_with_a_declared_surname_is_found_in_a_compound_link():
    detect = Detector(variants(["Docteur Ysolde Ky"]))
    assert any(detect.hits(t) for t in link_texts("https://blog.example/2026/11/y-ky/"))
    assert not any(detect.hits(t) for t in link_texts("https://blog.example/2026/11/p-ky/"))


def test_union_finds_only_what_another_feed_declares():
    union = Union({"a": shared(variants(["Gontravel Quistrebert"])), "b": shared(variants(["Palomir Vardenasse"]))})
    assert union.besides("b").hits("Un mot de Gontravel Quistrebert")
    assert not union.besides("a").hits("Un mot de Gontravel Quistrebert")
    assert union.besides("a").hits("vardenassepalomir")
    assert not union.besides("a").hits("Compte rendu de garde")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(people())
def test_hashed_memory_finds_what_the_clear_detector_finds(person):
    """The identity memory's check over keyed hashes (substrings of the remembered lengths)
    agrees with the clear detector on every spelling."""
    v = variants([person.declared])
    memory, clear = remembered(b"k" * 32, v), Detector(v)
    for text in [*spellings(person), *PRECISION]:
        assert memory.hits(text) == clear.hits(text), text


T = datetime(2026, 3, 1, tzinfo=UTC)


def entry(title: str, content: str, *, link: str = "https://sonde.example/2026/billet", tags=()) -> ParsedEntry:
    return ParsedEntry(guid=f"urn:{title}", link=link, title=title, content_html=f"<p>{content}</p>", published=T,
                       updated=None, tags=tuple(tags))


def published(e: CleanEntry) -> str:
    return fold(" ".join((e.title, e.excerpt, e.link, *e.tags)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(people())
def test_through_the_clean_stage_no_spelling_is_published(person):
    """Redactor then detector: whatever the redactor misses, the entry is withheld."""
    raws = [entry(f"Billet {i}", text, tags=(text[:40],)) for i, text in enumerate(spellings(person))]
    raws += [entry(f"Lien {i}", "Texte ordinaire.", link=url) for i, url in enumerate(links(person))]
    out = clean_entries(raws, FEED, Vocabulary({}), identities=(person.declared,))
    forms = variants([person.declared])
    for e in out:
        squeezed = squeeze(published(e))
        words = set(re.findall(r"[a-z0-9]+", published(e)))
        assert not (forms.glued & {g for g in forms.glued if g in squeezed}), e
        assert not (forms.words & words) or e.withheld, e


def test_a_withheld_entry_has_no_text_of_its_own():
    # A name of the channel's fields: the detector's only, so the redactor leaves it for it.
    raw = entry("Merci au Dr Vo", "Le Dr Vo a répondu.", tags=("Dr Vo",))
    [e] = clean_entries([raw], FEED, Vocabulary({}), suspects=("Dr Gontravel Vo",))
    assert e.withheld == CHANNEL
    assert (e.title, e.excerpt, e.tags, e.link, e.own_link) == (NEUTRAL_TITLE, "", (), "https://sonde.example/", False)
    assert e.published == T and e.filed_by == ()


def test_a_name_of_the_channel_withholds_and_is_never_redacted():
    raw = entry("Une réponse de Palomir Vardenasse", "Texte.")
    [e] = clean_entries([raw], FEED, Vocabulary({}), suspects=("Palomir Vardenasse",))
    assert e.withheld == CHANNEL and "vardenasse" not in published(e)


def test_precision_probes_stay_published():
    raws = [entry(f"Billet {i}", text, tags=("garde",)) for i, text in enumerate(PRECISION)]
    out = clean_entries(raws, FEED, Vocabulary({}), identities=("Dr Gontravel Quistrebert", "gq@quistrebert.example"))
    assert [e.withheld for e in out] == [""] * len(PRECISION)


def test_checked_keeps_a_clean_entry_and_never_unwithholds():
    [e] = clean_entries([entry("Garde", "Nuit calme.")], FEED, Vocabulary({}))
    other = Union({"b": shared(variants(["Palomir Vardenasse"]))}).besides("sonde")
    assert checked(e, FEED.site, "https://sonde.example/", [(other, OTHER_FEED)]) is e
    named = dataclasses.replace(e, title="Avec Palomir Vardenasse")
    held = checked(named, FEED.site, "https://sonde.example/", [(other, OTHER_FEED)])
    assert held.withheld == OTHER_FEED and held.title == NEUTRAL_TITLE
    assert checked(held, FEED.site, "https://sonde.example/", []) is held


def test_the_etat_note_is_our_own_words_and_counts():
    note = withheld_note({DECLARED: 2, OTHER_FEED: 1})
    assert note is not None and note.startswith("3 billet(s) retenu(s)")
    assert "un nom que le flux déclare" in note and "un autre blog" in note
    assert withheld_note({}) is None


ORDINARY_SURNAMES = ("Boulanger", "Marchand", "Sage", "Maison", "Bonjour", "Meunier")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.builds(Person, word.map(cap), st.sampled_from(ORDINARY_SURNAMES), st.just("")), st.sampled_from("acdjlmnst"))
def test_another_blogs_ordinary_word_surname_never_withholds_an_ordinary_sentence(person, letter):
    """A surname that is an ordinary word is cut from the blog that declared it; in the other
    blogs, only the whole name counts (no word alone, no initial or particle glued to it), or
    the word after a doctor's title or a declared first name's initial (« G. Boulanger »: not
    after a letter French elides, « l' », « d' », « j' »…, in any apostrophe, tested here)."""
    declared = dataclasses.replace(person, declared=f"{person.first} {person.last}").declared
    other = Union({"b": shared(variants([declared]))}).besides("a")
    word_ = person.last.lower()
    for text in (f"Le {word_} {letter}'{word_} dit bonjour", f"{letter.upper()}’{word_} de garde",
                 f"La {word_}, {letter}ʼ{word_} midi", *PRECISION):
        assert not other.hits(text), text
    assert other.hits(f"Rencontre avec {person.first} {person.last}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(word, word, st.sampled_from(("{}.example", "blog-{}.example", "{}.blogspot.example", "www.{}.example")))
def test_the_blogs_own_address_as_author_uri_names_nobody(label, other, host):
    """WordPress and Blogger give the blog's own address as the author's URI: its host label is
    the blog's public name, not a person's. Read as one, it would cut the blog's name from its
    own posts and withhold every other listed blog's post that mentions it."""
    label = fold(label)
    site = f"https://{host.format(label)}/"
    blog = FeedConfig(id="lien", title="Carnet de liens", author="Plume Verte", site=site, feed=site + "feed",
                      specialties=())
    atom = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Carnet</title>'
            f'<id>{site}</id><updated>2026-03-01T00:00:00Z</updated><author><name>Plume Verte</name><uri>{site}</uri>'
            f'</author><entry><title>Billet</title><id>{site}1</id><link href="{site}1"/>'
            f'<updated>2026-03-01T00:00:00Z</updated><content type="html">Texte</content></entry></feed>')
    parsed = parse_feed(atom.encode(), base_url=site)
    declared, _ = declared_variants(blog, parsed.identities)
    assert label not in declared.words and not any(label in g for g in declared.glued), declared
    # Another listed blog names it: published as it is.
    union = Union({"lien": shared(declared), "autre": shared(variants([f"{cap(other)} Vardenasse"]))})
    text = f"Lu chez {cap(label)} ({host.format(label)}) : un beau billet."
    assert not union.besides("autre").hits(text), text
    raw = entry("Lu ailleurs", text)
    (kept,) = clean_entries([raw], FEED, Vocabulary({}), identities=())
    assert not kept.withheld and fold(label) in fold(kept.excerpt)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(people().filter(lambda p: p.last not in ("Boulanger", "Marchand", "Sage", "Maison", "Bonjour", "Meunier")))
def test_a_name_declared_beside_an_address_that_holds_it_keeps_every_variant(person):
    """Only the address's own tokens are dropped: a registered address holding the declared name
    (the registry's mistake) never switches the name's other spellings off."""
    host = "-".join(fold(x) for x in [person.first, *person.parts]).replace(" ", "")
    site = f"https://{host}.example/"
    blog = dataclasses.replace(FEED, site=site, feed=site + "feed")
    declared, _ = declared_variants(blog, (person.declared, host))
    alone = without(variants([person.declared]), (FEED.author, FEED.title))
    assert alone.words <= declared.words and alone.glued <= declared.glued
    assert Detector(declared).hits(f"Un billet de {person.first} {person.last}.")


def test_a_capital_look_alike_written_small_reads_as_its_latin_capital():
    # « В » (Cyrillic) looks like « B »; written small, « в » is read « v » by sound only.
    assert Detector(variants(["Ysolde Bertalnou"])).hits("Merci à \u0432ertalnou")


def test_a_declared_compound_written_with_a_capital_look_alike_small_is_found():
    own = Detector(variants(["Ysolde Bonjour-Mierbrunpou"]))
    assert own.hits("ysolde \u0432\u043enj\u043eur-\u043ci\u0435rbrunr\u043eu".replace("r\u043eu", "p\u043eu"))
    assert not Detector(variants(["Ysolde Marsan"])).hits("Remplacement à Mont-de-Marsan")  # a part alone


def test_a_login_with_any_doctor_title_glued_is_found_in_the_memory_too():
    declared = variants(["ysolde.fauporar@example.org"])
    for check in (Detector(declared), remembered(b"k" * 16, declared)):
        for login in ("docteurfauporar", "drfauporar", "professeurfauporar", "@DocteureFauporar75"):
            assert check.hits(login), (check, login)
        assert not check.hits("Le docteur est de garde")


@settings(max_examples=80, deadline=None)
@given(st.data(), st.sampled_from(("-", " ", ".", " - ", "\u2009")))
def test_a_declared_name_cut_anywhere_by_a_separator_is_found_in_its_own_blog(data, sep):
    first, last = "Ysolde", "Vardenasse"
    cut = data.draw(st.integers(1, len(last) - 1))
    written = f"Merci à {last[:cut]}{sep}{last[cut:]} pour la relecture"
    declared = variants([f"{first} {last}"])
    for check in (Detector(declared), remembered(b"k" * 16, declared)):
        assert check.hits(written), (check, written)
        assert not check.hits("Merci à Vardene, à nasse")  # not from a token's start to a token's end


def test_a_declared_word_is_not_found_inside_another_word_of_its_own_blog():
    declared = variants(["Ysolde Robin"])
    for check in (Detector(declared), remembered(b"k" * 16, declared)):
        assert not check.hits("Le robinet fuit, la robinetterie aussi")
        assert check.hits("Le Dr Ro-bin") and check.hits("Rob in")


def test_another_blog_names_a_declared_ordinary_word_surname_in_a_handle_or_before_an_initial():
    other = Union({"b": shared(variants(["Louise Fromage", "Mathis Vigneron"]))}).besides("a")
    for named in ("Merci à la Docteure Fromage", "Merci au Professeur Vigneron", "Doctoresse Fromage",
                  "Suivez @lfromage", "Suivez @LFromage75", "Merci à @fromage", "Vigneron M. a dit",
                  "@louisefromage", "Merci à Lfromage", "fromagel75"):
        assert other.hits(named), named
    for ordinary in ("Le vigneron a dit", "le fromage", "Le vigneron m'a dit", "un fromage à pâte molle",
                     "La cave du vigneron", "l\u2019fromage"):
        assert not other.hits(ordinary), ordinary


def test_an_ordinary_word_surname_cut_by_a_separator_is_found_unless_every_piece_is_a_word():
    declared = variants(["Ermengarde Fontaine", "Ysolde Maison", "Anatole Chaudron"])
    for check in (Detector(declared), remembered(b"k" * 16, declared)):
        for cut in ("Fo\u2009ntaine", "Chaud ron", "Font.a.ine", "Mai/s/on"):
            assert check.hits(f"Merci à {cut}"), (check, cut)
        for prose in ("mais on va", "Il fait chaud, on rentre", "mais, on verra"):
            assert not check.hits(prose), (check, prose)


def test_a_title_joins_a_declared_surname_in_a_link():
    assert Detector(variants(["Docteure Méçonkéval"])).hits("https://blog.example/docteure-meconkeval/")


def test_words_side_by_side_are_prose_but_hyphenated_they_are_a_declared_name():
    declared = variants(["Ysolde Dubois", "Anatole Legrand", "Domitille Bonjour"])
    for check in (Detector(declared), remembered(b"k" * 16, declared)):
        for prose in ("Un feu de bois du bois sec", "le grand jour", "un bon jour de garde"):
            assert not check.hits(prose), (check, prose)
        for named in ("Merci à Du-bois", "Merci à Bon-jour", "Merci à Le-grand"):
            assert check.hits(named), (check, named)


def test_the_memory_finds_a_surname_glued_to_an_initial_the_declared_forms_lack():
    # A redirect's slug declares the name without saying which part is the first name.
    declared = variants(["theobald-manlorouargnac-nouuzanfauzol"])
    assert remembered(b"k" * 16, declared).hits("Merci à Tmanlorouargnacnouuzanfauzol pour la relecture")


def test_another_blogs_full_name_is_cut_whole_not_left_as_an_ordinary_surname():
    from pelican.plugins.blogroll.clean.withhold import checked, cutter_of
    from pelican.plugins.blogroll.core.model import CleanEntry
    union = Union({"a": shared(variants(["Clervie Chevalier"]))}, {"a": variants(["Clervie Chevalier"])})
    e = CleanEntry(feed_id="b", guid="g", link="https://b.example/1", title="Merci à Clervie Chevalier", excerpt="",
                   published=None, tags=(), specialties=(), content_hash="h", own_link=True)
    out = checked(e, "https://b.example/", "https://b.example/", [(union.besides("b"), "other-feed")],
                  lambda: cutter_of(union.others("b")))
    assert out.title == "Merci à" and not out.withheld
