"""National-scale benchmark (issue 7): `cjb run` against plain DuckDB SQL, in the same run.

    .venv/bin/python bench/bench_national.py                      # the issue's size (~10M crimes)
    .venv/bin/python bench/bench_national.py --scale 30 --months 3  # a quick check of the harness

Generates (once, cached in ``bench/out/``) ``--months`` + 1 months at ``--scale`` with
``cjb.generate`` and holds the last month back, then measures in fresh subprocesses:

(a) ``cjb run --inbox <the months> --warehouse <empty>``: landing and build from empty;
(b) the reference: ``bench/reference_marts.py``, the same files loaded with ``read_csv`` and the
    same public marts computed in plain SQL, one process, no orchestration, no validation;
(c) the held-back month added to the inbox and ``cjb run`` again (land it, refresh);
(d) peak memory of each: the whole process tree's resident memory, sampled every 0.2 s (the
    Prefect server ``cjb run`` starts is part of it), and the largest single process
    (``ru_maxrss`` from ``os.wait4``).

With ``--rounds N`` the three measurements are repeated N times (each round from an empty
warehouse) and the ratios of every round are reported with their median: on a shared machine a
single run varies by 10-15 %.

Prints each figure and the ratios (a)/(b) and (c)/(a), a breakdown of (a) into landing (first
to last file landed, from ``audit.landed_files``) and dbt build (dbt's own "Finished running"
time), and writes them with the machine to ``BENCHMARKS.md``. Prefect runs with its own
``PREFECT_HOME`` under ``bench/out/`` unless ``PREFECT_API_URL`` is set (then the running server
is used, as documented in ``docs/operations.md``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "bench" / "out"
CJB = Path(sys.executable).parent / "cjb"
SECRET = "bench-secret-not-for-real-data"


@dataclass
class Measure:
    label: str
    wall: float
    peak_tree_mb: float
    peak_process_mb: float
    returncode: int
    log: Path
    started: dt.datetime  # local time, as Prefect logs it
    cpu: float  # CPU time (user + system) of the process and the children it waited for

    @property
    def cores(self) -> float:
        """Cores busy on average: CPU time over wall time."""
        return self.cpu / self.wall if self.wall else 0.0


@dataclass
class Round:
    a: Measure
    b: Measure
    c: Measure
    ra: dict  # breakdown of (a)
    rc: dict  # breakdown of (c)
    ref: dict  # the reference's own load / marts times

    @property
    def a_over_b(self) -> float:
        return self.a.wall / self.b.wall

    @property
    def c_over_a(self) -> float:
        return self.c.wall / self.a.wall


def median_round(rounds: list[Round]) -> Round:
    """The round whose (a)/(b) is the median (the lower middle one for an even count)."""
    ordered = sorted(rounds, key=lambda r: r.a_over_b)
    return ordered[(len(ordered) - 1) // 2]


# -- memory of a process tree ---------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree(pid: int) -> list[int]:
    """``pid`` and its live descendants."""
    children = _children()
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children.get(p, [])
    return pids


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and its live descendants."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def _tree_rss_mb(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def measure(label: str, argv: list[str], log: Path, env: dict[str, str]) -> Measure:
    """Run ``argv`` to completion; wall time, peak tree RSS (sampled), peak process RSS."""
    print(f"\n{label}: {' '.join(str(a) for a in argv)}", flush=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    peak = [0.0]
    with log.open("w") as out:
        started_at = dt.datetime.now()
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT, env=env)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
    rc = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    m = Measure(label, wall, peak[0], usage.ru_maxrss / 1024, rc, log, started_at, cpu)
    print(
        f"  {wall:8.1f} s   CPU {cpu:6.1f} s   peak {m.peak_tree_mb:6.0f} MB (tree), "
        f"{m.peak_process_mb:6.0f} MB (largest process)   exit {rc}   log {log}",
        flush=True,
    )
    return m


# -- a running Prefect server -----------------------------------------------------------------


class PrefectServer:
    """``prefect server start`` in the background, as production runs it (docs/operations.md):
    ``cjb run`` then reuses it through ``PREFECT_API_URL`` instead of starting a temporary one.
    Its start-up is timed and its memory sampled, and both are reported beside the runs."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api"
        self.peak_mb = 0.0
        self._done = threading.Event()
        started = time.perf_counter()
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [
                str(CJB.with_name("prefect")),
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=PROJECT,
        )
        self._wait_healthy()
        self.start_seconds = time.perf_counter() - started
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _wait_healthy(self, timeout: float = 180.0) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"prefect server exited early; see {self._log.name}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"prefect server not healthy after {timeout:.0f} s; see {self._log.name}")

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak_mb = max(self.peak_mb, _tree_rss_mb(self.proc.pid))
            self._done.wait(0.2)

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far: it serves each run's API calls, logs and
        events on the same cores, so it is reported beside the run it served."""
        return _tree_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        self._done.set()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


# -- the inbox --------------------------------------------------------------------------------


def _month_after(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:])
    m += n
    return f"{y + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}"


# The national volumes over 11 months at crime scale 150 (about 10 million crimes):
# 500,000 trial listings and 1,000,000 out-of-court disposals (cjb generate --source-scale).
SOURCE_SCALES = {"court_trials": 486.0, "oocr": 1042.0}


def prepare_inbox(
    scale: float, months: int, start: str, seed: int, source_scales: dict[str, float]
) -> tuple[Path, Path, dict]:
    """Cached: ``<dir>/initial`` (``months`` months) and ``<dir>/next`` (the month after)."""
    import duckdb

    from cjb.landing.discover import discover

    per_source = "".join(f"_{k}{v:g}" for k, v in sorted(source_scales.items()))
    folder = OUT / f"national_s{scale:g}{per_source}_m{months}_{start}_seed{seed}"
    initial, held = folder / "initial", folder / "next"
    stats_file = folder / "inbox.json"
    if not stats_file.exists():
        shutil.rmtree(folder, ignore_errors=True)
        from cjb.generate import generate

        print(f"generating {months + 1} months from {start} at scale {scale:g} ...", flush=True)
        t = time.perf_counter()
        generate(
            initial,
            seed=seed,
            start=start,
            months=months + 1,
            scale=scale,
            source_scales=source_scales or None,
        )
        generated = time.perf_counter() - t
        last = dt.date.fromisoformat(_month_after(start, months) + "-01")
        for f in discover(initial):
            if f.period is not None and f.period.end >= last:  # the held-back month
                target = held / f.source / f.name
                target.parent.mkdir(parents=True, exist_ok=True)
                f.path.rename(target)
        stats = {"generated_seconds": generated, "initial": {}, "next": {}}
        con = duckdb.connect()
        for name, root in (("initial", initial), ("next", held)):
            for f in discover(root):
                rows = con.execute(
                    "SELECT count(*) FROM read_csv(?, all_varchar = true)", [str(f.path)]
                ).fetchall()[0][0]
                s = stats[name].setdefault(f.source, {"files": 0, "rows": 0, "mb": 0.0})
                s["files"] += 1
                s["rows"] += rows
                s["mb"] += f.path.stat().st_size / 1e6
        stats_file.write_text(json.dumps(stats, indent=2))
    return initial, held, json.loads(stats_file.read_text())


def link_inbox(target: Path, *sources: Path) -> Path:
    """An inbox of symbolic links to the files of ``sources`` (no copy of gigabytes)."""
    shutil.rmtree(target, ignore_errors=True)
    for source in sources:
        for f in source.glob("*/*"):
            link = target / f.parent.name / f.name
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(f.resolve())
    return target


# -- breakdown of a cjb run -------------------------------------------------------------------

DBT_FINISHED = re.compile(
    r"Finished running .* in (\d+) hours? (\d+) minutes? and ([\d.]+) seconds"
)
DBT_NODE = re.compile(
    r"\d+ of \d+ (?:OK created|OK loaded|OK|PASS|WARN|FAIL|ERROR)\s+(.*?)[\s.]*"
    r"\[\w+ in ([\d.]+)s\]"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
DBT_THREADS = re.compile(r"Concurrency: (\d+) threads")
PREFECT_LINE = re.compile(r"^(\d\d:\d\d:\d\d\.\d+) \| \w+ +\| (.*)$")
FLOW_BEGINS = re.compile(
    r"Flow run '([^']+)' - Beginning (?:sub)?flow run '[^']+' for flow '([^']+)'"
)
FLOW_ENDS = re.compile(r"Flow run '([^']+)' - Finished in state")


def _phases(text: str, started: dt.datetime) -> dict[str, float]:
    """Seconds per phase of a cjb run, from the timestamps of Prefect's log lines."""
    day = started.date()
    begins: dict[str, tuple[str, dt.datetime]] = {}
    spans: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    last = None
    for line in text.splitlines():
        m = PREFECT_LINE.match(line)
        if not m:
            continue
        at = dt.datetime.combine(day, dt.time.fromisoformat(m[1]))
        if at < started - dt.timedelta(minutes=1):  # ran past midnight
            at += dt.timedelta(days=1)
        last = at
        if b := FLOW_BEGINS.search(m[2]):
            begins[b[1]] = (b[2], at)
        elif (e := FLOW_ENDS.search(m[2])) and e[1] in begins:
            flow, start = begins[e[1]]
            spans[flow] = (start, at)
    out: dict[str, float] = {}
    if "cjb-run" in spans:
        out["start_up"] = (spans["cjb-run"][0] - started).total_seconds()
    for flow, key in (("cjb-land", "landing_flow"), ("cjb-build", "build_flow")):
        if flow in spans:
            out[key] = (spans[flow][1] - spans[flow][0]).total_seconds()
    if last is not None:
        out["last_log_line"] = (last - started).total_seconds()
    return out


def _exit_codes(rounds: list[Round]) -> str:
    """One line: every run exited 0, or the exit code of every run, round by round."""
    runs = [(i, m) for i, r in enumerate(rounds, 1) for m in (r.a, r.b, r.c)]
    if all(m.returncode == 0 for _, m in runs):
        return f"Exit codes: all {len(runs)} runs exited 0."
    return "Exit codes: " + "; ".join(f"round {i} {m.label} {m.returncode}" for i, m in runs) + "."


def run_breakdown(m: Measure, warehouse: Path, since: dt.datetime) -> dict:
    """Phases of one cjb run: Prefect's timestamps, dbt's own time, the landing audit."""
    import duckdb

    from cjb.paths import landing_path

    text = m.log.read_text(errors="replace")
    out: dict = _phases(text, m.started)
    dbt_log = PROJECT / "logs" / "dbt.log"  # cjb's builds log dbt's lines here, not the console
    last_run = dbt_log.read_text(errors="replace") if dbt_log.exists() else ""
    last_run = last_run[last_run.rfind("Running with dbt=") :]
    found = DBT_FINISHED.findall(last_run)
    if found:
        h, mi, s = found[-1]
        out["dbt_build"] = int(h) * 3600 + int(mi) * 60 + float(s)
    nodes = sorted(
        ((float(t), name) for name, t in DBT_NODE.findall(ANSI.sub("", last_run))), reverse=True
    )
    out["dbt_nodes"] = len(nodes)
    out["dbt_node_seconds"] = sum(t for t, _ in nodes)
    out["dbt_slowest"] = nodes[:6]
    threads = DBT_THREADS.search(ANSI.sub("", last_run))
    out["dbt_threads"] = int(threads[1]) if threads else None
    out["build_ok"] = "live warehouse:" in text and m.returncode == 0
    out["unit_tests_run"] = "unit tests: not run" not in text
    store = landing_path(warehouse)
    if store.exists():
        con = duckdb.connect(str(store), read_only=True)
        try:
            first, last, files, rows, quarantined = con.execute(
                "SELECT min(landed_at), max(landed_at), count(*), sum(rows_read), "
                "sum(rows_quarantined) FROM audit.landed_files WHERE landed_at >= ? "
                "AND status = 'landed'",
                [since],
            ).fetchall()[0]
        finally:
            con.close()
        out |= {"files_landed": files, "rows_landed_or_quarantined": rows or 0}
        out["rows_quarantined"] = quarantined or 0
        if first is not None:
            out["landing_span"] = (last - first).total_seconds()
    return out


# -- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    import duckdb

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    versions = {}
    for module in ("dbt.version", "great_expectations", "prefect"):
        try:
            mod = __import__(module, fromlist=["x"])
            versions[module.split(".")[0]] = getattr(mod, "__version__", None) or getattr(
                mod, "installed", "?"
            )
        except Exception:  # noqa: BLE001 - a version we cannot read is reported as such
            versions[module.split(".")[0]] = "?"
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "load average at start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        **{k: str(v) for k, v in versions.items()},
    }


# -- report -----------------------------------------------------------------------------------


def _cpu(m: Measure) -> str:
    return f"{m.cpu:,.1f} s ({m.cores:.2f})"


def fmt_s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:,.1f} s"


def write_markdown(path: Path, args, info, stats, rounds: list[Round]) -> str:
    shown = median_round(rounds)
    a, b, c, ra, rc_, ref = shown.a, shown.b, shown.c, shown.ra, shown.rc, shown.ref
    rows_initial = sum(s["rows"] for s in stats["initial"].values())
    rows_next = sum(s["rows"] for s in stats["next"].values())
    lines = [
        "# Benchmarks",
        "",
        "Figures written by `bench/bench_national.py` (issue 7). Each figure is measured in the "
        "same run as its reference, in fresh subprocesses, on the machine below. Peak memory is "
        "the whole process tree's resident memory sampled every 0.2 s (a temporary Prefect "
        "server `cjb run` starts is included), and in brackets the largest single process.",
        "",
        f"## National workload: scale {args.scale:g}"
        + "".join(f", {k} {v:g}" for k, v in sorted(args.source_scales.items()))
        + f"; {args.months} months from {args.start} (+1 month held back)",
        "",
        "| source | files | rows (initial) | rows (next month) |",
        "|---|---:|---:|---:|",
    ]
    for source in sorted(set(stats["initial"]) | set(stats["next"])):
        i = stats["initial"].get(source, {"files": 0, "rows": 0})
        n = stats["next"].get(source, {"files": 0, "rows": 0})
        lines.append(f"| {source} | {i['files']} | {i['rows']:,} | {n['rows']:,} |")
    lines += [
        f"| total | | {rows_initial:,} | {rows_next:,} |",
        "",
        *(
            [
                f"{len(rounds)} rounds, each from an empty warehouse; the figures below are "
                f"round {rounds.index(shown) + 1}'s, the median (a)/(b):",
                "",
            ]
            if len(rounds) > 1
            else []
        ),
        "| | what | wall | CPU time (cores busy) | peak memory |",
        "|---|---|---:|---:|---:|",
        f"| (a) | `cjb run` from empty (land, build, test) | {fmt_s(a.wall)} | {_cpu(a)} | "
        f"{a.peak_tree_mb:,.0f} MB ({a.peak_process_mb:,.0f} MB) |",
        f"| (b) | reference: plain DuckDB, same files, same marts | {fmt_s(b.wall)} | {_cpu(b)} | "
        f"{b.peak_tree_mb:,.0f} MB ({b.peak_process_mb:,.0f} MB) |",
        f"| (c) | land one further month and refresh (`cjb run` again) | {fmt_s(c.wall)} | "
        f"{_cpu(c)} | {c.peak_tree_mb:,.0f} MB ({c.peak_process_mb:,.0f} MB) |",
        "",
        "CPU time is the command's user + system time on all cores (the Prefect server's is "
        "reported apart, in the breakdown); cores busy is CPU time over wall time, at most "
        f"{os.cpu_count()} here. (a) used {a.cpu / b.cpu:.2f} times the reference's CPU time.",
        "",
        f"- **(a)/(b) = {a.wall / b.wall:.2f}** (goal ≤ 2.0, aim 1.5)",
        f"- **(c)/(a) = {c.wall / a.wall:.2f}** (goal ≤ 0.2)",
        f"- peak memory (goal ≤ 1.5 GB): (a) {a.peak_tree_mb:,.0f} MB, (b) "
        f"{b.peak_tree_mb:,.0f} MB, (c) {c.peak_tree_mb:,.0f} MB",
        "",
        *_rounds_table(rounds),
        "Breakdown:",
        "",
        *[f"- {name}: {_breakdown(m, r)}" for name, m, r in (("(a)", a, ra), ("(c)", c, rc_))],
        f"- (b) loading the CSVs: {fmt_s(ref.get('load'))}; computing the marts: "
        f"{fmt_s(ref.get('marts'))}",
        "",
        "Start-up is the command's imports and Prefect's start (with a temporary server, its "
        "start-up too), until the `cjb-run` "
        "flow begins; the landing and build flows are timed by Prefect's own log lines; the "
        "landing rate counts rows from the first to the last file landed "
        "(`audit.landed_files.landed_at`); dbt's own time excludes parsing the project. dbt's "
        "unit tests (fixtures, not data) run in a build of a changed project, with "
        "`--unit-tests` and in CI (docs/operations.md); the breakdown says whether each run ran "
        "them.",
        "",
        _exit_codes(rounds),
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        f"- Prefect: {_prefect_line(args)}",
        "",
        "Reproduce: `.venv/bin/python bench/bench_national.py "
        f"--scale {args.scale:g} --months {args.months} --start {args.start}"
        + "".join(f" --source-scale {k}={v:g}" for k, v in sorted(args.source_scales.items()))
        + f" --prefect {args.prefect}"
        + (f" --rounds {len(rounds)}" if len(rounds) > 1 else "")
        + "`",
        "",
    ]
    text = "\n".join(lines)
    path.write_text(text)
    return text


def _rounds_table(rounds: list[Round]) -> list[str]:
    """Every round's figures and ratios, with the median ratios (nothing for one round)."""
    if len(rounds) < 2:
        return []

    def median(values: list[float]) -> float:
        ordered = sorted(values)
        mid = len(ordered) // 2
        return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2

    lines = [
        "| round | (a) | (b) | (c) | (a)/(b) | (c)/(a) | peak (a) | peak (c) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(rounds, 1):
        lines.append(
            f"| {i} | {fmt_s(r.a.wall)} | {fmt_s(r.b.wall)} | {fmt_s(r.c.wall)} | "
            f"{r.a_over_b:.2f} | {r.c_over_a:.2f} | {r.a.peak_tree_mb:,.0f} MB | "
            f"{r.c.peak_tree_mb:,.0f} MB |"
        )
    ab = [r.a_over_b for r in rounds]
    ca = [r.c_over_a for r in rounds]
    lines += [
        "",
        f"- median over {len(rounds)} rounds: **(a)/(b) = {median(ab):.2f}** "
        f"({min(ab):.2f}-{max(ab):.2f}), **(c)/(a) = {median(ca):.2f}** "
        f"({min(ca):.2f}-{max(ca):.2f}); largest peak: (a) "
        f"{max(r.a.peak_tree_mb for r in rounds):,.0f} MB, (c) "
        f"{max(r.c.peak_tree_mb for r in rounds):,.0f} MB",
        "",
    ]
    return lines


def _prefect_line(args) -> str:
    server = getattr(args, "server", None)
    if server is not None:
        return (
            f"one running server started by the benchmark before (a) ({args.prefect_api_url}; "
            f"up in {server.start_seconds:.1f} s, peak {server.peak_mb:,.0f} MB over the runs, "
            "neither counted in (a) or (c)); cjb reuses it through PREFECT_API_URL "
            "(docs/operations.md)"
        )
    if args.prefect_api_url:
        return f"the running server at PREFECT_API_URL={args.prefect_api_url}"
    return "a temporary server started by each cjb run (counted in its time and memory)"


def _breakdown(m: Measure, r: dict) -> str:
    parts = [
        f"start-up {fmt_s(r.get('start_up'))}",
        f"landing flow {fmt_s(r.get('landing_flow'))} ({r.get('files_landed', 0)} files, "
        f"{r.get('rows_landed_or_quarantined', 0):,} rows, {_rate(r)})",
        f"build flow {fmt_s(r.get('build_flow'))} (dbt's own time {fmt_s(r.get('dbt_build'))})",
    ]
    if r.get("last_log_line") is not None:
        parts.append(f"shutting down {fmt_s(m.wall - r['last_log_line'])}")
    if r.get("server_cpu") is not None:
        parts.append(f"the Prefect server's CPU time meanwhile {fmt_s(r['server_cpu'])}")
    parts.append(f"build succeeded: {r.get('build_ok')}")
    if "unit_tests_run" in r:
        parts.append(
            "dbt's unit tests " + ("run" if r["unit_tests_run"] else "not run (as in production)")
        )
    text = "; ".join(parts)
    if r.get("dbt_slowest"):
        slowest = ", ".join(f"{name} {t:.1f} s" for t, name in r["dbt_slowest"])
        text += (
            f". dbt ran {r['dbt_nodes']} nodes ({r['dbt_node_seconds']:.0f} s of node time on "
            f"{r.get('dbt_threads') or '?'} threads); slowest: {slowest}"
        )
    return text


def _rate(r: dict) -> str:
    span = r.get("landing_span")
    rows = r.get("rows_landed_or_quarantined")
    return f"{rows / span:,.0f} rows/s" if span and rows else "rate –"


def measure_round(
    work: Path, env: dict[str, str], initial: Path, held: Path, server: PrefectServer | None = None
) -> Round:
    """(a), (b) and (c) once, from an empty warehouse and a fresh inbox; with ``server``, the
    CPU time it used during (a) and (c) goes into their breakdowns."""
    warehouse = work / "warehouse" / "cjb.duckdb"
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    (work / "ref.duckdb").unlink(missing_ok=True)
    inbox = link_inbox(work / "inbox", initial)

    def cjb_run(label: str, log: str) -> tuple[Measure, dict]:
        """``cjb run`` over the inbox into the warehouse, and its breakdown."""
        since = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        cpu_before = server.cpu_seconds() if server else None
        m = measure(
            label,
            [str(CJB), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
            work / log,
            env,
        )
        breakdown = run_breakdown(m, warehouse, since)
        if server and cpu_before is not None:
            breakdown["server_cpu"] = server.cpu_seconds() - cpu_before
        return m, breakdown

    a, ra = cjb_run("(a) cjb run from empty", "a_cjb_run.log")
    b = measure(
        "(b) reference: plain DuckDB",
        [
            sys.executable,
            str(PROJECT / "bench" / "reference_marts.py"),
            str(initial),
            str(work / "ref.duckdb"),
        ],
        work / "b_reference.log",
        env,
    )
    ref = json.loads(b.log.read_text().strip().splitlines()[-1]) if b.returncode == 0 else {}
    link_inbox(inbox, initial, held)  # the next month arrives in the same inbox
    c, rc_ = cjb_run("(c) one further month: cjb run again", "c_cjb_run_next_month.log")
    return Round(a, b, c, ra, rc_, ref)


def main() -> None:
    sys.path.insert(0, str(PROJECT))
    from cjb.cli import parse_source_scale

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=150.0, help="generator scale (default 150)")
    p.add_argument(
        "--months",
        type=int,
        default=11,
        help="months landed by (a) (default 11: about 10 million crimes at scale 150)",
    )
    p.add_argument("--start", default="2017-04", help="first month (default 2017-04)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--source-scale",
        type=parse_source_scale,
        action="append",
        default=[],
        metavar="SOURCE=SCALE",
        help="per-source generator scale (default court_trials=486 oocr=1042: 500,000 trial "
        "listings and 1,000,000 disposals over 11 months)",
    )
    p.add_argument(
        "--prefect",
        choices=("server", "temporary"),
        default="server",
        help="server (default): start one Prefect server first and point cjb at it with "
        "PREFECT_API_URL, as production does (its start-up and memory reported apart); "
        "temporary: each cjb run starts its own temporary server (counted in its time). "
        "An existing PREFECT_API_URL is used as it is.",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="repeat (a), (b) and (c) this many times, each round from an empty warehouse, "
        "and report every round with the median ratios (default 1)",
    )
    p.add_argument("--markdown", type=Path, default=PROJECT / "BENCHMARKS.md")
    args = p.parse_args()
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    source_scales = SOURCE_SCALES | dict(args.source_scale)
    args.source_scales = source_scales

    info = machine()
    initial, held, stats = prepare_inbox(
        args.scale, args.months, args.start, args.seed, source_scales
    )
    work = OUT / f"run_s{args.scale:g}_m{args.months}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = os.environ | {"CJB_PERSON_KEY_SECRET": SECRET, "PYTHONPATH": str(PROJECT)}
    # the running server the benchmark starts sends no usage data either (docs/operations.md)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        env["PREFECT_HOME"] = str(OUT / "prefect_home")  # not the shared ~/.prefect database
        if args.prefect == "server":
            server = PrefectServer(env, work / "prefect_server.log")
            env["PREFECT_API_URL"] = server.url
            print(f"Prefect server {server.url} up in {server.start_seconds:.1f} s", flush=True)
    args.prefect_api_url = env.get("PREFECT_API_URL")
    rounds = []
    for i in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"\n--- round {i} of {args.rounds}", flush=True)
        rounds.append(measure_round(work, env, initial, held, server))
    if server is not None:
        server.stop()
    args.server = server

    print("\n" + "=" * 72)
    text = write_markdown(args.markdown, args, info, stats, rounds)
    print(text)
    print(f"written to {args.markdown}")


if __name__ == "__main__":
    main()
