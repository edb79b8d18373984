"""The measurements the tools record (docs/timings.json, docs/memory.json) and the minutes
model: how long a notebook takes a student.

    total = execute_seconds / 60 + markdown words / words_per_minute
            + lines of code / code_lines_per_minute + the exercises' minutes      (rounded up)
    core  = execute_seconds / 60 + the same reading rates over the core path only
            (no Going-deeper section, no exercise, no solution: notebooks.core_cells)
    An exercise takes the minutes its registry entry gives (tools/exercises/lessonNN.py, timed by
    doing it), else minutes_per_exercise.
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


def minutes(nb: Notebook, timings: dict, exercise_minutes: dict | None = None) -> dict | None:
    """Run, read, code and exercise minutes, the core path's and the total (rounded up), or None
    when not measured.

    run = measured execution seconds / 60 (docs/timings.json); read = markdown words / the
    words-per-minute rate; code = lines of code / the code-lines-per-minute rate (0 when
    docs/timings.json states no such rate); core_read, core_code: the same over the core path;
    exercises = the sum of each exercise's minutes (``exercise_minutes``: id -> minutes, from the
    registry; by default read from tools/exercises/), minutes_per_exercise for one without.
    """
    entry = timings.get("notebooks", {}).get(nb.stem)
    if not entry or "execute_seconds" not in entry:
        return None
    if exercise_minutes is None:
        exercise_minutes = registry_minutes()
    run = entry["execute_seconds"] / 60
    wpm, rate = timings["words_per_minute"], timings.get("code_lines_per_minute")
    read, core_read = nb.words / wpm, nb.core_words / wpm
    code = nb.code_lines / rate if rate else 0.0
    core_code = nb.core_code_lines / rate if rate else 0.0
    per = timings["minutes_per_exercise"]
    ids = list(nb.exercise_ids) + [""] * (nb.exercises - len(nb.exercise_ids))
    exercises = sum(exercise_minutes.get(i) or per for i in ids)
    return {"run": run, "read": read, "code": code, "core_read": core_read, "core_code": core_code,
            "exercises": exercises, "core": math.ceil(run + core_read + core_code),
            "core_and_exercises": math.ceil(run + core_read + core_code + exercises),
            "total": math.ceil(run + read + code + exercises)}


def registry_minutes(root: Path = ROOT) -> dict:
    """Exercise id -> the minutes its entry in tools/exercises/lessonNN.py gives (timed by doing it)."""
    from lenetlab.exercises import load_attempts

    return {i: e["minutes"] for i, e in load_attempts(root).items() if e.get("minutes")}
