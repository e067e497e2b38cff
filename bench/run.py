"""`make bench`: time the real `make html` on a synthetic corpus served on loopback.

    python -m bench [--feeds N] [--entries M] [--archive A] [--changed F] [--json PATH]

Scenarios, run in this order on one corpus, one state folder, one output folder:

  parse-only         the corpus bytes through parse_feed in a 2-process pool: the parse floor
  parse+clean        the same with the clean stage (nh3, excerpt): the whole worker stage
  reader-cold        the peer: the `reader` library (bench/peer.py, 8 workers) fetching and
                     storing the corpus into a new database, building nothing
  reader-warm        the same database updated again (conditional requests)
  cold               `make html` with an empty store and an empty output/
  hourly-unchanged   `make html` again, nothing changed on the server
  full-render        `BLOGROLL_OFFLINE=1 make html` after A - N·M older entries were
                     inserted straight into the store (Store.apply), so the archive holds A
  hourly-changed     F of the feeds publish 2 new entries; `make html` with the A-entry archive
  hourly-unchanged-archive  `make html` again, nothing changed, A-entry archive

Each `make html` runs as a subprocess with BLOGROLL_ALLOW_PRIVATE=1; its wall
time, CPU time (user+system of the whole process tree, from wait4), peak RSS
(largest process, from wait4) and peak PSS of the tree (sampled from /proc
every 0.1 s) are reported, with the files of output/ it created, rewrote or
deleted (inode and mtime compared before and after) and the HTTP statuses
the feed server answered.
"""

from __future__ import annotations

import argparse
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

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from feedserver import FeedServer  # noqa: E402

from .corpus import Corpus  # noqa: E402

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


def targets_for(r: Result, results: dict[str, Result], args, reference: bool) -> list[dict]:
    out = []

    def target(label: str, value: float, limit: float, unit: str, applies: bool = True):
        if not applies:
            return
        met = value <= limit
        gap = "" if met else f"over by {value - limit:.2f} {unit} ({value / limit:.2f}×)" if limit else \
            f"{value:g} {unit}"
        out.append({"target": label, "value": value, "limit": limit, "met": met, "gap": gap})

    if r.name.startswith("hourly-unchanged"):
        target("no file in output/ written or deleted", r.files_written + r.files_deleted, 0, "files")
    if r.name == "hourly-unchanged":
        target("wall ≤ 3 s", r.wall_s, 3.0, "s", reference)
    if r.name == "hourly-changed":
        target("wall ≤ 20 s", r.wall_s, 20.0, "s", reference)
    if r.name == "cold":
        target("wall ≤ 90 s", r.wall_s, 90.0, "s", reference)
        floor = results.get("parse-only")
        if floor and floor.wall_s > 0:
            target("wall ≤ 1.5 × parse-only", round(r.wall_s / floor.wall_s, 2), 1.5, "×", reference)
    target("peak memory ≤ 1 GB", max(r.peak_rss_mb, r.peak_tree_pss_mb), 1024.0, "MB", reference)
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
    reference = (args.feeds, args.entries, args.archive) == tuple(REFERENCE.values())
    results: dict[str, Result] = {}
    notes: list[str] = []

    with FeedServer(corpus.served, validators=corpus.validators_for, etag_cache=True) as server:
        feeds = work / "feeds.yaml"
        feeds.write_text(corpus.registry_yaml(server.url), "utf-8")
        env = build_env(project=project)

        def step(name, what, cmd, env=env, out=output, srv=server):
            if args.only and name not in args.only:
                return None
            if args.profile and cmd[0] == "make":
                cmd = make_html(feeds, state, output, Path(args.profile).resolve() / f"{name}.prof")
            print(f"bench: {name} …", file=sys.stderr, flush=True)
            r = run_measured(name, what, cmd, env, logs / f"{name}.log", out, srv, state if out else None,
                             cwd=project, keep_before=name in (args.keep_before or ()))
            r.targets = targets_for(r, results, args, reference)
            results[name] = r
            if r.returncode != 0:
                notes.append(f"{name}: exit status {r.returncode}, see {logs / (name + '.log')}")
            return r

        parse_cmd = [py, "-m", "bench.parse_only", str(feeds), str(corpus.served), server.url, "--workers",
                     str(args.workers)]
        step("parse-only", "parse_feed over the same bytes, 2 processes", parse_cmd, out=None, srv=None)
        step("parse+clean", "parse + clean over the same bytes, 2 processes", parse_cmd + ["--clean"],
             out=None, srv=None)
        if _has_reader(py):
            peer = [py, "-m", "bench.peer", str(work / "reader.sqlite"), str(feeds), "--workers", "8"]
            step("reader-cold", "the reader library: fetch + store into a new database, 8 workers", peer, out=None)
            step("reader-warm", "the reader library: the same database updated again", peer, out=None)
        else:
            notes.append("reader is not installed: no peer scenarios (make bench installs the bench extra)")
        html = make_html(feeds, state, output)
        step("cold", f"empty store, {args.feeds} feeds × {args.entries} entries", html)
        step("hourly-unchanged", "same corpus again", html)

        later = {"full-render", "hourly-changed", "hourly-unchanged-archive"}
        if args.only and not later & set(args.only):
            return _report(args, corpus, corpus_bytes, generate_s, modes, reference, results, notes)
        t = time.perf_counter()
        added = seed_archive(corpus, state, args.archive)
        notes.append(f"archive seeded with {added} older entries via blogroll.store.Store.apply "
                     f"in {time.perf_counter() - t:.1f} s (not timed as a scenario)")
        step("full-render", f"offline rebuild rendering the {args.archive}-entry archive",
             html, env=build_env({"BLOGROLL_OFFLINE": "1"}, project=project))
        changed = corpus.change(args.changed, 1)
        step("hourly-changed", f"{len(changed)} feeds ({args.changed:.0%}) with 2 new entries each, "
             f"{args.archive}-entry archive", html)
        step("hourly-unchanged-archive", f"nothing changed, {args.archive}-entry archive", html)

    return _report(args, corpus, corpus_bytes, generate_s, modes, reference, results, notes)


def _has_reader(py: str) -> bool:
    return subprocess.run([py, "-c", "import reader"], capture_output=True).returncode == 0


# (figure, ours, theirs, target): the time targets, each a ratio of two figures of one run.
RATIOS = [
    ("cold full build ÷ reader fetch+store (cold)", "cold", "reader-cold", 0.3),
    ("nothing-changed build ÷ reader warm update", "hourly-unchanged", "reader-warm", 0.5),
    ("hourly 5 % changed, archived ÷ cold build of the same feeds", "hourly-changed", "cold", 0.15),
]


def ratios(results: dict[str, Result]) -> list[dict]:
    out = []
    for figure, ours, theirs, limit in RATIOS:
        a, b = results.get(ours), results.get(theirs)
        if a is None or b is None or b.wall_s <= 0:
            continue
        wall = round(a.wall_s / b.wall_s, 2)
        cpu = round(a.cpu_s / b.cpu_s, 2) if b.cpu_s > 0 else None
        out.append({"figure": figure, "ours": ours, "theirs": theirs, "ours_wall_s": a.wall_s,
                    "theirs_wall_s": b.wall_s, "ours_cpu_s": a.cpu_s, "theirs_cpu_s": b.cpu_s,
                    "wall_ratio": wall, "cpu_ratio": cpu, "target": limit, "met": wall <= limit})
    return out


def _report(args, corpus, corpus_bytes, generate_s, modes, reference, results, notes) -> dict:
    return {
        "machine": getattr(args, "machine", None) or machine(),
        "params": {"feeds": args.feeds, "entries": args.entries, "archive": args.archive,
                   "changed": args.changed, "seed": args.seed, "workers": args.workers,
                   "reference_size": reference},
        "corpus": {"bytes": corpus_bytes, "entries": args.feeds * args.entries, "validators": modes,
                   "generate_s": round(generate_s, 2)},
        "scenarios": [dict(asdict(r), ok=r.ok) for r in results.values()],
        "ratios": ratios(results),
        "notes": notes,
        "ok": all(r.ok for r in results.values()),
    }


# --- report ----------------------------------------------------------------------

def table(report: dict) -> str:
    p, m, c = report["params"], report["machine"], report["corpus"]
    lines = [
        f"Bench: {p['feeds']} feeds × {p['entries']} entries ({c['bytes'] / 2 ** 20:.1f} MiB served, "
        f"validators {c['validators']}), archive {p['archive']}, {p['changed']:.0%} changed",
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, {m['system']}, "
        f"commit {m['commit']}, {m['date']}",
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
    if report.get("ratios"):
        lines += ["", "| figure (one run, same corpus) | ours wall / CPU s | theirs wall / CPU s | ratio wall (CPU) "
                  "| target |", "|---|---:|---:|---:|---|"]
        for r in report["ratios"]:
            cpu = f" ({r['cpu_ratio']:.2f}×)" if r["cpu_ratio"] is not None else ""
            lines.append(f"| {r['figure']} | {r['ours_wall_s']:.2f} / {r['ours_cpu_s']:.2f} | "
                         f"{r['theirs_wall_s']:.2f} / {r['theirs_cpu_s']:.2f} | {r['wall_ratio']:.2f}×{cpu} | "
                         f"≤ {r['target']}×: {'met' if r['met'] else 'MISSED'} |")
    if not p["reference_size"]:
        lines += ["", "Time targets apply to the reference size (1000 × 20, archive 50000) only."]
    lines += [""] + [f"- {n}" for n in report["notes"]]
    return "\n".join(lines)


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
