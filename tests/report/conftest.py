"""Warehouses for the report tests: a hand-made one with known small numbers, and one built by
the real pipeline (generator, landing, dbt build) once those parts exist."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fake_marts  # noqa: E402

os.environ.setdefault("CJB_PERSON_KEY_SECRET", "cjb-development-secret-do-not-use-in-production")


@pytest.fixture(scope="session")
def fake_warehouse(tmp_path_factory) -> Path:
    """The public marts filled by hand (``fake_marts``): read-only for tests."""
    return fake_marts.build(tmp_path_factory.mktemp("fake_warehouse") / "cjb.duckdb")


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory) -> Path:
    """A warehouse built by the real pipeline: 12 generated months from 2018-04, landed and
    built with dbt. Skipped (with the reason) while a part of the pipeline is missing."""
    try:
        from cjb.build import build_warehouse
        from cjb.generate import generate
        from cjb.landing import land_inbox
    except ImportError as exc:
        pytest.skip(f"the pipeline is not complete yet: {exc}")
    base = tmp_path_factory.mktemp("generated_warehouse")
    inbox, warehouse = base / "inbox", base / "warehouse" / "cjb.duckdb"
    generate(inbox, seed=11, start="2018-04", months=12)
    land_inbox(inbox, warehouse)
    result = build_warehouse(warehouse)
    if not result.success:
        pytest.fail(f"the generated warehouse did not build:\n{result.render()}")
    return warehouse


@pytest.fixture(scope="session")
def built_warehouse(request) -> Path:
    """A warehouse the real pipeline built: the suite's shared ``demo_warehouse`` when the
    top-level conftest defines it (built once for every area, so this costs nothing extra),
    else our own ``generated_warehouse``."""
    try:
        return request.getfixturevalue("demo_warehouse")
    except pytest.FixtureLookupError:
        return request.getfixturevalue("generated_warehouse")


@pytest.fixture(params=["fake_warehouse", pytest.param("built_warehouse", marks=pytest.mark.slow)])
def any_warehouse(request) -> Path:
    """Each warehouse in turn: the hand-made one, then a really built one."""
    return request.getfixturevalue(request.param)
