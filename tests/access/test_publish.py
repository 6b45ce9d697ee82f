"""``cjb publish``: the marts in PostgreSQL, row for row, read-only, switched atomically."""

from __future__ import annotations

import threading
import time

import duckdb
import psycopg
import pytest

from cjb.cli import main
from cjb.publish import publish_marts


def _duck_rows(warehouse, mart):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cols = [
            r[0]
            for r in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' and "
                "table_name = ? order by column_index",
                [mart],
            ).fetchall()
        ]
        order = ", ".join(f'"{c}"' for c in cols)
        return cols, con.execute(f'select * from marts."{mart}" order by {order}').fetchall()


def test_published_marts_match_duckdb_row_for_row(published, pg, access_warehouse, wh):
    with duckdb.connect(str(access_warehouse), read_only=True) as con:
        counts = wh.counts(con)
    assert sorted(m.name for m in published.marts) == sorted(counts)
    assert {m.name: m.rows for m in published.marts} == counts
    with psycopg.connect(pg.reader_dsn) as con:
        for mart in counts:
            cols, want = _duck_rows(access_warehouse, mart)
            order = ", ".join(f'"{c}"' for c in cols)
            got = con.execute(f'select {order} from marts."{mart}" order by {order}').fetchall()
            assert len(got) == len(want), mart
            assert got == want, mart  # Decimal, date, datetime, float, bool, str, None alike


def test_types_and_descriptions_are_carried_over(published, pg, access_warehouse):
    with duckdb.connect(str(access_warehouse), read_only=True) as con:
        duck_cols = con.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns() "
            "where schema_name = 'marts' order by table_name, column_index"
        ).fetchall()
        duck_tables = dict(
            con.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        )
    with psycopg.connect(pg.reader_dsn) as con:
        pg_cols = con.execute(
            "select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
            "col_description(c.oid, a.attnum) from pg_attribute a "
            "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = 'marts' and a.attnum > 0 and not a.attisdropped "
            "order by c.relname, a.attnum"
        ).fetchall()
        pg_tables = dict(
            con.execute(
                "select c.relname, obj_description(c.oid, 'pg_class') from pg_class c "
                "join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'marts'"
            ).fetchall()
        )
    expected_type = {
        "VARCHAR": "text",
        "BIGINT": "bigint",
        "INTEGER": "integer",
        "DATE": "date",
        "TIMESTAMP": "timestamp without time zone",
        "BOOLEAN": "boolean",
        "DOUBLE": "double precision",
    }
    assert len(pg_cols) == len(duck_cols)
    for (t, c, dtype, comment), (pt, pc, ptype, pcomment) in zip(duck_cols, pg_cols, strict=True):
        assert (t, c) == (pt, pc)
        if dtype.startswith("DECIMAL"):
            assert ptype == dtype.replace("DECIMAL", "numeric").replace(" ", ""), (t, c)
        else:
            assert ptype == expected_type[dtype], (t, c, dtype)
        assert pcomment == comment, (t, c)
    assert pg_tables == duck_tables
    assert all(pg_tables.values()), "every mart is described"


FORBIDDEN = [
    "create table marts.x (a int)",
    "create table public.x (a int)",
    "create schema sneaky",
    "insert into marts.{t} select * from marts.{t} limit 1",
    "update marts.{t} set {c} = {c}",
    "delete from marts.{t}",
    "truncate marts.{t}",
    "drop table marts.{t}",
    "alter table marts.{t} add column y int",
    "create view marts.v as select 1",
    "create index on marts.{t} ({c})",
    "comment on table marts.{t} is 'x'",
    "create role other",
    "create database other",
]


@pytest.mark.parametrize("statement", FORBIDDEN)
def test_reader_role_is_read_only(published, pg, statement):
    table = published.marts[0].name
    column = published.marts[0].columns[0].name
    with psycopg.connect(pg.reader_dsn, autocommit=True) as con:
        assert con.execute(f'select count(*) from marts."{table}"').fetchone()[0] >= 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute(statement.format(t=f'"{table}"', c=f'"{column}"'))


def test_reader_role_has_no_other_access(published, pg):
    with psycopg.connect(pg.dsn(), autocommit=True) as admin:
        admin.execute("create schema if not exists private")
        admin.execute("create table if not exists private.secret (a int)")
        admin.execute("create table if not exists public.secret (a int)")
        role = admin.execute(
            "select rolsuper, rolcreatedb, rolcreaterole, rolcanlogin, rolbypassrls "
            "from pg_roles where rolname = 'cjb_reader'"
        ).fetchone()
        assert role == (False, False, False, True, False)
        schemas = admin.execute(
            "select nspname from pg_namespace "
            "where has_schema_privilege('cjb_reader', oid, 'CREATE')"
        ).fetchall()
        assert schemas == []
    assert not published.warnings
    with psycopg.connect(pg.reader_dsn, autocommit=True) as con:
        for table in ("private.secret", "public.secret"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(f"select * from {table}")


def test_republish_switches_tables_atomically(pg, access_warehouse, tmp_path, wh):
    """A second publish (of a build with different row counts) replaces the tables while a
    reader loops, counting every mart one statement at a time inside a READ COMMITTED
    transaction: each transaction sees all old or all new tables, never a missing table or a
    partial load (the switch waits for transactions holding the old tables, then commits all
    tables at once)."""
    warehouse = wh.copy(access_warehouse, tmp_path / "wh")
    with duckdb.connect(str(warehouse)) as con:
        marts = sorted(wh.counts(con))
        for mart in marts:
            con.execute(
                f'delete from marts."{mart}" where rowid in (select rowid from marts."{mart}" '
                "limit 2)"
            )
        new_counts = wh.counts(con)
    schema = "marts_atomic"
    old = publish_marts(access_warehouse, pg.publisher_dsn, schema)
    old_counts = {m.name: m.rows for m in old.marts}
    assert old_counts != new_counts

    seen, errors = [], []
    stop = threading.Event()

    def reader():
        try:
            with psycopg.connect(pg.reader_dsn) as con:
                while not stop.is_set():
                    with con.transaction():  # one READ COMMITTED transaction per iteration
                        seen.append(
                            {
                                m: con.execute(f'select count(*) from {schema}."{m}"').fetchone()[0]
                                for m in marts
                            }
                        )
                    time.sleep(0.002)
        except Exception as exc:  # recorded and asserted below
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        while not seen:
            time.sleep(0.01)
        new = publish_marts(warehouse, pg.publisher_dsn, schema)
        n = len(seen)
        while len(seen) < n + 5 and thread.is_alive():
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors
    assert {m.name: m.rows for m in new.marts} == new_counts
    assert seen[0] == old_counts and seen[-1] == new_counts
    assert all(s in (old_counts, new_counts) for s in seen)
    with psycopg.connect(pg.dsn(), autocommit=True) as con:
        leftovers = con.execute(
            "select nspname from pg_namespace where nspname like 'marts_atomic_load%'"
        ).fetchall()
        assert leftovers == []
        con.execute(f"drop schema {schema} cascade")


def test_cli_publish(pg, access_warehouse, capsys):
    rc = main(
        [
            "publish",
            "--postgres",
            pg.publisher_dsn,
            "--warehouse",
            str(access_warehouse),
            "--schema",
            "marts_cli",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "marts_cli." in out and "one transaction" in out
    with psycopg.connect(pg.reader_dsn) as con:
        assert (
            con.execute(
                "select count(*) from information_schema.tables where table_schema = 'marts_cli'"
            ).fetchone()[0]
            >= 1
        )
    with psycopg.connect(pg.dsn(), autocommit=True) as con:
        con.execute("drop schema marts_cli cascade")


def test_cli_publish_reports_a_bad_dsn(access_warehouse, capsys):
    rc = main(
        [
            "publish",
            "--postgres",
            "host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2",
            "--warehouse",
            str(access_warehouse),
        ]
    )
    assert rc == 2
    assert "cannot connect to PostgreSQL" in capsys.readouterr().err


EDGE_MART = """
CREATE SCHEMA marts;
CREATE TABLE marts.edge_cases (
    label VARCHAR NOT NULL, text_value VARCHAR, amount DECIMAL(12,2), share DECIMAL(5,1),
    ratio DOUBLE, flag BOOLEAN, day DATE, seen_at TIMESTAMP, n BIGINT, small INTEGER
);
INSERT INTO marts.edge_cases VALUES
    ('empty string', '', 0, 0.0, 0.0, false, DATE '2018-04-01', TIMESTAMP '2018-04-01 00:00:00',
     0, 0),
    ('nulls', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('quotes, commas', 'say "hi", then '',''', -1234567890.12, -99.9, -1.5e-300, true,
     DATE '1900-01-01', TIMESTAMP '2018-10-31 23:59:59.999999', -9223372036854775808,
     -2147483648),
    ('newline and backslash', 'line 1' || chr(10) || 'line 2\\N \\ end', 9999999999.99, 100.0,
     1e300, true, DATE '2099-12-31', TIMESTAMP '2000-02-29 12:00:00.5', 9223372036854775807,
     2147483647),
    ('unicode', 'Bath & North East Somerset – Ysbyty Gwynedd ✓', 0.01, 24.5, 0.1, false,
     DATE '2018-12-31', TIMESTAMP '2018-12-31 00:00:01', 1, 1),
    ('special floats', 'NULL', 1, 1, 'nan', false, DATE '2018-01-01', NULL, 2, 2),
    ('infinity', 'NA', 1, 1, 'inf', false, DATE '2018-01-01', NULL, 3, 3);
COMMENT ON TABLE marts.edge_cases IS 'Values that trip CSV round trips.';
COMMENT ON COLUMN marts.edge_cases.text_value IS 'It''s text; with "quotes".';
"""


def test_values_survive_the_copy_exactly(pg, tmp_path):
    """Empty strings stay empty (not NULL), NULLs stay NULL, quotes, commas, newlines,
    backslashes, unicode, extreme numbers, NaN and infinity round-trip unchanged."""
    import math

    warehouse = tmp_path / "edge.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(EDGE_MART)
        want = con.execute("select * from marts.edge_cases order by label").fetchall()
    result = publish_marts(warehouse, pg.publisher_dsn, "marts_edge")
    assert result.rows == len(want)
    with psycopg.connect(pg.reader_dsn) as con:
        got = con.execute("select * from marts_edge.edge_cases order by label").fetchall()
        comment = con.execute(
            "select col_description('marts_edge.edge_cases'::regclass, 2)"
        ).fetchone()[0]
    assert comment == 'It\'s text; with "quotes".'

    def same(a, b):
        if isinstance(a, float) and math.isnan(a):
            return isinstance(b, float) and math.isnan(b)
        return a == b and type(a) is type(b)

    for w, g in zip(want, got, strict=True):
        assert all(same(a, b) for a, b in zip(w, g, strict=True)), (w, g)
    with psycopg.connect(pg.dsn(), autocommit=True) as con:
        con.execute("drop schema marts_edge cascade")
