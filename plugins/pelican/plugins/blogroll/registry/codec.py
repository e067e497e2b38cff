"""The registry as plain JSON data and back (registry/load.py keeps it in the state folder).

One small codec driven by the type hints of the frozen dataclasses of core/model.py: a
dataclass is a JSON object holding exactly its fields, a tuple or a frozenset a JSON array
(a frozenset sorted, so that the same registry always writes the same bytes), a
`dict[str, …]` a JSON object, str, int and bool themselves. Reading checks every value
against its hint and raises `Malformed` at the first one that does not fit: the types
rebuilt are the ones the hints name, never a name read from the file. A hint the codec
does not know (a field of a new type) raises TypeError as soon as its codec is asked for.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple


class Malformed(ValueError):
    """A JSON value that is not of the type it stands for."""


class _Codec(NamedTuple):
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    # str, int or bool: the value is its own JSON form, checked in place by the codec of what
    # holds it (a call per field of a thousand feeds is most of the reading time).
    scalar: type | None = None


def to_json(hint: Any, value: Any) -> Any:
    """`value`, of type `hint`, as JSON data (dicts, lists, str, int, bool)."""
    return _codec(hint).encode(value)


def from_json(hint: Any, data: Any) -> Any:
    """The value of type `hint` that `to_json` made `data` from; Malformed if `data` is not one."""
    return _codec(hint).decode(data)


@cache
def _codec(hint: Any) -> _Codec:
    if hint in (str, int, bool):
        return _scalar(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(_codec(args[0]), tuple)
    if origin is tuple and args and Ellipsis not in args:
        return _fixed(tuple(_codec(a) for a in args))
    if origin is frozenset and len(args) == 1:
        return _set(_codec(args[0]))
    if origin is dict and len(args) == 2 and args[0] is str:
        return _mapping(_codec(args[1]))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint)
    raise TypeError(f"no JSON form for {hint!r}")


def _scalar(kind: type) -> _Codec:
    def decode(data: Any) -> Any:
        if type(data) is not kind:  # not isinstance: a bool is not an int here
            raise Malformed(f"expected {kind.__name__}, got {type(data).__name__}")
        return data

    return _Codec(lambda value: value, decode, kind)


def _array(data: Any) -> list[Any]:
    if type(data) is not list:
        raise Malformed(f"expected an array, got {type(data).__name__}")
    return data


def _object(data: Any) -> dict[str, Any]:
    if type(data) is not dict:
        raise Malformed(f"expected an object, got {type(data).__name__}")
    return data


def _items(item: _Codec) -> Callable[[Any], list[Any]]:
    """Reads a JSON array of `item`s."""
    kind, decode = item.scalar, item.decode
    if kind is None:
        return lambda data: [decode(v) for v in _array(data)]

    def scalars(data: Any) -> list[Any]:
        values = _array(data)
        for v in values:
            if type(v) is not kind:
                raise Malformed(f"expected {kind.__name__}, got {type(v).__name__}")
        return values

    return scalars


def _sequence(item: _Codec, make: Callable[[Any], Any]) -> _Codec:
    encode, items = item.encode, _items(item)
    return _Codec(lambda value: [encode(v) for v in value], lambda data: make(items(data)))


def _set(item: _Codec) -> _Codec:
    encode, items = item.encode, _items(item)
    return _Codec(lambda value: sorted(encode(v) for v in value), lambda data: frozenset(items(data)))


def _fixed(items: tuple[_Codec, ...]) -> _Codec:
    def decode(data: Any) -> tuple[Any, ...]:
        values = _array(data)
        if len(values) != len(items):
            raise Malformed(f"expected {len(items)} values, got {len(values)}")
        return tuple(c.decode(v) for c, v in zip(items, values, strict=True))

    return _Codec(lambda value: [c.encode(v) for c, v in zip(items, value, strict=True)], decode)


def _mapping(item: _Codec) -> _Codec:
    encode, decode = item.encode, item.decode
    return _Codec(lambda value: {k: encode(v) for k, v in value.items()},
                  lambda data: {k: decode(v) for k, v in _object(data).items()})


def _dataclass(cls: type) -> _Codec:
    hints = typing.get_type_hints(cls)
    fields = tuple((f.name, _codec(hints[f.name])) for f in dataclasses.fields(cls) if f.init)
    names = frozenset(name for name, _ in fields)

    def encode(value: Any) -> dict[str, Any]:
        return {name: c.encode(getattr(value, name)) for name, c in fields}

    def decode(data: Any) -> Any:
        obj = _object(data)
        if obj.keys() != names:
            raise Malformed(f"{cls.__name__}: expected the fields {sorted(names)}, got {sorted(obj)}")
        values = {}
        for name, c in fields:
            value = obj[name]
            if c.scalar is None:
                value = c.decode(value)
            elif type(value) is not c.scalar:
                raise Malformed(f"{cls.__name__}.{name}: expected {c.scalar.__name__}, got {type(value).__name__}")
            values[name] = value
        return cls(**values)

    return _Codec(encode, decode)
