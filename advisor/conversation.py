"""Conversation state: follow-up questions, numbered "did you mean" choices, and the
guided eligibility check.

Rule-based: a short follow-up ("and call 3?", "and Horizon 2020 projects?") is
resolved by carrying the previous question over and swapping the entity of the
same kind (a call, an institution, a metric) for the new one. "Am I eligible?"
starts a check (advisor.eligibility_check) that takes the following replies until
it has a verdict, is cancelled, or another question comes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .engine import DELIBERATE_REASONS, ELIGIBILITY_INTENT, OTHER_INSTITUTION_REASON
from .models import Answer
from .normalize import MAX_QUERY_CHARS, Analysis, content_terms, tokenize

if TYPE_CHECKING:
    from .eligibility import Facts
    from .eligibility_check import Assessment, EligibilityCheck
    from .engine import Advisor

#: Turns kept in `history` (only the last few are ever looked at): a long batch or chat stays flat in memory.
MAX_HISTORY = 20
FOLLOW_UP_OPENERS = (("and",), ("what", "about"), ("how", "about"), ("also",), ("same", "for"), ("plus",))
_FIRST_PERSON = re.compile(r"\b(i|my|me|i'm|i've|i'd)\b")
# After a verdict: "and call 1?", "what about the first call?", "and both?"
_OTHER_CALL = re.compile(
    r"^\s*(and|what about|how about|same for|also)\s+(for\s+)?(the\s+)?"
    r"(call\s*[123]|call (one|two|three)|(first|second|third|1st|2nd|3rd|last|final) (call|one)|both( calls)?)\W*$"
)
#: How a single answer offering numbered choices says that a conversation takes the number.
SINGLE_QUESTION_HINT = " (or, in the chat, answer with its number)"
#: A marked follow-up with this many words of its own that the last answer lacks is a new question.
MIN_OWN_WORDS = 2
#: An unmarked question longer than this is a question of its own, never a fragment of the last.
MAX_FRAGMENT_TERMS = 2
# Words that point back at the last answer. Not "there" ("Is there ...?") or "this"
# ("Is this an MSCA programme?"), which start new questions as often as follow-ups.
PRONOUNS = frozenset({"it", "they", "that", "them", "its"})


@dataclass
class Conversation:
    """Asks questions through one Advisor, remembering the last turn (for follow-ups and numbered
    choices), an eligibility check in progress, and what the applicant has said about themself."""

    advisor: Advisor
    history: list[tuple[str, Answer]] = field(default_factory=list)
    _last_tokens: tuple[str, ...] = ()
    _last_entry: str | None = None
    _choices: list[str] = field(default_factory=list)
    _check: EligibilityCheck | None = None
    # What the applicant has said about themself (PhD date, time in the Netherlands, extensions),
    # kept so that a later "am I eligible?" need not ask it again.
    _known: Facts | None = None
    _last_verdict: bool = False
    _aside: bool = False  # the last turn was a question asked in the middle of the check

    def reset(self) -> None:
        """Forget everything said so far."""
        self.history.clear()
        self._last_tokens = ()
        self._last_entry = None
        self._choices = []
        self._check = None
        self._known = None
        self._last_verdict = False
        self._aside = False

    def to_state(self) -> dict[str, Any]:
        """What the next turn needs (not past answers), as plain JSON: see `from_state`."""
        from .conversation_state import write_state

        return write_state(self)

    @classmethod
    def from_state(cls, advisor: Advisor, state: object) -> Conversation:
        """A conversation of `advisor` that goes on from `state` (made by `to_state`, perhaps by another
        process). Every field is checked; a state that does not validate raises StateError (an AdvisorError)."""
        from .conversation_state import read_state

        return read_state(advisor, state)

    @property
    def checking_eligibility(self) -> bool:
        """Whether an eligibility check is waiting for the applicant's answer."""
        return self._check is not None

    @property
    def last_answer(self) -> Answer | None:
        return self.history[-1][1] if self.history else None

    @property
    def pending_question(self) -> str | None:
        """The question the eligibility check is waiting to have answered (the end of the last answer's
        text), so that a display can show it last, after the sources."""
        return self._check.question if self._check is not None else None

    def ask(self, question: str) -> Answer:
        """Answer `question` in the context of the conversation so far."""
        if not isinstance(question, str):
            raise TypeError(f"question must be str, not {type(question).__name__}")
        question = question[:MAX_QUERY_CHARS]
        answer = (
            self._afresh(question)
            or self._continue_check(question)
            or self._choose(question)
            or self._start_check(question)
        )
        if answer is None:
            self._remember_personal_facts(question)
            answer = self._resolve(question)
        if self._choices and SINGLE_QUESTION_HINT in answer.text:
            # In a conversation a number is an answer; no need to say "in the chat".
            answer = _with_text(answer, answer.text.replace(SINGLE_QUESTION_HINT, ", or answer with its number"))
        self._last_verdict = answer.intent == ELIGIBILITY_INTENT and self._check is None
        self.history.append((question, answer))
        del self.history[:-MAX_HISTORY]
        return answer

    def _remember_personal_facts(self, question: str) -> None:
        """Keep what a first-person statement says about the applicant ("I got my PhD in 2015 ...")."""
        if not (_FIRST_PERSON.search(question.casefold()) and self.advisor.checks_eligibility):
            return
        from .eligibility import extract_facts

        said = extract_facts(question)._replace(calls=())  # a call named in passing is not the applicant's choice
        if said.concrete:
            self._known = said if self._known is None else self._known.merged(said)

    def _afresh(self, question: str) -> Answer | None:
        """On "start afresh", "start over": forget what the applicant said and begin the check anew."""
        from .eligibility_check import is_afresh

        if not ((self._check is not None or self._known is not None) and is_afresh(question)):
            return None
        from .eligibility import Facts
        from .eligibility_check import EligibilityCheck

        self._known = None
        self._check = EligibilityCheck(Facts())
        result = self._check.step()
        return self._step(self._check, result, before="All right, I've forgotten what you told me. ")

    def _continue_check(self, question: str) -> Answer | None:
        """The applicant's reply to the check's last question.

        An answer moves the check on; an unclear reply gets the question again; a question of
        its own is answered and the check's question asked again; a second one in a row is a
        new topic, and the check stops, saying so. None when the check is not running.
        """
        check = self._check
        if check is None:
            return None
        from .eligibility_check import is_cancel

        if is_cancel(question):
            self._set_aside(check)
            return Answer(
                text='All right, I\'ve stopped the eligibility check. Ask me anything else (or "am I eligible?" '
                "to take it up again).",
                matched=True,
                intent="eligibility.cancelled",
                confidence=1.0,
            )
        result = check.take(question)
        if result is not None:
            self._aside = False
            return self._verdict(check, result) if result.asks is None else self._step(check, result)
        side = self._side_answer(question)
        if side is None:  # neither an answer nor a question: ask again
            return self._step(check, check.ask_again(), noted=False)
        if self._aside:  # a second question in a row: the applicant has moved on
            self._set_aside(check)
            return _with_text(
                side,
                f'{side.text}\n\n(I\'ve stopped the eligibility check. Say "am I eligible?" to take it up '
                "again: I'll keep what you told me.)",
            )
        self._aside = True
        return _with_text(side, f"{side.text}\n\nBack to your eligibility check: {check.question}")

    def _side_answer(self, question: str) -> Answer | None:
        """The answer to a question asked in the middle of the check, or None if it is no question
        (an unclear reply to the check, which then asks again)."""
        from .eligibility_check import looks_like_a_question
        from .smalltalk import detect_smalltalk

        if detect_smalltalk(question) is not None or looks_like_a_question(question):
            return self._resolve(question)
        if _FIRST_PERSON.search(question.casefold()):
            return None  # "I visited a few times": about the applicant, but nothing the check can use
        answer = self._resolve(question)
        return answer if answer.matched else None

    def _set_aside(self, check: EligibilityCheck) -> None:
        """End the check, keeping what the applicant said (not the call) for a later one."""
        self._check = None
        self._aside = False
        self._known = check.facts._replace(calls=())

    def _step(self, check: EligibilityCheck, result: Assessment, *, before: str = "", noted: bool = True) -> Answer:
        """One question of the check: what is settled already, what was understood, the question."""
        lead = f"{result.lead}\n" if result.lead else ""
        text = f"{before}{lead}{_noted(check.facts) if noted else ''}{result.text}"
        return self.advisor.eligibility_answer(result._replace(text=text), facts=check.facts, cite=False)

    def _verdict(self, check: EligibilityCheck, result: Assessment, *, before: str = "") -> Answer:
        """End the check with its verdict, keeping the applicant's facts (not the call) for later."""
        self._set_aside(check)
        return self.advisor.eligibility_answer(result, facts=check.facts, before=before)

    def _start_check(self, question: str) -> Answer | None:
        """Begin the guided check for "am I eligible?", using whatever the question already says."""
        follow_up = self._last_verdict and bool(_OTHER_CALL.match(question.casefold()))
        if not (follow_up or self.advisor.is_eligibility_question(question)):
            return None
        from .eligibility import Facts, extract_facts
        from .eligibility_check import EligibilityCheck

        said = extract_facts(question)
        known = self._known or Facts()
        # Facts kept from before are used, but said so: they may no longer be what the applicant means.
        reused = (
            ""
            if follow_up or not known.concrete
            else f'I\'m using what you told me before ({known.summary()}); say "start afresh" to forget it.\n'
        )
        check = EligibilityCheck(known.merged(said))
        result = check.step()
        if result.asks is None:
            return self._verdict(check, result, before=reused)
        self._check = check
        self._aside = False
        self._choices = []
        if check.facts.concrete:  # "Noted:" would only repeat the facts reused, unless the question added some
            return self._step(check, result, before=reused, noted=not reused or said.concrete)
        general = self.advisor.ask_knowledge(question)  # already cut by ask()
        if not general.matched:
            return self._step(check, result, before="Let's check your own case. ")
        # The general answer first ("Am I eligible?" deserves the rules), then the first question.
        return self.advisor.eligibility_answer(
            result,
            facts=check.facts,
            before=f"{general.text}\n\nLet's check your own case. ",
            extra_sources=tuple(general.sources),
        )

    def _choose(self, question: str) -> Answer | None:
        text = question.strip().rstrip(".)")
        if not (self._choices and text.isdigit()):
            return None
        number = int(text)
        if not 1 <= number <= len(self._choices):
            return None
        chosen = self.advisor.entry(self._choices[number - 1])
        answer = self.advisor.answer_entry(chosen.id)
        self._remember(self.advisor.matcher.analyze(chosen.questions[0]).tokens, answer)
        return answer

    def _resolve(self, question: str) -> Answer:
        matcher = self.advisor.matcher
        standalone_analysis = matcher.analyze(question)
        standalone = self.advisor.ask(question)
        raw = [t.casefold() for t in tokenize(question)]
        marked = any(tuple(raw[: len(o)]) == o for o in FOLLOW_UP_OPENERS) or bool(PRONOUNS & set(raw))
        composition = self._compose(standalone_analysis, marked=marked)
        if composition is None or (standalone.intent and standalone.intent.startswith("smalltalk.")):
            self._remember(standalone_analysis.tokens, standalone)
            return standalone
        composed_tokens, new_words, swapped = composition
        # The composed tokens are already canonical: match them as they are, not re-analysed.
        composed_analysis = Analysis(
            normalized=" ".join(composed_tokens),
            tokens=tuple(composed_tokens),
            terms=content_terms(composed_tokens),
        )
        composed = self.advisor.answer_for(composed_analysis, matcher.rank(composed_analysis))
        # Only an explicit follow-up ("and ...", "what about ...", "it") or a question that
        # means nothing on its own is read in the light of the previous one.
        # "and <institution B>?" after a figure of A: saying that figure is A's only is the answer.
        other_institution = composed.explanation is not None and composed.explanation.reason == OTHER_INSTITUTION_REASON
        # A standalone answer that is deliberately not a match (another institution's figure,
        # a known gap in the sources) is the answer to a new question, not a failure.
        deliberate = standalone.explanation is not None and standalone.explanation.reason in DELIBERATE_REASONS
        # The new words must be part of what the composed reading matched ("and call 3?"), or
        # that reading is only the previous answer again ("Explain quantum computing").
        best = composed.explanation.best if composed.explanation is not None else None
        shared = set(new_words) & set(best.matched_terms) if best is not None else set()
        named_other = other_institution and any(self.advisor.entity_kind(t) == "institution" for t in new_words)
        if not (composed.matched or other_institution) or not (shared or named_other):
            use_composed = False
        elif marked:
            # "and call 3?", "is that gross?" read with the last question; but "Do they research
            # cancer?" brings words of its own that the last answer lacks, and is a new question
            # when it can be answered alone. "and <institution B>?" after a figure of A: saying
            # that the figure is A's is the answer.
            unshared = [t for t in new_words if not self.advisor.entity_kind(t) and t not in shared]
            own_question = len(unshared) >= MIN_OWN_WORDS and (standalone.matched or deliberate)
            use_composed = named_other or not own_question
        else:
            # Unmarked, only a fragment that means nothing alone ("how many countries?") and
            # adds a telling word or an entity to the last question.
            telling = named_other or any(t in swapped or matcher.is_telling(t) for t in shared)
            fragment = len(standalone_analysis.terms) <= MAX_FRAGMENT_TERMS and all(
                matcher.is_known(t) for t in standalone_analysis.terms
            )
            use_composed = fragment and telling and not (standalone.matched or deliberate)
        if use_composed:
            self._remember(composed_analysis.tokens, composed)
            return composed
        self._remember(standalone_analysis.tokens, standalone)
        return standalone

    def _compose(self, analysis: Analysis, *, marked: bool) -> tuple[list[str], list[str], set[str]] | None:
        """The previous question with this one's entities swapped in, the words this one added,
        and the entities that replaced one of the same kind; None if it cannot be a follow-up."""
        if not self._last_tokens or self._last_entry is None:
            return None
        terms = analysis.terms
        if len(terms) > 4:
            return None
        previous = list(self._last_tokens)
        kind = self.advisor.entity_kind
        has_call = any(kind(t) == "call" for t in previous)
        ordinal_calls = self.advisor.call_words
        new_tokens = list(analysis.tokens)
        if has_call:
            # "and the third?" means the third call when we were talking about calls; in
            # "the final one" the "one" only stands for "call", it is not call one.
            # A bare number is a call only in a marked follow-up ("and 3?", not "what's 2+2?").
            new_tokens = [
                ordinal_calls.get(t, t) if marked or not t.isdigit() else t
                for i, t in enumerate(new_tokens)
                if not (t == "one" and i > 0 and new_tokens[i - 1] in ordinal_calls)
            ]
        new_terms = [t for t in dict.fromkeys(new_tokens) if t in terms or kind(t)]
        # An entity already in the last question (the same institution again) replaces nothing.
        replaced_kinds = {kind(t) for t in new_terms if kind(t) and t not in previous}
        kept = [t for t in previous if kind(t) not in replaced_kinds]
        extra = [t for t in new_terms if t not in kept]
        if not extra:
            return None
        previous_kinds = {kind(t) for t in previous if kind(t)}
        swapped = {t for t in extra if kind(t) in replaced_kinds and kind(t) in previous_kinds}
        return kept + extra, extra, swapped

    def _remember(self, tokens: tuple[str, ...], answer: Answer) -> None:
        if answer.matched and answer.intent and not answer.intent.startswith("smalltalk."):
            self._last_tokens = tokens
            self._last_entry = answer.intent
        self._choices = (
            [m.entry_id for m in (answer.explanation.best, answer.explanation.runner_up) if m]
            if answer.explanation is not None and answer.explanation.reason == "did you mean"
            else []
        )


def _with_text(answer: Answer, text: str) -> Answer:
    """`answer` with another text (an Answer is immutable)."""
    return Answer(
        text=text,
        matched=answer.matched,
        intent=answer.intent,
        confidence=answer.confidence,
        sources=answer.sources,
        suggestions=answer.suggestions,
        explanation=answer.explanation,
    )


def _noted(facts: Facts) -> str:
    """What the check understood so far, so that a misreading shows at once."""
    summary = facts.summary()
    return f"Noted: {summary}.\n" if summary else ""
