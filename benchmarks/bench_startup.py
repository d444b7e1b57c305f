"""Bundle size and start-up time of the packaged app and the source, against a baseline, in one run.

Prints the bundle's size on disk (allocated blocks, as ``du`` counts them, and the
sum of file sizes) and as a .tar.gz (gzip level 6, what ``tar czf`` writes), then the
median and 95th percentile of N launches from process start to the first painted
window, packaged and from source, for this working tree and for a baseline (by
default the ``main`` branch, exported with ``git archive`` and built with its own
build.spec), each measured by the app itself: ``forecaster --smoke-test`` reads the
process start from the kernel (/proc/self/stat) and waits until the chart's first
frame has been painted and flushed (forecaster/ui/smoke.py). Launches go round-robin
(the order turning every round, so no variant always follows another), after one
unmeasured warm-up each (so all read from a warm page cache and the sources have
their .pyc files), with a fresh HOME (no saved window layout), offscreen unless
--platform says otherwise. The load average is printed: on a shared machine, compare
the variants of one run, not runs; the CPU time of each launch (to its exit, from
getrusage) is printed too, as waiting for a core changes it less than the wall time.

Run:
    .venv/bin/python benchmarks/bench_startup.py                  (builds both bundles in /tmp)
    .venv/bin/python benchmarks/bench_startup.py --bundle dist/forecaster --baseline-bundle B
    .venv/bin/python benchmarks/bench_startup.py --baseline v0.1   (any git ref; or --no-baseline)
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = "forecaster.exe" if sys.platform == "win32" else "forecaster"
GOAL_DISK_MB = 140
GOAL_TGZ_MB = 60
GOAL_FIRST_FRAME_S = 0.45  # issue 10: packaged, median
FIRST_FRAME = re.compile(
    r"first frame painted (?P<frame>\d+\.\d+) s after process start \(python ready "
    r"(?P<python>\d+\.\d+), Qt and window modules imported (?P<imports>\d+\.\d+), window built "
    r"(?P<built>\d+\.\d+), shown (?P<shown>\d+\.\d+);"
)
MiB = 1024 * 1024


def build(tree: Path, into: Path) -> Path:
    """The bundle of the working tree ``tree``, built with its own build.spec."""
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(into / "dist"),
            "--workpath",
            str(into / "build"),
            str(tree / "build.spec"),
        ],
        cwd=tree,
        check=True,
        capture_output=True,
    )
    print(f"built {tree} in {time.perf_counter() - t0:.0f} s")
    return into / "dist" / "forecaster"


def export(ref: str, into: Path) -> Path:
    """The files of git ``ref`` of this repository, in ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", ref],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"baseline: {ref} ({commit}) exported to {into}")
    return into


def disk_usage(folder: Path) -> tuple[int, int, int]:
    """(bytes allocated on disk, sum of file sizes, number of files); hard links once."""
    seen, allocated, apparent, files = set(), 0, 0, 0
    for path in [folder, *folder.rglob("*")]:
        st = path.lstat()
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        allocated += getattr(st, "st_blocks", 0) * 512 or st.st_size
        if path.is_file() and not path.is_symlink():
            apparent += st.st_size
            files += 1
    return allocated, apparent, files


def targz_size(folder: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "bundle.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=folder.name)
        return archive.stat().st_size


def launch(cmd: list[str], env: dict[str, str], home: Path) -> dict[str, float]:
    env = dict(env, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    env["XDG_DATA_HOME"] = str(home / ".local" / "share")
    cpu_before = _children_cpu()
    result = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=120, cwd=tempfile.gettempdir()
    )
    cpu = _children_cpu() - cpu_before
    match = FIRST_FRAME.search(result.stdout)
    if result.returncode != 0 or not match:
        raise SystemExit(
            f"bench_startup: {' '.join(cmd)} failed ({result.returncode}): "
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    return {"cpu": cpu, **{k: float(v) for k, v in match.groupdict().items()}}


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes; NaN without getrusage.

    Less disturbed than wall time by other work on a shared machine: a launch's CPU
    time grows only a little when it has to wait for a core."""
    try:
        import resource
    except ImportError:
        return float("nan")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def print_size(bundle: Path, label: str) -> None:
    allocated, apparent, files = disk_usage(bundle)
    tgz = targz_size(bundle)
    print(f"{label} bundle: {bundle} ({files} files)")
    print(
        f"  size on disk: {allocated / MiB:.1f} MiB allocated ({allocated / 1e6:.1f} MB), "
        f"{apparent / MiB:.1f} MiB in file contents   goal <= {GOAL_DISK_MB} MB: "
        f"{'met' if allocated / MiB <= GOAL_DISK_MB else 'MISSED'}"
    )
    print(
        f"  as .tar.gz:   {tgz / MiB:.1f} MiB ({tgz / 1e6:.1f} MB)   goal <= {GOAL_TGZ_MB} MB: "
        f"{'met' if tgz / MiB <= GOAL_TGZ_MB else 'MISSED'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, help="this tree's bundle (default: build one)")
    parser.add_argument(
        "--baseline", default="main", metavar="REF", help="git ref to compare with (default main)"
    )
    parser.add_argument(
        "--baseline-bundle", type=Path, help="the baseline's bundle (default: build one)"
    )
    parser.add_argument(
        "--baseline-source", type=Path, help="the baseline's working tree (default: export REF)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="measure this tree only")
    parser.add_argument(
        "--runs", type=int, default=15, help="measured launches of each (default 15)"
    )
    parser.add_argument(
        "--platform", default="offscreen", help="QT_QPA_PLATFORM (default offscreen)"
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="forecaster-bench-"))
    trees = {"now": ROOT}
    bundles = {"now": args.bundle}
    if not args.no_baseline:
        trees["base"] = args.baseline_source or export(args.baseline, scratch / "baseline")
        bundles["base"] = args.baseline_bundle
    for name, tree in trees.items():
        if bundles[name] is None:
            bundles[name] = build(tree, scratch / f"build-{name}")
        bundle = bundles[name] = bundles[name].resolve()
        if not (bundle / EXE).is_file():
            raise SystemExit(f"bench_startup: no {EXE} in {bundle}")
        print_size(bundle, "this tree's" if name == "now" else "baseline's")

    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith(("QT_", "XDG_"))
    }
    env["QT_QPA_PLATFORM"] = args.platform
    commands = {}
    for name, tree in trees.items():
        commands[f"packaged {name}"] = ([str(bundles[name] / EXE), "--smoke-test"], env)
        source_env = dict(env, PYTHONPATH=str(tree))
        commands[f"source {name}"] = (
            [sys.executable, "-m", "forecaster", "--smoke-test"],
            source_env,
        )
    home = scratch / "home"
    home.mkdir()
    for cmd, cmd_env in commands.values():
        launch(cmd, cmd_env, home)  # warm-up: page cache, .pyc files
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(args.runs):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            runs[name].append(launch(*commands[name], home))
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    print(
        f"\nprocess start -> first painted window, {args.runs} launches each, "
        f"QT_QPA_PLATFORM={args.platform}, {os.cpu_count()} CPUs, "
        f"load average {load_before:.2f} -> {load_after:.2f}"
    )
    print(
        f"{'':14} {'median':>7} {'p95':>6} {'min':>6} {'max':>6}   median stages: python ready "
        "/ Qt+window imported / window built / shown   CPU median (launch to exit)"
    )
    for name, samples in runs.items():
        frames = [s["frame"] for s in samples]
        stage = {
            k: statistics.median(s[k] for s in samples)
            for k in ("python", "imports", "built", "shown", "cpu")
        }
        print(
            f"{name:14} {statistics.median(frames):6.3f}s {p95(frames):5.3f}s "
            f"{min(frames):5.3f}s {max(frames):5.3f}s   {stage['python']:.3f} / "
            f"{stage['imports']:.3f} / {stage['built']:.3f} / {stage['shown']:.3f}   "
            f"{stage['cpu']:.3f}s"
        )
    medians = {name: statistics.median(s["frame"] for s in runs[name]) for name in runs}
    if "packaged base" in medians:
        for kind in ("packaged", "source"):
            now, base = medians[f"{kind} now"], medians[f"{kind} base"]
            print(f"{kind}: {now / base:.2f} x the baseline's median ({now - base:+.3f} s)")
    packaged = medians["packaged now"]
    print(
        f"goal <= {GOAL_FIRST_FRAME_S} s (packaged median): "
        f"{'met' if packaged <= GOAL_FIRST_FRAME_S else 'MISSED'}"
    )
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
