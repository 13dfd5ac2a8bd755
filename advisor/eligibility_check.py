"""The guided eligibility check: ask for what is missing, one question at a time, then a verdict.

`assess` is pure: given the facts so far and a rule set, it returns either the next question or
the verdict with the rules it applied. `EligibilityCheck` holds one conversation's facts between
turns; `Advisor.ask` uses `assess` alone, statelessly. The calls, dates and limits, the host
country and the wording of the rules' sources come from the rule set (advisor.eligibility_rules);
without one, from the bundled knowledge base's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from .dates import MONTH_NAMES, describe, format_date, months_between, say_months
from .eligibility_facts import Facts, extract_facts, is_eligibility_question
from .eligibility_judge import (
    Check,
    check_mobility,
    check_phd,
    mobility_rule,
    no_time_there,
    pending_proviso,
    phd_rule,
    window_start,
)
from .eligibility_rules import CallRules, RuleSet, default_rules
from .normalize import fold

#: What the check may ask for, in the order it asks.
ASKS = ("call", "phd", "phd_year", "extensions", "nl", "nl_dates")
# Not "what if ...": "what if I had twins?" is a reply that gives a fact.
_NEW_QUESTION = re.compile(
    r"^\s*(?!what if\b|what about if\b)"
    r"(when|what|how|who|whom|where|why|which|is|are|was|were|do|does|did|can|could|should|will|would|tell)\b"
)
#: "what if I had twins?", "and if it had been 14 months?", "suppose my PhD was in 2011": a case changed.
WHAT_IF = re.compile(r"^\W*(?:(?:and|but|so|ok|okay)\W+)?(?:what if|and if|if|suppose|supposing|what about if)\b")
_CANCEL = re.compile(r"^\s*(cancel|stop|quit( the check)?|never ?mind|forget it|skip|abort|exit)\W*$")

_AFRESH = re.compile(r"^\s*(start (afresh|over|again|anew)|afresh|from scratch|start from scratch)\W*$")
#: Each extension the check knows: (its name in the question, in what is still needed, in the retry's
#: examples), in the order they are listed. Whether a call allows it is the rule set's business.
_EXTENSION_WORDS = (
    ("months_per_child", "children", "children", '"two children"'),
    ("parental_max_per_child", "parental leave (how many months)", "parental leave", '"6 months of parental leave"'),
    ("medical_max_years", "medical-specialist training", "medical-specialist training",
     '"medical-specialist training"'),
    ("military", "compulsory or reserve military service (how long)", "military service",
     '"12 months of military service"'),
)  # fmt: skip


def _join(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def _list(items: list[str]) -> str:
    """ "a, b, or c" (a list whose items may hold "and" themselves)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + (", or " if len(items) > 2 else " or ") + items[-1]


def _both_or_all(rules: RuleSet) -> str:
    """The word for every checkable call at once."""
    return "both" if len(rules.calls) == 2 else "all"


def _children_question(rules: RuleSet) -> str:
    """ "children (6 months each; for Call 2 only children born after the PhD)", from the calls' rules."""
    counted = {c.call: c.extensions for c in rules.calls.values() if c.extensions.months_per_child is not None}
    sizes = dict.fromkeys(f"{e.months_per_child:g}" for e in counted.values())
    if len(sizes) == 1:
        each = [f"{next(iter(sizes))} months each"]
    else:
        each = [f"{e.months_per_child:g} months each for Call {call}" for call, e in counted.items()]
    after = [call for call, e in counted.items() if e.only_born_after_phd]
    if after and len(after) < len(counted):
        each.append(f"for {_join([f'Call {c}' for c in after])} only children born after the PhD")
    elif after:
        each.append("only children born after the PhD")
    return f"children ({'; '.join(each)})"


def _extension_words(rules: RuleSet) -> list[tuple[str, str, str]]:
    """(question, still needed, example) for each extension that some call allows."""
    words = []
    for field, question, needed, example in _EXTENSION_WORDS:
        if any(getattr(c.extensions, field) not in (None, False) for c in rules.calls.values()):
            words.append((_children_question(rules) if field == "months_per_child" else question, needed, example))
    return words


def questions(rules: RuleSet) -> dict[str, str]:
    """The check's questions in the words of `rules`; "nl" holds {period}, the reference period(s), and
    "phd" {window}, the PhD windows (see `ask`)."""
    return dict(_questions(rules))


@functools.lru_cache(maxsize=16)  # a rule set is immutable and hashed by identity; a server asks every turn
def _questions(rules: RuleSet) -> dict[str, str]:
    """`questions(rules)`, worded once per rule set (not to be changed: it is shared)."""
    calls = [f"Call {c.call} ({c.open})" for c in rules.calls.values()]
    extensions = [question for question, _, _ in _extension_words(rules)]
    limit = _limit_text(rules.calls.values())
    stay = _example_stay(rules)
    return {
        "call": f'Which call do you mean: {_join(calls, "or")}? Or "{_both_or_all(rules)}".',
        "phd": "When did you obtain your PhD, defence included (or when did you expect to)? {window}"
        f'A month and year is enough, e.g. "{_month_year(_example_phd(rules))}".',
        "phd_year": "In which year was that?",
        "extensions": f'Did any extension apply: {_list(extensions)}? Or "none".',
        "nl": f"How much time did you spend in {rules.country} {{period}}? At most {limit} months were allowed. "
        f'Say "none", a total ("8 months"), or dates ("in {rules.example_place} {stay}").',
        "nl_dates": f"That is more than {limit} months in all, so the dates matter: when were you in "
        f'{rules.country} (e.g. "{stay}")?',
    }


def what_is_needed(rules: RuleSet) -> dict[str, str]:
    """What each missing fact is, for a single question that lacks it."""
    numbers = [str(c) for c in rules.calls]
    kinds = [needed for _, needed, _ in _extension_words(rules)]
    return {
        "call": f"which call ({_join(numbers, 'or')})",
        "phd": "your PhD date (defence included)",
        "phd_year": "the year of your PhD",
        "extensions": f"whether an extension applied, as your PhD may predate the window ({', '.join(kinds)})",
        "nl": f"your time in {rules.country} in {rules.reference_period}",
        "nl_dates": f"the dates of your time in {rules.country}",
    }


def check_opening(rules: RuleSet) -> str:
    """What a check begun from nothing says first: what it will ask for, so that the applicant knows
    what to have at hand and that it takes a few questions."""
    needed = what_is_needed(rules)
    return f"Let's check your own case. I need to know {_join([needed['call'], needed['phd'], needed['nl']])}. "


def retry_hints(rules: RuleSet) -> dict[str, str]:
    """The question again, shorter and with examples, for a reply the check could not use."""
    examples = [example for _, _, example in _extension_words(rules)]
    numbers = [f'"{c}"' for c in rules.calls]
    phd = _example_phd(rules)
    return {
        "extensions": f'Which extension, with numbers? For example {", ".join(examples)}, or "none".',
        "nl": f'How long were you in {rules.country} in all, roughly? For example "3 weeks", "8 months", or "none".',
        "nl_dates": f'When were you in {rules.country}? For example "{_example_stay(rules)}".',
        "call": f'Which call: {", ".join(numbers)} or "{_both_or_all(rules)}"?',
        "phd": f'When was your PhD? A month and year is enough, for example "{_month_year(phd)}".',
        "phd_year": f'In which year? For example "{phd.year}".',
    }


def _example_phd(rules: RuleSet) -> date:
    """A PhD date for the examples: inside the last call's window (March 2015 where it fits, as it
    does for the bundled rules; else the window's middle)."""
    last = rules.calls[max(rules.calls)]
    phd = date(2015, 3, 1)
    if not last.phd_after < phd < last.phd_before:
        phd = last.phd_after + (last.phd_before - last.phd_after) / 2
    return phd


def _example_stay(rules: RuleSet) -> str:
    """A stay in the host country for the examples, in the rules' own years: January of the second
    year after the first call's reference period begins, to June of the year after (for the bundled
    rules, "from January 2016 to June 2017")."""
    first = rules.calls[min(rules.calls)].mobility_from.year + 2
    return f"from January {first} to June {first + 1}"


def _month_year(day: date) -> str:
    return f"{MONTH_NAMES[day.month]} {day.year}"


def example(rules: RuleSet) -> str:
    """A single question holding every fact, as an example (a PhD date inside the last call's window)."""
    last = rules.calls[max(rules.calls)]
    said = _month_year(_example_phd(rules))
    return f'"Am I eligible for call {last.call}? PhD in {said}, never lived in {rules.country}."'


def ask_with_every_fact(rules: RuleSet | None = None) -> str:
    """After the rules in general: how to ask about one's own case in a single question."""
    rules = rules or default_rules()
    return (
        f"To check your own case, ask with the call, your PhD date and your time in {rules.country}, "
        f"e.g. {example(rules)}"
    )


def _limit_text(calls: Any) -> str:
    limits = dict.fromkeys(f"{c.max_months:g}" for c in calls)
    return _join(list(limits), "or")


class Assessment(NamedTuple):
    """The outcome of one step: the next question (`asks` says which), or the verdict (`asks` is None)."""

    text: str
    asks: str | None
    source_ids: tuple[str, ...]
    lead: str = ""  # with a question: what is settled already (a call that fails), said first


def _implied(facts: Facts, rules: RuleSet) -> Facts:
    """With a single call in the rules, a question needs no call named."""
    if not facts.calls and len(rules.call_numbers) == 1:
        return facts._replace(calls=rules.call_numbers)
    return facts


def missing(facts: Facts, *, asked_before: frozenset[str] = frozenset(), rules: RuleSet | None = None) -> str | None:
    """The next fact to ask for, or None when every named call can be judged.

    A call that already fails one rule needs nothing more: its verdict is known.
    """
    rules = rules or default_rules()
    facts = _implied(facts, rules)
    if not facts.calls:
        return "call"
    checkable = rules.calls
    open_calls = [call for call in facts.calls if call in checkable and not _fails(facts, checkable[call])]
    if facts.phd is None:
        return ("phd_year" if facts.phd_month_only is not None else "phd") if open_calls else None
    for call in open_calls:
        if check_phd(facts, checkable[call]).state == "need":
            return "extensions"
        mobility = check_mobility(facts, checkable[call])
        if mobility.state == "need" and not (mobility.detail == "nl_dates" and "nl_dates" in asked_before):
            return mobility.detail
    return None


def _fails(facts: Facts, rules: CallRules) -> bool:
    """Whether what is known already breaks one of the call's rules, whatever else is said."""
    if facts.phd is not None and check_phd(facts, rules).state == "no":
        return True
    return check_mobility(facts, rules).state == "no"


def assess(facts: Facts, *, asked_before: frozenset[str] = frozenset(), rules: RuleSet | None = None) -> Assessment:
    """The next question to ask, or the verdict for each call named."""
    rules = rules or default_rules()
    facts = _implied(facts, rules)
    checkable = rules.calls
    if len(facts.calls) == 1 and facts.calls[0] in rules.unknown:
        unknown = rules.unknown[facts.calls[0]]
        return Assessment(_unknown_call(rules, unknown.call), None, unknown.sources + rules.rule_sources)
    need = missing(facts, asked_before=asked_before, rules=rules)
    if need is not None:
        question = ask(need, facts, rules)
        if need == "nl_dates":
            question = _nl_dates_question(facts, rules)
        named = [checkable[c] for c in facts.calls if c in checkable]
        settled = [_known_outcome(facts, call, need) for call in named]
        lead = "\n".join(filter(None, [*settled, _phd_within(facts, named, need)]))
        if need == "extensions" and not lead:
            question = f"{_maybe_too_old(facts, named)} {question}"
        return Assessment(question, need, cited_for(facts, rules), lead)
    calls = [c for c in facts.calls if c in checkable]
    verdicts: list[str] = []
    rules_used: list[str] = []
    for call in calls:
        phd = check_phd(facts, checkable[call])
        mobility = check_mobility(facts, checkable[call])
        if mobility.state == "need" and mobility.detail == "nl_dates":  # asked for the dates once, did not get them
            detail = (
                f"you spent more than {checkable[call].max_months:g} months in {rules.country} in all, and I don't "
                "know how much of it fell in the reference period"
            )
            mobility = Check("doubt", detail, mobility.rules)
        verdicts.append(verdict(checkable[call], phd, mobility))
        rules_used += phd.rules + mobility.rules
    lines = verdicts
    for call in facts.calls:
        if call in rules.unknown:
            lines.append(f"Call {call} I can't check: {_fill(rules.unknown[call].short, rules, call)}.")
    if facts.day_first_note:
        lines.append(facts.day_first_note)
    lines += ["", f"Rules applied (from {rules.rules_from}):"]
    lines += [f"  - {line}" for line in dict.fromkeys(rules_used)]
    if rules.after_verdict:
        closed = ", ".join(f"Call {c} on {format_date(rules.deadline(c))}" for c in facts.calls)
        lines += ["", rules.after_verdict.replace("{closed}", closed)]
    sources = tuple(dict.fromkeys(s for c in calls for s in checkable[c].sources))
    return Assessment("\n".join(lines), None, sources)


def _nl_dates_question(facts: Facts, rules: RuleSet) -> str:
    """The question for the dates of a stay longer than a call's limit: the limits that the total given
    exceeds, of the calls asked about (not "more than 6 or 9 months" for 8 months where the limits differ)."""
    asked = [rules.calls[c] for c in facts.calls if c in rules.calls]
    if facts.nl_months is not None:
        asked = [call for call in asked if facts.nl_months > call.max_months] or asked
    every, these = _limit_text(rules.calls.values()), _limit_text(asked)
    return _questions(rules)["nl_dates"].replace(f"more than {every} months", f"more than {these} months")


def _maybe_too_old(facts: Facts, calls: list[CallRules]) -> str:
    """Why extensions are asked about: the PhD may come before the window's start, which is said (the
    applicant can then see how much an extension would have to move it)."""
    if facts.phd is None or not calls:
        return "Your PhD may be older than the window."
    first, *others = calls
    starts = [f"for Call {first.call} it had to be after {format_date(first.phd_after)}"]
    starts += [f"for Call {rules.call} after {format_date(rules.phd_after)}" for rules in others]
    return f"Your PhD ({describe(facts.phd)}) may be older than the window: {', '.join(starts)}."


def _phd_within(facts: Facts, calls: list[CallRules], need: str) -> str:
    """While the time in the country is asked for: that the PhD already fits the calls whose window it
    fits (half the answer is known, and is said before asking for the rest); else empty."""
    if facts.phd is None or need not in ("nl", "nl_dates"):
        return ""
    windows = []
    provisos: list[tuple[int, str]] = []
    for rules in calls:
        # The PhD fits, and the time in the country (not known yet, or within the limit) rules nothing out.
        state = check_phd(facts, rules).state
        if state not in ("yes", "pending") or check_mobility(facts, rules).state == "no":
            continue
        start, extensions = window_start(facts, rules)
        # Which extensions moved the window, and by how much: "do my kids count?" is often the question.
        moved = (
            f"; its start moved back by your extensions, {'; '.join(extensions)}" if start != rules.phd_after else ""
        )
        window = f"after {format_date(start)} and before {format_date(rules.phd_before)}{moved}"
        windows.append(f"Call {rules.call} ({window})")
        if state == "pending":
            # A PhD after the deadline fitted only on a condition: said now, not only with the verdict.
            provisos.append((rules.call, pending_proviso(rules)))
    if not windows:
        return ""
    joined = windows[0] if len(windows) == 1 else f"{', '.join(windows[:-1])} and {windows[-1]}"
    noun = "window" if len(windows) == 1 else "windows"
    said = f"Your PhD ({describe(facts.phd)}) is within the PhD {noun} of {joined}"
    if len(windows) == 1 and provisos:
        return f"{said}, provided that, as it comes after the call's deadline, {provisos[0][1]}."
    conditions = "".join(f" For Call {call}, as it comes after the deadline, {text}." for call, text in provisos)
    return f"{said}.{conditions}"


def _known_outcome(facts: Facts, rules: CallRules, need: str) -> str:
    """While a question is pending: a call's verdict when it already fails or already passes, or the
    verdict without an extension when that is what is asked about. Empty when nothing is settled yet."""
    phd, mobility = check_phd(facts, rules), check_mobility(facts, rules)
    if _fails(facts, rules) or (phd.state == "yes" and mobility.state == "yes"):
        # Failed already, or every rule of this call is met (another call asked about needs more).
        return verdict(rules, phd, mobility)
    if need != "extensions" or facts.phd is None or phd.state != "need":
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


def cited_for(facts: Facts, rules: RuleSet) -> tuple[str, ...]:
    """The sources of a question of the check: those of the calls named, whose rules it states (before a
    call is named, those of every call, whose dates it states)."""
    named = [rules.calls[c] for c in facts.calls if c in rules.calls]
    return tuple(dict.fromkeys(s for call in named for s in call.sources)) or rules.rule_sources


def ask(need: str, facts: Facts, rules: RuleSet) -> str:
    """The check's question for `need`, with the rule it serves for the calls named: the reference
    period of the time in the country, the window of the PhD ("For Call 2 it had to be ...")."""
    return (
        _questions(rules)[need]
        .replace("{period}", mobility_periods(facts, rules))
        .replace("{window}", phd_windows(facts, rules))
    )


def phd_windows(facts: Facts, rules: RuleSet) -> str:
    """The PhD window of each call named, as a sentence ending in a space; empty without a call."""
    windows = [
        f"after {format_date(rules.calls[c].phd_after)} and before {format_date(rules.calls[c].phd_before)}"
        + (f" (Call {c})" if len(facts.calls) > 1 else "")
        for c in facts.calls
        if c in rules.calls
    ]
    if not windows:
        return ""
    named = f"Call {facts.calls[0]}" if len(windows) == 1 else "these calls"
    extended = " (an extension could move the start earlier)" if _extension_words(rules) else ""
    return f"For {named} it had to be {'; '.join(windows)}{extended}. "


def mobility_periods(facts: Facts, rules: RuleSet | None = None) -> str:
    """The reference period(s) of the calls asked about, spelt out."""
    rules = rules or default_rules()
    periods = [
        f"between {format_date(rules.calls[c].mobility_from)} and {format_date(rules.calls[c].mobility_until)}"
        + (f" (Call {c})" if len(facts.calls) > 1 else "")
        for c in facts.calls
        if c in rules.calls
    ]
    return " and ".join(periods) or f"in {rules.reference_period}"


def _fill(text: str, rules: RuleSet, call: int) -> str:
    """A text of the rules file with its call's deadline filled in ({email} is the programme's: the
    advisor fills it in, from the programme file, as it does in every answer of the check)."""
    return text.replace("{deadline}", format_date(rules.deadline(call)))


def _unknown_call(rules: RuleSet, call: int) -> str:
    return f"I can't check Call {call}: {_fill(rules.unknown[call].explanation, rules, call)}"


def verdict(rules: CallRules, phd: Check, mobility: Check) -> str:
    """One clear sentence for one call."""
    call = rules.call
    if phd.state == "no":
        return f"You would not have been eligible for Call {call}, because {phd.detail}."
    if mobility.state == "no":
        return (
            f"You would not have been eligible for Call {call}, because of the mobility rule: {mobility.detail}, "
            f"more than the {rules.max_months:g} months allowed."
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
            f"{pending_proviso(rules)}."
        )
    if mobility.state == "yes" and mobility.detail and mobility.detail != no_time_there(rules):
        # Time spent in the host country: worth saying how much.
        return f"You would have been eligible for Call {call}.\n({mobility.detail[0].upper()}{mobility.detail[1:]}.)"
    return f"You would have been eligible for Call {call}."


def partial_reply(facts: Facts, rules: RuleSet | None = None) -> str:
    """For a single question without every fact: what was understood, what is missing, how to ask."""
    rules = rules or default_rules()
    facts = _implied(facts, rules)
    needs = what_is_needed(rules)
    needed = []
    if not facts.calls:
        needed.append(needs["call"])
    if facts.phd is None:
        needed.append(needs["phd_year" if facts.phd_month_only else "phd"])
    elif missing(facts, rules=rules) == "extensions":
        needed.append(needs["extensions"])
    if not (facts.nl_never or facts.nl_stays or facts.nl_months is not None):
        needed.append(needs["nl"])
    elif (
        facts.nl_months is not None
        and not facts.nl_stays
        and any(facts.nl_months > rules.calls[c].max_months for c in (facts.calls or rules.calls) if c in rules.calls)
    ):
        needed.append(needs["nl_dates"])
    understood = facts.summary(rules)
    # The rules themselves, for the call asked about (or every call), so that the applicant can already
    # weigh what they said against them.
    calls = [c for c in facts.calls if c in rules.calls] or sorted(rules.calls)
    lines = [line for c in calls for line in (phd_rule(rules.calls[c]), mobility_rule(rules.calls[c]))]
    return (
        (f"So far I have: {understood}. " if understood else "")
        + _mobility_so_far(facts, [rules.calls[c] for c in calls])
        + "To check your eligibility I also need "
        + _join(needed or [needs["call"]])
        + f". Say it all in one question, for example {example(rules)}, or ask in a conversation "
        f"(the chat) and I'll ask step by step.\n\nThe rules (from {rules.rules_from}):\n"
        + "\n".join(f"  - {line}" for line in lines)
    )


def _mobility_so_far(facts: Facts, calls: list[CallRules]) -> str:
    """What the time in the host country said so far means under each call's limit ("I lived there for
    14 months, is that a problem?" is answered before the PhD date is known), or "" if it decides nothing."""
    if not (facts.nl_stays or facts.nl_months is not None):
        return ""
    said = []
    for rules in calls:
        check = check_mobility(facts, rules)
        if check.state == "yes":
            said.append(
                f"Call {rules.call} would not be ruled out by the limit on time in {rules.country}: {check.detail}"
            )
        elif check.state == "no":
            said.append(f"Call {rules.call} is ruled out by its limit on time in {rules.country}: {check.detail}")
        elif check.state == "doubt":
            said.append(f"For Call {rules.call}, the limit on time in {rules.country} may be exceeded: {check.detail}")
        elif check.state == "need" and facts.nl_months is not None:
            said.append(
                f"For Call {rules.call}, {say_months(facts.nl_months)} in all is more than its "
                f"{rules.max_months:g}-month limit, so it matters how much of it fell between "
                f"{format_date(rules.mobility_from)} and {format_date(rules.mobility_until)}"
            )
    return "".join(f"{sentence}. " for sentence in said)


class EligibilityCheck:
    """One conversation's eligibility check in progress, under one rule set."""

    def __init__(self, facts: Facts, today: date | None = None, *, rules: RuleSet | None = None) -> None:
        self.rules = rules or default_rules()
        self.facts = facts
        self.today = today
        self.asked: str | None = None
        self._question: str | Callable[[], str] = ""
        self.asked_before: set[str] = set()

    def time_so_far(self) -> str:
        """What the time in the host country told so far means under each call's limit ("ok for call 2 on
        that front?"), or "" if it decides nothing yet: said while the check asks for something else."""
        facts = _implied(self.facts, self.rules)
        calls = [self.rules.calls[c] for c in facts.calls if c in self.rules.calls]
        return _mobility_so_far(facts, calls).strip()

    @property
    def question(self) -> str:
        """The last question asked, word for word."""
        if not isinstance(self._question, str):
            self._question = self._question()
        return self._question

    @question.setter
    def question(self, text: str) -> None:
        self._question = text

    def restore_question(self) -> None:
        """For a check restored from a saved state (its facts, `asked` and `asked_before` set): `question`
        will be `restored_question()` as of now, derived when first read. Most turns never read it: a
        reply that answers the question moves the check on to the next one."""
        restored = EligibilityCheck(self.facts, self.today, rules=self.rules)
        restored.asked, restored.asked_before = self.asked, set(self.asked_before)
        self._question = restored.restored_question

    def step(self) -> Assessment:
        """The next question or the verdict, remembering what was asked."""
        result = assess(self.facts, asked_before=frozenset(self.asked_before), rules=self.rules)
        self.asked = result.asks
        if result.asks:
            self.asked_before.add(result.asks)
            self.question = result.text
        return result

    def restored_question(self) -> str:
        """The wording of the question last asked, derived again from the facts (for a restored check)."""
        if self.asked is None:
            return ""
        again = assess(self.facts, asked_before=frozenset(self.asked_before - {self.asked}), rules=self.rules)
        if again.asks == self.asked:
            return again.text
        return ask(self.asked, self.facts, self.rules)

    def take(self, text: str) -> Assessment | None:
        """Use the applicant's reply; None when it says nothing the check can use (or is another question)."""
        folded = fold(text)
        if _NEW_QUESTION.match(folded) and not is_eligibility_question(text, self.rules):
            return None  # "When did the second call close?" names a call, but is not an answer
        new = extract_facts(text, self.rules, asked=self.asked, today=self.today)
        if not new.concrete and WHAT_IF.match(folded):
            # "and if it had been 14 months?" while the check asks for the PhD date: a bare length is the
            # time in the country (the rules count it in months), which the applicant changes.
            new = extract_facts(text, self.rules, asked="nl", today=self.today)
        if not new.concrete:
            return None
        self.facts = self.facts.merged(new)
        return self.step()

    def ask_again(self) -> Assessment:
        """For a reply that says nothing usable ("yes", "a few times"): the question once more, with examples."""
        asked = self.asked or "call"
        hint = retry_hints(self.rules)[asked]
        # It states no rule (only how to answer), so it cites nothing.
        return Assessment(f'Sorry, I didn\'t catch that. {hint} (Or say "cancel" to stop the check.)', asked, ())


def is_cancel(text: str) -> bool:
    return bool(_CANCEL.match(fold(text)))


def is_afresh(text: str) -> bool:
    """Whether the reply asks to start afresh ("start afresh", "start over"), forgetting the facts given."""
    return bool(_AFRESH.match(fold(text)))


def looks_like_a_question(text: str, rules: RuleSet | None = None) -> bool:
    """A question of its own ("what's the salary btw?"), not a reply to the check."""
    folded = fold(text)
    return bool(_NEW_QUESTION.match(folded) or folded.rstrip().endswith("?")) and not is_eligibility_question(
        text, rules
    )


# The names this module had when the rules were Python constants, for the modules that still use them:
# the bundled knowledge base's wording, computed on first use.
_COMPAT: dict[str, Callable[[RuleSet], object]] = {
    "QUESTIONS": questions,
    "WHAT_IS_NEEDED": what_is_needed,
    "RETRY_HINTS": retry_hints,
    "EXAMPLE": example,
}


def __getattr__(name: str) -> Any:
    if name in _COMPAT:
        return _COMPAT[name](default_rules())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _mobility_periods(facts: Facts) -> str:
    """The old name of `mobility_periods`, with the bundled rules."""
    return mobility_periods(facts)
