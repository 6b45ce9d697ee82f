"""A crafted landing store for the public marts, small enough to compute every figure by hand.

Each source's rows are listed per delivered file (name, period); lineage columns and the landing
audit are filled in the way landing fills them. The expected figures the tests assert are worked
out by hand in the comments next to the rows and in ``test_*`` modules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import duckdb

from cjb.contract import AGENCY_SOURCES


def key(name: str) -> str:
    """A pseudonymous person key (landing stores HMAC hex digests; any hex string will do)."""
    return hashlib.sha256(name.encode()).hexdigest()


@dataclass
class CraftedFile:
    source: str
    file_name: str
    period: str
    period_start: date
    rows: list[dict] = field(default_factory=list)


def month_file(
    source: str, stem: str, year: int, month: int, rows: Iterable[dict] = ()
) -> CraftedFile:
    return CraftedFile(
        source,
        f"{stem}_{year:04d}-{month:02d}.csv",
        f"{year:04d}-{month:02d}",
        date(year, month, 1),
        list(rows),
    )


D = date


# --- police_crimes ------------------------------------------------------------------------
# 2018-19 Q3 (October to December 2018) is fully delivered; January 2019 alone does not make Q4.
# Q3 latest versions with status recorded: C1, C2, C3, C5 (C4 cancelled, C6 resent transferred).
#   crime_volume 4; domestic abuse 1 (C1; C3 unknown is not counted); hate 1 (C2); cyber 1 (C5;
#   C2 unknown); cse 1 (C5); positive 2 (C1 outcome 1 arrived in the January resend, C2 type 8)
#   -> 50.0 %; charge/summons 1 (C1) -> 25.0 %; outcome pending 1 (C5).
# IOM offences O1-O8 are recorded in June/September 2018 (Q1/Q2, not delivered quarters).
def _crime(
    ref,
    recorded,
    code,
    *,
    offence=None,
    la=None,
    da=None,
    hate=None,
    cyber=None,
    cse=None,
    outcome=None,
    outcome_date=None,
    status="recorded",
    suspect=None,
) -> dict:
    return {
        "crime_ref": ref,
        "recorded_date": recorded,
        "offence_date": offence,
        "ho_offence_code": code,
        "offence_description": None,
        "lsoa_code": None,
        "local_authority": la,
        "is_domestic_abuse": da,
        "is_hate_crime": hate,
        "is_cyber": cyber,
        "is_cse": cse,
        "is_knife": None,
        "outcome_type": outcome,
        "outcome_date": outcome_date,
        "status": status,
        "suspect_person_id": key(suspect) if suspect else None,
    }


CRIME_FILES = [
    month_file(
        "police_crimes",
        "crimes",
        2018,
        10,
        [
            _crime("C1", D(2018, 10, 5), "8N", la="Wiltshire", da=True, hate=False),
            _crime("C6", D(2018, 10, 20), "9A", la="Wiltshire"),
            # IOM offences of person P1 (nominals N1, N3), P2 (N2) and P4 (N5)
            _crime("O1", D(2018, 9, 1), "8N", offence=D(2018, 1, 15), suspect="P1"),
            _crime("O2", D(2018, 9, 1), "28", offence=D(2018, 1, 14), suspect="P1"),
            _crime("O3", D(2018, 6, 30), "9A", suspect="P1"),
            _crime("O4", D(2018, 9, 2), "45", offence=D(2018, 7, 1), suspect="P1"),
            _crime("O5", D(2018, 9, 3), "28", offence=D(2017, 7, 14), suspect="P1"),
            _crime(
                "O6", D(2018, 9, 3), "28", offence=D(2017, 7, 15), suspect="P1", status="cancelled"
            ),
            _crime("O7", D(2018, 9, 20), "45", offence=D(2018, 9, 16), suspect="P2"),
            _crime("O8", D(2018, 9, 5), "8N", offence=D(2017, 12, 1), suspect="P4"),
        ],
    ),
    month_file(
        "police_crimes",
        "crimes",
        2018,
        11,
        [
            _crime(
                "C2",
                D(2018, 11, 10),
                "105A",
                la="Swindon",
                hate=True,
                cyber=None,
                outcome="8",
                outcome_date=D(2018, 11, 12),
            ),
            _crime(
                "C3",
                D(2018, 11, 20),
                "28",
                la="Wiltshire",
                da=None,
                outcome="14",
                outcome_date=D(2018, 11, 25),
            ),
        ],
    ),
    month_file(
        "police_crimes",
        "crimes",
        2018,
        12,
        [
            _crime("C4", D(2018, 12, 1), "45", la="Wiltshire", status="cancelled"),
            _crime("C5", D(2018, 12, 15), "8N", cyber=True, cse=True),
            _crime("C6", D(2018, 10, 20), "9A", la="Wiltshire", status="transferred"),
        ],
    ),
    month_file(
        "police_crimes",
        "crimes",
        2019,
        1,
        [
            # resend across the quarter boundary: C1 (recorded in Q3) gains a charge in January
            _crime(
                "C1",
                D(2018, 10, 5),
                "8N",
                la="Wiltshire",
                da=True,
                hate=False,
                outcome="1",
                outcome_date=D(2019, 1, 10),
            ),
            _crime("C7", D(2019, 1, 5), "45", la="Swindon"),  # latest recorded_date in the data
        ],
    ),
]


# --- court_trials -------------------------------------------------------------------------
# 2018-19 Q3, the worked example of the quarterly performance report:
#   magistrates (courts 187 and 51): effective 100, cracked B 20 + I 15 (prosecution) and A 40
#   (defence), ineffective N1 25 (prosecution), S1 20 (defence), W3 10 (court), S3 5 (other),
#   vacated 10 -> listed 235.
#   crown (court 345): effective 5, cracked A 5, vacated 5 -> listed 10.
#   Total: listed 245, cracked or ineffective 140, for prosecution reasons 20 + 15 + 25 = 60
#   -> 24.5 %; effective 105 (42.9 %), cracked 80 (32.7 %), ineffective 60 (24.5 %).
# Q1 2018-19 is delivered with no trials (0 listed, rates null); Q2 lacks September.
TRIAL_MIX = [
    ("magistrates", "effective", None, 100),
    ("magistrates", "cracked", "B", 20),
    ("magistrates", "cracked", "I", 15),
    ("magistrates", "cracked", "A", 40),
    ("magistrates", "ineffective", "N1", 25),
    ("magistrates", "ineffective", "S1", 20),
    ("magistrates", "ineffective", "W3", 10),
    ("magistrates", "ineffective", "S3", 5),
    ("magistrates", "vacated", None, 10),
    ("crown", "effective", None, 5),
    ("crown", "cracked", "A", 5),
    ("crown", "vacated", None, 5),
]


def _trial(listing_id, court, jurisdiction, listed, outcome, reason) -> dict:
    return {
        "listing_id": listing_id,
        "case_urn": f"URN{listing_id}",
        "court_code": court,
        "jurisdiction": jurisdiction,
        "listing_date": listed,
        "trial_outcome": outcome,
        "reason_code": reason,
        "offence_group": None,
        "defendant_count": None,
        "defendant_person_id": None,
    }


def _trial_files() -> list[CraftedFile]:
    files = {m: month_file("court_trials", "trials", 2018, m) for m in (4, 5, 6, 7, 8, 10, 11, 12)}
    n = 0
    for jurisdiction, outcome, reason, count in TRIAL_MIX:
        for _ in range(count):
            n += 1
            month = (10, 11, 12)[n % 3]
            court = "345" if jurisdiction == "crown" else ("187" if n % 2 else "51")
            listed = D(2018, month, n % 28 + 1)
            files[month].rows.append(
                _trial(f"T{n:04d}", court, jurisdiction, listed, outcome, reason)
            )
    # Resends: the final version stands. T-R1 first sent cracked (B) in October, effective in
    # November's file; T-R2 first sent cracked (A) in November, ineffective (N1) in December's.
    # They replace one effective and one N1 listing of the mix (keeping the totals above).
    first_eff = next(
        r
        for r in files[11].rows
        if r["trial_outcome"] == "effective" and r["jurisdiction"] == "magistrates"
    )
    files[11].rows.remove(first_eff)
    files[10].rows.append(_trial("TR1", "187", "magistrates", D(2018, 10, 20), "cracked", "B"))
    files[11].rows.append(_trial("TR1", "187", "magistrates", D(2018, 10, 20), "effective", None))
    first_n1 = next(r for r in files[12].rows if r["reason_code"] == "N1")
    files[12].rows.remove(first_n1)
    files[11].rows.append(_trial("TR2", "51", "magistrates", D(2018, 11, 28), "cracked", "A"))
    files[12].rows.append(_trial("TR2", "51", "magistrates", D(2018, 11, 28), "ineffective", "N1"))
    return list(files.values())


TRIAL_FILES = _trial_files()


# --- oocr ---------------------------------------------------------------------------------
# 2018-19 Q3: 5 disposals; interventions completed 1 (D1, after its resend), not completed 1
# (D2), in progress 1 (D3, not a failure) -> completion 50.0 %.
def _disposal(did, person, sex, dtype, when, referred, outcome) -> dict:
    return {
        "disposal_id": did,
        "person_id": key(person),
        "sex": sex,
        "age_at_disposal": 30,
        "disposal_date": when,
        "disposal_type": dtype,
        "ho_offence_code": None,
        "previous_convictions": None,
        "previous_cautions": None,
        "intervention_referred": referred,
        "intervention_provider": None,
        "intervention_outcome": outcome,
    }


OOCR_FILES = [
    month_file(
        "oocr",
        "oocr",
        2018,
        10,
        [
            _disposal("D1", "A", "F", "community_resolution", D(2018, 10, 5), True, "in_progress"),
        ],
    ),
    month_file(
        "oocr",
        "oocr",
        2018,
        11,
        [
            _disposal("D2", "A", "F", "conditional_caution", D(2018, 11, 5), True, "not_completed"),
            _disposal("D3", "B", "M", "community_resolution", D(2018, 11, 10), True, "in_progress"),
        ],
    ),
    month_file(
        "oocr",
        "oocr",
        2018,
        12,
        [
            _disposal("D1", "A", "F", "community_resolution", D(2018, 10, 5), True, "completed"),
            _disposal("D4", "C", None, "community_resolution", D(2018, 12, 1), None, None),
            _disposal("D5", "B", "M", "community_resolution", D(2018, 12, 20), False, None),
        ],
    ),
]


# --- fjsb_needs (quarterly) ---------------------------------------------------------------
def _assessment(aid, person, when, category, **needs) -> dict:
    row = {
        "assessment_id": aid,
        "person_id": key(person),
        "assessment_date": when,
        "age": 30,
        "referral_route": "court",
        "index_offence_category": category,
    }
    for flag in AGENCY_SOURCES["fjsb_needs"].column_names[6:]:
        row[flag] = needs.get(flag)
    return row


FJSB_FILES = [
    CraftedFile(
        "fjsb_needs",
        "fjsb_needs_2018-19_Q3.csv",
        "2018-19 Q3",
        D(2018, 10, 1),
        [
            _assessment(
                "A1", "W1", D(2018, 10, 10), "violence", mental_health=True, domestic_abuse=False
            ),
            _assessment(
                "A2",
                "W1",
                D(2018, 12, 1),
                "drugs",
                mental_health=False,
                domestic_abuse=True,
                housing_concern=True,
            ),
            _assessment(
                "A3", "W2", D(2018, 11, 1), None, mental_health=True, housing_concern=False
            ),
        ],
    ),
    CraftedFile(
        "fjsb_needs",
        "fjsb_needs_2019-20_Q1.csv",
        "2019-20 Q1",
        D(2019, 4, 1),
        [
            _assessment("A4", "W3", D(2019, 5, 1), "acquisitive", mental_health=True),
        ],
    ),
]


# --- iom_cohort (monthly snapshots) -------------------------------------------------------
def _nominal(person, cohort, area, adopted, deselected=None) -> dict:
    return {
        "person_id": key(person),
        "cohort": cohort,
        "area": area,
        "adoption_date": adopted,
        "deselection_date": deselected,
        "basis": "statutory",
        "ogrs_band": None,
    }


N1 = _nominal("P1", "fixed", "County", D(2018, 1, 15), D(2018, 6, 30))
N2 = _nominal("P2", "fixed", "County", D(2018, 8, 1), D(2018, 9, 15))
N3 = _nominal("P1", "flex", "Swindon", D(2018, 8, 1))
N4 = _nominal("P3", "fixed", "County", D(2018, 1, 1), D(2018, 3, 31))
N5 = _nominal("P4", "fixed", "County", D(2018, 2, 1), D(2018, 3, 1))
N6 = _nominal("P5", "free", "County", D(2018, 12, 31))
N7 = _nominal("P6", "free", "County", D(2018, 5, 1), D(2018, 10, 1))

IOM_FILES = [
    month_file("iom_cohort", "iom_cohort", 2018, 3, [N4, N5]),
    month_file("iom_cohort", "iom_cohort", 2018, 6, [N1]),
    month_file("iom_cohort", "iom_cohort", 2018, 9, [N2, N3, {**N7, "deselection_date": None}]),
    month_file("iom_cohort", "iom_cohort", 2018, 10, [N3, N7]),
    month_file("iom_cohort", "iom_cohort", 2018, 11, [N3]),
    month_file("iom_cohort", "iom_cohort", 2018, 12, [N3, N6]),
]


# --- partner_measures ---------------------------------------------------------------------
def _partner(code, start, end, value, unit, num=None, den=None, agency="Wiltshire Police") -> dict:
    return {
        "measure_code": code,
        "period_start": start,
        "period_end": end,
        "value": value,
        "numerator": num,
        "denominator": den,
        "unit": unit,
        "source_agency": agency,
    }


Q4_1718 = (D(2018, 1, 1), D(2018, 3, 31))
Q1 = (D(2018, 4, 1), D(2018, 6, 30))
Q2 = (D(2018, 7, 1), D(2018, 9, 30))
Q3 = (D(2018, 10, 1), D(2018, 12, 31))

PARTNER_FILES = [
    month_file(
        "partner_measures",
        "partner_measures",
        2019,
        1,
        [
            # percent with numerators in every quarter: rolling = 8 / 573 = 1.396 -> 1.4
            _partner("full_file_error_rate", *Q4_1718, 2.0, "percent", 2, 100, "CPS"),
            _partner("full_file_error_rate", *Q1, 1.0, "percent", 1, 100, "CPS"),
            _partner("full_file_error_rate", *Q2, 1.5, "percent", 3, 200, "CPS"),
            _partner("full_file_error_rate", *Q3, 1.2, "percent", 2, 173, "CPS"),
            # Q2 without numerator/denominator: rolling null; target 95, 86.7 -> red
            _partner("crime_recording_compliance", *Q4_1718, 90.0, "percent", 900, 1000),
            _partner("crime_recording_compliance", *Q1, 89.1, "percent", 891, 1000),
            _partner("crime_recording_compliance", *Q2, 93.8, "percent"),
            _partner("crime_recording_compliance", *Q3, 86.7, "percent", 867, 1000),
            # counts summed: 150 + 140 + 130 + 149 = 569
            _partner("complaints_volume", *Q4_1718, 150, "count"),
            _partner("complaints_volume", *Q1, 140, "count"),
            _partner("complaints_volume", *Q2, 130, "count"),
            _partner("complaints_volume", *Q3, 149, "count"),
            # other periods stay out of the scorecard
            _partner(
                "victim_satisfaction_whole_experience",
                D(2018, 1, 1),
                D(2018, 12, 31),
                74,
                "percent",
            ),
            _partner("conviction_rate", D(2018, 12, 1), D(2018, 12, 31), 86, "percent"),
            # a code the Board has not described: as delivered
            _partner("witness_care_contacts", *Q3, 12, "count", agency="Witness Care"),
            # a code the warehouse computes itself: the record-level figure stands
            _partner("crime_volume", *Q3, 99999, "count"),
        ],
    ),
]


# Delivered files with no rows: trials April-June 2018 and July-August 2018 are in TRIAL_FILES.
ALL_FILES = CRIME_FILES + TRIAL_FILES + OOCR_FILES + FJSB_FILES + IOM_FILES + PARTNER_FILES


def fill_store(con: duckdb.DuckDBPyConnection, files: list[CraftedFile] = ALL_FILES) -> None:
    """Insert the crafted rows into the raw tables and the landing audit, as landing would."""
    landed_at = dt.datetime(2019, 2, 1, 9, 0, 0)
    for i, f in enumerate(sorted(files, key=lambda f: f.period_start)):
        source = AGENCY_SOURCES[f.source]
        sha = hashlib.sha256(f"{f.file_name}-{i}".encode()).hexdigest()
        at = landed_at + dt.timedelta(minutes=i)
        cols = [
            *source.column_names,
            "_file_name",
            "_row_number",
            "_file_sha256",
            "_file_period",
            "_period_start",
            "_landed_at",
        ]
        placeholders = ", ".join("?" for _ in cols)
        quoted = ", ".join(f'"{c}"' for c in cols)
        rows = [
            [
                *(r.get(c) for c in source.column_names),
                f.file_name,
                n,
                sha,
                f.period,
                f.period_start,
                at,
            ]
            for n, r in enumerate(f.rows, start=1)
        ]
        if rows:
            con.executemany(
                f"INSERT INTO raw.{source.name} ({quoted}) VALUES ({placeholders})", rows
            )
        con.execute(
            "INSERT INTO audit.landed_files VALUES (?, ?, ?, ?, ?, ?, 0, 'landed', NULL, ?)",
            [f.file_name, f.source, f.period, sha, len(rows), len(rows), at],
        )
