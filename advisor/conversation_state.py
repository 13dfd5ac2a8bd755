"""A conversation's state as plain JSON, and back: what a web page keeps between questions.

The state holds only what the next turn needs (the last question's words and entry, the
numbered choices on offer, an eligibility check in progress, what the applicant said about
themself), never past answers. It comes back from a client, so nothing in it is trusted:
`read_state` checks every type, size and value (entry ids must exist in the advisor's
knowledge, dates must be dates) and raises StateError for anything else, so that the caller
can start a fresh conversation instead.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any

from .dates import MonthOnly, Period
from .eligibility import Facts
from .errors import AdvisorError

if TYPE_CHECKING:
    from .conversation import Conversation
    from .eligibility_check import EligibilityCheck
    from .engine import Advisor

#: Bumped whenever the layout changes; a state of another version starts a fresh conversation.
STATE_VERSION = 1
#: Bounds that keep a state small (a request body is at most 16 KB) and its checks cheap.
MAX_TOKENS = 64
MAX_TOKEN_CHARS = 100
MAX_TEXT_CHARS = 200  # the text a date was read from ("10/11/2016")
MAX_NOTE_CHARS = 1000  # a note on how dates were read
MAX_CHOICES = 10
MAX_STAYS = 24
MAX_NUMBER = 10_000.0
_ASKS = frozenset({"call", "phd", "phd_year", "extensions", "nl", "nl_dates"})
_PRECISIONS = frozenset({"day", "month", "season", "year"})


class StateError(AdvisorError):
    """A conversation state that does not validate (tampered with, truncated, from another version)."""


def write_state(conversation: Conversation) -> dict[str, Any]:
    """`conversation`'s state as a JSON-serialisable dict."""
    check = conversation._check
    return {
        "v": STATE_VERSION,
        "last_tokens": list(conversation._last_tokens),
        "last_entry": conversation._last_entry,
        "choices": list(conversation._choices),
        "check": None if check is None else _write_check(check),
        "known": None if conversation._known is None else _write_facts(conversation._known),
        "last_verdict": conversation._last_verdict,
        "verdict_calls": list(conversation._verdict_calls),
        "aside": conversation._aside,
        "for_someone_else": conversation._for_someone_else,
    }


def read_state(advisor: Advisor, data: object) -> Conversation:
    """A conversation of `advisor` restored from `data` (as `write_state` made it); StateError if invalid."""
    from .eligibility_check import EligibilityCheck

    state = _object(data, "state")
    if state.get("v") != STATE_VERSION:
        raise StateError(f"state: version must be {STATE_VERSION}")
    _only(
        state,
        {
            "v",
            "last_tokens",
            "last_entry",
            "choices",
            "check",
            "known",
            "last_verdict",
            "verdict_calls",
            "aside",
            "for_someone_else",
        },
        "state",
    )
    tokens = _list(state.get("last_tokens", []), "last_tokens", MAX_TOKENS)
    last_entry = state.get("last_entry")
    choices = _list(state.get("choices", []), "choices", MAX_CHOICES)
    conversation = advisor.conversation()  # not Conversation(advisor): conversation.py imports this module
    conversation._last_tokens = tuple(_text(t, "last_tokens[]", MAX_TOKEN_CHARS) for t in tokens)
    conversation._last_entry = None if last_entry is None else _entry_id(advisor, last_entry, "last_entry")
    conversation._choices = [_entry_id(advisor, c, "choices[]") for c in choices]
    rules = advisor.eligibility_rules
    numbers = rules.call_numbers if rules is not None else ()
    check = state.get("check")
    if check is not None:
        checked = _object(check, "check")
        _only(checked, {"facts", "asked", "asked_before"}, "check")
        if rules is None:
            raise StateError("check: this knowledge base has no eligibility check")
        restored = EligibilityCheck(_read_facts(checked.get("facts"), "check.facts", numbers), rules=rules)
        asked = checked.get("asked")
        if asked is not None and asked not in _ASKS:
            raise StateError("check.asked: not a question the check asks")
        before = _list(checked.get("asked_before", []), "check.asked_before", len(_ASKS))
        if any(item not in _ASKS for item in before):
            raise StateError("check.asked_before: not a question the check asks")
        restored.asked = asked
        restored.asked_before = set(before)
        restored.restore_question()
        conversation._check = restored
    known = state.get("known")
    if known is not None:
        conversation._known = _read_facts(known, "known", numbers)
    conversation._last_verdict = _bool(state.get("last_verdict", False), "last_verdict")
    # Optional: a state written before it was kept has none (a "what if ...?" then starts afresh).
    conversation._verdict_calls = _read_calls(state.get("verdict_calls", []), "verdict_calls", numbers)
    conversation._aside = _bool(state.get("aside", False), "aside")
    conversation._for_someone_else = _bool(state.get("for_someone_else", False), "for_someone_else")
    return conversation


def _write_check(check: EligibilityCheck) -> dict[str, Any]:
    # The question's wording is not kept: it is derived again from the facts (a client cannot put words
    # into the advisor's mouth).
    return {"facts": _write_facts(check.facts), "asked": check.asked, "asked_before": sorted(check.asked_before)}


def _write_facts(facts: Facts) -> dict[str, Any]:
    return {
        "calls": list(facts.calls),
        "phd": _write_period(facts.phd),
        "phd_month_only": None
        if facts.phd_month_only is None
        else {"month": facts.phd_month_only.month, "text": facts.phd_month_only.text[:MAX_TEXT_CHARS]},
        # Stays add up as the applicant names them; only the newest are kept, so the state stays small.
        "nl_stays": [[_write_period(begin), _write_period(end)] for begin, end in facts.nl_stays[-MAX_STAYS:]],
        "nl_months": facts.nl_months,
        "nl_never": facts.nl_never,
        "children": facts.children,
        "children_before_phd": facts.children_before_phd,
        "parental_months": facts.parental_months,
        "medical_years": facts.medical_years,
        "military_months": facts.military_months,
        "extensions_answered": facts.extensions_answered,
        "day_first_note": facts.day_first_note[:MAX_NOTE_CHARS],
    }


def _read_calls(data: object, where: str, numbers: tuple[int, ...]) -> tuple[int, ...]:
    """Distinct calls among `numbers` (the calls of the advisor's eligibility rules)."""
    calls = _list(data, where, len(numbers))
    if any(type(c) is not int or c not in numbers for c in calls) or len(set(calls)) != len(calls):
        raise StateError(f"{where}: must be distinct calls of {', '.join(map(str, numbers)) or 'none'}")
    return tuple(calls)


def _read_facts(data: object, where: str, numbers: tuple[int, ...]) -> Facts:
    """The facts in `data`; `numbers` are the calls of the advisor's eligibility rules."""
    facts = _object(data, where)
    _only(facts, set(Facts._fields), where)
    calls = _read_calls(facts.get("calls", []), f"{where}.calls", numbers)
    phd = facts.get("phd")
    month_only = facts.get("phd_month_only")
    stays = _list(facts.get("nl_stays", []), f"{where}.nl_stays", MAX_STAYS)
    children = facts.get("children")
    if children is not None and (type(children) is not int or not 0 <= children <= 20):
        raise StateError(f"{where}.children: must be a whole number from 0 to 20")
    return Facts(
        calls=calls,
        phd=None if phd is None else _read_period(phd, f"{where}.phd"),
        phd_month_only=None if month_only is None else _read_month_only(month_only, f"{where}.phd_month_only"),
        nl_stays=tuple(_read_stay(stay, f"{where}.nl_stays[]") for stay in stays),
        nl_months=_number(facts.get("nl_months"), f"{where}.nl_months"),
        nl_never=_bool(facts.get("nl_never", False), f"{where}.nl_never"),
        children=children,
        children_before_phd=_bool(facts.get("children_before_phd", False), f"{where}.children_before_phd"),
        parental_months=_number(facts.get("parental_months"), f"{where}.parental_months"),
        medical_years=_number(facts.get("medical_years"), f"{where}.medical_years"),
        military_months=_number(facts.get("military_months"), f"{where}.military_months"),
        extensions_answered=_bool(facts.get("extensions_answered", False), f"{where}.extensions_answered"),
        day_first_note=_text(facts.get("day_first_note", ""), f"{where}.day_first_note", MAX_NOTE_CHARS),
    )


def _write_period(period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "text": period.text[:MAX_TEXT_CHARS],
        "precision": period.precision,
        "day_first_numeric": period.day_first_numeric,
    }


def _read_period(data: object, where: str) -> Period:
    period = _object(data, where)
    _only(period, set(Period._fields), where)
    first, last = _date(period.get("first"), f"{where}.first"), _date(period.get("last"), f"{where}.last")
    if last < first:
        raise StateError(f"{where}: ends before it begins")
    precision = period.get("precision")
    if precision not in _PRECISIONS:
        raise StateError(f"{where}.precision: must be day, month, season or year")
    return Period(
        first,
        last,
        _text(period.get("text"), f"{where}.text", MAX_TEXT_CHARS),
        str(precision),
        _bool(period.get("day_first_numeric", False), f"{where}.day_first_numeric"),
    )


def _read_stay(data: object, where: str) -> tuple[Period, Period]:
    pair = _list(data, where, 2)
    if len(pair) != 2:
        raise StateError(f"{where}: must be a pair of dates")
    return _read_period(pair[0], f"{where}[0]"), _read_period(pair[1], f"{where}[1]")


def _read_month_only(data: object, where: str) -> MonthOnly:
    value = _object(data, where)
    _only(value, set(MonthOnly._fields), where)
    month = value.get("month")
    if type(month) is not int or not 1 <= month <= 12:
        raise StateError(f"{where}.month: must be 1 to 12")
    return MonthOnly(month, _text(value.get("text"), f"{where}.text", MAX_TEXT_CHARS))


def _entry_id(advisor: Advisor, value: object, where: str) -> str:
    text = _text(value, where, MAX_TEXT_CHARS)
    try:
        advisor.entry(text)
    except KeyError:
        raise StateError(f"{where}: no entry {text!r} in this knowledge base") from None
    return text


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StateError(f"{where}: must be an object")
    return value


def _only(value: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(value) - allowed
    if unknown:
        raise StateError(f"{where}: unknown field {sorted(unknown)[0]!r}")


def _list(value: object, where: str, most: int) -> list[Any]:
    if not isinstance(value, list):
        raise StateError(f"{where}: must be a list")
    if len(value) > most:
        raise StateError(f"{where}: more than {most} items")
    return value


def _text(value: object, where: str, most: int) -> str:
    if not isinstance(value, str) or len(value) > most:
        raise StateError(f"{where}: must be a string of at most {most} characters")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise StateError(f"{where}: must be true or false")
    return value


def _number(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise StateError(f"{where}: must be a number")
    if not 0 <= value <= MAX_NUMBER:
        raise StateError(f"{where}: out of range")
    return value


def _date(value: object, where: str) -> date:
    text = _text(value, where, 10)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise StateError(f"{where}: not a date (YYYY-MM-DD)") from None
