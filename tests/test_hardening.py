"""Hostile input, hostile knowledge files, threads and pipes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import Advisor, KnowledgeError, load_knowledge
from advisor.cli import main
from advisor.normalize import MAX_QUERY_CHARS
from advisor.render import clean, render_answer
from advisor.session import Session
from tests.conftest import TINY_SOURCES

NASTY = [
    "",
    " ",
    "\t\n\r",
    "\x00",
    "\x00" * 50,
    "\x1b[31mred\x1b[0m",
    "\ud800",
    "a\udfffb",
    "🎓🎓🎓 postdoc?",
    "מה זה LUMC?",
    "ما هو LUMC؟",
    "e" + "\u0301" * 5000,
    "\u202eLUMC ranking",
    "ＬＵＭＣ　ｒａｎｋｉｎｇ",
    "x" * 1_000_000,
    "how " * 250_000,
    "?" * 10_000,
    "../../etc/passwd",
    "{{7*7}}",
    "%s%s%n",
    "\ufeffWhat is LUMC?",
    "call " * 1000,
    "1" * 5000,
    "İstanbul ŞĞ ß ﬁ",
    "\U0010ffff\U000e0001",
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_ask_never_raises_on_nasty_input(bot: Advisor, text: str) -> None:
    answer = bot.ask(text)
    assert isinstance(answer.text, str) and answer.text
    assert 0.0 <= answer.confidence <= 1.0
    chat = bot.conversation()
    chat.ask(text)
    chat.ask(text)
    rendered = render_answer(answer, color=True, width=60)
    assert "\x00" not in rendered


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec=None), max_size=400))
def test_ask_never_raises_for_any_string(text: str) -> None:
    answer = _BOT.ask(text)
    assert isinstance(answer.matched, bool) and answer.text
    answer.to_dict()


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["LUMC", "call", "3", "and", "ERC", "rankng", "?", "Erasmus MC", "TU Delft", "1"]), max_size=12
    ).map(" ".join)
)
def test_conversation_never_raises_on_word_salad(text: str) -> None:
    chat = _BOT.conversation()
    for part in (text, "and " + text, "2", text):
        assert chat.ask(part).text


_ELIGIBILITY_WORDS = [
    "am I eligible", "call", "2", "1", "3", "PhD", "in", "March", "2015", "10/11/2016", "31/02/2015", "from", "to",
    "since", "between", "and", "Leiden", "NL", "never", "none", "8 months", "two years", "children", "parental leave",
    "military service", "medical specialist", "-", "2013-2012", "in June", "?", ",", "cancel",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_ELIGIBILITY_WORDS), max_size=14).map(" ".join), min_size=1, max_size=6))
def test_eligibility_check_never_raises_on_date_salad(turns: list[str]) -> None:
    chat = _BOT.conversation()
    for turn in ["Am I eligible?", *turns]:
        answer = chat.ask(turn)
        assert answer.text and isinstance(answer.matched, bool)
    assert _BOT.ask("am I eligible " + " ".join(turns)).text


_BOT = Advisor()


def test_long_input_is_cut_to_the_documented_length(bot: Advisor) -> None:
    tail = " How is LUMC ranked?"
    long = "a " * MAX_QUERY_CHARS + tail
    assert bot.ask(long).intent != "lumc.ranking"  # the question past the limit is not read
    assert bot.ask(tail + " " + "b " * MAX_QUERY_CHARS).intent == "lumc.ranking"


def test_clean_removes_escapes_and_controls() -> None:
    assert clean("a\x1b[2Jb\x1b]0;title\x07c\x00d\x7fe\x9bf\nok\tg") == "abcdef\nok\tg"
    assert clean("\ud800x") == "?x"


def test_knowledge_escape_sequences_never_reach_the_terminal(
    write_kb: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_kb(
        {
            "sources.yaml": TINY_SOURCES.replace("Source one", '"Source \\e[2J one"'),
            "e.yaml": 'topic: t\nentries:\n  - {id: x, questions: ["evil colour"], answer: "red \\e[31m text \\x07", '
            "sources: [s1, s2]}\n",
        }
    )
    code = main(["--knowledge", str(folder), "evil colour"])
    out = capsys.readouterr().out
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "red" in out


def test_user_text_is_cleaned_when_echoed(bot: Advisor) -> None:
    session = Session(bot)
    assert "\x1b" not in session.handle("/\x1b[2Jboom").text
    assert "\x1b" not in session.handle("/topics \x1b[2J").text


def test_threads_get_exactly_the_sequential_answers(bot: Advisor) -> None:
    questions = [
        "How is LUMC ranked?",
        "lumc rankng",
        "When did call 2 close?",
        "qwertyuiop",
        "How much does a fellow earn?",
        "How many ERC grants does TU Delft have?",
        "hello",
        "Can I apply without a PhD?",
        "What is LERU?",
        "How do I get a visa?",
    ]
    expected = [bot.ask(q).to_dict() for q in questions]
    failures: list[str] = []

    def worker(offset: int) -> None:
        for n in range(1000):
            index = (n + offset) % len(questions)
            if bot.ask(questions[index]).to_dict() != expected[index]:
                failures.append(questions[index])

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# --- hostile knowledge folders: exit 2, file and line, never a traceback or code execution ---

BAD_FOLDERS: dict[str, dict[str, str]] = {
    "broken yaml": {"a.yaml": "topic: t\nentries: [\n"},
    "wrong types": {"a.yaml": "topic: 3\nentries: {id: x}\n"},
    "unknown key": {"a.yaml": TINY_SOURCES + "colour: blue\n"},
    "duplicate ids": {
        "s.yaml": TINY_SOURCES,
        "a.yaml": "topic: t\nentries:\n"
        "  - {id: x, questions: [q], answer: a, sources: [s1]}\n"
        "  - {id: x, questions: [r], answer: b, sources: [s1]}\n",
    },
    "missing source": {
        "s.yaml": TINY_SOURCES,
        "a.yaml": "topic: t\nentries:\n  - {id: x, questions: [q], answer: a}\n",
    },
    "unknown source": {
        "s.yaml": TINY_SOURCES,
        "a.yaml": "topic: t\nentries:\n  - {id: x, questions: [q], answer: a, sources: [zz]}\n",
    },
    "python tag": {"a.yaml": "topic: !!python/object/apply:os.getcwd []\n"},
    "binary junk": {"a.yaml": "\x00\x01\x02 topic"},
}


@pytest.mark.parametrize("name", list(BAD_FOLDERS))
def test_bad_knowledge_folder_exits_2_naming_file_and_line(name: str, write_kb: Callable[..., Path]) -> None:
    folder = write_kb(BAD_FOLDERS[name], folder=name.replace(" ", "_"))
    with pytest.raises(KnowledgeError):
        load_knowledge(folder)
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "--knowledge", str(folder), "What is LUMC?"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "a.yaml" in result.stderr
    assert any(part.split(":")[1].isdigit() for part in result.stderr.split() if part.startswith("a.yaml:")) or (
        name == "binary junk"
    )


def test_unreadable_file_and_missing_folder(
    write_kb: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_kb({"s.yaml": TINY_SOURCES})
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert main(["--knowledge", str(folder), "q"]) == 2
    assert "gone.yaml: cannot read file" in capsys.readouterr().err
    assert main(["--knowledge", str(tmp_path / "no-such-folder"), "q"]) == 2
    assert "no such folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--knowledge", str(empty), "q"]) == 2
    assert "no .yaml files" in capsys.readouterr().err


# --- processes: pipes, Ctrl-C, no network, nothing written ---


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    command = (
        f"{sys.executable} -m advisor --json 'How is LUMC ranked?' | head -c 1; "
        f"yes 'How is LUMC ranked?' | head -n 2000 | {sys.executable} -m advisor | head -c 1"
    )
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.stdout == "{>"  # JSON, then the batch echo "> question"
    assert result.stderr == ""


def test_ctrl_c_exits_130_without_traceback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write("What is LUMC?\n")
    process.stdin.flush()
    time.sleep(2)  # loaded and waiting for the next line
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err and '"matched": true' in out


def test_ctrl_c_while_the_program_is_still_loading_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A single question spends most of its run importing; a Ctrl-C then is caught too."""
    from advisor import console

    class InterruptedImport:
        def find_spec(self, name: str, *_: object) -> None:
            if name == "advisor.cli":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "advisor.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [InterruptedImport(), *sys.meta_path])
    assert console.main() == 130
    assert capsys.readouterr().err == "\n"


def test_no_network_and_nothing_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    code = (
        "import sys, socket\n"
        "def refuse(*a, **k): raise SystemExit('network access attempted')\n"
        "socket.socket = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from advisor.cli import main\n"
        "codes = [main(['How is LUMC ranked?']), main(['--json', 'What is LERU?'])]\n"
        "sys.exit(0 if codes == [0, 0] else 1)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert list(home.rglob("*")) == []
