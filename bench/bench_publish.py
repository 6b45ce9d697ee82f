"""Benchmark ``cjb publish`` (marts -> PostgreSQL) against a plain CSV + ``psql \\copy`` load.

The warehouse: by default synthesised public marts of national cardinality (``crime_summary``
for 342 local authorities x 27 offence groups/subgroups + 14 police.uk categories x 36 months,
about 0.5 million rows; ``trial_effectiveness`` for 311 courts x 36 months; ``trial_outcome_reasons``;
``wcjb_scorecard``), written with the contract's column names and types and descriptions as
comments. ``--pipeline MONTHS`` builds it with the real pipeline instead (``cjb generate
--scale 150``, landed, ``dbt build``; minutes), ``--warehouse FILE`` benchmarks an existing one.

The reference, in the same run and on the same server: DuckDB ``COPY ... TO`` CSV of the same
rows, then ``psql -c "\\copy ... FROM ... CSV"`` into empty tables of the same types - the
plainest fast load. ``cjb publish`` additionally writes comments, analyses each table, switches
schemas in one transaction and grants the reader role.

PostgreSQL: ``--postgres DSN`` (a role that may create schemas and roles), or by default a
throwaway cluster from Debian's ``postgresql`` package on a free 127.0.0.1 port (run as the
``postgres`` user when started as root), deleted afterwards.

    .venv/bin/python bench/bench_publish.py [--pipeline MONTHS | --warehouse FILE]
        [--postgres DSN] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYNTH = """
CREATE SCHEMA marts;
CREATE TABLE marts.crime_summary AS
WITH months AS (SELECT CAST(DATE '2016-04-01' + INTERVAL (m) MONTH AS DATE) AS month_start
                FROM range(36) t(m)),
     las AS (SELECT 'Local authority ' || i AS local_authority FROM range(342) t(i)),
     groups AS (SELECT 'police_crimes' AS source, 'Group ' || (i // 3) AS offence_group,
                       'Subgroup ' || i AS offence_subgroup FROM range(27) t(i)
                UNION ALL
                SELECT 'police_uk', 'Category ' || i, NULL FROM range(14) t(i))
SELECT CAST(source AS VARCHAR) AS source, month_start,
       CAST(CASE WHEN month(month_start) >= 4 THEN year(month_start) ELSE year(month_start) - 1 END
            || '-' || right(CAST(CASE WHEN month(month_start) >= 4 THEN year(month_start) + 1
            ELSE year(month_start) END AS VARCHAR), 2) AS VARCHAR) AS financial_year,
       CAST('Q' || (1 + ((month(month_start) + 8) % 12) // 3) AS VARCHAR) AS financial_quarter,
       CAST(local_authority AS VARCHAR) AS local_authority,
       CAST(offence_group AS VARCHAR) AS offence_group,
       CAST(offence_subgroup AS VARCHAR) AS offence_subgroup,
       CAST(1 + hash(local_authority, offence_group, month_start) % 400 AS BIGINT) AS crimes,
       CAST(CASE WHEN source = 'police_crimes' THEN hash(local_authority, month_start) % 90 END
            AS BIGINT) AS positive_outcomes,
       CAST(CASE WHEN source = 'police_crimes' THEN hash(offence_group, month_start) % 40 END
            AS BIGINT) AS charge_summons,
       CAST(CASE WHEN source = 'police_crimes' THEN hash(local_authority) % 60 END AS BIGINT)
           AS domestic_abuse_crimes,
       CAST(CASE WHEN source = 'police_crimes' THEN hash(offence_group) % 5 END AS BIGINT)
           AS hate_crimes,
       CAST(CASE WHEN source = 'police_crimes' THEN hash(month_start) % 30 END AS BIGINT)
           AS outcome_pending
FROM months, las, groups;
CREATE TABLE marts.trial_effectiveness AS
SELECT CAST(DATE '2016-04-01' + INTERVAL (m) MONTH AS DATE) AS month_start,
       CAST('2016-17' AS VARCHAR) AS financial_year, CAST('Q1' AS VARCHAR) AS financial_quarter,
       CAST('C' || c AS VARCHAR) AS court_code, CAST('Court ' || c AS VARCHAR) AS court_name,
       CAST(CASE WHEN c % 4 = 0 THEN 'crown' ELSE 'magistrates' END AS VARCHAR) AS jurisdiction,
       CAST(20 + c % 50 AS BIGINT) AS trials_listed, CAST(9 AS BIGINT) AS effective,
       CAST(6 AS BIGINT) AS cracked, CAST(5 AS BIGINT) AS ineffective, CAST(1 AS BIGINT) AS vacated,
       CAST(round(100.0 * 9 / (20 + c % 50), 1) AS DECIMAL(5,1)) AS pct_effective,
       CAST(round(100.0 * 6 / (20 + c % 50), 1) AS DECIMAL(5,1)) AS pct_cracked,
       CAST(round(100.0 * 5 / (20 + c % 50), 1) AS DECIMAL(5,1)) AS pct_ineffective
FROM range(36) t(m), range(311) u(c);
CREATE TABLE marts.trial_outcome_reasons AS
SELECT CAST('2016-17' AS VARCHAR) AS financial_year, CAST('Q' || (1 + q % 4) AS VARCHAR)
           AS financial_quarter,
       CAST(CASE WHEN j = 0 THEN 'crown' ELSE 'magistrates' END AS VARCHAR) AS jurisdiction,
       CAST('cracked' AS VARCHAR) AS trial_outcome, CAST('R' || r AS VARCHAR) AS reason_code,
       CAST('Reason ' || r AS VARCHAR) AS reason, CAST('prosecution' AS VARCHAR) AS attributed_to,
       CAST(r * 3 AS BIGINT) AS trials, CAST(r / 10 AS DECIMAL(5,1)) AS pct_of_trials_listed
FROM range(12) t(q), range(2) u(j), range(40) v(r);
CREATE TABLE marts.wcjb_scorecard AS
SELECT CAST('measure_' || m AS VARCHAR) AS measure_code, CAST('Measure ' || m AS VARCHAR)
           AS measure_name, CAST(1 + m % 4 AS INTEGER) AS priority,
       CAST('2016-17 Q' || (1 + q % 4) AS VARCHAR) AS period_label,
       CAST(DATE '2016-04-01' + INTERVAL (3 * q) MONTH AS DATE) AS period_start,
       CAST(m * 1.5 + q AS DOUBLE) AS value, CAST(m AS BIGINT) AS numerator,
       CAST(m + 10 AS BIGINT) AS denominator
FROM range(25) t(m), range(12) u(q);
COMMENT ON TABLE marts.crime_summary IS 'Crimes per source, month, local authority, offence group and subgroup.';
COMMENT ON COLUMN marts.crime_summary.crimes IS 'Crimes recorded in the month.';
COMMENT ON TABLE marts.trial_effectiveness IS 'Trials per month and court.';
COMMENT ON TABLE marts.trial_outcome_reasons IS 'Trials per quarter, jurisdiction and reason.';
COMMENT ON TABLE marts.wcjb_scorecard IS 'One row per measure per financial quarter.';
"""


def synthesise(folder: Path) -> Path:
    from cjb.build import building_path, finalize_build, install_build, new_build_id

    warehouse = folder / "cjb.duckdb"
    building = building_path(warehouse)
    con = duckdb.connect(str(building))
    con.execute(SYNTH)
    con.close()
    finalize_build(building, new_build_id())
    install_build(building, warehouse)
    return warehouse


def pipeline(folder: Path, months: int) -> Path:
    """The real pipeline at national size: generate --scale 150, land, dbt build."""
    os.environ.setdefault(
        "CJB_PERSON_KEY_SECRET", "cjb-development-secret-do-not-use-in-production"
    )
    from cjb.build import build_warehouse
    from cjb.generate import generate
    from cjb.landing import land_inbox

    inbox, warehouse = folder / "inbox", folder / "warehouse" / "cjb.duckdb"
    generate(inbox, seed=1, start="2018-04", months=months, scale=150.0)
    land_inbox(inbox, warehouse)
    result = build_warehouse(warehouse)
    if not result.success:
        sys.exit(result.render())
    return warehouse


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_postgres():
    """Yield (dsn, psql path, env) for a temporary cluster; stop and delete it afterwards."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not bins:
        sys.exit("no PostgreSQL server binaries: run bin/system-deps, or pass --postgres DSN")
    bindir = bins[-1].parent
    root = Path(tempfile.mkdtemp(prefix="cjb-bench-pg-"))
    sock = root / "sock"
    sock.mkdir()
    pw = secrets.token_hex(12)
    (root / "pw").write_text(pw + "\n")
    wrap = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if wrap:
        for p in (root, sock, root / "pw"):
            shutil.chown(p, "postgres")
    port = _free_port()
    data = root / "data"
    subprocess.run(
        [
            *wrap,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "bench",
            "--pwfile",
            str(root / "pw"),
        ]
        + ["--auth=scram-sha-256", "-E", "UTF8", "--locale=C"],
        check=True,
        capture_output=True,
    )
    opts = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sock} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    subprocess.run(
        [*wrap, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log")]
        + ["-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield (
            f"host=127.0.0.1 port={port} dbname=postgres user=bench password={pw}",
            str(bindir / "psql"),
        )
    finally:
        subprocess.run(
            [*wrap, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def reference_load(warehouse: Path, dsn: str, psql: str, schema: str) -> tuple[float, int]:
    """DuckDB COPY TO CSV + psql \\copy into empty tables of the same types."""
    import psycopg

    from cjb.publish import read_marts

    with duckdb.connect(str(warehouse), read_only=True) as duck:
        marts = read_marts(duck)
    with psycopg.connect(dsn, autocommit=True) as pg:
        pg.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        pg.execute(f"CREATE SCHEMA {schema}")
        for m in marts:
            cols = ", ".join(f'"{c.name}" {c.pg_type}' for c in m.columns)
            pg.execute(f'CREATE TABLE {schema}."{m.name}" ({cols})')
    started = time.perf_counter()
    rows = 0
    with (
        tempfile.TemporaryDirectory() as tmp,
        duckdb.connect(str(warehouse), read_only=True) as duck,
    ):
        for m in marts:
            csv = Path(tmp) / f"{m.name}.csv"
            duck.execute(f"COPY marts.\"{m.name}\" TO '{csv}' (FORMAT csv, HEADER false)")
            out = subprocess.run(
                [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", dsn, "-c"]
                + [f"\\copy {schema}.\"{m.name}\" FROM '{csv}' WITH (FORMAT csv)"],
                check=True,
                capture_output=True,
                text=True,
            )
            del out
        with psycopg.connect(dsn) as pg:
            for m in marts:
                rows += pg.execute(f'select count(*) from {schema}."{m.name}"').fetchone()[0]
    return time.perf_counter() - started, rows


def run(warehouse: Path, dsn: str, psql: str, repeat: int) -> None:
    from cjb.publish import publish_marts

    with duckdb.connect(str(warehouse), read_only=True) as con:
        sizes = con.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts' "
            "order by 1"
        ).fetchall()
    print(f"warehouse {warehouse}: " + ", ".join(f"{t} ~{n:,}" for t, n in sizes))
    for i in range(1, repeat + 1):
        ref_s, ref_rows = reference_load(warehouse, dsn, psql, "bench_reference")
        result = publish_marts(warehouse, dsn, "marts")
        print(
            f"run {i}: cjb publish  {result.rows:>10,} rows in {result.seconds:6.2f} s "
            f"= {result.rows / result.seconds:>10,.0f} rows/s "
            f"({'first publish' if i == 1 else 'replacing the previous tables'})"
        )
        print(
            f"run {i}: reference    {ref_rows:>10,} rows in {ref_s:6.2f} s "
            f"= {ref_rows / ref_s:>10,.0f} rows/s (DuckDB COPY to CSV + psql \\copy)"
        )
        print(f"run {i}: publish / reference time = {result.seconds / ref_s:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, help="benchmark this warehouse (default: synthesise)")
    ap.add_argument("--postgres", metavar="DSN", help="server to use (default: throwaway cluster)")
    ap.add_argument("--repeat", type=int, default=2, help="runs (default 2)")
    ap.add_argument(
        "--pipeline",
        type=int,
        metavar="MONTHS",
        help="build the warehouse with the real pipeline: cjb generate --scale 150 for MONTHS "
        "months from 2018-04, landed and built (slow: minutes)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cjb-bench-") as tmp:
        if args.warehouse:
            warehouse = args.warehouse
        elif args.pipeline:
            t = time.perf_counter()
            warehouse = pipeline(Path(tmp), args.pipeline)
            print(f"generated, landed and built at --scale 150 in {time.perf_counter() - t:.0f} s")
        else:
            t = time.perf_counter()
            warehouse = synthesise(Path(tmp))
            print(f"synthesised national-sized marts in {time.perf_counter() - t:.1f} s")
        if args.postgres:
            run(warehouse, args.postgres, shutil.which("psql") or "psql", args.repeat)
        else:
            with throwaway_postgres() as (dsn, psql):
                run(warehouse, dsn, psql, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
