"""What agencies' exports look like (BOM, CRLF, headers, quoting ...) lands correctly typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from landing_helpers import csv_text, query, valid_row, write_file

from cjb.contract import FLAG_FALSE, FLAG_TRUE, FLAG_UNKNOWN
from cjb.landing import land_inbox


def test_formatting_variations_land_correctly_typed(inbox, warehouse):
    rows = [valid_row("police_crimes", i) for i in range(1, 4)]
    rows[0] |= {
        "offence_description": 'Theft, "snatch" of a bag\nfrom the person',
        "recorded_date": "5/11/2018 14:30",
        "offence_date": "04/11/2018 23:59:59",
        "outcome_date": "6/11/2018",
        "ho_offence_code": " 0105a ",
        "crime_ref": "  CR00001 ",
    }
    header = list(reversed(rows[0])) + ["agency_extra_column"]
    text = csv_text(rows, header, newline="\r\n")
    # header names in any case, with spaces; a BOM; trailing empty lines
    first, rest = text.split("\r\n", 1)
    first = ",".join(f"  {h.upper()} " if i % 2 else h.title() for i, h in enumerate(header))
    path = inbox / "police_crimes" / "crimes_2018-11.csv"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf" + (first + "\r\n" + rest + "\r\n\r\n\r\n").encode())

    [f] = land_inbox(inbox, warehouse).files

    assert (f.status, f.rows_read, f.rows_landed, f.rows_quarantined) == ("landed", 3, 3, 0)
    got = query(
        warehouse,
        "SELECT crime_ref, recorded_date, offence_date, outcome_date, ho_offence_code, "
        "offence_description, is_domestic_abuse, is_hate_crime, is_cyber, is_cse, is_knife, "
        "_row_number FROM raw.police_crimes ORDER BY _row_number",
    )
    assert got[0] == (
        "CR00001",
        dt.date(2018, 11, 5),
        dt.date(2018, 11, 4),
        dt.date(2018, 11, 6),
        "0105a",  # landed as sent (trimmed); the code list lookup ignores zeros and case
        'Theft, "snatch" of a bag\nfrom the person',
        True,
        False,
        None,  # blank flag: unknown, never false
        False,
        None,  # 'Unknown'
        1,
    )
    assert [r[-1] for r in got] == [1, 2, 3]
    columns = [r[0] for r in query(warehouse, "DESCRIBE raw.police_crimes")]
    assert "agency_extra_column" not in columns


def test_every_flag_spelling(inbox, warehouse):
    spellings = [
        *(s.upper() for s in FLAG_TRUE),
        *(s.title() for s in FLAG_TRUE),
        *(f"  {s} " for s in FLAG_TRUE),
        *(s.upper() for s in FLAG_FALSE),
        *FLAG_FALSE,
        *(f" {s.title()}" for s in FLAG_FALSE),
        *FLAG_UNKNOWN,
        "UNKNOWN",
        "  ",
    ]
    rows = []
    for i, spelling in enumerate(spellings):
        rows.append(valid_row("oocr", i) | {"intervention_referred": spelling})
        rows[-1]["intervention_outcome"] = ""  # no outcome whatever the referral
    write_file(inbox, "oocr", rows)

    [f] = land_inbox(inbox, warehouse).files

    assert (f.rows_landed, f.rows_quarantined) == (len(rows), 0)
    landed = query(warehouse, "SELECT intervention_referred FROM raw.oocr ORDER BY _row_number")
    expected = [
        True
        if s.strip().lower() in FLAG_TRUE
        else False
        if s.strip().lower() in FLAG_FALSE
        else None
        for s in spellings
    ]
    assert [r[0] for r in landed] == expected


def test_types_of_every_source(inbox, warehouse):
    write_file(inbox, "partner_measures", [valid_row("partner_measures", 1) | {"value": "50.00"}])
    write_file(inbox, "court_trials", [valid_row("court_trials", 1) | {"defendant_count": ""}])
    write_file(inbox, "iom_cohort", [valid_row("iom_cohort", 1)])
    write_file(inbox, "fjsb_needs", [valid_row("fjsb_needs", 1)])

    summary = land_inbox(inbox, warehouse)

    assert [f.rows_landed for f in summary.files] == [1, 1, 1, 1]
    assert query(
        warehouse,
        "SELECT value, numerator, denominator, period_start, _file_period, _period_start "
        "FROM raw.partner_measures",
    ) == [
        (
            Decimal("50.0000"),
            Decimal("1.0000"),
            Decimal("2.0000"),
            dt.date(2018, 10, 1),
            "2018-11",
            dt.date(2018, 11, 1),
        )
    ]
    assert query(warehouse, "SELECT defendant_count FROM raw.court_trials") == [(None,)]
    assert query(warehouse, "SELECT deselection_date, ogrs_band FROM raw.iom_cohort") == [
        (None, "high")
    ]
    assert query(
        warehouse,
        "SELECT age, previous_conviction, _file_period, _period_start FROM raw.fjsb_needs",
    ) == [(30, True, "2018-19 Q3", dt.date(2018, 10, 1))]


def test_duplicate_keys_are_found_across_validation_chunks(inbox, warehouse):
    rows = [valid_row("iom_cohort", i) for i in range(1, 8)]
    rows.append(rows[0] | {"adoption_date": "1/6/2018 10:00"})  # same key: dates compare as dates
    rows.append(rows[2] | {"deselection_date": "31/05/2018"})  # duplicate key AND bad dates
    write_file(inbox, "iom_cohort", rows)

    [f] = land_inbox(inbox, warehouse, chunk_rows=2).files  # five chunks

    assert (f.rows_read, f.rows_landed, f.rows_quarantined) == (9, 5, 4)
    # a row breaking several rules is quarantined once, under the first in contract order
    assert query(warehouse, "SELECT row_number, rule FROM audit.quarantine ORDER BY 1") == [
        (1, "duplicate_key"),
        (3, "duplicate_key"),
        (8, "duplicate_key"),
        (9, "duplicate_key"),
    ]
    report = f.validation_report.read_text()
    assert '"chunks": 5' in report


def test_validation_report_per_file(inbox, warehouse):
    rows = [valid_row("oocr", i) for i in range(1, 4)]
    rows[1]["age_at_disposal"] = "7"
    write_file(inbox, "oocr", rows)

    [f] = land_inbox(inbox, warehouse).files

    import json

    doc = json.loads(f.validation_report.read_text())
    assert doc["statistics"]["rows_quarantined"] == 1
    by_rule = {r["rule"]: r for r in doc["results"]}
    assert by_rule.keys() == {r for r in f.quarantined_by_rule} | {
        r["rule"] for r in doc["results"]
    }
    age = by_rule["age_at_disposal_range"]
    assert age["expectation_type"] == "expect_column_values_to_be_between"
    assert (age["unexpected_count"], age["quarantined"]) == (1, 1)
    assert age["unexpected_sample"] == [{"row_number": 2, "age_at_disposal__int": 7}]
    assert f.validation_report.with_suffix(".md").exists()
    assert len(doc["suite"]["expectations"]) == len(doc["results"])
