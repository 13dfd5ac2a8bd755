"""Each branch of follow-up resolution in a conversation (swap a call or an institution, a numbered
choice, a pronoun, a fragment, a fresh question), on the small inline zoo knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_helpers import ZOO_PROGRAMME, ZOO_SYNONYMS, ZOO_TOPICS, entry, reply, write_knowledge

from advisor import Advisor
from advisor.conversation import MAX_HISTORY
from advisor.models import Outcome
from advisor.router import fillers_of, is_marked_follow_up


def chat_after(zoo: Advisor, *questions: str):  # type: ignore[no-untyped-def]
    chat = zoo.conversation()
    for question in questions:
        chat.ask(question)
    return chat


@pytest.mark.parametrize(
    ("first", "follow_up", "expected", "says"),
    [
        ("When did call 1 close?", "and call 3?", "calls.call3", "31 October 2018"),
        ("When did call 1 close?", "what about call 2?", "calls.call2", "10 January 2018"),
        ("When did call 1 close?", "what about the second?", "calls.call2", "10 January 2018"),
        ("When did call 2 close?", "and the first one?", "calls.call1", "31 March 2017"),
        ("When did call 1 close?", "and 3?", "calls.call3", "31 October 2018"),  # a bare number, marked
        ("How many places did call 1 have?", "same for call 2?", "calls.call2-places", "30 places"),
        ("How many places did call 1 have?", "same question for call 2", "calls.call2-places", "30 places"),
        ("When did call 1 close?", "the same thing for call 3?", "calls.call3", "31 October 2018"),
        # A correction of the last question's subject.
        ("When did call 1 close?", "no, I meant call 2", "calls.call2", "10 January 2018"),
        ("How many places did call 1 have?", "sorry, I meant the second call", "calls.call2-places", "30 places"),
    ],
)
def test_a_follow_up_swaps_the_call(zoo: Advisor, first: str, follow_up: str, expected: str, says: str) -> None:
    reply(chat_after(zoo, first), follow_up, expected, says=says)


def test_a_swapped_call_whose_fact_no_source_gives_gets_the_known_gap(tmp_path: Path) -> None:
    """ "and call 3?" after call 2's places: that call 3's places are not known is the answer, not call 3's
    closing date (which the words "call 3" alone would find)."""
    places_gap = entry(
        "calls.call3-places",
        ["How many places did call 3 have?", "call 3 places"],
        "No source gives the places of call 3.",
        call=3,
        kind="gap",
    )
    topics = {**ZOO_TOPICS, "calls": [*ZOO_TOPICS["calls"], places_gap]}
    bot = Advisor(write_knowledge(tmp_path / "kb", topics, synonyms=ZOO_SYNONYMS, programme=ZOO_PROGRAMME))
    answer = chat_after(bot, "How many places did call 2 have?").ask("and call 3?")
    assert answer.text == "No source gives the places of call 3."
    assert answer.explanation is not None and answer.explanation.reason is Outcome.GAP
    # Alone, "call 3" names the call: its closing date, or a choice between it and the gap.
    assert bot.ask("and call 3?").text != answer.text


def test_in_the_final_one_one_stands_for_call(zoo: Advisor) -> None:
    reply(chat_after(zoo, "When did call 1 close?"), "and the final one?", "calls.call3")


@pytest.mark.parametrize(
    ("first", "follow_up", "expected"),
    [
        ("When did call 1 close?", "and the one after?", "calls.call2"),
        ("When did call 1 close?", "what about the next round?", "calls.call2"),
        ("When did call 2 close?", "and the following one?", "calls.call3"),
        ("When did call 3 close?", "and the one before?", "calls.call2"),
        ("When did call 2 close?", "what about the previous call?", "calls.call1"),
    ],
)
def test_the_call_after_or_before_is_the_next_or_previous_call(
    zoo: Advisor, first: str, follow_up: str, expected: str
) -> None:
    reply(chat_after(zoo, first), follow_up, expected)


def test_the_next_one_after_the_last_call_is_no_call_one(zoo: Advisor) -> None:
    # No call comes after call 3: "one" stands for a call, not for call 1.
    assert chat_after(zoo, "When did call 3 close?").ask("and the next one?").intent != "calls.call1"


def test_that_one_is_the_call_named_last_not_call_one(zoo: Advisor) -> None:
    chat = zoo.conversation()
    chat.ask("How many places did call 1 have?")
    chat.ask("and call 2?")
    assert chat.ask("when did that one close?").intent == "calls.call2"


def test_a_short_question_naming_a_call_that_nothing_answers_alone_asks_the_last_one_again(zoo: Advisor) -> None:
    chat = zoo.conversation()
    chat.ask("How many places did call 1 have?")
    assert chat.ask("what number for the second call").intent == "calls.call2-places"
    # Answered alone, it is a question of its own.
    assert chat.ask("what colour are the penguins in the second call").intent == "penguins.colour"


def test_a_bare_number_in_an_unmarked_question_is_no_call(zoo: Advisor) -> None:
    answer = chat_after(zoo, "When did call 1 close?").ask("what is 2 times 2?")
    assert answer.intent not in ("calls.call2", "calls.call1")


def test_a_follow_up_swaps_the_institution(zoo: Advisor) -> None:
    reply(chat_after(zoo, "How many lions does LUMC have?"), "and Erasmus MC?", "lions.count-emc", says="5 lions")
    reply(chat_after(zoo, "How many lions does Erasmus MC have?"), "what about LUMC?", "lions.count", says="3 lions")


def test_same_question_for_another_institution_asks_the_last_question_of_it(zoo: Advisor) -> None:
    """ "question" and "same" only point back at the last question: no words of a subject of their own."""
    reply(chat_after(zoo, "How many lions does LUMC have?"), "same question for Erasmus MC", "lions.count-emc",
          says="5 lions")  # fmt: skip


def test_only_a_message_opening_with_same_has_words_that_point_back(zoo: Advisor) -> None:
    assert "quest" in fillers_of(zoo.message("ok, the same question for call 2?"))
    assert not fillers_of(zoo.message("and if I have a question about the lions?"))


def test_a_follow_up_to_a_fact_only_one_institution_has_says_whose_it_is(zoo: Advisor) -> None:
    answer = reply(chat_after(zoo, "How many elephants does LUMC keep?"), "and Erasmus MC?", "elephants.count",
                   matched=False)  # fmt: skip
    assert answer.text.startswith("I don't know that for Erasmus MC")


@pytest.mark.parametrize(
    ("first", "expected"),
    [("When did call 1 close?", "calls.call1-places"), ("When did call 2 close?", "calls.call2-places")],
)
def test_a_pronoun_refers_to_the_last_question(zoo: Advisor, first: str, expected: str) -> None:
    reply(chat_after(zoo, first), "How many places did it have?", expected)


@pytest.mark.parametrize(
    ("first", "fragment", "expected"),
    [
        ("What do the penguins eat?", "fish?", "penguins.diet"),  # a word of the last answer
        ("What colour are the penguins?", "white?", "penguins.colour"),
    ],
)
def test_a_fragment_is_read_with_the_last_question(zoo: Advisor, first: str, fragment: str, expected: str) -> None:
    """Unmarked, a fragment that means nothing alone is read with the last question."""
    reply(zoo, fragment, None)
    reply(chat_after(zoo, first), fragment, expected)


def test_without_a_last_question_a_follow_up_stands_alone(zoo: Advisor) -> None:
    assert not zoo.conversation().ask("How many places did it have?").matched


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("When did call 2 close?", "What do the penguins eat?", "penguins.diet"),
        ("What colour are the penguins?", "When did call 1 close?", "calls.call1"),
        ("When did call 2 close?", "Explain quantum computing", None),
        ("How many lions does LUMC have?", "Where can I park my car?", "zoo.parking"),  # a gap is an answer
    ],
)
def test_a_fresh_question_is_not_a_follow_up(zoo: Advisor, first: str, second: str, expected: str | None) -> None:
    reply(chat_after(zoo, first), second, expected, matched=expected is not None and expected != "zoo.parking")


def test_two_words_of_its_own_make_a_marked_question_a_new_one(zoo: Advisor) -> None:
    """ "Do they keep elephants at LUMC?" after the partners: "keep" and "elephants" are words the last
    answer lacks (MIN_OWN_WORDS), so it is a question of its own, answered alone."""
    reply(chat_after(zoo, "Which zoos take part?"), "Do they keep elephants at LUMC?", "elephants.count")


def test_one_word_of_its_own_keeps_a_marked_question_a_follow_up(zoo: Advisor) -> None:
    """ "Do they have lions at LUMC?": only "lions" is new, fewer than MIN_OWN_WORDS: read with the last question."""
    reply(chat_after(zoo, "Which zoos take part?"), "Do they have lions at LUMC?", "zoo.partners")


def test_one_word_of_its_own_after_a_call_keeps_the_call(zoo: Advisor) -> None:
    reply(chat_after(zoo, "When did call 2 close?"), "and how many places for the lions?", "calls.call2-places")


def test_small_talk_in_between_keeps_the_context(zoo: Advisor) -> None:
    chat = chat_after(zoo, "When did call 1 close?")
    reply(chat, "thanks", "smalltalk.thanks")
    reply(chat, "and call 3?", "calls.call3")


def test_a_declined_question_keeps_the_context(zoo: Advisor) -> None:
    chat = chat_after(zoo, "When did call 1 close?", "Explain quantum computing")
    reply(chat, "and call 3?", "calls.call3")


def test_a_numbered_choice_answers_the_chosen_entry(zoo: Advisor) -> None:
    chat = zoo.conversation()
    offered = reply(chat, "grey cat colour", None)
    assert offered.text.endswith("Ask one of them, or answer with its number.") and "in the chat" not in offered.text
    chosen = reply(chat, "2", "twins.b")
    assert chosen.text == "Black (2017)." and chosen.confidence == 1.0
    assert [s.id for s in chosen.sources] == ["zoo-guide"]
    reply(chat, "2", None)  # the choice was made: a number is now just a question


@pytest.mark.parametrize(
    ("number", "expected"), [("1", "twins.a"), ("1.", "twins.a"), ("2)", "twins.b"), (" 2 ", "twins.b")]
)
def test_a_number_in_range_is_a_choice(zoo: Advisor, number: str, expected: str) -> None:
    reply(chat_after(zoo, "grey cat colour"), number, expected)


@pytest.mark.parametrize("number", ["0", "3", "-1", "two"])
def test_a_number_out_of_range_is_no_choice(zoo: Advisor, number: str) -> None:
    answer = chat_after(zoo, "grey cat colour").ask(number)
    assert answer.intent not in ("twins.a", "twins.b")


def test_a_question_after_a_choice_was_offered_drops_the_choice(zoo: Advisor) -> None:
    chat = chat_after(zoo, "grey cat colour", "What colour are the penguins?")
    assert chat.ask("1").intent is None


def test_a_choice_becomes_the_last_question(zoo: Advisor) -> None:
    chat = zoo.conversation()
    chat.ask("grey cat colour")
    chat.ask("1")
    assert chat.last_answer is not None and chat.last_answer.intent == "twins.a"
    assert chat.history[-1][0] == "1"


def test_reset_forgets_the_last_question_and_the_choices(zoo: Advisor) -> None:
    chat = chat_after(zoo, "When did call 2 close?")
    chat.reset()
    assert chat.history == [] and chat.last_answer is None
    assert not chat.ask("How many places did it have?").matched
    chat = chat_after(zoo, "grey cat colour")
    chat.reset()
    assert chat.ask("1").intent is None


def test_the_history_is_kept_short(zoo: Advisor) -> None:
    chat = zoo.conversation()
    for n in range(MAX_HISTORY + 5):
        chat.ask(f"question {n}")
    assert len(chat.history) == MAX_HISTORY and chat.history[-1][0] == f"question {MAX_HISTORY + 4}"


def test_a_conversation_rejects_what_is_not_text(zoo: Advisor) -> None:
    with pytest.raises(TypeError):
        zoo.conversation().ask(42)  # type: ignore[arg-type]


def test_an_offered_choice_in_a_conversation_keeps_everything_but_the_hint(zoo: Advisor) -> None:
    single = zoo.ask("grey cat colour")
    offered = zoo.conversation().ask("grey cat colour")
    assert offered.text == single.text.replace(
        " (or, in the chat, answer with its number)", ", or answer with its number"
    )
    assert (offered.matched, offered.intent, offered.confidence) == (single.matched, single.intent, single.confidence)
    assert offered.suggestions == single.suggestions and offered.sources == single.sources
    assert offered.explanation == single.explanation


def test_a_conversation_goes_on_from_its_saved_state(zoo: Advisor) -> None:
    from advisor.conversation import Conversation

    chat = chat_after(zoo, "When did call 1 close?")
    resumed = Conversation.from_state(zoo, chat.to_state())
    reply(resumed, "and call 3?", "calls.call3")
    choosing = Conversation.from_state(zoo, chat_after(zoo, "grey cat colour").to_state())
    reply(choosing, "2", "twins.b")


def test_reset_ends_a_check_and_forgets_the_applicants_facts(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("I got my PhD in 2014, and then I did a postdoc in Paris.")
    chat.ask("Am I eligible for call 1?")
    assert chat.checking_eligibility and chat.pending_question
    chat.reset()
    assert not chat.checking_eligibility and chat.pending_question is None and chat.last_answer is None
    again = chat.ask("Am I eligible for call 1?")
    assert "using what you told me before" not in again.text and "2014" not in again.text
    assert chat.to_state() == bot.conversation().to_state() | {"check": chat.to_state()["check"]}


def test_a_side_question_in_a_check_keeps_its_answer_and_sources(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 1?")
    side = chat.ask("What is the salary?")
    alone = bot.ask("What is the salary?")
    assert side.text.startswith(alone.text) and side.text.endswith(chat.pending_question or "?")
    assert side.sources == alone.sources and side.intent == alone.intent and side.confidence == alone.confidence


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        # No subject of their own: more of the last answer, or a question word alone.
        ("give me a few examples", True),
        ("more details?", True),
        ("how many are there exactly?", True),
        ("how many?", True),
        # "those" and "these" point back as "them" does.
        ("are those compulsory?", True),
        # A subject of their own: a question that may stand alone.
        ("how many lions are there?", False),
        ("give me the penguin colours", False),
    ],
)
def test_a_message_without_a_subject_of_its_own_goes_on_from_the_last(zoo: Advisor, text: str, marked: bool) -> None:
    assert is_marked_follow_up(zoo.message(text)) is marked


@pytest.mark.parametrize("more", ["give a few examples", "name a few", "list them", "more details?"])
def test_more_asked_for_after_an_answer_is_that_answer_on_the_bundled_knowledge(bot: Advisor, more: str) -> None:
    chat = bot.conversation()
    assert chat.ask("how many soft skills courses did fellows need?").intent == "training.transferable"
    answer = chat.ask(more)
    assert answer.intent == "training.transferable" and "time management" in answer.text.lower()


def test_a_new_question_about_the_last_subject_that_no_source_answers_gets_the_known_gap(bot: Advisor) -> None:
    # "it" is Call 3; how many applied is in no source, which is the answer (not Call 3's dates again).
    chat = bot.conversation()
    chat.ask("When did call 3 open?")
    reply(chat, "and how many applied to it?", "results.gap", matched=False)


def test_a_question_that_stays_with_the_last_answer_is_not_sent_to_a_known_gap(bot: Advisor) -> None:
    # The host letter's answer says there was a template; the gap about other documents is not meant.
    chat = bot.conversation()
    chat.ask("Did I need a host before applying?")
    assert "template" in reply(chat, "was there a template for that?", "application.host-commitment").text


def test_a_marked_question_answered_surely_alone_is_a_new_one_on_the_bundled_knowledge(bot: Advisor) -> None:
    """ "and how long is the contract" after pay questions brings one word the last answer lacks, but it is
    a whole question: answered alone with more certainty than read with the pay question, it stands alone."""
    chat = chat_after(bot, "salary?", "gross or net")
    assert chat.ask("and how long is the contract").intent == "programme.duration"


def test_a_pronoun_keeps_a_surely_answered_question_a_follow_up_on_the_bundled_knowledge(bot: Advisor) -> None:
    """ "Who chaired it?" after the body that chose the fellows asks about that body, however surely
    "who chaired" alone is answered (by the panel's chair)."""
    chat = chat_after(bot, "Which body had the last word in selecting fellows?")
    assert chat.ask("Who chaired it?").intent == chat.history[0][1].intent


def test_she_or_he_refers_to_the_person_the_last_answer_named_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "she" is the panel's chair; alone, "where did she work?" is about where fellows worked.
    chat = chat_after(bot, "Who chaired the LEaDing Fellows Panel?")
    assert chat.ask("where did she work?").intent == "governance.panel"


def test_asking_how_to_prove_it_after_the_extensions_stays_with_them_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "prove" is "proof", the answers' word: the follow-up reads as the proof of the extension.
    chat = chat_after(bot, "extension for pregnancy?")
    answer = chat.ask("and do I have to prove it somehow?")
    assert answer.intent == "eligibility.extensions" and "annex" in answer.text


def test_what_if_after_a_rule_asks_the_rule_again_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "what if" opens a follow-up, and twins are children: the extension rule again (6 months per child).
    chat = chat_after(bot, "Does a pregnancy extend the PhD time limit?")
    answer = chat.ask("what if I had twins?")
    assert answer.intent == "eligibility.extensions" and "per child" in answer.text


def test_a_follow_up_naming_another_institution_with_a_question_of_its_own_gets_that_institutions_fact(
    zoo: Advisor,
) -> None:
    # "and Erasmus MC?" alone asks for the elephants there (see above); with words of its own that a fact
    # of Erasmus MC answers surely, it asks that.
    chat = chat_after(zoo, "How many elephants does LUMC keep?")
    reply(chat, "and at Erasmus MC, how many lions?", "lions.count-emc", says="5 lions")


def _zoo_with_a_giraffe_census(tmp_path: Path) -> Advisor:
    census = [
        entry(
            "giraffes.census",
            ["How many giraffes are there in all?", "giraffes in total", "giraffes per zoo"],
            "There are 7 giraffes in all (2017): 3 at LUMC and 4 at Erasmus MC.",
            call=1,
        ),
        entry(
            "giraffes.lumc",
            ["How many giraffes does LUMC keep?", "number of giraffes at LUMC", "giraffes at LUMC"],
            "LUMC keeps 3 giraffes (2017).",
            institution="lumc",
            related=["giraffes.census"],
        ),
    ]
    topics = {**ZOO_TOPICS, "animals": [*ZOO_TOPICS["animals"], *census]}
    return Advisor(write_knowledge(tmp_path / "kb", topics, synonyms=ZOO_SYNONYMS, programme=ZOO_PROGRAMME))


def test_another_institutions_figure_comes_from_the_related_entry_that_gives_every_institutions(
    tmp_path: Path,
) -> None:
    """An institution's own fact, related to an entry that gives it for every institution: asked for
    another institution, that entry answers ("3 at LUMC" -> "and Erasmus MC?": the census)."""
    bot = _zoo_with_a_giraffe_census(tmp_path)
    reply(chat_after(bot, "How many giraffes does LUMC keep?"), "and Erasmus MC?", "giraffes.census",
          matched=True, says="4 at Erasmus MC")  # fmt: skip
    reply(bot, "How many giraffes does Erasmus MC keep?", "giraffes.census", matched=True, says="4 at Erasmus MC")
    # Not when the question names another call than that entry's: its figures are not that call's.
    answer = reply(bot, "How many giraffes does Erasmus MC keep in call 2?", "giraffes.lumc", matched=False)
    assert answer.text.startswith("I don't know that for Erasmus MC")
    # Without such a related entry, the fact is said to be the other institution's, as before.
    answer = reply(bot, "How many elephants does Erasmus MC keep?", "elephants.count", matched=False)
    assert answer.text.startswith("I don't know that for Erasmus MC")


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [
        # "no", "sorry" and "ok" before a question that is not a correction change nothing.
        ("ok, what if I have no PhD?", "eligibility.no-phd"),
        ("so what about the salary?", "employment.salary"),
        ("sorry to bother you, what is the salary?", "employment.salary"),
        ("What do you mean by COFUND?", "programme.cofund"),
        # A correction asks the last question again about what it names.
        ("no, I meant call 2", "calls.call2"),
    ],
)
def test_only_a_correction_reads_as_the_last_question_again(bot: Advisor, follow_up: str, expected: str) -> None:
    chat = bot.conversation()
    chat.ask("When did call 1 close?")
    assert chat.ask(follow_up).intent == expected


def test_a_new_subject_that_finds_only_the_last_answer_again_is_read_alone_on_the_bundled_knowledge() -> None:
    chat = Advisor().conversation()
    first = chat.ask(
        "My partner is asking me about money and security before we decide to move from Canada. "
        "How long were the LEaDing contracts?"
    )
    # Read with that question, "and the pay?" finds the same entry again; alone, it is surely the salary.
    assert chat.ask("and the pay?").intent == "employment.salary"
    assert first.intent != "employment.salary"
