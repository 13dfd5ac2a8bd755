"""Lint the real knowledge base like code: sources, dates, figures, contradictions, gaps."""

from __future__ import annotations

import re

import pytest

from advisor import Advisor, load_knowledge
from advisor.checker import check_knowledge
from advisor.knowledge import default_knowledge_dir

KB = load_knowledge()
SEED_ID = "lumc-about"
SEED_TEXT = (default_knowledge_dir() / "documents" / "about-lumc-and-research.txt").read_text(encoding="utf-8")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers_in(text: str) -> set[str]:
    # "2,000" and "2.000" are the same figure; compare without thousands separators.
    return {re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", n) for n in NUMBER.findall(text)}


def test_bundled_knowledge_passes_advisor_check() -> None:
    report = check_knowledge()
    assert [str(p) for p in report.problems] == []
    assert report.entries == len(KB.entries) and report.topics >= 10


def test_every_entry_has_sources_and_several_questions() -> None:
    for entry in KB.entries:
        assert entry.sources, entry.id
        assert len(entry.questions) >= 2, f"{entry.id}: give at least two phrasings"


def test_figures_in_seed_only_answers_appear_in_the_seed_page() -> None:
    seed_numbers = numbers_in(SEED_TEXT)
    checked = 0
    for entry in KB.entries:
        if {s.id for s in entry.sources} != {SEED_ID}:
            continue
        allowed = seed_numbers | numbers_in(" ".join(s.describes for s in entry.sources))
        assert numbers_in(entry.answer) <= allowed, (entry.id, numbers_in(entry.answer) - allowed)
        checked += 1
    assert checked >= 15


def test_every_answer_says_when_it_applied() -> None:
    dated = re.compile(r"\b20(1\d|2[0-2])\b|\bCall [123]\b|programme-wide|calls 1 and 2|all calls", re.IGNORECASE)
    for entry in KB.entries:
        if entry.kind == "answer" and entry.topic != "fields":
            assert dated.search(entry.answer), f"{entry.id}: say which call or year the fact describes"


def test_third_party_sources_are_attributed_in_the_answer() -> None:
    for entry in KB.entries:
        third = [s for s in entry.sources if s.third_party]
        official = [s for s in entry.sources if not s.third_party]
        if entry.kind == "answer" and third and (not official or entry.topic == "employment"):
            text = entry.answer.lower()
            assert "third-party" in text or "third party" in text or any(s.publisher.lower() in text for s in third), (
                f"{entry.id}: name the third-party source"
            )


# Dossier section 14: where sources disagree, the answer gives both sides.
CONTRADICTIONS = [
    ("How long did the programme run?", ["January 2017", "February 2017", "December 2021", "1 May 2022"]),
    ("When did call 2 close?", ["10 January 2018", "November-December 2017"]),
    ("What was the deadline of the final call?", ["31 October 2018", "December 31, 2018"]),
    ("How big is the shortlist?", ["three times", "four times"]),
    ("Is there an interview?", ["Skype", "no interview"]),
    ("When were call 2 results announced?", ["2 July 2018", "1 July 2018"]),
    ("How many positions were available?", ["90", "more than ninety"]),
    ("How many PhD theses does LUMC produce per year?", ["160", "100"]),
    ("How many papers does LUMC publish per year?", ["2,000", "1800"]),
    ("Who chaired the Steering Committee?", ["Luyben", "van der Hagen"]),
    ("How many members did the panel have?", ["15", "neither the number"]),
    ("Who is the beneficiary of the EU grant?", ["TU Delft", "five institutions"]),
    ("What are LUMC's research profiles?", ["7 medical research profiles", "ten research themes"]),
]


@pytest.mark.parametrize(("question", "both"), CONTRADICTIONS, ids=[q for q, _ in CONTRADICTIONS])
def test_contradictions_give_both_sides(question: str, both: list[str]) -> None:
    answer = Advisor().ask(question)
    assert answer.matched, question
    for part in both:
        assert part.lower() in answer.text.lower(), (question, part)


@pytest.mark.parametrize(
    "question",
    [
        "Can I still apply?",
        "Is the call currently open?",
        "Is LEaDing Fellows accepting applications?",
        "When is the next call?",
        "Can I apply this year?",
    ],
)
def test_time_honesty_the_calls_are_closed(question: str) -> None:
    answer = Advisor().ask(question)
    assert answer.matched
    assert re.search(r"\bended\b", answer.text) and "31 October 2018" in answer.text
    assert not re.search(r"\byou can apply\b|\bapply now\b", answer.text, re.IGNORECASE)


def test_call_specific_questions_get_that_calls_facts() -> None:
    bot = Advisor()
    assert "1 October 2012" in bot.ask("What were the call 1 PhD dates?").text
    assert "1 July 2013" in bot.ask("What were the PhD dates for the second call?").text
    overview = bot.ask("What were the PhD dates?").text
    assert "1 October 2012" in overview and "1 July 2013" in overview


# Every fact of the seed page, asked on its own.
SEED_FACTS = [
    ("What is LUMC?", ["research", "education", "patient care"]),
    ("How is LUMC ranked?", ["6th", "2014", "2015"]),
    ("Does LUMC do clinical research?", ["fundamental", "clinical"]),
    ("What are LUMC's research profiles?", ["Vascular and Regenerative Medicine", "Biomedical Imaging"]),
    ("Is there vascular research at LUMC?", ["Vascular and Regenerative Medicine"]),
    ("Does LUMC study the immune system?", ["Immunity, Infection and Tolerance"]),
    ("Is there brain research at LUMC?", ["Translational Neuroscience"]),
    ("Does LUMC do cancer research?", ["Cancer Pathogenesis and Therapy"]),
    ("Does LUMC do research on ageing?", ["Ageing"]),
    ("Is there research on quality of care?", ["Innovation in Health Strategy and Quality of Care"]),
    ("Does LUMC do imaging research?", ["Biomedical Imaging"]),
    ("What are LUMC's ambitions in medical innovation?", ["innovation"]),
    ("What is the Leiden Bio Science Park?", ["Leiden Bio Science Park", "Leiden University"]),
    ("What is LERU?", ["21", "10"]),
    ("Is LUMC involved in EIT Health?", ["EIT Health", "Eurolife", "Medical Delta"]),
    ("How many PhD theses does LUMC produce?", ["160"]),
    ("How many publications does LUMC have a year?", ["2,000"]),
    ("What is LUMC's citation score?", ["1.5", "Mean Normalised Citation Score"]),
    ("Does LUMC welcome visiting scientists?", ["visiting scientists"]),
    ("What is the Expat Centre Leiden?", ["Expat Centre Leiden"]),
    ("Is LUMC good at getting external funding?", ["European Union", "19", "68", "23", "17"]),
    ("How many ERC projects has LUMC hosted?", ["19"]),
    ("How many Horizon 2020 projects is LUMC in?", ["68"]),
    ("How many Horizon 2020 projects does LUMC coordinate?", ["23"]),
    ("How many Marie Curie actions does LUMC have?", ["17"]),
    ("Does LUMC have experience supervising young researchers?", ["supervising"]),
    ("Where can I find more about the research profiles?", ["LUMC medical research profiles"]),
    ("What is the grant agreement number?", ["707404", "Horizon 2020"]),
]


@pytest.mark.parametrize(("question", "parts"), SEED_FACTS, ids=[q for q, _ in SEED_FACTS])
def test_every_seed_fact_is_answerable_with_the_seed_as_source(question: str, parts: list[str]) -> None:
    answer = Advisor().ask(question)
    assert answer.matched, question
    assert any(s.id == SEED_ID for s in answer.sources)
    for part in parts:
        assert part in answer.text, (question, part)
