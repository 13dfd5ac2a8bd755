"""The Advisor facade: load a knowledge base once, match questions, build answers."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, TypeAlias

from .index_cache import read_index
from .knowledge import load_knowledge, resolve_knowledge_dir
from .matching import INSTITUTION_TOKENS, Matcher
from .models import Answer, Entry, Explanation, KnowledgeBase, Match, Source
from .normalize import MAX_QUERY_CHARS, Analysis
from .smalltalk import REPLIES, detect_smalltalk

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from .conversation import Conversation
    from .eligibility import Facts
    from .eligibility_check import Assessment

#: Below this score the advisor declines instead of guessing (calibrated on the dev set).
DEFAULT_THRESHOLD = 0.42
#: When the two best entries are closer than this, offer both instead of picking one.
DID_YOU_MEAN_MARGIN = 0.015
#: A fact of another institution counts as what a question is about above this share of the threshold.
OTHER_INSTITUTION_SHARE = 0.8
PROGRAMME_OFFICE = "leadingfellows@tudelft.nl"
INSTITUTION_NAMES = {
    "lumc": "LUMC",
    "leidenuniv": "Leiden University",
    "tudelft": "TU Delft",
    "eur": "Erasmus University Rotterdam",
    "erasmusmc": "Erasmus MC",
}
#: Words without which a question cannot be a personal eligibility question; checked before
#: importing the eligibility rules, which single questions rarely need.
ELIGIBILITY_HINTS = ("eligib", "eligab", "elligib", "qualif", "apply", "applied")
ELIGIBILITY_INTENT = "eligibility.assessment"
ELIGIBILITY_REASON = "eligibility check"
DEFAULT_SUGGESTIONS = (
    "What was the LEaDing Fellows programme?",
    "Who was eligible to apply?",
    "What are LUMC's research profiles?",
)

KnowledgeArg: TypeAlias = "str | os.PathLike[str] | Traversable | KnowledgeBase | None"


class Advisor:
    """Answers questions from one knowledge base, loaded and indexed once.

    Args:
        knowledge: a folder of YAML files, an already loaded KnowledgeBase, or
            None for the knowledge base bundled with the package.
        threshold: the score below which questions are declined (above 0, at most 1).

    Raises:
        ValueError: the threshold is out of range.
        KnowledgeError: the knowledge folder is missing or invalid.

    >>> bot = Advisor()
    >>> bot.ask("How is LUMC ranked?").matched
    True
    """

    def __init__(self, knowledge: KnowledgeArg = None, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0 < threshold <= 1:  # also False for nan: every score would pass, or none would
            raise ValueError(f"threshold must be above 0 and at most 1, not {threshold!r}")
        state = None
        if isinstance(knowledge, KnowledgeBase):
            kb = knowledge
        else:
            folder = resolve_knowledge_dir(knowledge)
            # Entries always come from the YAML; the index cache only saves the matcher's analysis.
            kb = load_knowledge(folder)
            state = read_index(folder, kb)
        self.knowledge: KnowledgeBase = kb
        self.threshold = threshold
        self.matcher = Matcher(self.knowledge, state)
        self._entries = {entry.id: entry for entry in self.knowledge.entries}
        self._sources = {source.id: source for source in self.knowledge.sources}

    @functools.cached_property
    def checks_eligibility(self) -> bool:
        """Whether this knowledge base holds the sources of the eligibility rules (a custom one may not).

        Worked out on first use, once: it needs the eligibility rules, which most questions never load.
        """
        from .eligibility import RULE_SOURCES

        return all(source_id in self._sources for source_id in RULE_SOURCES)

    def is_eligibility_question(self, question: str) -> bool:
        """A personal "am I eligible?" that the guided check should take."""
        folded = question.casefold()
        if not any(hint in folded for hint in ELIGIBILITY_HINTS) or not self.checks_eligibility:
            return False
        from .eligibility import is_eligibility_question

        return is_eligibility_question(question)

    def entry(self, entry_id: str) -> Entry:
        return self._entries[entry_id]

    def ask(self, question: str) -> Answer:
        """Answer one question; never raises for a `str`, raises TypeError otherwise."""
        if not isinstance(question, str):
            raise TypeError(f"question must be str, not {type(question).__name__}")
        question = question[:MAX_QUERY_CHARS]
        general = self.ask_knowledge(question)
        if general.intent is not None and general.intent.startswith("smalltalk."):
            return general
        if self.is_eligibility_question(question):
            return self._eligibility(question, general)
        return general

    def ask_knowledge(self, question: str) -> Answer:
        """Answer from the knowledge base (and small talk) only, without the eligibility check."""
        kind = detect_smalltalk(question)
        if kind is not None:
            return Answer(text=REPLIES[kind], matched=True, intent=f"smalltalk.{kind}", confidence=1.0)
        analysis = self.matcher.analyze(question)
        return self.answer_for(analysis, self.matcher.rank(analysis, limit=5))

    def _eligibility(self, question: str, general: Answer) -> Answer:
        """Statelessly: the verdict when the question holds every fact, else what is still needed."""
        from .eligibility import extract_facts
        from .eligibility_check import EXAMPLE, assess, partial_reply

        facts = extract_facts(question)
        result = assess(facts)
        if result.asks is None:
            return self.eligibility_answer(result, facts=facts)
        if not general.matched:
            return self.eligibility_answer(result._replace(text=partial_reply(facts)), facts=facts)
        # Not every fact is there: the general answer (the rules), then what a check would need.
        hint = (
            partial_reply(facts)
            if facts.concrete
            else (
                "To check your own case, ask with the call, your PhD date and your time in the Netherlands, "
                f"e.g. {EXAMPLE}"
            )
        )
        return Answer(
            text=f"{general.text}\n\n{hint}",
            matched=True,
            intent=general.intent,
            confidence=general.confidence,
            sources=list(dict.fromkeys([*general.sources, *self._sources_of(result.source_ids)])),
            suggestions=general.suggestions,
            explanation=general.explanation,
        )

    def eligibility_answer(
        self,
        result: Assessment,
        *,
        facts: Facts,
        before: str = "",
        extra_sources: tuple[Source, ...] = (),
        cite: bool = True,
    ) -> Answer:
        """An Answer for one step of the eligibility check, citing the rules' sources (unless `cite` is False:
        a bare follow-up question in the chat needs no sources beneath it)."""
        sources = list(dict.fromkeys([*extra_sources, *(self._sources_of(result.source_ids) if cite else [])]))
        return Answer(
            text=f"{before}{result.text}",
            matched=True,
            intent=ELIGIBILITY_INTENT,
            confidence=1.0,
            sources=sources,
            # For /why: what the check understood, since no knowledge-base entry was matched.
            explanation=Explanation(normalized_query=facts.summary(), terms=(), reason=ELIGIBILITY_REASON),
        )

    def _sources_of(self, source_ids: tuple[str, ...]) -> list[Source]:
        """The registered sources among `source_ids` (a custom knowledge base may lack some)."""
        return [self._sources[i] for i in source_ids if i in self._sources]

    def answer_entry(self, entry_id: str) -> Answer:
        """The answer of one entry, as if it had been matched with full confidence."""
        entry = self._entries[entry_id]
        return Answer(
            text=entry.answer,
            matched=entry.kind == "answer",
            intent=entry.id,
            confidence=1.0,
            sources=list(entry.sources) if entry.kind == "answer" else [],
            suggestions=self._related_questions(entry),
        )

    def conversation(self) -> Conversation:
        """A conversation that keeps context between questions (follow-ups, choices)."""
        from .conversation import Conversation

        return Conversation(self)

    def answer_for(self, analysis: Analysis, matches: list[Match]) -> Answer:
        """Turn ranked matches into an Answer: answer, did-you-mean, or decline."""
        best = matches[0] if matches else None
        runner_up = next((m for m in matches[1:]), None)

        def explain(reason: str) -> Explanation:
            return Explanation(
                normalized_query=analysis.normalized,
                terms=analysis.terms,
                corrections=analysis.corrections,
                best=best,
                runner_up=runner_up,
                reason=reason,
            )

        if best is None or best.score < self.threshold:
            return self._decline(matches, explain("below threshold" if best else "no shared words"))
        entry = self._entries[best.entry_id]
        named = [t for t in analysis.terms if t in INSTITUTION_TOKENS]
        if entry.institution and named and entry.institution not in named:
            return self._other_institution(entry, named, best, explain("other institution"))
        if named and entry.institution is None:
            # "What is Erasmus MC's ranking?": the partners entry knows the name, but the
            # ranking known is LUMC's; say so rather than answer beside the question.
            other = self._other_institution_fact(analysis, named, best, matches)
            if other is not None:
                return self._other_institution(
                    self._entries[other.entry_id], named, other, explain("other institution")
                )
        if (
            runner_up is not None
            and best.score - runner_up.score < DID_YOU_MEAN_MARGIN
            and runner_up.score >= self.threshold
            and runner_up.entry_id not in entry.related
            and best.entry_id not in self._entries[runner_up.entry_id].related
        ):
            choices = [self._entries[best.entry_id], self._entries[runner_up.entry_id]]
            lines = ["I'm not sure which of these you mean:"]
            lines += [f"  {n}. {choice.questions[0]}" for n, choice in enumerate(choices, 1)]
            lines.append("Ask one of them (or, in the chat, answer with its number).")
            return Answer(
                text="\n".join(lines),
                matched=False,
                intent=None,
                confidence=0.0,
                suggestions=[choice.questions[0] for choice in choices],
                explanation=explain("did you mean"),
            )
        if entry.kind == "gap":
            return Answer(
                text=entry.answer,
                matched=False,
                intent=entry.id,
                confidence=best.score,
                suggestions=self._related_questions(entry),
                explanation=explain("known gap in the sources"),
            )
        return Answer(
            text=entry.answer,
            matched=True,
            intent=entry.id,
            confidence=best.score,
            sources=list(entry.sources),
            suggestions=self._related_questions(entry),
            explanation=explain("answered"),
        )

    def _related_questions(self, entry: Entry) -> list[str]:
        return [self._entries[r].questions[0] for r in entry.related if r in self._entries]

    def _other_institution_fact(
        self, analysis: Analysis, named: list[str], best: Match, matches: list[Match]
    ) -> Match | None:
        """The match of another institution's fact that the question is really about, if the best
        entry matched only the institution's name."""
        if any(t not in INSTITUTION_TOKENS for t in best.matched_terms):
            return None
        unmatched = {t for t in analysis.terms if t not in INSTITUTION_TOKENS and t not in best.matched_terms}
        for match in matches[1:]:
            institution = self._entries[match.entry_id].institution
            if (
                institution
                and institution not in named
                and match.score >= self.threshold * OTHER_INSTITUTION_SHARE
                and unmatched & set(match.matched_terms)
            ):
                return match
        return None

    def _other_institution(self, entry: Entry, named: list[str], best: Match, why: Explanation) -> Answer:
        others = ", ".join(INSTITUTION_NAMES.get(t, t) for t in named)
        own = INSTITUTION_NAMES.get(entry.institution or "", entry.institution or "")
        text = (
            f"I don't know that for {others}: my sources give this only for {own}, one of the "
            f"programme's five partners. What they say about {own}:\n\n{entry.answer}"
        )
        return Answer(
            text=text,
            matched=False,
            intent=entry.id,
            confidence=0.0,
            sources=list(entry.sources),
            suggestions=self._related_questions(entry),
            explanation=why,
        )

    def _decline(self, matches: list[Match], why: Explanation) -> Answer:
        suggestions = [
            self._entries[m.entry_id].questions[0]
            for m in matches[:3]
            if self._entries[m.entry_id].kind == "answer" and m.score >= self.threshold * 0.6
        ] or list(DEFAULT_SUGGESTIONS)
        text = (
            "I don't have a sourced answer to that. I can help with the LEaDing Fellows "
            "programme (calls, eligibility, applying, selection, employment, training) and with "
            "LUMC as a host institution. You could ask:\n"
            + "\n".join(f"  - {s}" for s in suggestions)
            + f"\nFor anything else, the programme office was at {PROGRAMME_OFFICE}; note that "
            "the programme has ended (its last call closed in October 2018), so it may no "
            "longer answer."
        )
        return Answer(
            text=text,
            matched=False,
            intent=None,
            confidence=0.0,
            suggestions=suggestions,
            explanation=why,
        )


@functools.lru_cache(maxsize=8)
def _cached_advisor(knowledge: str | None) -> Advisor:
    return Advisor(knowledge)


def ask(question: str, *, knowledge: str | os.PathLike[str] | None = None) -> Answer:
    """Answer `question` from the bundled knowledge base (or the folder `knowledge`).

    The Advisor behind it is built once per folder and reused; no conversation state is kept.

    >>> ask("How many ERC projects has LUMC hosted?").matched
    True
    """
    if not isinstance(question, str):
        raise TypeError(f"question must be str, not {type(question).__name__}")
    return _cached_advisor(None if knowledge is None else os.fspath(knowledge)).ask(question)
