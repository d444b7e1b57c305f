"""500 files from the loader's fuzz corpus through the headless command line.

In-process through forecaster.cli.main (the same code the console script runs) so
500 files take seconds; tests/test_cli.py covers the real subprocess path.
"""

from __future__ import annotations

from forecaster.cli import main
from tests.fuzz_corpus import generate_bad


def test_500_bad_files_each_give_exit_2_and_one_line(tmp_path, capsys):
    bad = 0
    for i, data in generate_bad(700, seed=5):  # mutations that stay valid are left out
        path = tmp_path / f"f{i}.forecast.json"
        path.write_bytes(data)
        assert main(["--headless", str(path)]) == 2
        captured = capsys.readouterr()
        lines = captured.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"forecaster: f{i}.forecast.json: ")
        assert captured.out == ""
        bad += 1
    assert bad >= 500
