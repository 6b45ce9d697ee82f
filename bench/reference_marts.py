"""The reference of bench/bench_national.py: the same files, the same public marts, plain DuckDB.

    .venv/bin/python bench/reference_marts.py INBOX OUT.duckdb [INBOX ...]

Loads every CSV of each inbox into one ``raw_<source>`` table per source (``read_csv`` over the
source folders, all text, headers matched by name), the project's seeds into ``ref_<name>``,
then runs ``bench/reference_marts.sql`` (the marts of ``../shared/contracts/marts.md`` in plain
SQL). One process, one connection: no orchestration, no validation, no pseudonymisation, no
tests. Prints one JSON line: seconds loading, seconds computing marts, rows loaded.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
SOURCES = ("police_crimes", "court_trials", "oocr", "fjsb_needs", "iom_cohort", "partner_measures")
# columns a source's marts read, for a source with no file in the inbox
EMPTY = {
    "fjsb_needs": "assessment_id, person_id, assessment_date, index_offence_category, "
    "previous_conviction, filename",
    "police_uk_street": "month, lsoa_code, crime_type, filename",
}


def _files(inboxes: list[Path], folder: str, pattern: str = "*.csv") -> list[str]:
    return sorted(str(p) for inbox in inboxes for p in (inbox / folder).glob(pattern))


def load(con: duckdb.DuckDBPyConnection, inboxes: list[Path]) -> int:
    rows = 0
    tables = {s: _files(inboxes, s) for s in SOURCES}
    tables["police_uk_street"] = _files(inboxes, "police_uk", "*-street.csv")
    for table, files in tables.items():
        if files:
            con.execute(
                f"CREATE TABLE raw_{table} AS SELECT * FROM read_csv(?, all_varchar = true, "
                "union_by_name = true, normalize_names = true, filename = true)",
                [files],
            )
        else:
            columns = ", ".join(f"{c} VARCHAR" for c in EMPTY[table].split(", "))
            con.execute(f"CREATE TABLE raw_{table} ({columns})")
        rows += con.execute(f"SELECT count(*) FROM raw_{table}").fetchall()[0][0]
    for seed in [*PROJECT.glob("seeds/*.csv"), *PROJECT.glob("seeds/reference/*.csv")]:
        con.execute(
            f"CREATE TABLE ref_{seed.stem} AS SELECT * FROM read_csv(?)",
            [str(seed)],
        )
    return rows


def main() -> None:
    *inboxes, out = sys.argv[1:]
    Path(out).unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(out)
    con.execute("SET enable_progress_bar = false")
    rows = load(con, [Path(i) for i in inboxes])
    loaded = time.perf_counter()
    con.execute((HERE / "reference_marts.sql").read_text())
    con.close()
    done = time.perf_counter()
    print(json.dumps({"load": loaded - started, "marts": done - loaded, "rows": rows}))


if __name__ == "__main__":
    main()
