"""Exports: the per-year table as CSV and the summary as JSON."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

from forecaster.engine.answer import Answer
from forecaster.engine.formatting import plain_number
from forecaster.engine.history import HistorySeries
from forecaster.engine.projection import PERCENTILES, Projection

from .atomic import atomic_write_text

TABLE_COLUMNS = (
    "year",
    "deterministic_musd",
    *(f"p{q}_musd" for q in PERCENTILES),
    "debt_outstanding_musd",
    "debt_scheduled_musd",
    "debt_paid_musd",
    "debt_trade_musd",
    "cumulative_musd",
    "actual_musd",
    "actual_flag",
    "actual_series",
)


def table_rows(projection: Projection, history: HistorySeries | None = None) -> list[list[object]]:
    rows: list[list[object]] = []
    for i, year in enumerate(projection.years):
        actual = history.value_in(int(year)) if history is not None else None
        flag = history.flag_in(int(year)) if history is not None else None
        series = history.series_in(int(year)) if history is not None else None
        rows.append(
            [
                int(year),
                float(projection.deterministic[i]),
                *(float(projection.bands[q][i]) for q in PERCENTILES),
                float(projection.debt.outstanding[i]),
                float(projection.debt.scheduled[i]),
                float(projection.debt.paid[i]),
                float(projection.debt_trade[i]),
                float(projection.cumulative[i]),
                actual,
                flag if actual is not None else None,
                series if actual is not None else None,
            ]
        )
    return rows


def table_cells(row: list[object]) -> list[str]:
    """One table row as text: figures to 6 decimals with trailing zeros dropped (no binary
    float noise such as 1095.9999999999998), no figure as an empty cell."""
    return ["" if v is None else plain_number(v) if isinstance(v, float) else str(v) for v in row]


def table_csv(projection: Projection, history: HistorySeries | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    for row in table_rows(projection, history):
        writer.writerow(table_cells(row))
    return out.getvalue()


def write_table_csv(
    path: str | os.PathLike[str],
    projection: Projection,
    history: HistorySeries | None = None,
    *,
    replace_read_only: bool = False,
) -> None:
    """Atomically, to a regular file only (see ``atomic``); WriteError names ``path``."""
    atomic_write_text(
        Path(path), table_csv(projection, history), replace_read_only=replace_read_only
    )


def summary_json(answer: Answer) -> str:
    """The answer as JSON: every float finite (NaN never written), keys as documented."""

    def clean(value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(answer.to_json()), indent=2, allow_nan=False) + "\n"


def write_summary_json(
    path: str | os.PathLike[str], answer: Answer, *, replace_read_only: bool = False
) -> None:
    atomic_write_text(Path(path), summary_json(answer), replace_read_only=replace_read_only)
