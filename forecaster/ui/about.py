"""Help > About: what Forecaster is, its version, where its data comes from, its licence.

Also home of ``app_icon()``, the window icon, read from forecaster/data/icons with
importlib.resources so it is found from source and in the frozen bundle alike
(resources/make_icons.py renders those PNGs from resources/icons/forecaster.svg).

The sources are the ones behind forecaster/data/history.csv and the presets
(../shared/reference/russia-dprk-facts.md, "Sources"); the CSV's source column
names the source of every single figure.
"""

from __future__ import annotations

import html
import platform

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from forecaster import __version__
from forecaster.io.resources import data_file

ICON_SIZES = (16, 32, 48, 64, 128, 256)
LICENCE = "MIT"
LICENCE_SUMMARY = (
    "Free to use, copy, modify, merge, publish and distribute, provided the "
    "copyright and licence notice are kept; provided as is, without warranty "
    "of any kind. The full text is in the LICENSE file."
)

# (what, sources as (label, url or "")), summarised from the facts file's Sources section.
DATA_SOURCES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "The $1B-by-2020 plan and 2013 turnover",
        (
            (
                "Reuters, 5 June 2014 (A. Galushka)",
                "https://in.reuters.com/article/russia-northkorea-trade-idINL6N0OM28V20140605",
            ),
        ),
    ),
    (
        "Turnover 2011-2024",
        (
            (
                "Russian embassy in the DPRK",
                "https://dprk.mid.ru/en/countries/torgovo_ekon_sotrud_en/",
            ),
            ("KOTRA via Yonhap and US-Asia Journal", ""),
            ("ITC via KBS World and Yonhap", ""),
            ("RIA Novosti via mfd.ru", ""),
            ("TASS", "https://tass.com/economy/1258635"),
            ("NK News", ""),
        ),
    ),
    (
        "The Soviet-era debt deal",
        (
            ("Time", "https://time.com/69790"),
            ("RIA Novosti, 20 October 2014", "https://ria.ru/economy/20141020/1029182641.html"),
            ("The Moscow Times, February and June 2014", ""),
        ),
    ),
    (
        "Sanctions",
        (
            (
                "UN Security Council resolutions 1718, 2270, 2321, 2371, 2375, 2397 (un.org)",
                "https://www.un.org/securitycouncil/sanctions/1718",
            ),
            ("US embassy fact sheet on resolution 2371", ""),
        ),
    ),
)


def app_icon() -> QIcon:
    """Forecaster's icon at every shipped size (for QApplication.setWindowIcon)."""
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap()
        # Bytes, not a file path: works for any importlib.resources location.
        if pixmap.loadFromData(data_file("icons", f"forecaster-{size}.png").read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def _sources_html() -> str:
    parts = []
    for what, sources in DATA_SOURCES:
        items = ", ".join(
            f'<a href="{html.escape(url)}">{html.escape(label)}</a>' if url else html.escape(label)
            for label, url in sources
        )
        parts.append(f"<li><b>{html.escape(what)}</b>: {items}</li>")
    return "<ul style='margin-left:-20px'>" + "".join(parts) + "</ul>"


def versions_line() -> str:
    import numpy

    try:
        import pyqtgraph

        pg_version = pyqtgraph.__version__
    except ImportError:  # pragma: no cover - pyqtgraph is a dependency
        pg_version = "?"
    import PySide6

    return (
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {PySide6.__version__}, "
        f"pyqtgraph {pg_version}, NumPy {numpy.__version__}"
    )


class AboutDialog(QDialog):
    """Version, purpose, data sources and licence, with working links."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle("About Forecaster")
        icon = app_icon()

        picture = QLabel()
        picture.setPixmap(icon.pixmap(96, 96))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.text = QLabel(
            f"<h2 style='margin-bottom:0'>Forecaster {html.escape(__version__)}</h2>"
            "<p>Scenarios for Russia-DPRK trade against the 2014 goal of $1 billion a year "
            "by 2020: growth, sanction shocks, the Soviet-era debt deal and the ruble, with "
            "uncertainty bands and the odds of reaching the target.</p>"
            "<p><b>Data sources</b> (every figure's source is in the history table, "
            "history.csv):</p>"
            + _sources_html()
            + f"<p><b>Licence</b>: {LICENCE}. {html.escape(LICENCE_SUMMARY)}</p>"
            "<p style='color:#666'>Built with "
            + html.escape(versions_line())
            + ". Qt and PySide6 are used under the LGPL v3.</p>"
        )
        self.text.setObjectName("about_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text.setMinimumWidth(520)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(picture)
        top.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        if not icon.isNull():
            self.setWindowIcon(icon)


def show_about(parent: QWidget | None = None) -> AboutDialog:
    """Open the About dialog window-modally without blocking; it deletes itself on close."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
