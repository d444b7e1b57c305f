"""The frozen bundle works like the source: same numbers, a painted window, its data inside.

Every test here runs the real executable PyInstaller built from build.spec (see
conftest.py); nothing is mocked. Figures (size, start-up time) are printed by
benchmarks/bench_startup.py, never asserted here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from forecaster.engine.params import Shock
from forecaster.io import SUFFIX, list_presets, load_preset, save_scenario

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "forecaster" / "data"
FIRST_FRAME = re.compile(r"^first frame painted (\d+\.\d+) s after process start \(.*\)$", re.M)
LINUX = sys.platform.startswith("linux")


def _headless_outputs(run, tmp_path: Path, tag: str, *args: str) -> tuple[str, str, dict]:
    csv_path, json_path = tmp_path / f"{tag}.csv", tmp_path / f"{tag}.json"
    result = run("--headless", *args, "--csv", str(csv_path), "--json", str(json_path))
    assert result.returncode == 0, f"{tag}: {result.stderr}"
    assert result.stderr == ""
    return result.stdout, csv_path.read_text(encoding="utf-8"), json.loads(json_path.read_text())


def test_version_and_presets_are_the_source_ones(frozen, source):
    for args in (("--version",), ("--list-presets",)):
        got, want = frozen(*args), source(*args)
        assert (got.returncode, got.stdout, got.stderr) == (0, want.stdout, ""), args
    assert frozen("--list-presets").stdout.splitlines() == list_presets()


@pytest.mark.parametrize("preset", list_presets())
def test_headless_preset_gives_the_source_numbers(frozen, source, tmp_path, preset):
    got = _headless_outputs(frozen, tmp_path, "frozen", "--preset", preset)
    want = _headless_outputs(source, tmp_path, "source", "--preset", preset)
    assert got[0] == want[0]  # the printed summary
    assert got[1] == want[1]  # the per-year CSV, byte for byte
    assert got[2] == want[2]  # the summary JSON, every number equal
    assert got[2]["target_year_p50"] > 0


def test_headless_saved_scenario_with_overrides_gives_the_source_numbers(frozen, source, tmp_path):
    scenario = load_preset("Sanctions 2016-2017").with_params(
        growth_pct=21.5,
        volatility_pct=42.0,
        draws=2500,
        debt_compliance_pct=60.0,
        ruble_share_pct=35.0,
        ruble_depreciation_pct=8.0,
    )
    scenario = scenario.with_shocks(
        [
            *scenario.shocks,
            Shock(start_year=2020, depth_pct=80.0, half_life_years=1.5, label="border closure"),
        ]
    )
    path = tmp_path / f"mine{SUFFIX}"
    save_scenario(scenario.validated(), path)
    args = (str(path), "--debt-term-years", "30", "--goal-percentile", "90")
    got = _headless_outputs(frozen, tmp_path, "frozen", *args)
    want = _headless_outputs(source, tmp_path, "source", *args)
    assert got == want


@pytest.mark.parametrize(
    "args",
    [
        ("--headless", "--growth-pct", "999"),
        ("--headless", "--preset", "No such preset"),
        ("--headless", "missing" + SUFFIX),
        ("--headless", "broken" + SUFFIX),
        ("--no-such-option",),
        ("--smoke-test", "--headless"),
    ],
    ids=[
        "out-of-range",
        "unknown-preset",
        "missing-file",
        "broken-file",
        "bad-option",
        "smoke-and-headless",
    ],
)
def test_bad_input_exits_2_with_the_source_line(frozen, source, tmp_path, args):
    (tmp_path / ("broken" + SUFFIX)).write_text('{"format": "forecaster-scenario", "version": ')
    got, want = frozen(*args), source(*args)
    assert got.returncode == 2
    assert got.stdout == ""
    assert len(got.stderr.splitlines()) == 1 and got.stderr.startswith("forecaster: ")
    assert (got.returncode, got.stderr) == (want.returncode, want.stderr)


def test_window_without_a_display_says_so_like_the_source(frozen, source):
    no_display = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    got, want = frozen(**no_display), source(**no_display)
    assert got.returncode == want.returncode != 0
    assert got.stderr == want.stderr and len(got.stderr.splitlines()) == 1


def test_smoke_test_paints_the_default_window_offscreen(frozen):
    result = frozen("--smoke-test", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    match = FIRST_FRAME.search(result.stdout)
    assert match, result.stdout
    assert float(match.group(1)) > 0
    assert "platform offscreen" in match.group(0)


def test_smoke_test_opens_a_saved_scenario(frozen, tmp_path):
    path = tmp_path / f"status quo{SUFFIX}"
    save_scenario(load_preset("Status quo"), path)
    result = frozen("--smoke-test", str(path), QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    assert FIRST_FRAME.search(result.stdout), result.stdout


def test_smoke_test_of_a_broken_file_fails_in_one_line(frozen, tmp_path):
    path = tmp_path / f"broken{SUFFIX}"
    path.write_text("{not json")
    result = frozen("--smoke-test", str(path), QT_QPA_PLATFORM="offscreen")
    assert result.returncode != 0
    assert result.stdout == ""
    problems = [line for line in result.stderr.splitlines() if line.startswith("forecaster:")]
    assert len(problems) == 1, result.stderr


def test_bundle_carries_the_data_files(bundle):
    data = _contents(bundle) / "forecaster" / "data"
    assert (data / "history.csv").read_bytes() == (DATA / "history.csv").read_bytes()
    shipped = sorted(p.name for p in (data / "presets").iterdir())
    assert shipped == sorted(p.name for p in (DATA / "presets").glob("*" + SUFFIX))
    for name in shipped:
        assert (data / "presets" / name).read_bytes() == (DATA / "presets" / name).read_bytes()
    assert sorted(p.name for p in (data / "icons").iterdir()) == sorted(
        p.name for p in (DATA / "icons").glob("*.png")
    )


def test_bundle_has_no_tests_examples_or_build_leftovers(bundle):
    from PyInstaller.archive.readers import CArchiveReader

    files = [p.relative_to(bundle) for p in bundle.rglob("*") if p.is_file() or p.is_symlink()]
    assert files
    bad_dirs = {"tests", "test", "testing", "examples", "__pycache__", "include", "translations"}
    bad_suffixes = (".py", ".pyc", ".pyi", ".h", ".spec", ".toc", ".pkg", ".a", ".pxd")
    for path in files:
        assert not bad_dirs & set(path.parts[:-1]), path
        assert not path.name.endswith(bad_suffixes) or path.name == "install.sh", path
        assert not path.name.startswith(("warn-", "xref-", "test_", "conftest")), path
    # No file points outside the bundle or at nothing.
    for path in files:
        full = bundle / path
        if full.is_symlink():
            assert full.resolve().is_relative_to(bundle.resolve()) and full.exists(), path
    # And the Python archive holds no test suites or tools, only the app's modules.
    archive = CArchiveReader(
        str(bundle / ("forecaster.exe" if sys.platform == "win32" else "forecaster"))
    )
    modules = list(archive.open_embedded_archive("PYZ.pyz").toc)
    unwanted = re.compile(
        r"(^|\.)(tests?|testing|examples|conftest)(\.|$)|^(pytest|_pytest|hypothesis|"
        r"pytestqt|matplotlib|PIL|tkinter|unittest|doctest|setuptools|importlinter)"
    )
    assert [m for m in modules if unwanted.search(m)] == []
    assert "forecaster.ui.main_window" in modules and "forecaster.ui.smoke" in modules


@pytest.mark.skipif(not LINUX or shutil.which("ldd") is None, reason="ELF libraries, ldd")
def test_no_library_the_bundle_needs_was_left_out(bundle):
    """Every library a bundled binary links is in the bundle or on this system.

    The only unresolved names allowed are ones the installed wheels cannot resolve on
    this machine either (optional X11/Wayland pieces of Qt's plugins): anything the
    spec pruned by mistake would exist in the venv and fail here.
    """
    contents = _contents(bundle)
    env = {"LD_LIBRARY_PATH": str(contents), "PATH": "/usr/bin:/bin"}
    site_packages = Path(pytest.__file__).parents[1]
    venv_libs = {p.name for p in site_packages.rglob("*.so*")}
    venv_libs |= {p.name for p in (Path(sys.base_prefix) / "lib").glob("*.so*")}
    missing: dict[str, set[str]] = {}
    for binary in contents.rglob("*.so*"):
        if binary.is_symlink() or not binary.is_file():
            continue
        out = subprocess.run(["ldd", str(binary)], env=env, capture_output=True, text=True).stdout
        for name in re.findall(r"^\s*(\S+) => not found", out, flags=re.M):
            missing.setdefault(name, set()).add(binary.name)
    wrongly_dropped = {name: users for name, users in missing.items() if name in venv_libs}
    assert wrongly_dropped == {}


@pytest.mark.skipif(not LINUX, reason="ELF libraries")
def test_trimmed_icu_still_collates_cases_and_converts(bundle, tmp_path):
    """The trimmed ICU (resources/trim_icu.py) keeps what Qt uses: collation, casing, UTF."""
    probe = tmp_path / "icu_probe.py"
    probe.write_text(ICU_PROBE)
    # A fresh interpreter: this one may have PySide6's untrimmed ICU loaded already.
    result = subprocess.run(
        [sys.executable, str(probe), str(_contents(bundle) / "PySide6" / "Qt" / "lib")],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["collate_sv"] == [0, 1]  # Swedish: ä sorts after z (coll/sv.res is there)
    assert got["collate_de"][1] == -1  # German: ä sorts before z
    assert got["upper_tr"] == [0, ["0x130"]]  # Turkish: i -> İ
    assert got["cnv_UTF-8"] == 0 and got["cnv_ISO-8859-1"] == 0


@pytest.mark.skipif(
    not LINUX or shutil.which("update-mime-database") is None,
    reason="freedesktop MIME database tools",
)
def test_desktop_integration_installs_from_the_bundle(bundle, tmp_path):
    data_home = tmp_path / "share"
    install = bundle / "share" / "linux" / "install.sh"
    result = subprocess.run(
        ["bash", str(install)],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin:/usr/sbin",
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(data_home),
        },
    )
    assert result.returncode == 0, result.stderr
    entry = (data_home / "applications" / "forecaster.desktop").read_text()
    assert f'Exec="{bundle.resolve() / "forecaster"}" %f' in entry
    assert "MimeType=application/x-forecaster-scenario;" in entry
    globs = (data_home / "mime" / "globs2").read_text()
    assert f"application/x-forecaster-scenario:*{SUFFIX}" in globs
    for size in (16, 48, 256):
        assert (
            data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "forecaster.png"
        ).is_file()
    removed = subprocess.run(
        ["bash", str(install), "--uninstall"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin:/usr/sbin",
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(data_home),
        },
    )
    assert removed.returncode == 0, removed.stderr
    assert not (data_home / "applications" / "forecaster.desktop").exists()


def _contents(bundle: Path) -> Path:
    """Where PyInstaller 6 puts everything but the executable."""
    return bundle / "_internal"


ICU_PROBE = r"""
import ctypes, json, sys
from pathlib import Path

folder = Path(sys.argv[1])
uc_path = next(folder.glob("libicuuc.so.*"))
v = uc_path.name.rsplit(".", 1)[1]
uc = ctypes.CDLL(str(uc_path))  # its RUNPATH ($ORIGIN) finds the bundle's libicudata
i18n = ctypes.CDLL(str(folder / f"libicui18n.so.{v}"))
err = ctypes.c_int


def fn(lib, name, restype, *argtypes):
    f = getattr(lib, f"{name}_{v}")
    f.restype, f.argtypes = restype, argtypes
    return f


def u16(text):
    units = list(memoryview(text.encode("utf-16-le")).cast("H"))
    return (ctypes.c_uint16 * len(units))(*units), len(units)


ucol_open = fn(i18n, "ucol_open", ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(err))
ucol_strcoll = fn(i18n, "ucol_strcoll", ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                  ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32)
to_upper = fn(uc, "u_strToUpper", ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32,
              ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p, ctypes.POINTER(err))
ucnv_open = fn(uc, "ucnv_open", ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(err))
out = {}
for locale in ("de", "sv"):
    status = err(0)
    collator = ucol_open(locale.encode(), ctypes.byref(status))
    (a, la), (z, lz) = u16("\u00e4"), u16("z")
    out[f"collate_{locale}"] = [status.value, ucol_strcoll(collator, a, la, z, lz)]
src, n = u16("i")
dst, status = (ctypes.c_uint16 * 8)(), err(0)
k = to_upper(dst, 8, src, n, b"tr", ctypes.byref(status))
out["upper_tr"] = [status.value, [hex(dst[i]) for i in range(k)]]
for name in ("UTF-8", "ISO-8859-1"):
    status = err(0)
    ucnv_open(name.encode(), ctypes.byref(status))
    out[f"cnv_{name}"] = status.value
print(json.dumps(out))
"""
