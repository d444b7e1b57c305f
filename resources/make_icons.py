"""Render the app icon's PNG sizes (and the Windows .ico) from resources/icons/forecaster.svg.

The SVG is the one source; the PNGs are committed so neither a build nor a user needs
this script. Run it after editing the SVG:

    .venv/bin/python resources/make_icons.py

Writes resources/icons/forecaster-<N>.png (N = 16..512, for the desktop entry and the
hicolor theme), resources/icons/forecaster.ico (Windows, if Pillow is installed), and
the sizes the running app uses for its window icon to forecaster/data/icons/, where
importlib.resources finds them from source and frozen alike.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
RUNTIME_ICONS = ROOT / "forecaster" / "data" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
RUNTIME_SIZES = (16, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage text/painting needs one
    renderer = QSvgRenderer(str(ICONS / "forecaster.svg"))
    if not renderer.isValid():
        print("make_icons: resources/icons/forecaster.svg is not a valid SVG", file=sys.stderr)
        return 1
    RUNTIME_ICONS.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        image = render(renderer, size)
        image.save(str(ICONS / f"forecaster-{size}.png"), "PNG")
        if size in RUNTIME_SIZES:
            image.save(str(RUNTIME_ICONS / f"forecaster-{size}.png"), "PNG")
    try:
        from PIL import Image
    except ImportError:
        print("make_icons: Pillow not installed, forecaster.ico left as it was")
    else:
        # Pillow downsamples the largest image into every size the .ico holds.
        Image.open(ICONS / "forecaster-256.png").save(
            ICONS / "forecaster.ico", sizes=[(s, s) for s in ICO_SIZES]
        )
    print(
        f"make_icons: wrote {len(SIZES)} PNG sizes to {ICONS.relative_to(ROOT)} "
        f"and {len(RUNTIME_SIZES)} to {RUNTIME_ICONS.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
