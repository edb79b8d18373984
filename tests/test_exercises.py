"""The exercises as stored in the repository: each asks, its check lives in notebooks/checks/,
its solution follows folded (source and outputs), its metadata says its id and kind, and at
least one per lesson is predict-then-check.

What a check says to real answers is tested in tests/test_student_build.py (in a kernel) and
the engine itself in tests/test_checks.py.
"""
import importlib
import json
import re

import pytest

from conftest import ROOT
import kit_fixtures  # noqa: F401  (puts tools/ on the path)
import nav

REAL = nav.notebook_paths(ROOT)
from exercises import KINDS  # noqa: E402  (tools/exercises/, on the path through kit_fixtures)
LESSONS = REAL  # 00 too: its one exercise shows how a check answers, with nothing at stake
CHECK_CALL = re.compile(r'\bcheck\(\s*"(\d\d\.\d+)"')


def cells_tagged(nb, tag):
    return [(i, c) for i, c in enumerate(nb["cells"]) if tag in nav.tags(c)]


def todo_region(source: str) -> str:
    """What a student replaces: "line" (one `… = None  # TODO: …` line) or "region" (the lines
    between `# TODO: …` and `# END TODO`); raises AssertionError on any other form."""
    lines = source.splitlines()
    todo = [i for i, line in enumerate(lines) if "# TODO" in line]
    end = [i for i, line in enumerate(lines) if "# END TODO" in line]
    assert len(todo) == 1, f"one `# TODO` line, found {len(todo)}"
    if not end:
        assert "None" in lines[todo[0]].split("#")[0], (
            f"a one-line exercise is `… = None  # TODO: <question>`, found {lines[todo[0]]!r}")
        return "line"
    assert len(end) == 1 and end[0] > todo[0] + 1, "a `# TODO: …` line, the code to replace, then `# END TODO`"
    assert lines[todo[0]].strip().startswith("# TODO"), "the region's `# TODO: …` is a comment line of its own"
    return "region"


def test_the_two_todo_forms():
    assert todo_region("x = None  # TODO: a number\ncheck(\"01.1\", x)") == "line"
    assert todo_region("def f(x):\n    # TODO: a loop\n    raise NotImplementedError\n    # END TODO\n") == "region"
    for bad in ("x = 1  # TODO: a number", "# TODO: x\n# END TODO", "# TODO: a\nx = 1\n# TODO: b\n# END TODO",
                "no marker"):
        with pytest.raises(AssertionError):
            todo_region(bad)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_each_exercise_asks_and_calls_its_check_by_id(path):
    nb = nav.load(path)
    exercises = cells_tagged(nb, "exercise")
    assert exercises, f"{path.name} has no exercise"
    number = path.stem[:2]
    seen = []
    for k, (i, cell) in enumerate(exercises, start=1):
        source = nav.source(cell)
        meta = cell["metadata"].get("exercise", {})
        exercise_id = meta.get("id", "?")
        assert re.fullmatch(rf"{number}\.\d+", exercise_id) and exercise_id not in seen, (
            f"{path.name} exercise cell {i}: metadata exercise.id {exercise_id!r} must be a new '{number}.N'")
        seen.append(exercise_id)
        assert meta.get("kind") in KINDS, f"{path.name} {exercise_id}: metadata exercise.kind in {KINDS}"
        try:
            todo_region(source)
        except AssertionError as error:
            raise AssertionError(f"{path.name} exercise {exercise_id}: {error}") from None
        assert CHECK_CALL.findall(source) == [exercise_id], (
            f"{path.name} exercise {exercise_id} must end with check(\"{exercise_id}\", answer, …)")
        assert "helpers.check" not in source and "expected" not in source.lower(), (
            f"{path.name} exercise {exercise_id}: the expected answer belongs in notebooks/checks/lesson{number}.py")
        printed = "".join(nav.source({"source": o.get("text", "")}) for o in cell.get("outputs", []))
        assert "not answered yet" in printed, f"{path.name} exercise {exercise_id}: stored output {printed!r}"


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


# The mix of kinds every lesson must have: notebook number -> {kind: at least how many}.
# A write exercise counts only if its solution adds WRITE_LINES lines of real code to its cell.
REQUIRED_KINDS = {f"{n:02d}": {"write": 1, "predict": 1, **({"debug": 1} if n <= 6 else {"experiment": 1})}
                  for n in range(1, 9)}
WRITE_LINES = 3


def code_lines_added(exercise: str, solution: str) -> int:
    """Lines of the solution that are code (no comment, blank, print or check call) and not in the exercise."""
    given = {line.strip() for line in exercise.splitlines()}
    return sum(1 for line in solution.splitlines()
               if line.strip() and not line.strip().startswith(("#", "print(", '"""')) and "check(" not in line
               and line.strip() not in given)


def kind_gaps(paths) -> list[str]:
    """What each notebook misses of REQUIRED_KINDS, in words ('03: debug 0 of 1')."""
    gaps = []
    for path in paths:
        number = path.stem[:2]
        nb = nav.load(path)
        counts = dict.fromkeys(KINDS, 0)
        for i, cell in cells_tagged(nb, "exercise"):
            kind = cell["metadata"].get("exercise", {}).get("kind")
            if kind == "write" and code_lines_added(nav.source(cell), nav.source(nb["cells"][i + 1])) < WRITE_LINES:
                continue  # a one-line answer: not yet the function, loop or module a write exercise asks
            if kind in counts:
                counts[kind] += 1
        gaps += [f"{number}: {kind} {counts[kind]} of {least}" for kind, least in REQUIRED_KINDS.get(number, {}).items()
                 if counts[kind] < least]
    return gaps


def test_kind_gaps_are_found():
    assert code_lines_added("def f(x):\n    # TODO: x\n    raise NotImplementedError\n    # END TODO\ncheck(\"01.1\", f)",
                            "def f(x):\n    a = x\n    # why\n    b = a\n\n    return b\ncheck(\"01.1\", f)") == 3
    assert kind_gaps([]) == []


def test_every_lesson_has_its_mix_of_exercise_kinds():
    """REQUIRED_KINDS, counted from the exercise cells' metadata (a write exercise with a solution
    of WRITE_LINES lines of real code or more)."""
    gaps = kind_gaps(LESSONS)
    assert not gaps, "exercise kinds missing: " + "; ".join(gaps)


# ---- nothing on screen answers an exercise before the student tries -------------------------

import ast  # noqa: E402
import math  # noqa: E402

from test_student_build import leaks, shown_forms  # noqa: E402

MIN_CODE_LINE = 20  # shorter lines (`x = w - g`) are too common to count as the answer shown


def solution_code_lines(solution: str, exercise: str) -> list[str]:
    """The solution's lines worth hiding: code without its comment, MIN_CODE_LINE characters or
    more, not a signature, an import, a print or the check call, and not given in the exercise cell."""
    given = {" ".join(line.split("#")[0].split()) for line in exercise.splitlines()}
    lines = []
    for line in solution.splitlines():
        code = " ".join(line.split("  #")[0].split())
        if (len(code) >= MIN_CODE_LINE and code not in given and not code.startswith(
                ("#", "def ", "class ", "import ", "from ", "print(", "return ")) and "check(" not in code):
            lines.append(code)
    return lines


_MATH_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Tuple, ast.operator, ast.unaryop,
               ast.Load, ast.Call, ast.Attribute, ast.Name)


def static_answer(solution: str):
    """The value the solution gives its answer variable, when that is a plain expression of
    numbers and math.* (``12 * 5 * 5``, ``-math.log(1 / 10)``); else None. Nothing else is run."""
    match = re.search(r'check\(\s*"\d\d\.\d+",\s*(\w+)', solution)
    if not match:
        return None
    found = None
    for node in ast.parse(solution).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [match.group(1)]:
            found = node.value
    if found is None:
        return None
    tree = ast.Expression(found)
    if not all(isinstance(n, _MATH_NODES) for n in ast.walk(tree)) or any(
            isinstance(n, ast.Name) and n.id != "math" for n in ast.walk(tree)):
        return None
    return eval(compile(tree, "<answer>", "eval"), {"__builtins__": {}, "math": math})


def printed_values(cell) -> list[str]:
    """The numbers a solution cell prints (its stored outputs), the check's own line aside."""
    text = "".join(nav.source({"source": o.get("text", "")}) for o in cell.get("outputs", []))
    text = "\n".join(line for line in text.splitlines() if "exercise " not in line)
    return [t for t in re.findall(r"\d[\d,]*\.?\d*", text) if len(t.replace(",", "")) >= 3]


class _Anonymous(ast.NodeTransformer):
    """Every variable name becomes `_`: `ex1_x @ ex1_layer.weight.T` and `x @ fc.weight.T` compare equal."""
    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id="_", ctx=ast.Load()), node)


def code_shapes(source: str, least: int = MIN_CODE_LINE) -> set[str]:
    """The shapes (names anonymised) of the expressions in ``source`` that read ``least`` characters
    or more; magics skipped, {} if it does not parse."""
    text = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()
    return {ast.dump(_Anonymous().visit(node)) for node in ast.walk(tree)
            if isinstance(node, ast.expr) and not isinstance(node, ast.Constant) and len(ast.unparse(node)) >= least}


def solution_shapes(solution: str, exercise: str) -> dict[str, str]:
    """{shape: code} of the solution's assigned values and expression statements (MIN_CODE_LINE
    characters or more, prints and the check call aside) that the exercise cell does not give."""
    given = code_shapes(exercise)
    shapes = {}
    for node in ast.walk(ast.parse(solution)):
        value = node.value if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)) else None
        if value is None or len(ast.unparse(value)) < MIN_CODE_LINE:
            continue
        code = ast.unparse(value)
        if code.startswith(("print(", "check(")):
            continue
        shape = ast.dump(_Anonymous().visit(value))
        if shape not in given:
            shapes[shape] = code
    return shapes


def outputs_text(cell) -> str:
    return "".join(nav.source({"source": o.get("text", "")}) + nav.source({"source": o.get("data", {}).get("text/plain", "")})
                   for o in cell.get("outputs", []))


def answers_shown_early(paths) -> list[str]:
    """Every solution code line found in an earlier cell's source, and every value a solution
    prints or gives found in an earlier cell's output, across the collection in order (earlier
    notebooks, then the same notebook up to the exercise). Solution cells are hidden: not searched."""
    sources, outputs, shapes, found = [], [], set(), []
    for path in paths:
        nb = nav.load(path)
        cells = nb["cells"]
        for i, cell in enumerate(cells):
            tags = nav.tags(cell)
            if "solution" in tags or "exercise" not in tags:
                if "solution" not in tags:
                    sources.append(" ".join(nav.source(cell).split()))
                    outputs.append(outputs_text(cell))
                    if cell["cell_type"] == "code":
                        shapes |= code_shapes(nav.source(cell))
                continue
            exercise_id = cell["metadata"].get("exercise", {}).get("id", f"{path.stem[:2]}.?")
            solution = nav.source(cells[i + 1])
            shown_code = "\n".join(sources + [" ".join(nav.source(cell).split())])
            for line in solution_code_lines(solution, nav.source(cell)):
                if line in shown_code:
                    found.append(f"{exercise_id}: the solution's line `{line}` is in an earlier cell")
            for shape, code in solution_shapes(solution, nav.source(cell)).items():
                if shape in shapes and not any(code in f for f in found):
                    found.append(f"{exercise_id}: the solution's `{code}` is in an earlier cell, with other names")
            shown_output = "\n".join(outputs)
            value = static_answer(solution)
            forms = printed_values(cells[i + 1]) + (shown_forms(value) if value is not None else [])
            for form in dict.fromkeys(forms):
                if leaks(form, shown_output):
                    found.append(f"{exercise_id}: the answer's value {form} is printed by an earlier cell")
            sources.append(" ".join(nav.source(cell).split()))
            outputs.append(outputs_text(cell))
            shapes |= code_shapes(nav.source(cell))
    return found


def test_leaks_are_found_in_a_small_collection(tmp_path):
    def nb(*cells):
        return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}

    def cell(source, tags=(), outputs=(), exercise=None):
        metadata = {"tags": list(tags)} | ({"exercise": {"id": exercise, "kind": "predict"}} if exercise else {})
        return {"cell_type": "code", "metadata": metadata, "source": source, "execution_count": 1,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": text} for text in outputs]}

    first = tmp_path / "01_a.ipynb"
    second = tmp_path / "02_b.ipynb"
    first.write_text(json.dumps(nb(cell("total = sum(p.numel() for p in net.parameters())", outputs=["loss 2.3026\n"]))))
    second.write_text(json.dumps(nb(
        cell("x = None  # TODO: the loss\ncheck(\"02.1\", x)", ("exercise",), exercise="02.1"),
        cell("x = -math.log(1 / 10)\ncheck(\"02.1\", x)", ("solution",)),
        cell("y = None  # TODO: a count\ncheck(\"02.2\", y)", ("exercise",), exercise="02.2"),
        cell("y = sum(p.numel() for p in net.parameters())  # all\ncheck(\"02.2\", y)", ("solution",),
             outputs=["81,290 numbers\n"]))))
    assert answers_shown_early([first, second]) == [
        "02.1: the answer's value 2.3026 is printed by an earlier cell",
        "02.2: the solution's `sum((p.numel() for p in net.parameters()))` is in an earlier cell, with other names"]
    first.write_text(json.dumps(nb(cell("total = sum(p.numel() for p in net.buffers())", outputs=["loss 2.3027\n"]))))
    assert answers_shown_early([first, second]) == []
    assert static_answer("a = 12 * 5 * 5\ncheck(\"02.4\", a)") == 300
    assert static_answer("a = open('x')\ncheck(\"02.4\", a)") is None


def test_no_answer_is_on_screen_before_its_exercise():
    """Item of the house style: nothing above an exercise prints its answer or holds its solution's code."""
    found = answers_shown_early(LESSONS)
    assert not found, "answers on screen before the exercise:\n" + "\n".join(found)


def test_07_ex5_train_draws_a_new_batch_order_each_epoch():
    """07's ex5_train seeds one generator per run, not one per epoch: its epochs see different orders
    (as Going deeper D says, the generator carries the next epoch's order). Run on stand-ins, no kernel."""
    nb = json.loads((ROOT / "notebooks" / "07_training_lenet_on_mnist.ipynb").read_text(encoding="utf-8"))
    source = next("".join(c["source"]) for c in nb["cells"] if "def ex5_train" in "".join(c["source"]))
    torch = pytest.importorskip("torch")
    orders = []

    class Helpers:
        LeNet = staticmethod(lambda: torch.nn.Linear(1, 1))

        @staticmethod
        def train_epoch(net, x, y, adam, batch_size, generator):
            orders.append(torch.randperm(8, generator=generator).tolist())

        @staticmethod
        def evaluate(*args, **kwargs):
            return 0.0, 0.5

    space = {"torch": torch, "helpers": Helpers, "device": "cpu", "x_train": torch.zeros(8), "y_train": torch.zeros(8),
             "x_val": torch.zeros(8), "y_val": torch.zeros(8)}
    exec(compile(source, "ex5_train", "exec"), space)
    space["ex5_train"](0.01)
    space["ex5_train"].cache_clear()
    space["ex5_train"](0.01)
    assert len(orders) == 4 and orders[0] != orders[1], "both epochs of a run drew the same batch order"
    assert orders[:2] == orders[2:], "two runs at one rate should draw the same orders (seeded)"
