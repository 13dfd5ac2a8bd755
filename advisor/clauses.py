"""Split a message into the questions and statements it is made of.

Applicants write stories ("I'm a biologist from Spain; my viva is in May. Can I apply?") and
ask two things at once ("What's the salary, and is it gross?"). Matching the whole message
lets every word of the story count against every entry; matching its parts finds the
question, and answers each question it holds.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: Words that open a question (after "and"/"but"/a comma): where a second question starts.
QUESTION_OPENERS = (
    "what|whats|when|whens|where|which|who|whom|whose|why|how|is|are|was|were|do|does|did|can|could|"
    "will|would|should|shall|may|might|must|has|have|had|am|any"
)
# A sentence ends at ?, ! or ; (or a full stop before a space), or at a line break.
_SENTENCE_END = re.compile(r"(?<=[?!;])\s*|(?<=[^\s.\d][.])\s+|\s*\n+\s*")
# "..., and is it gross": a conjunction or comma followed by a word that opens a question.
_QUESTION_JOIN = re.compile(
    rf"(?:,\s*(?:and|but|or|also|plus)?|\s+(?:and|but|also|plus)|\s+[-–—])\s+(?=(?:{QUESTION_OPENERS})\b)", re.I
)
_OPENS_QUESTION = re.compile(rf"^\W*(?:and\s+|but\s+|also\s+|so\s+)?(?:{QUESTION_OPENERS})\b", re.I)
#: A clause needs this many characters of letters to stand alone ("and?" does not).
MIN_CLAUSE_LETTERS = 3


class Clause(NamedTuple):
    text: str
    #: It ends with "?" or opens like a question ("how long ...").
    is_question: bool


def split_clauses(text: str) -> list[Clause]:
    """The message's sentences, and within a sentence the questions joined by "and" or a comma."""
    clauses: list[Clause] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        pieces = _QUESTION_JOIN.split(sentence)
        for position, piece in enumerate(pieces):
            piece = piece.strip(" ,-–—")
            if sum(ch.isalpha() for ch in piece) < MIN_CLAUSE_LETTERS:
                continue
            asks = piece.endswith("?") or (position == len(pieces) - 1 and sentence.endswith("?"))
            clauses.append(Clause(piece, asks or bool(_OPENS_QUESTION.match(piece))))
    return clauses
