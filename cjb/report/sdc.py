"""Statistical disclosure control for a report that may be published.

The rule (the warehouse itself keeps exact figures; only the published document is protected):

- a count from 1 up to ``threshold - 1`` is shown as ``<threshold`` (``<5`` by default); zero is
  shown as ``0`` because "nobody" discloses nothing about a person;
- a percentage, rate or other figure built on such a count (its numerator or its denominator)
  is not shown at all: it reads ``[c]`` (confidential) and the document carries a footnote;
- ``threshold`` 0 (or 1) turns suppression off.

Pure functions, no I/O: :class:`Suppressor` also counts what it hid, so the report can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_THRESHOLD = 5
SUPPRESSED = "[c]"
MISSING = "–"  # en dash: no figure (no data, or a zero denominator)


def is_small(count: float | int | None, threshold: int) -> bool:
    """True when ``count`` must not be published: 0 < count < threshold."""
    if count is None or threshold <= 1:
        return False
    return 0 < count < threshold


def any_small(counts: Iterable[float | int | None], threshold: int) -> bool:
    return any(is_small(c, threshold) for c in counts)


def round_half_away(value: float | Decimal, places: int = 1) -> Decimal:
    """Round as the marts do: half away from zero (2.25 -> 2.3, -2.25 -> -2.3)."""
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def pct(numerator: float | int | None, denominator: float | int | None) -> Decimal | None:
    """``numerator / denominator`` as a 0-100 percentage to one decimal; None on a zero denominator."""
    if numerator is None or not denominator:
        return None
    return round_half_away(Decimal(str(numerator)) * 100 / Decimal(str(denominator)), 1)


def format_count(count: float | int | None) -> str:
    if count is None:
        return MISSING
    if float(count).is_integer():
        return f"{int(count):,}"
    return f"{float(count):,.1f}"


def format_pct(value: float | Decimal | None, signed: bool = False) -> str:
    if value is None:
        return MISSING
    text = f"{round_half_away(value, 1):,.1f}%"
    if signed:
        if Decimal(str(value)) > 0:
            return "+" + text
        if text.startswith("-"):
            return "−" + text[1:]  # a proper minus sign
    return text


@dataclass
class Suppressor:
    """Applies the rule with one threshold and counts the cells it hid."""

    threshold: int = DEFAULT_THRESHOLD
    counts_hidden: int = 0
    figures_hidden: int = 0

    @property
    def enabled(self) -> bool:
        return self.threshold > 1

    @property
    def small_label(self) -> str:
        return f"<{self.threshold}"

    def small(self, count: float | int | None) -> bool:
        return is_small(count, self.threshold)

    def count(self, count: float | int | None) -> str:
        """A count for publication: exact, or ``<5`` when small (zero stays ``0``)."""
        if self.small(count):
            self.counts_hidden += 1
            return self.small_label
        return format_count(count)

    def derived(self, text: str, *counts: float | int | None) -> str:
        """``text`` (an already formatted figure) unless any count it is built on is small."""
        if any_small(counts, self.threshold):
            self.figures_hidden += 1
            return SUPPRESSED
        return text

    def pct(self, value: float | Decimal | None, *counts: float | int | None, signed=False) -> str:
        """A percentage built on ``counts`` (its numerator and denominator)."""
        return self.derived(format_pct(value, signed=signed), *counts)

    def value(self, value: float | Decimal | None, *counts: float | int | None) -> float | None:
        """A number for a chart: None (a gap) when it would disclose a small count."""
        if value is None or any_small(counts, self.threshold):
            return None
        return float(value)

    @property
    def anything_hidden(self) -> bool:
        return bool(self.counts_hidden or self.figures_hidden)

    def note(self) -> str:
        if not self.enabled:
            return (
                "Statistical disclosure control is switched off for this copy: every figure is "
                "exact. Do not publish it without checking for small numbers."
            )
        t = self.threshold
        return (
            f"To protect the people behind the figures, counts from 1 to {t - 1} are shown as "
            f"“<{t}” and the percentages, rates and costs built on them are withheld and shown "
            f"as “{SUPPRESSED}”; a zero is shown as 0. Charts leave such points out. The "
            f"warehouse keeps the exact figures. In this copy {self.counts_hidden} count(s) and "
            f"{self.figures_hidden} derived figure(s) were withheld."
        )
