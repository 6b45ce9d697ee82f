"""Landing throughput and peak memory, against plain DuckDB loading the same files.

    .venv/bin/python bench/bench_landing.py [--scales 1 150] [--keep DIR]

For each scale it generates one month (``cjb generate --months 1 --scale X``), then in fresh
subprocesses (peak RSS from ``os.wait4``, the child's own ``ru_maxrss``):

- landing: ``cjb.landing.land_inbox`` (read, GE validation in chunks, pseudonymise, load), with
  the time spent in each phase;
- reference: plain DuckDB ``CREATE TABLE AS SELECT * FROM read_csv(...)`` of the same files.

Prints rows/s, wall seconds and peak MB of both, and the ratio. Speed and memory are measured
here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

CHILD_LAND = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
import cjb.landing.session as S
import cjb.landing.validate as V
phases = {}
def timed(owner, name, label):
    fn = getattr(owner, name)
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            phases[label] = phases.get(label, 0.0) + time.perf_counter() - t
    setattr(owner, name, wrapper)
timed(S, "prepare_csv", "read csv + helper columns (SQL)")
timed(V.SuiteRunner, "validate", "GE validation")
timed(S, "read_csv", "re-read for quarantined records")
timed(S, "write_validation_report", "validation report")
timed(S, "land_transaction", "load + pseudonymise (transaction)")
from cjb.landing import land_inbox
imported = time.perf_counter() - started
t = time.perf_counter()
s = land_inbox(Path(sys.argv[1]), Path(sys.argv[2]))
wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "import": imported, "rows": s.rows_landed + s.rows_quarantined,
                  "quarantined": s.rows_quarantined, "files": len(s.files), "phases": phases}))
"""

CHILD_REFERENCE = """
import json, sys, time
from pathlib import Path
import duckdb
t = time.perf_counter()
con = duckdb.connect(sys.argv[2])
rows = 0
for i, f in enumerate(sorted(Path(sys.argv[1]).glob("*/*.csv"))):
    con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv('{f}', header = true)")
    rows += con.execute(f"SELECT count(*) FROM t{i}").fetchall()[0][0]
con.close()
print(json.dumps({"wall": time.perf_counter() - t, "rows": rows}))
"""


def run_child(code: str, *args: str) -> dict:
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=PROJECT,
        env=os.environ | {"PYTHONPATH": str(PROJECT)},
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return result


def bench(scale: float, work: Path) -> None:
    from cjb.generate import generate

    inbox = work / f"inbox_scale{scale:g}"
    if not inbox.exists():
        t = time.perf_counter()
        generate(inbox, seed=1, start="2018-11", months=1, scale=scale)
        print(f"  generated scale {scale:g} in {time.perf_counter() - t:.1f} s")
    size = sum(p.stat().st_size for p in inbox.glob("*/*.csv")) / 1e6
    land = run_child(CHILD_LAND, str(inbox), str(work / f"wh{scale:g}" / "cjb.duckdb"))
    ref = run_child(CHILD_REFERENCE, str(inbox), str(work / f"ref{scale:g}.duckdb"))
    print(f"scale {scale:g}: {land['files']} files, {land['rows']:,} rows, {size:.0f} MB of CSV")
    print(
        f"  landing (GE)      {land['wall']:7.2f} s  {land['rows'] / land['wall']:>10,.0f} rows/s"
        f"  peak {land['peak_mb']:6.0f} MB   (+{land['import']:.1f} s imports)"
    )
    print(
        f"  DuckDB read_csv   {ref['wall']:7.2f} s  {ref['rows'] / ref['wall']:>10,.0f} rows/s"
        f"  peak {ref['peak_mb']:6.0f} MB"
    )
    print(f"  landing / reference time: {land['wall'] / ref['wall']:.1f}x")
    for phase, seconds in sorted(land["phases"].items(), key=lambda kv: -kv[1]):
        print(f"    {phase:<22} {seconds:7.2f} s  {100 * seconds / land['wall']:5.1f} %")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", nargs="+", type=float, default=[1.0, 150.0])
    p.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    args = p.parse_args()
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("CJB_PERSON_KEY_SECRET", "bench-secret")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for scale in args.scales:
            bench(scale, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            for scale in args.scales:
                bench(scale, Path(tmp))


if __name__ == "__main__":
    main()
