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
