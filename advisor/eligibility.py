"""The Call 1 and Call 2 eligibility rules, and the facts an applicant gives about themself.

Rule-based throughout. The rules are those of the programme's FAQ pages (sources
lf-faq-call1 and lf-faq-call2); Call 3's did not survive, and the check says so
rather than guessing. Facts come from what the applicant writes: dates as people
write them, Dutch cities, durations. Where the rules leave doubt (a PhD "in 2012"
when the window opened on 1 October 2012, a stay that began before the reference
period), the verdict says so.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import NamedTuple

from .dates import (
    MonthOnly,
    Period,
    add_months,
    describe,
    find_dates,
    find_ranges,
    format_date,
    months_between,
    parse_months,
    say_months,
    with_year,
)
from .normalize import fold


class CallRules(NamedTuple):
    """One call's eligibility rules, as its FAQ page gave them."""

    call: int
    deadline: date
    phd_after: date
    recruitment: date  # the PhD had to come before it; the mobility period ends on it
    mobility_from: date
    max_months_in_nl: int
    pregnancy_only_after_phd: bool  # Call 2's refined wording
    medical_wording: str
    pending_rule: bool  # Call 2 spelt out what a PhD pending at the deadline needed
    source_id: str


PREGNANCY_MONTHS = 6
PARENTAL_MONTHS_PER_CHILD = 6
MEDICAL_YEARS = 3
#: Both calls allowed at most this many months in the Netherlands in the reference period.
MAX_MONTHS_IN_NL = 12
NO_TIME_IN_NL = "you spent no time in the Netherlands"
RULES = {
    1: CallRules(1, date(2017, 3, 31), date(2012, 10, 1), date(2017, 10, 1),
                 date(2014, 10, 1), MAX_MONTHS_IN_NL, False, "3 years", False, "lf-faq-call1"),
    2: CallRules(2, date(2018, 1, 10), date(2013, 7, 1), date(2018, 7, 1),
                 date(2015, 7, 1), MAX_MONTHS_IN_NL, True, "at most 3 years", True, "lf-faq-call2"),
}  # fmt: skip
RULE_SOURCES = tuple(rules.source_id for rules in RULES.values())
CALL3_DEADLINE = date(2018, 10, 31)
CALL3_SOURCES = ("lde-programme",)

#: Places whose mention means "in the Netherlands".
DUTCH_PLACES = (
    "netherlands", "the netherland", "nl", "holland", "nederland", "dutch", "leiden", "delft", "rotterdam",
    "the hague", "den haag", "hague", "amsterdam", "utrecht", "eindhoven", "groningen", "nijmegen", "tilburg",
    "maastricht", "enschede", "haarlem", "arnhem", "breda", "wageningen", "zwolle", "leeuwarden", "almere",
    "amersfoort", "apeldoorn", "den bosch", "s-hertogenbosch", "hertogenbosch", "dordrecht", "zoetermeer",
    "schiedam", "deventer", "hilversum", "alkmaar", "venlo", "heerlen", "zaandam", "lelystad", "assen",
    "emmen", "oss", "ede", "gouda", "vlaardingen", "rijswijk", "amstelveen", "noordwijk", "oegstgeest",
    "leiderdorp", "wassenaar", "katwijk",
)  # fmt: skip
_PLACE = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(DUTCH_PLACES, key=len, reverse=True)) + r")\b")
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
    r"|\bcheck(ing)? (my|our|if i am|whether i am|if i'?m|whether i'?m) (eligib|qualif)"
    r"|\bdo(es)? (i|my \w+) (still )?qualify\b|\bmy eligibility\b|\bam i allowed to apply\b"
    # "eligibility check?" asks for one; "the eligibility check" (the office's) is a step of the selection.
    r"|(?<!the )(?<!passed )(?<!pass )(?<!passing )(?<!failed )\beligibility check\b"
)
# "Am I eligible for a Veni grant / the 30% ruling?": another scheme than the programme's calls (unless
# the programme is named too: "eligible for a LEaDing fellowship").
_ABOUT_THE_PROGRAMME = re.compile(r"\b(leading|lde|call [123]|(first|second|third) call)\b")
_OTHER_SCHEME = re.compile(
    r"\b(?:eligib\w*|qualify|apply)\s+(?:for|to)\s+"
    r"(?!(?:the |a |an |this |that )?(?:leading|lde|call|programme|program|fellowship|postdoc|position)\b)"
    r"(?:[\w'%-]+\s+){0,6}?(?:grants?|scholarships?|ruling|schemes?|awards?|prizes?|visas?|permits?|allowances?"
    r"|benefits?|loans?|subsid(?:y|ies)|facility|fellowships?)\b"
)
_CAN_APPLY = re.compile(r"\b(can|could|may|might|should) i (still )?(have )?(apply|applied)\b|\bcould i have applied\b")
_CALL = re.compile(
    r"\b(?:call\s*(?:no\.?\s*|number\s*|#)?(?P<n>[123])\b|(?P<w>first|second|third|1st|2nd|3rd|final|last)\s+call"
    r"|call\s+(?P<x>one|two|three)\b)"
)
_CALL_WORDS = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3, "three": 3,
               "final": 3, "last": 3}  # fmt: skip
_BOTH_CALLS = re.compile(r"\b(both|either)\b[\w ]*\bcalls?\b|\bcalls? 1 (and|or|&) 2\b|^\s*(both|either)\W*$")
_ALL_CALLS = re.compile(r"\b(all|any|every)\b[\w ]*\bcalls?\b|^\s*all( of them)?\W*$")
_PHD_WORDS = re.compile(
    r"\b(phd|ph\.d|ph d|doctorate|doctoral|defen[cs]e|defend\w*|graduat\w*|thesis|promotion|dissertation|"
    r"degree|viva|doctor)\b"
)
_NEVER_NL = re.compile(
    r"\b(never|not once|not at all|haven'?t|have not|hadn'?t|had not|didn'?t|did not|no time)\b"
    r"|\b(0|zero) (months|days|time)\b|^\s*(no|none|nope|not really)\W*$"
)
_NONE = re.compile(
    r"^\s*(no|none|nope|never|nothing|n/a|na|not applicable|neither|no extensions?)\b"
    r"|\bno extensions?\b|\bnone of (them|these|those)\b|\bnone (apply|applies|applied)\b"
)
_CHILDREN = re.compile(
    r"\b(?P<n>\d+|one|two|three|four|five|a|an)\s+(child|children|kids?|bab(?:y|ies)|sons?|daughters?|twins)\b"
    r"|\b(had|have|got)\s+(a\s+)?(child|baby|kid|son|daughter|twins)\b"
    r"|\bgave birth\b|\bpregnan\w*|\bbecame a (mother|father|parent)"
)
_TWINS = re.compile(r"\btwins\b")
_NO_CHILDREN = re.compile(r"\bno (children|kids|child|baby|babies)\b")
_PARENTAL = re.compile(r"\b(parental|maternity|paternity)( leave)?\b")
_MEDICAL = re.compile(
    r"\bmedical[- ]specialist|\bresidency\b|\bspeciali[sz]ation( training)?\b|\bspecialist training\b"
)
_MILITARY = re.compile(r"\b(military|army|navy|air force|conscript\w*|reserve duty|national service|civil service)\b")
_SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "an": 1}
_DAY = timedelta(days=1)


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
            values[name] = getattr(self, name) if value in (None, (), False, "") else value
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

    def summary(self) -> str:
        """What was understood, so that a misreading shows at once."""
        parts = []
        if self.calls:
            parts.append(" and ".join(f"Call {c}" for c in self.calls))
        if self.phd is not None:
            parts.append(f"PhD {describe(self.phd)}")
        elif self.phd_month_only is not None:
            parts.append(f"PhD in {self.phd_month_only.text.capitalize()} (year not given)")
        if self.nl_never:
            parts.append("no time in the Netherlands")
        for begin, finish in self.nl_stays:
            end = "now" if finish.text == "now" else describe(finish)
            parts.append(f"in the Netherlands from {describe(begin)} to {end}")
        if self.nl_months is not None:
            parts.append(f"{_duration(self.nl_months)} in the Netherlands")
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


def is_eligibility_question(text: str) -> bool:
    """A first-person "am I eligible?", or "can I apply ...?" with a date of the applicant's.

    Questions about the rules themselves ("What are the eligibility requirements?")
    are not: the knowledge base answers those.
    """
    folded = fold(text)
    if _OTHER_SCHEME.search(folded) and not _ABOUT_THE_PROGRAMME.search(folded):
        return False
    if _TRIGGER.search(folded):
        return True
    if _ELIGIBILITY_WORD.search(folded) and _PERSONAL.search(folded):
        # "Call 2: I got my PhD in 2016 ... Eligible?": the facts make it personal.
        about_me = extract_facts(text)._replace(calls=(), day_first_note="")
        if about_me.concrete:
            return True
    # "Can I apply with a PhD from 2013?" is personal; "Can I apply in 2025?" asks whether a call is open.
    return (
        bool(_CAN_APPLY.search(folded))
        and bool(_PHD_WORDS.search(folded))
        and any(isinstance(d.value, Period) for d in find_dates(folded))
    )


def _calls(folded: str, *, answering: bool) -> tuple[int, ...]:
    if _BOTH_CALLS.search(folded):
        return (1, 2)
    if _ALL_CALLS.search(folded):
        return (1, 2, 3)
    found: list[int] = []
    for match in _CALL.finditer(folded):
        number = match.group("n") or match.group("w") or match.group("x")
        value = int(number) if number.isdigit() else _CALL_WORDS[number]
        if value not in found:
            found.append(value)
    if not found and answering:
        bare = re.fullmatch(
            r"\s*(the\s+)?(?P<n>[123]|one|two|three|first|second|third|1st|2nd|3rd|last)(\s+one)?\W*", folded
        )
        if bare:
            n = bare.group("n")
            found = [int(n) if n.isdigit() else _CALL_WORDS[n]]
    return tuple(found)


def extract_facts(text: str, *, asked: str | None = None, today: date | None = None) -> Facts:
    """The facts stated in one message. `asked` is what was last asked for: it decides what a bare answer means."""
    folded = fold(text)
    today = today or date.today()
    facts: dict[str, object] = {"calls": _calls(folded, answering=asked == "call")}
    dates = find_dates(folded)
    ranges = find_ranges(folded, today=today, dates=dates)
    in_nl = bool(_PLACE.search(folded)) or asked in ("nl", "nl_dates")
    phd_words = [m.start() for m in _PHD_WORDS.finditer(folded)]
    # A range is time in the Netherlands when the message is about that; a PhD's own
    # range ("my PhD from 2010 to 2014") only when it names a Dutch place.
    phd_ranges = [r for r in ranges if _about_phd(folded, r.start, phd_words)]
    stays = [r for r in ranges if in_nl and (r not in phd_ranges or _PLACE.search(_clause(folded, r.start)))]
    taken = [(r.start, r.end) for r in stays if r not in phd_ranges]
    free = [d for d in dates if not any(a <= d.start < b for a, b in taken)]
    # The PhD date: the first date after a word about the PhD (else the first date),
    # when the message is about the PhD or that is what was asked.
    if (phd_words or asked in ("phd", "phd_year")) and free:
        after = [d for d in free if phd_words and d.start > phd_words[0]]
        found = (after or free)[0]
        phd_range = next((r for r in phd_ranges if r.start <= found.start < r.end), None)
        value = phd_range.finish if phd_range else found.value  # "my PhD from 2010 to 2014" ended in 2014
        if isinstance(value, MonthOnly):
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
    # Time in the Netherlands.
    if stays:
        facts["nl_stays"] = tuple((r.begin, r.finish) for r in stays)
    elif in_nl:
        months = _months_in_nl(folded, answering=asked in ("nl", "nl_dates"))
        if months is not None:
            facts["nl_months"] = months
        elif asked != "extensions" and _NEVER_NL.search(folded):
            facts["nl_never"] = True
    # Extensions of the PhD window, when asked or volunteered.
    if asked == "extensions" or _any_extension(folded):
        facts.update(_extensions(folded, answering=asked == "extensions"))
    return Facts(**facts)  # type: ignore[arg-type]


def _months_in_nl(folded: str, *, answering: bool) -> float | None:
    """A total time in the Netherlands ("two years in Delft"), from the clauses about it."""
    for clause in re.split(r"[,;]|\.(?!\d)|\bbut\b", folded):  # not "11.5 months"
        if _PHD_WORDS.search(clause) or _PARENTAL.search(clause) or _MEDICAL.search(clause) or _MILITARY.search(clause):
            continue  # "PhD after 4 years", "6 months of parental leave" are not time in the Netherlands
        if (answering or _PLACE.search(clause)) and not re.search(r"\bago\b", clause):
            months = parse_months(clause)
            if months is not None:
                return months
    return None


def _clause_start(folded: str, position: int) -> int:
    """Where the clause holding `position` begins (after a comma, semicolon or full stop)."""
    return max(folded.rfind(sep, 0, position) for sep in ",;.") + 1


def _clause(folded: str, position: int) -> str:
    """The clause of `folded` around `position` (between commas, semicolons, full stops)."""
    ends = [i for i in (folded.find(sep, position) for sep in ",;.") if i >= 0]
    return folded[_clause_start(folded, position) : min(ends, default=len(folded))]


def _about_phd(folded: str, start: int, phd_words: list[int]) -> bool:
    """Whether a range belongs to the PhD ("I did my PhD in Delft from 2010 to 2014")."""
    clause_start = _clause_start(folded, start)
    return any(clause_start <= word < start for word in phd_words) and not re.search(
        r"\b(lived|living|stayed|worked|working|resident|was in|were in|moved)\b", folded[clause_start:start]
    )


def _extensions(folded: str, *, answering: bool) -> dict[str, object]:
    found: dict[str, object] = {}
    clauses = re.split(r"[,;]|\.(?!\d)|\band\b|\bplus\b", folded)

    def duration(i: int) -> float | None:
        # "military service, 10 months": the duration may sit in the next clause on its own.
        months = parse_months(clauses[i])
        if months is None and i + 1 < len(clauses) and not _any_extension(clauses[i + 1]):
            months = parse_months(clauses[i + 1])
        return months

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
            found["parental_months"] = duration(i) or 0.0
        if _MEDICAL.search(clause):
            months = duration(i)
            found["medical_years"] = months / 12 if months is not None else float(MEDICAL_YEARS)
        if _MILITARY.search(clause) and not re.search(r"\bno\b", clause):
            found["military_months"] = duration(i) or 0.0
    if found or (answering and _NONE.search(folded)):
        found["extensions_answered"] = True
    return found


def _any_extension(clause: str) -> bool:
    return any(p.search(clause) for p in (_CHILDREN, _PARENTAL, _MEDICAL, _MILITARY))


# --- the rules applied ---------------------------------------------------------------------


class Check(NamedTuple):
    """One rule applied: "yes", "no", "doubt", "pending", or "need" (a fact is missing)."""

    state: str
    detail: str = ""
    rules: tuple[str, ...] = ()
    exact_dates_would_help: bool = False  # the doubt comes from dates given loosely ("2013", "March 2015")


def _extension_months(facts: Facts, rules: CallRules) -> tuple[float, list[str], list[str]]:
    """The total extension, a line per extension, and any doubts."""
    total = 0.0
    lines: list[str] = []
    doubts: list[str] = []
    if facts.children:
        if rules.pregnancy_only_after_phd and facts.children_before_phd:
            lines.append(f"pregnancy: none, as Call {rules.call} counted only children born after the PhD award")
        else:
            months: float = facts.children * PREGNANCY_MONTHS
            total += months
            who = "per child born after the PhD award" if rules.pregnancy_only_after_phd else "per child"
            lines.append(f"pregnancy: {PREGNANCY_MONTHS} months {who}, here {months:g} months")
    if facts.parental_months:
        cap = PARENTAL_MONTHS_PER_CHILD * (facts.children or 1)
        months = min(facts.parental_months, cap)
        total += months
        lines.append(f"parental leave: up to {PARENTAL_MONTHS_PER_CHILD} months per child, here {say_months(months)}")
        if not facts.children and facts.parental_months > PARENTAL_MONTHS_PER_CHILD:
            doubts.append(
                f"parental leave counted for at most {PARENTAL_MONTHS_PER_CHILD} months per child, "
                "and I don't know how many children you had"
            )
    if facts.medical_years:
        years = min(facts.medical_years, MEDICAL_YEARS)
        total += years * 12
        lines.append(f"medical-specialist training: {rules.medical_wording}, here {years:g} years")
    if facts.military_months:
        total += facts.military_months
        served = say_months(facts.military_months)
        lines.append(f"compulsory or reserve military service: the time served, here {served}")
    return total, lines, doubts


def phd_rule(rules: CallRules) -> str:
    """The call's PhD window, as the verdicts list it."""
    return (
        f"Call {rules.call}: PhD obtained (defence included) after {format_date(rules.phd_after)} and before "
        f"{format_date(rules.recruitment)}"
    )


def mobility_rule(rules: CallRules) -> str:
    """The call's limit on time in the Netherlands, as the verdicts list it."""
    return (
        f"Call {rules.call}: at most {rules.max_months_in_nl} months in the Netherlands between "
        f"{format_date(rules.mobility_from)} and {format_date(rules.recruitment)}"
    )


def check_phd(facts: Facts, rules: CallRules) -> Check:
    """The PhD window (with any extensions) and, for Call 2, the pending-PhD rule."""
    phd = facts.phd
    if phd is None:
        raise ValueError("check_phd needs the PhD date (facts.phd)")
    extension, extension_lines, doubts = _extension_months(facts, rules)
    start = add_months(rules.phd_after, -extension) if extension else rules.phd_after
    lines = [
        phd_rule(rules)
        + (f"; with your extensions ({extension:g} months), after {format_date(start)}" if extension else "")
    ]
    lines += [f"Call {rules.call} extension for {line}" for line in extension_lines]
    said = describe(phd)
    if phd.first > rules.recruitment:
        return Check("no", f"your PhD ({said}) came after the recruitment date, "
                     f"{format_date(rules.recruitment)}", tuple(lines))  # fmt: skip
    if phd.first <= start and not facts.extensions_answered:
        return Check("need", "extensions", tuple(lines))
    if phd.last < start:
        return Check("no", f"your PhD ({said}) came before the window, which began after {format_date(start)}"
                     + ("" if extension else " (and no extension applied)"), tuple(lines))  # fmt: skip
    if rules.pending_rule and phd.last > rules.deadline:
        lines.append(
            f"Call {rules.call}: a PhD still pending at the deadline ({format_date(rules.deadline)}) needed a "
            "statement from the supervisor or promotor giving the expected date, and the certificate by "
            f"{format_date(rules.recruitment)} at the latest"
        )
    elif not rules.pending_rule and phd.last > rules.deadline:
        lines.append(
            f"Call {rules.call}: its FAQ does not say what a PhD still pending at the deadline "
            f"({format_date(rules.deadline)}) needed"
        )
    for edge, side in ((start, "start"), (rules.recruitment, "end")):
        if phd.first <= edge <= phd.last:
            detail = (
                f"your PhD date is the window's {side} itself ({format_date(edge)}), and the FAQ's wording "
                "('after' and 'before') leaves that day unclear"
                if phd.exact
                else f"the window's {side} ({format_date(edge)}) falls within {said}, so it depends on the exact date"
            )
            return Check("doubt", "; ".join([detail, *doubts]), tuple(lines), exact_dates_would_help=not phd.exact)
    if doubts:
        return Check("doubt", "; ".join(doubts), tuple(lines))
    if rules.pending_rule and phd.last > rules.deadline:
        return Check("pending", "", tuple(lines))
    return Check("yes", "", tuple(lines))


def check_mobility(facts: Facts, rules: CallRules) -> Check:
    """At most 12 months in the Netherlands in the three years before the recruitment date."""
    lines = (mobility_rule(rules),)
    limit = rules.max_months_in_nl + 1e-9  # "at most 12 months": exactly 12 passes
    if facts.nl_stays:
        low = high = whole = 0.0
        straddles = False
        for begin, finish in facts.nl_stays:
            # The least and most overlap the dates as given allow.
            low += months_between(max(begin.last, rules.mobility_from), min(finish.first, rules.recruitment - _DAY))
            high += months_between(max(begin.first, rules.mobility_from), min(finish.last, rules.recruitment - _DAY))
            whole += months_between(begin.first, finish.last)
            overlaps = begin.first < rules.recruitment and finish.last >= rules.mobility_from
            beyond = begin.first < rules.mobility_from or finish.last >= rules.recruitment
            straddles = straddles or (overlaps and beyond)
        exact = abs(high - low) < 0.05
        inside = _duration(high) if exact else f"between {_bound(low, 'down')} and {_bound(high, 'up')}"
        if low > limit:
            least = inside if exact else f"at least {_bound(low, 'down')}"
            return Check("no", f"{least} of your time in the Netherlands fell in the reference period", lines)
        if high > limit:
            detail = (
                f"{inside} of your time in the Netherlands fell in the reference period, and the exact dates decide"
            )
            return Check("doubt", detail, lines, exact_dates_would_help=True)
        if straddles and whole > limit:
            detail = (
                f"only {inside} of your stay fell in the reference period, but the stay "
                "ran beyond it, and the FAQ does not say how such a stay was counted"
            )
            return Check("doubt", detail, lines)
        most = inside if exact else f"at most {_bound(high, 'up')}"
        return Check("yes", f"{most} of your time in the Netherlands fell in the reference period", lines)
    if facts.nl_months is not None:
        if facts.nl_months <= limit:
            detail = f"{_duration(facts.nl_months)} in all cannot exceed the {rules.max_months_in_nl}-month limit"
            return Check("yes", detail, lines)
        return Check("need", "nl_dates", lines)
    if facts.nl_never:
        return Check("yes", NO_TIME_IN_NL, lines)
    return Check("need", "nl", lines)


def _near_limit(months: float) -> bool:
    """Whether a figure is close enough to the 12-month limit that its decimal matters."""
    return MAX_MONTHS_IN_NL - 1 <= months <= MAX_MONTHS_IN_NL + 1


def _duration(months: float) -> str:
    """A time in the Netherlands as people say it; to one decimal only near the limit."""
    return say_months(months, exact=_near_limit(months))


def _bound(months: float, direction: str) -> str:
    """One end of a range of months, rounded outwards ("at least 16 months", "at most 8 months")."""
    if months < 1 or _near_limit(months) or abs(months - round(months)) < 0.05:
        return _duration(months)
    whole = math.floor(months) if direction == "down" else math.ceil(months)
    return f"{whole} months"
