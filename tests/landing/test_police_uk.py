"""The real Wiltshire data.police.uk street files land completely."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

from landing_helpers import query

from cjb.landing import land_inbox
from cjb.paths import SAMPLE_POLICE_UK_DIR

# data.police.uk published totals for Wiltshire, October to December 2018 (three street files)
CRIMES = 10_655
ASB = 3_952


def test_real_wiltshire_files_land_completely(inbox, warehouse):
    folder = inbox / "police_uk"
    folder.mkdir()
    rows_in_files = 0
    for path in sorted(SAMPLE_POLICE_UK_DIR.glob("*-street.csv")):
        shutil.copyfile(path, folder / path.name)
        with path.open(newline="") as f:
            rows_in_files += sum(1 for _ in csv.DictReader(f))

    summary = land_inbox(inbox, warehouse)

    assert [f.status for f in summary.files] == ["landed"] * 3
    assert summary.rows_landed == rows_in_files == CRIMES + ASB
    assert summary.rows_quarantined == 0
    assert query(
        warehouse,
        "SELECT count(*) FILTER (WHERE crime_type <> 'Anti-social behaviour'), "
        "count(*) FILTER (WHERE crime_type = 'Anti-social behaviour'), "
        "count(*) FILTER (WHERE crime_type = 'Anti-social behaviour' AND crime_id IS NULL) "
        "FROM raw.police_uk_street",
    ) == [(CRIMES, ASB, ASB)]
    assert query(
        warehouse,
        "SELECT _file_period, month, _force, count(*) FROM raw.police_uk_street "
        "GROUP BY ALL ORDER BY 1",
    ) == [
        ("2018-10", dt.date(2018, 10, 1), "wiltshire", 5058),
        ("2018-11", dt.date(2018, 11, 1), "wiltshire", 4740),
        ("2018-12", dt.date(2018, 12, 1), "wiltshire", 4809),
    ]
    assert query(
        warehouse,
        "SELECT source, period, rows_read, rows_landed FROM audit.landed_files ORDER BY 2",
    ) == [
        ("police_uk", "2018-10", 5058, 5058),
        ("police_uk", "2018-11", 4740, 4740),
        ("police_uk", "2018-12", 4809, 4809),
    ]


def test_outcomes_file_of_any_force(inbox, warehouse):
    folder = inbox / "police_uk"
    folder.mkdir()
    (folder / "2019-01-avon-and-somerset-outcomes.csv").write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Outcome type\n"
        "abc,2019-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,"
        "-2.5,51.4,On or near X,E01014399,Bristol 001A,Offender given a caution\n"
        "abc,2019-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,"
        ",,No Location,,,Unable to prosecute suspect\n"
    )

    [f] = land_inbox(inbox, warehouse).files

    assert (f.status, f.rows_landed, f.rows_quarantined) == ("landed", 2, 0)
    assert query(
        warehouse,
        "SELECT crime_id, month, longitude, lsoa_code, outcome_type, _force "
        "FROM raw.police_uk_outcomes ORDER BY _row_number",
    ) == [
        (
            "abc",
            dt.date(2019, 1, 1),
            -2.5,
            "E01014399",
            "Offender given a caution",
            "avon-and-somerset",
        ),
        (
            "abc",
            dt.date(2019, 1, 1),
            None,
            None,
            "Unable to prosecute suspect",
            "avon-and-somerset",
        ),
    ]


def test_police_uk_file_lacking_a_published_column_is_rejected(inbox, warehouse):
    folder = inbox / "police_uk"
    folder.mkdir()
    (folder / "2018-10-wiltshire-street.csv").write_text("Crime ID,Month\nx,2018-10\n")

    [f] = land_inbox(inbox, warehouse).files

    assert f.status == "rejected"
    assert f.error.startswith("missing required columns: reported by, falls within")
