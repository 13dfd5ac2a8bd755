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
#: floors sit two points from the figures at the end of 2026-11-30's seventh session (right / wrong among
#: answers, by `advisor eval`: A 91.5% / 2.5%, B 88.3% / 3.6%, C 88.7% / 5.7%, D 92.3% / 3.2%, E 91.0% /
#: 0.8%, F 92.5% / 5.3%, G 84.3% / 6.3%, H 85.0% / 5.8%, I 90.0% / 7.7%, J 89.7% / 4.7%, K 94.0% / 7.8%,
#: L 90.0% / 2.7%, M 82.0% / 9.9%, N 74.5% / 14.6%, O 88.6% / 6.1%, P 91.7% / 3.5%, Q 91.7% / 6.0%, R 90.0% /
#: 8.5%), so that one answer turning into a decline does not fail CI while a real fall does; raise them as
#: the advisor improves. First tries are noted beside the batches written on that day.
#: (file, in-scope right at least, wrong at most)
APPLICANT_BATCHES = [
    ("batch-a.yaml", 0.895, 0.045),
    ("batch-b.yaml", 0.863, 0.056),
    ("batch-c.yaml", 0.867, 0.077),
    ("batch-d.yaml", 0.903, 0.052),
    ("batch-e.yaml", 0.89, 0.028),
    ("batch-f.yaml", 0.905, 0.073),
    ("batch-g.yaml", 0.823, 0.083),
    ("batch-h.yaml", 0.83, 0.078),
    ("batch-i.yaml", 0.88, 0.097),
    # Batch J (hard near misses among its out-of-scope questions): 80.9% / 10.6% at its first try.
    ("batch-j.yaml", 0.877, 0.067),
    # Batch K (personal eligibility cases): 71.0% / 28.3% at its first try.
    ("batch-k.yaml", 0.92, 0.098),
    # Batch L (weak English, apologetic and chatty): 76.7% / 8.0% at its first try.
    ("batch-l.yaml", 0.88, 0.047),
    # Batch M (readers of a flyer; written at the end of the day): 76.0% / 15.6% at its first try.
    ("batch-m.yaml", 0.80, 0.119),
    # Batch N (supervisors, partners, HR staff and e-mails to the office): 69.1% / 18.3% at its first try.
    ("batch-n.yaml", 0.725, 0.166),
    # Batch O (conversations, 67 turns): 81.4% / 12.3% at its first try, turns 50 of 67.
    ("batch-o.yaml", 0.866, 0.081),
    # Batch P (all topics; written mid-session and not looked at until the end): 88.3% / 5.4% at its first
    # try, the same as the code of the session's start.
    ("batch-p.yaml", 0.897, 0.055),
    # Batch Q (chat-box style, hosts/application/mobility/eligibility weighted; seventh session): 89.2% /
    # 7.8% at its first try, the same as the code of the session's start; unanswerable 48/50.
    ("batch-q.yaml", 0.897, 0.08),
    # Batch R (all topics, a third eligibility and mobility; written mid-session and scored without looking
    # at its items until late in the session): 88.3% / 8.6% at its first look, turns 26 of 36; the code of
    # the session's start scored 87.5% / 8.7%.
    ("batch-r.yaml", 0.88, 0.105),
    # Batch T (hosts, mobility cases, fields and application documents; phone-style, abbreviations; eighth
    # session): 80.9% / 11.4% at its first try, the same as the code of the session's start; turns 29 of 35.
    ("batch-t.yaml", 0.841, 0.112),
    # Batches AB, AC and AD (twelfth session; their headers give their first tries): at the session's end
    # 87.8% / 3.7%, 80.8% / 3.1% and 93.3% / 6.7%.
    ("batch-ab.yaml", 0.858, 0.057),
    ("batch-ac.yaml", 0.785, 0.051),
    ("batch-ad.yaml", 0.913, 0.087),
    # Batch AF (application and calls in indirect wording; twelfth session, written late): 69.4% / 16.7% at
    # its first try, 70.8% / 15.0% at the session's end, 79.2% / 10.9% at the end of the thirteenth.
    ("batch-af.yaml", 0.77, 0.13),
    # Batches AG, AH and AI (thirteenth session; their headers give their first tries): at the session's end
    # 84.1% / 3.3%, 94.3% / 0.0% and 88.9% / 14.9% (AI: half its questions are near misses, and 7 of its
    # 47 answers are wrong, 5 of them to unanswerable questions).
    ("batch-ag.yaml", 0.82, 0.053),
    ("batch-ah.yaml", 0.923, 0.02),
    ("batch-ai.yaml", 0.869, 0.169),
    # Batches AL and AM (fourteenth session; their headers give their first tries): at the session's end
    # 85.7% / 4.8% and 89.1% / 10.9% (AM: half its questions near misses; 2 of its 5 wrong answers are to
    # unanswerable questions).
    ("batch-al.yaml", 0.842, 0.064),
    ("batch-am.yaml", 0.869, 0.128),
    # Batch AP (long messages with a back-story; fourteenth session): 74.2% / 22.0% at its first try,
    # 79.0% / 10.9% at the session's end.
    ("batch-ap.yaml", 0.774, 0.128),
    # Batches AU, AV, AW and AX (fifteenth session; their headers give their first tries): at the session's
    # end 95.7% / 2.9%, 87.5% / 4.1%, 88.8% / 4.1% and 77.5% / 10.1% (AX asks to confirm half-remembered,
    # sometimes wrong, claims and to compare calls).
    ("batch-au.yaml", 0.942, 0.044),
    ("batch-av.yaml", 0.862, 0.055),
    ("batch-aw.yaml", 0.874, 0.055),
    ("batch-ax.yaml", 0.762, 0.115),
    # Batches BA, BB, BC, BD, BF and BG (sixteenth session; their headers give their first tries), and AS
    # (fifteenth session, kept sealed until the sixteenth): BF pairs each answerable question with the
    # closest one no source answers, and 4 of its 40 unanswerable questions still get an answer.
    ("batch-as.yaml", 0.957, 0.029),
    ("batch-ba.yaml", 0.95, 0.026),
    ("batch-bb.yaml", 0.94, 0.021),
    ("batch-bc.yaml", 0.94, 0.05),
    ("batch-bd.yaml", 0.912, 0.027),
    ("batch-bf.yaml", 0.95, 0.134),
    ("batch-bg.yaml", 0.95, 0.049),
    # Batch BI (questions easy to answer with the wrong fact; sixteenth session, written late): 85.0% / 9.3%
    # at its first try, 90.0% / 6.5% at the session's end.
    ("batch-bi.yaml", 0.862, 0.079),
    # Batches BJ, BK and BL (seventeenth session; their headers give their first tries and current figures).
    ("batch-bj.yaml", 0.95, 0.04),
    ("batch-bk.yaml", 0.95, 0.04),
    ("batch-bl.yaml", 0.9, 0.065),
    # Batches BM (sealed for its first try), BN (conversations) and BO (long stories asking one thing).
    ("batch-bm.yaml", 0.9, 0.06),
    ("batch-bn.yaml", 0.95, 0.03),
    ("batch-bo.yaml", 0.87, 0.09),
    # Batch BS (eighteenth session: neighbouring facts and near misses; its header gives its first try).
    ("batch-bs.yaml", 0.95, 0.03),
    # Batch BU (nineteenth session: practical questions no source answers; its header gives its first try).
    ("batch-bu.yaml", 0.91, 0.05),
    # Batch BX (nineteenth session: hosts, fields, status, partners; hard; its header gives its first try).
    ("batch-bx.yaml", 0.84, 0.15),
    # Batch BY (twentieth session: mobility, application, training, hosts, fields; its header gives its first try).
    ("batch-by.yaml", 0.95, 0.04),
    # Batches CA (hosts, partners, status, calls, LUMC; conversations) and CC (eligibility stories), twentieth
    # session; their headers give their first tries.
    ("batch-ca.yaml", 0.9, 0.04),
    ("batch-cc.yaml", 0.9, 0.08),
]


@pytest.mark.parametrize(("name", "right", "wrong"), APPLICANT_BATCHES)
def test_applicant_batches_do_not_fall_back(bot: Advisor, name: str, right: float, wrong: float) -> None:
    report = evaluate(bot, load_questions(Path(__file__).parent / "data" / "applicants" / name))
    summary = format_report(report)
    assert report.in_scope.rate >= right, summary
    assert report.wrong_rate <= wrong, summary


def test_the_out_of_scope_batch_stays_declined(bot: Advisor) -> None:
    """Batch S: 90 hard near misses only (details beside known facts, the present day, opinions, other
    schemes, people): 76 declined at its first try, 79 at the end of the session that wrote it (87.8%)."""
    report = evaluate(bot, load_questions(Path(__file__).parent / "data" / "applicants" / "batch-s.yaml"))
    assert report.out_of_scope.rate >= 0.858, format_report(report)


def test_the_conversation_batch_keeps_its_turns(bot: Advisor) -> None:
    """Batch AQ: 24 conversations (77 turns, 15 of them unanswerable): 66 turns right at its first try,
    68 at the end of the session that wrote it."""
    report = evaluate(bot, load_questions(Path(__file__).parent / "data" / "applicants" / "batch-aq.yaml"))
    assert report.turns.total == 77 and report.turns.passed >= 67, format_report(report)
