"""Greetings, thanks, help and goodbyes: recognised whole, answered briefly."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .lazy_patterns import compiled_on_first_use
from .models import Answer
from .normalize import tokenize
from .programme import NEUTRAL_SMALLTALK

#: The intents of small-talk answers start with this ("smalltalk.greeting"); the JSON shows them.
INTENT_PREFIX = "smalltalk."

_HOW_ARE_YOU = (
    r"(how (are|r) (you|u)( doing| keeping)?( today)?|how (is |was )?(your|ur) day( going| been)?( so far)?"
    r"|how (is )?it going|how do you do|what up|whats up)"
)

_PHRASES: tuple[tuple[str, str], ...] = (
    (
        "greeting",
        # "how are you?", "hey, how's your day?" (tokenized "hey how your day"), alone or after a greeting:
        # answered as a greeting, not matched on "day" or "today" against the programme's facts.
        r"((hi|hello|hey|hiya|hallo|good (morning|afternoon|evening|day)|greetings|goedemorgen|goedemiddag)"
        r"( there| advisor| again)?)( " + _HOW_ARE_YOU + r")?|" + _HOW_ARE_YOU,
    ),
    (
        "thanks",
        r"(thanks?|thank you|thx|ty|cheers|great thanks|ok thanks|dank je( wel)?|bedankt)"
        r"( (so|very) much| a lot| for (your|the) help)?",
    ),
    (
        "help",
        r"(help|help me|what can you do|what do you know( about)?|what can i ask( you)?|how does this work"
        r"|what are you for|menu)",
    ),
    ("goodbye", r"(bye|goodbye|bye bye|see you( later)?|farewell|good night|ciao|tot ziens)"),
    (
        "identity",
        r"(who are you|what are you|are you (a )?(bot|human|robot|person|ai)"
        r"|who (made|built|created|developed|wrote|programmed|designed) you)",
    ),
    (
        "sources",
        r"(what are your sources|which sources do you use|what sources do you (use|have)"
        r"|where do you get (your|this|the) (information|info|facts)( from)?"
        r"|where does your (information|info) come from|are your answers sourced)",
    ),
)


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # Compiled on first use: most messages are too long to be small talk and never need them.
    return tuple((name, re.compile(pattern)) for name, pattern in _PHRASES)


#: The replies are the programme's (Programme.smalltalk_reply); these are the neutral ones.
REPLIES: dict[str, str] = dict(NEUTRAL_SMALLTALK)


#: No small-talk phrase above is longer than this many words; a longer message is a question.
MAX_SMALLTALK_WORDS = 7
#: detect_smalltalk reads only this much of a text.
SMALLTALK_CHARS = 200


def detect_smalltalk(text: str) -> str | None:
    """The kind of small talk `text` is ("greeting", "thanks", ...), or None."""
    return smalltalk_kind(tokenize(text[:SMALLTALK_CHARS]))


@functools.cache
def _vocabulary() -> frozenset[str]:
    """Every word a small-talk phrase can hold: a message with any other word is none ("How many ERC
    projects ...?"), decided without compiling the phrases (a short question's start-up cost)."""
    words: set[str] = set()
    for _, pattern in _PHRASES:
        for found in re.finditer(r"([a-z']+)(\?)?", pattern):
            words.add(found.group(1))
            if found.group(2):  # "thanks?": the word without its optional last letter too
                words.add(found.group(1)[:-1])
    return frozenset(words)


def smalltalk_kind(words: Sequence[str]) -> str | None:
    """`detect_smalltalk` for a message split into words already (normalize.tokenize)."""
    if len(words) > MAX_SMALLTALK_WORDS or not _vocabulary().issuperset(words):
        return None
    normalized = " ".join(words)
    for name, pattern in _patterns():
        if pattern.fullmatch(normalized):
            return name
    return None


# "Can you write my cover letter?", "please proofread my proposal": a text to produce or go over, not a
# question. "Could you check whether call 2 was open in December?" asks one, so "check" and "review" count
# only with a text of the writer's own ("check my CV").
_task = compiled_on_first_use(
    r"^(?:please )?(?:(?:can|could|would|will) you (?:please )?|i (?:want|need|would like) you to |help me )?"
    r"(?:(?:write|draft|proofread|proof read|translate|rewrite|edit|compose|polish)\b(?! to\b)"
    r"|(?:check|review|correct|improve|read|look over|go over|go through|look at|comment on|fill in|summari[sz]e"
    r"|submit|send|forward|mail|e ?mail)"
    r" (?:my|our|this|these|it|them)\b)"
)


#: The verbs a request for a text opens with (within its first words); other messages skip the pattern.
_TASK_VERBS = frozenset(
    {"write", "draft", "proofread", "proof", "translate", "rewrite", "edit", "compose", "polish", "check", "review"}
    | {"correct", "improve", "read", "look", "go", "comment", "fill", "summarise", "summarize"}
    | {"submit", "send", "forward", "mail", "email", "e"}
)
#: What the advisor says when asked to write, check, translate or send a text.
TASK_REPLY = "I can't write, check, translate or send texts for you: I answer questions from my sources."


def is_task_request(words: Sequence[str]) -> bool:
    """Whether a message (split into words by normalize.tokenize) asks for a text to be written, checked
    or translated rather than asking a question."""
    if _TASK_VERBS.isdisjoint(words[:8]):
        return False
    return _task().match(" ".join(words)) is not None


def smalltalk_answer(kind: str, reply: str) -> Answer:
    """The answer to small talk of `kind`: `reply`, the programme's words for it."""
    return Answer(text=reply, matched=True, intent=f"{INTENT_PREFIX}{kind}", confidence=1.0)


def is_smalltalk(answer: Answer) -> bool:
    """Whether `answer` replies to small talk (and so is no topic a follow-up could go on from)."""
    return answer.intent is not None and answer.intent.startswith(INTENT_PREFIX)
