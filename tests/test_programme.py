"""The programme file: read and validated with file:line problems; neutral without one; `advisor init`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, TINY_ENTRIES, TINY_SOURCES

from advisor.checker import check_knowledge
from advisor.cli import main
from advisor.errors import KnowledgeError
from advisor.knowledge import load_knowledge, parse_knowledge_texts
from advisor.programme import NEUTRAL, Call, Programme
from advisor.skeleton import PROGRAMME_FILE

PROGRAMME = """\
programme:
  name: Example Fellows
  status: {state: closed, opened: 2030-01-01, closed: 2031-06-30}
  contact: {name: the office, email: office@example.org}
  institutions:
    - {id: lumc, name: Example Institute, aliases: [example institute]}
    - id: other
      name: Other College
      aliases: [other college, oc]
  calls:
    - {number: 1}
    - {number: 2, words: [last]}
  follow_up_metrics: [grants]
  decline: |-
    Not in my sources. Try:
    {suggestions}
    Or write to {email} (closed in {closed}).
  suggestions: [What colour are the cats?]
  smalltalk:
    greeting: Hello from Example Fellows.
"""


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(folder)
    return [str(p) for p in info.value.problems]


def test_the_shipped_programme_file_declares_the_programme() -> None:
    programme = load_knowledge(REPO / "knowledge").programme
    assert programme.declared and programme.name and programme.advisor
    assert programme.status.state == "closed" and programme.status.closed == datetime.date(2018, 10, 31)
    assert programme.contact.email and programme.suggestions
    assert len(programme.institutions) == 5 and {c.number for c in programme.calls} == {1, 2, 3}
    assert programme.call_words["last"] == "call3" and programme.call_words["second"] == "call2"
    assert {"erc", "h2020", "msca"} <= programme.metrics
    # The aliases of the institutions read as their ids, as the synonym table's own words do.
    synonyms = dict(load_knowledge(REPO / "knowledge").synonyms)
    assert all(synonyms[i.id] == i.aliases for i in programme.institutions)


def test_a_programme_block_is_read_with_its_texts(write_kb: Callable[..., Path]) -> None:
    kb = load_knowledge(write_kb({"about.yaml": PROGRAMME, "s.yaml": TINY_SOURCES, "e.yaml": TINY_ENTRIES}))
    programme = kb.programme
    assert programme.advisor == "Example Fellows advisor"  # derived from the name
    assert programme.institution_name("other") == "Other College"
    assert programme.call_words == {
        "first": "call1", "one": "call1", "1": "call1", "1st": "call1",
        "second": "call2", "two": "call2", "2": "call2", "2nd": "call2", "last": "call2",
    }  # fmt: skip
    assert programme.call_number("call2") == 2 and programme.call_number("call3") is None
    assert programme.decline_text(["A?", "B?"]) == (
        "Not in my sources. Try:\n  - A?\n  - B?\nOr write to office@example.org (closed in June 2031)."
    )
    assert programme.smalltalk_reply("greeting") == "Hello from Example Fellows."
    assert programme.smalltalk_reply("goodbye") == NEUTRAL.smalltalk_reply("goodbye")  # not given: neutral
    assert programme.partners_phrase() == "one of the programme's two partners"
    assert dict(kb.synonyms)["other"] == ("other college", "oc")


def test_without_a_programme_file_the_defaults_name_no_programme(write_kb: Callable[..., Path]) -> None:
    kb = load_knowledge(write_kb({"s.yaml": TINY_SOURCES, "e.yaml": TINY_ENTRIES}))
    assert kb.programme == NEUTRAL and not kb.programme.declared
    text = " ".join([NEUTRAL.welcome, NEUTRAL.decline, NEUTRAL.description, *dict(NEUTRAL.smalltalk).values()])
    assert "@" not in text and "LEaDing" not in text and "LUMC" not in text
    # Calls and institutions are then whatever the entries say.
    assert NEUTRAL.call_number("call7") == 7 and NEUTRAL.call_words["third"] == "call3"
    assert NEUTRAL.institution_name("lumc") == "lumc"
    assert parse_knowledge_texts([("e.yaml", TINY_SOURCES + TINY_ENTRIES[len("") :])]).programme == Programme()


def test_programme_problems_are_reported_with_file_and_line(write_kb: Callable[..., Path]) -> None:
    bad = (
        PROGRAMME.replace("state: closed", "state: shut")
        .replace("office@example.org", "nobody")
        .replace("name: Other College", "name: Other College\n      colour: red")
        .replace("{email}", "{emial}")
        .replace("- {number: 2, words: [last]}", "- {number: 1}")
        .replace("  smalltalk:\n", "  smalltalk:\n    weather: sunny\n")
    )
    found = problems_of(write_kb({"about.yaml": bad, "s.yaml": TINY_SOURCES, "e.yaml": TINY_ENTRIES}))
    assert "about.yaml:3: 'state' must be one of open, closed, unknown" in found
    assert "about.yaml:4: 'email' is not an e-mail address: 'nobody'" in found
    assert any(p.startswith("about.yaml:9: unknown field 'colour' in institution") for p in found), found
    assert "about.yaml:13: call 1 is listed twice" in found
    assert any(p.startswith("about.yaml:15: unknown placeholder {emial} in 'decline'") for p in found), found
    assert any(p.startswith("about.yaml:21: unknown small-talk kind 'weather'") for p in found), found


def test_entries_must_name_declared_institutions_and_calls(write_kb: Callable[..., Path]) -> None:
    entries = TINY_ENTRIES.replace("institution: lumc", "institution: elsewhere\n    call: 3")
    found = problems_of(write_kb({"about.yaml": PROGRAMME, "s.yaml": TINY_SOURCES, "e.yaml": entries}))
    assert "e.yaml:8: 'institution' must be lumc or other (see the programme's institutions)" in found
    assert "e.yaml:9: 'call' must be 1 or 2 (see the programme's calls)" in found


def test_one_programme_block_and_one_list_of_aliases(write_kb: Callable[..., Path]) -> None:
    second = "programme:\n  name: Another\n"
    synonyms = "synonyms:\n  other: [the other one]\n"
    found = problems_of(
        write_kb(
            {"about.yaml": PROGRAMME, "more.yaml": second + synonyms, "s.yaml": TINY_SOURCES, "e.yaml": TINY_ENTRIES}
        )
    )
    assert "more.yaml:1: a second programme block (the first is in about.yaml)" in found
    assert any(p.startswith("about.yaml:9: institution 'other' has aliases here and synonyms") for p in found)


def test_a_programme_without_a_name_or_of_the_wrong_type(write_kb: Callable[..., Path]) -> None:
    found = problems_of(write_kb({"about.yaml": "programme:\n  status: {state: closed}\n", "e.yaml": TINY_SOURCES}))
    assert "about.yaml:1: the programme block is missing the field 'name'" in found
    assert "about.yaml:2: a closed programme needs the date it closed ('closed')" in found
    found = problems_of(write_kb({"about.yaml": "programme: [1, 2]\n", "e.yaml": TINY_SOURCES}, folder="kb2"))
    assert any("'programme' must be a mapping" in p for p in found)


def test_init_writes_a_folder_that_checks_and_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    assert main(["init", str(folder), "--name", "Harbour Fellows"]) == 0
    out = capsys.readouterr().out
    assert f"{folder}/{PROGRAMME_FILE}" in out and "advisor check --knowledge" in out
    report = check_knowledge(folder)
    assert report.problems == [] and report.entries == 1
    assert load_knowledge(folder).programme.name == "Harbour Fellows"
    assert main(["--knowledge", str(folder), "Who can apply?"]) == 0
    assert "Researchers who hold a PhD" in capsys.readouterr().out
    assert main(["--knowledge", str(folder), "What is the price of fish?"]) == 1
    declined = capsys.readouterr().out
    assert "office@example.org" in declined and "  - Who can apply?" in declined
    assert main(["--knowledge", str(folder), "hello"]) == 0
    assert "LEaDing" not in capsys.readouterr().out  # neutral small talk, not the shipped programme's


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not empty" in err and "nothing was written" in err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path / "file")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["init", str(empty)]) == 0  # an empty folder is fine


def test_init_usage_and_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 2
    assert "required: DIR" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "x"), "--name", "Bad {name}"]) == 2
    assert "without braces" in capsys.readouterr().err
    assert main(["init", "--help"]) == 0
    out = capsys.readouterr().out
    assert "new or empty" in out and "advisor check --knowledge DIR" in out
    assert main(["--help"]) == 0
    assert "advisor init DIR" in capsys.readouterr().out


def test_each_month_holds_the_calls_open_in_it() -> None:
    calls = (
        Call(1, datetime.date(2017, 11, 1), datetime.date(2018, 1, 10)),
        Call(2, datetime.date(2018, 1, 20), datetime.date(2018, 2, 28)),
        Call(3),  # no dates: in no month
    )
    months = Programme(calls=calls).call_months
    assert months == {
        (2017, 11): {"call1"},
        (2017, 12): {"call1"},
        (2018, 1): {"call1", "call2"},  # shared: the analyzer names neither by it
        (2018, 2): {"call2"},
    }
    shipped = load_knowledge(REPO / "knowledge").programme.call_months
    assert shipped[(2017, 11)] == {"call2"} and shipped[(2018, 10)] == {"call3"} and (2018, 5) not in shipped
