"""The eligibility rules, applied on both sides of every boundary, and the facts read from what people write."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from advisor import Advisor
from advisor.dates import Period, format_date
from advisor.eligibility import RULES, Facts, check_mobility, check_phd, extract_facts, is_eligibility_question
from advisor.eligibility_check import assess
from advisor.message import BESIDE_CHECK_HEADING
from advisor.router import ELIGIBILITY_INTENT, Route, route

TODAY = date(2026, 11, 29)


def day(y: int, m: int, d: int) -> Period:
    return Period(date(y, m, d), date(y, m, d), f"{d}/{m}/{y}", "day")


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), str(y), "year")


def phd_state(call: int, phd: Period, **facts: object) -> str:
    facts.setdefault("extensions_answered", True)
    return check_phd(Facts(calls=(call,), phd=phd, **facts), RULES[call]).state  # type: ignore[arg-type]


def stay(a: date, b: date) -> tuple[Period, Period]:
    return (Period(a, a, "", "day"), Period(b, b, "", "day"))


def mobility_state(call: int, **facts: object) -> str:
    return check_mobility(Facts(calls=(call,), **facts), RULES[call]).state  # type: ignore[arg-type]


# --- the PhD window, both edges, both calls -------------------------------------------------


@pytest.mark.parametrize(
    ("call", "phd", "expected"),
    [
        (1, day(2012, 9, 30), "no"),
        (1, day(2012, 10, 1), "doubt"),  # "after 1 October 2012": the day itself is unclear
        (1, day(2012, 10, 2), "yes"),
        (1, day(2017, 3, 31), "yes"),
        (1, day(2017, 9, 30), "yes"),
        (1, day(2017, 10, 1), "doubt"),
        (1, day(2017, 10, 2), "no"),
        (2, day(2013, 6, 30), "no"),
        (2, day(2013, 7, 1), "doubt"),
        (2, day(2013, 7, 2), "yes"),
        (2, day(2018, 1, 10), "yes"),  # on the deadline: not pending
        (2, day(2018, 1, 11), "pending"),  # after the deadline: the supervisor's statement was needed
        (2, day(2018, 6, 30), "pending"),
        (2, day(2018, 7, 1), "doubt"),
        (2, day(2018, 7, 2), "no"),
        (1, year(2012), "doubt"),  # the window opens within 2012
        (1, year(2011), "no"),
        (1, year(2015), "yes"),
        (2, year(2013), "doubt"),
        (2, year(2018), "doubt"),
        (2, year(2019), "no"),
    ],
)
def test_phd_window(call: int, phd: Period, expected: str) -> None:
    assert phd_state(call, phd) == expected


def test_an_older_phd_first_asks_about_extensions() -> None:
    facts = Facts(calls=(1,), phd=day(2012, 5, 1))
    assert check_phd(facts, RULES[1]).state == "need"
    assert assess(facts).asks == "extensions"


def test_a_phd_inside_the_window_does_not_ask_about_extensions() -> None:
    assert assess(Facts(calls=(1,), phd=day(2014, 5, 1))).asks == "nl"


# --- each extension, both sides --------------------------------------------------------------


@pytest.mark.parametrize(
    ("phd", "extension", "expected"),
    [
        (day(2012, 4, 2), {"children": 1}, "yes"),  # 6 months back: after 1 April 2012
        (day(2012, 3, 31), {"children": 1}, "no"),
        (day(2011, 10, 2), {"children": 2}, "yes"),
        (day(2011, 9, 30), {"children": 2}, "no"),
        (day(2012, 4, 2), {"parental_months": 6.0}, "yes"),
        (day(2012, 3, 31), {"parental_months": 6.0}, "no"),
        (day(2012, 4, 2), {"parental_months": 9.0, "children": 0}, "doubt"),  # capped at 6 per child; how many?
        (day(2011, 11, 1), {"parental_months": 9.0, "children": 2}, "yes"),  # 12 for pregnancy + 9 parental
        (day(2009, 10, 2), {"medical_years": 3.0}, "yes"),
        (day(2009, 9, 30), {"medical_years": 3.0}, "no"),
        (day(2009, 9, 30), {"medical_years": 5.0}, "no"),  # at most 3 years
        (day(2011, 12, 2), {"military_months": 10.0}, "yes"),
        (day(2011, 11, 30), {"military_months": 10.0}, "no"),
    ],
)
def test_call1_extensions(phd: Period, extension: dict[str, float], expected: str) -> None:
    assert phd_state(1, phd, **extension) == expected


def test_call2_pregnancy_counts_only_children_born_after_the_phd() -> None:
    assert phd_state(2, day(2013, 2, 1), children=1) == "yes"
    assert phd_state(2, day(2013, 2, 1), children=1, children_before_phd=True) == "no"
    # Call 1's wording had no such condition.
    assert phd_state(1, day(2012, 5, 1), children=1, children_before_phd=True) == "yes"


# --- the mobility rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "facts", "expected"),
    [
        (1, {"nl_never": True}, "yes"),
        (1, {"nl_months": 12.0}, "yes"),
        (1, {"nl_months": 13.0}, "need"),  # more than 12 in all: the dates decide
        (1, {"nl_stays": (stay(date(2014, 10, 1), date(2015, 9, 30)),)}, "yes"),  # 12 months inside
        (1, {"nl_stays": (stay(date(2014, 10, 1), date(2015, 10, 31)),)}, "no"),  # 13 months inside
        (1, {"nl_stays": (stay(date(2016, 10, 1), date(2017, 9, 30)),)}, "yes"),  # the last 12 months
        (1, {"nl_stays": (stay(date(2016, 9, 1), date(2017, 9, 30)),)}, "no"),
        (1, {"nl_stays": (stay(date(2010, 1, 1), date(2014, 9, 30)),)}, "yes"),  # ended before the period
        (1, {"nl_stays": (stay(date(2017, 10, 1), date(2019, 1, 1)),)}, "yes"),  # began on the recruitment date
        (2, {"nl_stays": (stay(date(2015, 7, 1), date(2016, 6, 30)),)}, "yes"),
        (2, {"nl_stays": (stay(date(2015, 7, 1), date(2016, 7, 31)),)}, "no"),
        # Two stays add up: 7 + 7 months.
        (2, {"nl_stays": (stay(date(2015, 8, 1), date(2016, 2, 29)), stay(date(2017, 1, 1), date(2017, 7, 31)))}, "no"),
        # Only the time between the period's dates counts: a stay straddling its start with 6 months
        # inside (27 in all), or its end with 11 months inside, is within the limit.
        (1, {"nl_stays": (stay(date(2013, 1, 1), date(2015, 3, 31)),)}, "yes"),
        (2, {"nl_stays": (stay(date(2017, 8, 1), date(2019, 12, 31)),)}, "yes"),
        (1, {"nl_stays": (stay(date(2014, 6, 1), date(2015, 3, 31)),)}, "yes"),
    ],
)
def test_mobility(call: int, facts: dict[str, object], expected: str) -> None:
    assert mobility_state(call, **facts) == expected


def test_loose_stay_dates_make_a_doubt_not_a_guess() -> None:
    stays = ((year(2015), year(2016)),)  # "between 2015 and 2016": anywhere from days to two years
    check = check_mobility(Facts(calls=(1,), nl_stays=stays), RULES[1])
    assert check.state == "doubt" and check.exact_dates_would_help


# --- verdicts -----------------------------------------------------------------------------------


def test_verdict_names_the_rules_their_dates_and_that_the_calls_are_closed() -> None:
    result = assess(Facts(calls=(2,), phd=day(2015, 3, 1), nl_never=True))
    assert result.asks is None
    assert result.text.startswith("You would have been eligible for Call 2.")
    assert "1 July 2013" in result.text and "1 July 2018" in result.text and "1 July 2015" in result.text
    assert "closed" in result.text and "10 January 2018" in result.text
    assert result.source_ids == ("lf-faq-call2",)


def test_negative_verdict_says_why() -> None:
    result = assess(Facts(calls=(1,), phd=day(2011, 5, 1), extensions_answered=True, nl_never=True))
    first = result.text.splitlines()[0]
    assert first.startswith("You would not have been eligible for Call 1, because your PhD")


def test_call3_is_not_guessed() -> None:
    result = assess(Facts(calls=(3,), phd=year(2016)))
    assert result.asks is None
    assert "can't check Call 3" in result.text and "eligible for Call 3" not in result.text


# --- reading the facts ----------------------------------------------------------------------


def test_one_message_with_every_fact() -> None:
    facts = extract_facts("Am I eligible for call 2? PhD in March 2015, never lived in the Netherlands.", today=TODAY)
    assert facts.calls == (2,)
    assert facts.phd is not None and facts.phd.first == date(2015, 3, 1)
    assert facts.nl_never


@pytest.mark.parametrize(
    "city", ["Leiden", "Delft", "Rotterdam", "The Hague", "Den Haag", "Amsterdam", "Utrecht", "Eindhoven", "Groningen"]
)
def test_dutch_cities_are_in_the_netherlands(city: str) -> None:
    facts = extract_facts(f"I lived in {city} from January 2016 to June 2017", today=TODAY)
    assert len(facts.nl_stays) == 1


def test_extensions_volunteered_in_the_first_message_are_used() -> None:
    facts = extract_facts("Am I eligible for call 2 if my PhD was in 2012 but I did 2 years of military service?")
    assert facts.military_months == 24 and facts.extensions_answered


def test_nl_is_the_netherlands() -> None:
    assert extract_facts("Could I have applied to call 1 with a PhD from 2016 and no time in NL?").nl_never


def test_a_stay_abroad_is_not_time_in_the_netherlands() -> None:
    assert extract_facts("I lived in Paris from January 2016 to June 2017", today=TODAY).nl_stays == ()


@pytest.mark.parametrize(
    "text",
    [
        "My sister is Dutch and has been a postdoc in Boston since 2014.",
        "I'm Dutch but I've lived in Germany since 2012.",
        "As a Dutch citizen I have worked in Chicago from 2013 to 2018.",
        "Dutch guy living in Sweden since 2012.",
        # A stay elsewhere, in a message that names the Netherlands too.
        "I am a refugee living in Germany since 2015, never lived in the Netherlands.",
    ],
)
def test_a_nationality_is_no_stay_in_the_country(text: str) -> None:
    facts = extract_facts(text, today=TODAY)
    assert (facts.nl_stays, facts.nl_months) == ((), None)


@pytest.mark.parametrize(
    ("text", "phd"),
    [
        # The PhD's start, a stay after it, or a stay's year is not the PhD date.
        ("I started my PhD at Erasmus MC in 2014 and I will defend in spring 2018", "spring 2018"),
        ("After my PhD in Porto I spent ten months at TU Delft as a guest in 2016", None),
        ("I got my PhD in 2013 and spent 8 months in Leiden in 2016", "2013"),
    ],
)
def test_the_phd_date_is_the_date_of_the_phd_itself(text: str, phd: str | None) -> None:
    found = extract_facts(text, today=TODAY).phd
    assert (found.text if found else None) == phd


def test_never_having_a_job_there_is_not_never_having_been_there() -> None:
    assert not extract_facts("I came with him to Rotterdam in 2016. I never had a Dutch job.").nl_never
    assert extract_facts("PhD 2015, never lived in the Netherlands").nl_never
    assert extract_facts("PhD 2015, never in NL").nl_never


def test_an_institution_there_is_a_place_there() -> None:
    [(begin, _)] = extract_facts("I have worked at Erasmus MC since June 2016.", today=TODAY).nl_stays
    assert begin.first == date(2016, 6, 1)


def test_a_time_each_year_is_no_total() -> None:
    facts = extract_facts("Every year from 2014 to 2017 I spent May to September (5 months) in Amsterdam.", today=TODAY)
    assert facts.nl_months is None and len(facts.nl_stays) == 1


def test_a_stay_elsewhere_beside_one_there_is_left_out() -> None:
    facts = extract_facts("I did a postdoc in Leuven (Belgium) 2014-2016, then 10 months in Leiden.", today=TODAY)
    assert (facts.nl_stays, facts.nl_months) == ((), 10.0)
    # Without another place in its clause, a range in a message about time there is time there.
    [(begin, _)] = extract_facts("I lived in Leiden. From 2015 to 2017 I was a postdoc.", today=TODAY).nl_stays
    assert begin.first == date(2015, 1, 1)


def test_a_nationality_beside_a_place_there_keeps_the_stay() -> None:
    [(begin, _)] = extract_facts("I'm Dutch and have lived in Leiden since 2016.", today=TODAY).nl_stays
    assert begin.first == date(2016, 1, 1)


def test_phd_and_stay_in_one_message_are_told_apart() -> None:
    facts = extract_facts("PhD in March 2015, lived in Leiden from January 2016 to June 2017", today=TODAY)
    assert facts.phd is not None and facts.phd.first == date(2015, 3, 1)
    [(begin, finish)] = facts.nl_stays
    assert (begin.first, finish.last) == (date(2016, 1, 1), date(2017, 6, 30))


def test_phd_durations_are_not_time_in_the_netherlands() -> None:
    facts = extract_facts("I got my PhD in 2016 after 4 years, and spent 8 months in Utrecht", today=TODAY)
    assert facts.nl_months == 8


def test_a_phd_range_ends_with_the_phd() -> None:
    facts = extract_facts("I did my PhD in Berlin from 2010 to 2014", today=TODAY)
    assert facts.phd is not None and facts.phd.first.year == 2014 and facts.nl_stays == ()


@pytest.mark.parametrize(
    ("answer", "field", "value"),
    [
        ("none", "extensions_answered", True),
        ("never", "extensions_answered", True),
        ("no", "extensions_answered", True),
        ("two children born after my PhD", "children", 2),
        ("I took 8 months of parental leave", "parental_months", 8.0),
        ("medical specialist training", "medical_years", 3.0),
        ("military service, 10 months", "military_months", 10.0),
        # A later mention without a length does not undo an earlier one's.
        (
            "reserve duty after the PhD, around 7 months in all, and army service before university",
            "military_months",
            7.0,
        ),
        ("8 months of parental leave, and parental leave again later", "parental_months", 8.0),
        ("medical specialist training for 2 years, and medical training abroad before", "medical_years", 2.0),
    ],
)
def test_extension_answers(answer: str, field: str, value: object) -> None:
    assert getattr(extract_facts(answer, asked="extensions", today=TODAY), field) == value


def test_a_reply_to_the_extension_question_may_tell_the_time_in_the_country_too() -> None:
    # "never" alone answers the question asked (no extension); beside a place there, it is about the place.
    facts = extract_facts("none, and I have never lived in NL", asked="extensions", today=TODAY)
    assert facts.nl_never and facts.extensions_answered
    assert not extract_facts("never", asked="extensions", today=TODAY).nl_never


@pytest.mark.parametrize(
    ("answer", "asked", "field", "value"),
    [
        ("2", "call", "calls", (2,)),
        ("the first one", "call", "calls", (1,)),
        ("both", "call", "calls", (1, 2)),
        ("never", "nl", "nl_never", True),
        ("none", "nl", "nl_never", True),
        ("8 months", "nl", "nl_months", 8.0),
        ("a year and a half", "nl", "nl_months", 18.0),
    ],
)
def test_bare_answers_read_in_the_light_of_the_question(answer: str, asked: str, field: str, value: object) -> None:
    assert getattr(extract_facts(answer, asked=asked, today=TODAY), field) == value


@pytest.mark.parametrize(
    "question",
    [
        "Am I eligible?",
        "Would I have been eligible for call 1?",
        "Do I qualify?",
        "Can I apply for call 2 with a PhD from 2013?",
        "Check my eligibility please",
        "am i elligible for call 2",
        # A fact of the rules (time in the country, the PhD date) and "is that a problem?"
        "I lived in the Netherlands for 14 months before the deadline, is that a problem?",
        "I have been working in Amsterdam since March 2016. Does that rule me out of call 2?",
        "Would my two years at Wageningen University rule me out?",
        "I defended in May 2012; does that count against me?",
        # The same worry said of the application ("kill", "hurt"), after a stay of the writer's own.
        "I was at a summer school in Delft for 4 weeks in 2016. Will that kill my call-2 application?",
        "I spent 8 months in Leiden in 2016; could that hurt my chances?",
    ],
)
def test_personal_questions_start_the_check(question: str) -> None:
    assert is_eligibility_question(question)


@pytest.mark.parametrize(
    "question",
    [
        "What are the eligibility requirements?",
        "Who was eligible?",
        "Can I apply without a PhD?",
        "How do I apply?",
        "Can I apply in 2025?",  # a question about the calls being open, not about the applicant
        "Does my time as a PhD student in the Netherlands count?",  # no fact of the applicant's own
        "Is it a problem that I am currently in the Netherlands?",  # no time or date to check
        "I had a baby in 2015, does that count?",  # the extensions: the knowledge base answers
        "Would a weak proposal hurt my chances?",  # no fact of the rules: not a question of eligibility
    ],
)
def test_questions_about_the_rules_do_not(question: str) -> None:
    assert not is_eligibility_question(question)


# --- through the advisor ---------------------------------------------------------------------


def test_a_worry_about_the_application_after_a_stay_starts_the_check(bot: Advisor) -> None:
    # Through the router as well: its first, cheap look for a personal question must know "kill" too.
    answer = bot.ask("I was at a summer school in Delft for 4 weeks in 2016. Will that kill my call-2 application?")
    assert answer.intent == "eligibility.assessment"
    assert "Call 2 would not be ruled out by the limit on time in the Netherlands" in answer.text


def test_single_question_with_every_fact_gets_a_verdict(bot: Advisor) -> None:
    answer = bot.ask("Am I eligible for call 2? PhD in March 2015, never lived in the Netherlands.")
    assert answer.matched and answer.intent == "eligibility.assessment"
    assert answer.text.startswith("You would have been eligible for Call 2.")
    assert [s.id for s in answer.sources] == ["lf-faq-call2"]


def test_single_question_without_every_fact_says_what_is_missing(bot: Advisor) -> None:
    answer = bot.ask("Can I apply for call 2 with a PhD from 2013?")
    assert answer.matched and answer.sources
    assert "Call 2; PhD 2013" in answer.text and "time in the Netherlands" in answer.text


def test_stateless_ask_keeps_no_check_open(bot: Advisor) -> None:
    bot.ask("Am I eligible?")
    assert bot.ask("2").intent != "eligibility.assessment"


def test_guided_check_asks_one_question_at_a_time(bot: Advisor) -> None:
    chat = bot.conversation()
    first = chat.ask("Am I eligible?")
    assert "Which call" in first.text and "PhD obtained" not in first.text.split("Which call")[1]
    assert "When did you obtain your PhD" in chat.ask("call 1").text
    assert "How much time did you spend in the Netherlands" in chat.ask("1 February 2014").text
    verdict = chat.ask("I lived in Rotterdam from 1 March 2016 to 31 August 2017")
    assert verdict.text.startswith("You would not have been eligible for Call 1, because of the mobility rule")
    assert not chat.checking_eligibility


def test_check_uses_what_the_first_message_said(bot: Advisor) -> None:
    chat = bot.conversation()
    answer = chat.ask("Would I have been eligible for call 1 with a PhD from 10/11/2016?")
    assert "Noted: Call 1; PhD 10 November 2016" in answer.text and "Netherlands" in answer.text
    verdict = chat.ask("8 months")
    assert verdict.text.startswith("You would have been eligible for Call 1.")
    assert "day first, as in Europe" in verdict.text


def test_a_side_question_is_answered_and_the_check_resumes(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 2?")
    chat.ask("2012")
    side = chat.ask("what's the salary btw?")
    assert side.intent == "employment.salary" and "40,000" in side.text
    assert side.text.endswith("Back to your eligibility check: " + chat.pending_question)
    assert "Did any extension apply" in side.text.rsplit("\n", 1)[1]
    assert chat.checking_eligibility
    verdict = chat.ask("none")
    assert verdict.text.startswith("You would not have been eligible for Call 2, because your PhD (2012)")


def test_a_second_question_in_a_row_is_a_new_topic_and_the_check_says_it_stopped(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible?")
    assert chat.ask("When did the second call close?").intent == "calls.call2"
    assert chat.checking_eligibility
    moved_on = chat.ask("How is LUMC ranked?")
    assert moved_on.matched and "I've stopped the eligibility check" in moved_on.text
    assert not chat.checking_eligibility


def test_unclear_replies_get_the_question_again_and_never_end_the_check(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 2? PhD in March 2015")
    for reply in ("a bit, I visited a few times", "hmm", "yes"):
        again = chat.ask(reply)
        assert again.intent == "eligibility.assessment" and "didn't catch that" in again.text, reply
        assert "How long were you in the Netherlands" in again.text
    verdict = chat.ask("maybe 3 weeks in Amsterdam")
    assert verdict.text.startswith("You would have been eligible for Call 2.\n(3 weeks in all cannot exceed")


def test_cancel_and_reset_end_the_check(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible?")
    assert chat.ask("cancel").intent == "eligibility.cancelled"
    chat.ask("Am I eligible?")
    chat.reset()
    assert not chat.checking_eligibility


def test_rules_agree_with_the_knowledge_base(bot: Advisor) -> None:
    """The dates coded in the rules are the ones the curated answers give, from the same sources."""
    sources = {source.id for source in bot.knowledge.sources}
    for call, rules in RULES.items():
        assert rules.source_id in sources
        answer = bot.knowledge.entry(f"eligibility.call{call}").answer
        for when in (rules.phd_after, rules.recruitment, rules.mobility_from):
            assert format_date(when) in answer, (call, when)
        deadline = bot.knowledge.entry(f"calls.call{call}").answer
        assert format_date(rules.deadline).split(" ", 1)[0] in deadline and str(rules.deadline.year) in deadline


def test_a_knowledge_base_without_the_rule_sources_has_no_check(tiny_kb: Path) -> None:
    custom = Advisor(tiny_kb)
    assert not custom.checks_eligibility
    assert custom.ask("Am I eligible for call 2? PhD in March 2015, never lived in the Netherlands.").intent != (
        "eligibility.assessment"
    )


def test_what_the_applicant_said_earlier_in_the_conversation_is_used(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("I got my PhD in March 2015 and have never lived in the Netherlands. When did call 2 open?")
    verdict = chat.ask("Am I eligible for call 2?")
    reused, rest = verdict.text.split("\n", 1)
    assert "using what you told me before (PhD March 2015; no time in the Netherlands)" in reused
    assert "start afresh" in reused
    assert rest.startswith("You would have been eligible for Call 2.")


def test_a_second_check_says_it_reuses_the_facts_and_can_start_afresh(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 2? PhD in 2016")
    assert chat.ask("none").text.startswith("You would have been eligible for Call 2.")
    again = chat.ask("Am I eligible?")
    assert again.text.startswith("I'm using what you told me before (PhD 2016; no time in the Netherlands)")
    assert chat.checking_eligibility
    fresh = chat.ask("start afresh")
    assert fresh.text.startswith("All right, I've forgotten what you told me.") and "Which call" in fresh.text
    # The PhD date was forgotten: it is asked for again.
    assert chat.ask("2").text == "Noted: Call 2.\n" + chat.pending_question
    assert "When did you obtain your PhD" in (chat.pending_question or "")


def test_each_question_of_the_check_states_its_rule_and_cites_the_call(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible?")
    phd = chat.ask("call 2")
    assert "after 1 July 2013 and before 1 July 2018" in phd.text
    assert [s.id for s in phd.sources] == ["lf-faq-call2"]
    stay = chat.ask("March 2015")
    assert "At most 12 months were allowed" in stay.text and [s.id for s in stay.sources] == ["lf-faq-call2"]


@pytest.mark.parametrize(
    ("text", "phd"),
    [
        # A date in another sentence than every word about the PhD dates something else.
        ("I did my PhD in Groningen. When was the first call open in 2017?", None),
        ("My PhD was in Utrecht; I defended it in May 2015. Eligible for call 2?", "may 2015"),
        ("PhD March 2014. Call 2?", "march 2014"),
    ],
)
def test_the_phd_date_is_one_of_a_sentence_about_the_phd(text: str, phd: str | None) -> None:
    found = extract_facts(text, today=TODAY).phd
    assert (found.text if found else None) == phd


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        ("I applied in round 2", (2,)),
        ("will that kill my call-2 application?", (2,)),
        ("for the second LEaDing call", (2,)),
        ("the first LEaDing round", (1,)),
        ("a round of interviews", ()),
        # Asking which call means every call.
        ("Which call was open to me?", (1, 2, 3)),
        ("Which call closed in January?", ()),
    ],
)
def test_calls_named_as_applicants_name_them(text: str, calls: tuple[int, ...]) -> None:
    assert extract_facts(text).calls == calls


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("Am I eligible for the second go? PhD May 2014, never lived in NL", "You would have been eligible for Call 2"),
        (
            "Could I have applied to the round that opened in November 2017? PhD 2014, never lived in the Netherlands",
            "You would have been eligible for Call 2",
        ),
        ("was I eligible for the autumn 2018 round? PhD 2014, never lived in NL", "I can't check Call 3"),
    ],
)
def test_the_check_takes_a_call_named_as_the_matcher_reads_it(bot: Advisor, question: str, verdict: str) -> None:
    # Named by a call word, a date or a season the check's own patterns miss: the check does not ask which call.
    answer = bot.ask(question)
    assert answer.text.startswith(verdict)
    assert "which call" not in answer.text


def test_a_call_already_passed_is_said_while_another_is_still_asked_about(bot: Advisor) -> None:
    text = bot.ask("I defended on 30 June 2013 and never lived in NL. Which call was open to me?").text
    assert text.startswith("You would have been eligible for Call 1.\nWithout an extension you would not have")


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("My PhD won't be finished until autumn 2018. Could I apply to call 2?", "would not have been eligible"),
        ("Doktorarbeit verteidigt im September 2018. Am I eligible for call 2?", "would not have been eligible"),
    ],
)
def test_a_season_or_a_german_defence_date_is_the_phd_date(bot: Advisor, text: str, verdict: str) -> None:
    assert verdict in bot.ask(text).text


def test_am_i_eligible_with_dates_is_checked_though_a_gap_on_page_limits_fits_its_last_words(bot: Advisor) -> None:
    answer = bot.ask(
        "I lived in Rotterdam from March 2016 until September 2017. For the second call is this too much time"
        " in NL? What is the maximum?"
    )
    assert answer.text.startswith("You would not have been eligible for Call 2, because of the mobility rule")


def test_a_case_that_speaks_of_being_eligible_is_not_answered_by_a_gap_of_other_documents(bot: Advisor) -> None:
    # "what was the maximum allowed?" alone fits the gap on page limits; with the writer's own facts and
    # "ruled me out", it is the check's.
    answer = bot.ask(
        "Suppose I had lived in the Netherlands for 14 months between mid-2015 and mid-2018. Would that have"
        " ruled me out of call 2, and what was the maximum allowed?"
    )
    assert answer.text.startswith("So far I have: Call 2; 14 months in the Netherlands.")


def test_in_the_chat_a_question_beside_the_facts_is_answered_before_the_check_goes_on(bot: Advisor) -> None:
    answer = bot.conversation().ask("I finished my PhD in 2014. Do children extend the window?")
    assert answer.text.index("per child") < answer.text.index("Noted: PhD 2014.") < answer.text.index("Which call")
    assert {"lf-faq-call1", "lf-faq-call2"} <= {s.id for s in answer.sources}


def test_after_a_verdict_another_call_reuses_the_facts(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 2? PhD in June 2013, never lived in the Netherlands.")
    assert chat.ask("none").text.startswith("You would not have been eligible for Call 2")
    assert chat.ask("and call 1?").text.startswith("You would have been eligible for Call 1.")
    assert "can't check Call 3" in chat.ask("what about the third call?").text
    chat.reset()
    assert chat.ask("and call 1?").intent != "eligibility.assessment"


def test_an_unclear_short_reply_gets_the_question_again(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 1? PhD 2011")
    again = chat.ask("yes")
    assert "didn't catch that" in again.text and "two children" in again.text
    assert chat.checking_eligibility
    assert chat.ask("two kids").text.startswith("Noted: Call 1; PhD 2011; 2 children.")


@pytest.mark.parametrize(
    "question",
    [
        "Call 2: I got my PhD in 2016 and I lived in Rotterdam from January 2016 to June 2017. Eligible?",
        "Call 2: I got my PhD in 2016 and I lived in Rotterdam from January 2016 to June 2017. eligibility?",
        "Call 2, PhD in 2016, lived in Rotterdam from January 2016 to June 2017. Eligible?",
        "I got my PhD in 2016 and lived in Rotterdam from January 2016 to June 2017: would I qualify for call 2?",
    ],
)
def test_eligible_without_am_i_is_personal_when_the_message_holds_facts(bot: Advisor, question: str) -> None:
    answer = bot.conversation().ask(question)
    assert answer.intent == "eligibility.assessment"
    assert answer.text.startswith("You would not have been eligible for Call 2, because of the mobility rule")


@pytest.mark.parametrize("question", ["Who was eligible?", "What were the eligibility rules for call 2?"])
def test_eligibility_questions_about_the_rules_stay_general(bot: Advisor, question: str) -> None:
    assert bot.ask(question).intent != "eligibility.assessment"


@pytest.mark.parametrize("typo", ["am i elegible", "Am I eligable?", "am I elligible", "am i eligble for call 2"])
def test_misspelt_eligible_starts_the_check(bot: Advisor, typo: str) -> None:
    chat = bot.conversation()
    first = chat.ask(typo)
    assert first.intent == "eligibility.assessment" and chat.checking_eligibility
    if "call 2" not in typo:
        assert chat.ask("2").text.startswith("Noted: Call 2.")


@pytest.mark.parametrize("phd", ["September 2018", "2019", "1 August 2018"])
def test_a_rule_that_already_fails_gives_the_verdict_at_once(bot: Advisor, phd: str) -> None:
    chat = bot.conversation()
    answer = chat.ask(f"Am I eligible for call 2? My PhD was in {phd}.")
    assert answer.text.startswith(f"You would not have been eligible for Call 2, because your PhD ({phd})")
    assert "Netherlands between" not in answer.text.split("\n")[0] and not chat.checking_eligibility


def test_a_mobility_rule_that_already_fails_needs_no_phd_date(bot: Advisor) -> None:
    chat = bot.conversation()
    answer = chat.ask("Am I eligible for call 1? I lived in Leiden from 2014 to 2017.")
    assert answer.text.startswith("You would not have been eligible for Call 1, because of the mobility rule")
    assert not chat.checking_eligibility


def test_with_both_calls_the_one_that_fails_is_said_while_the_other_is_asked(bot: Advisor) -> None:
    chat = bot.conversation()
    answer = chat.ask("Am I eligible for both calls? PhD in January 2018.")
    assert answer.text.startswith("You would not have been eligible for Call 1, because your PhD (January 2018)")
    assert answer.text.endswith(chat.pending_question or "?") and "Netherlands" in (chat.pending_question or "")


def test_the_verdict_without_an_extension_comes_before_the_question(bot: Advisor) -> None:
    chat = bot.conversation()
    answer = chat.ask("Am I eligible for call 2? PhD on 1 February 2012")
    first, *rest = answer.text.split("\n")
    assert first.startswith(
        "Without an extension you would not have been eligible for Call 2: your PhD (1 February 2012) came before"
    )
    assert "more than 17 months" in first
    assert rest[-1].startswith("Did any extension apply") and rest[-1] == chat.pending_question


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        ("3 weeks", "(3 weeks in all cannot exceed the 12-month limit.)"),
        ("10 days", "(10 days in all cannot exceed the 12-month limit.)"),
        ("about 5 months", "(5 months in all cannot exceed the 12-month limit.)"),
        ("11.5 months", "(11.5 months in all cannot exceed the 12-month limit.)"),
    ],
)
def test_durations_are_said_as_people_say_them(bot: Advisor, reply: str, said: str) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 2? PhD in March 2015")
    assert said in chat.ask(reply).text


def test_a_stay_in_dates_is_said_in_whole_months_after_a_year_and_a_half(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 1? PhD in March 2015")
    assert "dates matter" in chat.ask("a year and a half").text
    verdict = chat.ask("from January 2015 to June 2016").text
    first = verdict.split("\n")[0]
    assert "at least 17 months" in first or "at least 16 months" in first, first
    assert not re.search(r"\d\.\d", first), first


def test_a_single_question_also_gives_the_verdict_without_an_extension_first(bot: Advisor) -> None:
    answer = bot.ask("Am I eligible for call 2? PhD on 1 February 2012")
    assert answer.text.startswith("Without an extension you would not have been eligible for Call 2")
    assert "So far I have: Call 2; PhD 1 February 2012." in answer.text


@pytest.mark.parametrize(
    ("question", "personal"),
    [
        ("Am I eligible for LUMC's junior principal investigator talent grant?", False),
        ("Am I eligible for a Veni grant?", False),
        ("would i qualify for a marie curie fellowship", False),
        ("Am I eligible for the Dutch 30% tax ruling?", False),
        ("For call 3, when would I hear whether I passed the eligibility check?", False),
        ("who performed the formal eligibility check, and how fast were applicants told?", False),
        ("Am I eligible for a LEaDing fellowship? PhD 2015", True),
        ("Am I eligible for the fellowship?", True),
        ("eligibility check please", True),
    ],
)
def test_another_scheme_or_the_offices_check_is_not_a_personal_question(question: str, personal: bool) -> None:
    assert is_eligibility_question(question) is personal


# --- changes to the rules' logic that the tests above did not catch --------------------------------


def test_parental_leave_counts_at_most_six_months_per_child() -> None:
    # A child (6 months) and parental leave capped at 6 of its 9 months: the window opens 12 months
    # earlier, after 1 October 2011 (uncapped, 15 months earlier: after 1 July 2011).
    assert phd_state(1, day(2011, 10, 2), children=1, parental_months=9.0) == "yes"
    assert phd_state(1, day(2011, 8, 1), children=1, parental_months=9.0) == "no"


def test_a_numeric_date_that_reads_the_same_either_way_gets_no_day_first_note() -> None:
    assert extract_facts("PhD on 05/05/2016", today=TODAY).day_first_note == ""
    assert "(day first, as in Europe)" in extract_facts("PhD on 10/11/2016", today=TODAY).day_first_note


# --- a single question with only the time in the country: judged against each call's limit -------


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # 12 months, all in the reference period: at the limit, which passes ("at most 12 months").
        (
            "I was in the Netherlands from January to December 2016. Does that count against me for call 1?",
            "Call 1 would not be ruled out by the limit on time in the Netherlands",
        ),
        # Two years in all, inside both reference periods: over the limit for both.
        (
            "I worked in Delft from September 2015 to September 2017, is that a problem?",
            "Call 2 is ruled out by its limit on time in the Netherlands",
        ),
        # A total without dates, over the limit: where it fell decides.
        (
            "I lived in the Netherlands for 14 months before the deadline, is that a problem?",
            "14 months in all is more than its 12-month limit, so it matters how much of it fell between "
            "1 July 2015 and 1 July 2018",
        ),
    ],
)
def test_time_in_the_country_alone_is_weighed_against_each_limit(question: str, said: str) -> None:
    answer = Advisor().ask(question)
    assert said in answer.text, answer.text
    assert "I also need" in answer.text  # and the verdict still waits for the rest


def test_a_total_within_the_limit_passes_that_rule_whatever_its_dates() -> None:
    answer = Advisor().ask("I spent 5 months in Leiden for a project, would that rule me out of call 2?")
    assert "Call 2 would not be ruled out by the limit on time in the Netherlands: 5 months in all" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Am I eligible for a Veni if my PhD was awarded in 2016 and I've lived in the Netherlands for two years?",
        "Would I qualify for an ERC starting grant, given my PhD from March 2015 and a year in Leiden?",
        "Am I eligible for the 30% ruling if I moved to Delft in 2017?",
    ],
)
def test_another_scheme_named_beside_the_applicants_own_facts_does_not_start_the_check(
    bot: Advisor, question: str
) -> None:
    # The dates make the message look like the programme's check; what is asked for decides.
    answer = bot.ask(question)
    assert answer.intent != "eligibility.assessment"
    assert "So far I have" not in answer.text


@pytest.mark.parametrize(
    "question",
    ["Am I eligible for call 2 if my PhD was in March 2015?", "Am I eligible for LEaDing if I defended in 2014?"],
)
def test_the_programme_named_beside_the_applicants_own_facts_starts_the_check(bot: Advisor, question: str) -> None:
    assert "So far I have" in bot.ask(question).text


@pytest.mark.parametrize(
    "question",
    [
        "I lived in Rotterdam from March 2016 until September 2017. For the second call, is this too much time?",
        "I got my PhD in March 2012. Is my PhD too old for call 2?",
    ],
)
def test_too_much_or_too_old_with_the_applicants_own_facts_is_their_check(bot: Advisor, question: str) -> None:
    # A verdict on their own facts, not the rules alone.
    assert "would not have been eligible for Call 2" in bot.ask(question).text


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # Stays in several clauses add up; one stay said two ways does not.
        ("I spent 8 months in Delft and 7 months in Leiden.", 15.0),
        ("I lived in Leiden for a year and a half", 18.0),
        ("two years in Amsterdam and Utrecht", 24.0),
        ("I was 10 months in Delft and 3 months in Paris", 10.0),
        # One more stay in a clause that names no place ("and again 7 months").
        ("in 2016 I went 6 months to TU Delft and after again 7 months in 2017", 13.0),
        # A stay there after the PhD, told in the PhD's clause.
        ("After my PhD in Porto I spent ten months at TU Delft as a guest in 2016", 10.0),
        # A time told beside the range it fell in is the time there; a time each year, or a time that
        # dates a move, is not a total.
        ("I visited Delft often, adding up to about 4 months between 2015 and 2017", 4.0),
        ("Between 1 July 2015 and 1 July 2018 I was in Leiden for about two years", 24.0),
        ("I moved to Utrecht five months before the deadline", None),
        ("I was in Leiden for 8 months before my PhD", 8.0),
        # A move there some time ago is a stay of that long; a move elsewhere, or a PhD, is not.
        ("I came to Holland 8 months ago for a research visit and I'm still here", 8.0),
        ("I moved to Paris 8 months ago, before that I was a year in Delft", 12.0),
        ("I finished my PhD 2 years ago in Rotterdam", None),
        # Doing a PhD there for a while is time there; "did my PhD there" without a length says no time.
        ("I've been doing my PhD in Leiden for four years.", 48.0),
        ("I did my PhD in Delft.", None),
    ],
)
def test_time_in_the_country_adds_up_over_stays(text: str, months: float | None) -> None:
    assert extract_facts(text).nl_months == months


@pytest.mark.parametrize(
    ("question", "checked"),
    [
        # Facts of the writer's own that nothing in the knowledge base answers: the check answers.
        ("I was in Leiden for 9 months in 2017. OK for call 2?", True),
        ("I was in Leiden for 9 months in 2017. Is that ok for call 2?", True),
        ("my doctoral title i get it in january 2018, it is ok for second call or too late", True),
        # Told, not asked; or another scheme; or no facts of the writer's.
        ("I was in Leiden for 9 months in 2017.", False),
        ("Would I qualify for an ERC starting grant, given my PhD from March 2015 and a year in Leiden?", False),
        ("Do short holidays in the Netherlands count towards the 12 months?", False),
        # The rules answer it, and the writer's own facts let the check apply them.
        ("I got my PhD on 12 July 2013 and have never lived in the Netherlands. Within the call 2 window?", True),
        # Another subject beside the writer's facts: the knowledge base answers it.
        ("I got my PhD in 2016. How do I find a host?", False),
        # In note form: a PhD date and a call, without "I" or "my".
        ("phd aug 2017, call 1 possible?", True),
        ("When did call 2 close? The 2018 one", False),
        # "open to me" asks whether the writer could apply, not when the call was open.
        ("Since 1 September 2017 I'm a visiting researcher in Leiden. PhD 2016. Was call 2 open to me?", True),
        ("Was call 2 open to me?", False),  # no facts of the writer's: its dates
        # Facts of the writer's own, but neither a call nor a word of being eligible: not the rules'.
        ("I have been in Rotterdam for 2 years; is it worth buying a house there?", False),
        ("I worked in Leiden for 5 years, which Dutch health insurer do you recommend?", False),
        ("After 3 years in Leiden, would moving to Utrecht be better for my kids?", False),
        ("I defend in October 2018, can I still go for the round that closes in January?", True),
        # A story of the writer's own facts, and a question about something else: words inside other words
        # ("skills", "pharmacy", "Helsinki") or in the story ("applied") do not make it a question of the rules.
        ("I'm a pharmacist, PhD 2016 from Szeged. Did fellows get a holiday allowance?", False),
        ("My training plan lists transferable skills courses; PhD 2015. Who organised those courses?", False),
        ("I applied in round 2 with a PhD from 2015. How many reference letters were needed?", False),
        ("PhD 2016, now a postdoc in Helsinki. Did fellows get Dutch language courses?", False),
        ("My PhD is from 2015, and I spent 8 months in Delft. Would that count against me for call 2?", True),
        # A call named by its season is the call the rules are asked for, not a fact of the writer's own.
        ("for the 2017 spring round, what was the earliest a PhD could have been awarded and still count?", False),
    ],
)
def test_own_facts_that_nothing_else_answers_go_to_the_check(bot: Advisor, question: str, checked: bool) -> None:
    # The check's reply leads the answer; an entry on the rules that fits too may follow it (and then
    # names the answer's intent), so the router's decision is what says where the question went.
    assert (route(bot, bot.message(question)).route is Route.ELIGIBILITY) is checked


@pytest.mark.parametrize(
    ("text", "since"),
    [
        # A move to a place in the host country begins a stay that goes on.
        ("I moved to Leiden on 1 August 2017 as a guest researcher.", date(2017, 8, 1)),
        ("we arrived in the Netherlands in March 2017 and are still here", date(2017, 3, 1)),
        ("I'll arrive in Leiden on 1 January 2018 for a short contract", date(2018, 1, 1)),
        # ... also with the date straight after the place, as people type it.
        ("so i moved to leiden jan 2017 for a research assistant job", date(2017, 1, 1)),
        ("we came to the hague march 2016, still here", date(2016, 3, 1)),
        # A move elsewhere is no stay in the host country.
        ("I lived in Leiden until 2013 and moved to Boston in 2014.", None),
        ("moved to canada 2015 after my phd", None),
        # A date after more than a place is not the move's ("after my PhD 2016" dates the PhD).
        ("I moved to Leiden after my PhD 2016", None),
        ("moved to Leiden after 2016", None),
        ("We came to Leiden before March 2016", None),
        # A job started there is a stay that goes on when the writer says it does ...
        ("I started a job in Delft on 1 March 2017 that I still have.", date(2017, 3, 1)),
        ("I joined a lab in Leiden in May 2016 and have been there ever since", date(2016, 5, 1)),
        # ... and otherwise may have ended: the check asks how long.
        ("I started a postdoc in Leiden in March 2017 and left in May 2017.", None),
        # A PhD started there is a stay there (until the next date told, its end, or on).
        ("I started my PhD at TU Delft in 2014 and I defend in spring 2018.", date(2014, 1, 1)),
        ("I started my PhD in Madrid in 2014 and defend in May 2018.", None),
    ],
)
def test_a_move_to_the_host_country_begins_a_stay(text: str, since: date | None) -> None:
    stays = extract_facts(text).nl_stays
    assert (stays[0][0].first if stays else None) == since


def test_being_a_phd_student_is_no_phd_date() -> None:
    facts = extract_facts("I was a visiting PhD student at TU Delft for 10 months in 2016.")
    assert (facts.phd, facts.nl_months) == (None, 10.0)
    assert extract_facts("I'm a PhD student and I will defend in May 2018").phd is not None


@pytest.mark.parametrize(
    ("reply", "calls"),
    [
        ("the one that closed in January", (2,)),
        ("the February one", (1,)),
        ("the one in 2017", ()),  # both calls ran in 2017: no guess
    ],
)
def test_a_call_named_by_a_month_it_was_open_in(reply: str, calls: tuple[int, ...]) -> None:
    assert extract_facts(reply, asked="call").calls == calls


@pytest.mark.parametrize(
    ("question", "someone_else"),
    [
        ("Would my husband be eligible for call 1? He defended in 2011.", True),
        ("My candidate got her PhD in May 2013. Could she apply to call 2?", True),
        ("My husband got his PhD in 2011. Can he apply?", True),
        ("My PhD student defended in June 2014. Could she apply to call 2?", True),
        # The writer's own case: the PI named is only their host.
        ("My PI says she can host me. PhD June 2014, 8 months in NL, eligible for call 2?", False),
        # The writer's own case, though someone else is named.
        ("Am I eligible for call 2? PhD May 2013. My husband is Dutch.", False),
        ("I got my PhD in 2016. Am I eligible for call 1?", False),
    ],
)
def test_a_check_about_someone_else_says_whom_you_means(bot: Advisor, question: str, someone_else: bool) -> None:
    answer = bot.ask(question)
    assert "Call" in answer.text  # the check's verdict or what it still needs, not a decline
    assert answer.text.startswith("For the person you ask about") is someone_else, answer.text


@pytest.mark.parametrize(
    ("text", "never"),
    [
        ("PhD 2014. I've lived in Spain the whole time.", True),
        ("PhD 2014, I have always worked in Canada", True),
        # All along in the host country is no "never".
        ("PhD 2014, I have always lived in Leiden", False),
        ("PhD 2014, I lived in Delft the whole time", False),
    ],
)
def test_all_along_elsewhere_is_no_time_in_the_host_country(text: str, never: bool) -> None:
    assert extract_facts(text).nl_never is never


def test_a_phd_that_fits_is_said_before_the_time_in_the_country_is_asked_for(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for both calls?")
    text = chat.ask("PhD March 2015").text
    assert text.startswith(
        "Your PhD (March 2015) is within the PhD windows of Call 1 (after 1 October 2012 and before 1 October "
        "2017) and Call 2 (after 1 July 2013 and before 1 July 2018).\n"
    )
    assert chat.pending_question is not None and "time did you spend in the Netherlands" in chat.pending_question
    # Before the PhD date is known, nothing is said to fit.
    assert not bot.conversation().ask("Am I eligible for call 2?").text.startswith("Your PhD")


@pytest.mark.parametrize(
    ("text", "children"),
    [
        ("I was pregnant in 2016", 1),
        ("my pregnancy in 2015 delayed my defence", 1),
        # The rule's pregnancy is no child of the writer's.
        ("Was there an extension for that, like the one for pregnancy?", None),
        ("does the pregnancy extension apply to adoption?", None),
    ],
)
def test_a_pregnancy_is_the_writers_only_when_they_say_so(text: str, children: int | None) -> None:
    assert extract_facts(text).children == children


@pytest.mark.parametrize(
    ("message", "settled", "asked"),
    [
        # Call 2 closed on 10 January 2018: a PhD of June 2018 fitted its window only on a condition.
        (
            "My thesis defence is scheduled for June 2018. Is call 2 still OK for me?",
            "Your PhD (June 2018) is within the PhD window of Call 2 (after 1 July 2013 and before 1 July 2018), "
            "provided that, as it comes after the call's deadline, your supervisor or promotor confirmed",
            "time did you spend in the Netherlands",
        ),
        # The time in the country told is weighed while the PhD date is asked for.
        (
            "i was a guest at tu delft for 9 months in 2016, ok for call 2 on that front?",
            "Call 2 would not be ruled out by the limit on time in the Netherlands: 9 months in all cannot exceed "
            "the 12-month limit.\n",
            "When did you obtain your PhD",
        ),
    ],
)
def test_what_the_facts_told_already_settle_is_said_before_the_next_question(
    bot: Advisor, message: str, settled: str, asked: str
) -> None:
    text = bot.conversation().ask(message).text
    assert text.startswith(settled)
    assert asked in text


@pytest.mark.parametrize(
    "question",
    [
        "I was an asylum seeker in the Netherlands for two years. Does time in the refugee procedure count under "
        "the mobility rule?",
        "My girlfriend visited me in Amsterdam a lot as a tourist. Do those trips count towards her 12 months?",
    ],
)
def test_how_a_rule_applied_where_no_source_says_is_the_gap_not_the_check(bot: Advisor, question: str) -> None:
    # The check would count the time as any other; the sources never say whether it counted.
    answer = bot.ask(question)
    assert answer.intent == "eligibility.mobility-counting-gap"
    assert not answer.matched and "So far I have" not in answer.text


def test_facts_with_still_possible_for_me_start_the_check(bot: Advisor) -> None:
    answer = bot.ask(
        "worked in rotterdam march 2016 til june 2017 as research assistant so 15 months. call 2 still possible for me"
    )
    # The time told is over the limit, but how much of it fell in the period decides: the check says so.
    assert answer.text.startswith(
        "So far I have: Call 2; 15 months in the Netherlands. For Call 2, 15 months in all is more than its "
        "12-month limit"
    )


def test_a_phd_inside_the_window_only_with_extensions_says_the_moved_start(bot: Advisor) -> None:
    text = (
        bot.conversation()
        .ask(
            "I got my PhD in March 2012 and had two children after it, no parental leave, no other extension. "
            "Could I apply to call 1?"
        )
        .text
    )
    # Two children move Call 1's start (1 October 2012) back by 12 months, and the answer says so.
    assert text.startswith(
        "Your PhD (March 2012) is within the PhD window of Call 1 (after 1 October 2011 and before 1 October "
        "2017; its start moved back by your extensions, pregnancy: 6 months per child, here 12 months)."
    )


def test_what_if_after_a_verdict_checks_the_same_call_again_with_that_changed(bot: Advisor) -> None:
    chat = bot.conversation()
    assert chat.ask("Am I eligible for call 1? PhD March 2014, never lived in the Netherlands").text.startswith(
        "You would have been eligible for Call 1."
    )
    # A bare length after a verdict is the time in the country; the call is the verdict's.
    again = chat.ask("and if it had been 14 months?")
    assert again.intent == "eligibility.assessment" and "Noted: Call 1; PhD March 2014; 14 months" in again.text
    # Without a verdict before it, "what if" is an ordinary question.
    assert bot.conversation().ask("and if it had been 14 months?").intent != "eligibility.assessment"


def test_what_if_with_a_fact_answers_the_checks_question(bot: Advisor) -> None:
    chat = bot.conversation()
    chat.ask("Am I eligible for call 1? PhD March 2012, never lived in the Netherlands")  # asks for extensions
    assert chat.ask("what if I had twins?").text.startswith("You would have been eligible for Call 1.")


def test_a_phd_still_going_on_has_no_date_yet() -> None:
    # "since 2014" runs to today; today is not when the PhD was obtained.
    assert extract_facts("I am doing my PhD at TU Delft since 2014. Am I eligible for call 2?").phd is None
    assert extract_facts("I did my PhD in Berlin from 2010 to 2014.").phd == Period(
        date(2014, 1, 1), date(2014, 12, 31), "2014", "year"
    )


def test_is_it_possible_i_apply_with_own_facts_starts_the_check(bot: Advisor) -> None:
    answer = bot.ask(
        "Hello, I am doing my PhD at TU Delft since 2014, so I am living in Netherland already 4 years. "
        "Is it possible I apply still to Leading Fellows call 2?"
    )
    assert answer.text.startswith("You would not have been eligible for Call 2, because of the mobility rule")


def test_a_story_for_the_check_that_asks_something_else_gets_both_answers_on_the_bundled_knowledge() -> None:
    bot = Advisor()
    question = (
        "Got my PhD in March 2014 and spent 8 months in Leiden in 2016, so I think I'm ok for call 2. "
        "Where do I actually send my application?"
    )
    for answer in (bot.ask(question), bot.conversation().ask(question)):
        # The question asked comes first, then the check's verdict on the facts the story gives.
        assert answer.parts[0].answer.intent == "application.submission"
        assert answer.parts[1].question == BESIDE_CHECK_HEADING
        assert "leadingfellows@tudelft.nl" in answer.text and "eligible for Call 2" in answer.text
    # A question about the rules themselves is the check's alone.
    alone = bot.ask("Got my PhD in March 2014 and spent 8 months in Leiden in 2016. Am I eligible for call 2?")
    assert not alone.parts and alone.intent == ELIGIBILITY_INTENT


def test_a_phd_started_in_the_host_country_lasts_there_until_its_end() -> None:
    told = "I started my PhD at Leiden University in 2012, defended in March 2016 and moved to Boston."
    stays = extract_facts(told).nl_stays
    assert [(begin.first, finish.last) for begin, finish in stays] == [(date(2012, 1, 1), date(2016, 3, 31))]


@pytest.mark.parametrize("verb", ["go for", "try for", "compete in", "submit to"])
def test_going_for_a_call_with_own_facts_is_asking_to_be_checked(verb: str) -> None:
    told = "I finished my PhD in Ghent in 2015 and took a job in Rotterdam in January 2017."
    question = f"{told} Could I still {verb} call 2?"
    assert is_eligibility_question(question)


def test_asking_when_one_was_told_whether_eligible_is_no_check(bot: Advisor) -> None:
    # The formal check's dates are asked, however personal the story: not whether the writer was eligible.
    told = "PhD May 2014, four months in Leiden in 2016, applied to call 2."
    question = f"{told} When would I have heard if I was eligible?"
    assert not is_eligibility_question(question)
    assert route(bot, bot.message(question)).route is Route.QUESTION
    assert "31 January 2018" in bot.ask(question).text  # when Call 2's eligibility news came
    assert is_eligibility_question("PhD May 2014, four months in Leiden in 2016. Was I eligible for call 2?")


def test_stays_after_the_first_add_up_when_they_name_no_other_place() -> None:
    told = "I was a visiting researcher in Delft twice: 4 months in 2015 and 5 months in 2016."
    assert extract_facts(told).nl_months == 9.0
    # ... but not a stay the writer puts elsewhere.
    assert extract_facts("I spent 4 months in Delft in 2015 and 5 months in Paris in 2016.").nl_months == 4.0


def test_having_lived_there_all_along_is_time_there_up_to_now() -> None:
    facts = extract_facts("Dutch, lived in Rotterdam all my life, PhD in 2017.")
    stays = facts.nl_stays
    assert len(stays) == 1 and stays[0][0].first.year < 2000 and stays[0][1].is_now
    assert "the Netherlands all along to now" in facts.summary()  # what /why shows: no made-up year
    # A stay that ended, or a life lived elsewhere, is not.
    assert not extract_facts("I lived in Rotterdam all my life until 2012, then moved to Paris.").nl_stays
    assert extract_facts("I've lived in Spain the whole time. PhD 2015.").nl_never


@pytest.mark.parametrize("asked", ["first call?", "Call 1?", "call 1 or 2?"])
def test_own_facts_then_only_a_call_asks_whether_it_was_open_to_the_writer(bot: Advisor, asked: str) -> None:
    question = f"Moved to Delft in May 2016 for a postdoc, contract until the end of 2017. PhD Istanbul 2015. {asked}"
    assert route(bot, bot.message(question)).route is Route.ELIGIBILITY
