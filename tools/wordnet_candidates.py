#!/usr/bin/env python3
"""List WordNet synonym candidates for the words of the advisor's knowledge base.

For every content word (and every two- or three-word phrase WordNet knows, such as
"curriculum vitae" or "cover letter") used in the example questions and keywords of
knowledge/*.yaml, print the WordNet lemmas that could be added to knowledge/synonyms.yaml:

- ``syn``: the other lemmas of each synset the word belongs to (any part of speech);
- ``hyper`` / ``hypo``: for nouns, the lemmas of the direct hypernyms and hyponyms
  (instance links included). These are weaker candidates: a hyponym is narrower, a
  hypernym broader, so most of them must be rejected on review.

Each candidate comes with its sense number and gloss, so that a person can review it:
this tool only proposes; nothing it prints is meant to be copied into the table unread.
Candidates that the synonym table already holds are marked ``[table]``; candidates whose
words all occur in the knowledge base already are marked ``[kb]``.

Source: WordNet 3.0 (Princeton University), read directly from the database files
(index.noun, data.noun, ..., noun.exc, ...; format: wndb(5)) that Debian's package
``wordnet-base`` installs in /usr/share/wordnet. Licence: the WordNet 3.0 licence, a
permissive licence (use, copy, modify and distribute for any purpose without fee, keeping
the copyright notice); see /usr/share/doc/wordnet-base/copyright.

Python 3 standard library only (the YAML files are read with a small line parser that
understands the subset the knowledge base uses: block lists of questions and one-line
flow lists of keywords and synonym variants).

Usage:
    python3 wordnet_candidates.py [--knowledge DIR] [--wordnet DIR] [--max-senses N]
                                  [--tsv] [-o FILE]
The number of candidates is printed on stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

DEFAULT_KNOWLEDGE = Path("/work/main/knowledge")
DEFAULT_WORDNET = Path("/usr/share/wordnet")

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
POS_NAMES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
HYPERNYM_POINTERS = frozenset({"@", "@i"})
HYPONYM_POINTERS = frozenset({"~", "~i"})

# The advisor's stop words (advisor/normalize.py) plus a few more function words:
# they carry no meaning worth a synonym.
_STOP_TEXT = """a an the of in on at to for from by with about and or but is are was were be been being
    do does did done have has had having i im me my mine we our us you your yours it its itself
    this that these those there here what whats which where whom whose why how can could would
    should will shall may might must please tell say said know want like get got any some more
    most also just as into out up so if than then very s t d ll ve re m isn doesn don didn wasn
    aren weren one ones anything something thing things kind sort really actually let lets need
    ok okay hey dear sir madam am explain describe
    who when not no yes all each every other own same such only still too much many before after
    again once both few own off over under between through during without within per vs versus
    he she they them their his her its anyone someone everyone way well r u wat abt pls tbh
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# Morphological rules of WordNet's morphy (morph.c): suffix -> replacement, per part of speech.
SUFFIX_RULES = {
    "n": [
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}

_TOKEN = re.compile(r"[a-z]+")


def fold(text: str) -> str:
    """Lower case without accents, as the advisor folds text."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text).replace("'s", ""))


# --------------------------------------------------------------------------- YAML subset


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _strip_comment(line: str) -> str:
    """Drop a trailing ' # comment' that is outside quotes."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or line[i - 1] in " [,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] == " "):
            return line[:i].rstrip()
    return line.rstrip()


def _flow_list(text: str) -> list[str]:
    """Items of a one-line YAML flow list '[a, "b, c", d]'."""
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise ValueError(f"not a one-line flow list: {text[:60]!r}")
    items, current, quote = [], [], ""
    for ch in text[1:-1]:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "\"'" and not "".join(current).strip():
            quote = ch
            current.append(ch)
        elif ch == ",":
            items.append(_unquote("".join(current)))
            current = []
        else:
            current.append(ch)
    if "".join(current).strip():
        items.append(_unquote("".join(current)))
    return [item for item in items if item]


def read_entries(path: Path) -> list[tuple[str, str, str]]:
    """(entry id, 'question' | 'keyword', text) for each question and keyword in a file."""
    out: list[tuple[str, str, str]] = []
    entry_id, in_questions, list_indent = "?", False, -1
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = _strip_comment(raw)
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if in_questions:
            if stripped.startswith("- ") and (list_indent < 0 or indent == list_indent):
                list_indent = indent
                out.append((entry_id, "question", _unquote(stripped[2:])))
                continue
            in_questions = False
        match = re.match(r"(?:- )?(id|questions|keywords):\s*(.*)$", stripped)
        if not match:
            continue
        key, value = match.groups()
        if key == "id":
            entry_id = _unquote(value)
        elif key == "questions":
            if value:
                out.extend((entry_id, "question", q) for q in _flow_list(value))
            else:
                in_questions, list_indent = True, -1
        else:
            out.extend((entry_id, "keyword", k) for k in _flow_list(value))
    return out


def read_synonym_table(path: Path) -> dict[str, list[str]]:
    """canonical -> variants, from a synonyms.yaml of one-line flow lists."""
    table: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = _strip_comment(raw)
        match = re.match(r"\s+([^\s:#]+):\s*(\[.*\])\s*$", line)
        if match:
            table[match.group(1)] = _flow_list(match.group(2))
    return table


# --------------------------------------------------------------------------- WordNet


@dataclass(frozen=True)
class Synset:
    offset: int
    pos: str
    lemmas: tuple[str, ...]
    pointers: tuple[tuple[str, int, str], ...]  # (symbol, offset, pos)
    gloss: str


def _lemma_text(word: str) -> str:
    # Adjective markers such as "(a)", "(p)", "(ip)" follow some adjectives.
    return fold(re.sub(r"\([a-z]+\)$", "", word)).replace("_", " ")


class WordNet:
    """Read-only access to the WordNet database files (wndb(5))."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.index: dict[str, dict[str, list[int]]] = {}
        self.exceptions: dict[str, dict[str, list[str]]] = {}
        self._data = {}
        self._cache: dict[tuple[str, int], Synset] = {}
        for pos, name in POS_FILES.items():
            self.index[pos] = self._read_index(directory / f"index.{name}")
            self.exceptions[pos] = self._read_exceptions(directory / f"{name}.exc")
            self._data[pos] = (directory / f"data.{name}").open("rb")

    @staticmethod
    def _read_index(path: Path) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        with path.open(encoding="latin-1") as handle:
            for line in handle:
                if line.startswith("  "):  # licence header
                    continue
                fields = line.split()
                lemma, synset_count, pointer_count = fields[0], int(fields[2]), int(fields[3])
                offsets = fields[4 + pointer_count + 2 :]
                index[lemma] = [int(o) for o in offsets[:synset_count]]
        return index

    @staticmethod
    def _read_exceptions(path: Path) -> dict[str, list[str]]:
        exceptions: dict[str, list[str]] = defaultdict(list)
        if path.is_file():
            with path.open(encoding="latin-1") as handle:
                for line in handle:
                    fields = line.split()
                    if len(fields) >= 2:
                        exceptions[fields[0]].extend(fields[1:])
        return exceptions

    def synset(self, pos: str, offset: int) -> Synset:
        key = (pos, offset)
        if key not in self._cache:
            handle = self._data["a" if pos == "s" else pos]
            handle.seek(offset)
            line = handle.readline().decode("latin-1")
            data, _, gloss = line.partition(" | ")
            fields = data.split()
            word_count = int(fields[3], 16)
            words = fields[4 : 4 + 2 * word_count : 2]
            position = 4 + 2 * word_count
            pointer_count = int(fields[position])
            pointers = []
            for i in range(pointer_count):
                symbol, target, target_pos = fields[position + 1 + 4 * i : position + 4 + 4 * i]
                pointers.append((symbol, int(target), target_pos))
            self._cache[key] = Synset(
                offset=offset,
                pos=fields[2],
                lemmas=tuple(dict.fromkeys(_lemma_text(w) for w in words)),
                pointers=tuple(pointers),
                gloss=gloss.strip(),
            )
        return self._cache[key]

    def base_forms(self, word: str, pos: str) -> list[str]:
        """WordNet's morphy: the lemmas in the index that `word` can be a form of."""
        index = self.index[pos]
        forms = [word] if word in index else []
        forms += [b for b in self.exceptions[pos].get(word, []) if b in index]
        for suffix, replacement in SUFFIX_RULES[pos]:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                base = word[: len(word) - len(suffix)] + replacement
                if base in index:
                    forms.append(base)
        return list(dict.fromkeys(forms))

    def senses(self, lemma: str, pos: str) -> list[Synset]:
        return [self.synset(pos, offset) for offset in self.index[pos].get(lemma, [])]


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    word: str  # the knowledge-base lemma
    candidate: str
    relation: str  # syn | hyper | hypo
    pos: str
    sense: int  # 1-based sense number of `word` (WordNet orders senses by frequency)
    gloss: str


RELATION_RANK = {"syn": 0, "hyper": 1, "hypo": 2}


def kb_lemmas(wordnet: WordNet, texts: list[str]) -> Counter[tuple[str, str]]:
    """(lemma, pos) -> how many questions/keywords use it; lemmas with spaces are phrases."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        words = tokens(text)
        found: set[tuple[str, str]] = set()
        for i, word in enumerate(words):
            # Two- and three-word collocations WordNet knows ("cover letter").
            for length in (3, 2):
                phrase = words[i : i + length]
                if len(phrase) == length and not any(w in STOP_WORDS for w in (phrase[0], phrase[-1])):
                    key = "_".join(phrase)
                    for pos in POS_FILES:
                        if key in wordnet.index[pos]:
                            found.add((key.replace("_", " "), pos))
            if word in STOP_WORDS or len(word) < 2:
                continue
            for pos in POS_FILES:
                for base in wordnet.base_forms(word, pos):
                    found.add((base, pos))
        counts.update(found)
    return counts


def candidates_for(wordnet: WordNet, lemma: str, pos: str, max_senses: int | None) -> list[Candidate]:
    out: list[Candidate] = []
    for number, synset in enumerate(wordnet.senses(lemma.replace(" ", "_"), pos)[:max_senses], start=1):
        gloss = synset.gloss
        for other in synset.lemmas:
            if other != lemma:
                out.append(Candidate(lemma, other, "syn", pos, number, gloss))
        if pos != "n":
            continue
        for symbol, offset, target_pos in synset.pointers:
            if symbol in HYPERNYM_POINTERS:
                relation = "hyper"
            elif symbol in HYPONYM_POINTERS:
                relation = "hypo"
            else:
                continue
            for other in wordnet.synset(target_pos, offset).lemmas:
                if other != lemma:
                    out.append(Candidate(lemma, other, relation, pos, number, gloss))
    return out


def best_per_pair(found: list[Candidate]) -> list[Candidate]:
    """One candidate per (word, candidate): the strongest relation, then the commonest sense."""
    best: dict[tuple[str, str], Candidate] = {}
    for cand in found:
        key = (cand.word, cand.candidate)
        old = best.get(key)
        if old is None or (RELATION_RANK[cand.relation], cand.sense) < (RELATION_RANK[old.relation], old.sense):
            best[key] = cand
    return list(best.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE)
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET)
    parser.add_argument("--max-senses", type=int, default=None, help="senses per word (default: all)")
    parser.add_argument("--tsv", action="store_true", help="one tab-separated candidate a line")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)

    if not (args.wordnet / "index.noun").is_file():
        print(f"no WordNet in {args.wordnet}: apt-get install wordnet-base", file=sys.stderr)
        return 2
    files = sorted(p for p in args.knowledge.glob("*.yaml") if p.name != "synonyms.yaml")
    if not files:
        print(f"no knowledge files in {args.knowledge}", file=sys.stderr)
        return 2
    texts = [text for path in files for _, _, text in read_entries(path)]
    table = read_synonym_table(args.knowledge / "synonyms.yaml")
    in_table = {fold(v) for variants in table.values() for v in variants} | {fold(c) for c in table}
    kb_words = {w for text in texts for w in tokens(text)}

    wordnet = WordNet(args.wordnet)
    usage = kb_lemmas(wordnet, texts)
    found: list[Candidate] = []
    for lemma, pos in sorted(usage):
        found.extend(candidates_for(wordnet, lemma, pos, args.max_senses))
    found = best_per_pair(found)
    by_word: dict[str, list[Candidate]] = defaultdict(list)
    for cand in found:
        by_word[cand.word].append(cand)
    word_use: Counter[str] = Counter()
    for (lemma, _), count in usage.items():
        word_use[lemma] = max(word_use[lemma], count)

    def marks(cand: Candidate) -> str:
        flags = []
        if cand.candidate in in_table:
            flags.append("[table]")
        if all(w in kb_words for w in tokens(cand.candidate)):
            flags.append("[kb]")
        return " ".join(flags)

    lines: list[str] = []
    if args.tsv:
        lines.append("word\tcandidate\trelation\tpos\tsense\tmarks\tgloss")
    for word in sorted(by_word, key=lambda w: (-word_use[w], w)):
        cands = sorted(by_word[word], key=lambda c: (c.pos, c.sense, RELATION_RANK[c.relation], c.candidate))
        if args.tsv:
            lines.extend(
                f"{c.word}\t{c.candidate}\t{c.relation}\t{POS_NAMES[c.pos]}\t{c.sense}\t{marks(c)}\t{c.gloss}"
                for c in cands
            )
            continue
        lines.append(f"== {word} (used {word_use[word]}x)")
        last_sense = None
        for c in cands:
            sense = (c.pos, c.sense)
            if sense != last_sense:
                lines.append(f"  {POS_NAMES[c.pos]} sense {c.sense}: {c.gloss[:110]}")
                last_sense = sense
            lines.append(f"    {c.relation:5} {c.candidate} {marks(c)}".rstrip())
    text = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(
        f"{len(found)} candidates ({sum(c.relation == 'syn' for c in found)} synonyms, "
        f"{sum(c.relation != 'syn' for c in found)} hypernyms/hyponyms) for {len(by_word)} of "
        f"{len({lemma for lemma, _ in usage})} knowledge-base lemmas",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
