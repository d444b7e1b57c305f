"""Which parts of the window lie outside the area that shows them (used in-process and,
for QT_SCALE_FACTOR=2, from a subprocess: ``python layout_probe.py W H``)."""

from __future__ import annotations

import json
import os
import sys


def parts_outside(window) -> list[str]:
    """Names of the chart parts (plot, axes, key, labels) and panels that are clipped."""
    from PySide6.QtCore import QRect

    out: list[str] = []
    view = window.view
    for chart_name in ("projection_chart", "debt_chart"):
        chart = getattr(view, chart_name)
        if not chart.isVisible():
            continue
        viewport = chart.viewport().rect().adjusted(-1, -1, 1, 1)
        items = {}
        plots = (
            [chart.getPlotItem()]
            if hasattr(chart, "getPlotItem")
            else [chart.outstanding_plot, chart.repayment_plot]
        )
        for i, plot in enumerate(plots):
            items[f"{chart_name}.plot{i}"] = plot
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                if axis.isVisible():
                    items[f"{chart_name}.plot{i}.{side}_axis"] = axis
        legend = getattr(chart, "legend", None)
        if legend is not None:
            items[f"{chart_name}.legend"] = legend
        for line_name in ("target_line", "target_year_line"):
            line = getattr(chart, line_name, None)
            if line is not None and line.label.isVisible():
                items[f"{chart_name}.{line_name}.label"] = line.label
        for name, item in items.items():
            rect: QRect = chart.mapFromScene(item.sceneBoundingRect()).boundingRect()
            if not viewport.contains(rect):
                out.append(f"{name} {rect.getRect()} outside {viewport.getRect()}")
    # Side panels: their content is no wider than the column showing it.
    for scroll_name in ("control_scroll", "summary_scroll"):
        scroll = getattr(view, scroll_name)
        inner = scroll.widget()
        if inner.width() > scroll.viewport().width() + 1:
            out.append(
                f"{scroll_name} content {inner.width()} wider than {scroll.viewport().width()}"
            )
    # Every column inside the window.
    win = window.rect()
    for widget in (view.control_scroll, view.chart_splitter, view.summary_scroll):
        top_left = widget.mapTo(window, widget.rect().topLeft())
        rect = widget.rect().translated(top_left)
        if not win.contains(rect):
            out.append(
                f"{widget.objectName() or type(widget).__name__} {rect.getRect()} outside window"
            )
    return out


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from forecaster.ui.main_window import MainWindow

    width, height = int(sys.argv[1]), int(sys.argv[2])
    window = MainWindow()
    window.resize(width, height)
    window.show()
    for _ in range(5):
        app.processEvents()
    if len(sys.argv) > 3:
        window.grab().save(sys.argv[3])
    result = {
        "size": [window.width(), window.height()],
        "dpr": window.devicePixelRatioF(),
        "outside": parts_outside(window),
    }
    window.document.undo_stack.setClean()
    window.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
