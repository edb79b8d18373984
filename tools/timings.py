#!/usr/bin/env python3
"""Measure how long each notebook takes to run and record it in docs/timings.json.

`make timings` (this script) executes every notebook (or the ones named: `02`, `02_lenet`,
`notebooks/02_lenet.ipynb`) top to bottom in a fresh `python3` kernel (lenetlab.runner), on a copy
in memory (the notebook file is not touched), and stores the wall-clock seconds, kernel start
included. `make nav` then turns them into minutes:

    minutes = execute_seconds / 60 + markdown words / WORDS_PER_MINUTE
              + lines of code / CODE_LINES_PER_MINUTE + exercise cells * MINUTES_PER_EXERCISE
                                                               (rounded up)

The three rates are written into docs/timings.json beside the measurements, so the file says how
its numbers are meant to be read. Entries of notebooks not measured in this run are kept.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import sys
from pathlib import Path

from lenetlab.minutes import CODE_LINES_PER_MINUTE, MINUTES_PER_EXERCISE, WORDS_PER_MINUTE, load_timings
from lenetlab.notebooks import load, notebook_paths, select
from lenetlab.runner import execute
from lenetlab.settings import ROOT, TIMINGS


def measure(path: Path) -> tuple[float, float]:
    """Wall-clock and kernel CPU seconds to execute ``path`` in a fresh python3 kernel (lenetlab.runner)."""
    took = execute(load(path), path.parent)
    return round(took["seconds"], 1), round(took["cpu_seconds"], 1)


def machine() -> str:
    import torch

    cpu = platform.processor() or platform.machine()
    return (f"{os.cpu_count()} CPU cores ({cpu}), Python {platform.python_version()}, "
            f"torch {torch.__version__}, the notebooks' own torch.set_num_threads(2)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="numbers or names to measure (default: all)")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    root = args.root
    paths = select(notebook_paths(root), args.notebooks)
    record = load_timings(root)
    record.setdefault("notebooks", {})
    record.update({
        "words_per_minute": WORDS_PER_MINUTE,
        "minutes_per_exercise": MINUTES_PER_EXERCISE,
        "code_lines_per_minute": CODE_LINES_PER_MINUTE,
        "method": ("execute_seconds: wall clock of tools/timings.py executing the notebook top to bottom "
                   "in a fresh python3 kernel (nbclient through tools/lenetlab/runner.py, kernel start included; the kernel "
                   "is stopped at once after the last cell, as nbval does); "
                   "cpu_seconds: CPU time of that kernel, all threads (barely affected by other jobs); "
                   "load_average: the machine's 1-minute load average right after, a sign of how busy it was. "
                   "make nav adds reading time (markdown words / words_per_minute), code-reading time (non-blank "
                   "lines of the code cells a student reads, solutions excluded, / code_lines_per_minute) and "
                   "exercise time (exercise cells x minutes_per_exercise) and rounds up."),
        "machine": machine(),
    })
    load = os.getloadavg()[0]
    if load > 1.5:
        print(f"warning: the machine is busy (load average {load:.1f} on {os.cpu_count()} cores): the "
              "wall-clock times will be inflated; measure again when it is idle", file=sys.stderr)
    failed = []
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        try:
            seconds, cpu = measure(path)
        except Exception as exc:  # report every notebook, then fail
            lines = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if line.strip()]
            print(f"  FAILED: {type(exc).__name__}:", *lines[-4:], sep="\n    ", file=sys.stderr)
            failed.append(path.name)
            continue
        print(f"  {seconds} s ({cpu} s of CPU)")
        record["notebooks"][path.stem] = {"execute_seconds": seconds, "cpu_seconds": cpu,
                                          "measured": datetime.date.today().isoformat(),
                                          "load_average": round(os.getloadavg()[0], 1)}
    record["notebooks"] = dict(sorted(record.pop("notebooks").items()))  # last, in order
    total = sum(entry["execute_seconds"] for entry in record["notebooks"].values())
    print(f"the collection: {total:.1f} s ({len(record['notebooks'])} notebooks, one after the other)")
    out = root / TIMINGS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(root)}; run `make nav` to put the minutes in README.md and the guide")
    if failed:
        print(f"not measured (execution failed): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
