"""The exceptions the advisor raises; each says how to fix what went wrong."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class AdvisorError(Exception):
    """Base class of every error the advisor raises on purpose."""


class Problem(NamedTuple):
    """One thing wrong with a knowledge folder, located as precisely as we can."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class KnowledgeError(AdvisorError):
    """The knowledge folder cannot be used as it is.

    Every problem found is listed (file, line, message), not just the first, so a
    curator can fix them all in one pass. Fix the YAML files named, then run
    `advisor check` again.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid knowledge base")


class KnowledgeNotFoundError(KnowledgeError):
    """No knowledge folder could be located; pass --knowledge PATH (or knowledge=...)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__([Problem(path, None, message)])
