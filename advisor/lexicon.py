"""An English lexicon (SCOWL word lists), so that typo correction leaves real words alone.

The knowledge base knows a few thousand words; applicants use many more. A word that is
English but unknown to the knowledge base ("sources", "toddler") is not a typo of a word it
knows ("courses"), and must not be corrected into one. The list is built by
tools/build_lexicon.py and loaded on first use: most questions never need it.
"""

from __future__ import annotations

import functools
from pathlib import Path

# A plain path beside this module, not importlib.resources (which costs start-up time): the
# wheel installs unpacked.
WORDS_FILE = Path(__file__).parent / "data" / "english-words.txt"


@functools.cache
def _words() -> frozenset[bytes]:
    # Bytes, not str: splitting and hashing 75,000 words is about twice as fast.
    return frozenset(WORDS_FILE.read_bytes().split())


def is_english_word(word: str) -> bool:
    """Whether `word` (folded: lower case, no accents) is in the English word lists."""
    return word.isascii() and word.encode() in _words()
