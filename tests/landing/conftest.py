"""Fixtures of the landing tests (builders live in landing_helpers.py, beside this file)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return tmp_path / "wh" / "cjb.duckdb"


@pytest.fixture
def inbox(tmp_path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path
