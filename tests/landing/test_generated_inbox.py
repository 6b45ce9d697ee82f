"""A generated inbox with labelled faults: nothing lost, and exactly the faults quarantined."""

from __future__ import annotations

import csv

from landing_helpers import query

from cjb.landing import land_inbox


def test_generated_inbox_with_faults(small_inbox, warehouse):
    summary = land_inbox(small_inbox, warehouse)

    assert summary.files and all(f.status == "landed" for f in summary.files)
    # nothing lost: rows read = rows landed + rows quarantined, for every landed file
    audit = query(
        warehouse,
        "SELECT file_name, rows_read, rows_landed, rows_quarantined FROM audit.landed_files "
        "WHERE status = 'landed'",
    )
    assert len(audit) == len(summary.files)
    for name, read, landed, quarantined in audit:
        assert read == landed + quarantined, name
    per_file = dict(
        query(
            warehouse,
            "SELECT _file_name, count(*) FROM ("
            + " UNION ALL ".join(
                f"SELECT _file_name FROM raw.{s}"
                for s in (
                    "police_crimes",
                    "court_trials",
                    "oocr",
                    "fjsb_needs",
                    "iom_cohort",
                    "partner_measures",
                )
            )
            + ") GROUP BY ALL",
        )
    )
    for name, _, landed, _ in audit:
        assert per_file.get(name, 0) == landed, name

    # every labelled fault is quarantined under its rule, and no valid row is
    with (small_inbox / "faults.csv").open(newline="") as f:
        faults = {
            (r["source"], r["file_name"], int(r["row_number"]), r["rule"])
            for r in csv.DictReader(f)
        }
    quarantined = set(
        query(warehouse, "SELECT source, file_name, row_number, rule FROM audit.quarantine")
    )
    assert faults, "the generator labelled no faults"
    assert quarantined == faults
