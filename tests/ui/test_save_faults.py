"""Saving when the world fails: the old file survives, the user is told, nothing is lost."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forecaster.io import atomic


def _edited_window_on(window, path: Path) -> bytes:
    assert window.open_file(path)
    window.document.set_param("growth_pct", 18.0)
    assert window.document.modified
    return path.read_bytes()


def _assert_failed_save(window, dialogs, path: Path, before: bytes | None, words: str) -> None:
    assert window.save() is False
    notice = dialogs.of("critical")[-1]
    assert notice.title == "Could not save the scenario"
    assert words in notice.text
    if before is not None:
        assert path.read_bytes() == before
    assert window.document.modified and window.isWindowModified()
    assert window.document.scenario.params["growth_pct"] == 18.0


def test_full_disk(window, dialogs, scenario_file, monkeypatch):
    path = scenario_file()
    before = _edited_window_on(window, path)

    def disk_full(fd):  # the write reached the page cache; syncing it to disk fails
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    _assert_failed_save(window, dialogs, path, before, "No space left on device")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left


def test_folder_that_disappeared(window, dialogs, tmp_path):
    from forecaster.io import default_scenario, save_scenario

    folder = tmp_path / "usb-stick"
    folder.mkdir()
    path = folder / "s.forecast.json"
    save_scenario(default_scenario(), path)
    _edited_window_on(window, path)
    shutil.rmtree(folder)
    _assert_failed_save(window, dialogs, path, None, f"the folder {folder} does not exist")


READ_ONLY_CHILD = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QMessageBox
    shown = []
    QMessageBox.critical = staticmethod(lambda parent, title, text, *a, **k: shown.append(text))
    app = QApplication([])
    from forecaster.ui import MainWindow
    w = MainWindow(sys.argv[1])
    w.document.set_param("growth_pct", 18.0)
    ok = w.save()
    print("saved" if ok else "refused", w.document.modified, shown[0] if shown else "", flush=True)
    w.document.undo_stack.setClean()
""")


def test_read_only_folder(tmp_path, scenario_file):
    """A real read-only folder: a read-only bind mount in a private mount namespace when
    running as root (root ignores permission bits), else a folder without write permission."""
    path = scenario_file()
    before = path.read_bytes()
    folder = str(path.parent)
    command = [sys.executable, "-c", READ_ONLY_CHILD, str(path)]
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        if unshare is None:
            pytest.skip("running as root without unshare: no way to make a folder read-only")
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        command = [unshare, "--mount", "sh", "-c", script, "sh", folder, *command]
        expected = "Read-only file system"
    else:
        path.parent.chmod(0o555)
        expected = "Permission denied"
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    finally:
        path.parent.chmod(0o755)
    if result.returncode != 0 and "mount" in result.stderr:
        pytest.skip(
            f"this machine does not allow a private read-only mount: {result.stderr.strip()}"
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("refused True"), result.stdout
    assert expected in result.stdout
    assert path.read_bytes() == before


KILLED_CHILD = textwrap.dedent("""
    import os, sys, threading
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from forecaster.io import atomic
    from forecaster.ui import MainWindow

    real_fsync = atomic.os.fsync
    def slow_fsync(fd):
        print("writing", flush=True)  # half the new file is on its way to the disk
        threading.Event().wait()  # held here, with no time-out, until the test kills it
        real_fsync(fd)
    atomic.os.fsync = slow_fsync
    w = MainWindow(sys.argv[1])
    w.document.set_param("growth_pct", 18.0)
    w.save()
""")


def test_save_killed_with_sigkill_mid_write(scenario_file):
    path = scenario_file()
    before = path.read_bytes()
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as child:
        try:
            assert child.stdout.readline().strip() == "writing"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before


@pytest.mark.parametrize("stage", ["write", "replace"])
def test_failure_at_any_stage_leaves_the_file(window, dialogs, scenario_file, monkeypatch, stage):
    path = scenario_file()
    before = _edited_window_on(window, path)
    if stage == "write":
        real_fdopen = atomic.os.fdopen

        class FailingFile:
            def __init__(self, f):
                self._f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._f.close()

            def write(self, data):
                self._f.write(data[: len(data) // 2])
                raise OSError(errno.EIO, os.strerror(errno.EIO))

        monkeypatch.setattr(
            atomic.os, "fdopen", lambda fd, mode: FailingFile(real_fdopen(fd, mode))
        )
        words = "Input/output error"
    else:
        monkeypatch.setattr(
            atomic.os,
            "replace",
            lambda a, b: (_ for _ in ()).throw(OSError(errno.EXDEV, os.strerror(errno.EXDEV))),
        )
        words = "Invalid cross-device link"
    _assert_failed_save(window, dialogs, path, before, words)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
