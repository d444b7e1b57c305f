"""20,000 slider changes with redraws in a subprocess: no crash, memory stays flat.

Runs benchmarks/soak_memory.py (which prints the figures) and checks its verdict:
exit 0 means resident memory grew by at most 5 MB between step 2,000 and 20,000.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "soak_memory.py"


@pytest.mark.slow
def test_20000_slider_changes_keep_memory_flat(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path))
    r = subprocess.run(
        [sys.executable, str(SCRIPT), "20000"],
        capture_output=True,
        text=True,
        timeout=1800,
        env=env,
        check=False,
    )
    print(r.stdout)
    assert "RSS at step 2,000" in r.stdout, r.stderr[-2000:]
    assert r.returncode == 0, r.stdout + r.stderr[-2000:]
