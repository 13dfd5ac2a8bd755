"""Small knowledge bases written inline in a test, and a `reply` helper to ask them (as rivescript's tests do).

Logic tests run on these, not on the bundled knowledge folder: a change to the advisor's logic then fails a
test, while an edit of the live content (a new example question, a reworded answer) does not.

    folder = write_knowledge(tmp_path, {"zoo": [entry("zoo.penguins", ["What colour are the penguins?"])]})
    reply(Advisor(folder), "what colour are penguins", "zoo.penguins")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml

from advisor import Answer

SOURCE_ID = "zoo-guide"
SOURCES: list[dict[str, Any]] = [
    {
        "id": SOURCE_ID,
        "title": "The zoo guide",
        "url": "https://example.org/zoo-guide",
        "publisher": "Example Zoo",
        "describes": "2017",
    },
    {
        "id": "zoo-news",
        "title": "Zoo news",
        "url": "https://example.org/zoo-news",
        "publisher": "Example Zoo",
        "describes": "2018",
    },
]


def entry(entry_id: str, questions: Sequence[str], answer: str | None = None, **fields: Any) -> dict[str, Any]:
    """One entry as a YAML mapping; the answer defaults to one naming the entry, the source to the zoo guide."""
    data: dict[str, Any] = {
        "id": entry_id,
        "questions": list(questions),
        "answer": answer if answer is not None else f"The answer of {entry_id} (2017).",
        "sources": [SOURCE_ID],
    }
    data.update(fields)
    return data


def write_knowledge(
    folder: Path,
    topics: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    synonyms: Mapping[str, Sequence[str]] | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
    programme: Mapping[str, Any] | None = None,
) -> Path:
    """A knowledge folder at `folder`: a file per topic, the sources (the zoo guide and news, plus
    `sources`), the synonym table and the programme file."""
    folder.mkdir(parents=True, exist_ok=True)
    if programme is not None:
        text = yaml.safe_dump({"programme": dict(programme)}, sort_keys=False)
        (folder / "about-programme.yaml").write_text(text, encoding="utf-8")
    all_sources = [*SOURCES, *sources]
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": all_sources}, sort_keys=False), encoding="utf-8")
    for topic, entries in topics.items():
        document = {"topic": topic, "entries": [dict(e) for e in entries]}
        (folder / f"{topic}.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    if synonyms:
        table = {canonical: list(variants) for canonical, variants in synonyms.items()}
        (folder / "synonyms.yaml").write_text(yaml.safe_dump({"synonyms": table}, sort_keys=False), encoding="utf-8")
    return folder


class Asker(Protocol):
    def ask(self, question: str) -> Answer: ...


def reply(asker: Asker, question: str, expected: str | None, *, matched: bool | None = None, says: str = "") -> Answer:
    """Ask `question` of an Advisor or a conversation and check the answer: `expected` is the intent
    (the entry id, "smalltalk.greeting", ...), or None for a plain decline; `matched` defaults to
    whether an intent is expected; `says` must be in the text. Returns the answer for further checks."""
    answer = asker.ask(question)
    why = f"{question!r} -> {answer!r}\n{answer.explanation}"
    assert answer.intent == expected, why
    assert answer.matched is (expected is not None if matched is None else matched), why
    assert says in answer.text, why
    if expected is None:
        assert answer.sources == [], why
    return answer


# --- the zoo: a made-up programme with calls, two partner institutions, a gap, an outside topic,
# twin entries (did you mean) and related twins (the guard on did you mean).

#: The zoo's programme file: its institutions (LUMC and Erasmus MC hold animals; Leiden University is only
#: named) and calls, the words a follow-up may swap, and its decline text.
ZOO_PROGRAMME: dict[str, Any] = {
    "name": "Zoo Fellows",
    "description": "Sourced answers about a made-up zoo programme.",
    "contact": {"name": "the zoo office", "email": "office@zoo.example.org", "url": "https://example.org/zoo"},
    "institutions": [
        {"id": "lumc", "name": "LUMC", "aliases": ["leiden university medical center", "lumc"]},
        {"id": "erasmusmc", "name": "Erasmus MC", "aliases": ["erasmus mc", "erasmusmc"]},
        {"id": "leidenuniv", "name": "Leiden University", "aliases": ["leiden university"]},
    ],
    "calls": [
        {"number": 1, "opened": date(2017, 2, 1), "closed": date(2017, 3, 31)},
        {"number": 2, "opened": date(2017, 11, 1), "closed": date(2018, 1, 10)},
        {"number": 3, "opened": date(2018, 9, 1), "closed": date(2018, 10, 31), "words": ["last", "final"]},
    ],
    "decline": "I don't have a sourced answer to that. You could ask:\n{suggestions}\nOr write to {contact}.",
    "suggestions": ["What is Zoo Fellows?", "Who runs the zoo?"],  # no entry's questions: told apart from those
}
ZOO_SYNONYMS: dict[str, list[str]] = {
    "call1": ["call 1", "first call", "call one"],
    "call2": ["call 2", "second call", "call two"],
    "call3": ["call 3", "third call", "final call"],
    "deadline": ["deadline", "closing date", "close", "closed"],
}
ZOO_TOPICS: dict[str, list[dict[str, Any]]] = {
    "animals": [
        entry(
            "penguins.colour",
            ["What colour are the penguins?", "penguin colour", "Are penguins black and white?"],
            "The penguins are black and white (2017).",
            related=["penguins.diet"],
        ),
        entry(
            "penguins.diet",
            ["What do the penguins eat?", "penguin food", "What are the penguins fed?"],
            "The penguins eat fish (2017).",
        ),
        entry(
            "lions.count",
            ["How many lions does LUMC have?", "number of lions at LUMC"],
            "LUMC has 3 lions (2017).",
            institution="lumc",
            keywords=["lions"],
        ),
        entry(
            "lions.count-emc",
            ["How many lions does Erasmus MC have?", "number of lions at Erasmus MC"],
            "Erasmus MC has 5 lions (2017).",
            institution="erasmusmc",
        ),
        entry(
            "elephants.count",
            ["How many elephants does LUMC keep?", "number of elephants at LUMC"],
            "LUMC keeps 2 elephants (2017).",
            institution="lumc",
            related=["lions.count"],
        ),
        entry(
            "zoo.partners",
            ["Which zoos take part?", "Tell me about Erasmus MC", "What is LUMC?"],
            "Two zoos take part: LUMC and Erasmus MC (2017).",
            keywords=["partners", "erasmus mc", "lumc"],
        ),
        entry(
            "zoo.parking",
            ["Where can I park my car?", "car parking"],
            "No source says where to park: ask the zoo office.",
            kind="gap",
        ),
    ],
    "calls": [
        entry(
            "calls.overview",
            ["When were the calls?", "What were the call deadlines?"],
            "Three calls, all closed (2017-2018).",
        ),
        entry("calls.call1", ["When did call 1 close?", "call 1 deadline"], "Call 1 closed on 31 March 2017.", call=1),
        entry(
            "calls.call2", ["When did call 2 close?", "call 2 deadline"], "Call 2 closed on 10 January 2018.", call=2
        ),
        entry(
            "calls.call3", ["When did call 3 close?", "call 3 deadline"], "Call 3 closed on 31 October 2018.", call=3
        ),
        entry(
            "calls.call1-places", ["How many places did call 1 have?", "call 1 places"], "Call 1 had 25 places.", call=1
        ),
        entry(
            "calls.call2-places", ["How many places did call 2 have?", "call 2 places"], "Call 2 had 30 places.", call=2
        ),
    ],
    "twins": [
        entry("twins.a", ["grey cat colour"], "Silver (2017)."),
        entry("twins.b", ["grey cat colour"], "Black (2017)."),
        entry("guard.a", ["zebra stripe count"], "Many (2017).", related=["guard.b"]),
        entry("guard.b", ["zebra stripe count"], "Few (2017)."),
        entry("back.a", ["giraffe neck length"], "Long (2017)."),
        entry("back.b", ["giraffe neck length"], "Longer (2017).", related=["back.a"]),
        # A choice between a known gap and an answer with a related entry.
        entry("lemur.gap", ["lemur tail length"], "No source gives it.", kind="gap"),
        entry("lemur.tail", ["lemur tail length"], "Long (2018).", sources=["zoo-news"], related=["penguins.diet"]),
    ],
    "outside": [
        entry(
            "outside.grants",
            ["Am I eligible for a zookeeper grant?", "other grants"],
            "Other grants are outside the zoo programme.",
            kind="gap",
            keywords=["safari"],  # a word no answer uses: naming it names another grant
        ),
    ],
}


def write_zoo(folder: Path, *, sources: Sequence[Mapping[str, Any]] = ()) -> Path:
    return write_knowledge(folder, ZOO_TOPICS, synonyms=ZOO_SYNONYMS, sources=sources, programme=ZOO_PROGRAMME)
