"""Immutable value types shared by the loader, the matcher and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EntryKind = Literal["answer", "gap"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from, and which call or year that source describes."""

    id: str
    title: str
    url: str
    publisher: str
    describes: str
    third_party: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "publisher": self.publisher,
            "describes": self.describes,
            "third_party": self.third_party,
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """One answerable fact (kind "answer") or one known gap in the sources (kind "gap").

    A gap is a question we know people ask but no source answers: the advisor
    declines it with a tailored pointer instead of guessing.
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


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """A validated knowledge folder: entries, sources and synonym table."""

    entries: tuple[Entry, ...]
    sources: tuple[Source, ...]
    synonyms: tuple[tuple[str, tuple[str, ...]], ...]
    location: str = ""
    fingerprint: str = ""

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


@dataclass(frozen=True, slots=True)
class Match:
    """How well one entry fits a question, with the evidence behind the score."""

    entry_id: str
    score: float
    keyword_score: float = 0.0
    fuzzy_score: float = 0.0
    matched_terms: tuple[str, ...] = ()
    best_question: str = ""


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an answer was chosen: the query as understood, the winner and the runner-up."""

    normalized_query: str
    terms: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...] = ()
    best: Match | None = None
    runner_up: Match | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the advisor says to one question. `to_dict()` is the JSON form."""

    text: str
    matched: bool
    intent: str | None = None
    confidence: float = 0.0
    sources: list[Source] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    explanation: Explanation | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "matched": self.matched,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "sources": [source.to_dict() for source in self.sources],
            "suggestions": list(self.suggestions),
        }
