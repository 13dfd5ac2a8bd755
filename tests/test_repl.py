"""The prompt_toolkit loop with pipe input and dummy output; one real pseudo-terminal run."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor import Advisor
from advisor.repl import history_path, open_history, run_repl
from advisor.session import Session


def drive(bot: Advisor, keys: str) -> tuple[int, str]:
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()  # end of input after the keys: a test can never hang waiting
        prompt: PromptSession[str] = PromptSession(input=pipe, output=DummyOutput())
        code = run_repl(Session(bot), prompt_session=prompt, out=out)
    return code, out.getvalue()


def test_repl_answers_then_quits(bot: Advisor) -> None:
    code, out = drive(bot, "How is LUMC ranked?\r/quit\r")
    assert code == 0
    assert "Type /help" in out and "6th" in out and "Sources:" in out and "Goodbye" in out


def test_repl_command_then_ctrl_d(bot: Advisor) -> None:
    code, out = drive(bot, "/topics\r\x04")
    assert code == 0 and "eligibility" in out


def test_repl_ctrl_c_clears_the_line_and_continues(bot: Advisor) -> None:
    code, out = drive(bot, "half a quest\x03When did call 2 close?\r\x04")
    assert code == 0 and "10 January 2018" in out


def test_repl_closed_input_ends_cleanly(bot: Advisor) -> None:
    code, out = drive(bot, "What is LUMC?\r")
    assert code == 0 and "university medical centre" in out


def test_repl_guided_eligibility_check_then_reset(bot: Advisor) -> None:
    code, out = drive(bot, "Am I eligible?\r2\rMarch 2015\r/reset\rnever\r\x04")
    assert code == 0
    assert "Which call" in out and "Noted: Call 2; PhD March 2015." in out
    # /reset forgot the check: "never" is no longer read as time in the Netherlands.
    assert "You would have been eligible" not in out


def test_history_file_is_private(isolated_xdg: Path) -> None:
    open_history(keep=True)
    path = history_path()
    assert path == isolated_xdg / "state" / "advisor" / "history"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_history_writes_nothing(isolated_xdg: Path) -> None:
    open_history(keep=False)
    assert not (isolated_xdg / "state").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_repl_end_to_end_in_a_pseudo_terminal(isolated_xdg: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "XDG_STATE_HOME": str(isolated_xdg / "state"), "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable, ["-m", "advisor"], env=env, encoding="utf-8", timeout=30, dimensions=(40, 120)
    )
    log = io.StringIO()
    child.logfile_read = log
    try:
        child.expect("advisor>")
        child.sendline("How many ERC projects has LUMC hosted?")
        child.expect("19 projects funded by the European Research Council")
        child.expect_exact("https://www.lumc.nl/research/leading-fellows/about-lumc-and-research/")
        child.expect("advisor>")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF) as exc:  # show what the terminal showed
        pytest.fail(f"{type(exc).__name__}; terminal said:\n{log.getvalue()}")
    child.close()
    assert child.exitstatus == 0
    history = history_path()
    assert "How many ERC projects" in history.read_text() if history.exists() else True
