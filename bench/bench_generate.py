"""Benchmark ``cjb generate`` against DuckDB writing the same number of rows to CSV.

Runs the generator in a subprocess at ``--scale 1`` (12 months) and ``--scale 150`` (one month by
default: national-sized, about 0.57 million rows), and, in the same run, DuckDB writing the same
number of random rows of similar width (16 columns: ids, dates, codes, flags, a short text) with
``COPY ... TO`` as the reference for the fastest way to write a CSV here. Prints rows per second
and peak memory (maximum resident set size of the child process) for each.

    .venv/bin/python bench/bench_generate.py [--months-150 N]
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DUCKDB_SCRIPT = """
import sys, duckdb
rows, out = int(sys.argv[1]), sys.argv[2]
con = duckdb.connect()
con.execute(f'''
COPY (
  SELECT 'CR' || lpad(i::VARCHAR, 9, '0') AS crime_ref,
         strftime(DATE '2018-04-01' + (i % 30)::INTEGER, '%d/%m/%Y') AS recorded_date,
         strftime(DATE '2018-03-25' + (i % 35)::INTEGER, '%d/%m/%Y') AS offence_date,
         (['8N', '105A', '46', '58C', '9A'])[1 + i % 5] AS ho_offence_code,
         (['Assault with injury', 'Shoplifting', 'Criminal damage to a vehicle'])[1 + i % 3]
           AS offence_description,
         'E0' || lpad((1015000 + i % 417)::VARCHAR, 7, '0') AS lsoa_code,
         CASE WHEN random() < 0.4 THEN 'Swindon' ELSE 'Wiltshire' END AS local_authority,
         CASE WHEN random() < 0.15 THEN 'Y' ELSE 'N' END AS is_domestic_abuse,
         CASE WHEN random() < 0.02 THEN 'Y' ELSE 'N' END AS is_hate_crime,
         CASE WHEN random() < 0.07 THEN 'Y' ELSE 'N' END AS is_cyber,
         CASE WHEN random() < 0.01 THEN 'Y' ELSE 'N' END AS is_cse,
         CASE WHEN random() < 0.01 THEN 'Y' ELSE 'N' END AS is_knife,
         (['', '1', '14', '15', '16', '18'])[1 + (random() * 6)::INTEGER % 6] AS outcome_type,
         strftime(DATE '2018-04-20' + (i % 40)::INTEGER, '%d/%m/%Y') AS outcome_date,
         'recorded' AS status,
         'P' || lpad((random() * 6000000)::INTEGER::VARCHAR, 7, '0') AS suspect_person_id
  FROM range({rows}) t(i)
) TO '{out}' (HEADER, DELIMITER ',')
''')
"""


def _run(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return elapsed, proc.stdout


def _rss_mb() -> float:
    """Peak RSS of the largest child so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _generate(out: Path, scale: float, months: int) -> tuple[int, float, float]:
    cmd = [sys.executable, "-m", "cjb.cli", "generate", "--out", str(out)]
    cmd += ["--scale", str(scale), "--months", str(months), "--seed", "1"]
    elapsed, stdout = _run(cmd)
    rows = int(re.search(r"files, ([\d,]+) rows", stdout)[1].replace(",", ""))
    size = sum(p.stat().st_size for p in out.rglob("*.csv")) / 1e6
    return rows, elapsed, size


def _duckdb(out: Path, rows: int) -> tuple[float, float]:
    script = out.with_suffix(".py")
    script.write_text(DUCKDB_SCRIPT)
    target = out.with_suffix(".csv")
    elapsed, _ = _run([sys.executable, str(script), str(rows), str(target)])
    return elapsed, target.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months-150", type=int, default=1, help="months at scale 150")
    args = parser.parse_args()
    cases = [(1.0, 12), (150.0, args.months_150)]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench_generate_") as tmp:
        for i, (scale, months) in enumerate(cases):
            # Peak RSS is a running maximum over children: measure the smaller run first and
            # each reference after its generator run, so each figure is an upper bound that
            # belongs to the run just made when it grows.
            before = _rss_mb()
            rows, gen_s, gen_mb = _generate(Path(tmp) / f"gen{i}", scale, months)
            gen_rss = _rss_mb()
            duck_s, duck_mb = _duckdb(Path(tmp) / f"duck{i}", rows)
            duck_rss = _rss_mb()
            results.append(
                (scale, months, rows, gen_s, gen_mb, gen_rss, before, duck_s, duck_mb, duck_rss)
            )
    print()
    print(
        f"{'run':<22} {'rows':>11} {'seconds':>8} {'rows/s':>10} {'CSV MB':>8} {'peak RSS MB':>12}"
    )
    for scale, months, rows, gen_s, gen_mb, gen_rss, before, duck_s, duck_mb, duck_rss in results:
        label = f"generate scale {scale:g}, {months} mo"
        rss = f"{gen_rss:.0f}" if gen_rss > before else f"<= {gen_rss:.0f}"
        print(
            f"{label:<22} {rows:>11,} {gen_s:>8.2f} {rows / gen_s:>10,.0f} {gen_mb:>8.1f} {rss:>12}"
        )
        rss = f"{duck_rss:.0f}" if duck_rss > gen_rss else f"<= {duck_rss:.0f}"
        print(
            f"{'  duckdb COPY, same rows':<22} {rows:>11,} {duck_s:>8.2f} {rows / duck_s:>10,.0f} "
            f"{duck_mb:>8.1f} {rss:>12}"
        )
    print(
        "\nseconds include interpreter start-up; peak RSS is the maximum resident set of the "
        "child processes so far (RUSAGE_CHILDREN), so '<=' marks a run that stayed below an "
        "earlier one."
    )


if __name__ == "__main__":
    main()
