"""`advisor check`: validate a knowledge folder beyond what loading requires.

Loading already rejects structural problems. This adds the curator's checks:
sources nobody cites, example questions shared by two entries,
self-consistency (each entry's own example questions must reach that entry),
and answers that copy wording from the stored source texts in `documents/`.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .eligibility_rules import rule_problems
from .engine import ELIGIBILITY_TOPIC, Advisor
from .errors import KnowledgeError, Problem
from .index_cache import CACHE_NAME, index_problem
from .knowledge import (
    iter_yaml_files,
    load_document,
    load_knowledge_documents,
    read_knowledge_file,
    resolve_knowledge_dir,
    safe_loader,
)
from .models import Entry, KnowledgeBase
from .normalize import normalize
from .router import ELIGIBILITY_INTENT

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


@dataclass
class CheckReport:
    """What `advisor check` found; `usable` is False when nothing could be loaded."""

    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    sources: int = 0
    topics: int = 0
    usable: bool = True
    folder: str = ""  # the folder checked, as the user should know it
    notes: list[str] = field(default_factory=list)  # what was not checked, and why

    def summary(self) -> str:
        counts = ", ".join(
            _count(n, one, many)
            for n, one, many in (
                (self.entries, "entry", "entries"),
                (self.sources, "source", "sources"),
                (self.topics, "topic", "topics"),
                (len(self.problems), "problem", "problems"),
            )
        )
        return f"Checked {self.folder}: {counts}" if self.folder else counts


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def describe_folder(folder: str | os.PathLike[str] | Traversable | None) -> str:
    """The knowledge folder in use, said so that a user knows which copy they are working on."""
    try:
        root = resolve_knowledge_dir(folder)
    except KnowledgeError:
        return str(folder)
    if folder is not None:
        return str(root)
    if root == Path(__file__).resolve().parent.parent / "knowledge":
        return f"{root} (the knowledge base of this checkout)"
    # A non-editable install: editing a checkout's knowledge/ changes nothing here.
    return (
        f"{root} (the copy installed with the package, not a checkout's knowledge/: pass --knowledge "
        "knowledge/, or install with pip install -e .)"
    )


def check_knowledge(folder: str | os.PathLike[str] | Traversable | None = None) -> CheckReport:
    """Validate `folder` (the bundled knowledge base by default) and report every problem."""
    report = CheckReport(folder=describe_folder(folder))
    try:
        root = resolve_knowledge_dir(folder)
        kb, documents = load_knowledge_documents(root)
    except KnowledgeError as exc:
        report.usable = not _is_unusable(exc)
        if not report.usable:
            report.problems.extend(exc.problems)
            return report
        report.problems.extend(_explained(exc.problems, root))
        report.notes.extend(
            f"{name} could not be read, so its entries and sources are missing and the checks of references "
            "to them (related entries, source ids) were skipped"
            for name in sorted({p.path for p in exc.problems if p.message.startswith(_UNREADABLE)})
        )
        report.entries, report.sources, report.topics = _count_readable(root)
        return report
    report.entries, report.sources, report.topics = len(kb.entries), len(kb.sources), len(kb.topics)
    skipped_links: list[str] = []
    for _ in iter_yaml_files(root, skipped_links=skipped_links):
        pass
    report.problems.extend(
        Problem(name, None, "a link to a folder: not followed, so any YAML files in it are not read")
        for name in skipped_links
    )
    report.problems.extend(_unused_sources(kb))
    report.problems.extend(_shared_questions(kb))
    report.problems.extend(_shown_questions(kb))
    rules = rule_problems(root, {source.id for source in kb.sources})
    report.problems.extend(rules)
    report.problems.extend(_self_consistency(kb, with_rules=not rules))
    report.problems.extend(_copied_wording(kb, root))
    stale = index_problem(root, kb, documents)
    if stale is not None:
        report.problems.append(Problem(CACHE_NAME, None, stale))
    return report


def _is_unusable(error: KnowledgeError) -> bool:
    from .errors import KnowledgeNotFoundError

    return isinstance(error, KnowledgeNotFoundError)


def _at_question(entry: Entry, index: int, message: str) -> Problem:
    """A problem of an entry's example question, at that question's line (the entry's, if unknown)."""
    lines = entry.question_lines
    return Problem(entry.file or "?", lines[index] if index < len(lines) else entry.line, message)


def _unused_sources(kb: KnowledgeBase) -> list[Problem]:
    cited = {source.id for entry in kb.entries for source in entry.sources}
    return [
        Problem(source.file or "?", source.line, f"source {source.id!r} is not cited by any entry")
        for source in kb.sources
        if source.id not in cited
    ]


def _shared_questions(kb: KnowledgeBase) -> list[Problem]:
    owners: dict[str, list[tuple[Entry, int]]] = defaultdict(list)
    for entry in kb.entries:
        for index, question in enumerate(entry.questions):
            owners[normalize(question)].append((entry, index))
    problems = []
    for question, places in owners.items():
        ids = sorted({entry.id for entry, _ in places})
        if len(ids) > 1:
            entry, index = places[-1]
            message = f"example question {question!r} is shared by entries {', '.join(ids)}"
            problems.append(_at_question(entry, index, message))
    return problems


def _shown_questions(kb: KnowledgeBase) -> list[Problem]:
    """An entry's first example question is the one shown for it ("did you mean" choices, related
    questions): it must read as a question a person would ask, not a search term ("many applicants?")."""
    return [
        _at_question(entry, 0, f"the first example question of {entry.id} ({first!r}) is shown to users "
                     "(in choices and related questions): begin it with a capital letter, as a whole question")
        for entry in kb.entries
        if not (first := entry.questions[0].strip())[:1].isupper() and not first[:1].isdigit()
    ]  # fmt: skip


def _self_consistency(kb: KnowledgeBase, *, with_rules: bool = True) -> list[Problem]:
    advisor = Advisor(kb)
    if not with_rules:  # the rules file's problems are reported already; the entries are checked without it
        advisor.eligibility_rules = None
    problems = []
    for entry in kb.entries:
        for index, question in enumerate(entry.questions):
            answer = advisor.ask(question)
            if answer.intent == entry.id or any(part.answer.intent == entry.id for part in answer.parts or ()):
                continue  # answered by the entry, alone or as one part of a two-question example
            if answer.intent == ELIGIBILITY_INTENT and entry.topic == ELIGIBILITY_TOPIC:
                continue  # a case of the applicant's own under these rules: the check applies them to it
            got = answer.intent or ("a did-you-mean choice" if answer.suggestions else "a decline")
            message = f"example question {question!r} of {entry.id} is answered by {got}"
            problems.append(_at_question(entry, index, message))
    return problems


#: Answers are written in the advisor's own words: a run of this many words shared with a
#: stored source text counts as copied.
COPY_RUN = 8
DOCUMENTS_DIR = "documents"
# Small words that join the capitalised words of one name ("Innovation in Health Strategy
# and Quality of Care"); a run made only of names and these is a name, not copied prose.
_NAME_JOINERS = frozenset({"and", "of", "in", "for", "the", "&"})
_WORD = re.compile(r"[^\W_]+|&")


def _words(text: str) -> tuple[list[str], list[bool]]:
    """The text's words, folded for comparison, and for each whether it is part of a proper name."""
    raw = _WORD.findall(unicodedata.normalize("NFKC", text))
    in_name = [w[0].isupper() for w in raw]
    start = 0
    while start < len(raw):
        # A stretch of joiners ("and the") between two capitalised words belongs to the name.
        end = start
        while end < len(raw) and raw[end] in _NAME_JOINERS:
            end += 1
        if end > start and start > 0 and end < len(raw) and in_name[start - 1] and raw[end][0].isupper():
            in_name[start:end] = [True] * (end - start)
        start = end + 1 if end == start else end
    return [_fold(w) for w in raw], in_name


def _fold(word: str) -> str:
    # "Skłodowska" and "Sklodowska" are the same word; NFKD does not decompose "ł".
    plain = unicodedata.normalize("NFKD", word.casefold()).replace("ł", "l")
    return "".join(c for c in plain if not unicodedata.combining(c))


def document_runs(root: Traversable, length: int = COPY_RUN) -> dict[tuple[str, ...], str]:
    """Every `length`-word run of the texts in documents/ that is not just a proper name -> its file."""
    folder = root.joinpath(DOCUMENTS_DIR)
    if not folder.is_dir():
        return {}
    runs: dict[tuple[str, ...], str] = {}
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".txt"):
            continue
        words, in_name = _words(file.read_text(encoding="utf-8"))
        for start in range(len(words) - length + 1):
            if not all(in_name[start : start + length]):
                runs.setdefault(tuple(words[start : start + length]), f"{DOCUMENTS_DIR}/{file.name}")
    return runs


def copied_run(text: str, runs: dict[tuple[str, ...], str]) -> tuple[str, str] | None:
    """The first run of `text` found in `runs` (from document_runs), with its file; None if it has none."""
    length = len(next(iter(runs), ()))
    words, _ = _words(text)
    for start in range(len(words) - length + 1):
        run = tuple(words[start : start + length])
        if run in runs:
            return " ".join(run), runs[run]
    return None


def _copied_wording(kb: KnowledgeBase, root: Traversable) -> list[Problem]:
    """Answers sharing a run of COPY_RUN or more words with a text in documents/ (one problem per answer)."""
    runs = document_runs(root)
    problems = []
    for entry in kb.entries:
        found = copied_run(entry.answer, runs) if runs else None
        if found is not None:
            copied, document = found
            message = f"answer of {entry.id} copies wording from {document}: {copied!r}; rephrase it"
            problems.append(Problem(entry.file or "?", entry.line, message))
    return problems


# --- making the loader's problems easier to act on -------------------------------------------

_UNREADABLE = ("YAML error", "cannot read file", "not UTF-8")
#: Problems that follow from a file that could not be read (its entries and sources are missing).
_KNOCK_ON = re.compile(r"^(unknown (related entry|source id)\b|the knowledge base has no entries$)")
_UNKNOWN_FIELD = re.compile(
    r"^unknown (?P<kind>field|top-level key) '(?P<field>[^']+)'(?P<what> in [\w ]+)? \(allowed: (?P<allowed>[^)]*)\)$"
)
_FIELD_VALUE = re.compile(r"^\s*(?:-\s+)?(?P<field>[\w-]+):\s*(?P<value>[^\s#'\"][^#]*?)\s*(?:#.*)?$")


def explain_problems(problems: Iterable[Problem], folder: str | os.PathLike[str] | Traversable | None) -> list[Problem]:
    """The loader's problems for `folder`, made easier to act on (see _explained)."""
    return _explained(problems, resolve_knowledge_dir(folder))


def _explained(problems: Iterable[Problem], root: Traversable) -> list[Problem]:
    """The loader's problems, without the knock-on effects of a file that could not be read, and with
    hints: the field meant by a misspelt one, the value YAML read as a boolean. (A duplicate id already
    names both places.)"""
    problems = list(problems)
    unreadable = sorted({p.path for p in problems if p.message.startswith(_UNREADABLE)})
    texts = {name: _read(file) for name, file in iter_yaml_files(root)}
    explained = []
    for problem in problems:
        if unreadable and _KNOCK_ON.match(problem.message):
            continue
        explained.append(problem._replace(message=_hint(problem, texts.get(problem.path, ""))))
    return explained


def _read(file: Traversable) -> str:
    """The text of a knowledge file, or "" if it cannot be read (a FIFO or device is never read)."""
    try:
        return read_knowledge_file(file).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _hint(problem: Problem, text: str) -> str:
    message = problem.message
    unknown = _UNKNOWN_FIELD.match(message)
    if unknown:
        allowed = [name.strip() for name in unknown.group("allowed").split(",")]
        close = difflib.get_close_matches(unknown.group("field"), allowed, n=1)
        if close:
            kind, what = unknown.group("kind"), unknown.group("what") or ""
            return f"unknown {kind} {unknown.group('field')!r}{what}: did you mean {close[0]!r}?"
        return message
    if "must be" in message and "string" in message and problem.line is not None:  # quoting makes a string
        return message + _plain_value_hint(text, problem.line)
    return message


def _plain_value_hint(text: str, line: int) -> str:
    """When the line holds an unquoted value that YAML reads as a boolean, a number or null: say so."""
    lines = text.splitlines()
    found = _FIELD_VALUE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if found is None:
        return ""
    value = found.group("value")
    try:
        read = yaml.load(value, Loader=safe_loader())
    except yaml.YAMLError:
        return ""
    kinds = {bool: "the boolean", int: "the number", float: "the number", type(None): "an empty value"}
    kind = kinds.get(type(read))
    if kind is None:
        return ""
    shown = "" if read is None else f" {str(read).lower() if isinstance(read, bool) else read}"
    return f' (YAML read {value} as {kind}{shown}; put it in quotes: {found.group("field")}: "{value}")'


def _count_readable(root: Traversable) -> tuple[int, int, int]:
    """Entries, sources and topics in the files that could be read (for the summary of a broken folder)."""
    entries = sources = 0
    topics: set[str] = set()
    for _, file in iter_yaml_files(root):
        try:
            data = load_document(_read(file))
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("entries"), list):
            entries += len(data["entries"])
            if isinstance(data.get("topic"), str):
                topics.add(data["topic"])
        if isinstance(data.get("sources"), list):
            sources += len(data["sources"])
    return entries, sources, len(topics)
