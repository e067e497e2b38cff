"""Equivalence harness of the native parser (parse/fast.py) against feedparser, the judge.

    python tools/parser_equivalence.py [--markdown]      # every source below, one line each

Sources: every feed file of ../shared/corpus (read in place, skipped when absent), the demo
feeds, the test fixtures' feed files, the anonymity probes (tests/fixtures/probes) and a
bench corpus (bench/corpus.py, 40 blogs × 6 entries, generated in memory). For each, the
document runs through the pipeline's worker stage (`update.worker.parse_and_clean`) twice, with
the fast path allowed and with feedparser alone, and everything the pipeline keeps is
compared: the error, the warnings, the cleaned entries (guid, link, title, excerpt, dates,
tags, specialties, content hash...), the feed's TTL, paging links and generator, and the
identities collected for redaction (parse_feed's, as a set). A file is:

- « rapide »: the fast path took it and every kept field is equal;
- « feedparser »: the fast path declined it (the reason is given) and feedparser read it;
- « DIFFÉRENT »: the fast path took it and something differs — a bug in fast.py's checks.

tests/parse/test_fast_equivalence.py asserts there is no « DIFFÉRENT »;
docs/fast-parser.md is this tool's --markdown output.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT), str(ROOT / "tests")]

from feedcorpus import CORPUS, FEED_SUFFIXES, content_type, corpus_files  # noqa: E402
from pelican.plugins.blogroll import registry  # noqa: E402
from pelican.plugins.blogroll.core.errors import ParseError  # noqa: E402
from pelican.plugins.blogroll.core.model import FeedConfig  # noqa: E402
from pelican.plugins.blogroll.parse import fast  # noqa: E402
from pelican.plugins.blogroll.parse.feed import parse_feed, safe_document  # noqa: E402
from pelican.plugins.blogroll.update.worker import ParseJob, parse_and_clean  # noqa: E402

BASE = "https://corpus.example/feed.xml"


@dataclass(frozen=True)
class Source:
    label: str
    body: bytes
    content_type: str | None = None
    feed: FeedConfig | None = None


@dataclass(frozen=True)
class Verdict:
    label: str
    kind: str  # "rapide", "feedparser" or "DIFFÉRENT"
    reason: str = ""
    differences: tuple[str, ...] = ()


def _feed(site: str = "https://corpus.example/", author: str = "Pseudo", title: str = "Corpus") -> FeedConfig:
    return FeedConfig(id="corpus", title=title, author=author, site=site, feed=BASE,
                      specialties=("medecine-generale",))


def corpus_sources() -> Iterator[Source]:
    for path in corpus_files():
        data = path.read_bytes()
        yield Source(f"corpus/{path.relative_to(CORPUS)}", data, content_type(data))


def fixture_sources() -> Iterator[Source]:
    for folder in (ROOT / "demo" / "feeds", ROOT / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in FEED_SUFFIXES:
                yield Source(str(path.relative_to(ROOT)), path.read_bytes())


def probe_sources() -> Iterator[Source]:
    from probes import load_probes  # tests/probes.py: the anonymity probes

    for probe in load_probes():
        yield Source(f"probe/{probe.id}", probe.feed, probe.content_type or None,
                     _feed(probe.site, probe.pseudonym, probe.blog_title))


def bench_sources(feeds: int = 40, entries: int = 6) -> Iterator[Source]:
    import tempfile

    from bench.corpus import Corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus(Path(tmp), feeds, entries)
        for i in range(feeds):
            spec = corpus._feed(i)
            yield Source(f"bench/{spec.path}", corpus.document(spec, 0),
                         feed=_feed(spec.site, spec.author, spec.title))


def all_sources() -> Iterator[Source]:
    yield from corpus_sources()
    yield from fixture_sources()
    yield from probe_sources()
    yield from bench_sources()


def _kept(source: Source, vocabulary, native: bool) -> dict:
    feed = source.feed or _feed()
    outcome = parse_and_clean(ParseJob(source.body, BASE, source.content_type, feed, vocabulary, 200, 50,
                                       native_parser=native))
    kept = dataclasses.asdict(outcome)
    for entry in kept["entries"] or ():
        # What the entry was cleaned from, hashed (clean/entry.py `raw_key`): bookkeeping that
        # tells a later fetch not to clean it again, never kept on the site. The two parsers may
        # hand over the same post with other insignificant bytes (whitespace, attribute order).
        entry.pop("raw_key", None)
    try:
        parsed = parse_feed(source.body, base_url=BASE, content_type=source.content_type, native=native)
        kept["identities"] = sorted({t.casefold() for t in parsed.identities})
        kept["feed_title"], kept["feed_link"] = parsed.title, parsed.link
    except ParseError as exc:
        kept["identities"] = str(exc)
    return kept


def compare(source: Source, vocabulary) -> Verdict:
    try:
        document = safe_document(source.body, base_url=BASE, content_type=source.content_type)[0]
    except ParseError as exc:
        return Verdict(source.label, "feedparser", f"refusé avant l'analyse ({exc})")
    taken, reason = fast.parse_document(document, BASE)
    if taken is None:
        return Verdict(source.label, "feedparser", reason)
    judge, ours = _kept(source, vocabulary, False), _kept(source, vocabulary, True)
    diffs = tuple(f"{key}: feedparser {judge[key]!r:.300} ≠ rapide {ours.get(key)!r:.300}"
                  for key in judge if judge[key] != ours.get(key))
    return Verdict(source.label, "DIFFÉRENT" if diffs else "rapide", "", diffs)


def run() -> list[Verdict]:
    vocabulary = registry.load_vocabulary(ROOT / "specialties.yaml")
    return [compare(s, vocabulary) for s in all_sources()]


def markdown(verdicts: list[Verdict]) -> str:
    groups: dict[str, int] = {}
    for v in verdicts:
        group = v.label.split("/")[0]
        groups[f"{group} {v.kind}"] = groups.get(f"{group} {v.kind}", 0) + 1
    lines = ["| source | rapide | feedparser | DIFFÉRENT |", "|---|---:|---:|---:|"]
    for group in dict.fromkeys(v.label.split("/")[0] for v in verdicts):
        lines.append(f"| {group} | {groups.get(group + ' rapide', 0)} | {groups.get(group + ' feedparser', 0)} | "
                     f"{groups.get(group + ' DIFFÉRENT', 0)} |")
    lines += ["", "Handed to feedparser, and why:", "", "| file | reason |", "|---|---|"]
    lines += [f"| `{v.label}` | {v.reason} |" for v in verdicts if v.kind == "feedparser"]
    different = [v for v in verdicts if v.kind == "DIFFÉRENT"]
    if different:
        lines += ["", "DIFFERENT (fast path wrong):", ""]
        lines += [f"- `{v.label}`: {'; '.join(v.differences)}" for v in different]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    verdicts = run()
    if "--markdown" in argv:
        print(markdown(verdicts), end="")
    else:
        for v in verdicts:
            print(f"{v.kind}\t{v.label}\t{v.reason}\t{' | '.join(v.differences)}")
    return 1 if any(v.kind == "DIFFÉRENT" for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
