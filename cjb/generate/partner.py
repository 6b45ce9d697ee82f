"""partner_measures: aggregate figures partners report for the scorecard.

Quarterly values (period = the financial quarter) arrive in the month file after the quarter
ends; a quarter that ends with the last generated month is delivered in that month's file so the
run's last quarter is complete. Every month file also carries a few monthly-period figures for
the previous month (they stay in landed data only). Levels are those of the 2018-19 Q3 report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cjb.contract import Period
from cjb.generate.dates import day
from cjb.generate.formatting import Cat, Days, Table, Text


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    unit: str
    agency: str
    level: float  # value for percent/seconds; count for counts
    spread: float  # standard deviation between periods
    denominator: float = 0.0  # typical denominator for percent measures (0: none sent)
    monthly: bool = False  # also sent for monthly periods


MEASURES = (
    MeasureSpec("victim_satisfaction_whole_experience", "percent", "Wiltshire Police", 74, 1.5, 360),
    MeasureSpec("conviction_rate", "percent", "CPS Wessex", 86, 1.2, 1244),
    MeasureSpec("restorative_justice_level_1", "count", "Restorative Together", 131, 12),
    MeasureSpec("crime_recording_compliance", "percent", "Wiltshire Police", 86.7, 2.0, 300),
    MeasureSpec("full_file_error_rate", "percent", "CPS Wessex", 1.2, 0.5, 173),
    MeasureSpec("complaints_volume", "count", "Wiltshire Police", 149, 12),
    MeasureSpec("complaints_recorded_within_10_days", "percent", "Wiltshire Police", 33, 4, 149),
    MeasureSpec("immediate_response_time", "seconds", "Wiltshire Police", 642, 25, monthly=True),
    MeasureSpec("priority_response_time", "seconds", "Wiltshire Police", 2978, 120, monthly=True),
    MeasureSpec("call_999_answer_time", "seconds", "Wiltshire Police", 4, 0.8, monthly=True),
    MeasureSpec(
        "crib_abandonment_rate", "percent", "Wiltshire Police", 4.8, 0.5, 30_000, monthly=True
    ),
)  # fmt: skip


def template_week(first_day: int, i: int) -> tuple[int, int]:
    """The (start, end) of the i-th fault template row's period: weeks before the month."""
    start = first_day - 7 * (i + 1) - 100
    return start, start + 6


@dataclass
class _Rows:
    code: list[str]
    start: list[int]
    end: list[int]
    value: list[str]
    numerator: list[str]
    denominator: list[str]
    unit: list[str]
    agency: list[str]


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


class PartnerGenerator:
    def __init__(self, scale: float) -> None:
        self.scale = scale

    def _add(
        self,
        rows: _Rows,
        spec: MeasureSpec,
        start: int,
        end: int,
        rng: np.random.Generator,
        f: float,
    ) -> None:
        """One measure row for a period; ``f`` is the period's length against a quarter."""
        rows.code.append(spec.code)
        rows.start.append(start)
        rows.end.append(end)
        rows.unit.append(spec.unit)
        rows.agency.append(spec.agency)
        if spec.unit == "count":
            rows.value.append(
                str(max(0, round(rng.normal(spec.level, spec.spread) * f * self.scale)))
            )
            rows.numerator.append("")
            rows.denominator.append("")
        elif spec.unit == "percent" and spec.denominator:
            den = max(20, round(rng.normal(spec.denominator, spec.denominator * 0.05) * f))
            pct = float(np.clip(rng.normal(spec.level, spec.spread), 0.1, 99.9))
            num = round(den * pct / 100)
            rows.value.append(_num(round(100 * num / den, 2)))
            rows.numerator.append(str(num))
            rows.denominator.append(str(den))
        else:
            v = max(1.0, rng.normal(spec.level, spec.spread))
            rows.value.append(str(round(v)) if spec.unit == "seconds" else _num(round(v, 1)))
            rows.numerator.append("")
            rows.denominator.append("")

    def month(
        self,
        period: Period,
        rng: np.random.Generator,
        quarters: list[Period],
        previous_month: Period,
        n_templates: int,
    ) -> Table:
        rows = _Rows([], [], [], [], [], [], [], [])
        for q in quarters:
            for spec in MEASURES:
                self._add(rows, spec, day(q.start), day(q.end), rng, 1.0)
        for spec in MEASURES:
            if spec.monthly:
                self._add(
                    rows, spec, day(previous_month.start), day(previous_month.end), rng, 1 / 3
                )
        for i in range(n_templates):
            s, e = template_week(day(period.start), i)
            self._add(rows, MEASURES[i % len(MEASURES)], s, e, rng, 1 / 13)
        return {
            "measure_code": Text(np.array(rows.code, dtype=object)),
            "period_start": Days(np.array(rows.start, dtype=np.int32)),
            "period_end": Days(np.array(rows.end, dtype=np.int32)),
            "value": Text(np.array(rows.value, dtype=object)),
            "numerator": Text(np.array(rows.numerator, dtype=object)),
            "denominator": Text(np.array(rows.denominator, dtype=object)),
            "unit": Cat(
                ("count", "percent", "seconds"),
                np.array(
                    [("count", "percent", "seconds").index(u) for u in rows.unit], dtype=np.int8
                ),
            ),
            "source_agency": Text(np.array(rows.agency, dtype=object)),
        }
