"""Questions about the present, and answers that already speak of it.

A programme that has ended is described as it was: its facts are dated. Asked how things are now
("How many projects does it currently coordinate?", "Is it still 6th in the newest ranking?"), the honest
answer says that the sources describe those years, then what they said.
"""

from __future__ import annotations

import functools
import re

# "currentyear" is the synonym table's word for "this year" and the years after the programme's end.
_ASKS_ABOUT_NOW = (
    r"\b(currently|at the moment|these days|nowadays|right now|at present|today|newest|most recent ranking"
    r"|still exists?|still existing|still works?|currentyear)\b"
)
# An answer that already says where things stand now: the programme has ended, the calls are closed.
_SPEAKS_OF_NOW = (
    r"\b(has ended|have ended|long been closed|no longer|no call is open|is closed|are closed|all closed)\b"
)


@functools.cache
def _pattern(expression: str, flags: int = 0) -> re.Pattern[str]:
    """Compiled on first use: most questions never ask about the present."""
    return re.compile(expression, flags)


def asks_about_now(normalized: str) -> bool:
    """Whether a question (as normalized by the matcher: folded to lower case) asks how things are now.
    Matched case-sensitively: every answered question is asked this, and re.IGNORECASE made the search
    three times slower."""
    return _pattern(_ASKS_ABOUT_NOW).search(normalized) is not None


def speaks_of_now(answer: str) -> bool:
    """Whether an answer already says how things stand now (the programme has ended)."""
    return _pattern(_SPEAKS_OF_NOW, re.IGNORECASE).search(answer) is not None
