"""Words and figures for people: the one place money, odds, rates and sentences are made.

The window (summary, compare panel, charts' readouts), the command line and the
exports all call these, so the same answer reads the same everywhere. Qt-free.
"""

from __future__ import annotations

import math
import re

from .analysis import GoalSeek
from .answer import Answer
from .calibration import FittedParams, HistoryFit, RollingBacktest
from .history import RecordFigure
from .params import PARAMS, ParamSpec, Scenario, Shock, fmt_number

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


# --- judged against the record (issue 11) -----------------------------------------


def percent(share: float) -> str:
    """A share as a whole percent: 81%."""
    return f"{share * 100:.0f}%"


def percent_interval(interval: tuple[float, float]) -> str:
    """A 90% interval of a share: 69–89%."""
    return f"{interval[0] * 100:.0f}–{interval[1] * 100:.0f}%"


BANDS = {
    80: ("P10–P90", "inside_80", "coverage_80", "coverage_80_ci90"),
    50: ("P25–P75", "inside_50", "coverage_50", "coverage_50_ci90"),
}


def calibration_word(interval: tuple[float, float], nominal: float) -> str:
    """What the interval of a coverage says about a band meant to hold ``nominal``."""
    if interval[1] < nominal:
        return "too narrow"
    if interval[0] > nominal:
        return "too wide"
    return "consistent with it"


def coverage_text(bt: RollingBacktest, band: int) -> str:
    """One band's coverage: "P10–P90 held 30 of 37 (81%; nominal 80%, 90% interval
    69–89%: consistent with it)"."""
    name, inside, share, interval = BANDS[band]
    if bt.pairs == 0:
        return f"{name}: no pairs"
    ci = getattr(bt, interval)
    return (
        f"{name} held {getattr(bt, inside)} of {bt.pairs} ({percent(getattr(bt, share))}; "
        f"nominal {band}%, 90% interval {percent_interval(ci)}: "
        f"{calibration_word(ci, band / 100)})"
    )


def skill_value(skill: float | None) -> str:
    """Skill as a signed percent: +51%, -679%, n/a."""
    return "n/a" if skill is None else f"{skill * 100:+.0f}%"


def skill_words(skill: float | None) -> str:
    if skill is None:
        return "no skill figure (the no-change forecast scored 0)"
    if skill > 0:
        return "better than the no-change forecast"
    if skill < 0:
        return "worse than the no-change forecast"
    return "no better than the no-change forecast"


def crps_text(bt: RollingBacktest) -> str:
    """Mean CRPS against the naive benchmark, and the skill."""
    if bt.crps_musd is None or bt.naive_crps_musd is None:
        return "no pairs to score"
    return (
        f"mean CRPS {money(bt.crps_musd)} against {money(bt.naive_crps_musd)} for a "
        f"no-change forecast: skill {skill_value(bt.skill)}, {skill_words(bt.skill)}"
    )


def rolling_backtest_scope(bt: RollingBacktest) -> str:
    """What was scored: "37 pairs from 10 origins (2013–2023), 1 to 5 years ahead"."""
    n = len(bt.origins)
    span = f"{bt.origins[0]}–{bt.origins[-1]}" if n > 1 else (f"{bt.origins[0]}" if n else "")
    origins = f"{n} origin{'s' if n != 1 else ''}" + (f" {span}" if span else "")
    ahead = "1 year ahead" if bt.reach_years == 1 else f"1 to {bt.reach_years} years ahead"
    return f"{bt.pairs} pair{'s' if bt.pairs != 1 else ''} from {origins}, {ahead}"


def rolling_backtest_lines(bt: RollingBacktest) -> list[str]:
    """The rolling-origin backtest in two lines (command line text summary)."""
    if bt.pairs == 0:
        return [
            f"Rolling backtest: no pairs to score ({rolling_backtest_scope(bt)}).",
            "Coverage and skill need a year with a figure after an origin from the base year on.",
        ]
    return [
        f"Rolling backtest ({rolling_backtest_scope(bt)}): {coverage_text(bt, 80)}; "
        f"{coverage_text(bt, 50)}.",
        f"Scored against the record: {crps_text(bt)}.",
    ]


def signed_rate(pct: float) -> str:
    return f"{pct:+.1f}%/yr"


def fit_scope(fit: HistoryFit) -> str:
    """ "2011–2024, 10 yearly changes, left out: 2016" """
    text = f"{fit.first}–{fit.last}, {fit.changes} yearly changes"
    if fit.exclude_shock_years:
        left = ", ".join(str(y) for y in fit.left_out_years) or "none"
        text += f", shock years left out: {left}"
    return text


def fit_growth_text(fit: HistoryFit) -> str:
    lo, hi = fit.growth_ci90
    return f"growth {rate(fit.growth_pct)} (90% interval {signed_rate(lo)} to {signed_rate(hi)})"


def fit_volatility_text(fit: HistoryFit) -> str:
    lo, hi = fit.volatility_ci90
    return f"volatility {fit.volatility_pct:.1f}% (90% interval {lo:.1f}–{hi:.1f}%)"


def fit_lines(fit: HistoryFit) -> list[str]:
    """The fit to history in two lines (command line text summary)."""
    return [
        f"Fit to history ({fit_scope(fit)}): {fit_growth_text(fit)}.",
        f"Fitted {fit_volatility_text(fit)}.",
    ]


def fit_applied_text(fitted: FittedParams) -> str:
    """What Apply sets: "growth 11.7%/yr and volatility 78%", and any value clamped."""
    from .params import SPECS

    text = f"growth {rate(fitted.growth_pct)} and volatility {fitted.volatility_pct:g}%"
    for key in fitted.clamped:
        spec = SPECS[key]
        text += (
            f" ({spec.label.lower()} held to its range, {spec.describe_range()}; "
            "the fit is outside it)"
        )
    return text


def fit_note(fit: HistoryFit, fitted: FittedParams) -> str:
    """What the scenario's notes keep after a fit is applied."""
    return (
        f"Fitted to history ({fit_scope(fit)}): {fit_growth_text(fit)}; "
        f"{fit_volatility_text(fit)}. Set {fit_applied_text(fitted)}."
    )


def backtest_explained(bt: RollingBacktest) -> list[str]:
    """What the Backtest tab's figures mean, for a newcomer (one paragraph each)."""
    n = bt.pairs
    few = (
        f"With {n} pair{'s' if n != 1 else ''}, chance alone moves the count a lot: the 90% "
        "interval is the range of true coverage this count is consistent with. The pairs "
        "overlap in time (one bad year spoils several), so the real range is wider still."
    )
    return [
        "<b>How it is judged.</b> Each year with a figure from the base year on is taken "
        "in turn as the starting point (an origin): the scenario is started again from "
        "that year's recorded turnover, and its forecast for each of the next "
        f"{bt.reach_years} year{'s' if bt.reach_years != 1 else ''} with a figure is "
        "compared with what happened. Each such forecast and outcome is a pair.",
        "<b>Coverage</b>: how often what happened fell inside a band. An honest 80% "
        "band (P10–P90) holds the outcome about 8 times in 10, a 50% band (P25–P75) "
        "about half the time. Far less means the bands are too narrow (overconfident); "
        "far more, too wide. In the small chart the dot is the share held, the bar its "
        "90% interval, the dashed line the nominal share. " + few,
        "<b>Skill</b>: the CRPS is how far the whole forecast was from what happened, "
        "in $M (lower is better; for a single number it is the plain error). Skill "
        "compares it with a naive forecast: no change from the origin's figure, with "
        "the same volatility. +100% would be perfect, 0% no better than naive, below 0% "
        "worse.",
    ]


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
    if a.rolling_backtest is not None:
        lines += rolling_backtest_lines(a.rolling_backtest)
    if a.fit is not None:
        lines += fit_lines(a.fit)
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


# --- tables, exports and reports ----------------------------------------------


def plain_number(value: float | int, places: int = 6) -> str:
    """A number for a table to paste or a CSV: at most ``places`` decimals, trailing
    zeros dropped, no separators or exponent (1095.9999999999998 -> 1096, 54.8)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not math.isfinite(value):
        return ""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def param_value(spec: ParamSpec, value: float | int) -> str:
    """A parameter's value with its unit, to its step: $112.7M, 36.6%/yr, 20 years, 2013."""
    places = spec.decimals
    unit = spec.unit
    if unit.startswith("$"):
        return f"${value:,.{places}f}{unit[1:]}"
    grouped = f"{value:,.{places}f}" if spec.key == "draws" else f"{value:.{places}f}"
    if not unit:
        return grouped
    return f"{grouped}{unit}" if unit.startswith("%") else f"{grouped} {unit}"


def changed_params(scenario: Scenario) -> list[str]:
    """The keys whose value is not the parameter table's default."""
    return [p.key for p in PARAMS if scenario.params[p.key] != p.default]


def shock_text(shock: Shock) -> str:
    """A sanction shock in words: "2016: 30% cut, halves every 2 years"."""
    heal = (
        "permanent"
        if shock.half_life_years is None
        else f"halves every {shock.half_life_years:g} year"
        f"{'' if shock.half_life_years == 1 else 's'}"
    )
    return f"{shock.start_year}: {shock.depth_pct:g}% cut, {heal}"


def key_assumptions(scenario: Scenario) -> str:
    """The assumptions a chart cannot show, in one line for an image's footer."""
    p = scenario.params
    n = len(scenario.shocks)
    shocks = "no shocks" if n == 0 else f"{n} shock{'s' if n != 1 else ''}"
    if n:
        shocks += " (" + "; ".join(shock_text(s) for s in scenario.shocks[:3])
        shocks += "; …)" if n > 3 else ")"
    return (
        f"Base {int(p['base_year'])} {money_entry(float(p['base_turnover_musd']))} · "
        f"growth {rate(float(p['growth_pct']))}, volatility {p['volatility_pct']:g}% · "
        f"{shocks} · debt repayments counted as trade {p['debt_reinvest_pct']:g}% · "
        f"{int(p['draws']):,} draws"
    )


def version_text(version: str) -> str:
    return f"Forecaster {version}"


def chart_footer(scenario: Scenario, version: str) -> str:
    return f"{key_assumptions(scenario)} · {version_text(version)}"


def history_line(r: RecordFigure) -> str:
    """One row of the record with its source, for a report's list of sources."""
    value = NO_FIGURE if r.value_musd is None else money(r.value_musd)
    return f"{r.year}: {value} ({r.flag}, {r.series}) — {r.source}"


def rolling_backtest_text(rb: RollingBacktest) -> str:
    """The rolling-origin backtest in one sentence: coverage of the bands and the skill."""
    if rb.pairs == 0 or rb.coverage_80 is None or rb.coverage_50 is None:
        return f"Rolling backtest ({rb.reach_years} yr ahead): no year to score."
    skill = "" if rb.skill is None else f"; skill against no change {rb.skill * 100:+.0f}%"
    crps = "" if rb.crps_musd is None else f"; mean CRPS {money(rb.crps_musd)}"
    return (
        f"Rolling backtest ({rb.reach_years} yr ahead, {rb.pairs} forecast-year pair"
        f"{'s' if rb.pairs != 1 else ''}): P10–P90 held the actual {rb.coverage_80 * 100:.0f}% "
        f"of the time (80% expected), P25–P75 {rb.coverage_50 * 100:.0f}% (50% expected)"
        f"{crps}{skill}."
    )


def fit_text(fit: HistoryFit) -> str:
    """Growth and volatility fitted to the record, with their 90% intervals."""
    g_lo, g_hi = fit.growth_ci90
    v_lo, v_hi = fit.volatility_ci90
    left = f", leaving out {', '.join(map(str, fit.left_out_years))}" if fit.left_out_years else ""
    return (
        f"Fit to the record {fit.first}–{fit.last} ({fit.changes} yearly changes{left}): "
        f"growth {rate(fit.growth_pct)} (90%: {g_lo:.1f} to {g_hi:.1f}), "
        f"volatility {fit.volatility_pct:.1f}% (90%: {v_lo:.1f} to {v_hi:.1f})."
    )


def table_figure(value: float) -> str:
    """A $M figure in a table whose header gives the unit: 1,096.0, 42.7, 0.4."""
    return f"{value:,.1f}" if math.isfinite(value) else "n/a"
