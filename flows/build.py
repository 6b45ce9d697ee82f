"""Prefect flow: build and test the warehouse with dbt (in-process), swapping it in on success."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from cjb.build import BuildResult, build_warehouse


@task(name="dbt build", retries=0)  # a failed build is a result to report, never retried
def dbt_build(
    warehouse: Path,
    full_refresh: bool = False,
    target: str = "duckdb",
    unit_tests: bool | None = None,
) -> BuildResult:
    return build_warehouse(
        warehouse, full_refresh=full_refresh, target=target, unit_tests=unit_tests
    )


@flow(name="cjb-build")
def build_flow(
    warehouse: Path,
    full_refresh: bool = False,
    target: str = "duckdb",
    unit_tests: bool | None = None,
) -> BuildResult:
    """Run ``dbt build`` into a new file; swap it over the live warehouse when every test passed.

    ``target`` is the engine: ``duckdb`` (default) or ``spark`` (cjb.build_spark). dbt's unit
    tests run when the project changed since the live build, or with ``unit_tests=True``
    (``cjb.build.unit_tests_due``).
    """
    return dbt_build(Path(warehouse), full_refresh, target, unit_tests)
