"""Item 5 of issue 15: the package names no programme. The programme is its knowledge folder
(knowledge/about-programme.yaml and the entries); a word of it in advisor/ is a constant that
another programme would have to edit Python to change."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"
#: The programme's and its institutions' names, its office's domain; matched case-insensitively,
#: except "LEaDing", whose lowercase spelling is the English word "leading".
FORBIDDEN = re.compile(r"lumc|leiden|delft|erasmus|tudelft|leadingfellows|\bLEaDing\b|\blde\b", re.IGNORECASE)
CASE_SENSITIVE = {"leading", "lde"}
#: English word lists shipped as data (SCOWL): "leading" and "erasmus" are words of English there.
WORD_LISTS = {"english-words.txt", "LICENSE-SCOWL"}


def programme_words(text: str) -> list[str]:
    found = []
    for match in FORBIDDEN.finditer(text):
        word = match.group(0)
        if word.lower() in CASE_SENSITIVE and word not in ("LEaDing", "LDE"):
            continue  # "leading zeros", "lde" inside no word of ours: only the programme's spelling counts
        found.append(word)
    return found


def test_no_programme_words_in_the_package() -> None:
    offending = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if path.name in WORD_LISTS:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            words = programme_words(line)
            if words:
                offending.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {', '.join(words)}")
    assert not offending, "programme words in advisor/ (move them to the programme file):\n" + "\n".join(offending)


def test_the_check_catches_each_word() -> None:
    for sample in ("LUMC", "a Leiden lab", "TU Delft", "Erasmus MC", "x@tudelft.nl", "the LEaDing Fellows", "LDE"):
        assert programme_words(sample), sample
    assert programme_words("leading zeros, the leading edge") == []
