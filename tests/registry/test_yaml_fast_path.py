"""Registry fast paths (libyaml) must not change a result: each against the slow one it replaces."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT, SPECIALTIES
from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.core.errors import RegistryError

REGISTRIES = [ROOT / "feeds.yaml", ROOT / "demo" / "feeds.yaml"]


@pytest.mark.parametrize("path", REGISTRIES, ids=lambda p: p.parent.name + "/" + p.name)
def test_registry_read_with_libyaml_equals_pure_python(path, monkeypatch):
    fast = registry.load(path, SPECIALTIES, allow_private=True)
    monkeypatch.delattr(yaml, "CSafeLoader")
    slow = registry.load(path, SPECIALTIES, allow_private=True)
    assert fast == slow and len(fast.feeds) > 5
    # Line numbers come from the composed nodes: the same with both loaders.
    assert [f.line for f in fast.feeds] == [f.line for f in slow.feeds]


def test_invalid_yaml_is_reported_by_the_pure_python_loader(tmp_path, monkeypatch):
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - id: a\n    title: [x\n", "utf-8")
    with pytest.raises(RegistryError) as fast:
        registry.load(path, SPECIALTIES)
    monkeypatch.delattr(yaml, "CSafeLoader")
    with pytest.raises(RegistryError) as slow:
        registry.load(path, SPECIALTIES)
    assert fast.value.problems == slow.value.problems
