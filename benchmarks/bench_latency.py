"""Input to painted chart, measured the way a person meets it (issue 10).

Opens the real ``MainWindow`` (1400x900, the default scenario) and sends real input
events through ``QApplication.sendEvent``:

* a mouse drag of Annual growth: a press on the slider's handle, then pointer moves
  spaced like a 60 Hz drag (16.7 ms apart);
* single steps with no press: an arrow key on the slider, undo and redo.

For each input it times from just before the event is sent to the END of the
projection chart's paint that shows the new data: an event filter on the chart's
viewport runs the paint itself (``chart.viewportEvent``), notes when it returns and
checks that the P50 it painted is the document's new one. It also times the whole
window: until the summary (verdict for the new scenario) and the debt chart have
painted too. The same chart items are drawn with matplotlib (Agg) from the same
projections in the same run, as the baseline.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_latency.py
      QT_QPA_PLATFORM=xcb (under Xvfb) for a real X window.
Prints p50/p95 in milliseconds; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

FRAME = 1 / 60


class PaintClock:
    """Event filter that runs a widget's paint itself and notes when it ends."""

    def __init__(self, widget, check=None) -> None:
        from PySide6.QtCore import QEvent, QObject

        clock = self

        class _Filter(QObject):
            def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    handled = widget.viewportEvent(event)
                    end = time.perf_counter()
                    if check is None or check():
                        clock.last_end = end
                    return handled
                return False

        self.last_end = 0.0
        self._filter = _Filter()
        widget.viewport().installEventFilter(self._filter)


class WidgetPaintClock:
    """Notes when a plain widget (the summary's verdict) has been painted."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        clock = self

        class _Filter(QObject):
            def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    clock.last_start = time.perf_counter()
                return False

        self.last_start = 0.0
        self._filter = _Filter()
        widget.installEventFilter(self._filter)


def pct(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples) * 1000, q))


def describe(name: str, samples: list[float]) -> tuple[float, float]:
    p50, p95 = pct(samples, 50), pct(samples, 95)
    print(f"{name:<62} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (n={len(samples)})")
    return p50, p95


def run(draws: int, steps: int, width: int, height: int):
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QKeyEvent, QMouseEvent
    from PySide6.QtWidgets import QApplication

    from forecaster.engine import project
    from forecaster.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.document.replace_all(window.document.scenario.with_params(draws=draws), None)
    window.resize(width, height)
    window.show()
    window.activateWindow()
    for _ in range(20):
        app.processEvents()
    view = window.view
    chart = view.projection_chart
    slider = view.control_panel.slider("growth_pct")
    document = window.document

    def chart_shows_document() -> bool:
        # The P50 being painted is the one for the document's scenario now.
        drawn = chart.p50_curve.yData
        return drawn is not None and np.allclose(drawn, expected[0])

    expected = [project(document.scenario).p50]
    chart_clock = PaintClock(chart, chart_shows_document)
    debt_clock = PaintClock(view.debt_chart)
    verdict_clock = WidgetPaintClock(view.summary_panel.verdict_label)
    projections = []
    view.sigProjectionUpdated.connect(projections.append)

    def wait_for_paint(t_input: float, deadline_s: float = 2.0) -> tuple[float, float]:
        """(input -> chart painted with new data, input -> whole window painted)."""
        expected[0] = project(document.scenario).p50
        end = t_input + deadline_s
        while time.perf_counter() < end:
            app.processEvents()
            chart_done = chart_clock.last_end > t_input
            summary_done = view.summary_panel.projection is view.current_projection
            if chart_done and summary_done and view.projected_scenario == document.scenario:
                break
        # Whatever the summary and debt chart still have to paint, paint it now.
        app.processEvents()
        whole = max(chart_clock.last_end, debt_clock.last_end, verdict_clock.last_start)
        return chart_clock.last_end - t_input, time.perf_counter() - t_input if whole else 0.0

    def send_move(x: float, y: float, buttons) -> None:
        pos = QPointF(x, y)
        QApplication.sendEvent(
            slider,
            QMouseEvent(
                QEvent.Type.MouseMove,
                pos,
                QPointF(slider.mapToGlobal(pos.toPoint())),
                Qt.MouseButton.NoButton,
                buttons,
                Qt.KeyboardModifier.NoModifier,
            ),
        )

    # --- a mouse drag of Annual growth, 60 Hz apart -----------------------------------
    drag_chart, drag_window = [], []
    handle = slider._handle_rect().center()
    x0, y = float(handle.x()), float(handle.y())
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        QPointF(x0, y),
        QPointF(slider.mapToGlobal(handle)),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(slider, press)
    app.processEvents()
    warmup = 10
    span = max(20, slider.width() // 2 - 10)
    offsets = [((i * 3) % (2 * span)) - span for i in range(steps + warmup)]
    last = time.perf_counter()
    for i, dx in enumerate(offsets):
        while time.perf_counter() - last < FRAME:  # a 60 Hz pointer
            app.processEvents()
        before = document.scenario["growth_pct"]
        t_input = time.perf_counter()
        last = t_input
        send_move(x0 + dx, y, Qt.MouseButton.LeftButton)
        if document.scenario["growth_pct"] == before:
            continue  # the pointer moved less than one step: nothing new to draw
        c, w = wait_for_paint(t_input)
        if i >= warmup:
            drag_chart.append(c)
            drag_window.append(w)
    release = QMouseEvent(
        QEvent.Type.MouseButtonRelease,
        QPointF(x0, y),
        QPointF(slider.mapToGlobal(handle)),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(slider, release)
    for _ in range(5):
        app.processEvents()
    drag_projections = list(projections)

    # --- single steps: arrow keys, undo, redo ------------------------------------------
    single_chart, single_window = [], []
    slider.setFocus()
    for i in range(max(40, steps // 4)):
        key = Qt.Key.Key_Right if i % 2 == 0 else Qt.Key.Key_Left
        for action in ("key", "undo", "redo"):
            while time.perf_counter() - last < FRAME:
                app.processEvents()
            t_input = time.perf_counter()
            last = t_input
            if action == "key":
                QApplication.sendEvent(
                    slider, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
                )
                QApplication.sendEvent(
                    slider, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier)
                )
            elif action == "undo":
                window.undo_action.trigger()
            else:
                window.redo_action.trigger()
            c, w = wait_for_paint(t_input)
            if i >= 3:
                single_chart.append(c)
                single_window.append(w)
    document.undo_stack.setClean()
    pinned: list = []
    size = (chart.width(), chart.height())
    window.close()
    return drag_chart, drag_window, single_chart, single_window, drag_projections, pinned, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="drag moves timed")
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--no-matplotlib", action="store_true")
    args = parser.parse_args()

    import pyqtgraph
    import PySide6

    print(
        f"Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
        f"pyqtgraph {pyqtgraph.__version__}, platform {os.environ['QT_QPA_PLATFORM']}, "
        f"{os.cpu_count()} CPUs, {args.draws:,} draws, window {args.width}x{args.height}"
    )
    drag_c, drag_w, single_c, single_w, projections, pinned, size = run(
        args.draws, args.steps, args.width, args.height
    )
    d50, d95 = describe("mouse drag (60 Hz): input -> projection chart painted", drag_c)
    describe("mouse drag: input -> whole window painted", drag_w)
    describe("single steps (key, undo, redo): input -> chart painted", single_c)
    describe("single steps: input -> whole window painted", single_w)
    if args.no_matplotlib:
        return
    from bench_redraw import run_matplotlib

    mpl = run_matplotlib(projections, pinned, size)
    m50, m95 = describe("matplotlib Agg: the same chart items, same projections", mpl)
    print(f"drag vs matplotlib: p50 {m50 / d50:.1f}x, p95 {m95 / d95:.1f}x faster")


if __name__ == "__main__":
    main()
