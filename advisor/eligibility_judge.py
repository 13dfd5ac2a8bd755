"""One call's rules applied to an applicant's facts: the PhD window (with its extensions) and the
limit on time in the host country.

Each check says "yes", "no", "doubt", "pending" or "need" (a fact is missing), with the reason
and the rules it applied, worded for the verdict. Where the rules leave doubt (a PhD "in 2012"
when the window opened on 1 October 2012, a stay that began before the reference period), the
check says so instead of guessing. The rules are data (advisor.eligibility_rules).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import NamedTuple

from .dates import add_months, describe, format_date, months_between, say_months
from .eligibility_facts import Facts
from .eligibility_rules import CallRules

_DAY = timedelta(days=1)


class Check(NamedTuple):
    """One rule applied: "yes", "no", "doubt", "pending", or "need" (a fact is missing)."""

    state: str
    detail: str = ""
    rules: tuple[str, ...] = ()
    exact_dates_would_help: bool = False  # the doubt comes from dates given loosely ("2013", "March 2015")


def no_time_there(rules: CallRules) -> str:
    """The reason a mobility check passes when the applicant spent no time in the host country."""
    return f"you spent no time in {rules.country}"


def _extension_months(facts: Facts, rules: CallRules) -> tuple[float, list[str], list[str]]:
    """The total extension, a line per extension, and any doubts."""
    total = 0.0
    lines: list[str] = []
    doubts: list[str] = []
    allowed = rules.extensions
    if facts.children and allowed.months_per_child is not None:
        if allowed.only_born_after_phd and facts.children_before_phd:
            lines.append(f"pregnancy: none, as Call {rules.call} counted only children born after the PhD award")
        else:
            months: float = facts.children * allowed.months_per_child
            total += months
            who = "per child born after the PhD award" if allowed.only_born_after_phd else "per child"
            lines.append(f"pregnancy: {allowed.months_per_child:g} months {who}, here {months:g} months")
    if facts.parental_months and allowed.parental_max_per_child is not None:
        per_child = allowed.parental_max_per_child
        months = min(facts.parental_months, per_child * (facts.children or 1))
        total += months
        lines.append(f"parental leave: up to {per_child:g} months per child, here {say_months(months)}")
        if not facts.children and facts.parental_months > per_child:
            doubts.append(
                f"parental leave counted for at most {per_child:g} months per child, "
                "and I don't know how many children you had"
            )
    if facts.medical_years and allowed.medical_max_years is not None:
        years = min(facts.medical_years, allowed.medical_max_years)
        total += years * 12
        lines.append(f"medical-specialist training: {allowed.medical_wording}, here {years:g} years")
    if facts.military_months and allowed.military:
        served = facts.military_months
        if allowed.military_max_months is not None:
            served = min(served, allowed.military_max_months)
            rule = f"up to {say_months(allowed.military_max_months)}"
        else:
            rule = "the time served"
        total += served
        lines.append(f"compulsory or reserve military service: {rule}, here {say_months(served)}")
    return total, lines, doubts


def phd_rule(rules: CallRules) -> str:
    """The call's PhD window, as the verdicts list it."""
    return (
        f"Call {rules.call}: PhD obtained (defence included) after {format_date(rules.phd_after)} and before "
        f"{format_date(rules.phd_before)}"
    )


def mobility_rule(rules: CallRules) -> str:
    """The call's limit on time in the host country, as the verdicts list it."""
    return (
        f"Call {rules.call}: at most {rules.max_months:g} months in {rules.country} between "
        f"{format_date(rules.mobility_from)} and {format_date(rules.mobility_until)}"
    )


def window_start(facts: Facts, rules: CallRules) -> tuple[date, list[str]]:
    """The day after which the PhD had to come, moved back by the applicant's extensions, and a line
    for each extension ("pregnancy: 6 months per child, here 12 months")."""
    extension, lines, _ = _extension_months(facts, rules)
    return (add_months(rules.phd_after, -extension) if extension else rules.phd_after), lines


def check_phd(facts: Facts, rules: CallRules) -> Check:
    """The PhD window (with any extensions) and, where the call had one, the pending-PhD rule."""
    phd = facts.phd
    if phd is None:
        return Check("need", "phd")
    extension, extension_lines, doubts = _extension_months(facts, rules)
    start = add_months(rules.phd_after, -extension) if extension else rules.phd_after
    lines = [
        phd_rule(rules)
        + (f"; with your extensions ({extension:g} months), after {format_date(start)}" if extension else "")
    ]
    lines += [f"Call {rules.call} extension for {line}" for line in extension_lines]
    said = describe(phd)
    if phd.first > rules.phd_before:
        return Check("no", f"your PhD ({said}) came after the recruitment date, "
                     f"{format_date(rules.phd_before)}", tuple(lines))  # fmt: skip
    if phd.first <= start and not facts.extensions_answered:
        return Check("need", "extensions", tuple(lines))
    if phd.last < start:
        return Check("no", f"your PhD ({said}) came before the window, which began after {format_date(start)}"
                     + ("" if extension else " (and no extension applied)"), tuple(lines))  # fmt: skip
    after_deadline = phd.last > rules.deadline
    if rules.pending is not None and after_deadline:
        lines.append(
            f"Call {rules.call}: a PhD still pending at the deadline ({format_date(rules.deadline)}) needed "
            + _fill(rules.pending.needed, rules)
        )
    elif after_deadline:
        lines.append(
            f"Call {rules.call}: its {rules.document} does not say what a PhD still pending at the deadline "
            f"({format_date(rules.deadline)}) needed"
        )
    for edge, side in ((start, "start"), (rules.phd_before, "end")):
        if phd.first <= edge <= phd.last:
            detail = (
                f"your PhD date is the window's {side} itself ({format_date(edge)}), and the {rules.document}'s "
                "wording ('after' and 'before') leaves that day unclear"
                if phd.exact
                else f"the window's {side} ({format_date(edge)}) falls within {said}, so it depends on the exact date"
            )
            return Check("doubt", "; ".join([detail, *doubts]), tuple(lines), exact_dates_would_help=not phd.exact)
    if doubts:
        return Check("doubt", "; ".join(doubts), tuple(lines))
    if rules.pending is not None and after_deadline:
        return Check("pending", "", tuple(lines))
    return Check("yes", "", tuple(lines))


def _fill(text: str, rules: CallRules) -> str:
    """A text of the rules file with its placeholders ({phd_before}, {deadline}) filled in."""
    return text.replace("{phd_before}", format_date(rules.phd_before)).replace(
        "{deadline}", format_date(rules.deadline)
    )


def pending_proviso(rules: CallRules) -> str:
    """What a PhD pending at the deadline needed, as the verdict's proviso (empty if the call said nothing)."""
    return "" if rules.pending is None else _fill(rules.pending.provided, rules)


def check_mobility(facts: Facts, rules: CallRules) -> Check:
    """At most the call's limit of time in the host country within its reference period: the rule counts
    the time between the period's dates, so a stay that began before it or went on after it counts only
    for its part inside ("moved there on 1 August 2017": 11 months by 1 July 2018)."""
    lines = (mobility_rule(rules),)
    limit = rules.max_months + 1e-9  # "at most 12 months": exactly 12 passes
    there = rules.country
    if facts.nl_stays:
        low = high = 0.0
        last_day = rules.mobility_until - _DAY
        for begin, finish in facts.nl_stays:
            # The least and most overlap the dates as given allow.
            low += months_between(max(begin.last, rules.mobility_from), min(finish.first, last_day))
            high += months_between(max(begin.first, rules.mobility_from), min(finish.last, last_day))
        exact = abs(high - low) < 0.05
        inside = (
            _duration(high, rules) if exact else f"between {_bound(low, 'down', rules)} and {_bound(high, 'up', rules)}"
        )
        if low > limit:
            least = inside if exact else f"at least {_bound(low, 'down', rules)}"
            return Check("no", f"{least} of your time in {there} fell in the reference period", lines)
        if high > limit:
            detail = f"{inside} of your time in {there} fell in the reference period, and the exact dates decide"
            return Check("doubt", detail, lines, exact_dates_would_help=True)
        most = inside if exact else f"at most {_bound(high, 'up', rules)}"
        return Check("yes", f"{most} of your time in {there} fell in the reference period", lines)
    if facts.nl_months is not None:
        if facts.nl_months <= limit:
            detail = f"{_duration(facts.nl_months, rules)} in all cannot exceed the {rules.max_months:g}-month limit"
            return Check("yes", detail, lines)
        return Check("need", "nl_dates", lines)
    if facts.nl_never:
        return Check("yes", no_time_there(rules), lines)
    return Check("need", "nl", lines)


def _near_limit(months: float, rules: CallRules) -> bool:
    """Whether a figure is close enough to the call's limit that its decimal matters."""
    return rules.max_months - 1 <= months <= rules.max_months + 1


def _duration(months: float, rules: CallRules) -> str:
    """A time in the host country as people say it; to one decimal only near the limit."""
    return say_months(months, exact=_near_limit(months, rules))


def _bound(months: float, direction: str, rules: CallRules) -> str:
    """One end of a range of months, rounded outwards ("at least 16 months", "at most 8 months")."""
    if months < 1 or _near_limit(months, rules) or abs(months - round(months)) < 0.05:
        return _duration(months, rules)
    whole = math.floor(months) if direction == "down" else math.ceil(months)
    return f"{whole} months"
