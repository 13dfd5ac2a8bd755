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
#: floors sit two points from the figures at the end of 2026-11-30's sixth session (right / wrong among
#: answers, by `advisor eval`: A 90.8% / 2.5%, B 88.3% / 4.5%, C 88.7% / 5.7%, D 92.3% / 3.2%, E 88.7% /
#: 2.5%, F 92.5% / 5.3%, G 82.9% / 7.2%, H 82.7% / 6.0%, I 89.2% / 7.8%, J 89.7% / 3.9%, K 92.0% / 10.7%,
#: L 90.8% / 1.8%, M 81.0% / 10.0%, N 73.6% / 14.7%, O 85.7% / 9.1%, P 89.2% / 5.3%), so that one answer
#: turning into a decline does not fail CI while a real fall does; raise them as the advisor improves.
#: First tries are noted beside the batches written on that day.
#: (file, in-scope right at least, wrong at most)
APPLICANT_BATCHES = [
    ("batch-a.yaml", 0.888, 0.045),
    ("batch-b.yaml", 0.863, 0.065),
    ("batch-c.yaml", 0.867, 0.077),
    ("batch-d.yaml", 0.903, 0.052),
    ("batch-e.yaml", 0.867, 0.045),
    ("batch-f.yaml", 0.905, 0.073),
    ("batch-g.yaml", 0.809, 0.092),
    ("batch-h.yaml", 0.807, 0.08),
    ("batch-i.yaml", 0.872, 0.098),
    # Batch J (hard near misses among its out-of-scope questions): 80.9% / 10.6% at its first try.
    ("batch-j.yaml", 0.877, 0.059),
    # Batch K (personal eligibility cases): 71.0% / 28.3% at its first try.
    ("batch-k.yaml", 0.9, 0.127),
    # Batch L (weak English, apologetic and chatty): 76.7% / 8.0% at its first try.
    ("batch-l.yaml", 0.888, 0.038),
    # Batch M (readers of a flyer; written at the end of the day): 76.0% / 15.6% at its first try.
    ("batch-m.yaml", 0.79, 0.12),
    # Batch N (supervisors, partners, HR staff and e-mails to the office): 69.1% / 18.3% at its first try.
    ("batch-n.yaml", 0.716, 0.167),
    # Batch O (conversations, 67 turns): 81.4% / 12.3% at its first try, turns 50 of 67.
    ("batch-o.yaml", 0.837, 0.111),
    # Batch P (all topics; written mid-session and not looked at until the end): 88.3% / 5.4% at its first
    # try, the same as the code of the session's start.
    ("batch-p.yaml", 0.872, 0.073),
    # Batch Q (chat-box style, hosts/application/mobility/eligibility weighted; 2026-11-30, seventh session):
    # 89.2% / 7.8% at its first try, the same as the code of the session's start; unanswerable 48/50.
    ("batch-q.yaml", 0.872, 0.098),
]


@pytest.mark.parametrize(("name", "right", "wrong"), APPLICANT_BATCHES)
def test_applicant_batches_do_not_fall_back(bot: Advisor, name: str, right: float, wrong: float) -> None:
    report = evaluate(bot, load_questions(Path(__file__).parent / "data" / "applicants" / name))
    summary = format_report(report)
    assert report.in_scope.rate >= right, summary
    assert report.wrong_rate <= wrong, summary
