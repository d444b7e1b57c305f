"""Read the shipped Russia-DPRK turnover history (forecaster/data/history.csv)."""

from __future__ import annotations

import csv
import io
from functools import lru_cache

import numpy as np

from forecaster.engine.history import FLAGS, HistorySeries

from .resources import data_file

COLUMNS = ("year", "value_musd", "flag", "series", "source", "note")


@lru_cache(maxsize=1)
def load_history() -> HistorySeries:
    text = data_file("history.csv").read_text(encoding="utf-8")
    return parse_history(text)


def parse_history(text: str) -> HistorySeries:
    years, values, flags, series, sources, notes = [], [], [], [], [], []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"history.csv: missing column {missing[0]!r} (columns: {COLUMNS})")
    for line, row in enumerate(reader, start=2):
        flag = row["flag"]
        if flag not in FLAGS:
            raise ValueError(f"history.csv line {line}: flag {flag!r} is not one of {FLAGS}")
        if (flag == "no figure") != (not row["value_musd"]):
            raise ValueError(
                f"history.csv line {line}: flag {flag!r} with value {row['value_musd']!r} "
                "(a year without a dollar figure, and only such a year, is 'no figure')"
            )
        years.append(int(row["year"]))
        values.append(float(row["value_musd"]) if row["value_musd"] else float("nan"))
        flags.append(flag)
        series.append(row["series"])
        sources.append(row["source"])
        notes.append(row["note"])
    return HistorySeries(
        years=np.array(years, dtype=int),
        values=np.array(values, dtype=float),
        flags=tuple(flags),  # type: ignore[arg-type]
        sources=tuple(sources),
        notes=tuple(notes),
        series=tuple(series),
    )
