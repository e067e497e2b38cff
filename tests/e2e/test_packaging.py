"""The wheel, as the package index would get it: built from this checkout, then read.

Only the pelican.plugins.blogroll package (no other top-level package, and never a
pelican/__init__.py or pelican/plugins/__init__.py, which would shadow Pelican's own), its
templates and schemas, and metadata fit for a plugin installed into someone else's site:
Requires-Python >=3.11 and compatible ranges, no exact pin, among the runtime dependencies.
check-wheel-contents (test extra) looks for stray, duplicate or missing files as well.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from conftest import ROOT, build_plugin_wheel
from packaging.requirements import Requirement

pytestmark = pytest.mark.build
PACKAGE = ROOT / "plugins" / "pelican" / "plugins" / "blogroll"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_plugin_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def names(wheel) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


@pytest.fixture(scope="module")
def metadata(wheel, names):
    (path,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    with zipfile.ZipFile(wheel) as zf:
        return Parser().parsestr(zf.read(path).decode("utf-8"))


def test_only_the_plugin_package_and_its_dist_info(names):
    dist_info = {n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")}
    assert dist_info == {"pelican_docsdunet-0.1.0.dist-info"}
    strays = [n for n in names if not n.startswith(("pelican/plugins/blogroll/", "pelican_docsdunet-0.1.0.dist-info/"))]
    assert strays == []
    # pelican/ and pelican/plugins/ are namespace portions: an __init__.py there would replace Pelican's.
    assert "pelican/__init__.py" not in names and "pelican/plugins/__init__.py" not in names
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))]


def test_every_module_template_and_schema_is_in_it(names):
    wanted = {"pelican/plugins/blogroll/" + p.relative_to(PACKAGE).as_posix()
              for pattern in ("**/*.py", "templates/blogroll/*.html", "registry/schema/*.json")
              for p in PACKAGE.glob(pattern) if "__pycache__" not in p.parts}
    assert any(w.endswith(".html") for w in wanted) and any(w.endswith(".schema.json") for w in wanted)
    assert wanted - set(names) == set()


def test_metadata_requires_python_311_and_no_exact_runtime_pin(metadata):
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["License-Expression"] == "MPL-2.0"
    runtime = [Requirement(r) for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]
    assert {r.name for r in runtime} >= {"pelican", "feedparser", "httpx", "nh3", "jsonschema", "pagefind"}
    for req in runtime:
        assert not [s for s in req.specifier if s.operator in ("==", "===")], req
        assert [s for s in req.specifier if s.operator == ">="], f"{req}: no lower bound"
    (pelican,) = [r for r in runtime if r.name == "pelican"]
    assert "4.7.0" in pelican.specifier and "4.6.0" not in pelican.specifier and "5.0" not in pelican.specifier


def test_metadata_says_what_it_is_to_the_package_index(metadata):
    classifiers = metadata.get_all("Classifier")
    assert {"Framework :: Pelican :: Plugins", "Natural Language :: French", "Programming Language :: Python :: 3.11",
            "Programming Language :: Python :: 3.12", "Programming Language :: Python :: 3.13"} <= set(classifiers)
    assert "pelican" in metadata["Keywords"].split(",")
    assert metadata["Description-Content-Type"] == "text/markdown"
    readme = metadata.get_payload()
    assert readme.startswith("# pelican-docsdunet") and 'PLUGINS = ["blogroll"]' in readme
    assert "BLOGROLL_FEEDS" in readme and "BLOGROLL_SPECIALTIES" in readme
    # The index shows it away from the repository: no relative link or image.
    targets = re.findall(r"\]\(([^)]+)\)", readme) + re.findall(r'src="([^"]+)"', readme)
    assert targets and all(t.startswith("https://") for t in targets), targets


def test_check_wheel_contents_finds_nothing(wheel):
    exe = Path(sys.executable).with_name("check-wheel-contents")
    assert exe.exists(), "check-wheel-contents is missing: it comes with the test extra (make venv)"
    # --toplevel: the one top-level entry; --src-dir: exactly the tree under plugins/ (minus caches).
    result = subprocess.run([str(exe), "--no-config", "--toplevel", "pelican", "--src-dir", str(ROOT / "plugins"),
                             str(wheel)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(": OK")
