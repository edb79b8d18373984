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
* in README.md: the launch badges, the table of notebooks (title, what you will learn,
  minutes, Binder and Colab links), the total time and the measured memory peaks
  (docs/memory.json, written by `make memory`) and run time (docs/timings.json);
* in docs/instructor_guide.md: the launch links, the minutes per notebook, the two plans and the
  table of exercises with the wrong answer each one catches (from tools/exercises/).

Only text between sentinel comments is generated; everything else in those files is left alone.
Code cells keep their source and outputs: their metadata gains ``slideshow``, and when the Colab
cell is first inserted into an executed notebook it takes execution count 1 and every later count
moves up by one (it prints nothing anywhere but on Colab, so the stored outputs stay exactly what
a fresh kernel prints). A file is written only when its content changes, so a second run changes
nothing.

``python tools/nav.py --check`` writes nothing and exits 1 naming every stale file.
It needs nbformat (in requirements.txt): `make nav` runs it with .venv's Python. The settings,
the lesson list, notebook reading and writing, the minutes and the README and guide tables live
in the lenetlab package beside this script; this script makes the navigation, Colab and slides.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from lenetlab.exercises import load_attempts
from lenetlab.minutes import load_memory, load_timings
from lenetlab.notebooks import (COLAB_SENTINEL, SENTINEL, NavError, Notebook, dumps, is_colab, is_nav,
                                notebook_paths, load, read_notebook, source, split_lines, tags)
from lenetlab.settings import BRANCH, GUIDE, README, REPO, REPO_URL_ENV, ROOT, TIMINGS, repo_url
from lenetlab.tables import (begin, guide_exercises, guide_links, guide_memory, guide_plans, guide_timings,
                             readme_badge, readme_map, readme_start, readme_time, readme_total,
                             replace_between)

COLAB_TAG = "colab-setup"
CLOSING_REMINDER = ("When you finish a notebook: save your work (Binder: *File → Download*; Colab: *File → Save a copy "
                    "in Drive*), then *Kernel → Shut Down Kernel*: every open kernel keeps its memory, and Binder "
                    "gives 1–2 GB for all of them.")
INDEX_LINK = "../README.md#the-notebooks"  # from a notebook in notebooks/ to the README's map
# A notebook may hold the map too: a markdown cell with the NOTEBOOK MAP sentinel pair
# (lenetlab.tables.begin and end). Then nav.py fills it, and every Index link points to that
# notebook instead of the README, which `make lab` (JupyterLab rooted at notebooks/) cannot open.
RISE = {"scroll": True, "start_slideshow_at": "beginning"}  # notebook-level jupyterlab-rise options


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
    if "<!-- BEGIN TIME:" in text:
        text = replace_between(text, "TIME", readme_time(notebooks, timings), README.name)
    out[readme] = text
    guide = root / GUIDE
    if guide.exists():
        text = guide.read_text(encoding="utf-8")
        text = replace_between(text, "LINKS", guide_links(notebooks), str(GUIDE))
        text = replace_between(text, "TIMINGS", guide_timings(notebooks, timings), str(GUIDE))
        text = replace_between(text, "PLANS", guide_plans(notebooks, timings), str(GUIDE))
        if "<!-- BEGIN MEMORY:" in text:
            text = replace_between(text, "MEMORY", guide_memory(notebooks, load_memory(root)), str(GUIDE))
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
            out.append(f"{p.name} has no bullets under **What you will learn** (CONTRIBUTING.md, How a notebook opens)")
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
