"""One chat turn at a time: commands and questions in, text out. No terminal here.

The REPL (repl.py) and the batch mode of the CLI both drive a Session; keeping
the logic here lets it be tested without prompt_toolkit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from .engine import Advisor
from .models import Answer, Outcome
from .render import BOLD, DIM, RESET, clean, render_answer, render_sources, wrap

COMMAND_HELP = {
    "/help": "this help",
    "/topics": "what I know, with a sample question per topic (/topics NAME lists one topic)",
    "/sources": "every source I use, with its address and date",
    "/why": "why I gave the last answer: entry, score, matched words, runner-up",
    "/reset": "forget the conversation so far",
    "/quit": "leave (quit, exit, bye and Ctrl-D work too)",
}
#: Typed on their own, these leave the chat, as in pgcli and litecli.
LEAVE_WORDS = frozenset({"quit", "exit", "bye", "goodbye"})
#: A fixed width, or a function giving the width at the moment of printing (the terminal may be resized).
Width: TypeAlias = "int | Callable[[], int | None] | None"


@dataclass(frozen=True, slots=True)
class Reply:
    """What the chat shows for one line, and whether the chat should end."""

    text: str
    answer: Answer | None = None
    exit: bool = False


class Session:
    """Conversation plus chat commands, for one user."""

    def __init__(self, advisor: Advisor, *, color: bool = False, width: Width = None) -> None:
        self.advisor = advisor
        self.conversation = advisor.conversation()
        self.color = color
        self.width = width
        self.commands: dict[str, Callable[[str], Reply]] = {
            "/help": self._help,
            "/topics": self._topics,
            "/sources": self._sources,
            "/why": self._why,
            "/reset": self._reset,
            "/quit": self._quit,
            "/exit": self._quit,
        }

    @property
    def topic_names(self) -> list[str]:
        return list(self.advisor.knowledge.topics)

    @property
    def columns(self) -> int | None:
        """The width to wrap to now, or None for no wrapping."""
        return self.width() if callable(self.width) else self.width

    def _wrap(self, text: str) -> str:
        return wrap(text, self.columns)

    def _bold(self, text: str) -> str:
        return f"{BOLD}{text}{RESET}" if self.color else text

    def welcome(self) -> str:
        kb = self.advisor.knowledge
        programme = kb.programme
        text = (
            programme.welcome_text(entries=len(kb.entries), sources=len(kb.sources))
            + "\nType /help for commands, /quit or Ctrl-D to leave."
        )
        name = programme.advisor
        return wrap(text, self.columns, prose=True).replace(name, self._bold(name), 1)

    def handle(self, line: str) -> Reply:
        """Handle one line typed by the user."""
        text = line.strip()
        if not text:
            return Reply("")
        if text.casefold().rstrip(".!") in LEAVE_WORDS:
            return self._quit("")
        if text.startswith("/"):
            name, _, rest = text.partition(" ")
            command = self.commands.get(name.lower())
            if command is None:
                return Reply(self._wrap(f"Unknown command {clean(name)!r}. Type /help for the list."))
            reply = command(rest.strip())
            return Reply(self._wrap(reply.text), reply.answer, reply.exit)
        answer = self.conversation.ask(text)
        shown = render_answer(answer, color=self.color, width=self.columns, asks=self.conversation.pending_question)
        return Reply(shown, answer=answer)

    def _help(self, _: str) -> Reply:
        lines = ["Ask a question in your own words, or use a command:"]
        lines += [f"  {name:<9} {text}" for name, text in COMMAND_HELP.items()]
        calls = [call.number for call in self.advisor.programme.calls]
        if len(calls) >= 2:  # the programme's own calls, not another programme's "call 3"
            lines.append(f'Follow-ups work: "When did call {calls[0]} close?" then "and call {calls[-1]}?".')
        lines.append("When I offer numbered choices, answer with the number.")
        if self.advisor.checks_eligibility:  # a knowledge base without eligibility rules has no check
            lines.append(
                '"Am I eligible?" starts a step-by-step check of your own dates; "cancel" stops it, '
                '"start afresh" forgets what you told me.'
            )
        return Reply("\n".join(lines))

    def _topics(self, name: str) -> Reply:
        by_topic: dict[str, list[str]] = defaultdict(list)
        for entry in self.advisor.knowledge.entries:
            if entry.kind == "answer":
                by_topic[entry.topic].append(entry.questions[0])
        if name:
            questions = by_topic.get(name.lower())
            if not questions:
                return Reply(f"No topic {clean(name)!r}. Topics: {clean(', '.join(by_topic))}")
            return Reply(f"{self._bold(clean(name.lower()))}:\n" + "\n".join(f"  - {clean(q)}" for q in questions))
        lines = [f"  {clean(topic):<12} e.g. {clean(questions[0])}" for topic, questions in by_topic.items()]
        return Reply("Topics (/topics NAME for all questions of one):\n" + "\n".join(lines))

    def _sources(self, _: str) -> Reply:
        return Reply(
            "Sources:\n" + render_sources(self.advisor.knowledge.sources, color=self.color, width=self.columns)
        )

    def _why(self, _: str) -> Reply:
        last = self.conversation.last_answer
        if last is None:
            return Reply("Nothing to explain yet: ask a question first.")
        why = last.explanation
        if why is None:
            return Reply(clean(f"That was {last.intent or 'a reply'}: small talk, not matched against the facts."))
        if why.reason is Outcome.ELIGIBILITY_CHECK:
            understood = clean(why.normalized_query or "nothing yet")
            return Reply(
                "That came from the eligibility check (rules, not the knowledge-base matcher).\n"
                f"Facts understood so far: {understood}.\n"
                "The rules applied are listed in the verdict, with their sources."
            )
        lines = [f"Question as understood: {why.normalized_query!r}"]
        lines.append(f"Terms: {', '.join(why.terms) or '(none)'}")
        if why.corrections:
            lines.append("Typos corrected: " + ", ".join(f"{a} -> {b}" for a, b in why.corrections))
        if why.best:
            lines.append(
                f"Chosen: {why.best.entry_id} (score {why.best.score:.3f}; matched "
                f"{', '.join(why.best.matched_terms) or 'nothing'})"
            )
        if why.runner_up:
            lines.append(f"Runner-up: {why.runner_up.entry_id} (score {why.runner_up.score:.3f})")
        lines.append(f"Outcome: {why.reason} (threshold {self.advisor.threshold:.2f})")
        # Entry ids, terms and the question come from knowledge files and the user: never raw to a terminal.
        text = clean("\n".join(lines))
        return Reply(text if not self.color else f"{DIM}{text}{RESET}")

    def _reset(self, _: str) -> Reply:
        self.conversation.reset()
        return Reply("Conversation forgotten; starting afresh.")

    def _quit(self, _: str) -> Reply:
        return Reply("Goodbye.", exit=True)
