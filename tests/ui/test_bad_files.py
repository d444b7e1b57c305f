"""500 files from the loader's fuzz corpus opened through the window's File > Open."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.fuzz_corpus import generate_bad


def test_500_bad_files_each_give_an_error_and_change_nothing(window, dialogs, tmp_path):
    window.document.set_param("growth_pct", 22.2)  # unsaved work that must survive
    scenario, path = window.document.scenario, window.document.path
    undo_count = window.document.undo_stack.count()
    opened = 0
    for i, data in generate_bad(700, seed=11):  # mutations that stay valid are left out
        bad = tmp_path / f"bad{i}.forecast.json"
        bad.write_bytes(data)
        dialogs.answer("question", QMessageBox.StandardButton.Discard)
        dialogs.answer("open_file", bad)
        errors_before = len(dialogs.of("critical"))
        assert window.open_file() is False
        errors = dialogs.of("critical")
        assert len(errors) == errors_before + 1
        assert errors[-1].title == "Could not open the scenario"
        assert errors[-1].text.startswith(f"bad{i}.forecast.json: ")
        assert window.document.scenario == scenario
        assert window.document.path == path
        assert window.document.modified and window.isWindowModified()
        opened += 1
        if opened == 500:
            break
    assert opened == 500
    assert window.document.undo_stack.count() == undo_count
