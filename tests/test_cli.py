"""The command line: exit codes, JSON, subcommand parsing, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import __version__
from advisor.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def run_program(*options: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m advisor OPTIONS` as its own process, with `stdin` piped in (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "advisor", *options], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_cli_question_prints_answer_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["How", "is", "LUMC", "ranked?"], capsys)
    assert code == 0 and err == ""
    assert "6th" in out
    assert "Sources:" in out and "https://www.lumc.nl/research/leading-fellows/about-lumc-and-research/" in out


def test_cli_declined_question_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["How tall is the Eiffel tower?"], capsys)
    assert code == 1 and "leadingfellows@tudelft.nl" in out


def test_cli_json_is_answer_to_dict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--json", "When did call 2 close?"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["matched"] is True and data["intent"] == "calls.call2"
    assert "10 January 2018" in data["text"]
    assert data["sources"][0]["url"].startswith("https://")


def test_cli_options_may_follow_the_question(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["When did call 2 close?", "--json"], capsys)
    assert code == 0 and json.loads(out)["intent"] == "calls.call2"


def test_cli_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and __version__ in out
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "advisor check" in out and "exit status" in out


def test_cli_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--threshold", "high", "q"], capsys)
    assert code == 2 and "advisor: error:" in err


def test_cli_ask_subcommand_asks_a_subcommands_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["ask", "--json", "check"], capsys)
    data = json.loads(out)
    assert code in (0, 1) and "text" in data  # answered or declined, but asked, not run
    code, _, err = run(["ask"], capsys)
    assert code == 2 and "question" in err


def test_cli_bad_knowledge_exits_2_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "broken.yaml").write_text("topic: t\nentries:\n  - id: [oops\n", encoding="utf-8")
    code, out, err = run(["--knowledge", str(tmp_path), "anything"], capsys)
    assert code == 2 and out == ""
    assert "broken.yaml:" in err and "Traceback" not in err
    code, _, err = run(["--knowledge", str(tmp_path / "missing"), "anything"], capsys)
    assert code == 2 and "no such folder" in err


def test_cli_custom_knowledge(tiny_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--knowledge", str(tiny_kb), "what colour are cats"], capsys)
    assert code == 0 and "grey" in out


def test_cli_check_clean_and_dirty(tiny_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check"], capsys)
    assert code == 0 and out.strip().endswith("0 problems")
    code, out, _ = run(["check", "--knowledge", str(tmp_path / "nowhere")], capsys)
    assert code == 2 and "no such folder" in out


def test_cli_no_question_without_terminal_answers_each_line() -> None:
    result = run_program(stdin="How is LUMC ranked?\n\nWhen did call 1 close?\nand call 3?\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Sources:") == 3
    assert "6th" in result.stdout and "31 October 2018" in result.stdout


def test_cli_batch_json_is_one_object_per_line() -> None:
    result = run_program("--json", stdin="What is LUMC?\nHow tall is the Eiffel tower?\n")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 2
    assert [json.loads(line)["matched"] for line in lines] == [True, False]


def test_python_dash_m_advisor_is_the_same_program() -> None:
    result = run_program("How many ERC projects has LUMC hosted?")
    assert result.returncode == 0 and "19" in result.stdout and result.stderr == ""


def test_cli_single_question_with_every_fact_gets_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["Am I eligible for call 2? PhD in March 2015, never lived in the Netherlands."], capsys)
    assert code == 0
    assert out.startswith("You would have been eligible for Call 2.")
    assert "http://leadingfellows.eu/contact/" in out


def test_cli_batch_mode_carries_the_eligibility_check_across_lines() -> None:
    result = run_program(stdin="Am I eligible?\ncall 1\nJune 2012\nnone\nnever\n")
    assert result.returncode == 0, result.stderr
    assert "You would not have been eligible for Call 1, because your PhD (June 2012)" in result.stdout


# --- issue 12: the command line ----------------------------------------------------------------


class FakeTerminal:
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("not a real terminal")


@pytest.mark.parametrize(("value", "colour"), [(None, True), ("", True), ("1", False), ("0", False)])
def test_no_color_counts_only_when_set_and_not_empty(
    monkeypatch: pytest.MonkeyPatch, value: str | None, colour: bool
) -> None:
    from advisor.cli import _use_color

    if value is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", value)
    assert _use_color(FakeTerminal(), disabled=False) is colour  # type: ignore[arg-type]
    assert _use_color(FakeTerminal(), disabled=True) is False  # type: ignore[arg-type]


def test_json_on_a_terminal_without_a_question_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    code, out, err = run(["--json"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("usage:") and "--json needs a question" in err


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_question_is_a_usage_error(capsys: pytest.CaptureFixture[str], blank: str) -> None:
    code, out, err = run([blank], capsys)
    assert code == 2 and out == "" and "the question is empty" in err


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_batch_exits_1_only_when_every_question_was_declined(json_flag: list[str]) -> None:
    declined = run_program(*json_flag, stdin="How tall is the Eiffel tower?\nWho won the world cup?\n")
    assert declined.returncode == 1, declined.stderr
    mixed = run_program(*json_flag, stdin="How tall is the Eiffel tower?\nHow is LUMC ranked?\n")
    assert mixed.returncode == 0, mixed.stderr
    assert run_program(*json_flag, stdin="\n").returncode == 0  # nothing asked, nothing declined


def test_eval_help_documents_the_file_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["eval", "--help"], capsys)
    assert code == 0
    for part in ("expect:", "oos: true", "near:", "turns:", "example:"):
        assert part in out, part


def test_eval_yaml_errors_name_the_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "questions.yaml"
    bad.write_text('- {q: "x", expect: [\n- q: y\n', encoding="utf-8")
    code, _, err = run(["eval", str(bad)], capsys)
    assert code == 2 and "<unicode string>" not in err
    assert f"{bad}, line 2, column 1: YAML error" in err
