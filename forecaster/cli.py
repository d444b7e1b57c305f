"""Command line: the window by default, ``--headless`` for batch work.

Every parameter in the spec table is also an option (``--growth-pct 20``), so a
scenario can be tweaked from a script without editing its file. Bad input of any
kind ends with exit status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from forecaster import __version__
from forecaster.engine.params import PARAMS, Scenario, ScenarioError, fmt_number

EXIT_BAD_INPUT = 2


class _BadInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints usage plus the message; the contract is one line.
        raise _BadInput(message)


def _option(key: str) -> str:
    return "--" + key.replace("_", "-")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="forecaster",
        description="Scenarios for Russia-DPRK trade against the $1B-a-year target.",
        epilog="Without --headless the window opens (with FILE if given).",
    )
    parser.add_argument(
        "file", nargs="?", metavar="FILE", help="scenario file to open (*.forecast.json)"
    )
    parser.add_argument(
        "--headless", action="store_true", help="print a summary instead of opening the window"
    )
    parser.add_argument("--preset", metavar="NAME", help="start from a shipped preset")
    parser.add_argument("--csv", metavar="OUT", help="write the per-year table as CSV (headless)")
    parser.add_argument("--json", metavar="OUT", help="write the summary as JSON (headless)")
    parser.add_argument(
        "--goal-percentile",
        type=int,
        choices=(50, 90),
        default=50,
        help="percentile the goal seek brings to the target (default 50)",
    )
    parser.add_argument("--list-presets", action="store_true", help="list the shipped presets")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window on the default scenario (or FILE), wait for its "
        "first painted frame, print the time from process start, exit",
    )
    parser.add_argument("--version", action="version", version=f"forecaster {__version__}")
    group = parser.add_argument_group("parameters (override the scenario's values)")
    for spec in PARAMS:
        group.add_argument(
            _option(spec.key),
            dest=f"param_{spec.key}",
            metavar="N",
            type=int if spec.kind == "int" else float,
            help=(
                f"{spec.label} ({spec.describe_range()}; default {fmt_number(spec.default)}). "
                f"{spec.help}"
            ).replace("%", "%%"),
        )
    return parser


def _scenario_from(args: argparse.Namespace) -> Scenario:
    from forecaster.io import default_scenario, load_preset, load_scenario

    if args.file and args.preset:
        raise _BadInput("give either FILE or --preset, not both")
    if args.file:
        scenario = load_scenario(args.file)
    elif args.preset:
        scenario = load_preset(args.preset)
    else:
        scenario = default_scenario()
    overrides = {
        spec.key: getattr(args, f"param_{spec.key}")
        for spec in PARAMS
        if getattr(args, f"param_{spec.key}") is not None
    }
    if overrides:
        scenario = scenario.with_params(**overrides)
    return scenario.validated()


def _fmt_money(value: float) -> str:
    return f"${value:,.1f}M" if value < 10_000 else f"${value / 1000:,.2f}B"


def format_summary(summary: dict[str, object]) -> str:
    target = f"{_fmt_money(float(summary['target_musd']))} a year"  # type: ignore[arg-type]
    year = summary["target_year"]
    crossing = summary["crossing_year"]
    lines = [
        f"Scenario: {summary['scenario']}",
        f"Target: {target} by {year}",
        "Median path reaches the target: "
        + (f"in {crossing}" if crossing is not None else f"not by {summary['horizon_year']}"),
        f"Chance of reaching it in {year}: {float(summary['p_reach_in_target_year']):.1%}",  # type: ignore[arg-type]
        f"Chance of reaching it by {year} (any year up to it): "
        f"{float(summary['p_reach_by_target_year']):.1%}",  # type: ignore[arg-type]
        f"Turnover in {year}: P10 {_fmt_money(summary['target_year_p10'])}, "  # type: ignore[arg-type]
        f"P50 {_fmt_money(summary['target_year_p50'])}, "  # type: ignore[arg-type]
        f"P90 {_fmt_money(summary['target_year_p90'])}",  # type: ignore[arg-type]
        f"Growth needed from the base year with nothing else: "
        f"{float(summary['required_growth_pct']):.1f}%/yr",  # type: ignore[arg-type]
        f"Goal seek: {summary['goal_seek_message']}",
    ]
    mae = summary.get("backtest_mean_abs_error_musd")
    years = summary.get("backtest_years") or []
    if mae is None:
        lines.append("Backtest: no reported years after the base year to compare with")
    else:
        lines.append(
            f"Backtest against history: mean absolute error {_fmt_money(float(mae))} "  # type: ignore[arg-type]
            f"over {len(years)} years ({years[0]}-{years[-1]})"  # type: ignore[index]
        )
    verdict = (
        "MET" if float(summary["target_year_p50"]) >= float(summary["target_musd"]) else "MISSED"
    )  # type: ignore[arg-type]
    lines.append(f"Verdict: the median path {verdict} the target in {year}")
    return "\n".join(lines)


def run_headless(args: argparse.Namespace) -> int:
    from forecaster.engine.analysis import summary as make_summary
    from forecaster.engine.projection import project
    from forecaster.io import load_history, write_summary_json, write_table_csv

    scenario = _scenario_from(args)
    projection = project(scenario)
    history = load_history()
    summary = make_summary(scenario, projection, history, args.goal_percentile)
    print(format_summary(summary))
    try:
        if args.csv:
            write_table_csv(args.csv, projection, history)
        if args.json:
            write_summary_json(args.json, summary)
    except OSError as e:
        raise _BadInput(f"cannot write {e.filename}: {e.strerror}") from None
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.list_presets:
            from forecaster.io import list_presets

            print("\n".join(list_presets()))
            return 0
        if args.smoke_test and args.headless:
            raise _BadInput("--smoke-test opens the window; leave out --headless")
        if args.headless:
            return run_headless(args)
        if args.csv or args.json:
            raise _BadInput("--csv and --json need --headless")
        # Validate the command line before any Qt is loaded, so a typo is one line.
        overrides = [spec.key for spec in PARAMS if getattr(args, f"param_{spec.key}") is not None]
        if overrides or args.preset:
            raise _BadInput(
                "parameter options and --preset need --headless; "
                "in the window, use the sliders and the Presets menu"
            )
        if args.smoke_test:
            from forecaster.ui.smoke import run_smoke_test

            return run_smoke_test(args.file)
        from forecaster.ui.app import run_gui

        return run_gui(args.file)
    except (_BadInput, ScenarioError) as e:
        print(f"forecaster: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
