"""`make bench`: time the real `make html` on a synthetic corpus and on real feeds served on loopback.

    python -m bench [--feeds N] [--entries M] [--archive A] [--changed F] [--json PATH]
                    [--real-corpus DIR] [--real-limit K]

Scenarios, run in this order on one corpus, one state folder, one output folder:

  parse-only         the corpus bytes through parse_feed in a 2-process pool: the parse floor
  parse+clean        the same with the clean stage (nh3, excerpt): the whole worker stage
  (floors)           bench/floors.py, untimed as a scenario: each stage's CPU against its
                     library floor on the same bytes in one process
  reader-cold        the peer: the `reader` library (bench/peer.py, 8 workers) fetching and
                     storing the corpus into a new database, building nothing
  reader-warm        the same database updated again (conditional requests)
  cold               `make html` with an empty store and an empty output/
  hourly-unchanged   `make html` again, nothing changed on the server
  full-render        `BLOGROLL_OFFLINE=1 make html` after A - N·M older entries were
                     inserted straight into the store (Store.apply), so the archive holds A
  hourly-changed     F of the feeds publish 2 new entries; `make html` with the A-entry archive
  hourly-unchanged-archive  `make html` again, nothing changed, A-entry archive

Then the real-feed corpus (bench/realcorpus.py: the files of ../shared/corpus, read in place,
served by the same feed server, a generated registry) goes through the scenarios that make
sense on files that never change, named real-*: parse-only, parse+clean, the floors,
reader-cold, reader-warm, cold, hourly-unchanged. Without the folder it is skipped with a note.

Each `make html` runs as a subprocess with BLOGROLL_ALLOW_PRIVATE=1; its wall
time, CPU time (user+system of the whole process tree, from wait4), peak RSS
(largest process, from wait4) and peak PSS of the tree (sampled from /proc
every 0.1 s) are reported, with the files of output/ it created, rewrote or
deleted (inode and mtime compared before and after) and the HTTP statuses
the feed server answered. The report ends with the stage × floor table of each
corpus and issue 24's targets, met, MISSED or not measured, with the reason
(bench/figures.py).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from feedserver import FeedServer  # noqa: E402

from . import figures  # noqa: E402
from .corpus import Corpus  # noqa: E402
from .realcorpus import DEFAULT as REAL_DEFAULT  # noqa: E402
from .realcorpus import RealCorpus  # noqa: E402
from .realcorpus import find as find_real  # noqa: E402

REFERENCE = {"feeds": 1000, "entries": 20, "archive": 50_000}
GB = 1024 ** 3


@dataclass
class Result:
    name: str
    what: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float        # largest single process (ru_maxrss via wait4)
    peak_tree_pss_mb: float   # whole process tree, sampled (0 when /proc is unavailable)
    returncode: int
    peak_by_program_mb: dict = field(default_factory=dict)  # largest process of each program, sampled
    files_written: int = 0    # created or rewritten in output/
    files_deleted: int = 0
    files_total: int = 0
    written_sample: list = field(default_factory=list)
    http: dict = field(default_factory=dict)
    build: dict = field(default_factory=dict)     # state/last-build.json: mode, file counts, phase timings
    targets: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and all(t["met"] for t in self.targets)


# --- measuring ---------------------------------------------------------------

class TreeSampler(threading.Thread):
    """Peak memory of a process and its descendants, summed (PSS, or RSS without smaps_rollup)."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.peak_by_program: dict[str, int] = {}  # largest single process of each program name
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total = 0
            for p in _tree(self.pid):
                mem = _mem(p)
                total += mem
                name = _comm(p)
                if mem > self.peak_by_program.get(name, 0):
                    self.peak_by_program[name] = mem
            self.peak = max(self.peak, total)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as fh:
            return fh.read().strip()
    except OSError:
        return "?"


def _mem(pid: int) -> int:
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except FileNotFoundError:
                continue
            out[os.path.relpath(path, root)] = (st.st_ino, st.st_mtime_ns)
    return out


def run_measured(name: str, what: str, cmd: list[str], env: dict, log: Path, output: Path | None,
                 server: FeedServer | None, state: Path | None = None, cwd: Path = ROOT,
                 keep_before: bool = False) -> Result:
    before = snapshot(output) if output else {}
    if keep_before and output is not None and output.exists():  # to diff what the scenario changed
        shutil.copytree(output, output.parent / f"output-before-{name}", symlinks=True)
    report = state / "last-build.json" if state else None
    if report is not None and report.exists():
        report.unlink()
    first_request = len(server.requests) if server else 0
    started = time.perf_counter()
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
    after = snapshot(output) if output else {}
    written = sorted(rel for rel, sig in after.items() if before.get(rel) != sig)
    if output:  # every file created or rewritten, beside the scenario's log
        log.with_suffix(".written").write_text("".join(w + "\n" for w in written), "utf-8")
    http: dict[str, int] = {}
    if server:
        for r in server.requests[first_request:]:
            key = str(r.get("status", "?"))
            http[key] = http.get(key, 0) + 1
    build = {}
    if report is not None and report.exists():
        build = json.loads(report.read_text("utf-8"))
    return Result(
        name=name, what=what, wall_s=round(wall, 2), cpu_s=round(usage.ru_utime + usage.ru_stime, 2),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1), peak_tree_pss_mb=round(sampler.peak / 2 ** 20, 1),
        peak_by_program_mb={k: round(v / 2 ** 20) for k, v in sorted(sampler.peak_by_program.items(),
                                                                      key=lambda kv: -kv[1]) if v > 2 ** 20},
        returncode=proc.returncode, files_written=len(written), files_deleted=len(set(before) - set(after)),
        files_total=len(after), written_sample=written[:12], http=dict(sorted(http.items())),
        build=build,
    )


# --- scenarios -----------------------------------------------------------------

def build_env(extra: dict | None = None, project: Path = ROOT) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
    env["BLOGROLL_ALLOW_PRIVATE"] = "1"
    # The worst hour: every feed due. Adaptive polling would leave most of the corpus's
    # blogs for later; the hourly backfill budget (on by default) is counted as it is.
    env["BLOGROLL_POLL_ADAPTIVE"] = "0"
    if project != ROOT:  # the snapshot's plugin, not the editable install's
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project / "plugins"), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


SNAPSHOT = ("plugins", "theme", "content", "bench", "tools", "pelicanconf.py", "Makefile", "pyproject.toml", "constraints.txt",
            "specialties.yaml", "takedowns.yaml")


def snapshot_project(dest: Path) -> Path:
    """A copy of the code and theme as they are now, so that edits made while the bench runs
    (or a build fingerprint that includes the code) do not change what is measured."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "out")
    for name in SNAPSHOT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dest / name)  # keeps mtimes: make sees the venv as up to date
    (dest / ".venv").symlink_to(ROOT / ".venv")
    # Compiled once, as an installed package is (pip compiles at install time): with
    # PYTHONDONTWRITEBYTECODE set, every build would otherwise compile the plugin's ~100 modules
    # again (~0.25 s a build), which the peer, installed in the virtualenv, never pays.
    compileall.compile_dir(str(dest / "plugins"), quiet=1)
    return dest


def make_html(feeds: Path, state: Path, output: Path, profile: Path | None = None) -> list[str]:
    cmd = ["make", "--no-print-directory", "-s", "html", f"FEEDS={feeds}", f"STATE={state}", f"OUTPUTDIR={output}"]
    if profile is not None:  # the Makefile's $(PY) runs under cProfile (times are then inflated)
        cmd.append(f"PY={ROOT / '.venv' / 'bin' / 'python'} -m cProfile -o {profile}")
    return cmd


def seed_archive(corpus: Corpus, state: Path, total: int) -> int:
    """Insert older entries straight into the store until it holds `total` entries."""
    from pelican.plugins.blogroll.core.model import FeedUpdate
    from pelican.plugins.blogroll.store import Store

    with Store(state) as store:
        missing = total - store.count()
        if missing <= 0:
            return 0
        per_feed, extra = divmod(missing, corpus.n)
        healths = store.all_health()
        seen = datetime.now(UTC)
        added = 0
        for feed in corpus.feeds:
            count = per_feed + (1 if feed.index < extra else 0)
            if not count or feed.id not in healths:
                continue
            update = FeedUpdate(feed.id, healths[feed.id], tuple(corpus.archive_entries(feed, count)), attempted=False)
            added += store.apply(update, seen).new
        return added


def seed_in_snapshot(session: Session, corpus: Corpus, state: Path, total: int) -> int:
    """`seed_archive` run by the snapshot's code (a subprocess), as every build is: the store it
    writes is of the schema the builds read, whatever the working tree holds meanwhile."""
    args = [session.py, "-m", "bench.run", "--seed-archive", str(corpus.root), str(corpus.n), str(corpus.m),
            str(corpus.seed), str(state), str(total)]
    proc = subprocess.run(args, cwd=session.project, capture_output=True, text=True,
                          env=build_env(project=session.project), check=True)
    return int(proc.stdout.strip().splitlines()[-1])


def _seed_main(argv: list[str]) -> int:
    root, n, m, seed, state, total = argv
    specialties = yaml.safe_load((ROOT / "specialties.yaml").read_text("utf-8"))
    corpus = Corpus(Path(root), int(n), int(m), seed=int(seed), specialties=specialties)
    print(seed_archive(corpus, Path(state), int(total)))
    return 0


PEAK_MB = 500.0  # issue 24: peak memory of any scenario


def targets_for(r: Result) -> list[dict]:
    """The checks of one scenario: a nothing-changed hour writes nothing; peak memory."""
    out = []

    def target(label: str, value: float, limit: float, unit: str):
        met = value <= limit
        gap = "" if met else f"over by {value - limit:.2f} {unit} ({value / limit:.2f}×)" if limit else \
            f"{value:g} {unit}"
        out.append({"target": label, "value": value, "limit": limit, "met": met, "gap": gap})

    if "hourly-unchanged" in r.name:
        target("no file in output/ written or deleted", r.files_written + r.files_deleted, 0, "files")
    target(f"peak memory ≤ {PEAK_MB:.0f} MB", max(r.peak_rss_mb, r.peak_tree_pss_mb), PEAK_MB, "MB")
    return out


def machine() -> dict:
    mem = 0
    try:
        with open("/proc/meminfo") as fh:
            mem = int(fh.readline().split()[1]) * 1024
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / GB, 1),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "commit": commit, "date": datetime.now(UTC).isoformat(timespec="seconds")}


class Session:
    """One bench run: the scenarios measured so far, the notes, where logs go."""

    def __init__(self, args, py: str, project: Path, logs: Path):
        self.args, self.py, self.project, self.logs = args, py, project, logs
        self.results: dict[str, Result] = {}
        self.notes: list[str] = []
        self.floors: dict[str, dict] = {}
        self.reader = _has_reader(py)

    def step(self, name: str, what: str, cmd: list[str], env: dict, *, output: Path | None = None,
             state: Path | None = None, server: FeedServer | None = None, feeds: Path | None = None) -> None:
        args = self.args
        if args.only and name not in args.only:
            return
        if args.profile and cmd[0] == "make" and feeds is not None and state is not None and output is not None:
            cmd = make_html(feeds, state, output, Path(args.profile).resolve() / f"{name}.prof")
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        r = run_measured(name, what, cmd, env, self.logs / f"{name}.log", output, server, state,
                         cwd=self.project, keep_before=name in (args.keep_before or ()))
        r.targets = targets_for(r)
        self.results[name] = r
        if r.returncode != 0:
            self.notes.append(f"{name}: exit status {r.returncode}, see {self.logs / (name + '.log')}")

    def measure_floors(self, corpus: str, feeds: Path, served: Path, url: str) -> None:
        """Each stage against its library floor on this corpus's bytes (bench/floors.py), untimed here."""
        if self.args.only and "floors" not in self.args.only:
            return
        print(f"bench: floors ({corpus}) …", file=sys.stderr, flush=True)
        proc = subprocess.run([self.py, "-m", "bench.floors", str(feeds), str(served), url], cwd=self.project,
                              capture_output=True, text=True, env=build_env(project=self.project))
        try:
            self.floors[corpus] = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            self.floors[corpus] = {}
            self.notes.append(f"floors ({corpus}): bench.floors failed (exit {proc.returncode}): "
                              f"{proc.stderr.strip().splitlines()[-1:] or '?'}")

    def common(self, prefix: str, label: str, feeds: Path, served: Path, server: FeedServer, work: Path,
               state: Path, output: Path) -> None:
        """The scenarios both corpora go through: the parse floors, the peer, cold, nothing changed."""
        env = build_env(project=self.project)
        parse_cmd = [self.py, "-m", "bench.parse_only", str(feeds), str(served), server.url, "--workers",
                     str(self.args.workers)]
        self.step(f"{prefix}parse-only", "parse_feed over the same bytes, 2 processes", parse_cmd, env)
        self.step(f"{prefix}parse+clean", "parse + clean over the same bytes, 2 processes", parse_cmd + ["--clean"],
                  env)
        self.measure_floors(prefix.rstrip("-") or "synthetic", feeds, served, server.url)
        if self.reader:
            peer = [self.py, "-m", "bench.peer", str(work / "reader.sqlite"), str(feeds), "--workers", "8"]
            self.step(f"{prefix}reader-cold", "the reader library: fetch + store into a new database, 8 workers",
                      peer, env, server=server)
            self.step(f"{prefix}reader-warm", "the reader library: the same database updated again", peer, env,
                      server=server)
        html = make_html(feeds, state, output)
        where: dict[str, Any] = {"output": output, "state": state, "server": server, "feeds": feeds}
        self.step(f"{prefix}cold", f"empty store, {label}", html, env, **where)
        self.step(f"{prefix}hourly-unchanged", "same corpus again", html, env, **where)


def run(args) -> dict:
    args.machine = machine()  # at the start: the commit whose code the snapshot copies
    work = Path(args.workdir).resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    state, output, logs = work / "state", work / "output", work / "logs"
    logs.mkdir()
    specialties = yaml.safe_load((ROOT / "specialties.yaml").read_text("utf-8"))
    t = time.perf_counter()
    corpus = Corpus(work, args.feeds, args.entries, seed=args.seed, specialties=specialties)
    corpus_bytes = corpus.write_all()
    generate_s = time.perf_counter() - t
    modes: dict[str, int] = {}
    for f in corpus.feeds:
        modes[f.validators] = modes.get(f.validators, 0) + 1

    py = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
    subprocess.run(["make", "--no-print-directory", "-s", "venv"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    project = snapshot_project(work / "project") if args.snapshot else ROOT
    session = Session(args, py, project, logs)
    if not session.reader:
        session.notes.append("reader is not installed: no peer scenarios (make bench installs the bench extra)")

    with FeedServer(corpus.served, validators=corpus.validators_for, etag_cache=True) as server:
        feeds = work / "feeds.yaml"
        feeds.write_text(corpus.registry_yaml(server.url), "utf-8")
        session.common("", f"{args.feeds} feeds × {args.entries} entries", feeds, corpus.served, server, work,
                       state, output)
        archived(session, corpus, feeds, server, state, output)
    real = real_scenarios(session, work / "real", specialties)
    return _report(args, corpus, corpus_bytes, generate_s, modes, session, real)


def archived(session: Session, corpus: Corpus, feeds: Path, server: FeedServer, state: Path, output: Path) -> None:
    """The synthetic corpus only: an archive of A entries, a changed hour, nothing changed again."""
    args = session.args
    later = {"full-render", "hourly-changed", "hourly-unchanged-archive"}
    if args.only and not later & set(args.only):
        return
    t = time.perf_counter()
    added = seed_in_snapshot(session, corpus, state, args.archive)
    session.notes.append(f"archive seeded with {added} older entries via blogroll.store.Store.apply "
                         f"in {time.perf_counter() - t:.1f} s (not timed as a scenario)")
    html = make_html(feeds, state, output)
    where: dict[str, Any] = {"output": output, "state": state, "server": server, "feeds": feeds}
    session.step("full-render", f"offline rebuild rendering the {args.archive}-entry archive", html,
                 build_env({"BLOGROLL_OFFLINE": "1"}, project=session.project), **where)
    changed = corpus.change(args.changed, 1)
    env = build_env(project=session.project)
    session.step("hourly-changed", f"{len(changed)} feeds ({args.changed:.0%}) with 2 new entries each, "
                 f"{args.archive}-entry archive", html, env, **where)
    session.step("hourly-unchanged-archive", f"nothing changed, {args.archive}-entry archive", html, env, **where)


def real_scenarios(session: Session, work: Path, specialties: dict) -> dict | None:
    """The files of ../shared/corpus served in place on loopback, through the common scenarios."""
    args = session.args
    root = find_real(Path(args.real_corpus) if args.real_corpus else None)
    if root is None:
        session.notes.append(f"real-feed scenario skipped: no feed file in {args.real_corpus or REAL_DEFAULT} "
                             "(the shared corpus is not part of a fresh clone)")
        return None
    real = RealCorpus(root, limit=args.real_limit, seed=args.seed, specialties=sorted(specialties))
    work.mkdir(parents=True)
    with FeedServer(root, etag_cache=True) as server:  # ETag and Last-Modified: real conditional GET
        feeds = work / "feeds.yaml"
        feeds.write_text(real.registry_yaml(server.url), "utf-8")
        session.common("real-", f"{len(real.feeds)} real feed files", feeds, root, server, work,
                       work / "state", work / "output")
    return {"files": len(real.feeds), "bytes": real.bytes, "complete": args.real_limit is None,
            "span": session.floors.get("real", {}).get("span")}


def _has_reader(py: str) -> bool:
    return subprocess.run([py, "-c", "import reader"], capture_output=True).returncode == 0


def _report(args, corpus, corpus_bytes, generate_s, modes, session: Session, real: dict | None) -> dict:
    reference = (args.feeds, args.entries, args.archive) == tuple(REFERENCE.values())
    results = session.results
    return {
        "machine": getattr(args, "machine", None) or machine(),
        "params": {"feeds": args.feeds, "entries": args.entries, "archive": args.archive,
                   "changed": args.changed, "seed": args.seed, "workers": args.workers,
                   "reference_size": reference},
        "corpus": {"bytes": corpus_bytes, "entries": args.feeds * args.entries, "validators": modes,
                   "generate_s": round(generate_s, 2), "span": session.floors.get("synthetic", {}).get("span")},
        "real": real,
        "scenarios": [dict(asdict(r), ok=r.ok) for r in results.values()],
        "stages": {name: figures.stages(session.floors.get(name, {}), results.get(cold))
                   for name, cold in (("synthetic", "cold"), ("real", "real-cold"))
                   if name in session.floors},
        "targets": figures.targets(results, reference, real),
        "notes": session.notes,
        "ok": all(r.ok for r in results.values()),
    }


# --- report ----------------------------------------------------------------------

def table(report: dict) -> str:
    p, m, c = report["params"], report["machine"], report["corpus"]
    real = report.get("real")
    lines = [
        f"Bench: {p['feeds']} feeds × {p['entries']} entries ({c['bytes'] / 2 ** 20:.1f} MiB served, "
        f"validators {c['validators']}), archive {p['archive']}, {p['changed']:.0%} changed",
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, {m['system']}, "
        f"commit {m['commit']}, {m['date']}",
        _span_line("Synthetic", c.get("span")),
        (f"Real feeds: {real['files']} files of the shared corpus ({real['bytes'] / 2 ** 20:.1f} MiB"
         f"{'' if real['complete'] else ', a sample'}); " + _span_line("their entries", real.get("span")))
        if real else "Real feeds: skipped (see the notes)",
        "",
        "| scenario | wall s | CPU s | peak RSS MB (largest process) | peak PSS MB (all processes) "
        "| output files written / deleted / total | HTTP | targets |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for s in report["scenarios"]:
        http = " ".join(f"{k}×{v}" for k, v in s["http"].items()) or "—"
        files = f"{s['files_written']} / {s['files_deleted']} / {s['files_total']}" if s["files_total"] else "—"
        verdicts = []
        for t in s["targets"]:
            verdicts.append(f"{t['target']}: " + ("met" if t["met"] else f"MISSED, {t['gap']}"))
        if s["returncode"]:
            verdicts.insert(0, f"FAILED (exit {s['returncode']})")
        lines.append(f"| {s['name']} | {s['wall_s']:.2f} | {s['cpu_s']:.2f} | {s['peak_rss_mb']:.0f} | "
                     f"{s['peak_tree_pss_mb']:.0f} | {files} | {http} | {'; '.join(verdicts) or '—'} |")
    for name, rows in report.get("stages", {}).items():
        lines += [""] + figures.stage_table(name, rows)
    lines += [""] + figures.target_table(report["targets"])
    if not p["reference_size"]:
        lines += ["", f"The synthetic corpus is not at the reference size ({figures.REFERENCE_LABEL}): "
                  f"its figures are printed all the same."]
    lines += [""] + [f"- {n}" for n in report["notes"]]
    return "\n".join(lines)


def _span_line(what: str, span: dict | None) -> str:
    if not span:
        return f"{what}: dates not measured"
    return (f"{what}: {span['entries']} entries read from {span['documents']} documents ({span['refused']} refused), "
            f"{span['dated']} dated from {span['first']} to {span['last']}: {span['years_spanned']} calendar years "
            f"spanned, {span['distinct_years']} with entries")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    ap.add_argument("--feeds", "-N", type=int, default=REFERENCE["feeds"])
    ap.add_argument("--entries", "-M", type=int, default=REFERENCE["entries"])
    ap.add_argument("--archive", "-A", type=int, default=None,
                    help="entries archived before the hourly-changed run (default 50 per feed)")
    ap.add_argument("--changed", type=float, default=0.05, help="share of feeds changed (default 0.05)")
    ap.add_argument("--workers", type=int, default=2, help="processes of the parse-only pool")
    ap.add_argument("--seed", type=int, default=20260115)
    ap.add_argument("--workdir", default=None, help="default bench/out/N-M (deleted and recreated)")
    ap.add_argument("--json", default=None, help="also write the report as JSON to this path ('-' = stdout)")
    ap.add_argument("--real-corpus", default=None, metavar="DIR",
                    help="the real-feed corpus, read in place (default ../shared/corpus; skipped when absent)")
    ap.add_argument("--real-limit", type=int, default=None, metavar="K",
                    help="only K of its files, spread over its folders (the whole corpus by default)")
    ap.add_argument("--only", nargs="*", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--keep-before", nargs="*", default=None, metavar="SCENARIO",
                    help="copy output/ to output-before-SCENARIO/ before these scenarios (to diff what they "
                         "wrote: logs/SCENARIO.written lists the files)")
    ap.add_argument("--no-snapshot", dest="snapshot", action="store_false",
                    help="build with the working tree itself instead of a copy made at start")
    ap.add_argument("--profile", default=None, metavar="DIR",
                    help="run each make html under cProfile, one DIR/<scenario>.prof each")
    args = ap.parse_args(argv)
    if args.archive is None:
        args.archive = 50 * args.feeds
    args.workdir = args.workdir or str(ROOT / "bench" / "out" / f"{args.feeds}-{args.entries}")
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    report = run(args)
    print(table(report))
    if args.json:
        text = json.dumps(report, ensure_ascii=False, indent=1)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n", "utf-8")
    return 0 if all(s["returncode"] == 0 for s in report["scenarios"]) else 1


if __name__ == "__main__":  # `seed_in_snapshot`'s subprocess
    sys.exit(_seed_main(sys.argv[2:]) if sys.argv[1:2] == ["--seed-archive"] else main())
