"""How the report presents scorecard measures: priorities, order, units and wording.

The measure metadata itself (name, priority, unit, polarity, target) comes from the warehouse.
The fall-back definitions below quote ``../shared/contracts/marts.md`` ("Measures") and are used
only when the warehouse carries no definition of its own for a measure.
"""

from __future__ import annotations

PRIORITIES = {
    1: "Prevent crime and keep people safe",
    2: "Protect the most vulnerable in society",
    3: "Put victims, witnesses and communities at the heart of everything we do",
    4: "Secure a quality police service that is trusted and efficient",
}

# The order of the Board's dashboard; measures not listed follow by name.
ORDER = [
    "crime_volume",
    "public_crime_volume",
    "asb_volume",
    "cyber_crime_volume",
    "hate_crime_volume",
    "positive_outcome_ratio",
    "charge_summons_rate",
    "cse_crime_volume",
    "domestic_abuse_crime_volume",
    "iom_cohort_size",
    "oocr_volume",
    "oocr_intervention_completion_rate",
    "trials_listed",
    "effective_trial_rate",
    "cracked_trial_rate",
    "ineffective_trial_rate",
    "pct_cracked_ineffective_prosecution",
]

PERCENT_UNITS = {"percent", "percentage", "pct", "%", "per cent", "percent_points"}
COUNT_UNITS = {
    "count",
    "number",
    "crimes",
    "incidents",
    "trials",
    "people",
    "persons",
    "nominals",
    "disposals",
    "offences",
    "cases",
    "arrests",
    "calls",
    "complaints",
    "hours",
}


def unit_kind(unit: str | None, code: str) -> str:
    """``percent``, ``count`` or ``other`` (shown with its unit)."""
    u = (unit or "").strip().lower()
    if u in PERCENT_UNITS or u.endswith("%") or u.startswith("percent"):
        return "percent"
    if u in COUNT_UNITS or u.startswith(("count", "number")):
        return "count"
    if not u:
        if code.endswith(("_rate", "_ratio", "_pct")) or code.startswith("pct_"):
            return "percent"
        if code.endswith(("_volume", "_size", "_listed", "_count")):
            return "count"
    return "other"


FALLBACK_DEFINITIONS = {
    "crime_volume": "Crimes with status recorded, in their latest version, by recorded date "
    "(the Board's police_crimes extract).",
    "public_crime_volume": "Rows of the public police.uk street-level files whose crime type is "
    "not Anti-social behaviour; never mixed with the Board's extract.",
    "asb_volume": "Rows of the public police.uk street-level files whose crime type is "
    "Anti-social behaviour.",
    "domestic_abuse_crime_volume": "Recorded crimes flagged as domestic abuse.",
    "hate_crime_volume": "Recorded crimes flagged as hate crime.",
    "cyber_crime_volume": "Recorded crimes flagged as cyber crime.",
    "cse_crime_volume": "Recorded crimes flagged as child sexual exploitation.",
    "positive_outcome_ratio": "Crimes recorded in the period whose current outcome is in the "
    "positive set (by default Home Office outcome types 1, 1A, 2, 3, 3A, 4, 6, 7, 8), as a "
    "percentage of crimes recorded in the period.",
    "charge_summons_rate": "Crimes recorded in the period whose current outcome is a charge or "
    "summons (outcome types 1 and 1A), as a percentage of crimes recorded in the period.",
    "trials_listed": "Trials listed = effective + cracked + ineffective, by listing date "
    "(vacated trials are counted separately and excluded from every percentage).",
    "effective_trial_rate": "Effective trials as a percentage of trials listed.",
    "cracked_trial_rate": "Cracked trials as a percentage of trials listed.",
    "ineffective_trial_rate": "Ineffective trials as a percentage of trials listed.",
    "pct_cracked_ineffective_prosecution": "Cracked trials with a prosecution-attributed reason "
    "plus ineffective trials with a prosecution-attributed reason, as a percentage of trials "
    "listed (the 2018-19 Q3 report: 60 of 245 trials listed, 24.5 %).",
    "oocr_volume": "Out-of-court resolutions (disposals) by disposal date.",
    "oocr_intervention_completion_rate": "Completed interventions as a percentage of completed "
    "and not completed ones; interventions still in progress are reported, not counted as "
    "failures.",
    "iom_cohort_size": "Distinct IOM nominals (a person and an adoption date) on the scheme at "
    "any time in the quarter.",
}

RAG_LABELS = {
    "green": ("Green", "✓", "meets the target"),
    "amber": ("Amber", "!", "misses the target, within the tolerance"),
    "red": ("Red", "✕", "misses the target by more than the tolerance"),
}

TREND_LABELS = {
    "improving": "Improving",
    "stable": "Stable",
    "worsening": "Worsening",
}
