"""Write one file's outcome to the landing store: raw rows, quarantine and audit in ONE transaction.

A crash or kill anywhere before COMMIT leaves the store as it was before the file (DuckDB rolls
back the open transaction on restart), and the next run lands the file again.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import duckdb

from cjb.contract import FLAG_FALSE, FLAG_TRUE, LINEAGE_COLUMNS
from cjb.landing.checks import q, sql_list, sql_str
from cjb.landing.prepare import trimmed
from cjb.landing.pseudonymise import hmac_pads, hmac_sql
from cjb.landing.read import ReadFile
from cjb.landing.spec import LandingSpec
from cjb.store import transaction

# TEST-ONLY hook (used by tests/landing/test_atomicity.py): when set, the loader creates this
# marker file and sleeps CJB_TEST_PAUSE_SECONDS (default 60) right after inserting the file's
# raw rows, inside the still-open transaction, so a test can SIGKILL it provably mid-file.
TEST_PAUSE_ENV = "CJB_TEST_PAUSE_FILE"


def _typed(spec: LandingSpec, pads: tuple[bytes, bytes]) -> tuple[list[str], list[object]]:
    """Each field's typed value in the raw table, and the query parameters they take."""
    out = []
    params: list[object] = []
    inner, outer = pads
    for f in spec.fields:
        c = "p." + q(f.name)
        if f.type in ("date", "month"):
            expr = "p." + q(f.name + "__date")
        elif f.type == "flag":
            flag = "p." + q(f.name + "__flag")
            expr = (
                f"CASE WHEN {flag} IN ({sql_list(FLAG_TRUE)}) THEN true "
                f"WHEN {flag} IN ({sql_list(FLAG_FALSE)}) THEN false END"
            )
        elif f.type == "integer":
            expr = f"CAST({c} AS INTEGER)"
        elif f.type == "decimal":
            expr = f"CAST({c} AS DECIMAL(18, 4))"
        elif f.type == "double":
            expr = f"CAST({c} AS DOUBLE)"
        elif f.type == "person_key":
            expr = hmac_sql(c)
            params += [outer, inner]
        else:
            expr = c
        out.append(expr)
    return out, params


def _pause_for_tests() -> None:
    marker = os.environ.get(TEST_PAUSE_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("CJB_TEST_PAUSE_SECONDS", "60")))


def insert_raw(
    con: duckdb.DuckDBPyConnection,
    spec: LandingSpec,
    prep: str,
    quarantine_table: str,
    rows_quarantined: int,
    pads: tuple[bytes, bytes],
    lineage: dict[str, object],
    force: str | None,
) -> None:
    """``INSERT ... SELECT`` of every row not in quarantine, typed, with lineage columns, in
    file order. Person keys are hashed as they are inserted (``hmac_pads(secret)``).

    ``prep`` is read in file order (``cjb.landing.prepare``) and a plain scan keeps that order
    (DuckDB's ``preserve_insertion_order``, set by the session); only when rows are quarantined
    does the insert filter them out, and then it sorts as well.
    """
    columns = [q(f.name) for f in spec.fields]
    values, params = _typed(spec, pads)
    if spec.source == "police_uk":
        columns.append('"_force"')
        values.append("?")
        params.append(force)
    for name in LINEAGE_COLUMNS:
        columns.append(q(name))
        if name == "_row_number":
            values.append("p._row_number")
        else:
            values.append("?")
            params.append(lineage[name])
    sql = f"INSERT INTO raw.{spec.table} ({', '.join(columns)})\nSELECT {', '.join(values)}\nFROM {prep} p"
    if rows_quarantined:
        sql += (
            f"\nWHERE p._row_number NOT IN (SELECT row_number FROM {quarantine_table})"
            "\nORDER BY p._row_number"
        )
    con.execute(sql, params)


def insert_quarantine(
    con: duckdb.DuckDBPyConnection,
    spec: LandingSpec,
    read: ReadFile,
    quarantine_table: str,
    pads: tuple[bytes, bytes],
    file_name: str,
    sha256: str,
    landed_at: dt.datetime,
) -> None:
    """Quarantined rows with their rule and the record as read, by header (person keys hashed).

    ``read`` is the file read into a table by ``read.read_csv``: record ``n`` is its row
    ``rowid + 1``, as in ``_prep``.
    """
    person_headers = {spec.field(n).header for n in spec.person_key_fields}
    inner, outer = pads
    pairs = []
    params: list[object] = []
    for i, (header, key) in enumerate(zip(read.headers, read.record_keys, strict=True)):
        col = f"i.c{i}"
        if header in person_headers:
            pairs.append(f"{sql_str(key)}, {hmac_sql(trimmed(col))}")
            params += [outer, inner]
        else:
            pairs.append(f"{sql_str(key)}, {col}")
    con.execute(
        "INSERT INTO audit.quarantine "
        "(file_name, source, row_number, rule, raw_record, landed_at, sha256)\n"
        f"SELECT ?, ?, qq.row_number, qq.rule, json_object({', '.join(pairs)}), ?, ?\n"
        f"FROM {quarantine_table} qq JOIN {read.table} i ON i.rowid + 1 = qq.row_number\n"
        "ORDER BY qq.row_number",
        [file_name, spec.source, *params, landed_at, sha256],
    )


def insert_audit(
    con: duckdb.DuckDBPyConnection,
    *,
    file_name: str,
    source: str,
    period: str | None,
    sha256: str,
    rows_read: int | None,
    rows_landed: int,
    rows_quarantined: int,
    status: str,
    error: str | None,
    landed_at: dt.datetime,
) -> None:
    con.execute(
        "INSERT INTO audit.landed_files (file_name, source, period, sha256, rows_read, "
        "rows_landed, rows_quarantined, status, error, landed_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            file_name,
            source,
            period,
            sha256,
            rows_read,
            rows_landed,
            rows_quarantined,
            status,
            error,
            landed_at,
        ],
    )


def land_transaction(
    con: duckdb.DuckDBPyConnection,
    *,
    spec: LandingSpec,
    read: ReadFile | None,
    prep: str,
    rows_read: int,
    quarantine_table: str,
    rows_quarantined: int,
    secret: bytes,
    file_name: str,
    sha256: str,
    period_label: str,
    period_start: dt.date,
    force: str | None,
    landed_at: dt.datetime,
) -> int:
    """Land a validated file atomically; returns rows landed.

    ``read`` (the file read into a table by ``read.read_csv``) is needed only when rows are
    quarantined, for their records as read.
    """
    q_table = quarantine_table
    lineage = {
        "_file_name": file_name,
        "_file_sha256": sha256,
        "_file_period": period_label,
        "_period_start": period_start,
        "_landed_at": landed_at,
    }
    if rows_quarantined and read is None:
        raise ValueError("quarantined rows need the file read into a table (read.read_csv)")
    pads = hmac_pads(secret)
    rows_landed = rows_read - rows_quarantined
    with transaction(con):
        insert_raw(con, spec, prep, q_table, rows_quarantined, pads, lineage, force)
        _pause_for_tests()
        if rows_quarantined:
            assert read is not None
            insert_quarantine(con, spec, read, q_table, pads, file_name, sha256, landed_at)
        insert_audit(
            con,
            file_name=file_name,
            source=spec.source,
            period=period_label,
            sha256=sha256,
            rows_read=rows_read,
            rows_landed=rows_landed,
            rows_quarantined=rows_quarantined,
            status="landed",
            error=None,
            landed_at=landed_at,
        )
    return rows_landed
