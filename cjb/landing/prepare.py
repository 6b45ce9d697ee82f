"""The validation table: trimmed fields, typed helpers and rule helpers, computed once in DuckDB.

One scan of the file's records (straight from the file when landing, ``prepare_csv``; or from
the table ``read.read_csv`` made, ``prepare``) materialises the temporary table ``_prep_data``
in file order: every field as trimmed text (blank is NULL), the typed helpers of each field,
``_key_count`` and each check's helper columns. The temporary view ``_prep`` over it adds
``_row_number``, the record number (from 1), from the table's insertion order: validation and
the typed insert (``cjb.landing.load``) read the view, the insert in file order.

``_key_count`` is 1 for every given key, then corrected for the keys that repeat within the
file (rare) by one aggregate and an update: no window over the whole file, which would cost a
sort and lose the file order.
"""

from __future__ import annotations

import duckdb

from cjb.landing.checks import Check, base_helpers, key_given_sql, key_parts_sql, q
from cjb.landing.read import MAX_LINE_SIZE, CsvFile, ReadFile, line_bytes_bound, read_csv
from cjb.landing.spec import LandingSpec

PREP_TABLE = "_prep"  # the view every later step reads
PREP_DATA = "_prep_data"  # the materialised table under it
DUPLICATES_TABLE = "_dups"
# read_csv's buffer (bytes). DuckDB's default (8 MB) gives batches smaller than a row group,
# which it merges at a cost (~0.3 s per million rows); with 64 MB ones the table, and the raw
# table inserted from it in the same batches, are made of (nearly) full row groups. Smaller
# buffers leave a small row group after each full one, which DuckDB rewrites at the next
# checkpoint (~1 s per million rows).
CSV_BUFFER_SIZE = 64_000_000


TRIM_CHARS = "' ' || chr(9)"  # spaces and tabs


def trimmed(column: str | None) -> str:
    """The field without surrounding spaces and tabs, blank as NULL.

    ``trim(x, characters)`` costs ~3x a plain scan, so it runs only on values that may start or
    end with a space or a tab (a few percent of them); the result is the same. ``x < '!'``
    (byte order) is one cheap test for "empty, or starts with a space, a tab or another control
    character"; every other value starts with a byte above the space.
    """
    if column is None:  # optional header absent: reads as blank
        return "CAST(NULL AS VARCHAR)"
    maybe_padded = f"{column} < '!' OR ends_with({column}, ' ') OR ends_with({column}, chr(9))"
    return (
        f"CASE WHEN {maybe_padded} THEN nullif(trim({column}, {TRIM_CHARS}), '') ELSE {column} END"
    )


def prepare(
    con: duckdb.DuckDBPyConnection, read: ReadFile, spec: LandingSpec, checks: tuple[Check, ...]
) -> str:
    """The view ``_prep`` over a file read into a table by ``read.read_csv``: ``_row_number``,
    every field as trimmed text (blank is NULL), the typed helpers of each field,
    ``_key_count`` and each check's helper columns; returns its name."""
    _create(con, read.table, [], read.columns, len(read.headers), spec, checks)
    return PREP_TABLE


def prepare_csv(
    con: duckdb.DuckDBPyConnection,
    csv_file: CsvFile,
    spec: LandingSpec,
    checks: tuple[Check, ...],
) -> tuple[str, int]:
    """``prepare`` in one scan of the file itself; returns the view and the number of records.

    A file DuckDB cannot read is refused exactly as ``read.read_csv`` refuses it (FileRejected,
    same reason): when the scan fails, the file is read again by ``read_csv``, which raises
    the refusal; if that read succeeds, the error was not the file's and is raised as it is.
    """
    try:
        _create(
            con,
            csv_file.source(CSV_BUFFER_SIZE),
            [str(csv_file.path)],
            csv_file.columns,
            len(csv_file.headers),
            spec,
            checks,
        )
    except duckdb.Error:
        read_csv(con, csv_file.path)  # raises FileRejected when the file is unreadable
        raise
    rows, longest = con.execute(
        f"SELECT count(*), coalesce(max(_field_bytes), 0) FROM {PREP_DATA}"
    ).fetchall()[0]
    # The big buffer lets DuckDB accept lines longer than read_csv does (MAX_LINE_SIZE): when
    # a line may be that long, read_csv decides (rare: a line of a megabyte or more).
    if max(csv_file.header_bytes, line_bytes_bound(longest, len(csv_file.headers))) > MAX_LINE_SIZE:
        read_csv(con, csv_file.path)  # raises FileRejected when the file is unreadable
        con.execute("DROP TABLE IF EXISTS temp._in")
    return PREP_TABLE, rows


def _create(
    con: duckdb.DuckDBPyConnection,
    source: str,
    params: list[object],
    columns: dict[str, str],
    n_columns: int,
    spec: LandingSpec,
    checks: tuple[Check, ...],
) -> None:
    fields = ",\n    ".join(f"{trimmed(columns.get(f.header))} AS {q(f.name)}" for f in spec.fields)
    # The bytes of the record's fields (prepare_csv checks the lines' length with it). It reads
    # every column of the file, as read_csv does: DuckDB checks a column's text (UTF-8) only
    # when the column is read, and the same files must be refused.
    field_bytes = " + ".join(f"coalesce(strlen(c{i}), 0)" for i in range(n_columns))
    fields += f",\n    CAST({field_bytes} AS BIGINT) AS _field_bytes"
    typed = [f"{sql} AS {q(name)}" for name, sql in base_helpers(spec).items()]
    key_given = key_given_sql(spec)
    if key_given:
        # 1 for a given key; keys that repeat within the file are counted below
        typed.append(f"CASE WHEN {key_given} THEN CAST(1 AS BIGINT) END AS _key_count")
    typed_sql = "".join(f",\n    {t}" for t in typed)
    rule_helpers: dict[str, str] = {}
    for check in checks:
        rule_helpers.update(check.helpers)
    if any("_key_count" in sql for sql in rule_helpers.values()):
        raise ValueError("a rule helper cannot use _key_count (it is completed after them)")
    rule_sql = "".join(f",\n    {sql} AS {q(name)}" for name, sql in rule_helpers.items())
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {PREP_DATA} AS
WITH t AS (
  SELECT {fields}
  FROM {source}
), b AS (
  SELECT *{typed_sql}
  FROM t
)
SELECT *{rule_sql}
FROM b""",
        params,
    )
    if key_given:
        _count_repeated_keys(con, spec, key_given)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {PREP_TABLE} AS "
        f"SELECT rowid + 1 AS _row_number, * FROM {PREP_DATA}"
    )


def _count_repeated_keys(con: duckdb.DuckDBPyConnection, spec: LandingSpec, key_given: str) -> None:
    """``_key_count`` of the rows whose key repeats within the file (rare; others keep 1)."""
    parts = key_parts_sql(spec)
    keys = ", ".join(f"{p} AS k{i}" for i, p in enumerate(parts))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {DUPLICATES_TABLE} AS SELECT {keys}, count(*) AS n "
        f"FROM {PREP_DATA} WHERE {key_given} GROUP BY ALL HAVING count(*) > 1"
    )
    if not con.execute(f"SELECT count(*) FROM {DUPLICATES_TABLE}").fetchall()[0][0]:
        return
    match = " AND ".join(f"{p} = d.k{i}" for i, p in enumerate(key_parts_sql(spec, PREP_DATA)))
    con.execute(f"UPDATE {PREP_DATA} SET _key_count = d.n FROM {DUPLICATES_TABLE} d WHERE {match}")
