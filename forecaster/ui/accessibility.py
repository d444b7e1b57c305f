"""What each control sets, for What's This (Shift+F1) and for screen readers.

``describe_view`` walks a built ``ScenarioView`` and gives every control an accessible
name, an accessible description and a What's This text. Parameter controls are found
by object name (slider and entry are named after the spec key, the reset button
``reset_<key>``, a "new value" button ``new_<key>``) and described from the spec table,
so a new parameter row is described without an edit here. The shock editor's rows come
and go with the scenario; they are described again whenever their number changes.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QGroupBox,
    QLabel,
    QWidget,
)

from forecaster.engine.model_text import GOAL_SEEK_MARKDOWN, GROWTH_NEEDED_MARKDOWN, plain
from forecaster.engine.params import (
    MAX_LABEL_CHARS,
    MAX_SHOCKS,
    PARAMS,
    SHOCK_DEPTH_RANGE,
    SHOCK_HALF_LIFE_RANGE,
    SHOCK_START_RANGE,
    ParamSpec,
    fmt_number,
)
from forecaster.ui.shock_editor import ShockEditor


def set_help(widget: QWidget, name: str, description: str, whats_this: str = "") -> None:
    """Accessible name and description, and What's This (rich text; the description if
    none is given, with the name in bold)."""
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    widget.setWhatsThis(
        whats_this or f"<b>{html.escape(name)}</b><p>{html.escape(description)}</p>"
    )


def _with_unit(spec: ParamSpec, value: float) -> str:
    return f"{fmt_number(value)} {spec.unit}" if spec.unit else fmt_number(value)


def range_sentence(spec: ParamSpec) -> str:
    """``Range 0 to 80 %; default 30 %.`` in the words the entries' messages use."""
    return f"Range {spec.describe_range()}; default {_with_unit(spec, spec.default)}."


def param_whats_this(spec: ParamSpec, how: str) -> str:
    """The What's This of a parameter's control: help, range, default, steps, file key."""
    e = html.escape
    unit = f" ({e(spec.unit)})" if spec.unit else ""
    return (
        f"<b>{e(spec.label)}</b>{unit}<p>{e(spec.help)}</p>"
        f"<p>Range: {e(spec.describe_range())}<br>"
        f"Default: {e(_with_unit(spec, spec.default))}<br>"
        f"Step: {spec.step:g}; Page Up/Down: {fmt_number(spec.big_step)}</p>"
        f"<p>{e(how)}</p>"
        f"<p>In scenario files: <code>{e(spec.key)}</code>. "
        "Help ▸ The model (F1) lists every parameter.</p>"
    )


def describe_param_control(widget: QWidget, spec: ParamSpec) -> None:
    """A slider or entry of one parameter: named as its label, described from its row."""
    if isinstance(widget, QAbstractSlider):
        how = (
            "Drag, or use the arrow keys for one step, Page Up/Down for a page, "
            "Home/End for the ends."
        )
    elif isinstance(widget, QAbstractSpinBox):
        how = "Type an exact value and press Enter; a value out of range is refused in words."
    else:
        how = ""
    set_help(
        widget,
        spec.label,
        f"{spec.help} {range_sentence(spec)}",
        param_whats_this(spec, how),
    )


def describe_reset_button(widget: QWidget, spec: ParamSpec) -> None:
    default = _with_unit(spec, spec.default)
    set_help(
        widget,
        f"Reset {spec.label}",
        f"Sets {spec.label} back to its default, {default} (range {spec.describe_range()}).",
    )


def describe_new_value_button(widget: QWidget, spec: ParamSpec) -> None:
    set_help(
        widget,
        f"New {spec.label.lower()}",
        f"Sets {spec.label} to a new random value in its range, {spec.describe_range()}. "
        f"{spec.help}",
    )


def describe_control_panel(panel: QWidget) -> None:
    """Every parameter's controls, the group boxes, Reset all and the shock editor."""
    for spec in PARAMS:
        for widget in panel.findChildren(QWidget, spec.key):
            describe_param_control(widget, spec)
        for label in panel.findChildren(QLabel):
            if label.buddy() is not None and label.buddy().objectName() == spec.key:
                label.setWhatsThis(param_whats_this(spec, ""))
        for widget in panel.findChildren(QWidget, f"reset_{spec.key}"):
            describe_reset_button(widget, spec)
        for widget in panel.findChildren(QWidget, f"new_{spec.key}"):
            describe_new_value_button(widget, spec)
    for box in panel.findChildren(QGroupBox):
        name = box.title().replace("&&", "&")
        box.setAccessibleName(name)
        box.setAccessibleDescription(f"The {name.lower()} parameters.")
    for widget in panel.findChildren(QWidget, "reset_all"):
        set_help(
            widget,
            "Reset all",
            "Sets every parameter to its default; the sanction shocks are kept. Undoable.",
        )
    editor = getattr(panel, "shock_editor", None)
    if editor is not None:
        describe_shock_editor(editor)
        counted = [editor.row_count()]

        def follow(_scenario: object) -> None:
            # This runs on every change (every slider step): only a new number of rows
            # means new editors to describe.
            if editor.row_count() != counted[0]:
                counted[0] = editor.row_count()
                describe_shock_editor(editor)

        # Connected after the editor's own handler, so the rows are already rebuilt.
        editor.document.sigScenarioChanged.connect(follow)


def describe_shock_editor(editor: ShockEditor) -> None:
    """ "Add shock", and each row's start, depth, half-life, permanent, label and remove."""
    lo, hi = SHOCK_START_RANGE
    dlo, dhi = SHOCK_DEPTH_RANGE
    hlo, hhi = SHOCK_HALF_LIFE_RANGE
    for widget in editor.findChildren(QWidget, "add_shock"):
        set_help(
            widget,
            "Add shock",
            "Adds a sanction shock: a cut in trade from a start year that heals with a "
            f"half-life, or never. At most {MAX_SHOCKS} shocks.",
        )
    for i in range(editor.row_count()):
        row = editor.row(i)
        n = f"Shock {i + 1}"
        set_help(
            row.start,
            f"{n} start year",
            f"The year the shock hits trade. Range {lo} to {hi}.",
        )
        set_help(
            row.depth,
            f"{n} depth",
            f"The share of trade cut in the start year. Range {dlo:g} to {dhi:g} %.",
        )
        set_help(
            row.half_life,
            f"{n} half-life",
            "Years for the cut to halve; not used when the shock is permanent. "
            f"Range {hlo:g} to {hhi:g} years.",
        )
        set_help(
            row.permanent,
            f"{n} permanent",
            "When checked the cut never heals and the half-life is not used.",
        )
        set_help(
            row.label,
            f"{n} label",
            f"An optional name for the shock, shown in comparisons; up to {MAX_LABEL_CHARS} "
            "characters.",
        )
        set_help(row.remove, f"Remove shock {i + 1}", "Removes this shock. Undoable.")


def describe_summary(summary: QWidget) -> None:
    """The goal seek's radios and Apply button, and the figures the summary explains."""
    seek = plain(GOAL_SEEK_MARKDOWN)
    alone = plain(GROWTH_NEEDED_MARKDOWN)
    buttons = {
        "goal_seek_p50": (
            "Goal seek for P50",
            "Find the growth at which the median (P50) reaches the target in the target "
            "year, every other setting kept.",
        ),
        "goal_seek_p90": (
            "Goal seek for P90",
            "Find the growth at which the 90th percentile (P90) reaches the target in the "
            "target year, every other setting kept: one path in ten does at least this well.",
        ),
        "goal_seek_apply": (
            "Apply goal-seek growth",
            "Sets Annual growth to the goal-seek answer. Undoable.",
        ),
    }
    for name, (title, text) in buttons.items():
        for widget in summary.findChildren(QAbstractButton, name):
            set_help(
                widget,
                title,
                text,
                f"<b>{html.escape(title)}</b><p>{html.escape(text)}</p><p>{html.escape(seek)}</p>",
            )
    for answer_label in summary.findChildren(QLabel, "goal_seek_answer"):
        answer_label.setAccessibleName("Goal-seek answer")
        answer_label.setAccessibleDescription(seek)
    for needed_label in summary.findChildren(QLabel, "growth_needed"):
        needed_label.setAccessibleName("Growth needed (alone)")
        needed_label.setAccessibleDescription(alone)


def describe_charts(view: QWidget) -> None:
    """The three charts, the log-scale box and the tabs under the projection."""
    charts = {
        "projection_chart": (
            "Projection chart",
            "Turnover in millions of dollars a year: the target line and year, the median "
            "(P50) path, the P10–P90 and P25–P75 bands, the deterministic path and the "
            "recorded history. Hover for the figures of a year.",
        ),
        "debt_chart": (
            "Debt chart",
            "The Soviet-era debt still outstanding, and each year's repayment paid and "
            "reinvested as trade.",
        ),
        "tornado_chart": (
            "Sensitivity chart",
            "How much one page step of each lever, down and up, moves the target-year P50; "
            "widest first.",
        ),
        "log_scale": (
            "Log scale",
            "Shows turnover on a logarithmic axis, where equal steps are equal growth rates.",
        ),
    }
    for name, (title, text) in charts.items():
        for widget in view.findChildren(QWidget, name):
            set_help(widget, title, text)
    for tabs in view.findChildren(QWidget, "chart_tabs"):
        set_help(
            tabs,
            "Debt and sensitivity charts",
            "Tabs under the projection: the debt repayments, and the sensitivity of the "
            "target-year P50 to each lever.",
        )
        for i in range(tabs.count()):  # type: ignore[attr-defined]
            tabs.setTabWhatsThis(i, tabs.tabToolTip(i))  # type: ignore[attr-defined]


def describe_view(view: QWidget) -> None:
    """Name, describe and explain every control of a ``ScenarioView``."""
    describe_control_panel(view.control_panel)  # type: ignore[attr-defined]
    describe_summary(view.summary_panel)  # type: ignore[attr-defined]
    describe_charts(view)
