"""Two warehouses for the dbt model tests, each built once per session with real dbt into a
real DuckDB file: one from an empty landing store, one from a crafted store
(``models_landing.py``: resends across periods and landing times, unknown flags, blank sex,
leading-zero offence codes, a re-delivered police_uk month).

Only the lower layers are built (seeds, staging, intermediate, ``marts/core`` and the tests on
them, with cautious indirect selection), so these tests do not depend on the public marts.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from models_landing import write_landing_store  # noqa: E402

from cjb.store import open_store  # noqa: E402

CORE_SELECTION = ["--select", "+path:models/marts/core", "--indirect-selection", "cautious"]


@dataclass
class CoreBuild:
    warehouse: Path
    landing: Path
    nodes: list  # cjb.build.NodeResult
    success: bool
    error: str | None

    def failed(self) -> list[str]:
        return [
            f"{n.unique_id}: {n.status} {n.message}"
            for n in self.nodes
            if n.status not in ("success", "pass")
        ]


def build_core(folder: Path, *, crafted: bool, extra: list[str] | None = None) -> CoreBuild:
    from cjb.build import _nodes, run_dbt

    landing = folder / "cjb_landing.duckdb"
    if crafted:
        write_landing_store(landing)
    else:
        open_store(landing).close()
    warehouse = folder / "cjb.duckdb"
    res = run_dbt("build", warehouse, landing, CORE_SELECTION + (extra or []))
    nodes = _nodes(res)
    error = None if res.exception is None else str(res.exception)
    return CoreBuild(warehouse, landing, nodes, bool(res.success) and error is None, error)


@pytest.fixture(scope="session")
def crafted_build(tmp_path_factory) -> CoreBuild:
    return build_core(tmp_path_factory.mktemp("core_crafted"), crafted=True)


@pytest.fixture(scope="session")
def empty_build(tmp_path_factory) -> CoreBuild:
    # Unit tests do not depend on the data: the crafted build runs them.
    return build_core(
        tmp_path_factory.mktemp("core_empty"),
        crafted=False,
        extra=["--exclude", "test_type:unit"],
    )


@pytest.fixture(scope="session")
def core_db(crafted_build):
    assert crafted_build.success, "\n".join(crafted_build.failed()) or crafted_build.error
    con = duckdb.connect(str(crafted_build.warehouse), read_only=True)
    yield con
    con.close()
