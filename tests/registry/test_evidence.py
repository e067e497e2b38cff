"""feeds-evidence.tsv: every blog of the repository's feeds.yaml shows where it was seen.

The real registry is held to it (this test fails on a blog without its row); registries
given with FEEDS= (tests, the demo) are not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SPECIALTIES, registry_yaml
from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.registry import evidence

pytestmark = pytest.mark.build

ROW = "alpha\thttps://alpha.example/2012/01/un-billet/\t2026-12-01\tWordPress.com\tconvention\tlu\n"


def test_every_blog_of_the_real_feeds_yaml_has_its_evidence_row():
    reg = registry.load(ROOT / "feeds.yaml", SPECIALTIES, takedowns_path=ROOT / "takedowns.yaml")
    problems = evidence.problems(reg, ROOT / evidence.FILE_NAME)
    assert problems == [], "\n".join(f"{f}:{line}: {why}" for f, line, why in problems)
    assert len(reg.feeds) >= 60


def test_a_missing_row_and_a_row_for_an_unknown_id_are_reported_with_their_lines(tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(registry_yaml([{"id": "alpha", "feed": "https://alpha.example/feed/"},
                                    {"id": "beta", "feed": "https://beta.example/feed/"}]), "utf-8")
    tsv = tmp_path / evidence.FILE_NAME
    tsv.write_text("\t".join(evidence.COLUMNS) + "\n" + ROW
                   + "gamma\thttps://gamma.example/\t2026-12-01\tBlogger\tpage\t\n"
                   + "delta\tpas-une-url\t1er décembre\tBlogger\tvu\t\n", "utf-8")
    reg = registry.load(feeds, SPECIALTIES)
    problems = evidence.problems(reg, tsv)
    beta_line = next(f.line for f in reg.feeds if f.id == "beta")
    assert ("feeds.yaml", beta_line) in {(f, line) for f, line, _ in problems}
    assert any(f == evidence.FILE_NAME and line == 3 and "gamma" in why for f, line, why in problems)
    delta = [why for f, line, why in problems if line == 4]
    assert any("evidence_url" in w for w in delta) and any("checked" in w for w in delta) \
        and any("feed_source" in w for w in delta)
    assert not any("alpha" in why for _, _, why in problems)


def _check(project, feeds_arg: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
    env["PYTHONPATH"] = str(ROOT / "plugins")
    if feeds_arg:
        env["BLOGROLL_FEEDS"] = feeds_arg
    return subprocess.run([sys.executable, "-m", "pelican.plugins.blogroll", "check"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=60)


def test_make_check_warns_on_the_projects_own_registry_only(tmp_path):
    project = tmp_path / "projet"
    project.mkdir()
    shutil.copy(SPECIALTIES, project / "specialties.yaml")
    (project / "feeds.yaml").write_text(registry_yaml([{"id": "alpha", "feed": "https://alpha.example/feed/"},
                                                       {"id": "beta", "feed": "https://beta.example/feed/"}]), "utf-8")
    (project / evidence.FILE_NAME).write_text("\t".join(evidence.COLUMNS) + "\n" + ROW, "utf-8")
    own = _check(project)
    assert own.returncode == 0
    assert "feeds.yaml:" in own.stderr and "« beta » n'a pas de ligne de preuve" in own.stderr
    assert "alpha" not in own.stderr
    # Another registry (FEEDS=…, as tests and the demo use) is not held to it.
    other = tmp_path / "autre.yaml"
    shutil.copy(project / "feeds.yaml", other)
    given = _check(project, str(other))
    assert given.returncode == 0 and "preuve" not in given.stderr


def test_the_real_check_passes_without_evidence_warnings():
    done = _check(ROOT)
    assert done.returncode == 0, done.stderr
    assert "preuve" not in done.stderr and "evidence" not in done.stderr
