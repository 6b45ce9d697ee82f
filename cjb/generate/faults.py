"""Labelled fault rows: each breaks exactly one rule of ``cjb.contract``.

A fault starts as a good row with a fresh key (a *template* drawn by the source's generator, never
a resend of a good record) and has some fields replaced. Fields a rule depends on are set to
known-good values too, so the row breaks only the rule it is labelled with: e.g. an outcome date
before the recorded date uses a recorded date inside the month and no offence date. ``duplicate_key``
uses two templates, the second taking the first's key; both are listed in the manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cjb.contract import AGENCY_SOURCES, Period, Source
from cjb.generate.dates import day, to_date
from cjb.generate.formatting import Formatter, Mutation
from cjb.generate.partner import template_week
from cjb.generate.reference import known_offence_codes, normalise_offence_code

UNKNOWN_OFFENCE_CODE = "999Z"
MANIFEST_COLUMNS = ("source", "file_name", "row_number", "rule")


@dataclass(frozen=True)
class FaultContext:
    period: Period
    fmt: Formatter
    index: int  # the template's number within its file (0-based)

    @property
    def first(self) -> int:
        return day(self.period.start)

    @property
    def last(self) -> int:
        return day(self.period.end)

    @property
    def mid(self) -> int:
        return self.first + min(9, self.last - self.first)

    def d(self, n: int) -> str:
        return self.fmt.date(n)

    @staticmethod
    def iso(n: int) -> str:
        return to_date(n).isoformat()  # not a UK date: breaks a date_format rule


Mutator = Callable[[FaultContext], dict[str, str]]

# Values outside each column's allowed list.
NOT_ALLOWED = {
    "local_authority": "Devizes",
    "status": "closed",
    "jurisdiction": "youth",
    "trial_outcome": "adjourned",
    "sex": "Female",
    "disposal_type": "caution",
    "intervention_outcome": "done",
    "referral_route": "gp",
    "index_offence_category": "burglary",
    "cohort": "core",
    "area": "Salisbury",
    "basis": "court_order",
    "ogrs_band": "extreme",
    "unit": "percentage",
}


def _generic(source: Source, rule_id: str) -> Mutator | None:
    for suffix, value in (
        ("_required", None),
        ("_date_format", "iso"),
        ("_flag_value", "maybe"),
        ("_integer", "thirty"),
        ("_decimal", "n/a"),
        ("_allowed", "allowed"),
    ):
        if rule_id.endswith(suffix):
            col = rule_id[: -len(suffix)]
            if col not in source.column_names:
                return None
            if value is None:
                return lambda c, col=col: {col: ""}
            if value == "iso":
                return lambda c, col=col: {col: c.iso(c.mid)}
            if value == "allowed":
                return lambda c, col=col: {col: NOT_ALLOWED[col]}
            return lambda c, col=col, value=value: {col: value}
    return None


_NO_OUTCOME = {"outcome_type": "", "outcome_date": ""}

SPECIFIC: dict[str, dict[str, Mutator]] = {
    "police_crimes": {
        "recorded_date_required": lambda c: {"recorded_date": "", "offence_date": "", **_NO_OUTCOME},
        "recorded_date_date_format": lambda c: {
            "recorded_date": c.iso(c.mid), "offence_date": "", **_NO_OUTCOME,
        },
        "offence_date_date_format": lambda c: {
            "recorded_date": c.d(c.mid), "offence_date": c.iso(c.mid - 1), **_NO_OUTCOME,
        },
        "outcome_date_date_format": lambda c: {
            "recorded_date": c.d(c.mid), "offence_date": "", "outcome_type": "18",
            "outcome_date": c.iso(c.mid + 2),
        },
        "recorded_date_not_after_period_end": lambda c: {
            "recorded_date": c.d(c.last + 3), "offence_date": c.d(c.last), **_NO_OUTCOME,
        },
        "offence_date_not_after_recorded_date": lambda c: {
            "recorded_date": c.d(c.mid), "offence_date": c.d(c.mid + 2), **_NO_OUTCOME,
        },
        "ho_offence_code_known": lambda c: {"ho_offence_code": UNKNOWN_OFFENCE_CODE},
        "lsoa_code_pattern": lambda c: {"lsoa_code": "E1234"},
        "outcome_type_known": lambda c: {
            "recorded_date": c.d(c.mid), "offence_date": "", "outcome_type": "0",
            "outcome_date": c.d(c.mid + 1),
        },
        "outcome_date_required_with_outcome": lambda c: {
            "recorded_date": c.d(c.mid), "offence_date": "", "outcome_type": "15",
            "outcome_date": "",
        },
        "outcome_date_not_before_recorded_date": lambda c: {
            "recorded_date": c.d(c.mid), "offence_date": "", "outcome_type": "18",
            "outcome_date": c.d(c.mid - 3),
        },
    },
    "court_trials": {
        "jurisdiction_required": lambda c: {
            "jurisdiction": "", "trial_outcome": "effective", "reason_code": "",
        },
        "jurisdiction_allowed": lambda c: {
            "jurisdiction": "youth", "trial_outcome": "effective", "reason_code": "",
        },
        "trial_outcome_required": lambda c: {"trial_outcome": "", "reason_code": ""},
        "trial_outcome_allowed": lambda c: {"trial_outcome": "adjourned", "reason_code": ""},
        "court_code_in_jurisdiction_list": lambda c: {
            "court_code": "345", "jurisdiction": "magistrates", "trial_outcome": "effective",
            "reason_code": "",
        },
        "listing_date_not_after_period_end": lambda c: {"listing_date": c.d(c.last + 2)},
        "reason_code_required": lambda c: {"trial_outcome": "cracked", "reason_code": ""},
        "reason_code_known_for_outcome": lambda c: {"trial_outcome": "cracked", "reason_code": "N1"},
        "reason_code_blank_otherwise": lambda c: {"trial_outcome": "effective", "reason_code": "A"},
        "reason_code_crown_only": lambda c: {
            "court_code": "187", "jurisdiction": "magistrates", "trial_outcome": "ineffective",
            "reason_code": "X",
        },
        "offence_group_known": lambda c: {"offence_group": "Motoring offences"},
        "defendant_count_at_least_one": lambda c: {"defendant_count": "0"},
    },
    "oocr": {
        "intervention_outcome_allowed": lambda c: {
            "intervention_referred": c.fmt.flag(1), "intervention_outcome": "done",
        },
        "age_at_disposal_range": lambda c: {"age_at_disposal": "9"},
        "ho_offence_code_known": lambda c: {"ho_offence_code": UNKNOWN_OFFENCE_CODE},
        "intervention_outcome_without_referral": lambda c: {
            "intervention_referred": c.fmt.flag(0), "intervention_provider": "",
            "intervention_outcome": "completed",
        },
    },
    "fjsb_needs": {
        "assessment_date_in_period": lambda c: {"assessment_date": c.d(c.first - 10)},
        "age_range": lambda c: {"age": "15"},
    },
    "iom_cohort": {
        "adoption_date_required": lambda c: {"adoption_date": "", "deselection_date": ""},
        "adoption_date_date_format": lambda c: {
            "adoption_date": c.iso(c.first - 40), "deselection_date": "",
        },
        "deselection_date_date_format": lambda c: {
            "adoption_date": c.d(c.first - 40), "deselection_date": c.iso(c.first + 5),
        },
        "deselection_date_not_before_adoption_date": lambda c: {
            "adoption_date": c.d(c.first - 10), "deselection_date": c.d(c.first - 20),
        },
    },
    "partner_measures": {
        "period_start_date_format": lambda c: {
            "period_start": c.iso(template_week(c.first, c.index)[0]),
        },
        "period_end_date_format": lambda c: {
            "period_end": c.iso(template_week(c.first, c.index)[1]),
        },
        "value_required": lambda c: {
            "value": "", "unit": "count", "numerator": "", "denominator": "",
        },
        "value_decimal": lambda c: {
            "value": "n/a", "unit": "count", "numerator": "", "denominator": "",
        },
        "numerator_decimal": lambda c: {"numerator": "abc", "unit": "count"},
        "denominator_decimal": lambda c: {"denominator": "12 calls", "unit": "count"},
        "unit_allowed": lambda c: {"unit": "percentage", "numerator": "", "denominator": ""},
        "unit_required": lambda c: {"unit": "", "numerator": "", "denominator": ""},
        "measure_code_snake_case": lambda c: {"measure_code": "VictimSatisfaction"},
        "period_start_not_after_period_end": lambda c: {
            "period_start": c.d(template_week(c.first, c.index)[1] + 2),
            "period_end": c.d(template_week(c.first, c.index)[1]),
        },
        "value_matches_ratio": lambda c: {
            "value": "50", "numerator": "10", "denominator": "40", "unit": "percent",
        },
    },
}  # fmt: skip


def mutator(source: Source, rule_id: str) -> Mutator:
    """How to break ``rule_id`` (and nothing else) in a row of ``source``."""
    specific = SPECIFIC.get(source.name, {})
    if rule_id in specific:
        return specific[rule_id]
    generic = _generic(source, rule_id)
    if generic is None:
        raise KeyError(f"no fault for rule {rule_id!r} of {source.name}")
    return generic


def check_coverage() -> None:
    """Every rule of every source can be broken (duplicate_key is handled by the writer)."""
    assert normalise_offence_code(UNKNOWN_OFFENCE_CODE) not in known_offence_codes()
    for source in AGENCY_SOURCES.values():
        for rule_id in source.rule_ids:
            if rule_id != "duplicate_key":
                mutator(source, rule_id)


def templates_needed(rules: list[str]) -> int:
    return sum(2 if r == "duplicate_key" else 1 for r in rules)


def plan(
    files: list[tuple[str, str]], rng: np.random.Generator
) -> dict[tuple[str, str], list[str]]:
    """Which rules each file's fault rows break: every rule of a source once, in one of its
    files, plus a few repeats in longer runs (never the same rule twice in one file)."""
    out: dict[tuple[str, str], list[str]] = {f: [] for f in files}
    for name, source in AGENCY_SOURCES.items():
        own = [f for f in files if f[0] == name]
        if not own:
            continue
        for rule_id in source.rule_ids:
            out[own[int(rng.integers(len(own)))]].append(rule_id)
        for f in own:
            if rng.random() < 0.3:
                rule_id = source.rule_ids[int(rng.integers(len(source.rule_ids)))]
                if rule_id not in out[f]:
                    out[f].append(rule_id)
    return out


def mutations(
    source: Source,
    period: Period,
    fmt: Formatter,
    rules: list[str],
    positions: np.ndarray,
) -> tuple[dict[int, Mutation], list[tuple[int, str]]]:
    """Mutations keyed by row index for the file's templates (at ``positions``, in template
    order) and the manifest entries (row number from 1, rule)."""
    muts: dict[int, Mutation] = {}
    listed: list[tuple[int, str]] = []
    j = 0
    for rule_id in rules:
        if rule_id == "duplicate_key":
            a, b = int(positions[j]), int(positions[j + 1])
            muts[b] = Mutation(copy_key_from=a)
            listed += [(a + 1, rule_id), (b + 1, rule_id)]
            j += 2
            continue
        pos = int(positions[j])
        ctx = FaultContext(period, fmt, j)
        muts[pos] = Mutation(values=mutator(source, rule_id)(ctx))
        listed.append((pos + 1, rule_id))
        j += 1
    return muts, listed
