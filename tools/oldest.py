#!/usr/bin/env python3
"""Run every notebook to the end on the oldest PyTorch and torchvision that environment.yml
allows (`make test-oldest`): the proof behind its lower bounds.

environment.yml is the one place those versions are written (``pytorch-cpu>=X``,
``torchvision>=Y``). `make oldest-venv` installs them from PyPI into .venv-oldest (with
``===``: PyPI's plain wheels of one build; ``==`` may pick a ``+cpu`` torch that PyPI's
torchvision refuses), the other packages at their requirements.txt pins; then this script, run by
that environment's Python, executes each notebook top to bottom in a fresh kernel of the same
Python and fails on the first error. Outputs are not compared (the stored ones were made with
requirements.txt's versions; last digits may differ) and nothing is written back.

    python tools/oldest.py --pins   print the pip requirements of the oldest pair
    python tools/oldest.py [NN ...] run the notebooks (all, or those numbered NN)
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONDA_TO_PIP = {"pytorch-cpu": "torch", "torchvision": "torchvision"}
"""The packages whose oldest allowed version this run installs, by their conda-forge name."""


def lower_bounds(root: Path = ROOT) -> dict[str, str]:
    """{pip name: lower bound} of torch and torchvision in environment.yml."""
    text = (root / "environment.yml").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(?:#.*)?$", line)
        if m and m.group(1) in CONDA_TO_PIP:
            found[CONDA_TO_PIP[m.group(1)]] = m.group(2)
    missing = set(CONDA_TO_PIP.values()) - set(found)
    if missing:
        raise SystemExit(f"environment.yml gives no `name>=version` for {sorted(missing)}")
    return found


def pins(root: Path = ROOT) -> list[str]:
    """pip requirements of the oldest pair: ``===``, the exact version without a local label."""
    return [f"{name}==={version}" for name, version in lower_bounds(root).items()]


def release(version: str) -> str:
    """``2.13.0+cu128`` -> ``2.13.0``: PyPI's Linux torch names its CUDA build in a local label."""
    return version.split("+")[0]


def run(numbers: list[str], root: Path = ROOT) -> int:
    import nbformat
    import torch
    import torchvision
    from nbclient import NotebookClient

    want = lower_bounds(root)
    have = {"torch": release(torch.__version__), "torchvision": release(torchvision.__version__)}
    if have != want:
        print(f"this Python ({sys.executable}) has {have}, not environment.yml's oldest {want}: "
              "run it as .venv-oldest/bin/python (make test-oldest)", file=sys.stderr)
        return 1
    paths = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if numbers:
        paths = [p for p in paths if p.name[:2] in numbers]
    probe = "import sys, torch, torchvision\nprint(sys.executable, torch.__version__, torchvision.__version__)"
    start = time.monotonic()
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(probe))
        began = time.monotonic()
        try:
            NotebookClient(nb, timeout=900, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        except Exception as exc:  # the cell's error, as nbclient reports it
            print(f"FAILED {path.name} on torch {want['torch']}, torchvision {want['torchvision']}:\n{exc}",
                  file=sys.stderr)
            return 1
        said = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split()
        if [release(v) for v in said[1:]] != [want["torch"], want["torchvision"]]:
            print(f"FAILED {path.name}: its kernel ran {said}, not torch {want['torch']} / torchvision "
                  f"{want['torchvision']} (a python3 kernelspec elsewhere on this machine?)", file=sys.stderr)
            return 1
        print(f"ok {path.name} ({time.monotonic() - began:.0f} s)", flush=True)
    print(f"{len(paths)} notebooks ran to the end on torch {want['torch']}, torchvision {want['torchvision']} "
          f"in {time.monotonic() - start:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pins", action="store_true", help="print the pip requirements of the oldest pair")
    parser.add_argument("numbers", nargs="*", help="notebook numbers (default: all)")
    args = parser.parse_args(argv)
    if args.pins:
        print(" ".join(pins()))
        return 0
    return run(args.numbers)


if __name__ == "__main__":
    sys.exit(main())
