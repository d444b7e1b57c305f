"""A refused value in a person's words: the window names fields by their labels.

Files and the command line print ``str(error)`` ("parameters.draws: 5 is out of
range ..."), in the words of the file. The window names the same field as its
controls do ("Monte Carlo draws: 5 is out of range ..."), from the error's
``field`` and ``related`` data, never by parsing its text. Qt-free.
"""

from __future__ import annotations

from .params import SPECS, Field, ScenarioError, field_text

SHOCK_FIELDS = {
    "start_year": "start year",
    "depth_pct": "depth",
    "half_life_years": "half-life",
    "label": "label",
}
TOP_FIELDS = {"name": "Scenario name", "notes": "Notes", "shocks": "Sanction shocks"}


def field_label(field: Field) -> str:
    """``("parameters", "draws")`` as "Monte Carlo draws", ``("shocks", 0, "depth_pct")``
    as "Shock 1 depth"; a path the window has no words for, as the file writes it."""
    path = field[1:] if field[:1] == ("parameters",) else field
    if len(path) == 1 and isinstance(path[0], str) and path[0] in SPECS:
        return SPECS[path[0]].label
    if len(path) == 1 and path[0] in TOP_FIELDS:
        return TOP_FIELDS[str(path[0])]
    if field[:1] == ("shocks",) and len(field) >= 2 and isinstance(field[1], int):
        shock = f"Shock {field[1] + 1}"
        if len(field) == 2:
            return shock
        if len(field) == 3 and field[2] in SHOCK_FIELDS:
            return f"{shock} {SHOCK_FIELDS[str(field[2])]}"
    return field_text(field)


def error_text(error: ScenarioError) -> str:
    """The error as the window shows it: "<label>: <problem>", with the other parameters
    the problem names (``related``) by their labels too."""
    problem = error.problem
    for key in error.related:
        problem = problem.replace(key, SPECS[key].label)
    if not error.field:
        return problem[:1].upper() + problem[1:]
    return f"{field_label(error.field)}: {problem}"
