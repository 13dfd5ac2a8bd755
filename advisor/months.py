"""The months' names as answers write them: English whatever the locale.

A module of its own because the programme file's status line needs them at every start, and
advisor.dates (date parsing, with its regular expressions and the calendar module) is only needed
once a message holds a date. `calendar.month_name` follows LC_TIME and asks strftime on every use.
"""

from __future__ import annotations

MONTH_NAMES = (
    "", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
#: Each month's name and the abbreviations people write, as typed (lower case): what dates are parsed from
#: (advisor.dates) and what names a call by a month it was open in (advisor.normalize).
MONTH_WORDS = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"),
    ("november", "nov"), ("december", "dec"),
)  # fmt: skip
#: A month's name or abbreviation -> its number.
MONTHS = {name: number for number, names in enumerate(MONTH_WORDS, 1) for name in names}
