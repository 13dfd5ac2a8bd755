"""The Advisor facade: load a knowledge base once, match questions, build answers."""

from __future__ import annotations

import functools
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from .clauses import Clause
from .index_cache import read_cache
from .judgement import JUDGEMENT_LEAD, WHAT_THEY_SAY, asks_for_judgement
from .knowledge import load_knowledge, resolve_knowledge_dir
from .matching import QUESTION_TERMS, Matcher, shares_only_question_words
from .message import BESIDE_CHECK_HEADING, SOMEONE_ELSE_NOTE, Message
from .models import Answer, Entry, Explanation, KnowledgeBase, Match, Outcome, Part, Source
from .normalize import STOP_WORDS, Analysis, content_terms, tokenize
from .present import asks_about_now, speaks_of_now
from .router import ELIGIBILITY_HINTS as ELIGIBILITY_HINTS
from .router import (
    ELIGIBILITY_INTENT,
    ONE_AS_PRONOUN_AFTER,
    SURE_ALONE_SCORE,
    Decision,
    Route,
    asks_about_the_rules,
    compose,
    is_an_answer,
    route,
)
from .smalltalk import TASK_REPLY, is_task_request, smalltalk_answer

if TYPE_CHECKING:
    from collections.abc import Callable
    from importlib.resources.abc import Traversable

    from .conversation import Conversation
    from .eligibility import Facts
    from .eligibility_check import Assessment
    from .eligibility_rules import RuleSet

#: Below this score the advisor declines instead of guessing. Chosen by 5-fold cross-validation over our
#: question sets, a wrong answer counting as four declines: `python tools/tune.py SETS --threshold-only`.
DEFAULT_THRESHOLD = 0.53
#: Below the threshold, an entry still answers when it scores at least this share of the threshold and leads
#: the runner-up by CLEAR_LEAD_MARGIN: a question in words the examples do not use scores low on every
#: entry, and a clear lead is evidence the threshold alone does not see. Chosen by cross-validation
#: (`tools/tune.py SETS --lead-only`); its best share, 0.92, is three answers ahead in 1,817 but answers
#: "What is the capital of Germany?" from the programme's name, so the next one.
CLEAR_LEAD_SHARE = 0.94
CLEAR_LEAD_MARGIN = 0.06
#: A message of at least this many words is read with a lower threshold: its story and courtesies are words
#: no entry explains, so a right answer scores lower than for the bare question. Chosen on our question sets
#: (20 to 30 words; thresholds 0.45 to 0.53), a wrong answer counting as four declines: 0.48 until three new
#: batches (fifteenth session) answered more long messages wrongly than rightly between 0.48 and 0.50; over
#: all sets 0.50 gives 4 right answers fewer and 4 wrong ones fewer, and 0.51 and 0.53 do worse. For another
#: threshold, the same share of it.
LONG_MESSAGE_WORDS = 20
LONG_MESSAGE_THRESHOLD = 0.50
#: When the two best entries are closer than this (on their scores, or on the matcher's own scores before
#: the second opinion: see Match.own_score), offer both instead of picking one.
DID_YOU_MEAN_MARGIN = 0.015
#: A known gap within this much of the best answer's score is answered instead (chosen on the applicant
#: batches with tools/tune.py: the smallest margin that declines the near misses it can).
GAP_MARGIN = 0.03
#: A question's answer of its own is taken for a message with a story only when the story reading
#: ranks the same entry among its first this many (see Advisor._answer_clauses).
STORY_AGREEMENT_RANKS = 3
#: A message's one question, answered surely alone, is taken over the story reading when the story reading
#: ranks its entry within this much of its own pick (see Advisor._sure_alone). On our question sets any
#: margin from 0.02 to 0.15 did the same (2 right answers more, 1 wrong one fewer in 3,544); 0.3 and above
#: lost one again.
STORY_CLOSE_MARGIN = 0.05
#: A question of fewer words than this (besides question words) whose answer is a decline or a known gap
#: does not outweigh another question of the same message that found an answer.
MIN_RIVAL_WORDS = 2
#: How sure the answer to a question alone must be to stand for it with the follow-up joined to it declined
#: (see Advisor._or_its_head). On our files the heads so answered scored 0.71 and 1.0 when right, 0.51 when
#: the question ("What if I had sent the same proposal to both calls, was that allowed?") was one no source
#: answers; anywhere from 0.52 to 0.71 gives the same results.
HEAD_ALONE_SCORE = 0.6
#: How sure the answer to a story's one question, read alone, must be to come before the eligibility check's
#: verdict (see Advisor._asked_beside).
BESIDE_CHECK_SCORE = 0.6
#: A question's second subject ("How many PhD theses and publications ...?") is looked for among the
#: entries ranked below the answer's, up to this rank (see Advisor._second_subject).
SECOND_SUBJECT_RANKS = 5
#: ... and it must be among the first this many entries for its side of the "and" alone (without this
#: check, looking further than the third rank cost right answers: see Advisor._best_for_side).
SIDE_RANKS = 2
#: A fact of another institution (or a known gap of the call named) counts as what a question is about
#: above this share of the threshold.
OTHER_INSTITUTION_SHARE = 0.8
#: The topic of the entries on the eligibility rules: their known gaps ("Call 3's rules") leave a
#: personal question to the check; any other known gap ("am I eligible for a Veni?") is the answer.
ELIGIBILITY_TOPIC = "eligibility"
#: The topic of the known gaps about other subjects than the programme (other funding schemes, the
#: hospital, other jobs): a message that names one of them by a word no answer uses is about it, all of it.
OUTSIDE_TOPIC = "outside"
#: The topic of the entries on applying: its gaps (documents, page limits) are the programme's own.
APPLICATION_TOPIC = "application"
# The names these outcomes had as strings, kept for the code that imports them from here.
ELIGIBILITY_REASON = Outcome.ELIGIBILITY_CHECK
GAP_REASON = Outcome.GAP
OTHER_INSTITUTION_REASON = Outcome.OTHER_INSTITUTION
DELIBERATE_REASONS = frozenset(outcome for outcome in Outcome if outcome.deliberate)

KnowledgeArg: TypeAlias = "str | os.PathLike[str] | Traversable | KnowledgeBase | None"


class Advisor:
    """Answers questions from one knowledge base, loaded and indexed once.

    Args:
        knowledge: a folder of YAML files, an already loaded KnowledgeBase, or
            None for the knowledge base bundled with the package.
        threshold: the score below which questions are declined (above 0, at most 1), unless the best entry
            scores at least CLEAR_LEAD_SHARE of it and leads the runner-up by CLEAR_LEAD_MARGIN.

    Raises:
        ValueError: the threshold is out of range.
        KnowledgeError: the knowledge folder is missing or invalid.

    >>> bot = Advisor()
    >>> bot.ask("When did call 1 close?").matched
    True
    """

    def __init__(self, knowledge: KnowledgeArg = None, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0 < threshold <= 1:  # also False for nan: every score would pass, or none would
            raise ValueError(f"threshold must be above 0 and at most 1, not {threshold!r}")
        state = None
        # What gives the rules file's document from a current index cache (see eligibility_rules).
        self._cached_rules: Callable[[], object] | None = None
        if isinstance(knowledge, KnowledgeBase):
            kb = knowledge
            self._folder: Traversable | None = Path(kb.location) if os.path.isdir(kb.location) else None
        else:
            folder = self._folder = resolve_knowledge_dir(knowledge)
            # A current index cache saves parsing the YAML and analysing the entries (see index_cache).
            cache = read_cache(folder)
            kb = load_knowledge(folder, cached=None if cache is None else cache.documents_for)
            state = None if cache is None else cache.matcher_for(kb)
            if cache is not None:
                self._cached_rules = cache.rules_for(kb.fingerprint)
        self.knowledge: KnowledgeBase = kb
        self.programme = kb.programme
        self._call_number = self.programme.call_numbers()  # for many tokens: see Programme.call_numbers
        self.threshold = threshold
        #: The threshold for a message of LONG_MESSAGE_WORDS or more (see long_message_reader).
        self.long_message_threshold = threshold * LONG_MESSAGE_THRESHOLD / DEFAULT_THRESHOLD
        self.matcher = Matcher(self.knowledge, state)
        #: The tokens that name an institution: the programme's, or (none declared) those entries name.
        self.institution_tokens = self.programme.institution_ids or frozenset(
            entry.institution for entry in kb.entries if entry.institution
        )
        #: What a follow-up may swap: call, institution and metric tokens; and the words naming a call.
        self.metric_tokens = self.programme.metrics
        self.call_words = self.programme.call_words
        # entity_kind's answers for the tokens the programme declares, looked up once here: a follow-up
        # asks for every token of two questions. Later kinds overwrite earlier ones: calls come first.
        self._entity_kinds: dict[str, str] = {
            **dict.fromkeys(self.metric_tokens, "metric"),
            **dict.fromkeys(self.institution_tokens, "institution"),
            **dict.fromkeys(self.programme.call_tokens, "call"),
        }
        self._entries = {entry.id: entry for entry in self.knowledge.entries}
        self._positions = {entry.id: position for position, entry in enumerate(self.knowledge.entries)}
        self._sources = {source.id: source for source in self.knowledge.sources}
        if state is None and not isinstance(knowledge, KnowledgeBase):
            # Indexed from scratch, so not validated by `advisor index`: a broken rules file is said now,
            # not in the middle of a conversation. (A fresh index covers the rules file's bytes.)
            _ = self.eligibility_rules

    @functools.cached_property
    def eligibility_rules(self) -> RuleSet | None:
        """The knowledge folder's eligibility rules, or None if it has none (then there is no check).

        Read on first use, once: most questions never need them. Raises KnowledgeError if they are invalid.
        """
        from .eligibility_rules import load_rules

        if self._folder is None:
            return None
        return load_rules(self._folder, document=None if self._cached_rules is None else self._cached_rules())

    @property
    def checks_eligibility(self) -> bool:
        """Whether this knowledge base has eligibility rules (a custom one may not)."""
        return self.eligibility_rules is not None

    @functools.cached_property
    def long_message_reader(self) -> Advisor:
        """This advisor with the threshold for long messages: the same knowledge, index and caches."""
        import copy  # here, not at the top: most questions are short, and a start-up should not pay for it

        reader = copy.copy(self)
        reader.threshold = reader.long_message_threshold
        return reader

    def message(self, text: str) -> Message:
        """`text` (cut to MAX_QUERY_CHARS) as a Message, to be analysed once for every step that reads it."""
        return Message(text, self.matcher.analyzer, lambda: self.eligibility_rules, self.programme.call_number)

    def is_eligibility_question(self, question: str | Message) -> bool:
        """A personal "am I eligible?" that the guided check should take (not one about another scheme)."""
        message = question if isinstance(question, Message) else self.message(question)
        return route(self, message).route is Route.ELIGIBILITY

    def is_about_eligibility_rules(self, answer: Answer) -> bool:
        """Whether `answer` is an entry on the eligibility rules (which the check applies to a case)."""
        return answer.intent in self._entries and self._entries[answer.intent].topic == ELIGIBILITY_TOPIC

    def is_rule_gap(self, answer: Answer) -> bool:
        """Whether `answer` is a known gap on how the eligibility rules applied, for every call ("Did time
        as a refugee count?": no source says): the check cannot apply a rule the sources do not give."""
        entry = self._entries.get(answer.intent or "")
        return (
            entry is not None
            and entry.kind == "gap"
            and entry.topic == ELIGIBILITY_TOPIC
            and entry.call is None
            and not answer.matched
        )

    def is_another_subject(self, answer: Answer) -> bool:
        """Whether `answer` is the known gap of something outside the programme (another scheme, the
        hospital, other positions)."""
        entry = self._entries.get(answer.intent or "")
        return entry is not None and entry.topic == OUTSIDE_TOPIC

    def is_outside(self, answer: Answer) -> bool:
        """Whether `answer` declines on purpose with a known gap outside the eligibility rules
        (another scheme, the 30% ruling): "am I eligible for it?" is then not for the check."""
        entry = self._entries.get(answer.intent or "")
        return (
            entry is not None
            and entry.kind == "gap"
            and entry.topic != ELIGIBILITY_TOPIC
            and not answer.matched
            and answer.confidence >= self.threshold
            # A gap on the programme's own papers ("what is the maximum?" fits page limits) is no scheme.
            and entry.topic != APPLICATION_TOPIC
        )

    def entity_kind(self, token: str) -> str | None:
        """ "call", "institution" or "metric" for a token a follow-up may swap ("and call 3?"), else None."""
        if not self.programme.calls and self.programme.call_number(token) is not None:
            return "call"  # no calls declared: any call<N> is one
        return self._entity_kinds.get(token)

    def entry(self, entry_id: str) -> Entry:
        return self._entries[entry_id]

    def ask(self, question: str) -> Answer:
        """Answer one question; never raises for a `str`, raises TypeError otherwise."""
        if not isinstance(question, str):
            raise TypeError(f"question must be str, not {type(question).__name__}")
        return self.answer(self.message(question))

    def answer(self, message: Message, decision: Decision | None = None) -> Answer:
        """The answer to `message` asked on its own, with no conversation: from the knowledge base, or
        for a personal eligibility question the check's verdict or what it still needs. `decision` is the
        router's, when the caller has it already."""
        decision = decision or route(self, message)
        if decision.route is Route.ELIGIBILITY:
            return self._eligibility(message, decision.general or self.ask_knowledge(message))
        return decision.general or self.ask_knowledge(message)

    def ask_knowledge(self, question: str | Message) -> Answer:
        """Answer from the knowledge base (and small talk) only, without the eligibility check."""
        message = question if isinstance(question, Message) else self.message(question)
        if message.smalltalk is not None:
            return smalltalk_answer(message.smalltalk, self.programme.smalltalk_reply(message.smalltalk))
        if is_task_request(message.words):
            return self._task_decline(message.analysis)
        named = self._gap_named_in(message.analysis)
        if named is not None and named.topic == OUTSIDE_TOPIC and not self._programme_asked_about(message):
            # "What is the Rubicon mobility rule, how long can I have lived here?": every question of the
            # message is about the other scheme, the one that named it and the ones after it. Not so when
            # the programme is named too, in a question or in a story whose questions name no other scheme
            # (see _programme_asked_about).
            return self._gap_answer(named, message.analysis)
        if len(message.words) >= LONG_MESSAGE_WORDS and self.threshold > self.long_message_threshold:
            return self.long_message_reader.ask_knowledge(message)
        if len(message.clauses) < 2:
            if message.courtesies_dropped:  # then one clause is left: see Message.clauses
                answer = self._answer_analysis(message.clause_analyses[0], message.clauses[0].text)
            else:
                answer = self._answer_analysis(message.analysis, message.text)
            if message.clauses:
                answer = self._or_its_head(answer, message.clauses[0])
        else:
            answer = self._answer_clauses(message)
        return _judged(message, answer) if asks_for_judgement(message.words) else answer

    @functools.cached_property
    def _programme_names(self) -> tuple[frozenset[str], ...]:
        """The names of the programme, as terms: its name, and the eligibility rules' words for it."""
        rules = self.eligibility_rules
        names = (self.programme.name, *(rules.programme_words if rules is not None else ()))
        index_terms = self.matcher.analyzer.index_terms
        return tuple(terms for name in names if (terms := frozenset(index_terms(name)[1])))

    def _programme_asked_about(self, message: Message) -> bool:
        """Whether the message names the programme where it matters: anywhere, unless its questions name
        another scheme and only its story names the programme ("I was a <programme> fellow ... what is the
        Veni deadline?" asks about the Veni)."""
        if not self._names_programme(message.analysis):
            return False
        clauses = message.clauses
        if len(clauses) < 2:
            return True
        analyses = message.clause_analyses
        asked = [analysis for clause, analysis in zip(clauses, analyses, strict=True) if clause.is_question]
        if any(self._names_programme(analysis) for analysis in asked):
            return True
        return not any(self._gap_named_in(analysis) is not None for analysis in asked)

    def _names_programme(self, analysis: Analysis) -> bool:
        asked = set(analysis.terms)
        return any(name <= asked for name in self._programme_names)

    def _gap_named_in(self, analysis: Analysis) -> Entry | None:
        """The known gap that `analysis` names by a word that only gaps use, if any."""
        index = self.matcher.gap_named_by(analysis.terms)
        return None if index is None else self.knowledge.entries[index]

    def _gap_answer(self, entry: Entry, analysis: Analysis) -> Answer:
        """The answer of a known gap that the question names (with full confidence: the name decides)."""
        match = Match(entry_id=entry.id, score=1.0, matched_terms=analysis.terms, best_question="")
        return self._gap(entry, 1.0, _explanation(analysis, Outcome.GAP, match))

    def _gap(self, entry: Entry, confidence: float, why: Explanation) -> Answer:
        """A known gap's answer: a decline on purpose, which says what is not known."""
        return Answer(
            text=entry.answer,
            matched=False,
            intent=entry.id,
            confidence=confidence,
            suggestions=self._related_questions(entry),
            explanation=why,
        )

    def _answer_analysis(self, analysis: Analysis, question: str = "", ranking: list[Match] | None = None) -> Answer:
        """The answer to one question; when it names several calls and no answer covers them all, the
        answer for each call named, as parts ("When did calls 1 and 2 close?"). `ranking` is the
        matcher's ranking of `analysis`, when the caller has it already."""
        ranking = self.matcher.rank(analysis, limit=5) if ranking is None else ranking
        answer = self.answer_for(analysis, ranking)
        second = self._second_subject(analysis, ranking, answer)
        if second is not None and answer.intent is not None and second.intent is not None:
            # One question, two subjects: each part is headed by its entry's own question, not the whole again.
            first_question = self._entries[answer.intent].questions[0]
            second_question = self._entries[second.intent].questions[0]
            return Answer.combine([Part(first_question, answer), Part(second_question, second)])
        if answer.matched and answer.intent is not None and self._entries[answer.intent].call is None:
            return answer  # an answer for every call ("How many places did calls 2 and 3 have?")
        calls = self._calls_named(analysis)
        if len(calls) < 2:
            return answer
        parts: dict[str, Part] = {}
        for token, number in calls.items():
            others = set(calls) - {token}
            tokens = tuple(t for t in analysis.tokens if t not in others)
            alone = analysis._replace(tokens=tokens, terms=content_terms(tokens))
            each = self.answer_for(alone, self.matcher.rank(alone, limit=5))
            if each.matched and each.intent is not None:
                parts.setdefault(each.intent, Part(f"{question} (Call {number})".lstrip(), each))
        return Answer.combine(list(parts.values())) if len(parts) >= 2 else answer

    def _second_subject(self, analysis: Analysis, ranking: list[Match], answer: Answer) -> Answer | None:
        """The answer for a second subject joined to the first by "and" ("How many PhD theses and
        publications ...?"): an entry that scores above the threshold on a telling word of one side of the
        "and" that the answer's entry lacks, while the answer's entry holds one of the other side."""
        if not answer.matched or answer.parts or answer.intent is None or len(ranking) < 2:
            return None
        best = ranking[0]
        if best.entry_id != answer.intent or "and" not in analysis.tokens:
            return None
        at = analysis.tokens.index("and")
        sides = (set(content_terms(analysis.tokens[:at])), set(content_terms(analysis.tokens[at + 1 :])))
        telling = {t for t in analysis.terms if self.matcher.is_telling(t)}
        first = telling & set(best.matched_terms)

        @functools.cache
        def best_for(side: int) -> list[str]:
            """The entries that best answer one side of the "and" alone (see _best_for_side), ranked once."""
            return self._best_for_side(sides[side], analysis)

        for match in ranking[1:SECOND_SUBJECT_RANKS]:
            entry = self._entries[match.entry_id]
            if entry.kind != "answer" or match.score < self.threshold:
                continue
            second_only = telling & set(match.matched_terms) - first
            for side, other in ((0, 1), (1, 0)):
                if first & sides[side] and second_only & sides[other] and match.entry_id in best_for(other):
                    return self.answer_entry(match.entry_id)
        return None

    def _best_for_side(self, side: set[str], analysis: Analysis) -> list[str]:
        """The entries that best answer one side of an "and" alone (the first SIDE_RANKS), with the calls
        the whole question names: "how much was the salary and for how long?" asks the fellowship's
        length, and an internship's, whose entry shares the salary's words too, is not among them."""
        calls = [t for t in self._calls_named(analysis) if t not in side]
        terms = (*[t for t in analysis.terms if t in side], *calls)
        return [m.entry_id for m in self.matcher.rank(Analysis(" ".join(terms), terms, terms), limit=SIDE_RANKS)]

    def _answer_clauses(self, message: Message) -> Answer:
        """The answer to a message of several sentences or questions: each question it asks that an
        entry answers (then the Answer has parts), or else the best reading of it: a question inside
        a story, read with the story; the whole message; or one of its questions alone."""
        clauses, analyses = message.clauses, message.clause_analyses  # each clause analysed once, for every reading
        asking = [clause for clause in clauses if clause.is_question]
        # Each question, or (where nothing is asked as a question) each sentence, on its own.
        answers = self._answer_each(asking or clauses, clauses, analyses) if len(asking) != 1 else []

        @functools.cache
        def read_whole() -> tuple[list[Match], Answer]:
            """The message read whole: its ranking and its answer (asked for at most once)."""
            ranking = self.matcher.rank(message.analysis, limit=5)
            return ranking, self._answer_analysis(message.analysis, message.text, ranking)

        first = answers[0][1] if answers else None
        if (
            first is not None
            and self.is_another_subject(first)
            and not self._names_programme(message.analysis)
            # "I did my master's in Utrecht, does that count against me?" asks about the time in the
            # country, not about master's programmes: read whole, it is answered more surely.
            and not (read_whole()[1].matched and read_whole()[1].confidence > first.confidence)
        ):
            # "For an ERC starting grant, how long after the PhD can I apply, and is there an extension
            # for parental leave?": the questions after the scheme's name are about it.
            return first
        answered: dict[str, Part] = {}
        for clause, answer in answers:
            if answer.matched and answer.intent is not None and clause.is_question:
                for part in answer.parts or (Part(clause.text, answer),):
                    if part.answer.intent is not None:
                        answered.setdefault(part.answer.intent, part)
        if len(answered) >= 2:
            return Answer.combine(list(answered.values()))
        # A question inside a story is best read with the story ("I've lived in Holland for 3 years,
        # am I eligible?" is about the time in the Netherlands); its bare question ("am I eligible?")
        # scores higher only because it is shorter, so it counts only when the story reading fails, or
        # when it is sure and the story reading hardly prefers another entry (see _sure_alone).
        story, story_ranking = self._story_reading(clauses, analyses)
        if story is not None and _strength(story)[0]:
            return self._sure_alone(asking, clauses, analyses, story, story_ranking) or story
        if len(asking) == 1:
            answers = self._answer_each(asking, clauses, analyses)
        whole_ranking, whole = read_whole()

        def agreeing_with(ranking: list[Match], sure_alone: float) -> list[tuple[Clause, Answer]]:
            agreeing = {match.entry_id for match in ranking[:STORY_AGREEMENT_RANKS]}
            return [
                (c, a)
                for c, a in answers
                if a.parts or not a.matched or a.intent in agreeing or a.confidence >= sure_alone
            ]

        if story is not None:
            # A bare question that the story around it points away from is the story's question, not
            # the bare one's: "My sister is Dutch and has lived in Boston since 2014. Could she apply
            # to call 2?" asks about the rules on nationality and residence, not about call 2's dates.
            answers = agreeing_with(story_ranking, sure_alone=math.inf)
        elif len(asking) >= 2:
            # Of several questions only one found an answer: it stands for the message only when the
            # message read whole agrees. "Did fellows get university housing, and what was the rent?"
            # is about housing; its "what was the rent?" alone fits whatever entry has a word like it.
            # A question answered this well stands on its own ("Which museums are free for staff, and
            # how long was the fellowship?").
            answers = agreeing_with(whole_ranking, sure_alone=SURE_ALONE_SCORE)
        if any(answer.matched for _, answer in answers):
            # A one-word fragment's "not known" is no rival for another question's answer: in "how long could
            # I have lived in NL before applying, is there some max", "max" alone fits the gap on page limits.
            subject_words = {
                id(clause): sum(1 for t in analysis.terms if t not in QUESTION_TERMS)
                for clause, analysis in zip(clauses, analyses, strict=True)
            }
            answers = [(c, a) for c, a in answers if a.matched or subject_words[id(c)] >= MIN_RIVAL_WORDS]
        return max([whole, *(answer for _, answer in answers)], key=_strength)

    def _sure_alone(
        self,
        asking: list[Clause],
        clauses: list[Clause],
        analyses: list[Analysis],
        story: Answer,
        story_ranking: list[Match],
    ) -> Answer | None:
        """The message's one question read alone, when it answers surely (SURE_ALONE_SCORE) an entry that
        the story reading ranks within STORY_CLOSE_MARGIN of its own pick: then the story only tipped the
        balance ("I'm mentoring someone who was turned down. What exactly were candidates judged on?" is
        about the criteria, not the feedback the rejected got). Else None."""
        if len(asking) != 1:
            return None
        alone = self._answer_each(asking, clauses, analyses)[0][1]
        if not alone.matched or alone.intent == story.intent or alone.confidence < SURE_ALONE_SCORE:
            return None
        rival = next((match for match in story_ranking if match.entry_id == alone.intent), None)
        return alone if rival is not None and _strength(story)[1] - rival.score < STORY_CLOSE_MARGIN else None

    def _answer_each(
        self, chosen: list[Clause], clauses: list[Clause], analyses: list[Analysis]
    ) -> list[tuple[Clause, Answer]]:
        """An answer for each of the `chosen` clauses (`analyses` holds each clause's analysis), each
        read on its own, except that one which refers back keeps the call or institution of the
        clause before it."""
        answers: list[tuple[Clause, Answer]] = []
        previous: Analysis | None = None
        previous_asks = False
        previous_answer: Answer | None = None
        for clause, analysis in zip(clauses, analyses, strict=True):
            if previous is not None:
                analysis = self.with_ordinal_calls(previous, analysis)
            own = analysis  # the clause read without a call carried over from the one before
            if clause.ellipsis and previous is not None:
                analysis = own = self.about_new_subject(previous, analysis)
            elif clause.refers_back and previous is not None:
                analysis = own = self.with_entities_of(previous, analysis)
            elif previous is not None and previous_asks and clause.is_question:
                # "In the second call, how many places and when was the deadline?": a call one question
                # names holds for the questions after it that name none.
                analysis = self.with_calls_of(previous, analysis)
            previous, previous_asks = analysis, clause.is_question
            if clause not in chosen:
                continue
            if clause.refers_back and previous_answer is not None and _is_deliberate(previous_answer):
                # "How do I apply for an MSCA fellowship, and what's the mobility rule there?": the
                # second question is about what the first declined, not about the programme.
                continue
            previous_answer = self._or_its_head(self._answer_analysis(analysis, clause.text), clause)
            if analysis is not own:
                # "When did call 3 close, and how long was the fellowship?": the call carried over may have
                # nothing to do with the second question, which its own reading answers.
                previous_answer = self._better_reading(previous_answer, self._answer_analysis(own, clause.text))
            answers.append((clause, previous_answer))
        return answers

    def _or_its_head(self, answer: Answer, clause: Clause) -> Answer:
        """`answer`, or when it declines a question with a short follow-up joined to it ("Was there an
        interview, and how was it held?"), the answer to the question alone: the follow-up asks a detail
        of its subject, which that answer covers or is the nearest sourced fact to."""
        if answer.matched or not clause.head or _is_deliberate(answer):
            return answer
        alone = self._answer_analysis(self.matcher.analyze(clause.head), clause.head)
        return alone if alone.matched and alone.confidence >= HEAD_ALONE_SCORE else answer

    def _better_reading(self, with_call: Answer, alone: Answer) -> Answer:
        """Of a question read with a call carried over (`with_call`) and read alone, the better answer:
        the fact of that call where the reading alone finds the general fact of the same topic ("when did
        the call close?" after "For call 2, how many places ...?"), else the stronger (the carried one on
        a tie)."""
        if not alone.matched:
            return with_call
        if not with_call.matched:
            return alone
        carried = self._entries.get(with_call.intent or "")
        general = self._entries.get(alone.intent or "")
        if (
            carried is not None
            and general is not None
            and carried.call is not None
            and general.call is None
            and carried.topic == general.topic
        ):
            return with_call
        return with_call if _strength(with_call) >= _strength(alone) else alone

    def _story_reading(self, clauses: list[Clause], analyses: list[Analysis]) -> tuple[Answer | None, list[Match]]:
        """The message read as a question inside a story, and the entries ranked for that reading:
        every word counts, but the words found only in what the writer tells ("I'm a chemist from
        Warsaw ...") count less, for and against."""
        asked = [a for c, a in zip(clauses, analyses, strict=True) if c.is_question]
        # What the message sets aside ("Not the grant, ...", "Apart from the proposal, ...") is no story
        # around its question: read with it, even at a story's weight, it pulls towards what was ruled out.
        told = [a for c, a in zip(clauses, analyses, strict=True) if not c.is_question and not c.aside]
        if not asked or not told:
            return None, []
        question_terms = {t for a in asked for t in a.terms}
        # What a question refers back to is its subject, not scenery: "my future lab head sits on the
        # panel, is that a problem for me?" asks about the sentence before "is that".
        for index in range(1, len(clauses)):
            if clauses[index].is_question and clauses[index].refers_back:
                question_terms.update(analyses[index - 1].terms)
        tokens = tuple(t for a in (*told, *asked) for t in a.tokens)
        analysis = Analysis(
            normalized=" ".join(a.normalized for a in (*told, *asked)),
            tokens=tokens,
            terms=content_terms(tokens),
            corrections=tuple(c for a in (*told, *asked) for c in a.corrections),
            corrected=frozenset().union(*(a.corrected for a in (*told, *asked))),
            context=frozenset(t for a in told for t in a.terms if t not in question_terms),
        )
        ranking = self.matcher.rank(analysis, limit=5)
        return self.answer_for(analysis, ranking), ranking

    def _eligibility(self, message: Message, general: Answer) -> Answer:
        """Statelessly: the verdict when the question holds every fact, else what is still needed; and
        before it, the answer to a question the message asks beside the rules (see with_question_beside)."""
        return self.with_question_beside(message, self._eligibility_only(message, general))

    def with_question_beside(self, message: Message, checked: Answer) -> Answer:
        """`checked` (the check's verdict or next question), after the answer to the message's question when
        it asks beside the rules (see _asked_beside): one Answer of two parts. The chat's check uses it too."""
        beside = self._asked_beside(message)
        return checked if beside is None else Answer.combine([beside, Part(BESIDE_CHECK_HEADING, checked)])

    def _asked_beside(self, message: Message) -> Part | None:
        """The one question of a message that tells the writer's case, when it asks nothing of the rules and
        an entry that is not on the rules answers it alone ("PhD March 2014, 8 months in the country, so I think
        I'm ok for call 2. Where do I send my application?"), or a known gap says it is unknown; else None.
        The check still gives its verdict after it: the story's facts are what it takes."""
        asking = [clause for clause in message.clauses if clause.is_question]
        if len(message.clauses) < 2 or len(asking) != 1 or asks_about_the_rules(asking[0].text):
            return None
        alone = self.ask_knowledge(asking[0].text)
        entry = self._entries.get(alone.intent or "")
        if entry is None or entry.topic == ELIGIBILITY_TOPIC or alone.confidence < BESIDE_CHECK_SCORE:
            return None
        if not (alone.matched or _is_deliberate(alone)):
            return None
        return Part(asking[0].text, alone)

    def _eligibility_only(self, message: Message, general: Answer) -> Answer:
        """_eligibility without a question asked beside the rules."""
        from .eligibility_check import ask_with_every_fact, assess, partial_reply

        rules = self.eligibility_rules
        facts = message.check_facts
        result = assess(facts, rules=rules)
        before = SOMEONE_ELSE_NOTE if message.about_someone_else else ""
        if result.asks is None:
            return self.eligibility_answer(result, facts=facts, before=before)
        # What is settled already (the verdict without an extension) comes first.
        partial = f"{result.lead}\n{partial_reply(facts, rules)}" if result.lead else partial_reply(facts, rules)
        partial = f"{before}{partial}"
        general = self.rules_offered(general)
        if not general.matched:
            return self.eligibility_answer(result._replace(text=partial), facts=facts)
        # Not every fact is there. With facts of the applicant's own, what they settle comes first,
        # then the rules; without, the rules (the general answer), then what a check would need.
        text = f"{partial}\n\n{general.text}" if facts.concrete else f"{general.text}\n\n{ask_with_every_fact(rules)}"
        return Answer(
            text=text,
            matched=True,
            intent=general.intent,
            confidence=general.confidence,
            sources=list(dict.fromkeys([*general.sources, *self._sources_of(result.source_ids)])),
            suggestions=general.suggestions,
            explanation=general.explanation,
        )

    def rules_offered(self, general: Answer) -> Answer:
        """`general`; but when it offers a choice and its first choice is an entry on the eligibility rules,
        that entry: beside facts of the applicant's own that the check takes ("21 months of military
        service ... does it count?"), the rules are what the question is about."""
        why = general.explanation
        if general.matched or why is None or why.reason is not Outcome.DID_YOU_MEAN or why.best is None:
            return general
        offered = self.answer_entry(why.best.entry_id)
        return offered if self.is_about_eligibility_rules(offered) else general

    def eligibility_answer(
        self,
        result: Assessment,
        *,
        facts: Facts,
        before: str = "",
        extra_sources: tuple[Source, ...] = (),
    ) -> Answer:
        """An Answer for one step of the eligibility check, citing the rules' sources: a question of the
        check states the rule it asks for (the call's dates, the PhD window, the limit on time there)."""
        sources = list(dict.fromkeys([*extra_sources, *self._sources_of(result.source_ids)]))
        return Answer(
            # The rules' texts may name the office ({email}), which is the programme's.
            text=f"{before}{self.programme.fill(result.text)}",
            matched=True,
            intent=ELIGIBILITY_INTENT,
            confidence=1.0,
            sources=sources,
            # For /why: what the check understood, since no knowledge-base entry was matched.
            explanation=Explanation(
                normalized_query=facts.summary(self.eligibility_rules), terms=(), reason=Outcome.ELIGIBILITY_CHECK
            ),
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
        runner_up = matches[1] if len(matches) > 1 else None

        def explain(reason: Outcome) -> Explanation:
            return _explanation(analysis, reason, best, runner_up)

        if best is None:
            return self._decline(matches, explain(Outcome.NO_SHARED_WORDS))
        entry = self._entries[best.entry_id]
        named = [t for t in analysis.terms if t in self.institution_tokens]
        if (
            entry.institution
            and named
            and entry.institution not in named
            and best.score >= self.threshold * OTHER_INSTITUTION_SHARE
        ):
            # "What is <another institution>'s ranking?": the name the fact lacks lowers its score,
            # and is exactly why the answer is "that figure is <its own institution>'s" ...
            breakdown = self._breakdown_naming(analysis, entry, named, best, matches)
            if breakdown is None:
                return self._other_institution(entry, named, best, explain(Outcome.OTHER_INSTITUTION))
            # ... unless a general entry it is related to gives the figure for every institution, the
            # one asked about among them (a count for one institution -> "and the other one?": the breakdown).
            return self._entry_answer(self._entries[breakdown.entry_id], analysis, breakdown, best)
        if best.score < self.threshold and not self._leads_clearly(best, runner_up):
            return self._decline(matches, explain(Outcome.BELOW_THRESHOLD))
        if entry.kind == "answer":
            beside = self.matcher.gaps_named_beside(analysis.terms, self._positions[entry.id])
            outside = [self.knowledge.entries[i] for i in beside if self.knowledge.entries[i].topic == OUTSIDE_TOPIC]
            if outside and not self._names_programme(analysis):
                # Another scheme (or the hospital) named, and the answer never speaks of it: the question
                # is about that, not about the programme's fact its other words fit.
                return self._gap_answer(outside[0], analysis)
        if named and entry.institution is None:
            # "What is <another institution>'s ranking?": the partners entry knows the name, but
            # the ranking known is another's; say so rather than answer beside the question.
            other = self._other_institution_fact(analysis, named, best, matches)
            if other is not None:
                return self._other_institution(
                    self._entries[other.entry_id], named, other, explain(Outcome.OTHER_INSTITUTION)
                )
        if entry.kind == "gap" and entry.call is not None and runner_up is not None and not self._calls_named(analysis):
            # "how long in the Netherlands allowed?" names no call: the gap of one call (its rules are not
            # known) does not answer it when the general rule does.
            general = self._entries[runner_up.entry_id]
            if general.kind == "answer" and general.call is None and runner_up.score >= self.threshold:
                # The gap is set aside, not offered again as the runner-up (see GAP_MARGIN below).
                entry, best, runner_up = general, runner_up, next(iter(matches[2:]), None)
        call_gap = self._call_gap(analysis, entry, matches)
        if call_gap is not None:
            # "In call 3, which period counted for the time in the Netherlands?": the general rule is
            # that of the other calls; for the call named, the sources lack it.
            entry, best, runner_up = self._entries[call_gap.entry_id], call_gap, best
        elif (
            runner_up is not None
            and entry.kind == "answer"
            and self._entries[runner_up.entry_id].kind == "gap"
            and best.score - runner_up.score < GAP_MARGIN
            and runner_up.score >= self.threshold
            and not self._other_side_of_the_same_call(entry, self._entries[runner_up.entry_id])
        ):
            # Nearly as much about a known gap (another scheme, the hospital, a fact no source
            # gives) as about an answer: saying what is not known is safer than a near miss.
            entry, best, runner_up = self._entries[runner_up.entry_id], runner_up, best
        elif (
            runner_up is not None
            # Close on the matcher's own scores too: the second opinion alone does not tell them apart.
            and (
                best.score - runner_up.score < DID_YOU_MEAN_MARGIN
                or abs(best.own_score - runner_up.own_score) < DID_YOU_MEAN_MARGIN
            )
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
                explanation=explain(Outcome.DID_YOU_MEAN),
            )
        if entry.kind == "gap":
            return self._gap(entry, best.score, explain(Outcome.GAP))
        return self._entry_answer(entry, analysis, best, runner_up)

    def _entry_answer(self, entry: Entry, analysis: Analysis, best: Match, runner_up: Match | None) -> Answer:
        """The answer of `entry`, matched as `best` (`runner_up` the next), with its sources."""
        return Answer(
            text=self._as_of_then(entry, analysis),
            matched=True,
            intent=entry.id,
            confidence=best.score,
            sources=list(entry.sources),
            suggestions=self._related_questions(entry),
            explanation=_explanation(analysis, Outcome.ANSWERED, best, runner_up),
        )

    def _as_of_then(self, entry: Entry, analysis: Analysis) -> str:
        """The entry's answer; asked how things are now, after the programme has ended, said as what the
        sources said then (unless the answer itself says where things stand now)."""
        status = self.programme.status
        if status.state != "closed" or not asks_about_now(analysis.normalized) or speaks_of_now(entry.answer):
            return entry.answer
        years = (
            f"the programme's years ({status.opened.year}-{status.ended.year})"
            if status.opened is not None and status.ended is not None
            else "the programme's time"
        )
        return f"I don't know how it is now: my sources describe {years}. What they said then: {entry.answer}"

    @staticmethod
    def _other_side_of_the_same_call(answer: Entry, gap: Entry) -> bool:
        """Whether a known gap of one call is about another side of it than the answer of that same call
        ("third round dates": the call's dates are known, only its eligibility rules are not)."""
        return gap.call is not None and gap.call == answer.call and gap.topic != answer.topic

    def _leads_clearly(self, best: Match, runner_up: Match | None) -> bool:
        """Whether `best`, below the threshold, still answers: near it, and far ahead of the runner-up
        on the matcher's own scores (a lead that only the second opinion opens is no evidence of its
        own: "What is the meaning of life?"). Without a runner-up (one entry shares a word with the
        question: "What is the capital of France?"), or with one that shares only a question word
        ("what", a year), there is no lead to speak of."""
        return (
            runner_up is not None
            and not shares_only_question_words(runner_up.matched_terms)
            and best.score >= self.threshold * CLEAR_LEAD_SHARE
            and best.score - runner_up.score >= CLEAR_LEAD_MARGIN
            and best.own_score - runner_up.own_score >= CLEAR_LEAD_MARGIN
        )

    def _call_gap(self, analysis: Analysis, entry: Entry, matches: list[Match]) -> Match | None:
        """The match of a known gap of the one call the question names, on the topic of the best
        answer when that answer is not of the call (its topic's facts for that call are not known)."""
        calls = set(self._calls_named(analysis).values())
        if entry.kind != "answer" or len(calls) != 1 or entry.call in calls:
            return None
        for match in matches[1:]:
            other = self._entries[match.entry_id]
            if (
                other.kind == "gap"
                and other.call in calls
                and other.topic == entry.topic
                and match.score >= self.threshold * OTHER_INSTITUTION_SHARE
            ):
                return match
        return None

    @functools.cached_property
    def default_suggestions(self) -> tuple[str, ...]:
        """What a decline offers when nothing came close: the programme's suggestions, or (none given)
        the first question of the first answer of each of the first three topics."""
        if self.programme.suggestions:
            return self.programme.suggestions
        firsts: dict[str, str] = {}
        for entry in self.knowledge.entries:
            if entry.kind == "answer":
                firsts.setdefault(entry.topic, entry.questions[0])
        return tuple(firsts.values())[:3]

    def about_new_subject(self, before: Analysis, analysis: Analysis) -> Analysis:
        """The question `before` asked again about what `analysis` names: "Who chaired the committee?
        And the panel?" asks who chaired the panel; "When did call 1 close? And call 3?" when call 3
        closed. Without a subject of its own, the two read as one question."""
        for new_subject in (True, False):
            composed = compose(self, before.tokens, analysis, marked=True, new_subject=new_subject)
            if composed is not None:
                return composed.analysis
        tokens = (*before.tokens, *analysis.tokens)
        return analysis._replace(tokens=tokens, terms=content_terms(tokens))

    def with_entities_of(self, before: Analysis, analysis: Analysis) -> Analysis:
        """`analysis` with the call or institution that `before` named, when it names none of that kind
        itself: "what was its closing date?" after "How many places did call 2 have"."""
        return self._with_kinds_of(before, analysis, (self._is_call, self.institution_tokens.__contains__))

    def with_calls_of(self, before: Analysis, analysis: Analysis) -> Analysis:
        """`analysis` with the calls that `before` named, when it names none itself."""
        return self._with_kinds_of(before, analysis, (self._is_call,))

    def _is_call(self, token: str) -> bool:
        return self._call_number(token) is not None

    @staticmethod
    def _with_kinds_of(before: Analysis, analysis: Analysis, kinds: tuple[Callable[[str], bool], ...]) -> Analysis:
        """`analysis` with the words of each kind that `before` holds, for each kind it holds none of."""
        extra = [
            token
            for of_kind in kinds
            if not any(of_kind(t) for t in analysis.terms)
            for token in before.terms
            if of_kind(token)
        ]
        if not extra:
            return analysis
        return analysis._replace(tokens=(*analysis.tokens, *extra), terms=content_terms((*analysis.terms, *extra)))

    def _calls_named(self, analysis: Analysis) -> dict[str, int]:
        """The call tokens of `analysis`, each with its call's number (programme.call_number)."""
        call_of = self._call_number
        return {t: number for t in analysis.terms if (number := call_of(t)) is not None}

    def with_ordinal_calls(self, before: Analysis, analysis: Analysis) -> Analysis:
        """`analysis` with its bare ordinals read as calls when `before` named a call and it names none:
        "How many places did the second round offer, and how many people were picked in the first?"."""
        if self._calls_named(analysis) or not self._calls_named(before):
            return analysis
        words = self.programme.call_words
        tokens = analysis.tokens
        named = tuple(
            words[t]
            if t in words
            and not t.isdigit()
            and (i + 1 == len(tokens) or tokens[i + 1] in STOP_WORDS)
            # "that one", "the same one": a pronoun for what was named before, not call one.
            and not (t == "one" and i > 0 and tokens[i - 1] in ONE_AS_PRONOUN_AFTER)
            else t
            for i, t in enumerate(tokens)
        )
        if named == tokens:
            return analysis
        return analysis._replace(tokens=named, terms=content_terms(named))

    def _related_questions(self, entry: Entry) -> list[str]:
        return [self._entries[r].questions[0] for r in entry.related if r in self._entries]

    def _other_institution_fact(
        self, analysis: Analysis, named: list[str], best: Match, matches: list[Match]
    ) -> Match | None:
        """The match of another institution's fact that the question is really about, if the best
        entry matched only the institution's name."""
        institutions = self.institution_tokens
        # Question words ("what", "how many") say nothing of what the best entry is about.
        if any(t not in institutions and t not in QUESTION_TERMS for t in best.matched_terms):
            return None
        unmatched = {t for t in analysis.terms if t not in institutions and t not in best.matched_terms}
        for match in matches[1:]:
            institution = self._entries[match.entry_id].institution
            if (
                institution
                and institution not in named
                and match.own_score >= self.threshold * OTHER_INSTITUTION_SHARE
                and unmatched & set(match.matched_terms)
            ):
                return match
        return None

    def _breakdown_naming(
        self, analysis: Analysis, entry: Entry, named: list[str], best: Match, matches: list[Match]
    ) -> Match | None:
        """The match of an entry related to `entry` that is of no one institution, names one of `named`,
        and is of the call the question names, if it names one ("how many went to <another one> in call 3?" is
        not Call 1's breakdown). Its own match when it is ranked; else it is reached through `entry`,
        and `best`'s score and words stand for it."""
        calls = set(self._calls_named(analysis).values())
        ranked = {match.entry_id: match for match in matches}
        for related in entry.related:
            other = self._entries.get(related)
            if (
                other is not None
                and other.kind == "answer"
                and other.institution is None
                and (not calls or other.call is None or other.call in calls)
                and any(self.matcher.holds(self._positions[other.id], token) for token in named)
            ):
                return ranked.get(other.id) or best._replace(entry_id=other.id, best_question="")
        return None

    def _other_institution(self, entry: Entry, named: list[str], best: Match, why: Explanation) -> Answer:
        name = self.programme.institution_name
        others = ", ".join(name(t) for t in named)
        own = name(entry.institution or "")
        text = (
            f"I don't know that for {others}: my sources give this only for {own}, "
            f"{self.programme.partners_phrase()}. What they say about {own}:\n\n{entry.answer}"
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

    def _task_decline(self, analysis: Analysis) -> Answer:
        """The reply to a request for a text ("Can you write my cover letter?"): what the advisor does
        instead, with the questions it can answer that come closest."""
        matches = self.matcher.rank(analysis, limit=5)
        why = _explanation(analysis, Outcome.TASK, matches[0] if matches else None)
        declined = self._decline(matches, why)
        return Answer(
            text=f"{TASK_REPLY}\n\n{declined.text}",
            matched=False,
            intent=None,
            confidence=0.0,
            suggestions=declined.suggestions,
            explanation=why,
        )

    def _decline(self, matches: list[Match], why: Explanation) -> Answer:
        suggestions = [
            self._entries[m.entry_id].questions[0]
            for m in matches[:3]
            if self._entries[m.entry_id].kind == "answer" and m.score >= self.threshold * 0.6
        ] or list(self.default_suggestions)
        return Answer(
            text=self.programme.decline_text(suggestions),
            matched=False,
            intent=None,
            confidence=0.0,
            suggestions=suggestions,
            explanation=why,
        )


def _explanation(
    analysis: Analysis, reason: Outcome, best: Match | None = None, runner_up: Match | None = None
) -> Explanation:
    """Why an answer to `analysis` came about, for /why and advisor eval."""
    # Positional arguments, in the fields' order: a NamedTuple's __new__ takes keywords much more slowly.
    return Explanation(analysis.normalized, analysis.terms, reason, analysis.corrections, best, runner_up)


def _judged(message: Message, answer: Answer) -> Answer:
    """`answer` to a message that asks for the advisor's judgement somewhere ("is my track record strong
    enough?"), led by the words that no source gives one where it answers that question: in an answer of
    several parts, each part asking for it; else the whole, unless the message asks other questions too
    (which of them the answer is to is then not known)."""
    if answer.parts:
        return Answer.combine(
            [
                part._replace(answer=_with_judgement_lead(part.answer))
                if asks_for_judgement(tokenize(part.question))
                else part
                for part in answer.parts
            ]
        )
    questions = [clause for clause in message.clauses if clause.is_question]
    if len(questions) >= 2 and not all(asks_for_judgement(tokenize(clause.text)) for clause in questions):
        return answer
    return _with_judgement_lead(answer)


def _with_judgement_lead(answer: Answer) -> Answer:
    """`answer`, first saying that no source gives the view asked for, then what the sources do say."""
    said = f"{WHAT_THEY_SAY}\n{answer.text}" if answer.matched else answer.text
    return answer.with_text(f"{JUDGEMENT_LEAD}\n\n{said}")


def _strength(answer: Answer) -> tuple[bool, float]:
    """How strongly an answer is supported: an answer (or a deliberate "not in my sources") over a
    decline, then by match score."""
    why = answer.explanation
    best = why.best if why is not None else None
    return (is_an_answer(answer), best.score if best is not None else 0.0)


def _is_deliberate(answer: Answer) -> bool:
    """A decline on purpose: the sources say the fact is unknown, or know it for another institution."""
    return answer.explanation is not None and answer.explanation.reason.deliberate


@functools.lru_cache(maxsize=8)
def _cached_advisor(knowledge: str | None) -> Advisor:
    return Advisor(knowledge)


def ask(question: str, *, knowledge: str | os.PathLike[str] | None = None) -> Answer:
    """Answer `question` from the bundled knowledge base (or the folder `knowledge`).

    The Advisor behind it is built once per folder and reused; no conversation state is kept.

    >>> ask("When did call 2 close?").matched
    True
    """
    if not isinstance(question, str):
        raise TypeError(f"question must be str, not {type(question).__name__}")
    return _cached_advisor(None if knowledge is None else os.fspath(knowledge)).ask(question)
