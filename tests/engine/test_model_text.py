"""The model's text and the help's parameter tables come from the engine's own tables."""

from __future__ import annotations

from forecaster.engine.model_text import (
    GOAL_SEEK_MARKDOWN,
    GROWTH_NEEDED_MARKDOWN,
    MODEL_MARKDOWN,
    first_sentence,
    model_help_markdown,
    parameter_help_markdown,
    plain,
    shocks_help_markdown,
)
from forecaster.engine.params import (
    MAX_SHOCKS,
    PARAMS,
    SHOCK_DEPTH_RANGE,
    SHOCK_HALF_LIFE_RANGE,
    SHOCK_START_RANGE,
    fmt_number,
)


def test_every_parameter_has_one_row_with_its_label_range_default_and_help():
    rows = [line for line in parameter_help_markdown().splitlines() if line.startswith("| **")]
    assert len(rows) == len(PARAMS)
    for spec in PARAMS:
        (row,) = [r for r in rows if f"`{spec.key}`" in r]
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[0] == f"**{spec.label}** `{spec.key}`"
        assert cells[1] == spec.describe_range()
        assert cells[2].split(" ")[0] == fmt_number(spec.default)
        assert cells[4] == spec.help


def test_shock_fields_are_described_with_the_engines_limits():
    text = shocks_help_markdown()
    assert f"up to {MAX_SHOCKS} shocks" in text
    assert f"({SHOCK_START_RANGE[0]} to {SHOCK_START_RANGE[1]})" in text
    assert f"{SHOCK_DEPTH_RANGE[0]:g} to {SHOCK_DEPTH_RANGE[1]:g} %" in text
    assert f"{SHOCK_HALF_LIFE_RANGE[0]:g} to {SHOCK_HALF_LIFE_RANGE[1]:g}" in text


def test_the_help_holds_the_model_its_two_growth_answers_and_the_tables():
    text = model_help_markdown()
    assert MODEL_MARKDOWN in text and parameter_help_markdown() in text
    assert GROWTH_NEEDED_MARKDOWN in MODEL_MARKDOWN and GOAL_SEEK_MARKDOWN in MODEL_MARKDOWN
    for formula in ("organic(t) =", "multiplier(t) =", "currency(t) =", "path(t) ="):
        assert formula in text


def test_plain_drops_markdown_marks_and_line_breaks():
    text = plain(GROWTH_NEEDED_MARKDOWN)
    assert text.startswith("Growth needed (alone): the yearly growth")
    assert "**" not in text and "`" not in text and "\n" not in text and "  " not in text


def test_first_sentence_stops_at_the_first_full_stop():
    seek = first_sentence(GOAL_SEEK_MARKDOWN)
    assert seek.startswith("Goal seek: keeps every other setting") and seek.endswith("step).")
    assert seek.count(". ") == 0 and plain(GOAL_SEEK_MARKDOWN).startswith(seek)
