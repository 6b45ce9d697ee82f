"""Turn the marts into the report's view (every figure formatted and disclosure-checked), then
into one self-contained HTML page."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from cjb.report import charts, data
from cjb.report.definitions import TableDoc
from cjb.report.measures import (
    FALLBACK_DEFINITIONS,
    ORDER,
    PRIORITIES,
    RAG_LABELS,
    TREND_LABELS,
    unit_kind,
)
from cjb.report.quarter import Quarter
from cjb.report.sdc import MISSING, Suppressor, format_count, format_pct, pct
from cjb.report.template import CSS, TEMPLATE

HISTORY_QUARTERS = 8  # quarters shown in sparklines and measure pages


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric_from: int = 1  # columns from this index are right-aligned figures
    total: list[str] | None = None
    note: str | None = None


@dataclass
class Chart:
    svg: Markup
    caption: str


@dataclass
class Section:
    id: str
    title: str
    intro: str
    definitions: list[tuple[str, str]] = field(default_factory=list)
    definition_source: str | None = None
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    available: bool = True


@dataclass
class HistoryRow:
    label: str
    value: str
    numerator: str
    denominator: str
    rolling: str
    rag: str | None
    current: bool


@dataclass
class MeasureView:
    code: str
    name: str
    priority: int | None
    kind: str
    unit: str
    value: str
    previous: str
    last_year: str
    rolling: str
    rolling_last_year: str
    change: str
    target: str
    rag: str | None
    rag_name: str
    rag_symbol: str
    rag_meaning: str
    trend: str | None
    trend_name: str
    context: str
    source: str
    definition: str
    sparkline: Markup
    chart: Markup
    history: list[HistoryRow]
    numerator: str
    denominator: str


@dataclass
class PriorityGroup:
    number: int | None
    title: str
    measures: list[MeasureView]


# --- helpers --------------------------------------------------------------------------------


def _chart(text: str) -> Chart:
    """A section chart with its title as the caption."""
    m = re.search(r"<title>(.*?)</title>", text, re.S)
    return Chart(_svg(text), html.unescape(m.group(1)) if m else "")


def _svg(text: str) -> Markup:
    return Markup(text)  # noqa: S704 - produced by matplotlib from our own figures, no user HTML


def format_value(value: float | None, unit: str) -> str:
    """A figure in a unit other than count or percent: seconds as minutes and seconds."""
    if value is None:
        return MISSING
    u = (unit or "").strip().lower()
    if u in ("seconds", "second", "secs", "s"):
        total = int(round(value))
        minutes, seconds = divmod(total, 60)
        return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
    if u == "rate_per_1000":
        return f"{value:,.1f} per 1,000"
    number = format_count(value) if float(value).is_integer() else f"{value:,.1f}"
    return f"{number} {unit.replace('_', ' ')}".strip()


def compact_value(value: float, unit: str) -> str:
    """A short label for a chart: seconds as m:ss."""
    if (unit or "").strip().lower() in ("seconds", "second", "secs", "s"):
        minutes, seconds = divmod(int(round(value)), 60)
        return f"{minutes}:{seconds:02d}"
    return format_value(value, "")


SOURCES = {
    "police_crimes": "Wiltshire Police crime extract (police_crimes)",
    "police_uk": "public police.uk street-level files (police_uk)",
    "court_trials": "HMCTS trial listings extract (court_trials)",
    "oocr": "out-of-court resolutions extract (oocr)",
    "iom_cohort": "Integrated Offender Management cohort extract (iom_cohort)",
}


def source_name(source: str | None) -> str:
    if not source:
        return "the WCJB data warehouse"
    return SOURCES.get(source, f"{source} (partner measure as delivered)")


def _pretty(code: str | None) -> str:
    if code is None:
        return MISSING
    text = str(code)
    if "_" in text or text.islower():
        text = text.replace("_", " ")
        return text[:1].upper() + text[1:]
    return text


SEX = {"F": "Female", "M": "Male", "U": "Unknown"}


def _defs(doc: TableDoc | None, columns: list[str]) -> list[tuple[str, str]]:
    if doc is None:
        return []
    return [(c, doc.columns[c]) for c in columns if c in doc.columns]


def _source(doc: TableDoc | None) -> str | None:
    return ", ".join(sorted(doc.sources)) if doc and doc.sources else None


def _s(n) -> float:
    return float(n or 0)


# --- the scorecard --------------------------------------------------------------------------


class ScorecardView:
    def __init__(
        self,
        rows: list[data.ScorecardRow],
        quarter: Quarter,
        sup: Suppressor,
        definitions: dict[str, str],
        change_definition: str | None = None,
    ):
        # What "change on last year" compares, read from the column's own definition.
        rolling = "rolling" in (change_definition or "").lower()
        self.change_basis = "the previous 12 months" if rolling else "the same quarter last year"
        self.by_measure: dict[str, dict[Quarter, data.ScorecardRow]] = defaultdict(dict)
        for r in rows:
            self.by_measure[r.measure_code][r.quarter] = r
        self.quarter = quarter
        self.sup = sup
        self.definitions = definitions

    def _counts(self, code: str, quarters: list[Quarter]) -> tuple[float | None, float | None]:
        """Summed numerator and denominator over quarters (None when any is missing)."""
        rows = [self.by_measure[code].get(q) for q in quarters]
        if any(r is None or r.numerator is None or r.denominator is None for r in rows):
            return None, None
        return sum(r.numerator for r in rows), sum(r.denominator for r in rows)

    def _window(self, q: Quarter) -> list[Quarter]:
        out = [q]
        for _ in range(3):
            out.append(out[-1].previous())
        return out

    def _basis(self, code: str, kind: str, quarters: list[Quarter]) -> list:
        """The counts a figure over ``quarters`` rests on: each quarter's own, and their sums.

        Withholding a figure when any quarter under it is small also stops a small quarter
        being recovered by differencing (rolling 12 months minus the quarters shown)."""
        out: list = []
        for q in quarters:
            r = self.by_measure[code].get(q)
            if r is not None:
                out += [r.value] if kind == "count" else [r.numerator, r.denominator]
        if kind != "count":
            out += list(self._counts(code, quarters))
        return out

    def _show(self, code: str, kind: str, unit: str, value, quarters: list[Quarter]) -> str:
        """One figure of a measure, with the counts it rests on checked."""
        basis = self._basis(code, kind, quarters)
        if kind == "count":
            if value is None or self.sup.small(value):
                return self.sup.count(value)
            return self.sup.derived(format_count(value), *basis)
        if kind == "percent":
            return self.sup.pct(value, *basis)
        return self.sup.derived(format_value(value, unit), *basis)

    def _chart_value(self, code: str, kind: str, q: Quarter) -> float | None:
        r = self.by_measure[code].get(q)
        if r is None or r.value is None:
            return None
        if kind == "count":
            return self.sup.value(r.value, r.value)
        return self.sup.value(r.value, r.numerator, r.denominator)

    def measure(self, code: str) -> MeasureView:
        q = self.quarter
        r = self.by_measure[code][q]
        kind = unit_kind(r.unit, code)
        unit = r.unit or ""
        prev_q, ly_q = q.previous(), Quarter(q.fy_start - 1, q.number)
        show = self._show
        value = show(code, kind, unit, r.value, [q])
        previous = show(code, kind, unit, r.previous_quarter_value, [prev_q])
        last_year = show(code, kind, unit, r.same_quarter_last_year_value, [ly_q])
        rolling = show(code, kind, unit, r.rolling_12m_value, self._window(q))
        rolling_ly = show(code, kind, unit, r.rolling_12m_last_year_value, self._window(ly_q))
        # The change compares (per its definition) the quarters or the rolling 12 months of the
        # two years: every quarter of both windows is its basis.
        basis = self._basis(code, kind, self._window(q) + self._window(ly_q))
        change = self.sup.pct(r.change_vs_last_year_pct, *basis, signed=True)
        if kind == "percent":
            target = format_pct(r.target) if r.target is not None else "No target"
        elif r.target is not None:
            target = format_value(r.target, "" if kind == "count" else unit)
        else:
            target = "No target"

        history_q = sorted(x for x in self.by_measure[code] if x <= q)[-HISTORY_QUARTERS:]
        spark_vals = [self._chart_value(code, kind, x) for x in history_q]
        labels = [x.label for x in history_q]
        title = f"{r.measure_name}, quarterly, {labels[0]} to {labels[-1]}"
        history = []
        for x in reversed(history_q):
            hr = self.by_measure[code][x]
            num_show = self.sup.count(hr.numerator) if hr.numerator is not None else MISSING
            den_show = self.sup.count(hr.denominator) if hr.denominator is not None else MISSING
            history.append(
                HistoryRow(
                    label=x.label,
                    value=show(code, kind, unit, hr.value, [x]),
                    numerator=num_show,
                    denominator=den_show,
                    rolling=show(code, kind, unit, hr.rolling_12m_value, self._window(x)),
                    rag=hr.rag_status,
                    current=x == q,
                )
            )
        rag_name, rag_symbol, rag_meaning = RAG_LABELS.get(
            r.rag_status or "", ("No status", "–", "no target set")
        )
        source = source_name(r.source)
        return MeasureView(
            code=code,
            name=r.measure_name,
            priority=r.priority,
            kind=kind,
            unit=unit,
            value=value,
            previous=previous,
            last_year=last_year,
            rolling=rolling,
            rolling_last_year=rolling_ly,
            change=change,
            target=target,
            rag=r.rag_status,
            rag_name=rag_name,
            rag_symbol=rag_symbol,
            rag_meaning=rag_meaning,
            trend=r.trend,
            trend_name=TREND_LABELS.get(r.trend or "", "Not enough history"),
            context=self._context(r, kind, change, target),
            source=source,
            definition=self.definitions.get(code)
            or FALLBACK_DEFINITIONS.get(code)
            or "Partner measure as delivered by the partner agency for the quarter.",
            sparkline=_svg(charts.sparkline(spark_vals, f"Trend: {title}")),
            chart=_svg(
                charts.quarter_chart(
                    labels,
                    spark_vals,
                    title,
                    percent=kind == "percent",
                    target=r.target,
                    highlight=len(labels) - 1,
                    fmt=None if kind != "other" else (lambda v: compact_value(v, unit)),
                )
            ),
            history=history,
            numerator=self.sup.count(r.numerator) if r.numerator is not None else MISSING,
            denominator=self.sup.count(r.denominator) if r.denominator is not None else MISSING,
        )

    def _context(self, r: data.ScorecardRow, kind: str, change: str, target: str) -> str:
        parts = []
        c = r.change_vs_last_year_pct
        if change == "[c]":
            parts.append("Comparison with last year withheld (small numbers)")
        elif c is not None:
            against = self.change_basis
            if c == 0:
                parts.append(f"No change on {against}")
            else:
                word = "Up" if c > 0 else "Down"
                parts.append(f"{word} {change.lstrip('+−')} on {against}")
        elif r.previous_quarter_value is not None and r.value is not None:
            d = r.value - r.previous_quarter_value
            parts.append(
                "Higher than the previous quarter"
                if d > 0
                else "Lower than the previous quarter"
                if d < 0
                else "Same as the previous quarter"
            )
        else:
            parts.append("No earlier figure to compare")
        if r.trend in TREND_LABELS:
            parts.append(f"{TREND_LABELS[r.trend].lower()} trend")
        if r.rag_status in RAG_LABELS:
            parts.append(f"{RAG_LABELS[r.rag_status][2]} ({target})")
        return "; ".join(parts) + "."

    def groups(self) -> list[PriorityGroup]:
        codes = [c for c, qs in self.by_measure.items() if self.quarter in qs]
        rank = {c: i for i, c in enumerate(ORDER)}
        views = [self.measure(c) for c in codes]
        views.sort(key=lambda m: (rank.get(m.code, len(rank)), m.name.lower()))
        groups: dict[int | None, list[MeasureView]] = defaultdict(list)
        for m in views:
            groups[m.priority if m.priority in PRIORITIES else None].append(m)
        out = [PriorityGroup(p, PRIORITIES[p], groups[p]) for p in sorted(PRIORITIES) if groups[p]]
        if groups[None]:
            out.append(PriorityGroup(None, "Other measures", groups[None]))
        return out


# --- the sections ---------------------------------------------------------------------------


def trials_section(con, tables, docs, q: Quarter, sup: Suppressor) -> Section:
    doc = docs.get("trial_effectiveness")
    sec = Section(
        id="trials",
        title="Cracked and ineffective trials",
        intro=f"Trials listed in the magistrates' and Crown Court in {q.label} "
        f"({q.span()}), by court, by the party a cracked or ineffective trial is attributed "
        "to, and the most frequent reasons.",
        definitions=[("Model", doc.description)] if doc and doc.description else [],
        definition_source=_source(doc),
    )
    sec.definitions += _defs(
        doc,
        [
            "trials_listed",
            "vacated",
            "cracked_ineffective_prosecution",
            "pct_cracked_ineffective_prosecution",
        ],
    )
    courts = data.trials_by_court(con, tables, q)
    if courts is None:
        sec.available = False
        sec.notes.append("marts.trial_effectiveness is not in this warehouse.")
        return sec
    if not courts:
        sec.notes.append(f"No trials were listed in {q.label}.")

    def pct_row(r) -> list[str]:
        listed = r["trials_listed"]
        return [
            sup.count(listed),
            sup.count(r["effective"]),
            sup.count(r["cracked"]),
            sup.count(r["ineffective"]),
            sup.count(r["vacated"]),
            sup.pct(pct(r["effective"], listed), r["effective"], listed),
            sup.pct(pct(r["cracked"], listed), r["cracked"], listed),
            sup.pct(pct(r["ineffective"], listed), r["ineffective"], listed),
            sup.pct(
                pct(r["cracked_ineffective_prosecution"], listed),
                r["cracked_ineffective_prosecution"],
                listed,
            ),
        ]

    totals = defaultdict(float)
    for r in courts:
        for k, v in r.items():
            if k not in ("jurisdiction", "court_code", "court_name"):
                totals[k] += _s(v)
    sec.tables.append(
        Table(
            caption=f"Trials by court, {q.label}",
            headers=[
                "Court",
                "Jurisdiction",
                "Listed",
                "Effective",
                "Cracked",
                "Ineffective",
                "Vacated",
                "% effective",
                "% cracked",
                "% ineffective",
                "% cracked or ineffective due to prosecution",
            ],
            numeric_from=2,
            rows=[
                [r["court_name"] or r["court_code"] or MISSING, _pretty(r["jurisdiction"])]
                + pct_row(r)
                for r in courts
            ],
            total=["All courts", ""] + pct_row(totals) if courts else None,
        )
    )

    listed = totals["trials_listed"]
    parties = [
        ("Prosecution", totals["cracked_prosecution"], totals["ineffective_prosecution"]),
        ("Defence", totals["cracked_defence"], totals["ineffective_defence"]),
        ("Court", None, totals["ineffective_court"]),
        (
            "Other or not attributed",
            max(totals["cracked"] - totals["cracked_prosecution"] - totals["cracked_defence"], 0),
            totals["ineffective_other"],
        ),
    ]
    party_rows = []
    chart_cracked, chart_ineffective = [], []
    for name, cracked, ineffective in parties:
        both = _s(cracked) + _s(ineffective)
        party_rows.append(
            [
                name,
                sup.count(cracked) if cracked is not None else MISSING,
                sup.count(ineffective),
                sup.count(both),
                sup.pct(pct(both, listed), both, listed),
            ]
        )
        chart_cracked.append(sup.value(cracked, cracked) if cracked is not None else None)
        chart_ineffective.append(sup.value(ineffective, ineffective))
    sec.tables.append(
        Table(
            caption=f"Cracked and ineffective trials by attributed party, {q.label}",
            headers=["Attributed to", "Cracked", "Ineffective", "Together", "% of trials listed"],
            rows=party_rows,
        )
    )
    sec.charts.append(
        _chart(
            charts.bar_chart(
                [p[0] for p in parties],
                {"Cracked": chart_cracked, "Ineffective": chart_ineffective},
                f"Cracked and ineffective trials by attributed party, {q.label}",
                stacked=True,
                colours=[charts.ORANGE, charts.BLUE],
            )
        )
    )

    reasons = data.trial_reasons(con, tables, q)
    rdoc = docs.get("trial_outcome_reasons")
    sec.definitions += _defs(rdoc, ["attributed_to", "pct_of_trials_listed"])
    if reasons is not None:
        top = reasons[:10]
        sec.tables.append(
            Table(
                caption=f"Top {len(top)} reasons for cracked and ineffective trials, {q.label} "
                "(all jurisdictions)",
                headers=["Outcome", "Code", "Reason", "Attributed to", "Trials", "% of listed"],
                numeric_from=4,
                rows=[
                    [
                        _pretty(r["trial_outcome"]),
                        r["reason_code"] or MISSING,
                        r["reason"] or MISSING,
                        _pretty(r["attributed_to"]),
                        sup.count(r["trials"]),
                        sup.pct(pct(r["trials"], listed), r["trials"], listed),
                    ]
                    for r in top
                ],
                note="Percentages recomputed over all trials listed in the quarter in every "
                "court of the report.",
            )
        )

    first = Quarter(q.fy_start - 1, q.number).next().start  # the 12 months to the quarter's end
    months = data.trials_by_month(con, tables, first, q.end) or []
    if months:
        vals = [
            sup.value(
                pct(m["cracked_ineffective_prosecution"], m["trials_listed"]),
                m["cracked_ineffective_prosecution"],
                m["trials_listed"],
            )
            for m in months
        ]
        sec.charts.insert(
            0,
            _chart(
                charts.bar_chart(
                    [f"{m['month_start']:%b %y}" for m in months],
                    {"% due to prosecution": vals},
                    "Monthly percentage of cracked and ineffective trials due to prosecution "
                    "reasons",
                    percent=True,
                    horizontal=False,
                    colours=[charts.BLUE],
                )
            ),
        )
    return sec


def oocr_section(con, tables, docs, q: Quarter, sup: Suppressor, data_until) -> Section:
    doc = docs.get("oocr_summary")
    fy = q.financial_year
    fy_end = Quarter(q.fy_start, 4).end
    upto = f" (data to {data_until:%-d %B %Y})" if data_until and data_until < fy_end else ""
    sec = Section(
        id="oocr",
        title="Out-of-court resolutions",
        intro=f"Out-of-court resolutions in the financial year {fy}{upto}, by sex and disposal "
        "type, and the completion of the interventions attached to them. The figures are for "
        f"the whole financial year the warehouse holds, not {q.label} alone.",
        definitions=[("Model", doc.description)] if doc and doc.description else [],
        definition_source=_source(doc),
    )
    sec.definitions += _defs(doc, ["disposals", "people", "repeat_people", "completion_rate_pct"])
    found = data.by_financial_year(con, tables, "oocr_summary", fy, "disposal_type, sex")
    if found is None:
        sec.available = False
        sec.notes.append("marts.oocr_summary is not in this warehouse.")
        return sec
    if not found:
        sec.notes.append(f"No out-of-court resolutions in {fy}.")
        return sec
    sec.tables.append(
        Table(
            caption=f"Disposals by type and sex, {fy}",
            headers=["Disposal type", "Sex", "Disposals", "People", "People with 2 or more"],
            numeric_from=2,
            rows=[
                [
                    _pretty(r["disposal_type"]),
                    SEX.get(r["sex"], r["sex"] or MISSING),
                    sup.count(r["disposals"]),
                    sup.count(r["people"]),
                    sup.count(r["repeat_people"]),
                ]
                for r in found
            ],
        )
    )
    by_type: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    by_sex: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    keys = [
        "disposals",
        "interventions_referred",
        "interventions_completed",
        "interventions_not_completed",
        "interventions_in_progress",
    ]
    for r in found:
        for k in keys:
            by_type[r["disposal_type"]][k] += _s(r[k])
            by_type["\x00total"][k] += _s(r[k])
        by_sex[r["sex"]][r["disposal_type"]] += _s(r["disposals"])

    def completion(t) -> list[str]:
        done, not_done = t["interventions_completed"], t["interventions_not_completed"]
        return [
            sup.count(t["interventions_referred"]),
            sup.count(done),
            sup.count(not_done),
            sup.count(t["interventions_in_progress"]),
            sup.pct(pct(done, done + not_done), done, done + not_done),
        ]

    types = sorted(k for k in by_type if k != "\x00total")
    sec.tables.append(
        Table(
            caption=f"Intervention completion by disposal type, {fy}",
            headers=[
                "Disposal type",
                "Referred",
                "Completed",
                "Not completed",
                "In progress",
                "Completion rate",
            ],
            rows=[[_pretty(t)] + completion(by_type[t]) for t in types],
            total=["All types"] + completion(by_type["\x00total"]),
            note="Completion rate = completed / (completed + not completed); interventions in "
            "progress are reported, not counted as failures.",
        )
    )
    sexes = [s for s in ("F", "M", "U") if s in by_sex] + sorted(
        s for s in by_sex if s not in ("F", "M", "U") and s is not None
    )
    sec.charts.append(
        _chart(
            charts.bar_chart(
                [_pretty(t) for t in types],
                {
                    SEX.get(s, str(s)): [sup.value(by_sex[s][t], by_sex[s][t]) for t in types]
                    for s in sexes
                },
                f"Out-of-court disposals by type and sex, {fy}",
                colours=[charts.ORANGE, charts.BLUE, charts.GREY],
            )
        )
    )
    return sec


def fjsb_section(con, tables, docs, q: Quarter, sup: Suppressor) -> Section:
    doc = docs.get("fjsb_needs_prevalence")
    years = data.financial_years(con, tables, "fjsb_needs_prevalence")
    fy = q.financial_year
    if fy not in years:
        earlier = [y for y in years if y <= fy]
        fy = earlier[-1] if earlier else fy
    sec = Section(
        id="fjsb",
        title="Female Justice Support Board: gap analysis",
        intro=f"Needs of the women assessed in the financial year {fy} (the whole year the "
        "warehouse holds): how many had each need, "
        "how many did not, and for how many it is unknown. Unknowns are shown, not hidden: "
        "they limit what the prevalence can say.",
        definitions=[("Model", doc.description)] if doc and doc.description else [],
        definition_source=_source(doc),
    )
    sec.definitions += _defs(doc, ["women_assessed", "unknown", "prevalence_pct"])
    needs = data.by_financial_year(con, tables, "fjsb_needs_prevalence", fy, "need")
    if needs is None:
        sec.available = False
        sec.notes.append("marts.fjsb_needs_prevalence is not in this warehouse.")
        return sec
    if not needs:
        sec.notes.append(f"No assessments in {fy}.")
        return sec
    needs.sort(key=lambda r: (-(r["prevalence_pct"] or -1), str(r["need"])))
    rows = []
    series: dict[str, list[float | None]] = {"Yes": [], "No": [], "Unknown": []}
    for r in needs:
        n = r["women_assessed"]
        rows.append(
            [
                _pretty(r["need"]),
                sup.count(n),
                sup.count(r["yes"]),
                sup.count(r["no"]),
                sup.count(r["unknown"]),
                sup.pct(r["prevalence_pct"], r["yes"], r["no"], n),
                sup.pct(pct(r["unknown"], n), r["unknown"], n),
            ]
        )
        hidden = sup.small(n) or any(sup.small(r[k]) for k in ("yes", "no", "unknown"))
        for k, label in (("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")):
            share = pct(r[k], n)
            series[label].append(None if hidden or share is None else float(share))
    sec.tables.append(
        Table(
            caption=f"Prevalence of needs among women assessed, {fy}",
            headers=["Need", "Women assessed", "Yes", "No", "Unknown", "Prevalence", "% unknown"],
            rows=rows,
        )
    )
    sec.charts.append(
        _chart(
            charts.bar_chart(
                [_pretty(r["need"]) for r in needs],
                series,
                f"Women assessed by need: yes, no and unknown as % of women assessed, {fy}",
                percent=True,
                stacked=True,
                colours=[charts.VERMILION, charts.SKY, charts.GREY],
            )
        )
    )
    sec.notes.append(
        "A need whose bar is missing from the chart has a withheld count (see the table)."
        if sup.enabled
        else "Bars show each answer as a share of the women assessed."
    )

    pdoc = docs.get("fjsb_offence_profile")
    profile = data.by_financial_year(
        con, tables, "fjsb_offence_profile", fy, "women desc, index_offence_category"
    )
    sec.definitions += _defs(pdoc, ["index_offence_category", "pct_of_women"])
    if profile:
        sec.tables.append(
            Table(
                caption=f"Index offence of the women assessed, {fy}",
                headers=["Index offence category", "Women", "% of women"],
                rows=[
                    [
                        _pretty(r["index_offence_category"]),
                        sup.count(r["women"]),
                        sup.pct(r["pct_of_women"], r["women"]),
                    ]
                    for r in profile
                ],
            )
        )
    return sec


def _implied(rate, n) -> float | None:
    """The count a percentage of ``n`` stands for (to check it for smallness)."""
    if rate is None or n is None:
        return None
    return round(float(rate) * float(n) / 100)


def _money(value) -> str:
    return MISSING if value is None else f"£{float(value):,.0f}"


def iom_section(con, tables, docs, sup: Suppressor) -> Section:
    doc = docs.get("iom_outcomes")
    sec = Section(
        id="iom",
        title="Integrated Offender Management: outcomes",
        intro="Offending by IOM nominals in the six months before they were adopted onto the "
        "scheme and in the six months after they left it, by cohort and area.",
        definitions=[("Model", doc.description)] if doc and doc.description else [],
        definition_source=_source(doc),
    )
    sec.definitions += _defs(
        doc,
        [
            "nominals",
            "nominals_with_full_post_window",
            "reoffending_rate_pre_pct",
            "reoffending_rate_post_pct",
            "desistance_rate_post_pct",
            "cost_of_offending_pre",
        ],
    )
    found = data.iom_outcomes(con, tables)
    if found is None:
        sec.available = False
        sec.notes.append("marts.iom_outcomes is not in this warehouse.")
        return sec
    if not found:
        sec.notes.append("No IOM nominals in the data.")
        return sec
    rows, labels, pre, post = [], [], [], []
    for r in found:
        n, n_post = r["nominals"], r["nominals_with_full_post_window"]
        rate_pre, rate_post = r["reoffending_rate_pre_pct"], r["reoffending_rate_post_pct"]
        desist = r["desistance_rate_post_pct"]
        rows.append(
            [
                _pretty(r["cohort"]),
                r["area"] or MISSING,
                sup.count(n),
                sup.count(n_post),
                sup.count(r["offences_pre"]),
                sup.count(r["offences_during"]),
                sup.count(r["offences_post"]),
                sup.pct(rate_pre, n, _implied(rate_pre, n)),
                sup.pct(rate_post, n_post, _implied(rate_post, n_post)),
                sup.pct(desist, n_post, _implied(desist, n_post)),
                sup.derived(_money(r["cost_of_offending_pre"]), r["offences_pre"]),
                sup.derived(_money(r["cost_of_offending_post"]), r["offences_post"]),
            ]
        )
        labels.append(
            f"{_pretty(r['cohort'])} – {r['area']}" if r["area"] else _pretty(r["cohort"])
        )
        pre.append(sup.value(rate_pre, n, _implied(rate_pre, n)))
        post.append(sup.value(rate_post, n_post, _implied(rate_post, n_post)))
    sec.tables.append(
        Table(
            caption="IOM outcomes by cohort and area: before adoption and after leaving",
            headers=[
                "Cohort",
                "Area",
                "Nominals",
                "With a full post window",
                "Offences pre",
                "Offences during",
                "Offences post",
                "Reoffending pre",
                "Reoffending post",
                "Desistance post",
                "Cost pre",
                "Cost post",
            ],
            numeric_from=2,
            rows=rows,
        )
    )
    sec.charts.append(
        _chart(
            charts.bar_chart(
                labels,
                {"Before adoption (6 months)": pre, "After leaving (6 months)": post},
                "Reoffending rate before adoption and after leaving the IOM scheme",
                percent=True,
                colours=[charts.ORANGE, charts.BLUE],
            )
        )
    )
    return sec


# --- the page -------------------------------------------------------------------------------


def render_html(
    *,
    warehouse: Path,
    quarter: Quarter,
    quarter_basis: str,
    provisional: bool,
    data_until: date | None,
    groups: list[PriorityGroup],
    sections: list[Section],
    sup: Suppressor,
    scorecard_doc: TableDoc | None,
    generated_at: datetime,
) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(TEMPLATE)
    return template.render(
        css=Markup(CSS),  # noqa: S704 - our own stylesheet
        warehouse=warehouse,
        quarter=quarter,
        quarter_basis=quarter_basis,
        provisional=provisional,
        data_until=data_until,
        groups=groups,
        sections=sections,
        sup=sup,
        sdc_note=sup.note(),
        scorecard_definitions=_defs(
            scorecard_doc,
            [
                "value",
                "rolling_12m_value",
                "change_vs_last_year_pct",
                "rag_status",
                "trend",
                "target",
                "polarity",
            ],
        ),
        scorecard_description=scorecard_doc.description if scorecard_doc else None,
        scorecard_source=_source(scorecard_doc),
        generated_at=generated_at,
        rag_labels=RAG_LABELS,
        history_quarters=HISTORY_QUARTERS,
    )
