"""Issue 11: never lose a file, never trust a derived file, never hang.

Each test here failed before the fix it guards. Process tests unset PYTHONUNBUFFERED
(this machine sets it; users do not), so that buffering faults show.
"""

from __future__ import annotations

import json
import os
import select
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from advisor import Advisor, KnowledgeError
from advisor.checker import check_knowledge
from advisor.cli import main
from advisor.index_cache import CACHE_NAME, read_cache, with_checksum, write_index
from advisor.knowledge import parse_knowledge_texts
from tests.conftest import TINY_ENTRIES, TINY_SOURCES

REPO = Path(__file__).resolve().parent.parent
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def run_python(code: str, *args: str, stdin: bytes = b"", timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """`code` in a fresh interpreter with the environment of a user (output buffered)."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], input=stdin, capture_output=True, timeout=timeout, env=USER_ENV
    )


def one_line_error(err: str) -> None:
    assert "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("advisor: error: "), err


# --- 1, 2: the index is written atomically, and never through a link ---


def test_index_never_writes_through_a_symlink(
    tiny_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (tiny_kb / CACHE_NAME).symlink_to(victim)
    assert main(["index", "--knowledge", str(tiny_kb)]) == 2
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (tiny_kb / CACHE_NAME).is_symlink()
    err = capsys.readouterr().err
    one_line_error(err)
    assert CACHE_NAME in err


def test_a_write_cut_short_leaves_the_old_index_whole(tiny_kb: Path) -> None:
    write_index(tiny_kb)
    cache = tiny_kb / CACHE_NAME
    before = cache.read_bytes()
    names = sorted(p.name for p in tiny_kb.iterdir())
    # A file-size limit makes the write fail part-way, as a full disk or a kill would.
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))\n"
        "from advisor.cli import main\n"
        "sys.exit(main(['index', '--knowledge', sys.argv[1]]))\n"
    )
    result = run_python(code, str(tiny_kb))
    assert result.returncode == 2
    one_line_error(result.stderr.decode())
    assert cache.read_bytes() == before
    assert sorted(p.name for p in tiny_kb.iterdir()) == names  # no temporary file left


def test_ctrl_c_while_writing_the_index_leaves_it_whole(
    tiny_kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_index(tiny_kb)
    cache = tiny_kb / CACHE_NAME
    before = cache.read_bytes()
    names = sorted(p.name for p in tiny_kb.iterdir())
    (tiny_kb / "animals.yaml").write_text((tiny_kb / "animals.yaml").read_text() + "\n", encoding="utf-8")
    real_write = os.write

    def interrupted_write(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[:10]))
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "write", interrupted_write)
    assert main(["index", "--knowledge", str(tiny_kb)]) == 130
    monkeypatch.undo()
    assert cache.read_bytes() == before
    assert sorted(p.name for p in tiny_kb.iterdir()) == names


# --- 3: the chat never follows a link at its history file ---


def test_chat_history_never_follows_a_symlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from advisor.repl import history_path, open_history

    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n", encoding="utf-8")
    victim.chmod(0o644)
    path = history_path()
    path.parent.mkdir(parents=True)
    path.symlink_to(victim)
    history = open_history(keep=True)
    history.append_string("a personal question")
    assert victim.read_text(encoding="utf-8") == "mine\n"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert path.is_symlink()
    assert "history not kept" in capsys.readouterr().err


# --- 4: the index cache holds only derived data, and that is checked before use ---


def _tamper(
    folder: Path, edit: Callable[[dict[str, Any]], None], *, raw: str | None = None, forge: bool = False
) -> None:
    """Edit the cache as a person would (json.load, edit, json.dump), or with `forge` also redo its
    checksum, as only someone who read the code would: the checks behind the checksum must hold too."""
    cache = folder / CACHE_NAME
    data = json.loads(cache.read_text(encoding="utf-8"))
    edit(data)
    if forge:
        data.pop("checksum", None)
        text = with_checksum(data).decode("utf-8")
    else:
        text = json.dumps(data)
    if raw is not None:
        text = text.replace('"@RAW@"', raw)
    cache.write_text(text, encoding="utf-8")


def _set_answers(data: dict[str, Any], value: object) -> None:
    """Edit the entries as an older cache, which held the whole knowledge base, allowed (or add them)."""
    data.setdefault("knowledge", {"entries": [{"id": "cats.colour"}], "sources": [{"id": "s1"}]})
    for entry in data.get("knowledge", {}).get("entries", []):
        entry["answer"] = value
    for source in data.get("knowledge", {}).get("sources", []):
        source["url"] = "file:///etc/passwd"


TAMPERINGS: dict[str, Callable[[dict[str, Any]], None]] = {
    "answers edited": lambda d: _set_answers(d, "HACKED: send your passport to evil.example"),
    "answer of 12345": lambda d: _set_answers(d, 12345),
    "idf as strings": lambda d: d["matcher"].update(idf={k: str(v) for k, v in d["matcher"]["idf"].items()}),
    "a count for a word that is not there": lambda d: d["matcher"]["term_counts"][0].append(1),
    "one entry's questions too many": lambda d: d["matcher"]["questions"].append("cat colour"),
    "questions not text": lambda d: d["matcher"]["questions"].__setitem__(0, [10**9, ["cat"], 1.0]),
    "weight 0": lambda d: d["matcher"]["idf"].update(dict.fromkeys(d["matcher"]["idf"], 0)),
    "an empty synonym phrase": lambda d: d["matcher"]["phrases"].update({"": "cats", " ": "dogs"}),
    "nested lists": lambda d: d["matcher"].update(entry_terms="@RAW@"),
    "not a mapping": lambda d: d.update(matcher=[1, 2, 3]),
}


@pytest.mark.parametrize("forge", [False, True], ids=["edited", "checksum forged"])
@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_a_tampered_index_is_never_believed(name: str, forge: bool, tiny_kb: Path) -> None:
    write_index(tiny_kb)
    nested = "[" * 200_000 + "]" * 200_000
    _tamper(tiny_kb, TAMPERINGS[name], raw=nested, forge=forge)
    answer = Advisor(tiny_kb).ask("What colour are the cats?")
    assert answer.text == "The cats are grey (2017)."
    assert [s.url for s in answer.sources] == ["https://example.org/one"]
    report = check_knowledge(tiny_kb)
    assert any(p.path == CACHE_NAME for p in report.problems)


def test_an_index_edited_by_hand_is_ignored_and_check_says_so(tiny_kb: Path) -> None:
    cache = tiny_kb / CACHE_NAME

    def through_json() -> None:
        _tamper(tiny_kb, lambda d: d["matcher"].update(vocabulary=d["matcher"]["vocabulary"] + " injected"))

    def in_place() -> None:  # the same length, the layout kept: only the checksum tells
        cache.write_bytes(cache.read_bytes().replace(b"The cats are grey", b"The cats are pink"))

    for edit in (through_json, in_place):
        write_index(tiny_kb)
        edit()
        assert read_cache(tiny_kb) is None  # not even the matcher's data is used
        assert Advisor(tiny_kb).ask("What colour are the cats?").text == "The cats are grey (2017)."
        problems = check_knowledge(tiny_kb).problems
        assert [p.path for p in problems] == [CACHE_NAME] and "out of date or damaged" in problems[0].message


def test_check_notices_an_index_forged_to_say_other_things(tiny_kb: Path) -> None:
    """Whoever redoes the checksum could as well edit the YAML; `advisor check` still compares in full."""

    def pink(data: dict[str, Any]) -> None:
        data["documents"] = json.loads(json.dumps(data["documents"]).replace("The cats are grey", "Pink"))

    for edit in (pink, lambda d: d["matcher"].update(vocabulary=d["matcher"]["vocabulary"] + " injected")):
        write_index(tiny_kb)
        _tamper(tiny_kb, edit, forge=True)
        assert read_cache(tiny_kb) is not None  # well-formed, so used for speed...
        problems = check_knowledge(tiny_kb).problems
        assert [p.path for p in problems] == [CACHE_NAME]  # ...but `advisor check` says it is not what YAML gives
        assert "does not match" in problems[0].message


def test_a_cached_document_that_does_not_validate_falls_back_to_the_yaml(tiny_kb: Path) -> None:
    def answer_12345(data: dict[str, Any]) -> None:
        data["documents"] = json.loads(json.dumps(data["documents"]).replace('"The cats are grey (2017)."', "12345"))

    write_index(tiny_kb)
    _tamper(tiny_kb, answer_12345, forge=True)
    assert "12345" in (tiny_kb / CACHE_NAME).read_text(encoding="utf-8")
    assert Advisor(tiny_kb).ask("What colour are the cats?").text == "The cats are grey (2017)."


# --- 5, 11: repeated keys and aliases in knowledge files are errors, with their line ---

TWO_BLOCKS = """\
topic: t
entries:
  - {id: x, questions: [What colour are the cats?], answer: Grey (2017)., sources: [s1]}
entries:
  - {id: y, questions: [How many dogs?], answer: Four (2017)., sources: [s1]}
"""
REPEATED_FIELD = """\
topic: t
entries:
  - id: x
    questions: [What colour are the cats?]
    answer: Grey (2017).
    answer: Purple (2017).
    sources: [s1]
"""


@pytest.mark.parametrize(("text", "line", "key"), [(TWO_BLOCKS, 4, "entries"), (REPEATED_FIELD, 6, "answer")])
def test_a_repeated_key_is_an_error_naming_file_and_line(
    text: str, line: int, key: str, write_kb: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_kb({"s.yaml": TINY_SOURCES, "a.yaml": text})
    assert main(["--knowledge", str(folder), "What colour are the cats?"]) == 2
    err = capsys.readouterr().err
    assert f"a.yaml:{line}: YAML error: duplicate key '{key}'" in err and "Traceback" not in err
    assert main(["check", "--knowledge", str(folder)]) == 1
    assert f"a.yaml:{line}: YAML error: duplicate key '{key}'" in capsys.readouterr().out


def test_aliases_are_refused_before_they_multiply_the_load(
    write_kb: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    questions = ", ".join(f"Question number {n} about cats?" for n in range(50))
    entries = "".join(f"  - {{id: e{n}, questions: *q, answer: A (2017)., sources: [s1]}}\n" for n in range(1, 300))
    text = f"topic: t\nentries:\n  - {{id: e0, questions: &q [{questions}], answer: A (2017)., sources: [s1]}}\n"
    folder = write_kb({"s.yaml": TINY_SOURCES, "a.yaml": text + entries})
    assert main(["--knowledge", str(folder), "cats?"]) == 2
    err = capsys.readouterr().err
    assert "a.yaml:4: YAML error: an alias repeats the value anchored at line 3" in err
    assert "Traceback" not in err


# --- 6: a source URL is checked whole, not by its prefix ---

BAD_URLS = [
    "https://ok.example/ javascript:alert(1)",
    "https://ok.example/\\nhttps://evil.example/",
    "https://ok.example/\\u202eelpmaxe.live",
    "https://ok.example/\\x9b31m",
    "https://",
    "http://ok.example:port/",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_source_url_with_anything_but_one_web_address_is_refused(url: str) -> None:
    sources = TINY_SOURCES.replace("url: https://example.org/one", f'url: "{url}"')
    with pytest.raises(KnowledgeError, match=r"sources\.yaml:\d+: source url"):
        parse_knowledge_texts([("sources.yaml", sources), ("animals.yaml", TINY_ENTRIES)])


def test_an_upper_case_scheme_is_a_fine_url() -> None:
    sources = TINY_SOURCES.replace("https://example.org/one", "HTTPS://Example.org/one")
    kb = parse_knowledge_texts([("sources.yaml", sources), ("animals.yaml", TINY_ENTRIES)])
    assert kb.sources[0].url == "HTTPS://Example.org/one"


# --- 7: a threshold out of range is a usage error ---


@pytest.mark.parametrize("value", ["nan", "-1", "0", "5", "inf", "1.01"])
def test_a_threshold_out_of_range_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--threshold", value, "What is the capital of Peru?"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--threshold" in err and "at most 1" in err
    with pytest.raises(ValueError, match="threshold"):
        Advisor(threshold=float(value))


def test_the_highest_threshold_still_answers_an_example_question_word_for_word() -> None:
    assert main(["--threshold", "1", "How many ERC projects has LUMC hosted?"]) == 0


# --- 8, 9, 12: standard input and output as users have them (buffered, sometimes closed or full) ---

PROGRAM = [sys.executable, "-m", "advisor"]


def test_invalid_utf8_on_standard_input_is_read_as_replacement_characters() -> None:
    env = {**USER_ENV, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(PROGRAM, input=b"How is LUMC ranked?\n\xff\n", capture_output=True, timeout=60, env=env)
    out = result.stdout.decode()
    assert result.returncode == 0 and result.stderr == b""
    assert "Shanghai" in out and "> \ufffd" in out


def test_closed_standard_output_is_one_line_and_exit_2() -> None:
    result = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m advisor 'How is LUMC ranked?' >&-"],
        capture_output=True,
        timeout=60,
        env=USER_ENV,
    )
    assert result.returncode == 2
    one_line_error(result.stderr.decode())


@pytest.mark.parametrize("batch", [False, True])
def test_a_full_disk_is_one_line_and_exit_2(batch: bool) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            PROGRAM if batch else [*PROGRAM, "How is LUMC ranked?"],
            input=b"How is LUMC ranked?\n" * 3,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
            env=USER_ENV,
        )
    assert result.returncode == 2
    err = result.stderr.decode()
    one_line_error(err)
    assert "standard output" in err and "No space left" in err


@pytest.mark.parametrize(
    "options",
    [
        ["How is LUMC ranked?"],
        ["--json", "How is LUMC ranked?"],
        ["check"],
        ["--help"],
        ["eval", "PARAPHRASES"],
        ["index"],
    ],
    ids=["question", "json", "check", "help", "eval", "index"],
)
def test_a_reader_that_went_away_ends_the_program_quietly(options: list[str], tiny_kb: Path) -> None:
    options = [str(REPO / "tests" / "data" / "paraphrases.yaml") if o == "PARAPHRASES" else o for o in options]
    if options == ["index"]:
        options += ["--knowledge", str(tiny_kb)]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write (`advisor ... | true`)
    try:
        result = subprocess.run(
            [*PROGRAM, *options], stdout=write_end, stderr=subprocess.PIPE, timeout=120, env=USER_ENV
        )
    finally:
        os.close(write_end)
    assert result.stderr == b""
    assert result.returncode == 141  # as if SIGPIPE had ended it


def _read_line(stream: IO[bytes], timeout: float) -> bytes:
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "no output within the time limit"
    return stream.readline()


def test_batch_answers_each_line_at_once_and_keeps_them_on_sigterm() -> None:
    process = subprocess.Popen(  # unbuffered here, so that select() sees what readline() has not read
        PROGRAM, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=USER_ENV, bufsize=0
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(b"How is LUMC ranked?\n")
        process.stdin.flush()  # ...and wait for the answer, as a program on the other end would
        assert _read_line(process.stdout, 30) == b"> How is LUMC ranked?\n"
        assert b"Shanghai" in _read_line(process.stdout, 5)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM
    assert b"Traceback" not in err


def test_batch_cuts_a_huge_line_instead_of_echoing_it() -> None:
    result = subprocess.run(
        PROGRAM, input=b"x" * 5_000_000 + b"\nHow is LUMC ranked?\n", capture_output=True, timeout=60, env=USER_ENV
    )
    assert result.returncode == 0 and result.stderr == b""
    assert len(result.stdout) < 20_000 and b"Shanghai" in result.stdout


def test_a_long_conversation_stays_flat_in_memory(bot: Advisor) -> None:
    chat = bot.conversation()
    for _ in range(200):
        chat.ask("How is LUMC ranked?")
    assert len(chat.history) <= 20 and chat.last_answer is not None


# --- 10: regular files only, each with a size limit; folder links never followed; no hang ---


def _run_for(options: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PROGRAM, *options], capture_output=True, text=True, timeout=timeout, env=USER_ENV, stdin=subprocess.DEVNULL
    )


def test_folder_links_are_never_followed(tiny_kb: Path) -> None:
    (tiny_kb / "l1").symlink_to(".")
    (tiny_kb / "l2").symlink_to(tiny_kb)
    (tiny_kb / "out").symlink_to("/")
    result = _run_for(["--knowledge", str(tiny_kb), "What colour are the cats?"])
    assert result.returncode == 0 and "grey" in result.stdout
    result = _run_for(["check", "--knowledge", str(tiny_kb)])
    assert result.returncode == 1
    assert sorted(line.split(":")[0] for line in result.stdout.splitlines()[:-1]) == ["l1", "l2", "out"]
    assert _run_for(["index", "--knowledge", str(tiny_kb)]).returncode == 0


def test_a_huge_folder_is_refused_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "huge"
    for n in range(30):
        (folder / f"d{n}").mkdir(parents=True)
        for m in range(1000):
            (folder / f"d{n}" / f"f{m}.txt").touch()
    result = _run_for(["--knowledge", str(folder), "What is LUMC?"])
    assert result.returncode == 2 and "not a knowledge folder" in result.stderr
    one_line_error(result.stderr.replace("invalid knowledge base:\n", ""))


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_knowledge_file_that_is_not_a_regular_file_is_refused_at_once(kind: str, tiny_kb: Path) -> None:
    special = tiny_kb / "special.yaml"
    if kind == "fifo":
        os.mkfifo(special)
    else:
        special.symlink_to("/dev/zero")
    for options in (["What colour are the cats?"], ["check"], ["index"]):
        command = options[:1] if options[0] in ("check", "index") else []
        result = _run_for([*command, "--knowledge", str(tiny_kb), *options[len(command) :]], timeout=30)
        assert result.returncode == (1 if options == ["check"] else 2), result  # check: a problem found
        assert "special.yaml: cannot read file: not a regular file" in result.stdout + result.stderr


def test_a_fifo_as_the_history_file_does_not_hang_the_chat() -> None:
    from advisor.repl import history_path, open_history

    path = history_path()
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    opened: list[object] = []
    worker = threading.Thread(target=lambda: opened.append(open_history(keep=True)), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the thread stuck opening the FIFO, then fail
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
        pytest.fail("opening the history hung on a FIFO")
    assert opened and stat.S_ISFIFO(path.lstat().st_mode)


def test_an_empty_knowledge_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", "", "What is LUMC?"]) == 2
    assert "empty path" in capsys.readouterr().err


def test_a_fifo_as_the_eval_question_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "questions.yaml"
    os.mkfifo(fifo)
    result = _run_for(["eval", str(fifo)], timeout=30)
    assert result.returncode == 2 and "not a regular file" in result.stderr
    one_line_error(result.stderr)


# --- 13: a huge history file is trimmed before the chat reads it ---


def test_a_huge_history_file_is_trimmed_to_its_newest_entries() -> None:
    from prompt_toolkit.history import FileHistory

    from advisor.repl import history_path, open_history

    path = history_path()
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8") as out:
        for n in range(100_000):
            out.write(f"\n# 2024-01-01 00:00:00.{n:06d}\n+question number {n}\n")
    assert path.stat().st_size > 4 << 20
    history = open_history(keep=True)
    assert isinstance(history, FileHistory)
    assert path.stat().st_size <= 1 << 20 and stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = list(FileHistory(str(path)).load_history_strings())  # newest first
    assert kept[0] == "question number 99999" and len(kept) > 1000
    assert all(q.startswith("question number ") for q in kept)


# --- 14: whatever reaches a terminal goes through one sanitiser ---

OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # would write "evil" to the clipboard
CSI1 = "\x9b2J"  # single-byte CSI: clears the screen
RLO = "\u202e"  # right-to-left override: shows text reversed
HOSTILE_KB = {
    "s.yaml": TINY_SOURCES.replace("Source one", f'"Source {RLO}eno"'),
    "a.yaml": (
        f'topic: "pets\\e]52;c;ZXZpbA==\\a{RLO}"\n'
        "entries:\n"
        f'  - id: "cats\\e]52;c;ZXZpbA==\\a"\n'
        f'    questions: ["What colour are the cats?\\x9b2J", "Which colour is a cat?"]\n'
        f'    answer: "The cats are grey\\x9b2J {RLO}(2017)."\n'
        "    sources: [s1]\n"
        "  - id: dogs\n"
        "    questions: [How many dogs are there?]\n"
        "    answer: Four (2017).\n"
        "    sources: [s2]\n"
    ),
}
UNSAFE = ("\x1b", "\x07", "\x9b", RLO)


def _assert_safe(text: str) -> None:
    assert not [c for c in UNSAFE if c in text], repr(text)


def test_chat_commands_never_show_knowledge_text_raw(write_kb: Callable[..., Path]) -> None:
    from advisor.session import Session

    session = Session(Advisor(write_kb(HOSTILE_KB)))
    assert "grey" in session.handle("What colour are the cats?").text
    for command in ("/why", "/topics", "/topics pets", "/sources", f"/topics pets{OSC52}{RLO}"):
        _assert_safe(session.handle(command).text)
    assert "cats" in session.handle("/why").text


def test_cli_output_is_sanitised_everywhere(
    write_kb: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(write_kb(HOSTILE_KB))
    assert main(["--knowledge", folder, "What colour are the cats?"]) == 0
    assert main(["--json", "--knowledge", folder, "What colour are the cats?"]) == 0
    questions = tmp_path / "q.yaml"
    # An in-scope question that fails is printed in the report.
    questions.write_text(f'- q: "Where are the hamsters\\x9b2J{RLO}?"\n  expect: [hamster]\n', encoding="utf-8")
    main(["eval", str(questions), "--knowledge", folder])
    out, err = capsys.readouterr()
    _assert_safe(out + err)
    assert "grey" in out and "\\u009b" in out and "hamsters" in out
    assert main([f"--colour{OSC52}{CSI1}{RLO}", "q"]) == 2
    out, err = capsys.readouterr()
    _assert_safe(out + err)
    assert "--colour" in err


def test_json_output_keeps_the_data_but_escapes_what_a_terminal_would_obey(
    write_kb: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--json", "--knowledge", str(write_kb(HOSTILE_KB)), "What colour are the cats?"]) == 0
    out = capsys.readouterr().out
    _assert_safe(out)
    assert json.loads(out)["text"] == f"The cats are grey\x9b2J {RLO}(2017)."


def test_batch_echo_and_answers_drop_bidi_controls(write_kb: Callable[..., Path]) -> None:
    result = subprocess.run(
        [*PROGRAM, "--knowledge", str(write_kb(HOSTILE_KB))],
        input=f"What colour are the cats{RLO}?\n".encode(),
        capture_output=True,
        timeout=60,
        env=USER_ENV,
    )
    out = result.stdout.decode()
    _assert_safe(out)
    assert "> What colour are the cats?" in out and "grey" in out
