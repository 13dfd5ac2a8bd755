"""Messages in applicants' own words: clauses, stories, several questions at once, typos, other schemes.

The logic tests run on the tiny knowledge base of conftest.py, so that a change of content cannot
make them pass or fail; the few tests on the bundled knowledge base say so in their names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor import Advisor
from advisor.clauses import Clause, asks_something, split_clauses
from advisor.cli import main
from advisor.lexicon import is_english_word
from advisor.models import Answer, Outcome, Part
from advisor.normalize import tokenize
from advisor.smalltalk import TASK_REPLY, is_task_request


def texts(message: str) -> list[str]:
    return [clause.text for clause in split_clauses(message)]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("When did call 2 close and who could apply?", ["When did call 2 close", "who could apply?"]),
        ("What is the salary, and what is the contract?", ["What is the salary", "what is the contract?"]),
        ("How many places? When did call 2 close?", ["How many places?", "When did call 2 close?"]),
        # A full stop after a number ends a sentence when a question follows it (not "am 15. Juli").
        ("I think I'm ok for call 2. Where do I send it?", ["I think I'm ok for call 2.", "Where do I send it?"]),
        ("Es war am 15. Juli", ["Es war am 15. Juli"]),
        # ... but "When did it close?" means nothing without the question before it.
        ("How many places were there? When did it close?", ["How many places were there? When did it close?"]),
        # A short opening that only sets the scene stays with its question.
        ("In the first round, who drew up the shortlist?", ["In the first round who drew up the shortlist?"]),
        ("Is the job full time - are there exceptions?", ["Is the job full time", "are there exceptions?"]),
        # A short piece that refers back but names a subject of its own is a question of its own.
        (
            "Where does LUMC rank in Europe and what's its citation score?",
            ["Where does LUMC rank in Europe", "what's its citation score?"],
        ),
        # What a question sets aside is told, not asked ("Apart from the proposal, ...").
        (
            "Apart from the research proposal, what plan did I have to propose myself?",
            ["Apart from the research proposal", "what plan did I have to propose myself?"],
        ),
        # "so" after a comma leads from a story to its question.
        (
            "I would have to quit a permanent job for this, so how long is the contract",
            ["I would have to quit a permanent job for this", "how long is the contract"],
        ),
        # A short piece that refers back, or that only continues, means nothing alone.
        ("What's the salary, and is it gross?", ["What's the salary is it gross?"]),
        ("Does a baby count? by how much?", ["Does a baby count? by how much?"]),
        # What the writer tells before "but" and a question is its story, not a question.
        (
            "I know call 2 wanted a PhD after July 2013, but what did call 3 want?",
            ["I know call 2 wanted a PhD after July 2013", "but what did call 3 want?"],
        ),
        # "and" between two nouns does not start a question.
        ("pay and contract length pls", ["pay and contract length pls"]),
        # "And cancer?" after a question asks that question about a new subject: a clause of its own.
        ("Does LUMC research ageing? And cancer?", ["Does LUMC research ageing?", "And cancer?"]),
        ("When did call 1 close? and also call 3?", ["When did call 1 close?", "and also call 3?"]),
        # Without a question before it, there is nothing to ask again.
        ("I graduated in 2011. And my wife?", ["I graduated in 2011. And my wife?"]),
        # A colon ends an opening that tells about the writer; one that names the subject stays.
        (
            "I'm in HR at a university: which departments ran the courses?",
            ["I'm in HR at a university:", "which departments ran the courses?"],
        ),
        # So does a short opening that speaks of the writer anywhere in it.
        (
            "Before I agree: what would my group be expected to do?",
            ["Before I agree:", "what would my group be expected to do?"],
        ),
        ("In the first round: who decided?", ["In the first round: who decided?"]),
        (
            "Call 1's reference window for the time-in-NL rule: start and end dates?",
            ["Call 1's reference window for the time-in-NL rule: start and end dates?"],
        ),
        # A short question after a statement is a question of its own; a bare one ("What were they?") is not.
        ("It says 90 positions. Is it still running?", ["It says 90 positions.", "Is it still running?"]),
        # A full stop after a year ends a sentence.
        ("I got my PhD in 2016. How do I find a host?", ["I got my PhD in 2016.", "How do I find a host?"]),
        # "no." ends a sentence unless a number follows it.
        ("The answer was no. How do I appeal?", ["The answer was no.", "How do I appeal?"]),
        ("What is grant no. 707404 about?", ["What is grant no. 707404 about?"]),
        ("The site names three things. What were they?", ["The site names three things. What were they?"]),
        # A relative clause after a comma, in a sentence without "?", tells; it asks nothing.
        (
            "After my PhD I trained as a specialist, which took four years. Does the programme allow for that?",
            ["After my PhD I trained as a specialist, which took four years.", "Does the programme allow for that?"],
        ),
        # ... but "and who" starts a question, and without any "?" a comma before "when" may too.
        (
            "Who was my boss, and who signed the contract: Delft or my host?",
            ["Who was my boss", "who signed the contract:", "Delft or my host?"],
        ),
        ("whats the salary, when is the deadline", ["whats the salary", "when is the deadline"]),
        ("", []),
        ("?!", []),
    ],
)
def test_split_clauses(message: str, expected: list[str]) -> None:
    assert texts(message) == expected


def test_statements_about_the_writer_are_context_and_long_back_references_are_marked() -> None:
    clauses = split_clauses("I have a toddler at home. Could I work part-time?")
    assert [(c.text, c.is_question) for c in clauses] == [
        ("I have a toddler at home.", False),
        ("Could I work part-time?", True),
    ]
    second = split_clauses("How many places did call 2 have and what was its closing date?")[1]
    assert second == Clause("what was its closing date?", is_question=True, refers_back=True)
    # "is there" asks; "there" at the end points back ("the mobility rule there").
    assert not split_clauses("Is the training fixed, and is there an internship?")[1].refers_back
    assert split_clauses("How do I apply for an MSCA grant, and what is the rule there?")[1].refers_back


@pytest.mark.parametrize("word", ["sources", "cancel", "social", "ageing", "aging", "toddler", "remuneration"])
def test_english_words_are_in_the_lexicon(word: str) -> None:
    assert is_english_word(word)


@pytest.mark.parametrize("word", ["salery", "eligable", "deadlin", "rankng", "postions", "elegible", "lumc", ""])
def test_typos_and_names_are_not(word: str) -> None:
    assert not is_english_word(word)


@pytest.mark.parametrize("word", ["sources", "cancel", "social", "ageing"])
def test_correct_english_words_are_never_corrected(bot: Advisor, word: str) -> None:
    analysis = bot.matcher.analyze(f"what about {word}")
    assert analysis.corrections == ()


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("salery", "salary"),
        ("eligable", "eligible"),
        ("elegible", "eligible"),
        ("deadlin", "deadline"),
        ("rankng", "rank"),
        ("postions", "posit"),
        # A letter left out of a word that looks like a short word with an ending ("let" + "er").
        ("leter", "letter"),
        # As near to "section" as to "selection": the word that begins as the typo does.
        ("selction", "select"),
    ],
)
def test_typos_reach_the_word_meant_on_the_bundled_knowledge(bot: Advisor, typo: str, meant: str) -> None:
    # By correction ("salery" -> "salary") or, for a word cut short, by its stem ("deadlin").
    assert bot.matcher.analyze(f"{typo} question").terms[0] == meant


def test_a_new_subject_after_a_question_is_marked_as_an_ellipsis() -> None:
    first, second = split_clauses("Who chaired the Steering Committee? And the panel?")
    assert not first.ellipsis
    assert second.ellipsis and second.refers_back and second.is_question


@pytest.mark.parametrize(
    ("message", "intents"),
    [
        ("Who chaired the Steering Committee? And the panel?", ["governance.steering-committee", "governance.panel"]),
        ("When did call 1 close? And call 3?", ["calls.call1", "calls.call3"]),
        ("Does LUMC have ageing research? and cancer?", ["lumc.profile-ageing", "lumc.profile-cancer"]),
    ],
)
def test_an_ellipsis_asks_the_question_before_it_again_on_the_bundled_knowledge(
    bot: Advisor, message: str, intents: list[str]
) -> None:
    assert [part.answer.intent for part in bot.ask(message).parts] == intents


def test_two_questions_get_two_parts_each_with_its_sources(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("What colour are the cats, and how many dogs does LUMC have?")
    assert [part.answer.intent for part in answer.parts] == ["cats.colour", "dogs.count"]
    assert [part.question for part in answer.parts] == ["What colour are the cats", "how many dogs does LUMC have?"]
    assert answer.matched and answer.intent == "cats.colour"
    assert "grey" in answer.text and "4 dogs" in answer.text
    assert [s.id for s in answer.parts[0].answer.sources] == ["s1"]
    assert [s.id for s in answer.parts[1].answer.sources] == ["s1", "s2"]
    assert [s.id for s in answer.sources] == ["s1", "s2"]


def test_one_question_has_no_parts_and_its_dict_is_unchanged(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("What colour are the cats?")
    assert answer.parts == ()
    assert set(answer.to_dict()) == {"text", "matched", "intent", "confidence", "sources", "suggestions"}


def test_parts_in_to_dict_keep_the_old_keys(tiny_advisor: Advisor) -> None:
    data = tiny_advisor.ask("What colour are the cats? How many dogs does LUMC have?").to_dict()
    assert {"text", "matched", "intent", "confidence", "sources", "suggestions"} < set(data)
    assert [p["question"] for p in data["parts"]] == ["What colour are the cats?", "How many dogs does LUMC have?"]
    assert [p["intent"] for p in data["parts"]] == ["cats.colour", "dogs.count"]
    assert all(p["sources"] for p in data["parts"])


def test_the_same_entry_twice_is_one_answer(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("What colour are the cats? Which colour is a cat?")
    assert answer.parts == () and answer.intent == "cats.colour"


def test_combine_is_matched_only_when_every_part_is() -> None:
    yes = Answer("A.", matched=True, intent="a", confidence=0.9)
    no = Answer("I don't know.", matched=False, confidence=0.2)
    combined = Answer.combine([Part("a?", yes), Part("b?", no)])
    assert combined.text == "A.\n\nI don't know." and not combined.matched and combined.confidence == 0.2


def test_a_question_inside_a_story_is_found(tiny_advisor: Advisor) -> None:
    story = (
        "I'm a vet from Portugal and I have worked with animals in three countries. "
        "My partner is a zoologist. What colour are the cats?"
    )
    assert tiny_advisor.ask(story).intent == "cats.colour"


def test_cli_shows_each_part_with_its_sources(tiny_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(tiny_kb), "What colour are the cats? How many dogs does LUMC have?"]) == 0
    out = capsys.readouterr().out
    assert out.index("grey") < out.index("https://example.org/one") < out.index("4 dogs") < out.rindex("example.org")
    assert out.count("Sources:") == 2
    assert main(["--knowledge", str(tiny_kb), "--json", "What colour are the cats? How many dogs at LUMC?"]) == 0
    assert len(json.loads(capsys.readouterr().out)["parts"]) == 2


@pytest.mark.parametrize(
    "question",
    [
        "Am I eligible for a Veni grant?",
        "How much money do you get with an NWO Veni grant?",
        "Am I eligible for a Horizon Europe MSCA Postdoctoral Fellowship if my PhD was in 2019?",
        "How many hospital beds does LUMC have?",
        "What are the visiting hours at LUMC?",
        "am I eligible for the 30% tax benefit?",
    ],
)
def test_other_schemes_and_the_hospital_are_declined_on_the_bundled_knowledge(bot: Advisor, question: str) -> None:
    answer = bot.ask(question)
    assert not answer.matched, answer.text
    assert answer.intent != "eligibility.assessment"
    conversation = bot.conversation()
    assert conversation.ask(question).intent != "eligibility.assessment"
    assert not conversation.checking_eligibility


def test_a_message_naming_another_scheme_is_about_it_all_of_it(zoo: Advisor) -> None:
    # "safari" is a keyword of the outside gap that no answer uses: the penguins' colour and call 1's
    # deadline are asked about the safari grant, not the zoo programme.
    answer = zoo.ask("What colour are the penguins in the safari scheme, and when did call 1 close?")
    assert (answer.intent, answer.matched, answer.parts) == ("outside.grants", False, ())
    # The same questions without the other scheme, or with the programme named beside it, are answered.
    assert len(zoo.ask("What colour are the penguins, and when did call 1 close?").parts) == 2
    named = zoo.ask("I thought Zoo Fellows was a safari grant. What colour are the penguins?")
    assert named.intent == "penguins.colour"
    # Named only in the story, while the question names the other scheme, the programme does not count.
    story = zoo.ask("I was a Zoo Fellows postdoc for two years. What colour are the penguins in the safari scheme?")
    assert (story.intent, story.matched) == ("outside.grants", False)


def test_another_scheme_named_beside_a_programme_question_is_declined_on_the_bundled_knowledge(bot: Advisor) -> None:
    answer = bot.ask("What is the Rubicon mobility rule, how long can I have lived in the Netherlands before applying?")
    assert (answer.intent, answer.matched) == ("outside.other-funding", False)


@pytest.mark.parametrize(
    ("question", "not_this"),
    [
        # Each was answered confidently with the wrong entry (issue "Understand applicants' own words").
        ("Can I work part time?", "As a rule, yes"),
        ("Can I extend the fellowship to three years?", "The PhD window could be extended"),
        ("what are your sources?", "training"),
        ("cancel", "Cancer"),
        ("Can I apply in social sciences?", "social security"),
        ("Which of the partners are medical centers?", "Medical Delta is"),
        ("How much money do you get with an NWO Veni grant?", "COFUND"),
    ],
)
def test_answers_that_were_wrong_are_not_given_on_the_bundled_knowledge(
    bot: Advisor, question: str, not_this: str
) -> None:
    answer = bot.ask(question)
    assert not answer.text.startswith(not_this), answer.text
    assert not (answer.matched and not_this in answer.text.split("\n")[0]), answer.text


def test_a_question_about_the_sources_is_answered_without_a_match(bot: Advisor) -> None:
    answer = bot.ask("what are your sources?")
    assert answer.intent == "smalltalk.sources" and "/sources" in answer.text


def test_a_bare_ordinal_in_a_later_question_is_a_call_when_the_one_before_named_a_call(zoo: Advisor) -> None:
    answer = zoo.ask("How many places did call 2 have, and when did the first one close?")
    assert [part.answer.intent for part in answer.parts] == ["calls.call2-places", "calls.call1"]


@pytest.mark.parametrize(
    ("question", "intent", "matched"),
    [
        # The general rule is that of calls 1 and 2; for call 3 the sources lack it: that gap is the answer.
        ("Which years did the time-in-the-Netherlands limit cover in the third call?", "eligibility.call3", False),
        ("Which years did the time-in-the-Netherlands limit cover in the second call?", "eligibility.call2", True),
        ("Which years did the time-in-the-Netherlands limit cover?", "eligibility.mobility", True),
    ],
)
def test_a_known_gap_of_the_call_named_beats_the_general_answer_on_the_bundled_knowledge(
    bot: Advisor, question: str, intent: str, matched: bool
) -> None:
    answer = bot.ask(question)
    assert (answer.intent, answer.matched) == (intent, matched)


@pytest.mark.parametrize(
    ("question", "intents"),
    [
        ("When did calls 1 and 2 close?", ["calls.call1", "calls.call2"]),
        ("How many places did the first and the second call have?", ["calls.call1-places", "calls.call2-places"]),
    ],
)
def test_a_question_naming_two_calls_is_answered_for_each(zoo: Advisor, question: str, intents: list[str]) -> None:
    answer = zoo.ask(question)
    assert [part.answer.intent for part in answer.parts] == intents
    assert all(part.answer.sources for part in answer.parts)


def test_an_answer_that_is_not_of_one_call_is_not_split_by_call(zoo: Advisor) -> None:
    answer = zoo.ask("What colour are the penguins in calls 1 and 2?")
    assert (answer.intent, answer.parts) == ("penguins.colour", ())


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("Can you write my cover letter for a postdoc job?", True),
        ("please proofread my research proposal", True),
        ("Could you check my CV before I apply?", True),
        ("Translate the salary answer into Dutch", True),
        ("Submit my application to the office for me, it is all attached", True),
        ("can you email it to my supervisor", True),
        # Questions, though they use the same verbs.
        ("Could you check whether call 2 was open in December?", False),
        ("Can you check the deadline of call 2?", False),
        ("write to whom?", False),
        ("Who writes the letter of commitment?", False),
        ("where do I send my application", False),
        ("send me the guide", False),
    ],
)
def test_a_request_for_a_text_is_told_apart_from_a_question(text: str, task: bool) -> None:
    assert is_task_request(tokenize(text)) is task


def test_a_request_for_a_text_is_declined_with_what_the_advisor_does_instead(zoo: Advisor) -> None:
    answer = zoo.ask("Can you write a letter about the penguins for me?")
    assert not answer.matched and answer.text.startswith(TASK_REPLY)
    assert answer.explanation is not None and answer.explanation.reason is Outcome.TASK


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Can I apply with a PhD from 2013", True),
        ("Kindly advise if 9 months in Den Haag is blocking for the second call.", True),
        ("Please let me know whether my PhD date was fine.", True),
        ("I was in Leiden for 9 months in 2017.", False),
        ("I advise everyone to apply early.", False),
        # A question after a comma, without a question mark.
        ("i defend in sept 2018, can i still go for the second round", True),
        ("I defended in 2013, and I lived in Delft in 2016.", False),
        # A relative clause or a second verb after a comma only tells.
        ("I moved to the Netherlands in 2016, which was after my PhD in May 2013.", False),
        ("I defended in May 2013 and have lived in the Netherlands since 2016.", False),
    ],
)
def test_a_request_put_as_a_statement_asks(text: str, asks: bool) -> None:
    assert asks_something(text) is asks


def test_needing_a_thing_is_its_being_required_on_the_bundled_knowledge(bot: Advisor) -> None:
    need, required = (bot.matcher.analyze(q).terms for q in ("do I need a host?", "is a host required?"))
    assert sorted(need) == sorted(required)
    assert bot.ask("do I need a host?").intent == "application.host-commitment"


def test_a_call_one_question_names_holds_for_the_questions_after_it(zoo: Advisor) -> None:
    answer = zoo.ask("For call 2, how many places were there, and when did the call close?")
    assert [part.answer.intent for part in answer.parts] == ["calls.call2-places", "calls.call2"]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("When did call 3 close, and how long was the fellowship?", ["calls.call3", "programme.duration"]),
        ("When did call 1 open? Who sat on the steering committee?", ["calls.call1", "governance.steering-committee"]),
    ],
)
def test_a_call_is_not_carried_into_a_question_it_has_nothing_to_do_with(
    bot: Advisor, question: str, parts: list[str]
) -> None:
    assert [part.answer.intent for part in bot.ask(question).parts] == parts


@pytest.mark.parametrize(
    "opening", ["Apart from", "Besides", "Other than", "Aside from", "In addition to", "Not", "I don't mean"]
)
def test_what_a_question_sets_aside_is_told_not_asked(opening: str) -> None:
    first, second = split_clauses(f"{opening} the research proposal, what plan did I have to write?")
    assert (first.is_question, second.is_question) == (False, True)
    assert first.aside and not second.aside


@pytest.mark.parametrize(
    "opening",
    [
        "As a prospective host supervisor at a partner",
        "Being a non-EU fellow with two small children",
        "Speaking as a journalist for a science magazine",
    ],
)
def test_who_asks_is_told_not_asked(opening: str) -> None:
    # (A short one, "As a fellow, ...", sets the scene for its question and stays with it.)
    first, second = split_clauses(f"{opening}, what did the programme expect of me?")
    assert (first.is_question, second.is_question) == (False, True)


def test_a_role_that_asks_is_still_a_question() -> None:
    assert [clause.is_question for clause in split_clauses("as a fellow would I have had a pension?")] == [True]


def test_who_asks_does_not_outweigh_the_question_on_the_bundled_knowledge(bot: Advisor) -> None:
    # Read as a question of its own, "As a ... host supervisor at TU Delft" matched the conflict-of-interest
    # rules (hosts, supervisors, a partner); the question asks what a host was expected to do.
    question = "As a prospective host supervisor at TU Delft, what did the programme expect me to do day to day?"
    assert bot.ask(question).intent == "governance.host-duties"


def test_what_a_question_refers_back_to_is_its_subject_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "is that a problem for me" asks about the sentence before it: its words are not mere scenery.
    answer = bot.ask("my future lab head sits on the LEaDing panel, is that a problem for me")
    assert answer.intent == "governance.conflict-of-interest"


def test_two_subjects_joined_by_and_in_one_question_get_a_part_each_on_the_bundled_knowledge(bot: Advisor) -> None:
    answer = bot.ask("How many PhD theses and scientific publications did LUMC report per year?")
    assert [part.answer.intent for part in answer.parts] == ["lumc.phd-theses", "lumc.publications"]
    assert "160" in answer.parts[0].answer.text and "2,000" in answer.parts[1].answer.text
    # Each part is headed by its own subject's question, not the whole question twice.
    assert [part.question for part in answer.parts] == [
        "How many people get a PhD at LUMC each year?",
        "How many scientific publications does LUMC produce?",
    ]
    assert all(part.answer.sources for part in answer.parts)


def test_a_one_word_fragments_known_gap_does_not_outweigh_the_answered_question_on_the_bundled_knowledge(
    bot: Advisor,
) -> None:
    """ "is there some max" alone fits the gap on page limits better than the mobility rule fits a question
    with a typo in it; but it only asks for the limit of the question before it."""
    answer = bot.ask("how long cud i have been living in nl before applying, is there some max")
    assert answer.intent == "eligibility.mobility" and "12 months" in answer.text


def test_the_second_subject_is_the_one_its_side_of_the_and_asks_on_the_bundled_knowledge(bot: Advisor) -> None:
    """ "for how long" asks the fellowship's length: the entry on internships shares the salary's words
    and a length too, but it is not what "for how long" alone is about."""
    answer = bot.ask("how much was the salary and for how long?")
    assert [part.answer.intent for part in answer.parts] == ["employment.salary", "programme.duration"]


@pytest.mark.parametrize(
    "question",
    [
        "When did call 2 open and close?",  # both words of one fact: one answer
        "Which courses and workshops were offered?",
    ],
)
def test_and_within_one_subject_is_one_answer_on_the_bundled_knowledge(bot: Advisor, question: str) -> None:
    answer = bot.ask(question)
    assert answer.matched and not answer.parts


def test_the_exact_date_is_the_date_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "exact" says how precise, as "exactly" does: it is no evidence for the entry on exact dates.
    assert bot.ask("Could you tell me the exact closing date of that final call?").intent == "calls.call3"


def test_a_sure_question_is_not_tipped_over_by_its_story_on_the_bundled_knowledge(bot: Advisor) -> None:
    # Alone, the question is surely about the criteria; read with the story, "turned down" tips the balance
    # towards the feedback the rejected got, by a hair.
    question = "What exactly were candidates judged on?"
    assert bot.ask(question).intent == "selection.criteria"
    assert bot.ask(f"I'm mentoring someone who was turned down. {question}").intent == "selection.criteria"


def test_what_a_question_is_not_about_does_not_pull_it_on_the_bundled_knowledge(bot: Advisor) -> None:
    # Read as a question, "Not the 6.3 million grant" is the grant: the question is the salary.
    answer = bot.ask("Not the 6.3 million grant - what would I actually earn as a fellow per year?")
    assert answer.intent == "employment.salary"
    # Read as the question's story, even at a story's weight, "the EU grant" had kept the grant ahead.
    assert bot.ask("I don't mean the EU grant, how much was the salary?").intent == "employment.salary"


@pytest.mark.parametrize(
    "question", ["Not an EU national, was I eligible for call 2?", "As a rule, how long was the contract?"]
)
def test_who_one_is_not_and_how_things_went_are_no_aside(question: str) -> None:
    # "Not an EU national" says who asks and "As a rule" how: neither is what the question sets aside.
    assert [clause.is_question for clause in split_clauses(question)] == [True]


def test_a_question_joined_by_a_short_follow_up_keeps_its_own_text_as_head() -> None:
    (clause,) = split_clauses("Was there an interview, and how was it held?")
    assert clause.head == "Was there an interview"
    # Only a question can stand for the whole: a statement with "is that true?" joined has no head.
    (clause,) = split_clauses("My colleague says a training plan was needed, is that true?")
    assert clause.head == ""
    assert all(not c.head for c in split_clauses("When did call 2 close and who could apply?"))


def test_a_declined_question_with_a_follow_up_gets_its_head_answered_on_the_bundled_knowledge(bot: Advisor) -> None:
    # Read whole, "how was it held?" pulls towards other entries and nothing clears the threshold; the
    # question it was joined to is answered surely, and its answer is about the subject asked after.
    assert bot.ask("Was there an interview?").intent == "selection.interviews"
    answer = bot.ask("Was there an interview, and how was it held?")
    assert answer.matched and answer.intent == "selection.interviews"
    # A head answered only weakly does not stand for the whole (no source says whether this was allowed).
    assert not bot.ask(
        "What if I had sent the same proposal to both the second and the third call, was that allowed?"
    ).matched


def test_the_call_a_question_names_outweighs_the_call_of_its_story_on_the_bundled_knowledge(bot: Advisor) -> None:
    # Read as the question's story, "call 2" is context: the ranking prefers the entry of call 3, which
    # the question asks about, as it does when the question is asked alone.
    analysis = bot.matcher.analyze(
        "I know call 2 wanted a PhD after 1 July 2013 but what was the earliest PhD date for call 3?"
    )
    story = analysis._replace(context=frozenset({"call2", "know", "want", "after", "1", "july", "2013"}))
    assert bot.matcher.rank(story, limit=1)[0].entry_id == "eligibility.call3"


def test_a_polite_request_to_be_informed_is_no_question_about_being_informed_on_the_bundled_knowledge(
    bot: Advisor,
) -> None:
    # "Could you inform me of ..." asks, as "tell me" does; being informed of an outcome is another matter.
    assert "inform" not in bot.matcher.analyze("Could you kindly inform me of the length of the contract?").terms
    assert "inform" in bot.matcher.analyze("When would I be informed of the outcome?").terms
    # "Kindly state ..." asks too: no statement of a fact ("the date stated for Call 2").
    terms = bot.matcher.analyze("Kindly state the closing date of the second call.").terms
    assert "stat" not in terms and "state" not in terms
    assert bot.ask("Kindly state the closing date of the second call.").intent == "calls.call2"


def test_taking_part_is_one_idea_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "took" alone is a decision taken ("who took the final decision?"), not taking part.
    assert "took" not in bot.matcher.analyze("Which medical centres took part?").terms
    assert bot.ask("Which medical centres took part?").intent == "programme.partners"


@pytest.mark.parametrize(
    ("text", "call"),
    [
        ("the first LEaDing call", "call1"),
        ("the second LEaDing Fellows round", "call2"),
        ("the last LEaDing call", "call3"),
    ],
)
def test_a_call_named_with_the_programme_between_is_that_call_on_the_bundled_knowledge(
    bot: Advisor, text: str, call: str
) -> None:
    assert call in bot.matcher.analyze(f"What was the PhD window for {text}?").terms


def test_papers_that_are_documents_are_no_publications_on_the_bundled_knowledge(bot: Advisor) -> None:
    assert "publication" in bot.matcher.analyze("How many first-author papers did I need?").terms
    for text in ("Who handled the immigration papers?", "Was my boss on paper the university?"):
        assert "publication" not in bot.matcher.analyze(text).terms


def test_a_statement_with_its_i_left_out_is_told_not_asked() -> None:
    # "did my PhD in ..." opens like a question; without a "?" it is the writer's story.
    clauses = split_clauses("I'm Filipino, did my PhD in Townsville, graduated 2016. How many places were there?")
    assert [c.is_question for c in clauses if c.text.startswith("did my PhD")] == [False]
    assert split_clauses("Did my PhD count for call 1?")[0].is_question


def test_what_became_of_something_is_one_idea_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "happened to" and "became of" ask after someone's or something's fate; "happened in 2025" does not.
    fate = bot.matcher.analyze("What happened to the fellows?").terms
    assert fate == bot.matcher.analyze("What became of the fellows?").terms
    assert "fate" in fate and "fate" not in bot.matcher.analyze("What happened in 2025?").terms
    assert not bot.ask("What happened in 2025?").matched


def test_a_filler_word_before_a_question_word_still_asks() -> None:
    # "like how does it rank" asks as "how does it rank" does, though the message marks only its first question.
    clauses = split_clauses("is LUMC a good place for research? like how does it rank in europe")
    assert [c.is_question for c in clauses] == [True, True]


def test_a_question_opening_with_the_preposition_of_its_question_word_is_a_question_of_its_own() -> None:
    clauses = split_clauses("When did call 2 close, and to which address did the applications go?")
    assert [c.text for c in clauses] == ["When did call 2 close", "to which address did the applications go?"]
    # After a bare comma it is the question, asked under the condition before it.
    assert len(split_clauses("If I started on 1 September, for how long would I be funded?")) == 1


def test_both_questions_are_answered_when_the_second_opens_with_a_filler_on_the_bundled_knowledge(
    bot: Advisor,
) -> None:
    answer = bot.ask("is LUMC a good place for research? like how does it rank in europe")
    assert "lumc.ranking" in [part.answer.intent for part in answer.parts]


def test_the_middle_of_the_programme_is_one_idea_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "by the middle of the programme" and "halfway" ask what "by mid-2018" tells; the Middle East is no time.
    assert "midway" in bot.matcher.analyze("By the middle of the programme, what were most fellows working on?").terms
    assert "midway" in bot.matcher.analyze("halfway through, which fields had the most fellows?").terms
    assert "midway" not in bot.matcher.analyze("I work on heritage in the Middle East.").terms


def test_a_school_of_a_partner_is_that_partner_on_the_bundled_knowledge(bot: Advisor) -> None:
    # A school (faculty) named in full is its university: a fact known only for another partner is said to be so.
    assert "eur" in bot.matcher.analyze("Did the Erasmus School of Economics host fellows?").terms
    answer = bot.ask("Did the Erasmus School of Economics advertise positions in the third call?")
    assert answer.text.startswith("I don't know that for Erasmus University Rotterdam")


def test_chat_spellings_of_question_words_are_those_words_on_the_bundled_knowledge(bot: Advisor) -> None:
    # "hw" is too short for typo correction; written in two example questions, it had matched those alone.
    assert bot.matcher.analyze("hw much is the salry").terms == bot.matcher.analyze("how much is the salary").terms


@pytest.mark.parametrize(
    "text",
    [
        "By when would I have known whether I got the fellowship?",
        "When were applicants told the outcome?",
        "When did people hear whether they were selected?",
    ],
)
def test_being_told_an_outcome_is_one_idea_on_the_bundled_knowledge(bot: Advisor, text: str) -> None:
    # As "hear back" and "notified" are: the notification of the outcome, not a fellowship or a result alone.
    assert "inform" in bot.matcher.analyze(text).terms
