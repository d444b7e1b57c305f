"""Test set-up shared by every layer: Qt runs offscreen and never touches real settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# CI runs every property on the same examples, so a failure there is reproducible rather
# than a coin toss; locally the examples stay random and find new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def isolated_app_folders(tmp_path_factory, monkeypatch):
    """Recovery files and logs (QStandardPaths, XDG on Linux) go to a temp folder."""
    folder = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
    return folder
