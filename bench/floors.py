"""Each stage's CPU against its library floor, on the same bytes, in one process.

    python -m bench.floors FEEDS_YAML SERVED_DIR BASE_URL

For every feed of the registry (its file read from SERVED_DIR, no HTTP), one after the other
in this process, CPU time (time.process_time) of:

  parse     ours: parse_feed            floor: feedparser_rs.parse alone (the native parser)
  sanitize  ours: the clean stage's text extraction of each post body (clean.excerpt.entry_text:
            nh3, links to a person dropped, text, scrub of its head)
            floor: nh3.clean alone on the same bodies (our tag policy)
  clean     ours: the whole clean stage (clean_entries)     floor: the same nh3.clean floor
  store     ours: Store.apply of the cleaned entries into a new store (one transaction per feed)
            floor: sqlite3 inserting the same rows into one plain table of the same file settings
            (WAL, synchronous=FULL), one transaction per feed
  read      the view model's floor: sqlite3 reading every entry row of that store back

and the span of the entries' dates (the years a multi-year archive covers).

Prints one JSON object: {stage: {"ours_cpu_s", "floor_cpu_s", "ours", "floor", "items"} or
{"not_measured": reason}}. A stage whose code is not where this module looks (the clean stage
is being reworked) is reported as not measured, with the reason, never guessed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.core.errors import ParseError
from pelican.plugins.blogroll.parse import parse_feed

SPECIALTIES = Path(__file__).resolve().parent.parent / "specialties.yaml"


def _cpu(fn, items) -> tuple[float, list]:
    """CPU seconds of fn over items, after one untimed call (imports and caches loaded once)."""
    if items:
        fn(items[0])
    started = time.process_time()
    out = [fn(x) for x in items]
    return time.process_time() - started, out


def _stage(ours: str, ours_s: float, floor: str, floor_s: float, items: int) -> dict:
    return {"ours": ours, "ours_cpu_s": round(ours_s, 3), "floor": floor, "floor_cpu_s": round(floor_s, 3),
            "items": items}


def parse_stage(jobs: list[tuple]) -> tuple[dict, list]:
    import feedparser_rs

    def ours(job):
        body, url, ctype, _ = job
        try:
            return parse_feed(body, base_url=url, content_type=ctype, max_entries=200)
        except ParseError:
            return None

    def floor(job):
        try:
            return feedparser_rs.parse(job[0], sanitize_html=False, resolve_relative_uris=False)
        except Exception:  # the floor's own refusals cost what they cost
            return None

    floor_s, _ = _cpu(floor, jobs)
    ours_s, parsed = _cpu(ours, jobs)
    return _stage("parse_feed", ours_s, "feedparser_rs.parse", floor_s, len(jobs)), parsed


def nh3_floor(bodies: list[str]) -> tuple[float, str]:
    import nh3

    try:
        from pelican.plugins.blogroll.clean import sanitize as policy

        kwargs: dict[str, Any] = {"tags": policy.ALLOWED_TAGS, "attributes": policy.ALLOWED_ATTRIBUTES,
                                  "url_schemes": policy.ALLOWED_SCHEMES}
        what = "nh3.clean alone (our tag policy)"
    except (ImportError, AttributeError):
        kwargs, what = {}, "nh3.clean alone (nh3's default policy)"
    seconds, _ = _cpu(lambda b: nh3.clean(b, **kwargs), bodies)
    return seconds, what


def clean_stages(jobs: list[tuple], parsed: list, vocabulary) -> tuple[dict, list]:
    from pelican.plugins.blogroll.clean.entry import clean_entries
    from pelican.plugins.blogroll.clean.xmlchars import xml_safe

    bodies = [xml_safe(e.content_html) for p in parsed if p is not None for e in p.entries if e.content_html]
    floor_s, floor_what = nh3_floor(bodies)
    out: dict[str, dict] = {}
    try:
        from pelican.plugins.blogroll.clean.excerpt import entry_text

        ours_s, _ = _cpu(entry_text, bodies)
        out["sanitize"] = _stage("clean.excerpt.entry_text (nh3 + text extraction + scrub of its head)",
                                 ours_s, floor_what, floor_s, len(bodies))
    except (ImportError, TypeError) as exc:
        out["sanitize"] = {"not_measured": f"the clean stage's text extraction is not clean.excerpt.entry_text(str) "
                                           f"any more ({type(exc).__name__}: {exc})"}

    def clean(pair):
        (_, _, _, feed), p = pair
        if p is None:
            return []
        return clean_entries(p.entries, feed, vocabulary, excerpt_words=50, identities=p.identities)

    ours_s, cleaned = _cpu(clean, list(zip(jobs, parsed, strict=True)))
    out["clean"] = _stage("clean_entries (the whole clean stage)", ours_s, floor_what, floor_s, len(bodies))
    return out, cleaned


def _row(entry) -> tuple:
    return tuple(v if isinstance(v, (str, int, float, type(None))) else str(v)
                 for v in dataclasses.astuple(entry))


def store_stages(jobs: list[tuple], cleaned: list[list]) -> dict:
    from pelican.plugins.blogroll.core.model import FeedHealth, FeedUpdate
    from pelican.plugins.blogroll.store import Store

    seen = datetime.now(UTC)
    rows = sum(len(c) for c in cleaned)
    with tempfile.TemporaryDirectory(prefix="bench-floors-") as tmp:
        started = time.process_time()
        with Store(Path(tmp) / "ours") as store:
            for (_, _, _, feed), entries in zip(jobs, cleaned, strict=True):
                store.apply(FeedUpdate(feed.id, FeedHealth(feed.id, url=feed.feed), tuple(entries),
                                       attempted=False), seen)
        ours_s = time.process_time() - started
        floor_s = _sqlite_floor(Path(tmp) / "floor.sqlite3", jobs, cleaned)
        read_s, read_rows = _read_floor(Path(tmp) / "ours" / "blogroll.sqlite3")
    return {"store": _stage("Store.apply", ours_s, "sqlite3 INSERT of the same rows, one plain table",
                            floor_s, rows),
            "read": _stage("—", 0.0, "sqlite3 SELECT * FROM entries (every row)", read_s, read_rows)}


def _sqlite_floor(path: Path, jobs: list[tuple], cleaned: list[list]) -> float:
    width = max((len(dataclasses.fields(c[0])) for c in cleaned if c), default=1)
    started = time.process_time()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(f"CREATE TABLE entries (id INTEGER PRIMARY KEY, {', '.join(f'c{i}' for i in range(width))})")
    db.execute("CREATE TABLE feeds (id TEXT PRIMARY KEY, url TEXT)")
    insert = f"INSERT INTO entries ({', '.join(f'c{i}' for i in range(width))}) VALUES ({', '.join('?' * width)})"
    for (_, _, _, feed), entries in zip(jobs, cleaned, strict=True):
        db.execute("BEGIN")
        db.executemany(insert, [_row(e) for e in entries])
        db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?)", (feed.id, feed.feed))
        db.execute("COMMIT")
    db.close()
    return time.process_time() - started


def _read_floor(path: Path) -> tuple[float, int]:
    started = time.process_time()
    db = sqlite3.connect(path)
    rows = db.execute("SELECT * FROM entries").fetchall()
    db.close()
    return time.process_time() - started, len(rows)


def span(parsed: list) -> dict:
    """The entries the files hold and the years their dates span (published, else updated; dates
    in the future left out), as parse_feed reads them; documents it refuses counted apart."""
    now = datetime.now(UTC)
    dates = [d for p in parsed if p is not None for e in p.entries
             if (d := e.published or e.updated) is not None and d <= now]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    return {"documents": len(parsed), "refused": sum(1 for p in parsed if p is None),
            "entries": sum(len(p.entries) for p in parsed if p is not None), "dated": len(dates),
            "first": first.date().isoformat() if first else None, "last": last.date().isoformat() if last else None,
            "years_spanned": (last.year - first.year + 1) if first and last else 0,
            "distinct_years": len({d.year for d in dates})}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.floors")
    ap.add_argument("feeds", type=Path)
    ap.add_argument("served", type=Path)
    ap.add_argument("base_url")
    args = ap.parse_args(argv)
    reg = registry.load(args.feeds, SPECIALTIES, allow_private=True)
    jobs = []
    for feed in reg.active:
        body = (args.served / feed.feed[len(args.base_url):].lstrip("/")).read_bytes()
        ctype = "application/atom+xml" if b"<feed" in body[:500] else "application/rss+xml"
        jobs.append((body, feed.feed, ctype, feed))
    report: dict[str, dict] = {}
    report["parse"], parsed = parse_stage(jobs)
    cleans, cleaned = clean_stages(jobs, parsed, reg.vocabulary)
    report.update(cleans)
    report.update(store_stages(jobs, cleaned))
    report["span"] = span(parsed)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
