"""The development question set, at the bar the issues set (95% answered, 95% declined)."""

from __future__ import annotations

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
