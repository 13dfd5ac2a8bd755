"""Changes to the logic that the suite once let through (issue 15): each test here fails when its change is made.

The related-entry guard on "did you mean" and MIN_OWN_WORDS are covered in test_answer_policy.py and
test_follow_ups.py; the rest is here: the parental-leave cap, the day-first flag, the typo-correction lengths."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from kb_helpers import write_zoo

from advisor import Advisor
from advisor.dates import Period, parse_date
from advisor.eligibility import RULES, Facts, check_phd


def phd_state(phd: date, **facts: object) -> str:
    period = Period(phd, phd, phd.isoformat(), "day")
    return check_phd(Facts(calls=(1,), phd=period, extensions_answered=True, **facts), RULES[1]).state  # type: ignore[arg-type]


# --- parental leave counts for at most 6 months per child -------------------------------------------------------


@pytest.mark.parametrize(
    ("phd", "facts", "expected"),
    [
        # Call 1's window opens after 1 October 2012; one child: 6 months for the pregnancy, and at most 6 of
        # the 9 months of parental leave count: 12 months in all, so the window opens after 1 October 2011.
        (date(2011, 10, 2), {"children": 1, "parental_months": 9.0}, "yes"),
        (date(2011, 8, 1), {"children": 1, "parental_months": 9.0}, "no"),  # 15 months would reach it
        # Two children: up to 12 months of parental leave count, all 9 here (6 + 6 + 9 = 21 months).
        (date(2011, 1, 2), {"children": 2, "parental_months": 9.0}, "yes"),
        (date(2010, 12, 31), {"children": 2, "parental_months": 9.0}, "no"),
    ],
)
def test_parental_leave_counts_up_to_six_months_per_child(phd: date, facts: dict[str, object], expected: str) -> None:
    assert phd_state(phd, **facts) == expected


def test_the_verdict_says_the_capped_parental_leave(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 1?")
    chat.ask("I got my PhD on 1 August 2011")
    verdict = chat.ask("one child, and 9 months of parental leave").text
    assert "parental leave: up to 6 months per child, here 6 months" in verdict
    assert "would not have been eligible" in verdict and "with your extensions (12 months)" in verdict


# --- a numeric date is read day first, and said so only when the order matters ------------------------------


@pytest.mark.parametrize(
    ("text", "flagged"), [("05/05/2016", False), ("10/11/2016", True), ("25/11/2016", False), ("12/12/2016", False)]
)
def test_a_numeric_date_is_flagged_only_when_day_and_month_could_swap(text: str, flagged: bool) -> None:
    period = parse_date(text)
    assert period is not None and period.day_first_numeric is flagged


@pytest.mark.parametrize(("text", "noted"), [("05/05/2016", False), ("10/11/2016", True)])
def test_the_verdict_notes_the_reading_only_of_an_ambiguous_date(bot: Advisor, text: str, noted: bool) -> None:
    answer = bot.ask(f"Am I eligible for call 1? I got my PhD on {text} and I have never lived in the Netherlands.")
    assert "would have been eligible for Call 1" in answer.text
    assert ("(day first, as in Europe)" in answer.text) is noted


# --- typo correction: not the shortest words, one edit up to six letters, two from seven -------------------------


@pytest.fixture(scope="module")
def zoo_matcher(tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    return Advisor(write_zoo(tmp_path_factory.mktemp("zoo-typos")))


@pytest.mark.parametrize(
    ("typo", "corrected"),
    [
        ("fsh", "fish"),  # three letters, one edit: corrected
        ("zbra", "zebra"),
        ("strupe", "stripe"),  # six letters, one edit
        ("strabe", None),  # six letters, two edits: too far
        ("strpie", "stripe"),  # two letters swapped: one edit, the commonest slip
        ("pengiun", "penguin"),  # seven letters, two edits
        ("girrafe", "giraffe"),  # the word as written rather than its stem, "giraff": fewer letters changed
        ("zx", None),  # too short to correct
    ],
)
def test_typo_correction_depends_on_the_word_length(zoo_matcher: Advisor, typo: str, corrected: str | None) -> None:
    analysis = zoo_matcher.matcher.analyze(typo)
    assert analysis.corrections == (((typo, corrected),) if corrected else ())


def test_a_corrected_word_still_finds_its_entry(tmp_path: Path) -> None:
    bot = Advisor(write_zoo(tmp_path / "zoo"))
    answer = bot.ask("what do pengiun eat?")
    assert answer.intent == "penguins.diet" and answer.explanation is not None
    assert answer.explanation.corrections == (("pengiun", "penguin"),)


# --- the Advisor's public methods around the eligibility check ----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "personal"),
    [
        ("Am I eligible for call 1?", True),
        ("Am I elegible? PhD 2015", True),
        ("Who was eligible to apply?", False),
        ("Am I eligible for a Veni grant?", False),
        ("How is LUMC ranked?", False),
    ],
)
def test_is_eligibility_question(bot: Advisor, question: str, personal: bool) -> None:
    assert bot.is_eligibility_question(question) is personal


def test_a_custom_knowledge_base_without_the_rule_sources_has_no_check(tmp_path: Path) -> None:
    zoo = Advisor(write_zoo(tmp_path / "zoo"))
    assert not zoo.is_eligibility_question("Am I eligible for call 1?")
    assert zoo.ask("Am I eligible for call 1? PhD 2014").intent != "eligibility.assessment"


def test_a_general_eligibility_answer_keeps_the_entrys_suggestions(bot: Advisor) -> None:
    general = bot.ask_knowledge("Am I eligible?")
    answer = bot.ask("Am I eligible?")
    assert general.matched and answer.text.startswith(general.text)
    assert answer.suggestions == general.suggestions and answer.explanation == general.explanation


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_the_type_error_names_the_type(bot: Advisor, bad: object) -> None:
    with pytest.raises(TypeError, match=f"^question must be str, not {type(bad).__name__}$"):
        bot.ask(bad)  # type: ignore[arg-type]
