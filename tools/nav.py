#!/usr/bin/env python3
"""Generate what must never be typed by hand: navigation, slide metadata and the notebook map.

`make nav` (this script) updates, from the notebooks themselves and docs/timings.json:

* in every ``notebooks/NN_name.ipynb``: the previous | index | next navigation cell, first and
  last (markdown starting with ``<!--NAV-->``; re-running replaces it, never duplicates it; the
  last one adds a one-line reminder to save and shut the kernel down), the Colab set-up cell
  (the first code cell, right after the title cell, tagged ``colab-setup`` and starting with
  ``# <!--COLAB-->``: on Google Colab it fetches the repository once and moves into its
  notebooks/ folder; anywhere else it does nothing and prints nothing), and the slide metadata
  jupyterlab-rise reads (``cell.metadata.slideshow.slide_type``, and the notebook's
  ``metadata.rise`` options);
* in README.md: the launch badges and the table of notebooks (title, what you will learn,
  minutes, Binder and Colab links);
* in docs/instructor_guide.md: the launch links, the minutes per notebook, the two plans and the
  table of exercises with the wrong answer each one catches (from tools/exercises/).

Only text between sentinel comments is generated; everything else in those files is left alone.
Code cells keep their source and outputs: their metadata gains ``slideshow``, and when the Colab
cell is first inserted into an executed notebook it takes execution count 1 and every later count
moves up by one (it prints nothing anywhere but on Colab, so the stored outputs stay exactly what
a fresh kernel prints). A file is written only when its content changes, so a second run changes
nothing.

``python tools/nav.py --check`` writes nothing and exits 1 naming every stale file.
Standard library only, so it runs with any Python >= 3.10.
"""
from __future__ import annotations

import argparse
import ast
import json
import math
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

# The public repository is not known yet: this placeholder is the ONE place it is written.
# Change it here and run `make nav`; README.md, docs/instructor_guide.md and the student README
# pick it up.
REPO = "lenet-lab/lenet-lab"  # GitHub owner/name (placeholder)
BRANCH = "main"
STUDENT_BRANCH = "student"  # where an instructor may publish build/student (see the guide)
REPO_URL_ENV = "LENET_REPO_URL"  # overrides the clone address of the Colab cell (tests/test_colab.py)
LEARNER_DIR = "student"  # the committed student copy (tools/learner_copy.py): what learner links open

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"(\d\d)_(.*)\.ipynb")  # the one regex every notebook name matches
SENTINEL = "<!--NAV-->"
COLAB_SENTINEL = "# <!--COLAB-->"  # first line of the Colab set-up cell
COLAB_TAG = "colab-setup"
CLOSING_REMINDER = ("Before the next notebook: save your work (Binder: *File → Download*; Colab: *File → Save a copy "
                    "in Drive*), then *Kernel → Shut Down Kernel*: every open kernel keeps its memory, and Binder "
                    "gives 1–2 GB for all of them.")
TIMINGS = Path("docs/timings.json")
README = Path("README.md")
GUIDE = Path("docs/instructor_guide.md")
ATTEMPTS = Path("tools/exercises")  # lessonNN.py: one entry per exercise, keyed by its id
INDEX_LINK = "../README.md#the-notebooks"  # from a notebook in notebooks/ to the README's map
# A notebook may hold the map too: a markdown cell with the NOTEBOOK MAP sentinel pair (begin() and
# end() below). Then nav.py fills it, and every Index link points to that notebook instead of the
# README, which `make lab` (JupyterLab rooted at notebooks/) cannot open.
RISE = {"scroll": True, "start_slideshow_at": "beginning"}  # notebook-level jupyterlab-rise options

# Workshop plans for docs/instructor_guide.md. "all": read, run and do every exercise in class;
# "core": read and run in class (code included), exercises as homework; "demo": you run it on the
# projector and talk it through (run + reading time), students rerun it afterwards. Minutes come
# from docs/timings.json and the notebooks themselves (words, lines of code, exercises).
SAVE_NOTE = ("Before it: *File → Download* the open notebook (Binder ends a session idle for 10 minutes; "
             "a sleeping laptop can lose unsaved work).")
PLANS = {
    "3-hour workshop": [
        ("00", "demo", "Everyone does *Run All* along with you: set-up problems surface now, not later."),
        ("01", "core", ""),
        ("02", "core", "The heart of the workshop: shapes and the batch dimension. Do exercises 1 and 2 together "
                       "if the room is on time."),
        ("break", 10, SAVE_NOTE),
        ("03", "core", "Derive 576 / 400 / 192 together; five minutes with the explorer. With 25 minutes to "
                       "spare, end by running 07 on the projector (shut down the other kernels first)."),
    ],
    "Full day": [
        ("00", "core", "Before the start, as people arrive."),
        ("01", "core", ""),
        ("02", "all", ""),
        ("break", 15, "Coffee. " + SAVE_NOTE),
        ("03", "all", ""),
        ("break", 45, "Lunch. On Binder the session is gone after the break: download before, "
                      "launch again and *Upload* after."),
        ("04", "demo", "Walk the graph by hand on the projector; the students rerun it afterwards."),
        ("05", "all", ""),
        ("break", 15, "Coffee. " + SAVE_NOTE),
        ("06", "core", ""),
        ("07", "core", "Shut down every other kernel first (*Running* tab → *Shut Down All*). Run All at the "
                       "start: the training of §5 runs while the room reads §1–§4."),
    ],
}
PLAN_LIMITS = {"3-hour workshop": 180, "Full day": 8 * 60}  # minutes, breaks included (full day: 9:00-17:00)


class NavError(RuntimeError):
    """A notebook, README.md or the guide cannot be processed; the message says what to fix."""


# ---- reading notebooks ----------------------------------------------------------------------

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
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise NavError(f"{path} is not valid notebook JSON ({exc}); fix or re-save it") from exc


def dumps(nb: dict) -> str:
    """The notebook as nbformat writes it (indent 1, sorted keys, UTF-8, final newline)."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def split_lines(text: str) -> list[str]:
    """Source as nbformat stores it: a list of lines, each but the last ending in a newline."""
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


@dataclass
class Notebook:
    path: Path
    number: str
    title: str
    learn: list[str]
    words: int        # words of markdown a student reads (nav cells excluded)
    exercises: int    # cells tagged `exercise`
    code_lines: int = 0  # non-blank lines of code a student reads (solution and Colab cells excluded)

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
        raise NavError(f"{path.name} has no `# Title` heading in a markdown cell: add one (STYLE.md, opening)")
    number = NAME.fullmatch(path.name).group(1)
    return Notebook(path, number, title, learn_bullets(markdown), count_words(markdown),
                    sum("exercise" in tags(c) for c in cells), count_code_lines(cells))


def strip_generated(text: str) -> str:
    """``text`` without the sections nav.py generates (a map a notebook holds is not its prose)."""
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
    """Words a reader reads: link targets, HTML comments and tags dropped, symbols not counted."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "] ", text)      # [text](target) -> text
    text = re.sub(r"<[^>]+>", " ", text)            # html tags
    return len(re.findall(r"\w+(?:['’.-]\w+)*", text))


# ---- timings --------------------------------------------------------------------------------

def load_timings(root: Path = ROOT) -> dict:
    """docs/timings.json (written by tools/timings.py), or an empty record before any measurement."""
    path = root / TIMINGS
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


# ---- links ----------------------------------------------------------------------------------

def binder_url(path: str = "notebooks/00_start_here.ipynb", repo: str = REPO, branch: str = BRANCH) -> str:
    return f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath={quote('lab/tree/' + path, safe='')}"


BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def repo_url(repo: str = REPO) -> str:
    """The address the Colab cell clones."""
    return f"https://github.com/{repo}"


def colab_url(path: str = "notebooks/00_start_here.ipynb", repo: str = REPO, branch: str = BRANCH) -> str:
    """Open a notebook of the repository in Google Colab (its first code cell fetches the rest)."""
    return f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"


def nbgitpuller_url(path: str = "notebooks/00_start_here.ipynb", hub: str = "https://HUB.example.org",
                    repo: str = REPO, branch: str = BRANCH, targetpath: str | None = None) -> str:
    """A link that clones (first click) or pulls (later clicks) the repository on a JupyterHub.

    Without ``targetpath`` nbgitpuller clones into a folder named after the repository; give the
    student copy its own ``targetpath`` so the two never land in one folder.
    """
    folder = targetpath or repo.split("/")[1]
    target = f"&targetpath={quote(targetpath, safe='')}" if targetpath else ""
    return (f"{hub}/hub/user-redirect/git-pull?repo={quote(f'https://github.com/{repo}', safe='')}"
            f"&branch={branch}{target}&urlpath={quote(f'lab/tree/{folder}/{path}', safe='')}")


def github_url(path: str = "", repo: str = REPO, branch: str = BRANCH) -> str:
    return f"https://github.com/{repo}" + (f"/blob/{branch}/{path}" if path else "")


# ---- navigation cells and slides ------------------------------------------------------------

def nav_source(prev: Notebook | None, nxt: Notebook | None, index: str = INDEX_LINK, closing: bool = False) -> str:
    """The navigation cell; the closing one (last cell) adds the save-and-shut-down reminder."""
    parts = []
    if prev:
        parts.append(f"[← {prev.number} · {prev.title}]({prev.name})")
    parts.append(f"[Index]({index})")
    if nxt:
        parts.append(f"[{nxt.number} · {nxt.title} →]({nxt.name})")
    return f"{SENTINEL}\n" + " | ".join(parts) + (f"\n\n{CLOSING_REMINDER}" if closing else "")


def colab_source(repo: str = REPO, branch: str = BRANCH) -> str:
    """The Colab set-up cell: on Colab, fetch the repository once and work in its notebooks/.

    Anywhere else ``"google.colab" in sys.modules`` is False and the cell does nothing, prints
    nothing (its stored output is empty, as strict nbval requires). ``LENET_REPO_URL`` overrides
    the address (the test clones a local copy).
    """
    folder = repo.split("/")[1]
    return f"""{COLAB_SENTINEL} Only on Google Colab: fetch the repository once and work in its notebooks/ folder
# (Colab opens a notebook alone). Anywhere else (your machine, Binder, a hub) this cell does nothing.
import os
import sys

if "google.colab" in sys.modules:
    import subprocess
    from google.colab import output
    if not os.path.exists("helpers.py"):  # not yet in the repository's notebooks/ folder
        if not os.path.isdir("{folder}"):
            url = os.environ.get("{REPO_URL_ENV}", "{repo_url(repo)}")
            subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", "{branch}", url, "{folder}"], check=True)
        os.chdir("{folder}/notebooks")
        sys.path.insert(0, os.getcwd())
    output.enable_custom_widget_manager()  # lets Colab show the notebooks' sliders
    print("On Colab: working in", os.getcwd(), "with Colab's own PyTorch (its outputs may differ slightly)")"""


def colab_cell(text: str, with_id: bool, count: int | None) -> dict:
    cell = {"cell_type": "code", "execution_count": count,
            "metadata": {"slideshow": {"slide_type": "skip"}, "tags": [COLAB_TAG]},
            "outputs": [], "source": split_lines(text)}
    if with_id:
        cell["id"] = "colab-setup"
    return cell


def with_colab_cell(cells: list[dict], text: str, with_id: bool) -> list[dict]:
    """``cells`` (no nav cells) with the Colab cell refreshed, or inserted right after the title cell.

    A new cell in an executed notebook (first code cell counted 1) takes count 1 and every later
    execution count, outputs' included, moves up by one, as if the notebook had been run with it.
    """
    cells = [json.loads(json.dumps(c)) for c in cells]
    existing = [c for c in cells if is_colab(c)]
    if existing:
        cell = existing[0]
        cell["source"], cell["outputs"] = split_lines(text), []
        cell.setdefault("metadata", {})["tags"] = list(dict.fromkeys(tags(cell) + [COLAB_TAG]))
        return [c for c in cells if not is_colab(c) or c is cell]
    code = [c for c in cells if c["cell_type"] == "code"]
    if not code:
        return cells
    executed = code[0].get("execution_count") == 1
    if executed:
        for c in code:
            if isinstance(c.get("execution_count"), int):
                c["execution_count"] += 1
            for out in c.get("outputs", []):
                if isinstance(out.get("execution_count"), int):
                    out["execution_count"] += 1
    title = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and heading_level(c) == 1), None)
    first_code = cells.index(code[0])
    at = title + 1 if title is not None and title < first_code else first_code
    return cells[:at] + [colab_cell(text, with_id, 1 if executed else None)] + cells[at:]


def nav_cell(text: str, cell_id: str, with_id: bool) -> dict:
    cell = {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "skip"}},
            "source": split_lines(text)}
    if with_id:
        cell["id"] = cell_id
    return cell


def heading_level(cell: dict) -> int:
    first = source(cell).lstrip().split("\n", 1)[0]
    m = re.match(r"^(#{1,6})\s", first)
    return len(m.group(1)) if m else 0


def slide_types(cells: list[dict]) -> list[str]:
    """jupyterlab-rise slide type of each cell: one idea per (sub)slide, so its output fits.

    nav cells and the Colab cell: skip. `#`/`##` heading cells and the first cell shown: slide.
    `###` headings, the setup cell (first code cell), a paragraph after a code cell, and a code
    cell after a code cell: subslide (down arrow). A paragraph's own code cell and consecutive
    markdown: - (same subslide). A solution cell thus sits on its own subslide below its
    exercise, revealed only on purpose.
    """
    types, prev, seen_code = [], None, False
    for cell in cells:
        if is_nav(cell) or is_colab(cell):
            types.append("skip")
            continue
        level = heading_level(cell) if cell["cell_type"] == "markdown" else 0
        setup = cell["cell_type"] == "code" and not seen_code
        seen_code = seen_code or cell["cell_type"] == "code"
        if prev is None or level in (1, 2):
            kind = "slide"
        elif level >= 3 or prev == "code" or setup:
            kind = "subslide"
        else:
            kind = "-"
        types.append(kind)
        prev = cell["cell_type"]
    return types


def holds_map(nb: dict) -> bool:
    return any(c["cell_type"] == "markdown" and begin("NOTEBOOK MAP") in source(c) for c in nb.get("cells", []))


def with_nav_and_slides(nb: dict, prev: Notebook | None, nxt: Notebook | None,
                        index: str = INDEX_LINK, notebook_map: str | None = None, name: str = "") -> dict:
    """A copy of ``nb`` with fresh navigation cells first and last and slide metadata set.

    ``notebook_map``: the map to write between the NOTEBOOK MAP sentinels of a markdown cell.
    """
    nb = json.loads(json.dumps(nb))
    with_id = (nb.get("nbformat", 4), nb.get("nbformat_minor", 0)) >= (4, 5)
    text = nav_source(prev, nxt, index)
    cells = with_colab_cell([c for c in nb["cells"] if not is_nav(c)], colab_source(), with_id)
    if notebook_map is not None:
        for cell in cells:
            if cell["cell_type"] == "markdown" and begin("NOTEBOOK MAP") in source(cell):
                cell["source"] = split_lines(replace_between(source(cell), "NOTEBOOK MAP", notebook_map,
                                                             f"a markdown cell of {name}"))
    cells = ([nav_cell(text, "nav-top", with_id)] + cells
             + [nav_cell(nav_source(prev, nxt, index, closing=True), "nav-bottom", with_id)])
    for cell, kind in zip(cells, slide_types(cells)):
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
    nb["cells"] = cells
    nb.setdefault("metadata", {})["rise"] = dict(RISE)
    return nb


# ---- README and guide sections --------------------------------------------------------------

def begin(key: str) -> str:
    return f"<!-- BEGIN {key}: generated by tools/nav.py (make nav), do not edit by hand -->"


def end(key: str) -> str:
    return f"<!-- END {key} -->"


def replace_between(text: str, key: str, body: str, filename: str) -> str:
    b, e = begin(key), end(key)
    if text.count(b) != 1 or text.count(e) != 1 or text.index(b) > text.index(e):
        raise NavError(f"{filename} must contain exactly one pair of lines\n  {b}\n  {e}\n"
                       f"(in that order) where the {key} section goes; add them and run `make nav` again")
    head, rest = text.split(b, 1)
    _, tail = rest.split(e, 1)
    return f"{head}{b}\n{body.strip()}\n{e}{tail}"


def relink(markdown: str) -> str:
    """Rewrite relative links written from notebooks/ so they work from the repository root."""
    def fix(m):
        target = m.group(1)
        if re.match(r"^([a-z]+:|#|/)", target):
            return m.group(0)
        return f"]({posixpath.normpath('notebooks/' + target)})"
    return re.sub(r"\]\(([^)\s]+)\)", fix, markdown)


def cell_text(text: str) -> str:
    return relink(text).replace("|", "\\|")


def fmt_minutes(m: dict | None, key: str = "total") -> str:
    return str(m[key]) if m else "?"


README_BULLETS = 3  # learning bullets per row of the README's map (the notebook itself lists them all)


def readme_map(notebooks: list[Notebook], timings: dict, in_notebook: bool = False) -> str:
    """The table of notebooks: for README.md, or (``in_notebook``) for a notebook's own map."""
    text = (lambda t: t.replace("|", "\\|")) if in_notebook else cell_text
    folder = "" if in_notebook else f"{LEARNER_DIR}/"
    rows = ["| # | Notebook | What you will learn | Minutes |" + ("" if in_notebook else " Open in |"),
            "| --- | --- | --- | ---: |" + ("" if in_notebook else " --- |")]
    for nb in notebooks:
        bullets = nb.learn if in_notebook else nb.learn[:README_BULLETS]
        learn = "<br>".join(f"• {text(b)}" for b in bullets) or "—"
        if len(bullets) < len(nb.learn):
            learn += f"<br>• … and {len(nb.learn) - len(bullets)} more"
        path = learner_path(nb.name)
        rows.append(f"| {nb.number} | [{text(nb.title)}]({folder}{nb.name}) | {learn} | "
                    f"{fmt_minutes(minutes(nb, timings))} |"
                    + ("" if in_notebook else f" [Binder]({binder_url(path)}) · [Colab]({colab_url(path)}) |"))
    total = [minutes(nb, timings) for nb in notebooks]
    known = sum(m["total"] for m in total if m)
    rows.append("")
    guide = "../docs/instructor_guide.md" if in_notebook else "docs/instructor_guide.md"
    rows.append(f"Minutes: {known} in all, exercises included: each notebook's measured run time plus reading its "
                f"text and code and doing its exercises, at the rates stated in [the instructor guide]({guide}#timings).")
    return "\n".join(rows)


def learner_path(name: str = "00_start_here.ipynb") -> str:
    """A notebook of the student copy (no solutions), the one learner links open."""
    return f"{LEARNER_DIR}/{name}"


def readme_badge() -> str:
    return (f"[![Launch on Binder]({BINDER_BADGE})]({binder_url(learner_path())}) "
            f"[![Open in Colab]({COLAB_BADGE})]({colab_url(learner_path())}) "
            f"— repository `{REPO}`, branch `{BRANCH}`.")


def readme_start() -> str:
    """The two commands that start LeNet Lab on a machine with git, make and Python >= 3.10."""
    return (f"```\ngit clone {repo_url()}.git && cd {REPO.split('/')[1]}\n"
            "make lab    # first run: builds .venv from requirements.txt, then opens JupyterLab\n```")


def hours(minutes_: int) -> str:
    return f"{minutes_ // 60} h {minutes_ % 60:02d} min" if minutes_ >= 60 else f"{minutes_} min"


def readme_total(notebooks: list[Notebook], timings: dict) -> str:
    """One sentence: the collection's minutes with and without exercises (for the README's first screen)."""
    known = [minutes(nb, timings) for nb in notebooks]
    if not all(known):
        return "(not measured yet: run `make timings`)"
    return (f"about {hours(sum(m['total'] for m in known))} with every exercise, "
            f"{hours(sum(m['core'] for m in known))} reading and running only")


def guide_links(notebooks: list[Notebook]) -> str:
    rows = [f"Repository: <{github_url()}> (branch `{BRANCH}`; a placeholder until the public "
            f"address is known, set in one place: `REPO` in `tools/nav.py`).",
            "",
            f"[![Launch on Binder]({BINDER_BADGE})]({binder_url()})",
            "",
            "| # | Notebook | Binder | Colab | JupyterHub (nbgitpuller) |",
            "| --- | --- | --- | --- | --- |"]
    for nb in notebooks:
        path = f"notebooks/{nb.name}"
        rows.append(f"| {nb.number} | [{cell_text(nb.title)}]({github_url(path)}) | "
                    f"[launch]({binder_url(path)}) | [open]({colab_url(path)}) | "
                    f"[pull and open]({nbgitpuller_url(path)}) |")
    student = STUDENT_BRANCH
    rows += ["",
             f"These links open the instructor copy, `notebooks/`, solutions included (folded in JupyterLab, "
             f"in plain view on Colab). Learners get the student copy, `{LEARNER_DIR}/` (no solution cells; "
             "`make student` keeps it current): the README's badges and map, notebook 00's map and the "
             "website's launch buttons open it. Give students these:",
             "",
             f"- Binder, student copy: <{binder_url(learner_path())}>",
             f"- Colab, student copy: <{colab_url(learner_path())}>",
             f"- JupyterHub, student copy: <{nbgitpuller_url(branch=student, targetpath=student_folder())}> "
             f"(the `{student}` branch, see *Hand out the student copy* below: a repository without the "
             "instructor copy, cloned into its own folder)",
             "",
             "The hub links use the placeholder `https://HUB.example.org`: replace it with your hub's "
             f"address. They clone into the folder `{REPO.split('/')[1]}`."]
    return "\n".join(rows)


def student_folder(repo: str = REPO) -> str:
    """The folder nbgitpuller clones the student copy into (the main copy goes to the repository's name)."""
    return f"{repo.split('/')[1]}-{STUDENT_BRANCH}"


def guide_timings(notebooks: list[Notebook], timings: dict) -> str:
    wpm, mpe = timings.get("words_per_minute", "?"), timings.get("minutes_per_exercise", "?")
    lpm = timings.get("code_lines_per_minute")
    rows = ["| # | Notebook | Run (s) | CPU (s) | Load | Words | Read (min) | Code lines | Code (min) "
            "| Exercises | Exercise (min) | Core (min) | Total (min) |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for nb in notebooks:
        m = minutes(nb, timings)
        entry = timings.get("notebooks", {}).get(nb.stem, {})
        run, cpu, load = (entry.get(k, "?") for k in ("execute_seconds", "cpu_seconds", "load_average"))
        rows.append(f"| {nb.number} | {cell_text(nb.title)} | {run} | {cpu} | {load} | {nb.words} | "
                    f"{m['read']:.1f} | {nb.code_lines} | {m['code']:.1f} | {nb.exercises} | {m['exercises']} | "
                    f"{m['core']} | {m['total']} |" if m else
                    f"| {nb.number} | {cell_text(nb.title)} | ? | ? | ? | {nb.words} | — | {nb.code_lines} | — | "
                    f"{nb.exercises} | — | ? | ? |")
    known = [minutes(nb, timings) for nb in notebooks]
    if all(known):
        rows.append(f"| | All | {sum(float(timings['notebooks'][nb.stem]['execute_seconds']) for nb in notebooks):.1f} | "
                    f"| | {sum(nb.words for nb in notebooks)} | {sum(m['read'] for m in known):.1f} | "
                    f"{sum(nb.code_lines for nb in notebooks)} | {sum(m['code'] for m in known):.1f} | "
                    f"{sum(nb.exercises for nb in notebooks)} | {sum(m['exercises'] for m in known)} | "
                    f"{sum(m['core'] for m in known)} | {sum(m['total'] for m in known)} |")
    rows += ["",
             f"Run: wall-clock seconds for `tools/timings.py` to execute the notebook top to bottom in a "
             f"fresh `python3` kernel through nbconvert's ExecutePreprocessor, from starting the kernel to "
             f"the last cell's output (the kernel is then stopped at once, as nbval does) "
             f"({timings.get('machine', 'machine not recorded')}); CPU: that kernel's CPU time, all "
             "threads; Load: the machine's load average then (above the 2 cores, other jobs slowed the "
             "run). Read: words of markdown (navigation "
             f"cells excluded) at {wpm} words per minute. Code: non-blank lines of the code cells a student "
             "reads (solutions and the Colab cell excluded)"
             + (f" at {lpm} lines per minute" if lpm else ", not counted (no `code_lines_per_minute` in "
                "docs/timings.json)")
             + f". Exercise: {mpe} minutes per exercise cell. "
             "Core = run + read + code, rounded up (exercises as homework); Total = core + exercises, "
             "rounded up."]
    return "\n".join(rows)


EXERCISE_TITLE = re.compile(r"\*\*Exercise (\d+)(?:: ([^*]+?)| \(([^)]+)\))?\.?\*\*")


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


def exercise_titles(nb: dict) -> list[str]:
    """The titles of the **Exercise N: title.** prompts, in order."""
    markdown = "\n".join(source(c) for c in nb.get("cells", []) if c["cell_type"] == "markdown")
    return [m.group(2) or m.group(3) or "" for m in EXERCISE_TITLE.finditer(markdown)]


def guide_exercises(notebooks: list[Notebook], raw: dict, attempts: dict) -> str:
    rows = ["| Exercise | Kind | Minutes | What it asks | The wrong answer its check catches (`✗` and the hint) |",
            "| --- | --- | --- | --- | --- |"]
    numbers = {nb.number for nb in notebooks}
    for exercise_id in sorted(attempts, key=lambda i: tuple(int(n) for n in i.split("."))):
        entry = attempts[exercise_id]
        if exercise_id.split(".")[0] not in numbers:
            continue
        code = "; ".join(line.strip() for line in entry["wrong"].splitlines())
        rows.append(f"| {exercise_id} | {entry['kind']} | {entry.get('minutes', '')} | {cell_text(entry['title'])} "
                    f"| {cell_text(entry['misconception'])}: `{code}` |")
    return "\n".join(rows)


def plan_schedule(items: list, notebooks: list[Notebook], timings: dict) -> tuple[list, int, list[str]]:
    """(block, minutes, note) rows of one plan, its total minutes, and the notebooks not measured."""
    by_number = {nb.number: nb for nb in notebooks}
    rows, missing = [], []
    for key, mode, note in items:
        if key == "break":
            rows.append(("Break", mode, note))
            continue
        nb = by_number.get(key)
        m = minutes(nb, timings) if nb else None
        if m is None:
            missing.append(key)
            continue
        if mode == "demo":
            how, mins = " (demonstrated: you run it on the projector and talk it through)", math.ceil(m["run"] + m["read"])
        else:
            how = ("" if not nb.exercises else " (exercises in class)" if mode == "all"
                   else " (exercises as homework)")
            mins = m["total" if mode == "all" else "core"]
        rows.append((f"{nb.number} {cell_text(nb.title)}{how}", mins, note))
    return rows, sum(mins for _, mins, _ in rows), missing


def clock(minutes_: int) -> str:
    return f"{minutes_ // 60}:{minutes_ % 60:02d}"


def guide_plans(notebooks: list[Notebook], timings: dict) -> str:
    out = []
    for plan, items in PLANS.items():
        rows, total, missing = plan_schedule(items, notebooks, timings)
        out += [f"**{plan}** — {total} of {PLAN_LIMITS[plan]} minutes, breaks included", "",
                "| Start | Block | Minutes | Notes |", "| ---: | --- | ---: | --- |"]
        at = 0
        for block, mins, note in rows:
            out.append(f"| {clock(at)} | {block} | {mins} | {note} |")
            at += mins
        out.append(f"| {clock(at)} | End | | |")
        if missing:
            out += ["", f"Not yet measured, left out: {', '.join(missing)} (run `make timings`)."]
        planned = {key for key, *_ in items}
        after = [nb for nb in notebooks if nb.number not in planned and minutes(nb, timings)]
        if after:
            out += ["", "Not in this plan, for afterwards: " + ", ".join(
                f"{nb.number} ({minutes(nb, timings)['total']} min)" for nb in after)
                + f" — {sum(minutes(nb, timings)['total'] for nb in after)} minutes with their exercises."]
        out.append("")
    return "\n".join(out)


# ---- the run ----------------------------------------------------------------------------------

def generate(root: Path = ROOT) -> dict[Path, str]:
    """Every file nav.py owns (notebooks, README.md, the guide) mapped to its up-to-date text."""
    paths = notebook_paths(root)
    raw = {p: load(p) for p in paths}
    notebooks = [read_notebook(p, raw[p]) for p in paths]
    timings = load_timings(root)
    out: dict[Path, str] = {}
    holders = [nb for nb in notebooks if holds_map(raw[nb.path])]
    if len(holders) > 1:
        raise NavError("the NOTEBOOK MAP sentinels are in " + " and ".join(nb.name for nb in holders)
                       + ": keep them in one notebook")
    index = holders[0].name if holders else INDEX_LINK
    in_notebook_map = readme_map(notebooks, timings, in_notebook=True)
    for i, nb in enumerate(notebooks):
        prev = notebooks[i - 1] if i > 0 else None
        nxt = notebooks[i + 1] if i + 1 < len(notebooks) else None
        out[nb.path] = dumps(with_nav_and_slides(raw[nb.path], prev, nxt, index,
                                                 in_notebook_map if nb in holders else None, nb.name))
    readme = root / README
    if not readme.exists():
        raise NavError(f"{readme} is missing: restore it (git checkout -- README.md)")
    text = readme.read_text(encoding="utf-8")
    text = replace_between(text, "BINDER BADGE", readme_badge(), README.name)
    text = replace_between(text, "NOTEBOOK MAP", readme_map(notebooks, timings), README.name)
    if "<!-- BEGIN START:" in text:
        text = replace_between(text, "START", readme_start(), README.name)
    if "<!-- BEGIN TOTAL:" in text:
        text = replace_between(text, "TOTAL", readme_total(notebooks, timings), README.name)
    out[readme] = text
    guide = root / GUIDE
    if guide.exists():
        text = guide.read_text(encoding="utf-8")
        text = replace_between(text, "LINKS", guide_links(notebooks), str(GUIDE))
        text = replace_between(text, "TIMINGS", guide_timings(notebooks, timings), str(GUIDE))
        text = replace_between(text, "PLANS", guide_plans(notebooks, timings), str(GUIDE))
        if "<!-- BEGIN EXERCISES:" in text:
            text = replace_between(text, "EXERCISES", guide_exercises(notebooks, raw, load_attempts(root)),
                                   str(GUIDE))
        out[guide] = text
    return out


def stale(root: Path = ROOT) -> list[Path]:
    """Files whose content differs from what `make nav` would write."""
    return [p for p, text in generate(root).items() if p.read_text(encoding="utf-8") != text]


def run(root: Path = ROOT) -> list[Path]:
    """Write every stale file; return the files written."""
    written = []
    for p, text in generate(root).items():
        if p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")
            written.append(p)
    return written


def warnings(root: Path = ROOT) -> list[str]:
    """Gaps the map would show: notebooks without measured minutes or without learning bullets."""
    timings = load_timings(root)
    out = []
    for p in notebook_paths(root):
        if p.stem not in timings.get("notebooks", {}):
            out.append(f"{p.stem} has no measured time in {TIMINGS}: run `make timings`, then `make nav`")
        if not read_notebook(p).learn:
            out.append(f"{p.name} has no bullets under **What you will learn** (STYLE.md, opening)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is stale")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this repository)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            bad = stale(args.root)
            gaps = warnings(args.root)
            for p in bad:
                print(f"stale: {p.relative_to(args.root)} — run `make nav`", file=sys.stderr)
            for gap in gaps:
                print(f"incomplete: {gap}", file=sys.stderr)
            if bad or gaps:
                return 1
            print("navigation, slides, README map and guide tables are up to date")
            return 0
        written = run(args.root)
        for p in written:
            print(f"updated {p.relative_to(args.root)}")
        print(f"{len(written)} file(s) updated" if written else "everything was up to date")
        for gap in warnings(args.root):
            print(f"warning: {gap}", file=sys.stderr)
        return 0
    except NavError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
