"""The validation table: trimmed fields, typed helpers and rule helpers, computed once in DuckDB."""

from __future__ import annotations

import duckdb

from cjb.landing.checks import Check, base_helpers, key_count_sql, q
from cjb.landing.read import ReadFile
from cjb.landing.spec import LandingSpec

PREP_TABLE = "_prep"


TRIM_CHARS = "' ' || chr(9)"  # spaces and tabs


def trimmed(column: str | None) -> str:
    """The field without surrounding spaces and tabs, blank as NULL.

    ``trim(x, characters)`` costs ~3x a plain scan, so it runs only on values that start or
    end with a space or a tab (a few percent of them); the result is the same.
    """
    if column is None:  # optional header absent: reads as blank
        return "CAST(NULL AS VARCHAR)"
    padded = " OR ".join(
        f"{fn}({column}, {ch})" for fn in ("starts_with", "ends_with") for ch in ("' '", "chr(9)")
    )
    return f"nullif(CASE WHEN {padded} THEN trim({column}, {TRIM_CHARS}) ELSE {column} END, '')"


def prepare(
    con: duckdb.DuckDBPyConnection, read: ReadFile, spec: LandingSpec, checks: tuple[Check, ...]
) -> str:
    """Create the temporary ``_prep`` table: ``_row_number``, every field as trimmed text (blank is
    NULL), the typed helpers of each field, ``_key_count`` and each check's helper columns."""
    fields = ",\n    ".join(
        f"{trimmed(read.columns.get(f.header))} AS {q(f.name)}" for f in spec.fields
    )
    typed = [f"{sql} AS {q(name)}" for name, sql in base_helpers(spec).items()]
    key_count = key_count_sql(spec)
    if key_count:
        typed.append(f"{key_count} AS _key_count")
    rule_helpers: dict[str, str] = {}
    for check in checks:
        rule_helpers.update(check.helpers)
    typed_sql = "".join(f",\n    {t}" for t in typed)
    rule_sql = "".join(f",\n    {sql} AS {q(name)}" for name, sql in rule_helpers.items())
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {PREP_TABLE} AS
WITH t AS (
  SELECT rowid + 1 AS _row_number,
    {fields}
  FROM {read.table}
), b AS (
  SELECT *{typed_sql}
  FROM t
)
SELECT *{rule_sql}
FROM b"""
    )
    return PREP_TABLE
