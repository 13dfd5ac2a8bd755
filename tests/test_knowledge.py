"""The loader: a good folder loads; every kind of bad file is reported with file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from advisor import KnowledgeError, KnowledgeNotFoundError, load_knowledge
from tests.conftest import TINY_ENTRIES, TINY_SOURCES


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(folder)
    return [str(p) for p in info.value.problems]


def test_load_knowledge_reads_entries_sources_and_topics(tiny_kb: Path) -> None:
    kb = load_knowledge(tiny_kb)
    assert [e.id for e in kb.entries] == ["cats.colour", "dogs.count"]
    dogs = kb.entry("dogs.count")
    assert [s.id for s in dogs.sources] == ["s1", "s2"]
    assert dogs.sources[1].third_party is True
    assert dogs.institution == "lumc"
    assert kb.topics == ("animals",)


def test_load_knowledge_bundled_base_loads() -> None:
    kb = load_knowledge()
    assert len(kb.entries) > 50
    assert any(s.url == "https://www.lumc.nl/research/leading-fellows/about-lumc-and-research/" for s in kb.sources)


def test_load_knowledge_visits_files_in_sorted_order(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "b.yaml": "topic: b\nentries:\n  - {id: b1, questions: ['bee?'], answer: B (2017)., sources: [s1]}\n",
            "a/z.yaml": "topic: a\nentries:\n  - {id: a1, questions: ['ant?'], answer: A (2017)., sources: [s1]}\n",
        }
    )
    assert [e.id for e in load_knowledge(folder).entries] == ["a1", "b1"]


def test_load_knowledge_broken_yaml_names_file_and_line(write_kb: Callable[..., Path]) -> None:
    folder = write_kb({"sources.yaml": TINY_SOURCES, "bad.yaml": "topic: x\nentries:\n  - id: [unclosed\n"})
    problems = problems_of(folder)
    assert len(problems) == 1
    assert problems[0].startswith("bad.yaml:") and "YAML error" in problems[0]
    assert problems[0].split(":")[1].isdigit()


def test_load_knowledge_missing_field_points_at_entry_line(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "e.yaml": "topic: t\nentries:\n  - id: ok\n    questions: ['q?']\n    answer: a\n    sources: [s1]\n"
            "  - id: broken\n    questions: ['q2?']\n    sources: [s1]\n",
        }
    )
    assert problems_of(folder) == ["e.yaml:7: entry is missing the field 'answer'"]


def test_load_knowledge_collects_every_problem_at_once(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "e.yaml": """\
            topic: t
            entries:
              - id: dup
                questions: ['one?']
                answer: a
                sources: [nowhere]
              - id: dup
                questions: ['two?']
                answer: b
                sources: []
                colour: red
              - id: rel
                questions: []
                answer: c
                sources: [s1]
                related: [missing.entry]
                call: 0
            """,
        }
    )
    text = "\n".join(problems_of(folder))
    assert "e.yaml:6: unknown source id 'nowhere'" in text
    assert "e.yaml:7: duplicate entry id 'dup'" in text
    assert "e.yaml:10: an entry needs at least one source id" in text
    assert "e.yaml:11: unknown field 'colour'" in text
    assert "'questions' must be a non-empty list" in text
    assert "unknown related entry 'missing.entry'" in text
    assert "'call' must be a call number" in text


def test_load_knowledge_duplicate_source_and_bad_url(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES
            + "  - {id: s1, title: T, url: https://x.org, publisher: P, describes: d}\n"
            + "  - {id: s3, title: T, url: ftp://x.org, publisher: P, describes: d}\n",
            "animals.yaml": TINY_ENTRIES,
        }
    )
    text = "\n".join(problems_of(folder))
    assert "duplicate source id 's1'" in text
    assert "must start with http:// or https://" in text


def test_load_knowledge_wrong_types_are_reported(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "list.yaml": "- just\n- a list\n",
            "types.yaml": "topic: t\nentries:\n  - id: x\n    questions: 3\n    answer: 3\n    sources: s1\n",
            "keys.yaml": "topic: t\nsurprise: 1\n",
        }
    )
    text = "\n".join(problems_of(folder))
    assert "list.yaml:1: top level must be a mapping" in text
    assert "'questions' must be a non-empty list of strings or a block with one per line" in text
    assert "'answer' must be a non-empty string" in text
    assert "keys.yaml:2: unknown top-level key 'surprise'" in text


def test_load_knowledge_python_tags_are_rejected_not_executed(write_kb: Callable[..., Path], tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "evil.yaml": f"topic: t\nentries: !!python/object/apply:os.system ['touch {marker}']\n",
        }
    )
    problems = problems_of(folder)
    assert any(p.startswith("evil.yaml:2") and "YAML error" in p for p in problems)
    assert not marker.exists()


def test_load_knowledge_missing_folder_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeNotFoundError, match="no such folder"):
        load_knowledge(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(KnowledgeNotFoundError, match=r"no \.yaml files"):
        load_knowledge(tmp_path / "empty")
    (tmp_path / "file.yaml").write_text("x: 1")
    with pytest.raises(KnowledgeNotFoundError, match="not a folder"):
        load_knowledge(tmp_path / "file.yaml")


def test_load_knowledge_not_utf8_and_empty_file(write_kb: Callable[..., Path]) -> None:
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES, "empty.yaml": ""})
    (folder / "latin1.yaml").write_bytes(b"topic: caf\xe9\n")
    text = "\n".join(problems_of(folder))
    assert "latin1.yaml: not UTF-8 text" in text
    assert "empty.yaml:" in text and "file is empty" in text


def one_entry(folder: Path, fields: str) -> Path:
    """A knowledge folder with one source and one entry made of `fields` (YAML, indented 4)."""
    (folder / "s.yaml").write_text(
        "sources:\n  - {id: s1, title: T, url: 'https://example.org', publisher: P, describes: '2017'}\n"
    )
    (folder / "e.yaml").write_text(f"topic: t\nentries:\n  - id: x\n{fields}    answer: It.\n    sources: [s1]\n")
    return folder


def test_questions_may_be_a_block_with_one_per_line(tmp_path: Path) -> None:
    # The shipped files write them so: one YAML scalar per entry parses much faster than one per question.
    folder = one_entry(tmp_path, "    questions: |-\n      What is it?\n\n      what is it, really?\n")
    entry = load_knowledge(folder).entries[0]
    assert entry.questions == ("What is it?", "what is it, really?")
    assert entry.question_lines == (5, 7)  # the lines the questions stand on, for check's messages


def test_keywords_may_be_a_block_with_one_per_line(tmp_path: Path) -> None:
    # As the shipped files write them (about 2,200 keywords: one YAML scalar per entry, not per keyword).
    fields = "    questions: [What is it?]\n    keywords: |-\n      30% ruling\n\n      2017\n      take-home pay\n"
    assert load_knowledge(one_entry(tmp_path, fields)).entries[0].keywords == ("30% ruling", "2017", "take-home pay")
