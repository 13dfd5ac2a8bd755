"""Layering: the library never loads prompt_toolkit or argparse, and never prints."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"
UI_MODULES = {"cli.py", "cli_parser.py", "repl.py", "__main__.py", "console.py", "server.py"}
#: Web frameworks: only the server (imported by `advisor serve` alone) may load them.
WEB_MODULES = ("starlette", "uvicorn", "httptools", "uvloop", "anyio")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter, whose imports this test process has not made yet."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_importing_and_asking_never_loads_prompt_toolkit() -> None:
    # A subprocess: this test process has already imported prompt_toolkit for the REPL tests.
    code = (
        "import sys, advisor\n"
        "advisor.ask('How is LUMC ranked?')\n"
        "chat = advisor.Advisor().conversation(); chat.ask('When did call 1 close?'); chat.ask('and call 3?')\n"
        "from advisor import checker, evaluation, session\n"
        "ui = ('prompt_toolkit', 'argparse', 'starlette', 'uvicorn', 'advisor.server')\n"
        "bad = [m for m in ui if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr


def test_single_question_cli_never_loads_prompt_toolkit() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from advisor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['What is LUMC?'])\n"
        "assert 'prompt_toolkit' not in sys.modules\n"
        "assert not [m for m in ('starlette', 'uvicorn', 'advisor.server') if m in sys.modules]\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr


def test_library_modules_neither_print_nor_import_ui() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in UI_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "print", f"{path.name}:{node.lineno} prints"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                for name in names:
                    ui = ("prompt_toolkit", "argparse", *WEB_MODULES)
                    assert not name.startswith(ui), f"{path.name}:{node.lineno}"
                    assert name not in ("repl", "cli", "server"), f"{path.name}:{node.lineno} imports the UI layer"


def test_yaml_is_only_loaded_safely() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "yaml.unsafe_load" not in text and "yaml.FullLoader" not in text and "yaml.UnsafeLoader" not in text
        for line in text.splitlines():
            if "yaml.load(" in line:
                assert "Loader=loader" in line or "Loader=safe_loader()" in line, f"{path.name}: {line.strip()}"


def test_import_advisor_is_lazy_and_every_public_name_resolves() -> None:
    code = (
        "import sys, advisor\n"
        "assert 'advisor.engine' not in sys.modules and 'rapidfuzz' not in sys.modules\n"
        "names = {n: getattr(advisor, n) for n in advisor.__all__}\n"
        "assert advisor.ask('How is LUMC ranked?').matched and advisor.engine.Advisor is advisor.Advisor\n"
        "assert 'prompt_toolkit' not in sys.modules\n"
        "print(len(names))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "15"
