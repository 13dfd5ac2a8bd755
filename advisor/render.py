"""Answer -> text for a terminal. Pure functions: they return strings and never print."""

from __future__ import annotations

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

BOLD, DIM, CYAN, YELLOW, RESET = "\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[33m", "\x1b[0m"


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


_ITEM = re.compile(r"^(\s*(?:[-*]|\d+\.)\s+|\s+)")


def wrap(text: str, width: int | None) -> str:
    """Wrap each line to `width`, keeping list items' hanging indent; None leaves text as is."""
    if not width:
        return text
    import textwrap  # only when writing to a terminal

    lines = []
    for line in text.splitlines():
        marker = _ITEM.match(line)
        indent = " " * len(marker.group(1)) if marker else ""
        lines.append(textwrap.fill(line, width=width, subsequent_indent=indent, break_on_hyphens=False) if line else "")
    return "\n".join(lines)


def render_answer(answer: Answer, *, color: bool = False, width: int | None = None) -> str:
    """The answer text, then its sources (if any) under a "Sources:" heading."""
    parts = [wrap(clean(answer.text), width)]
    if answer.sources:
        parts.append(_paint("Sources:", BOLD, color) + "\n" + render_sources(answer.sources, color=color, width=width))
    if answer.suggestions and answer.matched:
        related = "\n".join(f"  - {clean(s)}" for s in answer.suggestions[:3])
        parts.append(_paint("Related:", DIM, color) + "\n" + _paint(related, DIM, color))
    return "\n\n".join(parts)
