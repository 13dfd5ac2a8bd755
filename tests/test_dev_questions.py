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
#: floors sit two points from the figures of 2026-11-30, late (right / wrong among answers, by
#: `advisor eval`: A 90.8% / 3.3%, B 85.0% / 4.7%, C 86.0% / 5.8%, D 89.2% / 1.7%, E 86.5% / 2.5%,
#: F 87.3% / 5.6%, G 80.0% / 6.7%, H 83.5% / 4.3%, I 85.8% / 7.2%, J 85.3% / 7.9%, K 90.0% / 14.3%,
#: L 84.2% / 4.7%), so that one answer turning into a decline does not fail CI while a real fall
#: does; raise them as the advisor improves. First tries are noted beside the batches written today.
#: (file, in-scope right at least, wrong at most)
APPLICANT_BATCHES = [
    ("batch-a.yaml", 0.888, 0.053),
    ("batch-b.yaml", 0.83, 0.067),
    ("batch-c.yaml", 0.84, 0.078),
    ("batch-d.yaml", 0.872, 0.045),
    ("batch-e.yaml", 0.845, 0.045),
    ("batch-f.yaml", 0.853, 0.076),
    ("batch-g.yaml", 0.78, 0.087),
    ("batch-h.yaml", 0.807, 0.063),
    ("batch-i.yaml", 0.83, 0.093),
    # Batch J (hard near misses among its out-of-scope questions): 80.9% / 10.6% at its first try.
    ("batch-j.yaml", 0.811, 0.101),
    # Batch K (personal eligibility cases): 71.0% / 28.3% at its first try.
    ("batch-k.yaml", 0.87, 0.172),
    # Batch L (weak English, apologetic and chatty): 76.7% / 8.0% at its first try.
    ("batch-l.yaml", 0.805, 0.068),
    # Batch M (readers of a flyer; written at the end of the day): 76.0% / 15.6% at its first try.
    ("batch-m.yaml", 0.74, 0.166),
    # Batch N (supervisors, partners, HR staff and e-mails to the office): 69.1% / 18.3% at its first try.
    ("batch-n.yaml", 0.716, 0.176),
    # Batch O (conversations, 67 turns): 81.4% / 12.3% at its first try, turns 50 of 67.
    ("batch-o.yaml", 0.794, 0.143),
]


@pytest.mark.parametrize(("name", "right", "wrong"), APPLICANT_BATCHES)
def test_applicant_batches_do_not_fall_back(bot: Advisor, name: str, right: float, wrong: float) -> None:
    report = evaluate(bot, load_questions(Path(__file__).parent / "data" / "applicants" / name))
    summary = format_report(report)
    assert report.in_scope.rate >= right, summary
    assert report.wrong_rate <= wrong, summary
