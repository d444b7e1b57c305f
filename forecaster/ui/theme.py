"""Light and dark colours for the charts and the coloured labels, in one place.

The window follows the system colour scheme: Qt gives the application a dark or a
light palette when the scheme changes (``QStyleHints.colorScheme``, signalled by
``colorSchemeChanged``), and every widget receives a palette-change event. Where a
platform reports the scheme but supplies no palette to match, ``follow_system``
sets one. Which palette is active is read from the application's palette (its
window colour), so the charts always match the window they sit in.

Charts and labels re-apply their colours on the palette-change event
(``is_palette_change``): charts from ``colors()``, labels by their tone
(``set_tone``/``retone``). Exported images use ``LIGHT`` whatever the screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

Rgba = tuple[int, int, int, int]


@dataclass(frozen=True)
class ChartColors:
    """Every colour a chart draws with."""

    dark: bool
    background: str
    foreground: str  # axes, tick labels, titles, legend text
    band: tuple[int, int, int]  # P10-P90 and P25-P75 fills, at two alphas
    p50: str
    deterministic: str
    target: str
    history: str
    label_fill: Rgba  # behind the target and target-year labels
    readout_fill: Rgba
    readout_border: str
    crosshair: Rgba
    shock: str
    shock_fill: Rgba
    outstanding: str
    outstanding_fill: Rgba
    paid: str
    reinvested: str
    scheduled: str
    down: str  # tornado: lever one step down
    up: str
    legend_fill: Rgba


# Each role's colour in the light and in the dark scheme, side by side.
_SCHEMES: dict[str, tuple[Any, Any]] = {  # Any: a colour is a str or an RGB(A) tuple
    "background": ("#ffffff", "#1b1d21"),
    "foreground": ("#202020", "#e2e2e2"),
    "band": ((31, 119, 180), (86, 160, 230)),
    "p50": ("#1f4e9c", "#8cc4ff"),
    "deterministic": ("#e07b00", "#ffa53d"),
    "target": ("#c0392b", "#ff6f61"),
    "history": ("#111111", "#f0f0f0"),
    "label_fill": ((255, 255, 255, 200), (27, 29, 33, 210)),
    "readout_fill": ((255, 255, 255, 225), (40, 43, 48, 235)),
    "readout_border": ("#aaaaaa", "#777777"),
    "crosshair": ((90, 90, 90, 160), (200, 200, 200, 150)),
    "shock": ("#6a1b9a", "#d59cf5"),
    "shock_fill": ((255, 255, 255, 210), (27, 29, 33, 215)),
    "outstanding": ("#7b3f00", "#e0a060"),
    "outstanding_fill": ((123, 63, 0, 40), (224, 160, 96, 50)),
    "paid": ("#9ecae1", "#6baed6"),
    "reinvested": ("#08519c", "#c6dbef"),
    "scheduled": ("#555555", "#bbbbbb"),
    "down": ("#d6604d", "#f4836f"),
    "up": ("#4393c3", "#6cb2e6"),
    "legend_fill": ((255, 255, 255, 210), (40, 43, 48, 220)),
}
LIGHT = ChartColors(dark=False, **{role: pair[0] for role, pair in _SCHEMES.items()})
DARK = ChartColors(dark=True, **{role: pair[1] for role, pair in _SCHEMES.items()})

# Style sheets of the coloured labels, by tone: (light, dark).
_BOX = "padding: 6px; border-radius: 4px;"
_BAR = "padding: 4px 6px;"
TONES: dict[str, tuple[str, str]] = {
    "error": ("color: #c62828;", "color: #ff8a80;"),
    # Something the person may not expect, not a refusal.
    "note": ("color: #8a5a00;", "color: #ffcc80;"),
    "muted": ("color: #666666;", "color: #a8a8a8;"),  # as MUTED
    "reached": (
        f"color: white; background: #2e7d32; {_BOX}",
        f"color: white; background: #2e7d32; {_BOX}",
    ),
    "missed": (
        f"color: white; background: #c62828; {_BOX}",
        f"color: white; background: #b71c1c; {_BOX}",
    ),
    # A scenario that reaches the target while the record shows it was missed.
    "what_if": (
        f"color: #1a237e; background: #e3e7f6; {_BOX}",
        f"color: #dfe3ff; background: #2c3457; {_BOX}",
    ),
    "no_answer": (
        f"color: #555555; background: #e0e0e0; {_BOX}",
        f"color: #d0d0d0; background: #3c3c3c; {_BOX}",
    ),
    "record_missed": (
        f"color: #5d0f0f; background: #fdecea; border-left: 4px solid #c62828; {_BAR}",
        f"color: #ffd6d2; background: #3d2323; border-left: 4px solid #ef5350; {_BAR}",
    ),
    "record": (
        f"color: #263238; background: #eceff1; border-left: 4px solid #78909c; {_BAR}",
        f"color: #dde4e8; background: #2b3236; border-left: 4px solid #90a4ae; {_BAR}",
    ),
    "good_figure": ("color: #2e7d32; font-weight: bold;", "color: #81c784; font-weight: bold;"),
    "bad_figure": ("color: #c62828; font-weight: bold;", "color: #ff8a80; font-weight: bold;"),
}
_TONE = "forecasterTone"
MUTED = (
    "#666666",
    "#a8a8a8",
)  # secondary text in rich text: (light, dark)  # the dynamic property a label's tone is kept in


def is_dark() -> bool:
    """Whether the window is dark now: its palette's window colour is."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def colors() -> ChartColors:
    """The chart colours for the palette in use."""
    return DARK if is_dark() else LIGHT


def is_palette_change(event: QEvent) -> bool:
    """The event a widget gets when the application's palette (the scheme) changes."""
    return event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def tone_style(tone: str, dark: bool | None = None) -> str:
    if not tone:
        return ""
    light_sheet, dark_sheet = TONES[tone]
    return dark_sheet if (is_dark() if dark is None else dark) else light_sheet


def set_tone(widget: QWidget, tone: str) -> None:
    """Colour a label by its meaning ("error", "reached", … or "" for none), in the
    palette in use; ``retone`` re-applies it when the palette changes. Restyles only on
    a change: a style sheet costs a re-polish, and this runs on every slider step."""
    if widget.property(_TONE) != tone:
        widget.setProperty(_TONE, tone)
    sheet = tone_style(tone)
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def tone(widget: QWidget) -> str:
    return widget.property(_TONE) or ""


def retone(root: QWidget) -> None:
    """Re-apply every tone under ``root`` for the palette now in use."""
    for widget in (root, *root.findChildren(QWidget)):
        value = widget.property(_TONE)
        if value is not None:
            set_tone(widget, value)


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style, for platforms that report a dark scheme but
    hand Qt no palette for it (and for tests: offscreen Qt has no system scheme)."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d31",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f2125",
        QPalette.ColorRole.AlternateBase: "#2f3236",
        QPalette.ColorRole.ToolTipBase: "#3a3d42",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#34373c",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6f61",
        QPalette.ColorRole.Light: "#4a4d52",
        QPalette.ColorRole.Midlight: "#3d4045",
        QPalette.ColorRole.Mid: "#26282c",
        QPalette.ColorRole.Dark: "#1a1b1e",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#3d6fc4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb7ff",
        QPalette.ColorRole.LinkVisited: "#c39cf0",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7c7c7c"))
    return palette


_FOLLOWER = "forecaster_scheme_follower"


class _SchemeFollower(QObject):
    """Keeps the application's palette in step with the system colour scheme where the
    platform reports a scheme without giving Qt a palette for it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_FOLLOWER)
        self._app = app
        self._ours = False  # the palette in use is the one set here
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.align)
        self.align(QGuiApplication.styleHints().colorScheme())

    def align(self, scheme: Qt.ColorScheme) -> None:
        if scheme == Qt.ColorScheme.Dark and not is_dark():
            self._ours = True
            self._app.setPalette(dark_palette())
        elif scheme == Qt.ColorScheme.Light and self._ours:
            self._ours = False
            self._app.setPalette(self._app.style().standardPalette())


def follow_system() -> None:
    """Start following the system colour scheme (once per application; idempotent)."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.findChild(QObject, _FOLLOWER) is None:
        _SchemeFollower(app)
