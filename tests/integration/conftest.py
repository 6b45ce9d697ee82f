"""Fixtures of the end-to-end tests."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def landed_small_inbox(small_inbox, tmp_path_factory) -> Path:
    """A warehouse path whose landing store holds the small inbox, landed once (no build).

    Read-only for tests: copy its folder before building into it or landing more.
    """
    from cjb.landing import land_inbox

    warehouse = tmp_path_factory.mktemp("landed") / "cjb.duckdb"
    land_inbox(small_inbox, warehouse)
    return warehouse


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The thread of every project parse dbt makes (``ManifestLoader.get_full_manifest``)."""
    from dbt.parser.manifest import ManifestLoader

    original = ManifestLoader.__dict__["get_full_manifest"].__func__
    threads: list[str] = []

    def recorded(cls, *args, **kwargs):
        threads.append(threading.current_thread().name)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(ManifestLoader, "get_full_manifest", classmethod(recorded))
    return threads
