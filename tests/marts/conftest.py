"""One warehouse for the marts tests, built once per session from a crafted landing store.

The three real Wiltshire police_uk street files (October to December 2018) are landed through
the real landing (``cjb.landing.land_inbox``); the agency sources are crafted rows inserted into
the raw tables (``tests/marts/marts_crafted.py``) with their landing audit. Then the real build
(``cjb.build.build_warehouse``: every model, seed and dbt test) writes the live warehouse, which
the tests query read-only.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from cjb.paths import SAMPLE_POLICE_UK_DIR, landing_path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from marts_crafted import fill_store  # noqa: E402

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
MARTS_MD = SHARED / "contracts" / "marts.md"


@pytest.fixture(scope="session")
def marts_build(tmp_path_factory):
    from cjb.build import build_warehouse
    from cjb.landing import land_inbox
    from cjb.store import open_store

    root = tmp_path_factory.mktemp("marts")
    inbox = root / "inbox"
    (inbox / "police_uk").mkdir(parents=True)
    for f in sorted(SAMPLE_POLICE_UK_DIR.glob("*-street.csv")):
        shutil.copy(f, inbox / "police_uk" / f.name)
    warehouse = root / "warehouse" / "cjb.duckdb"
    land_inbox(inbox, warehouse)

    con = open_store(landing_path(warehouse))
    try:
        fill_store(con)
    finally:
        con.close()

    result = build_warehouse(warehouse, unit_tests=True)
    return result


@pytest.fixture(scope="session")
def marts_db(marts_build):
    assert marts_build.success, marts_build.render()
    con = duckdb.connect(str(marts_build.warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def q(marts_db):
    """Run a query on the built warehouse and return every row as a tuple."""

    def run(sql: str, params: list | None = None) -> list[tuple]:
        return marts_db.execute(sql, params or []).fetchall()

    return run
