"""The benchmark script runs (a smoke run; its numbers are not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_quick_run_prints_table_and_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "start-up ratio" in result.stdout
    data = json.loads(out.read_text())
    assert {"shipped", "generated_200", "startup", "peak_memory_mib", "hostile_max_ms", "targets"} <= set(data)
