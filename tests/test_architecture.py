"""The import contracts in pyproject.toml hold: the engine and file I/O stay free of Qt,
the layers (command line > window > file I/O > engine) import only downwards, and the
widget modules do not import one another."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contract_holds():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the test dependencies"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "never import Qt KEPT" in result.stdout
    assert "Layers: command line > window > file I/O > engine KEPT" in result.stdout
    assert "Widget modules are independent of each other KEPT" in result.stdout
    assert "0 broken" in result.stdout


def test_engine_and_io_import_without_loading_qt():
    code = (
        "import sys, forecaster.engine, forecaster.io, forecaster.cli; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'superqt', 'shiboken6')]; print(bad); sys.exit(bool(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
