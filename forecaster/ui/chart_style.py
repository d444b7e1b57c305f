"""What the charts share: pens that keep their width at any screen scale, axes and
text in the palette, and the themed mixin that redraws a chart when the colour scheme
or the screen's scale changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor

from . import theme
from .chart_axes import GridAxis
from .theme import ChartColors


def _pen(color: object, width: float, scale: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine):
    """A pen ``width`` screen points wide at any scale.

    pyqtgraph's pens are cosmetic: their width is in device pixels, which Qt does not
    scale by the device pixel ratio, so at 2x a 1.5 px line came out half as thick and
    a 1 px axis a hairline. ``scale`` is the chart's device pixel ratio (1 for exports).
    """
    return pg.mkPen(color, width=width * scale, style=style)


def _style_plot(plot: pg.PlotItem, colors: ChartColors, scale: float) -> None:
    """Axes, their text and the grid in the palette's foreground (the grid is the axis
    pen at a low alpha; a ``GridAxis`` draws it opaque, mixed with the background, under
    the plot's ViewBox)."""
    plot.showGrid(x=True, y=True, alpha=0.2)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(_pen(colors.foreground, 1, scale))
        axis.setTextPen(pg.mkPen(colors.foreground))
        if isinstance(axis, GridAxis):
            axis.set_grid_background(colors.background)
            axis.setZValue(plot.getViewBox().zValue() - 1)


def _is_look_change(ev: QEvent) -> bool:
    """A palette change (the colour scheme) or a move to a screen of another scale."""
    return theme.is_palette_change(ev) or ev.type() == QEvent.Type.DevicePixelRatioChange


def _set_legend_text(legend: pg.LegendItem, color: str) -> None:
    """LegendItem.setLabelTextColor only stores the colour; each label is redrawn here."""
    legend.setLabelTextColor(color)
    for _sample, label in legend.items:
        label.setText(label.text)


def _set_text_box(item: pg.TextItem, color: str, fill: object, border: object = None) -> None:
    """TextItem takes its fill and border only in its constructor; they are attributes."""
    item.setColor(color)
    item.fill = pg.mkBrush(fill)
    item.border = pg.mkPen(border)
    item.update()


def _line_color(color: object, colors: ChartColors) -> QColor:
    """A line colour that stands out on the chart's background: on a dark chart a dark
    colour is lightened, its hue kept."""
    qcolor = pg.mkColor(color)
    if colors.dark and qcolor.lightness() < 150:
        h, s, _l, a = qcolor.getHsl()
        qcolor = QColor.fromHsl(max(h, 0), s, 165, a)
    return qcolor


def _set_label(line: pg.InfiniteLine, text: str) -> None:
    """Relabel a line only on a change: each relabel lays the text out again."""
    if line.label.format != text:
        line.label.setFormat(text)


def _drop_scene_export(widget: pg.GraphicsView) -> None:
    """Remove pyqtgraph's right-click "Export...": its SVG exporter fails on these plots
    (pyqtgraph#3495); File > Export Chart is the working path."""
    widget.scene().contextMenu = []


def _still_plot(plot: pg.PlotItem) -> None:
    """No context menu, no "A" button, no mouse zoom or pan: with the buttons and menu
    hidden, one wheel notch would switch the autorange off for good. Hovering still works."""
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=False, y=False)


if TYPE_CHECKING:  # the mixin sits ahead of a pyqtgraph widget (Any to mypy: no stubs)
    from pyqtgraph import GraphicsView as _Widget
else:
    _Widget = object


class _Themed(_Widget):
    """What the three charts share (a mixin, ahead of the pyqtgraph widget): named for
    tests and style sheets, no scene "Export...", drawn in a palette with pens scaled for
    the screen, and drawn again when the colour scheme or the screen's scale changes.
    Each chart's ``_recolor`` does its own drawing."""

    _colors: ChartColors | None = None
    _look: tuple[ChartColors, float] | None = None

    def __init__(self, name: str, parent=None, **kwargs) -> None:
        theme.follow_system()
        super().__init__(parent=parent, **kwargs)  # the pyqtgraph widget
        self.setObjectName(name)
        _drop_scene_export(self)

    def _recolor(self, c: ChartColors, k: float) -> None:
        raise NotImplementedError

    @property
    def colors(self) -> ChartColors | None:
        """The palette the chart is drawn in."""
        return self._colors

    def apply_colors(self, colors: ChartColors, pen_scale: float | None = None) -> None:
        """Draw the chart in ``colors`` (the screen's palette, or LIGHT for an export)
        with pens ``pen_scale`` times their width (the screen's device pixel ratio by
        default; 1 for an export); a no-op when it already is."""
        k = self.devicePixelRatioF() if pen_scale is None else pen_scale
        if (colors, k) == self._look:
            return
        self._look = (colors, k)
        self._colors = colors
        self._recolor(colors, k)

    def changeEvent(self, ev: QEvent) -> None:  # noqa: N802 (Qt's name)
        # Not while pyqtgraph's own set-up (which sets a palette role) is under way.
        if _is_look_change(ev) and self.__dict__.get("_colors") is not None:
            self.apply_colors(theme.colors())
        super().changeEvent(ev)
