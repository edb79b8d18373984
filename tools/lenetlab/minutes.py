"""The measurements the tools record (docs/timings.json, docs/memory.json) and the minutes
model: how long a notebook takes a student.

    minutes = execute_seconds / 60 + markdown words / words_per_minute
              + lines of code / code_lines_per_minute + exercise cells * minutes_per_exercise
                                                               (rounded up)
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from lenetlab.notebooks import Notebook
from lenetlab.settings import MEMORY, ROOT, TIMINGS

WORDS_PER_MINUTE = 150   # careful reading of technical prose with formulas, while thinking
MINUTES_PER_EXERCISE = 5  # read the prompt, write one to three lines, run, read the check, retry once
CODE_LINES_PER_MINUTE = 12  # 5 s a line: read it, match it with the paragraph above and the output below


def load_timings(root: Path = ROOT) -> dict:
    """docs/timings.json (written by tools/timings.py), or an empty record before any measurement."""
    path = root / TIMINGS
    if not path.exists():
        return {"notebooks": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def load_memory(root: Path = ROOT) -> dict:
    """docs/memory.json (written by tools/peak_rss.py), or an empty record before any measurement."""
    path = root / MEMORY
    if not path.exists():
        return {"notebooks": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def minutes(nb: Notebook, timings: dict) -> dict | None:
    """Run, read, code and exercise minutes and their total (rounded up), or None when not measured.

    run = measured execution seconds / 60 (docs/timings.json); read = markdown words / the
    words-per-minute rate; code = lines of code / the code-lines-per-minute rate (0 when
    docs/timings.json states no such rate); exercises = exercise cells x minutes per exercise.
    """
    entry = timings.get("notebooks", {}).get(nb.stem)
    if not entry or "execute_seconds" not in entry:
        return None
    run = entry["execute_seconds"] / 60
    read = nb.words / timings["words_per_minute"]
    rate = timings.get("code_lines_per_minute")
    code = nb.code_lines / rate if rate else 0.0
    exercises = nb.exercises * timings["minutes_per_exercise"]
    return {"run": run, "read": read, "code": code, "exercises": exercises,
            "core": math.ceil(run + read + code), "total": math.ceil(run + read + code + exercises)}
