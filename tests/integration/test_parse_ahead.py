"""`cjb run` has dbt parse the project while the landing runs, and the build uses that parse;
when it cannot (the project changed since, or the parse failed) the build parses as usual."""

from __future__ import annotations

import logging
import shutil
import threading

import pytest

from cjb import build
from cjb.build import PARSE_AHEAD_THREAD, build_warehouse, parse_ahead
from cjb.cli import main


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


def test_cjb_run_builds_with_the_project_parsed_while_landing(
    small_inbox, tmp_path, prefect_server, parses, capsys
):
    inbox = tmp_path / "inbox"
    shutil.copytree(small_inbox, inbox)
    warehouse = tmp_path / "wh" / "cjb.duckdb"
    rc = main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    printed = capsys.readouterr().out
    assert rc == 0, printed
    assert "failed: 0" in printed and "live warehouse:" in printed
    # one parse, in the background thread; the build reused it instead of parsing again
    assert parses == [PARSE_AHEAD_THREAD]


@pytest.fixture(scope="module")
def landed(small_inbox, tmp_path_factory):
    from cjb.landing import land_inbox

    folder = tmp_path_factory.mktemp("parse_ahead")
    land_inbox(small_inbox, folder / "cjb.duckdb")
    return folder


def _fresh_warehouse(landed, tmp_path):
    """A copy of the landed store, no warehouse built yet."""
    folder = tmp_path / "wh"
    shutil.copytree(landed, folder)
    return folder / "cjb.duckdb"


# a small build (one audit table over the landing store): the project is parsed all the same
SMALL = ["quarantine"]


def test_a_project_changed_since_the_parse_is_parsed_again(landed, tmp_path, parses, monkeypatch):
    warehouse = _fresh_warehouse(landed, tmp_path)
    parse_ahead(warehouse)
    # the project's files change after the parse started: the build sees another fingerprint
    monkeypatch.setattr(build, "project_fingerprint", lambda root=None: "changed since")
    result = build_warehouse(warehouse, select=SMALL)
    assert result.success, result.render()
    assert parses == [PARSE_AHEAD_THREAD, "MainThread"]


def test_a_failed_parse_ahead_is_reported_and_the_build_parses_itself(
    landed, tmp_path, parses, monkeypatch, caplog
):
    warehouse = _fresh_warehouse(landed, tmp_path)
    dbt_args = build._dbt_args

    def broken_parse(command, extra):
        return dbt_args(command, extra + (["--no-such-option"] if command == "parse" else []))

    monkeypatch.setattr(build, "_dbt_args", broken_parse)
    parse_ahead(warehouse)
    with caplog.at_level(logging.WARNING, logger="cjb.build"):
        result = build_warehouse(warehouse, select=SMALL)
    assert result.success, result.render()
    assert parses == ["MainThread"]  # dbt refused the arguments before parsing
    assert any("parsing it ahead failed" in r.getMessage() for r in caplog.records)
