"""The interactive chat: a thin prompt_toolkit loop around a Session."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import WordCompleter
from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from .history_file import prepare_history_file
from .render import clean
from .session import COMMAND_HELP, Session

#: The bottom toolbar, longest first: the first that fits the terminal's width is shown.
TOOLBARS = (
    " /help  /topics  /sources  /why  /reset  /quit   Ctrl-D leaves ",
    " /help  /topics  /sources  /why  /quit ",
    " /help  /quit ",
)
#: Text is wrapped to the terminal, but never wider than this (long lines are hard to read) or narrower.
MAX_WIDTH, MIN_WIDTH = 100, 20
DEFAULT_PAGER = "less -FRX"  # -F: no pager when it fits after all; -R: keep colours; -X: leave it on screen


def toolbar_for(columns: int) -> str:
    """The longest toolbar that fits `columns`."""
    return next((bar for bar in TOOLBARS if len(bar) <= columns), TOOLBARS[-1][:columns])


def wrap_width(columns: int) -> int:
    """The width to wrap text to on a terminal `columns` wide (one column spare, so no line fills it)."""
    return max(MIN_WIDTH, min(columns - 1, MAX_WIDTH))


def history_path() -> Path:
    """$XDG_STATE_HOME/advisor/history (default ~/.local/state/advisor/history)."""
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "advisor" / "history"


def open_history(*, keep: bool = True) -> History:
    """A private (0600) history file, or an in-memory one if not kept or not writable."""
    if not keep:
        return InMemoryHistory()
    path = history_path()
    try:
        # Created 0600 before prompt_toolkit opens it: questions may be personal.
        prepare_history_file(path)
    except OSError as exc:
        print(f"advisor: history not kept: {clean(str(path))}: {exc.strerror or exc}", file=sys.stderr)
        return InMemoryHistory()
    return FileHistory(str(path))


def build_prompt_session(session: Session, *, keep_history: bool = True) -> PromptSession[str]:
    words = [*COMMAND_HELP, *(f"/topics {t}" for t in session.topic_names), *session.topic_names]

    def toolbar() -> str:
        return toolbar_for(get_app().output.get_size().columns)

    return PromptSession(
        history=open_history(keep=keep_history),
        auto_suggest=AutoSuggestFromHistory(),
        completer=WordCompleter(words, ignore_case=True, sentence=True),
        bottom_toolbar=toolbar,
    )


def run_repl(
    session: Session,
    *,
    prompt_session: PromptSession[str] | None = None,
    out: TextIO,
    keep_history: bool = True,
) -> int:
    """Read, answer, print until /quit or Ctrl-D; Ctrl-C only clears the line. Returns 0.

    Text is wrapped to the terminal's width when it is printed (the terminal may have been
    resized since the last answer); what is taller than the terminal goes through a pager.
    """
    prompt = prompt_session or build_prompt_session(session, keep_history=keep_history)
    session.width = lambda: wrap_width(prompt.output.get_size().columns)
    print(session.welcome() + "\n", file=out, flush=True)
    while True:
        try:
            line = prompt.prompt("advisor> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            print("Goodbye.", file=out, flush=True)
            break
        # A paste of several lines is several questions, asked in order.
        questions = [part for part in line.splitlines() if part.strip()]
        for question in questions:
            if len(questions) > 1:
                print(f"advisor> {question.strip()}", file=out, flush=True)
            reply = session.handle(question)
            if reply.text:
                show(reply.text + "\n", out=out, rows=prompt.output.get_size().rows)
            if reply.exit:
                return 0
    return 0


def show(text: str, *, out: TextIO, rows: int) -> None:
    """Print `text`, through a pager ($PAGER, else less) when it is taller than the terminal."""
    if text.count("\n") >= rows - 1 and _isatty(out) and _page(text):
        return
    print(text, file=out, flush=True)


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def _page(text: str) -> bool:
    """Show `text` in the pager; False if there is none or it failed (the caller then prints)."""
    import shutil
    import subprocess

    command = os.environ.get("PAGER") or (DEFAULT_PAGER if shutil.which("less") else "")
    if not command.strip():
        return False
    try:
        # As git and pgcli do, $PAGER is a shell command line ("less -R", "most").
        done = subprocess.run(command, shell=True, input=text, text=True, check=False, errors="replace")
    except OSError:
        return False
    # 127: the shell found no such program; anything else (including q in less) was shown.
    return done.returncode != 127
