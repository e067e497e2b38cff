"""The peer of `make bench`: the `reader` feed-reader library fetching and storing the same corpus.

    python -m bench.peer DB FEEDS_YAML [--workers 8]

Adds every feed of FEEDS_YAML to the reader database DB (SQLite, created when missing) and runs
one `update_feeds` (fetch with conditional requests, parse with feedparser, store): what a feed
reader does each hour, building nothing. The bench runs it cold (a new DB) and warm (the same DB
again, the server answering 304 where it can), on the same corpus and in the same run as our
builds, and prints our times as ratios of its times. `reader` is a bench-only extra
(`pip install -e '.[bench]'`, which `make bench` does), never a runtime dependency.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__.split("\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("feeds", type=Path)
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args(argv)
    from reader import make_reader

    urls = [f["feed"] for f in yaml.safe_load(args.feeds.read_text("utf-8"))["feeds"]]
    reader = make_reader(str(args.db))
    try:
        known = {f.url for f in reader.get_feeds()}
        for url in urls:
            if url not in known:
                reader.add_feed(url)
        # Every feed, due or not: like our builds in the bench (BLOGROLL_POLL_ADAPTIVE=0), the worst hour.
        reader.update_feeds(workers=args.workers, scheduled=False)
        entries = reader.get_entry_counts().total
        errors = sum(1 for f in reader.get_feeds() if f.last_exception)
    finally:
        reader.close()
    print(f"reader: {len(urls)} feeds, {entries} entries stored, {errors} feeds in error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
