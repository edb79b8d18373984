"""The lesson notebooks: the ONE list of them, and reading and writing them with nbformat.

A lesson is ``notebooks/NN_name.ipynb`` (two digits, an underscore, words in snake case): the
regex ``NAME`` is the only definition of that rule, and ``notebook_paths`` the only glob: the
Makefile's scripts, the tests, the student build and the website all call it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from lenetlab.settings import ROOT

NAME = re.compile(r"(\d\d)_(.*)\.ipynb")  # the one regex every lesson name matches
SENTINEL = "<!--NAV-->"  # first line of a navigation cell
COLAB_SENTINEL = "# <!--COLAB-->"  # first line of the Colab set-up cell


class NavError(RuntimeError):
    """A notebook, README.md or the guide cannot be processed; the message says what to fix."""


def notebook_paths(root: Path = ROOT) -> list[Path]:
    """The lesson notebooks, in number order; raises NavError on two notebooks with one number."""
    paths = sorted(p for p in (root / "notebooks").glob("*.ipynb") if NAME.fullmatch(p.name))
    seen: dict[str, str] = {}
    for p in paths:
        number = NAME.fullmatch(p.name).group(1)
        if number in seen:
            raise NavError(f"two notebooks are numbered {number}: {seen[number]} and {p.name}; renumber one")
        seen[number] = p.name
    return paths


def load(path: Path) -> dict:
    """The notebook at ``path`` (nbformat 4), sources joined into strings."""
    try:
        return nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=4)
    except ValueError as exc:  # invalid JSON, or JSON that is no notebook
        raise NavError(f"{path} is not valid notebook JSON ({exc}); fix or re-save it") from exc


def dumps(nb: dict) -> str:
    """The notebook as Jupyter saves it: nbformat's JSON (indent 1, sorted keys, UTF-8) and a final newline."""
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def save(nb: dict, path: Path) -> None:
    Path(path).write_text(dumps(nb), encoding="utf-8")


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def split_lines(text: str) -> list[str]:
    """Source as the .ipynb file stores it: a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def is_nav(cell: dict) -> bool:
    return cell.get("cell_type") == "markdown" and source(cell).lstrip().startswith(SENTINEL)


def is_colab(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and source(cell).lstrip().startswith(COLAB_SENTINEL)


def count_code_lines(cells: list[dict]) -> int:
    """Non-blank lines of the code cells a student reads: solutions and the Colab cell excluded."""
    return sum(1 for c in cells if c.get("cell_type") == "code" and not is_colab(c) and "solution" not in tags(c)
               for line in source(c).splitlines() if line.strip())


DEEPER = "deeper"  # the tag of every cell of a `## Going deeper: …` section


def core_cells(cells: list[dict]) -> list[dict]:
    """The cells of the core path, the part every student does: the cells before `## Exercises`
    that are neither tagged `deeper` (a Going-deeper section), `exercise` or `solution`, nor an
    exercise's prompt (the markdown cell right before an `exercise` cell); the closing `## Next`
    counts again."""
    core, in_exercises = [], False
    for i, cell in enumerate(cells):
        text = source(cell).lstrip() if cell.get("cell_type") == "markdown" else ""
        if text.startswith("## "):
            in_exercises = text.startswith("## Exercises")
        prompt = (cell.get("cell_type") == "markdown" and i + 1 < len(cells)
                  and "exercise" in tags(cells[i + 1]))
        if in_exercises or prompt or {DEEPER, "exercise", "solution"} & set(tags(cell)):
            continue
        core.append(cell)
    return core


@dataclass
class Notebook:
    path: Path
    number: str
    title: str
    learn: list[str]
    words: int        # words of markdown a student reads (nav cells excluded)
    exercises: int    # cells tagged `exercise`
    code_lines: int = 0  # non-blank lines of code a student reads (solution and Colab cells excluded)
    core_words: int = 0       # the same, counted over the core path only (core_cells)
    core_code_lines: int = 0
    exercise_ids: tuple = ()  # the ids of its exercises ("03.2"), from each exercise cell's metadata

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def stem(self) -> str:
        return self.path.stem


def read_notebook(path: Path, nb: dict | None = None) -> Notebook:
    """Title (first `# ` heading), the **What you will learn** bullets, words and exercises."""
    nb = load(path) if nb is None else nb
    cells = [c for c in nb.get("cells", []) if not is_nav(c)]
    markdown = strip_generated("\n".join(source(c) for c in cells if c["cell_type"] == "markdown"))
    title = next((m.group(1).strip() for m in re.finditer(r"^# +(.+)$", markdown, re.M)), None)
    if title is None:
        raise NavError(f"{path.name} has no `# Title` heading in a markdown cell: add one "
                       "(CONTRIBUTING.md, How a notebook opens)")
    number = NAME.fullmatch(path.name).group(1)
    core = core_cells(cells)
    core_markdown = strip_generated("\n".join(source(c) for c in core if c["cell_type"] == "markdown"))
    ids = tuple(c.get("metadata", {}).get("exercise", {}).get("id", "") for c in cells if "exercise" in tags(c))
    return Notebook(path, number, title, learn_bullets(markdown), count_words(markdown),
                    sum("exercise" in tags(c) for c in cells), count_code_lines(cells),
                    count_words(core_markdown), count_code_lines(core), ids)


def strip_generated(text: str) -> str:
    """``text`` without the sections `make nav` generates (a map a notebook holds is not its prose)."""
    return re.sub(r"<!-- BEGIN ([A-Z ]+):.*?<!-- END \1 -->", "", text, flags=re.S)


def learn_bullets(markdown: str) -> list[str]:
    """The bullet items under **What you will learn** (continuation lines joined)."""
    lines = markdown.splitlines()
    start = next((i for i, line in enumerate(lines) if "**What you will learn**" in line), None)
    if start is None:
        return []
    bullets: list[str] = []
    for line in lines[start + 1:]:
        m = re.match(r"^\s{0,3}[-*+]\s+(.*)$", line)
        if m:
            bullets.append(m.group(1).strip())
        elif bullets and line.strip() and line.startswith((" ", "\t")):
            bullets[-1] += " " + line.strip()
        elif bullets or (line.strip() and not line.strip().startswith("<!--")):
            break
    return bullets


def count_words(markdown: str) -> int:
    """Words a student reads: notes for instructors (between <!--instructor--> and
    <!--/instructor-->, left out of the student copy), link targets, HTML comments and tags
    dropped, symbols not counted."""
    text = re.sub(r"<!--instructor-->.*?<!--/instructor-->", " ", markdown, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "] ", text)      # [text](target) -> text
    text = re.sub(r"</?[A-Za-z][^<>]*>", " ", text)  # html tags (a "<" in prose, 1079 < 1600, is no tag)
    return len(re.findall(r"\w+(?:['’.-]\w+)*", text))


def select(paths: list[Path], names: list[str]) -> list[Path]:
    """The lessons named by number (`07`), stem (`07_training…`) or path; all of them for no names."""
    if not names:
        return paths
    chosen = []
    for name in names:
        key = Path(name).name.removesuffix(".ipynb")
        match = [p for p in paths if p.stem == key or p.stem.split("_", 1)[0] == key]
        if not match:
            raise SystemExit(f"no notebook matches {name!r}; the notebooks are: "
                             + ", ".join(p.stem for p in paths))
        chosen += match
    return chosen
