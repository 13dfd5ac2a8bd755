"""One schema: the field tables of advisor/schema.py drive validation, loading, the index cache's
stamp and line numbers, and agree with the Entry and Source records."""

from __future__ import annotations

import collections
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor import knowledge, schema
from advisor.checker import check_knowledge
from advisor.errors import KnowledgeError
from advisor.index_cache import STATE_SCHEMA, PerEntry, read_index, write_index
from advisor.knowledge import READERS, Allowed, load_knowledge, parse_knowledge_texts
from advisor.matching import build_state
from advisor.models import Entry, Source
from advisor.schema import ENTRY_FIELDS, ENTRY_ORIGIN, ORIGIN, SOURCE_FIELDS, Field

SOURCES = """\
sources:
  - id: s1
    title: One
    url: https://example.org/one
    publisher: P
    describes: "2017"
  - id: s2
    title: Two
    url: https://example.org/two
    publisher: Q
    describes: "2018"
"""

#: Two entries written with only their required fields (the first one's fields are varied below).
ENTRIES = """\
topic: animals
entries:
  - id: e1
    questions:
      - What colour are the cats?
      - "Which colour is a cat?"
    answer: The cats are grey (2017).
    sources: [s1]
  - id: e2
    questions: [How many dogs are there?]
    answer: There are four dogs (2017).
    sources: [s2]
"""

#: For each kind of field: a YAML value that is valid but not the default, and what it loads as.
SAMPLES: dict[str, tuple[str, Callable[[Field], object]]] = {
    "label": ("other", lambda f: "other"),
    "text": ("'  Another text.  '", lambda f: "Another text."),
    "url": ("https://example.org/other", lambda f: "https://example.org/other"),
    "flag": ("true", lambda f: True),
    "texts": ("[' A question? ', Another one]", lambda f: ("A question?", "Another one")),
    "words": ("[zebra, 2017]", lambda f: ("zebra", "2017")),
    "source_ids": ("[s2, s1]", lambda f: ("s2", "s1")),
    "entry_ids": ("[e2]", lambda f: ("e2",)),
    "choice": ("CHOICE", lambda f: _choices(f)[-1]),
}


#: Values for the "choice" fields in a folder without a programme file (which allows any institution
#: id and call number) - its kinds are the entry kinds.
CHOICES: dict[str, tuple[Any, ...]] = {
    "kinds": knowledge.ENTRY_KINDS,
    "institutions": ("north", "south"),
    "calls": (1, 2),
}


def _choices(field: Field) -> tuple[Any, ...]:
    return CHOICES[field.choices]


def _sample(field: Field) -> tuple[str, object]:
    text, expected = SAMPLES[field.kind]
    if field.kind == "choice":
        text = yaml.safe_dump(_choices(field)[-1]).removesuffix("\n...\n").strip()
    return text, expected(field)


def _with_field(entries: str, name: str, value: str) -> str:
    """ENTRIES with field `name` of entry e1 set to `value` (replacing the line, or added after its id)."""
    lines = entries.splitlines()
    start = lines.index("  - id: e1")
    for index in range(start, len(lines)):
        if lines[index].startswith(f"    {name}:") or (name == "id" and index == start):
            end = index + 1
            while end < len(lines) and lines[end].startswith("      "):
                end += 1
            prefix = "  - " if name == "id" else "    "
            lines[index:end] = [f"{prefix}{name}: {value}"]
            return "\n".join(lines) + "\n"
    lines.insert(start + 1, f"    {name}: {value}")
    return "\n".join(lines) + "\n"


def _load(entries: str, sources: str = SOURCES) -> Any:
    return parse_knowledge_texts([("sources.yaml", sources), ("animals.yaml", entries)])


def _problems(entries: str, sources: str = SOURCES) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        _load(entries, sources)
    return [str(problem) for problem in info.value.problems]


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.lstrip(" -").startswith(start))


# --- the tables and the records agree ----------------------------------------------------------


def test_the_tables_and_the_records_have_the_same_fields_in_the_same_order() -> None:
    assert Entry._fields == (*(f.name for f in ENTRY_FIELDS), *ENTRY_ORIGIN)
    assert Source._fields == (*(f.name for f in SOURCE_FIELDS), *ORIGIN)


@pytest.mark.parametrize(("record", "fields"), [(Entry, ENTRY_FIELDS), (Source, SOURCE_FIELDS)])
def test_the_records_defaults_are_the_tables(record: Any, fields: tuple[Field, ...]) -> None:
    for field in fields:
        if field.required or field.inherited:
            assert field.name not in record._field_defaults, field.name
        else:
            assert record._field_defaults[field.name] == field.default, field.name


def test_every_row_names_a_reader_and_an_existing_set_of_choices() -> None:
    for field in (*ENTRY_FIELDS, *SOURCE_FIELDS):
        assert field.kind in READERS, field
        assert field.kind in SAMPLES, f"tests/test_schema.py has no sample value for the kind {field.kind!r}"
        assert (field.kind == "choice") == bool(field.choices), field
        if field.choices:
            assert field.choices in Allowed._fields, field
        assert not (field.required and field.default is not None), field


def test_the_readme_shows_every_field() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for field in (*ENTRY_FIELDS, *SOURCE_FIELDS):
        assert re.search(rf"^ *(- )?{field.name}:", readme, re.MULTILINE), f"README.md does not show {field.name!r}"


def test_what_the_cache_derives_is_the_matchers_per_entry_data() -> None:
    per_entry = {key for key, shape in STATE_SCHEMA.items() if isinstance(shape, PerEntry)}
    assert {key for field in ENTRY_FIELDS for key in field.cached_as} == per_entry
    assert not any(field.cached_as for field in SOURCE_FIELDS)


# --- every field of the table is validated, loaded and restored ---------------------------------


@pytest.mark.parametrize("field", ENTRY_FIELDS, ids=lambda f: f.name)
def test_every_entry_field_is_loaded_from_the_yaml(field: Field) -> None:
    text, expected = _sample(field)
    kb = _load(_with_field(ENTRIES, field.name, text))
    entry = kb.entries[0]
    got = getattr(entry, field.name)
    if field.kind == "source_ids":
        got = tuple(source.id for source in got)
    assert got == expected


@pytest.mark.parametrize("field", ENTRY_FIELDS, ids=lambda f: f.name)
def test_every_entry_field_is_validated_at_its_line(field: Field) -> None:
    entries = _with_field(ENTRIES, field.name, "{not: valid}")  # a mapping is no value of any kind
    found = _problems(entries)
    line = _line_of(entries, f"{field.name}: {{not")
    assert any(p.startswith(f"animals.yaml:{line}: ") for p in found), found


def _with_source(name: str, value: str) -> str:
    """SOURCES and a third source, s3, whose field `name` is `value` (the other fields are plain)."""
    fields = {
        "id": "s3",
        "title": "Three",
        "url": "https://example.org/three",
        "publisher": "R",
        "describes": "c. 2019",
    }
    fields[name] = value
    return SOURCES + "  - " + "\n    ".join(f"{key}: {text}" for key, text in fields.items()) + "\n"


@pytest.mark.parametrize("field", SOURCE_FIELDS, ids=lambda f: f.name)
def test_every_source_field_is_loaded_and_validated_at_its_line(field: Field) -> None:
    text, expected = _sample(field)
    source = _load(ENTRIES, _with_source(field.name, text)).sources[2]
    assert getattr(source, field.name) == expected
    assert source.to_dict()[field.name] == expected
    wrong = _with_source(field.name, "{not: valid}")
    line = _line_of(wrong, f"{field.name}: {{not")
    assert any(p.startswith(f"sources.yaml:{line}: ") for p in _problems(ENTRIES, wrong))


def test_required_fields_are_missing_and_optional_ones_take_their_defaults() -> None:
    required = [f.name for f in ENTRY_FIELDS if f.required]
    for name in required:
        lines = [line for line in ENTRIES.splitlines() if not line.startswith(f"    {name}:")]
        if name == "id":
            lines = [line.replace("  - id: e1", "  - topic: animals") for line in lines]
        entries = "\n".join(lines) + "\n"
        assert any(f"entry is missing the field {name!r}" in p for p in _problems(entries)), name
    entry = _load(ENTRIES).entries[0]
    for field in ENTRY_FIELDS:
        if not field.required and not field.inherited:
            assert getattr(entry, field.name) == field.default, field.name
    assert entry.topic == "animals"  # inherited from the file


def test_unknown_fields_are_told_the_tables_names() -> None:
    found = _problems(_with_field(ENTRIES, "colour", "red"))
    allowed = ", ".join(sorted(f.name for f in ENTRY_FIELDS))
    assert found == [f"animals.yaml:4: unknown field 'colour' in entry (allowed: {allowed})"]


def _wider_entry() -> Any:
    """Entry with one more field, `audience`, as if a row had been added to the table."""
    names = (*(f.name for f in ENTRY_FIELDS), "audience", *ENTRY_ORIGIN)
    defaults = {**Entry._field_defaults, "audience": "anyone"}
    first = next(i for i, name in enumerate(names) if name in defaults)
    return collections.namedtuple("WiderEntry", names, defaults=[defaults[name] for name in names[first:]])


def test_a_row_added_to_the_table_is_validated_loaded_and_restamps_the_cache(
    monkeypatch: pytest.MonkeyPatch, write_kb: Callable[..., Path]
) -> None:
    folder = write_kb({"sources.yaml": SOURCES, "animals.yaml": ENTRIES})
    write_index(folder)
    assert read_index(folder, load_knowledge(folder)) is not None
    row = Field("audience", "text", "'audience' must be a non-empty string", default="anyone")
    monkeypatch.setattr(schema, "ENTRY_FIELDS", (*ENTRY_FIELDS, row))
    monkeypatch.setattr(knowledge, "Entry", _wider_entry())
    # The cache written under the old table is not used: the field tables are part of its stamp.
    assert read_index(folder, load_knowledge(folder)) is None
    write_index(folder)
    assert read_index(folder, load_knowledge(folder)) is not None
    # Loaded, with its default when absent...
    kb = _load(_with_field(ENTRIES, "audience", "' postdocs '"))
    assert [e.audience for e in kb.entries] == ["postdocs", "anyone"]
    # ... and validated, at its line.
    entries = _with_field(ENTRIES, "audience", "[1, 2]")
    assert _problems(entries) == ["animals.yaml:4: 'audience' must be a non-empty string"]


@pytest.mark.parametrize("field", ENTRY_FIELDS, ids=lambda f: f.name)
def test_the_cache_derives_from_a_field_exactly_what_the_table_says(field: Field) -> None:
    """Changing a field changes the matcher's per-entry data that `cached_as` names, and nothing
    else: a field the table says is not cached leaves the whole cache as it was."""
    before = build_state(_load(ENTRIES))
    text, _ = _sample(field)
    after = build_state(_load(_with_field(ENTRIES, field.name, text)))
    changed = {key for key, shape in STATE_SCHEMA.items() if isinstance(shape, PerEntry) and before[key] != after[key]}
    if field.cached_as:
        assert changed and changed <= set(field.cached_as), changed
    else:
        assert after == before


def test_cache_round_trip_restores_every_field_from_the_yaml(write_kb: Callable[..., Path]) -> None:
    entries = ENTRIES
    for field in ENTRY_FIELDS:
        if field.name not in ("id", "questions", "answer", "sources"):
            entries = _with_field(entries, field.name, _sample(field)[0])
    folder = write_kb({"sources.yaml": SOURCES, "animals.yaml": entries})
    fresh = load_knowledge(folder)
    write_index(folder)
    again = load_knowledge(folder)
    assert read_index(folder, again) == build_state(fresh)
    assert again.entries == fresh.entries and again.sources == fresh.sources


# --- line numbers ----------------------------------------------------------------------------


def test_entries_and_sources_know_their_file_and_lines() -> None:
    kb = _load(ENTRIES)
    e1, e2 = kb.entries
    assert (e1.file, e1.line, e1.question_lines) == ("animals.yaml", 3, (5, 6))
    assert (e2.file, e2.line, e2.question_lines) == ("animals.yaml", 9, (10,))
    assert [(s.file, s.line) for s in kb.sources] == [("sources.yaml", 2), ("sources.yaml", 7)]
    assert set(kb.sources[0].to_dict()) == {f.name for f in SOURCE_FIELDS}  # where it came from is not shown


def test_the_shipped_entries_lines_hold_their_ids_and_questions() -> None:
    kb = load_knowledge()
    texts: dict[str, list[str]] = {}
    root = knowledge.default_knowledge_dir()
    for entry in kb.entries:
        lines = texts.setdefault(entry.file, root.joinpath(entry.file).read_text(encoding="utf-8").splitlines())
        assert entry.line is not None and f"id: {entry.id}" in lines[entry.line - 1], entry.id
        assert len(entry.question_lines) == len(entry.questions)
        for question, line in zip(entry.questions, entry.question_lines, strict=True):
            assert question.split()[0] in lines[line - 1], (entry.id, question)
    for source in kb.sources:
        lines = texts.setdefault(source.file, root.joinpath(source.file).read_text(encoding="utf-8").splitlines())
        assert source.line is not None and f"id: {source.id}" in lines[source.line - 1], source.id


def test_load_errors_and_check_need_no_second_parse(
    monkeypatch: pytest.MonkeyPatch, write_kb: Callable[..., Path]
) -> None:
    def no_compose(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was parsed again to find a line")

    monkeypatch.setattr(yaml, "compose", no_compose)
    duplicate = ENTRIES + textwrap.indent(
        "- id: e1\n  questions: [Again?]\n  answer: Again (2017).\n  sources: [nowhere]\n", "  "
    )
    folder = write_kb({"sources.yaml": SOURCES, "animals.yaml": duplicate})
    found = [str(p) for p in check_knowledge(folder).problems]
    assert "animals.yaml:13: duplicate entry id 'e1', defined at animals.yaml:3 and animals.yaml:13" in found
    assert "animals.yaml:16: unknown source id 'nowhere'" in found
    shared = ENTRIES + "  - id: e3\n    questions: [What colour are the cats?]\n    answer: Grey.\n    sources: [s1]\n"
    uncited = SOURCES + "  - {id: s3, title: T, url: https://example.org/t, publisher: P, describes: d}\n"
    folder = write_kb({"sources.yaml": uncited, "animals.yaml": shared}, folder="shared")
    found = [str(p) for p in check_knowledge(folder).problems]
    assert any(p.startswith("animals.yaml:14: example question 'what colour are the cats' is shared") for p in found)
    assert "sources.yaml:12: source 's3' is not cited by any entry" in found


def test_check_suggests_quotes_only_where_a_string_is_wanted(write_kb: Callable[..., Path]) -> None:
    entries = _with_field(_with_field(ENTRIES, "call", "true"), "answer", "yes")
    found = [str(p) for p in check_knowledge(write_kb({"sources.yaml": SOURCES, "animals.yaml": entries})).problems]
    assert "animals.yaml:4: 'call' must be a call number (1, 2, ...) (see the programme's calls)" in found, (
        found
    )  # "true" in quotes is no call either
    assert any(p.startswith("animals.yaml:8: 'answer' must be") and 'answer: "yes"' in p for p in found), found
