"""The validation table: trimmed fields, typed helpers and rule helpers, computed once in DuckDB."""

from __future__ import annotations

import duckdb

from cjb.landing.checks import Check, base_helpers, key_count_sql, q
from cjb.landing.read import ReadFile
from cjb.landing.spec import LandingSpec

PREP_TABLE = "_prep"


def _trimmed(column: str | None) -> str:
    if column is None:  # optional header absent: reads as blank
        return "CAST(NULL AS VARCHAR)"
    return f"nullif(trim({column}, ' ' || chr(9)), '')"


def prepare(
    con: duckdb.DuckDBPyConnection, read: ReadFile, spec: LandingSpec, checks: tuple[Check, ...]
) -> str:
    """Create the temporary ``_prep`` table: ``_row_number``, every field as trimmed text (blank is
    NULL), the typed helpers of each field, ``_key_count`` and each check's helper columns."""
    fields = ",\n    ".join(
        f"{_trimmed(read.columns.get(f.header))} AS {q(f.name)}" for f in spec.fields
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
