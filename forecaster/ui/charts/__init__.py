"""The scenario's charts: the path toward the target, the debt, and the tornado.

Every chart creates its plot items once and afterwards only feeds them new
arrays with ``setData``/``setOpts`` (the pyqtgraph habit from PlotSpeedTest), so
a slider step costs a few array copies and one repaint, never a rebuild.
Charts only draw what they are given; they never compute a projection. They import
the engine, ``theme`` and ``overlay``, never another widget module.

* ``style``: pens, palette, the themed mixin the three charts share;
* ``axes``: the money axis and the range held during a drag;
* ``projection``: the projection chart; ``debt``, ``tornado``: the other two.
"""

from .axes import MoneyAxis
from .debt import DebtChart
from .projection import (
    SHOCK_LABEL_SLOTS,
    SHOCK_LABEL_WIDTH,
    ProjectionChart,
    shock_name,
    shock_summary,
)
from .style import _drop_scene_export, _style_plot
from .tornado import TornadoChart

__all__ = [
    "SHOCK_LABEL_SLOTS",
    "SHOCK_LABEL_WIDTH",
    "DebtChart",
    "MoneyAxis",
    "ProjectionChart",
    "TornadoChart",
    "_drop_scene_export",
    "_style_plot",
    "shock_name",
    "shock_summary",
]
