"""The adversarial probe corpus (tests/fixtures/probes/, tests/probes.py) through REAL builds.

One build per class: one blog per probe in one registry, served by a loopback RouteServer,
built by real Pelican (Pagefind included). For every probe:

- leak: none of its secrets is in any output file (the Pagefind index unzipped), any output
  path, or any state file (the SQLite store, its WAL, the build's JSON files), compared with
  `probes.fold` on the text, its HTML-unescaped and its %-decoded forms;
- published: its entry is still on the site (its marker), and every keep word is in the
  stored entry's title, excerpt or tags; precision probes keep their link (`keep_link`);
- refused (comment feeds): refused by `make check` (by URL) or at parse (by content), the
  marker on no page.

The guard test: the same builds with the clean stage's redaction, scrubbing, identity-link
and link rules, and the build's quarantine, replaced by pass-throughs (monkeypatched in the test:
production code has no switch to turn them off) make `make privacy-check`, with every probe's
secrets as its deny-list, flag every probe whose secret reached the output; with redaction on,
it raises 0 alerts.

ANONYMITY_REPORT=path makes each probe append its result there (tools/anonymity_report.py).
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import privacy_check
import pytest
from conftest import ROOT, Site
from pelican.plugins.blogroll import registry as registry_load
from pelican.plugins.blogroll.core.errors import RegistryError
from probes import Probe, fold, load_probes
from routeserver import RouteServer

pytestmark = [pytest.mark.build, pytest.mark.slow]

CLASSES = ("names", "places", "text", "links", "state", "comments", "precision")
PROBES = {cls: load_probes(cls) for cls in CLASSES}
ALL = [p for cls in CLASSES for p in PROBES[cls]]


@dataclass
class Built:
    site: Site
    ids: dict[str, str]                      # probe id -> feed id
    refused_at_check: set[str] = field(default_factory=set)
    views: list[tuple[str, str]] = field(default_factory=list)  # (label, folded text) of output + state
    output_views: list[tuple[str, str]] = field(default_factory=list)
    public: str = ""                          # folded text of every output page


def _views(root: Path, prefix: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = str(path.relative_to(root))
        text = privacy_check.read_text(path)
        if text is None:
            text = path.read_bytes().decode("utf-8", "replace")
        for own in privacy_check.OWN_ADDRESSES:
            text = text.replace(own, "")
        unescaped = html.unescape(text)
        joined = "\n".join((text, unescaped, unquote(unescaped), rel, unquote(rel)))
        out.append((f"{prefix}/{rel}", fold(joined)))
    return out


def _refused_by_check(probe: Probe, tmp: Path, url: str) -> bool:
    """Is the probe's feed URL refused by the registry (what `make check` runs)?"""
    reg = tmp / f"check-{probe.id}.yaml"
    from conftest import SPECIALTIES, registry_yaml
    reg.write_text(registry_yaml([probe.registry_entry(url, "sonde")]), "utf-8")
    try:
        registry_load.load(reg, SPECIALTIES, allow_private=True)
    except RegistryError as exc:
        assert "commentaires" in str(exc), str(exc)
        return True
    return False


def _unredacted(mp: pytest.MonkeyPatch) -> list[str]:
    """Replace the clean stage's anonymity steps and the build's quarantine with pass-throughs,
    for the builds of the guard test (they run in this process: BLOGROLL_PARSE_WORKERS=0).
    Returns the list each pass-through appends its name to when it runs."""
    from pelican.plugins.blogroll.clean import entry, excerpt
    from pelican.plugins.blogroll.clean.redact import Redactor
    from pelican.plugins.blogroll.core.weburl import clean_url
    from pelican.plugins.blogroll.site.model import quarantine

    calls: list[str] = []

    def keep(name: str):
        def same(text: str, *args, **kw):
            calls.append(name)
            return text
        return same

    def no_redactor(*args, **kw) -> Redactor:  # cuts nothing, finds nothing
        calls.append("Redactor")
        return Redactor(())

    def any_link(url, *args, **kw):
        calls.append("entry_link")
        return clean_url(url)

    def no_denylist(*args, **kw) -> list[str]:
        calls.append("load_denylist")
        return []

    mp.setattr(entry, "Redactor", no_redactor)
    mp.setattr(entry, "scrub_text", keep("scrub_text"))
    mp.setattr(entry, "entry_link", any_link)
    mp.setattr(excerpt, "scrub_text", keep("excerpt.scrub_text"))
    mp.setattr(excerpt, "_drop_identity_links", keep("_drop_identity_links"))
    mp.setattr(quarantine, "load_denylist", no_denylist)
    return calls


def build_class(cls: str, root: Path, monkeypatch: pytest.MonkeyPatch, *, redacted: bool = True) -> Built:
    site = Site(root)
    probes = PROBES[cls]
    ids = {p.id: f"p{i:02d}" for i, p in enumerate(probes)}
    built = Built(site, ids)
    redirect_hosts = {p.server.redirect_host for p in probes if p.server and p.server.redirect_host}
    if redirect_hosts:
        from pelican.plugins.blogroll.fetch import client

        real = client.resolve_checked

        async def resolve(host, port, policy=client.is_public_address):
            return await real("127.0.0.1" if host in redirect_hosts else host, port, policy)

        monkeypatch.setattr(client, "resolve_checked", resolve)
    with RouteServer() as rs:
        entries = []
        for p in probes:
            fid = ids[p.id]
            path = p.feed_path if p.feed_path.startswith("/") else f"/{fid}/{p.feed_path or p.id + '.xml'}"
            # Probes share one server: each gets its own folder unless its path is the point.
            if p.feed_path and any(q is not p and q.feed_path == p.feed_path for q in probes):
                path = f"/{fid}{p.feed_path}"
            s = p.server
            headers = dict(s.headers) if s else {}
            ctype = p.content_type or None
            kwargs = {"content_type": ctype} if ctype else {}
            if s and s.redirect_to:
                target = s.location(rs.url)
                if s.redirect_to.startswith("/"):
                    # the target path, on this server, per probe
                    rs.set(s.redirect_to if not any(q is not p and q.server and q.server.redirect_to == s.redirect_to
                                                    for q in probes) else f"/{fid}{s.redirect_to}",
                           p.feed, **kwargs, **headers)
                rs.redirect(path, target, s.status)
            else:
                rs.set(path, p.feed, **kwargs, status=s.status if s else 200, **headers)
            url = rs.url + path
            if cls == "comments" and _refused_by_check(p, root, url):
                built.refused_at_check.add(p.id)
                continue
            entries.append(p.registry_entry(url, fid))
        site.write_registry(entries)
        if redacted:
            site.build()
        else:
            with pytest.MonkeyPatch.context() as off:
                calls = _unredacted(off)
                site.build()
            # The build went through the pass-throughs: the quarantine's, and the clean stage's
            # for every class that stored an entry (comment feeds may all be refused at parse).
            assert "load_denylist" in calls, calls
            assert "Redactor" in calls or not _stored_count(site), calls
    built.output_views = _views(site.output, "output")
    built.views = built.output_views + _views(site.state, "state")
    built.public = "\n".join(text for label, text in built.output_views)
    return built


_CACHE: dict[tuple[str, bool], Built] = {}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    mp = pytest.MonkeyPatch()

    def get(cls: str, redacted: bool = True) -> Built:
        key = (cls, redacted)
        if key not in _CACHE:
            for k in list(os.environ):
                if k.startswith("BLOGROLL_"):
                    mp.delenv(k)
            _CACHE[key] = build_class(cls, tmp_path_factory.mktemp(f"{cls}{'' if redacted else '-off'}"), mp,
                                      redacted=redacted)
        return _CACHE[key]

    yield get
    mp.undo()


def _stored_count(site: Site) -> int:
    db = sqlite3.connect(site.state / "blogroll.sqlite3")
    try:
        return db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    finally:
        db.close()


def _stored(built: Built, probe: Probe) -> list[dict]:
    db = sqlite3.connect(built.site.state / "blogroll.sqlite3")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM entries WHERE feed_id = ?", (built.ids[probe.id],))]
    finally:
        db.close()


def leaks(built: Built, probe: Probe, views=None) -> list[str]:
    found = []
    for secret in probe.secrets:
        s = fold(secret)
        for label, text in (views if views is not None else built.views):
            if s in text:
                found.append(f"{secret!r} in {label}")
                break
    return found


def lost_words(built: Built, probe: Probe) -> list[str]:
    """Keep words missing from the published entry, and a changed keep_link."""
    rows = _stored(built, probe)
    if not rows:
        return ["(no stored entry)"]
    text = fold(html.unescape(" ".join(f"{r['title']} {r['excerpt']} {r['tags']}" for r in rows)))
    text = fold(" ".join(json.loads(r["tags"]) and " ".join(json.loads(r["tags"])) or "" for r in rows)) + " " + text
    lost = [w for w in probe.keep if fold(w) not in text]
    if probe.keep_link and probe.keep_link not in {r["link"] for r in rows}:
        lost.append(f"link {probe.keep_link}")
    return lost


def _report(probe: Probe, leaked: bool, over: bool) -> None:
    path = os.environ.get("ANONYMITY_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"id": probe.id, "class": probe.cls, "leak_probe": probe.leak,
                                "leaked": leaked, "over_redacted": over}) + "\n")


@pytest.mark.parametrize("probe", ALL, ids=[p.id for p in ALL])
def test_probe(probe: Probe, builds):
    built = builds(probe.cls)
    leaked = leaks(built, probe)
    if probe.expect == "refused":
        refused = probe.id in built.refused_at_check or not _stored(built, probe)
        over = not refused or fold(probe.marker) in built.public
    elif probe.expect == "error":
        over = fold(probe.marker) in built.public  # a failing feed publishes nothing
    else:
        lost = lost_words(built, probe)
        published = fold(probe.marker) in built.public
        over = bool(lost) or not published
    _report(probe, bool(leaked), over)
    assert not leaked, leaked
    if probe.expect == "published":
        assert fold(probe.marker) in built.public, "entry not published"
        assert not lost_words(built, probe), lost_words(built, probe)
    elif probe.expect == "refused":
        assert probe.id in built.refused_at_check or not _stored(built, probe), "comment feed aggregated"
        assert fold(probe.marker) not in built.public
    else:
        assert fold(probe.marker) not in built.public


# --- the leak guard ------------------------------------------------------------------

def _denylist(probes: list[Probe]) -> tuple[str, list[list[Probe]]]:
    """The deny-list (one secret a line, each once as the guard normalizes it) and, for each of
    its entries, the probes it belongs to."""
    lines: list[str] = []
    owners: list[list[Probe]] = []
    index: dict[str, int] = {}
    for p in probes:
        for s in p.secrets:
            key = privacy_check.normalize(s)
            if not key:
                continue
            if key not in index:
                index[key] = len(lines)
                lines.append(s)
                owners.append([])
            owners[index[key]].append(p)
    return "\n".join(lines), owners


def _guard(output: Path, denylist: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVACY_", "BLOGROLL_"))}
    env["PRIVACY_DENYLIST"] = denylist
    run = subprocess.run(["make", "--no-print-directory", "-s", "privacy-check", f"OUTPUTDIR={output}"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


_ENTRY = re.compile(r"entrée n°(\d+) de la liste")


@pytest.mark.parametrize("cls", [c for c in CLASSES if c != "precision"])
def test_guard_flags_every_leak_when_redaction_is_off(cls, builds):
    probes = [p for p in PROBES[cls] if p.leak]
    off = builds(cls, redacted=False)
    denylist, owners = _denylist(probes)
    code, out = _guard(off.site.output, denylist)
    flagged = {p.id for n in _ENTRY.findall(out) for p in owners[int(n) - 1]}
    reached = [p.id for p in probes if leaks(off, p, off.output_views)]
    missed = [pid for pid in reached if pid not in flagged]
    _report_guard(cls, len(probes), len(reached), len(reached) - len(missed))
    assert not missed, f"the guard let through {missed}"
    assert (code != 0) == bool(reached), out[-2000:]


@pytest.mark.parametrize("cls", CLASSES)
def test_guard_raises_no_alert_when_redaction_is_on(cls, builds):
    probes = [p for p in PROBES[cls] if p.secrets]
    on = builds(cls)
    denylist, _ = _denylist(probes)
    code, out = _guard(on.site.output, denylist)
    assert code == 0, out[-3000:]


def _report_guard(cls: str, probes: int, reached: int, flagged: int) -> None:
    path = os.environ.get("ANONYMITY_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"guard": cls, "probes": probes, "reached_output": reached,
                                "flagged": flagged}) + "\n")
