"""End to end: generated extracts through landing and the dbt build, as users run them."""

from __future__ import annotations

import csv
import shlex
import shutil
from pathlib import Path

import duckdb

from cjb.build import PARSE_AHEAD_THREAD
from cjb.cli import main
from cjb.contract import AGENCY_SOURCES
from cjb.demo import QUERY_EXAMPLES
from cjb.paths import landing_path


def _manifest(inbox: Path) -> set[tuple[str, str, int, str]]:
    with open(inbox / "faults.csv", newline="") as fh:
        return {
            (r["source"], r["file_name"], int(r["row_number"]), r["rule"])
            for r in csv.DictReader(fh)
        }


def test_generated_rows_obey_every_rule_apart_from_labelled_faults(small_inbox, landed_small_inbox):
    """Landing a generated inbox quarantines exactly the labelled faults, each under its rule."""
    con = duckdb.connect(str(landing_path(landed_small_inbox)), read_only=True)
    quarantined = set(
        con.sql("select source, file_name, row_number, rule from audit.quarantine").fetchall()
    )
    manifest = _manifest(small_inbox)
    assert quarantined == manifest
    # the faults exercise every rule of every agency source
    covered = {(s, rule) for s, _, _, rule in manifest}
    expected = {(name, r) for name, src in AGENCY_SOURCES.items() for r in src.rule_ids}
    assert expected <= covered


def test_every_landed_file_accounts_for_every_row(small_inbox, landed_small_inbox):
    con = duckdb.connect(str(landing_path(landed_small_inbox)), read_only=True)
    files = con.sql(
        "select source, file_name, sha256, status, rows_read, rows_landed, rows_quarantined "
        "from audit.landed_files"
    ).fetchall()
    delivered = sorted(p for p in small_inbox.glob("*/*.csv"))
    assert len(files) == len(delivered)
    for source, name, sha, status, read, landed, quarantined in files:
        assert status == "landed", (name, status)
        assert read == landed + quarantined, name
        in_raw = con.execute(
            f"select count(*) from raw.{source} where _file_sha256 = ?", [sha]
        ).fetchall()[0][0]
        assert in_raw == landed, name
        in_quarantine = con.execute(
            "select count(*) from audit.quarantine where sha256 = ?", [sha]
        ).fetchall()[0][0]
        assert in_quarantine == quarantined, name


def test_cjb_run_on_inbox_with_faults_exits_0_and_prints_summary(
    small_inbox, tmp_path, prefect_server, parses, capsys
):
    inbox = tmp_path / "inbox"
    shutil.copytree(small_inbox, inbox)
    warehouse = tmp_path / "wh" / "cjb.duckdb"
    rc = main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    printed = capsys.readouterr().out
    assert rc == 0, printed
    assert "quarantined" in printed
    assert "tests passed" in printed
    assert warehouse.exists()
    # dbt parsed the project once, in the background while the landing ran, and the build
    # used that parse instead of parsing again (cjb.build.parse_ahead)
    assert parses == [PARSE_AHEAD_THREAD]
    # run again on the unchanged inbox: every file is recognised by its name and bytes and
    # skipped, so nothing lands twice and the audit gains no rows
    rc = main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    printed = capsys.readouterr().out
    assert rc == 0, printed
    assert "16 already landed (skipped)" in printed
    con = duckdb.connect(str(landing_path(warehouse)), read_only=True)
    statuses = dict(
        con.sql("select status, count(*) from audit.landed_files group by status").fetchall()
    )
    delivered = len(list(inbox.glob("*/*.csv")))
    assert statuses == {"landed": delivered}
    con.close()


def test_demo_leaves_a_warehouse_whose_marts_answer_the_readme_queries(demo_run, capsys):
    out, printed = demo_run
    warehouse = out / "warehouse" / "cjb.duckdb"
    assert str(warehouse) in printed
    assert (out / "inbox" / "police_uk").is_dir()
    for sql in QUERY_EXAMPLES:
        assert main(["query", "--warehouse", str(warehouse), sql]) == 0
        result = capsys.readouterr().out
        assert "(0 rows)" not in result, sql
    # the printed example commands are the same queries, runnable as shown
    commands = [line.strip() for line in printed.splitlines() if "cjb query" in line]
    assert len(commands) == len(QUERY_EXAMPLES)
    for command in commands:
        argv = shlex.split(command)
        assert main(argv[1:]) == 0, command
