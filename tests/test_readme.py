"""The README keeps its promises: two commands first, the parameter table current."""

from __future__ import annotations

import re
from pathlib import Path

from forecaster.engine.params import parameter_table_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_opens_with_the_run_and_test_commands():
    before_prose = README.split("\n\nThe first command")[0]
    blocks = _code_blocks(before_prose)
    assert len(blocks) == 2
    run, test = (b.strip() for b in blocks)
    assert run.startswith("python3 -m venv .venv") and run.endswith(".venv/bin/forecaster")
    assert test.startswith("python3 -m venv .venv") and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "README.md" in ci and 'bash -c "$cmd"' in ci


def test_parameter_table_in_readme_matches_the_spec_table():
    assert parameter_table_markdown() in README


def test_model_section_in_readme_is_the_text_the_help_shows():
    from forecaster.engine.model_text import MODEL_MARKDOWN, model_help_markdown

    section = README.split("## The model\n\n", 1)[1].split("\n\n## ", 1)[0]
    assert section == MODEL_MARKDOWN.rstrip("\n")
    assert MODEL_MARKDOWN in model_help_markdown()


def test_readme_window_section_names_the_help():
    window = README.split("## The window\n", 1)[1].split("\n## ", 1)[0]
    assert "Help > The model (F1)" in window
    assert "What's This? (Shift+F1)" in window
