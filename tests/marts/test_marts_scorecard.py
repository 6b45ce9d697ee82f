"""marts.wcjb_scorecard: every record-level measure of marts.md against hand-computed figures
(tests/marts/marts_crafted.py), the partner measures, quarter coverage and comparisons."""

from __future__ import annotations

from decimal import Decimal

import pytest

Q3 = "2018-19 Q3"


def scorecard(q, measure: str, period: str = Q3) -> dict | None:
    rows = q(
        "SELECT * FROM marts.wcjb_scorecard WHERE measure_code = ? AND period_label = ?",
        [measure, period],
    )
    if not rows:
        return None
    cols = [
        r[0]
        for r in q(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'marts' AND table_name = 'wcjb_scorecard' "
            "ORDER BY ordinal_position"
        )
    ]
    assert len(rows) == 1
    return dict(zip(cols, rows[0], strict=True))


def test_build_passed_every_dbt_test(marts_build):
    assert marts_build.success, marts_build.render()
    assert marts_build.tests_failed == 0
    unit = [
        n for n in marts_build.nodes if n.resource_type == "unit_test" and "marts" in n.unique_id
    ]
    assert unit and all(n.status == "pass" for n in unit)


def test_worked_example_2018_19_q3(q):
    """The Board's report: 245 listed, 140 cracked or ineffective, 60 for prosecution: 24.5 %."""
    listed = scorecard(q, "trials_listed")
    assert listed["value"] == 245
    pros = scorecard(q, "pct_cracked_ineffective_prosecution")
    assert (pros["value"], pros["numerator"], pros["denominator"]) == (Decimal("24.5"), 60, 245)
    assert pros["unit"] == "percent" and pros["source"] == "court_trials"
    assert pros["priority"] == 3 and pros["polarity"] == "lower_is_better"

    ((listed_m, cracked, ineffective, vacated, cr_in_pros),) = q(
        "SELECT sum(trials_listed), sum(cracked), sum(ineffective), sum(vacated), "
        "sum(cracked_ineffective_prosecution) FROM marts.trial_effectiveness "
        "WHERE financial_year = '2018-19' AND financial_quarter = 'Q3'"
    )
    assert (listed_m, cracked + ineffective, cr_in_pros, vacated) == (245, 140, 60, 15)
    assert round(Decimal(cr_in_pros) * 100 / listed_m, 1) == Decimal("24.5")


def test_trial_rates_exclude_vacated(q):
    # effective 105, cracked 80, ineffective 60 of 245 listed; 15 vacated in no denominator
    expected = {
        "effective_trial_rate": (Decimal("42.9"), 105, 245),
        "cracked_trial_rate": (Decimal("32.7"), 80, 245),
        "ineffective_trial_rate": (Decimal("24.5"), 60, 245),
    }
    for measure, (value, num, den) in expected.items():
        row = scorecard(q, measure)
        assert (row["value"], row["numerator"], row["denominator"]) == (value, num, den), measure


def test_delivered_quarter_without_events_is_zero_and_rates_null(q):
    """Trials for April-June 2018 were delivered with no rows: 0 listed, rates null (zero
    denominator), not missing."""
    assert scorecard(q, "trials_listed", "2018-19 Q1")["value"] == 0
    for measure in ("effective_trial_rate", "pct_cracked_ineffective_prosecution"):
        row = scorecard(q, measure, "2018-19 Q1")
        assert row is not None and row["value"] is None and row["denominator"] == 0


def test_quarter_with_a_missing_month_has_no_row(q):
    # trials: July and August 2018 delivered, September not; crimes: January 2019 alone
    assert scorecard(q, "trials_listed", "2018-19 Q2") is None
    assert scorecard(q, "crime_volume", "2018-19 Q4") is None
    assert scorecard(q, "crime_volume", "2018-19 Q2") is None  # crimes recorded then, no files
    row = scorecard(q, "trials_listed")
    assert row["previous_quarter_value"] is None
    assert row["same_quarter_last_year_value"] is None
    assert row["rolling_12m_value"] is None and row["trend"] is None


def test_crime_measures(q):
    # C1, C2, C3, C5 recorded (C4 cancelled, C6 resent as transferred); C1's charge came in the
    # January resend and counts for Q3; unknown flags are not counted.
    expected = {
        "crime_volume": (4, None, None),
        "domestic_abuse_crime_volume": (1, None, None),
        "hate_crime_volume": (1, None, None),
        "cyber_crime_volume": (1, None, None),
        "cse_crime_volume": (1, None, None),
        "positive_outcome_ratio": (Decimal("50.0"), 2, 4),
        "charge_summons_rate": (Decimal("25.0"), 1, 4),
    }
    for measure, (value, num, den) in expected.items():
        row = scorecard(q, measure)
        assert (row["value"], row["numerator"], row["denominator"]) == (value, num, den), measure
        assert row["source"] == "police_crimes"


def test_partner_code_computed_by_the_warehouse_keeps_the_record_level_figure(q):
    assert scorecard(q, "crime_volume")["value"] == 4  # not the partner's 99999


def test_oocr_and_iom_measures(q):
    assert scorecard(q, "oocr_volume")["value"] == 5
    rate = scorecard(q, "oocr_intervention_completion_rate")
    # completed 1, not completed 1, in progress 1 (not a failure)
    assert (rate["value"], rate["numerator"], rate["denominator"]) == (Decimal("50.0"), 1, 2)
    # on the scheme at any time in Q3: N3 (open), N6 (adopted 31/12), N7 (deselected 1/10)
    assert scorecard(q, "iom_cohort_size")["value"] == 3


def test_public_police_uk_measures(q):
    """The real Wiltshire street files for October-December 2018."""
    assert scorecard(q, "public_crime_volume")["value"] == 10655
    assert scorecard(q, "asb_volume")["value"] == 3952
    assert scorecard(q, "public_crime_volume")["source"] == "police_uk"


def test_crime_summary_police_uk_matches_scorecard(q):
    ((asb_group,),) = q(
        "SELECT DISTINCT offence_group FROM core.fct_police_uk_crimes WHERE is_anti_social_behaviour"
    )
    ((asb, crimes, total, nulls),) = q(
        "SELECT sum(CASE WHEN offence_group IS NOT DISTINCT FROM ? THEN crimes END), "
        "sum(CASE WHEN offence_group IS DISTINCT FROM ? THEN crimes END), sum(crimes), "
        "count(positive_outcomes) + count(charge_summons) + count(domestic_abuse_crimes) "
        "+ count(hate_crimes) + count(outcome_pending) + count(offence_subgroup) "
        "FROM marts.crime_summary WHERE source = 'police_uk' "
        "AND month_start BETWEEN DATE '2018-10-01' AND DATE '2018-12-01'",
        [asb_group, asb_group],
    )
    assert (crimes, asb, total) == (10655, 3952, 14607)
    assert nulls == 0  # outcome and flag columns and the subgroup are null for police_uk


def test_partner_measures_as_delivered(q):
    compliance = scorecard(q, "crime_recording_compliance")
    assert compliance["value"] == Decimal("86.7")
    assert compliance["target"] == 95 and compliance["rag_status"] == "red"
    assert compliance["previous_quarter_value"] == Decimal("93.8")
    # Q2 came without numerator and denominator: the rate cannot be recomputed
    assert compliance["rolling_12m_value"] is None
    # 2018-19 Q2 93.8 and 2017-18 Q4 90.0 are within the 5-point amber tolerance
    assert scorecard(q, "crime_recording_compliance", "2018-19 Q2")["rag_status"] == "amber"
    assert scorecard(q, "crime_recording_compliance", "2017-18 Q4")["rag_status"] == "amber"
    assert scorecard(q, "crime_recording_compliance", "2018-19 Q1")["rag_status"] == "red"

    errors = scorecard(q, "full_file_error_rate")
    # (2 + 1 + 3 + 2) / (100 + 100 + 200 + 173) = 1.396 %
    assert errors["value"] == Decimal("1.2") and errors["rolling_12m_value"] == Decimal("1.4")
    assert errors["source"] == "CPS" and errors["rag_status"] is None

    complaints = scorecard(q, "complaints_volume")
    assert complaints["rolling_12m_value"] == 569
    assert complaints["same_quarter_last_year_value"] is None

    other = scorecard(q, "witness_care_contacts")
    assert other["measure_name"] == "witness_care_contacts"
    assert (other["priority"], other["polarity"], other["target"]) == (None, None, None)
    assert other["value"] == 12 and other["source"] == "Witness Care"

    # a twelve-month and a one-month figure stay in the landed data only
    assert q(
        "SELECT count(*) FROM marts.wcjb_scorecard WHERE measure_code IN "
        "('victim_satisfaction_whole_experience', 'conviction_rate')"
    ) == [(0,)]


@pytest.mark.parametrize(
    "measure",
    [
        "crime_volume",
        "public_crime_volume",
        "asb_volume",
        "domestic_abuse_crime_volume",
        "hate_crime_volume",
        "cyber_crime_volume",
        "cse_crime_volume",
        "positive_outcome_ratio",
        "charge_summons_rate",
        "trials_listed",
        "effective_trial_rate",
        "cracked_trial_rate",
        "ineffective_trial_rate",
        "pct_cracked_ineffective_prosecution",
        "oocr_volume",
        "oocr_intervention_completion_rate",
        "iom_cohort_size",
    ],
)
def test_every_record_level_measure_has_metadata(q, measure):
    row = scorecard(q, measure)
    assert row is not None
    assert row["measure_name"] != measure and row["priority"] in (1, 2, 3, 4)
    assert (row["period_start"].isoformat(), row["period_end"].isoformat()) == (
        "2018-10-01",
        "2018-12-31",
    )
