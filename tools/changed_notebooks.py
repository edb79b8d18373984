#!/usr/bin/env python3
"""Print the lesson notebooks changed against a base branch, one path a line: what `make check` runs nbval on.

Changed = differing between the base and HEAD (``git diff --name-only BASE...HEAD``), or changed
in the work tree and not committed yet (staged, unstaged or untracked). Deleted notebooks are
left out. Nothing is printed when no notebook changed.

    python tools/changed_notebooks.py            # against main
    python tools/changed_notebooks.py --base origin/main
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from lenetlab.notebooks import notebook_paths
from lenetlab.settings import BRANCH, ROOT


def git(*args: str, root: Path = ROOT) -> list[str]:
    out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {out.stderr.strip()}")
    return [line for line in out.stdout.splitlines() if line]


def changed(base: str = BRANCH, root: Path = ROOT) -> list[Path]:
    """The lesson notebooks (in number order) that differ from ``base`` or from the last commit."""
    names = set(git("diff", "--name-only", f"{base}...HEAD", root=root))
    names |= set(git("diff", "--name-only", "HEAD", root=root))
    names |= set(git("ls-files", "--others", "--exclude-standard", root=root))
    return [p for p in notebook_paths(root) if p.relative_to(root).as_posix() in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=BRANCH, help=f"the branch to compare with (default {BRANCH})")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    for path in changed(args.base, args.root):
        print(path.relative_to(args.root).as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main())
