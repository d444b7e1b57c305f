"""Compare: pin scenarios as coloured overlays and see what changed since.

A pin is a frozen copy of a scenario with its projection, computed once when
pinned (the engine is deterministic for a scenario, so there is nothing to
refresh). The chart draws pins through ``ScenarioView.set_overlays``; the dock
lists them and, for the selected pin, every parameter and shock that differs
from the open scenario, with both target-year P50s.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine import PARAMS, SPECS, Projection, Scenario, Shock, project
from forecaster.engine.answer import verdict_of
from forecaster.engine.formatting import money
from forecaster.ui.document import ScenarioDocument
from forecaster.ui.overlay import OVERLAY_COLORS, Overlay

# The chart's overlay palette: chosen there to stand apart from its own lines.
PIN_COLORS = OVERLAY_COLORS


@dataclass(frozen=True)
class Pin:
    name: str
    color: str  # "#rrggbb"
    scenario: Scenario
    projection: Projection

    @property
    def target_p50(self) -> float:
        return self.projection.at_target_year(50)

    @property
    def verdict(self) -> str:
        """The pin's verdict by the one rule."""
        return verdict_of(self.target_p50, self.projection.target_musd)


@dataclass(frozen=True)
class Difference:
    """One row of the "what changed" table; values already formatted for reading."""

    key: str  # parameter key, or "shock"
    label: str
    pinned: str
    current: str
    unit: str


def format_value(key: str, value: float | int) -> str:
    spec = SPECS[key]
    if spec.kind == "int":
        return f"{int(value)}"
    return f"{value:.{spec.decimals}f}"


def describe_shock(shock: Shock) -> str:
    heal = (
        "permanent" if shock.half_life_years is None else f"half-life {shock.half_life_years:g} y"
    )
    text = f"{shock.start_year}: −{shock.depth_pct:g}%, {heal}"
    return f"{shock.label} ({text})" if shock.label else text


def scenario_differences(pinned: Scenario, current: Scenario) -> list[Difference]:
    """Parameters that differ (table order), then shocks only in one of the two.

    Shocks form a multiset: a shock present in both is unchanged wherever it sits
    in the list; leftovers are paired in start-year order so an edited shock reads
    as one row "old -> new" instead of a removal and an addition.
    """
    rows = [
        Difference(
            spec.key,
            spec.label,
            format_value(spec.key, pinned.params[spec.key]),
            format_value(spec.key, current.params[spec.key]),
            spec.unit,
        )
        for spec in PARAMS
        if pinned.params[spec.key] != current.params[spec.key]
    ]
    only_pinned = Counter(pinned.shocks)
    only_pinned.subtract(Counter(current.shocks))
    only_current = Counter(current.shocks)
    only_current.subtract(Counter(pinned.shocks))
    removed = sorted(only_pinned.elements(), key=lambda s: (s.start_year, s.depth_pct))
    added = sorted(only_current.elements(), key=lambda s: (s.start_year, s.depth_pct))
    for i in range(max(len(removed), len(added))):
        rows.append(
            Difference(
                "shock",
                "Sanction shock",
                describe_shock(removed[i]) if i < len(removed) else "none",
                describe_shock(added[i]) if i < len(added) else "none",
                "",
            )
        )
    return rows


class PinBoard(QObject):
    """The pinned scenarios, in pin order; the one place that changes them."""

    sigPinsChanged = Signal(object)  # tuple[Pin, ...]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pins: list[Pin] = []

    @property
    def pins(self) -> tuple[Pin, ...]:
        return tuple(self._pins)

    def pin(
        self, scenario: Scenario, name: str | None = None, projection: Projection | None = None
    ) -> Pin:
        """Pin ``scenario``; pass its projection when it is at hand, to skip recomputing."""
        pin = Pin(
            self._unique_name(name or scenario.name),
            self._free_color(),
            scenario,
            projection if projection is not None else project(scenario),
        )
        self._pins.append(pin)
        self.sigPinsChanged.emit(self.pins)
        return pin

    def remove(self, index: int) -> None:
        del self._pins[index]
        self.sigPinsChanged.emit(self.pins)

    def clear(self) -> None:
        if self._pins:
            self._pins.clear()
            self.sigPinsChanged.emit(self.pins)

    def rename(self, index: int, name: str) -> None:
        name = " ".join(name.split())
        old = self._pins[index]
        if not name or name == old.name:
            self.sigPinsChanged.emit(self.pins)  # lets the list put the old name back
            return
        others = [p for i, p in enumerate(self._pins) if i != index]
        self._pins[index] = Pin(
            self._unique_name(name, others), old.color, old.scenario, old.projection
        )
        self.sigPinsChanged.emit(self.pins)

    def _unique_name(self, name: str, among: list[Pin] | None = None) -> str:
        taken = {p.name for p in (self._pins if among is None else among)}
        if name not in taken:
            return name
        n = 2
        while f"{name} ({n})" in taken:
            n += 1
        return f"{name} ({n})"

    def _free_color(self) -> str:
        used = Counter(p.color for p in self._pins)
        # The least used colour, earliest in the palette: unique until the palette runs out.
        return min(PIN_COLORS, key=lambda c: (used[c], PIN_COLORS.index(c)))


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class CompareDock(QDockWidget):
    """The pin list and the "what changed" table for the selected pin."""

    HEADERS = ("Setting", "Pinned", "Current", "Unit")

    # The pins as the projection chart draws them (the window passes them on).
    sigOverlaysChanged = Signal(list)

    def __init__(self, document: ScenarioDocument, parent: QWidget | None = None) -> None:
        super().__init__("Compare", parent)
        self.setObjectName("compare_dock")
        self.document = document
        # The projection on screen and the scenario it is of (see ``set_current``).
        self._current: Projection | None = None
        self._current_scenario: Scenario | None = None
        self.board = PinBoard(self)

        self.pin_action = QAction("&Pin Current Scenario", self)
        self.pin_action.setStatusTip("Keep the current scenario on the chart as a coloured overlay")
        self.pin_action.triggered.connect(self.pin_current)
        self.remove_action = QAction("&Remove Selected Pin", self)
        self.remove_action.triggered.connect(self.remove_selected)
        self.clear_action = QAction("&Clear All Pins", self)
        self.clear_action.triggered.connect(self.board.clear)
        # Short labels on the dock's buttons keep it narrow; menus show the full text.
        for action, short in (
            (self.pin_action, "Pin"),
            (self.remove_action, "Remove"),
            (self.clear_action, "Clear"),
        ):
            action.setIconText(short)
            action.setToolTip(action.text().replace("&", ""))

        self.pin_list = QListWidget()
        self.pin_list.setObjectName("pin_list")
        self.pin_list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.pin_list.setToolTip("Pinned scenarios. Double-click or press F2 to rename.")
        self.pin_list.currentRowChanged.connect(self._on_selected_pin_changed)
        self.pin_list.itemChanged.connect(self._on_pin_name_changed)

        buttons = QHBoxLayout()
        for action in (self.pin_action, self.remove_action, self.clear_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.p50_label = QLabel()
        self.p50_label.setObjectName("p50_label")
        self.p50_label.setWordWrap(True)
        self.p50_label.setTextFormat(Qt.TextFormat.PlainText)
        self.changes_table = QTableWidget(0, len(self.HEADERS))
        self.changes_table.setObjectName("changes_table")
        self.changes_table.setHorizontalHeaderLabels(self.HEADERS)
        self.changes_table.verticalHeader().setVisible(False)
        self.changes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes_table.setWordWrap(False)
        header = self.changes_table.horizontalHeader()
        # Columns as wide as their text, so pinned and current values sit side by side.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(90)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        # Laid out side by side for the bottom dock area: the window's columns
        # (controls, charts, summary) have no width to spare for a fourth.
        pins_side = QWidget()
        pins_layout = QVBoxLayout(pins_side)
        pins_layout.setContentsMargins(0, 0, 0, 0)
        pins_layout.addLayout(buttons)
        pins_layout.addWidget(self.pin_list)
        changes_side = QWidget()
        changes_layout = QVBoxLayout(changes_side)
        changes_layout.setContentsMargins(0, 0, 0, 0)
        changes_layout.addWidget(QLabel("<b>What changed</b> (selected pin → current)"))
        changes_layout.addWidget(self.p50_label)
        changes_layout.addWidget(self.changes_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(pins_side)
        splitter.addWidget(changes_side)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.setWidget(splitter)

        self._changes_stale = False
        self.board.sigPinsChanged.connect(self._on_pins_changed)
        document.sigScenarioChanged.connect(self._on_scenario_changed)
        self.visibilityChanged.connect(self._on_visibility_changed)
        self._on_pins_changed(self.board.pins)

    # --- actions ---------------------------------------------------------
    def pin_current(self) -> Pin:
        scenario = self.document.scenario
        shown = self._current if self._current_scenario == scenario else None
        pin = self.board.pin(scenario, projection=shown)
        self.pin_list.setCurrentRow(len(self.board.pins) - 1)
        self.show()
        self.raise_()
        return pin

    def remove_selected(self) -> None:
        row = self.pin_list.currentRow()
        if 0 <= row < len(self.board.pins):
            self.board.remove(row)

    def selected_pin(self) -> Pin | None:
        row = self.pin_list.currentRow()
        pins = self.board.pins
        return pins[row] if 0 <= row < len(pins) else None

    # --- reactions -----------------------------------------------------
    def _on_pins_changed(self, pins: tuple[Pin, ...]) -> None:
        row = self.pin_list.currentRow()
        with QSignalBlocker(self.pin_list):
            # Update items in place: a rename arrives from inside the item's own
            # itemChanged, so rebuilding the list would delete the item being edited.
            while self.pin_list.count() > len(pins):
                self.pin_list.takeItem(self.pin_list.count() - 1)
            while self.pin_list.count() < len(pins):
                item = QListWidgetItem()
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.pin_list.addItem(item)
            for i, pin in enumerate(pins):
                item = self.pin_list.item(i)
                item.setIcon(_swatch(pin.color))
                item.setText(pin.name)
                item.setToolTip(
                    f"{pin.name}: target-year P50 ${pin.target_p50:,.0f}M "
                    f"in {pin.projection.target_year}. Double-click to rename."
                )
            if pins:
                self.pin_list.setCurrentRow(min(max(row, 0), len(pins) - 1))
        self.remove_action.setEnabled(bool(pins))
        self.clear_action.setEnabled(bool(pins))
        self.sigOverlaysChanged.emit([Overlay(p.name, p.color, p.projection) for p in pins])
        self._refresh_changes()

    def _on_pin_name_changed(self, item: QListWidgetItem) -> None:
        self.board.rename(self.pin_list.row(item), item.text())

    def _on_selected_pin_changed(self, _row: int) -> None:
        self._refresh_changes()

    def _on_scenario_changed(self, _scenario: Scenario) -> None:
        # Off the slider-to-pixels path while the panel is closed: caught up when it opens.
        if self.isHidden():
            self._changes_stale = True
        else:
            self._refresh_changes()

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible and self._changes_stale:
            self._refresh_changes()

    def set_current(self, projection: Projection | None, scenario: Scenario | None) -> None:
        """The projection now on screen, and the scenario it is of: pinning the shown
        scenario reuses it, and the P50 line compares the pin with it."""
        self._current, self._current_scenario = projection, scenario
        self._refresh_p50()

    # --- drawing ---------------------------------------------------------
    def _refresh_changes(self) -> None:
        self._changes_stale = False
        pin = self.selected_pin()
        rows = [] if pin is None else scenario_differences(pin.scenario, self.document.scenario)
        table = self.changes_table
        table.setRowCount(len(rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(rows):
            for c, text in enumerate((row.label, row.pinned, row.current, row.unit)):
                cell = QTableWidgetItem(text)
                if c in (1, 2) and row.key != "shock":
                    cell.setTextAlignment(right)
                table.setItem(r, c, cell)
        self._refresh_p50()

    def _refresh_p50(self) -> None:
        pin = self.selected_pin()
        if pin is None:
            self.p50_label.setText(
                "Pin the current scenario (Compare ▸ Pin Current Scenario), then change "
                "settings: the chart keeps the pin as an overlay and this table lists "
                "what differs."
            )
            return
        current = self._current
        now = (
            f"current {money(current.at_target_year(50))} in {current.target_year}"
            if current is not None
            else "current: not computed yet"
        )
        same = "" if self.changes_table.rowCount() else "\nSame settings as the current scenario."
        self.p50_label.setText(
            f"Target-year P50: pinned “{pin.name}” {money(pin.target_p50)} in "
            f"{pin.projection.target_year} ({pin.verdict} the target); {now}.{same}"
        )

    def differences(self) -> list[Difference]:
        pin = self.selected_pin()
        return [] if pin is None else scenario_differences(pin.scenario, self.document.scenario)
