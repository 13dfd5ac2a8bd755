"""`advisor check`: validate a knowledge folder beyond what loading requires.

Loading already rejects structural problems. This adds the curator's checks:
sources nobody cites, example questions shared by two entries, and
self-consistency (each entry's own example questions must reach that entry).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from .engine import Advisor
from .errors import KnowledgeError, Problem
from .index_cache import CACHE_NAME, index_problem
from .knowledge import iter_yaml_files, load_knowledge, read_knowledge_file, resolve_knowledge_dir, safe_loader
from .models import KnowledgeBase
from .normalize import normalize

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

    def summary(self) -> str:
        return (
            f"{self.entries} entries, {self.sources} sources, {self.topics} topics, "
            f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        )


def _locations(root: Traversable, skipped_links: list[str]) -> dict[tuple[str, ...], tuple[str, int]]:
    """(kind, id[, index]) -> (file, line) for entries, their questions and sources."""
    found: dict[tuple[str, ...], tuple[str, int]] = {}
    for name, file in iter_yaml_files(root, skipped_links=skipped_links):
        try:
            node = yaml.compose(read_knowledge_file(file).decode("utf-8"), Loader=safe_loader())
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            if key.value not in ("entries", "sources") or not isinstance(value, yaml.SequenceNode):
                continue
            for item in value.value:
                if not isinstance(item, yaml.MappingNode):
                    continue
                fields = {k.value: v for k, v in item.value}
                ident = fields.get("id")
                if not isinstance(ident, yaml.ScalarNode):
                    continue
                kind = "entry" if key.value == "entries" else "source"
                found[(kind, ident.value)] = (name, item.start_mark.line + 1)
                questions = fields.get("questions")
                if kind == "entry" and isinstance(questions, yaml.SequenceNode):
                    for index, question in enumerate(questions.value):
                        found[("question", ident.value, str(index))] = (name, question.start_mark.line + 1)
    return found


def check_knowledge(folder: str | os.PathLike[str] | Traversable | None = None) -> CheckReport:
    """Validate `folder` (the bundled knowledge base by default) and report every problem."""
    report = CheckReport()
    try:
        root = resolve_knowledge_dir(folder)
        kb = load_knowledge(root)
    except KnowledgeError as exc:
        report.problems.extend(exc.problems)
        report.usable = not _is_unusable(exc)
        return report
    report.entries, report.sources, report.topics = len(kb.entries), len(kb.sources), len(kb.topics)
    skipped_links: list[str] = []
    where = _locations(root, skipped_links)
    report.problems.extend(
        Problem(name, None, "a link to a folder: not followed, so any YAML files in it are not read")
        for name in skipped_links
    )
    report.problems.extend(_unused_sources(kb, where))
    report.problems.extend(_shared_questions(kb, where))
    report.problems.extend(_self_consistency(kb, where))
    stale = index_problem(root, kb)
    if stale is not None:
        report.problems.append(Problem(CACHE_NAME, None, stale))
    return report


def _is_unusable(error: KnowledgeError) -> bool:
    from .errors import KnowledgeNotFoundError

    return isinstance(error, KnowledgeNotFoundError)


def _place(where: dict[tuple[str, ...], tuple[str, int]], *key: str) -> tuple[str, int | None]:
    file, line = where.get(tuple(key), ("?", 0))
    return file, (line or None)


def _unused_sources(kb: KnowledgeBase, where: dict[tuple[str, ...], tuple[str, int]]) -> list[Problem]:
    cited = {source.id for entry in kb.entries for source in entry.sources}
    problems = []
    for source in kb.sources:
        if source.id not in cited:
            file, line = _place(where, "source", source.id)
            problems.append(Problem(file, line, f"source {source.id!r} is not cited by any entry"))
    return problems


def _shared_questions(kb: KnowledgeBase, where: dict[tuple[str, ...], tuple[str, int]]) -> list[Problem]:
    owners: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for entry in kb.entries:
        for index, question in enumerate(entry.questions):
            owners[normalize(question)].append((entry.id, index))
    problems = []
    for question, places in owners.items():
        ids = sorted({entry_id for entry_id, _ in places})
        if len(ids) > 1:
            entry_id, index = places[-1]
            file, line = _place(where, "question", entry_id, str(index))
            problems.append(Problem(file, line, f"example question {question!r} is shared by entries {', '.join(ids)}"))
    return problems


def _self_consistency(kb: KnowledgeBase, where: dict[tuple[str, ...], tuple[str, int]]) -> list[Problem]:
    advisor = Advisor(kb)
    problems = []
    for entry in kb.entries:
        for index, question in enumerate(entry.questions):
            answer = advisor.ask(question)
            if answer.intent == entry.id:
                continue
            got = answer.intent or ("a did-you-mean choice" if answer.suggestions else "a decline")
            file, line = _place(where, "question", entry.id, str(index))
            problems.append(Problem(file, line, f"example question {question!r} of {entry.id} is answered by {got}"))
    return problems
