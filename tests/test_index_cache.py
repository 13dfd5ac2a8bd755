"""The precompiled index: current for the shipped base, identical to a fresh build, never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from advisor import Advisor
from advisor.cli import main
from advisor.index_cache import CACHE_NAME, STATE_SCHEMA, conforms, read_index, write_index
from advisor.knowledge import default_knowledge_dir, load_knowledge
from advisor.matching import build_state


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
