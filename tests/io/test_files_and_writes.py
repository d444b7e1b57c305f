"""Reading only regular files without blocking, writing without surprises.

Anything that would hang if the code were wrong (a FIFO opened for reading or
writing) runs in a subprocess with a time-out, so a regression fails the test
instead of freezing the suite.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from forecaster.io import default_scenario, load_scenario, save_scenario
from forecaster.io.atomic import (
    ReadOnlyTarget,
    WriteError,
    atomic_write_bytes,
    fd_of,
    remove_stale_temps,
)
from forecaster.io.files import FileStamp, changed_since, display_name, read_regular
from forecaster.io.recovery import find_recoveries, read_recovery, write_recovery
from forecaster.io.scenario_file import (
    MAX_BYTES,
    ReadOnlyScenarioFile,
    ScenarioFileError,
    load_scenario_stamped,
)

TIMEOUT = 60


def run_python(code: str, *args: str) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter; a hang ends in TimeoutExpired, failing the test."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


# --- reading: regular files only, never blocking -----------------------------------


def test_a_fifo_as_scenario_file_is_refused_at_once(tmp_path):
    fifo = tmp_path / "p.forecast.json"
    os.mkfifo(fifo)
    done = run_python(
        """
        import sys
        from forecaster.io import load_scenario, ScenarioFileError
        try:
            load_scenario(sys.argv[1])
        except ScenarioFileError as e:
            print(e)
        """,
        str(fifo),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{fifo}: is a named pipe, not a scenario file"


def test_a_device_is_refused_without_reading_it(tmp_path):
    # /dev/zero would read forever; it must be refused on its file type alone.
    with pytest.raises(ScenarioFileError, match="/dev/zero: is a device, not a scenario file"):
        load_scenario("/dev/zero")


def test_a_fifo_among_recovery_files_is_skipped_and_named(tmp_path):
    write_recovery(
        tmp_path / "good.recovery.json", default_scenario(), None, True, datetime.now(UTC)
    )
    os.mkfifo(tmp_path / "pipe.recovery.json")
    done = run_python(
        """
        import sys
        from pathlib import Path
        from forecaster.io.recovery import find_recoveries
        found, broken = find_recoveries(Path(sys.argv[1]))
        print([r.file.name for r in found])
        print(broken[0][1])
        """,
        str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "['good.recovery.json']",
        "pipe.recovery.json: is a named pipe, not a recovery file",
    ]


def test_read_regular_reads_one_byte_past_the_limit(tmp_path):
    path = tmp_path / "big"
    path.write_bytes(b"x" * 100)
    data, st = read_regular(path, 10)
    assert data == b"x" * 11 and st.st_size == 100


# --- knowing when a file changed ----------------------------------------------------


def test_a_stamp_tells_a_changed_file_from_a_touched_one(tmp_path):
    path = tmp_path / "s.forecast.json"
    save_scenario(default_scenario(), path)
    _, stamp = load_scenario_stamped(path)
    assert changed_since(path, stamp, MAX_BYTES) is None
    later = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))  # touched, same bytes
    assert changed_since(path, stamp, MAX_BYTES) is None
    save_scenario(default_scenario().with_params(growth_pct=1.0), path)
    assert changed_since(path, stamp, MAX_BYTES) == "changed"
    path.unlink()
    assert changed_since(path, stamp, MAX_BYTES) == "deleted"
    os.mkfifo(path)
    assert changed_since(path, stamp, MAX_BYTES) == "a named pipe"


def test_save_returns_the_stamp_of_what_it_wrote(tmp_path):
    path = tmp_path / "s.forecast.json"
    stamp = save_scenario(default_scenario(), path)
    assert stamp == load_scenario_stamped(path)[1]
    assert FileStamp.from_json(stamp.to_json()) == stamp
    assert FileStamp.from_json({"size": "1"}) is None


# --- writing -----------------------------------------------------------------------


def test_a_replaced_file_keeps_its_mode(tmp_path):
    path = tmp_path / "s.forecast.json"
    save_scenario(default_scenario(), path)
    path.chmod(0o640)
    save_scenario(default_scenario().with_params(growth_pct=2.0), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert load_scenario(path)["growth_pct"] == 2.0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_replaced_file_keeps_its_owner(tmp_path):
    path = tmp_path / "theirs.forecast.json"
    save_scenario(default_scenario(), path)
    os.chown(path, 1234, 5678)  # someone else's file, saved by root
    save_scenario(default_scenario().with_params(growth_pct=2.0), path)
    assert (path.stat().st_uid, path.stat().st_gid) == (1234, 5678)


def test_a_read_only_file_is_refused_unless_forced_and_stays_read_only(tmp_path):
    path = tmp_path / "s.forecast.json"
    save_scenario(default_scenario(), path)
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(ReadOnlyScenarioFile, match="cannot save s.forecast.json: it is read-only"):
        save_scenario(default_scenario().with_params(growth_pct=2.0), path)
    assert path.read_bytes() == before
    save_scenario(default_scenario().with_params(growth_pct=2.0), path, replace_read_only=True)
    assert load_scenario(path)["growth_pct"] == 2.0
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_fifo_in_place_of_a_scenario_is_never_written(tmp_path):
    fifo = tmp_path / "s.forecast.json"
    os.mkfifo(fifo)
    done = run_python(
        """
        import sys
        from forecaster.io import default_scenario, save_scenario, ScenarioFileError
        try:
            save_scenario(default_scenario(), sys.argv[1])
        except ScenarioFileError as e:
            print(e)
        """,
        str(fifo),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "cannot save s.forecast.json: is a named pipe, not a regular file"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_messages_name_the_target_not_the_temporary_file(tmp_path):
    target = tmp_path / "missing" / "s.json"
    with pytest.raises(WriteError) as caught:
        atomic_write_bytes(target, b"{}")
    assert str(caught.value) == (
        f"cannot write {target}: the folder {tmp_path / 'missing'} does not exist"
    )
    with pytest.raises(WriteError, match=r"^cannot write /dev/full: No space left on device$"):
        from forecaster.io.atomic import write_target

        write_target("/dev/full", b"x" * 10)


def test_read_only_target_error_says_so(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("old")
    path.chmod(0o444)
    with pytest.raises(ReadOnlyTarget, match="t.csv: it is read-only"):
        atomic_write_bytes(path, b"new")


@pytest.mark.parametrize(
    "target, fd",
    [("-", 1), ("/dev/stdout", 1), ("/dev/fd/1", 1), ("/proc/self/fd/2", 2), ("out.csv", None)],
)
def test_standard_output_names(target, fd):
    assert fd_of(target) == fd


STALE_CHILD = """
    import os, sys
    from forecaster.io import atomic, default_scenario, save_scenario
    def stuck(fd):
        print("writing", flush=True)
        os.kill(os.getpid(), 9)  # killed mid-save, as kill -9 from outside would
    atomic.os.fsync = stuck
    save_scenario(default_scenario().with_params(growth_pct=1.0), sys.argv[1])
"""


def test_temp_files_of_saves_killed_with_sigkill_are_removed_by_the_next_save(tmp_path):
    path = tmp_path / "s.forecast.json"
    save_scenario(default_scenario(), path)
    before = path.read_bytes()
    for _ in range(3):
        done = run_python(STALE_CHILD, str(path))
        assert done.returncode == -9 and done.stdout == "writing\n"
        leftovers = [p for p in tmp_path.iterdir() if p != path]
        # Each killed save left its temp file; each next save removed the earlier ones.
        assert len(leftovers) == 1 and leftovers[0].name.startswith(".s.forecast.json.")
    assert path.read_bytes() == before  # the killed saves never touched the file

    unrelated = tmp_path / ".s.forecast.json.notes.tmp"  # not a name this app makes
    unrelated.write_text("keep")
    save_scenario(default_scenario().with_params(growth_pct=3.0), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, unrelated.name])
    assert load_scenario(path)["growth_pct"] == 3.0


def test_a_temp_file_of_a_live_save_is_left_alone(tmp_path):
    target = tmp_path / "s.forecast.json"
    with subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    ) as alive:
        live = tmp_path / f".s.forecast.json.{alive.pid}.abcd1234.tmp"
        live.write_text("half")
        assert remove_stale_temps(target) == []
        assert live.exists()
        alive.stdin.close()
        alive.wait(timeout=TIMEOUT)
    assert remove_stale_temps(target) == [live]


def test_a_long_file_name_still_saves(tmp_path):
    path = tmp_path / ("x" * 230 + ".forecast.json")  # the temp name must not pass NAME_MAX
    save_scenario(default_scenario(), path)
    assert load_scenario(path) == default_scenario().validated()


# --- recovery files ----------------------------------------------------------------


def test_a_recovery_keeps_a_file_name_that_is_not_utf8(tmp_path):
    document = Path(os.fsdecode(tmp_path / "caf") + os.fsdecode(b"\xe9.forecast.json"))
    stamp = save_scenario(default_scenario(), document)
    file = tmp_path / "r.recovery.json"
    write_recovery(file, default_scenario(), document, True, datetime.now(UTC), stamp)
    rec = read_recovery(file)
    assert os.fsencode(rec.document_path) == os.fsencode(document)
    assert rec.document_stamp == stamp
    assert display_name(rec.document_path) == "caf\ufffd.forecast.json"
    assert "caf\ufffd.forecast.json" in file.read_text(encoding="utf-8")  # readable too


@pytest.mark.parametrize(
    "edited_at, newest",
    [("0001-01-01T00:00:00+05:00", False), ("9999-12-31T23:00:00-05:00", True)],
)
def test_recovery_times_past_the_ends_of_the_calendar_in_utc_are_read_and_sorted(
    tmp_path, edited_at, newest
):
    # Converted to UTC these fall in year 0 or year 10000: Python cannot hold them.
    far = tmp_path / "far.recovery.json"
    write_recovery(far, default_scenario(), None, True, datetime(2026, 1, 1, tzinfo=UTC))
    far.write_text(far.read_text().replace("2026-01-01T00:00:00+00:00", edited_at))
    write_recovery(
        tmp_path / "now.recovery.json", default_scenario(), None, True, datetime.now(UTC)
    )
    found, broken = find_recoveries(tmp_path)
    assert not broken and len(found) == 2
    assert (found[0].file == far) is newest
