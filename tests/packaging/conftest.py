"""The packaged app, built once per test session from this working tree.

``bundle`` runs PyInstaller on build.spec into a temporary folder (about a minute on
two cores) and hands over the bundle folder. ``frozen`` and ``source`` run the same
command line through the frozen executable and through ``python -m forecaster``, both
as real processes, so the tests compare what a user of either would get.

The frozen app runs from a temporary folder with a temporary HOME, never the
repository, so it cannot read anything that did not travel inside the bundle.
Every test in this folder needs the bundle and is marked ``packaging``; skip them
locally with ``-m "not packaging"``. Tests of the packaging that need no bundle live
elsewhere (tests/test_desktop_files.py, tests/ui/test_about_and_smoke.py), so they run
in every local run; tests/test_test_hygiene.py holds the suite to both.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .pyinstaller import build_command

ROOT = Path(__file__).resolve().parents[2]
EXE_NAME = "forecaster.exe" if sys.platform == "win32" else "forecaster"
RUN_TIMEOUT = 120

Runner = Callable[..., subprocess.CompletedProcess]


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/forecaster built from build.spec; the folder that ships."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail(
            "PyInstaller is not installed in this environment; the packaging tests "
            "need it (pip install -e '.[test]'), or skip them with -m 'not packaging'"
        )
    out = tmp_path_factory.mktemp("pyinstaller")
    build = subprocess.run(
        build_command(out),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert build.returncode == 0, (
        f"PyInstaller failed:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}"
    )
    folder = out / "dist" / "forecaster"
    assert (folder / EXE_NAME).is_file(), f"no executable in {folder}"
    return folder


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "QT_", "XDG_")) and k != "PYINSTALLER_RESET_ENVIRONMENT"
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        LC_ALL="C.UTF-8",
    )
    env.update(extra)
    return env


@pytest.fixture()
def run_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture()
def frozen(bundle: Path, tmp_path: Path, run_home: Path) -> Runner:
    """Run the frozen executable from a scratch folder: frozen("--headless", ...)."""

    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(bundle / EXE_NAME), *args],
            cwd=tmp_path,
            env=_env(run_home, **env),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )

    return run


@pytest.fixture()
def source(tmp_path: Path, run_home: Path) -> Runner:
    """Run this working tree with the test's interpreter: source("--headless", ...)."""

    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "forecaster", *args],
            cwd=tmp_path,
            env=_env(run_home, PYTHONPATH=str(ROOT), **env),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )

    return run
