"""Bundle size and start-up time of the packaged app, against the source, in one run.

Prints the bundle's size on disk (allocated blocks, as ``du`` counts them, and the
sum of file sizes) and as a .tar.gz (gzip level 6, what ``tar czf`` writes), then the
median of N launches from process start to the first painted window, packaged and
from source, each measured by the app itself: ``forecaster --smoke-test`` reads the
process start from the kernel (/proc/self/stat) and waits until the chart's first
frame has been painted and flushed (forecaster/ui/smoke.py). Launches alternate
between the two, after one unmeasured warm-up each (so both read from a warm page
cache and the source has its .pyc files), and run offscreen unless --platform says
otherwise.

Run:
    .venv/bin/python benchmarks/bench_startup.py                 (builds the bundle in /tmp)
    .venv/bin/python benchmarks/bench_startup.py --bundle dist/forecaster
"""

from __future__ import annotations

import argparse
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
GOAL_FIRST_FRAME_S = 0.8
FIRST_FRAME = re.compile(
    r"first frame painted (?P<frame>\d+\.\d+) s after process start \(python ready "
    r"(?P<python>\d+\.\d+), Qt and window modules imported (?P<imports>\d+\.\d+), window built "
    r"(?P<built>\d+\.\d+), shown (?P<shown>\d+\.\d+);"
)
MiB = 1024 * 1024


def build(into: Path) -> Path:
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
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    print(f"built the bundle in {time.perf_counter() - t0:.0f} s")
    return into / "dist" / "forecaster"


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


def launch(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=120, cwd=tempfile.gettempdir()
    )
    match = FIRST_FRAME.search(result.stdout)
    if result.returncode != 0 or not match:
        raise SystemExit(
            f"bench_startup: {' '.join(cmd)} failed ({result.returncode}): "
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    return {k: float(v) for k, v in match.groupdict().items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bundle", type=Path, help="an existing bundle folder (default: build one)"
    )
    parser.add_argument("--runs", type=int, default=5, help="measured launches of each (default 5)")
    parser.add_argument(
        "--platform", default="offscreen", help="QT_QPA_PLATFORM (default offscreen)"
    )
    args = parser.parse_args()

    scratch = None
    if args.bundle is None:
        scratch = Path(tempfile.mkdtemp(prefix="forecaster-bench-"))
        args.bundle = build(scratch)
    bundle = args.bundle.resolve()
    if not (bundle / EXE).is_file():
        raise SystemExit(f"bench_startup: no {EXE} in {bundle}")

    allocated, apparent, files = disk_usage(bundle)
    tgz = targz_size(bundle)
    print(f"bundle: {bundle} ({files} files)")
    print(
        f"size on disk: {allocated / MiB:.1f} MiB allocated ({allocated / 1e6:.1f} MB), "
        f"{apparent / MiB:.1f} MiB in file contents   goal <= {GOAL_DISK_MB} MB: "
        f"{'met' if allocated / MiB <= GOAL_DISK_MB else 'MISSED'}"
    )
    print(
        f"as .tar.gz:   {tgz / MiB:.1f} MiB ({tgz / 1e6:.1f} MB)   goal <= {GOAL_TGZ_MB} MB: "
        f"{'met' if tgz / MiB <= GOAL_TGZ_MB else 'MISSED'}"
    )

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM=args.platform, PYTHONPATH=str(ROOT))
    commands = {
        "packaged": [str(bundle / EXE), "--smoke-test"],
        "source": [sys.executable, "-m", "forecaster", "--smoke-test"],
    }
    for cmd in commands.values():
        launch(cmd, env)  # warm-up: page cache, .pyc files
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            runs[name].append(launch(cmd, env))
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    print(
        f"\nprocess start -> first painted window, {args.runs} launches each, "
        f"QT_QPA_PLATFORM={args.platform}, {os.cpu_count()} CPUs, "
        f"load average {load_before:.2f} -> {load_after:.2f}"
    )
    print(
        f"{'':9} {'median':>7} {'min':>6} {'max':>6}   median stages: python ready / "
        "Qt+window imported / window built / shown"
    )
    for name, samples in runs.items():
        frames = [s["frame"] for s in samples]
        stage = {
            k: statistics.median(s[k] for s in samples)
            for k in ("python", "imports", "built", "shown")
        }
        print(
            f"{name:9} {statistics.median(frames):6.3f}s {min(frames):5.3f}s {max(frames):5.3f}s   "
            f"{stage['python']:.3f} / {stage['imports']:.3f} / {stage['built']:.3f} / "
            f"{stage['shown']:.3f}"
        )
    packaged = statistics.median(s["frame"] for s in runs["packaged"])
    print(
        f"goal <= {GOAL_FIRST_FRAME_S} s (packaged): "
        f"{'met' if packaged <= GOAL_FIRST_FRAME_S else 'MISSED'}"
    )
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
