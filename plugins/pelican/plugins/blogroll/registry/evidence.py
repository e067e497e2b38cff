"""Registry stage: feeds-evidence.tsv, the proof that each blog of feeds.yaml exists.

One tab-separated row per blog, next to feeds.yaml: id, evidence_url (one or more URLs
separated by spaces: the stored public pages that show the blog), checked (ISO date),
platform, feed_source (page: the feed link was seen on a page; convention: the platform's
documented feed path; guess), note. Only the repository's own feeds.yaml is held to it
(`make check` warns, a test fails); registries given with FEEDS= are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.model import Registry

COLUMNS = ("id", "evidence_url", "checked", "platform", "feed_source", "note")
FEED_SOURCES = ("page", "convention", "guess")
FILE_NAME = "feeds-evidence.tsv"
_URL = re.compile(r"^https?://[^\s]+$")

Problem = tuple[str, int, str]


@dataclass(frozen=True)
class Evidence:
    id: str
    urls: tuple[str, ...]
    checked: date | None
    platform: str
    feed_source: str
    note: str
    line: int


def read(path: Path) -> tuple[dict[str, Evidence], list[Problem]]:
    """The rows of the evidence file by id, and the problems of the file itself."""
    name = path.name
    rows: dict[str, Evidence] = {}
    problems: list[Problem] = []
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}, [(name, 0, "fichier absent : chaque blog de feeds.yaml doit y avoir sa ligne de preuve")]
    lines = text.splitlines()
    if not lines or tuple(c.strip() for c in lines[0].split("\t")) != COLUMNS:
        problems.append((name, 1, "première ligne attendue : " + "\\t".join(COLUMNS)))
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        cells = raw.split("\t")
        if len(cells) != len(COLUMNS):
            problems.append((name, number, f"{len(cells)} colonnes au lieu de {len(COLUMNS)} (séparées par des tabulations)"))
            continue
        fid, urls, checked, platform, source, note = (c.strip() for c in cells)
        found = tuple(urls.split())
        if not found or not all(_URL.match(u) for u in found):
            problems.append((name, number, f"{fid} : evidence_url doit donner une ou plusieurs adresses http(s)"))
        day = None
        try:
            day = date.fromisoformat(checked)
        except ValueError:
            problems.append((name, number, f"{fid} : checked « {checked} » n'est pas une date AAAA-MM-JJ"))
        if source not in FEED_SOURCES:
            problems.append((name, number, f"{fid} : feed_source « {source} » (attendu : {', '.join(FEED_SOURCES)})"))
        if fid in rows:
            problems.append((name, number, f"id « {fid} » en double (déjà ligne {rows[fid].line})"))
            continue
        rows[fid] = Evidence(fid, found, day, platform, source, note, number)
    return rows, problems


def problems(registry: Registry, path: Path) -> list[Problem]:
    """Every blog of `registry` without a row (at its feeds.yaml line), every row for an
    unknown id (at its own line), and the file's own problems."""
    rows, out = read(path)
    feeds_name = Path(registry.path).name
    ids = {f.id for f in registry.feeds} | set(registry.takedowns.feeds)
    for feed in registry.feeds:
        if feed.id not in rows:
            out.append((feeds_name, feed.line, f"« {feed.id} » n'a pas de ligne de preuve dans {path.name} "
                                               "(adresse d'une page publique qui montre le blog, date, plateforme, "
                                               "source du flux : voir CONTRIBUTING.md)"))
    for fid, row in rows.items():
        if fid not in ids:
            out.append((path.name, row.line, f"« {fid} » n'est pas un id de feeds.yaml"))
    return out


def own_registry(feeds: Path, project: Path) -> Path | None:
    """The evidence file when `feeds` is the project's own feeds.yaml, else None."""
    try:
        if Path(feeds).resolve() != (project / "feeds.yaml").resolve():
            return None
    except OSError:
        return None
    return project / FILE_NAME
