"""clean/classify.py reading real writing (issue 22): the post's text beyond its excerpt, figures of
speech read from their context (clean/figurative.py), the vocabulary reviewed by classes, and the
real-post evaluation kept outside the repository."""

from __future__ import annotations

from pathlib import Path

import yaml
from classify_report import REAL_FIXTURE, load_real_posts, main
from conftest import SPECIALTIES
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.classify import BODY_WORDS, HEAD_WORDS, filings
from pelican.plugins.blogroll.clean.entry import clean_entry
from pelican.plugins.blogroll.clean.figurative import FRAMES, figurative, prone
from pelican.plugins.blogroll.core.model import FeedConfig, ParsedEntry
from pelican.plugins.blogroll.registry.load import load_vocabulary

VOCAB = load_vocabulary(SPECIALTIES)
KINE = ("kinesitherapie",)  # a blog whose own specialty none of the words below names


def filed(title: str, text: str = "", own: tuple[str, ...] = KINE) -> set[str]:
    return {slug for slug, _ in filings(title, "", (), VOCAB, own=own, text=text)}


# --- figures of speech, generated -------------------------------------------------------------

# Words writers borrow as images, each a strong term of the specialty it files alone.
DISEASES = {
    "dépression": "psychiatrie", "psychose": "psychiatrie", "suicide": "psychiatrie",
    "infarctus": "cardiologie", "crise cardiaque": "cardiologie", "AVC": "neurologie",
    "maladie d'Alzheimer": "neurologie", "réanimation": "anesthesie", "fausse couche": "gynecologie-obstetrique",
    "avortement": "gynecologie-obstetrique", "chimiothérapie": "oncologie", "Samu": "urgences",
}
# A disease word in a frame that is not the clinic: weather and places, economy, institutions, the blog.
NON_CLINICAL = [
    "Une {w} s'est installée sur la Bretagne, avec de la pluie et des rafales jusqu'à dimanche.",
    "Une {w} venue de l'Atlantique se creuse, la météo annonce un week-end d'averses.",
    "La bureaucratie, c'est {w} : trois formulaires pour un transport, et la paperasse déborde.",
    "Le ministère prépare une réforme ; pour les syndicats, cette convention est {w} annoncée.",
    "L'économie de la région vit {w} : la dette gonfle, l'industrie ferme, le chômage monte.",
    "Six mois sans écrire : le blog était en {w}, l'hébergeur a même cru à une fermeture.",
    "Le serveur informatique a fait {w} cette nuit, le logiciel ne répond plus.",
]
# The same words said of a person in care.
CLINICAL = [
    "Ma patiente de {n} ans a fait {w} : on ajuste son traitement et on se revoit lundi.",
    "Monsieur T., {n} ans, hospitalisé pour {w}, souffre encore, et son traitement commence.",
    "Le malade arrive après {w} ; ses symptômes datent de {n} heures, on le prend en charge.",
]
FILLER = st.lists(st.sampled_from(["Bref.", "Voilà.", "On verra.", "C'est ainsi.", "Samedi, encore."]),
                  max_size=2).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(word=st.sampled_from(sorted(DISEASES)), frame=st.sampled_from(NON_CLINICAL), before=FILLER,
       after=FILLER)
def test_a_disease_word_in_a_non_clinical_frame_does_not_file(word, frame, before, after):
    text = " ".join(p for p in (before, frame.format(w=word), after) if p)
    assert DISEASES[word] not in filed("Billet du dimanche", text)


@settings(max_examples=150, deadline=None)
@given(word=st.sampled_from(sorted(DISEASES)), frame=st.sampled_from(CLINICAL), age=st.integers(18, 95),
       before=FILLER, after=FILLER)
def test_the_same_word_in_a_clinical_frame_files(word, frame, age, before, after):
    text = " ".join(p for p in (before, frame.format(w=word, n=age), after) if p)
    assert DISEASES[word] in filed("Billet du dimanche", text)


@settings(max_examples=100, deadline=None)
@given(word=st.sampled_from(sorted(DISEASES)), frame=st.sampled_from(NON_CLINICAL),
       clinical=st.sampled_from(CLINICAL), age=st.integers(18, 95))
def test_a_figure_does_not_cancel_the_same_word_said_literally_elsewhere(word, frame, clinical, age):
    text = frame.format(w=word) + " " + clinical.format(w=word, n=age)
    assert DISEASES[word] in filed("Billet du dimanche", text)


@given(kind=st.sampled_from(sorted(FRAMES)), data=st.data())
def test_every_frame_makes_a_borrowed_word_figurative_unless_a_person_is_nearer(kind, data):
    frame = data.draw(st.sampled_from([w.rstrip("*") for w in FRAMES[kind] if " " not in w and "-" not in w]))
    sentence = ["la", frame, "est", "en", "depression", "depuis", "mardi"]
    assert figurative(sentence, 4, 1)
    # The nearer context decides: a patient next to the word makes it hers.
    assert not figurative(["la", frame, "de", "mardi", "et", "la", "patiente", "en", "depression"], 8, 1)
    assert figurative(["la", "patiente", "de", "mardi", "voit", "la", frame, "en", "depression"], 8, 1)
    assert not figurative(["la", frame, "et", "sa", "depression"], 4, 1)  # « sa dépression »
    assert figurative(["un", "front", "froid", "et", "la", "depression", "recule"], 5, 1)  # a frame of two words
    # A frame in the sentence before carries over when nothing in the sentence names a person.
    assert figurative(["elle", "finira", "en", "depression"], 3, 1, around=["la", frame, "recule"])
    assert not figurative(["ma", "patiente", "finira", "en", "depression"], 4, 1, around=["la", frame])


def test_only_borrowed_words_are_questioned():
    assert prone(("depression",)) and prone(("arret", "cardiaque")) and prone(("avc",))
    assert not prone(("fiv",)) and not prone(("peridurale",)) and not prone(("dialyse",))
    # « FIV » in an institution's sentence is still PMA: technical words are never images.
    assert "pma" in filed("La réforme du gouvernement", "Le ministère rembourse désormais une FIV de plus.")


def test_the_outside_reviewers_figures_are_read_as_figures():
    assert filed("Météo", "Une dépression s'est installée sur la Bretagne.") == set()
    assert filed("Coup de gueule", "La bureaucratie, c'est un cancer.") == set()
    assert filed("Je reviens", "Le blog était en arrêt cardiaque.") == set()


# --- more of the post than its excerpt -----------------------------------------------------------

def words(n: int) -> str:
    return " ".join(["mot"] * n)


def test_the_text_beyond_the_excerpt_is_read():
    # The head (what the excerpt shows) names a baby in passing; the text goes on about her bottle.
    head = "Elle est venue avec son bébé. " + words(HEAD_WORDS)
    assert filed("Une nuit comme une autre", head + " Le biberon de trois heures, encore.") == {"pediatrie"}
    assert filed("Une nuit comme une autre", head) == set()


def test_past_the_head_a_term_only_confirms():
    # A strong term past the head counts as a weak one, and a specialty needs a word of its own
    # before the body: a GP's winter post with « ordonnance » and, much later, « antibiotiques »
    # is not a pharmacy post, nor one where « bronchiolite » comes at word 80.
    assert filed("Une nuit", words(HEAD_WORDS + 20) + " La bronchiolite de l'hiver dernier.") == set()
    assert filed("Une nuit", words(HEAD_WORDS + 5) + " Une ordonnance. " + words(80) + " Des antibiotiques.") == set()
    assert filed("Une nuit", "Un bébé. " + words(HEAD_WORDS) + " La bronchiolite de l'hiver dernier.") == {"pediatrie"}


def test_nothing_past_body_words_is_read():
    far = "Un bébé. " + words(BODY_WORDS) + " Une bronchiolite, un nourrisson, un biberon, une crèche."
    assert filed("Une nuit", far) == set()


def test_the_clean_stage_passes_the_text_before_excerpting():
    feed = FeedConfig(id="gp", title="Carnet", author="Docteur Test", site="https://gp.example/",
                      feed="https://gp.example/feed", specialties=("medecine-generale",))
    body = "Deux ans d'essais pour ce couple. " + words(60) + " Elle revient pour une insémination, la troisième."
    entry = clean_entry(ParsedEntry(guid="g", link="https://gp.example/1", title="Mardi", published=None,
                                    content_html=f"<p>{body}</p>", updated=None, tags=("Fertilité",)), feed, VOCAB)
    assert entry is not None and "insémination" not in entry.excerpt
    assert entry.specialties == ("medecine-generale", "pma")


# --- the vocabulary, reviewed by classes ---------------------------------------------------------

def test_drugs_procedures_services_and_abbreviations_file():
    assert filed("Le Prozac de madame L.") == {"psychiatrie"}
    assert filed("Clomid, le troisième mois") == {"pma"}
    assert filed("Pilule du lendemain au comptoir") >= {"gynecologie-obstetrique"}
    assert filed("Une nuit avec le SAMU") == {"urgences"}
    assert filed("Après la tentative, parler du suicide") == {"psychiatrie"}
    assert filed("Traumatisme crânien au rugby") == {"neurologie"}
    assert filed("Le PNNS a vingt ans") == {"sante-publique"}


def test_a_title_in_capitals_has_no_acronyms():
    # « DES » (the specialty diploma), « LAS », « PASS » are acronyms in a sentence, words in a shout.
    assert filed("LA FIN DES HARICOTS : LAS DE TOUT, JE PASSE", "Un stage de plus au bout du couloir.") == set()
    assert filed("Mon DES et ma LAS", "Un stage de plus au bout du couloir.") == {"etudiants-internes"}


def test_the_samu_social_is_not_the_samu():
    assert "urgences" not in filed("Une nuit au Samu social", "Maraude, couvertures, café chaud.")


# --- the real-post evaluation ----------------------------------------------------------------------

def test_the_repository_keeps_only_addresses_labels_and_paraphrases():
    labels = yaml.safe_load(REAL_FIXTURE.read_text("utf-8"))
    assert len(labels) >= 80
    assert all(set(p) == {"id", "url", "expected", "paraphrase"} for p in labels)
    assert all(p["url"].startswith(("http://", "https://")) and 1 <= len(p["expected"]) <= 2 for p in labels)
    assert len({p["id"] for p in labels}) == len(labels)
    assert set().union(*(p["expected"] for p in labels)) <= set(VOCAB.specialties)


def test_the_real_part_is_skipped_cleanly_without_the_texts(tmp_path, capsys):
    posts, said = load_real_posts(texts=tmp_path / "absent")
    assert posts == [] and "SKIPPED" in said
    assert main(["--texts", str(tmp_path / "absent"), "--split", "held-out"]) == 0
    out = capsys.readouterr().out
    assert "== synthetic" in out and "real posts: SKIPPED" in out and "== real" not in out


def test_the_real_part_reads_the_texts_it_finds(tmp_path: Path):
    labels = yaml.safe_load(REAL_FIXTURE.read_text("utf-8"))[:2]
    (tmp_path / "some.yaml").write_text(yaml.safe_dump([
        {"id": labels[0]["id"], "title": "Un titre", "text": words(60) + " et la suite."}]), "utf-8")
    posts, said = load_real_posts(texts=tmp_path)
    assert [p.id for p in posts] == [labels[0]["id"]] and "missing" in said
    assert posts[0].blog == () and posts[0].excerpt.endswith("…") and posts[0].text.endswith("la suite.")
