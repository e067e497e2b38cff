"""clean/classify.py: filing by tags and words (pure), its vocabulary's checks, the store
column that keeps why, and the evaluation set's thresholds."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC
from pathlib import Path

import pytest
from classify_report import evaluate, held_out, load_posts, load_real_posts, site_classifier
from conftest import SPECIALTIES
from pelican.plugins.blogroll.clean.classify import file_entry, filings
from pelican.plugins.blogroll.clean.entry import clean_entry
from pelican.plugins.blogroll.core.errors import RegistryError
from pelican.plugins.blogroll.core.model import CleanEntry, FeedConfig, FeedHealth, FeedUpdate, ParsedEntry
from pelican.plugins.blogroll.registry.load import load_vocabulary
from pelican.plugins.blogroll.store import SCHEMA_VERSION, Applied, Store

VOCAB = load_vocabulary(SPECIALTIES)
GP = FeedConfig(id="gp", title="Carnet", author="Docteur Test", site="https://gp.example/",
                feed="https://gp.example/feed", specialties=("medecine-generale",))


def filed(title: str, excerpt: str = "", tags: tuple[str, ...] = (), own=("medecine-generale",)) -> set[str]:
    return {slug for slug, _ in filings(title, excerpt, tags, VOCAB, own=own)}


# --- French-aware matching ----------------------------------------------------

@pytest.mark.parametrize("title", [
    "Notre parcours de fécondation in vitro",
    "NOTRE PARCOURS DE FECONDATION IN VITRO",          # capitals, no accents
    "notre parcours de fecondation in-vitro",          # hyphen
    "Les inséminations du mardi",                      # plural
    "Après l'échec d'une FIV",                         # elisions
    "Bilan d'infertilité du couple",
])
def test_a_strong_term_files_alone_whatever_its_spelling(title):
    assert filed(title) == {"pma"}


def test_hyphenated_terms_match_written_as_one_word_and_dotted_acronyms_are_joined():
    assert filed("La gastroentérologie vue du cabinet") == {"gastro-enterologie"}
    assert filed("L'I.V.G. médicamenteuse en ville") == {"gynecologie-obstetrique"}


def test_acronyms_match_in_capitals_only_in_text_and_in_any_case_in_tags():
    assert filed("Une FIV de plus") == {"pma"}
    assert filed("une fiv de plus") == set()             # lowercase in a sentence: not an acronym
    assert filed("Mon mardi", tags=("fiv",)) == {"pma"}  # a tag is a label: any case


def test_one_weak_word_never_files_two_different_ones_do():
    assert filed("Il y a urgence à réformer le travail de deuil, au cœur de métier") == set()
    assert filed("Le bébé de la voisine") == set()
    assert filed("Le bébé et son biberon") == {"pediatrie"}
    # The same weak word twice is still one word.
    assert filed("Bébé, encore bébé, toujours bébé") == set()


def test_stemming_does_not_merge_words_of_different_lengths():
    # Snowball cuts « urgentiste » to « urgent »: « c'est urgent » must not file urgences.
    assert filed("C'est urgent : la réforme du tiers payant") == set()
    assert filed("Une nuit avec l'urgentiste") == {"urgences"}


def test_unless_words_cancel_an_ambiguous_term():
    assert filed("Trois jours au PMA du festival", "Les secouristes de la protection civile") == set()
    assert filed("Trois jours au PMA du festival", "Au poste médical avancé, des malaises") == {"urgences"}
    assert filed("Le FIV de mon chat", "Le vétérinaire parle d'immunodéficience féline") == set()
    assert filed("Un dernier coup de rein avant les congés", "Le rein gauche") == set()
    assert filed("Deux ans de PMA", "Stimulation, ponction, transfert") == {"pma"}


def test_weak_tags_need_support_like_weak_words():
    assert filed("Mon vélo du dimanche", tags=("Psy",)) == set()
    assert filed("Ma vieille voiture anglaise", tags=("MG",), own=("chirurgie",)) == set()
    assert filed("Le rire", tags=("Médicament",)) == set()
    # A tag naming the specialty by its label still files it (an author's own filing).
    assert filed("Un billet", tags=("Néphrologie",)) == {"nephrologie"}


def test_the_best_supported_specialty_wins_over_passing_mentions():
    # An ultrasound and a pregnancy on the way to an IVF: PMA, not radiology or obstetrics.
    assert filed("Deux ans d'essais", "Bilan d'infertilité : échographie pelvienne, spermogramme ; "
                                      "après un an sans grossesse on consulte.") == {"pma"}
    # Two subjects in the title: both.
    assert filed("Endométriose et infertilité : le duo qu'on découvre trop tard") == \
        {"gynecologie-obstetrique", "pma"}


def test_the_blogs_own_specialties_are_not_refiled():
    assert filed("Une FIV de plus", own=("pma",)) == set()


def test_filed_by_keeps_the_terms_as_written_in_the_vocabulary():
    why = dict(filings("Après l'échec d'une FIV", "Une insémination, puis la FIV.", ("Vie perso",), VOCAB))
    assert why == {"pma": ("FIV", "insémination")}


# --- the clean stage ------------------------------------------------------------

def parsed(title: str, body: str, tags: tuple[str, ...] = ()) -> ParsedEntry:
    return ParsedEntry(guid="g", link="https://gp.example/1", title=title, content_html=f"<p>{body}</p>",
                       published=None, updated=None, tags=tags)


def test_clean_entry_files_by_words_and_keeps_why():
    e = clean_entry(parsed("Deux ans d'essais", "Je les oriente vers un centre de PMA pour une insémination."),
                    GP, VOCAB)
    assert e is not None and e.specialties == ("medecine-generale", "pma")
    assert e.filed_by == (("pma", ("PMA", "insémination")),)


def test_classify_false_files_by_blog_and_tags_only_and_only_tags_still_admits():
    quiet = FeedConfig(**{**GP.__dict__, "classify": False})
    assert file_entry(quiet, "Une FIV de plus", "insémination", (), VOCAB) == (("medecine-generale",), ())
    assert file_entry(quiet, "Un billet", "", ("FIV",), VOCAB)[0] == ("medecine-generale", "pma")
    mixed = FeedConfig(**{**GP.__dict__, "classify": False, "only_tags": ("pma",)})
    assert clean_entry(parsed("Une FIV", "insémination"), mixed, VOCAB) is None
    kept = clean_entry(parsed("Une FIV", "insémination", ("PMA",)), mixed, VOCAB)
    assert kept is not None and kept.specialties == ("medecine-generale", "pma")


def test_the_config_hash_of_a_default_blog_does_not_move_with_the_new_field():
    assert GP.config_hash != FeedConfig(**{**GP.__dict__, "classify": False}).config_hash
    # Computed as before the field existed (same hash, so no feed's health is reset).
    import hashlib
    from dataclasses import asdict
    data = asdict(GP)
    data.pop("line")
    data.pop("classify")
    assert GP.config_hash == hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


# --- the vocabulary's checks -----------------------------------------------------

def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "specialties.yaml"
    p.write_text(text, "utf-8")
    return p


def test_terms_load_as_typed_strengths_with_their_unless_words(tmp_path):
    v = load_vocabulary(write(tmp_path, "pma:\n  label: PMA\n  strong: [insémination, {term: FIV, unless: [chat]}]\n"
                                        "  weak: [embryon]\n"))
    spec = v.specialties["pma"]
    assert [t.text for t in spec.strong] == ["insémination", "FIV"] and spec.strong[1].unless == ("chat",)
    assert [t.text for t in spec.weak] == ["embryon"]


def test_bad_terms_are_refused_with_their_line(tmp_path):
    path = write(tmp_path, "pma:\n"
                           "  label: PMA\n"
                           "  strong:\n"
                           "    - insémination\n"
                           "    - {term: FIV}\n"
                           "    - \"—\"\n"
                           "  weak:\n"
                           "    - Inséminations\n"
                           "    - insemination\n")
    with pytest.raises(RegistryError) as exc:
        load_vocabulary(path)
    problems = {(line, reason.split(" : ")[0]) for _, line, reason in exc.value.problems}
    assert (5, "pma.strong.1") in problems                        # {term} without unless
    assert (6, "pma.strong") in problems                          # no word
    assert (9, "pma.weak") in problems                            # insémination twice (accents do not count)
    assert all(line for _, line, _ in exc.value.problems)


def test_the_projects_vocabulary_keeps_weak_words_weak():
    weak = {"travail", "enfant", "opération", "médicament", "peau", "cœur", "urgence", "psy", "bébé"}
    for spec in VOCAB.specialties.values():
        assert not weak & {t.text for t in spec.strong}, spec.slug
    # « travail » (labour, grief, work) no longer names médecine du travail as a tag either.
    assert VOCAB.slug_named("travail") is None


# --- the store keeps why ------------------------------------------------------------

def test_filed_by_round_trips_and_an_old_store_is_migrated(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    db = sqlite3.connect(old / "blogroll.sqlite3")
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE entries (id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL, guid TEXT, link TEXT NOT NULL,
            own_link INTEGER NOT NULL DEFAULT 1, content_hash TEXT NOT NULL, title TEXT NOT NULL,
            excerpt TEXT NOT NULL, published TEXT, first_seen TEXT NOT NULL, sort_date TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]', specialties TEXT NOT NULL DEFAULT '[]');
        INSERT INTO entries (feed_id, guid, link, content_hash, title, excerpt, first_seen, sort_date, specialties)
            VALUES ('f', 'g0', 'https://f.example/0', 'h0', 'Ancien', 'x', '2026-01-01T00:00:00+00:00',
                    '2026-01-01T00:00:00+00:00', '["pma"]');
    """)
    db.commit()
    db.close()
    from datetime import datetime
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with Store(old) as s:
        assert [e.title for e in s.entries()] == ["Ancien"] and s.entries()[0].filed_by == ()
        entry = CleanEntry(feed_id="f", guid="g1", link="https://f.example/1", title="FIV", excerpt="x",
                           published=None, tags=(), specialties=("medecine-generale", "pma"), content_hash="h1",
                           filed_by=(("pma", ("FIV", "#fécondation")),))
        assert s.apply(FeedUpdate("f", FeedHealth(feed_id="f", last_attempt=now), (entry,)), now) == Applied(1, 0)
        assert {e.guid: e.filed_by for e in s.entries()}["g1"] == (("pma", ("FIV", "#fécondation")),)
        version = s.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert version == str(SCHEMA_VERSION)
        # Only the reasons changed: the entry is updated.
        again = CleanEntry(**{**entry.__dict__, "filed_by": (("pma", ("FIV",)),)})
        assert s.apply(FeedUpdate("f", FeedHealth(feed_id="f", last_attempt=now), (again,)), now) == Applied(0, 1)
    with Store(old) as s:  # opening a current store again changes nothing
        assert len(s.entries()) == 2


# --- the evaluation set (tests/fixtures/classify/posts.yaml) --------------------------

def test_evaluation_set_meets_the_thresholds():
    """`make classify-report` prints the table; the thresholds of issue 15 are asserted here."""
    report = evaluate(load_posts(), site_classifier())
    assert report.overall.precision >= 0.95, report.wrong
    assert report.overall.recall >= 0.8, report.missed
    low = {slug: s.precision for slug, s in report.per_specialty.items()
           if s.precision is not None and s.precision < 0.9}
    assert low == {}


def test_real_posts_meet_the_thresholds_when_their_texts_are_here():
    """The real posts' texts live outside the repository (tools/classify_report.py): without
    them this test skips, saying where they are looked for."""
    posts, said = load_real_posts()
    if not posts:
        pytest.skip(said)
    report = evaluate(posts, site_classifier())
    assert report.overall.precision >= 0.95, report.wrong
    assert report.overall.recall >= 0.8, report.missed


def test_held_out_split_is_a_fifth_of_the_set_fixed_by_id():
    posts = load_posts()
    held = [p for p in posts if held_out(p.id)]
    assert 0.15 < len(held) / len(posts) < 0.25
    assert held_out("pma-001") == held_out("pma-001")
