"""Shared fixtures: a tiny knowledge base written into tmp_path, and isolated XDG folders."""

from __future__ import annotations

import socket
import subprocess
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import advisor

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

TINY_SOURCES = """\
sources:
  - id: s1
    title: Source one
    url: https://example.org/one
    publisher: Example
    describes: "2017"
  - id: s2
    title: Source two
    url: https://example.org/two
    publisher: Someone else
    describes: c. 2018
    third_party: true
"""

TINY_ENTRIES = """\
topic: animals
entries:
  - id: cats.colour
    questions: ["What colour are the cats?", "Which colour is a cat?"]
    answer: The cats are grey (2017).
    sources: [s1]
  - id: dogs.count
    institution: lumc
    questions: ["How many dogs does LUMC have?", "Number of dogs at LUMC"]
    answer: LUMC has 4 dogs (2017).
    sources: [s1, s2]
    related: [cats.colour]
"""


TINY_SYNONYMS = """\
synonyms:
  erasmusmc: [erasmus mc, erasmus medical center]
  lumc: [leiden university medical center]
"""


#: The tiny knowledge base's programme: its institutions (their synonyms are in TINY_SYNONYMS).
TINY_PROGRAMME = """\
programme:
  name: Tiny
  contact: {email: office@example.org}
  institutions:
    - {id: lumc, name: LUMC}
    - {id: erasmusmc, name: Erasmus MC}
"""


@pytest.fixture(autouse=True)
def isolated_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep chat history and config out of the developer's home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def write_kb(tmp_path: Path) -> Callable[..., Path]:
    """write_kb({"name.yaml": text, ...}) -> a knowledge folder holding those files."""

    def write(files: dict[str, str], folder: str = "kb") -> Path:
        root = tmp_path / folder
        root.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write


@pytest.fixture
def tiny_kb(write_kb: Callable[..., Path]) -> Path:
    return write_kb(
        {
            "about.yaml": TINY_PROGRAMME,
            "sources.yaml": TINY_SOURCES,
            "animals.yaml": TINY_ENTRIES,
            "synonyms.yaml": TINY_SYNONYMS,
        }
    )


@pytest.fixture
def tiny_advisor(tiny_kb: Path) -> advisor.Advisor:
    return advisor.Advisor(tiny_kb)


@pytest.fixture(scope="session")
def bot() -> advisor.Advisor:
    """The advisor on the bundled knowledge base (loaded once for the whole run)."""
    return advisor.Advisor()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a test server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for_server(port: int, process: subprocess.Popen[str]) -> None:
    """Wait until `process` accepts connections on `port`; fail if it dies or takes over 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


@pytest.fixture(scope="session")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> advisor.Advisor:
    """The advisor on a small made-up knowledge base written inline (tests/kb_helpers.py): for tests of
    the logic, which must not depend on the bundled content."""
    from kb_helpers import write_zoo

    return advisor.Advisor(write_zoo(tmp_path_factory.mktemp("zoo")))
