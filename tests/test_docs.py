"""The README says what the program does: its commands exist and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.cli import SUBCOMMANDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)


def test_readme_first_screen_has_install_and_chat_then_tests() -> None:
    first_screen = "\n".join(README.splitlines()[:30])
    blocks = re.findall(r"```sh\n(.*?)```", first_screen, flags=re.DOTALL)
    assert len(blocks) >= 2
    assert blocks[0].strip().endswith(".venv/bin/advisor") and "pip install" in blocks[0]
    assert "pytest" in blocks[1] and "pip install" in blocks[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = shell_blocks()[1].strip()
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert test_command in ci_lines


def test_readme_mentions_every_subcommand() -> None:
    for name in SUBCOMMANDS:
        if name != "chat":
            assert f"advisor {name}" in README


def chat_transcripts() -> list[str]:
    """The README's code blocks that show a chat session ("advisor> " prompts)."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in README.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
                blocks.append(current)
            else:
                current = None
        elif current is not None:
            current.append(line)
    texts = ["\n".join(block) + "\n" for block in blocks]
    return [text for text in texts if re.search(r"^advisor> ", text, flags=re.MULTILINE)]


def test_readme_chat_transcripts_are_what_the_chat_prints() -> None:
    """Replayed in an 80-column chat, every line the README shows comes out, in order ("..." marks a cut)."""
    from advisor import Advisor
    from advisor.session import Session

    bot = Advisor()
    transcripts = chat_transcripts()
    assert len(transcripts) >= 3
    for transcript in transcripts:
        session = Session(bot, width=79)
        banner, *turns = re.split(r"^advisor> ", transcript, flags=re.MULTILINE)
        if banner.strip():
            assert banner.strip() == session.welcome()
        for turn in turns:
            question, _, shown = turn.partition("\n")
            printed = session.handle(question).text.splitlines()
            position = 0
            for line in shown.rstrip("\n").splitlines():
                if line.strip() == "...":
                    continue
                assert line in printed[position:], f"{question!r}: README line {line!r} not printed (in order)"
                position = printed.index(line, position) + 1
