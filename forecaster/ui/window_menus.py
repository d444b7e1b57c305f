"""The window's actions (with their shortcuts and tips) and its menu bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QWhatsThis,
)

from forecaster.io import (
    list_presets,
)
from forecaster.ui.fit_dialog import FitDialog
from forecaster.ui.window_scenario import ScenarioCommands


class WindowMenus(ScenarioCommands):
    """Actions and menus, a layer of ``MainWindow``."""

    # --- building ----------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        shortcut: QKeySequence.StandardKey | str | None = None,
        fallback: str = "",
        tip: str = "",
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            # Some platforms bind no key to a standard action (Quit on generic Linux
            # themes, Save As on Windows); the fallback is the common one.
            keys = QKeySequence.keyBindings(shortcut) or (
                [QKeySequence(fallback)] if fallback else []
            )
            action.setShortcuts(keys)
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        if name:
            action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action(
            "&New",
            self.new_scenario,
            shortcut=key.New,
            tip="Start a new scenario from the default settings",
            name="action_new",
        )
        self.open_action = self._action(
            "&Open…",
            self.open_file,
            shortcut=key.Open,
            tip="Open a scenario file",
            name="action_open",
        )
        self.save_action = self._action(
            "&Save", self.save, shortcut=key.Save, tip="Save the scenario", name="action_save"
        )
        self.save_as_action = self._action(
            "Save &As…",
            self.save_as,
            shortcut=key.SaveAs,
            fallback="Ctrl+Shift+S",
            tip="Save the scenario under a new name",
            name="action_save_as",
        )
        self.export_csv_action = self._action(
            "Table as &CSV…",
            self.export_table,
            name="action_export_csv",
            tip="Write the per-year figures as a CSV table",
        )
        self.export_png_action = self._action(
            "Chart as &PNG…",
            lambda: self.export_chart("png"),
            name="action_export_png",
            tip="Save the projection chart as a PNG image",
        )
        self.export_svg_action = self._action(
            "Chart as &SVG…",
            lambda: self.export_chart("svg"),
            name="action_export_svg",
            tip="Save the projection chart as an SVG drawing",
        )
        self.export_report_action = self._action(
            "&Report as PDF…",
            self.export_report,
            name="action_export_report",
            tip="Write a one-page report: verdict, chart, figures, parameters, shocks, sources",
        )
        self.quit_action = self._action(
            "&Quit", self.close, shortcut=key.Quit, fallback="Ctrl+Q", name="action_quit"
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(key.Undo)
        self.undo_action.setObjectName("action_undo")
        self.redo_action = stack.createRedoAction(self, "&Redo")
        # Ctrl+Y too, whatever the platform's own redo key is (Ctrl+Shift+Z on Linux).
        redo_keys = QKeySequence.keyBindings(key.Redo)
        for extra in ("Ctrl+Y", "Ctrl+Shift+Z"):
            if QKeySequence(extra) not in redo_keys:
                redo_keys.append(QKeySequence(extra))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.setObjectName("action_redo")
        self.addActions([self.undo_action, self.redo_action])
        self.rename_action = self._action(
            "Re&name Scenario…",
            self.rename_scenario,
            name="action_rename",
            tip="Change the scenario's name",
        )
        self.notes_action = self._action(
            "Edit &Notes…",
            self.edit_notes,
            name="action_notes",
            tip="Write notes kept in the scenario file",
        )

        self.fit_history_action = self._action(
            "&Fit to History…",
            self.fit_to_history,
            name="action_fit_history",
            tip="Estimate growth and volatility from the record, with 90% intervals, and apply them",
        )
        self.fit_dialog: FitDialog | None = None

        self.update_on_release_action = QAction("Update Charts Only on &Release", self)
        self.update_on_release_action.setObjectName("action_update_on_release")
        self.update_on_release_action.setCheckable(True)
        self.update_on_release_action.setStatusTip(
            "Redraw when a slider is let go instead of while it moves (for slow machines)"
        )
        self.update_on_release_action.setChecked(self.preferences.update_on_release())
        self.view.set_update_on_release(self.update_on_release_action.isChecked())
        self.update_on_release_action.toggled.connect(self._on_update_on_release_changed)

        self.about_action = self._action("&About Forecaster", self.about, name="action_about")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.model_help_action = self._action(
            "The &Model…",
            self.model_help,
            shortcut=QKeySequence.StandardKey.HelpContents,
            fallback="F1",
            name="action_model_help",
            tip="The model's formulas and every parameter's range, default and meaning",
        )
        self.whats_this_action = QWhatsThis.createAction(self)  # Shift+F1
        self.whats_this_action.setObjectName("action_whats_this")
        self.addAction(self.whats_this_action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recent_menu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        export_menu = file_menu.addMenu("&Export")
        export_menu.addAction(self.export_report_action)
        export_menu.addSeparator()
        export_menu.addActions(
            [self.export_csv_action, self.export_png_action, self.export_svg_action]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.rename_action)
        edit_menu.addAction(self.notes_action)

        scenario_menu = bar.addMenu("&Scenario")
        scenario_menu.setObjectName("scenario_menu")
        scenario_menu.addAction(self.fit_history_action)

        self.presets_menu = bar.addMenu("&Presets")
        self.presets_menu.setObjectName("presets_menu")
        self.preset_actions: dict[str, QAction] = {}
        for name in list_presets():
            action = self.presets_menu.addAction(name)
            action.setStatusTip(f"Open the shipped scenario “{name}”")
            action.triggered.connect(lambda _checked=False, n=name: self.open_preset(n))
            self.preset_actions[name] = action

        compare_menu = bar.addMenu("&Compare")
        compare_menu.addAction(self.compare.pin_action)
        compare_menu.addAction(self.compare.remove_action)
        compare_menu.addAction(self.compare.clear_action)
        compare_menu.addSeparator()
        show_compare = self.compare.toggleViewAction()
        show_compare.setText("Compare &Panel (pins and what changed)")
        compare_menu.addAction(show_compare)

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.update_on_release_action)
        view_menu.addAction(show_compare)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.model_help_action)
        help_menu.addAction(self.whats_this_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
