#!/usr/bin/env python3
"""Write the student copy of the collection (`make student` → build/student/), or the
solutions release an instructor hands out after the session (`make solutions` → build/solutions/).

build/student/ holds
    notebooks/NN_name.ipynb   every notebook without its cells tagged `solution`; the cells tagged
                              `exercise` are kept with their outputs cleared and execution counts
                              reset, and so are the cells tagged `pause` (a pause point: the room
                              predicts what the cell prints before running it, so the answer is not
                              on the screen yet); every other cell is kept as it is, outputs included
    notebooks/helpers.py      and any other file the notebooks sit beside (not *.pt checkpoints)
    data/MNIST/raw/*.gz       the shipped archives (helpers.DATA_DIR is helpers.py's parent's
                              parent / "data"; helpers.mnist extracts them on first use)
    imgs/, requirements.txt, environment.yml, binder/, LICENSE, LICENSE-content
    README.md                 a short README for students: how to start JupyterLab without make
    requirements.txt, environment.yml, binder/requirements.txt
                              without the packages only the tests need (pytest, nbval, playwright)

In the student copy, markdown between `<!--solutions-->` and `<!--/solutions-->` (the sentence
that says where the solutions are) is replaced by STUDENT_SOLUTIONS, and a note for instructors,
between `<!--instructor-->` and `<!--/instructor-->` (the minutes, which sections to run), is
removed: a student reads the lesson, not the teacher's timetable. The solutions release
(`--solutions`) is the same copy with every exercise cell replaced by its solution, shown.

The folder is deleted and written anew on each run (only if it is a student build: it carries
a marker file). Needs nbformat: `make student` runs it with .venv's Python.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

from lenetlab.notebooks import Notebook, NavError, dumps, notebook_paths, load, read_notebook, source, split_lines, tags
from lenetlab.settings import ROOT
from lenetlab.tables import cell_text

MARKER = ".lenet-lab-student-build"
SKIP_IN_NOTEBOOKS = shutil.ignore_patterns("*.ipynb", "__pycache__", ".ipynb_checkpoints", "*.pt", "*.pth")
TOP_LEVEL = ["requirements.txt", "environment.yml", "binder", "imgs", "LICENSE", "LICENSE-content"]
TEST_ONLY = re.compile(r"^\s*(?:-\s*)?(?:pytest|pytest-timeout|nbval|playwright)\b")
"""Lines of requirements.txt / environment.yml naming a package only the tests need."""
SOLUTIONS = re.compile(r"<!--solutions-->.*?<!--/solutions-->", re.S)
STUDENT_SOLUTIONS = ("Your instructor has the solutions; try each exercise first, then compare "
                     "with a neighbour.")
SHOWN_SOLUTIONS = "Each exercise's solution is shown in its place."
INSTRUCTOR_NOTE = re.compile(r"\n*<!--instructor-->.*?<!--/instructor-->\n*", re.S)
"""A note for instructors, with the blank lines around it (one paragraph break is put back)."""


def student_notebook(nb: dict) -> dict:
    """A copy of ``nb`` without solution cells; exercise and pause cells with no outputs and no count;
    the text saying where the solutions are replaced by STUDENT_SOLUTIONS; no instructor notes."""
    nb = json.loads(json.dumps(nb))
    cells = []
    for cell in nb["cells"]:
        kinds = tags(cell)
        if "solution" in kinds:
            continue
        if ("exercise" in kinds or "pause" in kinds) and cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        _replace_solutions_text(cell, STUDENT_SOLUTIONS)
        _remove_instructor_notes(cell)
        cells.append(cell)
    nb["cells"] = cells
    return nb


def _remove_instructor_notes(cell: dict) -> None:
    text = source(cell)
    if cell["cell_type"] == "markdown" and "<!--instructor-->" in text:
        text = INSTRUCTOR_NOTE.sub(lambda m: "\n\n" if m.start() and m.end() < len(text) else "", text)
        cell["source"] = split_lines(text)


def solutions_notebook(nb: dict) -> dict:
    """A copy of ``nb`` where each exercise cell gives way to its solution, unfolded."""
    nb = json.loads(json.dumps(nb))
    cells = []
    for cell in nb["cells"]:
        kinds = tags(cell)
        if "exercise" in kinds and cell["cell_type"] == "code":
            continue
        if "solution" in kinds:
            cell["metadata"].pop("jupyter", None)
        _replace_solutions_text(cell, SHOWN_SOLUTIONS)
        _remove_instructor_notes(cell)
        cells.append(cell)
    nb["cells"] = cells
    return nb


def _replace_solutions_text(cell: dict, text: str) -> None:
    if cell["cell_type"] == "markdown" and "<!--solutions-->" in source(cell):
        cell["source"] = split_lines(SOLUTIONS.sub(text, source(cell)))


def without_test_packages(text: str) -> str:
    """requirements.txt or environment.yml text without the packages only the tests need."""
    return "".join(line for line in text.splitlines(keepends=True) if not TEST_ONLY.match(line))


def readme(notebooks: list[Notebook], solutions: bool = False) -> str:
    rows = "\n".join(f"| {nb.number} | [{cell_text(nb.title)}](notebooks/{nb.name}) | {nb.exercises} |"
                     for nb in notebooks)
    kind = "solutions" if solutions else "student copy"
    exercises = ("Every exercise's solution is shown in its place, with what its check prints."
                 if solutions else """An exercise is a code cell with a `# TODO`: replace the `None` with your answer and run the
cell. Its check prints `✓` when you are right, `✗` with a hint when you are not (a second wrong
try gets a stronger hint), and `… not answered yet` while the `None` is still there — so
*Run All* never stops at an exercise. Later cells never need your answers. The solutions are not
in this copy: your instructor has them.""")
    return f"""# LeNet Lab — {kind}

How a neural network really works in PyTorch: build LeNet, train it on MNIST and look inside it.

## Start

- **On a JupyterHub or Binder** (your instructor's link): everything is ready, open
  `notebooks/00_start_here.ipynb`.
- **On your laptop** (Python 3.11 or newer):

      python3 -m venv .venv
      .venv/bin/python -m pip install -r requirements.txt      # Windows: .venv\\Scripts\\python
      .venv/bin/jupyter lab          # Windows: .venv\\Scripts\\jupyter lab
                                     # then open notebooks/00_start_here.ipynb

  There is no Makefile and there are no tests in this copy: these three commands are all.

  Conda users: `conda env create -f environment.yml && conda activate lenet-lab`, then
  `jupyter lab` in this folder.

The MNIST digits come with this folder (`data/MNIST/raw/*.gz`); the first notebook that uses
them unpacks and checks them. Nothing is downloaded.

## Exercises

{exercises}

## The notebooks

| # | Notebook | Exercises |
| --- | --- | ---: |
{rows}

Code: MIT licence (`LICENSE`). Text and figures: CC BY 4.0 (`LICENSE-content`). MNIST: Yann LeCun,
Corinna Cortes and Christopher J. C. Burges.
"""


def build(root: Path = ROOT, out: Path | None = None, solutions: bool = False) -> dict[str, tuple[int, int]]:
    """Write the student copy into ``out`` (default build/student; with ``solutions``, the
    solutions release into build/solutions); return, per notebook, (exercise cells kept,
    solution cells removed) — for the solutions release (solutions shown, exercises removed)."""
    out = (root / "build" / ("solutions" if solutions else "student")) if out is None else Path(out)
    if out.exists():
        if not (out / MARKER).exists():
            raise SystemExit(f"{out} exists and is not a student build (no {MARKER} in it): "
                             "refusing to delete it; choose another --out")
        shutil.rmtree(out)
    paths = notebook_paths(root)
    if not paths:
        raise SystemExit(f"no notebooks named NN_name.ipynb in {root / 'notebooks'}")
    # everything the notebooks sit beside: helpers.py and any file they open by relative path
    shutil.copytree(root / "notebooks", out / "notebooks", ignore=SKIP_IN_NOTEBOOKS)
    summary, notebooks = {}, []
    for path in paths:
        nb = load(path)
        student = solutions_notebook(nb) if solutions else student_notebook(nb)
        (out / "notebooks" / path.name).write_text(dumps(student), encoding="utf-8")
        kept = sum(("solution" if solutions else "exercise") in tags(c) for c in student["cells"])
        removed = len(nb["cells"]) - len(student["cells"])
        summary[path.stem] = (kept, removed)
        notebooks.append(read_notebook(path, nb))
    raw = out / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for archive in sorted((root / "data" / "MNIST" / "raw").glob("*.gz")):
        shutil.copy2(archive, raw / archive.name)
    for name in TOP_LEVEL:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, out / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        elif src.exists():
            shutil.copy2(src, out / name)
    for name in ("requirements.txt", "environment.yml", "binder/requirements.txt"):
        if (out / name).exists():
            (out / name).write_text(without_test_packages((out / name).read_text(encoding="utf-8")),
                                    encoding="utf-8")
    (out / "README.md").write_text(readme(notebooks, solutions), encoding="utf-8")
    (out / MARKER).write_text("written by tools/student.py (make student); deleted and rewritten on each run\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: build/student, or build/solutions)")
    parser.add_argument("--solutions", action="store_true",
                        help="write the solutions release instead: every exercise replaced by its solution")
    args = parser.parse_args(argv)
    try:
        summary = build(args.root, args.out, args.solutions)
    except NavError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for stem, (kept, removed) in summary.items():
        if args.solutions:
            print(f"{stem}: {kept} solution(s) shown, {removed} exercise cell(s) removed")
        else:
            print(f"{stem}: {kept} exercise(s) kept, {removed} solution(s) removed")
    out = args.out or args.root / "build" / ("solutions" if args.solutions else "student")
    print(f"{'solutions' if args.solutions else 'student copy'} written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
