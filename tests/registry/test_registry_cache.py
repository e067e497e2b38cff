"""registry/load.py: the registry a build loaded is kept in the state folder and read back by the
next build from the same bytes and code, never from other bytes, never when invalid."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import pickle

import pytest
from conftest import SPECIALTIES, registry_yaml
from pelican.plugins.blogroll.core.errors import RegistryError

loader = importlib.import_module("pelican.plugins.blogroll.registry.load")  # the module, not its `load`


@pytest.fixture
def fresh(monkeypatch):
    """Each load as in a new process: no registry remembered in memory."""
    monkeypatch.setattr(loader, "_LAST", None)
    return lambda: monkeypatch.setattr(loader, "_LAST", None)


def feeds_file(tmp_path, ids):
    path = tmp_path / "feeds.yaml"
    path.write_text(registry_yaml([{"id": i, "feed": f"https://{i}.example/feed"} for i in ids]), "utf-8")
    return path


def test_the_next_build_reads_the_registry_back_from_the_state_folder(tmp_path, fresh):
    state = tmp_path / "state"
    state.mkdir()
    feeds = feeds_file(tmp_path, ["alpha", "beta"])
    first = loader.load(feeds, SPECIALTIES, cache_dir=state)
    assert (state / loader.REGISTRY_CACHE).is_file()
    fresh()
    assert loader.load(feeds, SPECIALTIES, cache_dir=state) == first
    # What is read back is the file's: a registry written under the same key is the one loaded.
    data = (state / loader.REGISTRY_CACHE).read_bytes()
    other = dataclasses.replace(first, feeds=first.feeds[:1])
    (state / loader.REGISTRY_CACHE).write_bytes(data[:32] + pickle.dumps((other, ())))
    fresh()
    assert [f.id for f in loader.load(feeds, SPECIALTIES, cache_dir=state).feeds] == ["alpha"]


def test_other_bytes_or_a_broken_cache_load_the_file_again(tmp_path, fresh):
    state = tmp_path / "state"
    state.mkdir()
    feeds = feeds_file(tmp_path, ["alpha"])
    loader.load(feeds, SPECIALTIES, cache_dir=state)
    feeds_file(tmp_path, ["alpha", "gamma"])
    fresh()
    assert [f.id for f in loader.load(feeds, SPECIALTIES, cache_dir=state).feeds] == ["alpha", "gamma"]
    (state / loader.REGISTRY_CACHE).write_bytes(hashlib.sha256(b"x").digest() + b"not a pickle")
    fresh()
    assert [f.id for f in loader.load(feeds, SPECIALTIES, cache_dir=state).feeds] == ["alpha", "gamma"]


def test_an_invalid_registry_is_never_served_from_the_cache(tmp_path, fresh):
    state = tmp_path / "state"
    state.mkdir()
    feeds = feeds_file(tmp_path, ["alpha"])
    loader.load(feeds, SPECIALTIES, cache_dir=state)
    feeds.write_text(feeds.read_text("utf-8") + "  - id: alpha\n", "utf-8")
    fresh()
    with pytest.raises(RegistryError) as err:
        loader.load(feeds, SPECIALTIES, cache_dir=state)
    assert any(line for _, line, _ in err.value.problems)
