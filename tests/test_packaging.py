"""The wheel ships every knowledge file; a plain `pip install .` answers from another folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("advisor-*.whl")
    return built


def test_wheel_contains_every_knowledge_file_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    knowledge = REPO / "knowledge"
    expected = {f"advisor/knowledge/{p.relative_to(knowledge).as_posix()}" for p in knowledge.rglob("*") if p.is_file()}
    assert expected and expected <= names, expected - names
    assert "advisor/py.typed" in names
    static = {"advisor/static/index.html", "advisor/static/app.js", "advisor/static/style.css"}
    assert static <= names, static - names  # the page of `advisor serve`
    assert not any(n.startswith(("tests/", "knowledge/")) for n in names)


def test_non_editable_install_answers_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # The test environment already holds the dependencies; reuse them instead of downloading.
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [
            sys.executable,
            "-c",
            "import rapidfuzz, yaml, prompt_toolkit, os;"
            "print(os.pathsep.join(sorted({os.path.dirname(os.path.dirname(m.__file__)) "
            "for m in (rapidfuzz, yaml, prompt_toolkit)})))",
        ],
        capture_output=True,
        text=True,
    )
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    env = {**os.environ, "PYTHONPATH": site.stdout.strip()}
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = subprocess.run(
        [str(env_dir / "bin" / "advisor"), "How many ERC projects has LUMC hosted?"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "19" in result.stdout and "lumc.nl" in result.stdout
    check = subprocess.run(
        [str(env_dir / "bin" / "advisor"), "check"], cwd=outside, env=env, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stdout + check.stderr
    located = subprocess.run(
        [str(python), "-c", "import advisor; print(advisor.default_knowledge_dir())"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
    )
    assert str(env_dir) in located.stdout
