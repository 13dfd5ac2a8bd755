"""Immutable value types shared by the loader, the matcher and the engine.

They are NamedTuples rather than dataclasses on purpose: `dataclasses` pulls in
`inspect` and costs about a tenth of the single-question start-up time, while
`typing` is loaded by rapidfuzz anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, Literal, NamedTuple

from .programme import NEUTRAL, Programme
from .schema import SOURCE_FIELDS

EntryKind = Literal["answer", "gap"]


class Source(NamedTuple):
    """Where a fact comes from, and which call or year that source describes.

    The fields are those of `schema.SOURCE_FIELDS`, in its order, then where the source was
    defined (`schema.ORIGIN`; empty for a source made by hand).
    """

    id: str
    title: str
    url: str
    publisher: str
    describes: str
    third_party: bool = False
    file: str = ""
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The source as the knowledge file states it (not where it was defined)."""
        return {field.name: getattr(self, field.name) for field in SOURCE_FIELDS}


class Entry(NamedTuple):
    """One answerable fact (kind "answer") or one known gap in the sources (kind "gap").

    A gap is a question we know people ask but no source answers: the advisor
    declines it with a tailored pointer instead of guessing.

    The fields are those of `schema.ENTRY_FIELDS`, in its order, then where the entry was
    defined (`schema.ENTRY_ORIGIN`): its file and line, and the line of each example question.
    """

    id: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    sources: tuple[Source, ...]
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    kind: EntryKind = "answer"
    institution: str | None = None
    call: int | None = None
    file: str = ""
    line: int | None = None
    question_lines: tuple[int, ...] = ()


class KnowledgeBase(NamedTuple):
    """A validated knowledge folder: entries, sources, synonym table and what is particular to the programme."""

    entries: tuple[Entry, ...]
    sources: tuple[Source, ...]
    synonyms: tuple[tuple[str, tuple[str, ...]], ...]
    location: str = ""
    fingerprint: str = ""
    programme: Programme = NEUTRAL

    def entry(self, entry_id: str) -> Entry:
        for candidate in self.entries:
            if candidate.id == entry_id:
                return candidate
        raise KeyError(entry_id)

    @property
    def topics(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.setdefault(entry.topic, None)
        return tuple(seen)


class Match(NamedTuple):
    """How well one entry fits a question, with the evidence behind the score."""

    entry_id: str
    score: float
    matched_terms: tuple[str, ...] = ()
    best_question: str = ""
    #: The score before the second opinion lowered it (see matching.BM25_WEIGHT); None: the same as `score`.
    first_opinion: float | None = None

    @property
    def own_score(self) -> float:
        """The matcher's own score, without the second opinion: what a lead over the runner-up is
        measured on (the second opinion lowers the entries it disagrees on, and so would open leads by
        itself), and how well an entry fits when a rule passes over the entries ranked above it."""
        return self.score if self.first_opinion is None else self.first_opinion


class Outcome(StrEnum):
    """How an answer came about (`Explanation.reason`). Each value is the word that `/why`, `advisor eval`
    and the web API's "outcome" show, so the enum changes none of them."""

    ANSWERED = "answered"
    DID_YOU_MEAN = "did you mean"
    BELOW_THRESHOLD = "below threshold"
    NO_SHARED_WORDS = "no shared words"
    #: The sources say the fact is not known: declined on purpose.
    GAP = "known gap in the sources"
    #: The sources know the fact only for another institution: declined on purpose.
    OTHER_INSTITUTION = "other institution"
    #: A step or the verdict of the eligibility check, not a knowledge-base match.
    ELIGIBILITY_CHECK = "eligibility check"
    #: Asked to write, check, translate or send a text, which is no question: declined on purpose.
    TASK = "a task, not a question"

    @property
    def deliberate(self) -> bool:
        """A decline on purpose, which is the answer rather than a failure to match."""
        return self in (Outcome.GAP, Outcome.OTHER_INSTITUTION, Outcome.TASK)


class Explanation(NamedTuple):
    """Why an answer was chosen: the query as understood, the outcome, the winner and the runner-up."""

    normalized_query: str
    terms: tuple[str, ...]
    reason: Outcome
    corrections: tuple[tuple[str, str], ...] = ()
    best: Match | None = None
    runner_up: Match | None = None


class Answer:
    """What the advisor says to one question. Immutable; `to_dict()` is the JSON form.

    `explanation` (why this answer: the match, the runner-up) is for `/why` and
    `advisor eval`; it is not part of equality or of `to_dict()`.

    A message that asks several things ("What's the salary, and is it gross?") gets one
    Answer whose `parts` hold a `Part` per question, each with its own answer and sources.
    The Answer itself then reads as before: `text` is the parts' texts in order, `sources`
    all their sources, `intent` and `explanation` those of the first part, and `matched`
    is true when every part was answered. `to_dict()` adds a "parts" list only then.
    """

    __slots__ = ("confidence", "explanation", "intent", "matched", "parts", "sources", "suggestions", "text")

    text: str
    matched: bool
    intent: str | None
    confidence: float
    sources: list[Source]
    suggestions: list[str]
    explanation: Explanation | None
    parts: tuple[Part, ...]

    def __init__(
        self,
        text: str,
        matched: bool,
        intent: str | None = None,
        confidence: float = 0.0,
        sources: list[Source] | None = None,
        suggestions: list[str] | None = None,
        explanation: Explanation | None = None,
        parts: Iterable[Part] = (),
    ) -> None:
        # Set through object.__setattr__ (this class's own refuses), one field after another: every
        # question builds an Answer or more, and a loop over (name, value) pairs cost more than the setting.
        set_field = object.__setattr__
        set_field(self, "text", text)
        set_field(self, "matched", matched)
        set_field(self, "intent", intent)
        set_field(self, "confidence", confidence)
        set_field(self, "sources", list(sources or ()))
        set_field(self, "suggestions", list(suggestions or ()))
        set_field(self, "explanation", explanation)
        set_field(self, "parts", tuple(parts))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Answer is immutable; cannot set {name!r}")

    def _key(self) -> tuple[Any, ...]:
        return (self.text, self.matched, self.intent, self.confidence, self.sources, self.suggestions, self.parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answer) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # holds lists, like a dataclass with eq=True

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in ("text", "matched", "intent", "confidence"))
        # The sources by id: whole Source tuples would drown the text.
        ids = ", ".join(source.id for source in self.sources)
        sources = f"<{len(self.sources)}: {ids}>" if self.sources else "<none>"
        return f"Answer({fields}, sources={sources}, suggestions={self.suggestions!r})"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "matched": self.matched,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "sources": [source.to_dict() for source in self.sources],
            "suggestions": list(self.suggestions),
        }
        if self.parts:
            data["parts"] = [{"question": part.question, **part.answer.to_dict()} for part in self.parts]
        return data

    def with_text(self, text: str, more_sources: Iterable[Source] = ()) -> Answer:
        """This answer with another text (an Answer is immutable), citing `more_sources` first; as one
        text, without its parts."""
        return Answer(
            text=text,
            matched=self.matched,
            intent=self.intent,
            confidence=self.confidence,
            sources=list(dict.fromkeys([*more_sources, *self.sources])),
            suggestions=self.suggestions,
            explanation=self.explanation,
        )

    @classmethod
    def combine(cls, parts: Sequence[Part]) -> Answer:
        """One Answer for a message that asked several things, in the order asked."""
        answers = [part.answer for part in parts]
        first = answers[0]
        return cls(
            text="\n\n".join(answer.text for answer in answers),
            matched=all(answer.matched for answer in answers),
            intent=first.intent,
            confidence=min(answer.confidence for answer in answers),
            sources=list(dict.fromkeys(source for answer in answers for source in answer.sources)),
            suggestions=first.suggestions,
            explanation=first.explanation,
            parts=parts,
        )


class Part(NamedTuple):
    """One question of a message that asked several, and its answer."""

    question: str
    answer: Answer
