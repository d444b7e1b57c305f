"""``forecaster --smoke-test``: open the window, wait for its first painted frame, report, exit.

CI runs this on the frozen bundle (offscreen) to prove the packaged window really
starts, and ``benchmarks/bench_startup.py`` uses the time it prints. The time is
honest in two ways:

- It counts from the *process* start, read from the kernel (``/proc/self/stat``
  field 22 against ``CLOCK_BOOTTIME`` on Linux, ``GetProcessTimes`` on Windows), so it
  includes the PyInstaller bootloader (and the re-exec it does to set its library
  path), interpreter start-up and every import, not just the part after Python ran
  our first line. Linux counts process start in clock ticks (10 ms), so the figure
  is good to about ±0.01 s. Elsewhere it falls back to the time since this module
  was imported and says so.
- "Painted" means the chart itself was drawn and the frame handed to the window
  system: an event filter sees the chart viewport's first ``Paint`` event, and a 0 ms
  timer queued from there fires only after Qt has finished that repaint and flushed
  the backing store. Afterwards the window's pixels are read back (where the platform
  allows) and must show at least three colours.

The application is made by ``forecaster.ui.app.make_application``, as ``run_gui``
makes it, but only the main window opens: no offer to restore autosaved work (a
modal question would hang an unattended run), and the window is never closed
through ``closeEvent``, so a smoke test leaves the user's saved window layout alone.
"""

from __future__ import annotations

import os
import sys
import time

_IMPORTED_AT = time.monotonic()
TIMEOUT_MS = 60_000
EXIT_FAILED = 1


def process_age() -> tuple[float, str]:
    """Seconds since this process started, and the clock that says so."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/stat", "rb") as f:
                stat = f.read()
            # Field 2 (the command name) may hold spaces and parentheses: split after it.
            start_ticks = int(stat.rsplit(b")", 1)[1].split()[19])
            now = time.clock_gettime(time.CLOCK_BOOTTIME)
            return now - start_ticks / os.sysconf("SC_CLK_TCK"), "/proc/self/stat"
        except (OSError, ValueError, IndexError, AttributeError):
            pass
    elif sys.platform == "win32":
        try:
            return _windows_process_age(), "GetProcessTimes"
        except OSError:
            pass
    return (
        time.monotonic() - _IMPORTED_AT,
        "import of forecaster.ui.smoke (no process start time here)",
    )


def _windows_process_age() -> float:
    if sys.platform != "win32":  # also tells type checkers the rest is Windows only
        raise OSError("GetProcessTimes is a Windows function")
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    creation, exited, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
    if not kernel32.GetProcessTimes(
        kernel32.GetCurrentProcess(),
        ctypes.byref(creation),
        ctypes.byref(exited),
        ctypes.byref(kernel),
        ctypes.byref(user),
    ):
        raise ctypes.WinError(ctypes.get_last_error())
    kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

    def ticks(ft: wintypes.FILETIME) -> int:  # 100 ns units
        return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

    return (ticks(now) - ticks(creation)) / 1e7


def run_smoke_test(path: str | None = None) -> int:
    """Open the window (default scenario, or ``path``), report the first frame, return 0.

    Any failure returns non-zero after one line on stderr.
    """
    try:
        return _run(path)
    except Exception as e:  # noqa: BLE001 - the contract is one line and a status, whatever broke
        _fail(f"{type(e).__name__}: {e}")
        return EXIT_FAILED


def _fail(message: str) -> None:
    one_line = " ".join(str(message).split())
    print(f"forecaster: smoke test failed: {one_line}", file=sys.stderr)


def _run(path: str | None) -> int:
    from forecaster.ui.app import EXIT_NO_DISPLAY, NO_DISPLAY_MESSAGE, display_available

    marks = {"python": process_age()[0]}
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return EXIT_NO_DISPLAY

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QGraphicsView

    from forecaster.ui.app import make_application
    from forecaster.ui.main_window import OPEN_READ_ONLY, MainWindow

    marks["imports"] = process_age()[0]
    app = make_application()  # as run_gui makes it, so the smoke test starts what a user starts

    errors: list[str] = []
    previous_hook = sys.excepthook

    def on_error(kind, error, tb) -> None:  # an exception escaping a slot or event handler
        errors.append(f"{kind.__name__}: {error}")
        app.exit(EXIT_FAILED)

    sys.excepthook = on_error
    try:
        # A file open in another Forecaster opens read-only: no question to hang on.
        window = MainWindow(path, in_use=OPEN_READ_ONLY) if path else MainWindow()
        marks["built"] = process_age()[0]

        class FirstFrame(QObject):
            """Sees the first Paint of the watched widgets; reports once Qt has flushed it."""

            def __init__(self) -> None:
                super().__init__()
                self.seen = False
                self.painted_at: tuple[float, str] | None = None

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if not self.seen and event.type() == QEvent.Type.Paint:
                    self.seen = True
                    # Runs after this repaint (and its backing-store flush) has finished.
                    QTimer.singleShot(0, self.after_flush)
                return False

            def after_flush(self) -> None:
                self.painted_at = process_age()
                app.exit(0)

        first_frame = FirstFrame()
        # Watch the charts: the frame counts once a plot has drawn, not just the chrome.
        # Charts in hidden tabs never paint, so only the visible ones are watched.
        views = [v for v in window.findChildren(QGraphicsView) if v.isVisibleTo(window)]
        watched = [v.viewport() for v in views] or [window]
        for widget in watched:
            widget.installEventFilter(first_frame)
        QTimer.singleShot(TIMEOUT_MS, lambda: app.exit(EXIT_FAILED))

        window.show()
        marks["shown"] = process_age()[0]
        status = app.exec()
        if errors:
            _fail(errors[0])
            return EXIT_FAILED
        if first_frame.painted_at is None:
            _fail(
                f"no frame painted within {TIMEOUT_MS // 1000} s"
                if status == EXIT_FAILED
                else f"the event loop ended (status {status}) before a frame was painted"
            )
            return EXIT_FAILED
        blank = _blank_reason(app, window)
        if blank:
            _fail(blank)
            return EXIT_FAILED
        seconds, clock = first_frame.painted_at
        print(
            f"first frame painted {seconds:.3f} s after process start "
            f"(python ready {marks['python']:.3f}, Qt and window modules imported "
            f"{marks['imports']:.3f}, window built {marks['built']:.3f}, shown "
            f"{marks['shown']:.3f}; {len(watched)} chart(s) watched; "
            f"platform {app.platformName()}; process start from {clock})"
        )
        for widget in watched:
            widget.removeEventFilter(first_frame)
        window.hide()
        window.deleteLater()
        return 0
    finally:
        sys.excepthook = previous_hook


def _blank_reason(app, window) -> str:
    """Why the window's pixels show nothing (empty when they show something or cannot be read)."""
    screen = window.screen() or app.primaryScreen()
    if screen is None:
        return ""
    image = screen.grabWindow(window.winId()).toImage()
    if image.isNull() or image.width() == 0 or image.height() == 0:
        return ""  # the platform cannot read windows back (e.g. Wayland): nothing to check
    w, h = image.width(), image.height()
    colours = {
        image.pixel(x * (w - 1) // 31, y * (h - 1) // 31) for x in range(32) for y in range(32)
    }
    if len(colours) < 3:
        return f"the window's {w}x{h} pixels are blank ({len(colours)} colour(s))"
    return ""
