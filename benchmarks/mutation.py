"""Mutation testing of the answer logic with mutmut: do the tests catch small deliberate changes?

    python benchmarks/mutation.py            # mutate MODULES, run TESTS against each mutant, report
    python benchmarks/mutation.py --fresh    # forget the results of earlier runs first
    python benchmarks/mutation.py --check    # exit 1 if fewer than TARGET of the mutants are killed

mutmut (`pip install -e '.[mutation]'`) changes one thing at a time in a copy of the package (a
comparison, a constant, a dropped condition) and runs the tests that reach the changed function; a
mutant the tests do not notice "survives". The run works in build/mutation/ (a copy of the project,
so the checkout is never touched) and keeps mutmut's results there: a second run only tests what
changed. The kill ratio is the share of the mutants that the tests catch (see CAUGHT).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "build" / "mutation"

#: The modules mutated: the matcher, the answer policy (engine, router), the conversation, and the eligibility
#: rules as applied (the judge) to the facts read from what the applicant says.
#: The one list to update when modules are renamed or split.
MODULES = (
    "advisor/matching.py",
    "advisor/engine.py",
    "advisor/router.py",
    "advisor/conversation.py",
    "advisor/eligibility_judge.py",
    "advisor/eligibility_facts.py",
)
#: The fast, focused tests run against each mutant (the whole suite takes minutes: too slow per
#: mutant). mutmut runs only those of them that reach the mutated function.
TESTS = (
    "tests/test_answer_policy.py",
    "tests/test_follow_ups.py",
    "tests/test_caught_changes.py",
    "tests/test_golden.py",
    "tests/test_eligibility.py",
    "tests/test_eligibility_rules.py",
    "tests/test_conversation.py",
    "tests/test_flow.py",
    "tests/test_engine.py",
    "tests/test_matching.py",
)
#: What the project copies into the work folder: the package, its knowledge and the tests.
COPIED = ("advisor", "knowledge", "tests", "pyproject.toml")
TARGET = 0.80
CAUGHT = ("killed", "timeout", "caught by type check")
NOT_RUN = ("skipped", "not checked", "check was interrupted by user")


def prepare(fresh: bool) -> None:
    """The work folder: a fresh copy of the project, with mutmut's settings added to pyproject.toml."""
    if fresh and WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in COPIED:
        source, target = REPO / name, WORK / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            shutil.copy2(source, target)
    settings = {
        "source_paths": ["advisor"],
        "only_mutate": list(MODULES),
        "also_copy": ["knowledge"],
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q"],
        "pytest_add_cli_args_test_selection": list(TESTS),
    }
    lines = ["", "[tool.mutmut]", *(f"{key} = {json.dumps(value)}" for key, value in settings.items())]
    with (WORK / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")


def mutmut(*args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
    if executable is None:
        sys.exit("mutmut is not installed: pip install -e '.[mutation]'")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([executable, *args], cwd=WORK, env=env, text=True, capture_output=capture, check=False)


def tally() -> tuple[dict[str, int], list[str]]:
    """Mutants by outcome, and the names of the survivors (from `mutmut results --all true`)."""
    out = mutmut("results", "--all", "true", capture=True).stdout
    counts: dict[str, int] = {}
    survivors: list[str] = []
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        counts[status] = counts.get(status, 0) + 1
        if status == "survived":
            survivors.append(name)
    return counts, survivors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fresh", action="store_true", help="forget earlier results and mutate everything anew")
    # "%%": argparse reads help texts as %-formats.
    parser.add_argument("--check", action="store_true", help=f"exit 1 below a kill ratio of {TARGET:.0%}%")
    parser.add_argument("--survivors", action="store_true", help="list the mutants that survived")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2, help="mutants run at once")
    args = parser.parse_args()
    started = time.monotonic()
    prepare(args.fresh)
    run = mutmut("run", "--max-children", str(args.max_children), capture=True)
    if run.returncode != 0:
        print(run.stdout[-4000:], run.stderr[-4000:], sep="\n", file=sys.stderr)
        return run.returncode
    elapsed = time.monotonic() - started
    counts, survivors = tally()
    # A timeout (an endless loop) and a type error are caught too; a mutant no selected test reaches
    # ("no tests") is one the tests miss, and counts against the ratio like a survivor.
    killed = sum(counts.get(status, 0) for status in CAUGHT)
    tested = sum(n for status, n in counts.items() if status not in NOT_RUN)
    ratio = killed / tested if tested else 0.0
    print(f"modules: {', '.join(MODULES)}")
    print(f"mutants: {sum(counts.values())} ({', '.join(f'{n} {s}' for s, n in sorted(counts.items()))})")
    print(f"killed: {killed} of {tested} tested = {ratio:.1%} (target {TARGET:.0%}); run time {elapsed:.0f} s")
    if args.survivors:
        print("survivors (see one with: cd build/mutation && mutmut show NAME):")
        for name in survivors:
            print(f"  {name}")
    return 1 if args.check and ratio < TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
