"""The Table tab: the per-year figures, to read and to paste into a spreadsheet.

One row per projected year: P10 to P90, the deterministic path, the debt, the
actual figure and its series (the CSV export's rows, ``forecaster.io.export``).
Cells show figures as people read them; Copy (Ctrl+C, or the button) puts
tab-separated text with a header row on the clipboard, figures as plain numbers to
6 decimals (the CSV's, ``forecaster.io.export.table_cells``), so a spreadsheet
pastes them as cells of numbers. Copy takes the selected cells, or the whole table
when nothing is selected.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine.formatting import table_figure
from forecaster.engine.history import HistorySeries
from forecaster.engine.projection import Projection
from forecaster.io.export import TABLE_COLUMNS, table_cells, table_rows

# The columns shown (and copied): header as people read it, and the CSV column.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Year", "year"),
    ("P10 ($M)", "p10_musd"),
    ("P25 ($M)", "p25_musd"),
    ("P50 ($M)", "p50_musd"),
    ("P75 ($M)", "p75_musd"),
    ("P90 ($M)", "p90_musd"),
    ("Deterministic ($M)", "deterministic_musd"),
    ("Debt outstanding ($M)", "debt_outstanding_musd"),
    ("Debt repaid ($M)", "debt_paid_musd"),
    ("Repaid as trade ($M)", "debt_trade_musd"),
    ("Actual ($M)", "actual_musd"),
    ("Actual: flag", "actual_flag"),
    ("Actual: series", "actual_series"),
)
_INDEX = [TABLE_COLUMNS.index(key) for _, key in COLUMNS]


class YearTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[list[object]] = []

    def set_rows(self, rows: list[list[object]]) -> None:
        self.beginResetModel()
        self._rows = [[row[i] for i in _INDEX] for row in rows]
        self.endResetModel()

    def rowCount(self, parent=None) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent=None) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def value(self, row: int, column: int) -> object:
        return self._rows[row][column]

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        v = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if v is None:
                return "—" if COLUMNS[index.column()][1] == "actual_musd" else ""
            return table_figure(v) if isinstance(v, float) else str(v)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = isinstance(v, int | float) or COLUMNS[index.column()][1] == "actual_musd"
            return int(
                (Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignVCenter
            )
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(v, float):
            return table_cells([v])[0]
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return None

    def tsv(self, rows: list[int] | None = None, columns: list[int] | None = None) -> str:
        """Tab-separated text with a header row; plain numbers (see the module notes)."""
        rows = list(range(len(self._rows))) if rows is None else rows
        columns = list(range(len(COLUMNS))) if columns is None else columns
        lines = ["\t".join(COLUMNS[c][0] for c in columns)]
        for r in rows:
            cells = table_cells([self._rows[r][c] for c in columns])
            lines.append("\t".join(cell.replace("\t", " ") for cell in cells))
        return "\n".join(lines) + "\n"


class _YearTable(QTableView):
    """QTableView copies only the current cell on Ctrl+C; this one copies the selection
    as TableTab.copy does."""

    def __init__(self, tab: TableTab) -> None:
        super().__init__()
        self.setObjectName("year_table")
        self._tab = tab

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.matches(QKeySequence.StandardKey.Copy):
            self._tab.copy()
            event.accept()
            return
        super().keyPressEvent(event)


class TableTab(QWidget):
    """The per-year figures of the projection on screen, with Copy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("table_tab")
        self.model = YearTableModel(self)
        self.view = _YearTable(self)
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.copy_button = QPushButton("&Copy Table")
        self.copy_button.setObjectName("copy_table")
        self.copy_button.setToolTip(
            "Copy the selected cells (or the whole table) as tab-separated text with headers, "
            "to paste into a spreadsheet"
        )
        self.copy_button.clicked.connect(self.copy)
        hint = QLabel("Figures in $M; pasted as plain numbers (6 decimals at most).")
        hint.setStyleSheet("color: #555555")
        bar = QHBoxLayout()
        bar.addWidget(hint, 1)
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def set_projection(self, projection: Projection, history: HistorySeries | None) -> None:
        self.model.set_rows(table_rows(projection, history))

    def selected_text(self) -> str:
        """What Copy puts on the clipboard."""
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return self.model.tsv()
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        return self.model.tsv(rows, columns)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.selected_text())
