"""The precompiled index: current for the shipped base, identical to a fresh build, never stale."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor import Advisor, eligibility_rules, knowledge
from advisor.cli import main
from advisor.eligibility_rules import load_rules
from advisor.index_cache import (
    CACHE_NAME,
    STATE_SCHEMA,
    conforms,
    encode_documents,
    read_cache,
    read_index,
    write_index,
)
from advisor.knowledge import default_knowledge_dir, load_knowledge, load_knowledge_documents
from advisor.matching import build_state
from advisor.yaml_values import YamlMap
from tests.conftest import TINY_ENTRIES, TINY_SOURCES


def test_shipped_index_is_current_and_equals_a_fresh_build() -> None:
    root = default_knowledge_dir()
    kb = load_knowledge(root)
    state = read_index(root, kb)
    assert state is not None, "knowledge/index.cache.json is out of date: run `advisor index`"
    assert state == build_state(kb)


def test_state_schema_describes_what_build_state_makes() -> None:
    """If this fails, build_state changed: update STATE_SCHEMA and FORMAT in index_cache.py."""
    kb = load_knowledge(default_knowledge_dir())
    assert conforms(build_state(kb), STATE_SCHEMA, entries=len(kb.entries))


def test_index_is_ignored_once_a_knowledge_file_changes(tiny_kb: Path) -> None:
    write_index(tiny_kb)
    assert read_index(tiny_kb, load_knowledge(tiny_kb)) is not None
    entries = tiny_kb / "animals.yaml"
    entries.write_text(entries.read_text().replace("grey", "purple"), encoding="utf-8")
    assert read_index(tiny_kb, load_knowledge(tiny_kb)) is None
    assert "purple" in Advisor(tiny_kb).ask("What colour are the cats?").text


def test_damaged_index_falls_back_to_the_yaml(tiny_kb: Path) -> None:
    for junk in ["{not json", '{"format": 1}', "[]", '{"format": 1, "fingerprint": null}']:
        (tiny_kb / CACHE_NAME).write_text(junk, encoding="utf-8")
        assert read_index(tiny_kb, load_knowledge(tiny_kb)) is None
        assert Advisor(tiny_kb).ask("What colour are the cats?").matched


def test_advisor_index_command_writes_and_check_notices_staleness(tiny_kb: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "copy"
    shutil.copytree(tiny_kb, folder)
    assert main(["index", "--knowledge", str(folder)]) == 0
    assert (folder / CACHE_NAME).is_file()
    assert main(["check", "--knowledge", str(folder)]) == 0
    (folder / "animals.yaml").write_text((folder / "animals.yaml").read_text() + "\n", encoding="utf-8")
    assert main(["check", "--knowledge", str(folder)]) == 1
    assert "run `advisor index`" in capsys.readouterr().out


def test_a_current_index_gives_the_very_knowledge_base_the_yaml_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    root = default_knowledge_dir()
    parsed, documents = load_knowledge_documents(root)
    cache = read_cache(root)
    assert cache is not None
    cached = cache.documents_for(parsed.fingerprint)
    assert cached is not None and encode_documents(cached) == encode_documents(documents)
    for name, (document, first_line) in documents.items():  # the lines too, which problems are reported with
        assert cached[name][1] == first_line
        assert isinstance(document, YamlMap) and cached[name][0] == document
        assert cached[name][0].key_lines == document.key_lines  # type: ignore[union-attr]

    def no_parse(text: str) -> None:
        raise AssertionError("parsed the YAML although the index is current")

    monkeypatch.setattr(knowledge, "_parse", no_parse)
    assert load_knowledge(root, cached=cache.documents_for) == parsed
    assert cache.documents_for("another fingerprint") is None


def test_a_start_with_a_current_index_never_imports_pyyaml() -> None:
    probe = (
        "import sys\n"
        "from advisor import Advisor\n"
        "bot = Advisor()\n"
        "assert bot.ask('When did call 2 close?').matched\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('yaml', '_yaml')))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_stale_index_is_not_used_for_the_documents_either(tiny_kb: Path) -> None:
    write_index(tiny_kb)
    entries = tiny_kb / "animals.yaml"
    entries.write_text(entries.read_text().replace("grey", "purple"), encoding="utf-8")
    cache = read_cache(tiny_kb)
    assert cache is not None  # intact, but for other bytes
    assert cache.documents_for(load_knowledge(tiny_kb).fingerprint) is None
    assert "purple" in Advisor(tiny_kb).ask("What colour are the cats?").text


def test_the_cached_rules_are_the_rules_file_s(monkeypatch: pytest.MonkeyPatch) -> None:
    root = default_knowledge_dir()
    cache = read_cache(root)
    assert cache is not None
    fingerprint = load_knowledge(root).fingerprint
    expected = load_rules(root)
    document = cache.rules_for(fingerprint)()
    assert document is not None and cache.rules_for("another fingerprint")() is None

    def no_parse(text: str, name: str = "") -> None:
        raise AssertionError("parsed the rules file although the index is current")

    monkeypatch.setattr(eligibility_rules, "parse_rules", no_parse)
    assert _fields(load_rules(root, document=document)) == _fields(expected)


def test_a_cached_rules_document_that_does_not_validate_falls_back_to_the_file() -> None:
    root = default_knowledge_dir()
    assert _fields(load_rules(root, document={"calls": "not a list"})) == _fields(load_rules(root))


def _fields(rules: object) -> dict[str, object]:
    """A rule set's fields (rule sets compare by identity)."""
    assert dataclasses.is_dataclass(rules)
    return {field.name: getattr(rules, field.name) for field in dataclasses.fields(rules)}


def test_files_in_sub_folders_are_cached_in_their_reading_order(
    write_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "a/cats.yaml" is read before "a.yaml" (a folder's listing is sorted by name), though a sort of
    # the whole names would put it after: the cache must keep the reading order, which is the entries'.
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "a/cats.yaml": TINY_ENTRIES,
            "a.yaml": "topic: birds\nentries:\n  - {id: birds.count, questions: [How many birds?], "
            "answer: Four birds (2017)., sources: [s1]}\n",
        }
    )
    write_index(folder)
    parsed = load_knowledge(folder)
    cache = read_cache(folder)
    assert cache is not None

    def no_parse(text: str) -> None:
        raise AssertionError("parsed the YAML although the index is current")

    monkeypatch.setattr(knowledge, "_parse", no_parse)
    cached = load_knowledge(folder, cached=cache.documents_for)
    assert cached == parsed and [e.id for e in cached.entries][-1] == "birds.count"
