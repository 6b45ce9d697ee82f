"""The disclosure-control rule, on its own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cjb.report.sdc import SUPPRESSED, Suppressor, is_small, pct, round_half_away


@pytest.mark.parametrize(
    ("count", "small"),
    [(0, False), (1, True), (3, True), (4, True), (5, False), (None, False)],
)
def test_counts_from_one_to_below_the_threshold_are_small(count, small):
    assert is_small(count, 5) is small


def test_threshold_zero_or_one_turns_suppression_off():
    assert not is_small(3, 0)
    assert not is_small(0.5, 1)
    sup = Suppressor(0)
    assert not sup.enabled
    assert sup.count(3) == "3"
    assert sup.pct(Decimal("75.0"), 3, 4) == "75.0%"
    assert "switched off" in sup.note()


def test_small_counts_read_below_the_threshold_zero_and_threshold_as_they_are():
    sup = Suppressor(5)
    assert sup.count(3) == "<5"
    assert sup.count(0) == "0"
    assert sup.count(5) == "5"
    assert sup.count(12345) == "12,345"
    assert sup.count(None) == "–"
    assert Suppressor(10).count(7) == "<10"


def test_figures_built_on_a_small_count_are_withheld():
    sup = Suppressor(5)
    assert sup.pct(Decimal("75.0"), 3, 4) == SUPPRESSED  # numerator and denominator small
    assert sup.pct(Decimal("3.0"), 3, 100) == SUPPRESSED  # numerator small
    assert sup.pct(Decimal("0.0"), 0, 100) == "0.0%"  # zero discloses nothing
    assert sup.pct(Decimal("24.5"), 60, 245) == "24.5%"
    assert sup.pct(Decimal("-3.1"), 100, 200, signed=True) == "−3.1%"
    assert sup.pct(Decimal("3.1"), 100, 200, signed=True) == "+3.1%"
    assert sup.derived("£54,000", 3) == SUPPRESSED
    assert sup.value(75.0, 3, 4) is None  # a chart leaves it out
    assert sup.value(24.5, 60, 245) == 24.5


def test_the_suppressor_counts_what_it_hid_and_says_so():
    sup = Suppressor(5)
    sup.count(3)
    sup.count(7)
    sup.pct(50.0, 2, 4)
    assert (sup.counts_hidden, sup.figures_hidden) == (1, 1)
    note = sup.note()
    assert "“<5”" in note and SUPPRESSED in note and "1 count(s)" in note


def test_percentages_round_half_away_from_zero_as_the_marts_do():
    assert round_half_away(2.25) == Decimal("2.3")
    assert round_half_away(-2.25) == Decimal("-2.3")
    assert pct(60, 245) == Decimal("24.5")
    assert pct(1, 8) == Decimal("12.5")
    assert pct(1, 0) is None and pct(None, 5) is None
