"""Quarter labels and the report's default quarter."""

from __future__ import annotations

from datetime import date

import pytest

from cjb.errors import CjbError
from cjb.report import choose_quarter
from cjb.report.quarter import Quarter, latest_complete, parse_quarter, quarter_of

Q3 = Quarter(2018, 3)


@pytest.mark.parametrize("text", ["2018-19Q3", "2018-19 Q3", " 2018-19 q3 ", "2018/19 Q3"])
def test_both_spellings_of_a_quarter_are_accepted(text):
    assert parse_quarter(text) == Q3


def test_a_quarter_knows_its_months_and_label():
    assert Q3.label == "2018-19 Q3"
    assert (Q3.start, Q3.end) == (date(2018, 10, 1), date(2018, 12, 31))
    assert Quarter(2018, 4).start == date(2019, 1, 1)
    assert Quarter(2018, 4).end == date(2019, 3, 31)
    assert Q3.span() == "1 October to 31 December 2018"
    assert quarter_of(date(2019, 3, 31)) == Quarter(2018, 4)
    assert quarter_of(date(2018, 4, 1)) == Quarter(2018, 1)
    assert Quarter(2018, 1).previous() == Quarter(2017, 4)


@pytest.mark.parametrize("text", ["2018Q3", "2018-19 Q5", "Q3 2018-19", "", "2018-20 Q1"])
def test_a_malformed_quarter_is_a_clear_error(text):
    with pytest.raises(CjbError, match="2018-19|consecutive"):
        parse_quarter(text)


ALL = [Quarter(2018, n) for n in (1, 2, 3, 4)]


def test_the_default_is_the_latest_quarter_the_data_cover():
    # Data to the end of January 2019: Q4 is not complete.
    assert latest_complete(ALL, date(2019, 1, 31), today=date(2024, 1, 1)) == Q3
    assert latest_complete(ALL, date(2019, 3, 31), today=date(2024, 1, 1)) == Quarter(2018, 4)
    # A quarter that has not ended is never complete, whatever the data say.
    assert latest_complete(ALL, date(2019, 3, 31), today=date(2019, 3, 31)) == Q3
    # No record-level data: the latest ended quarter.
    assert latest_complete(ALL, None, today=date(2024, 1, 1)) == Quarter(2018, 4)
    assert latest_complete(ALL, date(2018, 5, 31), today=date(2024, 1, 1)) is None


def test_choose_quarter_explains_its_choice():
    q, basis, provisional = choose_quarter(
        ALL, None, date(2019, 1, 31), today=date(2024, 1, 1), record_level=set(ALL)
    )
    assert q == Q3 and not provisional
    assert "latest complete quarter" in basis and "31 January 2019" in basis


def test_quarters_without_record_level_measures_are_not_complete():
    # A partner delivered a figure for Q4; the agencies' extracts cover up to Q3.
    q, _, _ = choose_quarter(
        ALL, None, None, today=date(2024, 1, 1), record_level={Quarter(2018, 1), Q3}
    )
    assert q == Q3


def test_nothing_complete_gives_the_latest_marked_provisional():
    q, basis, provisional = choose_quarter(ALL, None, date(2018, 5, 31), today=date(2024, 1, 1))
    assert q == Quarter(2018, 4) and provisional and "provisional" in basis


def test_a_requested_quarter_must_be_in_the_scorecard():
    q, _, provisional = choose_quarter(ALL, "2018-19Q2", date(2019, 3, 31))
    assert q == Quarter(2018, 2) and not provisional
    with pytest.raises(CjbError) as err:
        choose_quarter(ALL, "2017-18 Q4", date(2019, 3, 31))
    message = str(err.value)
    assert "2017-18 Q4 is not in marts.wcjb_scorecard" in message
    assert "2018-19 Q1, 2018-19 Q2, 2018-19 Q3, 2018-19 Q4" in message


def test_an_empty_scorecard_is_a_clear_error():
    with pytest.raises(CjbError, match="no rows"):
        choose_quarter([], None, None)
