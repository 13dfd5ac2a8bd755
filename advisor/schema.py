"""The knowledge format's records, field by field: the one place that says what an entry and a source hold.

Each `Field` row says a field's name (its YAML key and the attribute of `models.Entry` or
`models.Source`, in the same order), how it is read and validated (`kind`, one of the readers
in `knowledge.READERS`), whether it is required or else its default, the problem a wrong value
gets, and what the index cache keeps of it. The loader (`knowledge.py`) validates and builds
records from these rows alone, `Source.to_dict` lists the rows, and `index_cache.py` stamps the
cache with `signature()` so that a cache written under another table is not used. Adding a field
is one row here and one attribute on the record (tests/test_schema.py checks that they agree).

Besides its fields, every loaded record knows where it came from (`ORIGIN`): the file and
line of its mapping, and for an entry the line of each example question, so that `advisor
check` and load errors point at file:line without reading the YAML again.
"""

from __future__ import annotations

import zlib
from typing import NamedTuple


class Field(NamedTuple):
    """One field of a record in a knowledge file."""

    name: str
    #: How the value is read and validated: a key of `knowledge.READERS`. "label": a non-empty
    #: string, kept as written; "text": the same, stripped; "url": an http(s) address; "texts": a
    #: non-empty list of strings, or a block of text with one string per line; "words": a list of
    #: strings or numbers (as words), or a block with one per line; "source_ids" and "entry_ids":
    #: lists of ids that must exist; "choice": one of `choices`; "flag": true or false.
    kind: str
    #: What a wrong value is told ("{choices}" becomes the allowed values: "1, 2 or 3").
    invalid: str
    required: bool = False
    #: The value when the field is absent (an optional field).
    default: object = None
    #: Absent, it takes the value of the file's top-level key of the same name (an entry's `topic`).
    inherited: bool = False
    #: No two records may share the value.
    unique: bool = False
    #: For "choice": the name of the set of allowed values (see knowledge.Allowed).
    choices: str = ""
    #: What the index cache keeps of it: the keys of the matcher's per-entry data derived from the
    #: field (see index_cache.STATE_SCHEMA). Empty: nothing; the value is read from the YAML at every
    #: start (by design: a cache must never put words in the advisor's mouth).
    cached_as: tuple[str, ...] = ()


_TEXT = "a non-empty string"
#: What the matcher derives from an entry's example questions and keywords: their words, how many of
#: them hold each word, and (as the answer's words count only where those do not) its answer's words.
_QUESTION_DATA = ("entry_terms", "term_counts", "answer_terms")

# fmt: off
ENTRY_FIELDS: tuple[Field, ...] = (
    Field("id", "label", f"'id' must be {_TEXT}", required=True, unique=True),
    Field("topic", "label", f"'topic' must be {_TEXT}", inherited=True),
    Field("questions", "texts", "'questions' must be a non-empty list of strings or a block with one per line",
          required=True,
          cached_as=("questions", *_QUESTION_DATA)),
    Field("answer", "text", f"'answer' must be {_TEXT}", required=True, cached_as=("answer_terms",)),
    Field("sources", "source_ids", "an entry needs at least one source id", required=True),
    Field("keywords", "words", "'keywords' must be a list of strings or a block with one per line",
          default=(),
          cached_as=("keyword_words", *_QUESTION_DATA)),
    Field("related", "entry_ids", "'related' must be a list of entry ids", default=()),
    Field("kind", "choice", "'kind' must be {choices}", default="answer", choices="kinds"),
    Field("institution", "choice", "'institution' must be {choices} (see the programme's institutions)",
          choices="institutions"),
    Field("call", "choice", "'call' must be {choices} (see the programme's calls)", choices="calls"),
)

SOURCE_FIELDS: tuple[Field, ...] = (
    Field("id", "label", f"source field 'id' must be {_TEXT}", required=True, unique=True),
    Field("title", "text", f"source field 'title' must be {_TEXT}", required=True),
    Field("url", "url", f"source field 'url' must be {_TEXT}", required=True),
    Field("publisher", "text", f"source field 'publisher' must be {_TEXT}", required=True),
    Field("describes", "text", f"source field 'describes' must be {_TEXT}", required=True),
    Field("third_party", "flag", "'third_party' must be true or false", default=False),
)
# fmt: on

#: What every loaded record knows of where it came from, after its fields: the file (relative to
#: the knowledge folder) and the 1-based line of its mapping.
ORIGIN: tuple[str, ...] = ("file", "line")
#: An entry also knows the line of each of its example questions (for `advisor check`).
ENTRY_ORIGIN: tuple[str, ...] = (*ORIGIN, "question_lines")


def signature() -> str:
    """A short digest of both tables: changes whenever what a field holds or how it is read does,
    so that an index cache (which records it) written under other tables is rebuilt."""
    return f"{zlib.crc32(repr((ENTRY_FIELDS, SOURCE_FIELDS)).encode()):08x}"
