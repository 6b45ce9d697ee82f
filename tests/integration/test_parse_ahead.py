"""`cjb run` has dbt parse the project while the landing runs, and the build uses that parse
(tests/integration/test_pipeline.py checks it on a real run); when it cannot (the project
changed since, or the parse failed) the build parses as usual."""

from __future__ import annotations

import logging
import shutil

from cjb import build
from cjb.build import PARSE_AHEAD_THREAD, build_warehouse, parse_ahead


def _fresh_warehouse(landed_small_inbox, tmp_path):
    """A copy of the landed store, no warehouse built yet."""
    folder = tmp_path / "wh"
    shutil.copytree(landed_small_inbox.parent, folder)
    return folder / landed_small_inbox.name


# a small build (one audit table over the landing store): the project is parsed all the same
SMALL = ["quarantine"]


def test_a_project_changed_since_the_parse_is_parsed_again(
    landed_small_inbox, tmp_path, parses, monkeypatch
):
    warehouse = _fresh_warehouse(landed_small_inbox, tmp_path)
    parse_ahead(warehouse)
    # the project's files change after the parse started: the build sees another fingerprint
    monkeypatch.setattr(build, "project_fingerprint", lambda root=None: "changed since")
    result = build_warehouse(warehouse, select=SMALL)
    assert result.success, result.render()
    assert parses == [PARSE_AHEAD_THREAD, "MainThread"]


def test_a_failed_parse_ahead_is_reported_and_the_build_parses_itself(
    landed_small_inbox, tmp_path, parses, monkeypatch, caplog
):
    warehouse = _fresh_warehouse(landed_small_inbox, tmp_path)
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
