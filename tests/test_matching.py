"""Matching on the real knowledge base: paraphrases, typos, and what must not match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor import Advisor, matching
from advisor.knowledge import parse_knowledge_texts
from advisor.matching import Matcher
from advisor.normalize import stem
from advisor.stop_words import STOP_WORDS

GOLDEN: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "data" / "expected_matches.yaml").read_text())


@pytest.mark.parametrize("case", GOLDEN["answer"], ids=lambda c: c["q"])
def test_matching_reaches_expected_entry(bot: Advisor, case: dict[str, str]) -> None:
    answer = bot.ask(case["q"])
    assert answer.intent == case["id"], answer.explanation
    assert answer.matched


@pytest.mark.parametrize("question", GOLDEN["decline"])
def test_matching_declines_off_topic_questions(bot: Advisor, question: str) -> None:
    answer = bot.ask(question)
    assert not answer.matched
    assert answer.sources == []


def test_rank_returns_nothing_when_no_word_is_shared(bot: Advisor) -> None:
    assert bot.matcher.rank(bot.matcher.analyze("zyxwv qqqq")) == []


def test_rank_breaks_ties_by_entry_id() -> None:
    sources = "sources:\n  - {id: s, title: T, url: https://x.org, publisher: P, describes: d}\n"
    entries = (
        "topic: t\nentries:\n"
        "  - {id: zeta, questions: ['alpha beta'], answer: same, sources: [s]}\n"
        "  - {id: alpha, questions: ['alpha beta'], answer: same, sources: [s]}\n"
    )
    matcher = Matcher(parse_knowledge_texts([("s.yaml", sources), ("e.yaml", entries)]))
    ranked = matcher.rank(matcher.analyze("alpha beta"))
    assert [m.entry_id for m in ranked] == ["alpha", "zeta"]
    assert ranked[0].score == ranked[1].score


def test_rank_prefers_the_entry_of_the_named_call(bot: Advisor) -> None:
    assert bot.ask("When did the first call close?").intent == "calls.call1"
    assert bot.ask("When did call three close?").intent == "calls.call3"
    assert bot.ask("What were the call deadlines?").intent == "calls.overview"


def test_scores_are_between_zero_and_one(bot: Advisor) -> None:
    for question in ["LUMC", "lumc lumc lumc ranking ranking", "call 1 call 2 call 3"]:
        for match in bot.matcher.rank(bot.matcher.analyze(question)):
            assert 0.0 <= match.score <= 1.0


def test_build_everything_leaves_nothing_to_build_on_first_use() -> None:
    # What a server does before its first request (then gc.freeze): later questions build nothing more.
    matcher = Advisor().matcher
    matcher.build_everything()
    assert all(parsed is not None for parsed in matcher._parsed_questions)
    assert all(scoring is not None for scoring in matcher._scorings)
    known = dict(matcher._entry_postings)
    assert set(known) >= set(matcher._idf)
    matcher.rank(matcher.analyze("How is LUMC ranked in Europe?"))
    assert matcher._entry_postings == known


def test_bm25_second_opinion_lowers_only_the_entries_it_ranks_lower(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both entries hold the question's words in an example question; only "feeding" holds them in
    # its other questions and its answer too, which makes it BM25's favourite.
    sources = "sources:\n  - {id: s, title: T, url: https://x.org, publisher: P, describes: d}\n"
    entries = (
        "topic: t\nentries:\n"
        "  - {id: feeding, questions: ['penguin feeding time', 'when are penguins fed', 'feeding penguins'],"
        " answer: 'Penguins are fed fish at noon; feeding time is public.', sources: [s]}\n"
        "  - {id: shows, questions: ['penguin feeding time and seal shows', 'which shows run daily'],"
        " answer: 'Seal shows run daily.', sources: [s]}\n"
    )
    kb = parse_knowledge_texts([("s.yaml", sources), ("e.yaml", entries)])
    question = "penguin feeding time"

    def scores() -> dict[str, float]:
        matcher = Matcher(kb)
        return {m.entry_id: m.score for m in matcher.rank(matcher.analyze(question))}

    with_opinion = scores()
    monkeypatch.setattr(matching, "BM25_WEIGHT", 0.0)
    without = scores()
    assert with_opinion["feeding"] == without["feeding"]
    assert with_opinion["shows"] < without["shows"]


def test_an_example_asked_as_written_is_its_entrys_even_in_common_words() -> None:
    # Every entry uses "who" and "fellows", many of them several times: the question's words are all
    # common, and the entry that has the question itself as an example must still be looked at.
    sources = "sources:\n  - {id: s, title: T, url: https://x.org, publisher: P, describes: d}\n"
    lines = ["topic: t", "entries:"]
    for n in range(40):
        examples = ", ".join(f"'who were the fellows of group {n} topic {k}'" for k in range(6))
        lines.append(f"  - {{id: busy{n:02d}, questions: [{examples}], answer: 'Group {n}.', sources: [s]}}")
    lines.append("  - {id: names, questions: ['Who were the fellows?', 'names?'], answer: 'Unknown.', sources: [s]}")
    matcher = Matcher(parse_knowledge_texts([("s.yaml", sources), ("e.yaml", "\n".join(lines) + "\n")]))
    assert matcher.rank(matcher.analyze("Who were the fellows?"))[0].entry_id == "names"


def test_a_rare_word_that_few_entries_hold_does_not_narrow_the_candidates() -> None:
    # "who" and "fellows" are in every entry, so "finally" (in one) is the question's only rare word; the
    # entry that its common words fit best must still be looked at, not only the one that says "finally".
    sources = "sources:\n  - {id: s, title: T, url: https://x.org, publisher: P, describes: d}\n"
    lines = ["topic: t", "entries:"]
    for n in range(30):
        lines.append(
            f"  - {{id: busy{n:02d}, questions: ['who were the fellows of group {n}'], answer: 'G.', sources: [s]}}"
        )
    names = ", ".join(f"'who were the fellows {k}'" for k in ("then", "there", "here", "again", "at all"))
    lines.append(f"  - {{id: names, questions: [{names}], answer: 'Unknown.', sources: [s]}}")
    lines.append("  - {id: finale, questions: ['What happened finally to group 7?'], answer: 'Ended.', sources: [s]}")
    matcher = Matcher(parse_knowledge_texts([("s.yaml", sources), ("e.yaml", "\n".join(lines) + "\n")]))
    ranked = [match.entry_id for match in matcher.rank(matcher.analyze("Who were the fellows finally?"))]
    assert "names" in ranked[:2]


@pytest.mark.parametrize(("typo", "meant"), [("wer", "were"), ("thos", "those"), ("som", "some"), ("lik", "like")])
def test_the_stem_of_a_stop_word_is_a_typo_of_it(bot: Advisor, typo: str, meant: str) -> None:
    # "some" stems to "som"; as a word of the vocabulary, "som" was kept as typed and matched the example
    # questions with the same slip. Corrected, it is the stop word it was meant to be.
    analysis = bot.matcher.analyze(f"how many places {typo} in call 2")
    assert analysis.corrections == ((typo, meant),)
    assert analysis.terms == bot.matcher.analyze(f"how many places {meant} in call 2").terms


def test_no_stem_of_a_stop_word_is_a_word_of_the_vocabulary(bot: Advisor) -> None:
    stems = {stem(word) for word in STOP_WORDS} - STOP_WORDS
    vocabulary = bot.matcher.analyzer._vocabulary
    assert len(stems) > 50 and vocabulary and not stems & vocabulary


def _closest_by_every_example(matcher: Matcher, index: int, weights: dict[str, float], total: float) -> float | None:
    """Matcher._closest_question worked out the slow way: each example question scored on its own."""
    best: float | None = None
    for line in matcher._raw_questions[index].split("\n"):
        words = line.split()
        hit = 0.0
        for term in frozenset(weights) & matcher._entry_terms[index]:  # the order the matcher adds them in
            if term in words:
                hit += weights[term]
        if hit:
            own = sum(matcher.idf(t) for t in words) or 1.0
            covered = hit / (total + own - hit)
            best = covered if best is None else max(best, covered)
    return best


@pytest.mark.parametrize(
    "question",
    ["How is LUMC ranked?", "What were the call 2 PhD dates?", "Can parental leave extend the eligibility period?"],
)
def test_closest_question_is_the_best_of_every_example(bot: Advisor, question: str) -> None:
    matcher = bot.matcher
    terms = matcher.analyze(question).terms
    weights = {t: matcher.idf(t) for t in terms if matcher.is_known(t)}
    total = sum(matcher.idf(t) for t in terms)
    for index in range(len(matcher.kb.entries)):
        expected = _closest_by_every_example(matcher, index, weights, total)
        assert matcher._closest_question(index, None, weights, total) == expected
