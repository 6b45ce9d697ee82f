"""A crafted landing store for the dbt model tests: rows inserted straight into the raw tables.

Each delivery is a file with its lineage (name, period, landing time); resends cross periods and
landing times so the tests can tell which version stands. Person keys are stand-in hex strings
(the raw layer holds HMAC hex; staging never looks inside them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cjb.store import open_store

T0 = datetime(2018, 12, 1, 9, 0)
T1 = datetime(2018, 12, 2, 9, 0)
T2 = datetime(2018, 12, 3, 9, 0)

WILTS_LSOA = "E01032069"  # Wiltshire 022E
SWINDON_LSOA = "E01015492"  # Swindon 023F


def key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


@dataclass
class Delivery:
    table: str
    file_name: str
    period: str
    period_start: date
    landed_at: datetime
    rows: list[dict[str, Any]] = field(default_factory=list)
    force: str | None = None


def _month(label: str) -> date:
    y, m = label.split("-")
    return date(int(y), int(m), 1)


def crimes(period: str, landed_at: datetime, *rows: dict[str, Any], stem="crimes") -> Delivery:
    return Delivery(
        "police_crimes", f"{stem}_{period}.csv", period, _month(period), landed_at, list(rows)
    )


def crime(ref: str, **kw: Any) -> dict[str, Any]:
    row = {
        "crime_ref": ref,
        "recorded_date": date(2018, 10, 15),
        "ho_offence_code": "8N",
        "lsoa_code": WILTS_LSOA,
        "local_authority": "Wiltshire",
        "status": "recorded",
    }
    row.update(kw)
    return row


DELIVERIES: list[Delivery] = [
    # --- police_crimes
    crimes(
        "2018-10",
        T1,
        # C1: sent in October (landed later) and resent in November (landed earlier): the later
        # period wins although it landed first.
        crime("C1", outcome_type=None, offence_description="october version"),
        # C2: two deliveries of the same period: the later landing wins.
        crime("C2", outcome_type="3", outcome_date=date(2018, 10, 20)),
        # C3: leading zeros and lower case in the offence code, unknown flags.
        crime("C3", ho_offence_code="0058a", is_domestic_abuse=None, is_hate_crime=True),
        # C4: '4.10' is not '4.1'; blank local authority resolved from the LSOA.
        crime("C4", ho_offence_code="4.10", local_authority=None, lsoa_code=SWINDON_LSOA),
        # C5: cancelled crime with a non-positive outcome.
        crime("C5", status="cancelled", outcome_type="14", outcome_date=date(2018, 10, 30)),
        # C6 / C7: financial-year edges (March/April).
        crime("C6", recorded_date=date(2019, 3, 31), offence_date=date(2019, 3, 30)),
        crime(
            "C7", recorded_date=date(2019, 4, 1), outcome_type="1a", outcome_date=date(2019, 4, 2)
        ),
        # C8: December/January edge, community resolution (positive, not charge/summons).
        crime(
            "C8", recorded_date=date(2018, 12, 31), outcome_type="8", outcome_date=date(2019, 1, 3)
        ),
        crime("C9", recorded_date=date(2019, 1, 1), lsoa_code=None, local_authority=None),
    ),
    crimes(
        "2018-11",
        T0,
        crime(
            "C1",
            outcome_type="1",
            outcome_date=date(2018, 11, 2),
            offence_description="november version",
            suspect_person_id=key("person-a"),
        ),
    ),
    crimes(
        "2018-10",
        T2,
        crime("C2", outcome_type="8", outcome_date=date(2018, 10, 25)),
        stem="crimes_resend",
    ),
    # C10: two deliveries of one period landed at the same instant, C10 on the same row of
    # each: the last tie-break decides, the file hash (the higher one wins: tie_hash_winner;
    # here the second one inserted).
    *(
        crimes("2018-09", T0, crime("C10", outcome_type=outcome), stem=stem)
        for stem, outcome in (("crimes_tie_b", "8"), ("crimes_tie_a", "1"))
    ),
    # --- court_trials
    Delivery(
        "court_trials",
        "trials_2018-10.csv",
        "2018-10",
        date(2018, 10, 1),
        T1,
        [
            {
                "listing_id": "L1",
                "case_urn": "U1",
                "court_code": "135",
                "jurisdiction": "magistrates",
                "listing_date": date(2018, 10, 3),
                "trial_outcome": "effective",
            },
            {
                "listing_id": "L2",
                "case_urn": "U2",
                "court_code": "769",
                "jurisdiction": "crown",
                "listing_date": date(2018, 10, 4),
                "trial_outcome": "ineffective",
                "reason_code": "x",
                "offence_group": "Robbery",
                "defendant_count": 2,
                "defendant_person_id": key("person-b"),
            },
            {
                "listing_id": "L3",
                "case_urn": "U3",
                "court_code": "135",
                "jurisdiction": "magistrates",
                "listing_date": date(2018, 10, 5),
                "trial_outcome": "vacated",
            },
        ],
    ),
    Delivery(
        "court_trials",
        "trials_2018-11.csv",
        "2018-11",
        date(2018, 11, 1),
        T0,
        # L1 resent in November: it cracked for a prosecution reason (B).
        [
            {
                "listing_id": "L1",
                "case_urn": "U1",
                "court_code": "135",
                "jurisdiction": "magistrates",
                "listing_date": date(2018, 10, 3),
                "trial_outcome": "cracked",
                "reason_code": "B",
            },
            {
                "listing_id": "L4",
                "case_urn": "U4",
                "court_code": "426",
                "jurisdiction": "crown",
                "listing_date": date(2018, 11, 6),
                "trial_outcome": "ineffective",
                "reason_code": "W1",
            },
        ],
    ),
    # --- oocr
    Delivery(
        "oocr",
        "oocr_2018-10.csv",
        "2018-10",
        date(2018, 10, 1),
        T1,
        [
            {
                "disposal_id": "D1",
                "person_id": key("person-c"),
                "sex": None,
                "age_at_disposal": 30,
                "disposal_date": date(2018, 10, 2),
                "disposal_type": "community_resolution",
                "ho_offence_code": "058A",
                "intervention_referred": True,
                "intervention_outcome": "in_progress",
            },
            {
                "disposal_id": "D2",
                "person_id": key("person-d"),
                "sex": "f",
                "disposal_date": date(2018, 10, 3),
                "disposal_type": "simple_caution",
                "previous_convictions": False,
            },
            {
                "disposal_id": "D3",
                "person_id": key("person-d"),
                "sex": "U",
                "disposal_date": date(2018, 10, 4),
                "disposal_type": "outcome_22",
            },
            {
                "disposal_id": "D4",
                "person_id": key("person-e"),
                "sex": "M",
                "disposal_date": date(2018, 10, 5),
                "disposal_type": "penalty_notice",
            },
        ],
    ),
    Delivery(
        "oocr",
        "oocr_2018-11.csv",
        "2018-11",
        date(2018, 11, 1),
        T2,
        [
            {
                "disposal_id": "D1",
                "person_id": key("person-c"),
                "sex": None,
                "age_at_disposal": 30,
                "disposal_date": date(2018, 10, 2),
                "disposal_type": "community_resolution",
                "ho_offence_code": "058A",
                "intervention_referred": True,
                "intervention_outcome": "completed",
                "intervention_provider": "Nelson Trust",
            }
        ],
    ),
    # --- fjsb_needs
    Delivery(
        "fjsb_needs",
        "fjsb_needs_2018-19_Q3.csv",
        "2018-19 Q3",
        date(2018, 10, 1),
        T1,
        [
            {
                "assessment_id": "A1",
                "person_id": key("person-d"),
                "assessment_date": date(2018, 11, 5),
                "age": 34,
                "referral_route": "oocr",
                "index_offence_category": "acquisitive",
                "mental_health": True,
                "housing_concern": False,
                "sex_work": None,
                "neurodivergent": True,
            },
            {
                "assessment_id": "A2",
                "person_id": key("person-f"),
                "assessment_date": date(2018, 12, 5),
                "referral_route": "self",
            },
        ],
    ),
    # --- iom_cohort: P1 on the October snapshot, deselected by the November snapshot
    Delivery(
        "iom_cohort",
        "iom_cohort_2018-10.csv",
        "2018-10",
        date(2018, 10, 1),
        T1,
        [
            {
                "person_id": key("person-a"),
                "cohort": "fixed",
                "area": "Swindon",
                "adoption_date": date(2018, 5, 1),
                "basis": "statutory",
                "ogrs_band": "high",
            },
            {
                "person_id": key("person-b"),
                "cohort": "flex",
                "area": "County",
                "adoption_date": date(2018, 6, 1),
                "basis": "voluntary",
            },
        ],
    ),
    Delivery(
        "iom_cohort",
        "iom_cohort_2018-11.csv",
        "2018-11",
        date(2018, 11, 1),
        T0,
        [
            {
                "person_id": key("person-a"),
                "cohort": "fixed",
                "area": "Swindon",
                "adoption_date": date(2018, 5, 1),
                "deselection_date": date(2018, 11, 15),
                "basis": "statutory",
                "ogrs_band": "high",
            }
        ],
    ),
    # --- partner_measures: a corrected value resent the next month
    Delivery(
        "partner_measures",
        "partner_measures_2018-12.csv",
        "2018-12",
        date(2018, 12, 1),
        T1,
        [
            {
                "measure_code": "victim_satisfaction",
                "period_start": date(2018, 10, 1),
                "period_end": date(2018, 12, 31),
                "value": 80.0,
                "numerator": 80,
                "denominator": 100,
                "unit": "percent",
                "source_agency": "Wiltshire Police",
            }
        ],
    ),
    Delivery(
        "partner_measures",
        "partner_measures_2019-01.csv",
        "2019-01",
        date(2019, 1, 1),
        T0,
        [
            {
                "measure_code": "victim_satisfaction",
                "period_start": date(2018, 10, 1),
                "period_end": date(2018, 12, 31),
                "value": 81.0,
                "numerator": 81,
                "denominator": 100,
                "unit": "percent",
                "source_agency": "Wiltshire Police",
            }
        ],
    ),
]


def _street(crime_id, crime_type, lsoa, outcome=None):
    return {
        "crime_id": crime_id,
        "month": date(2018, 10, 1),
        "reported_by": "Wiltshire Police",
        "falls_within": "Wiltshire Police",
        "lsoa_code": lsoa,
        "crime_type": crime_type,
        "last_outcome_category": outcome,
    }


DELIVERIES += [
    # police_uk: October delivered twice; the second delivery replaces the first whole.
    Delivery(
        "police_uk_street",
        "2018-10-wiltshire-street.csv",
        "2018-10",
        date(2018, 10, 1),
        T0,
        [
            _street("old1", "Burglary", WILTS_LSOA),
            _street("old2", "Drugs", WILTS_LSOA),
            _street("old3", "Robbery", WILTS_LSOA),
        ],
        force="wiltshire",
    ),
    Delivery(
        "police_uk_street",
        "2018-10-wiltshire-street.csv",
        "2018-10",
        date(2018, 10, 1),
        T1,
        [
            _street("new1", "Burglary", WILTS_LSOA, "Under investigation"),
            _street(None, "Anti-social behaviour", SWINDON_LSOA),
            _street("new3", "Other crime", "E01999999"),
        ],
        force="wiltshire",
    ),
    Delivery(
        "police_uk_street",
        "2018-10-dorset-street.csv",
        "2018-10",
        date(2018, 10, 1),
        T1,
        [_street("dor1", "Shoplifting", "E01020464")],
        force="dorset",
    ),
    Delivery(
        "police_uk_outcomes",
        "2018-10-wiltshire-outcomes.csv",
        "2018-10",
        date(2018, 10, 1),
        T1,
        [{"crime_id": "new1", "month": date(2018, 10, 1), "outcome_type": "Suspect charged"}],
        force="wiltshire",
    ),
]


def file_sha256(d: Delivery) -> str:
    """The crafted delivery's file hash (not of any bytes: unique per name and landing)."""
    return hashlib.sha256(f"{d.file_name}|{d.landed_at.isoformat()}".encode()).hexdigest()


def tie_hash_winner() -> Delivery:
    """The delivery of C10's standing version: the tied delivery with the higher hash."""
    tied = [d for d in DELIVERIES if d.file_name.startswith("crimes_tie_")]
    return max(tied, key=file_sha256)


def write_landing_store(path: Path) -> Path:
    """Create the landing store at ``path`` and insert every crafted delivery."""
    con = open_store(path)
    try:
        for d in DELIVERIES:
            sha = file_sha256(d)
            for i, row in enumerate(d.rows, start=1):
                values = dict(row)
                if d.force is not None:
                    values["_force"] = d.force
                values.update(
                    _file_name=d.file_name,
                    _row_number=i,
                    _file_sha256=sha,
                    _file_period=d.period,
                    _period_start=d.period_start,
                    _landed_at=d.landed_at,
                )
                cols = ", ".join(f'"{c}"' for c in values)
                marks = ", ".join("?" for _ in values)
                con.execute(
                    f"INSERT INTO raw.{d.table} ({cols}) VALUES ({marks})", list(values.values())
                )
    finally:
        con.close()
    return path
