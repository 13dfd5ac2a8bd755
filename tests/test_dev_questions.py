"""The development question set and our own paraphrase set, at the bar the issues set (95% answered, 95% declined)."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import Advisor
from advisor.evaluation import evaluate, format_report, load_questions
from tests.conftest import SHARED

DEV = SHARED / "eval" / "dev-questions.yaml"


@pytest.mark.skipif(not DEV.exists(), reason="shared/eval/dev-questions.yaml is not beside the repository")
def test_dev_question_set_meets_the_bar(bot: Advisor) -> None:
    report = evaluate(bot, load_questions(DEV))
    summary = format_report(report)
    assert report.in_scope.rate >= 0.95, summary
    assert report.out_of_scope.rate >= 0.95, summary
    assert report.near.rate == 1.0, summary
    assert report.turns.rate == 1.0, summary


def test_paraphrase_set_meets_the_same_bar(bot: Advisor) -> None:
    """Questions worded unlike the dev set and the entries, kept in the repository so CI runs them."""
    report = evaluate(bot, load_questions(Path(__file__).parent / "data" / "paraphrases.yaml"))
    summary = format_report(report)
    assert report.in_scope.rate >= 0.95, summary
    assert report.out_of_scope.rate >= 0.95, summary
    assert report.near.rate == 1.0, summary
    assert report.turns.rate == 1.0, summary


#: Question batches written by people who never saw the knowledge base (see each file's header). The
#: floors sit two points below the figures of 2026-11-30, end of the day (right / wrong among answers:
#: A 90.0% / 6.4%, B 84.2% / 13.7%, C 81.3% / 12.9%, D 85.4% / 7.5%, E 82.7% / 7.6%, F 79.1% / 13.1%;
#: E and F were first tried at 75.2% / 13.8% and 79.1% / 13.1%), so that one answer turning into a
#: decline does not fail CI while a real fall does; raise them as the advisor improves.
#: (file, in-scope right at least, wrong at most)
APPLICANT_BATCHES = [
    ("batch-a.yaml", 0.88, 0.084),
    ("batch-b.yaml", 0.822, 0.157),
    ("batch-c.yaml", 0.793, 0.149),
    ("batch-d.yaml", 0.834, 0.095),
    ("batch-e.yaml", 0.807, 0.096),
    ("batch-f.yaml", 0.771, 0.151),
]


@pytest.mark.parametrize(("name", "right", "wrong"), APPLICANT_BATCHES)
def test_applicant_batches_do_not_fall_back(bot: Advisor, name: str, right: float, wrong: float) -> None:
    report = evaluate(bot, load_questions(Path(__file__).parent / "data" / "applicants" / name))
    summary = format_report(report)
    assert report.in_scope.rate >= right, summary
    assert report.wrong_rate <= wrong, summary
