"""Time of the rolling-origin backtest (issue 11): goal <= 50 ms for the default scenario at
10,000 draws.

Prints p50/p95 over repeated runs with a changing growth value (as after each settled
slider drag), for the default scenario and every preset at 10k draws, and the default at
100k draws. "warm" reuses the seed's draws (``draws_for``), their sorted rows and the
volatility's factors, as after a growth drag; "new volatility" changes the volatility
every run, so the factors exp(sigma * W) and their prefix sums are made again; "cold"
also sorts the seed's rows again (the draws stay: the projection on screen made them);
"new seed" makes the draws too.
Run: .venv/bin/python benchmarks/bench_backtest.py
"""

from __future__ import annotations

import time

import numpy as np

from forecaster.engine.calibration import _factors, _sorted_walks, rolling_backtest
from forecaster.engine.projection import draws_for
from forecaster.io import default_scenario, list_presets, load_history, load_preset


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def line(label: str, samples: list[float]) -> None:
    p50, p95 = np.percentile(samples, [50, 95])
    print(f"{label:<44} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (n={len(samples)})")


def main() -> None:
    history = load_history()
    default = default_scenario()
    print(f"default scenario: {default.name}, {default.params['draws']} draws")
    cases = [("default (warm)", default, 300)]
    cases += [(f"{name} (warm)", load_preset(name), 100) for name in list_presets()]
    cases.append(("default at 100k draws (warm)", default.with_params(draws=100_000), 40))
    for label, scenario, runs in cases:
        scenarios = [
            scenario.with_params(growth_pct=float(g)).validated()
            for g in np.linspace(-10, 60, runs)
        ]
        rolling_backtest(scenarios[0], history)  # draws and sorted rows made once per seed
        line(label, [timed(lambda s=s: rolling_backtest(s, history)) for s in scenarios])

    for label, scenario in (
        ("default", default),
        ("default at 100k draws", default.with_params(draws=100_000)),
    ):
        moved = [
            scenario.with_params(volatility_pct=float(v)).validated()
            for v in np.linspace(10, 60, 60)
        ]
        line(
            f"{label} (new volatility)",
            [timed(lambda s=s: rolling_backtest(s, history)) for s in moved],
        )

    def cold() -> float:
        _factors.cache_clear()
        _sorted_walks.cache_clear()
        return timed(lambda: rolling_backtest(default, history))

    def new_seed() -> float:
        _factors.cache_clear()
        _sorted_walks.cache_clear()
        draws_for.cache_clear()
        return timed(lambda: rolling_backtest(default, history))

    line("default (cold: sorting the seed's rows)", [cold() for _ in range(30)])
    line("default (new seed: draws and sorting)", [new_seed() for _ in range(30)])


if __name__ == "__main__":
    main()
