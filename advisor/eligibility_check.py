"""The guided eligibility check: ask for what is missing, one question at a time, then a verdict.

`assess` is pure: given the facts so far, it returns either the next question or
the verdict with the rules it applied. `EligibilityCheck` holds one conversation's
facts between turns; `Advisor.ask` uses `assess` alone, statelessly.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from .dates import format_date, months_between, say_months
from .eligibility import (
    CALL3_DEADLINE,
    CALL3_SOURCES,
    MAX_MONTHS_IN_NL,
    NO_TIME_IN_NL,
    RULE_SOURCES,
    RULES,
    CallRules,
    Check,
    Facts,
    check_mobility,
    check_phd,
    extract_facts,
    is_eligibility_question,
    mobility_rule,
    phd_rule,
)
from .normalize import fold

QUESTIONS = {
    "call": 'Which call do you mean: Call 1 (February-March 2017) or Call 2 (November 2017-January 2018)? Or "both".',
    "phd": "When did you obtain your PhD, defence included (or when did you expect to)? "
    'A month and year is enough, e.g. "March 2015".',
    "phd_year": "In which year was that?",
    "extensions": "Did any extension apply: children "
    "(6 months each; for Call 2 only children born after the PhD), parental leave (how many months), "
    'medical-specialist training, or compulsory or reserve military service (how long)? Or "none".',
    "nl": "How much time did you spend in the Netherlands {period}? "
    'Say "none", a total ("8 months"), or dates ("in Leiden from January 2016 to June 2017").',
    "nl_dates": f"That is more than {MAX_MONTHS_IN_NL} months in all, so the dates matter: when were you in the "
    'Netherlands (e.g. "from January 2016 to June 2017")?',
}
WHAT_IS_NEEDED = {
    "call": "which call (1 or 2)",
    "phd": "your PhD date (defence included)",
    "phd_year": "the year of your PhD",
    "extensions": "whether an extension applied, as your PhD may predate the window (children, parental leave, "
    "medical-specialist training, military service)",
    "nl": "your time in the Netherlands in the three years before the recruitment date",
    "nl_dates": "the dates of your time in the Netherlands",
}
CLOSED = {
    **{call: f"Call {call} on {format_date(rules.deadline)}" for call, rules in RULES.items()},
    3: f"Call 3 on {format_date(CALL3_DEADLINE)}",
}
EXAMPLE = '"Am I eligible for call 2? PhD in March 2015, never lived in the Netherlands."'
_NEW_QUESTION = re.compile(
    r"^\s*(when|what|how|who|whom|where|why|which|is|are|was|were|do|does|did|can|could|should|will|would|tell)\b"
)
_CANCEL = re.compile(r"^\s*(cancel|stop|quit( the check)?|never ?mind|forget it|skip|abort|exit)\W*$")

_AFRESH = re.compile(r"^\s*(start (afresh|over|again|anew)|afresh|from scratch|start from scratch)\W*$")
RETRY_HINTS = {
    "extensions": 'Which extension, with numbers? For example "two children", "6 months of parental leave", '
    '"medical-specialist training", "12 months of military service", or "none".',
    "nl": 'How long were you in the Netherlands in all, roughly? For example "3 weeks", "8 months", or "none".',
    "nl_dates": 'When were you in the Netherlands? For example "from January 2016 to June 2017".',
    "call": 'Which call: "1", "2" or "both"?',
    "phd": 'When was your PhD? A month and year is enough, for example "March 2015".',
    "phd_year": 'In which year? For example "2015".',
}


class Assessment(NamedTuple):
    """The outcome of one step: the next question (`asks` says which), or the verdict (`asks` is None)."""

    text: str
    asks: str | None
    source_ids: tuple[str, ...]
    lead: str = ""  # with a question: what is settled already (a call that fails), said first


def missing(facts: Facts, *, asked_before: frozenset[str] = frozenset()) -> str | None:
    """The next fact to ask for, or None when every named call can be judged.

    A call that already fails one rule needs nothing more: its verdict is known.
    """
    if not facts.calls:
        return "call"
    open_calls = [call for call in facts.calls if call in RULES and not _fails(facts, RULES[call])]
    if facts.phd is None:
        return ("phd_year" if facts.phd_month_only is not None else "phd") if open_calls else None
    for call in open_calls:
        if check_phd(facts, RULES[call]).state == "need":
            return "extensions"
        mobility = check_mobility(facts, RULES[call])
        if mobility.state == "need" and not (mobility.detail == "nl_dates" and "nl_dates" in asked_before):
            return mobility.detail
    return None


def _fails(facts: Facts, rules: CallRules) -> bool:
    """Whether what is known already breaks one of the call's rules, whatever else is said."""
    if facts.phd is not None and check_phd(facts, rules).state == "no":
        return True
    return check_mobility(facts, rules).state == "no"


def _phd_check(facts: Facts, rules: CallRules) -> Check:
    """check_phd, or "need" while the PhD date is unknown (a call can fail on the mobility rule alone)."""
    return check_phd(facts, rules) if facts.phd is not None else Check("need", "phd")


def assess(facts: Facts, *, asked_before: frozenset[str] = frozenset()) -> Assessment:
    """The next question to ask, or the verdict for each call named."""
    if facts.calls == (3,):
        return Assessment(_CALL3, None, CALL3_SOURCES + RULE_SOURCES)
    need = missing(facts, asked_before=asked_before)
    if need is not None:
        question = QUESTIONS[need].format(period=_mobility_periods(facts))
        lead = "\n".join(filter(None, (_known_outcome(facts, RULES[c], need) for c in facts.calls if c in RULES)))
        if need == "extensions" and not lead:
            question = f"Your PhD may be older than the window. {question}"
        return Assessment(question, need, RULE_SOURCES, lead)
    calls = [c for c in facts.calls if c in RULES]
    verdicts: list[str] = []
    rules_used: list[str] = []
    for call in calls:
        phd = _phd_check(facts, RULES[call])
        mobility = check_mobility(facts, RULES[call])
        if mobility.state == "need" and mobility.detail == "nl_dates":  # asked for the dates once, did not get them
            detail = (
                f"you spent more than {MAX_MONTHS_IN_NL} months in the Netherlands in all, and I don't know how "
                "much of it fell in the reference period"
            )
            mobility = Check("doubt", detail, mobility.rules)
        verdicts.append(verdict(call, phd, mobility))
        rules_used += phd.rules + mobility.rules
    lines = verdicts
    if 3 in facts.calls:
        lines.append("Call 3 I can't check: its eligibility dates did not survive in any source.")
    if facts.day_first_note:
        lines.append(facts.day_first_note)
    lines += ["", "Rules applied (from the programme's FAQ for each call):"]
    lines += [f"  - {line}" for line in dict.fromkeys(rules_used)]
    closed = ", ".join(CLOSED[c] for c in facts.calls)
    lines += [
        "",
        f"The calls closed long ago ({closed}) and the programme has ended: this only says how the rules applied then.",
    ]
    return Assessment("\n".join(lines), None, tuple(RULES[c].source_id for c in calls))


def _known_outcome(facts: Facts, rules: CallRules, need: str) -> str:
    """While a question is pending: a call's verdict when it already fails, or the verdict without
    an extension when that is what is asked about. Empty when nothing is settled yet."""
    if _fails(facts, rules):
        return verdict(rules.call, _phd_check(facts, rules), check_mobility(facts, rules))
    if need != "extensions" or facts.phd is None or check_phd(facts, rules).state != "need":
        return ""
    without = check_phd(facts._replace(extensions_answered=True), rules)
    if without.state != "no":
        return ""  # the PhD only may predate the window ("2013"): the question says so
    detail = without.detail.removesuffix(" (and no extension applied)")
    # How far the window would have to move back: from the PhD's latest possible day, and its earliest.
    least, most = (months_between(day, rules.phd_after) for day in (facts.phd.last, facts.phd.first))
    needed = say_months(most) if most - least < 1 else f"{say_months(least)} to {say_months(most)}"
    return (
        f"Without an extension you would not have been eligible for Call {rules.call}: {detail}. "
        f"It would take extensions of more than {needed} in all to bring it inside."
    )


def _mobility_periods(facts: Facts) -> str:
    """The reference period(s) of the calls asked about, spelt out."""
    periods = [
        f"between {format_date(RULES[c].mobility_from)} and {format_date(RULES[c].recruitment)}"
        + (f" (Call {c})" if len(facts.calls) > 1 else "")
        for c in facts.calls
        if c in RULES
    ]
    return " and ".join(periods) or "in the three years before the recruitment date"


_CALL3 = (
    "I can't check Call 3: its PhD window, recruitment date and mobility period did not survive in any source. "
    "For Calls 1 and 2 the PhD had to be obtained within the five years before the recruitment date, with at "
    f"most {MAX_MONTHS_IN_NL} months in the Netherlands in the three years before it. Call 3 closed on "
    f"{format_date(CALL3_DEADLINE)}, and the programme has ended; the programme office was at {{email}}."
)


def verdict(call: int, phd: Check, mobility: Check) -> str:
    """One clear sentence for one call."""
    if phd.state == "no":
        return f"You would not have been eligible for Call {call}, because {phd.detail}."
    if mobility.state == "no":
        return (
            f"You would not have been eligible for Call {call}, because of the mobility rule: {mobility.detail}, "
            f"more than the {RULES[call].max_months_in_nl} months allowed."
        )
    doubtful = [check for check in (phd, mobility) if check.state == "doubt"]
    if doubtful:
        hint = (
            " Ask again with exact dates if you have them." if any(c.exact_dates_would_help for c in doubtful) else ""
        )
        details = "; and ".join(check.detail for check in doubtful)
        return f"I can't say for certain whether you would have been eligible for Call {call}: {details}.{hint}"
    if phd.state == "pending":
        return (
            f"You would have been eligible for Call {call}, provided that, as your PhD came after the deadline, "
            "your supervisor or promotor confirmed the expected date and you could show the certificate by the "
            "recruitment date."
        )
    if mobility.state == "yes" and mobility.detail and facts_spent_time(mobility):
        return f"You would have been eligible for Call {call}.\n({mobility.detail[0].upper()}{mobility.detail[1:]}.)"
    return f"You would have been eligible for Call {call}."


def facts_spent_time(mobility: Check) -> bool:
    """Whether a passed mobility check is about time spent in the Netherlands (worth saying how much)."""
    return mobility.detail != NO_TIME_IN_NL


def partial_reply(facts: Facts) -> str:
    """For a single question without every fact: what was understood, what is missing, how to ask."""
    needed = []
    if not facts.calls:
        needed.append(WHAT_IS_NEEDED["call"])
    if facts.phd is None:
        needed.append(WHAT_IS_NEEDED["phd_year" if facts.phd_month_only else "phd"])
    elif missing(facts) == "extensions":
        needed.append(WHAT_IS_NEEDED["extensions"])
    if not (facts.nl_never or facts.nl_stays or facts.nl_months is not None):
        needed.append(WHAT_IS_NEEDED["nl"])
    elif facts.nl_months is not None and facts.nl_months > MAX_MONTHS_IN_NL and not facts.nl_stays:
        needed.append(WHAT_IS_NEEDED["nl_dates"])
    understood = facts.summary()
    # The rules themselves, for the call asked about (or both), so that the applicant can already
    # weigh what they said against them.
    calls = [c for c in facts.calls if c in RULES] or sorted(RULES)
    rules = [line for c in calls for line in (phd_rule(RULES[c]), mobility_rule(RULES[c]))]
    return (
        (f"So far I have: {understood}. " if understood else "")
        + "To check your eligibility I also need "
        + _join(needed or [WHAT_IS_NEEDED["call"]])
        + f". Say it all in one question, for example {EXAMPLE}, or ask in a conversation "
        "(the chat) and I'll ask step by step.\n\nThe rules (from the programme's FAQ for each call):\n"
        + "\n".join(f"  - {line}" for line in rules)
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class EligibilityCheck:
    """One conversation's eligibility check in progress."""

    def __init__(self, facts: Facts, today: date | None = None) -> None:
        self.facts = facts
        self.today = today
        self.asked: str | None = None
        self.question = ""  # the last question asked, word for word
        self.asked_before: set[str] = set()

    def step(self) -> Assessment:
        """The next question or the verdict, remembering what was asked."""
        result = assess(self.facts, asked_before=frozenset(self.asked_before))
        self.asked = result.asks
        if result.asks:
            self.asked_before.add(result.asks)
            self.question = result.text
        return result

    def take(self, text: str) -> Assessment | None:
        """Use the applicant's reply; None when it says nothing the check can use (or is another question)."""
        folded = fold(text)
        if _NEW_QUESTION.match(folded) and not is_eligibility_question(text):
            return None  # "When did the second call close?" names a call, but is not an answer
        new = extract_facts(text, asked=self.asked, today=self.today)
        if not new.concrete:
            return None
        self.facts = self.facts.merged(new)
        return self.step()

    def ask_again(self) -> Assessment:
        """For a reply that says nothing usable ("yes", "a few times"): the question once more, with examples."""
        asked = self.asked or "call"
        hint = RETRY_HINTS[asked]
        return Assessment(
            f'Sorry, I didn\'t catch that. {hint} (Or say "cancel" to stop the check.)', asked, RULE_SOURCES
        )


def is_cancel(text: str) -> bool:
    return bool(_CANCEL.match(fold(text)))


def is_afresh(text: str) -> bool:
    """Whether the reply asks to start afresh ("start afresh", "start over"), forgetting the facts given."""
    return bool(_AFRESH.match(fold(text)))


def looks_like_a_question(text: str) -> bool:
    """A question of its own ("what's the salary btw?"), not a reply to the check."""
    folded = fold(text)
    return bool(_NEW_QUESTION.match(folded) or folded.rstrip().endswith("?")) and not is_eligibility_question(text)
