"""Measure the content classifier against the synthetic set and the real-post set.

    python3 tools/classify_report.py [--baseline] [--fixture PATH] [--split all|dev|held-out]
    make classify-report

The synthetic set (tests/fixtures/classify/posts.yaml) lists posts written for the
project with the specialties a human reader would file them under *by their own
words*, beyond their blog's own specialties. The real-post set
(tests/fixtures/classify/realposts.yaml) lists real posts read in stored public pages:
the repository keeps only their addresses, labels and the project's paraphrases; their
titles and text are read from a cache outside it ($DOCSDUNET_REALPOSTS, default
~/.cache/docsdunet/realposts/, YAML files of {id, title, text}). Without the cache the
real part is skipped and the report says so. The classifier under test is the site's:
`pelican.plugins.blogroll.clean.classify.filings` with specialties.yaml read by the registry
(tags and words, as the clean stage files an entry). When it cannot be imported
(or with --baseline), the report uses a baseline that mirrors the old rule: a
tag equal to a slug, label or synonym of specialties.yaml, compared without
case or accents.

The set is split once and for all by a hash of each post's id: one post in
five is *held out* (`held_out`), read only to check the vocabulary tuned on
the others (`dev`) did not merely memorise them. The report prints the table
for all posts, then the overall line of each split.

Precision comes first: every wrong filing is listed with the kind of post it
hit (a hard negative is a post built to trap word matching), then every
missed filing.

Standalone: the standard library and PyYAML only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "classify" / "posts.yaml"
REAL_FIXTURE = ROOT / "tests" / "fixtures" / "classify" / "realposts.yaml"
REAL_TEXTS = Path(os.environ.get("DOCSDUNET_REALPOSTS") or Path.home() / ".cache" / "docsdunet" / "realposts")
# The excerpt a feed entry gets (clean/entry.py: excerpt_words=50); the classifier also reads the
# text before excerpting (`text`), as the clean stage passes it.
EXCERPT_WORDS = 50
SPECIALTIES = ROOT / "specialties.yaml"

# Specialties being added to specialties.yaml on another branch. The set already
# uses them; an entry in specialties.yaml wins over this table once it lands.
PENDING_SPECIALTIES: dict[str, str] = {
    "etudiants-internes": "Étudiants et internes",
    "kinesitherapie": "Kinésithérapie",
    "neurologie": "Neurologie",
    "nephrologie": "Néphrologie",
}

KINDS = ("positive", "hard-negative", "ordinary")

# (title, excerpt, tags, blog's specialties, text before excerpting) -> specialties
Classify = Callable[[str, str, list[str], list[str], str], set[str]]


# --- the set ----------------------------------------------------------------

@dataclass(frozen=True)
class Post:
    id: str
    blog: tuple[str, ...]
    title: str
    excerpt: str
    tags: tuple[str, ...]
    expected: frozenset[str]
    kind: str
    note: str = ""
    text: str = ""  # the post's text before excerpting; the excerpt when the set has only that

    @classmethod
    def from_mapping(cls, raw: Mapping) -> Post:
        return cls(
            id=str(raw["id"]),
            blog=tuple(raw.get("blog") or ()),
            title=str(raw.get("title") or ""),
            excerpt=str(raw.get("excerpt") or ""),
            tags=tuple(str(t) for t in raw.get("tags") or ()),
            expected=frozenset(raw.get("expected") or ()),
            kind=str(raw.get("kind") or ""),
            note=str(raw.get("note") or ""),
            text=str(raw.get("text") or raw.get("excerpt") or ""),
        )


def load_posts(path: Path = FIXTURE) -> list[Post]:
    return [Post.from_mapping(raw) for raw in yaml.safe_load(path.read_text("utf-8"))]


def _excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    """The first `words` words, as clean/excerpt.excerpt cuts a feed entry's text."""
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]).rstrip(" ,;:.-–—") + " …"


def load_real_posts(path: Path = REAL_FIXTURE, texts: Path = REAL_TEXTS) -> tuple[list[Post], str]:
    """The real posts whose text the cache holds, and a line saying what was found.
    A labelled post without its text is left out (and counted): its words are not ours."""
    labels = yaml.safe_load(path.read_text("utf-8")) or []
    found: dict[str, Mapping] = {}
    for file in sorted(texts.glob("*.yaml")) if texts.is_dir() else ():
        for raw in yaml.safe_load(file.read_text("utf-8")) or ():
            found[str(raw["id"])] = raw
    posts = [Post(id=str(lab["id"]), blog=tuple(lab.get("blog") or ()), title=str(found[lab["id"]]["title"]),
                  excerpt=_excerpt(str(found[lab["id"]]["text"])), tags=tuple(found[lab["id"]].get("tags") or ()),
                  expected=frozenset(lab["expected"]), kind="positive", note=str(lab.get("paraphrase") or ""),
                  text=str(found[lab["id"]]["text"]))
             for lab in labels if lab["id"] in found]
    missing = len(labels) - len(posts)
    if not posts:
        return [], (f"real posts: SKIPPED, no texts in {texts} (set DOCSDUNET_REALPOSTS; the repository "
                    f"keeps only the {len(labels)} posts' addresses and labels)")
    return posts, f"real posts: {len(posts)} of {len(labels)} texts found in {texts}" + (
        f" ({missing} missing, left out)" if missing else "")


def load_vocabulary(path: Path = SPECIALTIES) -> dict[str, dict]:
    """specialties.yaml, plus the pending specialties it does not have yet."""
    vocabulary = dict(yaml.safe_load(path.read_text("utf-8")) or {})
    for slug, label in PENDING_SPECIALTIES.items():
        vocabulary.setdefault(slug, {"label": label, "synonyms": []})
    return vocabulary


# --- the report -------------------------------------------------------------

@dataclass(frozen=True)
class Filing:
    """One post filed (or not filed) under one specialty."""
    post_id: str
    title: str
    specialty: str
    kind: str


@dataclass
class Score:
    specialty: str
    expected: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        filed = self.tp + self.fp
        return self.tp / filed if filed else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.expected if self.expected else None


@dataclass
class Report:
    per_specialty: dict[str, Score]
    overall: Score
    wrong: list[Filing] = field(default_factory=list)
    missed: list[Filing] = field(default_factory=list)

    def wrong_by_kind(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for filing in self.wrong:
            counts[filing.kind] = counts.get(filing.kind, 0) + 1
        return counts


def evaluate(posts: Iterable[Post | Mapping], classify: Classify,
             specialties: Sequence[str] = ()) -> Report:
    """Run `classify` on every post and score what it files beyond the blog's own.

    `specialties` fixes the rows (and their order) of the table; a specialty
    that is expected or predicted but not listed gets a row too.
    """
    scores: dict[str, Score] = {slug: Score(slug) for slug in specialties}
    overall = Score("overall")
    wrong: list[Filing] = []
    missed: list[Filing] = []
    for raw in posts:
        post = raw if isinstance(raw, Post) else Post.from_mapping(raw)
        own = set(post.blog)
        expected = set(post.expected) - own
        predicted = set(classify(post.title, post.excerpt, list(post.tags), list(post.blog), post.text)) - own
        for slug in sorted(expected | predicted):
            score = scores.setdefault(slug, Score(slug))
            filing = Filing(post.id, post.title, slug, post.kind)
            if slug in expected:
                score.expected += 1
                overall.expected += 1
                if slug in predicted:
                    score.tp += 1
                    overall.tp += 1
                else:
                    score.fn += 1
                    overall.fn += 1
                    missed.append(filing)
            else:
                score.fp += 1
                overall.fp += 1
                wrong.append(filing)
    return Report(scores, overall, wrong, missed)


# --- the baseline: today's rule, tags only -----------------------------------

_TAG_SPLIT = re.compile(r"\s*[/,;|]\s*")


def fold(text: str) -> str:
    """Lowercase and strip accents, as blogroll.textutil.fold does."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def baseline_classifier(vocabulary: Mapping[str, Mapping]) -> Classify:
    """A tag equal to a slug, label or synonym (folded), as blogroll.clean.specialties_for;
    a tag like « Grossesse / Humeur » is also read as its parts."""
    names = {
        slug: {fold(slug), fold(spec["label"])} | {fold(s) for s in spec.get("synonyms") or ()}
        for slug, spec in vocabulary.items()
    }

    def classify(title: str, excerpt: str, tags: list[str], blog_specialties: list[str], text: str = "") -> set[str]:
        folded: set[str] = set()
        for tag in tags:
            whole = fold(tag).strip()
            if whole:
                folded.add(whole)
                folded.update(part for part in _TAG_SPLIT.split(whole) if part)
        return {slug for slug, words in names.items()
                if slug not in blog_specialties and folded & words}

    return classify


def held_out(post_id: str) -> bool:
    """One post in five, fixed by its id (not by its text, not by its position)."""
    return int(hashlib.sha256(post_id.encode()).hexdigest()[:8], 16) % 5 == 0


def site_classifier(path: Path = SPECIALTIES) -> Classify:
    """The site's filing (tags and words) with the vocabulary of `path`, read and checked
    by the registry as a build reads it."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from pelican.plugins.blogroll.clean.classify import filings
    from pelican.plugins.blogroll.registry.load import load_vocabulary as registry_vocabulary

    vocabulary = registry_vocabulary(path)

    def classify(title: str, excerpt: str, tags: list[str], blog_specialties: list[str], text: str = "") -> set[str]:
        return {slug for slug, _ in filings(title, excerpt, tuple(tags), vocabulary, own=tuple(blog_specialties),
                                            text=text)}

    return classify


def load_classifier(vocabulary: Mapping[str, Mapping], force_baseline: bool = False) -> tuple[Classify, str]:
    """The classifier under test and a line saying which one it is."""
    if not force_baseline:
        try:
            classify = site_classifier()
        except ImportError as exc:
            reason = f"pelican.plugins.blogroll.clean.classify not importable ({exc})"
        else:
            return classify, "classifier: blogroll.clean.classify.filings (tags and words, specialties.yaml)"
    else:
        reason = "--baseline"
    return baseline_classifier(vocabulary), f"classifier: BASELINE (exact tag match), {reason}"


# --- printing ---------------------------------------------------------------

def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:5.1f}%"


def format_report(report: Report) -> str:
    header = f"{'specialty':<26}{'expected':>9}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>9}"
    lines = [header, "-" * len(header)]
    for score in [*report.per_specialty.values(), None, report.overall]:
        if score is None:
            lines.append("-" * len(header))
            continue
        lines.append(f"{score.specialty:<26}{score.expected:>9}{score.tp:>5}{score.fp:>5}{score.fn:>5}"
                     f"{_pct(score.precision):>11}{_pct(score.recall):>9}")
    by_kind = ", ".join(f"{kind} {n}" for kind, n in report.wrong_by_kind().items())
    lines += ["", f"Wrong filings ({len(report.wrong)}; by kind of post: {by_kind}):"]
    lines += [f"  {f.post_id:<14} {f.specialty:<24} [{f.kind}] {f.title}" for f in report.wrong] or ["  none"]
    lines += ["", f"Missed filings ({len(report.missed)}):"]
    lines += [f"  {f.post_id:<14} {f.specialty:<24} [{f.kind}] {f.title}" for f in report.missed] or ["  none"]
    return "\n".join(lines)


def _section(name: str, everything: list[Post], split: str, classify: Classify, rows: list[str]) -> None:
    """One set's table (the posts of `split`), then the overall line of each split."""
    posts = [p for p in everything if split == "all" or held_out(p.id) == (split == "held-out")]
    kinds = {kind: sum(p.kind == kind for p in posts) for kind in KINDS}
    print(f"== {name}: {len(posts)} posts ({split}): " + ", ".join(f"{n} {kind}" for kind, n in kinds.items()))
    print()
    print(format_report(evaluate(posts, classify, specialties=rows)))
    print()
    for part_name, part in (("dev", [p for p in everything if not held_out(p.id)]),
                            ("held-out", [p for p in everything if held_out(p.id)])):
        o = evaluate(part, classify).overall
        print(f"{name} {part_name:<9} {len(part):>4} posts  precision {_pct(o.precision)}  recall {_pct(o.recall)}"
              f"  (TP {o.tp}, FP {o.fp}, FN {o.fn})")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", action="store_true", help="score the tag-match baseline even if the classifier exists")
    parser.add_argument("--fixture", type=Path, default=FIXTURE, help="synthetic set (default: %(default)s)")
    parser.add_argument("--real", type=Path, default=REAL_FIXTURE, help="real-post labels (default: %(default)s)")
    parser.add_argument("--texts", type=Path, default=REAL_TEXTS,
                        help="real posts' texts, outside the repository (default: %(default)s; env DOCSDUNET_REALPOSTS)")
    parser.add_argument("--split", choices=("all", "dev", "held-out"), default="all",
                        help="posts the tables cover (default: all; the overall line of each split follows)")
    args = parser.parse_args(argv)

    vocabulary = load_vocabulary()
    classify, which = load_classifier(vocabulary, force_baseline=args.baseline)
    print(which)
    print()
    _section("synthetic", load_posts(args.fixture), args.split, classify, list(vocabulary))
    real, found = load_real_posts(args.real, args.texts)
    print(found)
    print()
    if real:
        _section("real", real, args.split, classify, list(vocabulary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
