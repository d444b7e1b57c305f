"""Find the files shipped inside the package, from source and when frozen.

importlib.resources serves both: PyInstaller's loader exposes collected data
files of the package through it, so no sys._MEIPASS special case is needed.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def data_file(*parts: str) -> Traversable:
    node = files("forecaster.data")
    for part in parts:
        node = node / part
    return node
