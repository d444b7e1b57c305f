"""Time per projection at 1k, 10k and 100k draws against simulating every path.

Prints p50/p95 over repeated runs with a changing growth value (as a slider
drag would), for ``project`` (quantiles of the walks computed once per seed)
and, in the same run, ``project_by_simulation`` (every path, then percentiles).
Run: .venv/bin/python benchmarks/bench_engine.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from forecaster.engine import Scenario, Shock, project, project_by_simulation
from forecaster.engine.projection import draws_for


def timings(fn, scenarios) -> list[float]:
    out = []
    for s in scenarios:
        t0 = time.perf_counter()
        fn(s)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values, q) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    base = Scenario().with_shocks([Shock(2016, 20.0, 2.0), Shock(2018, 40.0, None)]).validated()
    print(
        f"{'draws':>8} {'fast p50':>9} {'fast p95':>9} {'sim p50':>9} {'sim p95':>9} {'speed-up':>9}  (ms)"
    )
    for draws in (1_000, 10_000, 100_000):
        steps = 300 if draws < 100_000 else 60
        growths = np.linspace(-10, 60, steps)
        scenarios = [
            base.with_params(growth_pct=float(g), draws=draws).validated() for g in growths
        ]
        draws_for(base.params["seed"], draws)  # draws are made once per seed and count
        project(scenarios[0])
        fast = timings(project, scenarios)
        slow = timings(project_by_simulation, scenarios[: max(20, steps // 5)])
        print(
            f"{draws:>8} {pct(fast, 50):9.3f} {pct(fast, 95):9.3f} {pct(slow, 50):9.2f} "
            f"{pct(slow, 95):9.2f} {statistics.median(slow) / statistics.median(fast):8.0f}x"
        )
    t0 = time.perf_counter()
    draws_for.cache_clear()
    draws_for(1, 10_000)
    print(
        f"one-off draw generation for a new seed at 10k draws: {(time.perf_counter() - t0) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
