"""The Soviet-era debt deal: what is still owed, and what is repaid each year."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from forecaster.engine.debt import DebtSchedule

from .. import theme
from ..chart_axes import GridAxis, MoneyAxis, SnapViewBox, _RangeHold
from ..chart_style import _pen, _still_plot, _style_plot, _Themed
from ..theme import ChartColors


class DebtChart(_Themed, pg.GraphicsLayoutWidget):
    """The Soviet-era debt deal: what is still owed, and what is repaid each year."""

    def __init__(self, parent=None) -> None:
        super().__init__("debt_chart", parent)
        self.outstanding_plot = self.addPlot(
            row=0,
            col=0,
            axisItems={"left": MoneyAxis("left"), "bottom": GridAxis("bottom")},
            viewBox=SnapViewBox(),
        )
        self.repayment_plot = self.addPlot(
            row=1,
            col=0,
            axisItems={"left": MoneyAxis("left"), "bottom": GridAxis("bottom")},
            viewBox=SnapViewBox(),
        )
        for plot in (self.outstanding_plot, self.repayment_plot):
            _still_plot(plot)
        self._range_hold = _RangeHold(self.outstanding_plot, self.repayment_plot)
        self.repayment_plot.setLabel("bottom", "Year")
        self.repayment_plot.setXLink(self.outstanding_plot)

        self.outstanding_curve = self.outstanding_plot.plot([], [], fillLevel=0)
        self.scheduled_bars = pg.BarGraphItem(
            x=[0.0], height=[0.0], width=0.8, brush=pg.mkBrush(None)
        )
        self.paid_bars = pg.BarGraphItem(x=[0.0], height=[0.0], width=0.8, pen=pg.mkPen(None))
        self.reinvested_bars = pg.BarGraphItem(
            x=[0.0], height=[0.0], width=0.45, pen=pg.mkPen(None)
        )
        for item in (self.paid_bars, self.reinvested_bars, self.scheduled_bars):
            self.repayment_plot.addItem(item)
        self._schedule: DebtSchedule | None = None
        self.apply_colors(theme.colors())

    def _recolor(self, c: ChartColors, k: float) -> None:
        self.setBackground(c.background)
        for plot in (self.outstanding_plot, self.repayment_plot):
            _style_plot(plot, c, k)
        self.outstanding_plot.setTitle(
            "Debt outstanding at year end, with arrears ($M)", color=c.foreground, size="9pt"
        )
        # The key sits in the title: a legend box would cover the bars, which fill the plot.
        self.repayment_plot.setTitle(
            "Repaid per year ($M): "
            f"<span style='color:{c.paid}'>&#9632;</span> paid &nbsp;"
            f"<span style='color:{c.reinvested}'>&#9632;</span> reinvested as trade &nbsp;"
            f"<span style='color:{c.scheduled}'>&#9633;</span> scheduled",
            color=c.foreground,
            size="9pt",
        )
        self.outstanding_curve.setPen(_pen(c.outstanding, 2, k))
        self.outstanding_curve.setFillBrush(pg.mkBrush(c.outstanding_fill))
        self.scheduled_bars.setOpts(pen=_pen(c.scheduled, 1, k, Qt.PenStyle.DashLine))
        self.paid_bars.setOpts(brush=pg.mkBrush(c.paid))
        self.reinvested_bars.setOpts(brush=pg.mkBrush(c.reinvested))

    @property
    def schedule(self) -> DebtSchedule | None:
        return self._schedule

    def set_schedule(self, schedule: DebtSchedule) -> None:
        self._schedule = schedule
        years = schedule.years.astype(float)
        self.outstanding_curve.setData(years, schedule.outstanding)
        self.scheduled_bars.setOpts(x=years, height=schedule.scheduled)
        self.paid_bars.setOpts(x=years, height=schedule.paid)
        self.reinvested_bars.setOpts(x=years, height=schedule.reinvested)

    def set_range_held(self, held: bool, hold_x: bool = False) -> None:
        """As ``ProjectionChart.set_range_held``, for both plots (they share the years)."""
        self._range_hold.set(held, hold_x)
