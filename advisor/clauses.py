"""Split a message into the questions and statements it is made of.

Applicants write stories ("I'm a biologist from Spain; my viva is in May. Can I apply?") and
ask two things at once ("What's the salary, and is it gross?"). Matching the whole message
lets every word of the story count against every entry; matching its parts finds the
question, and answers each question it holds.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Most questions are one clause and never need these patterns.
from .lazy_patterns import compiled_on_first_use as _lazy

#: Words that open a question (after "and"/"but"/a comma): where a second question starts.
QUESTION_OPENERS = (
    "what|whats|when|whens|where|which|who|whom|whose|why|how|is|are|was|were|do|does|did|can|could|"
    "will|would|should|shall|may|might|must|has|have|had|am|any"
)
# A sentence ends at ?, ! or ; (or a full stop or colon before a space, also after a year: "I got my PhD in
# 2016. How do I find a host?", but not after other numbers: "15. Juli"), or at a line break: "HR here,
# checking for a fellow: did fellows get a pension?" introduces its question with the colon. The full
# stop of an abbreviation ("grant no. 707404", "Prof. Smith") ends nothing ("e.g." and "i.e." do end one:
# what follows them is often a question of its own).
# Every alternative matches only after "?", "!" or ";" or at a space: the guard in front says so once, where
# the engine would otherwise try each alternative's lookbehinds at every character (it halves a split's cost).
_SENTENCE_END = _lazy(
    r"(?:(?<=[?!;])|(?=\s))(?:"
    r"(?<=[?!;])\s*|(?<=[^\s.\d][.:])(?!(?<=\bno\.)\s+\d)(?!(?<=\bnr\.)\s+\d)(?<!\bdr\.)(?<!\bprof\.)(?<!\bvs\.)"
    r"(?<!\bapprox\.)(?<!\bca\.)(?<!\bst\.)\s+|(?<=\b\d{4}[.])\s+(?=[a-z])|\s*\n+\s*"
    # "... OK for call 2. Where do I send it?": after any number, a sentence that opens like a question.
    rf"|(?<=\d[.])\s+(?=(?:{QUESTION_OPENERS})\b))",
    re.I,
)
# "..., and is it gross", "..., so how long is it": a conjunction or comma followed by a word that opens a question.
# Not ", but": what comes before it hedges or sets up the question ("Not sure if this is known,
# but how many ...?"), it does not ask one of its own.
# "..., and to which address did it go?": a question may open with the preposition of its question word.
_ASKED_WITH_PREPOSITION = r"(?:to|for|from|by|at|with|until|till)\s+(?:what|which|whom|when|where|how)\b"
# Every alternative starts at a comma or a space: the guard in front says so once (see _SENTENCE_END).
_QUESTION_JOIN = _lazy(
    r"(?=[,\s])(?:"
    rf"(?<!\bbut)(?:,\s*(?:and|or|also|plus|so)?|\s+(?:and|also|plus)|\s+[-–—])\s+(?=(?:{QUESTION_OPENERS})\b)"
    # Only after "and": "If I started on 1 September, for how long ...?" asks one question under a condition.
    rf"|,?\s+(?:and|also|plus)\s+(?={_ASKED_WITH_PREPOSITION}))",
    re.I,
)
# "... good for research? like how does it rank in europe": a filler word ("like", "I mean") before the
# question word changes nothing; the sentence still asks.
_OPENS_QUESTION = _lazy(
    rf"^\W*(?:and\s+|but\s+|also\s+|so\s+|like\s+|i\s+mean\W+|basically\W+)?"
    rf"(?:(?:{QUESTION_OPENERS})\b|{_ASKED_WITH_PREPOSITION})",
    re.I,
)
#: A clause needs this many characters of letters to stand alone ("and?" does not).
MIN_CLAUSE_LETTERS = 3
# "is it gross?", "how long are they?": a short question about what the clause before it named
# means nothing alone, so it stays joined to that clause. A longer one ("what was its closing
# date?") is a question of its own about the same thing: it is marked as referring back.
_BACK_REFERENCE = _lazy(
    r"\b(it|its|they|them|their|that|those|this|these)\b|(?<!is )(?<!are )(?<!was )(?<!were )\bthere\b", re.I
)
MAX_FRAGMENT_WORDS = 4
#: A piece this short that opens with a preposition or conjunction ("by how much?", "and when?")
#: cannot be a question of its own.
MAX_BARE_FRAGMENT_WORDS = 3
_CONTINUES = _lazy(r"^\W*(and|or|but|by|for|in|on|at|to|with|from|since|until|of)\b", re.I)
#: An opening this short that neither asks nor tells only sets the scene for the question after it.
MAX_SCENE_WORDS = 5
# A statement about the writer ("I graduated in 2011", "my son was born ..."): context, not a question.
_WRITER = r"(i|i'?m|i'?ve|i'?d|i'?ll|me|my|we|we'?re|we'?ve|our)"
_TELLS = _lazy(rf"^\W*{_WRITER}\b", re.I)
#: A statement of the writer's with its "I" left out ("I'm Filipino, did my PhD in Townsville, graduated 2016."):
#: it opens like a question, but a question would end with "?".
_TELLS_ELIDED = _lazy(r"^\W*(?:did|have|had|has)\s+(?:my|our)\b", re.I)
#: What the writer tells, then "but" and a question: "I know call 2 wanted a PhD after July 2013, but what
#: was the earliest date for call 3?" asks only the second part; the first is its story.
_TOLD_BUT_ASKED = _lazy(rf"^(?P<told>\W*{_WRITER}\b.*?),\s*(?P<asked>but\s+(?:{QUESTION_OPENERS})\b.*)$", re.I)
#: The writer anywhere in a piece ("Before I agree:").
_SPEAKS_OF_WRITER = _lazy(rf"\b{_WRITER}\b", re.I)


# "Apart from the research proposal, what ...?": what the question sets aside is no part of its subject.
_SETS_ASIDE = _lazy(
    r"^\W*(?:apart from|aside from|besides|other than|except(?: for)?|in addition to"
    # "Not the 6.3 million grant - what would I earn?": what the question is not about (but "Not an EU
    # national, ..." says who asks).
    r"|not (?:the|about)|i (?:don['’]?t|do not) mean|i(?:['’]?m| am) not asking about)\b",
    re.I,
)


# "As a host supervisor at <a partner>, what ...?", "Being a non-EU fellow, did ...?": who asks, told before the
# question; it ends where the question starts, at the comma.
_SAYS_WHO_ASKS = _lazy(
    # Not "As a rule," or "As a result of ...,": they say how, not who.
    r"^\W*(?:(?:speaking\s+)?as|being)\s+(?:a|an|the|one of the|someone|somebody)\s+"
    r"(?!(?:result|rule|example|whole)\b)",
    re.I,
)


def _sets_the_scene(piece: str) -> bool:
    """An opening that neither asks nor tells: a short one ("In the first round", "For call 3"), or one
    that a colon ends."""
    text = piece.strip()
    return (
        not _SETS_ASIDE().match(text)
        # "Call 1's reference window for the time-in-NL rule: start and end dates?" names its subject
        # before the colon, however long.
        and (len(text.split()) <= MAX_SCENE_WORDS or text.endswith(":"))
        and not text.endswith(("?", "."))
        and not _OPENS_QUESTION().match(text)
        # "I'm in HR at a partner: which ...?" and "Before I agree: what ...?" tell of the writer, wherever
        # the "I" stands: story, not scene.
        and not _SPEAKS_OF_WRITER().search(text)
    )


# A question after a comma: a verb that asks, then who or what it asks about ("can i", "is it").
_ASKS_AFTER_A_COMMA = _lazy(
    r"^\W*(?:and\s+|but\s+|so\s+)?(?:can|could|may|might|should|would|will|is|are|was|were|do|does|did|am)"
    r"\s+(?:i|you|we|she|he|it|they|there|this|that|my|the|a|an)\b",
    re.I,
)
# A request put as a statement: "kindly advise if ...", "please let me know whether ...".
_ASKS_POLITELY = _lazy(
    r"\b(?:advise|let me know|tell me|confirm|i (?:am|'m) wondering|i was wondering|i wonder|(?:want|like) to know)"
    r"\s+(?:me\s+)?(?:if|whether|how|what|when|which|who)\b",
    re.I,
)


def asks_something(text: str) -> bool:
    """Whether a message asks at all: a "?", a sentence that opens like a question ("can I apply
    with ..."), or a request ("kindly advise if ..."); "I was in <a city there> for 9 months in 2017."
    only tells."""
    if "?" in text:
        return True
    sentences = _SENTENCE_END().split(text)
    return (
        any(_OPENS_QUESTION().match(sentence) for sentence in sentences)
        # "i defend in sept 2018, can i still go for call 2": a question after a comma asks too; but
        # "..., which was after my PhD" and "... and have lived here since 2016" only tell.
        or any(
            _ASKS_AFTER_A_COMMA().match(piece)
            for sentence in sentences
            for piece in _QUESTION_JOIN().split(sentence)[1:]
        )
        or _ASKS_POLITELY().search(text) is not None
    )


class Clause(NamedTuple):
    text: str
    #: It ends with "?" or opens like a question ("how long ...").
    is_question: bool
    #: It speaks of what the clause before it named ("... and what was its closing date?").
    refers_back: bool = False
    #: It only names a new subject for the question before it ("Who chaired the committee? And the panel?").
    ellipsis: bool = False
    #: It sets aside what the question is not about ("Apart from the proposal", "Not the grant").
    aside: bool = False
    #: When a short piece that refers back was joined to it ("Was there an interview, and how was it
    #: held?"), the question it was joined to: its subject, which the whole may ask too closely about.
    head: str = ""


#: Where a message may divide; a message without any of them is one clause.
_DIVIDERS = ("?", "!", ";", ".", ":", ",", "\n", " and ", " also ", " plus ", " - ", " – ", " — ")


def split_clauses(text: str) -> list[Clause]:
    """The message's sentences, and within a sentence the questions joined by "and" or a comma;
    a short piece that refers back ("is it gross?", "by how much?") stays with the one before."""
    body = text.strip().rstrip("?!. ")
    if not any(map(body.__contains__, _DIVIDERS)):
        # One clause: it is the message, whether or not it asks.
        return [Clause(text.strip(), is_question=True)] if sum(map(str.isalpha, body)) >= MIN_CLAUSE_LETTERS else []
    pieces: list[tuple[str, bool]] = []  # (text, whether its sentence ends with "?")
    for sentence in _SENTENCE_END().split(text):
        sentence = sentence.strip()
        if sentence:
            for piece in _question_pieces(sentence, relative="?" in text and not sentence.endswith("?")):
                told = _TOLD_BUT_ASKED().match(piece)
                if told is not None:  # "I know call 2 wanted ..., but what did call 3 want?"
                    pieces += [(told.group("told"), False), (told.group("asked"), sentence.endswith("?"))]
                else:
                    pieces.append((piece, sentence.endswith("?")))
    # Where the writer marks questions with "?", a sentence without one only tells ("the website
    # looks old to me"); without any "?", "pay and contract length pls" asks too, but "I graduated
    # in 2011." still only tells.
    marked = "?" in text
    clauses: list[Clause] = []
    for piece, in_question, ellipsis, head in _join_fragments(pieces):
        piece = piece.strip(" ,-–—")
        head = head.strip(" ,-–—")
        if sum(map(str.isalpha, piece)) < MIN_CLAUSE_LETTERS:
            continue
        if ellipsis and clauses and clauses[-1].is_question:
            clauses.append(Clause(piece, is_question=True, refers_back=True, ellipsis=True))
            continue
        if ellipsis and clauses:  # no question before it to take the subject of: one clause after all
            before = clauses.pop()
            piece = f"{before.text} {piece}"
        if _SETS_ASIDE().match(piece) and not piece.endswith("?"):
            clauses.append(Clause(piece, is_question=False, aside=True))  # no part of the subject
            continue
        if _SAYS_WHO_ASKS().match(piece) and not piece.endswith("?"):
            clauses.append(Clause(piece, is_question=False))  # told, as context
            continue
        asks = (
            piece.endswith("?")
            or in_question
            or bool(_OPENS_QUESTION().match(piece) and not _TELLS_ELIDED().match(piece))
        )
        refers_back = bool(clauses) and bool(_BACK_REFERENCE().search(piece))
        clauses.append(Clause(piece, asks or not (marked or _TELLS().match(piece)), refers_back, head=head))
    return clauses


#: "..., which took four years." and "..., when I moved there.": a relative clause, not a question.
_RELATIVE = _lazy(r"\W*(?:which|who|whom|whose|where|when)\b", re.I)  # matched at a position: no ^


def _question_pieces(sentence: str, *, relative: bool) -> list[str]:
    """`sentence` divided where a question starts after "and" or a comma (see _QUESTION_JOIN). With
    `relative` (a sentence without "?" in a message that marks its questions with one), a bare comma
    before "which", "who", "when", ... starts a relative clause, not a question: "After my PhD I trained
    as a specialist, which took four years." tells one thing and asks nothing."""
    pieces: list[str] = []
    start = 0
    for join in _QUESTION_JOIN().finditer(sentence):
        if relative and join.group().strip() == "," and _RELATIVE().match(sentence, join.end()):
            continue
        pieces.append(sentence[start : join.start()])
        start = join.end()
    pieces.append(sentence[start:])
    return pieces


#: "And cancer?", "also for call 3?": a short question of "and" and a subject.
_ELLIPSIS = _lazy(r"^\W*(?:and|also|plus)\s+(?:also\s+)?(?:for\s+|about\s+|in\s+|at\s+)?(?P<subject>.+?)\W*$", re.I)
#: Words that make a follow-up a clause of its own ("and is it gross?", "and how many went there?"),
#: not an ellipsis that only names a new subject for the question before it ("and the panel?").
CLAUSE_WORDS = frozenset(QUESTION_OPENERS.split("|"))
#: Within a message, a piece that points back ("and its date?") also belongs to the question before it.
_CLAUSE_WORD = _lazy(
    r"\b(" + "|".join(sorted(CLAUSE_WORDS)) + r"|it|its|they|them|their|that|those|this|these|there)\b", re.I
)


def _is_ellipsis(piece: str, in_question: bool) -> bool:
    """Whether a short piece asks the question before it again about a new subject ("and cancer?")."""
    found = _ELLIPSIS().match(piece)
    return (
        found is not None
        and (in_question or piece.rstrip().endswith("?"))
        and len(found.group("subject").split()) <= MAX_BARE_FRAGMENT_WORDS
        and not _CLAUSE_WORD().search(found.group("subject"))
    )


#: A short piece that refers back but names this many words of a subject of its own is a question of its own.
MIN_SUBJECT_WORDS = 2
_FUNCTION_WORDS = frozenset(
    [*CLAUSE_WORDS, "what's", "whats", "it", "its", "they", "them", "their", "that", "those", "this", "these",
     "there", "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her",
     "a", "an", "the", "of", "for", "in", "on", "at", "to", "and", "or", "also", "then", "so", "but"]
)  # fmt: skip


def _subject_words(piece: str) -> list[str]:
    """The words of a piece that are not question or function words ("citation", "score")."""
    return [w for w in re.findall(r"[\w']+", piece.lower()) if w not in _FUNCTION_WORDS]


def _join_fragments(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool, bool, str]]:
    """Join each short piece that refers back ("is it gross?") to the piece before it, and a short
    piece that only sets the scene ("In the first round, who ...?") to the piece after it. A piece
    that only names a new subject ("and cancer?") stays apart, marked as an ellipsis. Each piece
    comes with whether its sentence asks, whether it is an ellipsis, and the piece that a piece
    referring back was joined to (else "")."""
    joined: list[tuple[str, bool, bool, str]] = []
    scene = False  # the last piece kept stands alone and only sets the scene for the next
    for piece, in_question in pieces:
        if scene:
            before, asked, _, _ = joined.pop()
            piece, in_question = f"{before.rstrip()} {piece}", asked or in_question
        if joined and _is_ellipsis(piece, in_question):
            joined.append((piece, in_question, True, ""))
            scene = False
            continue
        words = piece.split()
        # "and is it gross?" means nothing alone; "and what's its citation score?" names a subject of its own.
        refers_back = (
            len(words) <= MAX_FRAGMENT_WORDS
            and bool(_BACK_REFERENCE().search(piece))
            and len(_subject_words(piece)) < MIN_SUBJECT_WORDS
        )
        # "..., or is there another way?" offers an alternative to the question before it.
        alternative = len(words) <= MAX_FRAGMENT_WORDS * 2 and piece.lstrip(" ,").lower().startswith("or ")
        continues = alternative or (len(words) <= MAX_BARE_FRAGMENT_WORDS and bool(_CONTINUES().match(piece)))
        # "It says 90 positions. Is it still running?": a short question after a statement asks about
        # what the statement named; joined to it, it would be read as part of the story. A bare one
        # ("What were they?") has nothing of its own to ask without the statement.
        asks_after_telling = (
            bool(joined)
            and in_question
            and not joined[-1][1]
            and len(words) > MAX_BARE_FRAGMENT_WORDS
            and bool(_OPENS_QUESTION().match(piece))
        )
        if joined and (refers_back or continues) and not asks_after_telling:
            before, asked, ellipsis, head = joined[-1]
            # Only a question can stand for the whole ("I applied. Is that ok?" has no question before it).
            asks = before.rstrip().endswith("?") or bool(_OPENS_QUESTION().match(before))
            joined[-1] = (
                f"{before.rstrip()} {piece}",
                asked or in_question,
                ellipsis,
                head or (before if asks else ""),
            )
            scene = False
        else:
            joined.append((piece, in_question, False, ""))
            scene = _sets_the_scene(piece)
    return joined
