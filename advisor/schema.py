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
    #: non-empty list of strings; "words": a list of strings or numbers (as words); "source_ids" and
    #: "entry_ids": lists of ids that must exist; "choice": one of `choices`; "flag": true or false.
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
    #: One line for the reference of the knowledge format.
    doc: str = ""


_TEXT = "a non-empty string"

ENTRY_FIELDS: tuple[Field, ...] = (
    Field("id", "label", f"'id' must be {_TEXT}", required=True, unique=True, doc="unique id, e.g. calls.call2"),
    Field("topic", "label", f"'topic' must be {_TEXT}", inherited=True, doc="topic; by default the file's `topic`"),
    Field(
        "questions",
        "texts",
        "'questions' must be a non-empty list of strings",
        required=True,
        cached_as=("questions", "entry_terms", "term_counts", "answer_terms"),
        doc="example questions, as applicants ask them",
    ),
    Field(
        "answer",
        "text",
        f"'answer' must be {_TEXT}",
        required=True,
        cached_as=("answer_terms",),
        doc="the answer, in the advisor's own words",
    ),
    Field(
        "sources",
        "source_ids",
        "an entry needs at least one source id",
        required=True,
        doc="ids of the sources the answer comes from (at least one)",
    ),
    Field(
        "keywords",
        "words",
        "'keywords' must be a list of strings",
        default=(),
        cached_as=("entry_terms", "term_counts", "keyword_words", "answer_terms"),
        doc="words or phrases that point at this entry",
    ),
    Field("related", "entry_ids", "'related' must be a list of entry ids", default=(), doc="ids of related entries"),
    Field("kind", "choice", "'kind' must be {choices}", default="answer", choices="kinds", doc="answer, or gap"),
    Field(
        "institution",
        "choice",
        "'institution' must be {choices}",
        choices="institutions",
        doc="the institution the entry is about",
    ),
    Field("call", "choice", "'call' must be {choices}", choices="calls", doc="the call the entry is about"),
)

SOURCE_FIELDS: tuple[Field, ...] = (
    Field("id", "label", f"source field 'id' must be {_TEXT}", required=True, unique=True, doc="unique id"),
    Field("title", "text", f"source field 'title' must be {_TEXT}", required=True, doc="the page's title"),
    Field("url", "url", f"source field 'url' must be {_TEXT}", required=True, doc="its http(s) address"),
    Field("publisher", "text", f"source field 'publisher' must be {_TEXT}", required=True, doc="who published it"),
    Field(
        "describes",
        "text",
        f"source field 'describes' must be {_TEXT}",
        required=True,
        doc="which call or year it describes",
    ),
    Field(
        "third_party",
        "flag",
        "'third_party' must be true or false",
        default=False,
        doc="true for a page not by the programme or its partners",
    ),
)

#: What every loaded record knows of where it came from, after its fields: the file (relative to
#: the knowledge folder) and the 1-based line of its mapping.
ORIGIN: tuple[str, ...] = ("file", "line")
#: An entry also knows the line of each of its example questions (for `advisor check`).
ENTRY_ORIGIN: tuple[str, ...] = (*ORIGIN, "question_lines")


def signature() -> str:
    """A short digest of both tables (but their `doc` lines): changes whenever what a field holds or
    how it is read does, so that the index cache, which records it, is then rebuilt."""
    rows = [row._replace(doc="") for row in (*ENTRY_FIELDS, *SOURCE_FIELDS)]
    return f"{zlib.crc32(repr(rows).encode()):08x}"
