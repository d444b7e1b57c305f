"""Errors nobody expected: logged, shown in a dialog, and the app keeps running.

An uncaught exception in a slot or event handler would otherwise print a
traceback to a terminal the user never sees (or abort). Instead it is written to
a rotating log file in the app's log folder, with Qt's own warnings, and the
user gets a short message with a copyable report.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from forecaster import __version__
from forecaster.io.files import display_path, open_regular

log = logging.getLogger("forecaster")
_showing = False  # a crash dialog is open
log_problem: str | None = None  # why the log file cannot be written, for the window to say


class SafeRotatingFileHandler(RotatingFileHandler):
    """The rotating log, opened only as a regular file and without blocking: a named
    pipe in its place would otherwise stop start-up in open(). Text the log file cannot
    encode (a file name that is not UTF-8) is escaped instead of failing the record."""

    def _open(self):  # type: ignore[no-untyped-def]
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        fd = open_regular(self.baseFilename, flags, 0o644)
        return os.fdopen(fd, "a", encoding=self.encoding, errors="backslashreplace")


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base) / "logs"


def setup_logging(folder: Path | None = None) -> Path | None:
    """Send the app's log and Qt's messages to logs/forecaster.log (rotated at 1 MB x 3)."""
    global log_problem
    folder = folder or log_folder()
    path = folder / "forecaster.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = SafeRotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError as e:
        reason = e.strerror or str(e)
        log_problem = (
            f"The log cannot be written: {display_path(path)}: {reason}. "
            "Error reports are shown but not kept."
        )
        print(f"forecaster: cannot write the log {display_path(path)}: {reason}", file=sys.stderr)
        return None
    log_problem = None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for old in [h for h in log.handlers if isinstance(h, RotatingFileHandler)]:
        log.removeHandler(old)
        old.close()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    qInstallMessageHandler(_on_qt_message)
    return path


def _on_qt_message(mode: QtMsgType, context: object, message: str) -> None:
    logging.getLogger("forecaster.qt").log(_QT_LEVELS.get(mode, logging.WARNING), message)


def report_text(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    return (
        f"Forecaster {__version__} on Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}\n\n"
        + "".join(traceback.format_exception(exc_type, exc, tb))
    )


def handle_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """sys.excepthook: log the report and show it; the event loop carries on."""
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    report = report_text(exc_type, exc, tb)
    log.error("uncaught exception\n%s", report)
    if QApplication.instance() is None:
        print(report, file=sys.stderr)
        return
    if _showing:
        # An error that repeats (a timer, a repaint) while the dialog is up goes to the
        # log only: one dialog, not a pile of them.
        return
    _showing = True
    try:
        _show_report(exc_type, exc, report)
    finally:
        _showing = False


def _show_report(exc_type: type[BaseException], exc: BaseException, report: str) -> None:
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Something went wrong")
    box.setText(
        f"Forecaster hit an unexpected error and stopped that action:\n\n"
        f"{exc_type.__name__}: {str(exc)[:300]}\n\n"
        f"Your scenario is still open. The details are in the log:\n{log_folder()}"
    )
    box.setDetailedText(report)
    copy = box.addButton("Copy report", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()
    if box.clickedButton() is copy:
        QGuiApplication.clipboard().setText(report)


def install() -> Path | None:
    path = setup_logging()
    sys.excepthook = handle_exception
    return path
