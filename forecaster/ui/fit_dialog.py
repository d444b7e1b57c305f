"""Scenario > Fit to History: growth and volatility estimated from the record (issue 11).

The person picks the years and whether to leave out the changes into years where one
of the scenario's shocks starts; the dialog shows the estimates with their 90%
intervals as they change, and Apply sets growth and volatility (on their controls' step,
inside their ranges) and appends what was fitted to the scenario's notes, all in one
undo step. The dialog is modeless and follows the document (its shocks may change
while it is open). Figures and words come from the engine and its formatting module.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine.calibration import (
    FitError,
    FittedParams,
    HistoryFit,
    figures,
    fit_history,
    fitted_params,
)
from forecaster.engine.formatting import (
    fit_applied_text,
    fit_growth_text,
    fit_note,
    fit_scope,
    fit_volatility_text,
    sentence,
)
from forecaster.engine.history import HistorySeries
from forecaster.engine.messages import error_text
from forecaster.engine.params import Scenario, ScenarioError

from .document import ScenarioDocument

UNDO_TEXT = "Fit growth and volatility to history"


class FitDialog(QDialog):
    """Year range, the shock-year option, the estimates and Apply."""

    sigApplied = Signal(object)  # the HistoryFit applied

    def __init__(
        self, document: ScenarioDocument, history: HistorySeries, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fit_dialog")
        self.setWindowTitle("Fit to History")
        self.document = document
        self._history = history
        self._fit: HistoryFit | None = None
        self._error = ""
        years = sorted(figures(history))
        first, last = (years[0], years[-1]) if years else (1992, 2050)

        intro = QLabel(
            "Estimate yearly growth and its volatility from the record's changes from one "
            "year to the next (a year without a figure breaks the chain). The 90% "
            "intervals show how little a dozen years can pin down."
        )
        intro.setWordWrap(True)
        self.first_spin = QSpinBox()
        self.first_spin.setObjectName("fit_first")
        self.last_spin = QSpinBox()
        self.last_spin.setObjectName("fit_last")
        for spin, value in ((self.first_spin, first), (self.last_spin, last)):
            spin.setRange(first, last)
            spin.setValue(value)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self.refit)
        years_row = QHBoxLayout()
        years_row.addWidget(self.first_spin)
        years_row.addWidget(QLabel("to"))
        years_row.addWidget(self.last_spin)
        years_row.addStretch(1)
        self.exclude_check = QCheckBox()
        self.exclude_check.setObjectName("fit_exclude_shock_years")
        self.exclude_check.setToolTip(
            "Leave out each change into a year where one of this scenario's shocks starts: "
            "the shock explains that change, so it should not count as ordinary volatility."
        )
        self.exclude_check.toggled.connect(self.refit)

        self.scope_label = QLabel()
        self.scope_label.setObjectName("fit_scope")
        self.growth_label = QLabel()
        self.growth_label.setObjectName("fit_growth")
        self.volatility_label = QLabel()
        self.volatility_label.setObjectName("fit_volatility")
        self.apply_label = QLabel()
        self.apply_label.setObjectName("fit_apply_note")
        self.apply_label.setWordWrap(True)
        for label in (self.scope_label, self.growth_label, self.volatility_label, self.apply_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.apply_label.setStyleSheet("color: #444;")

        form = QFormLayout()
        form.addRow("Years:", years_row)
        form.addRow("", self.exclude_check)
        form.addRow("Used:", self.scope_label)
        form.addRow("Growth:", self.growth_label)
        form.addRow("Volatility:", self.volatility_label)

        buttons = QDialogButtonBox()
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setObjectName("fit_apply")
        self.apply_button.setToolTip(
            "Set growth and volatility to the fit and note it in the scenario (one undo step)"
        )
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ApplyRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.apply_label)
        layout.addStretch(1)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(600)

        document.sigScenarioChanged.connect(self._on_scenario_changed)
        self._on_scenario_changed(document.scenario)

    # --- public API ----------------------------------------------------
    @property
    def fit(self) -> HistoryFit | None:
        """The fit shown (None when the years hold too few changes)."""
        return self._fit

    @property
    def error(self) -> str:
        return self._error

    def fitted(self) -> FittedParams | None:
        return None if self._fit is None else fitted_params(self._fit)

    def set_years(self, first: int, last: int) -> None:
        self.first_spin.setValue(first)
        self.last_spin.setValue(last)

    def refit(self) -> None:
        first, last = self.first_spin.value(), self.last_spin.value()
        try:
            self._fit = fit_history(
                self._history,
                first,
                last,
                shocks=self.document.scenario.shocks,
                exclude_shock_years=self.exclude_check.isChecked(),
            )
            self._error = ""
        except FitError as e:
            self._fit = None
            self._error = sentence(str(e).removeprefix("fit: "))
        self._show()

    def apply(self) -> bool:
        """Growth and volatility from the fit, and the notes, in one undo step."""
        fit, fitted = self._fit, self.fitted()
        if fit is None or fitted is None:
            return False
        notes = self.document.scenario.notes.rstrip()
        note = fit_note(fit, fitted)
        try:
            self.document.set_params(
                fitted.as_changes(), UNDO_TEXT, notes=f"{notes}\n\n{note}" if notes else note
            )
        except ScenarioError as e:
            self._error = error_text(e)
            self._show()
            return False
        self.sigApplied.emit(fit)
        return True

    # --- internals -----------------------------------------------------
    def _on_scenario_changed(self, scenario: Scenario) -> None:
        starts = sorted({s.start_year for s in scenario.shocks})
        if starts:
            self.exclude_check.setText(
                "Leave out the shock years (" + ", ".join(str(y) for y in starts) + ")"
            )
            self.exclude_check.setEnabled(True)
        else:
            self.exclude_check.setText("Leave out the shock years (this scenario has none)")
            self.exclude_check.setEnabled(False)
        self.refit()

    def _show(self) -> None:
        fit = self._fit
        if fit is None:
            self.scope_label.setText(
                f"<span style='color:#b00020'>{html.escape(self._error)}</span>"
            )
            for label in (self.growth_label, self.volatility_label):
                label.setText("—")
            self.apply_label.setText("")
            self.apply_button.setEnabled(False)
            return
        fitted = fitted_params(fit)
        self.scope_label.setText(html.escape(fit_scope(fit)))
        self.growth_label.setText(html.escape(fit_growth_text(fit)))
        self.volatility_label.setText(html.escape(fit_volatility_text(fit)))
        error = (
            f"<br><span style='color:#b00020'>{html.escape(self._error)}</span>"
            if self._error
            else ""
        )
        self.apply_label.setText(
            f"Apply sets {html.escape(fit_applied_text(fitted))}, and adds the fit to the "
            f"scenario's notes (one undo step).{error}"
        )
        self.apply_button.setEnabled(True)
