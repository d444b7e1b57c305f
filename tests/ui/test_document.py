"""The document: one undo step per drag, and no memory kept per drag step."""

from __future__ import annotations

import gc

from forecaster.io import default_scenario
from forecaster.ui.document import ScenarioDocument, _ReplaceScenario, new_drag_id


def test_a_drag_is_one_undo_step_and_keeps_no_command_per_step(qtbot):
    doc = ScenarioDocument(default_scenario())
    drag = new_drag_id()
    for i in range(300):
        doc.set_param("growth_pct", float(i % 90), drag)
    doc.set_param("debt_term_years", 25)
    assert doc.undo_stack.count() == 2
    gc.collect()
    alive = sum(isinstance(o, _ReplaceScenario) and o._doc is doc for o in gc.get_objects())
    assert alive <= 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.scenario == default_scenario() and not doc.modified


def test_a_save_in_the_middle_of_a_drag_starts_a_new_step(qtbot, tmp_path):
    doc = ScenarioDocument(default_scenario())
    drag = new_drag_id()
    doc.set_param("growth_pct", 10.0, drag)
    doc.mark_saved(tmp_path / "s.forecast.json")
    doc.set_param("growth_pct", 11.0, drag)
    assert doc.modified and doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert not doc.modified and doc.scenario.params["growth_pct"] == 10.0


def test_a_drag_that_ends_where_it_started_leaves_no_step(qtbot):
    doc = ScenarioDocument(default_scenario())
    drag = new_drag_id()
    doc.set_param("growth_pct", 50.0, drag)
    doc.set_param("growth_pct", 36.6, drag)
    assert doc.modified
    doc.end_drag(drag)
    assert doc.undo_stack.count() == 0 and not doc.modified
    assert doc.scenario == default_scenario()


def test_a_drag_that_moved_keeps_its_step(qtbot):
    doc = ScenarioDocument(default_scenario())
    drag = new_drag_id()
    doc.set_param("growth_pct", 50.0, drag)
    doc.end_drag(drag)
    assert doc.undo_stack.count() == 1 and doc.scenario.params["growth_pct"] == 50.0
