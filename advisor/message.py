"""One message, analysed once.

A chat turn looks at its message in several ways: is it small talk, a number, "cancel", a personal
eligibility question, a follow-up? Which clauses, words and dates does it hold? A `Message` works each
reading out on first use and keeps it, so that the router, the engine and the conversation share one
analysis instead of folding, splitting and matching the same text again at every step. Readings that a
turn never needs (the clauses of a one-line question, the facts of a question about rankings) are
never computed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from .clauses import Clause, split_clauses
from .normalize import MAX_QUERY_CHARS, Analysis, fold, split_folded
from .smalltalk import SMALLTALK_CHARS, detect_smalltalk, smalltalk_kind

if TYPE_CHECKING:
    from .eligibility import Facts
    from .eligibility_rules import RuleSet
    from .normalize import TextAnalyzer

T = TypeVar("T")


class reading(Generic[T]):  # a decorator: lower case, like functools.cached_property
    """`functools.cached_property` without its lock: a reading is computed on first use and then kept
    in the instance. Python 3.11's cached_property takes a lock on every first use, a cost a chat turn
    paid several times over; a Message belongs to one turn and is never shared between threads."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> reading[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object, owner: type | None = None) -> T | reading[T]:
        if instance is None:
            return self
        value = self.compute(instance)
        instance.__dict__[self.name] = value  # found there from now on: this descriptor defines no __set__
        return value


@functools.cache
def _first_person() -> re.Pattern[str]:
    # Compiled on first use: a single question rarely needs it, and every start-up would pay.
    return re.compile(r"\b(i|my|me|i'm|i've|i'd)\b")


#: Before the check's reply about another person's facts ("my husband defended in 2011; is he eligible?").
SOMEONE_ELSE_NOTE = 'For the person you ask about ("you" below means them):\n'
#: The heading of the eligibility check's part of an answer that first answers another question the message
#: asks ("... so I think I'm ok for call 2. Where do I send my application?").
BESIDE_CHECK_HEADING = "And your eligibility, from what you told me"


@functools.cache
def _someone_else() -> re.Pattern[str]:
    # "Could she apply?", "my husband defended in 2011": the facts are another person's.
    return re.compile(
        r"\b(she|he|her|his|him)\b|\bmy (husband|wife|partner|candidate|student|sister|brother|son|daughter"
        r"|friend|colleague|postdoc|phd student|mentee|supervisee)\b"
    )


@functools.cache
def _writer_asks_for_self() -> re.Pattern[str]:
    # "Am I eligible?", "my PhD", "I defended in 2013": the writer's own case, whoever else is named.
    return re.compile(
        r"\b(am|can|could|would|was|will|do|did|should) i\b|\bmy (phd|defen[cs]e|doctorate|thesis)\b(?! student)"
        r"|\bi (got|defended|finished|obtained|have|had|lived|worked|moved|was|am|qualify)\b|\bi'?m\b|\bme\b"
    )


class Message:
    """A message as written (cut to MAX_QUERY_CHARS) and its readings, each computed once, when first asked for.

    `analyzer` is the matcher's (`Matcher.analyzer`): the analysis of the words depends on the knowledge
    base's vocabulary and synonyms. `rules` gives the knowledge base's eligibility rules (read only when
    a reading needs them): the calls and places the facts are read with; when it gives None (a knowledge
    base without rules), no message is a personal eligibility question or states facts. Without `rules`,
    the bundled ones. `call_number` (the programme's `Programme.call_number`) says which call a token of
    the analysis names, for `check_facts`; without it, only the facts' own patterns name calls.
    """

    def __init__(
        self,
        text: str,
        analyzer: TextAnalyzer,
        rules: Callable[[], RuleSet | None] | None = None,
        call_number: Callable[[str], int | None] | None = None,
    ) -> None:
        self.text = text[:MAX_QUERY_CHARS]
        self._analyzer = analyzer
        self._rules = rules
        self._call_number = call_number

    def __repr__(self) -> str:
        return f"Message({self.text!r})"

    @reading
    def folded(self) -> str:
        """Case-folded, accents dropped (see normalize.fold)."""
        return fold(self.text)

    @reading
    def words(self) -> list[str]:
        """The words and numbers, folded, punctuation dropped (normalize.tokenize)."""
        return split_folded(self.folded)

    @reading
    def smalltalk(self) -> str | None:
        """The kind of small talk the message is ("greeting", "thanks", ...), or None."""
        return smalltalk_kind(self.words)

    @reading
    def clauses(self) -> list[Clause]:
        """The questions and statements the message is made of (advisor.clauses), without its courtesies
        ("Hi, how's your day?", "Thanks!"): they ask nothing of the knowledge base, and their words ("day")
        would count as evidence."""
        clauses = self._all_clauses
        asking = [clause for clause in clauses if self._smalltalk_of(clause.text) is None]
        return asking if asking else clauses

    def _smalltalk_of(self, text: str) -> str | None:
        """detect_smalltalk(text) for a clause: the message's own reading when the clause is the whole
        message (most are), whose words are split already; folding and splitting them again cost a turn
        about 2% of its time."""
        if text == self.text and len(text) <= SMALLTALK_CHARS:
            return self.smalltalk  # the same words: tokenize(text) is split_folded(fold(text))
        return detect_smalltalk(text)

    @reading
    def _all_clauses(self) -> list[Clause]:
        return split_clauses(self.text)

    @reading
    def courtesies_dropped(self) -> bool:
        """Whether `clauses` left out a courtesy: the message then reads as its other clauses only."""
        return len(self.clauses) < len(self._all_clauses)

    @reading
    def analysis(self) -> Analysis:
        """The whole message as the matcher sees it."""
        return self._analyzer.analyze_words(self.words)

    @reading
    def clause_analyses(self) -> list[Analysis]:
        """Each clause as the matcher sees it, in the order of `clauses`."""
        return [self._analyzer.analyze(clause.text) for clause in self.clauses]

    @reading
    def first_person(self) -> bool:
        """Whether the writer speaks of themself ("I", "my"): what they say may be facts for the check."""
        return bool(_first_person().search(self.folded))

    @reading
    def about_someone_else(self) -> bool:
        """Whether the facts the message gives are another person's ("my husband defended in 2011; is he
        eligible?"), not the writer's: the check's "you" then means that person."""
        return bool(_someone_else().search(self.folded)) and not _writer_asks_for_self().search(self.folded)

    @reading
    def personal_eligibility(self) -> bool:
        """A personal "am I eligible?" by its words (eligibility.is_eligibility_question); whether the
        knowledge base rather answers it (another scheme) is the router's call."""
        from .eligibility import is_eligibility_question

        if self._rules is not None and self._rules() is None:
            return False  # a knowledge base without rules has no check: never read with the bundled ones
        return is_eligibility_question(self.text, self._rules() if self._rules else None)

    @reading
    def facts(self) -> Facts:
        """The facts about the applicant that the message states, read with nothing asked before."""
        from .eligibility import Facts, extract_facts

        if self._rules is not None and self._rules() is None:
            return Facts()  # no rules, so no host country or calls to read the facts with
        return extract_facts(self.text, self._rules() if self._rules else None)

    @reading
    def check_facts(self) -> Facts:
        """`facts` as the eligibility check starts from them: with the call the message names as the
        matcher reads it ("the autumn 2018 round", "the second go": the programme's call words, synonyms
        and dates) when the facts' own patterns find none. Only for a check already decided on: whether
        to start one is read from `facts`, except that a call named in any of these ways counts as named
        when nothing else answers a message of the writer's own facts (router._facts_nothing_else_answers)."""
        facts = self.facts
        rules = self._rules() if self._rules else None
        if facts.calls or self._call_number is None or rules is None:
            return facts
        named = {self._call_number(term) for term in self.analysis.terms}
        return facts._replace(calls=tuple(n for n in rules.call_numbers if n in named))
