"""The one-page report: a scenario's story on a page of A4 or Letter, as a PDF.

Title (what trade, which scenario, date, version), the verdict with the record
beside it, the projection chart (vector), the target-year figures, every parameter
with its unit (those changed from the default marked), the shocks with their
labels, the backtest (and the rolling backtest and fit where the answer has them),
the scenario's notes and the sources of the history shown.

Everything is Qt's own: QPdfWriter for the file, QTextDocument for the text (real,
selectable text in the PDF) and the chart painted into the page by the same code as
the chart images (``chart_image.paint_chart``), so it stays vector. Every figure and
sentence comes from the answer through ``forecaster.engine.formatting``. No window is
needed: the headless command line calls ``report_pdf`` with an offscreen application.

One page, always: when the text does not fit, the type gets smaller (down to 6 pt),
then the notes are shortened, and the page says so.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPicture,
    QTextDocument,
)

from forecaster import __version__
from forecaster.engine.answer import Answer
from forecaster.engine.formatting import (
    backtest_text,
    base_note,
    chance,
    changed_params,
    crossing_text,
    fit_text,
    goal_seek_text,
    history_line,
    money,
    param_value,
    rate,
    record_source,
    record_text,
    rolling_backtest_text,
    shock_text,
    subject,
    verdict_text,
    version_text,
)
from forecaster.engine.history import HistorySeries
from forecaster.engine.params import PARAMS, Scenario
from forecaster.engine.projection import Projection

from .chart_image import (
    CAPTION_FAMILIES,
    caption_for,
    make_chart,
    paint_chart,
    without_ligatures,
)
from .exporting import ExportError

PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGIN_PT = 36.0  # half an inch
FONT_SIZES_PT = (8.0, 7.5, 7.0, 6.5, 6.0)
CHART_SHARE = 0.32  # of the page height
CHART_ZOOM = 0.8  # chart text of about 8 pt
NOTES_CUT = " … (shortened to fit the page; the full notes are in the scenario file)"


def default_page_size(locale: QLocale | None = None) -> str:
    """Letter where the locale measures in inches (the US), A4 elsewhere."""
    system = (locale or QLocale()).measurementSystem()
    return "letter" if system == QLocale.MeasurementSystem.ImperialUSSystem else "a4"


@dataclass(frozen=True)
class ReportPage:
    """What was laid out: for tests and the status line."""

    page_size: str
    font_pt: float
    notes_shortened: bool


def report_pdf(
    scenario: Scenario,
    projection: Projection,
    history: HistorySeries | None,
    result: Answer,
    page_size: str | None = None,
    *,
    log: bool = True,
    today: dt.date | None = None,
    version: str = __version__,
) -> tuple[bytes, ReportPage]:
    """The report as the bytes of a one-page PDF."""
    page = (page_size or default_page_size()).lower()
    if page not in PAGE_SIZES:
        raise ExportError(f"page size {page_size!r} is not one of: {', '.join(PAGE_SIZES)}")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZES[page]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Point,
        )
    )
    # At the DPI of the QPictures the axes replay from, so their text plays back 1:1
    # (coordinates stay floating point: the chart and text remain vector).
    writer.setResolution(QPicture().logicalDpiX())
    writer.setTitle(f"{result.scenario_name} — Forecaster report")
    writer.setCreator(version_text(version))
    chart = make_chart(projection, history, log)
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError("the PDF could not be started")
    try:
        # Work in points: 1 unit = 1/72 inch, whatever the writer's resolution.
        painter.scale(writer.resolution() / 72.0, writer.resolution() / 72.0)
        size = QPageSize(PAGE_SIZES[page]).size(QPageSize.Unit.Point)
        laid = _paint_page(painter, size, chart, scenario, history, result, today, version)
    finally:
        painter.end()
        chart.close()
        chart.deleteLater()
    buffer.close()
    return bytes(data.data()), ReportPage(page, *laid)


# --- the page -------------------------------------------------------------------


def _paint_page(
    painter: QPainter,
    size: QSizeF,
    chart,
    scenario: Scenario,
    history: HistorySeries | None,
    result: Answer,
    today: dt.date | None,
    version: str,
) -> tuple[float, bool]:
    width = size.width() - 2 * MARGIN_PT
    bottom = size.height() - MARGIN_PT
    date = (today or dt.date.today()).isoformat()
    notes = scenario.notes
    shortened = False
    font_pt = FONT_SIZES_PT[-1]
    for font_pt in FONT_SIZES_PT:
        head, body = _documents(scenario, history, result, date, version, notes, font_pt, width)
        chart_h = size.height() * CHART_SHARE
        if MARGIN_PT + head.size().height() + chart_h + body.size().height() <= bottom:
            break
    else:
        # Smallest type and still too long: the notes give way, in halves.
        while notes:
            notes = notes[: len(notes) // 2].rstrip()
            shortened = True
            head, body = _documents(
                scenario, history, result, date, version, notes + NOTES_CUT, font_pt, width
            )
            if MARGIN_PT + head.size().height() + chart_h + body.size().height() <= bottom:
                break
        free = bottom - MARGIN_PT - head.size().height() - body.size().height()
        chart_h = max(min(chart_h, free), 150.0)
    y = MARGIN_PT
    _draw(painter, head, MARGIN_PT, y)
    y += head.size().height()
    # Laid out larger and drawn scaled down, so its labels sit with the report's type.
    painter.save()
    painter.translate(MARGIN_PT, y)
    painter.scale(CHART_ZOOM, CHART_ZOOM)
    target = QRectF(0, 0, width / CHART_ZOOM, (chart_h - 4) / CHART_ZOOM)
    paint_chart(chart, painter, target, QColor("white"))
    painter.restore()
    y += chart_h
    _draw(painter, body, MARGIN_PT, y)
    return font_pt, shortened


def _draw(painter: QPainter, doc: QTextDocument, x: float, y: float) -> None:
    painter.save()
    painter.translate(x, y)
    doc.drawContents(painter)
    painter.restore()


def _document(html_text: str, font_pt: float, width: float) -> QTextDocument:
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(CAPTION_FAMILIES)
    without_ligatures(font)
    # The painter works in points, so a "pixel" of the document is a point.
    font.setPixelSize(max(1, round(font_pt)))
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(_css(font_pt))
    doc.setHtml(html_text)
    doc.setTextWidth(width)
    return doc


def _css(pt: float) -> str:
    return (
        f"body {{ font-size: {pt}px; color: #202020; }}"
        f"h1 {{ font-size: {pt * 2.1:.1f}px; margin: 0; }}"
        f"h2 {{ font-size: {pt * 1.15:.1f}px; margin-top: {pt * 0.6:.1f}px; margin-bottom: 1px; "
        "color: #1f4e9c; }"
        f"p {{ margin: 0 0 {pt * 0.25:.1f}px 0; }}"
        ".muted { color: #555555; }"
        "td { padding: 0px 4px 0px 0px; }"
        "th { text-align: left; padding: 0px 4px 0px 0px; color: #555555; }"
    )


def _documents(
    scenario: Scenario,
    history: HistorySeries | None,
    result: Answer,
    date: str,
    version: str,
    notes: str,
    font_pt: float,
    width: float,
) -> tuple[QTextDocument, QTextDocument]:
    e = html.escape
    caption = caption_for(scenario, result, version)
    head = (
        f"<h1>{e(result.scenario_name)}</h1>"
        f"<p class='muted'>{e(subject(result.target_musd, result.target_year))} · "
        f"scenario report of {e(date)} · {e(version_text(version))}</p>"
        f"<p style='color:{caption.color}; font-size:{font_pt * 1.35:.1f}px'>"
        f"<b>{e(verdict_text(result))}</b></p>"
        f"<p>{e(record_text(result))} <span class='muted'>{e(record_source(result))}</span></p>"
    )
    left = _section("Target-year figures", _figures_table(result)) + _section(
        "Backtest and fit", "".join(f"<p>{e(t)}</p>" for t in _backtest_lines(result))
    )
    left += _section("Shocks", _shocks_html(scenario))
    right = _section("Parameters", _params_table(scenario))
    note_html = "<br>".join(e(line) for line in notes.splitlines()) or "<i>No notes.</i>"
    sources = _sources(history)
    body = (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td width='50%' valign='top' style='padding-right:10px'>{left}</td>"
        f"<td width='50%' valign='top'>{right}</td></tr></table>"
        + _section("Scenario notes", f"<p>{note_html}</p>")
        + _section(
            "Sources of the history shown",
            "".join(f"<p class='muted'>{e(line)}</p>" for line in sources)
            or "<p>No history loaded.</p>",
        )
    )
    return _document(head, font_pt, width), _document(body, font_pt, width)


def _section(title: str, content: str) -> str:
    return f"<h2>{html.escape(title)}</h2>{content}"


def _rows(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table cellspacing='0'>{cells}</table>"


def _figures_table(a: Answer) -> str:
    y = a.target_year
    actual = a.actual_target_year_musd
    rows = [
        (f"Target for {y}", money(a.target_musd)),
        (f"Turnover in {y} (P10 / P50 / P90)", f"{money(a.p10)} / {money(a.p50)} / {money(a.p90)}"),
        (f"Actual {y}", money(actual) if actual is not None else "no figure"),
        (f"Chance of reaching it in {y}", chance(a.p_reach_in_target_year)),
        (f"Chance of reaching it by {y}", chance(a.p_reach_by_target_year)),
        ("Median path", crossing_text(a)),
        ("Growth needed, nothing else", rate(a.required_growth_pct)),
        ("Goal seek", goal_seek_text(a.goal_seek())),
    ]
    note = base_note(a)
    extra = f"<p class='muted'>{html.escape(note)}</p>" if note else ""
    return _rows(rows) + extra


def _backtest_lines(a: Answer) -> list[str]:
    lines = [f"Against history: {backtest_text(a)}"]
    # Where the engine attaches them (the rolling backtest and the fit to history).
    rolling = getattr(a, "rolling_backtest", None)
    if rolling is not None:
        lines.append(rolling_backtest_text(rolling))
    fit = getattr(a, "fit", None)
    if fit is not None:
        lines.append(fit_text(fit))
    return lines


def _params_table(scenario: Scenario) -> str:
    changed = set(changed_params(scenario))
    cells = []
    for spec in PARAMS:
        value = param_value(spec, scenario.params[spec.key])
        if spec.key in changed:
            default = param_value(spec, spec.default)
            cells.append(
                f"<tr><td><b>{html.escape(spec.label)} *</b></td><td><b>{html.escape(value)}"
                f"</b> <span class='muted'>(default {html.escape(default)})</span></td></tr>"
            )
        else:
            cells.append(
                f"<tr><td>{html.escape(spec.label)}</td><td>{html.escape(value)}</td></tr>"
            )
    marker = (
        f"<p class='muted'>* changed from the default ({len(changed)} of {len(PARAMS)})</p>"
        if changed
        else "<p class='muted'>All parameters at their defaults.</p>"
    )
    return f"<table cellspacing='0'>{''.join(cells)}</table>{marker}"


def _shocks_html(scenario: Scenario) -> str:
    if not scenario.shocks:
        return "<p>No sanction shocks.</p>"
    items = []
    for s in scenario.shocks:
        label = f" — {html.escape(s.label)}" if s.label else ""
        items.append(f"<p>{html.escape(shock_text(s))}{label}</p>")
    return "".join(items)


def _sources(history: HistorySeries | None) -> list[str]:
    """Every figure of the record the chart shows (those with a dollar value)."""
    if history is None:
        return []
    lines = []
    for year in history.years:
        r = history.figure(int(year))
        if r is not None and r.value_musd is not None:
            lines.append(history_line(r))
    return lines
