"""Every rule of every source: one row breaking it is quarantined under exactly that rule."""

from __future__ import annotations

import json

import pytest
from landing_helpers import query, valid_row, write_file

from cjb.contract import AGENCY_SOURCES
from cjb.landing import LandingSession, land_inbox
from cjb.landing.discover import discover
from cjb.landing.spec import POLICE_UK_RULES

# How to break each rule, starting from a valid row: column -> new raw value.
# Standard rules (<column>_required, _date_format, _flag_value, _integer, _decimal, _allowed)
# are derived from the rule id; the named rules are listed here.
SPECIFIC: dict[str, dict[str, dict[str, str]]] = {
    "police_crimes": {
        "recorded_date_not_after_period_end": {"recorded_date": "01/12/2018"},
        "offence_date_not_after_recorded_date": {"offence_date": "16/11/2018 09:30"},
        "ho_offence_code_known": {"ho_offence_code": "999Z"},
        "lsoa_code_pattern": {"lsoa_code": "X01000000"},
        "outcome_type_known": {"outcome_type": "0"},
        "outcome_date_required_with_outcome": {"outcome_date": ""},
        "outcome_date_not_before_recorded_date": {"outcome_date": "14/11/2018"},
    },
    "court_trials": {
        "court_code_in_jurisdiction_list": {"court_code": "401"},  # a Crown Court id
        "listing_date_not_after_period_end": {"listing_date": "01/12/2018"},
        "reason_code_required": {"reason_code": ""},
        "reason_code_known_for_outcome": {"reason_code": "M1"},  # an ineffective code
        "reason_code_blank_otherwise": {"trial_outcome": "effective"},
        "reason_code_crown_only": {"trial_outcome": "ineffective", "reason_code": "X"},
        "offence_group_known": {"offence_group": "Kidnap"},
        "defendant_count_at_least_one": {"defendant_count": "0"},
    },
    "oocr": {
        "age_at_disposal_range": {"age_at_disposal": "9"},
        "ho_offence_code_known": {"ho_offence_code": "4.100"},
        "intervention_outcome_without_referral": {"intervention_referred": " no "},
    },
    "fjsb_needs": {
        "assessment_date_in_period": {"assessment_date": "15/01/2019"},
        "age_range": {"age": "15"},
    },
    "iom_cohort": {
        "deselection_date_not_before_adoption_date": {"deselection_date": "31/05/2018"},
    },
    "partner_measures": {
        "measure_code_snake_case": {"measure_code": "Victim Satisfaction"},
        "period_start_not_after_period_end": {"period_start": "01/01/2019"},
        "value_matches_ratio": {"value": "50.06"},
    },
}

STANDARD_SUFFIXES = {
    "_required": "",
    "_date_format": "31/02/2018",
    "_flag_value": "maybe",
    "_integer": "1.5",
    "_decimal": "12,5",
    "_allowed": "not-a-value",
}

CASES = [(s.name, r.id) for s in AGENCY_SOURCES.values() for r in s.rules]


def breaking_change(source: str, rule_id: str) -> dict[str, str] | None:
    if rule_id in SPECIFIC[source]:
        return SPECIFIC[source][rule_id]
    rule = AGENCY_SOURCES[source].rule(rule_id)
    for suffix, value in STANDARD_SUFFIXES.items():
        if rule.column and rule_id == rule.column + suffix:
            return {rule.column: value}
    return None


def case_rows(source: str, rule_id: str) -> tuple[list[dict[str, str]], list[int]]:
    """A small valid file plus the row(s) breaking the rule, and their row numbers."""
    rows = [valid_row(source, i) for i in range(1, 5)]
    if rule_id == "duplicate_key":
        rows.append(dict(rows[1]))  # rows 2 and 5 share a key: both are quarantined
        return rows, [2, 5]
    change = breaking_change(source, rule_id)
    assert change is not None, f"no test row breaks {source}.{rule_id}: add one to SPECIFIC"
    rows.insert(2, {**valid_row(source, 99), **change})
    return rows, [3]


@pytest.fixture(scope="module")
def rule_landings(tmp_path_factory):
    """Each case's own file, landed one after another by one landing session.

    The files share a name but not their bytes, so each is a new delivery; sharing the session
    (GE suites, store) keeps ~110 landings fast. Results are looked up by SHA-256.
    """
    root = tmp_path_factory.mktemp("rules")
    warehouse = root / "wh" / "cjb.duckdb"
    cases = {}
    with LandingSession(warehouse) as session:
        for n, (source, rule_id) in enumerate(CASES):
            rows, bad = case_rows(source, rule_id)
            write_file(root / f"inbox{n}", source, rows)
            [f] = discover(root / f"inbox{n}")
            cases[source, rule_id] = (session.land(f), rows, bad)
    return warehouse, cases


@pytest.mark.parametrize(("source", "rule_id"), CASES, ids=[f"{s}-{r}" for s, r in CASES])
def test_row_breaking_a_rule_is_quarantined_under_it(rule_landings, source, rule_id):
    warehouse, cases = rule_landings
    result, rows, bad_rows = cases[source, rule_id]

    assert result.status == "landed", result.error
    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (
        len(rows),
        len(rows) - len(bad_rows),
        len(bad_rows),
    )
    quarantined = query(
        warehouse,
        "SELECT row_number, rule, raw_record FROM audit.quarantine WHERE sha256 = ? ORDER BY 1",
        [result.sha256],
    )
    assert [(r[0], r[1]) for r in quarantined] == [(n, rule_id) for n in bad_rows]
    # the raw values as read, by header name
    record = json.loads(quarantined[0][2])
    bad = rows[bad_rows[0] - 1]
    for column, value in bad.items():
        if column.endswith("person_id"):
            assert record[column] != value  # pseudonymised, never in clear
        else:
            assert record[column] == (value or None)
    # the rest of the file lands
    landed = query(
        warehouse,
        f"SELECT _row_number FROM raw.{source} WHERE _file_sha256 = ? ORDER BY 1",
        [result.sha256],
    )
    assert [r[0] for r in landed] == [n for n in range(1, len(rows) + 1) if n not in bad_rows]


def test_every_rule_has_a_case():
    assert {r for _, r in CASES} >= {"duplicate_key"}
    assert len(CASES) == sum(len(s.rules) for s in AGENCY_SOURCES.values())


@pytest.mark.parametrize("rule", POLICE_UK_RULES, ids=lambda r: r.id)
def test_police_uk_row_breaking_a_rule_is_quarantined(inbox, warehouse, rule):
    from cjb.paths import SAMPLE_POLICE_UK_DIR

    lines = (SAMPLE_POLICE_UK_DIR / "2018-11-wiltshire-street.csv").read_text().splitlines()[:6]
    fields = lines[3].split(",")
    index = {"month_format": 1, "longitude_number": 4, "latitude_number": 5}[rule.id]
    fields[index] = {"month_format": "Nov-2018"}.get(rule.id, "north")
    lines[3] = ",".join(fields)
    folder = inbox / "police_uk"
    folder.mkdir()
    (folder / "2018-11-avon-and-somerset-street.csv").write_text("\n".join(lines) + "\n")

    [result] = land_inbox(inbox, warehouse).files

    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (5, 4, 1)
    assert query(warehouse, "SELECT row_number, rule FROM audit.quarantine") == [(3, rule.id)]
    assert query(warehouse, "SELECT DISTINCT _force FROM raw.police_uk_street") == [
        ("avon-and-somerset",)
    ]
