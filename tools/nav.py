#!/usr/bin/env python3
"""Generate what must never be typed by hand: navigation, slide metadata and the notebook map.

`make nav` (this script) updates, from the notebooks themselves and docs/timings.json:

* in every ``notebooks/NN_name.ipynb``: the previous | index | next navigation cell, first and
  last (markdown starting with ``<!--NAV-->``; re-running replaces it, never duplicates it), and
  the slide metadata jupyterlab-rise reads (``cell.metadata.slideshow.slide_type``, and the
  notebook's ``metadata.rise`` options);
* in README.md: the table of notebooks (title, what you will learn, minutes, launch link);
* in docs/instructor_guide.md: the launch links, the minutes per notebook, the two plans and the
  table of exercises with the wrong answer each one catches (from tools/exercise_attempts.py).

Only text between sentinel comments is generated; everything else in those files is left alone.
Code cells keep their source, outputs and execution counts: only their metadata gains
``slideshow``. A file is written only when its content changes, so a second run changes nothing.

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

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"(\d\d)_(.*)\.ipynb")  # the one regex every notebook name matches
SENTINEL = "<!--NAV-->"
TIMINGS = Path("docs/timings.json")
README = Path("README.md")
GUIDE = Path("docs/instructor_guide.md")
ATTEMPTS = Path("tools/exercise_attempts.py")  # the walk-through's attempts, one per exercise
INDEX_LINK = "../README.md#the-notebooks"  # from a notebook in notebooks/ to the README's map
# A notebook may hold the map too: a markdown cell with the NOTEBOOK MAP sentinel pair (begin() and
# end() below). Then nav.py fills it, and every Index link points to that notebook instead of the
# README, which `make lab` (JupyterLab rooted at notebooks/) cannot open.
RISE = {"scroll": True, "start_slideshow_at": "beginning"}  # notebook-level jupyterlab-rise options

# Workshop plans for docs/instructor_guide.md. "all": read, run and do every exercise in class;
# "core": read and run in class, exercises as homework. Minutes come from docs/timings.json.
PLANS = {
    "3-hour workshop": [
        ("00", "core", "Everyone runs it in the first minutes: set-up problems surface now, not in 07."),
        ("01", "core", ""),
        ("02", "all", "The heart of the workshop: shapes and the batch dimension."),
        ("03", "core", "Derive 576 / 400 / 192 together; five minutes with the explorer."),
        ("break", 10, ""),
        ("04", "core", "Walk the graph by hand; the drawing, the dynamic graph and the vector-Jacobian product as reading."),
        ("05", "all", ""),
        ("06", "core", ""),
        ("07", "core", "Run All first: the training of §5 runs while you talk through §1–§4."),
    ],
    "Full day": [
        ("00", "all", "Before the start, as people arrive."),
        ("01", "all", ""),
        ("02", "all", ""),
        ("break", 15, "Coffee."),
        ("03", "all", ""),
        ("04", "all", ""),
        ("break", 60, "Lunch."),
        ("05", "all", ""),
        ("06", "all", ""),
        ("break", 15, "Coffee."),
        ("07", "all", ""),
        ("08", "all", ""),
    ],
}
PLAN_LIMITS = {"3-hour workshop": 180, "Full day": 7 * 60}  # minutes, breaks included


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


@dataclass
class Notebook:
    path: Path
    number: str
    title: str
    learn: list[str]
    words: int        # words of markdown a student reads (nav cells excluded)
    exercises: int    # cells tagged `exercise`

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
                    sum("exercise" in tags(c) for c in cells))


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
    """Run, read and exercise minutes and their total (rounded up), or None when not measured.

    run = measured execution seconds / 60 (docs/timings.json); read = markdown words / the
    words-per-minute rate; exercises = exercise cells x minutes per exercise.
    """
    entry = timings.get("notebooks", {}).get(nb.stem)
    if not entry or "execute_seconds" not in entry:
        return None
    run = entry["execute_seconds"] / 60
    read = nb.words / timings["words_per_minute"]
    exercises = nb.exercises * timings["minutes_per_exercise"]
    return {"run": run, "read": read, "exercises": exercises, "core": math.ceil(run + read),
            "total": math.ceil(run + read + exercises)}


# ---- links ----------------------------------------------------------------------------------

def binder_url(path: str = "notebooks/00_start_here.ipynb", repo: str = REPO, branch: str = BRANCH) -> str:
    return f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath={quote('lab/tree/' + path, safe='')}"


BINDER_BADGE = "https://mybinder.org/badge_logo.svg"


def nbgitpuller_url(path: str = "notebooks/00_start_here.ipynb", hub: str = "https://HUB.example.org",
                    repo: str = REPO, branch: str = BRANCH) -> str:
    folder = repo.split("/")[1]  # nbgitpuller clones into a folder named after the repository
    return (f"{hub}/hub/user-redirect/git-pull?repo={quote(f'https://github.com/{repo}', safe='')}"
            f"&branch={branch}&urlpath={quote(f'lab/tree/{folder}/{path}', safe='')}")


def github_url(path: str = "", repo: str = REPO, branch: str = BRANCH) -> str:
    return f"https://github.com/{repo}" + (f"/blob/{branch}/{path}" if path else "")


# ---- navigation cells and slides ------------------------------------------------------------

def nav_source(prev: Notebook | None, nxt: Notebook | None, index: str = INDEX_LINK) -> str:
    parts = []
    if prev:
        parts.append(f"[← {prev.number} · {prev.title}]({prev.name})")
    parts.append(f"[Index]({index})")
    if nxt:
        parts.append(f"[{nxt.number} · {nxt.title} →]({nxt.name})")
    return f"{SENTINEL}\n" + " | ".join(parts)


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

    nav cells: skip. `#`/`##` heading cells and the first cell shown: slide (a new column).
    `###` headings, the setup cell (first code cell), a paragraph after a code cell, and a code
    cell after a code cell: subslide (down arrow). A paragraph's own code cell and consecutive
    markdown: - (same subslide). A solution cell thus sits on its own subslide below its
    exercise, revealed only on purpose.
    """
    types, prev, seen_code = [], None, False
    for cell in cells:
        if is_nav(cell):
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
    cells = [c for c in nb["cells"] if not is_nav(c)]
    if notebook_map is not None:
        for cell in cells:
            if cell["cell_type"] == "markdown" and begin("NOTEBOOK MAP") in source(cell):
                cell["source"] = split_lines(replace_between(source(cell), "NOTEBOOK MAP", notebook_map,
                                                             f"a markdown cell of {name}"))
    cells = [nav_cell(text, "nav-top", with_id)] + cells + [nav_cell(text, "nav-bottom", with_id)]
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


def readme_map(notebooks: list[Notebook], timings: dict, in_notebook: bool = False) -> str:
    """The table of notebooks: for README.md, or (``in_notebook``) for a notebook's own map."""
    text = (lambda t: t.replace("|", "\\|")) if in_notebook else cell_text
    folder = "" if in_notebook else "notebooks/"
    rows = ["| # | Notebook | What you will learn | Minutes |" + ("" if in_notebook else " Run |"),
            "| --- | --- | --- | ---: |" + ("" if in_notebook else " --- |")]
    for nb in notebooks:
        learn = "<br>".join(f"• {text(b)}" for b in nb.learn) or "—"
        rows.append(f"| {nb.number} | [{text(nb.title)}]({folder}{nb.name}) | {learn} | "
                    f"{fmt_minutes(minutes(nb, timings))} |"
                    + ("" if in_notebook else f" [Binder]({binder_url('notebooks/' + nb.name)}) |"))
    total = [minutes(nb, timings) for nb in notebooks]
    known = sum(m["total"] for m in total if m)
    rows.append("")
    guide = "../docs/instructor_guide.md" if in_notebook else "docs/instructor_guide.md"
    rows.append(f"Minutes: {known} in all, exercises included: each notebook's measured run time plus its reading "
                f"and exercises at the rates stated in [the instructor guide]({guide}#timings).")
    return "\n".join(rows)


def readme_badge() -> str:
    return (f"[![Launch on Binder]({BINDER_BADGE})]({binder_url()}) "
            f"— the notebooks in your browser, nothing to install (repository: `{REPO}`, branch `{BRANCH}`).")


def guide_links(notebooks: list[Notebook]) -> str:
    rows = [f"Repository: <{github_url()}> (branch `{BRANCH}`; a placeholder until the public "
            f"address is known, set in one place: `REPO` in `tools/nav.py`).",
            "",
            f"[![Launch on Binder]({BINDER_BADGE})]({binder_url()})",
            "",
            "| # | Notebook | Binder | JupyterHub (nbgitpuller) |",
            "| --- | --- | --- | --- |"]
    for nb in notebooks:
        path = f"notebooks/{nb.name}"
        rows.append(f"| {nb.number} | [{cell_text(nb.title)}]({github_url(path)}) | "
                    f"[launch]({binder_url(path)}) | [pull and open]({nbgitpuller_url(path)}) |")
    rows += ["",
             "The hub links use the placeholder `https://HUB.example.org`: replace it with your hub's "
             "address. The student copy (see *Hand out the student copy* below) opens with:",
             "",
             f"    {nbgitpuller_url(branch=STUDENT_BRANCH)}"]
    return "\n".join(rows)


def guide_timings(notebooks: list[Notebook], timings: dict) -> str:
    wpm, mpe = timings.get("words_per_minute", "?"), timings.get("minutes_per_exercise", "?")
    rows = ["| # | Notebook | Run (s) | CPU (s) | Load | Words | Read (min) | Exercises | Exercise (min) "
            "| Core (min) | Total (min) |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for nb in notebooks:
        m = minutes(nb, timings)
        entry = timings.get("notebooks", {}).get(nb.stem, {})
        run, cpu, load = (entry.get(k, "?") for k in ("execute_seconds", "cpu_seconds", "load_average"))
        rows.append(f"| {nb.number} | {cell_text(nb.title)} | {run} | {cpu} | {load} | {nb.words} | "
                    f"{m['read']:.1f} | {nb.exercises} | {m['exercises']} | {m['core']} | {m['total']} |" if m else
                    f"| {nb.number} | {cell_text(nb.title)} | ? | ? | ? | {nb.words} | — | {nb.exercises} | — | ? | ? |")
    rows += ["",
             f"Run: wall-clock seconds for `tools/timings.py` to execute the notebook top to bottom in a "
             f"fresh `python3` kernel through nbconvert's ExecutePreprocessor "
             f"({timings.get('machine', 'machine not recorded')}); CPU: that kernel's CPU time, all "
             "threads; Load: the machine's load average then (above the 2 cores, other jobs slowed the "
             "run). Read: words of markdown (navigation "
             f"cells excluded) at {wpm} words per minute. Exercise: {mpe} minutes per exercise cell. "
             "Core = run + read, rounded up (exercises as homework); Total = run + read + exercises, "
             "rounded up."]
    return "\n".join(rows)


EXERCISE_TITLE = re.compile(r"\*\*Exercise (\d+)(?:: ([^*]+?)| \(([^)]+)\))?\.?\*\*")


def load_attempts(root: Path = ROOT) -> dict:
    """ATTEMPTS of tools/exercise_attempts.py, read as a literal (nothing is executed); {} if absent."""
    path = root / ATTEMPTS
    if not path.exists():
        return {}
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["ATTEMPTS"]:
            return ast.literal_eval(node.value)
    raise NavError(f"{path} has no `ATTEMPTS = {{...}}`")


def exercise_titles(nb: dict) -> list[str]:
    """The titles of the **Exercise N: title.** prompts, in order."""
    markdown = "\n".join(source(c) for c in nb.get("cells", []) if c["cell_type"] == "markdown")
    return [m.group(2) or m.group(3) or "" for m in EXERCISE_TITLE.finditer(markdown)]


def guide_exercises(notebooks: list[Notebook], raw: dict, attempts: dict) -> str:
    rows = ["| Exercise | What it asks | The wrong answer its check catches (`✗` and the hint) |",
            "| --- | --- | --- |"]
    for nb in notebooks:
        titles = exercise_titles(raw[nb.path])
        for i, (misconception, wrong, _) in enumerate(attempts.get(nb.stem, []), start=1):
            title = titles[i - 1] if i <= len(titles) else "?"
            code = "; ".join(line.strip() for line in wrong.splitlines())
            rows.append(f"| {nb.number}.{i} | {cell_text(title)} | {cell_text(misconception)}: `{code}` |")
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
        how = "" if not nb.exercises else " (exercises in class)" if mode == "all" else " (exercises as homework)"
        rows.append((f"{nb.number} {cell_text(nb.title)}{how}", m["total" if mode == "all" else "core"], note))
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
