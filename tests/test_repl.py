"""The prompt_toolkit loop with pipe input and dummy output; one real pseudo-terminal run."""

from __future__ import annotations

import io
import os
import stat
import sys
import textwrap
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

import advisor
from advisor import Advisor
from advisor.models import Answer, Source
from advisor.render import render_answer, wrap
from advisor.repl import history_path, open_history, run_repl, toolbar_for
from advisor.session import Reply, Session


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
    assert history.is_file(), "the chat kept no history"
    assert "How many ERC projects" in history.read_text()


# --- issue 12: the terminal --------------------------------------------------------------------


class SizedOutput(DummyOutput):
    """A dummy terminal whose size the test sets (and changes, as a user resizing the window)."""

    def __init__(self, columns: int, rows: int = 40) -> None:
        self.columns, self.rows = columns, rows

    def get_size(self) -> Size:
        return Size(rows=self.rows, columns=self.columns)


def drive_sized(session: Session, keys: str, output: SizedOutput) -> str:
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        prompt: PromptSession[str] = PromptSession(input=pipe, output=output)
        assert run_repl(session, prompt_session=prompt, out=out) == 0
    return out.getvalue()


def _words(text: str) -> set[str]:
    return set(text.split())


def test_wrapping_follows_the_terminal_when_it_is_resized(bot: Advisor) -> None:
    output = SizedOutput(120)

    class Resized(Session):
        def handle(self, line: str) -> Reply:
            reply = super().handle(line)
            output.columns = 80  # the user narrows the window after the first answer
            return reply

    question = "Am I eligible?"
    text = bot.conversation().ask(question).text
    opening = " ".join(text.split()[:4])
    out = drive_sized(Resized(bot), f"{question}\rcancel\r{question}\r", output)
    wide, narrow = (block.split("\n\nSources:")[0] for block in out.split(opening)[1:3])
    assert 80 < max(len(line) for line in wide.splitlines()) <= 100  # 120 columns: wrapped at 100 at most
    assert max(len(line) for line in narrow.splitlines()) <= 79
    # No word was cut at either width.
    assert set(wide.split()) == set(narrow.split()) == set(text.split("\n\nLet's")[0].split()[4:])


def test_banner_and_command_errors_are_wrapped_and_the_toolbar_fits(bot: Advisor) -> None:
    out = drive_sized(Session(bot), "/topics nosuchtopic\r", SizedOutput(50))
    assert all(len(line) <= 49 for line in out.splitlines()), out
    assert "No topic 'nosuchtopic'" in out
    for columns in (30, 50, 80, 120):
        assert len(toolbar_for(columns)) <= columns
    assert "Ctrl-D" in toolbar_for(120) and "/quit" in toolbar_for(50)


def test_a_hard_line_break_inside_an_answer_is_not_ragged_and_urls_are_never_broken() -> None:
    # An answer as a knowledge file may hold it: a list, and a paragraph broken mid-sentence.
    source = Source("s", "Title", "https://example.org/a/very/long/path/that/is/longer/than/forty", "P", "2017")
    text = (
        "LUMC grouped its research into profiles:\n  1. Ageing\n  2. Biomedical Imaging\n"
        "Later research pages list ten themes instead, so the\nseven profiles describe the LEaDing period, "
        "not today, and the pages of that period are the source of this list of profiles."
    )
    answer = Answer(text=text, matched=True, intent="x", sources=[source])
    shown = render_answer(answer, width=60)
    assert "  2. Biomedical Imaging\n" in shown  # list items keep their own lines
    paragraph = "Later research pages" + shown.split("Later research pages")[1].split("\n\n")[0]
    joined = " ".join(paragraph.split())
    assert paragraph == textwrap.fill(joined, 60)  # one paragraph, not a line broken short in the middle
    narrow = render_answer(answer, width=40)
    assert f"    {source.url}\n" in narrow + "\n"
    assert (
        wrap("see https://example.org/a/very/long/path/that/is/longer/than/the/width now", 20).splitlines()[1]
        == "https://example.org/a/very/long/path/that/is/longer/than/the/width"
    )


@pytest.mark.parametrize("word", ["quit", "exit", "bye", "Bye!"])
def test_quit_exit_and_bye_leave_without_the_slash(bot: Advisor, word: str) -> None:
    code, out = drive(bot, f"{word}\rHow is LUMC ranked?\r")
    assert code == 0 and out.rstrip().endswith("Goodbye.") and "6th" not in out


def test_ctrl_d_says_goodbye(bot: Advisor) -> None:
    code, out = drive(bot, "\x04")
    assert code == 0 and out.rstrip().endswith("Goodbye.")


def test_a_pasted_block_of_lines_is_asked_line_by_line_in_order(bot: Advisor) -> None:
    paste = "\x1b[200~When did call 1 close?\nHow is LUMC ranked?\x1b[201~\r"
    code, out = drive(bot, paste)
    assert code == 0
    first, second = out.index("31 March 2017"), out.index("6th")
    assert first < out.index("advisor> How is LUMC ranked?") < second


def test_the_checks_question_is_the_last_thing_shown(bot: Advisor) -> None:
    session = Session(bot, width=100)
    reply = session.handle("Am I eligible?")
    assert reply.text.index("Sources:") < reply.text.index("Let's check your own case. I need to know")
    assert reply.text.rstrip().endswith('Or "both".')
    session.handle("2")
    side = session.handle("How is LUMC ranked?")
    assert side.text.index("Sources:") < side.text.index("Back to your eligibility check: When did you obtain")
    assert side.text.rstrip().endswith('"March 2015".')


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_output_taller_than_the_terminal_goes_through_the_pager(isolated_xdg: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    paged = isolated_xdg / "paged.txt"
    env = {
        **os.environ,
        "XDG_STATE_HOME": str(isolated_xdg / "state"),
        "NO_COLOR": "1",
        "TERM": "xterm",
        "PAGER": f"cat >> '{paged}'",
    }
    child = pexpect.spawn(sys.executable, ["-m", "advisor"], env=env, encoding="utf-8", timeout=30, dimensions=(24, 80))
    log = io.StringIO()
    child.logfile_read = log
    try:
        child.expect("advisor>")
        child.sendline("/sources")  # 25 sources: taller than 24 rows
        child.expect("advisor>")
        child.sendline("How long was the fellowship?")  # short: printed as it is
        child.expect("24-month appointment")
        child.expect("advisor>")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF) as exc:
        pytest.fail(f"{type(exc).__name__}; terminal said:\n{log.getvalue()}")
    child.close()
    text = paged.read_text()
    assert text.startswith("Sources:") and text.count("://") == len(advisor.Advisor().knowledge.sources)
    assert "24-month appointment" not in text


def test_dates_and_call_numbers_are_not_split_across_lines() -> None:
    text = "applicants needed a PhD from before 1 October 2017 for Call 1, or from October 2012 on for Call 2"
    for width in range(20, 60):
        wrapped = wrap(text, width)
        assert "1 October 2017" in wrapped and "October 2012" in wrapped and "Call 1" in wrapped, wrapped
        assert "\u00a0" not in wrapped
