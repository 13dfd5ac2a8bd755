"""Score the advisor on a question set (the format of shared/eval/dev-questions.yaml).

Item kinds: {q, expect: [regex...]} in scope; {q, oos: true} must be declined;
{q, near: regex} another institution (declined, or the answer names it and the institution whose
fact it gives);
{turns: [{q, expect}...]} a conversation asked turn by turn; a turn may be {q, oos: true} instead,
which must be declined like an out-of-scope question.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .engine import Advisor
from .errors import AdvisorError
from .knowledge import MAX_FILE_BYTES, load_document
from .models import Answer
from .safe_files import read_regular_file


class EvalFileError(AdvisorError):
    """The question file is unreadable or not in the expected format; the message says where."""


@dataclass(frozen=True, slots=True)
class Failure:
    kind: str
    question: str
    reason: str
    intent: str | None
    score: float
    runner_up: str | None
    runner_up_score: float


@dataclass
class Tally:
    passed: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "total": self.total, "rate": round(self.rate, 4)}


@dataclass
class Report:
    in_scope: Tally = field(default_factory=Tally)
    out_of_scope: Tally = field(default_factory=Tally)
    near: Tally = field(default_factory=Tally)
    turns: Tally = field(default_factory=Tally)
    failures: list[Failure] = field(default_factory=list)

    @property
    def in_scope_wrong(self) -> int:
        """In-scope questions answered, but without the expected fact (or without a source)."""
        return sum(1 for f in self.failures if f.kind == "in-scope" and f.reason != DECLINED)

    @property
    def in_scope_declined(self) -> int:
        return sum(1 for f in self.failures if f.kind == "in-scope" and f.reason == DECLINED)

    @property
    def wrong_answers(self) -> tuple[int, int]:
        """(wrong, given): of the answers given to single questions, how many were wrong: an
        in-scope question answered without its fact, or an out-of-scope question answered."""
        wrong = self.in_scope_wrong + self.out_of_scope.total - self.out_of_scope.passed
        return wrong, self.in_scope.passed + wrong

    @property
    def wrong_rate(self) -> float:
        wrong, given = self.wrong_answers
        return wrong / given if given else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "in_scope": self.in_scope.to_dict(),
            "in_scope_wrong": self.in_scope_wrong,
            "in_scope_declined": self.in_scope_declined,
            "wrong_among_answers": {
                "wrong": self.wrong_answers[0],
                "answers": self.wrong_answers[1],
                "rate": round(self.wrong_rate, 4),
            },
            "out_of_scope_declined": self.out_of_scope.to_dict(),
            "near": self.near.to_dict(),
            "conversation_turns": self.turns.to_dict(),
            "failures": [asdict(f) for f in self.failures],
        }


def load_questions(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read and check a question file; raises EvalFileError naming the problem."""
    try:
        text = read_regular_file(Path(path), MAX_FILE_BYTES).decode("utf-8")
    except OSError as exc:
        raise EvalFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise EvalFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        items = load_document(text)
    except yaml.YAMLError as exc:
        # The parser's own message names the text "<unicode string>"; name the file and line instead.
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        raise EvalFileError(f"{where}: YAML error: {problem}" + (f" ({context})" if context else "")) from None
    if not isinstance(items, list):
        raise EvalFileError(f"{path}: expected a list of question items")
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise EvalFileError(f"{path}: item {number} is not a mapping")
        if "turns" in item:
            turns = item["turns"]
            if not isinstance(turns, list) or not all(
                isinstance(t, dict) and isinstance(t.get("q"), str) for t in turns
            ):
                raise EvalFileError(f"{path}: item {number}: 'turns' must be a list of {{q: ...}} mappings")
            for turn in turns:
                _check_patterns(path, number, turn)
        elif not isinstance(item.get("q"), str):
            raise EvalFileError(f"{path}: item {number} has no question 'q'")
        else:
            _check_patterns(path, number, item)
    return items


def _check_patterns(path: str | os.PathLike[str], number: int, item: dict[str, Any]) -> None:
    patterns = item.get("expect", [])
    if "near" in item:
        patterns = [item["near"]]
    if not isinstance(patterns, list):
        raise EvalFileError(f"{path}: item {number}: 'expect' must be a list of regular expressions")
    for pattern in patterns:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise EvalFileError(f"{path}: item {number}: bad regular expression {pattern!r}: {exc}") from None


#: The failure reason of an in-scope question that was declined rather than answered wrongly.
DECLINED = "declined"


def in_scope_problem(answer: Answer, patterns: list[str]) -> str | None:
    """What is wrong with `answer` to an in-scope question expecting `patterns`: DECLINED, a missing
    pattern or source; None when it is right."""
    if not answer.matched:
        return DECLINED
    missing = [p for p in patterns if not re.search(str(p), answer.text, re.IGNORECASE)]
    if missing:
        return "missing " + ", ".join(repr(p) for p in missing)
    if not answer.sources:
        return "no source"
    return None


def _failure(kind: str, question: str, reason: str, answer: Answer) -> Failure:
    why = answer.explanation
    best = why.best if why else None
    runner = why.runner_up if why else None
    return Failure(
        kind=kind,
        question=question,
        reason=reason,
        intent=answer.intent or (best.entry_id if best else None),
        score=best.score if best else 0.0,
        runner_up=runner.entry_id if runner else None,
        runner_up_score=runner.score if runner else 0.0,
    )


# An out-of-scope question is declined as well by an answer that says plainly that a fact is in no
# source ("What fellows took home is not in any source I have"; "For Call 1 no number of advertised
# positions survives") as by a decline: the applicant learns that it is not known.
_NOT_KNOWN = re.compile(
    r"\b(?:not in any (?:of my )?sources?|in no source|no source (?:gives|says|mentions|states|names)"
    r"|i don'?t know|(?:is|are) not known|(?:was|were) not found|no copy\b.{0,60}\b(?:survives|was found)"
    r"|no [\w ]{0,40}\b(?:survives|survive)|did not survive)",
    re.IGNORECASE,
)


def says_not_known(text: str) -> bool:
    """Whether an answer says plainly, in its first paragraph (line), that something asked about is in
    no source: said only after a list or a second paragraph, the applicant may not get that far."""
    return _NOT_KNOWN.search(text.split("\n", 1)[0]) is not None


def evaluate(advisor: Advisor, items: list[dict[str, Any]]) -> Report:
    """Ask every item and tally the results."""
    report = Report()
    for item in items:
        if "turns" in item:
            conversation = advisor.conversation()
            for turn in item["turns"]:
                answer = conversation.ask(turn["q"])
                if turn.get("oos"):
                    problem = None if not answer.matched or says_not_known(answer.text) else "answered"
                else:
                    problem = in_scope_problem(answer, list(turn.get("expect", [])))
                report.turns.total += 1
                if problem is None:
                    report.turns.passed += 1
                else:
                    report.failures.append(_failure("turn", turn["q"], problem, answer))
            continue
        question = item["q"]
        answer = advisor.ask(question)
        if item.get("oos"):
            report.out_of_scope.total += 1
            if not answer.matched or says_not_known(answer.text):
                report.out_of_scope.passed += 1
            else:
                report.failures.append(_failure("out-of-scope", question, "answered", answer))
        elif "near" in item:
            report.near.total += 1
            names_both = bool(re.search(str(item["near"]), answer.text, re.IGNORECASE)) and _names_own(
                advisor, answer, str(item["near"])
            )
            if not answer.matched or names_both:
                report.near.passed += 1
            else:
                report.failures.append(_failure("near", question, "answered without naming both", answer))
        else:
            report.in_scope.total += 1
            problem = in_scope_problem(answer, list(item.get("expect", [])))
            if problem is None:
                report.in_scope.passed += 1
            else:
                report.failures.append(_failure("in-scope", question, problem, answer))
    return report


def format_report(report: Report) -> str:
    """A human-readable summary and one block per failure."""

    def line(label: str, tally: Tally) -> str:
        return f"{label:<24}{tally.passed:>4} / {tally.total:<4} {tally.rate:7.1%}"

    wrong, given = report.wrong_answers
    lines = [
        line("in scope answered", report.in_scope),
        f"{'  of the rest: wrong':<24}{report.in_scope_wrong:>4}, declined {report.in_scope_declined}",
        line("out of scope declined", report.out_of_scope),
        line("near handled", report.near),
        line("conversation turns", report.turns),
        f"{'wrong among answers':<24}{wrong:>4} / {given:<4} {report.wrong_rate:7.1%}",
    ]
    if report.failures:
        lines.append("")
        lines.append(f"{len(report.failures)} failure(s):")
        for f in report.failures:
            runner = f"{f.runner_up} ({f.runner_up_score:.3f})" if f.runner_up else "-"
            lines.append(f"  [{f.kind}] {f.question}")
            lines.append(f"      {f.reason}; chose {f.intent or '-'} ({f.score:.3f}); runner-up {runner}")
    return "\n".join(lines)


def _names_own(advisor: Advisor, answer: Answer, near: str) -> bool:
    """Whether an answer about another institution (`near`) also names whose fact it gives: the
    institution of the entry answered, or (an entry about none) another of the programme's."""
    entry = next((e for e in advisor.knowledge.entries if e.id == answer.intent), None)
    if entry is not None and entry.institution is not None:
        return advisor.programme.institution_name(entry.institution) in answer.text
    names = [i.name for i in advisor.programme.institutions] or sorted(advisor.institution_tokens)
    return any(name in answer.text and not re.search(near, name, re.IGNORECASE) for name in names)
