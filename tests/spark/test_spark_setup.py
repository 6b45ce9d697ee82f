"""What a user sees before any Spark runs: clear errors, the --target option, the type mapping."""

from __future__ import annotations

import pytest

from cjb import build_spark
from cjb.build import build_warehouse
from cjb.cli import build_parser, main
from cjb.errors import CjbError


def test_missing_spark_extra_names_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setattr(build_spark, "_find_spec", lambda module: None)
    with pytest.raises(CjbError, match=r"pip install -e '\.\[spark\]'"):
        build_warehouse(tmp_path / "cjb.duckdb", target="spark")
    assert not (tmp_path / "cjb.duckdb").exists()


def test_missing_java_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(build_spark, "_java_executable", lambda: None)
    with pytest.raises(CjbError, match="needs Java 17 or later"):
        build_warehouse(tmp_path / "cjb.duckdb", target="spark")


def test_the_cli_prints_the_error_without_a_traceback(monkeypatch, tmp_path, capsys):
    import flows.build

    def build_flow(warehouse, full_refresh=False, target="duckdb", unit_tests=None):  # no Prefect
        return build_warehouse(
            warehouse, full_refresh=full_refresh, target=target, unit_tests=unit_tests
        )

    monkeypatch.setattr(flows.build, "build_flow", build_flow)
    monkeypatch.setattr(build_spark, "_find_spec", lambda module: None)
    rc = main(["build", "--target", "spark", "--warehouse", str(tmp_path / "cjb.duckdb")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "cjb build: error:" in err and "pip install -e '.[spark]'" in err
    assert "Traceback" not in err


def test_old_java_is_refused(monkeypatch):
    monkeypatch.setattr(build_spark, "_java_executable", lambda: "/usr/bin/java")
    monkeypatch.setattr(build_spark, "_java_major_version", lambda java: 11)
    with pytest.raises(CjbError, match="Java 17 or later.*Java 11"):
        build_spark.check_spark_available()


def test_partial_builds_stay_on_duckdb(tmp_path):
    with pytest.raises(CjbError, match="DuckDB only"):
        build_warehouse(tmp_path / "cjb.duckdb", target="spark", select=["dim_calendar"])


def test_build_and_run_take_a_target():
    parser = build_parser()
    assert parser.parse_args(["build"]).target == "duckdb"
    assert parser.parse_args(["build", "--target", "spark"]).target == "spark"
    assert parser.parse_args(["run", "--inbox", "x", "--target", "spark"]).target == "spark"
    with pytest.raises(SystemExit):
        parser.parse_args(["build", "--target", "postgres"])


@pytest.mark.parametrize(
    ("duckdb_type", "spark_type", "kind"),
    [
        ("DECIMAL(5,1)", "decimal(5,1)", "decimal(5,1)"),
        ("DECIMAL(18,4)", "decimal(18,4)", "decimal(18,4)"),
        ("VARCHAR", "string", "string"),
        ("INTEGER", "int", "int32"),
        ("BIGINT", "bigint", "int64"),
        ("DATE", "date", "date"),
        ("BOOLEAN", "boolean", "boolean"),
        ("DOUBLE", "double", "double"),
        ("TIMESTAMP", "timestamp", "timestamp"),
    ],
)
def test_type_mapping_between_the_engines(duckdb_type, spark_type, kind):
    assert build_spark.logical_type(duckdb_type) == kind
    assert build_spark.logical_type(spark_type) == kind
    assert build_spark.duckdb_type(spark_type) == duckdb_type
    assert build_spark.logical_type("DECIMAL(5,1)") != build_spark.logical_type("decimal(9,1)")
    assert build_spark.logical_type("INTEGER") != build_spark.logical_type("bigint")


def test_the_flows_pass_the_target_on(monkeypatch, tmp_path):
    import flows.build
    import flows.run

    seen = []
    monkeypatch.setattr(
        flows.build, "build_warehouse", lambda warehouse, **kw: seen.append(kw) or "built"
    )
    assert flows.build.dbt_build.fn(tmp_path / "cjb.duckdb", False, "spark") == "built"
    assert seen == [{"full_refresh": False, "target": "spark", "unit_tests": None}]
    assert "target" in flows.run.run_flow.parameters.properties
