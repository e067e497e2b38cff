"""registry/load.py: the registry a build loaded is kept in the state folder and read back by the
next build from the same bytes and code, never from other bytes, never when invalid.

The state folder comes back from the CI's cache: what is read from it is JSON data rebuilt by
type (registry/codec.py), never code. Any file that is not exactly a registry written under
the same key is refused, and the registry is loaded from its files again."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import pickle
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SPECIALTIES, registry_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.errors import RegistryError
from pelican.plugins.blogroll.core.model import Registry, Vocabulary
from pelican.plugins.blogroll.registry import codec

loader = importlib.import_module("pelican.plugins.blogroll.registry.load")  # the module, not its `load`

KEY = hashlib.sha256(b"the files' bytes").digest()
# Each example writes and reads the same file of one test's folder (atomic writes, one at a time).
REUSE = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def fresh(monkeypatch):
    """Each load as in a new process: no registry remembered in memory."""
    monkeypatch.setattr(loader, "_LAST", None)
    return lambda: monkeypatch.setattr(loader, "_LAST", None)


def feeds_file(tmp_path, ids):
    path = tmp_path / "feeds.yaml"
    path.write_text(registry_yaml([{"id": i, "feed": f"https://{i}.example/feed"} for i in ids]), "utf-8")
    return path


def read_doc(state: Path) -> dict[str, Any]:
    return json.loads((state / loader.REGISTRY_CACHE).read_bytes())


def write_doc(state: Path, doc: Any) -> None:
    """As `_write_cache` writes it (same key order and separators: the file's head is kept)."""
    (state / loader.REGISTRY_CACHE).write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), "utf-8")


# --- generated registries --------------------------------------------------------------------

def values(hint: Any) -> st.SearchStrategy[Any]:
    """Any value of type `hint`, every field of every dataclass drawn (defaults included):
    a field added to the model is generated without touching this test."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is str:
        return st.text(max_size=12)
    if hint is int:
        return st.integers()
    if hint is bool:
        return st.booleans()
    if origin is tuple and args[-1] is Ellipsis:
        return st.lists(values(args[0]), max_size=3).map(tuple)
    if origin is tuple:
        return st.tuples(*(values(a) for a in args))
    if origin is frozenset:
        return st.frozensets(values(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(values(args[0]), values(args[1]), max_size=3)
    assert dataclasses.is_dataclass(hint), f"no strategy for {hint!r}"
    hints = typing.get_type_hints(hint)
    return st.builds(hint, **{f.name: values(hints[f.name]) for f in dataclasses.fields(hint)})


WARNINGS = tuple[loader.Problem, ...]
EMPTY = Registry((), Vocabulary({}))


def typed(value: Any) -> Any:
    """`value` with the type of everything in it spelled out: == alone takes a list for a
    tuple inside a dataclass, but a set for a frozenset and 1 for True."""
    if dataclasses.is_dataclass(value):
        return type(value), tuple(typed(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return dict, tuple((typed(k), typed(v)) for k, v in value.items())
    if isinstance(value, (tuple, list)):
        return type(value), tuple(typed(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return type(value), tuple(sorted(typed(v) for v in value))
    return type(value), value


@REUSE
@given(reg=values(Registry), warnings=values(WARNINGS))
def test_every_registry_comes_back_equal_from_its_json(tmp_path, reg, warnings):
    loader._write_cache(tmp_path, KEY, (reg, warnings))
    json.loads((tmp_path / loader.REGISTRY_CACHE).read_bytes())  # plain JSON, nothing else
    back = loader._read_cache(tmp_path, KEY)
    assert back is not None
    assert back == (reg, warnings)
    assert typed(back) == typed((reg, warnings))


def test_the_real_registry_comes_back_equal(tmp_path, fresh):
    """The project's own files, takedowns and URL warnings included, in a fresh process."""
    state = tmp_path / "state"
    state.mkdir()
    files = (ROOT / "feeds.yaml", SPECIALTIES)
    first: list = []
    reg = loader.load(*files, warnings=first, takedowns_path=ROOT / "takedowns.yaml", cache_dir=state)
    assert len(reg.feeds) > 10 and reg.vocabulary.specialties
    fresh()
    again: list = []
    back = loader.load(*files, warnings=again, takedowns_path=ROOT / "takedowns.yaml", cache_dir=state)
    assert typed(back) == typed(reg) and again == first


# --- the file read back is the file's, under its key only -------------------------------------

def test_the_next_build_reads_the_registry_back_from_the_state_folder(tmp_path, fresh):
    state = tmp_path / "state"
    state.mkdir()
    feeds = feeds_file(tmp_path, ["alpha", "beta"])
    first = loader.load(feeds, SPECIALTIES, cache_dir=state)
    assert (state / loader.REGISTRY_CACHE).is_file()
    fresh()
    assert loader.load(feeds, SPECIALTIES, cache_dir=state) == first
    # What is read back is the file's: a registry written under the same key is the one loaded.
    doc = read_doc(state)
    doc["registry"] = codec.to_json(Registry, dataclasses.replace(first, feeds=first.feeds[:1]))
    write_doc(state, doc)
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
    (state / loader.REGISTRY_CACHE).write_bytes(b"not json")
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


# --- hostile files ----------------------------------------------------------------------------

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=16)
# One JSON value of each type: a node is replaced by one of another type.
ONE_OF_EACH = (None, "x", 1, True, 1.5, [], {})


def nodes(value: Any, path: tuple = ()) -> list[tuple]:
    """The path of every value in a JSON document, its own included."""
    found = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            found += nodes(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += nodes(v, (*path, i))
    return found


def at(doc: Any, path: tuple) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def written(state: Path, reg: Registry, warnings: tuple) -> dict[str, Any]:
    loader._write_cache(state, KEY, (reg, warnings))
    return read_doc(state)


def head(state: Path) -> bytes:
    """The beginning of the file written under KEY, before the registry."""
    data = (state / loader.REGISTRY_CACHE).read_bytes()
    return data[:data.index(b'"registry":')]


@REUSE
@given(data=st.binary(max_size=300), after_head=st.booleans())
def test_random_bytes_are_refused(tmp_path, data, after_head):
    loader._write_cache(tmp_path, KEY, (EMPTY, ()))
    prefix = head(tmp_path) if after_head else b""  # even after the head of the right key
    (tmp_path / loader.REGISTRY_CACHE).write_bytes(prefix + data)
    assert loader._read_cache(tmp_path, KEY) is None


@REUSE
@given(registry=JSON, warnings=JSON)
def test_json_of_another_shape_under_the_right_key_is_refused(tmp_path, registry, warnings):
    doc = written(tmp_path, EMPTY, ())
    write_doc(tmp_path, {**doc, "registry": registry, "warnings": warnings})
    assert loader._read_cache(tmp_path, KEY) is None


@REUSE
@given(reg=values(Registry), warnings=values(WARNINGS), data=st.data())
def test_any_value_of_the_wrong_type_anywhere_is_refused(tmp_path, reg, warnings, data):
    doc = written(tmp_path, reg, warnings)
    path = data.draw(st.sampled_from([p for p in nodes(doc) if p[:1] in (("registry",), ("warnings",))]))
    old = at(doc, path)
    new = data.draw(st.sampled_from([v for v in ONE_OF_EACH if type(v) is not type(old)]))
    *parent, last = path
    at(doc, tuple(parent))[last] = new
    write_doc(tmp_path, doc)
    assert loader._read_cache(tmp_path, KEY) is None


@REUSE
@given(reg=values(Registry), data=st.data())
def test_a_field_missing_or_unknown_is_refused(tmp_path, reg, data):
    doc = written(tmp_path, reg, ())
    objects = [p for p in nodes(doc) if isinstance(at(doc, p), dict) and p[:1] == ("registry",)]
    path = data.draw(st.sampled_from(objects))
    obj = at(doc, path)
    if obj and path != ("registry", "vocabulary", "specialties") and data.draw(st.booleans()):
        del obj[data.draw(st.sampled_from(sorted(obj)))]  # a dataclass without one of its fields
    else:
        obj[data.draw(st.text(max_size=8).filter(lambda k: k not in obj))] = 1  # never a field, never a Specialty
    write_doc(tmp_path, doc)
    assert loader._read_cache(tmp_path, KEY) is None


@REUSE
@given(reg=values(Registry), warnings=values(WARNINGS), cut=st.floats(0, 1, exclude_max=True))
def test_a_file_cut_short_is_refused(tmp_path, reg, warnings, cut):
    loader._write_cache(tmp_path, KEY, (reg, warnings))
    data = (tmp_path / loader.REGISTRY_CACHE).read_bytes()
    (tmp_path / loader.REGISTRY_CACHE).write_bytes(data[:int(len(data) * cut)])
    assert loader._read_cache(tmp_path, KEY) is None


def test_another_key_or_format_is_refused(tmp_path):
    doc = written(tmp_path, EMPTY, ())
    assert loader._read_cache(tmp_path, KEY) is not None
    assert loader._read_cache(tmp_path, hashlib.sha256(b"other bytes").digest()) is None
    write_doc(tmp_path, {**doc, "format": "blogroll-registry/0"})
    assert loader._read_cache(tmp_path, KEY) is None


@pytest.mark.parametrize("body", [
    pytest.param(lambda doc: b"\x80\x00\xff" * 50, id="random bytes"),
    pytest.param(lambda doc: doc[:60] + b"[" * 100_000, id="nested too deep"),
    pytest.param(lambda doc: re.sub(rb'"line":[0-9]+', b'"line":"one"', doc, count=1), id="wrong type, right key"),
    pytest.param(lambda doc: doc.replace(b'"feeds":[', b'"feeds":[{"id":1},', 1), id="wrong shape"),
    pytest.param(lambda doc: doc.replace(b'"format":"blogroll-registry/', b'"format":"blogroll-registry/0', 1),
                 id="other format"),
    pytest.param(lambda doc: re.sub(rb'"key":"[0-9a-f]{64}"', b'"key":"' + b"0" * 64 + b'"', doc, count=1),
                 id="other key"),
])
def test_a_hostile_cache_file_gives_a_fresh_load(tmp_path, fresh, body):
    state = tmp_path / "state"
    state.mkdir()
    feeds = feeds_file(tmp_path, ["alpha", "beta"])
    first = loader.load(feeds, SPECIALTIES, cache_dir=state)
    doc = (state / loader.REGISTRY_CACHE).read_bytes()
    (state / loader.REGISTRY_CACHE).write_bytes(body(doc))
    assert loader._read_cache(state, loader._files_digest(feeds, SPECIALTIES, None, allow_private=False)) is None
    fresh()
    assert loader.load(feeds, SPECIALTIES, cache_dir=state) == first
    assert json.loads((state / loader.REGISTRY_CACHE).read_bytes())["registry"] == codec.to_json(Registry, first)


# --- never a pickle ---------------------------------------------------------------------------

@dataclasses.dataclass
class Trap:
    """Unpickled, it creates `marker`: what a poisoned cache would run instead."""

    marker: Path

    def __reduce__(self):
        return Path.touch, (self.marker,)


def test_a_pickle_in_the_state_folder_is_never_run(tmp_path, fresh):
    live = tmp_path / "live"
    pickle.loads(pickle.dumps(Trap(live)))  # noqa: S301 - proves the trap is armed
    assert live.exists()
    state = tmp_path / "state"
    state.mkdir()
    feeds = feeds_file(tmp_path, ["alpha"])
    first = loader.load(feeds, SPECIALTIES, cache_dir=state)
    right = head(state)
    marker = tmp_path / "marker"
    trap = pickle.dumps(Trap(marker))
    # Under the new name, bare, after a digest as the old format had it, after the new head;
    # and under the old name, which is deleted.
    for new in (trap, hashlib.sha256(b"x").digest() + trap, right + trap):
        (state / loader.REGISTRY_CACHE).write_bytes(new)
        (state / loader.OLD_CACHE).write_bytes(trap)
        fresh()
        assert loader.load(feeds, SPECIALTIES, cache_dir=state) == first
        assert not marker.exists()
        assert not (state / loader.OLD_CACHE).exists()
        assert read_doc(state)["registry"] == codec.to_json(Registry, first)
