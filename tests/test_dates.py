"""Dates and durations as applicants write them."""

from __future__ import annotations

from datetime import date

import pytest

from advisor.dates import (
    MonthOnly,
    Period,
    add_months,
    describe,
    find_dates,
    find_ranges,
    months_between,
    parse_date,
    parse_months,
)

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("March 2015", date(2015, 3, 1), date(2015, 3, 31), "month"),
        ("in Feb. 2016", date(2016, 2, 1), date(2016, 2, 29), "month"),
        ("1 February 2012", date(2012, 2, 1), date(2012, 2, 1), "day"),
        ("the 3rd of May 2014", date(2014, 5, 3), date(2014, 5, 3), "day"),
        ("February 1, 2012", date(2012, 2, 1), date(2012, 2, 1), "day"),
        ("10/11/2016", date(2016, 11, 10), date(2016, 11, 10), "day"),
        ("10.11.2016", date(2016, 11, 10), date(2016, 11, 10), "day"),
        ("25/12/2015", date(2015, 12, 25), date(2015, 12, 25), "day"),
        ("2015-03-01", date(2015, 3, 1), date(2015, 3, 1), "day"),
        ("3/2015", date(2015, 3, 1), date(2015, 3, 31), "month"),
        ("2010", date(2010, 1, 1), date(2010, 12, 31), "year"),
        # A season is its three months (winter, which spans two years, is not read).
        ("autumn 2018", date(2018, 9, 1), date(2018, 11, 30), "season"),
        ("in the spring of 2018", date(2018, 3, 1), date(2018, 5, 31), "season"),
        ("mid-2015", date(2015, 5, 1), date(2015, 8, 31), "season"),
        ("late 2017", date(2017, 9, 1), date(2017, 12, 31), "season"),
    ],
)
def test_dates_as_people_write_them(text: str, first: date, last: date, precision: str) -> None:
    period = parse_date(f"I defended my thesis {text}.")
    assert period is not None
    assert (period.first, period.last, period.precision) == (first, last, precision)


def test_numeric_dates_are_day_first_and_flagged_only_when_ambiguous() -> None:
    ambiguous = parse_date("10/11/2016")
    unambiguous = parse_date("25/11/2016")
    assert ambiguous is not None and ambiguous.day_first_numeric
    assert unambiguous is not None and not unambiguous.day_first_numeric


@pytest.mark.parametrize("text", ["31/02/2015", "13/13/2015", "my 12 papers", "May I apply?", "call 2", "1890"])
def test_impossible_dates_and_other_numbers_are_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_a_month_without_a_year_is_kept_as_such() -> None:
    [found] = find_dates("I defend in June")
    assert found.value == MonthOnly(6, "June")


@pytest.mark.parametrize(
    ("text", "begin", "finish"),
    [
        ("from January 2016 to June 2017", date(2016, 1, 1), date(2017, 6, 30)),
        ("from 1/9/2015 until 31/8/2016", date(2015, 9, 1), date(2016, 8, 31)),
        ("between 2015 and 2016", date(2015, 1, 1), date(2016, 12, 31)),
        ("2016-2017", date(2016, 1, 1), date(2017, 12, 31)),
        ("March 2015 - May 2016", date(2015, 3, 1), date(2016, 5, 31)),
        ("from March to June 2017", date(2017, 3, 1), date(2017, 6, 30)),
        ("from November 2016 to February", date(2016, 11, 1), date(2017, 2, 28)),
        ("since 2019", date(2019, 1, 1), TODAY),
    ],
)
def test_ranges(text: str, begin: date, finish: date) -> None:
    [found] = find_ranges(f"I lived in Leiden {text}.", today=TODAY)
    assert (found.begin.first, found.finish.last) == (begin, finish)


@pytest.mark.parametrize("text", ["in 2015 and 2016", "from 2017 to 2015", "in 2015, then 2016"])
def test_not_ranges(text: str) -> None:
    assert find_ranges(text, today=TODAY) == []


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("8 months", 8),
        ("two years", 24),
        ("a year", 12),
        ("a year and a half", 18),
        ("one and a half years", 18),
        ("1.5 years", 18),
        ("2 and a half years", 30),
        ("half a year", 6),
        ("an 18-month stay", 18),
        ("twelve months", 12),
        ("52 weeks", 12),
    ],
)
def test_durations(text: str, months: float) -> None:
    assert parse_months(f"I stayed there {text}.") == pytest.approx(months)


def test_no_duration() -> None:
    assert parse_months("never") is None


def test_month_arithmetic() -> None:
    assert add_months(date(2012, 10, 1), -6) == date(2012, 4, 1)
    assert add_months(date(2013, 7, 1), -36) == date(2010, 7, 1)
    assert add_months(date(2012, 10, 1), -18) == date(2011, 4, 1)
    assert add_months(date(2016, 1, 31), 1) == date(2016, 2, 29)
    assert months_between(date(2014, 10, 1), date(2015, 9, 30)) == pytest.approx(12, abs=0.02)
    assert months_between(date(2016, 1, 1), date(2015, 1, 1)) == 0


def test_describe_keeps_the_precision_given() -> None:
    assert describe(Period(date(2015, 3, 1), date(2015, 3, 31), "march 2015", "month")) == "March 2015"
    assert describe(Period(date(2010, 1, 1), date(2010, 12, 31), "2010", "year")) == "2010"
    assert describe(Period(date(2016, 11, 10), date(2016, 11, 10), "10/11/2016", "day")) == "10 November 2016"


@pytest.mark.parametrize(
    "text", ["I spent 2015 in Delft", "in Delft for all of 2015", "throughout 2015 I was there", "whole 2015 in Delft"]
)
def test_a_whole_year_is_a_stretch_of_time(text: str) -> None:
    (found,) = find_ranges(text, today=date(2026, 1, 1))
    # From its first day to its last: twelve months, not some time within the year.
    assert (found.begin.last, found.finish.first) == (date(2015, 1, 1), date(2015, 12, 31))


def test_years_listed_after_a_whole_year_are_whole_years() -> None:
    found = find_ranges("I worked in Groningen all of 2015 and 2016", today=date(2026, 1, 1))
    assert [(r.begin.last, r.finish.first) for r in found] == [
        (date(2015, 1, 1), date(2015, 12, 31)),
        (date(2016, 1, 1), date(2016, 12, 31)),
    ]
    # Without "all of", two years named are two dates, not two whole years.
    assert find_ranges("I lived in Delft in 2015 and 2016", today=date(2026, 1, 1)) == []


def test_a_year_alone_is_no_stretch_of_time() -> None:
    # "in 2015" may be a week of it: the check asks how long.
    assert find_ranges("I lived in Delft in 2015", today=date(2026, 1, 1)) == []


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Amsterdam Jan - June 2016", date(2016, 1, 1), date(2016, 6, 30)),
        ("Groningen mar to may 2017", date(2017, 3, 1), date(2017, 5, 31)),
        ("may - june 2016", date(2016, 5, 1), date(2016, 6, 30)),
    ],
)
def test_a_month_opening_a_range_of_months_needs_no_preposition(text: str, first: date, last: date) -> None:
    (found,) = find_ranges(text)
    assert (found.begin.first, found.finish.last) == (first, last)


def test_may_as_a_verb_opens_no_range() -> None:
    assert find_ranges("I may - or may not - go in June 2016") == []
