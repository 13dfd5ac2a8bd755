"""`advisor check` catches each kind of problem, with file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from advisor.checker import check_knowledge
from advisor.cli import main
from tests.conftest import TINY_ENTRIES, TINY_SOURCES


def messages(folder: Path) -> list[str]:
    return [str(p) for p in check_knowledge(folder).problems]


def test_check_clean_folder_has_no_problems(tiny_kb: Path) -> None:
    report = check_knowledge(tiny_kb)
    assert report.problems == []
    assert report.summary() == "2 entries, 2 sources, 1 topics, 0 problems"


def test_check_reports_uncited_source(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES
            + "  - {id: lonely, title: L, url: https://l.org, publisher: P, describes: d}\n",
            "animals.yaml": TINY_ENTRIES,
        }
    )
    assert messages(folder) == ["sources.yaml:13: source 'lonely' is not cited by any entry"]


def test_check_reports_shared_example_question(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "animals.yaml": TINY_ENTRIES
            + "  - id: cats.again\n    questions: ['What colour are the CATS?', 'feline hue']\n"
            "    answer: Grey (2017).\n    sources: [s1]\n",
        }
    )
    found = messages(folder)
    assert any(
        "animals.yaml:14: example question 'what colour are the cats' is shared by entries cats.again, cats.colour" in m
        for m in found
    ), found


def test_check_reports_questions_the_matcher_sends_elsewhere(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "animals.yaml": TINY_ENTRIES
            + "  - id: birds\n    questions: ['What colour is the bird?', 'colour of the cats']\n"
            "    answer: Blue (2017).\n    sources: [s2]\n",
        }
    )
    found = messages(folder)
    assert any(
        m.startswith("animals.yaml:14:") and "'colour of the cats' of birds is answered by" in m
        for m in found
    ), found


def test_check_reports_loader_problems_and_exit_codes(write_kb: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES.replace("[s1, s2]", "[s1, s9]")})
    assert main(["check", "--knowledge", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "animals.yaml:11: unknown source id 's9'" in out
    assert out.strip().endswith("1 problem")
    empty = folder.parent / "empty"
    empty.mkdir()
    assert main(["check", "--knowledge", str(empty)]) == 2
