"""parse/identities.py: identities come only from fields that denote a person; person-looking
strings of the channel's own fields are suspects (for the detector), never identities.

Synthetic feeds, parsed for real (parse_feed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.identity import variants
from pelican.plugins.blogroll.core.personal import person_names, suspect_names
from pelican.plugins.blogroll.parse.feed import parse_feed

SYLLABLES = ["ka", "lo", "mi", "ru", "ve", "zan", "tor", "quel", "bra", "dou", "fen", "gri", "nac", "pel", "sou"]
surname = st.lists(st.sampled_from(SYLLABLES), min_size=3, max_size=4).map(lambda s: "".join(s).capitalize())
FIRST_NAMES = ["Bertille", "Mathurin", "Cyprienne", "Florimond", "Eudes", "Sixtine", "Ambroisine"]


def rss(channel: str = "", item: str = "", link: str = "https://sonde.example/2026/01/billet/") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">'
        f"<channel><title>Carnet de garde</title><link>https://sonde.example/</link>{channel}"
        f"<item><title>Un billet</title><link>{link}</link><description>Texte.</description>{item}</item>"
        "</channel></rss>").encode()


def declared(document: bytes):
    return variants(parse_feed(document).identities)


def test_eponyms_drugs_and_places_in_image_and_link_titles_are_no_identity():
    for title in ["Maladie de Parkinson", "Signe de Babinski", "Amoxicilline Acide Clavulanique",
                  "Syndrome de Gilles de la Tourette", "Hôpital Georges Pompidou"]:
        item = (f'<media:content url="https://sonde.example/img/ehlers-danlos.jpg" medium="image">'
                f"<media:title>{title}</media:title></media:content>"
                '<enclosure url="https://sonde.example/audio/clermont-ferrand.mp3" type="audio/mpeg" length="1"/>')
        assert not declared(rss(item=item)), title


def test_post_links_are_no_person_fields():
    for link in ["https://sonde.example/@pneumologue/nuit", "https://sonde.example/equipe/neonatologie/billet"]:
        assert not declared(rss(link=link)), link


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(FIRST_NAMES), surname)
def test_person_fields_are_identities(first, last):
    v = declared(rss(item=f"<dc:creator>{first} {last}</dc:creator>"))
    assert last.lower() in v.words


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(FIRST_NAMES), surname)
def test_channel_fields_give_suspects_not_identities(first, last):
    name = f"{first} {last}"
    channel = (f"<description>Le carnet de {name}</description><itunes:summary>Par {name}</itunes:summary>"
               f"<generator>{name}</generator>")
    parsed = parse_feed(rss(channel=channel))
    assert name in parsed.suspects
    assert not variants(parsed.identities)
    assert "suspects" not in repr(parsed)


def test_person_names_rejects_the_precision_set():
    for text in ["Maladie de Parkinson", "Signe de Babinski", "Rose des Vents", "Saint Jean De Luz", "Ehlers Danlos",
                 "Clermont Ferrand", "Mont De Marsan", "Lycée Victor Hugo", "Docteur Sonde"]:
        assert not person_names(text), text
    assert person_names("Portrait de Bertille Vautrelin") == ["Bertille Vautrelin"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(FIRST_NAMES), surname, st.sampled_from(("Dr", "Dr.", "docteure", "Pr", "DOCTEUR")),
       st.sampled_from(("title", "subtitle", "copyright", "image")))
def test_a_channel_names_someone_by_title_surname_first_or_in_small_letters(first, last, title, field):
    """Channel texts that name a person without the « Prénom Nom » shape: a doctor's title then
    the surname alone, the surname in capitals first, the whole name in small letters."""
    for text, name in ((f"Le blog du {title} {last}", last), (f"{last.upper()} {first} - carnet", last),
                       (f"{first.lower()} {last.lower()}", last.lower())):
        element = {"title": f"<title>{text}</title>", "subtitle": f"<description>{text}</description>",
                   "copyright": f"<copyright>© 2026 {text}</copyright>",
                   "image": f"<image><url>https://sonde.example/a.png</url><title>{text}</title>"
                            "<link>https://sonde.example/</link></image>"}[field]
        suspects = parse_feed(rss(channel=element).replace(b"<title>Carnet de garde</title>", b"", 1)
                              if field == "title" else rss(channel=element)).suspects
        assert any(squeeze_name(name) in squeeze_name(s) for s in suspects), (text, suspects)


def squeeze_name(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def test_suspect_names_keep_titles_before_ordinary_words_and_english_titles_out():
    for text in ["Le blog du Docteur Hibou", "Les notes du Dr Maison", "my cool website title", "Docteur Sonde",
                 "Carnet du Pr de la Garde", "Notes de Garde", "Mont-de-Marsan"]:
        assert not suspect_names(text), (text, suspect_names(text))


def test_a_posts_own_title_is_no_channel_suspect_but_any_media_title_is():
    item = "<title>Hommage à Bertille Vautrelin, chez le Dr Quistrebard</title>"
    document = rss(item=item).replace(b"<title>Un billet</title>", b"", 1)
    assert not parse_feed(document).suspects
    media = ('<m:content xmlns:m="http://search.yahoo.com/mrss/" url="https://sonde.example/a.jpg">'
             "<m:title>Portrait du Dr Quistrebard</m:title></m:content>")
    assert any("Quistrebard" in s for s in parse_feed(rss(item=media)).suspects)
