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

    from PySide6.QtWidgets import QApplication

    from forecaster.ui import crash
    from forecaster.ui.about import app_icon
    from forecaster.ui.settings import APPLICATION, ORGANIZATION

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("forecaster")
    app.setWindowIcon(app_icon())
    crash.install()

    windows = open_windows(path)  # noqa: F841 (keeps the windows alive while the app runs)
    return app.exec()


def open_windows(path: str | None = None) -> list:
    """The windows a start opens: the file asked for (or the default), and any
    unsaved work from a session that died, each restored in its own window if
    the user agrees."""
    from PySide6.QtWidgets import QMessageBox

    from forecaster.io import ScenarioFileError
    from forecaster.ui.autosave import ask_to_restore, pending_recoveries
    from forecaster.ui.main_window import MainWindow

    windows = []
    problem = None
    if path:
        try:
            windows.append(MainWindow(path))
        except ScenarioFileError as e:
            problem = str(e)
    for recovery in pending_recoveries():
        if ask_to_restore(None, recovery):
            window = MainWindow()
            window.restore(recovery)
            windows.append(window)
    if not windows:
        windows.append(MainWindow())
    for window in windows:
        window.show()
    if problem is not None:
        QMessageBox.critical(
            windows[0],
            "Could not open the scenario",
            f"{problem}\n\nThe default scenario is open instead.",
        )
    return windows
