#!/usr/bin/env python3
"""Peak resident memory of each notebook's kernel: `make memory` (this script).

Executes every notebook (or the ones named: `07`, `07_training_lenet_on_mnist`,
`notebooks/07_training_lenet_on_mnist.ipynb`) top to bottom in a fresh `python3` kernel, on a
copy in memory (the file is not touched), in the notebook's folder. After the last cell it runs
one more cell in the same kernel that reads the kernel process's own peak resident set size:
`VmHWM` from /proc/self/status on Linux ("high water mark"), else `ru_maxrss` of
`getrusage(RUSAGE_SELF)`; the largest peak among the child processes it waited for (DataLoader
workers, a `subprocess` run) is `ru_maxrss` of `RUSAGE_CHILDREN`, reported beside it but not
added (the kernel's own peak is what the limit is about). It first reads the peak of a fresh
kernel that only runs `import torch, torchvision`, so the report says how much is the library
and how much the notebook.

    python tools/peak_rss.py                 # every notebook
    python tools/peak_rss.py 07 08           # only these
    python tools/peak_rss.py --limit-mb 1200 --json   # exit 1 if a kernel's peak exceeds the limit

MB here are 10^6 bytes. The figures depend a little on the machine (allocator, library builds,
thread count) and hardly at all on how busy it is.
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

import nbformat

from lenetlab.notebooks import notebook_paths, select
from lenetlab.runner import PEAK_PROBE, execute
from lenetlab.minutes import load_memory
from lenetlab.settings import MEMORY, ROOT

# Binder gives a user 1-2 GB for every open kernel together; a notebook's kernel may take at most
# 1.2 GB, which leaves a student on a 2 GB Binder room for the server and one other idle kernel.
LIMIT_MB = 1200


def parse_peak(nb: nbformat.NotebookNode) -> dict:
    """The ``PEAK_RSS`` line the last cell (PEAK_PROBE) printed, in whole MB."""
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    match = re.search(r"PEAK_RSS (\{.*\})", text)
    if not match:
        raise RuntimeError(f"the memory probe printed nothing readable: {text!r}")
    peak = json.loads(match.group(1))
    return {"peak_mb": round(peak.get("VmHWM", peak["self_mb"])),
            "children_mb": round(peak["children_mb"]),
            "rss_at_end_mb": round(peak.get("VmRSS", 0)) or None}


def run(path: Path | None, timeout: int = 1800) -> dict:
    """Execute ``path`` (or, with None, just ``import torch, torchvision``) in a fresh kernel; its peak memory.

    Returns {"peak_mb", "children_mb", "rss_at_end_mb", "seconds"}: the kernel process's peak
    resident memory (VmHWM, or ru_maxrss where /proc is missing), the largest peak among its
    children, its resident memory at the end, and the wall-clock seconds of the execution.
    """
    if path is None:
        nb, cwd = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import torch, torchvision")]), Path.cwd()
    else:
        nb, cwd = nbformat.read(path, as_version=4), path.parent
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_PROBE))
    took = execute(nb, cwd, timeout)
    return {**parse_peak(nb), "seconds": round(took["seconds"], 1)}


def record_peaks(root: Path, import_mb: int, results: dict) -> None:
    """Merge the peaks into docs/memory.json (`make nav` puts their range in the instructor guide); keep the others."""
    path = root / MEMORY
    record = load_memory(root)
    record.update({"import_torch_torchvision_mb": import_mb, "limit_mb": LIMIT_MB,
                   "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"})
    today = datetime.date.today().isoformat()
    for stem, r in results.items():
        record["notebooks"][stem] = {"peak_mb": r["peak_mb"], "measured": today}
    record["notebooks"] = dict(sorted(record.pop("notebooks").items()))  # last, in order
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {MEMORY}; run `make nav` to put the range in the instructor guide")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="numbers or names to measure (default: all)")
    parser.add_argument("--limit-mb", type=float, default=LIMIT_MB,
                        help=f"exit 1 if a kernel's peak exceeds this (default {LIMIT_MB} MB = {LIMIT_MB / 1000:g} GB)")
    parser.add_argument("--json", action="store_true", help="also print the results as one JSON line")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    paths = select(notebook_paths(args.root), args.notebooks)

    baseline = run(None)
    print(f"{'kernel after import torch, torchvision':36} {baseline['peak_mb']:6} MB peak", flush=True)
    results, failed, over = {}, [], []
    for path in paths:
        try:
            r = run(path)
        except Exception as exc:  # report every notebook, then fail
            lines = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if line.strip()]
            print(f"{path.stem:36} FAILED: {type(exc).__name__}:", *lines[-4:], sep="\n    ", file=sys.stderr)
            failed.append(path.stem)
            continue
        results[path.stem] = r
        flag = "  OVER THE LIMIT" if r["peak_mb"] > args.limit_mb else ""
        children = f", children {r['children_mb']} MB" if r["children_mb"] else ""
        print(f"{path.stem:36} {r['peak_mb']:6} MB peak ({r['peak_mb'] - baseline['peak_mb']:+d} MB against "
              f"the import{children}), executed in {r['seconds']} s{flag}", flush=True)
        if r["peak_mb"] > args.limit_mb:
            over.append(path.stem)
    if args.json:
        print(json.dumps({"limit_mb": args.limit_mb, "import_torch_torchvision_mb": baseline["peak_mb"],
                          "notebooks": results, "machine": f"{platform.machine()}, {os.cpu_count()} CPUs"}))
    record_peaks(args.root, baseline["peak_mb"], results)
    if over:
        print(f"peak above {args.limit_mb:g} MB: {', '.join(over)}", file=sys.stderr)
    if failed:
        print(f"not measured (execution failed): {', '.join(failed)}", file=sys.stderr)
    return 1 if over or failed else 0


if __name__ == "__main__":
    sys.exit(main())
