"""Prefect flow: land everything new in an inbox, then build and test the warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prefect import flow

from cjb.build import BuildResult, parse_ahead
from flows.build import build_flow
from flows.land import land_flow


@dataclass
class RunResult:
    landing: object  # cjb.landing LandingSummary
    build: BuildResult

    @property
    def success(self) -> bool:
        """The run completed and every dbt test passed (data problems are reported, not failures)."""
        return self.build.success

    @property
    def has_data_problems(self) -> bool:
        return bool(self.landing.has_data_problems)

    def render(self) -> str:
        return f"{self.landing.render()}\n\n{self.build.render()}"


@flow(name="cjb-run")
def run_flow(
    inbox: Path,
    warehouse: Path,
    full_refresh: bool = False,
    target: str = "duckdb",
    unit_tests: bool | None = None,
) -> RunResult:
    """Land every new file of ``inbox`` into the landing store, then build the live warehouse
    (on DuckDB, or on Spark with ``target="spark"``; landing is DuckDB either way).

    On DuckDB, dbt parses the project in the background while the landing runs (``parse_ahead``).
    ``unit_tests``: see ``build_flow``."""
    if target == "duckdb":
        parse_ahead(Path(warehouse))
    landing = land_flow(Path(inbox), Path(warehouse))
    build = build_flow(Path(warehouse), full_refresh, target, unit_tests)
    return RunResult(landing=landing, build=build)
