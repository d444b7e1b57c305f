"""Does Qt's xcb platform plugin have every library it links? build.spec refuses to ship otherwise.

Why: on X11 the window opens through PySide6's plugins/platforms/libqxcb.so, which
(through libQt6XcbQpa) links about fifteen small X libraries that PySide6's wheel does
not carry (libxcb-cursor.so.0, libxcb-icccm.so.4, libxkbcommon-x11.so.0...).
PyInstaller copies them from the build machine; one the build machine lacks is left
out with nothing but a "Library not found" warning, and the bundle then opens no
window wherever that library is missing too: Qt aborts with "could not load the Qt
platform plugin xcb". The build fails instead, naming the libraries and the packages
that provide them (Debian and Ubuntu: ``apt-get install libxcb-cursor0 ...``).

How: the plugin's direct links (DT_NEEDED, read by ``elf_deps``) are followed through
the libraries found, as the dynamic loader would; a name is missing when ``find``
cannot place it and it is not one the bundle leaves to the user's system on purpose
(``left_to_system``: glibc, libGL, libX11 and the others build.spec lists).

Command line, for a built bundle or a plugin on a given set of library folders:
    python resources/platform_libs.py PLUGIN_OR_BUNDLE [LIBRARY_DIR ...]
(with no LIBRARY_DIR: the bundle's own libraries, then this system's, from ``ldconfig -p``)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import elf_deps  # noqa: E402  (resources/elf_deps.py, a sibling, also when build.spec runs this)

XCB_PLUGIN = "platforms/libqxcb.so"
SONAME = re.compile(r"(?P<stem>.+)\.so\.(?P<version>\d+)(\..*)?")


def missing_libraries(
    root: Path | str,
    find: Callable[[str], Path | str | None],
    left_to_system: Callable[[str], bool] = lambda name: False,
) -> dict[str, set[str]]:
    """{library name: names of the files that link it} for what ``root`` needs and lacks.

    ``find(name)`` is where a library is (its links are followed in turn), or None.
    """
    missing: dict[str, set[str]] = {}
    seen = {Path(root).name}
    todo = [Path(root)]
    while todo:
        binary = todo.pop()
        for name in elf_deps.needed(binary):
            if name in seen:
                continue
            found = find(name)
            if found is not None:
                seen.add(name)
                todo.append(Path(found))
            elif not left_to_system(name):
                missing.setdefault(name, set()).add(binary.name)
    return missing


def debian_package(soname: str) -> str:
    """The package Debian's naming policy gives a library: libxcb-cursor.so.0 -> libxcb-cursor0."""
    m = SONAME.fullmatch(soname)
    if m is None:
        return soname
    stem, version = m["stem"], m["version"]
    return f"{stem}-{version}" if stem[-1].isdigit() else f"{stem}{version}"


def failure_message(
    missing: dict[str, set[str]], where: str = "this build machine does not have"
) -> str:
    names = sorted(missing)
    packages = " ".join(sorted({debian_package(n) for n in names}))
    one = len(names) == 1
    return (
        f"Qt's xcb platform plugin ({XCB_PLUGIN}) links {len(names)} "
        f"librar{'y' if one else 'ies'} {where}, so the bundle could open no window on "
        f"X11: {', '.join(names)}. Install {'it' if one else 'them'} and build again "
        f"(Debian, Ubuntu: sudo apt-get install {packages}; elsewhere the packages that "
        "provide these files)."
    )


def system_libraries() -> dict[str, list[Path]]:
    """This system's libraries by name, from the dynamic loader's cache (``ldconfig -p``),
    in the loader's order (a name may be there for more than one architecture)."""
    ldconfig = shutil.which("ldconfig") or shutil.which("ldconfig", path="/usr/sbin:/sbin")
    if ldconfig is None:
        return {}
    out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
    found: dict[str, list[Path]] = {}
    for m in re.finditer(r"^\s+(\S+) \([^)]*\) => (\S+)$", out, flags=re.M):
        found.setdefault(m[1], []).append(Path(m[2]))
    return found


def elf_machine(path: Path) -> bytes:
    """The ELF class, byte order and machine of ``path`` (b"" if it is not ELF)."""
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return b""
    return head[4:6] + head[18:20] if head[:4] == b"\x7fELF" else b""


def libraries_in(folders: Iterable[Path]) -> dict[str, list[Path]]:
    """Libraries by file name in ``folders`` (not their subfolders), in folder order."""
    found: dict[str, list[Path]] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.so*")):
            found.setdefault(path.name, []).append(path)
    return found


def check(target: Path, library_dirs: list[Path] | None = None) -> dict[str, set[str]]:
    """What the xcb plugin of ``target`` (a bundle folder, or the plugin itself) lacks.

    Its libraries are looked for among the bundle's own (every ``*.so*`` in the folder,
    or for a plugin given alone, in the PySide6 folder it belongs to), then in
    ``library_dirs`` (default: this system's, from ``ldconfig -p``), for the plugin's
    architecture.
    """
    if target.is_dir():
        plugins = sorted(target.rglob(XCB_PLUGIN))
        if not plugins:
            raise FileNotFoundError(f"no {XCB_PLUGIN} under {target}")
        plugin, bundle = plugins[0], target
    else:
        plugin, bundle = target, target.parents[3]  # PySide6/Qt/plugins/platforms/x.so
    machine = elf_machine(plugin)
    own = libraries_in(p.parent for p in bundle.rglob("*.so*"))
    system = system_libraries() if library_dirs is None else libraries_in(library_dirs)

    def find(name: str) -> Path | None:
        candidates = own.get(name, []) + system.get(name, [])
        return next((p for p in candidates if elf_machine(p) == machine), None)

    return missing_libraries(plugin, find)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.rsplit("Command line", 1)[1].strip(), file=sys.stderr)
        sys.exit(2)
    dirs = [Path(d) for d in sys.argv[2:]] or None
    result = check(Path(sys.argv[1]), dirs)
    if result:
        folders = ", ".join(sys.argv[2:]) if dirs else "this system's library folders"
        where = f"found neither next to it nor in {folders}"
        print(f"platform_libs: {failure_message(result, where)}", file=sys.stderr)
        sys.exit(1)
    print("platform_libs: the xcb platform plugin has every library it links")
