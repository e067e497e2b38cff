"""The folder tree is the pipeline: no module imports a later stage, the build never imports
the maintainer tools. Read from the source (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "plugins" / "blogroll"
# The order data moves in; a module may import its own rank or an earlier one.
RANKS = {"core": 0, "registry": 1, "fetch": 2, "parse": 3, "clean": 4, "store": 5, "site": 6,
         # Orchestration runs the stages; maint/ (maintainer tools) may use all of it.
         "schedule": 7, "paging": 7, "pipeline": 8, "backfill": 9, "generator": 9, "faults": 9, "__init__": 9, "maint": 10, "__main__": 10}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def dotted(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def rank(parts: list[str]) -> int:
    return RANKS[parts[0] if parts else "__init__"]


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
            elif node.module and node.module.split(".")[0] == "blogroll":
                target = node.module.split(".")[1:]
            else:
                continue
            # « from . import pipeline »: the names may be modules themselves.
            names = [target + [a.name] for a in node.names] if not node.module else [target]
            found += [(node.lineno, t) for t in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[1:]) for a in node.names if a.name.split(".")[0] == "blogroll"]
    return found


def test_every_module_has_a_rank():
    assert {dotted(p)[0] if dotted(p) else "__init__" for p in modules()} <= set(RANKS)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_later_stage(path):
    mine = rank(dotted(path))
    later = [(line, ".".join(t)) for line, t in imports(path) if rank(t) > mine]
    assert not later, f"{path.relative_to(ROOT)} imports later stages: {later}"


def test_the_checker_sees_imports():
    """The test above proves something: it finds the imports it should."""
    found = {".".join(t) for _, t in imports(PACKAGE / "pipeline.py")}
    assert {"clean.entry", "store", "fetch", "core.settings"} <= found
    found = {".".join(t) for _, t in imports(PACKAGE / "generator.py")}
    assert "pipeline" in found and "site.builder.render" in found
