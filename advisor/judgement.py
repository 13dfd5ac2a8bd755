"""Questions that ask the advisor for a judgement: a recommendation, an opinion, a rating of the writer's
own case or material ("which city would you pick?", "is my track record strong enough?", "would my
proposal have scored high?", "is it a good career move?").

No source gives such a view, and the advisor does not make one up: it says so first, then gives what
the sources do say on the subject, if anything. On our question sets these questions, when answered
plainly, read as if the facts that follow were the verdict asked for.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

#: What the advisor says first to a request for its judgement. Its first words say that the asked-for
#: view is in no source (what `advisor eval` reads as a decline on purpose).
JUDGEMENT_LEAD = "No source gives a view on that, and I don't judge cases myself: I only pass on what the sources say."
#: Put between the lead and an answer from the knowledge base.
WHAT_THEY_SAY = "What they do say:"

#: The words one of the patterns below needs; other messages skip the pattern.
_NEEDED = frozenset(
    {"you", "your", "worth", "move", "idea", "choice", "step", "waste", "best", "better", "enough"}
    | {"score", "scored", "rank", "ranked", "competitive", "funded", "successful", "against", "chances", "likely"}
)


@functools.cache
def _pattern() -> re.Pattern[str]:
    # Compiled on first use: most messages never need it, and every start would pay for it.
    return re.compile(
        r"\b(?:"
        # a recommendation or opinion asked of the advisor
        r"(?:would|do|can|could|will) you (?:personally )?(?:recommend|suggest|advise|pick|choose|prefer)"
        r"|what would you (?:do|recommend|suggest|advise|pick|choose|prefer)"
        r"|in your (?:honest )?(?:opinion|view)"
        r"|your (?:honest |personal )?(?:opinion|view|advice|recommendation|take)\b"
        # whether something is worth it, a good or bad move
        r"|worth it\b|most worth|worth applying|worth the (?:effort|time|trouble)"
        r"|(?:good|bad|smart|wise|clever) (?:career )?(?:move|idea|choice|step)"
        r"|waste of (?:my |your |our )?time"
        # which option is better
        r"|which (?:one|city|institution|partner|host|university|place|course|group|lab|option)s? "
        r"(?:is|would be|was) (?:the )?(?:best|better|nicer|easier)"
        r"|(?:better|best) (?:for me|choice|option|bet|place to live|city to live)"
        # a rating of the writer's own case or material
        r"|(?:strong|good|competitive|balanced|convincing|impressive) enough"
        r"|would (?:it|this|that|my(?: \w+){1,5}) (?:have )?"
        r"(?:score[d]?|rank(?:ed)?|(?:be|been) (?:competitive|funded|fundable|successful))"
        r"|(?:count|hold) (?:that|it|this) against my (?:track record|cv|record|profile)"
        r"|what (?:are|were|would be|would have been) (?:my|our|her|his|their) (?:real |realistic )?chances"
        r"|how likely (?:am i|is (?:she|he|it)|are we|would i)"
        r")"
    )


def asks_for_judgement(words: Sequence[str]) -> bool:
    """Whether a message (split into words by normalize.tokenize) asks the advisor for a recommendation,
    an opinion or a rating of the writer's own case, which no source gives."""
    if _NEEDED.isdisjoint(words):
        return False
    return _pattern().search(" ".join(words)) is not None
