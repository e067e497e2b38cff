"""The folder tree is the pipeline: no module imports a later stage, the build never imports
the maintainer tools. Read from the source (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "plugins" / "pelican" / "plugins" / "blogroll"
NAME = "pelican.plugins.blogroll."
# The order data moves in; a module may import its own rank or an earlier one.
RANKS = {"core": 0, "registry": 1, "fetch": 2, "parse": 3, "clean": 4, "store": 5, "site": 6,
         # The update path runs the stages and writes the store; the generator runs it and the site.
         "update": 7, "generator": 8, "faults": 8, "__init__": 9,
         # maint/ (maintainer tools) may use all of it; the build never imports it.
         "maint": 10, "__main__": 10}
# Inside a room, the same rule between its parts (a part not listed: the room's own top).
ROOMS = {
    "store": {"sealed": 0, "identities": 0, "schema": 0, "lock": 0, "rows": 0, "entries": 1, "feeds": 2,
              "__init__": 3},
    "site": {"urls": 0, "model": 1, "formats": 2, "builder": 3, "__init__": 4},
    "update": {"plan": 0, "paging": 1, "decide": 2, "worker": 2, "run": 3, "walk": 3, "__init__": 4},
}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def dotted(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def rank(parts: list[str]) -> int:
    return RANKS[parts[0] if parts else "__init__"]


def part_rank(parts: list[str]) -> int:
    """The rank of a module inside its room (ROOMS); its room's top when the room is not split."""
    room = ROOMS.get(parts[0], {}) if parts else {}
    return room.get(parts[1] if len(parts) > 1 else "__init__", max(room.values(), default=0))


def imports(path: Path) -> list[tuple[int, list[str]]]:
    """(line, module inside the package as parts) for every import of the plugin's own modules."""
    here = dotted(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and (node.module + ".").startswith(NAME):
                target = node.module[len(NAME):].split(".") if node.module + "." != NAME else []
            else:
                continue
            # « from . import pipeline »: the names may be modules themselves.
            names = [target + [a.name] for a in node.names] if not node.module else [target]
            found += [(node.lineno, t) for t in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name[len(NAME):].split(".")) for a in node.names
                      if a.name.startswith(NAME)]
    return found


def test_every_module_has_a_rank():
    assert {dotted(p)[0] if dotted(p) else "__init__" for p in modules()} <= set(RANKS)
    for path in modules():
        parts = dotted(path)
        if parts and parts[0] in ROOMS:
            assert (parts[1] if len(parts) > 1 else "__init__") in ROOMS[parts[0]], f"{path}: no rank in its room"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_later_stage(path):
    mine = rank(dotted(path))
    later = [(line, ".".join(t)) for line, t in imports(path) if rank(t) > mine]
    assert not later, f"{path.relative_to(ROOT)} imports later stages: {later}"


@pytest.mark.parametrize("path", [p for p in modules() if dotted(p) and dotted(p)[0] in ROOMS],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_part_of_a_room_imports_a_later_part(path):
    here = dotted(path)
    mine = part_rank(here)
    later = [(line, ".".join(t)) for line, t in imports(path)
             if t and t[0] == here[0] and t[:2] != here[:2] and part_rank(t) > mine]
    assert not later, f"{path.relative_to(ROOT)} imports later parts of {here[0]}/: {later}"


def test_the_checker_sees_imports():
    """The tests above prove something: they find the imports they should."""
    found = {".".join(t) for _, t in imports(PACKAGE / "update" / "run.py")}
    assert {"store", "fetch", "core.settings", "update.decide"} <= found
    found = {".".join(t) for _, t in imports(PACKAGE / "generator.py")}
    assert "update" in found and "site.builder.render" in found
    assert part_rank(["site", "builder", "render"]) > part_rank(["site", "formats", "search"])
    assert part_rank(["update", "walk"]) > part_rank(["update", "worker"]) > part_rank(["update", "plan"])


def test_the_update_path_keeps_its_pseudocode_true():
    """update/__init__.py's pseudocode names functions that exist, in the rooms it names."""
    import importlib
    import re

    doc = importlib.import_module("pelican.plugins.blogroll.update").__doc__ or ""
    for module, name in re.findall(r"\b(plan|decide|walk|worker|run)\.(\w+)\b", doc):
        if name == "py":
            continue
        assert hasattr(importlib.import_module(f"pelican.plugins.blogroll.update.{module}"), name), f"{module}.{name}"
