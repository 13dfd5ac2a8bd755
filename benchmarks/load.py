"""Load benchmark of `advisor serve`: POST /api/ask from concurrent clients over many conversations.

    python benchmarks/load.py [--requests 100000] [--clients 50] [--conversations 10000]
                              [--workers 1] [--max-seconds 600] [--json FILE]

Starts `advisor serve` on 127.0.0.1 (a free port; never another host), warms it up, and sends
--requests questions over --clients keep-alive connections. Each request continues one of
--conversations conversations (round robin), sending back the state its last answer returned,
so the server sees that many distinct conversations. Reports requests/s, p50/p99 latency, and
the server's resident memory (all its processes) after the warm-up and at the end. Stops at
--max-seconds and says how many requests were sent. The client is a minimal HTTP/1.1 client on
asyncio, so that on a small machine the load generator takes as little CPU as it can.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# Conversations of a few turns each: questions, follow-ups and the eligibility check.
SCRIPTS = [
    ["When did call 1 close?", "and call 3?", "What's the salary?", "is it gross?"],
    ["How many ERC projects has LUMC hosted?", "and Horizon 2020 projects?", "How is LUMC ranked?"],
    ["Am I eligible?", "2", "March 2015", "never", "and call 1?"],
    ["Who could apply for call 2?", "Do I need a supervisor before I apply?", "What documents did I need?"],
    ["Am I eligible for call 2? I defended on 1 February 2012.", "none", "8 months"],
]


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def server_pids(root: int) -> list[int]:
    """The server process and its children (the workers)."""
    pids = [root]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == root:
                pids.append(int(entry.name))
    return pids


class Conversations:
    def __init__(self, count: int) -> None:
        self.states: list[Any] = [None] * count
        self.turns = [0] * count
        self.next = itertools.cycle(range(count))

    def take(self) -> tuple[int, bytes]:
        number = next(self.next)
        script = SCRIPTS[number % len(SCRIPTS)]
        question = script[self.turns[number] % len(script)]
        if self.turns[number] % len(script) == 0:
            self.states[number] = None  # a script begins afresh
        body = json.dumps({"question": question, "state": self.states[number]}).encode()
        return number, body

    def answered(self, number: int, data: dict[str, Any]) -> None:
        self.states[number] = data["state"]
        self.turns[number] += 1


async def client(port: int, conversations: Conversations, budget: list[int], latencies: list[float],
                 deadline: float, errors: list[str]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            number, body = conversations.take()
            head = (
                f"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            start = time.perf_counter()
            writer.write(head + body)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            payload = await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not status_line.startswith(b"HTTP/1.1 200"):
                errors.append(status_line.decode(errors="replace").strip())
                continue
            conversations.answered(number, json.loads(payload))
    finally:
        writer.close()


async def run_load(port: int, args: argparse.Namespace, count: int, deadline: float) -> tuple[list[float], list[str]]:
    conversations = Conversations(args.conversations)
    budget = [count]
    latencies: list[float] = []
    errors: list[str] = []
    await asyncio.gather(
        *(client(port, conversations, budget, latencies, deadline, errors) for _ in range(args.clients))
    )
    return latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=5_000)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    if not 0 < args.requests <= 1_000_000 or not 0 < args.clients <= 500 or args.max_seconds > 3600:
        parser.error("keep it bounded: at most 1,000,000 requests, 500 clients, 3600 seconds")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "advisor", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", str(args.workers)], stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5 if args.workers == 1 else 3)
        pids = server_pids(server.pid)
        rss_start = rss_kib(pids)
        asyncio.run(run_load(port, args, args.warmup, time.perf_counter() + 120))
        rss_before = rss_kib(pids)
        began = time.perf_counter()
        latencies, errors = asyncio.run(run_load(port, args, args.requests, began + args.max_seconds))
        elapsed = time.perf_counter() - began
        rss_after = rss_kib(pids)
    finally:
        server.terminate()
        server.wait(timeout=60)
    latencies.sort()
    figures = {
        "requests": len(latencies),
        "requested": args.requests,
        "clients": args.clients,
        "conversations": args.conversations,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "errors": len(errors),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "rss_at_start_mib": round(rss_start / 1024, 1),
        "rss_before_mib": round(rss_before / 1024, 1),
        "rss_after_mib": round(rss_after / 1024, 1),
        "rss_growth_percent": round((rss_after - rss_before) / rss_before * 100, 1),
    }
    cut = "" if len(latencies) == args.requests else f" (stopped at --max-seconds: {len(latencies)} of {args.requests})"
    print(f"POST /api/ask: {figures['requests']:,} requests{cut}, {args.clients} clients, "
          f"{args.conversations:,} conversations, {args.workers} worker(s), {figures['errors']} errors")  # fmt: skip
    print(f"  {figures['requests_per_second']:,} requests/s; p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms")
    print(f"  server memory (RSS): {figures['rss_before_mib']} MiB after a {args.warmup:,}-request warm-up, "
          f"{figures['rss_after_mib']} MiB after the run ({figures['rss_growth_percent']:+}%)")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
