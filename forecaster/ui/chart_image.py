"""Chart images that explain themselves: title, verdict, chart, assumptions, version.

An exported chart leaves the app and has to stand on its own on a slide or in a
brief, so the image carries the scenario's name, what it is about, the verdict
line (from the one answer, worded by ``forecaster.engine.formatting``), and a
footer with the key assumptions and "Forecaster <version>".

Text is sized for the image, not the screen: the whole picture (captions and the
chart with its tick labels and legend) is laid out at a logical size of about
1000 px wide and painted scaled up or down to the asked size, so a 3000 px image
has text three times the size of a 1000 px one, not screen-sized specks.

PNG and SVG are painted by the same code on different devices (QImage and
QSvgGenerator), so they have the same layout. Captions are drawn as text in a font
family every SVG renderer resolves (see ``CAPTION_FAMILIES``), so the SVG reads
the same in rsvg-convert as in Qt. The ``ui`` module needs no window: the
headless command line builds a chart with ``make_chart`` and exports it here.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pyqtgraph as pg
from pyqtgraph.exporters import Exporter
from PySide6.QtCore import QBuffer, QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPicture
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from forecaster import __version__
from forecaster.engine.answer import Answer
from forecaster.engine.formatting import chart_footer, subject, verdict_text
from forecaster.engine.history import HistorySeries
from forecaster.engine.params import Scenario
from forecaster.engine.projection import Projection

from .charts import ProjectionChart
from .exporting import (
    ExportError,
    _check_size,
    _laid_out_at,
    _svg_in_pixels,
    background_color,
    png_bytes,
    write_file_atomically,
)

REFERENCE_WIDTH = 1000.0  # logical px the captions and chart are laid out for
REFERENCE_HEIGHT = 620.0
# Families that Qt, librsvg (through fontconfig), browsers and Inkscape all resolve; the
# first one found is used. Drawn in the SVG as text with that family name.
CAPTION_FAMILIES = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"]
TEXT_COLOR = QColor("#202020")
MUTED_COLOR = QColor("#555555")
REACHED_COLOR = QColor("#2e7d32")
MISSED_COLOR = QColor("#c62828")
WHAT_IF_COLOR = QColor("#1a237e")


@dataclass(frozen=True)
class ChartCaption:
    """The words around an exported chart."""

    title: str  # the scenario's name
    subject: str  # what trade, which target
    verdict: str
    footer: str  # key assumptions and the version
    color: str  # of the verdict line: green reached, red missed, blue what-if


def caption_for(scenario: Scenario, result: Answer, version: str = __version__) -> ChartCaption:
    if not result.reached:
        color = MISSED_COLOR
    elif result.contradicted_by_record:
        color = WHAT_IF_COLOR
    else:
        color = REACHED_COLOR
    return ChartCaption(
        title=result.scenario_name,
        subject=subject(result.target_musd, result.target_year),
        verdict=verdict_text(result),
        footer=chart_footer(scenario, version),
        color=color.name(),
    )


def make_chart(
    projection: Projection, history: HistorySeries | None, log: bool = True
) -> ProjectionChart:
    """A projection chart that is never shown, for exports without a window."""
    chart = ProjectionChart(history=history)
    chart.set_log(log)
    chart.set_projection(projection)
    return chart


def without_ligatures(font: QFont) -> QFont:
    """No "fi"/"ff" ligature glyphs: text copied or searched in the PDF or SVG reads
    "Written off", not "Written o\ufb00"."""
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def text_scale(width: int, height: int) -> float:
    """How much bigger than the reference layout the image is (text grows with it)."""
    return max(0.5, min(width / REFERENCE_WIDTH, height / REFERENCE_HEIGHT))


def caption_font(pixel_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(CAPTION_FAMILIES)
    without_ligatures(font)
    font.setPixelSize(max(1, round(pixel_size)))
    font.setBold(bold)
    return font


def explained_image(plot: pg.PlotWidget, caption: ChartCaption, width: int, height: int) -> QImage:
    """The captioned chart drawn at exactly ``width`` x ``height`` pixels."""
    _check_size(width, height)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    # Axes replay cached QPictures, which rescale by the DPI ratio between picture and
    # device; the image gets the pictures' DPI so they play back 1:1 (as in the SVG).
    dpm = round(QPicture().logicalDpiX() / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    _paint(plot, caption, image, width, height)
    return image


def explained_svg(plot: pg.PlotWidget, caption: ChartCaption, width: int, height: int) -> bytes:
    """The captioned chart as SVG 1.1 whose width, height and viewBox are the asked size."""
    _check_size(width, height)
    data = QByteArray()
    buffer = QBuffer(data)
    generator = QSvgGenerator(QSvgGenerator.SvgVersion.Svg11)
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setTitle(caption.title)
    generator.setDescription(f"{caption.verdict} {caption.footer}")
    generator.setResolution(QPicture().logicalDpiX())  # see explained_image
    _paint(plot, caption, generator, width, height)
    return bake_cosmetic_strokes(_svg_in_pixels(bytes(data.data()), width, height))


def export_explained(
    plot: pg.PlotWidget,
    caption: ChartCaption,
    path: str | os.PathLike[str],
    width: int,
    height: int,
    replace_read_only: bool = False,
) -> None:
    """PNG or SVG by the file's suffix (anything but .svg is PNG)."""
    if str(path).lower().endswith(".svg"):
        data = explained_svg(plot, caption, width, height)
    else:
        image = explained_image(plot, caption, width, height)
        # The title travels in the PNG's text chunk too (file managers and viewers show it).
        image.setText("Title", caption.title)
        image.setText("Description", f"{caption.verdict} {caption.footer}")
        image.setText("Software", caption.footer.rsplit(" · ", 1)[-1])
        data = png_bytes(image)
    write_file_atomically(path, data, replace_read_only)


# --- painting ----------------------------------------------------------------


def _paint(plot: pg.PlotWidget, caption: ChartCaption, device, width: int, height: int) -> None:
    scale = text_scale(width, height)
    w, h = width / scale, height / scale  # the logical page everything is laid out on
    margin = 14.0
    inner = w - 2 * margin
    title_font = caption_font(20, bold=True)
    subject_font = caption_font(12)
    verdict_font = caption_font(13, bold=True)
    footer_font = caption_font(10.5)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)

    def block(font: QFont, text: str, top: float) -> QRectF:
        rect = QFontMetricsF(font).boundingRect(QRectF(margin, top, inner, h), flags, text)
        return QRectF(margin, top, inner, rect.height())

    title_rect = block(title_font, caption.title, margin * 0.8)
    subject_rect = block(subject_font, caption.subject, title_rect.bottom() + 2)
    verdict_rect = block(verdict_font, caption.verdict, subject_rect.bottom() + 4)
    footer_height = block(footer_font, caption.footer, 0).height()
    footer_rect = QRectF(margin, h - margin * 0.7 - footer_height, inner, footer_height)
    chart_rect = QRectF(0, verdict_rect.bottom() + 6, w, footer_rect.top() - 6)
    chart_rect.setBottom(footer_rect.top() - 6)
    if chart_rect.height() < 80:
        raise ExportError(f"{width} x {height} px leaves no room for the chart under its title")

    background = background_color(plot)
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError("the chart image could not be started")
    try:
        painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
        painter.scale(scale, scale)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for font, color, rect, text in (
            (title_font, TEXT_COLOR, title_rect, caption.title),
            (subject_font, MUTED_COLOR, subject_rect, caption.subject),
            (verdict_font, QColor(caption.color), verdict_rect, caption.verdict),
            (footer_font, MUTED_COLOR, footer_rect, caption.footer),
        ):
            painter.setFont(font)
            painter.setPen(color)
            painter.drawText(rect, flags, text)
        painter.setPen(QColor("#cccccc"))
        painter.drawLine(
            QRectF(footer_rect).topLeft() - pg.QtCore.QPointF(0, 4),
            QRectF(footer_rect).topRight() - pg.QtCore.QPointF(0, 4),
        )
        paint_chart(plot, painter, chart_rect, background)
    finally:
        painter.end()


def paint_chart(plot: pg.PlotWidget, painter: QPainter, target: QRectF, background: QColor) -> None:
    """Lay the chart out at ``target``'s size and paint it there with ``painter``
    (whatever its device and transform: image, SVG, PDF)."""
    width, height = max(1, round(target.width())), max(1, round(target.height()))
    items = plot.scene().items()
    # Items cached as pixels (the legend) would go into a vector file as an image.
    cached = [i for i in items if i.cacheMode() != i.CacheMode.NoCache]
    modes = [i.cacheMode() for i in cached]
    # The legend ignores transformations (it keeps its screen size when zoomed); in an
    # image it must scale with the rest, or its text stays screen-sized.
    fixed_size = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    unscaled = [i for i in items if i.flags() & fixed_size]
    for i in cached:
        i.setCacheMode(i.CacheMode.NoCache)
    for i in unscaled:
        i.setFlag(fixed_size, False)
    try:
        with _laid_out_at(plot, width, height) as item:
            _first_paint(plot)
            # The axes measure their tick labels while painting and widen for the next
            # layout ("$100M" is wider than the last ticks shown): lay out again with them.
            layout = getattr(item, "layout", None)
            if layout is not None:
                layout.activate()
            _ScenePainter(item).paint(painter, target, background)
    finally:
        for i, mode in zip(cached, modes, strict=True):
            i.setCacheMode(mode)
        for i in unscaled:
            i.setFlag(fixed_size, True)


def _first_paint(plot: pg.PlotWidget) -> None:
    """Paint once where nobody sees it. The axes measure their tick labels while painting
    (and widen for the next layout), and a TextItem's first paint replaces the painter's
    transform with its scene transform (pyqtgraph 0.14 TextItem.paint), which would put
    the target-year label's box somewhere else in an export scaled or moved on the page."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        plot.scene().render(painter)
    finally:
        painter.end()


class _ScenePainter(Exporter):
    """pyqtgraph's exporter protocol (items draw in export mode: vector symbols, not
    cached pixmaps) around a painter the caller owns."""

    def paint(self, painter: QPainter, target: QRectF, background: QColor) -> None:
        painter.save()
        try:
            self.setExportMode(
                True,
                {
                    "antialias": True,
                    "background": background,
                    "painter": painter,
                    # Scatter symbols are drawn in device pixels, sized by this scale.
                    "resolutionScale": abs(painter.deviceTransform().m11()),
                },
            )
            painter.fillRect(target, background)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self.render(painter, target, self.getSourceRect())
        finally:
            self.setExportMode(False)
            painter.restore()


# --- SVG for every renderer ------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
_MATRIX = re.compile(r"matrix\(([^)]*)\)")
_PAIR = re.compile(
    r"(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?),(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
)


def bake_cosmetic_strokes(svg: bytes) -> bytes:
    """Move each group's transform into the coordinates of its paths, so that lines drawn
    with cosmetic pens keep their width in every renderer.

    Qt writes a cosmetic pen (pyqtgraph's default: 2 px whatever the zoom) as
    ``vector-effect="non-scaling-stroke"`` inside a group scaled from data units to
    pixels; renderers without that SVG Tiny 1.2 feature (librsvg, ImageMagick) scale the
    stroke with the data, so a 2 px line becomes a band hundreds of pixels wide. Written
    by hand because pyqtgraph's SVGExporter, which does the same correction, fails with
    this Qt (pyqtgraph#3495); Qt writes absolute "x,y" pairs only, so an affine map of
    each pair is exact.
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(svg)
    for group in root.iter(f"{{{SVG_NS}}}g"):
        match = _MATRIX.fullmatch(group.get("transform", ""))
        children = list(group)
        if match is None or not children:
            continue
        bakeable = {f"{{{SVG_NS}}}{tag}" for tag in ("path", "polyline", "polygon")}
        if not all(
            ch.tag in bakeable and ch.get("vector-effect") == "non-scaling-stroke"
            for ch in children
        ):
            continue
        a, b, c, d, e, f = (float(v) for v in match.group(1).split(","))

        def mapped(m: re.Match[str], a=a, b=b, c=c, d=d, e=e, f=f) -> str:
            x, y = float(m.group(1)), float(m.group(2))
            return f"{a * x + c * y + e:.6g},{b * x + d * y + f:.6g}"

        for child in children:
            for attr in ("d", "points"):
                if attr in child.attrib:
                    child.set(attr, _PAIR.sub(mapped, child.get(attr, "")))
            del child.attrib["vector-effect"]
        del group.attrib["transform"]
    # Qt's generator leaves a clip on the groups drawn after a clipped item (a legend label's
    # clip ends up on the axis lines), which Qt's own SVG renderer ignores and librsvg
    # applies, hiding the axes and grid. Autorange keeps every item inside the plot, so the
    # clips are dropped: every renderer then draws what Qt draws.
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}clipPath":
                parent.remove(child)
        parent.attrib.pop("clip-path", None)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
