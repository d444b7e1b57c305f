"""Time to reject each hostile scenario file (issue: each must end within a second).

Run: .venv/bin/python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forecaster.io import ScenarioFileError, load_scenario  # noqa: E402
from tests.io.test_hostile_files import hostile_files  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = hostile_files(Path(tmp))
        print(f"{'file':<34} {'size':>12} {'ms':>8}  outcome")
        for name, path in files.items():
            t0 = time.perf_counter()
            try:
                load_scenario(path)
                outcome = "loaded (text kept as text)"
            except ScenarioFileError as e:
                outcome = str(e)[:70]
            ms = (time.perf_counter() - t0) * 1000
            print(f"{name:<34} {path.stat().st_size:>12,} {ms:8.1f}  {outcome}")


if __name__ == "__main__":
    main()
