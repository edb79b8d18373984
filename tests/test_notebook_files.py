"""Hygiene of the stored notebooks: what a student opens must be what a fresh kernel prints."""
import base64
import getpass
import json
import re
import struct
from pathlib import Path

import pytest

from conftest import ROOT
from lenetlab.notebooks import NAME, notebook_paths

NOTEBOOKS = notebook_paths(ROOT)
MACHINE_PATH = re.compile(r"/(home|root|work|Users|private)/[A-Za-z0-9_.-]+|[A-Z]:\\\\Users|site-packages")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_the_collection_is_complete_and_named_by_the_one_regex():
    every = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert [p.name for p in NOTEBOOKS] == every, "a notebook in notebooks/ is not named NN_words_in_snake_case.ipynb"
    assert [NAME.fullmatch(p.name).group(1) for p in NOTEBOOKS] == [f"{i:02d}" for i in range(len(NOTEBOOKS))], \
        "the notebooks are not numbered 00, 01, … without a gap"
    assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", NAME.fullmatch(p.name).group(2)) for p in NOTEBOOKS)


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return request.param, load(request.param)


def test_executed_in_order_from_one(notebook):
    path, nb = notebook
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: re-run it with `make execute`"


def test_no_error_outputs(notebook):
    path, nb = notebook
    errors = [o.get("ename") for c in code_cells(nb) for o in c["outputs"] if o["output_type"] == "error"]
    assert errors == []


def test_no_machine_paths_or_user_names_in_outputs(notebook):
    path, nb = notebook
    user = getpass.getuser()
    for cell in code_cells(nb):
        text = json.dumps(cell["outputs"])
        assert not MACHINE_PATH.search(text), (path.name, MACHINE_PATH.search(text).group())
        if user not in ("root",) and len(user) > 2:
            assert user not in text


def test_kernelspec_and_size(notebook):
    path, nb = notebook
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    # About 300 KB each (a Binder or a laptop opens it quickly); 07, with eight figures, half of
    # them in its Going-deeper sections, is the largest at about 313 KB.
    assert path.stat().st_size <= 320_000, f"{path.name} is {path.stat().st_size // 1000} KB: shrink its figures"


def test_every_image_exists_and_has_alt_text(notebook):
    path, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            check_markdown_images("".join(cell["source"]), path.parent, f"{path.name} cell {i}")


# ---- Figures: alt text and displayed size -------------------------------------------------------
# JupyterLab 4.6 shows an image output with the width/height of its metadata and no alt text;
# nbconvert's classic HTML template and the site (docs/site/lenet_site.py) read `alt` from the
# output metadata (`image/png` -> `alt`); text/plain is what a text-only view shows. figure_style.show
# stores all three. An image with no alt is announced as "image" or `<Figure size 800x150 ...>`.

import figure_style  # noqa: E402  (conftest puts notebooks/ on the path)

TRIVIAL_ALT = re.compile(r"\s*(<Figure\b.*|png|jpe?g|gif|svg|image|img|figure|plot|picture|graph|chart|"
                         r"no description has been provided for this image|todo.*|alt.*|\.*)\s*", re.I | re.S)
ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)"
                            r"|<img\b(?P<attrs>[^>]*)>", re.I)


def alt_problem(alt) -> str | None:
    """Why ``alt`` is not a description of a picture (None when it is one)."""
    if not isinstance(alt, str) or not alt.strip():
        return "no alt text"
    if TRIVIAL_ALT.fullmatch(alt) or len(alt.split()) < 3:
        return f"alt text {alt!r} does not say what the picture shows"
    return None


def check_markdown_images(text: str, base: Path, where: str) -> int:
    """Assert every ``![alt](src)`` and ``<img>`` in ``text`` has alt text and, if local, exists."""
    count = 0
    for m in MARKDOWN_IMAGE.finditer(text):
        if m.group("attrs") is not None:
            attrs = {a.group(1).lower(): next(g for g in a.groups()[1:] if g is not None)
                     for a in ATTR.finditer(m.group("attrs"))}
            alt, src = attrs.get("alt"), attrs.get("src", "")
        else:
            alt, src = m.group("alt"), m.group("src")
        problem = alt_problem(alt)
        assert problem is None, f"{where}: image {src}: {problem}"
        if src and not src.startswith(("http:", "https:", "data:", "attachment:")):
            assert (base / src.split("#")[0]).resolve().is_file(), f"{where}: image {src} is missing"
        count += 1
    return count


def image_outputs(nb):
    """(where, output) for every output holding an image: code cells, and the Output widgets
    whose state is stored with the notebook (what a static view shows for an explorer)."""
    for i, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            yield f"cell {i}", output
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model_id, model in state.get("state", {}).items():
        for output in model.get("state", {}).get("outputs", None) or []:
            yield f"widget {model.get('model_name')} {model_id[:8]}", output


def png_size(b64: str) -> tuple[int, int]:
    header = base64.b64decode(b64[:44])
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", header[16:24])


def test_every_figure_has_alt_text_and_displays_at_its_size(notebook):
    path, nb = notebook
    for where, output in image_outputs(nb):
        images = [mime for mime in output.get("data", {}) if mime.startswith("image/")]
        for mime in images:
            meta = (output.get("metadata") or {}).get(mime, {})
            problem = alt_problem(meta.get("alt"))
            assert problem is None, (f"{path.name} {where}: {mime} output: {problem}; show the figure with "
                                     "figure_style.show(fig, alt=\"One sentence saying what it shows.\")")
            text = output["data"].get("text/plain", "")
            assert "".join(text).strip() == meta["alt"].strip(), \
                f"{path.name} {where}: its text/plain should be the alt text"
            if mime == "image/png":
                width, height = png_size("".join(output["data"][mime]))
                assert (meta.get("width"), meta.get("height")) == (width // figure_style.PIXEL_SCALE,
                                                                   height // figure_style.PIXEL_SCALE), \
                    f"{path.name} {where}: a retina PNG needs width/height metadata of half its pixels"
                assert meta["width"] <= figure_style.MAX_WIDTH_PX, \
                    f"{path.name} {where}: {meta['width']} px wide, JupyterLab would shrink its labels"


def test_readme_and_docs_images_exist_and_have_alt_text():
    for md in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        check_markdown_images(md.read_text(encoding="utf-8"), md.parent, md.name)


def test_the_alt_text_checks_reject_what_they_should():
    assert alt_problem("<Figure size 800x150 with 10 Axes>") and alt_problem("png") and alt_problem("")
    assert alt_problem(None) and alt_problem("A plot") and alt_problem(" image ")
    assert alt_problem("Ten test digits, each titled with its label.") is None
    base = ROOT / "notebooks"
    with pytest.raises(AssertionError, match="no alt text"):
        check_markdown_images("![](../README.md)", base, "t")
    with pytest.raises(AssertionError, match="no alt text"):
        check_markdown_images("<img src='../README.md' width=300>", base, "t")
    with pytest.raises(AssertionError, match="missing"):
        check_markdown_images("![LeNet-5, layer by layer, with shapes](../imgs/nothing_here.png)", base, "t")
    assert check_markdown_images("<img alt='The README file, as a stand-in picture' src=\"../README.md\">"
                                 ' and ![The README again, as a picture](../README.md "title")', base, "t") == 2


def test_solution_cells_follow_their_exercise_and_pass_their_check(notebook):
    path, nb = notebook
    cells = nb["cells"]
    for i, cell in enumerate(cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in tags:
            assert "exercise" in cells[i - 1].get("metadata", {}).get("tags", []), f"{path.name}: cell {i}"
            out = "".join("".join(o.get("text", "")) for o in cell["outputs"])
            assert "✓" in out and "✗" not in out, f"{path.name}: solution cell {i} does not pass its check"
