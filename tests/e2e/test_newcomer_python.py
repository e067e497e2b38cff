"""A newcomer's Python (issue 23, item 4): `make venv` (tools/pyvenv.sh) finds a suitable
interpreter itself or says in one French line which to install, and makes .venv again when
another interpreter made it or it is broken, instead of reusing it.

The interpreters here are fakes on a PATH of their own (a script that reports a version and
makes a venv of itself), so any version can be tried on a machine that has only one."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

TOOLS = ("sh", "awk", "sed", "head", "cut", "dirname", "cat", "rm", "mkdir", "cp")
OLD_SPEC, WIDE_SPEC = ">=3.11,<3.12", ">=3.11"
FAKE = """#!/bin/sh
# A fake Python {version}: reports its version, makes a venv of itself.
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && echo "version = {version}" > "$3/pyvenv.cfg"
    exit 0
fi
echo {version}
"""
SHIM = "#!/bin/sh\necho \"pyenv: $(basename $0): command not found\" >&2\nexit 127\n"


class Machine:
    """A PATH with the shell tools and the fake interpreters only, and a project folder
    (tools/pyvenv.sh beside a pyproject.toml with the given requires-python)."""

    def __init__(self, root: Path, spec: str | None = None):
        self.bin = root / "bin"
        self.bin.mkdir()
        for tool in TOOLS:
            (self.bin / tool).symlink_to(shutil.which(tool))
        if spec is None:
            self.project = ROOT
        else:
            self.project = root / "project"
            (self.project / "tools").mkdir(parents=True)
            shutil.copy(ROOT / "tools" / "pyvenv.sh", self.project / "tools" / "pyvenv.sh")
            (self.project / "pyproject.toml").write_text(f'[project]\nrequires-python = "{spec}"\n', "utf-8")

    def python(self, name: str, version: str | None) -> Path:
        """A fake `name` reporting `version`; None: a shim that does not run (pyenv's)."""
        path = self.bin / name
        path.write_text(FAKE.format(version=version) if version else SHIM, "utf-8")
        path.chmod(0o755)
        return path

    def run(self, *args: str, python: str | None = None) -> subprocess.CompletedProcess:
        env = {"PATH": str(self.bin), "HOME": os.environ.get("HOME", "/")}
        if python is not None:
            env["PYTHON"] = python
        return subprocess.run(["/bin/sh", str(self.project / "tools" / "pyvenv.sh"), *args], env=env,
                              capture_output=True, text=True, timeout=30)


def version(python: Path) -> str:
    return subprocess.run([str(python), "-c", "x"], capture_output=True, text=True).stdout.strip()


def test_a_newcomer_with_python_3_10_is_told_which_python_to_install(tmp_path):
    m = Machine(tmp_path)  # the project's own pyproject.toml
    m.python("python3", "3.10.12")
    m.python("python3.12", None)
    done = m.run("find")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("make : aucun Python qui convienne (python3 est Python 3.10.12) ; ce projet "
                                  "demande Python >=3.11")
    assert "installez Python 3.11, puis relancez (ou indiquez-le : make … PYTHON=python3.11)." in done.stderr


def test_python_asked_for_and_unsuitable_is_refused(tmp_path):
    m = Machine(tmp_path)
    old = m.python("python3.10", "3.10.4")
    m.python("python3.11", "3.11.9")  # there, but not what was asked for
    done = m.run("find", python=str(old))
    assert done.returncode == 1
    assert f"make : PYTHON={old} ne convient pas ({old} est Python 3.10.4) ;" in done.stderr
    done = m.run("find", python="python3.9")
    assert done.returncode == 1 and "PYTHON=python3.9 ne convient pas (python3.9 ne se lance pas)" in done.stderr


@pytest.mark.parametrize("spec, present, chosen", [
    (OLD_SPEC, {"python3.11": "3.11.9", "python3.12": "3.12.3", "python3": "3.12.3"}, "python3.11"),
    (OLD_SPEC, {"python3.12": "3.12.3", "python3": "3.11.2"}, "python3"),
    (OLD_SPEC, {"python3.12": "3.12.3", "python3": "3.12.3"}, None),
    (WIDE_SPEC, {"python3.12": "3.12.3", "python3.13": "3.13.1", "python3": "3.10.12"}, "python3.12"),
    (WIDE_SPEC, {"python3.12": None, "python3.13": "3.13.1"}, "python3.13"),
    (WIDE_SPEC, {"python3": "3.13.0"}, "python3"),
    (WIDE_SPEC, {"python3": "3.10.12"}, None),
])
def test_the_first_suitable_interpreter_is_chosen(tmp_path, spec, present, chosen):
    m = Machine(tmp_path, spec)
    for name, v in present.items():
        m.python(name, v)
    done = m.run("find")
    if chosen is None:
        assert done.returncode == 1 and "installez Python 3.11" in done.stderr
    else:
        assert (done.returncode, done.stdout.strip()) == (0, chosen), done.stderr


def test_the_newcomers_broken_venv_is_made_again_with_the_python_asked_for(tmp_path):
    """The issue's path: `make demo` with Python 3.12 left a .venv of 3.12 that pip refused;
    `make demo PYTHON=python3.11` reused it and failed the same way. Now it is made again."""
    m = Machine(tmp_path, OLD_SPEC)
    m.python("python3", "3.12.3")
    venv = tmp_path / "project" / ".venv"
    assert m.run("venv", str(venv)).returncode == 1 and not venv.exists()  # 3.12 refused, nothing made
    subprocess.run([str(m.bin / "python3"), "-m", "venv", str(venv)], check=True)  # as `make` did before
    python311 = m.python("python3.11", "3.11.9")
    done = m.run("venv", str(venv), python="python3.11")
    assert done.returncode == 0, done.stderr
    assert "make : " + str(venv) + " est refait (Python 3.12 ne convient pas : ce projet demande >=3.11,<3.12)." \
        in done.stderr
    assert version(venv / "bin" / "python") == "3.11.9" and (venv / ".python").read_text() == "3.11\n"
    assert "création de" in done.stdout and str(python311.name) in done.stdout


def test_a_venv_of_another_python_or_broken_is_made_again_a_good_one_kept(tmp_path):
    m = Machine(tmp_path, WIDE_SPEC)
    m.python("python3.11", "3.11.9")
    m.python("python3.12", "3.12.3")
    venv = tmp_path / "project" / ".venv"
    assert m.run("venv", str(venv)).returncode == 0 and version(venv / "bin" / "python") == "3.11.9"
    (venv / ".installed").touch()

    kept = m.run("venv", str(venv))  # nothing asked for: a suitable venv stays, installed
    assert kept.returncode == 0 and kept.stderr == "" and (venv / ".installed").exists()
    kept = m.run("venv", str(venv), python="python3.11")
    assert kept.returncode == 0 and (venv / ".installed").exists()

    other = m.run("venv", str(venv), python="python3.12")  # another interpreter asked for
    assert "est refait (fait avec Python 3.11, PYTHON=python3.12 est Python 3.12)" in other.stderr
    assert version(venv / "bin" / "python") == "3.12.3" and not (venv / ".installed").exists()

    (venv / "bin" / "python").unlink()  # its interpreter is gone (uninstalled, upgraded away)
    broken = m.run("venv", str(venv))
    assert "est refait (son python ne se lance pas)" in broken.stderr
    assert version(venv / "bin" / "python") == "3.11.9"

    (venv / ".python").write_text("3.10\n")  # its python changed under it (python3 moved on)
    moved = m.run("venv", str(venv))
    assert "est refait (fait avec Python 3.10, son python est maintenant 3.11)" in moved.stderr


def test_a_venv_made_before_the_record_is_read_from_pyvenv_cfg(tmp_path):
    m = Machine(tmp_path, WIDE_SPEC)
    m.python("python3.11", "3.11.9")
    venv = tmp_path / "project" / ".venv"
    subprocess.run([str(m.bin / "python3.11"), "-m", "venv", str(venv)], check=True)
    (venv / ".installed").touch()
    done = m.run("venv", str(venv))
    assert done.returncode == 0 and done.stderr == "" and (venv / ".installed").exists()
    assert (venv / ".python").read_text() == "3.11\n"


@pytest.mark.build
def test_make_venv_with_an_unsuitable_python_says_so_and_leaves_the_venv(tmp_path):
    m = Machine(tmp_path)
    old = m.python("python3.10", "3.10.4")
    venv_python = (ROOT / ".venv" / "bin" / "python").resolve()
    done = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "venv", f"PYTHON={old}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert f"make : PYTHON={old} ne convient pas ({old} est Python 3.10.4)" in done.stderr
    assert (ROOT / ".venv" / "bin" / "python").resolve() == venv_python


@pytest.mark.build
def test_make_clean_keeps_the_venv_and_says_how_to_remove_it():
    clean = subprocess.run(["make", "--no-print-directory", "-n", "-C", str(ROOT), "clean"],
                           capture_output=True, text=True, timeout=60).stdout
    assert ".venv" not in clean.split("echo")[0]
    assert "make clean garde .venv (l'environnement Python) ; make distclean le supprime aussi." in clean
    distclean = subprocess.run(["make", "--no-print-directory", "-n", "-C", str(ROOT), "distclean"],
                               capture_output=True, text=True, timeout=60).stdout
    assert "rm -rf .venv" in distclean
