"""Fixtures of the end-to-end tests."""

from __future__ import annotations

import threading

import pytest


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
