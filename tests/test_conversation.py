"""Conversation context: follow-ups carry entities over; numbered choices; reset."""

from __future__ import annotations

import pytest

from advisor import Advisor
from advisor.router import is_ellipsis


@pytest.mark.parametrize(
    ("first", "follow_up", "expected"),
    [
        ("When did call 1 close?", "and call 3?", "31 October 2018"),
        ("When did the second call close?", "and the third?", "31 October 2018"),
        ("When did call 1 close?", "what about call 2?", "10 January 2018"),
        ("How many ERC projects has LUMC hosted?", "and Horizon 2020 projects?", "68"),
        ("How many Horizon 2020 projects is LUMC active in?", "and how many does it coordinate?", "23"),
        ("How many ERC projects has LUMC hosted?", "and MSCA?", "17"),
        ("What were the call 1 PhD dates?", "and for call 2?", "1 July 2013"),
        # "one" stands for "call" here; it is not call one.
        ("When did call 2 close?", "and the final one?", "31 October 2018"),
    ],
)
def test_follow_up_resolves_against_last_turn(bot: Advisor, first: str, follow_up: str, expected: str) -> None:
    chat = bot.conversation()
    assert chat.ask(first).matched
    answer = chat.ask(follow_up)
    assert answer.matched and expected in answer.text, answer.explanation


def test_follow_up_switching_institution_is_not_given_lumc_figure(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("How many ERC projects has LUMC hosted?")
    answer = chat.ask("and Erasmus MC?")
    assert not answer.matched and "Erasmus MC" in answer.text


def test_new_topic_is_not_mistaken_for_a_follow_up(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("How many ERC projects has LUMC hosted?")
    assert chat.ask("What is LERU?").intent == "lumc.leru"
    assert chat.ask("Is the position full time?").intent == "employment.fulltime"


def test_follow_up_without_context_is_declined_not_guessed(bot: Advisor) -> None:
    assert not bot.conversation().ask("and the third?").matched


def test_numbered_choice_answers_the_chosen_entry(write_kb) -> None:  # type: ignore[no-untyped-def]
    folder = write_kb(
        {
            "s.yaml": "sources:\n  - {id: s, title: T, url: https://x.org, publisher: P, describes: d}\n",
            "e.yaml": "topic: t\nentries:\n"
            "  - {id: a, questions: ['grey cat colour', 'first one'], answer: Silver (2017)., sources: [s]}\n"
            "  - {id: b, questions: ['grey cat colour', 'second one'], answer: Black (2017)., sources: [s]}\n",
        }
    )
    chat = Advisor(folder).conversation()
    offered = chat.ask("grey cat colour")
    assert not offered.matched and len(offered.suggestions) == 2
    # In a conversation a number is always an answer: no "(or, in the chat, ...)".
    assert offered.text.endswith("Ask one of them, or answer with its number.") and "in the chat" not in offered.text
    assert "in the chat" in Advisor(folder).ask("grey cat colour").text  # a single question still says it
    chosen = chat.ask("2")
    assert chosen.matched and chosen.intent == "b" and chosen.text == "Black (2017)."
    # A number with no choices pending is just a (meaningless) question.
    assert not chat.ask("2").matched


def test_reset_forgets_context(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("When did call 1 close?")
    chat.reset()
    assert chat.history == [] and not chat.ask("and the third?").matched


def test_a_deliberate_non_answer_is_not_replaced_by_a_follow_up_reading(bot: Advisor) -> None:
    """A new question whose honest answer is "that figure is LUMC's" or "no source says" keeps it."""
    chat = bot.conversation()
    chat.ask("Can I apply in 2026?")
    other = chat.ask("What is Erasmus MC's ranking?")
    assert other.intent == "lumc.ranking" and other.text.startswith("I don't know that for Erasmus MC")
    chat.ask("When did call 1 close?")
    assert chat.ask("What was the success rate?").intent == "results.gap"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # Off-topic questions are declined whatever came before them.
        ("When did call 2 open?", "Explain quantum computing", None),
        ("What is the mobility rule?", "Translate 'thank you' into Dutch", None),
        ("Deadline call 1?", "What's 2+2?", None),
        ("LERU", "Does LUMC have a biobank?", None),
        # "Is there ...?" and "they" start new questions that are answered on their own.
        ("How many postdoc positions does the programme offer?", "Are there nationality restrictions?",
         "eligibility.nationality"),
        ("Which universities take part in the programme?",
         "Do they research cancer at Leiden University Medical Center?", "lumc.profile-cancer"),
    ],
)  # fmt: skip
def test_a_new_question_is_not_read_as_a_follow_up(bot: Advisor, first: str, second: str, expected: str | None) -> None:
    chat = bot.conversation()
    chat.ask(first)
    answer = chat.ask(second)
    if expected is None:
        assert not answer.matched, answer.intent
    else:
        assert answer.intent == expected


def test_a_fragment_is_read_with_the_last_question(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("What is LERU?")
    answer = chat.ask("how many countries?")
    assert answer.intent == "lumc.leru" and "10" in answer.text


@pytest.mark.parametrize(
    ("first", "follow_up", "expected", "says"),
    [
        # "and X?" names a new subject for the same question: X replaces what the last one was about.
        ("Who chaired the Steering Committee?", "and the Panel?", "governance.panel", "Arends"),
        ("How is LUMC ranked?", "and its research profiles?", "lumc.profiles", "Imaging"),
        # A question of its own about what the last one was about ("it" is the call, the window).
        ("When was the second call open?", "And how many places were there in it?", "calls.places", "forty"),
        (
            "What was the PhD window for call 2?",
            "can it be extended if I did military service?",
            "eligibility.extensions",
            "military",
        ),
    ],
)
def test_a_follow_up_about_a_new_subject_or_with_a_question_of_its_own(
    bot: Advisor, first: str, follow_up: str, expected: str, says: str
) -> None:
    chat = bot.conversation()
    chat.ask(first)
    answer = chat.ask(follow_up)
    assert answer.intent == expected
    assert says in answer.text


@pytest.mark.parametrize(
    ("text", "ellipsis"),
    [
        ("and the panel?", True),
        ("ok and the deadline of that call?", True),
        ("what about its research profiles?", True),
        ("and was it full-time?", False),
        ("and how many went to LUMC?", False),
        ("is that gross?", False),
    ],
)
def test_an_ellipsis_only_names_a_new_subject(bot: Advisor, text: str, ellipsis: bool) -> None:
    assert is_ellipsis(bot.message(text)) is ellipsis


@pytest.mark.parametrize(
    ("rule", "told", "verdict"),
    [
        # The rule for call 2 just given; the applicant tells a PhD date before its window.
        (
            "What was the rule on the PhD date for call 2?",
            "I defended in May 2013.",
            "not have been eligible for Call 2",
        ),
        # The rule of the first call; a stay there that alone passes its limit.
        (
            "What was the mobility rule for the first call?",
            "I've been in Delft since January 2016 as a PhD student.",
            "not have been eligible for Call 1",
        ),
    ],
)
def test_own_facts_told_after_a_rule_are_checked_against_it(bot: Advisor, rule: str, told: str, verdict: str) -> None:
    chat = bot.conversation()
    assert chat.ask(rule).matched
    answer = chat.ask(told)
    assert answer.intent == "eligibility.assessment" and verdict in answer.text, answer.text


def test_own_facts_told_without_a_rule_before_are_kept_not_checked(bot: Advisor) -> None:
    chat = bot.conversation()
    assert chat.ask("What is the salary?").matched
    answer = chat.ask("I defended in May 2013.")
    assert answer.intent != "eligibility.assessment"


@pytest.mark.parametrize(
    "request_",
    ["I want to check my eligibility", "eligibility check pls", "I want to check if I was eligible for call 1"],
)
def test_a_request_for_the_check_starts_it_without_the_office_s_check_before_it(bot: Advisor, request_: str) -> None:
    answer = bot.conversation().ask(request_)
    assert answer.intent == "eligibility.assessment"
    # The entry on the office's formal eligibility check fits "check my eligibility" by its words, but
    # the applicant asked for their own check.
    assert "Programme Office checked" not in answer.text


def test_that_call_points_at_the_call_not_at_the_rule_asked_of_it(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("What was the mobility rule for the first call?")
    chat.ask("and for call 2?")
    answer = chat.ask("ok and the deadline of that call?")
    assert answer.intent == "calls.call2" and "10 January 2018" in answer.text


def test_in_it_after_a_call_is_the_call(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("What were the call 2 PhD dates?")
    answer = chat.ask("and how many places were in it?")
    assert answer.intent == "calls.places" and "forty" in answer.text


def test_someone_else_s_check_neither_uses_nor_keeps_the_applicant_s_own_facts(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 2?")
    chat.ask("March 2014")
    chat.ask("3 months")  # the applicant's own verdict; their facts are kept
    other = chat.ask("Would my husband be eligible for call 2? He defended in 2011.")
    assert other.text.startswith("For the person you ask about") and "3 months" not in other.text
    chat.ask("cancel")
    mine = chat.ask("Am I eligible for call 1?")
    assert "PhD March 2014" in mine.text and "2011" not in mine.text


def test_they_call_is_a_verb_not_a_call(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Who was on the interview panel for call 2?")
    assert chat.ask("did they call the candidates afterwards?").intent != "eligibility.call2"


def test_a_question_of_question_words_asks_about_the_last_answer_again(bot: Advisor) -> None:
    # "how much was it?" after a question with "paid" in it: composed with "paid", it read as the salary;
    # alone, its words fit the grant's entry best, which is what "it" was.
    chat = bot.conversation()
    first = chat.ask("Who paid for the LEaDing Fellows programme?")
    assert first.matched and "6.3 million" in first.text
    again = chat.ask("how much was it")
    assert again.intent == first.intent and "6.3 million" in again.text
