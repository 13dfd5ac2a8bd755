"""The facts an applicant gives about themself, read from their own words, rule-based.

Dates as people write them (advisor.dates), durations, the host country's places, the PhD,
children and leave. What counts as "in the host country", which calls exist and which words
name the programme come from the knowledge folder's rule set (advisor.eligibility_rules);
the rest is English, the same for every programme.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import NamedTuple

from .dates import (
    MONTHS,
    DateSpan,
    MonthOnly,
    Period,
    Range,
    describe,
    find_dates,
    find_ranges,
    format_date,
    months_between,
    parse_months,
    say_months,
    until_now,
    with_year,
)
from .eligibility_rules import RuleSet, default_rules
from .months import MONTH_NAMES
from .normalize import fold
from .stop_words import STOP_WORDS

#: "eligible" and its common misspellings (elegible, eligable, eligble, elligible, eligibel).
_ELIGIBLE = r"el{1,2}[ei]g[iae]?b(?:le|el)"
# "Eligible?", "eligibility?", "would I qualify" count as personal when the message holds personal facts.
_ELIGIBILITY_WORD = re.compile(r"\b(" + _ELIGIBLE + r"|el{1,2}[ei]g[iae]?bi?li?ty|qualify|qualified)\b")
_PERSONAL = re.compile(
    r"\b(i|my|me|i'm|i've|i'd)\b|(^|[.!?:;,-]\s*)(and |so )?(" + _ELIGIBLE + r"|el{1,2}[ei]g[iae]?bi?li?ty)\s*\?"
)
_TRIGGER = re.compile(
    r"\b(am i|would i|was i|will i|could i|would we|are we|is (she|he|my \w+))( still)?( have)?( been| be)?"
    r"( still)?\s+" + _ELIGIBLE + r"\b"
    r"|\bcheck(ing)? (my|our|(if|whether) (i'?m|i (am|was|were|would (have )?been))) (eligib|qualif)"
    r"|\bdo(es)? (i|my \w+) (still )?qualify\b|\bmy eligibility\b|\bam i allowed to apply\b"
    # "Could I have applied?", "tell me if I could have applied": asked in the past tense of a programme
    # that has ended, as personal as "am I eligible?".
    r"|\b(could i|would i|if i could|if i would|whether i could) have (been able to )?(applied|apply)\b"
    r"|\b(would i|if i would|whether i would) have qualified\b"
    # "eligibility check?" asks for one; "the eligibility check" (the office's) is a step of the selection.
    # The words first, then what may not stand before them: the lookbehinds are tried only where the words are.
    r"|\b(?=eligibility check\b)"
    r"(?<!the )(?<!passed )(?<!pass )(?<!passing )(?<!failed )(?<!formal )(?<!initial )(?<!first )(?<!office's )"
    r"eligibility check\b"
)
_CAN_APPLY = re.compile(
    r"\b(can|could|may|might|should) (i|she|he|my \w+) (still )?(have )?(apply|applied"
    # "Could I still go for the call with the January 2018 deadline?": applying, in other words.
    r"|go for|gone for|try for|tried for|compete|competed|submit|submitted)\b|\bcould i have applied\b"
)
#: "Is that a problem?", "would that rule me out?": asked after facts of the applicant's own, these ask
#: whether the applicant was eligible as surely as "can I apply?" does.
# Every alternative starts at a word's start, at the text's start or at a sentence's end, with one of a few
# words: the guards in front say so once, where the engine would otherwise try each alternative at every
# word's start (the second guard made the search three times faster; a guard's word may be only the start
# of an alternative's: "wo" for "would", "count" for "counted").
_WOULD_IT_MATTER = re.compile(
    r"(?:\b|^|(?=[.?!;]))"
    r"(?=[.?!;]|is|was|wo|wi|problem|count|held|does|did|exclude|disqualif|block|stop|rule|kill|hurt|harm|ruin"
    r"|damag|jeopardi|endanger|affect|sink|invalidat|am|too|still|possible|ok|fine|allowed|or|open|available)(?:"
    r"\b(is|was|would|will) (that|this|it) (be )?(a )?problem\b|\bproblem for me\b"
    r"|\b(count|counts|counted|held) against me\b|\b(does|did|would|will) (that|this|it) (still )?(count|matter)\b"
    r"|\b(exclude|excludes|excluded|disqualify|disqualifies|disqualified|block|blocks|stop|stops|rule) me\b"
    # "will that kill my application?", "could it hurt my chances?": the same worry, said of the application.
    r"|\b(kill|kills|hurt|hurts|harm|harms|ruin|ruins|damage|damages|jeopardi[sz]e|jeopardi[sz]es|endanger|endangers|affect"
    r"|affects|sink|sinks|invalidate|invalidates) (my|her|his) ([\w-]+ )?(application|chances?|eligibility|candidacy)\b"
    r"|\b(is|was|would|will) (that|this|it) (be )?(an )?(issue|obstacle|dealbreaker|deal breaker)\b"
    r"|\bam i (already )?(over|above|under|within) the (limit|maximum|max)\b"
    r"|\b(is|was) (that|this|it|my \w+) too (much|long|many|old|recent|late|early)\b|\btoo (much|long|many) time\b"
    # "Is call 2 still possible for me?", "it is ok for second call or too late"
    r"|\b(still )?(possible|ok|okay|fine|allowed) for (me|her|him|them)\b|\bor too late\b"
    # "I was in <a city there> for 9 months in 2017. OK for call 2?", "... Is that ok for call 2?": after
    # facts of the writer's own, the same.
    r"|(?:^|[.?!;]\s*|\b(?:is|was|would) (?:that|this|it) (?:be )?)(?:still )?(?:ok|okay|fine|possible) for (?:the )?"
    r"(?:(?:first|second|third|last|final|1st|2nd|3rd) )?(?:call|round)\b"
    # "Is it possible I apply still to call 2?", "is it still possible for me to apply?"
    r"|\bis it (still )?possible (for me )?(that |to )?(i )?(still )?apply\b"
    # "Was call 2 open to me?": open to someone is whether they could apply, not when it was open.
    r"|\b(open|available) (to|for) (me|her|him|them|someone like me|people like me)\b"
    r")"
)
#: "By when should I have been told whether I was eligible?": when the outcome of the formal check came, not
#: whether the writer was eligible.
_WHEN_TOLD = re.compile(
    r"\b(?:when|what date|which date|how soon|how long)\b[^.?!]*?\b(?:told|informed|notified|hear|heard|know|known"
    r"|learn|learnt|learned|find out|found out)\s+(?:whether|if)\b[^.?!]*?\b" + _ELIGIBLE + r"\b"
)
_ALL_CALLS = re.compile(
    r"\b(all|any|every)\b[\w ]*\bcalls?\b|^\s*all( of them)?\W*$"
    # "Which call was open to me?": asked of every call.
    r"|\bwhich\s+(?:\w+\s+)?(?:call|round)s?\b(?=[\w\s]*\b(?:me|i|my)\b)"
)
#: How a call's number may be written, in words ("the second call", "call two").
ORDINALS = {
    1: ("first", "1st", "one"), 2: ("second", "2nd", "two"), 3: ("third", "3rd", "three"),
    4: ("fourth", "4th", "four"), 5: ("fifth", "5th", "five"), 6: ("sixth", "6th", "six"),
    7: ("seventh", "7th", "seven"), 8: ("eighth", "8th", "eight"), 9: ("ninth", "9th", "nine"),
    10: ("tenth", "10th", "ten"),
}  # fmt: skip
# Not "a PhD student in 2016" or "a doctoral candidate": being one says nothing of when the PhD was obtained.
_PHD_WORDS = re.compile(
    r"\b(phd|ph\.d|ph d|doctorate|doctoral|defen[cs]e|defend\w*|graduat\w*|thesis|promotion|dissertation|"
    r"degree|viva|doctor|doktor\w*|promotie|promov\w*|verteidig\w*|disputation)\b(?!\s+(?:students?|candidates?|researchers?|positions?|fellows?)\b)"
)
_NEVER_NL = re.compile(
    r"\b(never|not once|not at all|haven'?t|have not|hadn'?t|had not|didn'?t|did not|no time)\b"
    r"|\b(0|zero) (months|days|time)\b|^\s*(no|none|nope|not really)\W*$"
)
# Unasked, a "never" is about having been there only beside a verb of being there ("I have never lived
# in <the country>", "didn't spend any time there"), not "I never had a job there".
_NEVER_THERE = re.compile(
    r"\b(never|not once|haven'?t|have not|hadn'?t|had not|didn'?t|did not)\s+(?:\w+\s+){0,2}?"
    r"(lived?|been|stay(ed)?|resided?|worked|spen[dt]|set foot|visited|was|were)\b"
    r"|\b(never|not once)\s+(in|to|there)\b|\bno time\b|\b(0|zero) (months|days|time)\b"
)
# "I've lived in Spain the whole time", "I have always worked in Canada": all the time in one place. Elsewhere
# (the place named is not in the host country), so none there; or there: "I've lived in <a city there> all my
# life" (see _all_along_elsewhere and _all_along_there).
_ALL_ALONG = re.compile(
    r"\b(?:lived|live|living|been|stayed|worked|working|based)\s+(?:in|at)\s+(?P<where>[a-z][\w -]{1,30}?)\s+"
    r"(?:the whole time|all the time|all along|the entire time|the whole period|all my life|my whole life)\b"
    r"|\balways\s+(?:lived|been|stayed|worked|been based)\s+(?:in|at)\s+(?P<always>[a-z][\w-]{1,30})"
)
_NONE = re.compile(
    r"^\s*(no|none|nope|never|nothing|n/a|na|not applicable|neither|no extensions?)\b"
    r"|\bno extensions?\b|\bnone of (them|these|those)\b|\bnone (apply|applies|applied)\b"
)
_CHILDREN = re.compile(
    r"\b(?P<n>\d+|one|two|three|four|five|a|an)\s+(child|children|kids?|bab(?:y|ies)|sons?|daughters?|twins)\b"
    r"|\b(had|have|got)\s+(a\s+)?(child|baby|kid|son|daughter|twins)\b"
    # A pregnancy of the writer's ("I was pregnant", "my pregnancy"), not the rule's ("like the one for
    # pregnancy", "the pregnancy extension").
    r"|\bgave birth\b|\b(?<!for )(?<!the )(?<!a )pregnan(t|cy|cies)\b(?! extension)|\bbecame a (mother|father|parent)"
)
_TWINS = re.compile(r"\btwins\b")
_NO_CHILDREN = re.compile(r"\bno (children|kids|child|baby|babies)\b")
_PARENTAL = re.compile(r"\b(parental|maternity|paternity)( leave)?\b")
_MEDICAL = re.compile(
    r"\bmedical[- ]specialist|\bresidency\b|\bspeciali[sz]ation( training)?\b|\bspecialist training\b"
)
_MILITARY = re.compile(r"\b(military|army|navy|air force|conscript\w*|reserve duty|national service|civil service)\b")
_SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "an": 1}


class Vocabulary:
    """The patterns that depend on a rule set: its calls, its host country's places, its programme's names."""

    def __init__(self, rules: RuleSet) -> None:
        numbers = rules.call_numbers
        self.words = {w: n for n in numbers for w in ORDINALS.get(n, ())}
        self.words.update({"final": numbers[-1], "last": numbers[-1]})
        digits = _alternatives(str(n) for n in numbers)
        ordinals = _alternatives(w for n in numbers for w in ORDINALS.get(n, ())[:2])
        cardinals = _alternatives(ORDINALS[n][2] for n in numbers if n in ORDINALS)
        # "call 2", "call-2", "round 2", "the second call", "the second <programme> round", "call two".
        noun = r"(?:call|round|intake)"
        named = rf"(?:(?:{_alternatives(rules.programme_words)})\s+)?" if rules.programme_words else ""
        self.call = re.compile(
            rf"\b(?:{noun}[\s-]*(?:no\.?\s*|number\s*|#)?(?P<n>{digits})\b|(?P<w>{ordinals}|final|last)\s+{named}{noun}"
            + (rf"|{noun}\s+(?P<x>{cardinals})\b)" if cardinals else ")")
        )
        bare = [str(n) for n in numbers] + [w for w in self.words if w != "final"]
        self.bare_call = re.compile(rf"\s*(the\s+)?(?P<n>{_alternatives(bare)})(\s+one)?\W*")
        # "both": the two checkable calls, when there are two ("calls 1 and 2" too).
        pair = tuple(rules.calls) if len(rules.calls) == 2 else ()
        self.both = pair
        both = rf"|\bcalls? {pair[0]} (and|or|&) {pair[1]}\b" if pair else ""
        self.both_calls = re.compile(rf"\b(both|either)\b[\w ]*\bcalls?\b{both}|^\s*(both|either)\W*$")
        places = _alternatives(rules.places)
        self.place = re.compile(rf"\b({places})\b")
        # "My sister is Dutch", "a Dutch citizen": a place word naming a nationality, not a stay there.
        self.nationality = re.compile(
            rf"\b(?:am|is|are|was|were|be|im|i'm)\s+(?:also\s+|a\s+|half\s+)?(?:{places})\b(?!\s+(?:based|resident))"
            rf"|\b(?:{places})\s+(?:citizens?|citizenship|nationals?|nationality|passports?|by birth|guys?|m[ae]n"
            rf"|wom[ae]n|girls?|persons?|people|husband|wife|partner|parents?|mother|father|family|colleagues?|friends?)\b"
        )
        # "Am I eligible for a Veni grant / the 30% ruling?": another scheme than the programme's calls
        # (unless the programme is named too: "eligible for a <programme> fellowship").
        names = _alternatives(rules.programme_words)
        named = f"{names}|" if names else ""
        firsts = _alternatives(ORDINALS[n][0] for n in numbers if n in ORDINALS)
        self.about_the_programme = re.compile(rf"\b({named}call ({digits})|({firsts}) call)\b")
        self.other_scheme = re.compile(
            r"\b(?:eligib\w*|qualify|apply)\s+(?:for|to)\s+"
            rf"(?!(?:the |a |an |this |that )?(?:{named}call|programme|program|fellowship|postdoc|position)\b)"
            r"(?:[\w'%-]+\s+){0,6}?(?:grants?|scholarships?|ruling|schemes?|awards?|prizes?|visas?|permits?|allowances?"
            r"|benefits?|loans?|subsid(?:y|ies)|facility|fellowships?)\b"
        )


def _alternatives(words: object) -> str:
    """A regular-expression alternation of `words`, longest first (so that "the hague" beats "hague")."""
    unique = dict.fromkeys(words)  # type: ignore[call-overload]
    return "|".join(re.escape(w) for w in sorted(unique, key=len, reverse=True))


@functools.lru_cache(maxsize=16)
def vocabulary(rules: RuleSet) -> Vocabulary:
    """The patterns of `rules`, built once per rule set."""
    return Vocabulary(rules)


class Facts(NamedTuple):
    """What the applicant has told us so far; None or empty means not known yet."""

    calls: tuple[int, ...] = ()
    phd: Period | None = None
    phd_month_only: MonthOnly | None = None
    nl_stays: tuple[tuple[Period, Period], ...] = ()
    nl_months: float | None = None  # a total without dates
    nl_never: bool = False
    children: int | None = None
    children_before_phd: bool = False
    parental_months: float | None = None
    medical_years: float | None = None
    military_months: float | None = None
    extensions_answered: bool = False
    day_first_note: str = ""

    def merged(self, newer: Facts) -> Facts:
        """These facts updated with `newer`, which wins wherever it says something."""
        values = {}
        for name in Facts._fields:
            value = getattr(newer, name)
            # Not `value in (None, (), False, "")`: 0 == False, and "no children" (0) is said, not unsaid.
            unsaid = value is None or value is False or value == () or value == ""
            values[name] = getattr(self, name) if unsaid else value
        if self.phd_month_only is not None and newer.phd is not None and newer.phd.precision == "year":
            # "in June", then "2015": June 2015
            values["phd"] = with_year(self.phd_month_only, newer.phd.first.year)
            values["phd_month_only"] = None
        elif newer.phd is not None:
            values["phd_month_only"] = None
        if newer.nl_stays:  # dates add up, and replace a total given before
            values["nl_stays"] = self.nl_stays + newer.nl_stays
            values["nl_months"] = newer.nl_months
        elif newer.nl_months is not None:  # a new total replaces what was said before
            values["nl_stays"] = ()
        if newer.nl_stays or newer.nl_months is not None:
            values["nl_never"] = False
        elif newer.nl_never:
            values["nl_stays"], values["nl_months"] = (), None
        return Facts(**values)

    @property
    def concrete(self) -> bool:
        """Whether anything usable for the check was said."""
        return self != Facts()

    def summary(self, rules: RuleSet | None = None) -> str:
        """What was understood, so that a misreading shows at once (in the words of `rules`, by default
        the bundled knowledge base's)."""
        rules = rules or default_rules()
        country = rules.country
        parts = []
        if self.calls:
            parts.append(" and ".join(f"Call {c}" for c in self.calls))
        if self.phd is not None:
            parts.append(f"PhD {describe(self.phd)}")
        elif self.phd_month_only is not None:
            parts.append(f"PhD in {self.phd_month_only.text.capitalize()} (year not given)")
        if self.nl_never:
            parts.append(f"no time in {country}")
        for begin, finish in self.nl_stays:
            end = "now" if finish.is_now else describe(finish)
            start = "all along" if begin == _ALWAYS else f"from {describe(begin)}"
            parts.append(f"in {country} {start} to {end}")
        if self.nl_months is not None:
            parts.append(f"{say_time(self.nl_months, rules)} in {country}")
        if self.children:
            parts.append(f"{self.children} child{'ren' if self.children > 1 else ''}")
        if self.parental_months:
            parts.append(f"{say_months(self.parental_months)} of parental leave")
        if self.medical_years:
            parts.append(f"{self.medical_years:g} years of medical-specialist training")
        if self.military_months:
            parts.append(f"{say_months(self.military_months)} of military service")
        if self.extensions_answered and not (
            self.children or self.parental_months or self.medical_years or self.military_months
        ):
            parts.append("no extensions")
        return "; ".join(parts)


def say_time(months: float, rules: RuleSet) -> str:
    """A time in the host country as people say it; to one decimal only near a call's limit."""
    return say_months(months, exact=near_limit(months, rules))


def near_limit(months: float, rules: RuleSet) -> bool:
    """Whether a figure is close enough to a call's limit on time in the host country that its decimal matters."""
    return any(call.max_months - 1 <= months <= call.max_months + 1 for call in rules.calls.values())


def names_another_scheme(folded: str, rules: RuleSet) -> bool:
    """Whether a (folded) message asks about being eligible for another scheme than the programme's calls
    ("Would I qualify for an ERC starting grant ...?")."""
    words = vocabulary(rules)
    return bool(words.other_scheme.search(folded)) and not words.about_the_programme.search(folded)


def asks_when_told(folded: str) -> bool:
    """Whether the message asks when the writer was (or would have been) told whether they were eligible:
    a question on the formal check's dates, however personal the story around it."""
    return _WHEN_TOLD.search(folded) is not None


def is_eligibility_question(text: str, rules: RuleSet | None = None) -> bool:
    """A first-person "am I eligible?", or "can I apply ...?" with a date of the applicant's.

    Questions about the rules themselves ("What are the eligibility requirements?")
    are not: the knowledge base answers those.
    """
    rules = rules or default_rules()
    folded = fold(text)
    if names_another_scheme(folded, rules) or asks_when_told(folded):
        return False
    if _TRIGGER.search(folded):
        return True
    if _ELIGIBILITY_WORD.search(folded) and _PERSONAL.search(folded):
        # "Call 2: I got my PhD in 2016 ... Eligible?": the facts make it personal.
        about_me = extract_facts(text, rules)._replace(calls=(), day_first_note="")
        if about_me.concrete:
            return True
    if _WOULD_IT_MATTER.search(folded) and _PERSONAL.search(folded):
        # "I lived in the Netherlands for 14 months, can I still apply?", "I have worked in <a city there> since
        # 2016; is that a problem?": facts of the applicant's own make the question personal.
        # Only the facts of the rules themselves (the PhD date, time in the country): "I had a baby in
        # 2015, does that count?" asks about the extensions, which the knowledge base answers.
        about_me = extract_facts(text, rules)
        if about_me.phd or about_me.phd_month_only or about_me.nl_stays or about_me.nl_months is not None:
            return True
    # "Can I apply with a PhD from 2013?" is personal; "Can I apply in 2025?" asks whether a call is open.
    return (
        bool(_CAN_APPLY.search(folded))
        and bool(_PHD_WORDS.search(folded))
        and any(isinstance(d.value, Period) for d in find_dates(folded))
    )


def _calls(folded: str, words: Vocabulary, rules: RuleSet, *, answering: bool) -> tuple[int, ...]:
    if words.both and words.both_calls.search(folded):
        return words.both
    if _ALL_CALLS.search(folded):
        return rules.call_numbers
    found: list[int] = []
    for match in words.call.finditer(folded):
        number = match.group("n") or match.group("w") or match.group("x")
        value = int(number) if number.isdigit() else words.words[number]
        if value not in found:
            found.append(value)
    if not found and answering:
        bare = words.bare_call.fullmatch(folded)
        if bare:
            n = bare.group("n")
            found = [int(n) if n.isdigit() else words.words[n]]
        else:
            found = _call_by_month(folded, rules)
    return tuple(found)


def _call_by_month(folded: str, rules: RuleSet) -> list[int]:
    """The one call a reply names by a month it was open in ("the one that closed in January"), if any."""
    asked = {number for number, name in enumerate(MONTH_NAMES) if name and re.search(rf"\b{name.lower()}\b", folded)}
    if not asked:
        return []
    matching = []
    for number, call in rules.calls.items():
        months = {n for n, name in enumerate(MONTH_NAMES) if name and name.lower() in call.open.lower()}
        if asked & (months | {call.deadline.month}):
            matching.append(number)
    return matching if len(matching) == 1 else []


_SENTENCE_BREAK = re.compile(r"[.?!;]\s")


def _same_sentence(folded: str, first: int, second: int) -> bool:
    """Whether nothing ends a sentence between two positions of `folded`."""
    low, high = sorted((first, second))
    return _SENTENCE_BREAK.search(folded, low, high) is None


def extract_facts(
    text: str, rules: RuleSet | None = None, *, asked: str | None = None, today: date | None = None
) -> Facts:
    """The facts stated in one message, read with `rules` (by default the bundled knowledge base's).
    `asked` is what was last asked for: it decides what a bare answer means."""
    rules = rules or default_rules()
    words = vocabulary(rules)
    place = words.place
    # A nationality ("I'm Dutch", "a Dutch guy") is blanked out (keeping every position): it is no place.
    folded = words.nationality.sub(lambda found: " " * len(found.group()), fold(text))
    today = today or date.today()
    facts: dict[str, object] = {"calls": _calls(folded, words, rules, answering=asked == "call")}
    dates = find_dates(folded)
    ranges = find_ranges(folded, today=today, dates=dates)
    answering_nl = asked in ("nl", "nl_dates")  # a reply to the question about time in the host country
    in_nl = bool(place.search(folded)) or answering_nl
    phd_words = [m.start() for m in _PHD_WORDS.finditer(folded)]
    # A range is time in the host country when the message is about that; a PhD's own
    # range ("my PhD from 2010 to 2014") only when it names a place there.
    ranges += _moves_here(folded, place, dates, ranges, today)
    phd_ranges = [r for r in ranges if _about_phd(folded, r.start, phd_words)]
    stays = [r for r in ranges if in_nl and _stay_there(folded, r, place, phd=r in phd_ranges, answering=answering_nl)]
    # The dates of a stay, or of any other range but the PhD's own ("in Canada since 2009"), are not the PhD's.
    taken = [(r.start, r.end) for r in ranges if r not in phd_ranges]
    free = [d for d in dates if not any(a <= d.start < b for a, b in taken)]
    # The PhD date: the first date after a word about the PhD (else the first date),
    # when the message is about the PhD or that is what was asked.
    dated = [d for d in free if not _dates_something_else(folded, d.start, place)]
    if phd_words and asked not in ("phd", "phd_year"):
        # "I did my PhD in Groningen. When was the first call open in 2017?": a date in another sentence
        # than every word about the PhD dates something else.
        dated = [d for d in dated if any(_same_sentence(folded, p, d.start) for p in phd_words)]
    if (phd_words or asked in ("phd", "phd_year")) and dated:
        after = [d for d in dated if phd_words and d.start > phd_words[0]]
        found = (after or dated)[0]
        phd_range = next((r for r in phd_ranges if r.start <= found.start < r.end), None)
        value = phd_range.finish if phd_range else found.value  # "my PhD from 2010 to 2014" ended in 2014
        if phd_range is not None and isinstance(value, Period) and value.is_now:
            pass  # "doing my PhD since 2014": still going on, so no PhD date yet (the check asks for it)
        elif isinstance(value, MonthOnly):
            facts["phd_month_only"] = value
        else:
            facts["phd"] = value
            if value.day_first_numeric:
                facts["day_first_note"] = (
                    f"I read {value.text} as {format_date(value.first)} (day first, as in Europe)."
                )
    elif asked == "phd_year":
        year = re.search(r"\b(19|20)\d\d\b", folded)
        if year:
            facts["phd"] = Period(date(int(year.group()), 1, 1), date(int(year.group()), 12, 31), year.group(), "year")
    # Time in the host country.
    told = [_told_length(folded, r) for r in stays]
    if stays and all(length is not None for length in told):
        # "between 2015 and 2017 ..., adding up to about 4 months": each range says when, and the
        # time said is how long; the time is what the rule counts (at most that much fell in it).
        facts["nl_months"] = sum(length for length in told if length is not None)
    elif stays:
        facts["nl_stays"] = tuple((r.begin, r.finish) for r in stays)
    elif in_nl:
        months = _months_in_nl(folded, place, answering=answering_nl)
        if months is not None:
            facts["nl_months"] = months
        elif _all_along_there(folded, place):
            # "I've lived in <a city there> all my life": there the whole time, up to now.
            facts["nl_stays"] = ((_ALWAYS, until_now(today)),)
        elif (_NEVER_NL if answering_nl else _NEVER_THERE).search(folded):
            # Even while extensions are asked about: "never" beside a verb of being there and a place
            # there ("I have never lived in NL") is about the place, not about extensions.
            facts["nl_never"] = True
    elif asked != "extensions" and _all_along_elsewhere(folded, place):
        facts["nl_never"] = True
    # Extensions of the PhD window, when asked or volunteered.
    if asked == "extensions" or _any_extension(folded):
        facts.update(_extensions(folded, rules, answering=asked == "extensions"))
    return Facts(**facts)  # type: ignore[arg-type]


# "I moved to <a city there> on 1 August 2017", "we arrived in <the country> in March 2017": a stay that began
# then and goes on (the place is checked between the verb and the date).
_MOVED = re.compile(
    r"\b(?:mov(?:ed|e|ing)|arriv(?:ed|e|ing)|came|come|coming|relocat(?:ed|e|ing))\b(?P<where>[^.,;]{0,40}?)\s(?:on|in)\s+$"
)


# "I moved to <a city there> Jan 2017", without "in": a place of one or two words, then the date. Not a word
# that dates the move otherwise ("came to <a city> before March 2016", "after 2016", "until 2016").
_MOVED_BARE = re.compile(
    r"\b(?:mov(?:ed|e|ing)|arriv(?:ed|e|ing)|came|come|coming|relocat(?:ed|e|ing))\s+(?:back\s+)?(?:to|in)\s+"
    r"(?P<where>(?:the\s+)?[a-z][\w-]*(?:\s+(?!(?:before|after|until|till|since|by|from|around|about|in|on)\b)"
    r"[a-z][\w-]*)?)\s+$"
)


# "I started a job in <a city there> on 1 March 2017 that I still have": a start there is a stay that goes on
# only when the writer says so (without it, the job may have ended).
_STARTED = re.compile(
    r"\b(?:start(?:ed|ing)?|began|begun|join(?:ed|ing)?|took up)\b(?P<where>[^.,;]{0,40}?)\s(?:on|in)\s+$"
)
_GOES_ON = re.compile(r"^[^.;]*?\b(?:still|ever since|since then|until now|till now|to this day|up to now|to date)\b")


# "I moved to <a city there> 8 months ago": a stay that began that long ago and goes on.
_MOVED_AGO = re.compile(
    r"\b(?:moved|arrived|came|relocated)\b(?P<where>[^.,;]{0,40})\s(?P<time>\S+\s+(?:months?|years?|weeks?|yrs?))\s+ago\b"
)


#: What ends such a stay after all ("... all my life until 2012", "... then moved to Paris").
_ENDED_OR_LEFT = re.compile(r"\b(?:until|till|up to|before|moved|left|relocated|emigrated)\b")
#: The start of a stay the writer says has lasted all along: before any reference period.
_ALWAYS = Period(date(1900, 1, 1), date(1900, 12, 31), "all along", "year")


def _place_all_along(folded: str) -> tuple[str, int] | None:
    """Where the message says the writer was all along, and where it says so ends; or None."""
    found = _ALL_ALONG.search(folded)
    return None if found is None else (found.group("where") or found.group("always"), found.end())


def _all_along_elsewhere(folded: str, place: re.Pattern[str]) -> bool:
    """Whether the message says the writer was somewhere outside the host country all along."""
    found = _place_all_along(folded)
    return found is not None and not place.search(found[0])


def _all_along_there(folded: str, place: re.Pattern[str]) -> bool:
    """Whether the message says the writer was in the host country all along, and not that it ended."""
    found = _place_all_along(folded)
    return found is not None and bool(place.search(found[0])) and not _ENDED_OR_LEFT.search(folded, found[1])


def _told_length(folded: str, stay: Range) -> float | None:
    """The length the writer gives, in the clause of a range, for time shorter than the range ("in <a city>
    between 2015 and 2017, about 4 months in all"), or None."""
    clause = _clause(folded, stay.start)
    months = parse_months(clause)
    # Shorter than the range can be at its shortest; and a total, not a time each year ("May to
    # September every year from 2014 to 2017 (5 months)").
    if months is None or months >= months_between(stay.begin.last, stay.finish.first) or _EACH_YEAR.search(clause):
        return None
    return months


_EACH_YEAR = re.compile(r"\b(every|each|per|a)\s+(year|summer|winter|spring|autumn)\b|\bannually\b|\byearly\b")


def _stay_there(folded: str, stay: Range, place: re.Pattern[str], *, phd: bool, answering: bool) -> bool:
    """Whether a range of dates, in a message about time in the host country, is time there: its clause
    names a place there; or it is not the PhD's own range and its clause names no other place ("in
    <a city there>. From 2015 to 2017 I ..." is; "I've lived in Canada since 2009" is not)."""
    clause = _clause(folded, stay.start)
    if place.search(clause):
        return True
    return not phd and (answering or not _names_elsewhere(clause, place))


_LOCATED = re.compile(r"\b(?:in|at|to)\s+(?:the\s+)?([a-z][\w-]{2,})")


def _names_elsewhere(clause: str, place: re.Pattern[str]) -> bool:
    """Whether a clause puts the writer somewhere ("in canada", "at a lab in boston") other than a place
    in the host country or a time ("in 2015", "in march")."""
    return any(
        not place.fullmatch(word) and word not in MONTHS and word not in STOP_WORDS for word in _LOCATED.findall(clause)
    )


def _moves_here(
    folded: str, place: re.Pattern[str], dates: list[DateSpan], ranges: list[Range], today: date
) -> list[Range]:
    """The stays that a move to a place in the host country began, up to `today` (or a start there, a job
    say, that the writer says goes on)."""
    found: list[Range] = []
    for span in dates:
        if any(r.start <= span.start < r.end for r in ranges) or not isinstance(span.value, Period):
            continue
        before = folded[: span.start]
        moved = _MOVED.search(before) or _MOVED_BARE.search(before)
        if moved is None:
            started = _STARTED.search(before)
            if started and _PHD_WORDS.search(started.group("where")) and place.search(started.group("where")):
                # "I started my PhD at <a university there> in 2014 and defend in spring 2018": a stay there
                # that lasts until the PhD's end, the next date told (or goes on, when none is).
                finish = _next_period(dates, span) or until_now(today)
                found.append(Range(span.value, finish, started.start(), span.end))
                continue
            if _GOES_ON.search(folded[span.end :]):
                moved = started
        if moved and place.search(moved.group("where")):
            found.append(Range(span.value, until_now(today), moved.start(), span.end))
    return found


def _next_period(dates: list[DateSpan], span: DateSpan) -> Period | None:
    """The first date told after `span` that is later than it, or None."""
    if not isinstance(span.value, Period):
        return None
    start = span.value
    later = (d.value for d in dates if d.start > span.start and isinstance(d.value, Period))
    return next((value for value in later if value.first > start.last), None)


def _months_in_nl(folded: str, place: re.Pattern[str], *, answering: bool) -> float | None:
    """A total time in the host country ("two years in <city>"), from the clauses about it: the stays
    of several clauses add up ("8 months in <city> and 7 months in <another>" is 15 months)."""
    total: float | None = None
    # Clauses end at a comma, semicolon, full stop (not "11.5 months"), "but", or an "and" that starts
    # another stay (not "a year and a half").
    for clause in re.split(r"[,;]|\.(?!\d)|\bbut\b|\band\b(?!\s+a\s+half)", folded):
        phd_stay = _STAY_VERB.search(clause) and place.search(clause)  # "after my PhD I spent 10 months in <city>"
        if (_PHD_WORDS.search(clause) and not phd_stay) or _PARENTAL.search(clause) or _MEDICAL.search(clause):
            continue  # "PhD after 4 years", "6 months of parental leave" are not time in the host country
        if _MILITARY.search(clause):
            continue
        moved = _MOVED_AGO.search(clause)
        if moved and place.search(moved.group("where")):
            # "I came to <the country> 8 months ago and I'm still here": a stay of 8 months until now.
            months = parse_months(moved.group("time"))
            if months is not None:
                total = (total or 0.0) + months
        elif (
            (
                answering
                or place.search(clause)
                # "in <city> twice: 4 months in 2015 and 5 months in 2016": a second stay that names no other place.
                or (total is not None and (_ANOTHER_STAY.search(clause) or not _names_elsewhere(clause, place)))
            )
            and not re.search(r"\bago\b", clause)
            and not _RELATIVE.search(clause)
        ):
            # "6 months in <city> in 2016 and after again 7 months in 2017": a second stay there.
            months = parse_months(clause)
            if months is not None:
                total = (total or 0.0) + months
                if answering:
                    break  # a bare answer ("8 months") is one figure
    return total


#: A time that dates something rather than lasting: "I moved to <a city> five months before the deadline".
_RELATIVE = re.compile(r"(?<!for )\b[\w.]+\s+(?:months?|years?|weeks?|days?)\s+(?:before|after|earlier|later|prior)\b")
#: A clause going on about one more stay in the same place ("and again 7 months", "another 3 months").
_ANOTHER_STAY = re.compile(r"\b(again|another|once more|a second time)\b")


# What a date in the same clause may date instead of the PhD's end: its start ("I started my PhD in
# 2014"), something after it ("after my PhD I spent ten months in <city> in 2016"), a stay there.
_PHD_STARTED = re.compile(r"\b(start\w*|began|begun|begin\w*|enrol+\w*|commenc\w*)\b")
_AFTER_PHD = re.compile(r"\bafter\s+(?:my|the|his|her|our)\s+(?:phd|doctorate|defen[cs]e|viva|graduation)\b")
_STAY_VERB = re.compile(
    r"\b(spent|spend|stayed|lived|living|worked|working|visit\w*|was in|were in|doing|did|done|pursuing)\b"
)


_PART_END = re.compile(r"[,;]|\.(?!\d)|\b(?:and|but|then|while)\b")


def _dates_something_else(folded: str, position: int, place: re.Pattern[str]) -> bool:
    """Whether the date at `position` dates something other than the PhD's end (see above), judged on the
    part of the sentence holding it ("I got my PhD in 2013 | and spent 8 months in <city> in 2016")."""
    start = max((m.end() for m in _PART_END.finditer(folded, 0, position)), default=0)
    end = next((m.start() for m in _PART_END.finditer(folded, position)), len(folded))
    before, clause = folded[start:position], folded[start:end]
    return bool(
        _PHD_STARTED.search(before)
        or _AFTER_PHD.search(before)
        or (place.search(clause) and _STAY_VERB.search(clause) and parse_months(clause) is not None)
    )


def _clause_start(folded: str, position: int) -> int:
    """Where the clause holding `position` begins (after a comma, semicolon or full stop)."""
    return max(folded.rfind(sep, 0, position) for sep in ",;.") + 1


def _clause(folded: str, position: int) -> str:
    """The clause of `folded` around `position` (between commas, semicolons, full stops)."""
    ends = [i for i in (folded.find(sep, position) for sep in ",;.") if i >= 0]
    return folded[_clause_start(folded, position) : min(ends, default=len(folded))]


def _about_phd(folded: str, start: int, phd_words: list[int]) -> bool:
    """Whether a range belongs to the PhD ("I did my PhD in Berlin from 2010 to 2014")."""
    clause_start = _clause_start(folded, start)
    return any(clause_start <= word < start for word in phd_words) and not re.search(
        r"\b(lived|living|stayed|worked|working|resident|was in|were in|moved)\b", folded[clause_start:start]
    )


def _extensions(folded: str, rules: RuleSet, *, answering: bool) -> dict[str, object]:
    found: dict[str, object] = {}
    clauses = re.split(r"[,;]|\.(?!\d)|\band\b|\bplus\b", folded)

    def duration(i: int) -> float | None:
        # "military service, 10 months": the duration may sit in the next clause on its own.
        months = parse_months(clauses[i])
        if months is None and i + 1 < len(clauses) and not _any_extension(clauses[i + 1]):
            months = parse_months(clauses[i + 1])
        return months

    def keep_length(field: str, length: float | None, unsaid: float) -> None:
        # A later mention without a length ("I also did army service before university") does not undo
        # an earlier one's ("reserve duty, 7 months in all").
        if length is not None or field not in found:
            found[field] = unsaid if length is None else length

    for i, clause in enumerate(clauses):
        if _NO_CHILDREN.search(clause):
            found["children"] = 0
        elif (children := _CHILDREN.search(clause)) and not _PARENTAL.search(clause):
            n = children.group("n")
            count = (int(n) if n.isdigit() else _SMALL_NUMBERS.get(n, 1)) if n else 1
            found["children"] = max(count, 2 if _TWINS.search(clause) else 1)
            if re.search(r"\bbefore\b", clause):
                found["children_before_phd"] = True
        if _PARENTAL.search(clause):
            keep_length("parental_months", duration(i), 0.0)
        if _MEDICAL.search(clause):
            months = duration(i)
            keep_length("medical_years", None if months is None else months / 12, _longest_training(rules))
        if _MILITARY.search(clause) and not re.search(r"\bno\b", clause):
            keep_length("military_months", duration(i), 0.0)
    if found or (answering and _NONE.search(folded)):
        found["extensions_answered"] = True
    return found


def _any_extension(clause: str) -> bool:
    return any(p.search(clause) for p in (_CHILDREN, _PARENTAL, _MEDICAL, _MILITARY))


def _longest_training(rules: RuleSet) -> float:
    """A medical-specialist training named without its length: the most that any call counts."""
    return max((c.extensions.medical_max_years or 0.0 for c in rules.calls.values()), default=0.0)
