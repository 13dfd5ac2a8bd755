"""A precompiled index of a knowledge folder, kept beside its YAML files.

`advisor index` writes `index.cache.json`: the matcher's derived data (what
`matching.build_state` computes from the entries' text), stamped with a format
number, the signature of the knowledge format's field tables (`schema.signature`)
and a fingerprint of every YAML file. It holds nothing else: entries, answers,
sources and the lines they came from always come from the YAML, so a cache edited
by hand can never put words in the advisor's mouth (the field tables say, field by
field, what the cache derives from each: `schema.Field.cached_as`). Loading uses the
derived data only while the format, the field tables and the fingerprint match and
the data has the shape the matcher expects (`STATE_SCHEMA`); anything else (a change
to any knowledge file or to how a field is read, a damaged or tampered cache, a link
in its place) is ignored and the index is rebuilt in memory, so the cache can make
start-up faster but never makes answers stale or wrong. Nothing is written at run
time, and `advisor index` replaces the file atomically.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AdvisorError
from .knowledge import load_knowledge, resolve_knowledge_dir
from .matching import MatcherState, build_state, state_is_consistent
from .models import KnowledgeBase
from .safe_files import RefusedFileError, read_regular_file, write_atomically
from .schema import signature

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

CACHE_NAME = "index.cache.json"
#: Bump when the cache layout or the way build_state analyses text changes (stop words, stemming):
#: a cache written by older code is then ignored. tests/test_index_cache.py checks the shipped one.
#: (A change to the field tables needs no bump: the cache records their signature.)
FORMAT = 40
#: The keys of a cache file.
CACHE_KEYS = frozenset({"format", "schema", "fingerprint", "matcher"})
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
    kb = load_knowledge(root)
    from .eligibility_rules import load_rules

    load_rules(root)  # a broken rules file is refused here, as the index vouches for the folder it covers
    data = {"format": FORMAT, "schema": signature(), "fingerprint": kb.fingerprint, "matcher": build_state(kb)}
    target = root / CACHE_NAME
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    try:
        write_atomically(target, text.encode("utf-8"))
    except OSError as exc:
        raise AdvisorError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


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


def read_index(root: Traversable, kb: KnowledgeBase) -> MatcherState | None:
    """The cached matcher state for `kb` (as loaded from `root`), or None if absent, stale or damaged."""
    raw = _read_cache(root)
    if raw is None or not kb.fingerprint:
        return None
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        # A damaged cache is only a missed shortcut: the matcher indexes the YAML instead.
        return None
    if not isinstance(data, dict) or data.keys() != CACHE_KEYS:
        return None  # an older layout, or something added by hand
    if data["format"] != FORMAT or data["schema"] != signature() or data["fingerprint"] != kb.fingerprint:
        return None
    state = data["matcher"]
    if not conforms(state, STATE_SCHEMA, entries=len(kb.entries)) or not state_is_consistent(state):
        return None
    result: MatcherState = state
    return result


def index_problem(root: Traversable, kb: KnowledgeBase) -> str | None:
    """What is wrong with `root`'s index for `kb`, for `advisor check`; None if it is absent or right."""
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
    state = read_index(root, kb)
    if state is None:
        return "the index is out of date or damaged (answers are still correct, but slower): run `advisor index`"
    if state != build_state(kb):
        return "the index does not match the knowledge files (edited by hand?); run `advisor index`"
    return None
