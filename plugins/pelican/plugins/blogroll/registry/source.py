"""Registry files as located YAML: every value with the line it stands on.

So that every problem can be reported as `file:line: reason`. Aliases and
duplicate keys are refused here, before any value is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..core.errors import RegistryError


class Located:
    """A YAML value together with the line of each of its keys/items."""

    def __init__(self, value: Any, line: int, lines: dict[Any, int] | None = None):
        self.value = value
        self.line = line
        self.lines = lines or {}


def _build(node: yaml.Node, problems: list[tuple[int, str]], seen: set[int] | None = None) -> Located:
    """Located values of a composed YAML tree; shape problems are appended to `problems`.

    Aliases are refused (a node reached twice): they are never needed in these
    files, and nested ones expand exponentially (a YAML "billion laughs").
    Duplicate keys are refused: the last one would silently win, hiding the
    value a reviewer reads first.
    """
    seen = set() if seen is None else seen
    line = node.start_mark.line + 1
    if id(node) in seen:
        problems.append((line, "alias YAML (*nom) refusé : écrivez la valeur en entier"))
        return Located(None, line)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        value: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or id(key_node) in seen:
                problems.append((key_line, "clé YAML invalide (une clé est un simple mot)"))
                continue
            seen.add(id(key_node))
            key = _scalar(key_node)
            if key in value:
                problems.append((key_line, f"clé « {key} » en double (déjà ligne {lines[key]}) : "
                                           "la seconde remplacerait la première sans le dire"))
                continue
            value[key] = _build(value_node, problems, seen)
            lines[key] = key_line
        return Located(value, line, lines)
    if isinstance(node, yaml.SequenceNode):
        items = [_build(n, problems, seen) for n in node.value]
        return Located(items, line, {i: it.line for i, it in enumerate(items)})
    return Located(_scalar(node), line)


def _scalar(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def plain(loc: Located) -> Any:
    if isinstance(loc.value, dict):
        return {k: plain(v) for k, v in loc.value.items()}
    if isinstance(loc.value, list):
        return [plain(v) for v in loc.value]
    return loc.value


def line_of(loc: Located, path: list[Any]) -> int:
    """Line of the deepest node of `path` (a jsonschema error path) that exists."""
    line = loc.line
    for part in path:
        if isinstance(loc.value, (dict, list)) and part in loc.lines:
            line = loc.lines[part]
            loc = loc.value[part]
        else:
            break
    return line


def _compose(name: str, text: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> yaml.Node | None:
    # Aliases first, from the event stream (linear), where each has its own line.
    aliases = sorted({ev.start_mark.line + 1 if ev.start_mark else 1 for ev in yaml.parse(text, Loader=loader)
                      if isinstance(ev, yaml.AliasEvent)})
    if aliases:
        raise RegistryError([(name, line, "alias YAML (*nom) refusé : écrivez la valeur en entier")
                             for line in aliases])
    return yaml.compose(text, Loader=loader)


def read_yaml(path: Path) -> Located:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError([(name, 0, "fichier introuvable")])
    except UnicodeDecodeError as exc:
        raise RegistryError([(name, 1, f"le fichier n'est pas en UTF-8 ({exc.reason})")])
    try:
        try:
            # libyaml when PyYAML has it: the pure-Python scanner took 0.9 s for a
            # 1,000-blog registry, read twice by `make html` (check, then build).
            node = _compose(name, text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            # Invalid YAML: read again with the pure-Python loader, whose messages we report.
            node = _compose(name, text, yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise RegistryError([(name, line, f"YAML invalide : {exc.problem or exc}")])
    except yaml.YAMLError as exc:
        raise RegistryError([(name, 1, f"YAML invalide : {exc}")])
    if node is None:
        raise RegistryError([(name, 1, "fichier vide")])
    problems: list[tuple[int, str]] = []
    try:
        built = _build(node, problems)
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        raise RegistryError([(name, node.start_mark.line + 1, f"YAML invalide : {exc}")])
    if problems:
        raise RegistryError([(name, line, reason) for line, reason in problems])
    return built


def follow(loc: Located, path: list[Any]) -> Located | None:
    for part in path:
        if isinstance(loc.value, (dict, list)) and part in loc.lines:
            loc = loc.value[part]
        else:
            return None
    return loc
