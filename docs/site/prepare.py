"""Lay out the website's Sphinx source tree (build/site-src/) from the repository, read-only.

Nothing in notebooks/, README.md or docs/ is changed, and no notebook is executed: the pages
show the outputs stored in the notebooks. What is copied, and how it differs from the original:

* ``index.md``: README.md from its start up to the line ``<!-- END LEARNER PART -->`` (the
  whole README when that marker is absent): the home page.
* ``notebooks/NN_name.ipynb``: every lesson, with
  - each cell tagged ``solution`` also tagged ``hide-cell`` and labelled "Show solution" /
    "Hide solution": myst-nb folds the whole cell (code and output) into a ``<details>``
    element, closed by default;
  - each ipywidgets output (a slider explorer, a tqdm bar) replaced by its static snapshot: a
    note naming the controls and their start values, then what the widget showed when the
    notebook was executed (kept in the notebook's widget state: the Output widget's text and
    figure, an HTML widget's text). The widget state itself is dropped, so that no page loads
    the widget JavaScript (which would come from a CDN).
* ``docs/instructor_guide.md``.

In every markdown text, a relative link to a file that is no page of the site (LICENSE,
requirements.txt, a script) becomes a link to that file on GitHub (tools/lenetlab/settings.py's REPO and
BRANCH), a link to README.md becomes a link to the home page, a relative image is copied
along, and a remote image (the Binder badge) becomes its alt text, so that no page loads
anything from elsewhere. A link to a file that does not exist is left alone: Sphinx then warns, which fails the
build. Files are written only when their content changes, so Sphinx rebuilds only what changed.

Needs the lenetlab package of tools/ (nbformat). Run: python docs/site/prepare.py [SOURCE_DIR]
"""
from __future__ import annotations

import json
import posixpath
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from lenetlab import settings  # noqa: E402  (the ONE place the repository address is set)
from lenetlab.notebooks import notebook_paths  # noqa: E402

SOURCE = ROOT / "build" / "site-src"
README_END = "<!-- END LEARNER PART -->"
GUIDE = "docs/instructor_guide.md"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
SOLUTION_PROMPTS = {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"}

# [text](target) and ![alt](target); the target ends at whitespace or ")" (no nested parentheses
# in this repository's links), an optional "title" may follow.
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?((?:\s+\"[^\"]*\")?\s*)\)")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def pages(root: Path = ROOT) -> dict[str, str]:
    """Repository path -> path in the site's source tree, for every file that is a page."""
    mapping = {"README.md": "index.md", GUIDE: GUIDE}
    for path in notebook_paths(root):
        rel = path.relative_to(root).as_posix()
        mapping[rel] = rel
        mapping[f"{settings.LEARNER_DIR}/{path.name}"] = rel  # the README's map links the student copy
    return mapping


def relink(markdown: str, repo_path: str, site_path: str, root: Path, page_map: dict[str, str],
           copies: set[str]) -> str:
    """Rewrite the relative links of a markdown text written at repo_path, to be placed at site_path."""
    repo_dir, site_dir = posixpath.dirname(repo_path), posixpath.dirname(site_path)

    def fix(m: re.Match) -> str:
        bang, text, target, title = m.groups()
        if bang and SCHEME.match(target):
            return text  # a remote image (a badge) becomes its alt text: the site loads nothing remote
        if not bang and LINK.search(text):  # a link around an image: [![alt](image)](target)
            text = LINK.sub(fix, text)
            if SCHEME.match(target) or target.startswith(("#", "/")):
                return f"[{text}]({target}{title})"
        if SCHEME.match(target) or target.startswith(("#", "/")):
            return m.group(0)
        path, _, anchor = target.partition("#")
        if not path:
            return m.group(0)
        resolved = posixpath.normpath(posixpath.join(repo_dir, path))
        if resolved.startswith(".."):
            return m.group(0)
        suffix = f"#{anchor}" if anchor else ""
        if resolved in page_map:
            new = posixpath.relpath(page_map[resolved], site_dir or ".") + suffix
        elif (root / resolved).is_file() and Path(resolved).suffix.lower() in IMAGE_SUFFIXES:
            copies.add(resolved)
            new = posixpath.relpath(resolved, site_dir or ".")
        elif (root / resolved).exists():
            new = settings.github_url(resolved) + suffix
        else:
            return m.group(0)  # a broken link: Sphinx warns and the build fails
        return f"{bang}[{text}]({new}{title})"

    return LINK.sub(fix, markdown)


def readme_learner_part(text: str) -> str:
    head, found, _ = text.partition(README_END)
    return head if found else text


# ---- widgets: their static snapshot ----------------------------------------------------------

def _model_id(ref) -> str | None:
    return ref[len("IPY_MODEL_"):] if isinstance(ref, str) and ref.startswith("IPY_MODEL_") else None


def _walk(state: dict, model_id: str, seen: set | None = None):
    """The models of a widget and of its children, depth first."""
    seen = seen if seen is not None else set()
    if model_id in seen or model_id not in state:
        return
    seen.add(model_id)
    model = state[model_id]
    yield model
    for child in model.get("state", {}).get("children", []) or []:
        child_id = _model_id(child)
        if child_id:
            yield from _walk(state, child_id, seen)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def widget_snapshot(output: dict, state: dict) -> list[dict]:
    """What replaces one widget-view output: a note, then what the widget showed."""
    model_id = output["data"][WIDGET_VIEW].get("model_id")
    models = list(_walk(state, model_id)) if model_id else []
    controls, shown, texts = [], [], []
    for model in models:
        name, s = model.get("model_name", ""), model.get("state", {})
        if name.endswith("SliderModel") or name in ("DropdownModel", "CheckboxModel", "ToggleButtonModel"):
            value = s.get("value")
            if name == "DropdownModel" and s.get("_options_labels") and s.get("index") is not None:
                value = s["_options_labels"][s["index"]]
            controls.append(f"{s.get('description') or 'value'} = {value}")
        elif name == "OutputModel":
            shown.extend(json.loads(json.dumps(s.get("outputs", []))))
        elif name in ("HTMLModel", "LabelModel", "HTMLMathModel") and s.get("value"):
            texts.append(re.sub(r"<[^>]+>", "", s["value"]).replace("&lt;", "<").replace("&gt;", ">")
                         .replace("&amp;", "&").strip())
        elif name in ("FloatProgressModel", "IntProgressModel") and s.get("max"):
            texts.append(f"{100 * s.get('value', 0) / s['max']:.0f}%")
    outputs = []
    if controls:
        note = ("Interactive explorer (" + ", ".join(controls) + "): shown here as it first drew, at "
                "these start values. To move the sliders, open the notebook with one of the launch "
                "buttons at the top of the page.")
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"text/html": f'<p class="lenet-widget-snapshot">{_html(note)}</p>',
                                 "text/plain": note}})
        for out in shown:  # a figure drawn without alt text gets one naming the start values
            for mime in [m for m in out.get("data", {}) if m.startswith("image/")]:
                meta = out.setdefault("metadata", {}).setdefault(mime, {})
                if not str(meta.get("alt", "")).strip():
                    meta["alt"] = "The explorer's figure at its start values: " + ", ".join(controls) + "."
    if texts:
        outputs.append({"output_type": "stream", "name": "stdout", "text": " ".join(texts) + "\n"})
    return outputs + shown


# ---- notebooks -------------------------------------------------------------------------------

def prepare_notebook(nb: dict, repo_path: str, root: Path, page_map: dict, copies: set) -> dict:
    nb = json.loads(json.dumps(nb))
    state = nb.get("metadata", {}).pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = relink(text, repo_path, repo_path, root, page_map, copies)
            continue
        if cell["cell_type"] != "code":
            continue
        meta = cell.setdefault("metadata", {})
        tags = meta.get("tags", [])
        if "colab-setup" in tags:  # does something only on Colab: not shown on the site
            meta["tags"] = tags + ["remove-cell"]
        if "solution" in tags:
            meta["tags"] = tags + ["hide-cell"]
            meta.setdefault("mystnb", {}).update(SOLUTION_PROMPTS)
        new_outputs = []
        for out in cell.get("outputs", []):
            if WIDGET_VIEW in out.get("data", {}):
                new_outputs.extend(widget_snapshot(out, state))
            else:
                new_outputs.append(out)
        cell["outputs"] = new_outputs
    return nb


def _write(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def prepare(source: Path = SOURCE, root: Path = ROOT) -> list[str]:
    """Write the source tree; return the lessons' paths (in order) relative to it, without suffix."""
    page_map = pages(root)
    copies: set[str] = set()
    wanted: set[Path] = set()

    def put(rel: str, text: str) -> None:
        wanted.add(source / rel)
        _write(source / rel, text)

    readme = readme_learner_part((root / "README.md").read_text(encoding="utf-8"))
    lessons = [rel for rel, page in page_map.items() if rel.endswith(".ipynb") and rel == page]  # not student/ links
    toctree = ("\n\n```{toctree}\n:hidden:\n:caption: Lessons\n\n"
               + "\n".join(posixpath.splitext(rel)[0] for rel in lessons)
               + "\n```\n\n```{toctree}\n:hidden:\n:caption: Teaching\n\n"
               + posixpath.splitext(GUIDE)[0] + "\n```\n")
    put("index.md", relink(readme, "README.md", "index.md", root, page_map, copies).rstrip() + toctree)
    guide = (root / GUIDE).read_text(encoding="utf-8")
    put(GUIDE, relink(guide, GUIDE, GUIDE, root, page_map, copies))
    for rel in lessons:
        nb = json.loads((root / rel).read_text(encoding="utf-8"))
        put(rel, json.dumps(prepare_notebook(nb, rel, root, page_map, copies), ensure_ascii=False, indent=1) + "\n")
    for rel in sorted(copies):
        wanted.add(source / rel)
        target = source / rel
        if not target.exists() or target.read_bytes() != (root / rel).read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, target)
    # a lesson renamed or removed since the last build must not stay a page
    for path in sorted(source.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return [posixpath.splitext(rel)[0] for rel in lessons]


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    print("\n".join(prepare(out.resolve())))
