"""Read the public marts for the report, read-only.

Only the public marts of ``../shared/contracts/marts.md`` are read. They are small (one row per
measure per quarter, per court per month, ...), so each query fetches its rows whole; nothing
reads a record-level table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from cjb.errors import CjbError
from cjb.report.quarter import Quarter, month_end, quarter_of

SCHEMA = "marts"
SCORECARD = "wcjb_scorecard"
# Scorecard sources the warehouse computes from record-level extracts (others are partners).
RECORD_LEVEL_SOURCES = frozenset(
    {"police_crimes", "police_uk", "court_trials", "oocr", "iom_cohort"}
)


@contextmanager
def open_warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The live warehouse opened read-only (never created, never changed)."""
    path = Path(path)
    if not path.is_file():
        raise CjbError(f"{path}: no warehouse file there; run `cjb run` or `cjb build` first")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise CjbError(f"{path}: cannot open the warehouse read-only: {exc}") from exc
    try:
        yield con
    finally:
        con.close()


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Every row of a query as dicts (DECIMAL as float), fetched completely."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [{n: _plain(v) for n, v in zip(names, r, strict=True)} for r in cur.fetchall()]


def mart_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """The tables of the ``marts`` schema and their columns."""
    out: dict[str, set[str]] = {}
    for r in rows(
        con,
        "select table_name, column_name from duckdb_columns() where schema_name = ?",
        [SCHEMA],
    ):
        out.setdefault(r["table_name"], set()).add(r["column_name"])
    return out


# --- the scorecard --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardRow:
    measure_code: str
    measure_name: str
    priority: int | None
    quarter: Quarter
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str | None
    previous_quarter_value: float | None
    same_quarter_last_year_value: float | None
    rolling_12m_value: float | None
    rolling_12m_last_year_value: float | None
    change_vs_last_year_pct: float | None
    target: float | None
    polarity: str | None
    rag_status: str | None
    trend: str | None
    source: str | None


_PERIOD = re.compile(r"(\d{4})-(\d{2})\s*Q([1-4])")


def _quarter_of_row(r: dict) -> Quarter:
    start = r.get("period_start")
    if isinstance(start, date):
        return quarter_of(start)
    m = _PERIOD.search(str(r.get("period_label") or ""))
    if not m:
        raise CjbError(f"marts.{SCORECARD}: row {r.get('measure_code')} has no period")
    return Quarter(int(m.group(1)), int(m.group(3)))


def scorecard(con: duckdb.DuckDBPyConnection, tables: dict[str, set[str]]) -> list[ScorecardRow]:
    """Every row of ``marts.wcjb_scorecard`` (one per measure per quarter: a few hundred)."""
    if SCORECARD not in tables:
        raise CjbError(f"the warehouse has no {SCHEMA}.{SCORECARD}: build it first (`cjb build`)")
    out = []
    for r in rows(con, f"select * from {SCHEMA}.{SCORECARD} order by measure_code, period_start"):
        priority = r.get("priority")
        out.append(
            ScorecardRow(
                measure_code=r["measure_code"],
                measure_name=r.get("measure_name") or r["measure_code"],
                priority=int(priority) if priority is not None else None,
                quarter=_quarter_of_row(r),
                value=r.get("value"),
                numerator=r.get("numerator"),
                denominator=r.get("denominator"),
                unit=r.get("unit"),
                previous_quarter_value=r.get("previous_quarter_value"),
                same_quarter_last_year_value=r.get("same_quarter_last_year_value"),
                rolling_12m_value=r.get("rolling_12m_value"),
                rolling_12m_last_year_value=r.get("rolling_12m_last_year_value"),
                change_vs_last_year_pct=r.get("change_vs_last_year_pct"),
                target=r.get("target"),
                polarity=r.get("polarity"),
                rag_status=(r.get("rag_status") or None),
                trend=(r.get("trend") or None),
                source=r.get("source"),
            )
        )
    return out


def data_until(con: duckdb.DuckDBPyConnection, tables: dict[str, set[str]]) -> date | None:
    """The last day of the latest month holding record-level data (crimes or trials).

    Read from the monthly marts (``crime_summary``, ``trial_effectiveness``); None when neither
    has a row.
    """
    latest: list[date] = []
    for table in ("crime_summary", "trial_effectiveness"):
        if "month_start" in tables.get(table, set()):
            r = rows(con, f"select max(month_start) as m from {SCHEMA}.{table}")
            if r and r[0]["m"] is not None:
                latest.append(r[0]["m"])
    return month_end(max(latest)) if latest else None


def measure_definitions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Measure definitions when the warehouse has them (a table with measure_code and a
    definition or description column, e.g. the Board's measure seed); else empty."""
    found = rows(
        con,
        """
        select schema_name, table_name, column_name from duckdb_columns()
        where column_name in ('definition', 'description', 'measure_definition')
          and (schema_name, table_name) in (
              select schema_name, table_name from duckdb_columns() where column_name = 'measure_code')
          and table_name <> ?
        order by column_name = 'definition' desc, schema_name, table_name
        """,
        [SCORECARD],
    )
    out: dict[str, str] = {}
    for f in found:
        for r in rows(
            con,
            f'select measure_code, "{f["column_name"]}" as d '
            f'from "{f["schema_name"]}"."{f["table_name"]}"',
        ):
            if r["measure_code"] and r["d"] and r["measure_code"] not in out:
                out[r["measure_code"]] = str(r["d"])
    return out


# --- the sections ---------------------------------------------------------------------------


def _quarter_number(value: Any) -> int | None:
    m = re.search(r"([1-4])\s*$", str(value or ""))
    return int(m.group(1)) if m else None


def trials_by_court(con, tables, q: Quarter) -> list[dict] | None:
    """Trials of the quarter per court (the quarter's three months summed)."""
    if "trial_effectiveness" not in tables:
        return None
    counts = [
        "trials_listed",
        "effective",
        "cracked",
        "ineffective",
        "vacated",
        "cracked_prosecution",
        "cracked_defence",
        "ineffective_prosecution",
        "ineffective_defence",
        "ineffective_court",
        "ineffective_other",
        "cracked_ineffective_prosecution",
    ]
    sums = ", ".join(f"sum({c}) as {c}" for c in counts)
    return rows(
        con,
        f"""
        select jurisdiction, court_code, court_name, {sums}
        from {SCHEMA}.trial_effectiveness
        where month_start between ? and ?
        group by jurisdiction, court_code, court_name
        order by jurisdiction, court_name, court_code
        """,
        [q.start, q.end],
    )


def trials_by_month(con, tables, first: date, last: date) -> list[dict] | None:
    """All courts together, month by month, between two dates."""
    if "trial_effectiveness" not in tables:
        return None
    return rows(
        con,
        f"""
        select month_start, sum(trials_listed) as trials_listed,
               sum(cracked) + sum(ineffective) as cracked_ineffective,
               sum(cracked_ineffective_prosecution) as cracked_ineffective_prosecution
        from {SCHEMA}.trial_effectiveness
        where month_start between ? and ?
        group by month_start order by month_start
        """,
        [first, last],
    )


def trial_reasons(con, tables, q: Quarter) -> list[dict] | None:
    """Reasons for cracked and ineffective trials in the quarter, all jurisdictions together."""
    if "trial_outcome_reasons" not in tables:
        return None
    found = rows(
        con,
        f"""
        select financial_quarter, trial_outcome, reason_code, reason, attributed_to,
               sum(trials) as trials
        from {SCHEMA}.trial_outcome_reasons
        where financial_year = ?
        group by all
        """,
        [q.financial_year],
    )
    kept = [r for r in found if _quarter_number(r.pop("financial_quarter")) == q.number]
    kept.sort(key=lambda r: (-(r["trials"] or 0), r["trial_outcome"] or "", r["reason_code"] or ""))
    return kept


def by_financial_year(con, tables, table: str, fy: str, order: str) -> list[dict] | None:
    """Rows of a per-financial-year mart for one year."""
    if table not in tables:
        return None
    return rows(
        con,
        f"select * from {SCHEMA}.{table} where financial_year = ? order by {order}",
        [fy],
    )


def financial_years(con, tables, table: str) -> list[str]:
    if table not in tables:
        return []
    return [
        r["financial_year"]
        for r in rows(
            con,
            f"select distinct financial_year from {SCHEMA}.{table} "
            "where financial_year is not null order by 1",
        )
    ]


def iom_outcomes(con, tables) -> list[dict] | None:
    if "iom_outcomes" not in tables:
        return None
    return rows(con, f"select * from {SCHEMA}.iom_outcomes order by cohort, area")
