"""`advisor eval`: scoring is right on a small hand-made file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor import Advisor
from advisor.cli import main
from advisor.evaluation import EvalFileError, evaluate, load_questions, says_not_known

HAND_MADE = """\
- {q: "What colour are the cats?", expect: ["grey"]}
- {q: "What colour are the cats?", expect: ["purple"]}
- {q: "How many dogs does LUMC have?", expect: ["\\\\b4\\\\b"]}
- {q: "Who won the world cup?", oos: true}
- {q: "What colour are the cats?", oos: true}
- {q: "How many dogs does Erasmus MC have?", near: "Erasmus"}
- turns:
  - {q: "How many dogs does LUMC have?", expect: ["4"]}
  - {q: "What colour are the cats?", expect: ["grey"]}
  - {q: "Who won the world cup?", oos: true}
  - {q: "What colour are the cats?", oos: true}
"""


@pytest.fixture
def hand_made(tmp_path: Path) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(HAND_MADE, encoding="utf-8")
    return path


def test_evaluate_counts_each_kind(tiny_advisor: Advisor, hand_made: Path) -> None:
    report = evaluate(tiny_advisor, load_questions(hand_made))
    assert (report.in_scope.passed, report.in_scope.total) == (2, 3)
    assert (report.out_of_scope.passed, report.out_of_scope.total) == (1, 2)
    assert (report.near.passed, report.near.total) == (1, 1)
    # An out-of-scope turn passes when declined, like an out-of-scope question (the cats question is
    # answered, so it fails).
    assert (report.turns.passed, report.turns.total) == (3, 4)
    kinds = sorted((f.kind, f.reason.split()[0]) for f in report.failures)
    assert kinds == [("in-scope", "missing"), ("out-of-scope", "answered"), ("turn", "answered")]
    assert report.failures[0].intent == "cats.colour"
    # The in-scope miss was an answer without its fact, not a decline: it is a wrong answer, and so
    # is the answered out-of-scope question; the right in-scope answers make up the rest.
    assert (report.in_scope_wrong, report.in_scope_declined) == (1, 0)
    assert report.wrong_answers == (2, 4)


def test_eval_cli_thresholds_and_json(tiny_kb: Path, hand_made: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(hand_made), "--knowledge", str(tiny_kb)]) == 0
    assert "in scope answered" in capsys.readouterr().out
    assert main(["eval", str(hand_made), "--knowledge", str(tiny_kb), "--min-in-scope", "0.9"]) == 1
    capsys.readouterr()
    assert main(["eval", str(hand_made), "--knowledge", str(tiny_kb), "--min-declined", "50%", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["in_scope"] == {"passed": 2, "total": 3, "rate": 0.6667}
    assert data["wrong_among_answers"] == {"wrong": 2, "answers": 4, "rate": 0.5}
    assert main(["eval", str(hand_made), "--knowledge", str(tiny_kb), "--max-wrong", "40%"]) == 1
    assert main(["eval", str(hand_made), "--knowledge", str(tiny_kb), "--max-wrong", "0.5"]) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{q: 1}", "list"),
        ("- 3", "not a mapping"),
        ("- {expect: [x]}", "no question"),
        ("- {q: x, expect: ['(']}", "bad regular expression"),
        ("- [", "YAML error"),
    ],
)
def test_eval_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalFileError, match=message):
        load_questions(path)
    assert main(["eval", str(path)]) == 2


@pytest.mark.parametrize(
    ("text", "not_known"),
    [
        ("What fellows took home is not in any source I have. General context: ...", True),
        ("I don't know: no source gives the number of applications.", True),
        ("Call 2 had forty places. For Call 1 no number of advertised positions survives.", True),
        ("I can't check Call 3: its PhD window did not survive in any source.", True),
        ("Call 2 closed on 10 January 2018.", False),
        # Said only after the first paragraph, it may never be read.
        ("Call 2 closed on 10 January 2018.\n  - its places: 40\nIts applicants are not known.", False),
        ("The mobility rule of Calls 1 and 2: at most 12 months in the country.", False),
    ],
)
def test_an_answer_saying_a_fact_is_in_no_source_counts_as_declining(text: str, not_known: bool) -> None:
    assert says_not_known(text) is not_known
