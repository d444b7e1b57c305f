"""What the build machine lacks: a C compiler (the bundle is the same) or the X libraries
Qt's xcb plugin links (the build stops and says which, instead of shipping a bundle
that opens no window).

Nothing is uninstalled: a folder of links to every library of this system but
libxcb-cursor.so.0 stands for a system without it, and a PATH holding ``ldd`` and
``ldconfig`` that do not report it stands for one when PyInstaller itself looks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .pyinstaller import build_command

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF, X11 and binutils"),
]

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
HIDDEN = "libxcb-cursor.so.0"


def _resources():
    sys.path.insert(0, str(RESOURCES))
    try:
        import platform_libs
        import trim_icu
    finally:
        sys.path.remove(str(RESOURCES))
    return platform_libs, trim_icu


def _pyside6_qt() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt"


def _system_without(tmp_path: Path, hidden: str | None) -> Path:
    """A folder of links to this system's libraries (ldconfig's list), less ``hidden``."""
    platform_libs, _ = _resources()
    native = platform_libs.elf_machine(Path(sys.executable).resolve())
    folder = tmp_path / "system-libs"
    folder.mkdir()
    for name, paths in platform_libs.system_libraries().items():
        path = next((p for p in paths if platform_libs.elf_machine(p) == native), None)
        if name != hidden and path is not None:
            (folder / name).symlink_to(path)
    return folder


@pytest.fixture(scope="module")
def xcb_plugin() -> Path:
    plugin = _pyside6_qt() / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        pytest.skip("this PySide6 has no xcb platform plugin")
    return plugin


def test_check_passes_on_a_system_with_every_library(xcb_plugin, tmp_path):
    platform_libs, _ = _resources()
    if platform_libs.check(xcb_plugin):
        pytest.skip("this machine lacks some of the xcb plugin's libraries itself")
    assert platform_libs.check(xcb_plugin, [_system_without(tmp_path, None)]) == {}


def test_check_names_the_library_a_system_lacks_and_its_package(xcb_plugin, tmp_path):
    platform_libs, _ = _resources()
    if platform_libs.check(xcb_plugin):
        pytest.skip("this machine lacks some of the xcb plugin's libraries itself")
    system = _system_without(tmp_path, HIDDEN)
    assert platform_libs.check(xcb_plugin, [system]) == {
        HIDDEN: {"libqxcb.so", "libQt6XcbQpa.so.6"}
    }
    # The command line, as a person would run it on a bundle or a plugin.
    result = subprocess.run(
        [sys.executable, str(RESOURCES / "platform_libs.py"), str(xcb_plugin), str(system)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert HIDDEN in result.stderr and "apt-get install libxcb-cursor0" in result.stderr


def test_debian_package_names_follow_the_policy():
    platform_libs, _ = _resources()
    assert platform_libs.debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert platform_libs.debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert platform_libs.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert platform_libs.debian_package("libxcb-render-util.so.0") == "libxcb-render-util0"


def _fake_tools(folder: Path) -> Path:
    """ldd and ldconfig that do not report HIDDEN, first on a copy of PATH."""
    folder.mkdir()
    ldd = shutil.which("ldd")
    ldconfig = shutil.which("ldconfig", path=f"/usr/sbin:/sbin:{os.environ['PATH']}")
    if ldd is None or ldconfig is None:
        pytest.skip("needs ldd and ldconfig")
    pattern = HIDDEN.replace(".", r"\.")
    (folder / "ldd").write_text(
        f'#!/bin/sh\n"{ldd}" "$@" | sed -E "s#^([[:space:]]*{pattern}) => .*#\\1 => not found#"\n'
    )
    (folder / "ldconfig").write_text(f'#!/bin/sh\n"{ldconfig}" "$@" | grep -v "{pattern}"\n')
    for tool in ("ldd", "ldconfig"):
        (folder / tool).chmod(0o755)
    return folder


def test_build_stops_and_says_what_to_install_when_libxcb_cursor_is_missing(tmp_path):
    """The real build.spec, with PyInstaller unable to find libxcb-cursor.so.0."""
    tools = _fake_tools(tmp_path / "bin")
    env = dict(os.environ, PATH=f"{tools}:{os.environ['PATH']}")
    result = subprocess.run(
        build_command(tmp_path),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    output = result.stdout + result.stderr
    assert f"could not resolve '{HIDDEN}'" in output  # PyInstaller really did not find it
    assert result.returncode != 0
    lines = [line for line in output.splitlines() if line.startswith("build.spec: Qt's xcb")]
    assert len(lines) == 1, output[-3000:]
    assert HIDDEN in lines[0] and "sudo apt-get install libxcb-cursor0" in lines[0]
    assert not (tmp_path / "dist" / "forecaster").exists()  # nothing that could ship


def test_icu_data_is_trimmed_without_a_c_compiler(tmp_path):
    """binutils' as and ld, not cc, link the trimmed ICU library (so no compiler, same size)."""
    _, trim_icu = _resources()
    source = next((_pyside6_qt() / "lib").glob("libicudata.so.*"), None)
    if source is None:
        pytest.skip("this PySide6 has no ICU data library")
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("as", "ld"):
        found = shutil.which(tool)
        if found is None:
            pytest.skip("binutils (as, ld) is not installed")
        (tools / tool).symlink_to(found)
    env = {"PATH": str(tools)}  # no cc, gcc or clang reachable
    assert all(shutil.which(cc, path=env["PATH"]) is None for cc in ("cc", "gcc", "clang"))
    out = tmp_path / source.name
    result = subprocess.run(
        [sys.executable, str(RESOURCES / "trim_icu.py"), str(source), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size < source.stat().st_size / 3
    assert trim_icu.extract_package(out.read_bytes())[0].startswith("icudt")
