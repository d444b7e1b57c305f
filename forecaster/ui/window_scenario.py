"""The window's scenario commands: rename, notes, fit to history, help and about."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit

from forecaster.engine import ScenarioError
from forecaster.engine.messages import error_text
from forecaster.ui.fit_dialog import FitDialog
from forecaster.ui.window_exports import ExportCommands


class ScenarioCommands(ExportCommands):
    """Edit, Scenario, View and Help commands (a layer of ``MainWindow``)."""

    # --- scenario name and notes ------------------------------------------
    def rename_scenario(self) -> bool:
        name, ok = QInputDialog.getText(
            self,
            "Rename Scenario",
            "Scenario name:",
            QLineEdit.EchoMode.Normal,
            self.document.scenario.name,
        )
        if not ok:
            return False
        try:
            self.document.set_name(" ".join(name.split()) or "Untitled")
        except ScenarioError as e:
            self._show_error("Could not rename the scenario", error_text(e))
            return False
        return True

    def edit_notes(self) -> bool:
        notes, ok = QInputDialog.getMultiLineText(
            self, "Scenario Notes", "Notes kept with the scenario:", self.document.scenario.notes
        )
        if not ok:
            return False
        try:
            self.document.set_notes(notes)
        except ScenarioError as e:
            self._show_error("Could not change the notes", error_text(e))
            return False
        return True

    def fit_to_history(self) -> FitDialog:
        """Show the (modeless) Fit to History dialog for this window's scenario."""
        if self.fit_dialog is None:
            self.fit_dialog = FitDialog(self.document, self.view.history, self)
        self.fit_dialog.show()
        self.fit_dialog.raise_()
        self.fit_dialog.activateWindow()
        return self.fit_dialog

    # --- help ------------------------------------------------------------------
    def about(self):
        """Help > About: version, data sources and licence (a non-blocking dialog)."""
        from forecaster.ui.about import show_about

        return show_about(self)

    def model_help(self):
        """Help > The model (F1): formulas and parameters, beside the window (not modal)."""
        from forecaster.ui.help import show_model_help

        return show_model_help(self)

    def _on_update_on_release_changed(self, on: bool) -> None:
        self.view.set_update_on_release(on)
        self.preferences.set_update_on_release(on)
