"""The generated adversary and precision corpus through the public parse-and-clean step alone
(update.worker.parse_and_clean: what a worker process hands the store), many examples a second.

The build tests (test_generated_adversary.py, test_generated_precision.py) judge a few batches
end to end; these judge one generated feed per example, so that `make test` tries hundreds of
spellings, fields and places:

- a declared identity, in any spelling family, placed in an entry, a link's host, a channel
  field or a scrubber's blind spot, is absent from everything the outcome would publish or
  store (every field of every entry: title, excerpt, link, tags, filing words, links between
  blogs) and from the warnings `try` prints (the generator string is read for paging only,
  never kept: the build tests judge the store itself);
- a legitimate phrase (eponym, drug, place, service, number, the blog's own words) keeps every
  word in its entry, and entries are rarely withheld (at most 10 % over the run).
"""

from __future__ import annotations

import dataclasses
import json
import os
from functools import lru_cache

import pytest
from adversary import GROUPS, SINGLE_FEED, Case, profile, single_cases, squeeze
from casefeeds import single_doc
from conftest import ROOT
from harness import found, view
from hypothesis import assume, given
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.model import FeedConfig, ParseOutcome
from pelican.plugins.blogroll.registry.load import load_vocabulary
from pelican.plugins.blogroll.update.worker import ParseJob, parse_and_clean
from test_generated_precision import _blog, _identity_clear, precise

# Words of the feeds' own templates (casefeeds, adversary.NEUTRAL): a needle inside them is no leak.
TEMPLATE = squeeze("Billet du carnet Garde de nuit avec Merci à pour la relecture Le carnet de Les notes de médecin "
                   "Un carnet tenu par Notes de garde Rédaction redaction contact example org annuaire auteur "
                   "equipe social cdn avatars photo jpg png https notes garde html La suite sur cet autre carnet "
                   "Une nuit de garde calme, trois entrées et un café froid. Réflexions sur la consultation du lundi "
                   "matin. Le point sur les nouvelles recommandations de vaccination. urn uuid billet")


@lru_cache(maxsize=1)
def _vocabulary():
    return load_vocabulary(ROOT / "specialties.yaml")


def feed_of(fid: str, path: str, **extra: str) -> FeedConfig:
    return FeedConfig(id=fid, title=extra.get("title") or f"Carnet {fid}", author=extra.get("author") or f"Plume {fid}",
                      site=f"https://{fid}.example/", feed=f"https://{fid}.example{path}",
                      specialties=("medecine-generale",))


def run(body: str, feed: FeedConfig, base_url: str, atom: bool) -> ParseOutcome:
    ctype = "application/atom+xml" if atom else "application/rss+xml"
    return parse_and_clean(ParseJob(body.encode("utf-8"), base_url, ctype, feed, _vocabulary(), max_entries=50,
                                    excerpt_words=60))


def run_blog(blog) -> ParseOutcome:
    """A one-build blog of the precision corpus through parse_and_clean, from where its
    registered address leads (a 301 on the same server: its target is the base URL)."""
    routes = blog.routes[0]
    path = routes[blog.path].redirect_to or blog.path
    feed = dataclasses.replace(feed_of(blog.fid, blog.path), author=blog.pseudonym, title=blog.title)
    return run(routes[path].body, feed, f"https://{blog.fid}.example{path}", routes[path].atom)


def published_text(outcome: ParseOutcome) -> str:
    """Everything of the outcome that may be stored, published or printed by `try`."""
    parts = list(outcome.warnings)
    for e in outcome.entries or ():
        parts += [e.title, e.excerpt, e.link, *e.tags, json.dumps([list(x) for x in getattr(e, "cites", ())]),
                  json.dumps([[s, list(w)] for s, w in e.filed_by])]
    return "\n".join(parts)


def _report(row: dict) -> None:
    path = os.environ.get("ANONYMITY_ADVERSARY_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"test": "pipeline", **row}) + "\n")


def judge(case: Case) -> list[tuple[str, str, str]]:
    fid = "g00"
    doc = single_doc(case, fid)
    path = f"/{fid}/flux.xml"
    base = f"https://{fid}.example" + (f"/par/{case.identity.slug}/flux.xml" if case.field == "redirect" else path)
    outcome = run(doc.render(), feed_of(fid, path), base, doc.atom)
    sub, word = case.needles()
    return found([view("outcome", published_text(outcome))], sub, word)


KNOWN_GAPS: dict[str, str] = {}


def _param(group: str):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[group])] if group in KNOWN_GAPS else []
    return pytest.param(group, marks=marks, id=group)


@pytest.mark.parametrize("group", [_param(g) for g in SINGLE_FEED])
@given(data=st.data())
@profile("pipeline")
def test_no_declared_identity_survives_parse_and_clean(group, data):
    case = data.draw(single_cases(group), label="case")
    sub, word = case.needles()
    assume(not any(n in TEMPLATE for n in sub))
    hits = judge(case)
    _report({"group": group, "family": case.family, "field": case.field, "place": case.place,
             "kind": case.identity.kind, "text": case.text, "leaked": bool(hits)})
    assert not hits, f"{case.label}: {case.text!r} declared {case.declared!r} -> {hits[0]}"


assert set(SINGLE_FEED) <= set(GROUPS)

_SEEN = {"entries": 0, "withheld": 0}


@given(p=st.integers(0, 10 ** 6).flatmap(lambda seed: precise(salt=seed)), n=st.integers(0, 99))
@profile("pipeline")
def test_legitimate_phrases_keep_every_word_through_parse_and_clean(p, n):
    assume(_identity_clear(p))
    blog, phrase, link = _blog(p, n)
    outcome = run_blog(blog)
    assert outcome.error is None and outcome.entries, outcome.error
    (entry,) = outcome.entries
    _SEEN["entries"] += 1
    if getattr(entry, "withheld", ""):  # allowed, rarely: counted
        _SEEN["withheld"] += 1
        assert _SEEN["withheld"] <= max(1, _SEEN["entries"] // 10), \
            f"{_SEEN['withheld']} of {_SEEN['entries']} legitimate entries withheld; last: {p.kind} {phrase!r}"
        return
    text = " ".join((entry.title, entry.excerpt, *entry.tags))
    assert squeeze(phrase) in squeeze(text), f"{p.kind}/{p.place}/{p.trap}/{p.field} {phrase!r}: {text!r}"
    assert entry.link == link, (p.trap, entry.link)

