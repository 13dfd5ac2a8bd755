"""Conversation state: follow-up questions, numbered "did you mean" choices, and the
guided eligibility check.

Rule-based: a short follow-up ("and call 3?", "and Horizon 2020 projects?") is
resolved by carrying the previous question over and swapping the entity of the
same kind (a call, an institution, a metric) for the new one. "Am I eligible?"
starts a check (advisor.eligibility_check) that takes the following replies until
it has a verdict, is cancelled, or another question comes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .message import SOMEONE_ELSE_NOTE, Message
from .models import Answer, Outcome
from .router import (
    ELIGIBILITY_INTENT,
    PRONOUNS,
    SUBJECTLESS_TERMS,
    SURE_ALONE_SCORE,
    ChatContext,
    Decision,
    Route,
    asks_for_more,
    choice_number,
    compose,
    fillers_of,
    is_an_answer,
    is_ellipsis,
    may_follow_up,
    names_entity,
    points_at_a_call,
    reads_as_follow_up,
    route,
)
from .router import is_marked_follow_up as is_marked_follow_up
from .smalltalk import is_smalltalk

if TYPE_CHECKING:
    from .eligibility import Facts
    from .eligibility_check import Assessment, EligibilityCheck
    from .eligibility_rules import RuleSet
    from .engine import Advisor

#: Turns kept in `history` (only the last few are ever looked at): a long batch or chat stays flat in memory.
MAX_HISTORY = 20
#: How a single answer offering numbered choices says that a conversation takes the number.
SINGLE_QUESTION_HINT = " (or, in the chat, answer with its number)"


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
    # What the applicant has said about themself (PhD date, time in the host country, extensions),
    # kept so that a later "am I eligible?" need not ask it again.
    _known: Facts | None = None
    _last_verdict: bool = False
    # The calls of the last verdict, for a "what if ...?" about it.
    _verdict_calls: tuple[int, ...] = ()
    # The check running is about someone else's facts ("Would my husband be eligible?").
    _for_someone_else: bool = False
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
        self._verdict_calls = ()
        self._aside = False
        self._for_someone_else = False

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
        message = self.advisor.message(question)
        context = ChatContext(
            checking=self._check is not None,
            knows_facts=self._known is not None,
            choices=len(self._choices),
            last_verdict=self._last_verdict,
            verdict_calls=self._verdict_calls,
            after_rules=self._calls_of_rules_answer(),
        )
        decision = route(self.advisor, message, context)
        if decision.route is Route.AFRESH:
            answer = self._afresh()
        elif decision.route is Route.CHECK_REPLY:
            answer = self._continue_check(message)
        elif decision.route is Route.CHOICE:
            answer = self._choose(message)
        elif decision.route is Route.ELIGIBILITY:
            answer = self._start_check(message, decision)
        else:
            self._remember_personal_facts(message)
            answer = self._resolve(message, decision)
        question = message.text
        if self._choices and SINGLE_QUESTION_HINT in answer.text:
            # In a conversation a number is an answer; no need to say "in the chat".
            answer = answer.with_text(answer.text.replace(SINGLE_QUESTION_HINT, ", or answer with its number"))
        self._last_verdict = answer.intent == ELIGIBILITY_INTENT and self._check is None
        if not self._last_verdict:
            self._verdict_calls = ()
        self.history.append((question, answer))
        del self.history[:-MAX_HISTORY]
        return answer

    def _calls_of_rules_answer(self) -> tuple[int, ...] | None:
        """When the last answer gave eligibility rules: the calls it was about (its entry's call, or the
        calls its question named); else None."""
        last = self.last_answer
        if (
            last is None
            or self._check is not None
            or not last.matched
            or not self.advisor.is_about_eligibility_rules(last)
        ):
            return None
        entry = self.advisor.entry(last.intent or "")
        if entry.call is not None:
            return (entry.call,)
        call_of = self.advisor.programme.call_number
        return tuple(sorted({n for t in self._last_tokens if (n := call_of(t)) is not None}))

    def _remember_personal_facts(self, message: Message) -> None:
        """Keep what a first-person statement says about the applicant ("I got my PhD in 2015 ...")."""
        if not (message.first_person and self.advisor.checks_eligibility) or message.about_someone_else:
            return
        said = message.facts._replace(calls=())  # a call named in passing is not the applicant's choice
        if said.concrete:
            self._known = said if self._known is None else self._known.merged(said)

    def _afresh(self) -> Answer:
        """On "start afresh", "start over": forget what the applicant said and begin the check anew."""
        from .eligibility import Facts
        from .eligibility_check import EligibilityCheck

        self._known = None
        self._check = EligibilityCheck(Facts(), rules=self.advisor.eligibility_rules)
        result = self._check.step()
        return self._step(self._check, result, before="All right, I've forgotten what you told me. ")

    def _continue_check(self, message: Message) -> Answer:
        """The applicant's reply to the check's last question.

        An answer moves the check on; an unclear reply gets the question again; a question of
        its own is answered and the check's question asked again; a second one in a row is a
        new topic, and the check stops, saying so.
        """
        check = self._check
        if check is None:  # the router sends a reply here only while the check runs
            raise RuntimeError("no eligibility check is running")
        from .eligibility_check import is_cancel

        if is_cancel(message.folded):
            self._set_aside(check)
            return Answer(
                text='All right, I\'ve stopped the eligibility check. Ask me anything else (or "am I eligible?" '
                "to take it up again).",
                matched=True,
                intent="eligibility.cancelled",
                confidence=1.0,
            )
        result = check.take(message.text)
        if result is not None:
            self._aside = False
            return self._verdict(check, result) if result.asks is None else self._step(check, result)
        side = self._side_answer(message)
        if side is None:  # neither an answer nor a question: ask again
            return self._step(check, check.ask_again(), noted=False)
        if self._aside:  # a second question in a row: the applicant has moved on
            self._set_aside(check)
            return side.with_text(
                f'{side.text}\n\n(I\'ve stopped the eligibility check. Say "am I eligible?" to take it up '
                "again: I'll keep what you told me.)",
            )
        self._aside = True
        return side.with_text(f"{side.text}\n\nBack to your eligibility check: {check.question}")

    def _side_answer(self, message: Message) -> Answer | None:
        """The answer to a question asked in the middle of the check, or None if it is no question
        (an unclear reply to the check, which then asks again)."""
        from .eligibility_check import looks_like_a_question

        if message.smalltalk is not None or looks_like_a_question(message.text, self.advisor.eligibility_rules):
            return self._resolve(message, route(self.advisor, message))
        if message.first_person:
            return None  # "I visited a few times": about the applicant, but nothing the check can use
        answer = self._resolve(message, route(self.advisor, message))
        return answer if answer.matched else None

    def _set_aside(self, check: EligibilityCheck) -> None:
        """End the check, keeping what the applicant said (not the call) for a later one; facts of
        someone else's are not the applicant's, and are not kept."""
        self._check = None
        self._aside = False
        if not self._for_someone_else:
            self._known = check.facts._replace(calls=())
        self._for_someone_else = False

    def _step(self, check: EligibilityCheck, result: Assessment, *, before: str = "", noted: bool = True) -> Answer:
        """One question of the check: what is settled already, what was understood, the question."""
        leads = [result.lead]
        if result.asks in ("phd", "extensions"):
            leads.append(check.time_so_far())  # asked about the time in the country, told before the PhD
        lead = "".join(f"{line}\n" for line in leads if line)
        text = f"{before}{lead}{_noted(check.facts, check.rules) if noted else ''}{result.text}"
        return self.advisor.eligibility_answer(result._replace(text=text), facts=check.facts)

    def _verdict(self, check: EligibilityCheck, result: Assessment, *, before: str = "") -> Answer:
        """End the check with its verdict, keeping the applicant's facts (not the call) for later."""
        self._verdict_calls = check.facts.calls
        self._set_aside(check)
        return self.advisor.eligibility_answer(result, facts=check.facts, before=before)

    def _start_check(self, message: Message, decision: Decision) -> Answer:
        """Begin the guided check for "am I eligible?", using whatever the question already says; a question
        the message asks beside the rules is answered first (see Advisor.with_question_beside)."""
        started = self._check_started(message, decision)
        return started if decision.after_verdict else self.advisor.with_question_beside(message, started)

    def _check_started(self, message: Message, decision: Decision) -> Answer:
        """_start_check without a question asked beside the rules."""
        from .eligibility import Facts
        from .eligibility_check import EligibilityCheck, check_opening

        rules = self.advisor.eligibility_rules
        follow_up = decision.after_verdict
        said = decision.facts if decision.facts is not None else message.check_facts
        if decision.calls and not said.calls:  # "and the latest call?": a call in the programme's words
            said = said._replace(calls=decision.calls)
        # Someone else's case starts from nothing the applicant said of themself.
        self._for_someone_else = message.about_someone_else and not follow_up
        known = (self._known if not self._for_someone_else else None) or Facts()
        # Facts kept from before are used, but said so: they may no longer be what the applicant means.
        reused = (
            ""
            if follow_up or not known.concrete
            else f'I\'m using what you told me before ({known.summary(rules)}); say "start afresh" to forget it.\n'
        )
        if self._for_someone_else:
            # "Could my husband apply? He defended in 2011.": the check's "you" is him.
            reused = f"{SOMEONE_ELSE_NOTE}{reused}"
        check = EligibilityCheck(known.merged(said), rules=rules)
        result = check.step()
        if result.asks is None:
            return self._verdict(check, result, before=reused)
        self._check = check
        self._aside = False
        self._choices = []
        general = decision.general
        if check.facts.concrete:  # "Noted:" would only repeat the facts reused, unless the question added some
            step = self._step(check, result, before=reused, noted=not reused or said.concrete)
            if general is None or not decision.answers_too:
                return step
            # A question of the rules beside the facts ("PhD 2014. Do children extend the window?"), not
            # "am I eligible?": its answer first, then the check's next question.
            return step.with_text(f"{general.text}\n\n{step.text}", general.sources)
        general = self.advisor.rules_offered(general or self.advisor.ask_knowledge(message))
        if message.about_someone_else:
            return self._step(check, result, before=SOMEONE_ELSE_NOTE)
        if not general.matched or not self.advisor.is_about_eligibility_rules(general) or "check" in message.words:
            # Only the rules are worth saying before the check's first question, and not to someone who
            # asks for the check itself: "I want to check my eligibility" (whose words fit the entry on
            # the office's eligibility check better than the rules).
            return self._step(check, result, before=check_opening(check.rules))
        # The general answer first ("Am I eligible?" deserves the rules), then the first question.
        return self.advisor.eligibility_answer(
            result,
            facts=check.facts,
            before=f"{general.text}\n\n{check_opening(check.rules)}",
            extra_sources=tuple(general.sources),
        )

    def _choose(self, message: Message) -> Answer:
        number = choice_number(message, len(self._choices))
        if number is None:  # the router sends a number here only when it picks a choice
            raise RuntimeError(f"{message.text!r} picks none of {len(self._choices)} choices")
        chosen = self.advisor.entry(self._choices[number - 1])
        answer = self.advisor.answer_entry(chosen.id)
        self._remember(self.advisor.matcher.analyze(chosen.questions[0]).tokens, answer)
        return answer

    def _resolve(self, message: Message, decision: Decision) -> Answer:
        """A question for the knowledge base: answered as a follow-up of the last one when it reads as
        one (the router's call), else on its own."""
        alone: list[Answer] = []

        def standalone() -> Answer:
            """The message's answer on its own, worked out once and only if needed."""
            if not alone:
                alone.append(self.advisor.answer(message, decision))
            return alone[0]

        if self._last_entry is not None and message.smalltalk is None and asks_for_more(message):
            # "name a few" after an answer: its words would only pull towards other entries.
            answer = self.advisor.answer_entry(self._last_entry)
            self._remember(self._last_tokens, answer)
            return answer
        marked = is_marked_follow_up(message)
        # Small talk ("thanks!") is answered as such, never as a follow-up.
        composition = (
            None
            if self._last_entry is None
            or message.smalltalk is not None
            or not may_follow_up(message, marked=marked, names_entity=names_entity(self.advisor, message))
            else compose(self.advisor, self._last_tokens, message.analysis, marked=marked, fillers=fillers_of(message))
        )
        if composition is not None and not marked and is_an_answer(standalone()):
            # An unmarked fragment that is answered on its own is a question of its own
            # (reads_as_follow_up would say so too, after ranking the follow-up reading for nothing).
            composition = None
        last_entry = self._last_entry
        if composition is not None and last_entry is not None and marked and self._asks_again(message, last_entry):
            # "how much was it?" after "Who paid for the programme?": the grant the answer named, not the
            # last question's words ("paid") with "how much" added, which read as the salary.
            answer = self.advisor.answer_entry(last_entry)
            self._remember(self._last_tokens, answer)
            return answer
        if composition is not None:
            matcher = self.advisor.matcher
            # "and the panel?" after "Who chaired the Steering Committee?" asks the same question about a
            # new subject; "who ran them?" after "How many courses were required?" asks a question of its
            # own about the last one's subject.
            new_subject = marked and is_ellipsis(message)
            new_question = not new_subject and marked and bool(PRONOUNS.intersection(message.words))
            reading = (
                compose(
                    self.advisor,
                    self._last_tokens,
                    message.analysis,
                    marked=True,
                    new_subject=new_subject,
                    new_question=new_question,
                    entities_only=points_at_a_call(message),
                    fillers=fillers_of(message),
                )
                if new_subject or new_question
                else None
            )
            known_gap: Answer | None = None
            if reading is not None:
                # Taken when it finds an answer other than the last one; else read as below.
                answer = self.advisor.answer_for(reading.analysis, matcher.rank(reading.analysis))
                if answer.matched and answer.intent != self._last_entry:
                    self._remember(reading.analysis.tokens, answer)
                    return answer
                if is_an_answer(answer) and answer.intent != self._last_entry:
                    known_gap = answer
            composed = self.advisor.answer_for(composition.analysis, matcher.rank(composition.analysis))
            if known_gap is not None and reading is not None and composed.intent != self._last_entry:
                # A known gap answers the new question ("and how many applied to it?" after a call's
                # dates: nobody knows), unless the whole reading stays with the last answer ("was
                # there a template for that?" after the host letter: that answer says).
                self._remember(reading.analysis.tokens, known_gap)
                return known_gap
            if (
                new_subject
                and composed.intent == self._last_entry
                and _answers_surely_elsewhere(standalone(), composed)
            ):
                # "and the pay?" after "How long were the contracts?": read with the last question it finds the
                # last answer again, while its new subject alone is surely another entry's.
                answer = standalone()
                self._remember(message.analysis.tokens, answer)
                return answer
            if reads_as_follow_up(self.advisor, message, standalone, composition, composed, marked=marked):
                self._remember(composition.analysis.tokens, composed)
                return composed
        answer = standalone()
        self._remember(message.analysis.tokens, answer)
        return answer

    def _asks_again(self, message: Message, last_entry: str) -> bool:
        """Whether a message of question words only ("how much was it?", "when was that?") asks about the
        last answer's own subject: its own words fit the last answer's entry best of all."""
        terms = message.analysis.terms
        if not terms or not SUBJECTLESS_TERMS.issuperset(terms):
            return False
        ranking = self.advisor.matcher.rank(message.analysis, limit=1)
        return bool(ranking) and ranking[0].entry_id == last_entry

    def _remember(self, tokens: tuple[str, ...], answer: Answer) -> None:
        if answer.matched and answer.intent and not is_smalltalk(answer):
            self._last_tokens = tokens
            self._last_entry = answer.intent
        self._choices = (
            [m.entry_id for m in (answer.explanation.best, answer.explanation.runner_up) if m]
            if answer.explanation is not None and answer.explanation.reason is Outcome.DID_YOU_MEAN
            else []
        )


def _noted(facts: Facts, rules: RuleSet) -> str:
    """What the check understood so far, so that a misreading shows at once."""
    summary = facts.summary(rules)
    return f"Noted: {summary}.\n" if summary else ""


def _answers_surely_elsewhere(alone: Answer, composed: Answer) -> bool:
    """Whether a follow-up read alone is answered surely (SURE_ALONE_SCORE), by another entry than its
    reading with the last question, and that reading does not say the last fact is another institution's."""
    other_institution = composed.explanation is not None and composed.explanation.reason is Outcome.OTHER_INSTITUTION
    return (
        not other_institution
        and alone.matched
        and alone.intent != composed.intent
        and alone.confidence >= SURE_ALONE_SCORE
    )
