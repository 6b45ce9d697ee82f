"""Fixtures shared by every test area.

Area-specific fixtures live in each area's own conftest (tests/<area>/conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The documented development secret for pseudonymising person keys. Tests and the demo use it
# (with a warning); production sets CJB_PERSON_KEY_SECRET.
os.environ.setdefault("CJB_PERSON_KEY_SECRET", "cjb-development-secret-do-not-use-in-production")

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server for the whole session (start-up costs 6-15 s).

    Use it in tests that exercise real flow runs; test plain functions without it.
    """
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def small_inbox(tmp_path_factory) -> Path:
    """A generated inbox, three months from 2018-10 at Wiltshire scale, with labelled faults.

    Read-only for tests: copy it before changing anything.
    """
    from cjb.generate import generate

    out = tmp_path_factory.mktemp("small_inbox")
    generate(out, seed=7, start="2018-10", months=3, scale=1.0, faults=True)
    return out


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, prefect_server):
    """``cjb demo`` run once for the session, as a new user would (real Prefect flow runs).

    Returns the demo folder and what the command printed. Its warehouse
    (``<dir>/warehouse/cjb.duckdb``) is the fully built warehouse other tests read (read-only).
    """
    import contextlib
    import io

    from cjb.cli import main

    out = tmp_path_factory.mktemp("demo")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["demo", "--dir", str(out)])
    printed = buf.getvalue()
    assert rc == 0, printed
    return out, printed


@pytest.fixture(scope="session")
def demo_warehouse(demo_run) -> Path:
    """The live warehouse the demo built (open it read-only)."""
    return demo_run[0] / "warehouse" / "cjb.duckdb"
