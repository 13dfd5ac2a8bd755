"""A precompiled index of a knowledge folder, kept beside its YAML files.

`advisor index` writes `index.cache.json`: what each YAML file reads as (its document,
in the JSON form of `yaml_values.encode`) and the matcher's derived data (what
`matching.build_state` computes from the entries), stamped with a format number, the
signature of the knowledge format's field tables (`schema.signature`), a fingerprint of
every YAML file, and a checksum of everything after it. A start whose cache is current
reads that JSON instead of importing PyYAML and parsing the files (a third of a
one-question run), then validates the documents exactly as if they had been parsed.

The cache is used only while its checksum, format, field tables and fingerprint all
match and its data has the shape the matcher expects (`STATE_SCHEMA`); anything else (a
change to any knowledge file or to how a field is read, a cache edited by hand or
damaged, a link in its place) and it is ignored and the YAML is read, so the cache can
make start-up faster but never makes answers stale or wrong. The checksum is a check
against accidents and hand edits, not a signature: whoever can rewrite the cache and its
checksum can as well rewrite the YAML files beside it. `advisor check` compares the cache
with the YAML in full. Nothing is written at run time, and `advisor index` replaces the
file atomically.
"""

from __future__ import annotations

import functools
import json
import math
import os
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AdvisorError
from .knowledge import Parsed, load_document, load_knowledge_documents, resolve_knowledge_dir
from .matching import MatcherState, build_state, state_is_consistent
from .models import KnowledgeBase
from .safe_files import RefusedFileError, read_regular_file, write_atomically
from .schema import signature
from .yaml_values import NotDecodable, NotEncodable, decode, encode

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

CACHE_NAME = "index.cache.json"
#: Bump when the cache layout or the way build_state analyses text changes (stop words, stemming):
#: a cache written by older code is then ignored. tests/test_index_cache.py checks the shipped one.
#: (A change to the field tables needs no bump: the cache records their signature.)
FORMAT = 42
#: The keys of a cache file.
CACHE_KEYS = frozenset({"checksum", "documents", "format", "schema", "fingerprint", "matcher", "rules"})
#: A cache file starts with its checksum: eight hex digits of the CRC-32 of every byte after them and
#: the `",` that ends them. JSON written by anything else (a space after the colon) is not a cache.
CHECKSUM_START = b'{"checksum":"'
CHECKSUM_END = len(CHECKSUM_START) + 8
BODY_START = CHECKSUM_END + 2
#: A cache larger than this is not ours (the 10,000-entry benchmark base needs a few MiB).
MAX_CACHE_BYTES = 64 << 20

# The shape of build_state's output, checked before the matcher may use a cached copy. A schema is
# TEXT or POSITIVE; [S] (a list of S); PerEntry(S) (a list of S, one per entry); {str: S} (a mapping
# from text to S); or {"key": S, ...} (exactly those keys). When build_state changes, change this and
# FORMAT with it (a test compares them).
TEXT, POSITIVE = "text", "finite number > 0"


class PerEntry:
    """A list holding one `item` per entry of the knowledge base."""

    def __init__(self, item: Any) -> None:
        self.item = item


STATE_SCHEMA: dict[str, Any] = {
    "vocabulary": TEXT,
    "phrases": {str: TEXT},
    "idf": {str: POSITIVE},
    "entry_terms": PerEntry(TEXT),
    "term_counts": PerEntry([POSITIVE]),
    "answer_terms": PerEntry(TEXT),
    "questions": PerEntry(TEXT),
    "keyword_words": PerEntry(TEXT),
}


def conforms(value: object, schema: Any, *, entries: int) -> bool:
    """Whether `value` (parsed JSON) has the shape `schema` describes, for a base of `entries` entries.

    The schema is first turned into a checking function (this runs at every start, so the
    checks avoid re-reading the schema for each value); its depth bounds the recursion.
    """
    return _checker(schema, entries)(value)


Check = Callable[[object], bool]


def _checker(schema: Any, entries: int) -> Check:
    if schema == TEXT:
        return lambda v: type(v) is str
    if schema == POSITIVE:
        return _is_positive
    if isinstance(schema, PerEntry):
        items = _checker([schema.item], entries)
        return lambda v: isinstance(v, list) and len(v) == entries and items(v)
    if isinstance(schema, list):
        (item,) = schema
        if item == TEXT:
            return lambda v: isinstance(v, list) and all(type(x) is str for x in v)
        if item == POSITIVE:
            return lambda v: isinstance(v, list) and _all_positive(v)
        each = _checker(item, entries)
        return lambda v: isinstance(v, list) and all(each(x) for x in v)
    if isinstance(schema, dict) and list(schema) == [str] and schema[str] == POSITIVE:
        return lambda v: isinstance(v, dict) and all(type(k) is str for k in v) and _all_positive(list(v.values()))
    if isinstance(schema, dict) and list(schema) == [str]:
        each = _checker(schema[str], entries)
        return lambda v: isinstance(v, dict) and all(type(k) is str and each(x) for k, x in v.items())
    if isinstance(schema, dict):
        record = {key: _checker(s, entries) for key, s in schema.items()}
        keys = set(record)
        return lambda v: isinstance(v, dict) and set(v) == keys and all(c(v[k]) for k, c in record.items())
    raise TypeError(f"not a schema: {schema!r}")


def _all_positive(values: list[object]) -> bool:
    """`_is_positive` for every value, in a few passes of built-ins rather than a call per value
    (the index holds thousands of numbers, checked at every start)."""
    if not {int, float}.issuperset(map(type, values)):  # bool is neither
        return False
    numbers: list[float] = values  # type: ignore[assignment]  # checked just above
    # The reader turns NaN and Infinity away (_reject_constant), but 1e999 still reads as infinity.
    return not numbers or (min(numbers) > 0 and math.isfinite(max(numbers)))


def _is_positive(value: object) -> bool:
    """A finite number above zero."""
    return _all_positive([value])


def write_index(folder: str | os.PathLike[str] | None = None) -> Path:
    """Validate `folder` (the source checkout's knowledge/ by default) and write its index."""
    root = resolve_knowledge_dir(folder)
    if not isinstance(root, Path):
        raise AdvisorError(f"cannot write an index into {root}: not a folder on disk")
    kb, documents = load_knowledge_documents(root)
    from .eligibility_rules import load_rules

    load_rules(root)  # a broken rules file is refused here, as the index vouches for the folder it covers
    data = {
        "documents": encode_documents(documents),
        "rules": encode_rules(root),
        "fingerprint": kb.fingerprint,
        "format": FORMAT,
        "matcher": build_state(kb),
        "schema": signature(),
    }
    target = root / CACHE_NAME
    try:
        write_atomically(target, with_checksum(data))
    except OSError as exc:
        raise AdvisorError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def encode_documents(documents: dict[str, Parsed]) -> list[object] | None:
    """The files' documents as the cache holds them, in the files' order: each file's name, first line
    and encoded document. None if one holds a value a JSON cache cannot (then starts parse the YAML)."""
    try:
        return [[name, first_line, encode(document)] for name, (document, first_line) in documents.items()]
    except NotEncodable:
        return None


def encode_rules(root: Traversable) -> object:
    """The rules file's document as the cache holds it; None if there is none (or it cannot be held)."""
    from .eligibility_rules import read_rules_text

    text = read_rules_text(root)
    try:
        return None if text is None else encode(load_document(text))
    except NotEncodable:
        return None


def _rules_or_none(root: Traversable) -> object:
    """encode_rules, or None if the rules file cannot be read (a problem `advisor check` reports itself)."""
    import yaml

    try:
        return encode_rules(root)
    except (AdvisorError, yaml.YAMLError):
        return None


def with_checksum(data: Mapping[str, object]) -> bytes:
    """`data` as a cache file: compact JSON, keys sorted, "checksum" first, over the bytes after it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    body = text[1:].encode("utf-8") + b"\n"  # after the opening brace, which the checksum's start holds
    return CHECKSUM_START + b"%08x" % zlib.crc32(body) + b'",' + body


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number the index holds")


def _read_cache(root: Traversable) -> bytes | None:
    """The cache's bytes, or None if there is none or it is not a regular file of a sane size."""
    cache = root / CACHE_NAME
    try:
        if isinstance(cache, Path):
            return read_regular_file(cache, MAX_CACHE_BYTES, follow_symlinks=False)
        if not cache.is_file():
            return None
        data = cache.read_bytes()
        return data if len(data) <= MAX_CACHE_BYTES else None
    except OSError:
        return None


class IndexCache:
    """A cache file whose checksum, format and field tables are right: what it holds, to be used
    only for the knowledge files it was written from (see documents_for and matcher_for)."""

    def __init__(self, fingerprint: object, documents: object, matcher: object, rules: object) -> None:
        self.fingerprint = fingerprint
        self.documents = documents
        self.matcher = matcher
        self.rules = rules

    def documents_for(self, fingerprint: str) -> dict[str, Parsed] | None:
        """Each file's document (see knowledge.load_document) if the cache is for files with this
        fingerprint; None if not, or if they do not decode (see knowledge.CachedDocuments)."""
        if not fingerprint or fingerprint != self.fingerprint or type(self.documents) is not list:
            return None
        documents: dict[str, Parsed] = {}
        try:
            for stored in self.documents:
                if type(stored) is not list or len(stored) != 3:
                    return None
                name, first_line, document = stored
                if type(name) is not str or name in documents or type(first_line) is not int or first_line < 0:
                    return None
                documents[name] = (decode(document), first_line)
        except (NotDecodable, RecursionError):
            return None
        return documents

    def rules_for(self, fingerprint: str) -> Callable[[], object]:
        """What gives the eligibility rules file's document if the cache is for files with this
        fingerprint, decoded only when called (most starts never need the rules); it gives None if the
        cache is for other files, if there is no rules file, or if it does not decode (then the file is
        read). It holds the rules' data only, not the cache."""
        if not fingerprint or fingerprint != self.fingerprint or self.rules is None:
            return _nothing
        return functools.partial(_decoded_or_none, self.rules)

    def matcher_for(self, kb: KnowledgeBase) -> MatcherState | None:
        """The cached matcher state, if the cache is for `kb`'s files and the state has the right shape."""
        state = self.matcher
        if not kb.fingerprint or kb.fingerprint != self.fingerprint:
            return None
        if not conforms(state, STATE_SCHEMA, entries=len(kb.entries)) or not state_is_consistent(state):  # type: ignore[arg-type]
            return None
        result: MatcherState = state  # type: ignore[assignment]  # conforms() checked it
        return result


def _nothing() -> None:
    return None


def _decoded_or_none(data: object) -> object:
    """`data` decoded (see yaml_values.decode), or None if it is not what `encode` writes."""
    try:
        return decode(data)
    except (NotDecodable, RecursionError):
        return None


def read_cache(root: Traversable) -> IndexCache | None:
    """The index cache in `root`, or None if there is none or it is damaged, edited or of other code."""
    raw = _read_cache(root)
    if raw is None or not raw.startswith(CHECKSUM_START) or raw[CHECKSUM_END:BODY_START] != b'",':
        return None
    if raw[len(CHECKSUM_START) : CHECKSUM_END] != b"%08x" % zlib.crc32(memoryview(raw)[BODY_START:]):
        return None  # edited by hand, or damaged: not what `advisor index` wrote
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.keys() != CACHE_KEYS:
        return None  # an older layout, or something added by hand
    if data["format"] != FORMAT or data["schema"] != signature():
        return None
    return IndexCache(data["fingerprint"], data["documents"], data["matcher"], data["rules"])


def read_index(root: Traversable, kb: KnowledgeBase) -> MatcherState | None:
    """The cached matcher state for `kb` (as loaded from `root`), or None if absent, stale or damaged."""
    cache = read_cache(root)
    return None if cache is None else cache.matcher_for(kb)


def index_problem(root: Traversable, kb: KnowledgeBase, documents: dict[str, Parsed] | None = None) -> str | None:
    """What is wrong with `root`'s index for `kb`, for `advisor check`; None if it is absent or right.

    `documents` are the files' documents as parsed from the YAML (parsed again if not given)."""
    cache = root / CACHE_NAME
    if isinstance(cache, Path):
        if not cache.is_symlink() and not cache.exists():
            return None
        try:
            read_regular_file(cache, MAX_CACHE_BYTES, follow_symlinks=False)
        except RefusedFileError as exc:
            return f"{exc.strerror}; it is ignored (remove it, then run `advisor index`)"
        except OSError as exc:
            return f"cannot read it ({exc.strerror or exc}); it is ignored"
    elif not cache.is_file():
        return None
    stored = read_cache(root)
    state = None if stored is None else stored.matcher_for(kb)
    if stored is None or state is None:
        return "the index is out of date or damaged (answers are still correct, but slower): run `advisor index`"
    if documents is None:
        documents = load_knowledge_documents(root)[1]
    if (
        state != build_state(kb)
        or stored.documents != encode_documents(documents)
        or stored.rules != _rules_or_none(root)
    ):
        return "the index does not match the knowledge files (edited by hand?); run `advisor index`"
    return None
