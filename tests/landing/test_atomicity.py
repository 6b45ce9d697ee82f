"""Landing a file is atomic: SIGKILL mid-file leaves the store as before; the rerun lands it once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
from landing_helpers import query, valid_row, write_file

from cjb.contract import AGENCY_SOURCES
from cjb.landing import land_inbox

ROWS = 220_000
BAD_EVERY = 50_000  # rows 50000, 100000, ... break lsoa_code_pattern


def write_big_crimes_file(path, rows=ROWS):
    """A large valid crimes file (a few rows breaking one rule), written fast by DuckDB."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = AGENCY_SOURCES["police_crimes"].column_names
    duckdb.sql(
        f"""COPY (
        SELECT 'CR' || lpad(CAST(i AS VARCHAR), 8, '0') AS crime_ref,
          strftime(DATE '2018-11-01' + CAST(i % 28 AS INTEGER), '%d/%m/%Y') AS recorded_date,
          strftime(DATE '2018-10-01' + CAST(i % 30 AS INTEGER), '%d/%m/%Y') AS offence_date,
          ['105A', '0058a', '4.10', '1'][1 + i % 4] AS ho_offence_code,
          'Offence, described' AS offence_description,
          CASE WHEN i % {BAD_EVERY} = 0 THEN 'BAD' ELSE 'E01031' || lpad(CAST(i % 999 AS VARCHAR), 3, '0') END AS lsoa_code,
          ['Wiltshire', 'Swindon', ''][1 + i % 3] AS local_authority,
          'Y' AS is_domestic_abuse, 'n' AS is_hate_crime, '' AS is_cyber, 'FALSE' AS is_cse,
          'unknown' AS is_knife,
          CASE WHEN i % 2 = 0 THEN '1' ELSE '' END AS outcome_type,
          CASE WHEN i % 2 = 0 THEN '30/11/2018' ELSE '' END AS outcome_date,
          'recorded' AS status,
          'P' || CAST(i % 5000 AS VARCHAR) AS suspect_person_id
        FROM range(1, {rows + 1}) t(i)
      ) TO '{path}' (HEADER, DELIMITER ',')"""
    )
    assert duckdb.sql(f"SELECT * FROM read_csv('{path}') LIMIT 0").columns == list(columns)


def test_sigkill_mid_file_leaves_the_store_unchanged(tmp_path, warehouse):
    before = tmp_path / "before"
    write_file(before, "oocr", [valid_row("oocr", i) for i in range(1, 4)])
    land_inbox(before, warehouse)
    snapshot = {
        t: query(warehouse, f"SELECT count(*) FROM {t}")
        for t in ("raw.oocr", "raw.police_crimes", "audit.quarantine", "audit.landed_files")
    }

    inbox = tmp_path / "inbox"
    write_big_crimes_file(inbox / "police_crimes" / "crimes_2018-11.csv")
    marker = tmp_path / "inside-transaction"
    env = os.environ | {"CJB_TEST_PAUSE_FILE": str(marker), "CJB_TEST_PAUSE_SECONDS": "300"}
    code = (
        "import sys; from pathlib import Path; from cjb.landing import land_inbox; "
        "land_inbox(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(inbox), str(warehouse)], env=env)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert proc.poll() is None, "the landing ended before reaching the pause"
            assert time.monotonic() < deadline, "the landing never reached the pause"
            time.sleep(0.2)
        # raw rows are inserted, quarantine and audit not yet: kill it mid-file
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    # exactly as before that file
    for table, count in snapshot.items():
        assert query(warehouse, f"SELECT count(*) FROM {table}") == count, table
    assert query(
        warehouse, "SELECT count(*) FROM audit.landed_files WHERE source = 'police_crimes'"
    ) == [(0,)]

    # the next run lands it once, with the counts of a clean landing
    [result] = land_inbox(inbox, warehouse).files
    bad = ROWS // BAD_EVERY
    assert (result.status, result.rows_read, result.rows_landed, result.rows_quarantined) == (
        "landed",
        ROWS,
        ROWS - bad,
        bad,
    )
    assert query(
        warehouse, "SELECT count(*), count(DISTINCT _row_number) FROM raw.police_crimes"
    ) == [(ROWS - bad, ROWS - bad)]
    assert query(warehouse, "SELECT count(*), min(rule), max(rule) FROM audit.quarantine") == [
        (bad, "lsoa_code_pattern", "lsoa_code_pattern")
    ]
    assert query(
        warehouse, "SELECT count(*) FROM audit.landed_files WHERE source = 'police_crimes'"
    ) == [(1,)]
    assert land_inbox(inbox, warehouse).files == []  # and never again
