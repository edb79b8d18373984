"""The exercise registry, tools/exercises/lessonNN.py: one entry per exercise, keyed by its id
("03.2"), with its kind, title, minutes, the misconception its check catches and the attempts the
replay test makes (tests/test_student_build.py). Read as literals: nothing there is executed.
"""
from __future__ import annotations

import ast
from pathlib import Path

from lenetlab.notebooks import NavError
from lenetlab.settings import ATTEMPTS, ROOT


def load_attempts(root: Path = ROOT) -> dict:
    """{id: entry} from the ATTEMPTS of tools/exercises/lesson*.py, read as literals (nothing is
    executed); {} if there are none."""
    attempts: dict = {}
    for path in sorted((root / ATTEMPTS).glob("lesson*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found = [node.value for node in tree.body if isinstance(node, ast.Assign)
                 and [getattr(t, "id", None) for t in node.targets] == ["ATTEMPTS"]]
        if not found:
            raise NavError(f"{path} has no `ATTEMPTS = {{...}}`")
        attempts.update(ast.literal_eval(found[0]))
    return attempts
