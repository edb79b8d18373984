#!/usr/bin/env python3
"""Write the committed student copy, ``student/``: what every learner link opens (Binder, Colab,
the README's map, the website's launch buttons).

``student/`` sits beside ``notebooks/`` and holds

    NN_name.ipynb   each notebook of notebooks/ as tools/student.py makes it for students (no
                    cells tagged `solution`, exercise cells without outputs), and two changes so
                    that it works where learners open it:
                    * its Colab set-up cell clones the repository and moves into student/;
                    * the sentence saying where the solutions are tells a learner on their
                      own where they are (LEARNER_SOLUTIONS);
                    * every picture from imgs/ (``../imgs/x.gif``) is addressed by its URL on
                      GitHub (raw.githubusercontent.com, REPO and BRANCH of tools/nav.py): Colab
                      opens a notebook alone, where ``../imgs`` does not exist;
    helpers.py, checks, ...
                    symbolic links to the modules in notebooks/ (``../notebooks/helpers.py``):
                    the notebooks import them from their own folder, and a link can never hold
                    an old copy. The MNIST archives are not copied: helpers.DATA_DIR is found
                    from the real file, ../data.

It is generated, never edited by hand: after changing a notebook or a module, run
``make student`` (this script, with the student build) and commit student/. A test fails,
naming that command, while student/ differs from what this script would write.
``--check`` writes nothing and exits 1 naming every stale file. Standard library only.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nav  # noqa: E402
from lenetlab import settings  # noqa: E402
import student  # noqa: E402

LEARNER_DIR = settings.LEARNER_DIR
MODULE_SKIP = {"__pycache__", ".ipynb_checkpoints"}
LEARNER_SOLUTIONS = ("The solutions are not in this copy: try each exercise first. In a class your instructor "
                     "has them; on your own, the repository's `notebooks/` folder holds the same notebooks "
                     "with each solution under its exercise.")
IMAGE = re.compile(r"(!\[[^\]]*\]\()(\.\./imgs/[^)\s]+)(\))|(<img\s[^>]*?src=\")(\.\./imgs/[^\"]+)(\")")
"""A picture from imgs/ in markdown: ``![alt](../imgs/x)`` or ``<img ... src="../imgs/x">``."""


def raw_url(repo_path: str, repo: str = settings.REPO, branch: str = settings.BRANCH) -> str:
    """The address GitHub serves a file of the repository from (what Colab can load)."""
    return f"https://raw.githubusercontent.com/{repo}/{branch}/{repo_path}"


def absolute_pictures(markdown: str) -> str:
    """``markdown`` with every ``../imgs/...`` picture replaced by its raw.githubusercontent URL."""
    def fix(m: re.Match) -> str:
        head, path, tail = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        return head + raw_url(path[len("../"):]) + tail
    return IMAGE.sub(fix, markdown)


def colab_source() -> str:
    """The Colab set-up cell of the student copy: the instructor copy's, moving into student/."""
    text = nav.colab_source()
    for old, new in ((' its notebooks/ folder', f' its {LEARNER_DIR}/ folder'),
                     ('/notebooks")', f'/{LEARNER_DIR}")'),
                     ("repository's notebooks/ folder", f"repository's {LEARNER_DIR}/ folder")):
        if text.count(old) != 1:
            raise nav.NavError(f"tools/learner_copy.py cannot find {old!r} once in nav.colab_source(): update it")
        text = text.replace(old, new)
    return text


def learner_notebook(nb: dict) -> dict:
    """The student copy of ``nb`` as learners open it on Binder or Colab."""
    nb = student.student_notebook(nb)
    for cell in nb["cells"]:
        if nav.is_colab(cell):
            cell["source"] = nav.split_lines(colab_source())
        elif cell["cell_type"] == "markdown":
            text = absolute_pictures(nav.source(cell)).replace(student.STUDENT_SOLUTIONS, LEARNER_SOLUTIONS)
            if text != nav.source(cell):
                cell["source"] = nav.split_lines(text)
    return nb


def modules(root: Path = settings.ROOT) -> list[str]:
    """What else sits in notebooks/ (modules, packages, files they open), linked from student/:
    everything tools/student.py copies into the student build but the notebooks."""
    return sorted(p.name for p in (root / "notebooks").iterdir()
                  if p.name not in MODULE_SKIP and not p.name.startswith(".")
                  and p.suffix not in (".ipynb", ".pt", ".pth"))


def expected(root: Path = settings.ROOT) -> tuple[dict[str, str], dict[str, str]]:
    """({notebook file name: its text}, {module name: its link target}) of an up-to-date student/."""
    texts = {p.name: nav.dumps(learner_notebook(nav.load(p))) for p in nav.notebook_paths(root)}
    links = {name: f"../notebooks/{name}" for name in modules(root)}
    return texts, links


def stale(root: Path = settings.ROOT) -> list[str]:
    """What in student/ differs from what this script writes: missing, changed or extra entries."""
    out = root / LEARNER_DIR
    texts, links = expected(root)
    problems = []
    for name, text in texts.items():
        path = out / name
        if path.is_symlink() or not path.is_file() or path.read_text(encoding="utf-8") != text:
            problems.append(f"{LEARNER_DIR}/{name}")
    for name, target in links.items():
        path = out / name
        if not path.is_symlink() or os.readlink(path) != target:
            problems.append(f"{LEARNER_DIR}/{name} (a link to {target})")
    if out.is_dir():
        problems += [f"{LEARNER_DIR}/{p.name} (not generated: remove it)" for p in sorted(out.iterdir())
                     if p.name not in texts and p.name not in links and p.name not in MODULE_SKIP]
    return problems


def write(root: Path = settings.ROOT) -> list[str]:
    """Bring student/ up to date; return what was written or removed."""
    out = root / LEARNER_DIR
    out.mkdir(exist_ok=True)
    texts, links = expected(root)
    done = []
    for name, text in texts.items():
        path = out / name
        if path.is_symlink() or not path.is_file() or path.read_text(encoding="utf-8") != text:
            if path.is_symlink():
                path.unlink()
            path.write_text(text, encoding="utf-8")
            done.append(f"wrote {LEARNER_DIR}/{name}")
    for name, target in links.items():
        path = out / name
        if path.is_symlink() and os.readlink(path) == target:
            continue
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            raise SystemExit(f"{path} is a folder, not a link: remove it and run `make student` again")
        path.symlink_to(target)
        done.append(f"linked {LEARNER_DIR}/{name} -> {target}")
    for path in sorted(out.iterdir()):
        if path.name not in texts and path.name not in links and path.name not in MODULE_SKIP:
            if path.is_dir() and not path.is_symlink():
                raise SystemExit(f"{path} is not generated: remove it by hand")
            path.unlink()
            done.append(f"removed {LEARNER_DIR}/{path.name}")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=settings.ROOT, help="repository root")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if student/ is stale")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = stale(args.root)
            for p in problems:
                print(f"stale: {p} — run `make student`", file=sys.stderr)
            return 1 if problems else 0
        done = write(args.root)
    except nav.NavError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in done:
        print(line)
    print(f"{LEARNER_DIR}/ (the committed student copy) " + ("updated" if done else "was up to date"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
