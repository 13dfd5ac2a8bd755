"""Answer -> text for a terminal. Pure functions: they return strings and never print."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from .models import Answer, Source

# CSI/OSC escape sequences, then any remaining C0/C1 control character except newline and tab, and the
# bidirectional formatting characters, which reorder what a terminal shows (one address can read as another).
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_NO_BIDI = dict.fromkeys(_BIDI)  # for str.translate: cheaper at start-up than a regex over these ranges
# What JSON leaves raw but a terminal would act on (JSON itself escapes C0 controls, ESC included).
_JSON_UNSAFE = {code: f"\\u{code:04x}" for code in [*range(0x7F, 0xA0), *_BIDI, 0x2028, 0x2029]}

BOLD, DIM, CYAN, RESET = "\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[0m"


def clean(text: str) -> str:
    """Remove escape sequences and control characters, so text cannot drive the terminal."""
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text).translate(_NO_BIDI)
    # Lone surrogates cannot be encoded for output; show them as the replacement character.
    return text.encode("utf-8", "replace").decode("utf-8")


def clean_json(text: str) -> str:
    """JSON text with every character a terminal would act on written as a \\u escape: a JSON reader
    gets the same data, but printing it cannot drive the terminal (U+009B alone starts a sequence)."""
    text = text.translate(_JSON_UNSAFE)
    # Lone surrogates cannot be printed either: json.dumps(ensure_ascii=False) leaves them raw.
    if _has_surrogate(text):
        text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{RESET}" if color else text


def render_sources(sources: Iterable[Source], *, color: bool = False, width: int | None = None) -> str:
    """Per source: title, publisher and what it describes, then its URL on a line of its own."""
    lines = []
    for source in sources:
        party = " (third party)" if source.third_party else ""
        head = f"  - {clean(source.title)} | {clean(source.publisher)}{party} | {clean(source.describes)}"
        lines.append(wrap(head, width))
        lines.append("    " + _paint(clean(source.url), CYAN, color))
    return "\n".join(lines)


# Wrapping patterns, compiled on first use: output to a pipe is never wrapped.
@functools.cache
def _item() -> re.Pattern[str]:
    return re.compile(r"^(\s*(?:[-*]|\d+\.|/\w+)\s+|\s+)")  # "  - item", "  1. item", "  /help  text"


_SENTENCE_END = (".", ":", ";", "!", "?", ")")


def _paragraphs(text: str) -> list[str]:
    """The lines of `text`, with a hard line break in the middle of a sentence taken out: a plain line
    that follows a plain line not ending a sentence continues it (list items keep their own lines)."""
    lines: list[str] = []
    for line in text.splitlines():
        previous = lines[-1] if lines else ""
        plain = line and previous and not _item().match(line) and not _item().match(previous)
        if plain and not previous.rstrip().endswith(_SENTENCE_END):
            lines[-1] = f"{previous.rstrip()} {line.lstrip()}"
            continue
        lines.append(line)
    return lines


_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"


# Words a line should not be broken between: "Call 2", "1 October 2012", "October 2012".
@functools.cache
def _keep_together() -> re.Pattern[str]:
    return re.compile(rf"\b(?:Calls? \d|\d{{1,2}} (?:{_MONTH})(?: \d{{4}})?|(?:{_MONTH}) \d{{4}})\b")


_NO_BREAK = "\u00a0"  # textwrap breaks only at ASCII whitespace


def _glue(match: re.Match[str]) -> str:
    return match.group().replace(" ", _NO_BREAK)


def wrap(text: str, width: int | None, *, prose: bool = False) -> str:
    """Wrap each line to `width`, keeping list items' hanging indent; None leaves text as is.

    Words longer than the width (a URL) are never broken: they run past the edge instead.
    `prose` (an answer's text) also rejoins a line broken in the middle of a sentence.
    """
    if not width:
        return text
    import textwrap  # only when writing to a terminal

    lines = []
    for line in _paragraphs(text) if prose else text.splitlines():
        marker = _item().match(line)
        indent = " " * len(marker.group(1)) if marker else ""
        glued = _keep_together().sub(_glue, line.replace(_NO_BREAK, " "))
        filled = textwrap.fill(
            glued, width=width, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False
        )
        lines.append(filled.replace(_NO_BREAK, " ") if line else "")
    return "\n".join(lines)


def render_answer(answer: Answer, *, color: bool = False, width: int | None = None, asks: str | None = None) -> str:
    """The answer text, then its sources (if any) under a "Sources:" heading, then related questions.

    `asks`, a question at the end of the text that the user is to answer, is moved below the
    sources, so that it is the last thing on screen. An answer to several questions shows each
    part with its own sources, under the question it answers.
    """
    if answer.parts:
        blocks = []
        for part in answer.parts:
            heading = _paint(f"» {clean(part.question)}", BOLD, color)
            blocks.append(f"{heading}\n{render_answer(part.answer, color=color, width=width)}")
        return "\n\n".join(blocks)
    text = clean(answer.text)
    question = clean(asks) if asks else ""
    if question and text.endswith(question) and (answer.sources or answer.suggestions):
        # The whole line it ends ("Back to your eligibility check: ...") goes with it.
        start = text.rfind("\n", 0, len(text) - len(question)) + 1
        text, question = text[:start].rstrip(), text[start:]
    else:
        question = ""
    parts = [wrap(text, width, prose=True)] if text else []
    if answer.sources:
        parts.append(_paint("Sources:", BOLD, color) + "\n" + render_sources(answer.sources, color=color, width=width))
    if answer.suggestions and answer.matched and not question:
        related = "\n".join(f"  - {clean(s)}" for s in answer.suggestions[:3])
        parts.append(_paint("Related:", DIM, color) + "\n" + _paint(wrap(related, width), DIM, color))
    if question:
        parts.append(wrap(question, width, prose=True))
    return "\n\n".join(parts)
