"""Builders for the landing tests: valid rows per source, written as contract CSVs.

Imported by the test modules as ``landing_helpers`` (tests/landing/conftest.py puts this folder
on sys.path; pytest runs with --import-mode=importlib).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

from cjb.contract import AGENCY_SOURCES, file_name, month_period, quarter_period

# The period every builder file uses (a quarter for fjsb_needs).
PERIODS = {name: month_period(2018, 11) for name in AGENCY_SOURCES}
PERIODS["fjsb_needs"] = quarter_period(2018, 3)


def valid_row(source: str, i: int) -> dict[str, str]:
    """A row that breaks no rule; ``i`` makes its key unique within a file."""
    if source == "police_crimes":
        return {
            "crime_ref": f"CR{i:05d}",
            "recorded_date": "15/11/2018",
            "offence_date": "10/11/2018",
            "ho_offence_code": "105A",
            "offence_description": "Theft from the person",
            "lsoa_code": "E01031000",
            "local_authority": "Wiltshire",
            "is_domestic_abuse": "Y",
            "is_hate_crime": "N",
            "is_cyber": "",
            "is_cse": "No",
            "is_knife": "Unknown",
            "outcome_type": "1",
            "outcome_date": "20/11/2018",
            "status": "recorded",
            "suspect_person_id": f"P{i:05d}",
        }
    if source == "court_trials":
        return {
            "listing_id": f"L{i:05d}",
            "case_urn": f"52AB{i:07d}",
            "court_code": "1",
            "jurisdiction": "magistrates",
            "listing_date": "12/11/2018",
            # ineffective, vacated, cracked, effective, ...; row 99 (breaking rows) is cracked
            "trial_outcome": ("effective", "ineffective", "vacated", "cracked")[i % 4],
            "reason_code": ("", "M1", "", "A")[i % 4],
            "offence_group": "Theft offences",
            "defendant_count": "1",
            "defendant_person_id": f"P{i:05d}",
        }
    if source == "oocr":
        return {
            "disposal_id": f"D{i:05d}",
            "person_id": f"P{i:05d}",
            "sex": "F",
            "age_at_disposal": "30",
            "disposal_date": "05/11/2018",
            "disposal_type": "community_resolution",
            "ho_offence_code": "105A",
            "previous_convictions": "N",
            "previous_cautions": "Y",
            "intervention_referred": "Y",
            "intervention_provider": "Nelson Trust",
            "intervention_outcome": "completed",
        }
    if source == "fjsb_needs":
        row = {
            "assessment_id": f"A{i:05d}",
            "person_id": f"P{i:05d}",
            "assessment_date": "15/11/2018",
            "age": "30",
            "referral_route": "court",
            "index_offence_category": "acquisitive",
        }
        for n, c in enumerate(
            c.name for c in AGENCY_SOURCES["fjsb_needs"].columns if c.type == "flag"
        ):
            row[c] = ("Y", "N", "")[n % 3]
        return row
    if source == "iom_cohort":
        return {
            "person_id": f"P{i:05d}",
            "cohort": "fixed",
            "area": "Swindon",
            "adoption_date": "01/06/2018",
            "deselection_date": "",
            "basis": "statutory",
            "ogrs_band": "high",
        }
    if source == "partner_measures":
        return {
            "measure_code": f"victim_satisfaction_{i}",
            "period_start": "01/10/2018",
            "period_end": "31/12/2018",
            "value": "50",
            "numerator": "1",
            "denominator": "2",
            "unit": "percent",
            "source_agency": "OPCC",
        }
    raise KeyError(source)


def csv_text(rows: list[dict[str, str]], header: list[str] | None = None, newline="\n") -> str:
    buf = io.StringIO()
    header = header or list(rows[0])
    w = csv.DictWriter(buf, fieldnames=header, lineterminator=newline, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write_file(
    inbox: Path, source: str, rows: list[dict[str, str]], name: str | None = None, **kw
) -> Path:
    folder = inbox / source
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or file_name(AGENCY_SOURCES[source], PERIODS[source]))
    header = kw.pop("header", None) or list(AGENCY_SOURCES[source].column_names)
    path.write_text(csv_text(rows, header, **kw), encoding="utf-8")
    return path


def query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    from cjb.paths import landing_path

    con = duckdb.connect(str(landing_path(warehouse)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
