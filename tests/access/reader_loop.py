"""A reader process for test_swap.py: query the live warehouse in a loop, record what it saw.

Usage: python reader_loop.py WAREHOUSE MARTS_CSV OUT_JSONL STOP_FILE

Each iteration opens a FRESH read-only connection to the live file, reads the build marker
``audit.warehouse_build`` and checks the build is complete: every expected public mart present
and every table's row count equal to the marker's. It also reads the Parquet exports through the
``parquet`` link: every mart's file present, all from one build (``cjb_build_id`` metadata). One
JSON line per iteration (``build_id``, Parquet build id and counts, or ``error``) is appended to
OUT_JSONL and flushed. Stops when STOP_FILE exists.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

import duckdb


def check_duckdb(warehouse: Path, marts: set[str]) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marker = con.execute(
            "select build_id, schema_name, table_name, row_count from audit.warehouse_build"
        ).fetchall()
        build_ids = {r[0] for r in marker}
        if len(build_ids) != 1:
            raise AssertionError(f"marker holds {len(build_ids)} build ids")
        present = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        }
        if present != marts:
            raise AssertionError(f"marts present {sorted(present)} != expected {sorted(marts)}")
        for _, schema, table, expected in marker:
            (count,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0]
            if count != expected:
                raise AssertionError(f"{schema}.{table}: {count} rows, marker says {expected}")
        return build_ids.pop()
    finally:
        con.close()


def check_parquet(warehouse: Path, marts: set[str]) -> tuple[str, dict[str, int]]:
    folder = (warehouse.parent / "parquet").resolve()  # resolve once: one build's folder
    files = {p.stem: p for p in folder.glob("*.parquet")}
    if set(files) != marts:
        raise AssertionError(f"parquet files {sorted(files)} != marts {sorted(marts)}")
    con = duckdb.connect()
    try:
        ids = set()
        counts = {}
        for mart, path in files.items():
            meta = con.execute(
                "select decode(value) from parquet_kv_metadata(?) "
                "where decode(key) = 'cjb_build_id'",
                [str(path)],
            ).fetchall()
            ids.update(r[0] for r in meta)
            counts[mart] = con.execute(
                "select count(*) from read_parquet(?)", [str(path)]
            ).fetchall()[0][0]
        if len(ids) != 1:
            raise AssertionError(f"parquet files from {len(ids)} builds: {sorted(ids)}")
        return ids.pop(), counts
    finally:
        con.close()


def main() -> int:
    warehouse, marts_csv, out, stop = sys.argv[1:5]
    warehouse_path = Path(warehouse)
    marts = set(filter(None, marts_csv.split(",")))
    with open(out, "a") as fh:
        while not Path(stop).exists():
            record: dict = {"t": time.time()}
            try:
                record["build_id"] = check_duckdb(warehouse_path, marts)
                record["parquet_build_id"], record["parquet_counts"] = check_parquet(
                    warehouse_path, marts
                )
            except Exception as exc:  # recorded, the test fails on it
                record["error"] = f"{type(exc).__name__}: {exc}"
                record["trace"] = traceback.format_exc()
            fh.write(json.dumps(record) + "\n")
            fh.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
