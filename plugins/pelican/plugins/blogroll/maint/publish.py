"""Should this build be deployed? A fingerprint of output/ against the last deployed one.

The hourly workflow builds into a fresh output/ every time, so "did a file
change" is answered by content, not mtimes: every file of output/ is hashed,
except the health pages, whose timestamps (last attempt, last success,
next attempt, failure counters) move on every run. For those, only what a
reader would act on counts (site/model/health.py STATE_KEYS: each feed's state,
error, down-since, permanent redirect, archive size); and Atom feeds are compared without
their <updated> stamps (an empty feed is "updated" at every build). So a run
where no feed changed fingerprints the same as the last deployed one and is
not deployed.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ..core.files import write_atomic
from ..site.model.health import state_of

_UPDATED = re.compile(rb"<updated>[^<]*</updated>")
STATUS_FILES = ("etat/index.html", "etat.json")


def fingerprint(output_dir: Path) -> str:
    output_dir = Path(output_dir)
    digest = hashlib.sha256()
    for path in sorted(p for p in output_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(output_dir).as_posix()
        if rel in STATUS_FILES:
            continue
        data = path.read_bytes()
        if rel.endswith(".atom.xml"):
            # An empty feed says it was updated at build time; that alone is no news.
            data = _UPDATED.sub(b"", data)
        digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    digest.update(b"\0status\0" + status_signature(output_dir / "etat.json").encode())
    return digest.hexdigest()


def status_signature(status_json: Path) -> str:
    try:
        feeds = json.loads(status_json.read_text("utf-8")).get("feeds", [])
    except (FileNotFoundError, ValueError, AttributeError):
        return ""
    rows = [state_of(f) for f in feeds if isinstance(f, dict)]
    return json.dumps(sorted(rows, key=lambda r: str(r["id"])), sort_keys=True, ensure_ascii=False)


def needs_deploy(output_dir: Path, record: Path) -> tuple[bool, str, str]:
    """(deploy?, French reason, fingerprint)."""
    current = fingerprint(output_dir)
    try:
        previous = json.loads(Path(record).read_text("utf-8")).get("fingerprint")
    except (FileNotFoundError, ValueError, AttributeError):
        previous = None
    if previous is None:
        return True, "aucun déploiement enregistré", current
    if previous != current:
        return True, "le site a changé depuis le dernier déploiement", current
    return False, "aucun flux n'a changé : rien à redéployer", current


def mark_deployed(record: Path, value: str) -> None:
    write_atomic(Path(record), json.dumps({"fingerprint": value}) + "\n")
