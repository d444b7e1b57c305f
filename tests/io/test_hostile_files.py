"""Files are data: hostile scenario files end in the documented error, quickly and harmlessly.

Each file is loaded in a child process with a hang guard (a timeout well above the
one second the issue asks for; benchmarks/bench_hostile.py prints the real times),
so a pathological input cannot stall or crash the test run itself.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forecaster.io import dumps_scenario, load_preset

ROOT = Path(__file__).resolve().parents[2]


def _valid() -> dict:
    return json.loads(dumps_scenario(load_preset("2014 plan")))


def hostile_files(folder: Path) -> dict[str, Path]:
    """Write the hostile corpus into folder; return name -> path."""
    files: dict[str, bytes] = {}
    doc = _valid()
    doc["parameters"]["growth_pct"] = 10**4000
    files["huge-int"] = json.dumps(doc).encode().replace(b"1" + b"0" * 4000, b"9" * 4000)
    files["huge-int-past-the-parser-limit"] = files["huge-int"].replace(b"9" * 4000, b"9" * 5000)
    files["huge-float"] = (
        json.dumps(_valid()).replace('"growth_pct": 36.6', '"growth_pct": 1e999999').encode()
    )
    files["deep-nesting"] = b'{"parameters": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    files["deep-objects"] = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    doc = _valid()
    doc["notes"] = "x" * 900_000
    files["long-string"] = json.dumps(doc).encode()
    doc = _valid()
    doc["name"] = "evil\x1b[2J\x00name"
    files["control-characters"] = json.dumps(doc).encode()
    files["duplicate-keys"] = (
        json.dumps(_valid())
        .replace('"name": "2014 plan"', '"name": "2014 plan", "name": "other"')
        .encode()
    )
    doc = _valid()
    doc["name"] = "__import__('os').system('touch PWNED')"
    doc["notes"] = "{{7*7}} ${jndi:ldap://x} !!python/object/apply:os.system ['touch PWNED']"
    doc["shocks"] = [{"start_year": 2016, "depth_pct": 10, "label": "../../../../etc/passwd"}]
    files["code-and-paths-as-text"] = json.dumps(doc).encode()
    doc = _valid()
    doc["format"] = "/etc/passwd"
    files["path-as-format"] = json.dumps(doc).encode()
    files["pickle"] = (
        b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93\x94."
    )
    paths = {}
    for name, data in files.items():
        path = folder / f"{name}.forecast.json"
        path.write_bytes(data)
        paths[name] = path
    big = folder / "100mb.forecast.json"
    with open(big, "wb") as f:
        f.write(b'{"format": "forecaster-scenario", "notes": "')
        f.truncate(100 * 1024 * 1024)
    paths["100mb"] = big
    return paths


EXPECTED = {
    "huge-int": "parameters.growth_pct: a huge number is not a finite number",
    "huge-int-past-the-parser-limit": "not valid JSON: Exceeds the limit",
    "huge-float": "parameters.growth_pct: inf is not a finite number",
    "deep-nesting": "nested too deeply",
    "deep-objects": "nested too deeply",
    "long-string": "notes: 900000 characters, at most 20000 allowed",
    "control-characters": "name: contains the control character U+001B",
    "duplicate-keys": "key 'name' appears twice",
    "path-as-format": 'format: "/etc/passwd" is not a Forecaster scenario',
    "pickle": "not UTF-8 text",
    "100mb": "file is larger than 1 MB",
}

LOADER = textwrap.dedent("""
    import sys
    from forecaster.io import load_scenario, ScenarioFileError
    try:
        s = load_scenario(sys.argv[1])
    except ScenarioFileError as e:
        print("ERROR", e)
    else:
        print("LOADED", s.name)
""")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return hostile_files(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_ends_in_the_documented_error(corpus, name, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", LOADER, str(corpus[name])],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ERROR "), result.stdout
    assert EXPECTED[name] in result.stdout
    assert len(result.stdout) < 500 and not result.stderr


def test_code_and_paths_in_text_fields_stay_text(corpus, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", LOADER, str(corpus["code-and-paths-as-text"])],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout.startswith("LOADED __import__('os').system('touch PWNED')")
    assert list(tmp_path.iterdir()) == []  # nothing was run, nothing written


def test_file_io_never_evaluates_or_unpickles():
    forbidden = {
        "eval",
        "exec",
        "compile",
        "__import__",
        "pickle",
        "marshal",
        "shelve",
        "import_module",
        "yaml",
        "runpy",
    }
    for path in [
        *(ROOT / "forecaster" / "io").glob("*.py"),
        *(ROOT / "forecaster" / "engine").glob("*.py"),
    ]:
        tree = ast.parse(path.read_text())
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in n.names
        }
        names |= {
            n.module.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module
        }
        assert not names & forbidden, f"{path.name} uses {names & forbidden}"
