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

#: The writer's own case or material ("my proposal", "my track record", "my CV"), as a pattern.
_MINE = r"my(?: [a-z'-]+){1,5}?"
#: Something asked about as a whole ("is it worth it?", "is two years in a lab abroad worth it for me?").
_IT = r"(?:it|this|that|this fellowship|the fellowship|applying|(?:[a-z-]+ ){0,5}?(?:for me|for us))"
_GOOD = r"(?:good|bad|smart|wise|clever)"
_RATED = r"(?:strong|good|competitive|balanced|convincing|impressive)"
_FACT_ASKED = r"(?! (?:reading|contacting|where|how|what|which|me to)\b)"  # "would you recommend reading ...?"

# Each way of asking, with the words it needs (any of them): a message is searched only with the patterns
# whose words it holds, each compiled when first needed (compiling them all costs milliseconds, and every
# start would pay for it). Questions in question order only ("is it a good idea?", not "she says it is not
# a good idea"), and about the writer's own case: "is English good enough for the proposal?" and "would my
# proposal be scored by the same panel?" ask for facts.
_YOU, _YOUR = frozenset({"you"}), frozenset({"your"})
_ASKS: tuple[tuple[frozenset[str], str], ...] = (
    # a recommendation or opinion asked of the advisor
    (_YOU, rf"(?:would|do) you (?:personally )?(?:recommend|suggest|advise|pick|choose|prefer)\b{_FACT_ASKED}"),
    (_YOU, r"what would you (?:do|recommend|suggest|advise|pick|choose|prefer)"),
    (_YOU, r"would you (?:rather|say|apply|go for it|go with|do it)\b|who would you go with|if you were me"),
    (_YOUR, r"in your (?:honest )?(?:opinion|view)"),
    (_YOUR, r"your (?:honest |personal )?(?:opinion|view|advice|take|gut feeling|recommendation|guess)\b"),
    (_YOU, r"(?:can|could|would|will|how would) you (?:score|grade|evaluate|assess|rate|judge|rank) my\b"),
    (_YOU, r"what (?:grade|score|mark|rating) would you give"),
    (frozenset({"feedback"}), r"(?:give|send) me (?:some )?feedback on my\b"),
    (frozenset({"think", "reckon"}), r"(?:think|reckon) i (?:can|could|will|would) (?:make it|get in|succeed|win)\b"),
    (frozenset({"like"}), r"(?:the panel|the reviewers|the committee|they) (?:will|would) like\b"),
    # "do you think I'd get in?", but not "do you think I'm eligible?" (the rules answer that)
    (
        _YOU,
        r"what do you think\b|do you (?:think|reckon) (?:i|she|he|we|my|it)\b(?!.*\b(?:eligib|elegib|elig|qualif)\w*)",
    ),
    (frozenset({"you", "rate", "judge"}), r"how (?:do|would) you rate|(?:rate|judge) my\b"),
    # whether something is worth it, wise, a good or bad move
    (
        frozenset({"worth", "good", "bad", "smart", "wise", "clever", "mistake"}),
        rf"(?:is|was|would|will) {_IT}(?: really| even| still)? (?:be )?"
        r"(?:worth (?:it|applying|relocating|moving|the (?:effort|time|trouble|hassle))"
        rf"|(?:a )?{_GOOD} (?:career )?(?:idea|move|choice|step|fit)|a mistake|wise|smart to)",
    ),
    (frozenset({"worth", "waste"}), r"which (?:[a-z]+ ){0,6}?(?:is |was )?most worth|waste of (?:my |your |our )?time"),
    (
        frozenset({"good", "bad", "smart", "wise", "clever"}),
        rf"{_GOOD} (?:career )?(?:idea|move|choice|step) for (?:me|us|someone like me)",
    ),
    (frozenset({"fit"}), r"(?:a )?(?:good|right|bad) fit for (?:me|someone like me|us)"),
    (frozenset({"candidate"}), r"am i a (?:good|strong|competitive|suitable) candidate"),
    # which option is better
    (
        frozenset({"best", "better", "nicer", "easier"}),
        r"which (?:one|city|institution|partner|host|university|place|course|group|lab|option|host institution)?s? ?"
        r"(?:is|would be|was) (?:the )?(?:best|better|nicer|easier) (?:for|to live|to work|as|choice)",
    ),
    (frozenset({"should"}), r"which (?:one )?should i (?:choose|pick|submit|take|go for|go with|apply to)"),
    (
        frozenset({"should"}),
        r"should i (?:choose|pick|take|go with)\b|should i (?:apply to|go to|join) (?:[a-z]+ ){1,4}or\b",
    ),
    (
        frozenset({"best", "better", "nicer"}),
        r"(?:better|best) (?:for me|choice for me|option for me|bet)|(?:nicer|better) to live in",
    ),
    (frozenset({"better"}), r"(?:a|the) better (?:choice|option) (?:than|for)"),
    (frozenset({"sense"}), r"(?:would|does) it make sense (?:for me\b|to\b)"),
    (frozenset({"should"}), r"should i (?:try again|bother|give up)\b"),
    (
        frozenset({"stronger", "better", "best"}),
        r"which of my (?:[a-z]+ ){0,4}(?:is|are|was) (?:stronger|better|the best)",
    ),
    (
        frozenset({"competitive", "successful", "fundable"}),
        rf"{_MINE} (?:will|would) (?:be|have been) (?:competitive|successful|fundable)",
    ),
    # a rating of the writer's own case or material
    (frozenset({"enough"}), rf"(?:is|are|was|were) (?:{_MINE}|it|this|they) (?:really )?{_RATED} enough"),
    (
        frozenset({"weak", "ambitious", "competitive", "convincing", "persuasive", "impressive"}),
        rf"(?:is|are|was|were) {_MINE} (?:too weak|too ambitious|competitive|convincing|persuasive|impressive)",
    ),
    (
        frozenset({"scored", "score", "ranked", "rank"}),
        rf"(?:would|will) (?:it|this|that|{_MINE}) (?:have )?(?:scored|score|ranked|rank)"
        r" (?:well|high|highly|badly|low)",
    ),
    (
        frozenset({"competitive", "successful", "fundable"}),
        rf"(?:would|will) (?:it|this|that|{_MINE}) (?:have )?(?:be|been) (?:competitive|successful|fundable)",
    ),
    (frozenset({"sound"}), r"(?:does|would) (?:it|this|that) sound (?:convincing|good|strong|persuasive)"),
    (frozenset({"against"}), r"(?:count|hold) (?:that|it|this) against my track record"),
    (
        frozenset({"chances"}),
        r"what (?:are|were|would be|would have been) (?:my|our|her|his|their) (?:real |realistic )?chances",
    ),
    # "do I stand a chance?", but not "do I have a chance for call 1?" (the rules answer that)
    (
        frozenset({"chance", "shot"}),
        r"(?:do|would) (?:i|she|he|we) (?:stand|have) a (?:good |real |realistic )?(?:chance|shot)\b"
        r"(?! (?:for|in|at) call)",
    ),
    (frozenset({"likely"}), r"how likely (?:am i|is (?:she|he)|are we|would i|is it that (?:i|my))|am i likely to"),
    # a prediction of the writer's own success
    (
        frozenset({"get", "make", "succeed", "win"}),
        r"(?:will|would|could) i (?:get in|make it|succeed|win it|get it)\b",
    ),
    (frozenset({"should"}), r"should i [a-z ]{1,40} or wait\b"),
)


@functools.cache
def _per_source() -> re.Pattern[str]:
    return re.compile(
        r"\baccording to (?:the |your |its )?(?:faq|guide|guidelines|rules|call|sources?|programme|website)"
    )


@functools.cache
def _compiled(index: int) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_ASKS[index][1]})")


@functools.cache
def _ways_needing() -> dict[str, tuple[int, ...]]:
    """Each word that a way of asking needs, and those ways (their indices in _ASKS, in order): a message
    is looked up word by word, not tried against every way."""
    ways: dict[str, list[int]] = {}
    for index, (needs, _) in enumerate(_ASKS):
        for word in needs:
            ways.setdefault(word, []).append(index)
    return {word: tuple(indices) for word, indices in ways.items()}


def asks_for_judgement(words: Sequence[str]) -> bool:
    """Whether a message (split into words by normalize.tokenize) asks the advisor for a recommendation,
    an opinion or a rating of the writer's own case, which no source gives."""
    present = frozenset(words)
    ways_needing = _ways_needing()
    ways = {index for word in present & ways_needing.keys() for index in ways_needing[word]}
    if not ways:
        return False
    text = " ".join(words)
    if not any(_compiled(index).search(text) for index in ways):
        return False
    # "Is it a good idea, according to the FAQ, to contact the host first?" asks what a source says.
    return "according" not in present or _per_source().search(text) is None
