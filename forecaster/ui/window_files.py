"""The window's file commands: New, Open, presets, Save and Save As, reload, recent files.

A failed load or save is reported in a dialog that names the problem, and the open
document is left exactly as it was. A file held elsewhere is offered read-only or as
a copy; a file changed by someone else since it was loaded is overwritten only when
the user agrees.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
)

from forecaster.engine import Scenario, ScenarioError
from forecaster.engine.projection import NotEnoughMemory, project
from forecaster.io import (
    SUFFIX,
    load_preset,
    save_scenario,
)
from forecaster.io.files import changed_since, display_name, display_path
from forecaster.io.scenario_file import (
    MAX_BYTES,
    ReadOnlyScenarioFile,
    ScenarioFileError,
    load_scenario_stamped,
)
from forecaster.ui import notices
from forecaster.ui.file_guard import holder_of, same_file
from forecaster.ui.window_parts import WindowParts

SCENARIO_FILTER = f"Forecaster scenarios (*{SUFFIX})"
OPEN_FILTERS = f"{SCENARIO_FILTER};;All files (*)"
STATUS_MS = 5000
# The smallest window every screen is laid out for (a small laptop less the panel).

# Buttons of the questions the window asks about its file.
OPEN_READ_ONLY, OPEN_COPY, CANCEL = "Open Read-Only", "Open a Copy", "Cancel"
OVERWRITE, SAVE_AS = "Overwrite", "Save As…"
REPLACE = "Replace"


class FileInUse(ScenarioFileError):
    """The user chose not to open a file another window or Forecaster holds."""


def check_computable(scenario: Scenario, path: Path | None = None) -> None:
    """Raise ScenarioFileError when the scenario's draws do not fit in memory, so a file
    that cannot be computed is refused at the door instead of half-opening."""
    try:
        project(scenario)
    except NotEnoughMemory as e:
        where = f"{display_name(path)}: " if path is not None else ""
        raise ScenarioFileError(f"{where}{e}") from None


def with_suffix(path: str | os.PathLike[str], suffix: str) -> Path:
    """``path`` ending in ``suffix`` (".forecast.json", ".png"...), added when missing."""
    path = Path(path)
    name = path.name
    if name.lower().endswith(suffix.lower()):
        return path
    # "plan.forecast" + ".json", not "plan.forecast.forecast.json"
    for n in range(1, suffix.count(".")):
        head = "." + ".".join(suffix.split(".")[1 : n + 1])
        if name.lower().endswith(head.lower()):
            return path.with_name(name + suffix[len(head) :])
    return path.with_name(name + suffix)


def commit_pending_edit() -> None:
    """A number typed but not yet confirmed (no Enter, focus still in the box) counts:
    Save and the unsaved-changes check must see what the user sees."""
    widget = QApplication.focusWidget()
    if isinstance(widget, QAbstractSpinBox):
        widget.interpretText()
    elif isinstance(widget, QLineEdit) and widget.isModified():
        widget.editingFinished.emit()


def file_stem(name: str) -> str:
    """A scenario name made safe as a file name on every platform."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")
    return stem or "scenario"


class FileCommands(WindowParts):
    """The File menu's document commands, a layer of ``MainWindow``."""

    # --- documents -----------------------------------------------------------
    def new_scenario(self) -> bool:
        if not self.maybe_save("starting a new scenario"):
            return False
        self.read_only = False
        self.document.replace_all(Scenario(name="Untitled"), None)
        self._hold_file()
        self.statusBar().showMessage("New scenario", STATUS_MS)
        return True

    def open_preset(self, name: str) -> bool:
        if not self.maybe_save(f"opening the preset “{name}”"):
            return False
        try:
            scenario = load_preset(name)
        except ScenarioError as e:
            self._show_error("Could not open the preset", str(e))
            return False
        self.read_only = False
        self.document.replace_all(scenario, None)
        self._hold_file()
        self.statusBar().showMessage(f"Opened the preset “{scenario.name}”", STATUS_MS)
        return True

    def open_file(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Open ``path``, or ask for a file; False when cancelled or it failed."""
        if not self.maybe_save("opening another scenario"):
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "Open Scenario", str(self.preferences.last_folder()), OPEN_FILTERS
            )
            if not name:
                return False
            path = name
        return self._load(Path(path).absolute())

    def save(self) -> bool:
        commit_pending_edit()
        if self.document.path is None or self.read_only:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        commit_pending_edit()
        start = (
            self.document.path
            if self.document.path is not None
            else self.preferences.last_folder() / (file_stem(self.document.scenario.name) + SUFFIX)
        )
        path = self._ask_save_path("Save Scenario As", start, SCENARIO_FILTER, SUFFIX)
        return path is not None and self._save_to(path)

    def _ask_save_path(
        self,
        title: str,
        start: Path,
        file_filter: str,
        suffix: str,
        chosen_filter: list[str] | None = None,
    ) -> Path | None:
        """Ask for a file to write; the suffix is added when missing, and a file that
        name then hits (which the dialog never saw) is only replaced if the user agrees.
        The filter the user picked is appended to ``chosen_filter`` when given."""
        name, picked = QFileDialog.getSaveFileName(self, title, str(start), file_filter)
        if not name:
            return None
        if chosen_filter is not None:
            chosen_filter.append(picked)
        path = with_suffix(name, suffix).absolute()
        if path != Path(name).absolute() and os.path.lexists(path):
            answer = QMessageBox.question(
                self,
                title,
                f"{display_name(path)} already exists.\n\nReplace it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return path

    def maybe_save(self, doing: str = "closing") -> bool:
        """Ask Save / Discard / Cancel when there are unsaved changes; True to go on."""
        commit_pending_edit()
        if not self.document.modified:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"“{self.document.scenario.name}” has unsaved changes.\n\nSave them before {doing}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _load(self, path: Path) -> bool:
        try:
            scenario, stamp = load_scenario_stamped(path)
            check_computable(scenario, path)
        except ScenarioError as e:
            if not os.path.lexists(path):
                self.preferences.remove_recent_file(path)
                self._fill_recent_menu()
            self._show_error("Could not open the scenario", str(e))
            return False
        opened_as = self._claim(path)
        if opened_as == CANCEL:
            return False
        self.read_only = opened_as == OPEN_READ_ONLY
        keep_path = path if opened_as != OPEN_COPY else None
        if keep_path is None or self.read_only:
            self.file_lock.release()
        self.document.replace_all(scenario, keep_path, stamp=stamp)
        self._hold_file()
        self._remember_file(path)
        how = {OPEN_READ_ONLY: " read-only", OPEN_COPY: " as a copy"}.get(opened_as, "")
        self.statusBar().showMessage(f"Opened {display_name(path)}{how}", STATUS_MS)
        return True

    def _claim(self, path: Path, in_use: str = "") -> str:
        """Take the lock on ``path`` for this window: "" when taken; else, as the user
        chooses (or ``in_use`` says, without asking), OPEN_READ_ONLY, OPEN_COPY or CANCEL."""
        holder = self.file_lock.take(path)
        if holder is None:
            return ""
        if in_use:
            return in_use
        return notices.choose(
            self if self.isVisible() else None,
            "File Already Open",
            f"\u201c{display_name(path)}\u201d is open in {holder.describe()}.\n\n"
            "Edits in two places would overwrite each other. Open it read-only (to look, "
            "or to save under another name), or open a copy?",
            [OPEN_READ_ONLY, OPEN_COPY, CANCEL],
            default=OPEN_READ_ONLY,
            escape=CANCEL,
        )

    def _hold_file(self) -> None:
        """After the document's file changed (open, save, restore): lock and watch it."""
        path = self.document.path
        if path is not None and not self.read_only:
            self.file_lock.take(path)
        else:
            self.file_lock.release()
        self.file_watch.watch(path, self.document.stamp)
        self.notice_bar.dismiss("changed_on_disk")

    def _save_to(self, path: Path) -> bool:
        name = display_name(path)
        own_file = same_file(path, self.document.path) and not self.read_only
        if not own_file:
            holder = holder_of(path)
            if holder is not None and not self.file_lock.holds(path):
                self._show_error(
                    "Could not save the scenario",
                    f"{name} is open in {holder.describe()}.\n\n"
                    "Close it there first, or save under another name.",
                )
                return False
        elif changed_since(path, self.document.stamp, MAX_BYTES) == "changed":
            answer = notices.choose(
                self,
                "File Changed on Disk",
                f"\u201c{name}\u201d was changed on disk since you opened or last saved "
                "it (by another program, or another Forecaster).\n\n"
                "Overwrite those changes with yours, or save yours under another name?",
                [OVERWRITE, SAVE_AS, CANCEL],
                default=SAVE_AS,
                escape=CANCEL,
                icon=QMessageBox.Icon.Warning,
            )
            if answer == SAVE_AS:
                return self.save_as()
            if answer != OVERWRITE:
                return False
        replace_read_only = False
        while True:
            try:
                stamp = save_scenario(
                    self.document.scenario, path, replace_read_only=replace_read_only
                )
                break
            except ReadOnlyScenarioFile:
                if replace_read_only or not self._confirm_replace_read_only(path):
                    return False
                replace_read_only = True
            except ScenarioError as e:  # ScenarioFileError included
                self._show_error("Could not save the scenario", str(e))
                return False
            except OSError as e:
                self._show_error("Could not save the scenario", f"{name}: {e.strerror or e}")
                return False
        self.read_only = False
        self.document.mark_saved(path, stamp)
        self._hold_file()
        self._remember_file(path)
        self.statusBar().showMessage(f"Saved {name}", STATUS_MS)
        return True

    def _confirm_replace_read_only(self, path: Path) -> bool:
        answer = notices.choose(
            self,
            "Read-Only File",
            f"\u201c{display_name(path)}\u201d is read-only.\n\n"
            "Replace it anyway? It stays read-only afterwards.",
            [REPLACE, CANCEL],
            default=CANCEL,
            escape=CANCEL,
            icon=QMessageBox.Icon.Warning,
        )
        return answer == REPLACE

    def reload(self) -> bool:
        """Read the document's file again (after someone else changed it)."""
        path = self.document.path
        if path is None:
            return False
        if self.document.modified:
            answer = QMessageBox.question(
                self,
                "Reload",
                f"Reload \u201c{display_name(path)}\u201d from disk?\n\n"
                "Your unsaved changes are discarded.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return False
        try:
            scenario, stamp = load_scenario_stamped(path)
            check_computable(scenario, path)
        except ScenarioError as e:
            self._show_error("Could not reload the scenario", str(e))
            return False
        self.document.replace_all(scenario, path, stamp=stamp)
        self._hold_file()
        self.statusBar().showMessage(f"Reloaded {display_name(path)}", STATUS_MS)
        return True

    def _remember_file(self, path: Path) -> None:
        self.preferences.add_recent_file(path)
        self.preferences.set_last_folder(path.parent)
        if hasattr(self, "recent_menu"):
            self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu: QMenu = self.recent_menu
        menu.clear()
        recent = self.preferences.recent_files()
        for i, path in enumerate(recent, start=1):
            escaped = display_name(path).replace("&", "&&")
            # "&1" gives the first nine entries a keyboard accelerator.
            action = menu.addAction(f"&{i} {escaped}" if i < 10 else escaped)
            action.setToolTip(display_path(path))
            action.setStatusTip(display_path(path))
            action.setData(display_path(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))
        if not recent:
            empty = menu.addAction("No recent files")
            empty.setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction("&Clear Recent Files")
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self._on_clear_recent_triggered)
        menu.setToolTipsVisible(True)

    def _on_clear_recent_triggered(self) -> None:
        self.preferences.clear_recent_files()
        self._fill_recent_menu()
