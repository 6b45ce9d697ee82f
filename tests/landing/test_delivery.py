"""Delivery rules: duplicates, rejected files, names, empty files, the inbox left untouched."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
from landing_helpers import csv_text, query, valid_row, write_file

from cjb.contract import AGENCY_SOURCES
from cjb.landing import land_inbox
from cjb.landing.prepare import prepare_csv
from cjb.landing.read import MAX_LINE_SIZE, FileRejected, read_csv, read_csv_header
from cjb.landing.spec import SPECS
from cjb.landing.validate import SuiteRunner
from cjb.paths import rejected_dir


def _tree_digest(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_bytes_twice_land_once(inbox, warehouse):
    rows = [valid_row("oocr", i) for i in range(1, 4)]
    first = write_file(inbox, "oocr", rows)
    shutil.copyfile(first, inbox / "oocr" / "oocr_2018-12.csv")  # same bytes, another name

    summary = land_inbox(inbox, warehouse)

    assert [(f.file_name, f.status) for f in summary.files] == [
        ("oocr_2018-11.csv", "landed"),
        ("oocr_2018-12.csv", "duplicate"),
    ]
    assert summary.files[1].rows_read is None  # nothing of it read
    assert query(warehouse, "SELECT count(*) FROM raw.oocr") == [(3,)]
    assert query(
        warehouse, "SELECT file_name, status, rows_landed FROM audit.landed_files ORDER BY 1"
    ) == [("oocr_2018-11.csv", "landed", 3), ("oocr_2018-12.csv", "duplicate", 0)]

    # running again lands nothing and records nothing new
    again = land_inbox(inbox, warehouse)
    assert again.files == [] and len(again.skipped) == 2
    assert query(warehouse, "SELECT count(*) FROM audit.landed_files") == [(2,)]

    # the same bytes delivered later under a third name are a duplicate too
    shutil.copyfile(first, inbox / "oocr" / "oocr_2019-01.csv")
    later = land_inbox(inbox, warehouse)
    assert [(f.file_name, f.status) for f in later.files] == [("oocr_2019-01.csv", "duplicate")]
    assert query(warehouse, "SELECT count(*) FROM raw.oocr") == [(3,)]


def test_changed_file_with_the_same_name_is_a_new_delivery(inbox, warehouse):
    write_file(inbox, "oocr", [valid_row("oocr", i) for i in range(1, 4)])
    land_inbox(inbox, warehouse)
    write_file(inbox, "oocr", [valid_row("oocr", i) for i in range(1, 6)])

    summary = land_inbox(inbox, warehouse)

    assert [(f.status, f.rows_landed) for f in summary.files] == [("landed", 5)]
    assert query(
        warehouse, "SELECT file_name, rows_landed FROM audit.landed_files ORDER BY landed_at"
    ) == [("oocr_2018-11.csv", 3), ("oocr_2018-11.csv", 5)]
    assert query(warehouse, "SELECT count(DISTINCT _file_sha256) FROM raw.oocr") == [(2,)]


def test_file_lacking_a_required_column_is_rejected_whole(inbox, warehouse):
    rows = [valid_row("court_trials", i) for i in range(1, 4)]
    header = [c for c in rows[0] if c != "case_urn"]
    path = write_file(inbox, "court_trials", rows, header=header)

    summary = land_inbox(inbox, warehouse)

    [f] = summary.files
    assert f.status == "rejected"
    assert f.error == "missing required column: case_urn"
    assert (f.rows_read, f.rows_landed, f.rows_quarantined) == (3, 0, 0)
    assert f.rejected_copy.parent == rejected_dir(warehouse) / "court_trials"
    assert f.rejected_copy.read_bytes() == path.read_bytes()
    assert query(warehouse, "SELECT count(*) FROM raw.court_trials") == [(0,)]
    assert query(warehouse, "SELECT count(*) FROM audit.quarantine") == [(0,)]
    assert query(
        warehouse,
        "SELECT status, rows_read, rows_landed, rows_quarantined, error FROM audit.landed_files",
    ) == [("rejected", 3, 0, 0, "missing required column: case_urn")]
    assert summary.has_data_problems
    text = summary.render()
    assert "court_trials/trials_2018-11.csv: missing required column: case_urn" in text
    assert str(f.rejected_copy) in text


def test_unreadable_files_are_rejected(inbox, warehouse):
    folder = inbox / "iom_cohort"
    folder.mkdir()
    (folder / "iom_cohort_2018-10.csv").write_bytes(b"")
    (folder / "iom_cohort_2018-11.csv").write_bytes(b"person_id,cohort\n\xff\xfe\x00garbage,1\n")
    ragged = ",".join(valid_row("iom_cohort", 1)) + "\nP1,fixed,Swindon\n"
    (folder / "iom_cohort_2018-12.csv").write_text(ragged)

    summary = land_inbox(inbox, warehouse)

    assert [(f.file_name, f.status, f.rows_read) for f in summary.files] == [
        ("iom_cohort_2018-10.csv", "rejected", None),
        ("iom_cohort_2018-11.csv", "rejected", None),
        ("iom_cohort_2018-12.csv", "rejected", None),
    ]
    errors = [f.error for f in summary.files]
    assert "no header row" in errors[0]
    assert "not UTF-8" in errors[1]
    assert "Expected Number of Columns: 7 Found: 3" in errors[2]
    assert all(f.rejected_copy.exists() for f in summary.files)
    assert query(warehouse, "SELECT count(*) FROM raw.iom_cohort") == [(0,)]


def test_landing_refuses_the_same_long_lines_as_read_csv(tmp_path):
    """prepare_csv reads with bigger buffers than read_csv; the longest line stays DuckDB's."""
    con = duckdb.connect()
    spec = SPECS["police_crimes"]
    checks = SuiteRunner().checks(spec)
    row = valid_row("police_crimes", 1) | {"offence_description": ""}
    header = list(AGENCY_SOURCES["police_crimes"].column_names)
    short = len(csv_text([row], header).splitlines()[1])
    outcomes = set()
    for length in range(MAX_LINE_SIZE - 2, MAX_LINE_SIZE + 3):
        path = tmp_path / f"crimes_{length}.csv"
        description = "x" * (length - short)
        path.write_text(csv_text([row | {"offence_description": description}], header))
        read = prep = "read"
        try:
            read_csv(con, path)
        except FileRejected:
            read = "refused"
        try:
            prepare_csv(con, read_csv_header(path), spec, checks)
        except FileRejected:
            prep = "refused"
        assert prep == read, length
        outcomes.add(read)
    assert outcomes == {"read", "refused"}  # MAX_LINE_SIZE is DuckDB's default


def test_file_name_without_a_valid_period_is_rejected(inbox, warehouse):
    rows = [valid_row("police_crimes", 1)]
    write_file(inbox, "police_crimes", rows, name="crimes_2018-13.csv")
    write_file(inbox, "police_crimes", rows + [valid_row("police_crimes", 2)], name="crimes.csv")
    write_file(inbox, "fjsb_needs", [valid_row("fjsb_needs", 1)], name="fjsb_needs_2018-Q3.csv")
    (inbox / "police_uk").mkdir()
    (inbox / "police_uk" / "wiltshire-street.csv").write_text("Crime ID\n")

    summary = land_inbox(inbox, warehouse)

    reasons = {f.file_name: f.error for f in summary.files}
    assert all(f.status == "rejected" for f in summary.files)
    assert "expected crimes_YYYY-MM.csv" in reasons["crimes_2018-13.csv"]
    assert "does not carry a valid period for police_crimes" in reasons["crimes.csv"]
    assert "expected fjsb_needs_YYYY-YY_Qn.csv" in reasons["fjsb_needs_2018-Q3.csv"]
    assert "YYYY-MM-<force>-street.csv" in reasons["wiltshire-street.csv"]
    assert query(warehouse, "SELECT count(*), count(period) FROM audit.landed_files") == [(4, 0)]


def test_header_only_file_lands_zero_rows(inbox, warehouse):
    path = inbox / "partner_measures"
    path.mkdir()
    (path / "partner_measures_2018-11.csv").write_text(
        "measure_code,period_start,period_end,value,numerator,denominator,unit,source_agency\n"
    )

    [f] = land_inbox(inbox, warehouse).files

    assert (f.status, f.rows_read, f.rows_landed, f.rows_quarantined) == ("landed", 0, 0, 0)
    assert query(warehouse, "SELECT status, rows_read FROM audit.landed_files") == [("landed", 0)]


def test_inbox_is_never_modified_and_other_files_are_ignored(inbox, warehouse):
    write_file(inbox, "oocr", [valid_row("oocr", 1)])
    write_file(inbox, "oocr", [valid_row("oocr", 1)], name="oocr_bad.csv")
    (inbox / "faults.csv").write_text("file,row_number,rule\n")
    (inbox / "notes").mkdir()
    (inbox / "notes" / "crimes_2018-11.csv").write_text("x\n")
    before = _tree_digest(inbox)

    summary = land_inbox(inbox, warehouse)

    assert _tree_digest(inbox) == before
    assert sorted(f.file_name for f in summary.files) == ["oocr_2018-11.csv", "oocr_bad.csv"]


def test_landing_order_is_source_then_period_then_name(inbox, warehouse):
    for period in ("2019-01", "2018-11", "2018-12"):
        write_file(inbox, "oocr", [valid_row("oocr", 1)], name=f"oocr_{period}.csv")
    write_file(inbox, "police_crimes", [valid_row("police_crimes", 1)])

    summary = land_inbox(inbox, warehouse)

    assert [f.file_name for f in summary.files] == [
        "crimes_2018-11.csv",
        "oocr_2018-11.csv",
        "oocr_2018-12.csv",  # identical bytes to 2018-11: recorded as a duplicate
        "oocr_2019-01.csv",
    ]
