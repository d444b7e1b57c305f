"""Rolling-origin backtest, CRPS and the fit to history (issue 11), against independent
computations: brute force, scoringrules, scipy, closed forms and synthetic histories
drawn from the model itself."""

from __future__ import annotations

import json
import math
from statistics import NormalDist

import numpy as np
import pytest
import scoringrules as sr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from forecaster.engine import Scenario, Shock, project
from forecaster.engine.calibration import (
    FitError,
    _Factors,
    _score,
    fit_history,
    rebased,
    rolling_backtest,
)
from forecaster.engine.history import HistorySeries
from forecaster.engine.projection import draws_for, shock_multiplier
from forecaster.engine.scores import (
    chi2_cdf,
    chi2_quantile,
    sample_crps,
    t_cdf,
    t_quantile,
    wilson_interval,
)
from forecaster.io import list_presets, load_history, load_preset

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NORMAL = NormalDist()


def history_of(years, values) -> HistorySeries:
    years = np.asarray(years, dtype=int)
    return HistorySeries(
        years=years,
        values=np.asarray(values, dtype=float),
        flags=("reported",) * len(years),
        sources=("synthetic",) * len(years),
        notes=("",) * len(years),
    )


def brute_crps(x, a) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.mean(np.abs(x - a)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :])))


def normal_crps(mu, sigma, a) -> float:
    """Closed form (Gneiting & Raftery 2007, eq. 5)."""
    z = (a - mu) / sigma
    return sigma * (z * (2 * NORMAL.cdf(z) - 1) + 2 * NORMAL.pdf(z) - 1 / math.sqrt(math.pi))


def lognormal_crps(mu, sigma, a) -> float:
    """Closed form (Baran & Lerch 2015) for ln X ~ N(mu, sigma^2)."""
    w = (math.log(a) - mu) / sigma
    return a * (2 * NORMAL.cdf(w) - 1) - 2 * math.exp(mu + sigma**2 / 2) * (
        NORMAL.cdf(w - sigma) + NORMAL.cdf(sigma / math.sqrt(2)) - 1
    )


# --- CRPS ------------------------------------------------------------------------------


@PROPERTY
@given(
    st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=60),
    st.floats(-2e4, 2e4, allow_nan=False),
)
def test_sample_crps_is_the_definition_computed_by_brute_force(draws, actual):
    got = sample_crps(draws, actual)
    assert got == pytest.approx(brute_crps(draws, actual), rel=1e-9, abs=1e-9)
    assert got >= 0
    assert sample_crps(draws[::-1], actual) == pytest.approx(got, rel=1e-12, abs=1e-12)


@PROPERTY
@given(st.integers(0, 2**32 - 1), st.integers(1, 3000), st.floats(-5, 5), st.floats(0.01, 100))
def test_sample_crps_agrees_with_scoringrules(seed, n, actual, scale):
    rng = np.random.default_rng(seed)
    draws = scale * rng.standard_t(3, size=n)
    ours = sample_crps(draws, actual)
    # scoringrules' default estimator ("qd") and "nrg" are both the empirical-CDF CRPS.
    assert ours == pytest.approx(float(sr.crps_ensemble(actual, draws)), rel=1e-9, abs=1e-12)
    assert ours == pytest.approx(
        float(sr.crps_ensemble(actual, draws, estimator="nrg")), rel=1e-9, abs=1e-12
    )


@pytest.mark.parametrize(
    ("mu", "sigma", "actual"), [(0, 1, 0), (0, 1, 1.7), (5, 3, -2), (100, 20, 131)]
)
def test_sample_crps_matches_the_normal_closed_form(mu, sigma, actual):
    n = 100_000
    # Quantiles at (i - 1/2) / n: the sample CRPS converges at rate 1/n on these.
    grid = mu + sigma * stats.norm.ppf((np.arange(1, n + 1) - 0.5) / n)
    exact = normal_crps(mu, sigma, actual)
    assert sample_crps(grid, actual) == pytest.approx(exact, rel=1e-4)
    # And on random draws, within Monte Carlo error.
    random = np.random.default_rng(7).normal(mu, sigma, 200_000)
    assert sample_crps(random, actual) == pytest.approx(exact, rel=0.01)


def test_sample_crps_of_one_value_is_the_absolute_error():
    assert sample_crps([3.0, 3.0, 3.0], 5.5) == pytest.approx(2.5)
    assert sample_crps([7.0], 5.0) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        sample_crps([], 1.0)


# --- t, chi-square and Wilson ----------------------------------------------------------

PROBABILITIES = (0.001, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.975, 0.99, 0.999)


@pytest.mark.parametrize("df", [*range(1, 41), 57, 100, 333, 1000])
def test_t_and_chi_square_quantiles_agree_with_scipy(df):
    for p in PROBABILITIES:
        assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9, abs=1e-12)
        assert chi2_quantile(p, df) == pytest.approx(stats.chi2.ppf(p, df), rel=1e-9)


@PROPERTY
@given(st.integers(1, 300), st.floats(-50, 50), st.floats(0, 600))
def test_t_and_chi_square_distribution_functions_agree_with_scipy(df, t, x):
    assert t_cdf(t, df) == pytest.approx(stats.t.cdf(t, df), abs=1e-12)
    assert chi2_cdf(x, df) == pytest.approx(stats.chi2.cdf(x, df), abs=1e-12)


def test_textbook_quantiles():
    # Tables: t(0.95; 9) = 1.833, chi2(0.05; 9) = 3.325, chi2(0.95; 9) = 16.919.
    assert t_quantile(0.95, 9) == pytest.approx(1.833113, abs=1e-6)
    assert chi2_quantile(0.05, 9) == pytest.approx(3.325113, abs=1e-6)
    assert chi2_quantile(0.95, 9) == pytest.approx(16.918978, abs=1e-6)
    for bad in (0, -1, 1001, 2.5, True):
        with pytest.raises(ValueError):
            t_quantile(0.9, bad)
    with pytest.raises(ValueError):
        chi2_quantile(1.0, 3)


@given(st.integers(1, 500), st.data())
def test_wilson_interval_solves_its_defining_equation(n, data):
    k = data.draw(st.integers(0, n))
    lo, hi = wilson_interval(k, n)
    share = k / n
    z = NORMAL.inv_cdf(0.95)
    assert 0 <= lo <= share <= hi <= 1
    # The endpoints are the p where |share - p| = z sqrt(p (1 - p) / n).
    for p in (lo, hi):
        if 0 < p < 1:
            assert abs(share - p) == pytest.approx(z * math.sqrt(p * (1 - p) / n), abs=1e-9)


def test_wilson_interval_is_wide_for_a_few_pairs():
    # By hand: z = 1.6449, z^2/n = 0.27055, centre = (0.8 + 0.13528) / 1.27055 = 0.73612,
    # half = 1.6449 / 1.27055 * sqrt(0.016 + 0.0067638) = 0.19533.
    lo, hi = wilson_interval(8, 10)
    assert lo == pytest.approx(0.54079, abs=1e-4) and hi == pytest.approx(0.93144, abs=1e-4)
    lo2, hi2 = wilson_interval(80, 100)
    assert hi2 - lo2 < (hi - lo) / 2.5
    with pytest.raises(ValueError):
        wilson_interval(3, 0)


# --- the backtest's definitions --------------------------------------------------------


def real_scenarios():
    """Scenarios over the parameter box, based in the record's years."""
    return st.builds(
        lambda base, growth, vol, reinvest, share, dep, draws, seed, shocks: Scenario(
            params=dict(
                Scenario().params,
                base_year=base,
                base_turnover_musd=100.0,
                growth_pct=growth,
                volatility_pct=vol,
                debt_reinvest_pct=reinvest,
                ruble_share_pct=share,
                ruble_depreciation_pct=dep,
                draws=draws,
                seed=seed,
                target_year=2020 if base < 2020 else 2030,
            ),
            shocks=tuple(shocks),
        ).validated(),
        st.integers(2011, 2024),
        st.floats(-50, 100),
        st.floats(0, 80),
        st.floats(0, 100),
        st.floats(0, 100),
        st.floats(-30, 60),
        st.integers(100, 3000),
        st.integers(0, 2**31 - 1),
        st.lists(
            st.builds(
                Shock,
                start_year=st.integers(2005, 2030),
                depth_pct=st.floats(0, 99),
                half_life_years=st.none() | st.floats(0.1, 50),
            ),
            max_size=3,
        ),
    )


@PROPERTY
@given(real_scenarios(), st.integers(1, 12))
def test_origins_and_pairs_follow_the_definition(s, reach):
    history = load_history()
    bt = rolling_backtest(s, history, reach)
    figures = {
        int(y): v for y, v in zip(history.years, history.values, strict=True) if np.isfinite(v)
    }
    last = max(figures)
    base = s.params["base_year"]
    expected_origins = [o for o in sorted(figures) if base <= o <= last - 1]
    assert list(bt.origins) + [k.origin for k in bt.skipped] == expected_origins
    assert not bt.skipped  # every origin in the record gives a valid re-based scenario here
    expected_pairs = [
        (o, y) for o in expected_origins for y in sorted(figures) if o < y <= min(o + reach, last)
    ]
    assert [(r.origin, r.year) for r in bt.rows] == expected_pairs
    assert bt.pairs == len(expected_pairs)
    for r in bt.rows:
        assert r.actual == figures[r.year]
        assert 0 <= r.pit <= 1 and r.crps >= 0 and r.naive_crps >= 0
        assert r.p10 <= r.p25 <= r.p50 <= r.p75 <= r.p90
    if bt.pairs:
        assert bt.coverage_80 == pytest.approx(np.mean([r.in_80 for r in bt.rows]))
        assert bt.coverage_50 == pytest.approx(np.mean([r.in_50 for r in bt.rows]))
        assert bt.crps_musd == pytest.approx(np.mean(bt.column("crps")))
        assert bt.naive_crps_musd == pytest.approx(np.mean(bt.column("naive_crps")))
        if bt.naive_crps_musd > 0:
            assert bt.skill == pytest.approx(1 - bt.crps_musd / bt.naive_crps_musd)
    else:
        assert bt.coverage_80 is None and bt.crps_musd is None and bt.skill is None


@PROPERTY
@given(real_scenarios(), st.integers(1, 8))
def test_each_row_is_the_re_based_projection_and_its_draws(s, reach):
    history = load_history()
    bt = rolling_backtest(s, history, reach)
    p = s.params
    sigma = p["volatility_pct"] / 100
    walks = draws_for(p["seed"], p["draws"]).walks
    by_origin = {f.origin: f for f in bt.fans}
    for o in bt.origins:
        fan = by_origin[o]
        actual_o = history.value_in(o)
        for q in (10, 25, 50, 75, 90):
            assert fan.bands[q][0] == pytest.approx(actual_o, rel=1e-12)
    for r in bt.rows:
        s_o = rebased(s, r.origin, history.value_in(r.origin))
        # The same figures as the window's projection from that origin.
        proj = project(s_o.with_params(horizon_year=max(s_o.params["horizon_year"], r.year)))
        j = r.year - r.origin
        for q in (10, 25, 50, 75, 90):
            assert getattr(r, f"p{q}") == pytest.approx(proj.bands[q][j], rel=1e-12, abs=1e-9)
            assert by_origin[r.origin].bands[q][j] == pytest.approx(getattr(r, f"p{q}"), rel=1e-12)
        # Every draw of that year, unsorted, built the long way.
        non_debt = proj.deterministic[j] - proj.debt_trade[j]
        draws = non_debt * np.exp(sigma * walks[j]) + proj.debt_trade[j]
        assert r.pit == np.mean(draws <= r.actual)
        tol = 1e-9 * max(1.0, r.actual, float(np.abs(draws).max()))
        assert r.crps == pytest.approx(float(sr.crps_ensemble(r.actual, draws)), rel=1e-9, abs=tol)
        z = walks[j] / math.sqrt(j)  # the same seed's normals
        naive = history.value_in(r.origin) * np.exp(sigma * math.sqrt(j) * z)
        assert r.naive_crps == pytest.approx(sample_crps(naive, r.actual), rel=1e-9, abs=tol)


def test_the_naive_benchmark_matches_the_lognormal_closed_form():
    # Many draws: at 10,000 the seed's sample is off the closed form by up to 3% at h = 5.
    s = load_preset("Status quo").with_params(draws=200_000).validated()
    bt = rolling_backtest(s, load_history())
    sigma = s.params["volatility_pct"] / 100
    for r in bt.rows:
        h = r.year - r.origin
        mu = math.log(load_history().value_in(r.origin))
        exact = lognormal_crps(mu, sigma * math.sqrt(h), r.actual)
        assert r.naive_crps == pytest.approx(exact, rel=0.015)
        assert exact == pytest.approx(
            float(sr.crps_lognormal(r.actual, mu, sigma * math.sqrt(h))), rel=1e-9
        )


def test_with_nothing_but_volatility_the_model_is_the_naive_walk():
    s = Scenario().with_params(growth_pct=0.0, debt_reinvest_pct=0.0).validated()
    bt = rolling_backtest(s, load_history())
    assert bt.pairs > 0
    assert np.allclose(bt.column("crps"), bt.column("naive_crps"), rtol=1e-12)
    assert bt.skill == pytest.approx(0.0, abs=1e-12)


def test_a_forecast_that_is_exactly_right_scores_zero_and_counts_its_ties():
    history = history_of(range(2010, 2016), [100.0] * 6)
    s = (
        Scenario()
        .with_params(
            base_year=2010,
            base_turnover_musd=100.0,
            growth_pct=0.0,
            volatility_pct=0.0,
            debt_reinvest_pct=0.0,
        )
        .validated()
    )
    bt = rolling_backtest(s, history)
    assert bt.pairs == 15
    assert all(r.pit == 1.0 for r in bt.rows)  # every draw equals the actual: all <= it
    assert bt.coverage_80 == bt.coverage_50 == 1.0
    assert bt.crps_musd == 0.0 and bt.naive_crps_musd == 0.0
    assert bt.skill is None  # 1 - 0/0 has no meaning
    assert bt.to_json_dict()["skill"] is None


def test_ties_with_debt_trade_count_as_draws_at_or_below_the_actual():
    # Zero volatility: every draw is the deterministic path. Make the record equal to it
    # from 2013, so that the 2013 origin's pairs are exact ties (with debt trade added).
    s = load_preset("2014 plan").with_params(volatility_pct=0.0).validated()
    path = project(s).deterministic
    history = history_of(range(2013, 2019), path[:6])
    bt = rolling_backtest(s, history)
    first = [r for r in bt.rows if r.origin == 2013]
    assert len(first) == 5
    assert all(r.actual == r.p50 for r in first)
    assert all(r.pit == 1.0 and r.crps == 0.0 and r.in_80 and r.in_50 for r in first)
    # One cent below the path: no draw is at or below it.
    lower = history_of(range(2013, 2019), [path[0], *(path[1:6] - 0.01)])
    assert all(r.pit == 0.0 for r in rolling_backtest(s, lower).rows if r.origin == 2013)


def factors_of(rows) -> _Factors:
    f = np.sort(np.atleast_2d(np.asarray(rows, dtype=float)), axis=1)
    prefix = np.concatenate([np.zeros((len(f), 1)), np.cumsum(f, axis=1)], axis=1)
    spread = 0.5 * np.abs(f[:, :, None] - f[:, None, :]).mean(axis=(1, 2))
    return _Factors(f, prefix, spread)


@PROPERTY
@given(
    st.lists(st.floats(0.01, 100), min_size=1, max_size=40),
    st.floats(0, 1000),
    st.floats(0, 500),
    st.floats(0, 3000),
)
def test_fast_scoring_equals_scoring_the_draws(factors, scale, shift, actual):
    draws = scale * np.sort(factors) + shift
    pit, crps = _score(factors_of(factors), 0, scale, shift, actual)
    assert pit == np.mean(draws <= actual)
    assert crps == pytest.approx(brute_crps(draws, actual), rel=1e-9, abs=1e-9 * (1 + actual))


def test_fast_scoring_counts_ties_on_the_draws_as_computed():
    # Found by search: here (actual - shift) / scale rounds below f, so bisecting on the
    # factors alone would count no draw at or below an actual that equals every draw.
    scale, shift, f = 16.625982764976243, 81.32702392002724, 1.8691333659165825
    actual = scale * f + shift
    assert (actual - shift) / scale < f
    same = factors_of([f] * 1000)
    assert _score(same, 0, scale, shift, actual) == (1.0, 0.0)
    # And the other way: one ulp below every draw, yet (actual - shift) / scale >= f.
    scale, shift, f = 594.3406001966769, 33.791122550713325, 1.087428500792242
    actual = float(np.nextafter(scale * f + shift, -np.inf))
    assert (actual - shift) / scale >= f
    pit, crps = _score(factors_of([f] * 1000), 0, scale, shift, actual)
    assert pit == 0.0 and crps == pytest.approx(0.0, abs=1e-9)


def test_an_origin_whose_re_based_scenario_is_refused_is_skipped_and_named():
    # 0.05 is below the smallest base-year turnover a scenario accepts (0.1).
    history = history_of(range(2010, 2021), [50, 60, 0.05, 40, 45, 50, 52, 55, 60, 58, 61])
    s = Scenario().with_params(base_year=2010, base_turnover_musd=50.0).validated()
    bt = rolling_backtest(s, history, 3)
    assert [k.origin for k in bt.skipped] == [2012]
    assert "base_turnover_musd" in bt.skipped[0].reason
    assert 2012 not in bt.origins and len(bt.origins) == 9
    assert all(r.origin != 2012 for r in bt.rows)
    assert any(r.year == 2012 for r in bt.rows)  # it is still a year to forecast
    assert bt.to_json_dict()["skipped_origins"] == [
        {"origin": 2012, "reason": bt.skipped[0].reason}
    ]


def test_a_total_shock_in_force_at_an_origin_never_crashes_the_backtest():
    # Whether or not validation refuses a 100% shock in force in the base year, every
    # origin is either used or recorded as skipped, and used ones match the projection.
    s = load_preset("2014 plan").with_shocks([Shock(2016, 100.0, None)]).validated()
    history = load_history()
    bt = rolling_backtest(s, history)
    assert sorted([*bt.origins, *(k.origin for k in bt.skipped)]) == [
        2013,
        2014,
        2015,
        2016,
        2017,
        2018,
        2019,
        2020,
        2022,
        2023,
    ]
    assert {r.origin for r in bt.rows} <= set(bt.origins)
    for k in bt.skipped:
        assert k.origin >= 2016 and k.reason


def test_reach_must_be_a_whole_number_of_years_in_range():
    s, h = Scenario().validated(), load_history()
    for bad in (0, -1, 59, 2.0, True):
        with pytest.raises(ValueError):
            rolling_backtest(s, h, bad)


def test_no_pairs_gives_nulls_not_errors():
    s = Scenario().with_params(base_year=2024, target_year=2030).validated()
    bt = rolling_backtest(s, load_history())
    assert bt.pairs == 0 and bt.origins == () and bt.rows == ()
    d = bt.to_json_dict()
    assert d["coverage_80"] is None and d["skill"] is None and d["rows"] == []
    json.dumps(d, allow_nan=False)
    empty = rolling_backtest(s, history_of([], []))
    assert empty.last_year is None and empty.pairs == 0


def test_json_carries_the_issues_keys():
    bt = rolling_backtest(load_preset("Status quo"), load_history())
    d = json.loads(json.dumps(bt.to_json_dict(), allow_nan=False))
    for key in ("reach_years", "pairs", "coverage_80", "coverage_50", "crps_musd"):
        assert key in d
    assert {"naive_crps_musd", "skill", "rows"} <= set(d)
    assert d["reach_years"] == 5 and d["pairs"] == len(d["rows"]) == 37
    row = d["rows"][0]
    for key in ("origin", "year", "actual", "p10", "p50", "p90", "pit", "crps", "naive_crps"):
        assert key in row
    assert (row["origin"], row["year"], row["actual"]) == (2013, 2014, 92.34)
    lo, hi = d["coverage_80_ci90"]
    assert lo < d["coverage_80"] < hi


# --- synthetic histories drawn from the model -------------------------------------------

SYNTH_SHOCKS = (Shock(2008, 40.0, 3.0), Shock(2015, 20.0, None))


def model_history(rng, growth, sigma, years=range(2000, 2025)):
    """A record drawn from the model: yearly log steps of growth, shocks and noise."""
    years = np.array(list(years))
    mult = shock_multiplier(SYNTH_SHOCKS, years)
    steps = (
        np.log1p(growth)
        + np.log(mult[1:] / mult[:-1])
        + sigma * rng.standard_normal(len(years) - 1)
    )
    return history_of(years, 100.0 * np.exp(np.concatenate([[0.0], np.cumsum(steps)])))


def synthetic_scenario(growth_pct=5.0, volatility_pct=25.0) -> Scenario:
    return (
        Scenario()
        .with_params(
            base_year=2000,
            base_turnover_musd=100.0,
            growth_pct=growth_pct,
            volatility_pct=volatility_pct,
            debt_reinvest_pct=0.0,
            target_year=2020,
        )
        .with_shocks(SYNTH_SHOCKS)
        .validated()
    )


def pooled(scenario, true_sigma, trials=120, seed=2024):
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(trials):
        rows += rolling_backtest(scenario, model_history(rng, 0.05, true_sigma)).rows
    return rows


def test_backtest_coverage_is_near_nominal_on_histories_drawn_from_the_model():
    rows = pooled(synthetic_scenario(), 0.25)
    assert len(rows) == 120 * 110  # 24 origins, reach 5, up to 2024
    cover_80 = np.mean([r.in_80 for r in rows])
    cover_50 = np.mean([r.in_50 for r in rows])
    assert cover_80 == pytest.approx(0.80, abs=0.03)
    assert cover_50 == pytest.approx(0.50, abs=0.03)
    pit = np.array([r.pit for r in rows])
    assert pit.mean() == pytest.approx(0.5, abs=0.03)
    # A calibrated forecast's PIT is uniform: each tenth holds about a tenth.
    counts = np.histogram(pit, bins=10, range=(0, 1))[0] / len(pit)
    assert np.all(np.abs(counts - 0.1) < 0.025)
    # Knowing the drift (5%/yr) and the shocks beats the driftless walk, if not by much.
    crps = np.mean([r.crps for r in rows])
    naive = np.mean([r.naive_crps for r in rows])
    assert 1 - crps / naive > 0.03


def test_backtest_coverage_shows_a_forecast_that_is_too_sure():
    rows = pooled(synthetic_scenario(volatility_pct=12.5), 0.25, trials=40)
    assert np.mean([r.in_80 for r in rows]) < 0.6
    assert np.mean([r.in_50 for r in rows]) < 0.35


# --- fit to history --------------------------------------------------------------------


def test_fit_follows_its_definition_on_a_hand_made_record():
    years = range(2000, 2010)
    values = [100, 110, 99, np.nan, 120, 130, 117, 140, 150, 160]
    h = history_of(years, values)
    fit = fit_history(h, 2000, 2009)
    # 2003 has no figure: the changes into 2003 and into 2004 are both dropped.
    assert fit.years.tolist() == [2001, 2002, 2005, 2006, 2007, 2008, 2009]
    v = dict(zip(years, values, strict=True))
    x = np.array([math.log(v[t] / v[t - 1]) for t in fit.years.tolist()])
    assert fit.log_changes == pytest.approx(x)
    n = len(x)
    assert fit.changes == n == 7
    assert fit.growth_pct == pytest.approx(100 * (math.exp(x.mean()) - 1))
    assert fit.volatility_pct == pytest.approx(100 * np.std(x, ddof=1))
    half = stats.t.ppf(0.95, n - 1) * np.std(x, ddof=1) / math.sqrt(n)
    assert fit.growth_ci90 == pytest.approx(
        (100 * math.expm1(x.mean() - half), 100 * math.expm1(x.mean() + half))
    )
    sd = np.std(x, ddof=1)
    assert fit.volatility_ci90 == pytest.approx(
        (
            100 * sd * math.sqrt((n - 1) / stats.chi2.ppf(0.95, n - 1)),
            100 * sd * math.sqrt((n - 1) / stats.chi2.ppf(0.05, n - 1)),
        )
    )
    shocks = (Shock(2006, 10.0), Shock(2003, 50.0), Shock(2030, 5.0))
    left = fit_history(h, 2000, 2009, shocks=shocks, exclude_shock_years=True)
    assert left.years.tolist() == [2001, 2002, 2005, 2007, 2008, 2009]
    assert left.left_out_years == (2006,)  # 2003 had no change to leave out
    same = fit_history(h, 2000, 2009, shocks=shocks)  # the option is off
    assert same.years.tolist() == fit.years.tolist() and same.left_out_years == ()
    narrow = fit_history(h, 2004, 2007)  # [first, last]: no change into `first`
    assert narrow.years.tolist() == [2005, 2006, 2007]


def test_fit_needs_two_changes():
    h = history_of(range(2000, 2006), [100, 110, np.nan, 90, np.nan, 80])
    with pytest.raises(FitError, match="1 yearly change "):
        fit_history(h, 2000, 2005)
    with pytest.raises(FitError):
        fit_history(h, 2003, 2003)
    with pytest.raises(FitError):
        fit_history(load_history(), 2020, 2022)  # 2021 has no figure


def test_fit_intervals_hold_the_true_growth_and_volatility_in_about_90_percent():
    rng = np.random.default_rng(11)
    growth, sigma = 0.08, 0.3
    trials, held_growth, held_vol = 300, 0, 0
    for i in range(trials):
        years = np.arange(2000, 2013)
        steps = math.log1p(growth) + sigma * rng.standard_normal(len(years) - 1)
        values = 50 * np.exp(np.concatenate([[0.0], np.cumsum(steps)]))
        if i % 3 == 0:
            values[6] = np.nan  # a year without a figure breaks the chain
        fit = fit_history(history_of(years, values), 2000, 2012)
        held_growth += fit.growth_ci90[0] <= 100 * growth <= fit.growth_ci90[1]
        held_vol += fit.volatility_ci90[0] <= 100 * sigma <= fit.volatility_ci90[1]
    assert 0.80 <= held_growth / trials <= 0.97
    assert 0.80 <= held_vol / trials <= 0.97


def test_fit_json_carries_the_issues_keys():
    fit = fit_history(load_history(), 2011, 2020)
    d = json.loads(json.dumps(fit.to_json_dict(), allow_nan=False))
    assert {
        "first",
        "last",
        "changes",
        "growth_pct",
        "growth_ci90",
        "volatility_pct",
        "volatility_ci90",
    } <= set(d)
    assert (d["first"], d["last"], d["changes"]) == (2011, 2020, 9)
    assert len(d["growth_ci90"]) == len(d["volatility_ci90"]) == 2


# --- the presets' figures, pinned ------------------------------------------------------

# pairs, inside P10-P90, inside P25-P75, mean CRPS, naive mean CRPS, skill (reach 5).
PRESET_BACKTESTS = {
    "2014 plan": (37, 0, 0, 162.83985967738604, 20.911873981174907, -6.786956818120473),
    "Border closure 2020-2022": (
        10,
        7,
        6,
        5.577702535331808,
        16.85350729085167,
        0.6690479649681307,
    ),
    "Sanctions 2016-2017": (37, 30, 29, 10.267865916599284, 20.911873981174907, 0.5089935064718482),
    "Status quo": (37, 29, 23, 11.381762340535944, 20.911873981174907, 0.45572728915725447),
}


def test_every_preset_is_pinned():
    assert sorted(PRESET_BACKTESTS) == sorted(list_presets())


@pytest.mark.parametrize("name", sorted(PRESET_BACKTESTS))
def test_preset_backtest_figures(name):
    pairs, in_80, in_50, crps, naive, skill = PRESET_BACKTESTS[name]
    bt = rolling_backtest(load_preset(name), load_history())
    assert bt.pairs == pairs and not bt.skipped
    assert bt.coverage_80 == pytest.approx(in_80 / pairs, abs=1e-12)
    assert bt.coverage_50 == pytest.approx(in_50 / pairs, abs=1e-12)
    assert bt.crps_musd == pytest.approx(crps, rel=1e-9)
    assert bt.naive_crps_musd == pytest.approx(naive, rel=1e-9)
    assert bt.skill == pytest.approx(skill, rel=1e-9)


def test_preset_fits_over_2011_to_2020():
    h = load_history()
    every = fit_history(h, 2011, 2020)
    assert every.changes == 9
    assert every.growth_pct == pytest.approx(-10.301329529082485, rel=1e-9)
    assert every.growth_ci90 == pytest.approx((-29.931396017171867, 14.828197322470768), rel=1e-9)
    assert every.volatility_pct == pytest.approx(39.84534785016051, rel=1e-9)
    assert every.volatility_ci90 == pytest.approx((28.618992371918033, 68.17602251422677), rel=1e-9)
    sanctions = load_preset("Sanctions 2016-2017").shocks
    fit = fit_history(h, 2011, 2020, shocks=sanctions, exclude_shock_years=True)
    assert fit.left_out_years == (2016, 2017, 2018) and fit.changes == 6
    assert fit.growth_pct == pytest.approx(-1.3787564066842946, rel=1e-9)
    assert fit.growth_ci90 == pytest.approx((-27.211358981421686, 33.62180625696318), rel=1e-9)
    assert fit.volatility_pct == pytest.approx(36.92098096464769, rel=1e-9)
    assert fit.volatility_ci90 == pytest.approx((24.812736335749335, 77.13743502025808), rel=1e-9)
