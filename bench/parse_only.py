"""The parse floor: the same bytes the build fetches, parsed with nothing else.

    python -m bench.parse_only FEEDS_YAML SERVED_DIR BASE_URL [--workers 2] [--clean]

Reads every feed file of the registry from disk (no HTTP), then runs the
update path's parse stage (`parse_feed`) — or with --clean the whole
parse+clean stage (`update.worker.parse_and_clean`) — in a fork process pool,
the way `update.worker.run_jobs` does. Prints one JSON line with the counts.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.core.errors import ParseError
from pelican.plugins.blogroll.parse import parse_feed
from pelican.plugins.blogroll.update import worker

SPECIALTIES = Path(__file__).resolve().parent.parent / "specialties.yaml"


def _parse_only(job: worker.ParseJob) -> int:
    try:
        return len(parse_feed(job.body, base_url=job.base_url, content_type=job.content_type,
                              max_entries=job.max_entries).entries)
    except ParseError:
        return -1


def _parse_clean(job: worker.ParseJob) -> int:
    outcome = worker.parse_and_clean(job)
    return -1 if outcome.entries is None else len(outcome.entries)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.parse_only")
    ap.add_argument("feeds", type=Path)
    ap.add_argument("served", type=Path)
    ap.add_argument("base_url")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clean", action="store_true", help="parse and clean (the whole worker stage)")
    args = ap.parse_args(argv)

    reg = registry.load(args.feeds, SPECIALTIES, allow_private=True)
    jobs = []
    for feed in reg.active:
        rel = feed.feed[len(args.base_url):].lstrip("/")
        body = (args.served / rel).read_bytes()
        ctype = "application/atom+xml" if b"<feed" in body[:500] else "application/rss+xml"
        jobs.append(worker.ParseJob(body, feed.feed, ctype, feed, reg.vocabulary, 200, 50))
    started = time.perf_counter()
    fn = _parse_clean if args.clean else _parse_only
    if args.workers > 0:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=args.workers, mp_context=ctx) as pool:
            counts = list(pool.map(fn, jobs, chunksize=4))
    else:
        counts = [fn(j) for j in jobs]
    elapsed = time.perf_counter() - started
    print(json.dumps({"feeds": len(jobs), "bytes": sum(len(j.body) for j in jobs),
                      "entries": sum(c for c in counts if c > 0), "failed": sum(1 for c in counts if c < 0),
                      "seconds_in_pool": round(elapsed, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
