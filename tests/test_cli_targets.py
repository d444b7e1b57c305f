"""The command line with special inputs and outputs: FIFOs, standard output, pipes that
close, full devices, read-only files. Each runs the real command in a subprocess with
a time-out, so a hang fails the test instead of freezing the suite."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading

import pytest

from forecaster.engine import project
from forecaster.io import default_scenario, load_history, table_csv

TIMEOUT = 60
FORECASTER = [sys.executable, "-m", "forecaster"]


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([*FORECASTER, *args], text=True, timeout=TIMEOUT, **kwargs)


def default_csv() -> str:
    return table_csv(project(default_scenario().validated()), load_history())


def test_a_fifo_as_the_scenario_file_is_one_line_and_status_2(tmp_path):
    fifo = tmp_path / "p.forecast.json"
    os.mkfifo(fifo)
    done = run("--headless", str(fifo))
    assert done.returncode == 2
    assert done.stderr == f"forecaster: {fifo}: is a named pipe, not a scenario file\n"


def test_csv_to_dash_is_the_table_alone_on_standard_output():
    done = run("--headless", "--csv", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout == default_csv()
    assert "Scenario: 2014 plan" in done.stderr  # the summary moved out of the data's way


def test_csv_to_dev_stdout_appended_to_a_log_appends(tmp_path):
    log = tmp_path / "results.log"
    log.write_text("earlier run\n")
    inode = log.stat().st_ino
    done = subprocess.run(
        ["sh", "-c", '"$@" >> "$0"', str(log), *FORECASTER, "--headless", "--csv", "/dev/stdout"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert log.read_text() == "earlier run\n" + default_csv()
    assert log.stat().st_ino == inode  # the same file, appended to, never replaced


def test_csv_into_a_pipe_and_into_a_named_pipe(tmp_path):
    done = subprocess.run(
        ["sh", "-c", '"$@" | cat', "sh", *FORECASTER, "--headless", "--csv", "/dev/stdout"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == default_csv()

    fifo = tmp_path / "table.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()  # a reader waiting on the pipe, as `cat table.fifo` would
    done = run("--headless", "--csv", str(fifo))
    reader.join(TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert received == [default_csv().encode()]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # written into, not replaced


@pytest.mark.parametrize("extra", [[], ["--csv", "-"]])
def test_a_reader_that_went_away_ends_quietly_as_unix_tools_do(extra):
    # `forecaster --headless | head -c 0`: the reading end is closed before anything is written.
    with subprocess.Popen(
        [*FORECASTER, "--headless", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as child:
        child.stdout.close()
        _, err = child.communicate(timeout=TIMEOUT)
    assert child.returncode == -signal.SIGPIPE
    assert b"Traceback" not in err
    if not extra:
        assert err == b""


def test_a_full_standard_output_is_one_line_and_status_2():
    with open("/dev/full", "w") as full:
        done = run("--headless", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr == "forecaster: cannot write standard output: No space left on device\n"


def test_a_full_device_as_csv_target_is_named():
    done = run("--headless", "--csv", "/dev/full")
    assert done.returncode == 2
    assert done.stderr == "forecaster: cannot write /dev/full: No space left on device\n"


def test_json_into_a_missing_folder_names_the_users_target(tmp_path):
    done = run("--headless", "--json", "out/s.json", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("forecaster: cannot write out/s.json: ")
    assert "does not exist" in done.stderr and ".tmp" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_target_needs_force_and_stays_read_only(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("keep me\n")
    target.chmod(0o444)
    done = run("--headless", "--csv", str(target))
    assert done.returncode == 2
    assert done.stderr == (
        f"forecaster: cannot write {target}: it is read-only (pass --force to replace it)\n"
    )
    assert target.read_text() == "keep me\n"

    done = run("--headless", "--csv", str(target), "--force")
    assert done.returncode == 0, done.stderr
    assert target.read_text() == default_csv()
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_a_replaced_output_keeps_its_mode(tmp_path):
    target = tmp_path / "summary.json"
    target.write_text("{}")
    target.chmod(0o640)
    assert run("--headless", "--json", str(target)).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert '"target_year_p50"' in target.read_text()


def test_both_outputs_to_standard_output_is_refused():
    done = run("--headless", "--csv", "-", "--json", "/dev/stdout")
    assert done.returncode == 2
    assert done.stderr == "forecaster: --csv and --json cannot both write to the same output\n"


def test_force_alone_is_refused():
    done = run("--headless", "--force")
    assert done.returncode == 2 and "--force" in done.stderr


def test_a_file_name_that_is_not_utf8_is_read(tmp_path):
    from forecaster.io import save_scenario

    name = os.fsdecode(b"caf\xe9.forecast.json")
    save_scenario(default_scenario().with_params(growth_pct=20.0), tmp_path / name)
    done = subprocess.run(
        [*FORECASTER, "--headless", os.fsencode(tmp_path / name)],
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert b"Scenario: 2014 plan" in done.stdout


def test_memory_error_under_ulimit_is_one_line(tmp_path):
    """The largest allowed scenario under an address-space limit (ulimit -v, set in the
    child once Python and NumPy are loaded, leaving 150 MB: enough for the default
    scenario, not for 200,000 draws over 59 years)."""
    script = (
        "import resource, sys, numpy\n"
        "import forecaster.engine.projection, forecaster.engine.analysis, forecaster.io\n"
        "from forecaster.cli import main\n"
        "with open('/proc/self/status') as f:\n"
        "    size = next(int(l.split()[1]) for l in f if l.startswith('VmSize:')) * 1024\n"
        "limit = size + 150 * 2**20\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    big = ["--draws", "200000", "--base-year", "1992", "--horizon-year", "2050"]
    big += ["--target-year", "2000", "--debt-first-year", "1993"]
    done = subprocess.run(
        [sys.executable, "-c", script, "--headless", *big],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "forecaster: not enough memory for 200,000 draws over 59 years; try fewer draws\n"
    )
    small = subprocess.run(
        [sys.executable, "-c", script, "--headless"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
    )
    assert small.returncode == 0, small.stderr  # the limit leaves room for ordinary work
