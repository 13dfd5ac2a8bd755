"""Eligibility: the names other modules import, gathered from the modules that now hold them.

The rules are data (the knowledge folder's eligibility-rules.yaml, read by advisor.eligibility_rules);
the facts an applicant gives are read by advisor.eligibility_facts; advisor.eligibility_judge applies
one call's rules to them; advisor.eligibility_check is the guided check. The constants that once
held the rules (RULES, RULE_SOURCES) are still here, computed from the bundled knowledge base's
rules on first use, so that importing this module reads no file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .eligibility_facts import Facts, extract_facts, is_eligibility_question
from .eligibility_judge import Check, check_mobility, check_phd, mobility_rule, phd_rule
from .eligibility_rules import CallRules, RuleSet, default_rules, load_rules

__all__ = [
    "CallRules",
    "Check",
    "Facts",
    "RuleSet",
    "check_mobility",
    "check_phd",
    "default_rules",
    "extract_facts",
    "is_eligibility_question",
    "load_rules",
    "mobility_rule",
    "phd_rule",
]


# The names that once held the rules, still imported by older code: the bundled rules, on first use.
_COMPAT: dict[str, Callable[[RuleSet], object]] = {
    "RULES": lambda rules: rules.calls,
    "RULE_SOURCES": lambda rules: rules.rule_sources,
}


def __getattr__(name: str) -> Any:
    if name in _COMPAT:
        return _COMPAT[name](default_rules())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
