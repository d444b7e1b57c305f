"""Soak: 20,000 programmatic slider changes with redraws; resident memory must stay flat.

Drives the real MainWindow offscreen: each step moves a slider through the widget
(drags of 200 steps each over growth, volatility, debt term and ruble share), lets
the event loop redraw, and every 50 steps renders the window into a pixmap. Prints
resident memory (RSS, from /proc/self/statm) at steps 2,000 and 20,000 and the
growth between them; exits 1 if it grew by more than 5 MB.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/soak_memory.py [STEPS]
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

LIMIT_MB = 5.0


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main(steps: int = 20_000) -> int:
    app = QApplication.instance() or QApplication([])
    from forecaster.ui import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    plan = [
        ("growth_pct", [float(v) for v in range(-20, 61)]),
        ("volatility_pct", [float(v) for v in range(0, 81, 2)]),
        ("debt_term_years", list(range(5, 41))),
        ("ruble_share_pct", [float(v) for v in range(0, 101, 5)]),
    ]
    marks: dict[int, float] = {}
    t0 = time.perf_counter()
    slider = None
    for step in range(1, steps + 1):
        key, values = plan[(step // 200) % len(plan)]
        if step % 200 == 1 or slider is None:
            # A new drag every 200 steps: press the slider, move it, release it.
            if slider is not None:
                slider.setSliderDown(False)
            slider = window.view.control_panel.slider(key)
            slider.setSliderDown(True)
        slider.setValue(values[step % len(values)])
        app.processEvents()
        if step % 50 == 0:
            window.grab()
        if step in (2_000, steps):
            gc.collect()
            app.processEvents()
            marks[step] = rss_mb()
    elapsed = time.perf_counter() - t0
    start, end = marks.get(2_000, marks[steps]), marks[steps]
    print(f"steps: {steps}, {elapsed:.1f} s ({elapsed / steps * 1000:.2f} ms a step)")
    print(
        f"RSS at step 2,000: {start:.1f} MB; at step {steps:,}: {end:.1f} MB; "
        f"growth {end - start:+.2f} MB (limit {LIMIT_MB:.0f} MB)"
    )
    window.document.undo_stack.setClean()
    window.close()
    return 0 if end - start <= LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
