"""tools/student.py (`make student`) and the student copy it writes.

The real notebooks' student copies are built once into a temporary folder and each is executed
cell by cell to the end in a fresh python3 kernel (nbclient). Every exercise cell must print "not
answered yet", never raise. (Stopping after the first exercise would save almost nothing: every
lesson keeps its exercises in its closing `## Exercises` section, so the first exercise comes
after the whole lesson, the training of 07 included.) At each exercise the same kernel also tries
the walk-through's attempts (tools/exercises/, keyed by exercise id): its check must reject the
wrong one with a hint and accept the right one, its alternative form and the solution. The worked
example tests/exercise_kinds/ (a write, a debug and an experiment exercise) goes through the same
replay. A static check also finds any later cell that
reads a variable only a solution cell defines, naming it, without running anything.
"""
import ast
import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from kit_fixtures import fake_repo, md, notebook
import nav
import student
from lenetlab.notebooks import DEEPER

REAL = nav.notebook_paths(ROOT)
ATTEMPTS = nav.load_attempts(ROOT)
KINDS_EXAMPLE = ROOT / "tests" / "exercise_kinds"
NOT_ANSWERED = "not answered yet"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def tagged(nb, tag):
    return [c for c in nb["cells"] if tag in nav.tags(c)]


def printed(cell) -> str:
    return "".join(nav.source({"source": o.get("text", "")}) for o in cell.get("outputs", []))


def names(cell) -> tuple[set, set]:
    """(names a code cell defines, names it reads), from its syntax tree; magics ignored."""
    text = "\n".join(line for line in nav.source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))
    defined, read = set(), set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, (ast.Store, ast.Del)) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return defined, read


def solution_only_names_used_later(nb) -> list[str]:
    """Names that only solution cells define but a later cell of the student copy reads."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    solution_only = set()
    for c in code:
        if "solution" in nav.tags(c):
            solution_only |= names(c)[0]
    for c in code:
        if "solution" not in nav.tags(c):
            solution_only -= names(c)[0]
    problems, seen_solution = [], False
    for i, c in enumerate(code):
        if "solution" in nav.tags(c):
            seen_solution = True
        elif seen_solution:
            problems += [f"code cell {i} reads {n}" for n in sorted(names(c)[1] & solution_only)]
    return problems


# ---- the tool, on fake repositories -----------------------------------------------------------

def test_solutions_are_removed_and_exercises_cleared():
    nb = notebook("T", exercises=3)
    out = student.student_notebook(nb)
    assert tagged(out, "solution") == [] and len(tagged(nb, "solution")) == 3  # the input is untouched
    assert len(tagged(out, "exercise")) == 3
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in tagged(out, "exercise"))
    kept = [c for c in nb["cells"] if not {"solution", "exercise"} & set(nav.tags(c))]
    assert [c for c in out["cells"] if "exercise" not in nav.tags(c)] == kept  # the rest as it was
    assert out["metadata"] == nb["metadata"]


def test_a_later_cell_reading_a_solution_variable_is_found():
    nb = notebook("T", exercises=2)
    assert solution_only_names_used_later(nb) == []
    solution = nb["cells"][10]
    assert "solution" in nav.tags(solution)
    solution["source"] = ["def ex1_helper(v):\n", "    return v\n", "ex1_answer = ex1_helper(2)"]
    nb["cells"][-1]["source"] = ["z = ex1_answer + ex1_helper(1)"]  # ex1_answer: the exercise defines it too
    assert solution_only_names_used_later(nb) == ["code cell 8 reads ex1_helper"]


def test_the_build_holds_what_the_notebooks_need(tmp_path):
    repo = fake_repo(tmp_path / "repo", exercises=2)
    out = tmp_path / "student"
    summary = student.build(repo, out)
    assert summary == {"00_start_here": (0, 0), "01_second_one": (2, 2), "02_c": (2, 2)}
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [
        "00_start_here.ipynb", "01_second_one.ipynb", "02_c.ipynb", "helpers.py"]  # no scratch, no .pt
    assert sorted(p.name for p in (out / "data" / "MNIST" / "raw").iterdir()) == ["t10k-labels-idx1-ubyte.gz"]
    assert (out / "requirements.txt").read_text() == "torch==2.15.0\n" and (out / "LICENSE").exists()
    text = (out / "README.md").read_text(encoding="utf-8")
    assert "## The notebooks" in text  # the target of the notebooks' Index link
    assert "| 01 | [Title 1](notebooks/01_second_one.ipynb) | 2 |" in text
    assert NOT_ANSWERED in text


def test_a_rebuild_starts_clean_and_a_foreign_folder_is_never_deleted(tmp_path):
    repo = fake_repo(tmp_path / "repo")
    out = tmp_path / "student"
    student.build(repo, out)
    (out / "notebooks" / "left_over.ipynb").write_text("{}")
    student.build(repo, out)
    assert not (out / "notebooks" / "left_over.ipynb").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("precious")
    with pytest.raises(SystemExit, match="refusing to delete it"):
        student.build(repo, mine)
    assert (mine / "keep.txt").read_text() == "precious"


def test_the_text_about_solutions_is_true_in_each_build():
    nb = notebook("T", exercises=1)
    nb["cells"].insert(1, md("## Exercises\n\nTry first. <!--solutions-->The solution is in the folded cell "
                             "below each exercise.<!--/solutions--> Good luck."))
    copy, release = student.student_notebook(nb), student.solutions_notebook(nb)
    assert nav.source(copy["cells"][1]) == f"## Exercises\n\nTry first. {student.STUDENT_SOLUTIONS} Good luck."
    assert nav.source(release["cells"][1]) == f"## Exercises\n\nTry first. {student.SHOWN_SOLUTIONS} Good luck."
    assert "folded cell" in nav.source(nb["cells"][1])  # the repository's own text is untouched


def test_a_pause_point_reaches_the_student_without_its_output():
    nb = notebook("T", exercises=1)
    nb["cells"].insert(1, {"cell_type": "code", "metadata": {"tags": ["pause"]}, "source": "print(6 * 6)",
                           "execution_count": 2, "outputs": [{"output_type": "stream", "name": "stdout", "text": "36\n"}]})
    copy = student.student_notebook(nb)
    assert copy["cells"][1]["outputs"] == [] and copy["cells"][1]["execution_count"] is None
    assert copy["cells"][1]["source"] == "print(6 * 6)" and nb["cells"][1]["outputs"]  # the original keeps it


def test_a_note_for_instructors_is_left_out_of_both_builds():
    nb = notebook("T", exercises=1)
    nb["cells"].insert(1, md("# T\n\nLearn this.\n\n<!--instructor-->\n*Instructors: run §1, skip §2 (5 minutes).*\n"
                             "<!--/instructor-->\n\n**Prerequisites**\n- 00"))
    nb["cells"].insert(2, md("## 2. Last\n\n<!--instructor-->\n*Instructors: point at the table.*\n<!--/instructor-->\n"))
    for build in (student.student_notebook(nb), student.solutions_notebook(nb)):
        assert nav.source(build["cells"][1]) == "# T\n\nLearn this.\n\n**Prerequisites**\n- 00"
        assert nav.source(build["cells"][2]) == "## 2. Last"
    assert "Instructors: run §1" in nav.source(nb["cells"][1])  # the repository's own text is untouched


def test_the_solutions_release_shows_each_solution_in_place_of_its_exercise():
    nb = notebook("T", exercises=2)
    release = student.solutions_notebook(nb)
    assert tagged(release, "exercise") == [] and len(tagged(release, "solution")) == 2
    assert all("jupyter" not in c["metadata"] for c in tagged(release, "solution"))  # unfolded
    assert len(release["cells"]) == len(nb["cells"]) - 2


def test_the_copy_asks_students_to_install_no_test_packages(tmp_path):
    repo = fake_repo(tmp_path / "repo")
    (repo / "requirements.txt").write_text("torch==2.15.0\nnbval==0.11.0\npytest==9.2.0\npytest-timeout==2.4.0\n"
                                           "playwright==1.65.2\njupyterlab==4.6.6\n")
    (repo / "environment.yml").write_text("dependencies:\n  - pytorch-cpu>=2.5\n  - pytest>=8.0\n  - pip:\n"
                                          "      - playwright>=1.45\n")
    student.build(repo, tmp_path / "out")
    assert (tmp_path / "out" / "requirements.txt").read_text() == "torch==2.15.0\njupyterlab==4.6.6\n"
    assert (tmp_path / "out" / "environment.yml").read_text() == "dependencies:\n  - pytorch-cpu>=2.5\n  - pip:\n"
    text = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "jupyter lab" in text and "make " not in text and "instructor has them" in text
    student.build(repo, tmp_path / "sol", solutions=True)
    assert "solution is shown in its place" in (tmp_path / "sol" / "README.md").read_text(encoding="utf-8")


def test_the_command_line_reports_each_notebook(tmp_path):
    repo = fake_repo(tmp_path / "repo")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "student.py"), "--root", str(repo),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "01_second_one: 1 exercise(s) kept, 1 solution(s) removed" in result.stdout


# ---- the real notebooks -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "student"
    student.build(ROOT, out)
    return out


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_no_solution_left_and_no_exercise_lost(build, path):
    source, copy = load(path), load(build / "notebooks" / path.name)
    assert tagged(copy, "solution") == []
    assert len(tagged(copy, "exercise")) == len(tagged(source, "exercise"))
    assert len(copy["cells"]) == len(source["cells"]) - len(tagged(source, "solution"))
    assert all(c["outputs"] == [] for c in tagged(copy, "exercise"))


def test_the_real_student_copy_never_promises_a_solution_it_does_not_have(build):
    for path in REAL:
        for cell in load(build / "notebooks" / path.name)["cells"]:
            text = nav.source(cell).lower()
            if cell["cell_type"] == "markdown" and re.search(r"\bsolutions?\b", text):
                assert "instructor" in text, (
                    f"{path.name}: the student copy has no solutions, but this cell speaks of one: "
                    f"{nav.source(cell)[:200]!r} (wrap the sentence in <!--solutions-->…<!--/solutions-->)")


def test_each_pause_point_of_the_guide_has_a_cell_without_its_output_in_the_student_copy(build):
    guide = (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    table = guide.split("## Pause points", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\d\d_\w+)` \|", table, re.M)
    assert len(rows) >= 9, "the guide's pause-point table was not found"
    for stem in sorted(set(rows)):
        if stem.startswith("00_"):
            continue  # 00's pause points are its own checks (the labels, the slider), not a prediction
        paused = [c for c in load(build / "notebooks" / f"{stem}.ipynb")["cells"] if "pause" in nav.tags(c)]
        assert paused, (
            f"{stem}: the guide lists {rows.count(stem)} pause point(s) but no cell is tagged `pause`: tag the "
            "cell the room predicts, so the student copy shows it without its output")
        assert all(c["outputs"] == [] for c in paused)


def test_every_note_for_instructors_is_marked_so_the_student_copy_leaves_it_out(build):
    for path in REAL:
        for cell in load(build / "notebooks" / path.name)["cells"]:
            if cell["cell_type"] == "markdown":
                assert not re.search(r"(?i)(^|\n)\*(for )?instructors?\b", nav.source(cell)), (
                    f"{path.name}: a note for instructors reached the student copy: {nav.source(cell)[:200]!r} "
                    "(put it on its own lines between <!--instructor--> and <!--/instructor-->)")


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_no_later_cell_needs_a_variable_only_a_solution_defines(path):
    assert solution_only_names_used_later(load(path)) == [], (
        f"{path.name}: the student copy has no solution cells, so these cells would fail there")


def test_the_build_has_helpers_the_archives_and_a_readme(build):
    assert (build / "notebooks" / "helpers.py").read_bytes() == (ROOT / "notebooks" / "helpers.py").read_bytes()
    archives = sorted(p.name for p in (ROOT / "data" / "MNIST" / "raw").glob("*.gz"))
    assert len(archives) == 4
    assert sorted(p.name for p in (build / "data" / "MNIST" / "raw").iterdir()) == archives
    assert "## The notebooks" in (build / "README.md").read_text(encoding="utf-8")


def with_attempt(source: str, attempt: str) -> str:
    """The exercise cell with its TODO region replaced by ``attempt``, indented like the `# TODO` line.

    The region is the `… = None  # TODO: …` line itself or, when a `# END TODO` line follows, the
    lines between `# TODO: …` and `# END TODO` (both markers stay, as a student would leave them)."""
    lines = source.splitlines()
    todo = [i for i, line in enumerate(lines) if "# TODO" in line]
    end = [i for i, line in enumerate(lines) if "# END TODO" in line]
    assert len(todo) == 1 and len(end) <= 1, (
        f"an exercise cell needs exactly one '# TODO' line (and at most one '# END TODO'), this one has "
        f"{len(todo)} and {len(end)}:\n{source}")
    at = todo[0]
    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
    body = [indent + a if a.strip() else "" for a in attempt.splitlines()]
    if end:
        assert end[0] > at, f"'# END TODO' comes before '# TODO':\n{source}"
        return "\n".join(lines[:at + 1] + body + lines[end[0]:])
    return "\n".join(lines[:at] + body + lines[at + 1:])


def test_an_attempt_replaces_the_todo_line_keeping_its_indent():
    source = "class M:\n    def f(self):\n        self.s = None  # TODO: fill in\n        return 1\nok = check(M)"
    assert with_attempt(source, "a = 1\nself.s = a") == (
        "class M:\n    def f(self):\n        a = 1\n        self.s = a\n        return 1\nok = check(M)")
    with pytest.raises(AssertionError, match="exactly one"):
        with_attempt("x = None\n", "x = 1")


def test_an_attempt_replaces_a_todo_region_between_its_markers():
    source = ("def f(x):\n    # TODO: your loop\n    raise NotImplementedError\n    # END TODO\n\n\n"
              "ok = check(\"99.1\", f)")
    assert with_attempt(source, "total = 0\nfor v in x:\n    total += v\n\nreturn total") == (
        "def f(x):\n    # TODO: your loop\n    total = 0\n    for v in x:\n        total += v\n\n"
        "    return total\n    # END TODO\n\n\nok = check(\"99.1\", f)")
    with pytest.raises(AssertionError, match="before"):
        with_attempt("# END TODO\n# TODO: x\n", "x = 1")


def exercise_meta(cell) -> dict:
    return cell.get("metadata", {}).get("exercise", {})


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_every_exercise_has_one_entry_with_its_kind_and_attempts(path):
    """Each exercise cell's metadata id has one entry in tools/exercises/lessonNN.py with every field,
    of the kind its metadata says; every entry of that lesson has its exercise cell."""
    import exercises
    number = path.stem[:2]
    cells = {exercise_meta(c).get("id"): c for c in tagged(load(path), "exercise")}
    entries = {i: e for i, e in ATTEMPTS.items() if i.split(".")[0] == number}
    assert sorted(entries) == sorted(cells), (
        f"tools/exercises/lesson{number}.py has entries {sorted(entries)}, {path.name} has exercise cells "
        f"{sorted(map(str, cells))}: one entry per exercise, keyed by the id in the cell's metadata")
    for exercise_id, entry in entries.items():
        missing = [f for f in exercises.FIELDS + ("loophole",)
                   if (f in exercises.FIELDS or f in entry) and not (isinstance(entry.get(f), str) and entry[f].strip())]
        assert not missing, f"{exercise_id}: fill in {missing}"
        assert set(entry) <= set(exercises.FIELDS + exercises.OPTIONAL), f"{exercise_id}: unknown {set(entry)}"
        assert entry["kind"] in exercises.KINDS, f"{exercise_id}: kind {entry['kind']!r} not in {exercises.KINDS}"
        assert exercise_meta(cells[exercise_id]).get("kind") == entry["kind"], (
            f"{exercise_id}: the cell's metadata says kind {exercise_meta(cells[exercise_id]).get('kind')!r}, "
            f"tools/exercises says {entry['kind']!r}")
        assert isinstance(entry.get("minutes", 1), int), f"{exercise_id}: minutes is a whole number"


EXERCISE_ID = re.compile(r'check\(\s*"(\d\d\.\d+)"')


def shown_forms(value) -> list[str]:
    """How ``value`` would read if a cell printed it or prose stated it. Values too short to
    search for without false alarms (one- and two-digit numbers, True/False) give none."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int):
        forms = [str(value)] + ([f"{value:,}"] if abs(value) >= 1000 else [])
        return [f for f in forms if len(f.lstrip("-")) >= 3]
    if isinstance(value, float):
        return sorted({f"{value:.4f}", f"{value:.4g}"} - {"0.0000", "0"}) if abs(value) >= 1e-3 else []
    if isinstance(value, tuple) and value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        forms = [repr(value)] if len(repr(value)) >= 6 else []
        if len(value) == 2:
            forms += [f"{value[0]} x {value[1]}", f"{value[0]}x{value[1]}"]
        return forms
    return []


def leaks(form: str, text: str) -> bool:
    return re.search(r"(?<![\w.,])" + re.escape(form) + r"(?![\w]|\.\d|,\d)", text) is not None


def test_shown_forms_and_leaks():
    assert shown_forms(81290) == ["81290", "81,290"] and shown_forms(14) == [] and shown_forms(True) == []
    assert shown_forms((16, 16)) == ["(16, 16)", "16 x 16", "16x16"] and shown_forms(0.25203) == ["0.252", "0.2520"]
    assert leaks("81,290", "it has 81,290 parameters") and not leaks("576", "1576 weights")
    assert not leaks("576", "5.576") and leaks("(16, 16)", "shape (16, 16).")


def cell_text(cell) -> str:
    return nav.source(cell) + "\n" + "".join(
        nav.source({"source": o.get("text", "")}) + json.dumps(o.get("data", {}).get("text/plain", ""))
        for o in cell.get("outputs", []))


def replay(student_path, source_nb: dict, attempts: dict, folder) -> int:
    """Runs the student notebook at ``student_path`` cell by cell in a fresh kernel started in
    ``folder``, skipping the Going-deeper cells as a student may (so every exercise must work
    without them): each exercise cell, as handed out, says "not answered yet"; then, in the same kernel,
    its wrong attempt gets ✗ and a hint, its right answer, the alternative form and the source's
    solution cell ✓; the expected value the check computed appears nowhere above the exercise
    (prose, code or output) nor in the exercise cell; then the cell runs again as handed out, so
    the cells after it see an unanswered exercise. Returns the number of exercises replayed."""
    import nbformat
    from nbclient import NotebookClient

    name = student_path.name
    nb = nbformat.read(student_path, as_version=4)
    solutions = {i: nav.source(c) for c in tagged(source_nb, "solution") for i in EXERCISE_ID.findall(nav.source(c))}
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    exercises = 0
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or DEEPER in nav.tags(cell):
                continue  # as a student who skips every Going-deeper section (nbval runs them)
            client.execute_cell(cell, index)
            if "exercise" not in nav.tags(cell):
                continue
            exercises += 1
            out = printed(cell)
            assert NOT_ANSWERED in out and "✗" not in out and "✓" not in out, (
                f"{name}: an exercise cell printed {out!r}; with its TODO as handed out its check "
                "must print 'not answered yet'")
            exercise_id = exercise_meta(cell).get("id")
            ids = EXERCISE_ID.findall(cell.source)
            assert ids == [exercise_id], (
                f"{name}: the exercise cell with metadata id {exercise_id!r} must call check({exercise_id!r}, …) "
                f"once; found {ids}")
            entry = attempts[exercise_id]
            trials = ((entry["wrong"], "✗", "the wrong attempt (" + entry["misconception"] + ")"),
                      (entry["right"], "✓", "a right answer"),
                      (entry["alternative"], "✓", "the alternative form of a right answer"))
            if "loophole" in entry:
                trials += ((entry["loophole"], "✗", "an answer by the route the prompt forbids"),)
            for attempt, verdict, what in trials:
                trial = nbformat.v4.new_code_cell(with_attempt(cell.source, attempt))
                client.execute_cell(trial, index, store_history=False)
                said = printed(trial)
                assert said.startswith(verdict), (
                    f"{name}, exercise {exercise_id}: the check should say {verdict} to {what}:\n"
                    f"{attempt}\nbut it printed {said!r}")
                if verdict == "✗":
                    assert "Hint: " in said, f"{name}: the hint is missing from {said!r}"
            solution = nbformat.v4.new_code_cell(solutions[exercise_id])
            client.execute_cell(solution, index, store_history=False)
            assert f"✓ exercise {exercise_id}: right." in printed(solution) and "✗" not in printed(solution), (
                f"{name}: the solution of exercise {exercise_id} printed {printed(solution)!r}")
            probe = nbformat.v4.new_code_cell(
                f"import checks\nprint(repr(checks.last_expected[{exercise_id!r}]))")
            client.execute_cell(probe, index, store_history=False)
            expected = printed(probe).strip()
            try:
                value = ast.literal_eval(expected)
            except (ValueError, SyntaxError):
                value = None  # a tensor or an object: nothing to search for
            above = "\n".join(cell_text(c) for c in nb.cells[:index]) + "\n" + cell.source
            for form in shown_forms(value):
                assert not leaks(form, above), (
                    f"{name}: exercise {exercise_id}'s answer {form} is on screen before the student "
                    "answers (in the exercise cell, or printed or stated above it)")
            client.execute_cell(nbformat.v4.new_code_cell(cell.source), index, store_history=False)
    return exercises


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_the_student_notebook_runs_and_every_exercise_check_judges_attempts(build, path):
    """The replay (above) of each real notebook's student copy, in the student folder (helpers.DATA_DIR
    is build/data there)."""
    count = replay(build / "notebooks" / path.name, load(path), ATTEMPTS, build / "notebooks")
    assert count == len(tagged(load(path), "exercise"))


def test_the_worked_example_of_write_debug_and_experiment_exercises_replays(tmp_path):
    """tests/exercise_kinds/: a write exercise (a function filled in between `# TODO` and `# END TODO`,
    run by its check on inputs of its own), a debug one (a broken class fixed in place) and an
    experiment (a range), through the same replay, with the lessons' checks package beside them."""
    import shutil
    folder = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks" / "checks", folder / "checks")
    shutil.copy(KINDS_EXAMPLE / "lesson99.py", folder / "checks" / "lesson99.py")
    source = load(KINDS_EXAMPLE / "99_exercise_kinds.ipynb")
    (folder / "99_exercise_kinds.ipynb").write_text(nav.dumps(student.student_notebook(source)), encoding="utf-8")
    tree = ast.parse((KINDS_EXAMPLE / "attempts.py").read_text(encoding="utf-8"))
    attempts = ast.literal_eval(next(node.value for node in tree.body if isinstance(node, ast.Assign)))
    assert {e["kind"] for e in attempts.values()} == {"write", "debug", "experiment"}
    assert replay(folder / "99_exercise_kinds.ipynb", source, attempts, folder) == 3
