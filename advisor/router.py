"""Where a message goes: the one place that decides between a numbered choice, the eligibility check,
a follow-up and a fresh question, for a single question (`Advisor.ask`) and for a chat turn
(`Conversation.ask`) alike.

The router decides; the engine and the conversation carry the decision out. It never imports either
(they pass themselves in), so imports flow one way: engine and conversation -> router.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable
from enum import Enum
from typing import TYPE_CHECKING

from .clauses import CLAUSE_WORDS, asks_something
from .models import Answer, Outcome
from .normalize import Analysis, content_terms, fold, stem

if TYPE_CHECKING:
    from .eligibility import Facts
    from .engine import Advisor
    from .message import Message

#: Words without which a question cannot be a personal eligibility question; checked before
#: importing the eligibility rules, which single questions rarely need.
ELIGIBILITY_HINTS = (  # with misspellings ("elegible")
    *("elig", "eleg", "ellig", "qualif", "apply", "applied", "go for"),
    # "Is that a problem?", "would that rule me out?", "was that too long?" after facts of the applicant's own
    *("problem", "against me", "count", "matter", "clud", "block", "stop", "rule me", "limit", "max", "too "),
    # "will that kill my application?", "is that an issue?"
    *("kill", "hurt", "harm", "ruin", "damag", "jeopardi", "endanger", "affect", "sink", "invalidat"),
    *("issue", "obstacle", "dealbreaker", "deal breaker"),
    # "Was call 2 open to me?", "call 2 still possible for me?"
    *("open to", "open for", "available to", "available for", "possible for", "ok for", "okay for", "fine for"),
)
#: The intent of every answer the eligibility check gives (a step or the verdict).
ELIGIBILITY_INTENT = "eligibility.assessment"

FOLLOW_UP_OPENERS = (
    ("and",), ("what", "about"), ("how", "about"), ("also",), ("same", "for"), ("plus",), ("what", "if"),
    ("same", "question", "for"), ("same", "question", "about"), ("same", "thing", "for"), ("same", "but", "for"),
    ("the", "same", "for"), ("ditto", "for"),
)  # fmt: skip


#: The classes below are plain ones, not NamedTuples, and this pattern is compiled on first use: the
#: router is imported by every single question, and each of those would add to the start-up time.
@functools.cache
def _other_call(call_words: tuple[str, ...]) -> re.Pattern[str]:
    """After a verdict: "and call 1?", "what about the first call?", "and the latest one?", "and both?";
    `call_words` are the programme's words for its calls ("1", "first", "1st", "one", "latest")."""
    words = "|".join(re.escape(word) for word in sorted(call_words, key=len, reverse=True))
    # Around it, words that add nothing: "ok, and call 2?", "what about call 2 then?".
    return re.compile(
        r"^\s*((ok|okay|so|right|fine|hmm)\W+)?"
        r"(and|what about|how about|(the )?same( question| thing| but)? for|same question about|ditto for|also)"
        r"\s+(for\s+)?(the\s+)?"
        rf"(call\s*(?P<after>{words})|(?P<before>{words}) (call|one)|both( calls)?)"
        r"(\s+(then|too|as well|instead|please|pls))?\W*$"
    )


def _calls_after_verdict(advisor: Advisor, message: Message) -> tuple[int, ...] | None:
    """The call that "and call 2?" (after a verdict) asks about: () for "both"; None when the message
    names no call of the eligibility rules, or is no such follow-up."""
    rules = advisor.eligibility_rules
    match = _other_call(tuple(advisor.call_words)).match(message.folded)
    if match is None or rules is None:
        return None
    word = match.group("after") or match.group("before")
    if word is None:
        return ()  # "and both?": the check reads which calls from the message
    number = advisor.programme.call_number(advisor.call_words[word])
    return (number,) if number in rules.call_numbers else None


#: Numbers written as words, which the facts of a message may use ("for four years"): those of
#: dates.NUMBER_WORDS but its articles ("a year"), kept here so that a plain question need not load dates.
SPELT_NUMBERS = frozenset(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "eighteen", "twenty", "twenty-four", "thirty-six"]
)  # fmt: skip

#: A marked follow-up with this many words of its own that the last answer lacks is a new question.
MIN_OWN_WORDS = 2
#: How sure an answer read alone must be to stand on its own: a marked follow-up answered this well alone
#: is a question of its own; of several questions in a message, one answered this well stands for the
#: message even when the message read whole ranks its entry lower (Advisor._answer_clauses). On our sets
#: 0.8 to 1.0 do equally well there and 0.75 already lets a wrong answer and two out-of-scope ones
#: through: the lowest safe one.
SURE_ALONE_SCORE = 0.8
#: An unmarked question longer than this is a question of its own, never a fragment of the last.
MAX_FRAGMENT_TERMS = 2
#: A follow-up names at most this many terms; a longer question stands on its own.
MAX_FOLLOW_UP_TERMS = 4
# Words that point back at the last answer. Not "there" ("Is there ...?") or "this"
# ("Is this an MSCA programme?"), which start new questions as often as follow-ups.
PRONOUNS = frozenset({"it", "they", "that", "them", "its", "those", "these", "she", "he", "her", "him", "his"})
#: A message of only these words asks for more of the last answer ("give me a few examples", "more
#: details?", "why?"): it has no subject of its own.
ELABORATION_TERMS = frozenset(
    stem(word)
    for word in (
        "why",
        "give",
        "example",
        "few",
        "detail",
        "elaborate",
        "list",
        "show",
        "such",
        "instance",
        "specific",
        "name",
        "mention",
    )
)
#: Nor has a message of only question words ("how many?", "how many are there exactly?", "when?").
SUBJECTLESS_TERMS = frozenset(
    {"how", "many", "much", "what", "which", "who", "when", "where", "why", "number", "duration"}
)


#: The entities whose naming alone may make a short question a follow-up of the last one.
ENTITY_KINDS = frozenset({"call", "institution"})
#: Words after which "one" stands for a thing named before ("that one", "the last one"), not a number.
ONE_AS_PRONOUN_AFTER = frozenset({"that", "this", "the", "which", "each", "every", "same", "any", "other", "another"})

#: Words of a marked follow-up that only point back at the last question ("same question for call 2",
#: "same thing for an institution"): no subject of their own.
FOLLOW_UP_FILLERS = frozenset({"same", "question", "quest", "thing", "ditto"})  # "quest": the stem
#: ... and of "I meant the third round" ("mean" asks what a name stands for only in a question).
CORRECTION_FILLERS = frozenset({"mean", "meant"})
#: The openers of a correction of the last question's subject, and what may stand before them ("sorry,").
CORRECTION_OPENERS = (("i", "meant"), ("i", "mean"), ("meant",))
CORRECTION_LEAD_INS = frozenset({"sorry", "no", "oops", "ok", "okay", "oh"})

#: Words before a follow-up that carry no meaning of their own ("ok and the deadline?").
LEAD_IN_WORDS = frozenset({"ok", "okay", "oh", "so", "right", "alright", "fine", "great", "thanks", "cool"})


def fillers_of(message: Message) -> frozenset[str]:
    """The words of a message that only point back at the last question: those of "same question for
    call 2", "the same thing for the other partner?" (but "and if I have a question about them?" asks one)."""
    words = [w for w in message.words if w not in LEAD_IN_WORDS]
    if words[:1] == ["the"]:
        words = words[1:]
    if words[:1] in (["same"], ["ditto"]):
        return FOLLOW_UP_FILLERS
    return CORRECTION_FILLERS if is_correction(message) else frozenset()


def is_correction(message: Message) -> bool:
    """Whether the message corrects the last question's subject: "no, I meant call 2", "sorry, I meant the
    third round" (only "sorry", "no" and the like before it)."""
    words = _after_lead_in(message.words, CORRECTION_LEAD_INS)
    return any(tuple(words[: len(opener)]) == opener for opener in CORRECTION_OPENERS)


def _after_lead_in(words: list[str], lead_ins: frozenset[str]) -> list[str]:
    """`words` without the `lead_ins` that open them ("ok, and ...", "sorry, I meant ...")."""
    start = 0
    while start < len(words) and words[start] in lead_ins:
        start += 1
    return words[start:]


def is_ellipsis(message: Message) -> bool:
    """Whether a marked follow-up only names a new subject for the last question ("and the panel?",
    "what about its research profiles?") rather than asking a clause of its own ("and was it gross?")."""
    words = _after_lead_in(message.words, LEAD_IN_WORDS)
    for opener in FOLLOW_UP_OPENERS:
        if tuple(words[: len(opener)]) == opener:
            words = words[len(opener) :]
            break
    return bool(words) and CLAUSE_WORDS.isdisjoint(words)


class Route(Enum):
    """What a message is, and so who answers it."""

    #: "start afresh" while the check runs or facts are kept: forget them and begin the check anew.
    AFRESH = "afresh"
    #: Anything said while the eligibility check waits for an answer (the answer, "cancel", an aside).
    CHECK_REPLY = "check reply"
    #: The number of one of the choices the last answer offered.
    CHOICE = "choice"
    #: A personal "am I eligible?" (or, after a verdict, "and call 1?"): the eligibility check.
    ELIGIBILITY = "eligibility"
    #: A question for the knowledge base: fresh, or (in a chat) perhaps a follow-up of the last one.
    QUESTION = "question"


class ChatContext:
    """What the router needs to know of a conversation so far."""

    __slots__ = ("after_rules", "checking", "choices", "knows_facts", "last_verdict", "verdict_calls")

    def __init__(
        self,
        *,
        checking: bool = False,
        knows_facts: bool = False,
        choices: int = 0,
        last_verdict: bool = False,
        after_rules: tuple[int, ...] | None = None,
        verdict_calls: tuple[int, ...] = (),
    ) -> None:
        self.checking = checking  # an eligibility check waits for the applicant's answer
        self.knows_facts = knows_facts  # facts the applicant gave are kept
        self.choices = choices  # how many numbered choices the last answer offered
        self.last_verdict = last_verdict  # the last answer was the check's verdict
        #: The last answer gave eligibility rules: the calls it was about (none named: empty); else None.
        self.after_rules = after_rules
        #: The calls of the verdict just given (with `last_verdict`).
        self.verdict_calls = verdict_calls


class Decision:
    """Where a message goes, and what the router found out on the way."""

    __slots__ = ("after_verdict", "answers_too", "calls", "facts", "general", "route")

    def __init__(
        self,
        route: Route,
        general: Answer | None = None,
        *,
        after_verdict: bool = False,
        calls: tuple[int, ...] = (),
        answers_too: bool = False,
        facts: Facts | None = None,
    ) -> None:
        self.route = route
        #: The knowledge-base answer to the message, when the decision needed it (so it is not sought twice).
        self.general = general
        #: ELIGIBILITY for another call of the verdict just given ("and call 1?"), not for an "am I eligible?".
        self.after_verdict = after_verdict
        #: With `after_verdict`: the call asked about, in the programme's words ("and the latest call?"),
        #: which the check's own reading of the message may not know.
        self.calls = calls
        #: ELIGIBILITY for facts given beside a question on the rules ("PhD 2014. Do children extend the
        #: window?"): `general` answers that question, and comes before the check's own reply.
        self.answers_too = answers_too
        #: With `after_verdict`: the facts the message changes, read as the router found them ("14 months").
        self.facts = facts

    def __repr__(self) -> str:
        return (
            f"Decision({self.route}, general={self.general!r}, after_verdict={self.after_verdict}, calls={self.calls})"
        )


def route(advisor: Advisor, message: Message, chat: ChatContext | None = None) -> Decision:
    """Where `message` goes; `chat` is None for a single question, asked without a conversation."""
    if chat is not None:
        if (chat.checking or chat.knows_facts) and _is_afresh(message):
            return Decision(Route.AFRESH)
        if chat.checking:
            return Decision(Route.CHECK_REPLY)
        if choice_number(message, chat.choices) is not None:
            return Decision(Route.CHOICE)
        if chat.last_verdict and (calls := _calls_after_verdict(advisor, message)) is not None:
            return Decision(Route.ELIGIBILITY, after_verdict=True, calls=calls)
        if chat.last_verdict and chat.verdict_calls and (facts := _what_if_facts(advisor, message)) is not None:
            # "what if I had twins?" after a verdict: the same check again, with that changed.
            return Decision(Route.ELIGIBILITY, after_verdict=True, calls=chat.verdict_calls, facts=facts)
        if chat.after_rules is not None and _tells_own_facts(advisor, message):
            # "I defended in May 2013." after the rule on the PhD date for call 2: apply the rule just
            # given to the case the applicant now tells.
            return Decision(Route.ELIGIBILITY, calls=chat.after_rules)
    if not (_hints_at_eligibility(message) and advisor.checks_eligibility and message.personal_eligibility):
        return _facts_nothing_else_answers(advisor, message)
    # "Am I eligible for a Veni?": a known gap outside the programme's rules answers it, not the check.
    general = advisor.ask_knowledge(message)
    return _check_unless_another_scheme(advisor, message, general)


def _what_if_facts(advisor: Advisor, message: Message) -> Facts | None:
    """The facts a "what if ...?" after a verdict changes, or None when it is no such question. A bare
    length ("and if it had been 14 months?") is the time in the country, which the rules count in
    months."""
    from .eligibility_check import WHAT_IF

    if not WHAT_IF.match(message.folded) or advisor.eligibility_rules is None:
        return None
    facts = message.facts._replace(calls=())
    if not facts.concrete:
        from .eligibility_facts import extract_facts

        facts = extract_facts(message.text, advisor.eligibility_rules, asked="nl")._replace(calls=())
    return facts if facts.concrete else None


def _tells_own_facts(advisor: Advisor, message: Message) -> bool:
    """Whether the message only tells facts of the writer's own that the rules ask about (a PhD date, time
    in the country): "I've lived there since January 2016.", not a question."""
    return (
        advisor.checks_eligibility
        and message.first_person
        and not asks_something(message.text)
        and message.facts._replace(calls=()).concrete
    )


#: The hints that take a prefix, with the prefixes they take: "ineligible", "disqualified", "exclude" (not
#: "include": "does the salary include ...?" asks nothing of the rules).
_PREFIXED_HINTS = {"elig": "in|non|un", "eleg": "in|non|un", "ellig": "in|non|un", "qualif": "dis|un", "clud": "ex|pre"}


@functools.cache
def _eligibility_hint() -> re.Pattern[str]:
    # At the start of a word: "skills", "pharmacy", "Helsinki" and "accounts" hold "kill", "harm", "sink"
    # and "count", and say nothing of being eligible; nor do "country" and "county".
    def pattern(hint: str) -> str:
        if hint in _PREFIXED_HINTS:  # "elegible", not "elegant"
            return rf"\b(?:{_PREFIXED_HINTS[hint]})?{hint}" + ("(?!an)" if hint == "eleg" else "")
        return r"\b" + re.escape(hint) + (r"(?!r|y\b)" if hint == "count" else "")

    return re.compile("|".join(pattern(hint) for hint in ELIGIBILITY_HINTS))


def _hints_at_eligibility(message: Message) -> bool:
    """Whether the message uses a word of being eligible or ruled out (ELIGIBILITY_HINTS), at a word's start."""
    return _holds_hint(message.folded)


def asks_about_the_rules(text: str) -> bool:
    """Whether a question uses a word of being eligible or ruled out (ELIGIBILITY_HINTS) at a word's start."""
    return _holds_hint(fold(text))


def _holds_hint(folded: str) -> bool:
    """Whether folded text holds an eligibility hint at a word's start."""
    # The substring test first: most questions hold no hint at all, and need no pattern compiled.
    return any(map(folded.__contains__, ELIGIBILITY_HINTS)) and _eligibility_hint().search(folded) is not None


def _asks_about_eligibility(advisor: Advisor, message: Message) -> bool:
    """Whether what the message asks (its questions, not the story around them) uses a word of being
    eligible or ruled out: "I applied in round 2 with a PhD from 2015. How many reference letters were
    needed?" tells of applying, and asks about letters."""
    questions = [
        clause.text
        for clause, analysis in zip(message.clauses, message.clause_analyses, strict=True)
        if clause.is_question and any(advisor.matcher.is_telling(term) for term in analysis.terms)
    ]
    if not questions:
        # Nothing asked of a subject of its own ("what do you think?", "what are my chances?"): the
        # statements say what it is about.
        return _hints_at_eligibility(message)
    return any(_holds_hint(fold(text)) for text in questions)


def _check_unless_another_scheme(advisor: Advisor, message: Message, general: Answer) -> Decision:
    """The check for a personal question, unless it asks about another scheme than the programme's calls,
    or about a side of the rules that no source gives."""
    if advisor.is_outside(general) or advisor.is_rule_gap(general):
        return Decision(Route.QUESTION, general)
    # In a longer message the applicant's own facts outweigh the scheme's name ("Am I eligible for
    # a Veni if my PhD was in 2016 and ..."): what they ask to be eligible for decides alone.
    named = _asked_for(message.text)
    if named:
        asked = advisor.message(named)
        # "eligible for call 2": one of the programme's own calls, no other scheme to look up.
        if not any(advisor.programme.call_number(t) is not None for t in asked.analysis.terms):
            scheme = advisor.ask_knowledge(asked)
            if advisor.is_outside(scheme):
                return Decision(Route.QUESTION, scheme)
    return Decision(Route.ELIGIBILITY, general)


def _facts_nothing_else_answers(advisor: Advisor, message: Message) -> Decision:
    """The check for a message that gives facts of the applicant's own on what the rules ask (a PhD date,
    time in the country) when nothing else answers it ("I spent 10 months at TU Eindhoven in 2016.
    Does that kill my call 1 application?"); else a question for the knowledge base."""
    if not any(map(str.isdigit, message.folded)) and SPELT_NUMBERS.isdisjoint(message.words):
        return Decision(Route.QUESTION)  # no date or figure ("four years" is one): decided cheaply
    if not asks_something(message.text):
        return Decision(Route.QUESTION)  # facts told, nothing asked: the chat keeps them for later
    rules = advisor.eligibility_rules
    if rules is None or not message.facts._replace(calls=()).concrete:
        return Decision(Route.QUESTION)
    # About the writer ("I", "my"), or in note form, facts and a call ("phd aug 2017, call 1?").
    if not message.first_person and not message.facts.calls:
        return Decision(Route.QUESTION)
    from .eligibility_facts import asks_when_told, names_another_scheme

    if names_another_scheme(message.folded, rules) or asks_when_told(message.folded):
        return Decision(Route.QUESTION)
    general = advisor.ask_knowledge(message)
    if _asks_only_of_a_call(advisor, message):
        # "PhD June 2008, then cardiology training 2009-2014. Call 1?": the writer's facts, then only a call's
        # name: whether that call was open to them, not when it was open.
        return _check_unless_another_scheme(advisor, message, general)
    if is_an_answer(general) and not advisor.is_about_eligibility_rules(general):
        # A known gap of the programme answers it, unless the message speaks of being eligible ("14
        # months in the Netherlands ... would that have ruled me out of call 2, and what was the
        # maximum allowed?" is no question about document limits).
        if general.matched or not _asks_about_eligibility(advisor, message) or advisor.is_another_subject(general):
            return Decision(Route.QUESTION, general)
        return Decision(Route.ELIGIBILITY, general)
    if not is_an_answer(general) and not message.check_facts.calls and not _asks_about_eligibility(advisor, message):
        # Nothing answers it, and it neither names a call nor speaks of being eligible: facts of the
        # writer's own are no sign that the rules are asked about ("do I need the civic integration
        # exam if I stay in NL after 5 yrs?", "is two years in South Holland a good career move?").
        return Decision(Route.QUESTION, general)
    # Nothing answers it, or the answer is the rules themselves ("PhD 2011, call 1 possible?"): with the
    # applicant's own facts, the check applies those rules to them.
    decision = _check_unless_another_scheme(advisor, message, general)
    decision.answers_too = decision.route is Route.ELIGIBILITY and general.matched
    return decision


def _asks_only_of_a_call(advisor: Advisor, message: Message) -> bool:
    """Whether the message's questions name a call and nothing else ("first call?", "Call 1 or 2?")."""
    asked = [
        analysis.terms
        for clause, analysis in zip(message.clauses, message.clause_analyses, strict=True)
        if clause.is_question
    ]
    terms = [term for terms in asked for term in terms]
    return bool(terms) and all(advisor.entity_kind(term) == "call" for term in terms)


#: "eligible for <X>", "qualify for <X>", "apply for <X>": X runs to the first condition or clause end.
@functools.cache
def _asked_for_pattern() -> re.Pattern[str]:
    # Compiled on first use: most messages never need it, and every start would pay for it.
    return re.compile(
        r"\b(?:eligible|elegible|eligable|qualify|qualified|apply|applying)\s+(?:to\s+apply\s+)?(?:for|to)\s+"
        r"(.+?)(?=\s+(?:if|when|since|because|as|with|given|although|though|but|and|or)\b|[?,.;!]|$)",
        re.I,
    )


def _asked_for(text: str) -> str | None:
    """What the applicant asks to be eligible for ("a Veni" in "am I eligible for a Veni if ..."), or None."""
    found = _asked_for_pattern().search(text)
    return found.group(1).strip() if found else None


def _is_afresh(message: Message) -> bool:
    from .eligibility_check import is_afresh

    return is_afresh(message.folded)


def choice_number(message: Message, choices: int) -> int | None:
    """The choice (1-based) that `message` picks by its number, or None."""
    text = message.text.strip().rstrip(".)")
    if not (choices and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= choices else None


def asks_for_more(message: Message) -> bool:
    """Whether the message only asks for more of the last answer ("give me a few examples", "name a
    few"): it has no subject of its own, and the last answer is all the sources give on it."""
    terms = message.analysis.terms
    return bool(terms) and ELABORATION_TERMS.issuperset(terms)


def is_marked_follow_up(message: Message) -> bool:
    """Whether the message says it goes on from the last one ("and ...", "what about ...", "it")."""
    raw = message.words
    terms = message.analysis.terms
    return (
        any(tuple(raw[: len(o)]) == o for o in FOLLOW_UP_OPENERS)
        or is_correction(message)
        or bool(PRONOUNS & set(raw))
        or asks_for_more(message)
        or (bool(terms) and SUBJECTLESS_TERMS.issuperset(terms))
    )


class Composition:
    """The last question with this one's entities swapped in."""

    __slots__ = ("analysis", "new_words", "swapped")

    def __init__(self, analysis: Analysis, new_words: list[str], swapped: set[str]) -> None:
        self.analysis = analysis
        self.new_words = new_words  # the words this message added to the last question
        self.swapped = swapped  # the entities that replaced one of the same kind


def compose(
    advisor: Advisor,
    last_tokens: tuple[str, ...],
    analysis: Analysis,
    *,
    marked: bool,
    new_subject: bool = False,
    new_question: bool = False,
    entities_only: bool = False,
    fillers: frozenset[str] = frozenset(),
) -> Composition | None:
    """The previous question (`last_tokens`) with this one's entities swapped in; None if this one
    (`analysis`) cannot be a follow-up of it. Which words name calls, institutions and metrics is
    the programme's (`advisor.entity_kind`, `advisor.call_words`).

    With `new_subject`, the message's own telling words also replace the last question's ("Who
    chaired the Steering Committee?" then "and the panel?" is "Who chaired the panel?"); None when
    the message brings no telling word of its own. With `new_question`, the message asks its own
    question about the last one's subject ("How many courses were required?" then "who ran them?"
    is "who ran the courses?"): of the last question only its telling words and entities stay; with
    `entities_only` too, only its entities ("and the deadline of that call?" asks about the call, not
    about the rule the last question asked of it). `fillers` are the message's words that only point back
    at the last question (see fillers_of)."""
    entity_kind = advisor.entity_kind
    ordinal_calls = advisor.call_words
    terms = analysis.terms
    if not last_tokens or len(terms) > MAX_FOLLOW_UP_TERMS:
        return None
    previous = list(last_tokens)
    has_call = any(entity_kind(t) == "call" for t in previous)
    new_tokens = list(analysis.tokens)
    if has_call:
        # "and the third?" means the third call when we were talking about calls; in
        # "the final one" the "one" only stands for "call", it is not call one.
        # A bare number is a call only in a marked follow-up ("and 3?", not "what's 2+2?").
        new_tokens = _relative_call(advisor, previous, new_tokens)
        new_tokens = [
            ordinal_calls.get(t, t) if marked or not t.isdigit() else t
            for i, t in enumerate(new_tokens)
            if not (
                t == "one"
                and i > 0
                and (
                    new_tokens[i - 1] in ordinal_calls
                    or new_tokens[i - 1] in ONE_AS_PRONOUN_AFTER
                    or new_tokens[i - 1] in CALL_STEPS
                    or entity_kind(new_tokens[i - 1]) == "call"
                )
            )
        ]
    new_terms = [t for t in dict.fromkeys(new_tokens) if (t in terms or entity_kind(t)) and t not in fillers]
    # An entity already in the last question (the same institution again) replaces nothing.
    replaced_kinds = {entity_kind(t) for t in new_terms if entity_kind(t) and t not in previous}
    kept = [t for t in previous if entity_kind(t) not in replaced_kinds]
    if new_subject:
        matcher = advisor.matcher
        subject = [t for t in new_terms if not entity_kind(t) and matcher.is_telling(t) and t not in previous]
        if not subject:
            return None
        # A metric ("ranked") is what the last question was about, as its telling words are; a call or
        # an institution is whose it was, and stays ("and its research profiles?" after a ranking).
        kept = [t for t in kept if entity_kind(t) in ENTITY_KINDS or not matcher.is_telling(t)]
    elif new_question:
        matcher = advisor.matcher
        kept = [t for t in kept if entity_kind(t) or matcher.is_telling(t)]
    if entities_only and has_call:
        # "that call" stands for the call of the last question: its noun is no new word.
        kept = [t for t in kept if entity_kind(t)]
        new_terms = [t for t in new_terms if t not in CALL_NOUNS]
    extra = [t for t in new_terms if t not in kept]
    if not extra:
        return None
    previous_kinds = {entity_kind(t) for t in previous if entity_kind(t)}
    swapped = {t for t in extra if entity_kind(t) in replaced_kinds and entity_kind(t) in previous_kinds}
    tokens = (*kept, *extra)
    # The composed tokens are already canonical: matched as they are, not analysed again.
    composed = Analysis(normalized=" ".join(tokens), tokens=tokens, terms=content_terms(tokens))
    return Composition(composed, extra, swapped)


#: "and the one after?", "the next round?", "the call before that?": the call after (or before) the last
#: question's, when the message names no call itself.
CALL_STEPS = {
    **{stem(word): 1 for word in ("after", "next", "following", "later", "subsequent")},
    **{stem(word): -1 for word in ("before", "previous", "earlier", "prior", "preceding")},
}


def _relative_call(advisor: Advisor, previous: list[str], tokens: list[str]) -> list[str]:
    """`tokens` with a word that steps from the last question's call ("after", "previous") replaced by the
    call it steps to, when they name a call only so ("the one after", "the next round") and that call exists.
    The call's noun goes with it."""
    calls = advisor.programme.call_tokens
    steps = [t for t in tokens if t in CALL_STEPS]
    named = [t for t in previous if t in calls]
    if len(steps) != 1 or not named or any(t in calls for t in tokens) or not CALL_NOUNS & set(tokens):
        return tokens
    to = advisor.call_words.get(str(calls[named[-1]] + CALL_STEPS[steps[0]]))  # None past the first or last
    # The noun ("call", "round", "one") only said that a call was meant: the call's token says it now.
    return tokens if to is None else [to if t == steps[0] else t for t in tokens if t not in CALL_NOUNS]


#: Nouns that a pronoun before them makes a call: "that call", "this round", "that one".
CALL_NOUNS = frozenset({"call", "round", "intake", "one"})
#: Not "they" or "it": "did they call the candidates?" uses "call" as a verb.
POINTERS = frozenset({"that", "this", "those", "these", "same"})


#: "how many places were in it?", "who applied for it?": "it" after these is a thing that holds or takes
#: something, which after a question about a call is the call.
CONTAINER_PREPOSITIONS = frozenset({"in", "for", "during", "into"})


def points_at_a_call(message: Message) -> bool:
    """Whether the message names a call only by pointing back at it ("the deadline of that call?", "how
    many places were in it?"; the caller knows the last question named a call)."""
    words = message.words
    return any(
        (first in POINTERS and second in CALL_NOUNS) or (first in CONTAINER_PREPOSITIONS and second == "it")
        for first, second in itertools.pairwise(words)
    )


def is_an_answer(answer: Answer) -> bool:
    """Matched, or deliberately not a match (another institution's figure, a known gap in the
    sources): the answer to a question of its own, not a failure to understand it."""
    return answer.matched or (answer.explanation is not None and answer.explanation.reason.deliberate)


def may_follow_up(message: Message, *, marked: bool, names_entity: bool = False) -> bool:
    """Whether the message could be read as a follow-up at all: a marked one, an unmarked fragment,
    or a short unmarked question naming a call or institution (see reads_as_follow_up); a longer
    unmarked question is never one, so its follow-up reading need not be ranked."""
    terms = len(message.analysis.terms)
    return marked or terms <= MAX_FRAGMENT_TERMS or (names_entity and terms <= MAX_FOLLOW_UP_TERMS)


def _answered_surely_for(advisor: Advisor, alone: Answer, institutions: Iterable[str]) -> bool:
    """Whether `alone` answers surely with a fact of one of `institutions`."""
    return (
        alone.matched
        and alone.intent is not None
        and alone.confidence >= SURE_ALONE_SCORE
        and advisor.entry(alone.intent).institution in set(institutions)
    )


def names_entity(advisor: Advisor, message: Message) -> bool:
    """Whether the message names a call or an institution."""
    return any(advisor.entity_kind(t) in ENTITY_KINDS for t in message.analysis.terms)


def reads_as_follow_up(
    advisor: Advisor,
    message: Message,
    standalone: Callable[[], Answer],
    composition: Composition,
    composed: Answer,
    *,
    marked: bool,
) -> bool:
    """Whether the message is a follow-up (answered by the `composed` reading) rather than a fresh
    question (answered `standalone()`). Only an explicit follow-up ("and ...", "what about ...", "it")
    or a question that means nothing on its own is read in the light of the previous one.

    `standalone` gives the message's answer on its own; it is asked for only where the decision
    depends on it ("and call 3?" does not), which saves ranking the message a second time."""
    matcher = advisor.matcher
    entity_kind = advisor.entity_kind
    new_words = composition.new_words
    # "and <institution B>?" after a figure of A: saying that figure is A's only is the answer.
    other_institution = composed.explanation is not None and composed.explanation.reason is Outcome.OTHER_INSTITUTION

    def answers_alone() -> bool:
        return is_an_answer(standalone())

    # The new words must be part of what the composed reading matched ("and call 3?"), or
    # that reading is only the previous answer again ("Explain quantum computing").
    best = composed.explanation.best if composed.explanation is not None else None
    shared = set(new_words) & set(best.matched_terms) if best is not None else set()
    named_other = other_institution and any(entity_kind(t) == "institution" for t in new_words)
    # A known gap answers a swap of call or institution too ("and call 3?" after a rule of call 2 whose
    # call 3 version no source gives): not knowing is the answer, not the last question's other call.
    gap_of_swap = bool(composition.swapped) and is_an_answer(composed)
    if not (composed.matched or other_institution or gap_of_swap) or not (shared or named_other):
        return False
    if marked:
        # "and call 3?", "is that gross?" read with the last question; but "Do they research
        # cancer?" brings words of its own that the last answer lacks, and is a new question
        # when it can be answered alone.
        fillers = fillers_of(message)
        own_terms = [t for t in message.analysis.terms if not entity_kind(t) and t not in fillers]
        if named_other:
            # "and <institution B>?" after a figure of A: saying that the figure is A's is the answer; but
            # "and at B, what kind of areas?" is a question about B that a fact of B itself answers.
            return not (len(own_terms) >= MIN_OWN_WORDS and _answered_surely_for(advisor, standalone(), new_words))
        unshared = [t for t in new_words if not entity_kind(t) and t not in shared]
        own_question = len(unshared) >= MIN_OWN_WORDS and answers_alone()
        # "and how long is the contract" after pay questions: a whole question that is answered surely
        # alone, more surely than read with the last one, is its own; not "and the other institution?",
        # which names only a new subject, nor "who chaired it?", whose "it" is the last question's subject.
        if not own_question and len(own_terms) >= MIN_OWN_WORDS and not PRONOUNS & set(message.words):
            alone = standalone()
            own_question = (
                alone.matched
                and alone.intent != composed.intent
                and alone.confidence >= SURE_ALONE_SCORE
                and alone.confidence > composed.confidence
            )
        return not own_question
    # Unmarked, only a fragment that means nothing alone ("how many countries?") and
    # adds a telling word or an entity to the last question.
    telling = named_other or any(t in composition.swapped or matcher.is_telling(t) for t in shared)
    terms = message.analysis.terms
    known = all(matcher.is_known(t) for t in terms)
    if len(terms) <= MAX_FRAGMENT_TERMS:
        return known and telling and not answers_alone()
    # A short question that names a call or an institution and that nothing answers alone asks the
    # last question about it ("over which years for the 1st call" after the mobility rule).
    named = any(entity_kind(t) in ENTITY_KINDS for t in shared)
    return len(terms) <= MAX_FOLLOW_UP_TERMS and named and known and not answers_alone()
