"""update/worker.py `prepare`: the fork pool's workers inherit the tables parse and clean build
on their first feed, and what the warm-up leaves behind never changes an outcome.

Each check runs in a fresh interpreter: this test process has long built those tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Ten made-up blogs, each naming its author in the feed, one post naming the other's; every post
# also holds the words of the name in prepare's own made-up feed: what the warm-up leaves behind
# must not cut them anywhere.
_SCRIPT = r'''
import json, sys
from pathlib import Path
from pelican.plugins.blogroll.core.model import FeedConfig
from pelican.plugins.blogroll.registry.load import load_vocabulary
from pelican.plugins.blogroll.update import worker

vocabulary = load_vocabulary(Path(sys.argv[1]))
names = ["Aurèle Vasquin", "Bérangère Ollivro", "Corentin Malfrat", "Dolorès Quimpel", "Éloi Brandanne",
         "Firmine Castagno", "Gaspard Lhuillet", "Hortense Pajolle", "Ignace Verdurel", "Judith Sarrasque"]
jobs = []
for i, name in enumerate(names):
    other = names[(i + 1) % len(names)]
    items = "".join(
        f"<item><title>Garde {k} aux urgences</title><link>https://b{i}.example/{k}/</link>"
        f"<dc:creator>{name}</dc:creator><description>&lt;p&gt;Une nuit de garde, un patient fébrile. "
        f"{other.split()[1].upper() if k == 1 else 'Une'} ordonnance, une FIV, un bilan de PMA. "
        f"Ombeline passe chez Tavernier.&lt;/p&gt;</description></item>"
        for k in range(3))
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Carnet {i}</title><link>https://b{i}.example/</link>{items}</channel></rss>")
    feed = FeedConfig(id=f"b{i}", title=f"Carnet {i}", author=f"Plume {i}", site=f"https://b{i}.example/",
                      feed=f"https://b{i}.example/feed/", specialties=("medecine-generale",))
    jobs.append(worker.ParseJob(body.encode(), feed.feed, "application/rss+xml", feed, vocabulary, 50, 50))

def seen(outcomes):
    return [[repr(o.entries), o.error, repr(o.warnings)] for o in outcomes]

mode = sys.argv[2]
if mode == "tables":
    from pelican.plugins.blogroll.core import identity, names as core_names
    from pelican.plugins.blogroll.clean import classify
    tables = lambda: [core_names._french_words.cache_info().currsize, core_names._format_chars.cache_info().currsize,
                      identity._skeleton.cache_info().currsize, len(classify._MATCHERS)]
    before = tables()
    worker.prepare(jobs)
    print(json.dumps([before, tables()]))
elif mode == "serial":
    print(json.dumps(seen(worker.run_jobs(jobs, 0))))
elif mode == "prepared":
    worker.prepare(jobs)
    print(json.dumps(seen(worker.run_jobs(jobs, 0))))
else:
    print(json.dumps(seen(worker.run_jobs(jobs, 2))))
'''


def _run(mode: str):
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(ROOT / "specialties.yaml"), mode],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def test_prepare_builds_in_the_parent_the_tables_each_worker_would_build() -> None:
    before, after = _run("tables")
    assert before == [0, 0, 0, 0]
    assert after == [1, 1, 1, 1]


def test_outcomes_are_the_same_prepared_or_not_in_the_pool_or_not() -> None:
    serial = _run("serial")
    assert len(serial) == 10 and all(error is None for _, error, _ in serial)
    assert all("Ombeline passe chez Tavernier" in entries for entries, _, _ in serial)
    assert _run("prepared") == serial
    assert _run("pool") == serial  # the pool: prepared in the parent, then forked
