"""Layering: the library never loads prompt_toolkit or argparse, and never prints."""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"
UI_MODULES = {"cli.py", "cli_parser.py", "repl.py", "__main__.py", "console.py", "server.py", "server_protocol.py"}
#: Web frameworks: only the server (imported by `advisor serve` alone) may load them.
WEB_MODULES = ("starlette", "uvicorn", "httptools", "uvloop", "anyio", "orjson")


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


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def _runtime_imports(tree: ast.Module, package: set[str]) -> dict[str, int]:
    """The package's modules that `tree` imports when run (at module level or inside a function), with the
    line of the first such import. Imports under `if TYPE_CHECKING:` are for the type checker only: never run."""
    found: dict[str, int] = {}

    def visit(node: ast.AST) -> None:
        if _is_type_checking_block(node):
            return
        if isinstance(node, ast.ImportFrom) and node.level == 1:  # from .x import y / from . import x
            targets = [node.module] if node.module else [alias.name for alias in node.names]
            for target in targets:
                name = target.split(".")[0]
                if name in package:
                    found.setdefault(name, node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("advisor."):
            name = (node.module or "").split(".")[1]
            if name in package:
                found.setdefault(name, node.lineno)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("advisor.") and alias.name.split(".")[1] in package:
                    found.setdefault(alias.name.split(".")[1], node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {module it imports at run time: line}, over advisor/*.py (the package's __init__ left out:
    it imports its submodules lazily, by name, for the public API)."""
    modules = {path.stem: path for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    return {
        name: _runtime_imports(ast.parse(path.read_text(encoding="utf-8")), set(modules) - {name})
        for name, path in modules.items()
    }


def find_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every import circle, each once (as the list of modules, the first repeated at the end)."""
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, {})):
            if target == start:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    cycles.append([*path, start])
            elif target not in path and target > start:  # each circle found from its smallest module
                walk(start, target, [*path, target])

    for module in sorted(graph):
        walk(module, module, [module])
    return cycles


def test_find_cycles_finds_a_circle_through_a_function_level_import() -> None:
    # The detector itself: a circle closed by an import inside a function counts; a TYPE_CHECKING one does not.
    a = ast.parse("from .b import x\n")
    b = ast.parse("def f():\n    from .c import y\n")
    c = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import z\nimport advisor.a\n")
    names = {"a", "b", "c"}
    graph = {name: _runtime_imports(tree, names - {name}) for name, tree in (("a", a), ("b", b), ("c", c))}
    assert graph == {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 4}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    graph["c"] = {}
    assert find_cycles(graph) == []


def test_imports_between_the_package_modules_flow_one_way() -> None:
    graph = import_graph()
    assert {"engine", "conversation", "session", "cli"} <= set(graph)
    circles = [
        " -> ".join(f"{a} (line {graph[a][b]})" for a, b in itertools.pairwise(cycle)) + f" -> {cycle[-1]}"
        for cycle in find_cycles(graph)
    ]
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_library_code_has_no_assert() -> None:
    # `python -O` strips asserts: a check that matters must be a real one, and one that cannot fail goes.
    found = [
        f"{path.name}:{node.lineno}"
        for path in sorted(PACKAGE.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
    ]
    assert not found, f"assert in library code: {found}"
