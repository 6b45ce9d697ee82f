"""The agency extract contract (``../shared/contracts/extracts.md``) as data.

This module is the single source of truth for what each source sends: the file-name stem and
period kind, the columns and their types, which columns are required, the record key, and the
named rules a row can break. The generator writes files that follow it, landing validates
against it (one Great Expectations expectation per rule) and creates the typed ``raw`` tables
from it, and the dbt sources describe the same columns.

Rule ids are what ``audit.quarantine.rule`` says. They are stable: tests, fault manifests and
data stewards key on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ColumnType = Literal["text", "date", "flag", "integer", "decimal", "person_key"]
PeriodKind = Literal["month", "quarter"]

# DuckDB type of each contract type in the typed ``raw`` layer.
DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "date": "DATE",
    "flag": "BOOLEAN",
    "integer": "INTEGER",
    "decimal": "DECIMAL(18, 4)",
    "person_key": "VARCHAR",  # HMAC-SHA256 hex digest, never the key in clear
}

# Lineage columns every raw table carries after the contract columns.
LINEAGE_COLUMNS: dict[str, str] = {
    "_file_name": "VARCHAR",  # file name without folder
    "_row_number": "INTEGER",  # data record number in the file, from 1, header excluded
    "_file_sha256": "VARCHAR",  # SHA-256 of the file's bytes
    "_file_period": "VARCHAR",  # '2018-11' or '2018-19 Q3'
    "_period_start": "DATE",  # first day of the file's period (orders resends)
    "_landed_at": "TIMESTAMP",  # when the file landed (ties between resends go to the latest)
}

FLAG_TRUE = ("y", "yes", "true", "1")
FLAG_FALSE = ("n", "no", "false", "0")
FLAG_UNKNOWN = ("", "unknown")


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False  # a value is required (blank breaks ``<name>_required``)
    optional_header: bool = False  # the column may be missing from the header entirely
    allowed: tuple[str, ...] | None = None  # accepted values (after trimming), blank aside
    description: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    column: str | None
    description: str


@dataclass(frozen=True)
class Source:
    name: str
    stem: str
    period_kind: PeriodKind
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = field(default=())
    description: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_headers(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.optional_header)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"{self.name} has no rule {rule_id!r}")

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


def _standard_rules(columns: tuple[Column, ...]) -> list[Rule]:
    """The rules every column of a given type carries, in column order."""
    rules: list[Rule] = []
    for c in columns:
        if c.required:
            rules.append(Rule(f"{c.name}_required", c.name, f"{c.name} must not be blank"))
        if c.type == "date":
            rules.append(
                Rule(
                    f"{c.name}_date_format",
                    c.name,
                    f"{c.name} must be a UK date dd/mm/yyyy, optionally followed by HH:MM[:SS]",
                )
            )
        elif c.type == "flag":
            rules.append(
                Rule(
                    f"{c.name}_flag_value",
                    c.name,
                    f"{c.name} must be Y/N/Yes/No/TRUE/FALSE/1/0 (any case) or blank/Unknown",
                )
            )
        elif c.type == "integer":
            rules.append(Rule(f"{c.name}_integer", c.name, f"{c.name} must be a whole number"))
        elif c.type == "decimal":
            rules.append(Rule(f"{c.name}_decimal", c.name, f"{c.name} must be a number"))
        if c.allowed is not None:
            rules.append(
                Rule(
                    f"{c.name}_allowed",
                    c.name,
                    f"{c.name} must be one of {', '.join(v or '(blank)' for v in c.allowed)}",
                )
            )
    return rules


def _source(
    name: str,
    stem: str,
    period_kind: PeriodKind,
    key: tuple[str, ...],
    columns: tuple[Column, ...],
    extra_rules: list[Rule],
    description: str,
) -> Source:
    rules = [Rule("duplicate_key", None, f"the key ({', '.join(key)}) is repeated in the file")]
    rules += _standard_rules(columns)
    rules += extra_rules
    return Source(name, stem, period_kind, key, columns, tuple(rules), description)


def _flags(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "flag") for n in names)


CRIME_FLAGS = ("is_domestic_abuse", "is_hate_crime", "is_cyber", "is_cse", "is_knife")

POLICE_CRIMES = _source(
    "police_crimes",
    "crimes",
    "month",
    ("crime_ref",),
    (
        Column("crime_ref", "text", required=True),
        Column("recorded_date", "date", required=True),
        Column("offence_date", "date"),
        Column("ho_offence_code", "text", required=True),
        Column("offence_description", "text"),
        Column("lsoa_code", "text"),
        Column("local_authority", "text", allowed=("Wiltshire", "Swindon", "")),
        *_flags(*CRIME_FLAGS),
        Column("outcome_type", "text"),
        Column("outcome_date", "date"),
        Column("status", "text", required=True, allowed=("recorded", "cancelled", "transferred")),
        Column("suspect_person_id", "person_key"),
    ),
    [
        Rule(
            "recorded_date_not_after_period_end",
            "recorded_date",
            "recorded_date must not be after the end of the file's month",
        ),
        Rule(
            "offence_date_not_after_recorded_date",
            "offence_date",
            "offence_date must not be after recorded_date",
        ),
        Rule(
            "ho_offence_code_known",
            "ho_offence_code",
            "ho_offence_code must be an offence_code of ho_offence_codes.csv "
            "(leading zeros and letter case ignored)",
        ),
        Rule("lsoa_code_pattern", "lsoa_code", "lsoa_code must be E01 or W01 followed by 6 digits"),
        Rule(
            "outcome_type_known",
            "outcome_type",
            "outcome_type must be blank or a code of hoc_outcome_types.csv from 1 to 22",
        ),
        Rule(
            "outcome_date_required_with_outcome",
            "outcome_date",
            "outcome_date is required when outcome_type is set",
        ),
        Rule(
            "outcome_date_not_before_recorded_date",
            "outcome_date",
            "outcome_date must not be before recorded_date",
        ),
    ],
    "Wiltshire Police recorded crime: one row per notifiable crime recorded, "
    "or whose outcome changed, in the month.",
)

COURT_TRIALS = _source(
    "court_trials",
    "trials",
    "month",
    ("listing_id",),
    (
        Column("listing_id", "text", required=True),
        Column("case_urn", "text", required=True),
        Column("court_code", "text", required=True),
        Column("jurisdiction", "text", required=True, allowed=("magistrates", "crown")),
        Column("listing_date", "date", required=True),
        Column(
            "trial_outcome",
            "text",
            required=True,
            allowed=("effective", "cracked", "ineffective", "vacated"),
        ),
        Column("reason_code", "text"),
        Column("offence_group", "text"),
        Column("defendant_count", "integer"),
        Column("defendant_person_id", "person_key"),
    ),
    [
        Rule(
            "court_code_in_jurisdiction_list",
            "court_code",
            "court_code must be an id of the court list of its jurisdiction",
        ),
        Rule(
            "listing_date_not_after_period_end",
            "listing_date",
            "listing_date must be within or before the file's month",
        ),
        Rule(
            "reason_code_required",
            "reason_code",
            "reason_code is required for cracked and ineffective trials",
        ),
        Rule(
            "reason_code_known_for_outcome",
            "reason_code",
            "reason_code must be a trial_reasons.csv code of the trial's outcome "
            "(A-L cracked, M1-Z ineffective)",
        ),
        Rule(
            "reason_code_blank_otherwise",
            "reason_code",
            "reason_code must be blank for effective and vacated trials",
        ),
        Rule(
            "reason_code_crown_only",
            "reason_code",
            "reason codes X, Y and Z apply only in the Crown Court",
        ),
        Rule(
            "offence_group_known",
            "offence_group",
            "offence_group must be an offence_group of offence_groups.csv",
        ),
        Rule("defendant_count_at_least_one", "defendant_count", "defendant_count must be >= 1"),
    ],
    "HMCTS trial listings: one row per trial listing that reached an outcome in the month.",
)

DISPOSAL_TYPES = (
    "community_resolution",
    "conditional_caution",
    "simple_caution",
    "youth_caution",
    "youth_conditional_caution",
    "penalty_notice",
    "cannabis_khat_warning",
    "outcome_22",
    "diversionary_caution",
    "community_caution",
)

OOCR = _source(
    "oocr",
    "oocr",
    "month",
    ("disposal_id",),
    (
        Column("disposal_id", "text", required=True),
        Column("person_id", "person_key", required=True),
        Column("sex", "text", allowed=("M", "F", "U", "")),
        Column("age_at_disposal", "integer"),
        Column("disposal_date", "date", required=True),
        Column("disposal_type", "text", required=True, allowed=DISPOSAL_TYPES),
        Column("ho_offence_code", "text"),
        *_flags("previous_convictions", "previous_cautions", "intervention_referred"),
        Column("intervention_provider", "text"),
        Column(
            "intervention_outcome",
            "text",
            allowed=("in_progress", "completed", "not_completed", ""),
        ),
    ),
    [
        Rule("age_at_disposal_range", "age_at_disposal", "age_at_disposal must be 10 to 110"),
        Rule(
            "ho_offence_code_known",
            "ho_offence_code",
            "ho_offence_code must be blank or an offence_code of ho_offence_codes.csv",
        ),
        Rule(
            "intervention_outcome_without_referral",
            "intervention_outcome",
            "an intervention_outcome is not allowed when intervention_referred is no",
        ),
    ],
    "Police out-of-court resolutions: one row per disposal.",
)

NEED_FLAGS = (
    "previous_conviction",
    "problematic_drug_use",
    "problematic_alcohol_use",
    "disability",
    "mental_health",
    "domestic_abuse",
    "self_harm_suicidal_ideation",
    "sexual_trauma",
    "neurodivergent",
    "sex_work",
    "housing_concern",
    "financial_concern",
)

FJSB_NEEDS = _source(
    "fjsb_needs",
    "fjsb_needs",
    "quarter",
    ("assessment_id",),
    (
        Column("assessment_id", "text", required=True),
        Column("person_id", "person_key", required=True),
        Column("assessment_date", "date", required=True),
        Column("age", "integer"),
        Column(
            "referral_route",
            "text",
            required=True,
            allowed=("oocr", "court", "probation", "police_custody", "self", "other"),
        ),
        Column(
            "index_offence_category",
            "text",
            allowed=(
                "acquisitive",
                "motoring",
                "public_order",
                "violence",
                "damage_to_property",
                "weapons",
                "harassment",
                "dishonesty",
                "sexual",
                "drugs",
                "other",
                "",
            ),
        ),
        *_flags(*NEED_FLAGS),
    ),
    [
        Rule(
            "assessment_date_in_period",
            "assessment_date",
            "assessment_date must be inside the file's quarter",
        ),
        Rule("age_range", "age", "age must be 16 to 110"),
    ],
    "Female Justice Support Board needs assessments: one row per assessment (quarterly).",
)

IOM_COHORT = _source(
    "iom_cohort",
    "iom_cohort",
    "month",
    ("person_id", "adoption_date"),
    (
        Column("person_id", "person_key", required=True),
        Column("cohort", "text", required=True, allowed=("fixed", "flex", "free")),
        Column("area", "text", required=True, allowed=("Swindon", "County")),
        Column("adoption_date", "date", required=True),
        Column("deselection_date", "date"),
        Column("basis", "text", required=True, allowed=("statutory", "voluntary")),
        Column("ogrs_band", "text", allowed=("low", "medium", "high", "very_high", "")),
    ),
    [
        Rule(
            "deselection_date_not_before_adoption_date",
            "deselection_date",
            "deselection_date must not be before adoption_date",
        ),
    ],
    "Integrated Offender Management nominals: monthly snapshot of everyone on the scheme.",
)

PARTNER_UNITS = ("count", "percent", "seconds", "days", "rate_per_1000")

PARTNER_MEASURES = _source(
    "partner_measures",
    "partner_measures",
    "month",
    ("measure_code", "period_start", "period_end"),
    (
        Column("measure_code", "text", required=True),
        Column("period_start", "date", required=True),
        Column("period_end", "date", required=True),
        Column("value", "decimal", required=True),
        Column("numerator", "decimal"),
        Column("denominator", "decimal"),
        Column("unit", "text", required=True, allowed=PARTNER_UNITS),
        Column("source_agency", "text", required=True),
    ),
    [
        Rule(
            "measure_code_snake_case",
            "measure_code",
            "measure_code must be lower snake case ([a-z][a-z0-9_]*)",
        ),
        Rule(
            "period_start_not_after_period_end",
            "period_start",
            "period_start must not be after period_end",
        ),
        Rule(
            "value_matches_ratio",
            "value",
            "for unit percent with numerator and denominator, "
            "|value - numerator / denominator * 100| must be <= 0.05",
        ),
    ],
    "Aggregate figures partners report for measures no record-level extract feeds.",
)

AGENCY_SOURCES: dict[str, Source] = {
    s.name: s for s in (POLICE_CRIMES, COURT_TRIALS, OOCR, FJSB_NEEDS, IOM_COHORT, PARTNER_MEASURES)
}

# Public data.police.uk files: any force, exactly as published. Two kinds, told apart by the
# file name's suffix; each lands into its own raw table.
POLICE_UK_STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context"
)
POLICE_UK_OUTCOMES_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Outcome type"
)
POLICE_UK_FILE = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes)\.csv$"
)

# Agency file names: <stem>_YYYY-MM.csv or <stem>_YYYY-YY_Qn.csv
MONTH_FILE = re.compile(r"^(?P<stem>[a-z_]+)_(?P<year>\d{4})-(?P<month>\d{2})\.csv$")
QUARTER_FILE = re.compile(r"^(?P<stem>[a-z_]+)_(?P<fy>\d{4})-(?P<fy2>\d{2})_Q(?P<q>[1-4])\.csv$")

PERSON_KEY_COLUMNS = ("person_id", "suspect_person_id", "defendant_person_id")


@dataclass(frozen=True)
class Period:
    label: str  # '2018-11' or '2018-19 Q3'
    start: date
    end: date  # last day, inclusive


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return Period(f"{year:04d}-{month:02d}", start, date.fromordinal(nxt.toordinal() - 1))


def quarter_period(fy_start_year: int, quarter: int) -> Period:
    """Financial-year quarter: Q1 = April to June of ``fy_start_year``."""
    first_month = 4 + 3 * (quarter - 1)
    year = fy_start_year + (first_month > 12)
    month = (first_month - 1) % 12 + 1
    start = month_period(year, month).start
    end = month_period(year + (month + 2 > 12), (month + 1) % 12 + 1).end
    label = f"{fy_start_year:04d}-{(fy_start_year + 1) % 100:02d} Q{quarter}"
    return Period(label, start, end)


def file_name(source: Source, period: Period) -> str:
    """The contract's file name for a source and period."""
    if source.period_kind == "month":
        return f"{source.stem}_{period.label}.csv"
    fy, q = period.label.split(" ")
    return f"{source.stem}_{fy}_{q}.csv"


def parse_file_name(source: Source, name: str) -> Period | None:
    """The period a file name carries, or None when it does not follow the contract."""
    if source.period_kind == "month":
        m = MONTH_FILE.match(name)
        if not m or m["stem"] != source.stem or not 1 <= int(m["month"]) <= 12:
            return None
        return month_period(int(m["year"]), int(m["month"]))
    m = QUARTER_FILE.match(name)
    if not m or m["stem"] != source.stem:
        return None
    fy = int(m["fy"])
    if (fy + 1) % 100 != int(m["fy2"]):
        return None
    return quarter_period(fy, int(m["q"]))


def raw_table_ddl(source: Source, schema: str = "raw") -> str:
    """CREATE TABLE statement for a source's typed raw table (contract columns + lineage)."""
    cols = [f'"{c.name}" {DUCKDB_TYPES[c.type]}' for c in source.columns]
    cols += [f'"{n}" {t}' for n, t in LINEAGE_COLUMNS.items()]
    return (
        f"CREATE TABLE IF NOT EXISTS {schema}.{source.name} (\n    " + ",\n    ".join(cols) + "\n)"
    )


def _snake(header: str) -> str:
    return header.strip().lower().replace(" ", "_")


# Typed raw tables for the public files: published headers in snake case, all text except
# longitude/latitude (DOUBLE) and month (DATE, first of the month), plus ``_force`` (from the
# file name) and the lineage columns.
POLICE_UK_RAW_TYPES: dict[str, dict[str, str]] = {
    kind: {
        _snake(h): (
            "DOUBLE" if h in ("Longitude", "Latitude") else "DATE" if h == "Month" else "VARCHAR"
        )
        for h in header.split(",")
    }
    for kind, header in (
        ("street", POLICE_UK_STREET_HEADER),
        ("outcomes", POLICE_UK_OUTCOMES_HEADER),
    )
}


def police_uk_table_ddl(kind: str, schema: str = "raw") -> str:
    """CREATE TABLE for ``raw.police_uk_street`` or ``raw.police_uk_outcomes``."""
    cols = [f'"{n}" {t}' for n, t in POLICE_UK_RAW_TYPES[kind].items()]
    cols.append('"_force" VARCHAR')
    cols += [f'"{n}" {t}' for n, t in LINEAGE_COLUMNS.items()]
    return (
        f"CREATE TABLE IF NOT EXISTS {schema}.police_uk_{kind} (\n    "
        + ",\n    ".join(cols)
        + "\n)"
    )
