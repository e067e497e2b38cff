"""Shape of the content-classification evaluation set, and the scorer's arithmetic.

The set is tests/fixtures/classify/posts.yaml; the scorer is tools/classify_report.py
(tools/ is on sys.path through conftest.py).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from classify_report import FIXTURE, KINDS, Filing, Post, baseline_classifier, evaluate, load_posts, load_vocabulary

FIELDS = {"id", "blog", "title", "excerpt", "tags", "expected", "kind", "note"}


@pytest.fixture(scope="module")
def raw_posts() -> list[dict]:
    return yaml.safe_load(FIXTURE.read_text("utf-8"))


@pytest.fixture(scope="module")
def known() -> set[str]:
    return set(load_vocabulary())


def positives(raw_posts: list[dict]) -> Counter:
    return Counter(slug for p in raw_posts if p["kind"] == "positive" for slug in p["expected"])


def test_enough_posts(raw_posts):
    assert len(raw_posts) >= 180


def test_ids_are_unique(raw_posts):
    duplicates = [i for i, n in Counter(p["id"] for p in raw_posts).items() if n > 1]
    assert duplicates == []


def test_every_post_has_the_fields_and_types(raw_posts):
    for p in raw_posts:
        assert set(p) == FIELDS, p.get("id")
        assert isinstance(p["blog"], list) and p["blog"], p["id"]
        assert isinstance(p["title"], str) and p["title"].strip(), p["id"]
        assert isinstance(p["excerpt"], str) and p["excerpt"].strip(), p["id"]
        assert isinstance(p["tags"], list) and all(isinstance(t, str) for t in p["tags"]), p["id"]
        assert isinstance(p["expected"], list), p["id"]
        assert p["kind"] in KINDS, p["id"]
        assert isinstance(p["note"], str) and p["note"].strip(), p["id"]


def test_only_known_slugs(raw_posts, known):
    for p in raw_posts:
        assert set(p["blog"]) <= known, (p["id"], set(p["blog"]) - known)
        assert set(p["expected"]) <= known, (p["id"], set(p["expected"]) - known)


def test_expected_is_beyond_the_blog_and_at_most_two(raw_posts):
    for p in raw_posts:
        assert not set(p["expected"]) & set(p["blog"]), p["id"]
        assert len(set(p["expected"])) == len(p["expected"]) <= 2, p["id"]


def test_kind_agrees_with_expected(raw_posts):
    for p in raw_posts:
        if p["kind"] == "positive":
            assert p["expected"], p["id"]
        if p["kind"] == "ordinary":
            assert p["expected"] == [], p["id"]


def test_every_specialty_has_six_positives_and_pma_fifteen(raw_posts, known):
    counts = positives(raw_posts)
    short = {slug: counts[slug] for slug in known if counts[slug] < 6}
    assert short == {}
    assert counts["pma"] >= 15


def test_at_least_a_third_hard_negatives(raw_posts):
    hard = sum(p["kind"] == "hard-negative" for p in raw_posts)
    assert 3 * hard >= len(raw_posts)


def test_no_addresses_in_the_text(raw_posts):
    for p in raw_posts:
        text = " ".join([p["title"], p["excerpt"], *p["tags"]])
        assert "@" not in text and not re.search(r"https?:|www\.", text), p["id"]


def test_header_counts_match_the_set(raw_posts):
    header = FIXTURE.read_text("utf-8").split("\n- id:", 1)[0]
    m = re.search(r"(\d+) posts: (\d+) positive, (\d+) hard-negative, (\d+) ordinary", header)
    assert m, "composition line missing from the header"
    kinds = Counter(p["kind"] for p in raw_posts)
    assert [int(g) for g in m.groups()] == [len(raw_posts), kinds["positive"], kinds["hard-negative"],
                                            kinds["ordinary"]]
    stated = {slug: int(n) for slug, n in re.findall(r"([a-z-]+) (\d+)[,.]", header.split("Positives per specialty:", 1)[1])}
    assert stated == dict(positives(raw_posts))


def test_fixture_loads_as_posts():
    posts = load_posts()
    assert all(isinstance(p, Post) for p in posts)


# --- the scorer -------------------------------------------------------------

TINY = [
    {"id": "a", "blog": ["medecine-generale"], "title": "A", "excerpt": "", "tags": [],
     "expected": ["pma"], "kind": "positive", "note": ""},
    {"id": "b", "blog": ["urgences"], "title": "B", "excerpt": "", "tags": [],
     "expected": [], "kind": "hard-negative", "note": ""},
    # The blog's own specialty in `expected` is not counted.
    {"id": "c", "blog": ["sage-femme"], "title": "C", "excerpt": "", "tags": [],
     "expected": ["pediatrie", "psychiatrie", "sage-femme"], "kind": "positive", "note": ""},
]
FILED = {"A": {"pma", "medecine-generale"}, "B": {"pma"}, "C": {"pediatrie", "sage-femme"}}


def fake_classify(title: str, excerpt: str, tags: list[str], blog_specialties: list[str], text: str = "") -> set[str]:
    return FILED[title]


def test_evaluate_counts_by_hand():
    report = evaluate(TINY, fake_classify)
    got = {slug: (s.expected, s.tp, s.fp, s.fn) for slug, s in report.per_specialty.items()}
    assert got == {"pma": (1, 1, 1, 0), "pediatrie": (1, 1, 0, 0), "psychiatrie": (1, 0, 0, 1)}
    assert report.per_specialty["pma"].precision == 0.5
    assert report.per_specialty["pma"].recall == 1.0
    assert report.per_specialty["psychiatrie"].precision is None
    assert report.per_specialty["psychiatrie"].recall == 0.0
    o = report.overall
    assert (o.expected, o.tp, o.fp, o.fn) == (3, 2, 1, 1)
    assert o.precision == pytest.approx(2 / 3) and o.recall == pytest.approx(2 / 3)
    assert report.wrong == [Filing("b", "B", "pma", "hard-negative")]
    assert report.missed == [Filing("c", "C", "psychiatrie", "positive")]
    assert report.wrong_by_kind() == {"positive": 0, "hard-negative": 1, "ordinary": 0}


def test_evaluate_lists_requested_rows_even_when_empty():
    report = evaluate(TINY, fake_classify, specialties=["cardiologie", "pma"])
    assert list(report.per_specialty)[:2] == ["cardiologie", "pma"]
    assert report.per_specialty["cardiologie"].precision is None


def test_baseline_matches_tags_without_case_or_accents():
    vocabulary = {
        "gynecologie-obstetrique": {"label": "Gynécologie-obstétrique", "synonyms": ["grossesse"]},
        "pma": {"label": "PMA", "synonyms": ["FIV"]},
        "urgences": {"label": "Urgences", "synonyms": []},
    }
    classify = baseline_classifier(vocabulary)
    assert classify("t", "FIV, PMA dans le texte seulement", [], []) == set()
    assert classify("t", "", ["GROSSESSE / Humeur"], []) == {"gynecologie-obstetrique"}
    assert classify("t", "", ["fiv", "gynecologie-obstetrique"], ["pma"]) == {"gynecologie-obstetrique"}
    assert classify("t", "", ["Urgence"], []) == set()
