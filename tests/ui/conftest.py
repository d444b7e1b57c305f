"""Window tests never touch real preferences and never block on a dialog.

``isolated_settings`` (autouse) points QSettings at a fresh temporary folder.
``dialogs`` (autouse) replaces the static dialog calls (QMessageBox, QFileDialog,
QInputDialog, the chart-size dialog, ``notices.choose``, the restore dialog) and any
other modal ``exec``: a test queues the answers it wants with
``dialogs.answer(kind, value)``; an unanswered question fails the test at once
instead of hanging it. Notices (critical, warning,
information, about) need no answer and are recorded in ``dialogs.shown``.

No test waits a fixed time (tests/test_test_hygiene.py holds them to it). To wait for
something that must happen, ``qtbot.waitUntil`` or ``qtbot.waitSignal``; to show that
something did *not* happen, ``settle(obj)`` first, so the event loop has provably run
everything that could have made it happen; for a child process,
``until_child(child, condition, what)``.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox
from pytestqt.exceptions import TimeoutError as QtTimeoutError


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Qt's offscreen plugin warns whenever a shown window's minimum size changes
    # (a dock appears) or a window is raised (a modeless dialog brought to the front);
    # real platforms support both, so the warnings say nothing here.
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(
                pytest.mark.qt_log_ignore(
                    "This plugin does not support propagateSizeHints",
                    r"This plugin does not support raise\(\)",
                )
            )


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@dataclass
class Shown:
    kind: str
    title: str
    text: str


@dataclass
class DialogRecorder:
    shown: list[Shown] = field(default_factory=list)
    _answers: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))

    def answer(self, kind: str, *values: Any) -> None:
        """Queue answers for ``kind``: question, save_file, open_file, get_text,
        get_multiline_text, chart_size, choice (a button label of ``notices.choose``),
        restore ("all", "none", None for Decide Later, or the indexes to restore)."""
        self._answers[kind].extend(values)

    def of(self, kind: str) -> list[Shown]:
        return [s for s in self.shown if s.kind == kind]

    def take(self, kind: str, title: str, text: str) -> Any:
        self.shown.append(Shown(kind, title, text))
        if not self._answers[kind]:
            raise AssertionError(f"unexpected {kind} dialog: {title!r}: {text!r}")
        return self._answers[kind].popleft()

    def note(self, kind: str, title: str, text: str) -> QMessageBox.StandardButton:
        self.shown.append(Shown(kind, title, text))
        return QMessageBox.StandardButton.Ok


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> DialogRecorder:
    rec = DialogRecorder()

    def question(parent, title, text, *args, **kwargs):
        return rec.take("question", title, text)

    def notice(kind):
        return lambda parent, title, text, *args, **kwargs: rec.note(kind, title, text)

    def file_dialog(kind):
        def ask(parent=None, caption="", folder="", filter="", *args, **kwargs):
            answer = rec.take(kind, caption, f"{folder} [{filter}]")
            return (str(answer), filter.split(";;")[0]) if answer else ("", "")

        return ask

    def get_text(parent, title, label, *args, **kwargs):
        answer = rec.take("get_text", title, label)
        return ("", False) if answer is None else (answer, True)

    def get_multiline_text(parent, title, label, *args, **kwargs):
        answer = rec.take("get_multiline_text", title, label)
        return ("", False) if answer is None else (answer, True)

    def modal_exec(self, *args, **kwargs):
        raise AssertionError(
            f"unexpected modal dialog: {type(self).__name__} {self.windowTitle()!r}"
        )

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(notice(kind)))
    monkeypatch.setattr(
        QMessageBox,
        "about",
        staticmethod(lambda parent, title, text: rec.note("about", title, text)),
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(file_dialog("save_file")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(file_dialog("open_file")))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(get_multiline_text))
    monkeypatch.setattr(QDialog, "exec", modal_exec)
    monkeypatch.setattr(QMessageBox, "exec", modal_exec)

    def choose(parent, title, text, choices, default, escape, *args, **kwargs):
        answer = rec.take("choice", title, text)
        assert answer in choices, f"{answer!r} is not one of {choices}"
        return answer

    def restore_choose(parent, recoveries):
        text = "\n".join(f"{r.scenario.name} | {r.document_path}" for r in recoveries)
        answer = rec.take("restore", "Restore Unsaved Work", text)
        if answer is None:
            return None
        if answer == "all":
            return list(recoveries), []
        if answer == "none":
            return [], list(recoveries)
        keep = [r for i, r in enumerate(recoveries) if i in answer]
        return keep, [r for r in recoveries if r not in keep]

    try:
        from forecaster.ui import notices
        from forecaster.ui.autosave import RestoreDialog
        from forecaster.ui.exporting import ChartSizeDialog
    except ImportError:  # the window's modules are not all there (other test layers)
        pass
    else:
        monkeypatch.setattr(notices, "choose", choose)
        monkeypatch.setattr(RestoreDialog, "choose", staticmethod(restore_choose))
        monkeypatch.setattr(
            ChartSizeDialog,
            "get_size",
            staticmethod(
                lambda parent, width, height, title="": rec.take(
                    "chart_size", title, f"{width}x{height}"
                )
            ),
        )
    return rec


@pytest.fixture
def window(qtbot):
    """A MainWindow on the default scenario; closed without the save prompt at the end."""
    from forecaster.ui import MainWindow

    def forget_changes(w) -> None:
        w.document.undo_stack.setClean()

    w = MainWindow()
    qtbot.addWidget(w, before_close_func=forget_changes)
    return w


@pytest.fixture
def scenario_file(tmp_path: Path):
    """Write a scenario file: ``scenario_file(name="x", growth_pct=20.0) -> Path``."""
    from forecaster.io import SUFFIX, default_scenario, save_scenario

    def write(name: str = "From file", filename: str | None = None, **params) -> Path:
        scenario = default_scenario()
        scenario = scenario.with_params(**params) if params else scenario
        from dataclasses import replace

        scenario = replace(scenario, name=name)
        path = tmp_path / (filename or name.replace(" ", "_") + SUFFIX)
        save_scenario(scenario, path)
        return path

    return write


@pytest.fixture
def app_names(qapp):
    """The app's own names, so QStandardPaths gives the folders the real app uses."""
    from forecaster.ui.settings import APPLICATION, ORGANIZATION

    old = (qapp.organizationName(), qapp.applicationName())
    qapp.setOrganizationName(ORGANIZATION)
    qapp.setApplicationName(APPLICATION)
    yield
    qapp.setOrganizationName(old[0])
    qapp.setApplicationName(old[1])


# A child process gets this long to show what a test waits for: a deadline for a
# failure on a loaded machine, not a pause (the wait ends as soon as it shows).
CHILD_DEADLINE_S = 30


def _one_turn(qtbot) -> None:
    """Run the event loop until everything queued before this call has run: it waits for
    a 0 ms timer started now, which Qt fires only after the events already posted
    (queued signals, ``QTimer.singleShot(0, ...)``) and the timers already due."""
    marker = QTimer()
    marker.setSingleShot(True)
    with qtbot.waitSignal(marker.timeout, timeout=5000):
        marker.start(0)


@pytest.fixture
def settle(qtbot):
    """``settle(obj)``: run the event loop until ``obj`` has nothing left to do, so an
    assertion that something did not happen is a fact rather than a bet on a delay.

    Nothing left to do means: every event posted so far delivered (one turn, see
    ``_one_turn``) and no QTimer under ``obj`` running (a throttler or a debounce that
    would act later); a timer that fires may post more, so it turns again until both
    hold at once. The wait ends as soon as they do; five seconds is only the deadline.
    (A timer that is not a child of ``obj``, such as ``QTimer.singleShot(100, ...)``, is
    not seen: the app's own delayed work runs on QTimers it owns, which are.)"""

    def run(obj: QObject, timeout: int = 5000) -> None:
        def running() -> list[QTimer]:
            return [t for t in obj.findChildren(QTimer) if t.isActive()]

        for _ in range(50):
            _one_turn(qtbot)
            if not running():
                return
            qtbot.waitUntil(lambda: not running(), timeout=timeout)
        raise AssertionError(f"{obj!r} never settled: timers {running()} keep restarting")

    return run


@pytest.fixture
def until_child(qtbot):
    """``until_child(child, condition, what)``: run the event loop until ``condition()``
    is true; fail at once if the child process ends first, and after CHILD_DEADLINE_S if
    the condition never holds."""

    def wait(child: subprocess.Popen, condition, what: str) -> None:
        def holds() -> bool:
            if child.poll() is not None:
                err = child.stderr.read() if child.stderr else ""
                pytest.fail(f"the child exited ({child.returncode}) before {what}\n{err}")
            return bool(condition())

        try:
            qtbot.waitUntil(holds, timeout=CHILD_DEADLINE_S * 1000)
        except QtTimeoutError:
            pytest.fail(f"no {what} within {CHILD_DEADLINE_S} s")

    return wait
