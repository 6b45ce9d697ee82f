"""Financial quarters as the Board labels them (``../shared/contracts/marts.md``, "Calendar").

The financial year runs April to March and is labelled ``2018-19``; ``Q1`` is April to June, so
October to December 2018 is ``2018-19 Q3``. Users may type ``2018-19Q3`` or ``2018-19 Q3``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cjb.errors import CjbError

_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2})\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: ``fy_start`` is the calendar year the financial year starts in."""

    fy_start: int
    number: int  # 1..4

    @property
    def financial_year(self) -> str:
        return f"{self.fy_start}-{(self.fy_start + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"{self.financial_year} Q{self.number}"

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        year = self.fy_start + (month - 1) // 12
        return date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return (
            Quarter(self.fy_start + 1, 1)
            if self.number == 4
            else Quarter(self.fy_start, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.fy_start - 1, 4)
            if self.number == 1
            else Quarter(self.fy_start, self.number - 1)
        )

    def span(self) -> str:
        """``1 October to 31 December 2018``, as the performance report words it."""
        s, e = self.start, self.end
        return f"{s.day} {s:%B} to {e.day} {e:%B %Y}"

    def __str__(self) -> str:
        return self.label


def parse_quarter(text: str) -> Quarter:
    """``2018-19Q3`` or ``2018-19 Q3`` (case and spacing are forgiven) as a :class:`Quarter`."""
    m = _LABEL.match(text or "")
    if not m:
        raise CjbError(
            f"quarter {text!r} is not a financial quarter: write it like 2018-19Q3 or '2018-19 Q3'"
        )
    first, second, number = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if (first + 1) % 100 != second:
        raise CjbError(
            f"quarter {text!r}: a financial year runs over two consecutive years, "
            f"e.g. {first}-{(first + 1) % 100:02d}"
        )
    return Quarter(first, number)


def quarter_of(day: date) -> Quarter:
    """The financial quarter a date falls in."""
    fy_start = day.year if day.month >= 4 else day.year - 1
    return Quarter(fy_start, (day.month - 4) % 12 // 3 + 1)


def month_end(month_start: date) -> date:
    """The last day of the month that starts on (or contains) ``month_start``."""
    first = month_start.replace(day=1)
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def latest_complete(
    available: list[Quarter], data_until: date | None, today: date | None = None
) -> Quarter | None:
    """The default quarter of the report: the latest one in ``available`` that is complete.

    A quarter is complete when it has ended (its last day is before ``today``) and the
    warehouse's record-level data reaches its last day (``data_until``: the end of the latest
    month with data). Without record-level data (``data_until`` is None) the latest ended
    quarter is taken. ``None`` when no quarter qualifies.
    """
    today = today or date.today()
    ended = [q for q in available if q.end < today]
    if data_until is not None:
        ended = [q for q in ended if q.end <= data_until]
    return max(ended) if ended else None
