"""One build of a warehouse at a time: builds share one build file name per warehouse (so dbt
can parse the project partially), and a second build while one runs fails at once, clearly,
touching nothing."""

from __future__ import annotations

import pytest

from cjb.build import build_lock, build_warehouse, building_path
from cjb.errors import CjbError


def test_a_second_build_of_the_same_warehouse_fails_clearly(tmp_path):
    warehouse = tmp_path / "wh" / "cjb.duckdb"
    with (
        build_lock(warehouse),
        pytest.raises(CjbError, match="another build of .*cjb.duckdb is running"),
    ):
        build_warehouse(warehouse)
    assert not warehouse.exists()
    assert not building_path(warehouse).exists()


def test_builds_of_other_warehouses_are_not_blocked(tmp_path):
    with build_lock(tmp_path / "a" / "cjb.duckdb"), build_lock(tmp_path / "b" / "cjb.duckdb"):
        pass


def test_the_build_file_of_a_killed_build_is_cleared_by_the_next_one(tmp_path):
    """A build killed mid-way leaves its build file; the next build (holding the lock, so
    nothing else is building) removes it before it starts."""
    from cjb.build import clean_leftovers

    warehouse = tmp_path / "cjb.duckdb"
    leftover = building_path(warehouse)
    leftover.write_bytes(b"half a build")
    leftover.with_name(leftover.name + ".wal").write_bytes(b"wal")
    with build_lock(warehouse):
        removed = clean_leftovers(warehouse)
    assert leftover in removed
    assert not leftover.exists() and not leftover.with_name(leftover.name + ".wal").exists()
