"""The other public marts against hand-computed figures (tests/marts/marts_crafted.py)."""

from __future__ import annotations

from decimal import Decimal


def test_crime_summary_police_crimes(q):
    rows = q(
        "SELECT month_start::VARCHAR, local_authority, offence_group, offence_subgroup, crimes, "
        "positive_outcomes, charge_summons, domestic_abuse_crimes, hate_crimes, outcome_pending "
        "FROM marts.crime_summary WHERE source = 'police_crimes' "
        "AND financial_year = '2018-19' AND financial_quarter = 'Q3' ORDER BY 1, 2 NULLS LAST"
    )
    vap = "Violence against the person"
    assert rows == [
        # C1: charged in the January resend, domestic abuse
        ("2018-10-01", "Wiltshire", vap, "Violence with injury", 1, 1, 1, 1, 0, 0),
        # C2: community resolution (positive, not a charge), hate crime
        ("2018-11-01", "Swindon", vap, "Violence without injury", 1, 1, 0, 0, 1, 0),
        # C3: outcome 14 (not positive), domestic abuse unknown (not counted)
        ("2018-11-01", "Wiltshire", "Theft offences", "Domestic burglary", 1, 0, 0, 0, 0, 0),
        # C5: no outcome yet, no local authority; C4 cancelled and C6 transferred are left out
        ("2018-12-01", None, vap, "Violence with injury", 1, 0, 0, 0, 0, 1),
    ]


def test_trial_outcome_reasons_attribution(q):
    rows = q(
        "SELECT jurisdiction, trial_outcome, reason_code, attributed_to, trials, pct_of_trials_listed "
        "FROM marts.trial_outcome_reasons WHERE financial_year = '2018-19' AND financial_quarter = 'Q3' "
        "ORDER BY 1, 2, 3"
    )
    # magistrates: 235 trials listed; crown: 10
    assert rows == [
        ("crown", "cracked", "A", "defence", 5, Decimal("50.0")),
        ("magistrates", "cracked", "A", "defence", 40, Decimal("17.0")),
        ("magistrates", "cracked", "B", "prosecution", 20, Decimal("8.5")),
        ("magistrates", "cracked", "I", "prosecution", 15, Decimal("6.4")),
        ("magistrates", "ineffective", "N1", "prosecution", 25, Decimal("10.6")),
        ("magistrates", "ineffective", "S1", "defence", 20, Decimal("8.5")),
        ("magistrates", "ineffective", "S3", "other", 5, Decimal("2.1")),
        ("magistrates", "ineffective", "W3", "court", 10, Decimal("4.3")),
    ]


def test_trial_effectiveness_by_court(q):
    rows = q(
        "SELECT jurisdiction, sum(trials_listed), sum(effective), sum(cracked_prosecution), "
        "sum(cracked_defence), sum(ineffective_prosecution), sum(ineffective_defence), "
        "sum(ineffective_court), sum(ineffective_other), sum(vacated) FROM marts.trial_effectiveness "
        "WHERE financial_year = '2018-19' GROUP BY 1 ORDER BY 1"
    )
    assert rows == [
        ("crown", 10, 5, 0, 5, 0, 0, 0, 0, 5),
        ("magistrates", 235, 100, 35, 40, 25, 20, 10, 5, 10),
    ]
    # every row's percentages come from its own counts; a court-month with only vacated
    # trials would read null
    bad = q(
        "SELECT count(*) FROM marts.trial_effectiveness WHERE pct_effective IS DISTINCT FROM "
        "CASE WHEN trials_listed = 0 THEN NULL ELSE round(effective * 100.0 / trials_listed, 1) END"
    )
    assert bad == [(0,)]


def test_oocr_summary(q):
    rows = q("SELECT * FROM marts.oocr_summary ORDER BY financial_year, sex, disposal_type")
    assert rows == [
        # A: D1 completed after its resend; A has two disposals in the year -> repeat
        ("2018-19", "F", "community_resolution", 1, 1, 1, 1, 1, 0, 0, Decimal("100.0")),
        ("2018-19", "F", "conditional_caution", 1, 1, 1, 1, 0, 1, 0, Decimal("0.0")),
        # B: D3 in progress (not a failure: rate null), D5 not referred
        ("2018-19", "M", "community_resolution", 2, 1, 1, 1, 0, 0, 1, None),
        # C: blank sex reads U, unknown referral is not counted
        ("2018-19", "U", "community_resolution", 1, 1, 0, 0, 0, 0, 0, None),
    ]


def test_fjsb_needs_prevalence(q):
    rows = dict(
        (need, rest)
        for need, *rest in q(
            "SELECT need, women_assessed, yes, no, unknown, prevalence_pct "
            "FROM marts.fjsb_needs_prevalence WHERE financial_year = '2018-19'"
        )
    )
    # W1 counts once, by her latest assessment A2; W2 by A3
    assert rows["mental_health"] == [2, 1, 1, 0, Decimal("50.0")]
    assert rows["domestic_abuse"] == [2, 1, 0, 1, Decimal("100.0")]
    assert rows["housing_concern"] == [2, 1, 1, 0, Decimal("50.0")]
    assert rows["previous_conviction"] == [2, 0, 0, 2, None]  # all unknown: no denominator
    assert len(rows) == 12


def test_fjsb_offence_profile(q):
    rows = q("SELECT * FROM marts.fjsb_offence_profile ORDER BY 1, 2")
    assert rows == [
        ("2018-19", "drugs", 1, Decimal("50.0")),
        ("2018-19", "not_recorded", 1, Decimal("50.0")),
        ("2019-20", "acquisitive", 1, Decimal("100.0")),
    ]


def test_iom_outcomes(q):
    rows = q("SELECT * FROM marts.iom_outcomes ORDER BY cohort, area")
    assert rows == [
        # N1, N2, N4, N5. Pre: O2 (day before adoption; domestic burglary 5,930) for N1 and O8
        # (violence with injury 14,050) for N5; O1 on the adoption day and O3 on the
        # deselection day are during; O4 the day after deselection is post (theft from a
        # vehicle 870); O5 a day before the pre window and O6 (cancelled) do not count. N2's
        # post window has not ended by the latest recorded date (5/1/2019): O7 not counted.
        (
            "fixed",
            "County",
            4,
            3,
            2,
            2,
            1,
            Decimal("50.0"),
            Decimal("33.3"),
            Decimal("50.0"),
            Decimal("19980.00"),
            Decimal("870.00"),
        ),
        # N3 (P1 again, second adoption): O3 (recorded date, no offence date) and O4 are pre
        (
            "flex",
            "Swindon",
            1,
            0,
            2,
            0,
            0,
            Decimal("100.0"),
            None,
            None,
            Decimal("870.00"),
            Decimal("0.00"),
        ),
        (
            "free",
            "County",
            2,
            0,
            0,
            0,
            0,
            Decimal("0.0"),
            None,
            None,
            Decimal("0.00"),
            Decimal("0.00"),
        ),
    ]
