"""Speed, scale and start-up benchmarks for the advisor (not tests: numbers to watch).

    python benchmarks/bench.py            # the full run: table, then JSON
    python benchmarks/bench.py --quick    # small sizes, a smoke run
    python benchmarks/bench.py --json results.json --check   # save JSON; exit 1 if a target is missed

Measures: ask() latency (median, p99) on the shipped knowledge base; the same and the
load time on generated knowledge bases of 1,000 and 10,000 entries; the start-up of
`advisor "question"` against `python -c pass`; the peak memory of a single-question run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from advisor import Advisor  # noqa: E402

TARGETS = {
    "shipped_median_ms": 0.5,
    "shipped_p99_ms": 2.0,
    "gen_10000_p99_ms": 20.0,
    "gen_10000_load_s": 3.0,
    "startup_ratio": 7.0,
    "peak_memory_mib": 60.0,
    "hostile_max_ms": 50.0,
}

HOSTILE = [
    "x" * 1_000_000,
    "how " * 250_000,
    "e" + "\u0301" * 100_000,
    "\x00" * 100_000,
    "🎓" * 100_000,
    " ".join(f"wordzz{n}qq" for n in range(2000)),
    "rankng reserch profles " * 400,
    "\ud800" * 10_000,
    "call 1 and call 2 and call 3 " * 300,
    "Skłodowska-Curie " * 500,
]

QUESTIONS = [
    "How is LUMC ranked?",
    "lumc rankng in europ",
    "What are the research profiles of LUMC?",
    "When did call 1 close?",
    "What were the call 2 PhD dates?",
    "How much does a fellow earn?",
    "I will defend my PhD after the deadline, am I eligible?",
    "Can parental leave extend the eligibility period?",
    "How many ERC grants does TU Delft have?",
    "What is the best restaurant in Rotterdam?",
    "qwertyuiop zxcvbnm",
    "Is the call currently open?",
    "Who is on the selection panel?",
    "How do I get a visa for the Netherlands?",
    "Tell me about LEaDing Fellows",
    "hello",
    "Is there help for expats moving to Leiden?",
    "What disciplines can I apply in?",
]

SYLLABLES = [
    "ra",
    "to",
    "mi",
    "ken",
    "dor",
    "lu",
    "sa",
    "vin",
    "pel",
    "ter",
    "gro",
    "an",
    "bel",
    "cor",
    "dex",
    "fi",
    "gan",
    "hol",
    "is",
    "jun",
    "kal",
    "lor",
    "men",
    "nor",
    "ost",
    "pra",
    "quin",
    "rem",
    "sul",
    "tav",
]
TEMPLATES = [
    "What is the {a} {b} of the {c}?",
    "How many {a} {b} does the {c} have?",
    "When did the {a} {c} {b} open?",
    "Who is responsible for {a} {b}?",
    "Can I get {a} for {b} {c}?",
    "Is there a {a} {b} at the {c}?",
    "Where can I find the {c} {a}?",
    "Does the {a} {b} include {c}?",
]


def timed_asks(bot: Advisor, questions: list[str], repeat: int) -> dict[str, float]:
    for question in questions:  # warm up
        bot.ask(question)
    samples = []
    for _ in range(repeat):
        for question in questions:
            start = time.perf_counter()
            bot.ask(question)
            samples.append(time.perf_counter() - start)
    samples.sort()
    return {
        "median_ms": statistics.median(samples) * 1000,
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000,
        "asks": len(samples),
    }


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Real words of the shipped knowledge base, topped up with pronounceable made-up ones."""
    words: dict[str, None] = {}
    for entry in Advisor().knowledge.entries:
        for word in (entry.answer + " " + " ".join(entry.questions)).lower().split():
            word = word.strip(".,;:()?!\"'")
            if word.isalpha() and len(word) > 3:
                words[word] = None
    while len(words) < size:
        words["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


def generate_kb(folder: Path, entries: int, seed: int = 7) -> list[str]:
    """Write a knowledge folder of `entries` entries, five questions each; return sample questions."""
    rng = random.Random(seed)
    words = vocabulary(rng, max(2000, entries // 2))
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf-like: some words are common
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.yaml").write_text(
        "sources:\n  - {id: gen, title: Generated, url: https://example.org, publisher: bench, describes: now}\n"
    )
    samples: list[str] = []
    lines = ["topic: generated", "entries:"]
    for number in range(entries):
        topic = rng.sample(words[200:], 2)
        questions = []
        for template in rng.sample(TEMPLATES, 5):
            a, b = topic
            c = rng.choices(words, weights=weights, k=1)[0]
            questions.append(template.format(a=a, b=b, c=c))
        lines.append(f"  - id: gen.{number:05d}")
        lines.append("    questions:")
        lines.extend(f"      - {json.dumps(q)}" for q in questions)
        lines.append(f"    answer: Generated answer {number}.")
        lines.append("    sources: [gen]")
        if number % max(1, entries // 200) == 0:
            samples.append(questions[0].replace("the ", "").lower())
    (folder / "generated.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [*samples, "qwertyuiop zxcvbnm", "What is the weather in Leiden tomorrow?"]


def generated(entries: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kb"
        questions = generate_kb(folder, entries)
        loads = []
        for _ in range(3):  # the median of three cold loads: one run is at the mercy of the machine
            start = time.perf_counter()
            bot = Advisor(folder)  # no index cache: the full read, parse, validation and indexing
            loads.append(time.perf_counter() - start)
        result = timed_asks(bot, questions, repeat)
        result["load_s"] = statistics.median(loads)
        return result


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def advisor_command() -> list[str]:
    script = Path(sys.executable).parent / "advisor"
    return [str(script)] if script.exists() else [sys.executable, "-m", "advisor"]


def startup(runs: int) -> dict[str, float]:
    question = "How many ERC projects has LUMC hosted?"
    # A real install (pip install .) ships compiled bytecode; a checkout run with
    # PYTHONDONTWRITEBYTECODE set would recompile every module on every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "advisor")], check=True)
    # Interleaved, so that both commands see the same load on a shared machine; the ratio is
    # the median of the per-pair ratios, the times the medians of each command.
    pairs = [(wall([sys.executable, "-c", "pass"]), wall([*advisor_command(), question])) for _ in range(runs)]
    baseline = statistics.median(p for p, _ in pairs)
    advisor = statistics.median(a for _, a in pairs)
    ratio = statistics.median(a / p for p, a in pairs)
    return {"python_ms": baseline * 1000, "advisor_ms": advisor * 1000, "ratio": ratio}


def peak_memory() -> float:
    """Peak resident memory of one `advisor "question"` process, in MiB (Linux ru_maxrss is KiB)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *advisor_command(), "How is LUMC ranked?"], capture_output=True, text=True
    )
    return int(out.stdout.strip()) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and few runs (a smoke run)")
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    sizes = (200,) if args.quick else (1000, 10000)
    repeat = 3 if args.quick else 50
    runs = 3 if args.quick else 31

    bot = Advisor()
    shipped = timed_asks(bot, QUESTIONS, repeat * 20)
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "shipped": {**shipped, "entries": len(bot.knowledge.entries)},
    }
    for size in sizes:
        results[f"generated_{size}"] = generated(size, max(3, repeat // 5))
    results["startup"] = startup(runs)
    results["peak_memory_mib"] = peak_memory()
    hostile = []
    for text in HOSTILE:
        start = time.perf_counter()
        bot.ask(text)
        bot.conversation().ask(text)
        hostile.append((time.perf_counter() - start) * 1000 / 2)
    results["hostile_max_ms"] = max(hostile)

    checks = {
        "shipped_median_ms": results["shipped"]["median_ms"],
        "shipped_p99_ms": results["shipped"]["p99_ms"],
        "startup_ratio": results["startup"]["ratio"],
        "peak_memory_mib": results["peak_memory_mib"],
        "hostile_max_ms": results["hostile_max_ms"],
    }
    if "generated_10000" in results:
        checks["gen_10000_p99_ms"] = results["generated_10000"]["p99_ms"]
        checks["gen_10000_load_s"] = results["generated_10000"]["load_s"]
    results["targets"] = {
        name: {"value": round(value, 4), "target": TARGETS[name], "met": value <= TARGETS[name]}
        for name, value in checks.items()
    }

    print(f"{'measure':<36}{'value':>12}{'target':>10}  met")
    rows = [
        ("ask() median, shipped (ms)", "shipped_median_ms"),
        ("ask() p99, shipped (ms)", "shipped_p99_ms"),
    ]
    for name, key in rows:
        t = results["targets"][key]
        print(f"{name:<36}{t['value']:>12.3f}{t['target']:>10}  {'yes' if t['met'] else 'NO'}")
    for size in sizes:
        g = results[f"generated_{size}"]
        p99 = results["targets"].get("gen_10000_p99_ms") if size == 10000 else None
        load = results["targets"].get("gen_10000_load_s") if size == 10000 else None
        print(f"{f'ask() median, {size} entries (ms)':<36}{g['median_ms']:>12.3f}")
        print(
            f"{f'ask() p99, {size} entries (ms)':<36}{g['p99_ms']:>12.3f}"
            + (f"{p99['target']:>10}  {'yes' if p99['met'] else 'NO'}" if p99 else "")
        )
        print(
            f"{f'load + index, {size} entries (s)':<36}{g['load_s']:>12.3f}"
            + (f"{load['target']:>10}  {'yes' if load['met'] else 'NO'}" if load else "")
        )
    s = results["startup"]
    t = results["targets"]["startup_ratio"]
    print(f"{'start-up: python -c pass (ms)':<36}{s['python_ms']:>12.1f}")
    print(f"{'start-up: advisor question (ms)':<36}{s['advisor_ms']:>12.1f}")
    print(f"{'start-up ratio':<36}{t['value']:>12.2f}{t['target']:>10}  {'yes' if t['met'] else 'NO'}")
    t = results["targets"]["peak_memory_mib"]
    print(f"{'peak memory, one question (MiB)':<36}{t['value']:>12.1f}{t['target']:>10}  {'yes' if t['met'] else 'NO'}")
    t = results["targets"]["hostile_max_ms"]
    print(f"{'slowest hostile input (ms)':<36}{t['value']:>12.2f}{t['target']:>10}  {'yes' if t['met'] else 'NO'}")
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    missed = [name for name, t in results["targets"].items() if not t["met"]]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
