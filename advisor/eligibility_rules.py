"""Eligibility rules as data: the calls, their PhD windows, mobility limits and extensions.

The rules live in the knowledge folder's `eligibility-rules.yaml` (its header documents every
field). This module holds their data model and reads and validates that file, reporting every
problem with its file and line, as the loader of the other knowledge files does. It knows no
programme: another folder's rules file describes another programme's calls and host country.

A folder without the file has no eligibility check (`load_rules` returns None). The file is read
only when a question needs it, never at start-up.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .errors import KnowledgeError, Problem
from .knowledge import (
    ELIGIBILITY_RULES_FILE,
    default_knowledge_dir,
    load_document,
    read_knowledge_file,
    resolve_knowledge_dir,
    safe_loader,
    yaml_problem,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import yaml

#: The name of the rules file in a knowledge folder.
RULES_FILE = ELIGIBILITY_RULES_FILE


@dataclass(frozen=True)
class Extensions:
    """What moves a call's PhD window back; None (or False) where an extension did not apply."""

    months_per_child: float | None = None  # pregnancy
    only_born_after_phd: bool = False
    parental_max_per_child: float | None = None
    medical_max_years: float | None = None
    medical_wording: str = ""
    military: bool = False
    military_max_months: float | None = None  # None: the whole time served


@dataclass(frozen=True)
class PendingPhd:
    """What a PhD still pending at the deadline needed: a rule line, and the verdict's proviso."""

    needed: str
    provided: str


@dataclass(frozen=True)
class CallRules:
    """One call's eligibility rules, as its rules document gave them."""

    call: int
    open: str
    deadline: date
    sources: tuple[str, ...]
    phd_after: date
    phd_before: date  # the recruitment date
    pending: PendingPhd | None
    mobility_from: date
    mobility_until: date  # not included
    max_months: float
    extensions: Extensions
    country: str  # the host country as said in a sentence (the rule set's, so that a verdict needs no more)
    document: str  # what the rules were published in ("FAQ")

    @property
    def recruitment(self) -> date:
        """The recruitment date: the PhD had to come before it."""
        return self.phd_before

    @property
    def source_id(self) -> str:
        """The first source of the call's rules."""
        return self.sources[0]


@dataclass(frozen=True)
class UnknownCall:
    """A call whose rules did not survive: the check says so instead of guessing."""

    call: int
    deadline: date
    sources: tuple[str, ...]
    short: str
    explanation: str


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: a rule set is loaded once
class RuleSet:
    """The eligibility rules of one knowledge folder."""

    country: str
    places: tuple[str, ...]
    example_place: str
    programme_words: tuple[str, ...]
    rules_document: str
    rules_from: str
    reference_period: str
    after_verdict: str
    calls: Mapping[int, CallRules]  # the checkable calls, in the file's order
    unknown: Mapping[int, UnknownCall]

    @property
    def call_numbers(self) -> tuple[int, ...]:
        """Every call's number, checkable or not, in order."""
        return tuple(sorted({*self.calls, *self.unknown}))

    @property
    def rule_sources(self) -> tuple[str, ...]:
        """The sources of the checkable calls' rules, each once."""
        return tuple(dict.fromkeys(s for rules in self.calls.values() for s in rules.sources))

    def deadline(self, call: int) -> date:
        known = self.calls.get(call)
        return known.deadline if known is not None else self.unknown[call].deadline


# --- reading the file ---------------------------------------------------------------------------

YamlPath = tuple[str | int, ...]
TOP_REQUIRED = ("host_country", "rules_document", "rules_from", "reference_period", "calls")
TOP_KEYS = frozenset({*TOP_REQUIRED, "programme_words", "after_verdict"})
COUNTRY_KEYS = ("name", "places", "example_place")
CALL_KEYS = frozenset({"call", "deadline", "sources", "open", "phd", "mobility", "extensions", "unknown"})
CHECKABLE_KEYS = ("open", "phd", "mobility", "extensions")
EXTENSION_KEYS = {
    "children": ({"months_per_child"}, {"only_born_after_phd"}),
    "parental_leave": ({"max_months_per_child"}, set()),
    "medical_training": ({"max_years", "wording"}, set()),
    "military_service": (set(), {"max_months"}),
}
PLACEHOLDERS = {
    ("phd", "pending", "needed"): {"phd_before", "deadline"},
    ("phd", "pending", "provided"): {"phd_before", "deadline"},
    ("unknown", "short"): {"deadline"},
    ("unknown", "explanation"): {"deadline", "email"},
}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


class _Reader:
    """Typed values out of the parsed file, collecting a problem (with its YAML path) for each misfit."""

    def __init__(self) -> None:
        self.problems: list[tuple[YamlPath, str]] = []

    def add(self, path: YamlPath, message: str) -> None:
        self.problems.append((path, message))

    def mapping(self, value: object, path: YamlPath, what: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.add(path, f"{what} must be a mapping")
        return None

    def keys(
        self, data: dict[str, Any], path: YamlPath, required: tuple[str, ...] | set[str], allowed: set[str]
    ) -> bool:
        """Whether every required key is there; unknown keys are reported too."""
        complete = True
        for key in data:
            if key not in allowed:
                listed = ", ".join(sorted(allowed)) or "none"
                self.add((*path, key), f"unknown field {key!r} (allowed: {listed})")
        for key in sorted(required) if isinstance(required, set) else required:
            if key not in data:
                self.add(path, f"missing field {key!r}")
                complete = False
        return complete

    def text(self, data: dict[str, Any], key: str, path: YamlPath, placeholders: set[str] | None = None) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.add((*path, key), f"'{key}' must be a non-empty text")
            return ""
        for name in _PLACEHOLDER.findall(value):
            if placeholders is None or name not in placeholders:
                allowed = ", ".join(f"{{{p}}}" for p in sorted(placeholders or ())) or "none"
                self.add((*path, key), f"unknown placeholder {{{name}}} in '{key}' (allowed: {allowed})")
        return " ".join(value.split())

    def texts(self, data: dict[str, Any], key: str, path: YamlPath, *, fold: bool = False) -> tuple[str, ...]:
        """A non-empty list of texts; `fold`: as the applicant's words are compared (lower case)."""
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            self.add((*path, key), f"'{key}' must be a non-empty list of texts")
            return ()
        return tuple(" ".join((v.casefold() if fold else v).split()) for v in value)

    def day(self, data: dict[str, Any], key: str, path: YamlPath) -> date:
        value = data.get(key)
        if type(value) is not date:  # a datetime is a date too, but not a day
            self.add((*path, key), f"'{key}' must be a date written YYYY-MM-DD")
            return date.min
        return value

    def number(self, data: dict[str, Any], key: str, path: YamlPath) -> float:
        value = data.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 10_000:
            self.add((*path, key), f"'{key}' must be a number above 0 (and below 10,000)")
            return 1.0
        return float(value)

    def flag(self, data: dict[str, Any], key: str, path: YamlPath) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.add((*path, key), f"'{key}' must be true or false")
            return False
        return value


def parse_rules(text: str, name: str = RULES_FILE) -> RuleSet:
    """The rule set in `text` (the rules file's contents); KnowledgeError listing every problem."""
    import yaml

    try:
        document = load_document(text)
    except yaml.YAMLError as exc:
        raise KnowledgeError([yaml_problem(name, exc)]) from None
    reader = _Reader()
    rules = _read(document, reader)
    if reader.problems or rules is None:
        raise KnowledgeError(_locate(text, name, reader.problems or [((), "no rules")]))
    return rules


def _read(document: object, reader: _Reader) -> RuleSet | None:
    top = reader.mapping(document, (), "the rules file")
    if top is None:
        return None
    reader.keys(top, (), TOP_REQUIRED, set(TOP_KEYS))
    country: dict[str, Any] = {}
    if "host_country" in top:  # (if it is missing, that is said once, above)
        country = reader.mapping(top["host_country"], ("host_country",), "'host_country'") or {}
        reader.keys(country, ("host_country",), COUNTRY_KEYS, set(COUNTRY_KEYS))
    words: tuple[str, ...] = ()
    if "programme_words" in top:
        words = reader.texts(top, "programme_words", (), fold=True)
    name = reader.text(country, "name", ("host_country",)) if "name" in country else ""
    published_in = reader.text(top, "rules_document", ()) if "rules_document" in top else ""
    calls: dict[int, CallRules] = {}
    unknown: dict[int, UnknownCall] = {}
    items = top.get("calls", [])
    if not isinstance(items, list) or not items:
        reader.add(("calls",), "'calls' must be a non-empty list")
        items = []
    for index, item in enumerate(items):
        call = _read_call(item, ("calls", index), reader, country=name, document=published_in)
        if call is None:
            continue
        if call.call in calls or call.call in unknown:
            reader.add(("calls", index, "call"), f"call {call.call} is given twice")
        elif isinstance(call, CallRules):
            calls[call.call] = call
        else:
            unknown[call.call] = call
    if items and not calls and not reader.problems:
        reader.add(("calls",), "no call has rules to check (every call is 'unknown')")
    return RuleSet(
        country=name,
        places=reader.texts(country, "places", ("host_country",), fold=True) if "places" in country else (),
        example_place=reader.text(country, "example_place", ("host_country",)) if "example_place" in country else "",
        programme_words=words,
        rules_document=published_in,
        rules_from=reader.text(top, "rules_from", ()) if "rules_from" in top else "",
        reference_period=reader.text(top, "reference_period", ()) if "reference_period" in top else "",
        after_verdict=reader.text(top, "after_verdict", (), {"closed"}) if "after_verdict" in top else "",
        calls=calls,
        unknown=unknown,
    )


def _read_call(
    item: object, path: YamlPath, reader: _Reader, *, country: str, document: str
) -> CallRules | UnknownCall | None:
    data = reader.mapping(item, path, "each call")
    if data is None:
        return None
    checkable = "unknown" not in data
    required = ("call", "deadline", "sources", *(CHECKABLE_KEYS if checkable else ("unknown",)))
    allowed = set(CALL_KEYS) - ({"unknown"} if checkable else set(CHECKABLE_KEYS))
    if not reader.keys(data, path, required, allowed):
        return None
    number = data["call"]
    if type(number) is not int or not 0 < number < 100:
        reader.add((*path, "call"), "'call' must be a whole number from 1 to 99")
        number = 0
    deadline = reader.day(data, "deadline", path)
    sources = reader.texts(data, "sources", path)
    if not checkable:
        known = reader.mapping(data["unknown"], (*path, "unknown"), "'unknown'") or {}
        inner = (*path, "unknown")
        if known and reader.keys(known, inner, ("short", "explanation"), {"short", "explanation"}):
            short = reader.text(known, "short", inner, PLACEHOLDERS["unknown", "short"])
            explanation = reader.text(known, "explanation", inner, PLACEHOLDERS["unknown", "explanation"])
            return UnknownCall(number, deadline, sources, short, explanation)
        return None
    phd = reader.mapping(data["phd"], (*path, "phd"), "'phd'") or {}
    mobility = reader.mapping(data["mobility"], (*path, "mobility"), "'mobility'") or {}
    extensions = reader.mapping(data["extensions"] or {}, (*path, "extensions"), "'extensions'") or {}
    phd_path, mobility_path = (*path, "phd"), (*path, "mobility")
    phd_ok = reader.keys(phd, phd_path, ("after", "before"), {"after", "before", "pending"})
    mobility_ok = reader.keys(mobility, mobility_path, ("from", "until", "max_months"), {"from", "until", "max_months"})
    if not (phd_ok and mobility_ok):
        return None
    rules = CallRules(
        call=number,
        open=reader.text(data, "open", path),
        deadline=deadline,
        sources=sources,
        phd_after=reader.day(phd, "after", phd_path),
        phd_before=reader.day(phd, "before", phd_path),
        pending=_read_pending(phd, phd_path, reader),
        mobility_from=reader.day(mobility, "from", mobility_path),
        mobility_until=reader.day(mobility, "until", mobility_path),
        max_months=reader.number(mobility, "max_months", mobility_path),
        extensions=_read_extensions(extensions, (*path, "extensions"), reader),
        country=country,
        document=document,
    )
    for first, last, where, what in (
        (rules.phd_after, rules.phd_before, phd_path, "the PhD window: 'after'"),
        (rules.mobility_from, rules.mobility_until, mobility_path, "the mobility period: 'from'"),
    ):
        if date.min < first and date.min < last and first >= last:
            closing = "'before'" if "PhD" in what else "'until'"
            reader.add(where, f"{what} ({first.isoformat()}) must come before {closing} ({last.isoformat()})")
    return rules


def _read_pending(phd: dict[str, Any], path: YamlPath, reader: _Reader) -> PendingPhd | None:
    if "pending" not in phd:
        return None
    where = (*path, "pending")
    pending = reader.mapping(phd["pending"], where, "'pending'")
    if pending is None or not reader.keys(pending, where, ("needed", "provided"), {"needed", "provided"}):
        return None
    return PendingPhd(
        reader.text(pending, "needed", where, PLACEHOLDERS["phd", "pending", "needed"]),
        reader.text(pending, "provided", where, PLACEHOLDERS["phd", "pending", "provided"]),
    )


def _read_extensions(data: dict[str, Any], path: YamlPath, reader: _Reader) -> Extensions:
    values: dict[str, Any] = {}
    for key in data:
        if key not in EXTENSION_KEYS:
            reader.add((*path, key), f"unknown extension {key!r} (allowed: {', '.join(EXTENSION_KEYS)})")
    for key, (required, optional) in EXTENSION_KEYS.items():
        if key not in data:
            continue
        where = (*path, key)
        item = reader.mapping(data[key] if data[key] is not None else {}, where, f"'{key}'")
        if item is None or not reader.keys(item, where, required, required | optional):
            continue
        if key == "children":
            values["months_per_child"] = reader.number(item, "months_per_child", where)
            values["only_born_after_phd"] = reader.flag(item, "only_born_after_phd", where)
        elif key == "parental_leave":
            values["parental_max_per_child"] = reader.number(item, "max_months_per_child", where)
        elif key == "medical_training":
            values["medical_max_years"] = reader.number(item, "max_years", where)
            values["medical_wording"] = reader.text(item, "wording", where)
        else:
            values["military"] = True
            if "max_months" in item:
                values["military_max_months"] = reader.number(item, "max_months", where)
    return Extensions(**values)


def _locate(text: str, name: str, problems: list[tuple[YamlPath, str]]) -> list[Problem]:
    """The problems with the line of the YAML node each is about (or of its nearest parent)."""
    import yaml

    try:
        root: yaml.Node | None = yaml.compose(text, Loader=safe_loader())
    except yaml.YAMLError:
        root = None
    return [Problem(name, _line_of(root, path), message) for path, message in problems]


def _line_of(root: yaml.Node | None, path: YamlPath) -> int | None:
    import yaml

    node = root
    line = None if node is None else node.start_mark.line + 1
    for step in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if getattr(key, "value", None) == step), None)
            if child is not None and isinstance(child, yaml.ScalarNode) and isinstance(step, str):
                # A field's own line: the key's, which is the value's too unless the value is a block.
                child = next(key for key, value in node.value if value is child)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def load_rules(
    folder: str | os.PathLike[str] | Traversable | None = None, *, document: object = None
) -> RuleSet | None:
    """The rules of `folder` (the bundled knowledge base by default), or None if it has no rules file.

    `document` is the index cache's copy of the file as parsed (see index_cache.IndexCache.rules_for),
    used instead of parsing it when it is given and valid.

    Raises:
        KnowledgeError: the file cannot be read or does not validate (each problem with its line).
    """
    if document is not None:
        reader = _Reader()
        rules = _read(document, reader)
        if rules is not None and not reader.problems:
            return rules
    text = read_rules_text(folder)
    return None if text is None else parse_rules(text)


def read_rules_text(folder: str | os.PathLike[str] | Traversable | None) -> str | None:
    """The text of `folder`'s rules file, or None if it has none. Raises KnowledgeError if unreadable."""
    file = resolve_knowledge_dir(folder) / RULES_FILE
    if not file.is_file():
        return None
    try:
        return read_knowledge_file(file).decode("utf-8")
    except OSError as exc:
        raise KnowledgeError([Problem(RULES_FILE, None, f"cannot read file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise KnowledgeError([Problem(RULES_FILE, None, f"not UTF-8 text (byte {exc.start})")]) from None


def rule_problems(folder: str | os.PathLike[str] | Traversable | None, source_ids: set[str]) -> list[Problem]:
    """For `advisor check`: what is wrong with the folder's rules file, including sources that the
    folder does not define (`source_ids` are the ones it does)."""
    try:
        rules = load_rules(folder)
    except KnowledgeError as exc:
        return list(exc.problems)
    if rules is None:
        return []
    cited_ids = [s for call in rules.calls.values() for s in call.sources]
    cited_ids += [s for call in rules.unknown.values() for s in call.sources]
    if all(source in source_ids for source in cited_ids):
        return []
    # Valid, so the calls are a list of mappings with lists of sources: find where each unknown one is.
    text = read_knowledge_file(resolve_knowledge_dir(folder) / RULES_FILE).decode("utf-8")
    document: Any = load_document(text)
    cited: list[tuple[YamlPath, str]] = [
        (("calls", index, "sources", position), f"call {call['call']}: unknown source {source!r}")
        for index, call in enumerate(document["calls"])
        for position, source in enumerate(call["sources"])
        if source not in source_ids
    ]
    return _locate(text, RULES_FILE, cited)


@functools.lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The rules of the bundled knowledge base (read once, on first use)."""
    rules = load_rules(default_knowledge_dir())
    if rules is None:
        raise KnowledgeError([Problem(RULES_FILE, None, "the bundled knowledge base has no eligibility rules")])
    return rules
