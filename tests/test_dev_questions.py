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
#: floors sit two points from the figures of 2026-11-30, evening (right / wrong among answers, by
#: `advisor eval`: A 89.2% / 1.7%, B 85.0% / 4.7%, C 85.3% / 5.2%, D 87.7% / 1.7%, E 85.0% / 5.0%,
#: F 80.6% / 9.2%, G 79.3% / 9.0%, H 78.9% / 3.6%, I 79.2% / 11.2%; the code of that morning gave
#: G 75.7%, H 75.2% and I 72.5% right), so that one answer turning into a decline does not fail CI
#: while a real fall does; raise them as the advisor improves.
#: (file, in-scope right at least, wrong at most)
APPLICANT_BATCHES = [
    ("batch-a.yaml", 0.872, 0.037),
    ("batch-b.yaml", 0.83, 0.067),
    ("batch-c.yaml", 0.833, 0.072),
    ("batch-d.yaml", 0.857, 0.037),
    ("batch-e.yaml", 0.83, 0.07),
    ("batch-f.yaml", 0.786, 0.112),
    ("batch-g.yaml", 0.773, 0.11),
    ("batch-h.yaml", 0.769, 0.056),
    ("batch-i.yaml", 0.772, 0.132),
    # Batch J (hard near misses among its out-of-scope questions): 80.9% / 10.6% at its first try.
    ("batch-j.yaml", 0.796, 0.118),
    # Batch K (personal eligibility cases): 71.0% / 28.3% at its first try.
    ("batch-k.yaml", 0.81, 0.173),
    # Batch L (weak English, apologetic and chatty): 76.7% / 8.0% at its first try.
    ("batch-l.yaml", 0.788, 0.069),
]


@pytest.mark.parametrize(("name", "right", "wrong"), APPLICANT_BATCHES)
def test_applicant_batches_do_not_fall_back(bot: Advisor, name: str, right: float, wrong: float) -> None:
    report = evaluate(bot, load_questions(Path(__file__).parent / "data" / "applicants" / name))
    summary = format_report(report)
    assert report.in_scope.rate >= right, summary
    assert report.wrong_rate <= wrong, summary
