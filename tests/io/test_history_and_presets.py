"""The shipped history and presets: what the app shows as fact and as its starting points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from forecaster.engine import project
from forecaster.io import default_scenario, list_presets, load_history, load_preset
from forecaster.io.history import parse_history
from forecaster.io.scenario_file import ScenarioFileError


def test_history_covers_2011_to_2024_with_a_source_for_every_year():
    h = load_history()
    assert list(h.years) == list(range(2011, 2025))
    assert all(src.strip() for src in h.sources)
    assert set(h.flags) <= {"reported", "derived", "estimated", "no figure"}
    assert all(series.strip() for series in h.series)


# The table in shared/reference/russia-dprk-facts.md, with a word of each source and the
# series each figure belongs to (its audit section names them).
REFERENCE = [
    (2011, 113.7, "reported", "embassy", "Russian embassy"),
    (2012, 68.6, "derived", "2013", "Russian customs"),
    (2013, 112.7, "reported", "Galushka", "Russian customs"),
    (2014, 92.34, "reported", "KOTRA", "KOTRA"),
    (2015, 83.22, "reported", "ITC", "ITC mirror data"),
    (2016, 76.9, "derived", "2017", "Russian customs"),
    (2017, 77.9, "reported", "RIA", "Russian customs"),
    (2018, 34.0, "reported", "Ushakov", "Russian customs"),
    (2019, 47.9, "reported", "ITC", "ITC mirror data"),
    (2020, 42.74, "reported", "TASS", "Russian customs"),
    (2021, None, "no figure", "customs", "Russian customs"),
    (2022, 3.8, "derived", "2023", "Russian customs"),
    (2023, 34.4, "reported", "Ushakov", "Russian customs"),
    (2024, 34.0, "estimated", "association", "trade association"),
]


@pytest.mark.parametrize(("year", "value", "flag", "source_word", "series"), REFERENCE)
def test_history_matches_the_reference_year_by_year(year, value, flag, source_word, series):
    h = load_history()
    i = list(h.years).index(year)
    assert h.value_in(year) == (pytest.approx(value) if value is not None else None)
    assert h.flags[i] == flag
    assert source_word in h.sources[i]
    assert h.series[i] == series


def test_2012_says_why_its_derived_figure_is_doubtful():
    note = load_history().figure(2012).note
    assert "doubtful" in note and "68.3" in note and "38.8" in note and "KOTRA" in note


def test_2021_has_no_dollar_figure_and_says_why():
    h = load_history()
    i = list(h.years).index(2021)
    assert math.isnan(h.values[i]) and h.value_in(2021) is None
    assert "evaporated" in h.notes[i]


def test_conflicting_figures_are_kept_in_the_note():
    h = load_history()
    assert "KOTRA: 104" in h.notes[list(h.years).index(2013)]


def test_2020_is_about_4_percent_of_the_target():
    assert load_history().value_in(2020) / 1000 == pytest.approx(0.04, abs=0.005)


def test_a_bad_flag_in_history_is_named():
    with pytest.raises(ValueError, match="line 2: flag 'rumoured'"):
        parse_history("year,value_musd,flag,series,source,note\n2011,1,rumoured,s,x,\n")


@pytest.mark.parametrize(
    "row", ["2011,,reported,s,x,", "2011,5,no figure,s,x,"], ids=["empty-reported", "valued-none"]
)
def test_a_flag_that_contradicts_the_value_is_named(row):
    with pytest.raises(ValueError, match="line 2: flag"):
        parse_history("year,value_musd,flag,series,source,note\n" + row + "\n")


def test_every_preset_says_what_is_sourced_and_what_is_calibrated():
    for name in list_presets():
        notes = load_preset(name).notes
        assert "Sourced:" in notes, name
    for name in ("Sanctions 2016-2017", "Border closure 2020-2022"):
        assert "Calibrated to the record, not reported" in load_preset(name).notes
    assert "20 to 40 years" in load_preset("2014 plan").notes


def test_presets_named_in_the_issue_are_shipped():
    assert set(list_presets()) >= {
        "2014 plan",
        "Sanctions 2016-2017",
        "Border closure 2020-2022",
        "Status quo",
    }
    for name in list_presets():
        assert load_preset(name).notes.strip()


def test_default_scenario_is_the_2014_plan_with_exactly_the_growth_needed():
    s = default_scenario()
    assert s.name == "2014 plan" and not s.shocks
    p = project(s)
    assert s.params["growth_pct"] == pytest.approx(round(p.required_growth_pct, 1))


def test_sanctions_preset_is_dated_by_the_un_resolutions():
    s = load_preset("sanctions 2016-2017")
    labels = " ".join(sh.label for sh in s.shocks)
    for resolution in ("2270", "2321", "2371", "2375", "2397"):
        assert resolution in labels
    assert [sh.start_year for sh in s.shocks] == [2016, 2017, 2018]


def test_border_closure_preset_nearly_empties_2021_and_recovers_by_2023():
    p = project(load_preset("Border closure 2020-2022"))
    det = dict(zip(p.years.tolist(), p.deterministic, strict=True))
    assert det[2021] < 1.0 and det[2022] < 10.0 and det[2023] > 30.0


def test_status_quo_follows_the_2013_2019_trend():
    s = load_preset("Status quo")
    trend = ((47.9 / 112.7) ** (1 / 6) - 1) * 100
    assert s.params["growth_pct"] == pytest.approx(trend, abs=0.1)
    p = project(s)
    assert p.deterministic[2019 - 2013] == pytest.approx(47.9, rel=0.01)


def test_unknown_preset_names_the_choices():
    with pytest.raises(ScenarioFileError, match="not a preset.*2014 plan"):
        load_preset("2015 plan")


def test_history_series_arrays_line_up():
    h = load_history()
    assert len(h.years) == len(h.values) == len(h.flags) == len(h.sources) == len(h.notes)
    assert np.all(np.diff(h.years) == 1)
