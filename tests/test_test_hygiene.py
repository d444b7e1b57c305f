"""The suite's own rules, checked like any other behaviour, so a new test keeps them.

1. No test waits a fixed time. A pause long enough on one machine is too short on a
   loaded one (a flaky failure) and wasted time everywhere else. Wait for what the test
   checks instead: ``qtbot.waitUntil``, ``qtbot.waitSignal``; to show that something did
   not happen, the ``settle`` fixture (tests/ui/conftest.py); for a child process,
   ``until_child``, or a line it prints. A child that must stay put until it is killed
   blocks on something that never comes (``threading.Event().wait()``).
2. Every test that needs the PyInstaller bundle is marked ``packaging`` (so
   ``-m "not packaging"`` skips the minute-long build locally), and only those are, so
   the marker never hides a quick test from a local run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
PACKAGING = TESTS / "packaging"

# What waits a fixed time, anywhere in a file under tests/ (the scripts that tests run
# as child processes are strings in those files, and are scanned too).
FIXED_WAITS = {
    "time.sleep": re.compile(r"\btime\s*\.\s*sleep\s*\("),
    "sleep imported from time": re.compile(r"\bfrom\s+time\s+import\b[^\n]*\bsleep\b"),
    "qtbot.wait": re.compile(r"\bqtbot\s*\.\s*wait\s*\("),
    "QTest.qWait": re.compile(r"\bqWait\s*\("),
    "QTest.qSleep": re.compile(r"\bqSleep\s*\("),
    "asyncio.sleep": re.compile(r"\basyncio\s*\.\s*sleep\s*\("),
}

# Files allowed a fixed wait, each with the reason it cannot be avoided
# ("tests/path.py": "why"). Empty: nothing in the suite needs one.
ALLOWED_FIXED_WAITS: dict[str, str] = {}

# A test module that names these drives the bundle itself (not through the fixtures).
BUNDLE_WORDS = re.compile(r"pyinstaller|build\.spec", re.IGNORECASE)


def fixed_waits(text: str) -> list[tuple[int, str]]:
    """(line number, kind) of every fixed wait in ``text``."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for kind, pattern in FIXED_WAITS.items():
            if pattern.search(line):
                found.append((number, kind))
    return found


def test_the_scan_finds_every_kind_of_fixed_wait_and_nothing_else():
    # Each written with a "~" that is taken out, so that this file's text has none.
    waits = [
        line.replace("~", "")
        for line in (
            "    time.sl~eep(3)",
            "from time import monotonic, sl~eep",
            "qtbot.wa~it(1)",
            "QTest.qWa~it(5)",
            "QTest.qSl~eep(5)",
            "await asyncio.sl~eep(0.1)",
        )
    ]
    assert [kind for line in waits for _, kind in fixed_waits(line)] == list(FIXED_WAITS)
    not_waits = [
        "qtbot.waitUntil(lambda: shows_document(view))",
        "with qtbot.waitSignal(view.sigProjectionUpdated):",
        "qtbot.waitExposed(widget)",
        "child.wait(timeout=30)",
        "threading.Event().wait()",
        "started = time.monotonic()",
        "from time import monotonic",
    ]
    assert [fixed_waits(line) for line in not_waits] == [[] for _ in not_waits]


def test_no_test_waits_a_fixed_time():
    files = [p for p in TESTS.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert Path(__file__).resolve() in files and len(files) > 40  # the scan sees the whole suite
    offenders = []
    for path in sorted(files):
        name = path.relative_to(ROOT).as_posix()
        if name in ALLOWED_FIXED_WAITS:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}:{number}: {kind}" for number, kind in fixed_waits(text)]
    assert offenders == [], (
        "wait for what the test checks instead of a fixed time (see this file's "
        "docstring):\n" + "\n".join(offenders)
    )


def test_the_allowed_fixed_waits_are_still_there():
    """An exception that is no longer needed goes, so the list never grows stale."""
    for name, reason in ALLOWED_FIXED_WAITS.items():
        assert reason.strip(), name
        assert fixed_waits((ROOT / name).read_text(encoding="utf-8")), name


# Collected in a child process: pytest's own collection, with its markers and fixtures.
COLLECT = textwrap.dedent("""
    import json, sys
    import pytest

    class Report:
        items = []

        def pytest_collection_finish(self, session):
            self.items = [
                {
                    "nodeid": item.nodeid,
                    "path": str(item.path),
                    "markers": sorted({m.name for m in item.iter_markers()}),
                    "fixtures": sorted(getattr(item, "fixturenames", ())),
                }
                for item in session.items
            ]

    report = Report()
    code = pytest.main(
        ["--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "tests"],
        plugins=[report],
    )
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(report.items, out)
    sys.exit(code)
""")


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("collected") / "items.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", COLLECT, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    items = json.loads(out.read_text(encoding="utf-8"))
    assert len(items) > 300, len(items)  # the whole suite, not an empty collection
    return items


def needs_the_bundle(item: dict) -> str | None:
    """Why this test needs the PyInstaller bundle, or None when it does not."""
    path = Path(item["path"])
    if path.is_relative_to(PACKAGING):
        return "it is in tests/packaging/"
    if "bundle" in item["fixtures"]:  # directly, or through ``frozen``
        return "it uses the bundle fixture"
    if path != Path(__file__).resolve() and BUNDLE_WORDS.search(path.read_text(encoding="utf-8")):
        return "its module names PyInstaller or build.spec"
    return None


def test_every_test_that_needs_the_bundle_is_marked_packaging(collected):
    bundle_tests = [item for item in collected if needs_the_bundle(item)]
    # The rule has something to check: the bundle's own tests are collected.
    assert any("bundle" in item["fixtures"] for item in bundle_tests)
    unmarked = [
        f"{item['nodeid']}: {needs_the_bundle(item)}"
        for item in bundle_tests
        if "packaging" not in item["markers"]
    ]
    assert unmarked == [], "mark these @pytest.mark.packaging:\n" + "\n".join(unmarked)


def test_only_tests_that_need_the_bundle_are_marked_packaging(collected):
    """The marker skips a test in a local run: a test without the bundle keeps running
    (put it outside tests/packaging/, as tests/test_desktop_files.py)."""
    marked = [item for item in collected if "packaging" in item["markers"]]
    assert marked  # the rule has something to check
    wrongly = [item["nodeid"] for item in marked if not needs_the_bundle(item)]
    assert wrongly == [], "these need no bundle; do not mark them packaging:\n" + "\n".join(wrongly)
