#!/usr/bin/env python3
"""Re-run notebooks top to bottom in a fresh kernel and save their outputs: `make execute`.

    python tools/execute.py            every lesson, in number order
    python tools/execute.py 03 07      only these (number, name or path)

Stops at the first notebook that fails, leaving that file as it was.
"""
from __future__ import annotations

import argparse
import sys

from lenetlab.notebooks import notebook_paths, load, save, select
from lenetlab.runner import execute


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="numbers or names to execute (default: all)")
    args = parser.parse_args(argv)
    for path in select(notebook_paths(), args.notebooks):
        print(f"executing {path.relative_to(path.parents[1])}", flush=True)
        nb = load(path)
        execute(nb, path.parent)
        save(nb, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
