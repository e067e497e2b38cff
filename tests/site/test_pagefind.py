"""site/builder/pagefind.py: real Pagefind runs, and the one cache that decides which search
bundles are kept as they are (a bundle on disk that is the recorded one, with the recorded
records) and which are indexed again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import entry_view, search_record
from pelican.plugins.blogroll.site.builder import pagefind
from pelican.plugins.blogroll.site.builder.writer import OutputWriter
from pelican.plugins.blogroll.site.formats import search
from pelican.plugins.blogroll.site.formats.search import Bundles
from pelican.plugins.blogroll.site.model.views import EntryView

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
RECENT, BASE = "pagefind/recent/", "pagefind/base/"


def entry(n: int, *, noindex: bool = False, when: datetime | None = None) -> EntryView:
    return entry_view(n, when or NOW - timedelta(days=n), link=f"https://blog{n}.example/{n}/",
                      excerpt=f"Un mot{n} et un ornithorynque.", noindex=noindex)


class Records:
    """The tests' record page, counting the records rendered."""

    def __init__(self, extra: str = "") -> None:
        self.extra = extra
        self.count = 0

    def __call__(self, e: EntryView) -> str:
        self.count += 1
        return search_record(e) + self.extra


@dataclass
class Build:
    bundles: Bundles
    writer: OutputWriter
    rendered: int  # records rendered


class Builds:
    """Successive builds of one output folder, as the renderer runs them (without other pages)."""

    def __init__(self, root: Path) -> None:
        self.out, self.manifest, self.state = root / "out", root / "manifest.json", root / "search-digests.json"

    def run(self, entries: list[EntryView], *, day: str | None = None, records: Records | None = None, commit: bool = True) -> Build:
        """`day` stands for the memo's scope in the inputs key (None: no key, records always rendered);
        without `commit`, the build is killed after indexing and before the writer's commit."""
        records = records or Records()
        w = OutputWriter(self.out, self.manifest)
        key = None if day is None else (lambda p: day + "|" + "|".join(e.link + e.excerpt for e in p.entries))
        with pagefind.start(entries, records, w, inputs_key=key) as indexing:
            bundles = indexing.collect()
        if commit:
            w.finish()
        return Build(bundles, w, records.count)

    def recorded(self) -> dict[str, Any]:
        return json.loads(self.state.read_text("utf-8"))


def under(folder: str, paths: Iterable[str]) -> set[str]:
    return {p for p in paths if p.startswith(folder)}


def page_count(bundle: Path) -> int:
    return json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]["fr"]["page_count"]


def test_a_bundle_is_rewritten_only_when_its_records_change(tmp_path: Path) -> None:
    b = Builds(tmp_path)
    old = entry(40)
    first = b.run([entry(1), entry(2), entry(3, noindex=True), old])
    # Two bundles: the newest entry (the primary: Pagefind's script lives there), the rest in the base.
    assert first.bundles == Bundles(3, (RECENT, BASE)) and first.rendered == 3
    assert page_count(b.out / RECENT) == 1 and page_count(b.out / BASE) == 2
    w = first.writer
    assert {RECENT + "pagefind.js", RECENT + "pagefind-entry.json", BASE + "pagefind-entry.json"} <= set(w.changed)
    assert not any("wasm." in p or p.endswith(".js") for p in under(BASE, w.written))
    assert any(p.startswith(BASE + "fragment/") for p in w.changed)
    # What they were made from is kept in the state folder, not published beside the bundles.
    assert not any(p.endswith("records.sha256") for p in w.written)
    assert set(b.recorded()[w.key]["bundles"]) == {RECENT, BASE}
    # Without an inputs key the records are rendered, and the same records keep every file.
    again = b.run([entry(1), entry(2), entry(3, noindex=True), old])
    assert again.rendered == 3 and again.writer.changed == [] and again.writer.kept == len(w.written)
    # A new post: the recent bundle only is indexed again, the base is left as it is.
    changed = b.run([entry(0), entry(1), entry(2), old])
    assert RECENT + "pagefind-entry.json" in changed.writer.changed and page_count(b.out / RECENT) == 2
    assert not under(BASE, changed.writer.changed) and under(BASE, w.written) <= changed.writer.written
    # An old post arrives now (backfilled, or from a feed polled rarely): bundles go by arrival,
    # so it joins the recent bundle and the base is left as it is.
    late = replace(entry(20), seen=NOW)
    backfilled = b.run([entry(0), entry(1), entry(2), late, old])
    assert not under(BASE, backfilled.writer.changed) and page_count(b.out / RECENT) == 3
    # A post of the base edited: the base is indexed again and takes all but the last arrival
    # (entry 0 and the late post were both seen at NOW: the newer date of the two).
    edited = b.run([entry(0), entry(1), replace(entry(2), excerpt="Corrigé."), late, old])
    assert under(BASE, edited.writer.changed)
    assert page_count(b.out / RECENT) == 1 and page_count(b.out / BASE) == 4
    # Nothing to index: no bundle (Pagefind refuses an empty index), stale files removed.
    empty = b.run([entry(5, noindex=True)])
    assert empty.bundles == Bundles(0, ()) and not (b.out / "pagefind").exists()
    assert b.recorded()[w.key]["bundles"] == {}


def test_the_cut_off_stays_until_the_recent_bundle_outgrows_its_limit(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Hourly builds add posts to the recent bundle only; past RECENT_LIMIT records the cut-off
    moves to the newest post and the base, indexed again, takes the others."""
    monkeypatch.setattr(search, "RECENT_LIMIT", 4)
    b = Builds(tmp_path)
    archive = [entry(n) for n in range(10, 14)]
    b.run(archive, day="d1")
    cutoff = b.recorded()[next(iter(b.recorded()))]["cutoff"]
    posts: list[EntryView] = []
    for n in (9, 8, 7):  # three hours, one post each: the base is never touched
        posts.insert(0, entry(n))
        hour = b.run([*posts, *archive], day="d1")
        assert not under(BASE, hour.writer.changed) and page_count(b.out / RECENT) == len(posts) + 1
        assert b.recorded()[hour.writer.key]["cutoff"] == cutoff
    posts.insert(0, entry(6))  # a fifth recent record: over the limit
    moved = b.run([*posts, *archive], day="d1")
    assert under(BASE, moved.writer.changed) and page_count(b.out / RECENT) == 1
    assert page_count(b.out / BASE) == len(posts) - 1 + len(archive)
    assert b.recorded()[moved.writer.key]["cutoff"] == [entry(6).date.isoformat()] * 2


def test_unchanged_inputs_keep_a_bundle_without_rendering_a_record(tmp_path: Path) -> None:
    b = Builds(tmp_path)
    entries = [entry(1), entry(2), entry(40)]
    first = b.run(entries, day="d1")
    files = len(first.writer.written)
    hour = b.run(entries, day="d1")  # an hourly build with nothing new for the search
    assert hour.rendered == 0 and hour.writer.changed == [] and hour.writer.kept == files
    # The day's first build (another scope): the records are rendered, the same: nothing written.
    day = b.run(entries, day="d2")
    assert day.rendered == 3 and day.writer.changed == [] and day.writer.kept == files
    assert b.run(entries, day="d2").rendered == 0  # its inputs key was recorded
    # A new entry: the recent bundle's records only are rendered and indexed.
    new = b.run([entry(0), *entries], day="d2")
    assert new.rendered == 2 and not under(BASE, new.writer.changed) and page_count(b.out / RECENT) == 2
    # Records that change (a theme change: another scope) are indexed again; the base, found
    # changed at the recorded cut-off (2 records), takes all but the newest (3 more rendered).
    theme = b.run([entry(0), *entries], day="d3", records=Records("<!-- v2 -->"))
    assert theme.rendered == 2 + 3 + 1 and theme.writer.kept == 0 and page_count(b.out / BASE) == 3


def test_a_bundle_on_disk_that_is_not_the_recorded_one_is_indexed_again(tmp_path: Path) -> None:
    b = Builds(tmp_path)
    entries = [entry(1), entry(2), entry(3)]
    b.run(entries, day="d1")
    bundle = b.out / BASE
    entry_file = bundle / "pagefind-entry.json"
    # Another bundle in its place (a restored output/): its entry file is not the recorded one.
    entry_file.write_bytes(entry_file.read_bytes().replace(b'"page_count":2', b'"page_count":3'))
    restored = b.run(entries, day="d1")
    assert BASE + "pagefind-entry.json" in restored.writer.changed
    assert page_count(bundle) == 2
    # A file of the bundle gone: indexed again, the file is back.
    fragment = next((bundle / "fragment").iterdir())
    fragment.unlink()
    emptied = b.run(entries, day="d1")
    assert under(BASE, emptied.writer.changed) and fragment.is_file()
    assert b.run(entries, day="d1").writer.kept == len(emptied.writer.written)


def test_a_build_killed_before_its_commit_leaves_no_record_that_keeps_a_stale_bundle(tmp_path: Path) -> None:
    """The cache is saved before the writer's commit: a build killed in between recorded a bundle
    the disk does not hold. The next build with the same inputs must index it again, not keep
    the older bundle (it would miss the new entry)."""
    b = Builds(tmp_path)
    b.run([entry(1), entry(2)], day="d1")
    entries = [entry(0), entry(1), entry(2)]
    b.run(entries, day="d1", commit=False)
    assert page_count(b.out / RECENT) == 1  # the first build's bundle
    after = b.run(entries, day="d1")
    assert after.rendered == 2 and RECENT + "pagefind-entry.json" in after.writer.changed
    assert page_count(b.out / RECENT) == 2


def test_pagefinds_runtime_lives_in_the_primary_bundle_only(tmp_path: Path) -> None:
    b = Builds(tmp_path)
    b.run([entry(1), entry(2)], day="d1")
    assert (b.out / RECENT / "pagefind.js").is_file() and not (b.out / BASE / "pagefind.js").exists()
    # The newest post taken down: the recent part is empty with the recorded cut-off, and the
    # base, which would be the primary, lacks the runtime: the cut-off moves, one bundle is left.
    later = b.run([entry(2)], day="d1")
    assert later.bundles == Bundles(1, (RECENT,)) and (b.out / RECENT / "pagefind.js").is_file()
    assert not (b.out / BASE).exists()


def test_records_of_older_builds_are_read_once(tmp_path: Path) -> None:
    """A bundle of a build older than the state file, with its records' digest in records.sha256
    beside it, is kept as it is once and that file goes; a record saved before the inputs key
    was kept ([records, entry], in the flat mapping of the builds before the cut-off) keeps its
    bundle once the records are rendered."""
    b = Builds(tmp_path)
    entries = [entry(1), entry(2, when=entry(1).date)]  # one date: one bundle
    first = b.run(entries)
    digests = b.recorded()
    bundle = b.out / RECENT
    b.state.unlink()
    (bundle / "records.sha256").write_text(digests[first.writer.key]["bundles"][RECENT][0] + "\n", "utf-8")
    manifest = json.loads(b.manifest.read_text("utf-8"))
    manifest[first.writer.key].append(RECENT + "records.sha256")
    b.manifest.write_text(json.dumps(manifest), "utf-8")
    migrated = b.run(entries)
    assert migrated.writer.changed == [] and migrated.writer.kept == len(first.writer.written)
    assert not (bundle / "records.sha256").exists() and b.recorded() == digests
    b.state.write_text(json.dumps({first.writer.key: {RECENT: digests[first.writer.key]["bundles"][RECENT][:2]}}),
                       "utf-8")
    keyed = b.run(entries, day="d1")
    assert keyed.rendered == 2 and keyed.writer.kept == len(first.writer.written)
    assert b.run(entries, day="d1").rendered == 0


def test_one_new_entry_leaves_the_other_search_fragments_untouched(tmp_path: Path) -> None:
    """Pagefind records are named by entry, not by rank: a new entry at the top adds its
    fragment instead of renaming (deleting and re-uploading) every other one."""
    b = Builds(tmp_path)

    def feb(n: int) -> EntryView:
        return entry(n, when=datetime(2026, 2, n, tzinfo=UTC))

    first = b.run([feb(3), feb(2), feb(1)])
    fragments = under(RECENT + "fragment/", first.writer.written)
    assert len(fragments) == 1
    again = b.run([feb(4), feb(3), feb(2), feb(1)])
    new = under(RECENT + "fragment/", again.writer.changed)
    assert len(new) == 1 and fragments < under(RECENT + "fragment/", again.writer.written)
    assert not under(BASE, again.writer.changed)


def test_bundles_are_indexed_and_collected_while_the_caller_works(tmp_path: Path) -> None:
    """`pump`, called between pages, starts the bundles waiting for a run and writes the finished
    ones: both bundles are written before `collect`."""
    months = [entry(m, when=datetime(2026, m, 10, tzinfo=UTC)) for m in (11, 10, 9)]
    w = OutputWriter(tmp_path / "out", tmp_path / "manifest.json")
    with pagefind.start(months, Records(), w) as indexing:
        deadline = time.monotonic() + 60
        entry_files = {RECENT + "pagefind-entry.json", BASE + "pagefind-entry.json"}
        while not entry_files <= w.written and time.monotonic() < deadline:
            time.sleep(0.05)  # a page being rendered
            indexing.pump()
        assert entry_files <= w.written
        assert indexing.collect() == Bundles(3, (RECENT, BASE))


def pagefind_children() -> list[str]:
    """This process's children that are Pagefind (running, or dead and not waited for)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        comm, fields = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        if int(fields[1]) == os.getpid() and (b"pagefind" in cmdline or "pagefind" in comm):
            found.append(f"{stat.parent.name} {comm} {fields[0]}")
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_error_while_the_pages_render_stops_pagefind_and_records_nothing(tmp_path: Path) -> None:
    w = OutputWriter(tmp_path / "out", tmp_path / "manifest.json")
    with pytest.raises(RuntimeError, match="a page failed"), \
            pagefind.start([entry(n) for n in range(1, 30)], Records(), w):
        assert pagefind_children()  # Pagefind is indexing
        raise RuntimeError("a page failed")
    assert pagefind_children() == []
    assert not (tmp_path / pagefind.DIGESTS).exists()
    scratch = Path(pagefind._scratch_dir() or tempfile.gettempdir())
    assert not list(scratch.glob(f"pagefind-{os.getpid()}-*"))


def test_scratch_folders_of_killed_builds_are_swept(tmp_path: Path) -> None:
    """A build killed during indexing leaves its Pagefind scratch folder (in /dev/shm: RAM);
    the next build removes those whose process is gone, and only those."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    for name in (f"pagefind-{dead}-abc", f"pagefind-{os.getpid()}-def", "pagefind-1-ghi", "pagefind-old",
                 "autre-chose"):
        (tmp_path / name / "records").mkdir(parents=True)
    pagefind._sweep(str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"pagefind-{os.getpid()}-def", "pagefind-1-ghi", "pagefind-old", "autre-chose"])
