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
    assert report.summary() == f"Checked {tiny_kb}: 2 entries, 2 sources, 1 topic, 0 problems"


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


def test_check_reports_a_first_question_that_reads_as_a_search_term(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "animals.yaml": TINY_ENTRIES + "  - id: cats.food\n    questions: ['cat food?', 'What do the cats eat?']\n"
            "    answer: Fish (2017).\n    sources: [s1]\n",
        }
    )
    found = messages(folder)
    assert any("animals.yaml:14: the first example question of cats.food ('cat food?') is shown" in m for m in found), (
        found
    )
    assert not any("the first example question of cats.colour" in m for m in found), found


def test_check_reports_questions_the_matcher_sends_elsewhere(write_kb: Callable[..., Path]) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES,
            "animals.yaml": TINY_ENTRIES
            + "  - id: birds\n    questions: ['What colour is the bird?', 'Which colour is a cat?']\n"
            "    answer: Blue (2017).\n    sources: [s2]\n",
        }
    )
    found = messages(folder)
    assert any(
        m.startswith("animals.yaml:14:") and "'Which colour is a cat?' of birds is answered by" in m for m in found
    ), found


def test_an_example_of_two_questions_is_answered_when_its_entry_answers_one_part(write_kb: Callable[..., Path]) -> None:
    entries = TINY_ENTRIES.replace(
        '["How many dogs does LUMC have?", "Number of dogs at LUMC"]',
        '["How many dogs does LUMC have?", "Number of dogs at LUMC",'
        ' "What colour are the cats, and how many dogs does LUMC have?"]',
    )
    assert messages(write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": entries})) == []


def test_check_reports_loader_problems_and_exit_codes(write_kb: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": TINY_ENTRIES.replace("[s1, s2]", "[s1, s9]")})
    assert main(["check", "--knowledge", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "animals.yaml:11: unknown source id 's9'" in out
    assert out.strip().endswith("1 problem")
    empty = folder.parent / "empty"
    empty.mkdir()
    assert main(["check", "--knowledge", str(empty)]) == 2


# --- issue 12: messages a curator can act on ---------------------------------------------------


def test_a_file_that_cannot_be_read_is_named_without_knock_on_errors(write_kb: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    birds = "topic: birds\nentries:\n  - id: [broken\n"
    entries = TINY_ENTRIES + (
        "  - id: cats.song\n    questions: [Do cats sing?]\n    answer: No (2017).\n    sources: [s1]\n"
        "    related: [birds.song]\n"
    )
    folder = write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": entries, "birds.yaml": birds})
    assert main(["check", "--knowledge", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("birds.yaml:4: YAML error")
    assert not any("unknown related entry" in line for line in out), out
    assert out[1].startswith("note: birds.yaml could not be read") and "skipped" in out[1]
    assert out[-1] == f"Checked {folder}: 3 entries, 2 sources, 1 topic, 1 problem"


def test_check_explains_booleans_misspelt_fields_and_duplicates(write_kb: Callable[..., Path]) -> None:
    entries = TINY_ENTRIES + (
        "  - id: cats.yes\n    questions: [Are cats nice?]\n    answer: yes\n    sources: [s1]\n"
        "  - id: cats.colour\n    questions: [Cat colour again?]\n    answer: Grey (2017).\n    sorces: [s1]\n"
    )
    found = messages(write_kb({"sources.yaml": TINY_SOURCES, "animals.yaml": entries}))
    assert (
        "animals.yaml:15: 'answer' must be a non-empty string "
        '(YAML read yes as the boolean true; put it in quotes: answer: "yes")' in found
    ), found
    assert "animals.yaml:20: unknown field 'sorces' in entry: did you mean 'sources'?" in found, found
    assert any("duplicate entry id 'cats.colour', defined at animals.yaml:3 and animals.yaml:17" in m for m in found)


def test_check_and_index_say_which_folder_they_use(tiny_kb: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    main(["check"])
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.startswith("Checked ") and "knowledge" in summary and "--knowledge" not in summary.split(":")[0]
    assert main(["index", "--knowledge", str(tiny_kb)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Indexed {tiny_kb}\n") and f"wrote {tiny_kb / 'index.cache.json'}" in out
