"""GitHub Actions workflows and contributor forms: linted by actionlint and zizmor, and held to the plan.

actionlint (pinned in the test extra, binary shipped in its wheel) checks
syntax, expressions, action inputs and, when shellcheck is installed, the
`run:` scripts. zizmor (pinned in the lint extra, run offline) checks their
security: unpinned actions, template injection, persisted credentials,
secrets outside an environment, Dependabot without a cooldown. The
structural tests pin down the promises a linter cannot see: no
pull_request_target and no secrets on pull requests, every action pinned by
commit SHA, an hourly run that never overlaps, keeps .state/ in the cache,
deploys only on change and backs the store up encrypted.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))


def actionlint() -> str:
    exe = Path(sys.executable).with_name("actionlint")
    found = str(exe) if exe.exists() else shutil.which("actionlint")
    assert found, "actionlint is missing: it comes with the test extra (make venv)"
    return found


def zizmor() -> str:
    exe = Path(sys.executable).with_name("zizmor")
    found = str(exe) if exe.exists() else shutil.which("zizmor")
    assert found, "zizmor is missing: it comes with the lint extra (make venv)"
    return found


def zizmor_findings(*inputs: Path, cwd: Path = ROOT) -> list[dict]:
    """zizmor's findings as JSON, offline (no lookup of tags on GitHub): every severity."""
    result = subprocess.run([zizmor(), "--offline", "--format", "json", *map(str, inputs)],
                            capture_output=True, text=True, cwd=cwd, timeout=120)
    # Exit codes: 0 clean, 1 usage or input error, 10-14 findings up to that severity.
    assert result.returncode == 0 or result.returncode >= 10, result.stderr
    return json.loads(result.stdout)


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


def uses(job: dict, action: str) -> list[dict]:
    return [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]


def test_the_three_workflows_exist():
    assert {p.name for p in FILES} >= {"pr.yml", "hourly.yml", "tests.yml"}


def test_actionlint_accepts_every_workflow():
    result = subprocess.run([actionlint(), "-no-color", *map(str, FILES)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_lints(tmp_path):
    """A broken workflow is refused: the check above cannot pass vacuously."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - run: echo ${{ github.event.pull_request.title }}\n"
                   "      - uses: actions/checkout@v5\n        with:\n          no-such-input: 1\n", "utf-8")
    result = subprocess.run([actionlint(), "-no-color", str(bad)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode != 0
    assert "no-such-input" in result.stdout
    assert "potentially untrusted" in result.stdout  # script injection from a PR title


def test_zizmor_finds_nothing_high_or_medium():
    """As make lint runs it: the workflows and dependabot.yml, 0 high and 0 medium findings."""
    findings = zizmor_findings(ROOT / ".github")
    serious = [(f["ident"], f["determinations"]["severity"], f["locations"][0]["symbolic"]["key"])
               for f in findings if f["determinations"]["severity"] in ("High", "Medium") and not f.get("ignored")]
    assert serious == [], serious


def test_zizmor_really_audits(tmp_path):
    """An unpinned action, persisted credentials and a PR title in a script are reported."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("name: bad\non: pull_request_target\npermissions: {}\njobs:\n  x:\n    name: x\n"
                   "    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v5\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n", "utf-8")
    found = {(f["ident"], f["determinations"]["severity"]) for f in zizmor_findings(tmp_path / ".github", cwd=tmp_path)}
    assert ("unpinned-uses", "High") in found
    assert ("template-injection", "High") in found
    assert ("dangerous-triggers", "High") in found
    assert any(ident == "artipacked" for ident, _ in found)


PINNED = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<sha>[0-9a-f]{40}) "
                    r"# (?P<version>v\d+\.\d+\.\d+)$")


def test_every_action_is_pinned_by_commit_sha_with_its_version():
    """A tag can be moved by whoever holds the action's repository, a full SHA cannot; the
    trailing comment says which release it is (Dependabot bumps both)."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for path in FILES:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not re.match(r"^\s*(- )?uses:", line):
                continue
            pinned = PINNED.match(line)
            assert pinned, f"{path.name}:{number}: not pinned by SHA with a # vX.Y.Z comment: {line.strip()}"
            repo = "/".join(pinned["action"].split("/")[:2])
            seen.setdefault(repo, set()).add((pinned["sha"], pinned["version"]))
    assert {"actions/checkout", "actions/setup-python", "actions/cache", "actions/upload-artifact",
            "actions/download-artifact", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(seen)
    for repo, pins in seen.items():  # one release of each action everywhere (cache/restore = cache/save)
        assert len(pins) == 1, (repo, pins)


def test_no_checkout_keeps_credentials():
    """No job leaves the token in .git/config, where the code it runs next could read it; the one
    job that pushes (issue-to-pr.yml) hands the token to its push step alone."""
    for path in FILES:
        for name, job in load(path.name)["jobs"].items():
            for step in uses(job, "actions/checkout"):
                assert step.get("with", {}).get("persist-credentials") is False, (path.name, name)
    job = load("issue-to-pr.yml")["jobs"]["propose"]
    holders = [s for s in steps(job) if "github.token" in json.dumps(s)]
    assert all("git push" in s["run"] or "gh issue comment" in s["run"] for s in holders)
    push = next(s for s in holders if "git push" in s["run"])
    assert "GIT_CONFIG_VALUE_0" in push["run"] and "git config --global" not in push["run"]


def test_jobs_that_read_secrets_declare_their_environment():
    """Secrets are the production environment's (docs/operations.md): a job reading one names it."""
    readers = []
    for path in FILES:
        for name, job in load(path.name)["jobs"].items():
            if "secrets." in json.dumps(job):
                readers.append((path.name, name))
                assert job.get("environment") == "production", (path.name, name)
    assert readers == [("hourly.yml", "build")]
    assert load("hourly.yml")["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_dependabot_bumps_actions_pip_and_npm_after_a_cooldown():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text("utf-8"))
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"github-actions", "pip", "npm"}
    for update in updates.values():
        assert update["directory"] == "/" and update["cooldown"]["default-days"] >= 7


def test_the_test_matrix_covers_every_python_the_package_declares():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = [c.rsplit(" :: ", 1)[1] for c in project["classifiers"]
                if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    jobs = load("tests.yml")["jobs"]
    assert jobs["test"]["strategy"]["matrix"]["python"] == declared
    assert project["requires-python"] == ">=" + declared[0]


def test_every_matrix_job_builds_its_venv_with_the_matrix_python():
    """make venv takes the first fitting python3.x on PATH, which may be the runner's own: each
    lane names its interpreter, or the 3.13 lane could quietly test 3.12."""
    jobs = load("tests.yml")["jobs"]
    for name in ("test", "foreign-site"):
        assert jobs[name]["env"]["PYTHON"] == "python${{ matrix.python }}", name


def test_the_foreign_site_runs_on_the_oldest_and_newest_pelican_allowed():
    from packaging.requirements import Requirement
    from packaging.version import Version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    (pelican,) = [Requirement(d) for d in project["dependencies"] if Requirement(d).name == "pelican"]
    lower = next(s.version for s in pelican.specifier if s.operator == ">=")
    job = load("tests.yml")["jobs"]["foreign-site"]
    wanted = [Requirement(entry["pelican"]) for entry in job["strategy"]["matrix"]["include"]]
    assert job["env"]["FOREIGN_SITE_PELICAN"] == "${{ matrix.pelican }}"
    oldest, newest = wanted
    (pin,) = oldest.specifier
    assert pin.operator == "==" and Version(pin.version).release[:2] == Version(lower).release[:2]
    assert pin.version in pelican.specifier
    assert newest.specifier == pelican.specifier  # the newest release the range allows
    script = runs(job)
    assert script.index("make wheelhouse") < script.index('pip download --quiet -d .wheelhouse "$FOREIGN_SITE_PELICAN"')
    assert "tests/e2e/test_foreign_site.py" in script


def test_pull_requests_run_without_secrets_or_write_access():
    for path in FILES:
        text = path.read_text("utf-8")
        assert "pull_request_target" not in re.sub(r"#.*", "", text), path.name
    pr = load("pr.yml")
    assert set(pr["on"]) == {"pull_request"}
    assert pr["permissions"] == {"contents": "read"}
    text = (WORKFLOWS / "pr.yml").read_text("utf-8")
    assert "secrets." not in text
    job = pr["jobs"]["check"]
    assert all(s.get("with", {}).get("persist-credentials") is False for s in uses(job, "actions/checkout"))


def test_pull_requests_check_then_try_changed_feeds_then_build_an_artifact():
    job = load("pr.yml")["jobs"]["check"]
    script = runs(job)
    order = [script.index(s) for s in ("make check", "try --changed-from", "make publish", "make validate", "make privacy-check")]
    assert order == sorted(order)
    artifact = uses(job, "actions/upload-artifact")
    assert len(artifact) == 1 and artifact[0]["with"]["path"] == "output/"


def test_hourly_run_never_overlaps_and_keeps_the_store_in_the_cache():
    hourly = load("hourly.yml")
    assert "workflow_dispatch" in hourly["on"]
    (cron,) = [c["cron"] for c in hourly["on"]["schedule"]]
    minute, *rest = cron.split()
    assert minute.isdigit() and rest == ["*", "*", "*", "*"]  # every hour
    assert hourly["concurrency"]["group"] and hourly["concurrency"]["cancel-in-progress"] is False
    job = hourly["jobs"]["build"]
    (restore,) = uses(job, "actions/cache/restore")
    (save,) = uses(job, "actions/cache/save")
    assert restore["with"]["path"] == save["with"]["path"] == ".state"
    assert "github.run_id" in save["with"]["key"]  # one entry per run...
    prefix = restore["with"]["restore-keys"].strip()
    assert save["with"]["key"].startswith(prefix)  # ... and the newest is restored
    assert "always()" in save["if"]


def test_hourly_run_builds_checks_privacy_and_deploys_only_on_change():
    hourly = load("hourly.yml")
    job = hourly["jobs"]["build"]
    script = runs(job)
    order = [script.index(s) for s in ("make check", "make publish", "make validate", "make privacy-check", "blogroll changed")]
    assert order == sorted(order)
    decide = next(s for s in steps(job) if "blogroll changed" in s.get("run", ""))
    assert job["outputs"]["deploy"] == "${{ steps." + decide["id"] + ".outputs.deploy }}"
    (pages,) = uses(job, "actions/upload-pages-artifact")
    assert "deploy == 'true'" in pages["if"]
    deploy = hourly["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "needs.build.outputs.deploy == 'true'" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert uses(deploy, "actions/deploy-pages")
    assert hourly["permissions"] == {"contents": "read"}


def test_tests_run_on_push_to_main():
    tests = load("tests.yml")
    assert tests["on"]["push"]["branches"] == ["main"]
    script = runs(tests["jobs"]["test"])
    assert "make test" in script or ".ci/run" in script


# --- contributor forms ----------------------------------------------------------

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "proposer-un-blog.yml"


def test_issue_form_has_the_fields_of_a_feeds_entry():
    import json

    schema = json.loads((ROOT / "plugins/pelican/plugins/blogroll/registry/schema/feeds.schema.json").read_text("utf-8"))
    fields = schema["$defs"]["feed"]["properties"]
    form = yaml.safe_load(FORM.read_text("utf-8"))
    assert form["name"] == "Proposer un blog"
    ids = {item.get("id") for item in form["body"]}
    assert set(fields) - {"active", "classify"} <= ids  # `active`, `classify` are for maintainers
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}
    assert {"site", "title", "author"} <= required


def test_issue_form_specialties_match_the_vocabulary():
    form = yaml.safe_load(FORM.read_text("utf-8"))
    (box,) = [item for item in form["body"] if item.get("id") == "specialties"]
    offered = [o["label"] for o in box["attributes"]["options"]]
    vocab = yaml.safe_load((ROOT / "specialties.yaml").read_text("utf-8"))
    assert offered == [f"{v['label']} ({slug})" for slug, v in vocab.items()]


@pytest.mark.parametrize("path", ["CONTRIBUTING.md", ".github/PULL_REQUEST_TEMPLATE.md"])
def test_contributor_docs_state_the_pseudonym_rule(path):
    text = (ROOT / path).read_text("utf-8")
    assert "pseudonyme" in text and "make check" in text


def test_an_accepted_issue_becomes_a_pull_request_without_running_its_text():
    wf = load("issue-to-pr.yml")
    assert wf["on"] == {"issues": {"types": ["labeled"]}}
    assert wf["permissions"] == {"contents": "read"}
    job = wf["jobs"]["propose"]
    assert "github.event.label.name == 'accepté'" in job["if"]  # only those who can label
    add = next(s for s in steps(job) if "--from-issue" in s.get("run", ""))
    assert add["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    for s in steps(job):  # the untrusted body never reaches a script as text
        assert "github.event.issue.body" not in s.get("run", "")
        assert "github.event.issue.title" not in s.get("run", "")
    assert "make check" in add["run"]
    assert "gh pr create" in runs(job)


def test_pull_requests_never_attach_a_site_the_privacy_check_flagged():
    job = load("pr.yml")["jobs"]["check"]
    (step,) = [s for s in job["steps"] if "upload-artifact" in s.get("uses", "")]
    privacy = [s for s in job["steps"] if s.get("run") == "make privacy-check"]
    assert privacy and privacy[0]["id"] == "privacy"
    assert "steps.privacy.outcome == 'success'" in step["if"]


def test_the_daily_store_backup_is_uploaded_only_encrypted():
    job = load("hourly.yml")["jobs"]["build"]
    uploads = [s for s in job["steps"] if "upload-artifact" in s.get("uses", "")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"].endswith(".enc")
    encrypt = [s for s in job["steps"] if s.get("id") == "encrypt"][0]
    assert "secrets.STATE_BACKUP_KEY" in encrypt["env"]["STATE_BACKUP_KEY"]
    # Authenticated encryption (AES-GCM, tools/state_backup.py), never openssl enc's CBC again.
    assert "tools/state_backup.py encrypt" in encrypt["run"] and "set -o pipefail" in encrypt["run"]
    assert uploads[0]["with"]["path"] in encrypt["run"].replace('"$RUNNER_TEMP', "${{ runner.temp }}")
    decrypt = next(s for s in job["steps"] if "tools/state_backup.py decrypt" in s.get("run", ""))
    assert "secrets.STATE_BACKUP_KEY" in decrypt["env"]["STATE_BACKUP_KEY"]
    assert "openssl enc" not in runs(job)
    assert "ops" in job["env"]["EXTRAS"].split(",")  # make venv brings cryptography
    assert "steps.encrypt.outputs.ready == 'true'" in uploads[0]["if"]
    build = [s for s in job["steps"] if s.get("run") == "make publish"][0]
    assert "secrets.PRIVACY_DENYLIST" in build["env"]["BLOGROLL_PRIVACY_DENYLIST"]  # quarantine
