"""The same dbt project built on DuckDB and on Apache Spark gives the same public marts.

Both builds read one landed inbox (conftest). Each public mart is compared as the Parquet
export analysts read (``<warehouse dir>/parquet/<mart>.parquet``): every row, after sorting both
sides, and every column's Parquet type. Spark's own column types (as Spark reported them, before
the copy into DuckDB) are compared with DuckDB's by logical kind (``cjb.build_spark.
logical_type``: DECIMAL(5,1) and decimal(5,1), VARCHAR and string, INTEGER and int, BIGINT and
bigint, DATE and date, BOOLEAN and boolean are the same kind).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cjb import exports
from cjb.build_spark import logical_type

pytestmark = pytest.mark.slow

PUBLIC_MARTS = {
    "crime_summary",
    "fjsb_needs_prevalence",
    "fjsb_offence_profile",
    "iom_outcomes",
    "oocr_summary",
    "trial_effectiveness",
    "trial_outcome_reasons",
    "wcjb_scorecard",
}


def _failures(result) -> str:
    lines = [f"{n.unique_id}: {n.status} {n.message}" for n in result.failed_nodes]
    return "\n".join(lines) or str(result.error)


def _marts(warehouse: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(exports.parquet_dir(warehouse).glob("*.parquet"))}


def _rows(con, path: Path) -> list[tuple]:
    return con.execute(f"select * from read_parquet('{path}') order by all").fetchall()


def test_both_builds_pass_every_model_seed_and_unit_test(parity_builds):
    duck, spark = parity_builds.duckdb, parity_builds.spark
    assert duck.success, _failures(duck)
    assert spark.success, _failures(spark)
    assert spark.target == "spark" and spark.swapped
    for kind in ("model", "seed", "unit_test"):
        built = {n.unique_id for n in duck.nodes if n.resource_type == kind}
        on_spark = {
            n.unique_id
            for n in spark.nodes
            if n.resource_type == kind and n.status in ("success", "pass")
        }
        assert built, kind
        assert on_spark == built, f"{kind}s not passed on Spark: {sorted(built - on_spark)}"


def test_every_public_mart_is_identical_row_for_row(parity_builds):
    duck_marts = _marts(parity_builds.duckdb.warehouse)
    spark_marts = _marts(parity_builds.spark.warehouse)
    assert set(duck_marts) == PUBLIC_MARTS
    assert set(spark_marts) == PUBLIC_MARTS
    con = duckdb.connect()
    for mart in sorted(PUBLIC_MARTS):
        duck_rows = _rows(con, duck_marts[mart])
        spark_rows = _rows(con, spark_marts[mart])
        assert duck_rows, f"{mart} is empty: the comparison would prove nothing"
        assert len(spark_rows) == len(duck_rows), mart
        for duck_row, spark_row in zip(duck_rows, spark_rows, strict=True):
            assert spark_row == duck_row, f"{mart}: DuckDB {duck_row} vs Spark {spark_row}"


def test_every_public_mart_has_the_same_column_types(parity_builds):
    duck_marts = _marts(parity_builds.duckdb.warehouse)
    spark_marts = _marts(parity_builds.spark.warehouse)
    con = duckdb.connect()
    schema_sql = (
        "select name, type, converted_type, logical_type, scale, precision "
        "from parquet_schema(?) order by all"
    )
    for mart in sorted(PUBLIC_MARTS):
        # The Parquet files analysts read: same columns, same physical and logical types.
        duck_schema = con.execute(schema_sql, [str(duck_marts[mart])]).fetchall()
        spark_schema = con.execute(schema_sql, [str(spark_marts[mart])]).fetchall()
        assert spark_schema == duck_schema, mart

    # Spark's own types, as Spark reported them, against DuckDB's, by logical kind.
    live = duckdb.connect(str(parity_builds.duckdb.warehouse), read_only=True)
    try:
        for mart in sorted(PUBLIC_MARTS):
            duck_cols = live.execute(
                "select column_name, data_type from duckdb_columns() "
                "where schema_name = 'marts' and table_name = ? order by column_index",
                [mart],
            ).fetchall()
            spark_cols = parity_builds.spark.engine_types[f"marts.{mart}"]
            assert [c for c, _ in spark_cols] == [c for c, _ in duck_cols], mart
            for (col, duck_type), (_, spark_type) in zip(duck_cols, spark_cols, strict=True):
                assert logical_type(spark_type) == logical_type(duck_type), (
                    f"{mart}.{col}: DuckDB {duck_type} vs Spark {spark_type}"
                )
    finally:
        live.close()


def test_facts_dimensions_seeds_and_audit_are_identical_too(parity_builds):
    """The Spark build's DuckDB file holds the same core, reference and audit tables."""
    con = duckdb.connect()
    con.execute(f"attach '{parity_builds.duckdb.warehouse}' as d (read_only)")
    con.execute(f"attach '{parity_builds.spark.warehouse}' as s (read_only)")
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = 's' "
        "and schema_name in ('core', 'reference', 'audit') "
        "and table_name not in ('warehouse_build') order by all"
    ).fetchall()
    assert len(tables) > 30
    for schema, table in tables:
        types = (
            "select column_name, data_type from duckdb_columns() where database_name = ? "
            "and schema_name = ? and table_name = ? order by column_index"
        )
        duck_cols = con.execute(types, ["d", schema, table]).fetchall()
        assert con.execute(types, ["s", schema, table]).fetchall() == duck_cols, table
        cols = ", ".join(f'"{c}"' for c, _ in duck_cols)
        for a, b in (("d", "s"), ("s", "d")):
            (extra,) = con.execute(
                f"select count(*) from (select {cols} from {a}.{schema}.{table} "
                f"except all select {cols} from {b}.{schema}.{table})"
            ).fetchone()
            assert extra == 0, f"{schema}.{table}: {extra} rows only in the {a} build"
