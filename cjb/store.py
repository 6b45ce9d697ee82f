"""The landing store: raw tables and the audit, beside the live warehouse.

Landing writes here and nothing else; every build reads it (attached read-only) and never
changes it, so rebuilding the warehouse can never lose what was landed. Opening a store creates
its schemas and every table (empty) so a build works whatever has landed so far.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cjb.contract import AGENCY_SOURCES, police_uk_table_ddl, raw_table_ddl

AUDIT_LANDED_FILES_DDL = """
CREATE TABLE IF NOT EXISTS audit.landed_files (
    file_name VARCHAR NOT NULL,        -- name without folder
    source VARCHAR NOT NULL,           -- inbox folder: police_crimes ... police_uk
    period VARCHAR,                    -- '2018-11' or '2018-19 Q3' (null when the name has none)
    sha256 VARCHAR NOT NULL,           -- SHA-256 of the file's bytes
    rows_read BIGINT,                  -- null when the file could not be read
    rows_landed BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    status VARCHAR NOT NULL,           -- landed / rejected / duplicate
    error VARCHAR,                     -- why a file was rejected
    landed_at TIMESTAMP NOT NULL
)
"""

AUDIT_QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS audit.quarantine (
    file_name VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,        -- data record number in the file, from 1
    rule VARCHAR NOT NULL,             -- the contract rule the row broke (cjb.contract rule id)
    raw_record JSON NOT NULL,          -- the row's values as read, by header name
    landed_at TIMESTAMP NOT NULL,
    sha256 VARCHAR NOT NULL            -- the file's SHA-256 (file names can repeat)
)
"""

AUDIT_INBOX_FILE_HASHES_DDL = """
CREATE TABLE IF NOT EXISTS audit.inbox_file_hashes (
    path VARCHAR NOT NULL,             -- the inbox file's resolved path (links followed)
    device UBIGINT NOT NULL,           -- with the inode, size and times below: the file as it
    inode UBIGINT NOT NULL,            -- was when hashed (cjb.landing.discover.FileIdentity)
    size BIGINT NOT NULL,
    mtime_ns BIGINT NOT NULL,
    ctime_ns BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,           -- SHA-256 of its bytes then
    hashed_at TIMESTAMP NOT NULL
)
"""

RAW_TABLES: tuple[str, ...] = (*AGENCY_SOURCES, "police_uk_street", "police_uk_outcomes")


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and audit schemas and every table, if missing."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    for source in AGENCY_SOURCES.values():
        con.execute(raw_table_ddl(source))
    con.execute(police_uk_table_ddl("street"))
    con.execute(police_uk_table_ddl("outcomes"))
    con.execute(AUDIT_LANDED_FILES_DDL)
    con.execute(AUDIT_QUARANTINE_DDL)
    con.execute(AUDIT_INBOX_FILE_HASHES_DDL)


def open_store(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a landing store for writing, with every table present."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    create_tables(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction around the block: committed when it ends, rolled back (and the error
    raised again) when anything, even an interrupt or a failed commit, stops it."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
