"""A hand-made warehouse: the public marts of ``../shared/contracts/marts.md`` with known
figures, including small counts to exercise disclosure control.

Scorecard quarters run from 2016-17 Q1 to 2018-19 Q4; the monthly marts stop at January 2019,
so 2018-19 Q4 is incomplete and the default quarter is 2018-19 Q3. Figures of 2018-19 Q3 that
tests rely on are in ``KNOWN``.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from cjb.report.quarter import Quarter

FIRST = Quarter(2016, 1)
LAST = Quarter(2018, 4)
DATA_UNTIL_MONTH = date(2019, 1, 1)
Q3 = Quarter(2018, 3)

# (code, name, priority, unit, polarity, target, tolerance, source, partner)
MEASURES = [
    (
        "crime_volume",
        "Crime volume",
        1,
        "count",
        "lower_is_better",
        None,
        None,
        "police_crimes",
        False,
    ),
    ("asb_volume", "ASB volume", 1, "count", "lower_is_better", None, None, "police_uk", False),
    (
        "hate_crime_volume",
        "Hate crime volume",
        1,
        "count",
        "lower_is_better",
        None,
        None,
        "police_crimes",
        False,
    ),
    (
        "positive_outcome_ratio",
        "Positive outcome ratio",
        1,
        "percent",
        "higher_is_better",
        15.0,
        1.0,
        "police_crimes",
        False,
    ),
    (
        "cse_crime_volume",
        "Volume of CSE crimes",
        2,
        "count",
        "lower_is_better",
        None,
        None,
        "police_crimes",
        False,
    ),
    (
        "domestic_abuse_crime_volume",
        "Volume of DA crime",
        2,
        "count",
        "lower_is_better",
        None,
        None,
        "police_crimes",
        False,
    ),
    (
        "iom_cohort_size",
        "IOM cohort size",
        2,
        "count",
        "higher_is_better",
        None,
        None,
        "iom_cohort",
        False,
    ),
    (
        "oocr_intervention_completion_rate",
        "OOCR intervention completion rate",
        2,
        "percent",
        "higher_is_better",
        80.0,
        5.0,
        "oocr",
        False,
    ),
    (
        "trials_listed",
        "Trials listed",
        3,
        "count",
        "lower_is_better",
        None,
        None,
        "court_trials",
        False,
    ),
    (
        "effective_trial_rate",
        "Effective trial rate",
        3,
        "percent",
        "higher_is_better",
        50.0,
        5.0,
        "court_trials",
        False,
    ),
    (
        "pct_cracked_ineffective_prosecution",
        "% of cracked or ineffective trials due to prosecution",
        3,
        "percent",
        "lower_is_better",
        20.0,
        3.0,
        "court_trials",
        False,
    ),
    (
        "victim_satisfaction",
        "Satisfaction of victims with the whole experience",
        3,
        "percent",
        "higher_is_better",
        80.0,
        5.0,
        "Wiltshire Police",
        True,
    ),
    (
        "priority_response_time",
        "Priority response time",
        4,
        "seconds",
        "lower_is_better",
        3600.0,
        300.0,
        "Wiltshire Police",
        True,
    ),
    (
        "deaths_following_contact",
        "Deaths following police contact",
        4,
        "count",
        "lower_is_better",
        0.0,
        0.0,
        "IOPC",
        True,
    ),
]

# 2018-19 Q3 figures: (value, numerator, denominator)
KNOWN = {
    "crime_volume": (10792, None, None),
    "cse_crime_volume": (3, None, None),  # small: shown as <5
    "iom_cohort_size": (5, None, None),  # at the threshold: shown
    "deaths_following_contact": (0, None, None),  # zero: shown
    "oocr_intervention_completion_rate": (75.0, 3, 4),  # built on small counts: withheld
    "pct_cracked_ineffective_prosecution": (24.5, 60, 245),
    "trials_listed": (245, None, None),
    "positive_outcome_ratio": (14.9, 1608, 10792),
}


def _pct(n, d):
    if not d:
        return None
    return float((Decimal(n) * 100 / Decimal(d)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _quarters() -> list[Quarter]:
    out, q = [], FIRST
    while q <= LAST:
        out.append(q)
        q = q.next()
    return out


def _base(code: str, rnd: random.Random, q: Quarter):
    """(value, numerator, denominator) of a measure in a quarter."""
    if q == Q3 and code in KNOWN:
        return KNOWN[code]
    scale = {
        "crime_volume": 10800,
        "asb_volume": 4000,
        "hate_crime_volume": 160,
        "cse_crime_volume": 30,
        "domestic_abuse_crime_volume": 1600,
        "iom_cohort_size": 120,
        "trials_listed": 250,
        "deaths_following_contact": 0,
    }
    if code in scale:
        return (round(scale[code] * rnd.uniform(0.85, 1.15)), None, None)
    if code == "victim_satisfaction":
        return (round(rnd.uniform(70, 80), 1), None, None)
    if code == "priority_response_time":
        return (round(rnd.uniform(2700, 3600)), None, None)
    den = {"positive_outcome_ratio": 10800, "oocr_intervention_completion_rate": 60}.get(code, 250)
    den = round(den * rnd.uniform(0.9, 1.1))
    share = {
        "positive_outcome_ratio": 0.15,
        "oocr_intervention_completion_rate": 0.8,
        "effective_trial_rate": 0.45,
        "pct_cracked_ineffective_prosecution": 0.2,
    }[code]
    num = round(den * share * rnd.uniform(0.85, 1.15))
    return (_pct(num, den), num, den)


def _rag(value, target, tolerance, polarity):
    if target is None or value is None:
        return None
    gap = (value - target) if polarity == "higher_is_better" else (target - value)
    if gap >= 0:
        return "green"
    return "amber" if -gap <= tolerance else "red"


def scorecard_rows() -> list[tuple]:
    rnd = random.Random(20181231)
    quarters = _quarters()
    out = []
    for code, name, priority, unit, polarity, target, tol, source, partner in MEASURES:
        base = {q: _base(code, rnd, q) for q in quarters}

        def window(q, base=base):
            qs = [q, q.previous(), q.previous().previous(), q.previous().previous().previous()]
            return [base.get(x) for x in qs]

        def rolling(q, unit=unit, partner=partner, window=window):
            w = window(q)
            if any(x is None for x in w):
                return None
            if unit == "percent":
                if partner:
                    return None
                return _pct(sum(x[1] for x in w), sum(x[2] for x in w))
            if unit != "count":
                return None
            return float(sum(x[0] for x in w))

        for q in quarters:
            v, n, d = base[q]
            prev = base.get(q.previous())
            ly_q = Quarter(q.fy_start - 1, q.number)
            ly = base.get(ly_q)
            r12, r12_ly = rolling(q), rolling(ly_q)
            change = None  # as the model: rolling 12 months against a year earlier
            if r12 is not None and r12_ly:
                change = _pct(Decimal(str(r12)) - Decimal(str(r12_ly)), Decimal(str(r12_ly)))
            trend = None
            if r12 is not None and r12_ly is not None:
                diff = (r12 - r12_ly) * (1 if polarity == "higher_is_better" else -1)
                rel = diff / r12_ly if r12_ly else 0
                trend = "improving" if rel > 0.02 else "worsening" if rel < -0.02 else "stable"
            out.append(
                (
                    code,
                    name,
                    priority,
                    q.label,
                    q.start,
                    q.end,
                    v,
                    n,
                    d,
                    unit,
                    prev[0] if prev else None,
                    ly[0] if ly else None,
                    r12,
                    r12_ly,
                    change,
                    target,
                    polarity,
                    _rag(v, target, tol, polarity),
                    trend,
                    source,
                )
            )
    return out


COURTS = [
    ("C001", "Swindon Magistrates' Court", "magistrates"),
    ("C002", "Salisbury Magistrates' Court", "magistrates"),
    ("C003", "Swindon Crown Court", "crown"),
]


def _months():
    y, m = 2017, 4
    while date(y, m, 1) <= DATA_UNTIL_MONTH:
        yield date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _fy(d: date) -> tuple[str, str]:
    fy = d.year if d.month >= 4 else d.year - 1
    return f"{fy}-{(fy + 1) % 100:02d}", f"Q{(d.month - 4) % 12 // 3 + 1}"


DDL = """
create schema marts;
create table marts.wcjb_scorecard (
  measure_code varchar, measure_name varchar, priority integer, period_label varchar,
  period_start date, period_end date, value double, numerator bigint, denominator bigint,
  unit varchar, previous_quarter_value double, same_quarter_last_year_value double,
  rolling_12m_value double, rolling_12m_last_year_value double,
  change_vs_last_year_pct decimal(7,1), target double, polarity varchar, rag_status varchar,
  trend varchar, source varchar);
create table marts.trial_effectiveness (
  month_start date, financial_year varchar, financial_quarter varchar, court_code varchar,
  court_name varchar, jurisdiction varchar, trials_listed bigint, effective bigint,
  cracked bigint, ineffective bigint, vacated bigint, cracked_prosecution bigint,
  cracked_defence bigint, ineffective_prosecution bigint, ineffective_defence bigint,
  ineffective_court bigint, ineffective_other bigint, cracked_ineffective_prosecution bigint,
  pct_effective decimal(5,1), pct_cracked decimal(5,1), pct_ineffective decimal(5,1),
  pct_cracked_ineffective_prosecution decimal(5,1));
create table marts.trial_outcome_reasons (
  financial_year varchar, financial_quarter varchar, jurisdiction varchar,
  trial_outcome varchar, reason_code varchar, reason varchar, attributed_to varchar,
  trials bigint, pct_of_trials_listed decimal(5,1));
create table marts.crime_summary (
  source varchar, month_start date, financial_year varchar, financial_quarter varchar,
  local_authority varchar, offence_group varchar, offence_subgroup varchar, crimes bigint,
  positive_outcomes bigint, charge_summons bigint, domestic_abuse_crimes bigint,
  hate_crimes bigint, outcome_pending bigint);
create table marts.oocr_summary (
  financial_year varchar, sex varchar, disposal_type varchar, disposals bigint, people bigint,
  repeat_people bigint, interventions_referred bigint, interventions_completed bigint,
  interventions_not_completed bigint, interventions_in_progress bigint,
  completion_rate_pct decimal(5,1));
create table marts.fjsb_needs_prevalence (
  financial_year varchar, need varchar, women_assessed bigint, yes bigint, no bigint,
  unknown bigint, prevalence_pct decimal(5,1));
create table marts.fjsb_offence_profile (
  financial_year varchar, index_offence_category varchar, women bigint,
  pct_of_women decimal(5,1));
create table marts.iom_outcomes (
  cohort varchar, area varchar, nominals bigint, nominals_with_full_post_window bigint,
  offences_pre bigint, offences_during bigint, offences_post bigint,
  reoffending_rate_pre_pct decimal(5,1), reoffending_rate_post_pct decimal(5,1),
  desistance_rate_post_pct decimal(5,1), cost_of_offending_pre decimal(14,2),
  cost_of_offending_post decimal(14,2));
comment on table marts.trial_effectiveness is
  'Trials by month and court: listed = effective + cracked + ineffective; vacated excluded from every percentage.';
comment on column marts.trial_effectiveness.trials_listed is
  'Effective + cracked + ineffective trials listed in the month (vacated not included).';
"""


def build(path: Path) -> Path:
    """Write the hand-made warehouse to ``path`` and return it."""
    rnd = random.Random(7)
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        con.executemany(
            f"insert into marts.wcjb_scorecard values ({', '.join(['?'] * 20)})",
            scorecard_rows(),
        )
        te, reasons = [], {}
        for month in _months():
            fy, fq = _fy(month)
            for code, name, jur in COURTS:
                eff, cr, ine = rnd.randint(20, 45), rnd.randint(10, 25), rnd.randint(4, 12)
                cp, cd = rnd.randint(2, cr // 2), rnd.randint(2, cr // 2)
                ip, idf, ic = rnd.randint(1, 4), rnd.randint(1, 3), rnd.randint(0, 3)
                io = ine - ip - idf - ic
                if io < 0:
                    ic, io = max(ine - ip - idf, 0), 0
                    idf = ine - ip - ic
                listed = eff + cr + ine
                te.append(
                    (
                        month,
                        fy,
                        fq,
                        code,
                        name,
                        jur,
                        listed,
                        eff,
                        cr,
                        ine,
                        rnd.randint(0, 6),
                        cp,
                        cd,
                        ip,
                        idf,
                        ic,
                        io,
                        cp + ip,
                        _pct(eff, listed),
                        _pct(cr, listed),
                        _pct(ine, listed),
                        _pct(cp + ip, listed),
                    )
                )
                for outcome, rcode, reason, who, n in (
                    (
                        "cracked",
                        "B",
                        "Late guilty plea previously rejected by the prosecution",
                        "prosecution",
                        cp,
                    ),
                    (
                        "cracked",
                        "A",
                        "Late guilty plea offered for the first time by the defence",
                        "defence",
                        cd,
                    ),
                    ("ineffective", "M1", "Prosecution witness absent", "prosecution", ip),
                    ("ineffective", "N1", "Defendant absent", "defence", idf),
                    ("ineffective", "O1", "No court time available", "court", ic),
                ):
                    key = (fy, fq, jur, outcome, rcode, reason, who)
                    reasons[key] = reasons.get(key, 0) + n
        con.executemany(
            f"insert into marts.trial_effectiveness values ({', '.join(['?'] * 22)})", te
        )
        con.executemany(
            "insert into marts.trial_outcome_reasons values (?, ?, ?, ?, ?, ?, ?, ?, null)",
            [(*k, v) for k, v in reasons.items()],
        )
        cs = []
        for month in _months():
            fy, fq = _fy(month)
            for la in ("Swindon", "Wiltshire"):
                for group in ("Violence against the person", "Theft offences"):
                    n = rnd.randint(600, 1200)
                    cs.append(
                        (
                            "police_crimes",
                            month,
                            fy,
                            fq,
                            la,
                            group,
                            None,
                            n,
                            n // 7,
                            n // 10,
                            n // 8,
                            n // 60,
                            n // 20,
                        )
                    )
        con.executemany(f"insert into marts.crime_summary values ({', '.join(['?'] * 13)})", cs)
        oocr = []
        for fy in ("2017-18", "2018-19"):
            for sex in ("F", "M", "U"):
                for dtype in ("community_resolution", "conditional_caution", "simple_caution"):
                    if fy == "2018-19" and sex == "U" and dtype == "conditional_caution":
                        # small: 3 disposals, 3 completed of 4 decided -> "<5" and rate withheld
                        row = (3, 3, 0, 4, 3, 1, 0)
                    else:
                        d = rnd.randint(20, 200) if sex != "U" else rnd.randint(5, 12)
                        ref = d // 2
                        done = round(ref * 0.7)
                        not_done = ref // 5
                        prog = ref - done - not_done
                        row = (d, d - d // 10, d // 10, ref, done, not_done, prog)
                    oocr.append((fy, sex, dtype, *row, _pct(row[4], row[4] + row[5])))
        con.executemany(f"insert into marts.oocr_summary values ({', '.join(['?'] * 11)})", oocr)
        needs = []
        for fy in ("2017-18", "2018-19"):
            for need in (
                "mental_health",
                "problematic_drug_use",
                "domestic_abuse",
                "sex_work",
                "housing_concern",
            ):
                n = 80
                yes = 3 if need == "sex_work" else rnd.randint(20, 50)
                unknown = rnd.randint(5, 15)
                no = n - yes - unknown
                needs.append((fy, need, n, yes, no, unknown, _pct(yes, yes + no)))
        con.executemany(
            "insert into marts.fjsb_needs_prevalence values (?, ?, ?, ?, ?, ?, ?)", needs
        )
        con.executemany(
            "insert into marts.fjsb_offence_profile values (?, ?, ?, ?)",
            [
                ("2018-19", "Theft offences", 30, _pct(30, 80)),
                ("2018-19", "Violence against the person", 25, _pct(25, 80)),
                ("2018-19", "Drug offences", 22, _pct(22, 80)),
                ("2018-19", "Robbery", 3, _pct(3, 80)),
            ],
        )
        con.executemany(
            "insert into marts.iom_outcomes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("fixed", "Swindon", 40, 30, 120, 30, 45, 85.0, 46.7, 53.3, 720000, 270000),
                ("fixed", "Wiltshire", 35, 28, 95, 25, 30, 80.0, 42.9, 57.1, 570000, 180000),
                ("flex", "Swindon", 25, 20, 60, 15, 22, 72.0, 40.0, 60.0, 360000, 132000),
                ("free", "Wiltshire", 4, 3, 9, 2, 3, 75.0, 66.7, 33.3, 54000, 18000),
            ],
        )
    finally:
        con.close()
    return path
