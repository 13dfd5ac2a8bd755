"""argparse for the command line, apart so that a plain question (`advisor "..."`) never imports it:
argparse and its formatter cost about a tenth of a single question's run."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .render import clean


def help_width() -> int:
    """What argparse's formatter measures with shutil.get_terminal_size, without importing shutil
    (argparse builds a formatter for every option it is given, so every run would pay for it)."""
    try:
        return int(os.environ["COLUMNS"]) - 2
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno() if sys.__stdout__ else 1).columns - 2
    except (OSError, ValueError):
        return 78


class HelpFormatter(argparse.HelpFormatter):
    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, help_width() if width is None else width)


class RawHelpFormatter(HelpFormatter, argparse.RawDescriptionHelpFormatter):
    """The description as written (it holds a table of subcommands)."""


class Parser(argparse.ArgumentParser):
    """argparse, but errors are prefixed the same way as ours, cleaned of escapes, and exit 2."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(**kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, clean(f"advisor: error: {message}") + "\n")
