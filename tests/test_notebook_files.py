"""Hygiene of the stored notebooks: what a student opens must be what a fresh kernel prints."""
import getpass
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["00_start_here", "01_modules_and_layers", "02_lenet", "03_convolution_arithmetic",
            "04_autograd_graph", "05_loss_and_backward", "06_manual_weight_updates",
            "07_training_lenet_on_mnist", "08_modular_cnns_and_inspection"]
MACHINE_PATH = re.compile(r"/(home|root|work|Users|private)/[A-Za-z0-9_.-]+|[A-Z]:\\\\Users|site-packages")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)|<img\b(?P<attrs>[^>]*)>")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_the_collection_is_complete_and_named_by_the_one_regex():
    names = [p.stem for p in NOTEBOOKS]
    assert names == EXPECTED
    assert all(re.fullmatch(r"(\d\d)_(.*)", n) for n in names)


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
    assert path.stat().st_size <= 300_000, f"{path.name} is {path.stat().st_size // 1000} KB: shrink its figures"


def test_every_image_exists_and_has_alt_text(notebook):
    path, nb = notebook
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for m in IMAGE.finditer("".join(cell["source"])):
            if m.group("attrs") is not None:
                attrs = m.group("attrs")
                alt = re.search(r'alt="([^"]+)"', attrs)
                src = re.search(r'src="([^"]+)"', attrs).group(1)
                assert alt and alt.group(1).strip(), f"{path.name}: <img src={src}> has no alt text"
            else:
                src = m.group("src")
                assert m.group("alt").strip(), f"{path.name}: image {src} has no alt text"
            if not src.startswith(("http:", "https:", "data:", "attachment:")):
                assert (path.parent / src).resolve().exists(), f"{path.name}: image {src} is missing"


def test_solution_cells_follow_their_exercise_and_pass_their_check(notebook):
    path, nb = notebook
    cells = nb["cells"]
    for i, cell in enumerate(cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in tags:
            assert "exercise" in cells[i - 1].get("metadata", {}).get("tags", []), f"{path.name}: cell {i}"
            out = "".join("".join(o.get("text", "")) for o in cell["outputs"])
            assert "✓" in out and "✗" not in out, f"{path.name}: solution cell {i} does not pass its check"
