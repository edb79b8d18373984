"""The exercises as stored in the repository: each asks, its check lives in notebooks/checks/,
its solution follows folded (source and outputs), and at least one per lesson is predict-then-check.

What a check says to real answers is tested in tests/test_student_build.py (in a kernel) and
the engine itself in tests/test_checks.py.
"""
import importlib
import re

import pytest

from conftest import ROOT
import kit_fixtures  # noqa: F401  (puts tools/ on the path)
import nav

REAL = nav.notebook_paths(ROOT)
LESSONS = [p for p in REAL if not p.stem.startswith("00")]
CHECK_CALL = re.compile(r'\bcheck\(\s*"(\d\d\.\d+)"')


def cells_tagged(nb, tag):
    return [(i, c) for i, c in enumerate(nb["cells"]) if tag in nav.tags(c)]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_each_exercise_asks_and_calls_its_check_by_id(path):
    nb = nav.load(path)
    exercises = cells_tagged(nb, "exercise")
    assert exercises, f"{path.name} has no exercise"
    number = path.stem[:2]
    for k, (i, cell) in enumerate(exercises, start=1):
        source = nav.source(cell)
        todo = [line for line in source.splitlines() if "# TODO" in line]
        assert len(todo) == 1 and "None" in todo[0].split("#")[0], (
            f"{path.name} exercise {k}: one `… = None  # TODO: <question>` line, found {todo}")
        assert CHECK_CALL.findall(source) == [f"{number}.{k}"], (
            f"{path.name} exercise {k} must end with check(\"{number}.{k}\", answer, …)")
        assert "helpers.check" not in source and "expected" not in source.lower(), (
            f"{path.name} exercise {k}: the expected answer belongs in notebooks/checks/lesson{number}.py")
        printed = "".join(nav.source({"source": o.get("text", "")}) for o in cell.get("outputs", []))
        assert "not answered yet" in printed, f"{path.name} exercise {k}: stored output {printed!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_each_solution_follows_its_exercise_folded_source_and_outputs(path):
    nb = nav.load(path)
    for i, cell in cells_tagged(nb, "exercise"):
        after = nb["cells"][i + 1]
        assert "solution" in nav.tags(after) and after["cell_type"] == "code", (
            f"{path.name}: the cell after exercise cell {i} must be its solution (tagged `solution`)")
        assert CHECK_CALL.findall(nav.source(after)) == CHECK_CALL.findall(nav.source(cell))
        hidden = after["metadata"].get("jupyter", {})
        assert hidden.get("source_hidden") is True and hidden.get("outputs_hidden") is True, (
            f"{path.name}: solution cell {i + 1} must hide its source and its outputs "
            "(metadata jupyter.source_hidden and jupyter.outputs_hidden)")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_exercise_id_has_a_check_and_every_check_an_exercise(path):
    number = path.stem[:2]
    module = importlib.import_module(f"checks.lesson{number}")
    used = [CHECK_CALL.findall(nav.source(c))[0] for _, c in cells_tagged(nav.load(path), "exercise")]
    assert sorted(module.EXERCISES) == sorted(used), (
        f"notebooks/checks/lesson{number}.py defines {sorted(module.EXERCISES)}, the notebook uses {used}")
    for exercise_id, exercise in module.EXERCISES.items():
        assert exercise.hints and all(len(h) > 15 for h in exercise.hints), f"{exercise_id}: hints that say something"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_at_least_one_exercise_is_predict_then_check(path):
    nb = nav.load(path)
    prompts = [nav.source(nb["cells"][i - 1]) for i, _ in cells_tagged(nb, "exercise")
               if nb["cells"][i - 1]["cell_type"] == "markdown"]
    assert any(re.search(r"\bpredict|\bderive\b.{0,20}\bthen check", p, re.I) for p in prompts), (
        f"{path.name}: no exercise asks the student to predict (or derive) before checking")
