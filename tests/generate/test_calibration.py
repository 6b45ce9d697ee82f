"""Volumes and proportions at scale 1 against Wiltshire's published figures."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from cjb.contract import NEED_FLAGS, quarter_period
from cjb.paths import REFERENCE_DIR

YES = ("y", "yes", "true", "1")
NO = ("n", "no", "false", "0")
POSITIVE = {"1", "1A", "2", "3", "3A", "4", "6", "7", "8"}


def _date(value: str) -> date:
    d, m, y = value.split(" ")[0].split("/")
    return date(int(y), int(m), int(d))


def _pct(part: float, whole: float) -> float:
    return 100 * part / whole


def _reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def crimes(year_inbox):
    """Latest version of every crime, and the month it was first sent."""
    first: dict[str, str] = {}
    for r in year_inbox.records("police_crimes"):
        first.setdefault(r["crime_ref"], r.period.label)
    return year_inbox.latest("police_crimes", ("crime_ref",)), first


def test_about_3500_crimes_recorded_a_month(crimes):
    _, first = crimes
    per_month = Counter(first.values())
    assert len(per_month) == 12
    assert all(3_000 <= n <= 4_200 for n in per_month.values()), per_month
    assert 40_000 <= sum(per_month.values()) <= 46_000  # 42,483 in calendar 2018


def test_offence_mix_and_flags_match_the_force(crimes):
    latest, _ = crimes
    group = {
        r["offence_code"].lstrip("0").upper(): r["offence_group"]
        for r in _reference("ho_offence_codes.csv")
    }
    rec = [r for r in latest.values() if r["status"] == "recorded"]
    mix = Counter(group[r["ho_offence_code"].lstrip("0").upper()] for r in rec)
    share = {g: _pct(n, len(rec)) for g, n in mix.items()}
    assert 33 <= share["Violence against the person"] <= 42
    assert 24 <= share["Theft offences"] <= 38
    assert 9 <= share["Criminal damage and arson"] <= 15
    assert 4 <= share["Public order offences"] <= 9
    assert 3 <= share["Sexual offences"] <= 5.5
    assert 1 <= share["Drug offences"] <= 4
    assert max(share, key=share.get) == "Violence against the person"
    bands = {
        "is_domestic_abuse": (13, 17.5),  # 1,660 of 10,792 in 2018-19 Q3
        "is_hate_crime": (0.9, 2.0),  # 147
        "is_cyber": (5.5, 9),  # 781
        "is_cse": (0.15, 0.6),  # 37
        "is_knife": (0.5, 1.8),
    }
    for flag, (lo, hi) in bands.items():
        assert lo <= _pct(sum(r[flag].lower() in YES for r in rec), len(rec)) <= hi, flag
        assert any(r[flag].lower() in ("", "unknown") for r in rec), flag
    status = Counter(r["status"] for r in latest.values())
    assert 0.005 < status["cancelled"] / len(latest) < 0.04
    assert 0.002 < status["transferred"] / len(latest) < 0.03


def test_outcomes_positive_ratio_and_validity(crimes):
    latest, first = crimes
    codes = {r["outcome_type"] for r in _reference("hoc_outcome_types.csv")} - {"0"}
    assert {r["outcome_type"] for r in latest.values()} <= codes | {""}
    # Crimes recorded in the first half year have had time for their outcome.
    early = [
        r for ref, r in latest.items() if first[ref[0]] < "2018-10" and r["status"] == "recorded"
    ]
    oc = Counter(r["outcome_type"] for r in early)
    assert 12 <= _pct(sum(oc[c] for c in POSITIVE), len(early)) <= 18  # 14.9 % published
    assert 6 <= _pct(oc["1"] + oc["1A"], len(early)) <= 10
    assert _pct(sum(oc[c] for c in ("14", "15", "16", "18")), len(early)) >= 65
    # Later crimes are often still pending at the end of the run.
    late = [r for ref, r in latest.items() if first[ref[0]] == "2019-03"]
    assert _pct(sum(r["outcome_type"] == "" for r in late), len(late)) > 30


def test_trial_listings_and_outcome_shares(year_inbox):
    per_month = Counter(r.period.label for r in year_inbox.records("court_trials"))
    assert all(70 <= n <= 125 for n in per_month.values()), per_month
    latest = year_inbox.latest("court_trials", ("listing_id",))
    outcome = Counter(r["trial_outcome"] for r in latest.values())
    listed = outcome["effective"] + outcome["cracked"] + outcome["ineffective"]
    assert 800 <= listed <= 1_200  # 245 a quarter
    assert 36 <= _pct(outcome["effective"], listed) <= 49
    assert 31 <= _pct(outcome["cracked"], listed) <= 42
    assert 16 <= _pct(outcome["ineffective"], listed) <= 25
    assert 6 <= _pct(outcome["vacated"], len(latest)) <= 14
    attributed = {r["code"]: r["attributed_to"] for r in _reference("trial_reasons.csv")}
    prosecution = sum(
        attributed.get(r["reason_code"]) == "prosecution"
        for r in latest.values()
        if r["trial_outcome"] in ("cracked", "ineffective")
    )
    assert 18 <= _pct(prosecution, listed) <= 29  # 24.5 % in 2018-19 Q3
    courts = Counter((r["court_code"], r["jurisdiction"]) for r in latest.values())
    assert set(courts) == {
        ("187", "magistrates"),
        ("162", "magistrates"),
        ("51", "magistrates"),
        ("345", "crown"),
        ("480", "crown"),
    }
    crown_only = {r["reason_code"] for r in latest.values() if r["jurisdiction"] == "magistrates"}
    assert not crown_only & {"X", "Y", "Z"}


def test_oocr_volume_and_share_of_women(year_inbox):
    latest = year_inbox.latest("oocr", ("disposal_id",))
    assert 60 * 12 <= len(latest) <= 80 * 12  # 812 in 2022-23
    sex = Counter(r["sex"] for r in latest.values())
    assert 17 <= _pct(sex["F"], len(latest)) <= 27
    assert sex["U"] + sex[""] > 0
    referred = sum(r["intervention_referred"].lower() in YES for r in latest.values())
    assert 32 <= _pct(referred, len(latest)) <= 46
    types = Counter(r["disposal_type"] for r in latest.values())
    assert types.most_common(1)[0][0] == "community_resolution"
    assert "outcome_22" not in types  # only from April 2019
    outcome = Counter(r["intervention_outcome"] for r in latest.values())
    assert 55 <= _pct(outcome["completed"], outcome["completed"] + outcome["not_completed"]) <= 75
    assert outcome["in_progress"] > 0


# 000 FJSB gap analysis, women assessed April 2023 to March 2024 (../shared/published).
PUBLISHED_NEEDS = {
    "previous_conviction": 38,
    "problematic_drug_use": 37,
    "disability": 38,
    "problematic_alcohol_use": 44,
    "mental_health": 63,
    "domestic_abuse": 65,
    "self_harm_suicidal_ideation": 10,
    "sexual_trauma": 31,
    "neurodivergent": 10,
    "sex_work": 18,
    "housing_concern": 32,
    "financial_concern": 37,
}


def test_fjsb_need_prevalence_matches_the_published_figures(year_inbox):
    rows = year_inbox.records("fjsb_needs")
    per_quarter = Counter(r.period.label for r in rows)
    assert all(45 <= n <= 75 for n in per_quarter.values()), per_quarter
    for need in NEED_FLAGS:
        yes = sum(r[need].lower() in YES for r in rows)
        no = sum(r[need].lower() in NO for r in rows)
        assert abs(_pct(yes, yes + no) - PUBLISHED_NEEDS[need]) <= 2, need
        assert yes + no < len(rows), f"{need} has no unknown answers"


def test_about_80_iom_nominals_mostly_statutory(year_inbox):
    per_month = Counter(r.period.label for r in year_inbox.records("iom_cohort"))
    assert all(65 <= n <= 95 for n in per_month.values()), per_month
    latest = year_inbox.latest("iom_cohort", ("person_id", "adoption_date"))
    basis = Counter(r["basis"] for r in latest.values())
    assert 75 <= _pct(basis["statutory"], len(latest)) <= 93
    assert {r["cohort"] for r in latest.values()} == {"fixed", "flex", "free"}
    assert {r["area"] for r in latest.values()} == {"Swindon", "County"}


def test_partner_measures_for_every_quarter(year_inbox):
    rows = year_inbox.records("partner_measures")
    codes = {r["measure_code"] for r in rows}
    assert {
        "victim_satisfaction_whole_experience",
        "conviction_rate",
        "restorative_justice_level_1",
        "crime_recording_compliance",
        "full_file_error_rate",
        "complaints_volume",
        "complaints_recorded_within_10_days",
        "immediate_response_time",
        "priority_response_time",
        "call_999_answer_time",
        "crib_abandonment_rate",
    } <= codes
    quarters = {
        (_date(r["period_start"]), _date(r["period_end"]))
        for r in rows
        if r["measure_code"] == "conviction_rate"
    }
    # Q1-Q3 arrive the month after the quarter; Q4 (ending with the run) in the last file.
    for q in (1, 2, 3, 4):
        period = quarter_period(2018, q)
        assert (period.start, period.end) in quarters
    for r in rows:
        if r["unit"] == "percent" and r["numerator"]:
            ratio = float(r["numerator"]) / float(r["denominator"]) * 100
            assert abs(float(r["value"]) - ratio) <= 0.05
    compliance = [
        float(r["value"]) for r in rows if r["measure_code"] == "crime_recording_compliance"
    ]
    assert 80 <= sum(compliance) / len(compliance) <= 93  # 86.7 in 2018-19 Q3
