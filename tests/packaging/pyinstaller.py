"""The PyInstaller command the packaging tests run: build.spec into a folder of the test's."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build_command(out: Path) -> list[str]:
    """Build this working tree's build.spec with the bundle in ``out/dist``."""
    return [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(out / "dist"),
        "--workpath",
        str(out / "build"),
        str(ROOT / "build.spec"),
    ]
