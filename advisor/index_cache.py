"""A precompiled index of a knowledge folder, kept beside its YAML files.

`advisor index` writes `index.cache.json`: the validated knowledge base and the
matcher's derived data, stamped with a fingerprint of every YAML file. Loading
uses it only while the fingerprint still matches; any change to any knowledge
file (or a damaged cache) falls back to reading the YAML, so the cache can make
start-up faster but never makes answers stale. Nothing is written at run time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AdvisorError
from .knowledge import fingerprint_of, load_knowledge, resolve_knowledge_dir
from .matching import MatcherState, build_state
from .models import Entry, KnowledgeBase, Source
from .safe_files import write_atomically

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

CACHE_NAME = "index.cache.json"
#: Bump when the cache layout or the way build_state analyses text changes (stop words, stemming):
#: a cache written by older code is then ignored. tests/test_index_cache.py checks the shipped one.
FORMAT = 5


def _kb_to_data(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "sources": [source.to_dict() for source in kb.sources],
        "synonyms": [[canonical, list(variants)] for canonical, variants in kb.synonyms],
        "entries": [
            {
                "id": e.id,
                "topic": e.topic,
                "questions": list(e.questions),
                "answer": e.answer,
                "sources": [s.id for s in e.sources],
                "keywords": list(e.keywords),
                "related": list(e.related),
                "kind": e.kind,
                "institution": e.institution,
                "call": e.call,
                "file": e.file,
            }
            for e in kb.entries
        ],
    }


def _kb_from_data(data: dict[str, Any], *, location: str, fingerprint: str) -> KnowledgeBase:
    sources = {s["id"]: Source(**s) for s in data["sources"]}
    entries = tuple(
        Entry(
            id=e["id"],
            topic=e["topic"],
            questions=tuple(e["questions"]),
            answer=e["answer"],
            sources=tuple(sources[s] for s in e["sources"]),
            keywords=tuple(e["keywords"]),
            related=tuple(e["related"]),
            kind=e["kind"],
            institution=e["institution"],
            call=e["call"],
            file=e["file"],
        )
        for e in data["entries"]
    )
    return KnowledgeBase(
        entries=entries,
        sources=tuple(sources.values()),
        synonyms=tuple((c, tuple(v)) for c, v in data["synonyms"]),
        location=location,
        fingerprint=fingerprint,
    )


def write_index(folder: str | os.PathLike[str] | None = None) -> Path:
    """Validate `folder` (the source checkout's knowledge/ by default) and write its index."""
    root = resolve_knowledge_dir(folder)
    if not isinstance(root, Path):
        raise AdvisorError(f"cannot write an index into {root}: not a folder on disk")
    kb = load_knowledge(root)
    data = {"format": FORMAT, "fingerprint": kb.fingerprint, "knowledge": _kb_to_data(kb), "matcher": build_state(kb)}
    target = root / CACHE_NAME
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    try:
        write_atomically(target, text.encode("utf-8"))
    except OSError as exc:
        raise AdvisorError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def index_is_stale(root: Traversable) -> bool:
    """True when an index file exists but no longer matches the YAML files."""
    return (root / CACHE_NAME).is_file() and read_index(root) is None


def read_index(root: Traversable) -> tuple[KnowledgeBase, MatcherState] | None:
    """The cached knowledge base and matcher state, or None if absent, stale or damaged."""
    cache = root / CACHE_NAME
    try:
        if not cache.is_file():
            return None
        data = json.loads(cache.read_bytes())
        fingerprint = fingerprint_of(root)
        if data.get("format") != FORMAT or data.get("fingerprint") != fingerprint:
            return None
        kb = _kb_from_data(data["knowledge"], location=str(root), fingerprint=fingerprint)
        state: MatcherState = data["matcher"]
        if len(state["entry_terms"]) != len(kb.entries):
            return None
        return kb, state
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # A damaged cache is only a missed shortcut: read the YAML instead.
        return None
