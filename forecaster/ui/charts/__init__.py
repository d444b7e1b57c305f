"""The scenario's charts: the path toward the target, the debt, and the tornado.

Every chart creates its plot items once and afterwards only feeds them new
arrays with ``setData``/``setOpts`` (the pyqtgraph habit from PlotSpeedTest), so
a slider step costs a few array copies and one repaint, never a rebuild.
Charts only draw what they are given; they never compute a projection. They import
the engine, ``theme`` and ``overlay``, never another widget module.

* ``projection``: the projection chart; ``debt``, ``tornado``: the other two.

What they share with the backtest tab and the exported images lives beside the
package, outside the widgets: ``ui/chart_style.py`` (pens, palette, the themed
mixin) and ``ui/chart_axes.py`` (the money axis, nice ranges, the range held
during a drag).
"""

from .debt import DebtChart
from .projection import (
    SHOCK_LABEL_SLOTS,
    SHOCK_LABEL_WIDTH,
    ProjectionChart,
    shock_name,
    shock_summary,
)
from .tornado import TornadoChart

__all__ = [
    "SHOCK_LABEL_SLOTS",
    "SHOCK_LABEL_WIDTH",
    "DebtChart",
    "ProjectionChart",
    "TornadoChart",
    "shock_name",
    "shock_summary",
]
