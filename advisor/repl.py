"""The interactive chat: a thin prompt_toolkit loop around a Session."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import WordCompleter
from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from .history_file import prepare_history_file
from .render import clean
from .session import COMMAND_HELP, Session

TOOLBAR = " /help  /topics  /sources  /why  /reset  /quit   Ctrl-D leaves "


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
    return PromptSession(
        history=open_history(keep=keep_history),
        auto_suggest=AutoSuggestFromHistory(),
        completer=WordCompleter(words, ignore_case=True, sentence=True),
        bottom_toolbar=TOOLBAR,
    )


def run_repl(
    session: Session,
    *,
    prompt_session: PromptSession[str] | None = None,
    out: TextIO,
    keep_history: bool = True,
) -> int:
    """Read, answer, print until /quit or Ctrl-D; Ctrl-C only clears the line. Returns 0."""
    prompt = prompt_session or build_prompt_session(session, keep_history=keep_history)
    print(session.welcome() + "\n", file=out, flush=True)
    while True:
        try:
            line = prompt.prompt("advisor> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        reply = session.handle(line)
        if reply.text:
            print(reply.text + "\n", file=out, flush=True)
        if reply.exit:
            break
    return 0
