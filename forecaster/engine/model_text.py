"""The model in words and formulas: one text for the README and the window's help.

``MODEL_MARKDOWN`` is the body of the README's "The model" section (a test keeps the
README's copy equal to it) and the first part of Help > The model in the window, whose
parameter tables ``parameter_help_markdown`` generates from the spec table, as
``parameter_table_markdown`` does the README's. ``GROWTH_NEEDED_MARKDOWN`` and
``GOAL_SEEK_MARKDOWN`` are two of its bullets; the summary panel shows them, in plain
text (``plain``), as the explanations of its "Growth needed (alone)" row and its goal
seek. Nothing here imports Qt.
"""

from __future__ import annotations

import re

from .params import (
    GROUPS,
    MAX_SHOCKS,
    PARAMS,
    SHOCK_DEPTH_RANGE,
    SHOCK_HALF_LIFE_RANGE,
    SHOCK_START_RANGE,
    ParamSpec,
    fmt_number,
)

GROWTH_NEEDED_MARKDOWN = """**Growth needed (alone)**: the yearly growth that takes the base-year turnover to the
  target in the target year when nothing else acts — no shocks, no currency effect, no
  debt trade, no volatility: `(target / base)^(1/(target year − b)) − 1`. The summary
  shows it as a yardstick of how fast trade would have to grow on its own."""

GOAL_SEEK_MARKDOWN = """**Goal seek**: keeps every other setting — the shocks, the ruble, the debt trade, the
  volatility — and finds the growth at which the chosen percentile (P50 or P90) reaches
  the target in the target year; Apply sets Annual growth to it (one undo step). Growth
  enters that value only as `(1 + growth)^(target year − b)`, so the answer has a closed
  form; when no growth in the slider's range reaches the target (or every growth does)
  it says so. The two answers differ whenever anything besides growth acts: a shock after
  the base year and a falling ruble push the goal-seek growth above the growth needed
  alone; debt trade, and the healing of a shock already in the base-year figure, pull it
  below; and with volatility above 0, P90 needs less growth than P50."""

MODEL_MARKDOWN = (
    """All money is in millions of US dollars a year; `t` is a calendar year and `b` the base year.

- **Organic trade**: `organic(t) = base × (1 + growth)^(t − b)`.
- **Sanction shocks** multiply: each shock cuts `depth` of trade in its start year and the
  cut halves every `half-life` years (or stays for good when the half-life is empty):
  `multiplier(t) = Π (1 − depth × 0.5^((t − start)/half_life))` over shocks with `t ≥ start`.
- **Currency**: the ruble-settled share loses dollar value as the ruble falls:
  `currency(t) = (1 − share) + share × (1 − depreciation)^(t − b)`.
- **Debt**: `remaining = total × (1 − write-off)` is repaid in 2 equal payments a year over
  the term from the first repayment year (with interest > 0: a semi-annual annuity at
  half the annual rate). `paid = scheduled × compliance`; the reinvested share of what is
  paid funds joint projects and counts as trade. Unpaid instalments stay outstanding as
  arrears (without further interest).
- **Path**: `path(t) = organic × multiplier × currency + debt trade`.
- **The base year is history**: its row is the actual turnover you give. So the debt trade
  counts from the year after the base year, and a shock that started in or before the
  base year (already inside that actual figure) enters relative to the base year: only
  its healing shows. For shocks after the base year this is the formula above unchanged.
  Moving the base year (slider, entry, or `--base-year` without `--base-turnover-musd`)
  sets the base-year turnover to the record's figure for that year, rounded to the
  control's 0.1 step (2019 gives 47.9), in the same undo step; a year the record has no
  dollar figure for keeps the current turnover and says so. A turnover you type is kept,
  and the summary notes when it differs from the record.
- **A total cut at the base year is refused**: a 100% shock still total in the base year
  (a permanent one started by then, or any one starting in it) would have to be divided
  out of an actual figure above zero, and there is no limit to take — 99.9% gives a path
  a thousandfold the base once it heals. Files, the command line and the window refuse
  such a scenario with one message naming the shock. A 100% shock that started earlier
  and is healing, or one after the base year, is fine.
- **Uncertainty**: the non-debt part is multiplied by `exp(σ·W(t))`, where `W(t)` is a sum
  of independent standard normal yearly shocks since the base year. So the median of the
  draws is the deterministic path, and the spread widens with time. The draws are fixed
  by the seed (common random numbers), so moving a slider never makes the bands jitter.
- **Odds**: P(reach in the target year) is the share of draws at or above the target in
  that year; P(reach by the target year) the share that reach it in any projected year
  up to it. The year the median reaches the target is likewise a projected year.
- **Verdict** (one rule everywhere: the summary, the compare panel, the command line and
  every export): the scenario *reaches* the target when its target-year P50 is at or
  above the target, and *misses* it otherwise. The year the median first crosses the
  target is a separate figure: a path can cross early and fall back below by the target
  year ("first crosses in 2018, falls back below in 2019"), and then it misses.
- """
    + GROWTH_NEEDED_MARKDOWN
    + """
- """
    + GOAL_SEEK_MARKDOWN
    + """
- **Sensitivity**: the change in target-year P50 when each lever moves one *page step*
  (the Page Up/Down step in the table below) down and up, sorted widest first.
- **Backtest**: the mean absolute gap between the deterministic path and the shipped
  history, over the years after the base year that have a dollar figure.

Because every per-year transform of `W(t)` is increasing, the percentiles of the draws are
the transformed percentiles of `W(t)`; those are computed once per seed, so a projection
costs O(years) plus one pass over the draws for the odds (see Benchmarks).

The default growth volatility, 30%, is about the standard deviation of yearly log changes
in turnover over 2011–2020 with the sanction year 2018 set aside (31%)."""
)


def plain(markdown: str) -> str:
    """Markdown as one line of plain text (for a tooltip): no emphasis, no code marks."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)
    text = text.replace("`", "")
    return " ".join(text.split())


def first_sentence(markdown: str) -> str:
    """The first sentence of a bullet, as plain text: what it is, without the details."""
    text = plain(markdown)
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _with_unit(spec: ParamSpec, value: float) -> str:
    return f"{fmt_number(value)} {spec.unit}" if spec.unit else fmt_number(value)


def parameter_help_markdown() -> str:
    """Every parameter, group by group, as Markdown tables generated from the spec table.

    Each row has the control's label, its file and command-line key, its range (as
    ``ParamSpec.describe_range`` words it, the same words the controls use), the default,
    the step and the page step, and the help text.
    """
    parts = []
    for group in GROUPS:
        specs = [s for s in PARAMS if s.group == group]
        if not specs:
            continue
        lines = [
            f"### {group}",
            "",
            "| Parameter | Range | Default | Step (page) | Meaning |",
            "|---|---|---|---|---|",
        ]
        for s in specs:
            lines.append(
                f"| **{_cell(s.label)}** `{s.key}` | {_cell(s.describe_range())} | "
                f"{_cell(_with_unit(s, s.default))} | {s.step:g} ({fmt_number(s.big_step)}) | "
                f"{_cell(s.help)} |"
            )
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def shocks_help_markdown() -> str:
    """The sanction-shock list's fields and ranges (from the engine's limits)."""
    lo, hi = SHOCK_START_RANGE
    dlo, dhi = SHOCK_DEPTH_RANGE
    hlo, hhi = SHOCK_HALF_LIFE_RANGE
    return (
        "### Sanction shocks\n\n"
        f"A list of up to {MAX_SHOCKS} shocks. Each has a **start year** ({lo} to {hi}), a "
        f"**depth** — the share of trade cut in the start year ({dlo:g} to {dhi:g} %) — a "
        f"**half-life** in years for the cut to halve ({hlo:g} to {hhi:g}), or "
        "**permanent** for a cut that never heals, and an optional **label**."
    )


def model_help_markdown() -> str:
    """Help > The model: the model, the parameters, the shocks, and how to ask the window."""
    return "\n\n".join(
        (
            "# The model",
            MODEL_MARKDOWN,
            "# Parameters",
            "Generated from the spec table, as the README's table and the controls are. "
            "The page step is what Page Up/Down moves and what the sensitivity chart tries.",
            parameter_help_markdown(),
            shocks_help_markdown(),
            "# Asking the window",
            "Help ▸ What's This? (Shift+F1), then a click on a control, says what the control "
            "sets, its range and its default; hovering shows the same as a tooltip. A screen "
            "reader reads each control's name and description from the same table.",
        )
    )
