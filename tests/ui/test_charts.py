"""The charts draw what they are given: checked against the engine's own numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from forecaster.engine import project, sensitivity
from forecaster.io import default_scenario, load_history
from forecaster.ui.charts import DebtChart, ProjectionChart, TornadoChart
from forecaster.ui.overlay import Overlay

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def projection():
    return project(default_scenario())


@pytest.fixture
def chart(qtbot, projection) -> ProjectionChart:
    widget = ProjectionChart(history=load_history())
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.set_projection(projection)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _y(item) -> np.ndarray:
    """An item's data in $M, whatever the axis mode (getData returns mapped values)."""
    return np.asarray(item.yData, dtype=float)


def _hover(chart: ProjectionChart, qtbot, settle, year: float, value: float) -> None:
    view = chart.getPlotItem().getViewBox()
    view.updateAutoRange()
    settle(chart)  # the scene (item index, axis layout) catches up with the new range
    y = math.log10(value) if chart.is_log() else value
    target = chart.mapFromScene(view.mapViewToScene(QPointF(year, y)))
    # Two moves: the first one into the widget only enters it.
    QTest.mouseMove(chart.viewport(), target + QPoint(3, 3))
    QTest.mouseMove(chart.viewport(), target)
    # The pointer is over the plot: the crosshair's readout shows it has been handled.
    qtbot.waitUntil(chart.readout.isVisible)


def test_is_the_contract_plot_widget(chart):
    import pyqtgraph as pg

    assert isinstance(chart, pg.PlotWidget)
    assert chart.objectName() == "projection_chart"


def test_curves_and_bands_hold_the_projection(chart, projection):
    years = projection.years
    for item, values in (
        (chart.p50_curve, projection.p50),
        (chart.p10_curve, projection.bands[10]),
        (chart.p25_curve, projection.bands[25]),
        (chart.p75_curve, projection.bands[75]),
        (chart.p90_curve, projection.bands[90]),
        (chart.deterministic_curve, projection.deterministic),
    ):
        x, _ = item.getData()
        np.testing.assert_array_equal(x, years)
        np.testing.assert_allclose(_y(item), values)
    assert chart.deterministic_curve.opts["pen"].style() != chart.p50_curve.opts["pen"].style()
    # The bands are shaded areas between their edge curves.
    assert chart.outer_band.curves == [chart.p10_curve, chart.p90_curve]
    assert chart.inner_band.curves == [chart.p25_curve, chart.p75_curve]
    assert not chart.outer_band.path().isEmpty() and not chart.inner_band.path().isEmpty()
    assert chart.target_line.value() == pytest.approx(projection.target_musd)
    assert "1,000" in chart.target_line.label.toPlainText()
    assert chart.target_year_line.value() == projection.target_year
    assert chart.target_year_line.label.toPlainText() == "2020"


def test_items_are_created_once_and_updated(chart, projection):
    items_before = list(chart.getPlotItem().items)
    other = project(default_scenario().with_params(growth_pct=10.0, target_turnover_musd=500))
    chart.set_projection(other)
    assert list(chart.getPlotItem().items) == items_before
    np.testing.assert_allclose(_y(chart.p50_curve), other.p50)
    assert chart.target_line.value() == pytest.approx(500)


def test_history_reported_filled_derived_and_estimated_hollow(chart):
    history = load_history()
    known = np.isfinite(history.values)
    reported = [
        int(y)
        for y, f, k in zip(history.years, history.flags, known, strict=True)
        if k and f == "reported"
    ]
    other = [
        int(y)
        for y, f, k in zip(history.years, history.flags, known, strict=True)
        if k and f != "reported"
    ]
    assert sorted(int(p.pos().x()) for p in chart.history_reported.points()) == reported
    assert sorted(int(p.pos().x()) for p in chart.history_other.points()) == other
    assert 2012 in other and 2013 in reported  # derived 2012, reported 2013
    for p in chart.history_reported.points():
        assert p.brush().color() == QColor("#111111")
    for p in chart.history_other.points():
        assert p.brush().color() == QColor("white")
        assert p.pen().color() == QColor("#111111")
    # Every point carries its value and source for the tooltip.
    point_2018 = next(p for p in chart.history_reported.points() if p.pos().x() == 2018)
    assert "$34.0M" in point_2018.data() and "TASS" in point_2018.data()


@pytest.mark.parametrize("log", [False, True])
def test_hovering_a_history_point_shows_value_and_source(chart, qtbot, settle, log):
    chart.set_log(log)
    _hover(chart, qtbot, settle, 2012, 68.6)
    tip = chart.getPlotItem().getViewBox().toolTip()
    # The figure, how it was got and whose series it is, then the source and the doubt.
    assert "2012: $68.6M (derived, Russian customs)" in tip
    assert "Source: derived from 2013 turnover" in tip
    assert "doubtful" in tip and "Jan-Oct 2012" in tip


def test_hover_crosshair_reads_year_and_values(chart, qtbot, settle, projection):
    _hover(chart, qtbot, settle, 2021.2, 500)
    assert chart.crosshair_v.isVisible() and chart.readout.isVisible()
    assert chart.crosshair_v.value() == 2021
    text = chart.readout.textItem.toPlainText()
    i = 2021 - int(projection.years[0])
    assert text.startswith("2021")
    assert f"P50 ${projection.p50[i]:,.0f}M" in text
    assert "P10–P90" in text and "Deterministic" in text
    assert "History no dollar figure (Russian customs)" in text  # 2021 has no dollar figure
    # Off the plot area, the crosshair hides.
    QTest.mouseMove(chart.viewport(), QPoint(2, 2))
    QTest.mouseMove(chart.viewport(), QPoint(1, 1))
    qtbot.waitUntil(lambda: not chart.readout.isVisible())


def test_log_toggle(chart, projection, qtbot):
    chart.set_log(False)
    with qtbot.waitSignal(chart.sigLogChanged) as blocker:
        chart.set_log(True)
    assert blocker.args == [True]
    plot = chart.getPlotItem()
    assert plot.getAxis("left").logMode
    _, shown = chart.p50_curve.getData()
    np.testing.assert_allclose(shown, np.log10(projection.p50))
    assert chart.target_line.value() == pytest.approx(3.0)  # log10(1000)
    plot.getViewBox().updateAutoRange()
    assert chart.y_range()[0] < 100 < 1000 < chart.y_range()[1]
    assert chart.getAxis("left").logTickStrings([2.0, 3.0], 1, 1) == ["$100M", "$1B"]
    # The band fills follow the log mapping too.
    assert chart.outer_band.path().boundingRect().bottom() < 10
    chart.set_log(False)
    assert chart.target_line.value() == pytest.approx(1000)
    _, shown = chart.p50_curve.getData()
    np.testing.assert_allclose(shown, projection.p50)


def test_log_scale_with_zero_turnover_is_drawn_without_warnings(chart):
    from forecaster.engine import Shock

    gone = project(
        default_scenario()
        .with_shocks([Shock(2016, 100.0, None, "closed")])
        .with_params(debt_reinvest_pct=0.0)
    )
    chart.set_log(True)
    chart.set_projection(gone)  # zeros from 2016: no log warnings, no traceback
    chart.grab()


def test_legend_names_every_item(chart):
    names = [label.text for _, label in chart.legend.items]
    for name in (
        "P10–P90",
        "P25–P75",
        "P50 (median)",
        "Deterministic path",
        "History: reported",
        "History: derived / estimated",
    ):
        assert name in names


def test_overlays_draw_pinned_p50s_in_their_colours(chart, projection):
    a = project(default_scenario().with_params(growth_pct=20.0))
    b = project(default_scenario().with_params(growth_pct=50.0))
    chart.set_overlays([Overlay("Slow", "#ff0000", a), Overlay("Fast", (0, 128, 0), b)])
    items = chart.overlay_items
    assert len(items) == 2
    np.testing.assert_allclose(_y(items[0]), a.p50)
    np.testing.assert_allclose(_y(items[1]), b.p50)
    assert items[0].opts["pen"].color() == QColor("#ff0000")
    assert items[1].opts["pen"].color() == QColor(0, 128, 0)
    names = [label.text for _, label in chart.legend.items]
    assert "Slow (P50)" in names and "Fast (P50)" in names
    plot_items = list(chart.getPlotItem().items)
    chart.set_overlays([Overlay("Fast", "#00ff00", b)])
    assert list(chart.getPlotItem().items) == plot_items  # reused, not recreated
    names = [label.text for _, label in chart.legend.items]
    assert "Slow (P50)" not in names and "Fast (P50)" in names
    chart.set_overlays([])
    assert chart.overlay_items == []
    assert not any(item.isVisible() for item in chart._overlay_items)


def test_range_held_during_a_drag_then_refit(chart, qtbot):
    chart.set_log(False)
    view = chart.getPlotItem().getViewBox()
    view.updateAutoRange()
    held = view.viewRange()[1]
    chart.set_range_held(True)
    chart.set_projection(project(default_scenario().with_params(growth_pct=80.0)))
    view.updateAutoRange()
    assert view.viewRange()[1] == held
    chart.set_range_held(False)
    view.updateAutoRange()
    assert view.viewRange()[1][1] > held[1] * 5


def test_nice_range_widens_to_half_decades_and_1_2_5_steps():
    from forecaster.ui.chart_axes import nice_range

    assert nice_range(0.26, 5.27, log=True) == (0.0, 5.5)
    assert nice_range(-0.4, 2.2, log=True) == (-0.5, 2.5)
    assert nice_range(120.0, 870.0, log=False) == (100.0, 900.0)  # step 100
    assert nice_range(3.0, 190_000.0, log=False) == (0.0, 200_000.0)  # step 20,000
    # Autorange's padding a little under zero: half a step below, room for the $0 label.
    assert nice_range(-3.0, 57.0, log=False) == (-5.0, 60.0)  # step 10
    assert nice_range(5.0, 5.0, log=False) == (5.0, 5.0)  # nothing to widen


def test_a_small_step_keeps_the_y_range_and_it_stays_on_nice_bounds(chart):
    """The autorange snaps outward to nice bounds (half-decades on the log axis), so a
    step of a slider that stays inside them leaves the axes, and their cached pixels,
    as they were: no axis layout and no grid redrawn on a key press or undo."""
    view = chart.getPlotItem().getViewBox()
    view.updateAutoRange()
    lo, hi = view.viewRange()[1]
    assert (2 * lo, 2 * hi) == (round(2 * lo), round(2 * hi))  # half-decades
    chart.set_projection(project(default_scenario().with_params(growth_pct=36.7)))
    view.updateAutoRange()
    assert view.viewRange()[1] == [lo, hi]
    chart.set_log(False)
    view.updateAutoRange()
    lo, hi = view.viewRange()[1]
    step = 10 ** math.floor(math.log10(hi)) / 10
    assert hi / step == pytest.approx(round(hi / step))


def test_debt_chart_shows_outstanding_paid_and_reinvested(qtbot):
    chart = DebtChart()
    qtbot.addWidget(chart)
    debt = project(
        default_scenario().with_params(debt_compliance_pct=50.0, debt_reinvest_pct=40.0)
    ).debt
    chart.set_schedule(debt)
    _, outstanding = chart.outstanding_curve.getData()
    np.testing.assert_allclose(outstanding, debt.outstanding)
    np.testing.assert_allclose(chart.paid_bars.opts["height"], debt.paid)
    np.testing.assert_allclose(chart.reinvested_bars.opts["height"], debt.reinvested)
    np.testing.assert_allclose(chart.scheduled_bars.opts["height"], debt.scheduled)
    assert debt.reinvested.max() == pytest.approx(0.4 * debt.paid.max())


def test_tornado_bars_and_lever_labels(qtbot):
    chart = TornadoChart()
    qtbot.addWidget(chart)
    scenario = default_scenario()
    rows = sensitivity(scenario)
    chart.set_rows(rows, 2020)
    n = len(rows)
    np.testing.assert_allclose(chart.down_bars.opts["width"], [r.low_delta for r in rows])
    np.testing.assert_allclose(chart.up_bars.opts["width"], [r.high_delta for r in rows])
    ticks = chart.getPlotItem().getAxis("left")._tickLevels[0]
    labels_top_down = [label for _, label in sorted(ticks, key=lambda t: -t[0])]
    assert labels_top_down == chart.lever_labels()
    assert labels_top_down[0].startswith("Annual growth")  # widest swing on top
    assert len(labels_top_down) == n
    assert "2020 P50" in chart.getPlotItem().getAxis("bottom").labelText


def _same_range(a, b) -> bool:
    """Equal up to 1 % of each span: the padding follows the layout by a pixel or two,
    while one wheel notch zooms by about a quarter."""
    return all(
        abs(lo - lo2) < 0.01 * (hi2 - lo2) and abs(hi - hi2) < 0.01 * (hi2 - lo2)
        for (lo, hi), (lo2, hi2) in zip(a, b, strict=True)
    )


class _Arrivals(QObject):
    """Records the types of the events that reach ``widget`` (an event filter), so a test
    can wait for an event to have been delivered instead of waiting some time."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.types: list[QEvent.Type] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        self.types.append(event.type())
        return False


def _wheel_and_drag(widget, qtbot, settle, at: QPoint) -> None:
    """One wheel notch and a left-button drag over ``widget``, as a mouse makes them,
    delivered and handled (with whatever they scheduled) when this returns."""
    from PySide6.QtCore import Qt

    arrivals = _Arrivals(widget.viewport())
    QTest.mouseMove(widget.viewport(), at)
    QTest.wheelEvent(
        widget.window().windowHandle(), widget.mapTo(widget.window(), at), QPoint(0, 120)
    )
    qtbot.waitUntil(lambda: QEvent.Type.Wheel in arrivals.types)
    QTest.mousePress(widget.viewport(), Qt.MouseButton.LeftButton, pos=at)
    for step in range(1, 11):
        QTest.mouseMove(widget.viewport(), at + QPoint(8 * step, 6 * step))
    QTest.mouseRelease(widget.viewport(), Qt.MouseButton.LeftButton, pos=at + QPoint(80, 60))
    qtbot.waitUntil(lambda: QEvent.Type.MouseButtonRelease in arrivals.types)
    widget.viewport().removeEventFilter(arrivals)
    settle(widget)


@pytest.mark.qt_log_ignore("Mouse event .* not accepted")  # the chart ignores it
def test_wheel_and_drag_leave_the_projection_chart_fitted(chart, qtbot, settle):
    # The buttons and menu that would bring "fit" back are hidden, so the mouse must not
    # switch the autorange off: the chart keeps following the scenario.
    chart.set_log(False)
    view = chart.getPlotItem().getViewBox()
    view.updateAutoRange()
    fitted = view.viewRange()
    centre = chart.mapFromScene(view.sceneBoundingRect().center())
    _wheel_and_drag(chart, qtbot, settle, centre)
    assert all(view.autoRangeEnabled())
    view.updateAutoRange()
    assert _same_range(view.viewRange(), fitted)  # not zoomed, not panned
    chart.set_projection(project(default_scenario().with_params(growth_pct=80.0)))
    view.updateAutoRange()
    assert view.viewRange()[1][1] > fitted[1][1] * 5
    # Hovering still reads the figures.
    _hover(chart, qtbot, settle, 2021.2, 500)
    assert chart.readout.isVisible() and chart.crosshair_v.value() == 2021


@pytest.mark.qt_log_ignore("Mouse event .* not accepted")  # the chart ignores it
def test_wheel_and_drag_leave_the_debt_chart_fitted(qtbot, settle):
    chart = DebtChart()
    qtbot.addWidget(chart)
    chart.resize(700, 500)
    chart.set_schedule(project(default_scenario()).debt)
    chart.show()
    qtbot.waitExposed(chart)
    views = [plot.getViewBox() for plot in (chart.outstanding_plot, chart.repayment_plot)]
    # The repayments' years follow the outstanding plot's (linked), not an autorange.
    fitting = [view.autoRangeEnabled() for view in views]
    assert fitting == [[True, True], [False, True]]
    for view in views:
        view.updateAutoRange()
    fitted = [view.viewRange() for view in views]
    for view in views:
        centre = chart.mapFromScene(view.sceneBoundingRect().center())
        _wheel_and_drag(chart, qtbot, settle, centre)
        assert [v.autoRangeEnabled() for v in views] == fitting
    for view, before in zip(views, fitted, strict=True):
        view.updateAutoRange()
        # (The linked years line up by pixels, so they shift with the axis widths.)
        assert _same_range(view.viewRange()[1:], before[1:])


def _debt_ranges(chart: DebtChart) -> list[list[list[float]]]:
    out = []
    for plot in (chart.outstanding_plot, chart.repayment_plot):
        plot.getViewBox().updateAutoRange()
        out.append(plot.getViewBox().viewRange())
    return out


def test_debt_chart_range_hold_follows_the_years_and_restores_what_was_fitting(qtbot):
    from PySide6.QtWidgets import QGraphicsItem

    chart = DebtChart()
    qtbot.addWidget(chart)
    chart.resize(700, 500)
    chart.show()
    qtbot.waitExposed(chart)
    scenario = default_scenario()
    chart.set_schedule(project(scenario).debt)
    before = _debt_ranges(chart)

    # A drag that changes the years: the x-range follows, the y-range holds, and the
    # axes are not kept as pixels (they change on every step).
    chart.set_range_held(True, hold_x=False)
    chart.set_schedule(project(scenario.with_params(horizon_year=2045, debt_writeoff_pct=0.0)).debt)
    during = _debt_ranges(chart)
    for (x0, y0), (x1, y1) in zip(before, during, strict=True):
        assert x1[1] > x0[1] + 10  # follows the years out to 2045
        assert y1 == y0
    for plot in (chart.outstanding_plot, chart.repayment_plot):
        assert plot.getAxis("bottom").cacheMode() == QGraphicsItem.CacheMode.NoCache
    chart.set_range_held(False)
    after = _debt_ranges(chart)
    assert after[0][1][1] > before[0][1][1] * 5  # the y-axis refits on release

    # A drag that cannot change the years holds both ranges, with the axes as pixels.
    chart.set_range_held(True, hold_x=True)
    chart.set_schedule(project(scenario).debt)
    assert _debt_ranges(chart) == after
    assert (
        chart.outstanding_plot.getAxis("left").cacheMode()
        == QGraphicsItem.CacheMode.DeviceCoordinateCache
    )
    chart.set_range_held(False)
    assert _debt_ranges(chart)[0][1][1] < after[0][1][1] / 5

    # Release gives back only the autorange each axis had before the hold.
    outstanding = chart.outstanding_plot.getViewBox()
    outstanding.disableAutoRange(axis=outstanding.YAxis)
    chart.set_range_held(True, hold_x=True)
    chart.set_range_held(False)
    assert not outstanding.autoRangeEnabled()[1]
    assert outstanding.autoRangeEnabled()[0]


def test_projection_chart_range_hold_restores_what_was_fitting(chart):
    view = chart.getPlotItem().getViewBox()
    view.disableAutoRange(axis=view.YAxis)
    chart.set_range_held(True)
    chart.set_range_held(False)
    assert view.autoRangeEnabled()[0] and not view.autoRangeEnabled()[1]
