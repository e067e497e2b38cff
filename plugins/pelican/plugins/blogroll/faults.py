"""Faults of the build's surroundings (not of a feed), each told in one French line.

A full disk, a read-only or unusable state folder, a store locked by another
build or a corrupt store file, a missing feeds.yaml: the build stops before
committing anything (the store is transactional, the output writer commits
at the end), so nothing is lost and the last good site stays as it was. What
the maintainer reads is one line saying what happened and what to do, not a
Python traceback: the generator's stages run under `explained`, and the
filter installed on Pelican's logger drops the traceback of these errors
(Pelican's command line logs every exception with it, then exits with 1).
"""

from __future__ import annotations

import errno
import functools
import logging
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from .core.errors import BlogrollError, RegistryError, StoreLocked
from .core.settings import Settings

KEPT = "rien n'a été perdu : le magasin et le dernier site construit sont intacts"


class BuildFault(BlogrollError):
    """One French line: what happened, what to do."""


def _disk_full(path: Path) -> bool:
    for p in (path, *path.parents):
        try:
            return shutil.disk_usage(p).free < 1024 * 1024
        except OSError:
            continue
    return False


def _registry_setting(missing: list[str], settings: Settings | None) -> str:
    """The setting that names a missing registry file: the vocabulary's is not the feeds'."""
    if settings is not None and missing and all(name == settings.specialties.name for name in missing):
        return "BLOGROLL_SPECIALTIES"
    return "FEEDS=… ou BLOGROLL_FEEDS"


def explain(exc: BaseException, state_dir: Path, output_dir: Path,
            settings: Settings | None = None) -> BuildFault | None:
    """The fault `exc` means, or None when it is not one of the build's surroundings."""
    if isinstance(exc, BuildFault):
        return exc
    if isinstance(exc, StoreLocked):
        return BuildFault(f"échec : {exc}, puis relancez ; {KEPT}.")
    if isinstance(exc, RegistryError):
        missing = [f for f, _, reason in exc.problems if reason == "fichier introuvable"]
        if missing:
            return BuildFault(f"échec : registre {', '.join(missing)} introuvable ; vérifiez le chemin "
                              f"({_registry_setting(missing, settings)}) ; {KEPT}.")
        return None  # every problem with its line: RegistryError's own message
    if isinstance(exc, sqlite3.DatabaseError):
        text = str(exc).lower()
        store = state_dir / "blogroll.sqlite3"
        if "locked" in text or "busy" in text:
            return BuildFault(f"échec : le magasin {store} est verrouillé par un autre programme ; "
                              f"attendez qu'il se termine puis relancez ; {KEPT}.")
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return BuildFault(f"échec : le magasin {store} est corrompu ; restaurez la dernière sauvegarde "
                              f"(l'artefact blogroll-state, restore_state_from_run) puis relancez ; "
                              f"le dernier site construit est intact.")
        if "full" in text or ("disk i/o" in text and _disk_full(state_dir)):
            return BuildFault(f"échec : disque plein sous {state_dir} ; libérez de la place puis relancez ; {KEPT}.")
        if "readonly" in text or "read-only" in text or "unable to open" in text or "disk i/o" in text:
            return BuildFault(f"échec : le magasin {store} ne peut pas être écrit ({exc}) ; vérifiez que "
                              f"{state_dir} est accessible en écriture (STATE=… ou BLOGROLL_STATE_DIR) ; {KEPT}.")
        return None
    if isinstance(exc, OSError):
        where = exc.filename or state_dir
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return BuildFault(f"échec : disque plein en écrivant {where} ; libérez de la place puis relancez ; {KEPT}.")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return BuildFault(f"échec : {where} n'est pas accessible en écriture ; corrigez ses droits ou "
                              f"choisissez un autre dossier (STATE=…, OUTPUTDIR=…) ; {KEPT}.")
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EEXIST):
            return BuildFault(f"échec : le dossier {where} n'existe pas ou n'est pas un dossier ; créez-le ou "
                              f"choisissez-en un autre (STATE=…, OUTPUTDIR=…) ; {KEPT}.")
        if exc.errno == errno.EIO:
            return BuildFault(f"échec : erreur d'entrée-sortie du disque en écrivant {where} ; vérifiez le disque "
                              f"puis relancez ; {KEPT}.")
    return None


@contextmanager
def explained(state_dir: Path, output_dir: Path, settings: Settings | None = None) -> Iterator[None]:
    try:
        yield
    except (BlogrollError, sqlite3.DatabaseError, OSError) as exc:
        fault = explain(exc, Path(state_dir), Path(output_dir), settings)
        if fault is None or fault is exc:
            raise
        raise fault from exc


class _Stage(Protocol):
    """What a stage's generator has: the plugin's settings and Pelican's output folder."""

    @property
    def blogroll(self) -> Settings: ...

    @property
    def output_path(self) -> str: ...


StageT = TypeVar("StageT", bound=_Stage)
P = ParamSpec("P")
R = TypeVar("R")


def explained_stage(method: Callable[Concatenate[StageT, P], R]) -> Callable[Concatenate[StageT, P], R]:
    """Decorator for the generator's stages: faults of the surroundings become BuildFault."""
    @functools.wraps(method)
    def wrapper(self: StageT, *args: P.args, **kwargs: P.kwargs) -> R:
        with explained(self.blogroll.state_dir, Path(self.output_path), self.blogroll):
            return method(self, *args, **kwargs)
    return wrapper


class OneLineFaults(logging.Filter):
    """On Pelican's logger: a BuildFault is written as its one line on stderr, instead of the
    record with its traceback (which Pelican's rich console would also wrap at 80 columns)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, BuildFault):
            sys.stderr.write(str(exc) + "\n")
            sys.stderr.flush()
            return False
        return True


def install_filter() -> None:
    logger = logging.getLogger("pelican")
    if not any(isinstance(f, OneLineFaults) for f in logger.filters):
        logger.addFilter(OneLineFaults())
