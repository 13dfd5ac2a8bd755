"""Questions that ask for the advisor's judgement: said to be in no source, then the sourced facts."""

from __future__ import annotations

import pytest

import advisor
from advisor.judgement import JUDGEMENT_LEAD, WHAT_THEY_SAY, asks_for_judgement
from advisor.normalize import tokenize


@pytest.mark.parametrize(
    ("text", "judgement"),
    [
        ("Delft or Rotterdam: which would you choose to live in?", True),
        ("Honestly, is this fellowship worth the effort for a chemist?", True),
        ("Is two years abroad a smart career move for me?", True),
        ("I have four papers and a small grant. Is my CV competitive enough?", True),
        ("Would my project on soil microbes have scored well with the panel?", True),
        ("What are my realistic chances with one first-author paper?", True),
        ("In your opinion, which partner suits a historian best?", True),
        ("Do you think I'd get in with two first-author papers?", True),
        ("Should I apply to TU Delft or to Erasmus MC?", True),
        ("Is it a good idea to apply without contacting a supervisor first?", True),
        ("Will I get in with my profile?", True),
        ("Could you grade my research plan?", True),
        ("How would you rank my CV against the other applicants?", True),
        ("Which of my two project ideas is better?", True),
        ("Should I try again after being rejected last year?", True),
        # Asking for facts, in words near those of a judgement.
        ("How many ECTS credits was the course worth?", False),
        ("Would my 14 months in Leiden count against me for call 2?", False),
        ("Does that kill my chances for call 1?", False),
        ("Which institutions could host me?", False),
        ("Did they choose the fellows on three criteria?", False),
        # Near a judgement in words, but asking for a fact: a rule, a procedure, who pays.
        ("Do you think I'm eligible for call 2 with a PhD from 2014?", False),
        ("Would my proposal be scored by the same panel as in call 1?", False),
        ("Is English good enough as the language of the proposal?", False),
        ("Could you advise me on what documents I need to upload?", False),
        ("My colleague says it is not a good idea because of the mobility rule. Is that true?", False),
        ("Do I have a chance for call 1 with a PhD from 2011?", False),
        ("Is it a good idea, according to the FAQ, to contact the host before applying?", False),
        ("Will I get feedback on my application if I am rejected?", False),
        ("Do you think the call will open again next year?", False),
    ],
)
def test_a_request_for_a_judgement_is_told_from_a_question_of_fact(text: str, judgement: bool) -> None:
    assert asks_for_judgement(tokenize(text)) is judgement


def test_the_answer_to_a_judgement_says_no_source_gives_one_then_what_the_sources_say(bot: advisor.Advisor) -> None:
    answer = bot.ask("Which city would you pick to live in, Leiden or Delft?")
    assert answer.matched and answer.text.startswith(f"{JUDGEMENT_LEAD}\n\n{WHAT_THEY_SAY}\n")
    # The facts that follow are those of the question of fact about the same subject, with their sources.
    plain = bot.ask("Where is the programme located?")
    assert answer.intent == plain.intent == "programme.region"
    assert answer.text.endswith(plain.text) and answer.sources == plain.sources


def test_only_the_part_asking_for_a_judgement_is_led_by_it(bot: advisor.Advisor) -> None:
    answer = bot.ask("What is the salary? And would you recommend Leiden or Delft?")
    first, second = answer.parts
    assert not first.answer.text.startswith(JUDGEMENT_LEAD)
    assert second.answer.text.startswith(JUDGEMENT_LEAD)
    assert answer.text.startswith(first.answer.text)  # the whole reads as its parts, in order


def test_a_judgement_beside_another_question_answered_alone_is_not_claimed(bot: advisor.Advisor) -> None:
    # Two questions, one answer: which of them it answers is not known, so no lead is put on it.
    answer = bot.ask("When did call 2 close? Would you say it is a good idea to apply late?")
    assert not answer.parts and answer.intent == "calls.call2"
    assert not answer.text.startswith(JUDGEMENT_LEAD)


def test_a_judgement_that_nothing_answers_is_declined_with_the_lead(bot: advisor.Advisor) -> None:
    answer = bot.ask("Which Dutch cheese would you recommend for a picnic?")
    assert not answer.matched and answer.text.startswith(JUDGEMENT_LEAD)
