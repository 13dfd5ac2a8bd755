"""Build advisor/data/english-words.txt, the English lexicon that typo correction trusts.

Source: SCOWL (Spell Checker Oriented Word Lists, size 50) as Debian ships it in the packages
`wamerican` and `wbritish` (/usr/share/dict/american-english and british-english); both
spellings are kept ("ageing" and "aging"). Words are folded the way advisor.normalize folds
text (case, accents) and kept when they are plain letters; possessives are dropped.
Licence: SCOWL's permissive licence, copied to advisor/data/LICENSE-SCOWL.

Run: apt-get install wamerican wbritish && python tools/build_lexicon.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.normalize import fold  # noqa: E402

SOURCES = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english"))
TARGET = ROOT / "advisor" / "data" / "english-words.txt"
LETTERS = re.compile(r"[a-z]+")


def main() -> int:
    words: set[str] = set()
    for source in SOURCES:
        if not source.is_file():
            print(f"{source} is missing: apt-get install wamerican wbritish", file=sys.stderr)
            return 2
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.endswith("'s"):
                continue
            word = fold(line.strip())
            if LETTERS.fullmatch(word):
                words.add(word)
    TARGET.write_text("\n".join(sorted(words)) + "\n", encoding="ascii")
    print(f"{TARGET.relative_to(ROOT)}: {len(words)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
