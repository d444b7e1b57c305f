"""Which lever moves the target-year P50 most: the tornado of one-step swings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg

from forecaster.engine.analysis import SensitivityRow

from .. import theme
from ..chart_axes import GridAxis
from ..chart_style import _pen, _set_legend_text, _still_plot, _style_plot, _Themed
from ..theme import ChartColors


class TornadoChart(_Themed, pg.PlotWidget):
    """Which lever moves the target-year P50 most: one bar pair per lever, widest on top."""

    def __init__(self, parent=None) -> None:
        super().__init__("tornado_chart", parent, axisItems={"bottom": GridAxis("bottom")})
        plot = self.getPlotItem()
        _still_plot(plot)
        self.down_bars = pg.BarGraphItem(
            x0=[0.0], y=[0.0], width=[0.0], height=0.38, pen=pg.mkPen(None)
        )
        self.up_bars = pg.BarGraphItem(
            x0=[0.0], y=[0.0], width=[0.0], height=0.38, pen=pg.mkPen(None)
        )
        self.zero_line = pg.InfiniteLine(angle=90, pos=0, movable=False)
        plot.addItem(self.down_bars)
        plot.addItem(self.up_bars)
        plot.addItem(self.zero_line)
        self.legend = plot.addLegend(offset=(-8, -8))
        self.legend.addItem(self.down_bars, "Lever one page step down")
        self.legend.addItem(self.up_bars, "Lever one page step up")
        self._rows: list[SensitivityRow] = []
        self.apply_colors(theme.colors())

    def _recolor(self, c: ChartColors, k: float) -> None:
        self.setBackground(c.background)
        plot = self.getPlotItem()
        _style_plot(plot, c, k)
        plot.showGrid(x=True, y=False, alpha=0.2)
        self.down_bars.setOpts(brush=pg.mkBrush(c.down))
        self.up_bars.setOpts(brush=pg.mkBrush(c.up))
        self.zero_line.setPen(_pen(c.foreground, 1, k))
        self.legend.setBrush(pg.mkBrush(c.legend_fill))
        _set_legend_text(self.legend, c.foreground)

    @property
    def rows(self) -> list[SensitivityRow]:
        return list(self._rows)

    def lever_labels(self) -> list[str]:
        """The y-axis labels, top to bottom."""
        return [self._row_label(r) for r in self._rows]

    @staticmethod
    def _row_label(row: SensitivityRow) -> str:
        from forecaster.engine.params import SPECS

        spec = SPECS.get(row.key)
        unit = f" {spec.unit}" if spec is not None and spec.unit else ""
        return f"{row.label} ({row.low_value:g} / {row.high_value:g}{unit})"

    def set_rows(self, rows: Sequence[SensitivityRow], target_year: int) -> None:
        self._rows = list(rows)
        n = len(self._rows)
        y = np.arange(n, dtype=float)[::-1]  # widest swing at the top
        down = np.array([r.low_delta for r in self._rows], dtype=float)
        up = np.array([r.high_delta for r in self._rows], dtype=float)
        zeros = np.zeros(n)
        self.down_bars.setOpts(x0=zeros, y=y + 0.2, width=down, height=0.38)
        self.up_bars.setOpts(x0=zeros, y=y - 0.2, width=up, height=0.38)
        plot = self.getPlotItem()
        plot.getAxis("left").setTicks(
            [[(float(y[i]), self._row_label(r)) for i, r in enumerate(self._rows)], []]
        )
        plot.setLabel("bottom", f"Change in {target_year} P50 turnover ($M)")
        plot.setYRange(-0.7, n - 0.3, padding=0)
        extent = float(np.max(np.abs(np.concatenate([down, up, [1.0]]))))
        plot.setXRange(-extent, extent, padding=0.08)
