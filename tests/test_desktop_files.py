"""Desktop integration files agree with each other and with the app (no bundle needed).

The scenario file type is named the same everywhere: the suffix the app saves
(forecaster.io.SUFFIX), the MIME glob, the desktop entry, the README.
"""

from __future__ import annotations

import configparser
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from forecaster.io import SUFFIX

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "resources" / "linux"
ICONS = ROOT / "resources" / "icons"
MIME_TYPE = "application/x-forecaster-scenario"
NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_mime_type_matches_the_suffix_the_app_saves():
    root = ET.parse(LINUX / "forecaster-scenario.xml").getroot()
    (mime,) = root.findall("m:mime-type", NS)
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall("m:glob", NS)] == ["*" + SUFFIX]
    assert mime.find("m:sub-class-of", NS).get("type") == "application/json"
    magic = mime.find("m:magic/m:match", NS).get("value")
    preset = next((ROOT / "forecaster" / "data" / "presets").glob("*" + SUFFIX)).read_text()
    assert magic in preset[:256]  # what the sniffing rule looks for is what files start with


def test_desktop_entry_opens_scenario_files_with_the_app_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(LINUX / "forecaster.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "forecaster %f"
    assert section["Icon"] == "forecaster"
    assert section["MimeType"] == MIME_TYPE + ";"
    assert section["Categories"].endswith(";")


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_icon_comes_in_every_hicolor_size(size):
    assert _png_size(ICONS / f"forecaster-{size}.png") == (size, size)


def test_window_icons_ship_inside_the_package():
    shipped = sorted((ROOT / "forecaster" / "data" / "icons").glob("forecaster-*.png"))
    assert shipped
    for png in shipped:
        size = int(png.stem.split("-")[1])
        assert _png_size(png) == (size, size)
        assert png.read_bytes() == (ICONS / png.name).read_bytes()


def test_readme_names_the_same_scenario_suffix():
    assert f"*{SUFFIX}" in (ROOT / "README.md").read_text(encoding="utf-8")
