"""The eligibility rules as data: a made-up programme's rules drive the same engine, a broken rules
file is reported with its line, and a folder without rules has no check."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from advisor import Advisor, KnowledgeError
from advisor.checker import check_knowledge
from advisor.cli import main
from advisor.conversation_state import StateError
from advisor.dates import Period
from advisor.eligibility import Facts, check_mobility, check_phd, extract_facts, is_eligibility_question
from advisor.eligibility_check import assess, partial_reply
from advisor.eligibility_rules import RULES_FILE, RuleSet, parse_rules
from advisor.index_cache import write_index
from tests.conftest import TINY_ENTRIES, TINY_SOURCES

TODAY = date(2026, 11, 29)

#: A plainly made-up programme: two calls numbered 4 and 5 (and a 6th whose rules are lost), another
#: host country, a six-month mobility limit, and extensions of other sizes (no parental leave at all).
MADE_UP_RULES = """\
host_country:
  name: Freedonia
  places: [freedonia, freedonian, fredville, port marx]
  example_place: Fredville
programme_words: [zephyr]
rules_document: call text
rules_from: the Zephyr call texts
reference_period: the two years before the start date
after_verdict: "Closed: {closed}."
calls:
  - call: 4
    open: spring 2021
    deadline: 2021-05-31
    sources: [s1]
    phd:
      after: 2018-01-01
      before: 2021-09-01
    mobility:
      from: 2019-09-01
      until: 2021-09-01
      max_months: 6
    extensions:
      children: {months_per_child: 4}
      military_service: {max_months: 3}
  - call: 5
    open: autumn 2022
    deadline: 2022-11-30
    sources: [s2]
    phd:
      after: 2019-03-01
      before: 2023-03-01
      pending:
        needed: the defence date by {deadline}
        provided: your defence was set by the deadline
    mobility:
      from: 2021-03-01
      until: 2023-03-01
      max_months: 9
    extensions:
      children: {months_per_child: 4, only_born_after_phd: true}
      medical_training: {max_years: 2, wording: up to 2 years}
  - call: 6
    deadline: 2023-06-30
    sources: [s1]
    unknown:
      short: its rules were never published
      explanation: its rules were never published. It closed on {deadline}.
"""


def day(y: int, m: int, d: int) -> Period:
    return Period(date(y, m, d), date(y, m, d), f"{d}/{m}/{y}", "day")


def stay(a: date, b: date) -> tuple[Period, Period]:
    return (Period(a, a, "", "day"), Period(b, b, "", "day"))


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return parse_rules(MADE_UP_RULES)


@pytest.fixture
def made_up_kb(write_kb: Callable[..., Path]) -> Path:
    return write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES, RULES_FILE: MADE_UP_RULES}, "made-up")


# --- the same engine, other rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "phd", "expected"),
    [
        (4, day(2017, 12, 31), "no"),
        (4, day(2018, 1, 1), "doubt"),  # the window's first day: "after" leaves it unclear
        (4, day(2018, 1, 2), "yes"),
        (4, day(2021, 5, 31), "yes"),
        (4, day(2021, 6, 1), "yes"),  # after the deadline, but call 4 said nothing about a pending PhD
        (4, day(2021, 9, 2), "no"),
        (5, day(2022, 12, 1), "pending"),
        (5, day(2023, 3, 2), "no"),
    ],
)
def test_the_phd_window_is_the_rule_sets(rules: RuleSet, call: int, phd: Period, expected: str) -> None:
    facts = Facts(calls=(call,), phd=phd, extensions_answered=True)
    assert check_phd(facts, rules.calls[call]).state == expected


def test_a_call_silent_on_pending_phds_says_so_in_the_rule_sets_words(rules: RuleSet) -> None:
    check = check_phd(Facts(calls=(4,), phd=day(2021, 6, 1), extensions_answered=True), rules.calls[4])
    assert "Call 4: its call text does not say what a PhD still pending at the deadline (31 May 2021) needed" in (
        check.rules
    )
    pending = check_phd(Facts(calls=(5,), phd=day(2022, 12, 1), extensions_answered=True), rules.calls[5])
    assert pending.rules[-1] == (
        "Call 5: a PhD still pending at the deadline (30 November 2022) needed the defence date by 30 November 2022"
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"children": 1}, "yes"),  # 4 months back: after 1 September 2017
        ({"children": 1, "phd": day(2017, 8, 31)}, "no"),
        ({"parental_months": 6.0}, "no"),  # no parental leave in this programme
        ({"military_months": 10.0, "phd": day(2017, 10, 2)}, "yes"),  # capped at 3 months: after 1 October 2017
        ({"military_months": 10.0, "phd": day(2017, 9, 30)}, "no"),
    ],
)
def test_extensions_have_the_rule_sets_sizes_and_caps(rules: RuleSet, facts: dict[str, object], expected: str) -> None:
    facts = dict(facts)  # a copy: popping from the parameter itself would change the case for a second run
    phd = facts.pop("phd", day(2017, 9, 2))
    given = Facts(calls=(4,), phd=phd, extensions_answered=True, **facts)  # type: ignore[arg-type]
    assert check_phd(given, rules.calls[4]).state == expected


@pytest.mark.parametrize(
    ("months", "expected"),
    [((2020, 1, 1, 2020, 6, 30), "yes"), ((2020, 1, 1, 2020, 7, 31), "no"), ((2017, 1, 1, 2019, 6, 30), "yes")],
)
def test_the_mobility_limit_is_the_rule_sets(rules: RuleSet, months: tuple[int, ...], expected: str) -> None:
    y1, m1, d1, y2, m2, d2 = months
    facts = Facts(calls=(4,), nl_stays=(stay(date(y1, m1, d1), date(y2, m2, d2)),))
    check = check_mobility(facts, rules.calls[4])
    assert check.state == expected
    assert check.rules == ("Call 4: at most 6 months in Freedonia between 1 September 2019 and 1 September 2021",)


def test_facts_are_read_with_the_rule_sets_places_and_calls(rules: RuleSet) -> None:
    facts = extract_facts("Call 5: PhD in May 2020, I lived in Port Marx from 2021 to 2022.", rules, today=TODAY)
    assert facts.calls == (5,) and facts.phd is not None and facts.phd.first == date(2020, 5, 1)
    assert len(facts.nl_stays) == 1
    # The bundled programme's host country is not this one's.
    assert extract_facts("I lived in Leiden from 2021 to 2022", rules, today=TODAY).nl_stays == ()
    assert extract_facts("the last call", rules).calls == (6,)
    assert extract_facts("both", rules, asked="call").calls == (4, 5)
    assert extract_facts("call 2", rules).calls == ()  # no such call here
    assert extract_facts("medical specialist training", rules, asked="extensions").medical_years == 2.0


def test_the_programmes_own_name_makes_a_question_personal(rules: RuleSet) -> None:
    assert is_eligibility_question("Am I eligible for a Zephyr fellowship? PhD 2020", rules)
    assert not is_eligibility_question("Am I eligible for a Veni grant?", rules)


def test_questions_and_verdicts_speak_of_the_rule_sets_calls_and_country(rules: RuleSet) -> None:
    first = assess(Facts(), rules=rules)
    assert first.text == 'Which call do you mean: Call 4 (spring 2021) or Call 5 (autumn 2022)? Or "both".'
    asks = assess(Facts(calls=(4,), phd=day(2019, 5, 1)), rules=rules)
    assert asks.asks == "nl"
    assert asks.text.startswith("How much time did you spend in Freedonia between 1 September 2019 and 1 September")
    # The example stay lies in the rule set's own years (its first reference period begins in 2019).
    assert '"in Fredville from January 2021 to June 2022"' in asks.text
    older = assess(Facts(calls=(4,), phd=day(2017, 5, 1)), rules=rules)
    assert older.asks == "extensions" and "children (4 months each; for Call 5 only" in older.text
    assert "parental leave" not in older.text and "military service" in older.text
    result = assess(Facts(calls=(4, 5, 6), phd=day(2020, 5, 1), nl_never=True), rules=rules)
    assert result.asks is None
    lines = result.text.splitlines()
    assert lines[:3] == [
        "You would have been eligible for Call 4.",
        "You would have been eligible for Call 5.",
        "Call 6 I can't check: its rules were never published.",
    ]
    assert "Rules applied (from the Zephyr call texts):" in lines
    assert lines[-1] == "Closed: Call 4 on 31 May 2021, Call 5 on 30 November 2022, Call 6 on 30 June 2023."
    assert result.source_ids == ("s1", "s2")
    lost = assess(Facts(calls=(6,)), rules=rules)
    assert lost.text == "I can't check Call 6: its rules were never published. It closed on 30 June 2023."
    partial = partial_reply(Facts(), rules)
    assert "Netherlands" not in first.text + asks.text + older.text + result.text + partial
    # The example question holds a PhD date inside the last call's window.
    assert 'for example "Am I eligible for call 5? PhD in February 2021, never lived in Freedonia."' in partial


def test_too_long_a_stay_names_the_calls_own_limit(rules: RuleSet) -> None:
    result = assess(Facts(calls=(4,), phd=day(2019, 5, 1), nl_months=7.0), rules=rules)
    assert result.asks == "nl_dates" and result.text.startswith("That is more than 6 months in all")


def test_a_programme_with_one_call_never_asks_which(write_kb: Callable[..., Path]) -> None:
    one_call = MADE_UP_RULES.split("  - call: 5")[0]
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES, RULES_FILE: one_call})
    chat = Advisor(folder).conversation()
    first = chat.ask("Am I eligible?")
    assert first.intent == "eligibility.assessment" and "When did you obtain your PhD" in first.text
    second = chat.ask("May 2020").text
    # The PhD fits: said first, before the question about the rest.
    assert second.startswith("Your PhD (May 2020) is within the PhD window of Call 4")
    assert "\nNoted: PhD May 2020.\nHow much time did you spend in Freedonia" in second
    verdict = chat.ask("none")
    assert verdict.text.startswith("You would have been eligible for Call 4.")
    assert [s.id for s in verdict.sources] == ["s1"]


def test_a_made_up_programmes_check_in_the_chat_and_in_one_question(made_up_kb: Path) -> None:
    bot = Advisor(made_up_kb)
    assert bot.checks_eligibility
    chat = bot.conversation()
    assert "Call 4 (spring 2021) or Call 5 (autumn 2022)" in chat.ask("Am I eligible?").text
    assert chat.ask("5").text.startswith("Noted: Call 5.\nWhen did you obtain your PhD")
    assert "between 1 March 2021 and 1 March 2023" in chat.ask("June 2021").text
    again = chat.ask("hmm")
    assert "How long were you in Freedonia in all" in again.text
    verdict = chat.ask("I was in Fredville from January 2022 to December 2022")
    assert verdict.text.startswith("You would not have been eligible for Call 5, because of the mobility rule")
    assert "more than the 9 months allowed" in verdict.text
    restored = type(chat).from_state(bot, chat.to_state())
    reused = restored.ask("Am I eligible for call 4?").text
    assert reused.startswith("I'm using what you told me before (PhD June 2021; in Freedonia from January 2022 to")
    # Call 4's reference period ended before that stay; its PhD window still held June 2021.
    assert "\nYou would have been eligible for Call 4.\n" in reused
    single = bot.ask("Am I eligible for call 4? PhD in March 2020, never lived in Freedonia.")
    assert single.intent == "eligibility.assessment" and single.text.startswith("You would have been eligible")
    assert [s.id for s in single.sources] == ["s1"]


def test_a_check_of_the_made_up_programme_goes_on_from_its_state(made_up_kb: Path) -> None:
    bot = Advisor(made_up_kb)
    chat = bot.conversation()
    chat.ask("Am I eligible for call 5?")
    state = chat.to_state()
    assert state["check"]["facts"]["calls"] == [5]
    restored = type(chat).from_state(bot, state)
    assert restored.pending_question == chat.pending_question
    assert "\nNoted: Call 5; PhD June 2021.\nHow much time" in restored.ask("June 2021").text
    state["check"]["facts"]["calls"] = [2]  # not a call of this programme
    with pytest.raises(StateError, match="must be distinct calls of 4, 5, 6"):
        type(chat).from_state(bot, state)


# --- a folder without rules ------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["Am I eligible?", "Am I eligible for call 2? PhD in March 2015, never in NL."])
def test_a_folder_without_rules_has_no_check_and_answers_plainly(tiny_kb: Path, question: str) -> None:
    bot = Advisor(tiny_kb)
    assert bot.eligibility_rules is None and not bot.checks_eligibility
    single = bot.ask(question)
    assert single.intent != "eligibility.assessment" and single.text
    chat = bot.conversation()
    answer = chat.ask(question)
    assert answer.intent != "eligibility.assessment" and answer.text and not chat.checking_eligibility
    assert chat.ask("2").text  # no check is waiting for the number


def test_a_state_with_a_check_is_refused_by_a_folder_without_rules(made_up_kb: Path, tiny_kb: Path) -> None:
    chat = Advisor(made_up_kb).conversation()
    chat.ask("Am I eligible?")
    state = chat.to_state()
    assert state["check"] is not None
    with pytest.raises(StateError, match="no eligibility check"):
        type(chat).from_state(Advisor(tiny_kb), state)


# --- broken rule files -------------------------------------------------------------------------------


def broken(old: str, new: str) -> str:
    assert old in MADE_UP_RULES
    return MADE_UP_RULES.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (broken("    open: spring 2021\n", ""), "eligibility-rules.yaml:11: missing field 'open'"),
        (broken("  example_place: Fredville\n", ""), "eligibility-rules.yaml:2: missing field 'example_place'"),
        (
            broken("max_months: 6", "max_months: six"),
            "eligibility-rules.yaml:21: 'max_months' must be a number above 0",
        ),
        (
            broken("deadline: 2021-05-31", "deadline: 31 May 2021"),
            "eligibility-rules.yaml:13: 'deadline' must be a date",
        ),
        (broken("call: 4", "call: four"), "eligibility-rules.yaml:11: 'call' must be a whole number"),
        (broken("sources: [s1]", "sources: s1"), "eligibility-rules.yaml:14: 'sources' must be a non-empty list"),
        (
            broken("after: 2018-01-01", "after: 2022-01-01"),
            "eligibility-rules.yaml:16: the PhD window: 'after' (2022-01-01) must come before 'before' (2021-09-01)",
        ),
        (
            broken("from: 2019-09-01", "from: 2021-09-01"),
            "eligibility-rules.yaml:19: the mobility period: 'from' (2021-09-01) must come before 'until'",
        ),
        (broken("months_per_child: 4}", "months_per_child: 4, twins: 2}"), "eligibility-rules.yaml:23: unknown field"),
        (broken("military_service:", "army_service:"), "eligibility-rules.yaml:24: unknown extension 'army_service'"),
        (broken("{deadline}", "{closing}"), "eligibility-rules.yaml:33: unknown placeholder {closing}"),
        (broken("  - call: 5", "  - call: 4"), "eligibility-rules.yaml:25: call 4 is given twice"),
        (broken("rules_from: the Zephyr call texts\n", ""), "eligibility-rules.yaml:1: missing field 'rules_from'"),
        (broken("calls:", "calls: ["), "YAML error"),
        ("- just a list\n", "eligibility-rules.yaml:1: the rules file must be a mapping"),
    ],
)
def test_a_broken_rules_file_is_reported_with_its_line(text: str, expected: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_rules(text)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(expected) or (expected == "YAML error" and expected in m) for m in messages), messages


def test_every_problem_is_reported_at_once() -> None:
    text = broken("max_months: 6", "max_months: -1").replace("deadline: 2022-11-30", "deadline: soon")
    with pytest.raises(KnowledgeError) as caught:
        parse_rules(text)
    assert [p.line for p in caught.value.problems] == [21, 27]


def test_advisor_check_reports_the_rules_problems(write_kb: Callable[..., Path]) -> None:
    bad = broken("after: 2018-01-01", "after: 2022-01-01").replace("sources: [s2]", "sources: [s2, nowhere]")
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES, RULES_FILE: bad})
    assert [str(p) for p in check_knowledge(folder).problems] == [
        "eligibility-rules.yaml:16: the PhD window: 'after' (2022-01-01) must come before 'before' (2021-09-01)"
    ]
    unknown = MADE_UP_RULES.replace("sources: [s2]", "sources: [s2, nowhere]")
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES, RULES_FILE: unknown}, "kb2")
    assert [str(p) for p in check_knowledge(folder).problems] == [
        "eligibility-rules.yaml:28: call 5: unknown source 'nowhere'"
    ]


def test_a_broken_rules_file_stops_the_advisor_and_its_index(
    write_kb: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = broken("max_months: 6", "max_months: six")
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES, RULES_FILE: bad})
    with pytest.raises(KnowledgeError, match=r"eligibility-rules\.yaml:21"):
        Advisor(folder)
    with pytest.raises(KnowledgeError, match=r"eligibility-rules\.yaml:21"):
        write_index(folder)
    assert main(["--knowledge", str(folder), "What colour are the cats?"]) == 2
    assert "eligibility-rules.yaml:21: 'max_months' must be a number above 0" in capsys.readouterr().err


# --- start-up ----------------------------------------------------------------------------------------


def test_a_plain_question_does_not_read_the_rules(made_up_kb: Path) -> None:
    write_index(made_up_kb)  # with a fresh index, the advisor starts without reading the rules
    bot = Advisor(made_up_kb)
    assert bot.ask("What colour are the cats?").matched
    assert "eligibility_rules" not in vars(bot)
    assert bot.ask("Am I eligible for call 4? PhD in March 2020, never lived in Freedonia.").text.startswith(
        "You would have been eligible"
    )
    assert "eligibility_rules" in vars(bot)


def test_a_single_question_does_not_even_import_the_rule_engine() -> None:
    code = textwrap.dedent(
        """
        import sys, contextlib, io
        from advisor.cli import main
        with contextlib.redirect_stdout(io.StringIO()): main(['How is LUMC ranked?'])
        loaded = [m for m in sys.modules if m.startswith('advisor.eligibility')]
        assert not loaded, loaded
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_check_command_lists_the_rules_problems(
    write_kb: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = broken("from: 2019-09-01", "from: 2021-09-01")
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES, RULES_FILE: bad})
    assert main(["check", "--knowledge", str(folder)]) == 1
    out = capsys.readouterr()
    assert "eligibility-rules.yaml:19: the mobility period: 'from' (2021-09-01) must come before 'until'" in (
        out.out + out.err
    )
