"""Start the window: ``run_gui(path)`` is what ``forecaster`` (no --headless) calls.

Qt aborts the whole process with a core dump when no display can be opened, so
the check for one happens before QApplication exists and ends in one line that
points to ``--headless``. Once the window runs, ``crash.install`` turns an
unexpected error into a dialog and a log entry, never a traceback on screen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt is imported only once a display is known to be there
    from PySide6.QtWidgets import QApplication

    from forecaster.ui.main_window import MainWindow

EXIT_NO_DISPLAY = 2
NO_DISPLAY_MESSAGE = (
    "forecaster: no display available; run 'forecaster --headless' for a text summary"
)

# Qt platform plugins that draw without a window system.
_PLATFORMS_WITHOUT_DISPLAY = frozenset(
    {
        "offscreen",
        "minimal",
        "minimalegl",
        "vnc",
        "eglfs",
        "linuxfb",
        "vkkhrdisplay",
        "directfb",
        "webgl",
    }
)


def display_available(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> bool:
    """Whether Qt can open its platform plugin here without aborting."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    # Qt 6 takes a ";"-separated fallback list, each entry optionally with ":options".
    requested = [
        p.split(":")[0].strip().lower()
        for p in environ.get("QT_QPA_PLATFORM", "").split(";")
        if p.strip()
    ]
    if any(p in _PLATFORMS_WITHOUT_DISPLAY for p in requested):
        return True
    if not (platform.startswith("linux") or "bsd" in platform):
        return True  # Windows and macOS always have their window system
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def run_gui(path: str | None = None) -> int:
    """Open the window (with ``path`` if given) and run until it closes; the exit status."""
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return EXIT_NO_DISPLAY

    from forecaster.ui import crash

    app = make_application()
    crash.install()

    windows = open_windows(path)  # noqa: F841 (keeps the windows alive while the app runs)
    return app.exec()


def make_application() -> QApplication:
    """The QApplication, set up as every start of the window needs it (``run_gui`` and
    ``forecaster --smoke-test``): the names QSettings files its preferences under, the
    desktop entry that groups its windows, and the window icon. Reuses the one that
    exists (under pytest-qt, for instance)."""
    from PySide6.QtWidgets import QApplication

    from forecaster.ui.about import app_icon
    from forecaster.ui.settings import APPLICATION, ORGANIZATION

    existing = QApplication.instance()
    if existing is None:
        app = QApplication(sys.argv[:1])
    elif isinstance(existing, QApplication):
        app = existing
    else:  # a QCoreApplication or QGuiApplication cannot show widgets
        raise RuntimeError(
            f"a {type(existing).__name__} exists already; the window needs a QApplication"
        )
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("forecaster")
    app.setWindowIcon(app_icon())
    return app


def open_windows(path: str | None = None) -> list[MainWindow]:
    """The windows a start opens: the file asked for (or the default), and any
    unsaved work from a session that died, offered in one dialog and each restored
    in its own window — except work on the file already opened, which is restored
    into that window, so no file is ever open twice."""
    from PySide6.QtWidgets import QMessageBox

    from forecaster.engine import ScenarioError
    from forecaster.ui.autosave import ask_which_to_restore, pending_recoveries
    from forecaster.ui.file_guard import same_file
    from forecaster.ui.main_window import FileInUse, MainWindow

    windows: list[MainWindow] = []
    problems: list[tuple[str, str]] = []
    if path:
        try:
            windows.append(MainWindow(path))
        except FileInUse:
            pass  # the user chose not to open it; the default opens instead
        except ScenarioError as e:
            problems.append(("Could not open the scenario", str(e)))
    for recovery in ask_which_to_restore(None, pending_recoveries()):
        target = next(
            (w for w in windows if same_file(w.document.path, recovery.document_path)), None
        )
        window = target or MainWindow()
        try:
            window.restore(recovery)
        except ScenarioError as e:
            problems.append(("Could not restore unsaved work", str(e)))
            if target is None:
                window.deleteLater()
            continue
        if target is None:
            windows.append(window)
    default_only = not windows
    if default_only:
        windows.append(MainWindow())
    for window in windows:
        window.show()
    for title, problem in problems:
        instead = "\n\nThe default scenario is open instead." if default_only else ""
        QMessageBox.critical(windows[0], title, f"{problem}{instead}")
    return windows
