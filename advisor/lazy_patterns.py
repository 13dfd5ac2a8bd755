"""Regular expressions compiled on first use.

Most questions never need most patterns, and compiling them all at import would cost every start a
few milliseconds: a module keeps the pattern's text and calls the compiled pattern when it needs it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


def compiled_on_first_use(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function that returns `pattern` compiled with `flags`, compiling it the first time only."""
    return functools.cache(lambda: re.compile(pattern, flags))
