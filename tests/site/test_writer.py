"""The output writer (site/builder/writer.py): whether the previous build's files are still on
disk, as told by each folder's stamp, and hours that commit nothing rewriting nothing."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.site.builder.writer import OutputWriter

NAMES = st.sampled_from(["a", "b", "c", "index.html", "page.xml"])
FILES = st.lists(st.tuples(st.sampled_from(["", "x", "y", "x/z", "x/z/w", "y/v"]), NAMES), min_size=1, max_size=12,
                 unique=True)

# What someone (or something) may do to the output folder between two builds.
CHANGES = st.lists(st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 50)),         # one of our files
    st.tuples(st.just("rmtree"), st.integers(0, 50)),         # the folder of one of our files
    st.tuples(st.just("rename"), st.integers(0, 50)),         # one of our files, to a name of no one's
    st.tuples(st.just("edit"), st.integers(0, 50)),           # rewritten in place (still there)
    st.tuples(st.just("add"), st.integers(0, 50)),            # a file of no one's beside one of ours
    st.tuples(st.just("add-remove"), st.integers(0, 50)),     # a file added then removed: nothing lost
    st.tuples(st.just("replace-by-folder"), st.integers(0, 50)),
), max_size=4)


def _path(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _apply(out: Path, ours: list[str], change: tuple[str, int]) -> None:
    kind, i = change
    rel = ours[i % len(ours)]
    path = out / rel
    if kind == "delete":
        if path.is_file():
            path.unlink()
    elif kind == "rmtree":
        shutil.rmtree(path.parent if path.parent != out else out / "x", ignore_errors=True)
    elif kind == "rename":
        if path.is_file():
            path.rename(path.with_name(path.name + ".moved"))
    elif kind == "edit":
        if path.is_file():
            path.write_text("autre chose", "utf-8")
    elif kind == "add":
        if path.parent.is_dir():
            (path.parent / "extra.txt").write_text("!", "utf-8")
    elif kind == "add-remove":
        if path.parent.is_dir():
            (path.parent / "tmp.txt").write_text("!", "utf-8")
            (path.parent / "tmp.txt").unlink()
    elif kind == "replace-by-folder" and path.is_file():
        path.unlink()
        path.mkdir()


def _build(out: Path, manifest: Path, files: list[str]) -> OutputWriter:
    w = OutputWriter(out, manifest)
    for rel in files:
        w.write(rel, f"<p>{rel}</p>")
    w.finish()
    return w


def _next_tick(writer: OutputWriter, scratch: Path) -> None:
    """Wait until the file system's clock is past the stamps file's time (a few ms at most)."""
    after = os.stat(writer.folders).st_ctime_ns
    for _ in range(2000):
        (scratch / "tick").write_text("t", "utf-8")
        if os.stat(scratch / "tick").st_ctime_ns > after:
            return
        time.sleep(0.001)


def _unchanged_hour(out: Path, manifest: Path) -> OutputWriter:
    w = OutputWriter(out, manifest)
    assert w.previous_intact()
    for rel in sorted(w.previous()):
        assert w.keep(rel)
    assert w.finish() == []
    return w


@settings(max_examples=150, deadline=None)
@given(files=FILES, changes=CHANGES, settled=st.booleans())
def test_the_previous_build_is_intact_exactly_when_all_its_files_are_there(files, changes, settled):
    """Whatever was done to the folder since the last commit, and however soon: the answer is the
    one a `stat` of every file would give (folder stamps are a shortcut, never a guess).
    `settled`: an hour with nothing to commit came between, in a later tick of the file
    system's clock, so the folders' stamps are trusted when the changes come."""
    ours = [_path(f, n) for f, n in files]
    with tempfile.TemporaryDirectory() as tmp:
        out, manifest = Path(tmp) / "out", Path(tmp) / "state" / "manifest.json"
        w = _build(out, manifest, ours)
        if settled:
            _next_tick(w, Path(tmp))
            _unchanged_hour(out, manifest)
        for change in changes:
            _apply(out, ours, change)
        truth = all((out / rel).is_file() for rel in ours)
        w = OutputWriter(out, manifest)
        assert w.previous_intact() == truth
        for rel in ours:
            assert w.on_disk(rel) == (out / rel).is_file()


@settings(max_examples=60, deadline=None)
@given(garbage=st.one_of(st.binary(max_size=64), st.builds(lambda d: json.dumps(d).encode(), st.dictionaries(
    st.sampled_from(["", "x", "y", "../x"]), st.one_of(st.integers(), st.lists(st.integers(), max_size=3),
                                                       st.text(max_size=3), st.none()), max_size=3))))
def test_a_lost_or_forged_stamps_file_only_means_looking_at_every_file(garbage):
    with tempfile.TemporaryDirectory() as tmp:
        out, manifest = Path(tmp) / "out", Path(tmp) / "state" / "manifest.json"
        w = _build(out, manifest, ["index.html", "x/a", "y/b"])
        w.folders.write_bytes(garbage)
        (out / "x" / "a").unlink()
        fresh = OutputWriter(out, manifest)
        assert not fresh.previous_intact()
        assert fresh.on_disk("y/b") and not fresh.on_disk("x/a")


def test_an_hour_that_commits_nothing_rewrites_nothing(tmp_path):
    out, manifest = tmp_path / "out", tmp_path / "state" / "manifest.json"
    first = _build(out, manifest, ["index.html", "x/a", "x/z/b"])
    before = os.stat(manifest)
    _next_tick(first, tmp_path)
    # The first such hour may stamp the folders again (stamped in the commit's own tick, they
    # were not trusted); the next one has nothing left to do.
    _unchanged_hour(out, manifest)
    stamps = os.stat(first.folders)
    second = _unchanged_hour(out, manifest)
    assert not second.journal.exists()
    after = os.stat(manifest)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (os.stat(first.folders).st_ino, os.stat(first.folders).st_mtime_ns) == (stamps.st_ino, stamps.st_mtime_ns)
    assert set(json.loads(first.folders.read_text("utf-8"))) == {"", "x", "x/z"}

    third = OutputWriter(out, manifest)
    third.write("index.html", "<p>index.html</p>")  # the same bytes: unchanged, not a change
    third.keep("x/a")
    assert third.finish() == ["x/z/b"]  # no longer produced: deleted, and committed
    assert json.loads(manifest.read_text("utf-8"))[third.key] == ["index.html", "x/a"]
    assert not (out / "x" / "z").exists()
    assert set(json.loads(first.folders.read_text("utf-8"))) == {"", "x"}


@pytest.mark.parametrize("rel", ["../dehors.html", "a/../../dehors.html", ".blogroll-staging/x", "./.."])
def test_paths_that_leave_the_output_folder_are_refused(tmp_path, rel):
    from pelican.plugins.blogroll.site.builder.writer import CollisionError
    w = OutputWriter(tmp_path / "out", tmp_path / "manifest.json")
    with pytest.raises(CollisionError):
        w.write(rel, "x")


@pytest.mark.parametrize("rel", [".well-known/security.txt", "a/.hidden", "a/b.c/d", "a//b"])
def test_paths_with_dots_that_stay_inside_are_written(tmp_path, rel):
    w = OutputWriter(tmp_path / "out", tmp_path / "manifest.json")
    w.write(rel, "x")
    w.finish()
    assert (tmp_path / "out" / rel).read_text("utf-8") == "x"
