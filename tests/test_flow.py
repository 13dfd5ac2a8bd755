"""A message's way through the code: analysed once, routed once, outcomes as an enum, and the
commands of the chat in every batch mode."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from advisor import eligibility
from advisor.engine import Advisor
from advisor.message import Message
from advisor.models import Answer, Outcome
from advisor.normalize import Analysis, TextAnalyzer
from advisor.router import ChatContext, Route, route
from advisor.session import Session

NO_CHAT = ChatContext()


@pytest.fixture(scope="module")
def bot() -> Advisor:
    return Advisor()


def counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[Any]:
    """Record the first argument of every call of `owner.name` (which still does its work)."""
    calls: list[Any] = []
    original: Callable[..., Any] = getattr(owner, name)
    is_method = isinstance(owner, type)

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1] if is_method else args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return calls


def test_a_chat_turn_analyses_its_message_once(bot: Advisor, monkeypatch: pytest.MonkeyPatch) -> None:
    analysed = counting(monkeypatch, TextAnalyzer, "analyze_words")
    chat = bot.conversation()
    assert chat.ask("When did call 1 close?").intent == "calls.call1"
    assert chat.ask("and call 3?").intent == "calls.call3"  # the follow-up reading is composed, not analysed
    assert [tuple(words) for words in analysed] == [("when", "did", "call", "1", "close"), ("and", "call", "3")]


def test_am_i_eligible_is_routed_and_answered_from_the_knowledge_base_once(
    bot: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = counting(monkeypatch, Advisor, "ask_knowledge")
    personal = counting(monkeypatch, eligibility, "is_eligibility_question")
    facts = counting(monkeypatch, eligibility, "extract_facts")
    chat = bot.conversation()
    answer = chat.ask("Am I eligible?")
    assert chat.checking_eligibility and "Let's check your own case" in answer.text
    # Before the router, the chat asked the knowledge base twice and read the facts in two places.
    assert len(knowledge) == 1
    assert personal == ["Am I eligible?"]
    assert facts.count("Am I eligible?") == 1


def test_a_single_question_is_routed_once(bot: Advisor, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge = counting(monkeypatch, Advisor, "ask_knowledge")
    personal = counting(monkeypatch, eligibility, "is_eligibility_question")
    assert bot.ask("Am I eligible for call 2? PhD in March 2015, never lived in the Netherlands.").explanation
    assert len(knowledge) == 1 and len(personal) == 1


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("What is LUMC?", None, Route.QUESTION),
        ("Am I eligible?", None, Route.ELIGIBILITY),
        ("hi, can you tell me if I could have applied?", None, Route.ELIGIBILITY),  # past tense: as personal
        ("Could I have applied?", None, Route.ELIGIBILITY),
        # Own facts with a length in words ("four years") go to the check too.
        ("I've been doing my PhD in Leiden for four years. Could I apply?", None, Route.ELIGIBILITY),
        ("Am I eligible for a Veni?", None, Route.QUESTION),  # another scheme: the knowledge base's known gap
        ("2", ChatContext(choices=2), Route.CHOICE),
        ("3", ChatContext(choices=2), Route.QUESTION),  # no third choice
        ("2", NO_CHAT, Route.QUESTION),
        ("start afresh", ChatContext(knows_facts=True), Route.AFRESH),
        ("start afresh", NO_CHAT, Route.QUESTION),  # nothing to forget
        ("What is LUMC?", ChatContext(checking=True, choices=2), Route.CHECK_REPLY),
        ("start over", ChatContext(checking=True), Route.AFRESH),
        ("and call 1?", ChatContext(last_verdict=True), Route.ELIGIBILITY),
        ("and call 1?", NO_CHAT, Route.QUESTION),
    ],
)
def test_the_router_decides_each_kind_of_message(
    bot: Advisor, text: str, context: ChatContext | None, expected: Route
) -> None:
    decision = route(bot, bot.message(text), context)
    assert decision.route is expected
    assert decision.after_verdict == (text == "and call 1?" and expected is Route.ELIGIBILITY)


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        ("and call 1?", (1,)),
        ("what about call 2 then?", (2,)),
        ("ok, and the first call?", (1,)),
        ("and both?", ()),
        ("and call 2 deadline?", None),  # a question of its own, not the check again
    ],
)
def test_after_a_verdict_another_call_asks_the_check_again(
    bot: Advisor, text: str, calls: tuple[int, ...] | None
) -> None:
    decision = route(bot, bot.message(text), ChatContext(last_verdict=True))
    assert (decision.calls if decision.after_verdict else None) == calls


def test_the_eligibility_decision_carries_the_general_answer_along(bot: Advisor) -> None:
    decision = route(bot, bot.message("Am I eligible?"))
    assert decision.general is not None and decision.general == bot.ask_knowledge("Am I eligible?")


def test_outcomes_are_an_enum_whose_values_are_the_words_shown(bot: Advisor) -> None:
    assert [o.value for o in Outcome if o.deliberate] == [
        "known gap in the sources",
        "other institution",
        "a task, not a question",
    ]
    answer = bot.ask("How is LUMC ranked?")
    assert answer.explanation is not None and answer.explanation.reason is Outcome.ANSWERED
    assert json.dumps({"outcome": answer.explanation.reason}) == '{"outcome": "answered"}'
    session = Session(bot)
    session.handle("How is LUMC ranked?")
    assert "Outcome: answered (threshold" in session.handle("/why").text
    declined = bot.ask("How tall is the Eiffel tower?").explanation
    assert declined is not None and declined.reason in (Outcome.BELOW_THRESHOLD, Outcome.NO_SHARED_WORDS)


def test_a_message_reads_each_way_once(bot: Advisor) -> None:
    message = bot.message("I got my PhD in 2014 in Spain. Am I eligible for call 2?")
    assert message.analysis is message.analysis and isinstance(message.analysis, Analysis)
    assert [c.is_question for c in message.clauses] == [False, True]
    assert len(message.clause_analyses) == 2 and message.first_person and message.personal_eligibility
    assert message.facts.calls == (2,) and message.smalltalk is None
    assert bot.message("x" * 5000).text == "x" * 1000  # cut as every question is
    assert bot.message("Hello there!").smalltalk == "greeting"


def run_batch(*options: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *options], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_json_batch_takes_the_chat_commands() -> None:
    result = run_batch("--json", stdin="When did call 1 close?\n/why\n/quit\nWhat is LUMC?\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and result.stderr == ""
    assert [line.get("command") for line in lines] == [None, "/why", "/quit"]  # nothing answered after /quit
    assert lines[0]["intent"] == "calls.call1" and "Chosen: calls.call1" in lines[1]["text"]
    assert lines[2]["text"] == "Goodbye."


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_leave_words_end_a_batch_in_both_forms(json_flag: list[str]) -> None:
    result = run_batch(*json_flag, stdin="bye\nWhat is LUMC?\n")
    assert "Goodbye." in result.stdout and "university medical" not in result.stdout.lower()


def test_the_spelt_numbers_the_router_looks_for_are_those_the_dates_read() -> None:
    from advisor.dates import NUMBER_WORDS
    from advisor.router import SPELT_NUMBERS

    # The router keeps its own copy so that a plain question need not load the dates module.
    assert set(SPELT_NUMBERS) == set(NUMBER_WORDS) - {"a", "an"}


def test_what_if_after_a_verdict_goes_to_the_check_with_the_verdicts_call(bot: Advisor) -> None:
    decision = route(bot, bot.message("what if I had twins?"), ChatContext(last_verdict=True, verdict_calls=(2,)))
    assert (decision.route, decision.after_verdict, decision.calls) == (Route.ELIGIBILITY, True, (2,))
    assert decision.facts is not None and decision.facts.children == 2
    # Without a verdict before it, it is a question like any other.
    assert route(bot, bot.message("what if I had twins?"), ChatContext()).route is Route.QUESTION


@pytest.mark.parametrize("opening", ["I want to check my eligibility", "Am I eligible?"])
def test_a_check_begun_from_nothing_says_first_what_it_will_ask_for(bot: Advisor, opening: str) -> None:
    # The applicant learns what to have at hand (three things, asked one at a time) before the first question.
    text = bot.conversation().ask(opening).text
    start = text.index("Let's check your own case.")
    needs = ("which call", "your PhD date (defence included)", "your time in the Netherlands")
    assert start < min(text.index(need) for need in needs) < text.index("Which call do you mean")


def test_asked_about_extensions_the_applicant_is_told_where_the_window_began(bot: Advisor) -> None:
    # "May be older than the window" alone leaves the applicant to look up how much older is too old.
    chat = bot.conversation()
    chat.ask("I want to check if I was eligible for call 1")
    text = chat.ask("PhD 2012").text
    assert "Your PhD (2012) may be older than the window: for Call 1 it had to be after 1 October 2012." in text
    assert text.index("1 October 2012") < text.index("Did any extension apply")


@pytest.mark.parametrize("as_a_choice", [False, True])
def test_facts_beside_a_question_on_a_rule_get_the_rule_though_two_entries_were_close(
    bot: Advisor, monkeypatch: pytest.MonkeyPatch, as_a_choice: bool
) -> None:
    # The knowledge base alone answers this message with the extensions; where it only offers a choice (as
    # it does for the bare question), the entry on the eligibility rules among the choices is what is asked
    # about, beside the applicant's own facts. The message is made a choice by hand: which messages are one
    # moves with the knowledge base.
    question = (
        "In Korea I had to do about 21 months of compulsory military service after my PhD, which is why my "
        "'PhD age' looks older than it really is. Does the service time count for anything with the PhD cut-off?"
    )
    choice = bot.ask_knowledge("Does the service time count for anything with the PhD cut-off?")
    assert choice.explanation is not None and choice.explanation.best is not None
    assert choice.explanation.reason is Outcome.DID_YOU_MEAN
    assert choice.explanation.best.entry_id == "eligibility.extensions"
    if as_a_choice:
        knowledge = bot.ask_knowledge

        def offering_a_choice(message: str | Message) -> Answer:
            text = message if isinstance(message, str) else message.text
            return choice if text == question else knowledge(message)

        monkeypatch.setattr(bot, "ask_knowledge", offering_a_choice)
    answer = bot.ask(question)
    assert answer.intent == "eligibility.extensions" and "the time actually served" in answer.text
    assert answer.text.index("So far I have: 21 months of military service.") < answer.text.index("actually served")


@pytest.mark.parametrize("changed", ["and if it had been 14 months?", "what if I had spent 14 months there?"])
def test_a_case_changed_while_the_check_asks_for_something_else_is_taken(bot: Advisor, changed: str) -> None:
    # The check asks for the PhD date; "and if ...?" changes the time in the country told before (a bare
    # length is that time: the rules count it in months), and the check goes on with it.
    chat = bot.conversation()
    first = chat.ask(
        "During my PhD I spent 8 months in Utrecht as a visiting researcher. Could I have applied in call 2?"
    )
    assert "When did you obtain your PhD" in first.text
    text = chat.ask(changed).text
    assert "Noted: Call 2; 14 months in the Netherlands." in text and "12-month limit" in text
    assert "When did you obtain your PhD" in text
