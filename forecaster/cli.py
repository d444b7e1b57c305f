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
    from forecaster.engine.history import with_base_year
    from forecaster.io import default_scenario, load_history, load_preset, load_scenario

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
    base_year = overrides.pop("base_year", None)
    if base_year is not None:
        # The base year is history: it brings the record's turnover unless one is given.
        change = with_base_year(
            scenario, base_year, load_history(), overrides.pop("base_turnover_musd", None)
        )
        scenario = change.scenario
        if change.note:
            print(f"forecaster: note: {change.note}", file=sys.stderr)
    if overrides:
        scenario = scenario.with_params(**overrides)
    return scenario.validated()


def run_headless(args: argparse.Namespace) -> int:
    from forecaster.engine.answer import answer
    from forecaster.engine.formatting import summary_lines
    from forecaster.engine.projection import project
    from forecaster.io import load_history, write_summary_json, write_table_csv

    scenario = _scenario_from(args)
    projection = project(scenario)
    history = load_history()
    result = answer(scenario, projection, history, args.goal_percentile)
    print("\n".join(summary_lines(result)))
    try:
        if args.csv:
            write_table_csv(args.csv, projection, history)
        if args.json:
            write_summary_json(args.json, result)
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
