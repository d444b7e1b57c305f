"""Words and figures for people: the one place money, odds, rates and sentences are made.

The window (summary, compare panel, charts' readouts), the command line and the
exports all call these, so the same answer reads the same everywhere. Qt-free.
"""

from __future__ import annotations

import math
import re

from .analysis import GoalSeek
from .answer import Answer
from .history import RecordFigure
from .params import ParamSpec, fmt_number

NO_FIGURE = "—"


def money(value: float) -> str:
    """$M figures as people read them: $1,234M, $56.7M, $0.42M, $12.35B, $1.20T."""
    if not math.isfinite(value):
        return "n/a"
    size = abs(value)
    if size >= 1_000_000:
        return f"${value / 1_000_000:,.2f}T"
    if size >= 10_000:
        return f"${value / 1000:,.2f}B"
    if size >= 100:
        return f"${value:,.0f}M"
    if size >= 1:
        return f"${value:,.1f}M"
    return f"${value:.2f}M"


def money_tick(value: float) -> str:
    """An axis tick, from a cent to the largest allowed value: $0.01, $500K, $100M, $1B, $2.5T.

    ``value`` is in $M, like every figure here; four significant digits at most, so a tick
    never shows float noise.
    """
    if not math.isfinite(value):
        return ""
    if value == 0:
        return "$0"
    sign, size = ("-" if value < 0 else ""), abs(value)
    if size >= 1e9:  # a thousand trillion and more: whole trillions, never 1e+N
        return f"{sign}${size / 1e6:,.0f}T"
    for factor, suffix in ((1e6, "T"), (1e3, "B"), (1.0, "M"), (1e-3, "K")):
        if size >= factor * (1 - 1e-9):
            return f"{sign}${size / factor:,.4g}{suffix}"
    return f"{sign}${size * 1e6:,.4g}"  # under $1,000: plain dollars, down to a cent


def money_entry(value: float) -> str:
    """A figure as it was entered, to the base-turnover control's 0.1: $112.7M, $47.9M."""
    return f"${value:,.1f}M"


def chance(p: float) -> str:
    """A probability: 0%, <1%, 37%, >99%, 100% (never "0%" for a rare but possible event)."""
    if p <= 0:
        return "0%"
    if p >= 1:
        return "100%"
    if p < 0.01:
        return "<1%"
    if p > 0.99:
        return ">99%"
    return f"{p * 100:.0f}%"


def share(part: float, whole: float) -> str:
    """``part`` as a share of ``whole``: 4%, <1%, 106%."""
    if whole <= 0 or not math.isfinite(part):
        return "n/a"
    ratio = part / whole
    if 0 < ratio < 0.01:
        return "<1%"
    return f"{ratio * 100:.0f}%"


def rate(pct: float) -> str:
    """A yearly growth rate: 36.6%/yr."""
    return f"{pct:.1f}%/yr"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# --- the answer, in words ------------------------------------------------------


def subject(target_musd: float, target_year: int) -> str:
    """What the window and every report are about."""
    return f"Russia–DPRK trade turnover against the {money(target_musd)}-a-year target for {target_year}"


def verdict_text(a: Answer) -> str:
    """The verdict by the one rule (target-year P50 against the target), in plain words."""
    figures = f"P50 {money(a.p50)} in {a.target_year} against {money(a.target_musd)}"
    if not a.reached:
        return f"This scenario misses the target: {figures}."
    if a.contradicted_by_record:
        return f"This scenario reaches the target ({figures}), but the record shows it was missed."
    return f"This scenario reaches the target: {figures}."


def record_figure(r: RecordFigure) -> str:
    """One year of the record for a readout: "$42.7M (reported, Russian customs)"."""
    if r.value_musd is None:
        return f"no dollar figure ({r.series})"
    return f"{money(r.value_musd)} ({r.flag}, {r.series})"


def _figure_words(r: RecordFigure) -> str:
    kind = "" if r.flag == "reported" else f", {r.flag}"
    return f"{r.series}{kind}"


def record_text(a: Answer) -> str:
    """What happened, beside the verdict: the target year's actual, or the latest one."""
    r = a.record
    if r is None:
        return "What happened: the record has no figure for the projected years."
    if r.value_musd is None:
        return (
            f"What happened: {r.year} has no dollar figure ({r.note}); the record shows "
            "trade far below the target."
            if r.year == a.target_year
            else f"What happened: {r.year} has no dollar figure ({r.note})."
        )
    figure = (
        f"{r.year} turnover {money(r.value_musd)} — {share(r.value_musd, a.target_musd)} "
        f"of the target ({_figure_words(r)})"
    )
    if r.year == a.target_year:
        return f"What happened: {figure}."
    return f"What happened: no figure for {a.target_year} yet; the latest, {figure}."


def record_source(a: Answer) -> str:
    r = a.record
    if r is None:
        return ""
    note = f" Note: {r.note}." if r.note and r.value_musd is not None else ""
    return f"Source: {r.source}.{note}"


def crossing_text(a: Answer) -> str:
    """When the median path first crosses the target: a figure apart from the verdict."""
    c = a.crossing_year
    if c is None:
        return f"not by {a.horizon_year}"
    text = f"first crosses in {c}"
    if c > a.target_year:
        text += f", {c - a.target_year} yr after {a.target_year}"
    if a.falls_back_year is not None:
        text += f", falls back below in {a.falls_back_year}"
    return text


def goal_seek_text(seek: GoalSeek) -> str:
    return sentence(seek.message)


def backtest_text(a: Answer) -> str:
    bt = a.backtest
    if bt is None:
        return "No history loaded."
    mae, bias = bt.mean_abs_error, bt.mean_error
    if mae is None or bias is None:
        return "No recorded turnover after the base year to compare with."
    n = len(bt.years)
    span = f"{bt.years[0]}–{bt.years[-1]}" if n > 1 else f"{bt.years[0]}"
    direction = "above" if bias > 0 else "below"
    return (
        f"Mean absolute error {money(mae)} over {n} year{'s' if n != 1 else ''} ({span}); "
        f"the path runs on average {money(abs(bias))} {direction} what happened."
    )


def base_note(a: Answer) -> str:
    """Says when the base-year turnover is not the record's figure for that year."""
    r = a.base_record
    if r is None:
        return f"The record has no figure for {a.base_year}: the base-year turnover is yours."
    if r.value_musd is None:
        return (
            f"The record has no dollar figure for {a.base_year}: the base-year turnover "
            f"{money_entry(a.base_turnover_musd)} is yours."
        )
    if a.base_differs_from_record:
        return (
            f"Base-year turnover {money_entry(a.base_turnover_musd)} differs from the record's "
            f"{money_entry(r.value_musd)} for {a.base_year} ({_figure_words(r)})."
        )
    return ""


def summary_lines(a: Answer) -> list[str]:
    """The command line's text summary: the same sentences as the window's summary."""
    y = a.target_year
    lines = [
        f"Scenario: {a.scenario_name}",
        f"About: {subject(a.target_musd, y)}",
        f"Verdict: {verdict_text(a)}",
        record_text(a),
    ]
    if a.record is not None:
        lines.append(record_source(a))
    lines += [
        f"Median path: {crossing_text(a)}",
        f"Chance of reaching it in {y}: {chance(a.p_reach_in_target_year)}",
        f"Chance of reaching it by {y} (any year up to it): {chance(a.p_reach_by_target_year)}",
        f"Turnover in {y}: P10 {money(a.p10)}, P50 {money(a.p50)}, P90 {money(a.p90)}",
        f"Growth needed from the base-year turnover with nothing else: "
        f"{rate(a.required_growth_pct)}",
        f"Goal seek (everything else held): {goal_seek_text(a.goal_seek())}",
        f"Backtest against history: {backtest_text(a)[:1].lower()}{backtest_text(a)[1:]}",
    ]
    note = base_note(a)
    if note:
        lines.append(note)
    return lines


# --- reading what a person typed ----------------------------------------------------


class EntryError(ValueError):
    """Typed text that cannot be taken as the parameter's value; the message says why."""


_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)"  # re caches it; no re.compile in engine or io


def read_entry(text: str, spec: ParamSpec, decimal_point: str = ".") -> float | int:
    """A typed value exactly as typed, or EntryError naming what is wrong.

    Both "." and the locale's decimal separator are read as the decimal point. Nothing
    is rounded or clamped: too many decimals or a value out of range is refused.
    """
    shown = text.strip()
    unit = f" {spec.unit}" if spec.unit else ""
    t = shown.replace("\u2212", "-").replace(" ", "")
    if decimal_point != "." and decimal_point in t:
        t = t.replace(decimal_point, ".", 1) if "." not in t else t
    if not re.fullmatch(_NUMBER, t):
        hint = ' (use "." for decimals)' if "," in t and decimal_point != "," else ""
        raise EntryError(f"“{shown}” is not a number{hint}")
    value = float(t)
    decimals = len(t.split(".")[1].rstrip("0")) if "." in t else 0
    if decimals > spec.decimals:
        allowed = "a whole number" if spec.decimals == 0 else f"{spec.decimals} decimal(s) at most"
        raise EntryError(f"{shown}: {spec.label} takes {allowed}")
    if value > spec.maximum:
        raise EntryError(f"{shown}{unit} is too high: {fmt_number(spec.maximum)}{unit} is the most")
    if value < spec.minimum:
        raise EntryError(f"{shown}{unit} is too low: {fmt_number(spec.minimum)}{unit} is the least")
    return int(round(value)) if spec.kind == "int" else value
