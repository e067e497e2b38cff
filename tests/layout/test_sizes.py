"""Sizes: no function longer than 55 lines, no class longer than 200, in the plugin's code.

Read from the source with `ast`: every function (methods and nested functions included) and
every class of every module under plugins/pelican/plugins/blogroll. A function's length runs from its `def`
line to its last line (docstring and comments included, decorators not). A long one is split
by meaning, a helper per step named for what it does; the allow-list below is for what cannot
be split yet, each entry with its reason, and an entry that no longer exceeds must go.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "plugins" / "pelican" / "plugins" / "blogroll"
MAX_FUNCTION = 55
MAX_CLASS = 200
# "module:qualname" -> why it may stay longer for now (empty: every one fits).
ALLOWED: dict[str, str] = {}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parents[2]).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def definitions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.AST, int]]:
    """(qualified name, node, length in lines) of every function and class, nested ones too."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = prefix + node.name
            assert node.end_lineno is not None
            yield name, node, node.end_lineno - node.lineno + 1
            yield from definitions(node, name + ".")
        else:
            yield from definitions(node, prefix)


def oversized() -> dict[str, str]:
    """What is too long, by "module:qualname", for every function and class over its limit."""
    found = {}
    for path in modules():
        module = module_name(path)
        for name, node, length in definitions(ast.parse(path.read_text("utf-8"))):
            limit = MAX_CLASS if isinstance(node, ast.ClassDef) else MAX_FUNCTION
            if length > limit:
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                found[f"{module}:{name}"] = f"{kind} of {length} lines (at most {limit}), line {node.lineno}"
    return found


def test_no_function_or_class_is_too_long():
    too_long = {key: what for key, what in oversized().items() if key not in ALLOWED}
    assert not too_long, "split by meaning, a helper per step:\n" + "\n".join(
        f"  {key}: {what}" for key, what in sorted(too_long.items()))


def test_every_allowance_is_still_needed_and_says_why():
    current = oversized()
    stale = sorted(key for key in ALLOWED if key not in current)
    assert not stale, f"no longer too long (or gone): remove from ALLOWED: {stale}"
    assert all(reason.strip() for reason in ALLOWED.values()), "every allowance says why"


def test_the_checker_sees_lengths():
    """The tests above prove something: a long function and a long class, nested or not, are found."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION))
    source = f"def short():\n    pass\n\nclass C:\n    def long(self):\n{body.replace('    ', '        ')}\n"
    lengths = {name: length for name, _, length in definitions(ast.parse(source))}
    assert lengths == {"short": 2, "C": MAX_FUNCTION + 2, "C.long": MAX_FUNCTION + 1}
    assert module_name(PACKAGE / "site" / "model" / "views.py") == "pelican.plugins.blogroll.site.model.views"
    assert module_name(PACKAGE / "__init__.py") == "pelican.plugins.blogroll"
