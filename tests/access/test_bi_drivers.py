"""The published marts through the drivers BI tools use, logged in as the read-only role.

- ``psql`` (libpq; what DBeaver's and most tools' catalog queries resemble),
- psycopg + SQLAlchemy reflection (Metabase-style introspection; Python notebooks, Superset),
- the PostgreSQL JDBC driver (DBeaver, Tableau, Metabase, Power BI via JDBC bridges), through
  ``DatabaseMetaData`` as those tools do,
- psqlODBC with unixODBC (Power BI Desktop, Excel, Tableau's ODBC connector), DSN-less.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

JDBC_JAR = Path("/usr/share/java/postgresql.jar")
ODBC_DRIVER = Path("/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so")

JAVA_LISTER = """
import java.sql.*;

public class ListMarts {
    public static void main(String[] args) throws Exception {
        try (Connection con = DriverManager.getConnection(args[0], args[1], args[2])) {
            DatabaseMetaData md = con.getMetaData();
            try (ResultSet t = md.getTables(null, "marts", "%", new String[] {"TABLE"})) {
                while (t.next()) {
                    String table = t.getString("TABLE_NAME");
                    System.out.println("TABLE\\t" + table + "\\t" + t.getString("REMARKS"));
                    try (ResultSet c = md.getColumns(null, "marts", table, "%")) {
                        while (c.next()) {
                            System.out.println("COLUMN\\t" + table + "\\t" + c.getString("COLUMN_NAME")
                                + "\\t" + c.getString("TYPE_NAME") + "\\t" + c.getString("REMARKS"));
                        }
                    }
                    try (Statement s = con.createStatement();
                         ResultSet r = s.executeQuery("select count(*) from marts.\\"" + table + "\\"")) {
                        r.next();
                        System.out.println("ROWS\\t" + table + "\\t" + r.getLong(1));
                    }
                }
            }
        }
    }
}
"""


@pytest.fixture(scope="module")
def expected(published):
    """mart -> (comment, [(column, comment)], rows) as published."""
    return {
        m.name: (m.comment, [(c.name, c.comment) for c in m.columns], m.rows)
        for m in published.marts
    }


def test_psql_lists_and_describes_the_marts(pg, expected):
    listing = pg.psql("-c", r"\dt+ marts.*").stdout
    for mart, (comment, _, _) in expected.items():
        line = next(ln for ln in listing.splitlines() if f" {mart} " in ln)
        assert comment[:40] in line, line
    for mart, (_, columns, rows) in expected.items():
        described = pg.psql("-c", rf"\d+ marts.{mart}").stdout
        for col, comment in columns:
            assert col in described
            if comment:
                assert comment[:40] in described, (mart, col)
        out = pg.psql("-At", "-c", f'select count(*) from marts."{mart}"').stdout
        assert int(out) == rows


def test_sqlalchemy_reflection(pg, expected):
    engine = create_engine(pg.url("cjb_reader", pg.reader_password))
    try:
        insp = inspect(engine)
        assert sorted(insp.get_table_names(schema="marts")) == sorted(expected)
        for mart, (comment, columns, rows) in expected.items():
            assert insp.get_table_comment(mart, schema="marts")["text"] == comment
            reflected = insp.get_columns(mart, schema="marts")
            assert [(c["name"], c.get("comment")) for c in reflected] == columns
            with engine.connect() as con:
                assert con.execute(text(f'select count(*) from marts."{mart}"')).scalar() == rows
    finally:
        engine.dispose()


def test_jdbc_driver_lists_tables_and_columns(pg, expected, tmp_path):
    if not JDBC_JAR.exists():
        pytest.fail(f"{JDBC_JAR} missing: run bin/system-deps (libpostgresql-jdbc-java)")
    (tmp_path / "ListMarts.java").write_text(JAVA_LISTER)
    subprocess.run(
        ["javac", "-cp", str(JDBC_JAR), "ListMarts.java"], cwd=tmp_path, check=True, timeout=120
    )
    url = f"jdbc:postgresql://{pg.host}:{pg.port}/{pg.database}"
    out = subprocess.run(
        [
            "java",
            "-cp",
            f"{JDBC_JAR}:{tmp_path}",
            "ListMarts",
            url,
            "cjb_reader",
            pg.reader_password,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    rows = [line.split("\t") for line in out.splitlines()]
    tables = {r[1]: r[2] for r in rows if r[0] == "TABLE"}
    assert sorted(tables) == sorted(expected)
    for mart, (comment, columns, count) in expected.items():
        assert tables[mart] == comment
        got = [(r[2], None if r[4] == "null" else r[4]) for r in rows if r[:2] == ["COLUMN", mart]]
        assert got == columns
        assert ["ROWS", mart, str(count)] in rows


def test_odbc_driver_lists_tables_and_reads_rows(pg, expected):
    """DSN-less psqlODBC connection. isql's ``help TABLE`` calls SQLColumns without a schema,
    so the connection sets ``search_path`` (``ConnSettings``), as a Power BI user may too."""
    if not ODBC_DRIVER.exists():
        pytest.fail(f"{ODBC_DRIVER} missing: run bin/system-deps (odbc-postgresql, unixodbc)")
    conn = (
        f"Driver={ODBC_DRIVER};Server={pg.host};Port={pg.port};Database={pg.database};"
        f"Uid=cjb_reader;Pwd={pg.reader_password};ConnSettings={{SET search_path TO marts}};"
    )

    def isql(commands: str) -> list[list[str]]:
        out = subprocess.run(
            ["isql", "-k", conn, "-b", "-d|", "-c"],
            input=commands,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        return [line.split("|") for line in out.splitlines()]

    # SQLTables(catalog=null, schema=marts, table=null, type=TABLE)
    listing = isql("help null marts null TABLE\n")
    assert listing[0][:4] == ["TABLE_QUALIFIER", "TABLE_OWNER", "TABLE_NAME", "TABLE_TYPE"]
    assert sorted(r[2] for r in listing[1:] if r[1] == "marts") == sorted(expected)
    for mart, (_, columns, rows) in expected.items():
        described = isql(f"help {mart}\n")  # SQLColumns
        assert [r[3] for r in described[1:] if r[1:3] == ["marts", mart]] == [c for c, _ in columns]
        counted = isql(f'select count(*) from marts."{mart}"\n')
        assert counted[1] == [str(rows)]
        first = isql(f'select * from marts."{mart}" order by 1 limit 1\n')
        assert len(first[0]) == len(columns)
