"""Dates and durations as applicants write them, rule-based.

Every date becomes a Period (its first and last possible day), so "2010" and
"March 2015" keep their uncertainty: a rule can then say "it depends" instead
of guessing. Numeric dates are read day first, as in Europe ("10/11/2016" is
10 November 2016).
"""

from __future__ import annotations

import calendar
import itertools
import re
from datetime import date, timedelta
from typing import NamedTuple

from .months import MONTH_NAMES as MONTH_NAMES
from .months import MONTHS as MONTHS

#: Average month length, so "8 months" and a span of days compare fairly.
DAYS_PER_MONTH = 30.436875
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20,
    "twenty-four": 24, "thirty-six": 36,
}  # fmt: skip

#: The months of a season (northern hemisphere, as the programme's dates are; winter, which spans two
#: years, is left out) and of a year's early, middle and late part ("mid-2015").
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "early": (1, 4),
    "mid": (5, 8),
    "late": (9, 12),
}
# What leads from the start of a range to its end ("2015 - 2016", "March to May"); between two dates
# "and" does too (see _RANGE_JOIN).
_RANGE_WORDS = r"-|–|—|to|until|till|through"
_MONTH = r"(?P<{0}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
# One alternation, longest forms first; the group names say which form was found.
_DATE = re.compile(
    r"(?<![\w/.])(?:"
    + _DAY.format("d1") + r"\s+(?:of\s+)?" + _MONTH.format("m1") + r",?\s+" + _YEAR.format("y1")
    + "|" + _MONTH.format("m2") + r"\s+" + _DAY.format("d2") + r",?\s+" + _YEAR.format("y2")
    + r"|(?P<d3>[0-3]?\d)[/.-](?P<m3>[01]?\d)[/.-](?P<y3>(?:19|20)\d\d)"
    + r"|(?P<y6>(?:19|20)\d\d)-(?P<m6>[01]\d)-(?P<d6>[0-3]\d)"
    + "|" + _MONTH.format("m4") + r",?\s+(?:of\s+)?" + _YEAR.format("y4")
    + r"|(?P<m7>[01]?\d)/(?P<y7>(?:19|20)\d\d)"
    + r"|(?P<s8>spring|summer|autumn|fall|early|mid|late)(?:\s+|-)(?:of\s+)?(?P<y8>(?:19|20)\d\d)"
    + "|" + _YEAR.format("y5")
    + r"|\b(?:in|from|since|until|till|to|and|between)\s+" + _MONTH.format("m5") + r"(?!\.?,?\s*(?:of\s+)?\d)"
    # "Jan - June 2016": a month that opens a range of months (without "from", "may" is no month).
    + "|" + _MONTH.format("m9")
    + r"(?=\s*(?:" + _RANGE_WORDS + r")\s*" + _MONTH.format("m10") + r"\s+(?:19|20)\d\d)"
    + r")(?![\w/])",
    re.IGNORECASE,
)  # fmt: skip
# What may stand between the two ends of a range: "from A to B", "between A and B", "A - B".
_RANGE_JOIN = re.compile(r"\s*(?:" + _RANGE_WORDS + r"|and)\s*", re.IGNORECASE)
_RANGE_OPENER = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)
# "all of 2015", "throughout 2015", "spent 2015 in <a city>": the whole of that year, a stretch of time.
_WHOLE_OF = re.compile(
    r"\b(?:all of|all|the whole of|the whole|whole|the entire|entire|throughout|spent|spend|spending)\s+$",
    re.IGNORECASE,
)
# "all of 2015 and 2016": the years listed after a whole year are whole years too.
_LISTED = re.compile(r"\s*(?:,|and|&|,\s*and)\s*", re.IGNORECASE)
_AMOUNT = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_DURATION = re.compile(
    r"\b(?P<half_year>a year and a half|one and a half years?|1\.5 years?|half a year)\b"
    r"|\b(?P<n>" + _AMOUNT + r")(?P<half> and a half)?[\s-]*(?P<unit>years?|yrs?|months?|mos?|weeks?|wks?|days?)\b",
    re.IGNORECASE,
)


class Period(NamedTuple):
    """A date known to lie between `first` and `last` (inclusive)."""

    first: date
    last: date
    text: str
    precision: str  # "day", "month", "season" ("autumn 2018") or "year"
    day_first_numeric: bool = False  # written like 10/11/2016, where the order matters

    @property
    def exact(self) -> bool:
        return self.first == self.last

    @property
    def is_now(self) -> bool:
        """Whether this is the end of a stay that goes on (see `until_now`), not a date the writer gave."""
        return self.text == _NOW


#: The text of the Period that ends a stay still going on ("since 2015", "I moved there in 2016").
_NOW = "now"


def until_now(today: date) -> Period:
    """The end of a stay that goes on: `today`, marked as such (Period.is_now)."""
    return Period(today, today, _NOW, "day")


class MonthOnly(NamedTuple):
    """A month named without a year ("in June"): the year comes from context or must be asked."""

    month: int
    text: str


class DateSpan(NamedTuple):
    """A date found in a text, with where it was found."""

    value: Period | MonthOnly
    start: int
    end: int


class Range(NamedTuple):
    """A stretch of time ("from January 2016 to June 2017"), with where it was found."""

    begin: Period
    finish: Period
    start: int
    end: int


def month_period(year: int, month: int, text: str) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), text, "month")


def _from_match(match: re.Match[str]) -> Period | MonthOnly | None:
    groups = match.groupdict()
    text = match.group(0).strip()
    try:
        for d, m, y in (("d1", "m1", "y1"), ("d2", "m2", "y2")):
            if groups[y]:
                day = date(int(groups[y]), MONTHS[groups[m].lower()], int(groups[d]))
                return Period(day, day, text, "day")
        if groups["y3"]:
            day = date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
            return Period(day, day, text, "day", day_first_numeric=day.day <= 12 and day.day != day.month)
        if groups["y6"]:
            day = date(int(groups["y6"]), int(groups["m6"]), int(groups["d6"]))
            return Period(day, day, text, "day")
        if groups["y4"]:
            return month_period(int(groups["y4"]), MONTHS[groups["m4"].lower()], text)
        if groups["y7"]:
            return month_period(int(groups["y7"]), int(groups["m7"]), text)
        if groups["y8"]:
            first_month, last_month = SEASONS[groups["s8"].lower()]
            year = int(groups["y8"])
            last = calendar.monthrange(year, last_month)[1]
            return Period(date(year, first_month, 1), date(year, last_month, last), text, "season")
        if groups["y5"]:
            year = int(groups["y5"])
            return Period(date(year, 1, 1), date(year, 12, 31), text, "year")
        for name in ("m5", "m9"):
            if groups[name]:
                return MonthOnly(MONTHS[groups[name].lower()], groups[name])
    except ValueError:
        return None  # "31/02/2015", "13/13/2015": not a date
    return None


def find_dates(text: str) -> list[DateSpan]:
    """Every date in `text`, in order."""
    found = []
    for match in _DATE.finditer(text):
        value = _from_match(match)
        if value is not None:
            # "from March": the date is "March"; the word before it is left to the range rules.
            start = match.start("m5") if isinstance(value, MonthOnly) and match.group("m5") else match.start()
            found.append(DateSpan(value, start, match.end()))
    return found


def parse_date(text: str) -> Period | None:
    """The first complete date in `text`, or None."""
    for found in find_dates(text):
        if isinstance(found.value, Period):
            return found.value
    return None


def with_year(month_only: MonthOnly, year: int) -> Period:
    return month_period(year, month_only.month, f"{month_only.text} {year}")


def find_ranges(text: str, *, today: date | None = None, dates: list[DateSpan] | None = None) -> list[Range]:
    """Stretches of time: "from A to B", "between A and B", "A - B", "since A" (until `today`), and a
    whole year ("all of 2015", "spent 2015 in ...", "whole 2015 and 2016").

    A month without a year takes the year of the other end ("from March to June 2017").
    `dates` is `find_dates(text)` when the caller already has it.
    """
    if dates is None:
        dates = find_dates(text)
    ranges: list[Range] = []
    used: set[int] = set()
    for i, (a, b) in enumerate(itertools.pairwise(dates)):
        if i in used or not _RANGE_JOIN.fullmatch(text[a.end : b.start]):
            continue
        joiner = text[a.end : b.start].strip().lower()
        opened = _RANGE_OPENER.search(text[: a.start])
        if joiner == "and" and not opened:
            continue  # "in 2015 and 2016" lists two dates; "between 2015 and 2016" is a range
        begin, finish = a.value, b.value
        if isinstance(finish, MonthOnly):
            if not isinstance(begin, Period):
                continue
            finish = with_year(finish, begin.first.year if finish.month >= begin.first.month else begin.first.year + 1)
        if isinstance(begin, MonthOnly):
            begin = with_year(begin, finish.first.year if begin.month <= finish.first.month else finish.first.year - 1)
        if begin.first <= finish.last:
            ranges.append(Range(begin, finish, opened.start() if opened else a.start, b.end))
            used.update((i, i + 1))
    if today is not None:
        for i, found in enumerate(dates):
            if i not in used and isinstance(found.value, Period) and _SINCE.search(text[: found.start]):
                ranges.append(Range(found.value, until_now(today), found.start, found.end))
                used.add(i)
    whole = False  # the date before was a whole year ("all of 2015 and 2016")
    for i, found in enumerate(dates):
        listed = whole and _LISTED.fullmatch(text[dates[i - 1].end : found.start]) is not None
        year = found.value
        whole = (
            i not in used
            and isinstance(year, Period)
            and year.precision == "year"
            and (listed or _WHOLE_OF.search(text[: found.start]) is not None)
        )
        if whole and isinstance(year, Period):
            # The whole year, from its first day to its last: twelve months, not "somewhere in it".
            begin = Period(year.first, year.first, year.text, "day")
            finish = Period(year.last, year.last, year.text, "day")
            ranges.append(Range(begin, finish, found.start, found.end))
    return sorted(ranges, key=lambda r: r.start)


def parse_months(text: str) -> float | None:
    """The first duration in `text` in months ("8 months", "two years", "a year and a half"), or None."""
    match = _DURATION.search(text)
    if match is None:
        return None
    if match.group("half_year"):
        return 6.0 if match.group("half_year").lower().startswith("half") else 18.0
    raw = match.group("n").lower().replace(",", ".")
    amount = float(raw) if raw[0].isdigit() else float(NUMBER_WORDS[raw])
    if match.group("half"):
        amount += 0.5
    unit = match.group("unit").lower()
    if unit.startswith("y"):
        return amount * 12
    if unit.startswith("w"):
        return amount * 12 / 52
    if unit.startswith("d"):
        return amount / DAYS_PER_MONTH
    return amount


def say_months(months: float, *, exact: bool = False) -> str:
    """A duration as people say it: "10 days", "3 weeks", "8 months", "about a year and a half".

    `exact` keeps months to one decimal where the figure decides something (near a limit);
    otherwise months are rounded and marked "about". Never more than one decimal.
    """
    days = months * DAYS_PER_MONTH
    if days < 0.5:
        return "no time"
    if days < 14:
        return _plural(round(days), "day")
    if days < 8 * 7:
        weeks = days / 7
        return ("" if abs(weeks - round(weeks)) < 0.15 else "about ") + _plural(round(weeks), "week")
    nearly_whole = abs(months - round(months)) < 0.05
    if exact and not nearly_whole:
        return f"{months:.1f} months"
    about = "" if nearly_whole else "about "
    if months >= 12 and not exact:
        years, rest = divmod(round(months * 2) / 2, 12)  # to the nearest half month, then years
        if rest == 0:
            return about + ("a year" if years == 1 else f"{years:.0f} years")
        if rest == 6:
            return about + ("a year and a half" if years == 1 else f"{years:.0f} and a half years")
    return about + _plural(round(months), "month")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" + ("" if count == 1 else "s")


def months_between(first: date, last: date) -> float:
    """Length of the inclusive span first..last in calendar months (0 when last is before first).

    Whole calendar months count as one each, so "1 July 2015 to 30 June 2016" is exactly 12
    months whatever the leap years; what is left over counts in days of the month it falls in.
    """
    if last < first:
        return 0.0
    end = last + timedelta(days=1)  # exclusive
    whole = (end.year - first.year) * 12 + end.month - first.month
    if _shift(first, whole) > end:
        whole -= 1
    anchor = _shift(first, whole)
    following = _shift(first, whole + 1)
    return whole + (end - anchor).days / (following - anchor).days


def _shift(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_months(day: date, months: float) -> date:
    """`day` moved by a (possibly fractional, possibly negative) number of months."""
    whole = int(months)
    return _shift(day, whole) + timedelta(days=round((months - whole) * DAYS_PER_MONTH))


def format_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def describe(period: Period) -> str:
    """A period as the applicant gave it, spelt out ("March 2015", "2010", "10 November 2016")."""
    if period.precision == "year":
        return str(period.first.year)
    if period.precision == "month":
        return f"{MONTH_NAMES[period.first.month]} {period.first.year}"
    if period.precision == "season":
        return f"{period.text[0].upper()}{period.text[1:].lower()}"
    return format_date(period.first)
