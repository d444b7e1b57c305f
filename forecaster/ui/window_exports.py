"""The window's export commands: the table as CSV, a chart as PNG or SVG, the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from forecaster.io import SUFFIX
from forecaster.io.files import display_name
from forecaster.ui.window_files import STATUS_MS, FileCommands, commit_pending_edit, file_stem

# chart_image and exporting (and pyqtgraph's exporters they load) are imported by the
# commands that use them, not before the window's first frame.


class ExportCommands(FileCommands):
    """File > Export, a layer of ``MainWindow``."""

    # --- export --------------------------------------------------------------
    def export_table(self) -> bool:
        from forecaster.ui.exporting import CSV_FILTER, export_table_csv

        commit_pending_edit()
        self.view.refresh_now()
        projection = self.view.current_projection
        if projection is None:
            self._show_error("Could not export the table", "The projection is not ready yet.")
            return False
        start = self.preferences.last_folder() / (self._export_stem() + ".csv")
        path = self._ask_save_path("Export Table as CSV", start, CSV_FILTER, ".csv")
        if path is None:
            return False
        history = self.document.history
        if not self._export(
            "Could not export the table",
            path,
            lambda force: export_table_csv(path, projection, history, replace_read_only=force),
        ):
            return False
        self.preferences.set_last_folder(path.parent)
        self.statusBar().showMessage(f"Exported {display_name(path)}", STATUS_MS)
        return True

    def export_chart(self, kind: str) -> bool:
        """Ask for a size and a file, then write the projection chart as "png" or "svg"."""
        from forecaster.ui.chart_image import caption_for, export_explained
        from forecaster.ui.exporting import PNG_FILTER, SVG_FILTER, ChartSizeDialog

        chart = self.view.projection_chart
        on_screen = (max(chart.width(), 800), max(chart.height(), 500))
        width, height = self.preferences.export_size(on_screen)
        size = ChartSizeDialog.get_size(self, width, height, f"Export Chart as {kind.upper()}")
        if size is None:
            return False
        width, height = size
        self.preferences.set_export_size(width, height)
        suffix, file_filter = (".png", PNG_FILTER) if kind == "png" else (".svg", SVG_FILTER)
        start = self.preferences.last_folder() / (self._export_stem() + suffix)
        path = self._ask_save_path(f"Export Chart as {kind.upper()}", start, file_filter, suffix)
        if path is None:
            return False
        commit_pending_edit()
        self.view.refresh_now()
        result = self.view.current_answer
        if result is None:
            self._show_error("Could not export the chart", "The scenario has no answer yet.")
            return False
        caption = caption_for(self.view.projected_scenario, result)
        if not self._export(
            "Could not export the chart",
            path,
            lambda force: export_explained(
                chart, caption, path, width, height, replace_read_only=force
            ),
        ):
            return False
        self.preferences.set_last_folder(path.parent)
        self.statusBar().showMessage(
            f"Exported {display_name(path)} ({width} × {height})", STATUS_MS
        )
        return True

    def export_report(self) -> bool:
        """The one-page PDF report of the scenario on screen; the page size is chosen with
        the file type (A4 or Letter, the locale's first)."""
        from forecaster.ui.exporting import write_file_atomically
        from forecaster.ui.report import PAGE_SIZES, default_page_size, report_pdf

        commit_pending_edit()
        self.view.refresh_now()
        projection, result = self.view.current_projection, self.view.current_answer
        if projection is None or result is None:
            self._show_error("Could not export the report", "The scenario has no answer yet.")
            return False
        names = {"a4": "A4", "letter": "Letter"}
        first = default_page_size()
        pages = [first] + [p for p in PAGE_SIZES if p != first]
        filters = {f"PDF, {names[p]} page (*.pdf)": p for p in pages}
        start = self.preferences.last_folder() / (self._export_stem() + ".pdf")
        chosen: list[str] = []
        path = self._ask_save_path(
            "Export Report as PDF", start, ";;".join(filters), ".pdf", chosen
        )
        if path is None:
            return False
        page = filters.get(chosen[0] if chosen else "", first)
        scenario = self.view.projected_scenario
        log = self.view.projection_chart.is_log()
        if not self._export(
            "Could not export the report",
            path,
            lambda force: write_file_atomically(
                path,
                report_pdf(scenario, projection, self.document.history, result, page, log=log)[0],
                force,
            ),
        ):
            return False
        self.preferences.set_last_folder(path.parent)
        self.statusBar().showMessage(
            f"Exported {display_name(path)} ({names[page]} page)", STATUS_MS
        )
        return True

    def _export_stem(self) -> str:
        """Exports are named after the scenario's file ("plan.forecast.json" gives "plan"),
        or after the scenario when it has no file yet."""
        path = self.document.path
        if path is not None:
            name = path.name
            if name.lower().endswith(SUFFIX):
                name = name[: -len(SUFFIX)]
            return file_stem(name)
        return file_stem(self.document.scenario.name)

    def _export(self, title: str, path: Path, write: Callable[[bool], object]) -> bool:
        """Run an export; a read-only target is replaced only when the user agrees."""
        from forecaster.ui.exporting import ExportError, ReadOnlyExport

        try:
            write(False)
        except ReadOnlyExport:
            if not self._confirm_replace_read_only(path):
                return False
            try:
                write(True)
            except ExportError as e:
                self._show_error(title, str(e))
                return False
        except ExportError as e:
            self._show_error(title, str(e))
            return False
        return True
