"""Pure text normalisation: the same steps for stored questions and for user questions.

Pipeline: fold (NFKC, casefold, strip accents) -> tokens -> light stemming ->
typo correction against the knowledge base's own vocabulary (of words that are
neither known to it nor English words) -> synonym phrases
to canonical tokens -> content terms (stop words removed).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, Prefix

from .lazy_patterns import compiled_on_first_use
from .lexicon import is_english_word
from .months import MONTHS
from .stop_words import STOP_WORDS as STOP_WORDS

#: How many corrections an analyzer remembers (a bound, whatever the questions asked).
MAX_REMEMBERED_CORRECTIONS = 1 << 16
#: Words shorter than this are never corrected.
MIN_CORRECTED_LENGTH = 3
#: A word at least this long that begins exactly one word of the vocabulary is that word, clipped.
MIN_CLIPPED_LENGTH = 6
#: Questions are cut to this many characters before matching; nobody asks a
#: question longer than this, and it bounds the work any input can cause.
MAX_QUERY_CHARS = 1000

# Letters that NFKD does not decompose into base letter + accent.
_EXTRA_FOLDS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "’": "'"}
)
_POSSESSIVE = re.compile(r"'s\b")
# A token is an ordinal number ("3rd"), a number (keeping a decimal point: "1.5") or a run of letters/digits.
_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)\b|\d+(?:\.\d+)?|[^\W_]+")
# A question tag after a comma or dash asks for agreement, not about anything ("..., right?"). Only a
# message ending in one of its words is searched for it, and the pattern is compiled on first use.
_TAG_ENDINGS = ("right", "correct", "true", "it", "they", "so")


_tag = compiled_on_first_use(
    r"[,;–—-]\s*(?:right|correct|true|isn'?t it|wasn'?t it|aren'?t they|weren'?t they|didn'?t it|is that so)\W*$"
)


# "2,000" and "2.000" are both two thousand; join thousands groups before tokenising.
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")
# ... and so are "2k" and "2 thousand", as the answers write amounts in full ("40 to 55k" is 40000 to 55000).
_KILO_RANGE = re.compile(r"\b(\d{1,3})(\s*(?:-|–|to)\s*)(\d{1,3})\s*(?:k|thousand)\b")
_KILO = re.compile(r"\b(\d{1,3})\s*(?:k|thousand)\b")
# "i.e." and "e.g." only introduce what follows; their letters are no words ("e" and "g" would be
# words that no entry knows, counting against every one).
_LATIN_MARKERS = re.compile(r"\b(?:i\.\s?e|e\.\s?g)\b\.?")
# A question announced as one ("Quick question: ...", "Sorry if this is a rude question, but ...", "I have a
# question about the interviews: ...", "a few questions:") says how the writer asks, not what about:
# "question" and the words that frame it are no evidence, and would count for the few entries whose
# examples say "question". A question that is the subject stays: "who do I send my questions to?", "my
# research question", "personal questions, e.g. about family plans", "the interview questions, if any".
_FRAMING_WORD = (
    r"(?:a|an|the|one|this|another|one more|last|final|quick|small|short|simple|basic|silly|stupid|dumb"
    r"|naive|rude|personal|awkward|odd|strange|random|side|tiny|little|brief|nosy|cheeky|obvious|weird"
    r"|delicate|sensitive)\s+"
)
_FRAMING = rf"(?:{_FRAMING_WORD})*"


# Compiled on first use: few messages say "question", and every start would pay for it.
_announced_question = compiled_on_first_use(
    r"\b(?:(?:excuse|pardon|forgive)\s+(?:me\s+)?(?:for\s+)?)?(?:"
    # One question before a pause or "but": "quick question:", "a rude question, but"; several only
    # as "a few"/"a couple of"/"some"/"several" ("a few questions:").
    # A bare "question" announces one only where a sentence starts ("Question: ...").
    rf"(?:(?:{_FRAMING_WORD})+question|(?:^|(?<=[.!?]\s))question|(?:a\s+)?(?:few|couple\s+of|some|several)\s+questions)"
    r"\b(?=\s*[,:;.!(–—-]|\s+but\b)"
    # ... or one question before what it is about: "a question about the interviews", "my question is".
    rf"|(?:a|an|one|another|my|this|the)\s+{_FRAMING}question\s+(?=(?:about|regarding|concerning|re|on|is)\b)"
    ")"
)


def fold(text: str) -> str:
    """Case-fold, apply NFKC and drop accents, so "Skłodowska" and "sklodowska" agree."""
    if text.isascii():  # the common case, and nothing to decompose
        return text.casefold()
    import unicodedata  # only for text that is not plain ASCII: most questions never need it

    text = unicodedata.normalize("NFKC", text).casefold().translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Fold `text` and split it into word and number tokens; punctuation is dropped."""
    return split_folded(fold(text))


def split_folded(folded: str) -> list[str]:
    """`tokenize` for text folded already (a message is folded once, see advisor.message)."""
    if folded.rstrip(" ?!.").endswith(_TAG_ENDINGS):
        folded = _tag().sub("", folded)
    text = _THOUSANDS.sub("", _POSSESSIVE.sub("", folded))
    if "i." in text or "e." in text:  # "i.e.", "i. e.", "e.g.", "e. g."
        text = _LATIN_MARKERS.sub(" ", text)
    if "question" in text:
        text = _announced_question().sub(" ", text)
    if "k" in text or "thousand" in text:
        text = _KILO.sub(r"\g<1>000", _KILO_RANGE.sub(r"\g<1>000\g<2>\g<3>000", text))
    return _TOKEN.findall(text)


def normalize(text: str) -> str:
    """Fold and tokenise `text`, returning the tokens joined by single spaces."""
    return " ".join(tokenize(text))


#: Words in -ing that name a subject, not an act: "ageing" (a research field) is not "age" ("is there an
#: age limit?"), which stemming would make it.
_FIELD_NAMES = frozenset({"ageing", "aging"})


#: Irregular verb forms met with their base ("Who made the final decision?" is "who makes ..."): a subset of
#: WordNet 3.0's exception list (verb.exc), reviewed by hand. Left out on purpose: forms that carry a
#: meaning of their own in the questions ("time spent in the Netherlands", "paid leave", "held", "left").
_IRREGULAR = {
    "made": "make",
    "sent": "send",
    "chose": "choose",
    "chosen": "choose",
    "wrote": "write",
    "written": "write",
    "submitted": "submit",
    "submitting": "submit",
    # "I found a listing that says ..." is not "founded", which stems to "found".
    "found": "find",
}


@functools.lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A light English stemmer: a few irregular verb forms, plural, -ing and -ed endings, and a final -e.

    Crude on purpose: it only has to map "evaluate", "evaluated" and "evaluating"
    to the same token on both sides of the match, not produce real words.
    """
    if not token.isalpha() or token in _FIELD_NAMES:
        return token
    token = _IRREGULAR.get(token, token)
    if len(token) > 4 and token.endswith("ies"):
        token = token[:-3] + "y"
    elif len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    if len(token) > 5 and token.endswith("ing"):
        token = token[:-3]
    elif len(token) > 4 and token.endswith("ied"):
        token = token[:-3] + "y"  # "applied" meets "apply", "studied" meets "study"
    elif len(token) > 4 and token.endswith("ed"):
        token = token[:-2]
    if len(token) > 3 and token.endswith("e"):
        # ... but never into a stop word, which would drop the word: "themes" is not "them".
        token = token if token[:-1] in STOP_WORDS else token[:-1]
    elif len(token) > 6 and token.endswith(("tion", "sion")):
        # "contribution" meets "contribute", "selection" meets "select".
        token = token[:-3]
    return token


#: Ordinals that may share the noun after the last of them: "the first and the last call".
ORDINAL_WORDS = frozenset({"first", "second", "third", "fourth", "fifth", "last", "final", "1st", "2nd", "3rd", "4th"})
_COORDINATORS = frozenset({"and", "or", "vs", "versus"})
_SMALL_NUMBERS = frozenset("123456789")
#: Inflectional endings: a known word with one of them is an unlisted form of it, not a typo.
_ENDINGS = ("ers", "er", "ed", "es", "s")


def share_head_noun(tokens: list[str]) -> list[str]:
    """Coordinated ordinals or small numbers with the noun given once get it each ("the first and the
    last call" reads "the first call and the last call", "calls 1 and 2" reads "call 1 and call 2"), so
    that a phrase such as "first call" or "call 2" is found for both."""
    out = list(tokens)
    # "calls 1 and 2" reads "call 1 and call 2" (small numbers only: "in 2016 and 2017" stays).
    position = 0
    while position < len(out) - 3:
        word, first, joiner, second = out[position : position + 4]
        if (
            not word.isdigit()
            and word not in STOP_WORDS
            and first in _SMALL_NUMBERS
            and joiner in _COORDINATORS
            and second in _SMALL_NUMBERS
        ):
            out.insert(position + 3, word)
            position += 3
            continue
        position += 1
    position = 0
    while position < len(out) - 3:
        if out[position] in ORDINAL_WORDS and out[position + 1] in _COORDINATORS:
            after = position + 2 + (out[position + 2] == "the")
            if (
                after + 1 < len(out)
                and out[after] in ORDINAL_WORDS
                and out[after + 1] not in STOP_WORDS
                and out[after + 1] not in ORDINAL_WORDS
            ):
                out.insert(position + 1, out[after + 1])
                position = after + 2
                continue
        position += 1
    return out


def content_terms(tokens: Iterable[str]) -> tuple[str, ...]:
    """The tokens that carry meaning (no stop words), each once, in order."""
    return tuple(dict.fromkeys(t for t in tokens if t not in STOP_WORDS))


class Analysis(NamedTuple):
    """A question as the matcher sees it."""

    normalized: str
    tokens: tuple[str, ...]
    terms: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...] = ()
    #: Terms that exist only because a typo was corrected: weaker evidence.
    corrected: frozenset[str] = frozenset()
    #: Terms that only set the scene of the question (the story around it): weaker evidence, and
    #: weaker evidence against an entry that lacks them.
    context: frozenset[str] = frozenset()


#: Words that name a call for applications without its number ("the round that opened in November 2017"),
#: as stemmed.
CALL_NOUNS = frozenset({"call", "round", "intak"})
#: Words that may stand between such a noun and the month that dates it ("the call that was open in",
#: "the round closing on", "the intake of"), as stemmed.
_DATING_LINKS = frozenset(
    {"that", "which", "was", "were", "is", "open", "clos", "ran", "runn", "run", "start", "end", "began", "in", "on",
     "of", "from", "until", "till", "at", "the", "by", "during", "deadline"}
)  # fmt: skip
_DAY = re.compile(r"[0-3]?\d(?:st|nd|rd|th)?")
#: The months' names and abbreviations that date a call, as stemmed (stemming keeps each of them but
#: "june", whose "jun" is there too): not "may", a stop word ("may I apply to the call in 2017?").
_MONTHS = {name: number for name, number in MONTHS.items() if name not in STOP_WORDS}
#: The seasons that date a call ("the spring 2017 round", "the autumn 2018 intake"), as stemmed, with
#: their months in the northern hemisphere (the programme's). Winter is taken as the year's first two
#: months and its last: "winter 2018" names a call only if one call alone was open in them.
_SEASONS: dict[str, tuple[int, ...]] = {
    stem("spring"): (3, 4, 5),
    stem("summer"): (6, 7, 8),
    stem("autumn"): (9, 10, 11),
    stem("fall"): (9, 10, 11),
    stem("winter"): (1, 2, 12),
}
#: The words that may date a call: without one, no call is named by its dates.
_PERIOD_WORDS = frozenset(_MONTHS) | frozenset(_SEASONS)
#: At most this many words between a call's noun and the month that dates it.
MAX_DATING_LINKS = 5


def _period_months(word: str) -> tuple[int, ...]:
    """The months a word names: a month's name or abbreviation, or a season; () for any other word."""
    month = _MONTHS.get(word)
    return (month,) if month else _SEASONS.get(word, ())


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit()


def _only_call(calls_per_month: Iterable[Iterable[str]]) -> str | None:
    """The one call open in the months given (each month's calls), or None for none or several."""
    calls = {call for calls in calls_per_month for call in calls}
    return calls.pop() if len(calls) == 1 else None


class TextAnalyzer:
    """Turns text into canonical tokens. Safe to share across threads: once built, its only state that
    changes is a cache of corrections, and a dict item assignment is atomic."""

    def __init__(
        self,
        synonyms: Iterable[tuple[str, Sequence[str]]] = (),
        vocabulary: Iterable[str] = (),
        *,
        phrases: dict[str, str] | None = None,
        call_months: Mapping[tuple[int, int], Collection[str]] | None = None,
    ) -> None:
        """`phrases` (from `phrase_table()` of an analyzer with the same synonyms, e.g. through the
        index cache) saves analysing every variant again. `call_months` ((year, month) -> the tokens of
        the calls open then: Programme.call_months) names the call that a month dates ("the round that
        opened in November 2017"), when only one was open then."""
        self._synonym_pairs = tuple((canonical, tuple(variants)) for canonical, variants in synonyms)
        self._call_months = {key: frozenset(tokens) for key, tokens in (call_months or {}).items()}
        #: month -> the calls open in it, in any year: what a month named without its year may name.
        self._calls_by_month: dict[int, set[str]] = {}
        for (_, month), tokens in self._call_months.items():
            self._calls_by_month.setdefault(month, set()).update(tokens)
        # Variant phrases as token tuples: matched longest first at each position, which
        # is quicker to set up than one large regular expression (start-up time matters).
        self._phrases: dict[tuple[str, ...], str] = {}
        if phrases is not None:
            self._phrases = {tuple(key.split()): canonical for key, canonical in phrases.items() if key.strip()}
        for canonical, variants in self._synonym_pairs if phrases is None else ():
            for variant in variants:
                key = tuple(t if t in STOP_WORDS else stem(t) for t in tokenize(variant))
                if key:
                    self._phrases[key] = canonical
        # For each first word, the phrase lengths that start with it, longest first.
        starts: dict[str, set[int]] = {}
        for key in self._phrases:
            starts.setdefault(key[0], set()).add(len(key))
        self._phrase_lengths = {word: sorted(lengths, reverse=True) for word, lengths in starts.items()}
        self._vocabulary = frozenset(vocabulary)
        self._by_initial: dict[str, list[str]] | None = None
        self._corrections: dict[str, str] = {}

    def phrase_table(self) -> dict[str, str]:
        """The synonym variants as analysed (their tokens joined by spaces) -> canonical word."""
        return {" ".join(key): canonical for key, canonical in self._phrases.items()}

    def with_vocabulary(self, vocabulary: Iterable[str]) -> TextAnalyzer:
        """A copy of this analyzer that corrects typos towards `vocabulary` (the synonym phrases
        already analysed are reused)."""
        return TextAnalyzer(self._synonym_pairs, vocabulary, phrases=self.phrase_table(), call_months=self._call_months)

    def surface_tokens(self, text: str) -> list[str]:
        """Words as written and as stemmed, before synonyms: what typos are corrected towards."""
        words = tokenize(text)
        return words + [stem(t) for t in words]

    def _candidates_for(self, token: str) -> list[str]:
        """The vocabulary words a typo of `token` may be corrected to: those with its first letter.

        A typo rarely changes the first letter, and searching one letter's words instead of all is
        what keeps indexing a large knowledge base (whose example questions are corrected too) fast.
        Built on first use, sorted so that corrections are deterministic on ties.
        """
        if self._by_initial is None:
            groups: dict[str, list[str]] = {}
            for word in sorted(self._vocabulary):
                groups.setdefault(word[:1], []).append(word)
            self._by_initial = groups
        return self._by_initial.get(token[:1], [])

    def _canonical(self, tokens: list[str]) -> list[str]:
        """Replace synonym phrases (longest first) and single words by their canonical word."""
        if self._call_months and not CALL_NOUNS.isdisjoint(tokens) and not _PERIOD_WORDS.isdisjoint(tokens):
            tokens = self._name_dated_calls(tokens)
        ordinals = not ORDINAL_WORDS.isdisjoint(tokens)
        if ordinals or not _SMALL_NUMBERS.isdisjoint(tokens):
            tokens = share_head_noun(tokens)
        if ordinals:  # sharing a noun adds none: no ordinal, no bare one to name
            tokens = self._name_bare_ordinals(tokens)
        out: list[str] = []
        position, count = 0, len(tokens)
        while position < count:
            token = tokens[position]
            for length in self._phrase_lengths.get(token, ()):
                canonical = self._phrases.get(tuple(tokens[position : position + length]))
                if canonical is not None:
                    out.append(canonical)
                    position += length
                    break
            else:
                out.append(token)
                position += 1
        return out

    def _name_dated_calls(self, tokens: list[str]) -> list[str]:
        """A call named by a month or season it was open in, instead of its number, reads as that call:
        "the November 2017 call", "the round that opened in nov 2017", "the call closing in January 2018",
        "the spring 2017 round", and without a year "the round that closes in January" when one call
        alone was open in that month. A month with no call's noun beside it stays a date ("my PhD was in
        November 2017")."""
        out = list(tokens)
        position = 0
        while position < len(out):
            call, span = self._date_at(out, position)
            if call is None:
                position += 1
                continue
            after = position + span
            if (
                after < len(out)
                and out[after] in CALL_NOUNS
                and not (after + 1 < len(out) and out[after + 1].isdigit())
            ):
                out[position : after + 1] = [call]  # "the November 2017 call"
                continue
            start = position - 1
            if start >= 0 and _DAY.fullmatch(out[start]):
                start -= 1  # "the round closing on 31 October 2018"
            while start >= 0 and out[start] in _DATING_LINKS and position - start <= MAX_DATING_LINKS:
                start -= 1
            if (
                start >= 0
                and start < position - 1
                and out[start] in CALL_NOUNS
                # ... and the noun does not name its call already: "the last call, the autumn 2018 one"
                and not (start > 0 and out[start - 1] in ORDINAL_WORDS)
                and not out[start + 1].isdigit()
                # ... nor dates it by a year that a month alone would contradict: "the 2018 round closed
                # on 31 December" is no call (December 2018), not Call 2 (December 2017)
                and not (span == 1 and start > 0 and _is_year(out[start - 1]))
            ):
                out[start : position + span] = [call]  # "the round that opened in November 2017"
                position = start + 1
                continue
            position += 1
        return out

    def _date_at(self, words: list[str], position: int) -> tuple[str | None, int]:
        """The call that the month or season at `position` names, with its year beside it ("November
        2017", "spring 2017", "the fall of 2018") or alone ("January"), and how many words that takes;
        (None, 0) if none."""
        word, rest = words[position], len(words) - position - 1
        if rest:
            call = self._dated_call(word, words[position + 1])
            if call is not None:
                return call, 2
            if rest > 1 and words[position + 1] == "of":
                call = self._dated_call(word, words[position + 2])
                if call is not None:
                    return call, 3  # "the fall of 2018"
            if _is_year(words[position + 1]):
                return None, 0  # a month of a year in which no call was open names none
        if position and _is_year(words[position - 1]):
            return None, 0  # "2019 january": a year before the month dates it too
        call = _only_call(self._calls_by_month.get(month, ()) for month in _period_months(word))
        return (call, 1) if call is not None else (None, 0)

    def _dated_call(self, word: str, year: str) -> str | None:
        """The call that a month or season with its year after it names ("November 2017", "spring 2017"):
        None for other words, and for a time in which no call or more than one was open. A year before
        the month ("the 2017 spring round") is left to the synonym table: read here, it cost a held-out
        batch a right answer."""
        if not _is_year(year):
            return None
        return _only_call(self._call_months.get((int(year), month), ()) for month in _period_months(word))

    def _name_bare_ordinals(self, tokens: list[str]) -> list[str]:
        """An ordinal without a noun after it ("Which call had more places, the second or the third?")
        takes a noun of the same message with which it forms a synonym phrase ("second call")."""
        nouns = [t for t in tokens if t not in STOP_WORDS and t not in ORDINAL_WORDS and t not in _COORDINATORS]
        out = list(tokens)
        taken: set[str] = set()
        for position, token in enumerate(tokens):
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if token in ORDINAL_WORDS and (following is None or following in STOP_WORDS or following in ORDINAL_WORDS):
                found = next(((n, c) for n in nouns if (c := self._phrases.get((token, n))) is not None), None)
                if found is not None:
                    taken.add(found[0])
                    out[position] = found[1]
        # The noun the ordinals took ("call" in "which call ..., the second or the third?") is now part of
        # what they name, not a word of its own.
        return [t for t in out if t not in taken] if taken else out

    def synonym_vocabulary(self) -> set[str]:
        words: set[str] = set()
        for _, variants in self._synonym_pairs:
            for variant in variants:
                words.update(self.surface_tokens(variant))
        return words

    def _correct(self, token: str) -> str:
        """`token`, or the vocabulary word it is a typo of (remembered: indexing meets the same ones)."""
        found = self._corrections.get(token)
        if found is None:
            found = self._find_correction(token)
            if len(self._corrections) < MAX_REMEMBERED_CORRECTIONS:
                self._corrections[token] = found
        return found

    def _find_correction(self, token: str) -> str:
        if not token.isalpha() or token in self._vocabulary or token in STOP_WORDS or not self._vocabulary:
            return token
        if self._is_inflection(token):
            return token  # "funders", "shortlisted": a known word with an ending, not a typo
        # Real English words never get here (see analyze), so a short unknown word is most likely
        # a typo ("cal", "mny"); but the shortest are too easy to reach by accident.
        if len(token) < MIN_CORRECTED_LENGTH:
            return token
        # One edit for short words, two for longer ones: "rankng", "reserch", "europ".
        max_edits = 1 if len(token) <= 6 else 2
        found = process.extract(
            token,
            self._candidates_for(token),
            scorer=OSA.distance,
            score_cutoff=max_edits,
            limit=None,
        )
        if not found:
            return self._unclipped(token)
        # Two letters swapped count as one edit (OSA distance), and of the words as near, one with the
        # typo's own letters wins: a swap is the commonest slip ("contarct" is "contract", not "contact").
        # Then the one reached by a letter left out or doubled rather than changed ("leter" is "letter",
        # not "later"); then the one that begins as the typo does, since slips come later in a word more
        # often ("selction" is "selection", not "section").
        letters = sorted(token)
        candidate = min(
            found,
            key=lambda hit: (
                hit[1],
                sorted(hit[0]) != letters,
                Indel.distance(token, hit[0]),
                -Prefix.similarity(token, hit[0]),  # the letters they share at their start
                hit[2],
            ),
        )[0]
        # Short vocabulary words ("erc", "eu") are too easy to reach by accident; but two letters of a
        # short stop word swapped ("teh", "adn") are that word, whose slip would count against every entry.
        if len(candidate) < 4 and not (candidate in STOP_WORDS and sorted(candidate) == letters):
            return token
        return candidate

    def _unclipped(self, token: str) -> str:
        """The one vocabulary word that `token` is the start of ("nanotech" for "nanotechnology"), or
        `token`: people clip long words. With several such words, the shortest when it begins all the
        others (a word and its inflected forms); else which was meant is unclear."""
        if len(token) < MIN_CLIPPED_LENGTH:
            return token
        longer = [word for word in self._candidates_for(token) if word.startswith(token)]
        if not longer:
            return token
        shortest = min(longer, key=len)
        return shortest if all(word.startswith(shortest) for word in longer) else token

    def _is_inflection(self, token: str) -> bool:
        """Whether `token` is a word of the knowledge base with an inflectional ending ("fund" + "ers",
        "shortlist" + "ed"): an unlisted form, not a typo ("postions" is no "post" + anything). Not "-ing":
        "runing" is more likely "running" than "run" + "ing"."""
        for ending in _ENDINGS:
            base = token[: -len(ending)]
            if token.endswith(ending) and len(base) >= 4 and base in self._vocabulary:
                return True
        return False

    def index_terms(self, text: str, *, limit: int | None = MAX_QUERY_CHARS) -> tuple[list[str], tuple[str, ...]]:
        """The words of `text` as written and its content terms, as `analyze` gives them when
        no typo is corrected, without building an Analysis: indexing does this for every
        example question, so it is the costly part of loading a large knowledge base."""
        raw = tokenize(text[:limit])
        return raw, content_terms(self._canonical([t if t in STOP_WORDS else stem(t) for t in raw]))

    def analyze(self, text: str) -> Analysis:
        """Analyse `text` (cut to MAX_QUERY_CHARS) into canonical tokens and content terms."""
        return self.analyze_words(tokenize(text[:MAX_QUERY_CHARS]))

    def analyze_words(self, raw: Sequence[str]) -> Analysis:
        """`analyze` for text already split into words by `tokenize`."""
        tokens: list[str] = []
        corrections: list[tuple[str, str]] = []
        corrected_as: dict[str, str] = {}  # a typo repeated is looked up once
        for token in raw:
            if token in STOP_WORDS:
                # Stop words are left unstemmed, so "does" stays "does" (not "doe").
                tokens.append(token)
                continue
            stemmed = stem(token)
            # A word neither known as written nor English is taken for a typo, even when its stem
            # is known: "postions" stems to "post".
            if self._vocabulary and token not in self._vocabulary and not is_english_word(token):
                # Correct the word as typed ("rankng" -> "ranking"), then stem the result.
                replacement = corrected_as.get(token)
                if replacement is None:
                    replacement = corrected_as[token] = self._correct(token)
                    if replacement != token:
                        corrections.append((token, replacement))
                if replacement in STOP_WORDS:  # "som" is "some", a stop word: left unstemmed, as above
                    tokens.append(replacement)
                    continue
                if replacement != token:
                    stemmed = stem(replacement)
            tokens.append(stemmed)
        canonical = tuple(self._canonical(tokens))
        return Analysis(
            normalized=" ".join(raw),
            tokens=canonical,
            terms=content_terms(canonical),
            corrections=tuple(corrections),
            # The terms that corrections made (a stop word makes none: it is dropped).
            corrected=frozenset(
                self._phrases.get((stem(to),), stem(to)) for _, to in corrections if to not in STOP_WORDS
            ),
        )
