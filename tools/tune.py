"""Choose the matcher's weights and the decline threshold by cross-validation on question sets.

Usage: python tools/tune.py SET.yaml [SET.yaml ...] [--trials N] [--folds K] [--seed S] [--threshold-only | --lead-only]
       [--around F]

Each set is in the format of `advisor eval` (in-scope items with `expect`, `oos` items). Every
trial draws one setting of the weights below, asks every question once with it, and keeps
per-question outcomes; k-fold cross-validation then picks, for each fold, the best trial on the
other folds and scores it on the held-out fold, which estimates how the chosen setting does on
questions it was not chosen on. The objective counts a wrong answer (an in-scope question
answered without the expected fact, or an out-of-scope question answered) as WRONG_COST right
ones: a wrong answer is worse than a decline. Prints the cross-validated figures and the best
setting on all questions, to be copied into advisor/matching.py and advisor/engine.py.

With --threshold-only the weights stay as they are and the trials are the thresholds from
0.30 to 0.65 in steps of 0.01: how DEFAULT_THRESHOLD in advisor/engine.py is chosen. With --lead-only
the trials are a grid of CLEAR_LEAD_SHARE (0.86-1.00) and CLEAR_LEAD_MARGIN (0.02-0.20): when an entry
below the threshold still answers because it leads the runner-up clearly.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor import engine, matching  # noqa: E402
from advisor.engine import Advisor  # noqa: E402
from advisor.evaluation import DECLINED, in_scope_problem, load_questions, says_not_known  # noqa: E402
from advisor.knowledge import default_knowledge_dir, load_knowledge  # noqa: E402

WRONG_COST = 4.0
#: name -> (module, low, high): the ranges trials are drawn from.
SPACE: dict[str, tuple[Any, float, float]] = {
    "QUERY_COVERAGE_WEIGHT": (matching, 0.3, 0.7),
    "QUESTION_COVERAGE_WEIGHT": (matching, 0.15, 0.45),
    "FUZZY_WEIGHT": (matching, 0.05, 0.35),
    "ANSWER_TERM_WEIGHT": (matching, 0.2, 0.8),
    "TERM_BASE_WEIGHT": (matching, 0.3, 1.0),
    "UNKNOWN_IDF_SHARE": (matching, 0.4, 1.2),
    "GENERIC_ONLY_FACTOR": (matching, 0.6, 1.0),
    "GENERIC_QUESTION_FACTOR": (matching, 0.6, 1.0),
    "CONTEXT_TERM_WEIGHT": (matching, 0.1, 0.8),
    "SPECIFIC_IDF": (matching, 1.6, 2.8),
    "CORRECTED_TERM_WEIGHT": (matching, 0.5, 1.0),
    "BM25_WEIGHT": (matching, 0.0, 0.5),
    "GAP_MARGIN": (engine, 0.0, 0.1),
    "CLEAR_LEAD_SHARE": (engine, 0.85, 1.0),
    "CLEAR_LEAD_MARGIN": (engine, 0.02, 0.3),
    "threshold": (None, 0.3, 0.6),
}


def outcomes(bot: Advisor, items: list[dict[str, Any]]) -> list[str]:
    """Per item: "right", "wrong" or "declined" (in scope); "declined" or "wrong" (out of scope)."""
    found = []
    for item in items:
        answer = bot.ask(item["q"])
        if item.get("oos"):
            # As `advisor eval` counts it: saying plainly that a fact is in no source declines too.
            found.append("wrong" if answer.matched and not says_not_known(answer.text) else "declined")
        else:
            problem = in_scope_problem(answer, list(item.get("expect", [])))
            found.append("right" if problem is None else "declined" if problem == DECLINED else "wrong")
    return found


def gain(results: list[str], indices: list[int]) -> float:
    return sum(1.0 if results[i] == "right" else -WRONG_COST if results[i] == "wrong" else 0.0 for i in indices)


def figures(results: list[str], items: list[dict[str, Any]], indices: list[int]) -> str:
    inside = [i for i in indices if not items[i].get("oos")]
    outside = [i for i in indices if items[i].get("oos")]
    right = sum(results[i] == "right" for i in inside)
    wrong = sum(results[i] == "wrong" for i in indices)
    answered = right + wrong
    declined = sum(results[i] == "declined" for i in outside)
    return (
        f"in scope {right}/{len(inside)} right ({right / max(len(inside), 1):.1%}); "
        f"out of scope {declined}/{len(outside)} declined ({declined / max(len(outside), 1):.1%}); "
        f"wrong among answers {wrong}/{answered} ({wrong / max(answered, 1):.1%})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--threshold-only", action="store_true", help="keep the weights, try thresholds only")
    only.add_argument("--lead-only", action="store_true", help="keep the rest, try the clear-lead rule's settings")
    parser.add_argument(
        "--around",
        type=float,
        default=0.0,
        help="draw each weight within this fraction of its current value (a local search) instead of its whole range",
    )
    args = parser.parse_args()
    items = [item for path in args.sets for item in load_questions(path) if "q" in item and "near" not in item]
    kb = load_knowledge(default_knowledge_dir())
    state = matching.build_state(kb)
    rng = random.Random(args.seed)
    current = {
        name: (getattr(module, name) if module else engine.DEFAULT_THRESHOLD) for name, (module, _, _) in SPACE.items()
    }
    if args.threshold_only:
        settings = [current] + [{**current, "threshold": round(0.30 + step / 100, 2)} for step in range(36)]
    elif args.lead_only:
        settings = [current] + [
            {
                **current,
                "CLEAR_LEAD_SHARE": round(0.86 + share / 50, 2),
                "CLEAR_LEAD_MARGIN": round(0.02 + step / 50, 2),
            }
            for share in range(8)
            for step in range(10)
        ]
    else:

        def draw(name: str, low: float, high: float) -> float:
            if args.around > 0:
                value = float(current[name])
                low, high = max(low, value * (1 - args.around)), min(high, value * (1 + args.around))
            return round(rng.uniform(low, high), 3)

        settings = [current] + [
            {name: draw(name, low, high) for name, (_, low, high) in SPACE.items()} for _ in range(args.trials)
        ]
    trials: list[list[str]] = []
    for number, setting in enumerate(settings):
        for name, (module, _, _) in SPACE.items():
            if module is not None:
                setattr(module, name, setting[name])
        bot = Advisor(kb, threshold=setting["threshold"])
        bot.matcher = matching.Matcher(kb, state)
        trials.append(outcomes(bot, items))
        print(f"trial {number}: {gain(trials[-1], list(range(len(items)))):.0f}", file=sys.stderr)
    order = list(range(len(items)))
    rng.shuffle(order)
    folds = [order[k :: args.folds] for k in range(args.folds)]
    held_out: dict[int, str] = {}
    for k, fold in enumerate(folds):
        rest = [i for j, other in enumerate(folds) if j != k for i in other]
        chosen = max(range(len(settings)), key=lambda t: gain(trials[t], rest))
        held_out.update({i: trials[chosen][i] for i in fold})
    every = list(range(len(items)))
    cross_validated = [held_out[i] for i in every]
    best = max(range(len(settings)), key=lambda t: gain(trials[t], every))
    print(f"{len(items)} questions, {len(settings)} settings, {args.folds}-fold cross-validation")
    print("current setting, all questions:  " + figures(trials[0], items, every))
    print("cross-validated (held-out folds): " + figures(cross_validated, items, every))
    print("best setting, all questions:      " + figures(trials[best], items, every))
    for name, value in settings[best].items():
        print(f"  {name} = {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
