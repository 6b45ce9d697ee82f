"""``cjb run --publish DSN``: land, build, then publish the new marts to PostgreSQL."""

from __future__ import annotations

import shutil

import duckdb
import psycopg

from cjb.cli import main
from cjb.paths import SAMPLE_POLICE_UK_DIR


def test_run_with_publish_lands_builds_and_publishes(pg, tmp_path, prefect_server, capsys):
    inbox = tmp_path / "inbox"
    (inbox / "police_uk").mkdir(parents=True)
    shutil.copy2(SAMPLE_POLICE_UK_DIR / "2018-10-wiltshire-street.csv", inbox / "police_uk")
    warehouse = tmp_path / "wh" / "cjb.duckdb"

    rc = main(
        ["run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--publish", pg.publisher_dsn]
    )
    printed = capsys.readouterr().out
    assert rc == 0, printed

    con = duckdb.connect(str(warehouse), read_only=True)
    expected = con.sql(
        "select count(*), sum(crimes) from marts.crime_summary where source = 'police_uk'"
    ).fetchall()[0]
    con.close()
    assert expected[0] > 0
    with psycopg.connect(pg.reader_dsn) as pg_con:
        got = pg_con.execute(
            "select count(*), sum(crimes) from marts.crime_summary where source = 'police_uk'"
        ).fetchone()
    assert tuple(got) == tuple(expected)
