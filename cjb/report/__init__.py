"""The offline HTML scorecard (``cjb report``): one self-contained page for the Board and the
Police and Crime Panel.

``write_report`` reads the public marts of a live warehouse (read-only), picks the quarter,
applies statistical disclosure control (:mod:`cjb.report.sdc`) and writes one HTML file with its
styles and charts (inline SVG, drawn by matplotlib) inside: it opens offline and fetches nothing.

Default quarter: the latest quarter of ``marts.wcjb_scorecard`` that is complete:

1. it has ended (its last day is before today);
2. it has rows of the measures the warehouse computes from record-level extracts (source
   ``police_crimes``, ``police_uk``, ``court_trials``, ``oocr`` or ``iom_cohort``): the scorecard
   model gives such a measure a row only for a quarter whose three months its extract delivered,
   whereas a partner agency may deliver a figure for a quarter nothing else covers yet;
3. the record-level data reach its last day: the latest ``month_start`` of the monthly marts
   (``crime_summary``, ``trial_effectiveness``) is its last month.

Conditions 2 and 3 apply when the warehouse has such data (a partner-only warehouse takes the
latest ended quarter). When no quarter qualifies, the latest is reported, marked provisional.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from cjb.errors import CjbError
from cjb.report import data, render
from cjb.report.definitions import load_definitions
from cjb.report.quarter import Quarter, latest_complete, parse_quarter
from cjb.report.sdc import DEFAULT_THRESHOLD, Suppressor

__all__ = ["write_report", "build_report", "choose_quarter", "DEFAULT_THRESHOLD"]


def choose_quarter(
    available: list[Quarter],
    requested: str | None,
    data_until: date | None,
    today: date | None = None,
    record_level: set[Quarter] | None = None,
) -> tuple[Quarter, str, bool]:
    """The quarter to report, a sentence saying why, and whether it is provisional.

    ``record_level``: the quarters with rows of record-level measures (None or empty: no such
    measures in the scorecard)."""
    if not available:
        raise CjbError("marts.wcjb_scorecard has no rows: land some extracts and build first")
    listing = ", ".join(q.label for q in sorted(available))
    until = f"{data_until:%-d %B %Y}" if data_until else None
    if requested is not None:
        q = parse_quarter(requested)
        if q not in available:
            raise CjbError(
                f"quarter {q.label} is not in marts.wcjb_scorecard; available quarters: {listing}"
            )
        provisional = (data_until is not None and data_until < q.end) or bool(
            record_level and q not in record_level
        )
        return q, f"{q.label}, as requested.", provisional
    candidates = [q for q in available if q in record_level] if record_level else available
    q = latest_complete(candidates, data_until, today)
    if q is not None:
        basis = (
            f"{q.label} is the latest complete quarter of the scorecard: it has ended"
            + (
                ", the measures computed from the agencies' record-level extracts have figures "
                "for all three of its months"
                if record_level
                else ""
            )
            + (
                f" and the record-level data reach its last day (they run to {until})."
                if until
                else "."
            )
        )
        return q, basis, False
    q = max(available)
    return (
        q,
        f"No quarter of the scorecard is complete yet (the data run to {until or 'no date'}); "
        f"{q.label}, the latest, is shown as provisional.",
        True,
    )


def build_report(
    warehouse: Path,
    quarter: str | None = None,
    suppress_below: int = DEFAULT_THRESHOLD,
    *,
    today: date | None = None,
    generated_at: datetime | None = None,
) -> tuple[str, Quarter]:
    """The report's HTML and the quarter it covers."""
    if suppress_below < 0:
        raise CjbError(f"--suppress-below {suppress_below}: must be 0 (off) or more")
    warehouse = Path(warehouse)
    sup = Suppressor(suppress_below)
    with data.open_warehouse(warehouse) as con:
        tables = data.mart_columns(con)
        rows = data.scorecard(con, tables)
        until = data.data_until(con, tables)
        record_level = {r.quarter for r in rows if r.source in data.RECORD_LEVEL_SOURCES}
        q, basis, provisional = choose_quarter(
            sorted({r.quarter for r in rows}), quarter, until, today, record_level
        )
        docs = load_definitions(con)
        sc_doc = docs.get(data.SCORECARD)
        scorecard = render.ScorecardView(
            rows,
            q,
            sup,
            data.measure_definitions(con),
            sc_doc.column("change_vs_last_year_pct") if sc_doc else None,
        )
        groups = scorecard.groups()
        sections = [
            render.trials_section(con, tables, docs, q, sup),
            render.oocr_section(con, tables, docs, q, sup, until),
            render.fjsb_section(con, tables, docs, q, sup),
            render.iom_section(con, tables, docs, sup),
        ]
    html = render.render_html(
        warehouse=warehouse,
        quarter=q,
        quarter_basis=basis,
        provisional=provisional,
        data_until=until,
        groups=groups,
        sections=sections,
        sup=sup,
        scorecard_doc=docs.get(data.SCORECARD),
        generated_at=generated_at or datetime.now(),
    )
    return html, q


def default_out(warehouse: Path, q: Quarter) -> Path:
    """``<warehouse folder>/reports/wcjb-scorecard-2018-19-Q3.html``."""
    return (
        Path(warehouse).parent / "reports" / f"wcjb-scorecard-{q.financial_year}-Q{q.number}.html"
    )


def write_report(
    warehouse: Path,
    out: Path | None = None,
    quarter: str | None = None,
    suppress_below: int = DEFAULT_THRESHOLD,
) -> Path:
    """Write the scorecard of ``quarter`` (default: the latest complete) to ``out``; return it.

    ``out`` None writes ``reports/wcjb-scorecard-<quarter>.html`` beside the warehouse. The
    file is written beside its destination and moved into place, so a reader never sees half.
    """
    html, q = build_report(Path(warehouse), quarter, suppress_below)
    out = Path(out) if out is not None else default_out(Path(warehouse), q)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return out
