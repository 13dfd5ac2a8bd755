"""A Conversation saved to plain JSON and restored (perhaps by another process) goes on as if it had never stopped."""

from __future__ import annotations

import json
from typing import Any

import pytest

from advisor import Advisor
from advisor.conversation import Conversation
from advisor.conversation_state import StateError
from advisor.engine import ELIGIBILITY_INTENT
from advisor.errors import AdvisorError

TURNS = [
    ["When did call 1 close?", "and call 3?", "How many ERC projects has LUMC hosted?", "and Horizon 2020 projects?"],
    [
        "Am I eligible?",
        "2",
        "I defended on 10/11/2016",
        "a bit, I visited a few times",
        "what's the salary btw?",
        "I lived in Leiden from September 2016 to March 2017",
        "and call 1?",
        "Am I eligible?",
        "start afresh",
        "cancel",
    ],
    ["Am I eligible for call 2? I defended on 1 February 2012.", "6 months of parental leave", "never"],
    # A "what if ...?" after a verdict needs the verdict's call from the state.
    ["Am I eligible for call 1? PhD March 2014, never lived in the Netherlands", "and if it had been 14 months?"],
]


@pytest.fixture(scope="module")
def bot() -> Advisor:
    return Advisor()


@pytest.mark.parametrize("turns", TURNS)
def test_a_restored_conversation_answers_as_the_one_that_never_stopped(bot: Advisor, turns: list[str]) -> None:
    kept = bot.conversation()
    state: Any = None
    for question in turns:
        expected = kept.ask(question)
        restored = bot.conversation() if state is None else Conversation.from_state(bot, state)
        answer = restored.ask(question)
        assert answer.to_dict() == expected.to_dict(), question
        assert restored.pending_question == kept.pending_question
        state = json.loads(json.dumps(restored.to_state()))  # through JSON text, as a client keeps it


def test_a_numbered_choice_survives_the_round_trip(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("When did call 1 close?")
    chat._choices = [bot.knowledge.entries[0].id, bot.knowledge.entries[1].id]  # as a "did you mean" leaves them
    restored = Conversation.from_state(bot, json.loads(json.dumps(chat.to_state())))
    assert restored.ask("2").intent == bot.knowledge.entries[1].id


def test_the_state_of_a_check_holds_no_wording_a_client_could_change(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 2?")
    state = chat.to_state()
    assert chat.pending_question and chat.pending_question not in json.dumps(state)
    assert Conversation.from_state(bot, state).pending_question == chat.pending_question


def good_state(bot: Advisor) -> dict[str, Any]:
    chat = bot.conversation()
    chat.ask("When did call 1 close?")
    chat.ask("Am I eligible for call 2? PhD in March 2015")
    state: dict[str, Any] = json.loads(json.dumps(chat.to_state()))
    assert state["check"] is not None and state["last_entry"]
    return state


BAD: list[tuple[str, Any]] = [
    ("not an object", lambda s: [s]),
    ("another version", lambda s: {**s, "v": 99}),
    ("no version", lambda s: {k: v for k, v in s.items() if k != "v"}),
    ("unknown field", lambda s: {**s, "admin": True}),
    ("unknown entry", lambda s: {**s, "last_entry": "no.such.entry"}),
    ("choice not an entry", lambda s: {**s, "choices": ["x"]}),
    ("tokens not a list", lambda s: {**s, "last_tokens": "when call"}),
    ("too many tokens", lambda s: {**s, "last_tokens": ["call"] * 1000}),
    ("token not a string", lambda s: {**s, "last_tokens": [1]}),
    ("bool as a string", lambda s: {**s, "aside": "false"}),
    ("unknown question", lambda s: {**s, "check": {**s["check"], "asked": "password"}}),
    ("bad date", lambda s: {**s, "check": {**s["check"], "facts": {**s["check"]["facts"], "phd": {
        **s["check"]["facts"]["phd"], "first": "2015-02-30"}}}}),
    ("period backwards", lambda s: {**s, "check": {**s["check"], "facts": {**s["check"]["facts"], "phd": {
        **s["check"]["facts"]["phd"], "first": "2016-01-01"}}}}),
    ("call 4", lambda s: {**s, "check": {**s["check"], "facts": {**s["check"]["facts"], "calls": [4]}}}),
    ("verdict of call 4", lambda s: {**s, "verdict_calls": [4]}),
    ("verdict calls twice", lambda s: {**s, "verdict_calls": [1, 1]}),
    ("number as text", lambda s: {**s, "known": {"nl_months": "8"}}),
    ("infinite number", lambda s: {**s, "known": {"nl_months": float("inf")}}),
    ("negative number", lambda s: {**s, "known": {"military_months": -3}}),
    ("too many children", lambda s: {**s, "known": {"children": 10**9}}),
    ("long text", lambda s: {**s, "known": {"day_first_note": "x" * 10_000}}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "spoil"), BAD, ids=[name for name, _ in BAD])
def test_a_state_that_does_not_validate_is_refused(bot: Advisor, name: str, spoil: Any) -> None:
    state = good_state(bot)
    assert Conversation.from_state(bot, state).checking_eligibility  # the unspoilt state is fine
    with pytest.raises(StateError) as raised:
        Conversation.from_state(bot, spoil(state))
    assert isinstance(raised.value, AdvisorError)


def test_a_long_conversation_keeps_a_small_state(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 2? PhD in March 2015")
    for year in range(1980, 2020):  # every stay named is added to the applicant's facts
        chat.ask(f"I lived in Leiden from January {year} to February {year}")
        chat.ask("Am I eligible for call 2?")
    state = chat.to_state()
    assert len(json.dumps(state)) < 8_000
    assert Conversation.from_state(bot, state).ask("Am I eligible for call 2?").intent == ELIGIBILITY_INTENT


def test_a_state_from_before_the_verdict_calls_were_kept_still_reads(bot: Advisor) -> None:
    state = {k: v for k, v in good_state(bot).items() if k != "verdict_calls"}
    assert Conversation.from_state(bot, state).checking_eligibility
