"""Command line: the window by default, ``--headless`` for batch work.

Every parameter in the spec table is also an option (``--growth-pct 20``), so a
scenario can be tweaked from a script without editing its file. Bad input of any
kind ends with exit status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

# One OpenBLAS thread, set before NumPy loads it: otherwise NumPy's import starts a
# thread per core, which made it take 130 ms instead of 70 on the 2-core benchmark
# machine (a tenth of the window's start-up). The engine's only matrix products
# (calibration.py: a few dozen rows by the draws) were no faster with two threads.
# A value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from forecaster import __version__  # noqa: E402
from forecaster.engine.calibration import DEFAULT_REACH_YEARS  # noqa: E402
from forecaster.engine.params import PARAMS, Scenario, ScenarioError, fmt_number  # noqa: E402
from forecaster.engine.projection import MAX_STEPS  # noqa: E402

EXIT_BAD_INPUT = 2
DEFAULT_CHART_SIZE = (1200, 750)
OUTPUTS = ("csv", "json", "chart", "report")
EXIT_BROKEN_PIPE = 128 + 13  # where there is no SIGPIPE to end with


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
    parser.add_argument(
        "--csv",
        metavar="OUT",
        help="write the per-year table as CSV (headless; - for standard output)",
    )
    parser.add_argument(
        "--json", metavar="OUT", help="write the summary as JSON (headless; - for standard output)"
    )
    parser.add_argument(
        "--chart",
        metavar="OUT",
        help="write the projection chart with its title, verdict and assumptions "
        "(headless; OUT ends in .png or .svg)",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        help=f"size of the --chart image in pixels (default {DEFAULT_CHART_SIZE[0]}x"
        f"{DEFAULT_CHART_SIZE[1]})",
    )
    parser.add_argument(
        "--report", metavar="OUT", help="write the one-page report as PDF (headless; OUT.pdf)"
    )
    parser.add_argument(
        "--page-size",
        choices=("a4", "letter"),
        type=str.lower,
        help="page of the --report (default: the locale's, Letter in the US, A4 elsewhere)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace a read-only output file (it stays read-only)",
    )
    parser.add_argument(
        "--print-schema",
        action="store_true",
        help="print the JSON Schema of scenario files (*.forecast.json) and exit",
    )
    parser.add_argument(
        "--goal-percentile",
        type=int,
        choices=(50, 90),
        default=50,
        help="percentile the goal seek brings to the target (default 50)",
    )
    parser.add_argument(
        "--backtest-years",
        metavar="K",
        type=int,
        help="reach of the rolling-origin backtest: each origin year is scored on the "
        f"1 to K years after it (1 to {MAX_STEPS}; default {DEFAULT_REACH_YEARS})",
    )
    parser.add_argument(
        "--fit-history",
        metavar=("FIRST", "LAST"),
        nargs=2,
        type=int,
        help="fit growth and volatility to the record's yearly changes over FIRST-LAST "
        'and report them with 90%% intervals (text and JSON "fit")',
    )
    parser.add_argument(
        "--fit-exclude-shock-years",
        action="store_true",
        help="with --fit-history: leave out the changes into years where one of the "
        "scenario's shocks starts",
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
        # A year without a figure keeps the turnover; the summary's base-year line says so.
        scenario = change.scenario
    if overrides:
        scenario = scenario.with_params(**overrides)
    return scenario.validated()


def run_headless(args: argparse.Namespace) -> int:
    from forecaster.engine.answer import answer
    from forecaster.engine.formatting import summary_lines
    from forecaster.engine.projection import project
    from forecaster.io import load_history, table_csv
    from forecaster.io.atomic import fd_of
    from forecaster.io.export import summary_json

    scenario = _scenario_from(args)
    projection = project(scenario)
    history = load_history()
    fit = None
    if args.fit_history:
        from forecaster.engine.calibration import FitError, fit_history

        first, last = args.fit_history
        try:
            fit = fit_history(
                history,
                first,
                last,
                shocks=scenario.shocks,
                exclude_shock_years=args.fit_exclude_shock_years,
            )
        except FitError as e:
            raise _BadInput(
                f"--fit-history {first} {last}: {str(e).removeprefix('fit: ')}"
            ) from None
    result = answer(
        scenario,
        projection,
        history,
        args.goal_percentile,
        backtest_years=DEFAULT_REACH_YEARS if args.backtest_years is None else args.backtest_years,
        fit=fit,
    )
    # When the CSV or JSON goes to standard output, the summary goes to standard error,
    # so that what is piped or appended (--csv - >> log) is the data alone.
    to_stdout = [t for t in (args.csv, args.json) if t and fd_of(t) == 1]
    _print_out("\n".join(summary_lines(result)), to_stderr=bool(to_stdout))
    if args.csv:
        _write_output(args.csv, table_csv(projection, history), args.force)
    if args.json:
        _write_output(args.json, summary_json(result), args.force)
    if args.chart or args.report:
        _write_pictures(args, scenario, projection, history, result)
    return 0


def _chart_size(text: str | None) -> tuple[int, int]:
    from forecaster.ui.exporting import MAX_SIDE, MIN_SIDE

    if text is None:
        return DEFAULT_CHART_SIZE
    parts = text.lower().split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise _BadInput(f"--size: {text!r} is not WIDTHxHEIGHT in pixels, e.g. 1200x750")
    width, height = (int(p) for p in parts)
    for side, value in (("width", width), ("height", height)):
        if not MIN_SIDE <= value <= MAX_SIDE:
            raise _BadInput(f"--size: {side} {value} is out of range ({MIN_SIDE} to {MAX_SIDE} px)")
    return width, height


def _qt_application() -> object:
    """The Qt application images and PDFs need to lay out text, on no display: the
    offscreen platform unless the caller chose one (QT_QPA_PLATFORM)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["forecaster"])


def _write_pictures(args, scenario, projection, history, result) -> None:
    """--chart and --report: drawn by Qt, so only loaded when one is asked for."""
    app = _qt_application()  # noqa: F841 (kept alive while drawing)
    from forecaster.ui.chart_image import caption_for, explained_image, explained_svg, make_chart
    from forecaster.ui.exporting import ExportError
    from forecaster.ui.report import report_pdf

    try:
        if args.chart:
            width, height = args.chart_size
            chart = make_chart(projection, history)
            caption = caption_for(scenario, result)
            if args.chart.lower().endswith(".svg"):
                data = explained_svg(chart, caption, width, height)
            else:
                data = _png_bytes(explained_image(chart, caption, width, height), caption)
            chart.close()
            _write_output(args.chart, data, args.force)
        if args.report:
            pdf, _page = report_pdf(scenario, projection, history, result, args.page_size)
            _write_output(args.report, pdf, args.force)
    except ExportError as e:
        raise _BadInput(str(e)) from None


def _png_bytes(image, caption) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image.setText("Title", caption.title)
    image.setText("Description", f"{caption.verdict} {caption.footer}")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _check_outputs(args: argparse.Namespace) -> None:
    from forecaster.io.atomic import fd_of

    if (
        args.csv
        and args.json
        and fd_of(args.csv) is not None
        and fd_of(args.csv) == fd_of(args.json)
    ):
        raise _BadInput("--csv and --json cannot both write to the same output")
    if args.backtest_years is not None and not 1 <= args.backtest_years <= MAX_STEPS:
        raise _BadInput(
            f"--backtest-years: {args.backtest_years} is out of range (allowed 1 to {MAX_STEPS})"
        )
    if args.fit_exclude_shock_years and not args.fit_history:
        raise _BadInput("--fit-exclude-shock-years goes with --fit-history FIRST LAST")
    if args.chart and not args.chart.lower().endswith((".png", ".svg")):
        raise _BadInput(f"--chart: {args.chart!r} must end in .png or .svg (the format)")
    if args.report and not args.report.lower().endswith(".pdf"):
        raise _BadInput(f"--report: {args.report!r} must end in .pdf")
    named = [getattr(args, k) for k in OUTPUTS if getattr(args, k)]
    if len({os.path.abspath(t) for t in named if t != "-"}) < len([t for t in named if t != "-"]):
        raise _BadInput("two outputs name the same file; give each its own")
    if args.size and not args.chart:
        raise _BadInput("--size is the size of the --chart image; give --chart too")
    args.chart_size = _chart_size(args.size) if args.chart else None
    if args.page_size and not args.report:
        raise _BadInput("--page-size is the page of the --report; give --report too")
    if args.force and not named:
        raise _BadInput(
            "--force replaces a read-only output file; give --csv, --json, --chart or --report"
        )


def _write_output(target: str, text: str | bytes, force: bool) -> None:
    """Into the target the user named (see forecaster.io.atomic.write_target); every
    message names that target. A broken pipe passes through to main()."""
    from forecaster.io.atomic import ReadOnlyTarget, WriteError, write_target

    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        write_target(target, data, replace_read_only=force)
    except BrokenPipeError:
        raise
    except ReadOnlyTarget as e:
        raise _BadInput(f"{e} (pass --force to replace it)") from None
    except WriteError as e:
        raise _BadInput(str(e)) from None


def _print_out(text: str, to_stderr: bool = False) -> None:
    """print(), with a failure to write (a full disk) as one line instead of a traceback."""
    stream = sys.stderr if to_stderr else sys.stdout
    try:
        print(text, file=stream)
    except BrokenPipeError:
        raise
    except OSError as e:
        _silence_stdout()
        name = "standard error" if to_stderr else "standard output"
        raise _BadInput(f"cannot write {name}: {e.strerror or e}") from None


def _flush_stdout() -> None:
    """Push out what is buffered for standard output now, while a failure can still be
    reported in one line (a full disk: "cannot write standard output: ...")."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        _silence_stdout()
        raise _BadInput(f"cannot write standard output: {e.strerror or e}") from None


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush of what
    could not be written has somewhere to go instead of printing a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _end_on_broken_pipe() -> int:
    """The reader went away (| head): end quietly, as Unix tools do - by SIGPIPE where
    there is one, so a shell sees the usual status 141."""
    _silence_stdout()
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    return EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.list_presets:
            from forecaster.io import list_presets

            _print_out("\n".join(list_presets()))
            _flush_stdout()
            return 0
        if args.print_schema:
            from forecaster.io.schema import schema_json

            _print_out(schema_json().rstrip("\n"))
            _flush_stdout()
            return 0
        if args.smoke_test and args.headless:
            raise _BadInput("--smoke-test opens the window; leave out --headless")
        if args.headless:
            _check_outputs(args)
            status = run_headless(args)
            _flush_stdout()
            return status
        if any(getattr(args, k) for k in OUTPUTS) or args.force or args.size or args.page_size:
            raise _BadInput(
                "--csv, --json, --chart, --report, --size, --page-size and --force need --headless"
            )
        if args.fit_history or args.fit_exclude_shock_years or args.backtest_years is not None:
            raise _BadInput(
                "--backtest-years and --fit-history need --headless; in the window, use "
                "the Backtest tab and Scenario > Fit to History"
            )
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
    except BrokenPipeError:
        return _end_on_broken_pipe()
    except MemoryError:  # past the projection (which names draws and years): the analysis
        print("forecaster: not enough memory for this scenario; try fewer draws", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
