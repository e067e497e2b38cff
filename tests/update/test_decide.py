"""update/decide.py: a fetch and its parse turned into one FeedUpdate, without I/O."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.detect import Memory
from pelican.plugins.blogroll.core.entrykeys import takedown_key
from pelican.plugins.blogroll.core.identity import variants
from pelican.plugins.blogroll.core.model import (
    BackfillState,
    CleanEntry,
    FeedConfig,
    FeedHealth,
    FeedUpdate,
    FetchResult,
    Outcome,
    ParseOutcome,
    Takedowns,
)
from pelican.plugins.blogroll.core.publicsafe import MOVED
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.update import decide
from pelican.plugins.blogroll.update.decide import Fetched
from pelican.plugins.blogroll.update.plan import PollPolicy, after_fetch, plan

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
FEED = FeedConfig(id="alpha", title="Alpha", author="Docteur Alpha", site="https://alpha.example/",
                  feed="https://alpha.example/feed/", specialties=("medecine-generale",))
PACE = PollPolicy()
BODY = b"<rss/>"


def result(outcome: Outcome = Outcome.OK, **kw: object) -> FetchResult:
    return FetchResult("alpha", FEED.feed, outcome, NOW, **({"status": 200, "body": BODY} | kw))  # type: ignore[arg-type]


def entry(n: int, published: datetime | None = None, *, named: bool = False) -> CleanEntry:
    return CleanEntry("alpha", f"g{n}", f"https://alpha.example/{n}", f"Billet {n}", "x", published, (), (),
                      f"h{n}", link_named=named)


def parsed(*entries: CleanEntry, error: str | None = None) -> ParseOutcome:
    return ParseOutcome(None if error else entries, error, ttl=3600 if not error else None, raw_count=len(entries))


def test_triage_names_the_four_ends_of_a_fetch():
    read = decide.after_parse(result(), FEED, None, parsed(entry(1)), PACE, entries=(entry(1),)).health
    assert decide.triage(result(), FEED, None) is Fetched.NEW_BODY
    assert decide.triage(result(), FEED, read) is Fetched.SAME_BODY
    assert decide.triage(result(body=b"<rss>2</rss>"), FEED, read) is Fetched.NEW_BODY
    assert decide.triage(result(Outcome.NOT_MODIFIED, body=None, status=304), FEED, read) is Fetched.NOT_MODIFIED
    assert decide.triage(result(Outcome.ERROR, body=None, status=500), FEED, read) is Fetched.FAILED
    assert decide.triage(result(Outcome.GONE, body=None, status=410), FEED, read) is Fetched.FAILED
    # The same bytes after a failure, or for an edited entry, are parsed again.
    failed = dataclasses.replace(read, last_error="x")
    assert decide.triage(result(), FEED, failed) is Fetched.NEW_BODY
    edited = dataclasses.replace(FEED, title="Alpha bis")
    assert decide.triage(result(), edited, read) is Fetched.NEW_BODY


def test_a_fetch_without_parse_changes_the_health_only():
    update = decide.without_parse(result(Outcome.ERROR, body=None, status=500, error="HTTP 500"), FEED, None,
                                  Fetched.FAILED, PACE)
    assert update.entries == () and update.walk is None and update.attempted
    assert update.health is not None and update.health.last_error == "HTTP 500"
    same = decide.without_parse(result(), FEED, None, Fetched.SAME_BODY, PACE)
    assert same.health is not None and same.health.body_hash == decide.body_hash(BODY)


def test_publishable_keeps_no_server_value_that_could_hold_a_name(caplog):
    r = result(permanent_url="https://prenom-nom.example/par/prenom-nom/feed", etag='W/"prenom.nom@example.org"',
               error="HTTP 500 : Erreur de prenom.nom@example.org")
    with caplog.at_level("DEBUG"):
        safe = decide.publishable(r)
    assert safe.permanent_url == MOVED
    assert "prenom" not in (safe.etag or "") and "prenom" not in (safe.error or "")
    # The build log is public (a pull request's CI prints it): it says the feed moved, not where.
    assert "permanent redirect" in caplog.text and "prenom" not in caplog.text


def test_a_named_link_is_counted_in_the_note_and_a_clean_parse_clears_it():
    out = parsed(entry(1, named=True), entry(2, named=True), entry(3))
    update = decide.after_parse(result(), FEED, None, out, PACE, entries=out.entries)
    assert update.health is not None and update.health.note is not None and update.health.note.startswith("2 ")
    again = decide.after_parse(result(), FEED, update.health, parsed(entry(3)), PACE, entries=(entry(3),))
    assert again.health is not None and again.health.note is None


def test_a_parse_error_keeps_the_archive_and_forgets_the_body():
    update = decide.after_parse(result(), FEED, None, parsed(error="flux illisible"), PACE, entries=None)
    assert update.entries == () and update.health is not None
    assert update.health.last_error == "flux illisible" and update.health.body_hash is None


def test_takedowns_are_never_kept():
    out = parsed(entry(1), entry(2))
    t = Takedowns(frozenset(), frozenset({takedown_key("g1")}))
    assert [e.guid for e in decide.kept(out, t) or ()] == ["g2"]
    assert decide.kept(parsed(error="x"), t) is None


@settings(deadline=None)  # a loaded machine's speed is not what this tests
@given(st.lists(st.integers(min_value=-2000, max_value=48), min_size=1, max_size=6),
       st.none() | st.integers(min_value=-4000, max_value=0))
def test_the_polling_plan_follows_the_newest_post_the_store_reports(hours, before):
    """Whatever the archive held, the health written says the newest post is the one the
    store reports, and the next fetch is planned from it (as plan.plan would from scratch)."""
    last_post = NOW + timedelta(hours=before) if before is not None else None
    health = dataclasses.replace(after_fetch(None, FEED, result(), body_hash="old"), last_post=last_post)
    entries = tuple(entry(i, NOW + timedelta(hours=h)) for i, h in enumerate(hours))
    newest = max([e.published for e in entries if e.published] + ([last_post] if last_post else []))
    update = decide.after_parse(result(body=b"new"), FEED, health, parsed(*entries), PACE, entries=entries,
                                newest=newest)
    assert update.health is not None and update.health.last_post == newest
    expected = plan(dataclasses.replace(update.health, next_poll=None), PACE)
    assert update.health.next_poll == expected.next_poll


def test_the_walk_is_seeded_once_from_the_hourly_fetch():
    on = Settings(backfill_budget=3)
    out = parsed(entry(1, NOW))
    seeded = decide.seed_walk(result(), FEED, out, None, on)
    assert seeded is not None and seeded.pages == 1 and seeded.feed_url == FEED.feed
    assert decide.seed_walk(result(), FEED, out, seeded, on) is None  # already walking
    moved = dataclasses.replace(seeded, feed_url="https://alpha.example/old-feed/")
    assert decide.seed_walk(result(), FEED, out, moved, on) is not None  # the feed moved: a new walk
    assert decide.seed_walk(result(), FEED, out, None, Settings(backfill_budget=0)) is None
    assert decide.seed_walk(result(), FEED, parsed(error="x"), None, on) is None


# --- the detector's second look at /etat/ texts and the walk table ---------------------------

_SYLLABLE = st.sampled_from(("ga", "vor", "mi", "len", "dra", "quis", "tre", "bel", "no", "ru", "zan", "pel"))
_NAME_PART = st.lists(_SYLLABLE, min_size=2, max_size=4).map("".join)


@given(first=_NAME_PART, last=_NAME_PART, how=st.sampled_from(("plain", "upper", "glued", "initial", "title")))
@settings(max_examples=60, deadline=None)
def test_a_declared_name_in_an_error_note_or_walk_reason_is_never_kept(first, last, how):
    first, last = first.capitalize(), last.capitalize()
    against = decide.checks("a", None, (Memory(b"k"), Memory(b"k")), variants([f"{first} {last}"]))
    written = {"plain": f"{first} {last}", "upper": f"{first} {last}".upper(), "glued": f"{first}{last}",
               "initial": f"{first[0]}. {last}", "title": f"Dr {last}"}[how]
    error = f"encodage de contenu non pris en charge {written}"
    assert decide.safe_text(error, against) == decide.UNSAFE_TEXT
    assert decide.safe_text("service indisponible (HTTP 503)", against) == "service indisponible (HTTP 503)"
    health = FeedHealth("a", url="https://a.example/feed", last_error=error, note=f"Note : {written}")
    screened = decide.safe_health(FeedUpdate("a", health), against).health
    assert screened is not None and screened.last_error == screened.note == decide.UNSAFE_TEXT
    walk = decide.safe_walk(BackfillState("a", "https://a.example/feed", reason=f"abandon : {written}"),
                            FEED, against)
    assert walk is not None and walk.reason == decide.UNSAFE_TEXT
