"""Small fake repositories for the tests of tools/nav.py and tools/student.py (not collected)."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from lenetlab.notebooks import dumps, split_lines
from lenetlab.tables import begin, end

_ids = itertools.count()
EXERCISE = 'ex1_answer = None  # TODO: how many outputs?\ncheck("01.1", ex1_answer, x=x)'
SOLUTION = 'ex1_answer = 2\ncheck("01.1", ex1_answer, x=x)'


def md(text: str, **metadata) -> dict:
    return {"cell_type": "markdown", "id": f"md-{next(_ids)}", "metadata": metadata,
            "source": split_lines(text)}


def code(text: str, outputs: list | None = None, count: int | None = None, tags: tuple = ()) -> dict:
    metadata = {"tags": list(tags)} if tags else {}
    if "solution" in tags:
        metadata["jupyter"] = {"source_hidden": True}
    return {"cell_type": "code", "id": f"code-{next(_ids)}", "metadata": metadata,
            "execution_count": count, "outputs": outputs or [], "source": split_lines(text)}


def stream(text: str) -> dict:
    return {"name": "stdout", "output_type": "stream", "text": split_lines(text)}


def notebook(title: str, exercises: int = 1, learn=("build a thing", "see `a | b` in [02](02_c.ipynb)")) -> dict:
    cells = [
        md(f"# {title}\n\n**What you will learn**\n\n" + "\n".join(f"- {b}" for b in learn)
           + "\n  continued\n\n**Prerequisites**: none."),
        code("import helpers\nfrom helpers import check\nx = 1", [], 1),
        md("## 1. First section\n\nLook at the value."),
        md("A paragraph before the code."),
        code("x + 1", [{"data": {"text/plain": ["2"]}, "execution_count": 2, "metadata": {},
                        "output_type": "execute_result"}], 2),
        code("print(x)", [stream("1\n")], 3),
        md("### A smaller heading"),
        code("x", [], 4),
    ]
    n = 5
    for i in range(exercises):
        cells += [md(f"**Exercise {i + 1}.** Count."),
                  code(EXERCISE.replace("ex1", f"ex{i + 1}"), [stream(f"… ex{i + 1}: not answered yet\n")],
                       n, tags=("exercise",)),
                  code(SOLUTION.replace("ex1", f"ex{i + 1}"), [stream(f"✓ ex{i + 1}: exact.\n")],
                       n + 1, tags=("solution",))]
        n += 2
    cells += [md("## Summary\n\n- one\n\n## Next\n\nOn."), code("y = 3", [], n)]
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                        "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


README_TEXT = "# Fake\n\nIntro text kept.\n\n" + "\n\n".join(
    f"## {key}\n\n{begin(key)}\nold\n{end(key)}\n\ntrailing text of {key} kept."
    for key in ("BINDER BADGE", "NOTEBOOK MAP"))
GUIDE_TEXT = "# Guide\n\n" + "\n\n".join(f"{begin(k)}\n{end(k)}" for k in ("LINKS", "TIMINGS", "PLANS"))
NAMES = ["00_start_here", "01_second_one", "02_c"]


def write_notebook(path: Path, nb: dict) -> None:
    path.write_text(dumps(nb), encoding="utf-8")


def fake_repo(root: Path, names=NAMES, exercises: int = 1) -> Path:
    """A repository with three small notebooks, README, guide, timings and fake data archives."""
    (root / "notebooks").mkdir(parents=True)
    for i, name in enumerate(names):
        write_notebook(root / "notebooks" / f"{name}.ipynb", notebook(f"Title {i}", exercises if i else 0))
    (root / "notebooks" / "helpers.py").write_text("def check(*a, **k):\n    return None\n")
    (root / "notebooks" / "scratch.ipynb").write_text("{}")   # not NN_name: ignored by every tool
    (root / "notebooks" / "lenet.pt").write_bytes(b"checkpoint")  # made by a run: not handed out
    (root / "README.md").write_text(README_TEXT, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "instructor_guide.md").write_text(GUIDE_TEXT, encoding="utf-8")
    timings = {"words_per_minute": 150, "minutes_per_exercise": 5,
               "notebooks": {n: {"execute_seconds": 60.0} for n in names}}
    (root / "docs" / "timings.json").write_text(json.dumps(timings), encoding="utf-8")
    raw = root / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "t10k-labels-idx1-ubyte.gz").write_bytes(b"gz")
    (raw / "t10k-labels-idx1-ubyte").write_bytes(b"extracted")
    (root / "requirements.txt").write_text("torch==2.15.0\n")
    (root / "LICENSE").write_text("MIT\n")
    return root
