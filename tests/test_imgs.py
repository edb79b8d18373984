"""imgs/: every picture present, drawn by the current code (`make imgs`), used with alt text.

Staleness is decided by imgs/manifest.json, written by tools/make_imgs.py: the SHA-256 of each
picture and of the code that draws them. That holds on any CPU. The GIFs are also redrawn here
and compared byte for byte (PIL rectangles and FreeType text: integer arithmetic, the same bytes
on any CPU with the same Pillow and matplotlib). The LeNet PNG is not: matplotlib places its
shapes with floating-point transforms, and its antialiased edges differ between CPU levels.
"""
import hashlib
import json
import re
import sys

import matplotlib
import PIL
import pytest
import torch
from PIL import Image

import drawing
from conftest import ROOT
from test_notebook_files import alt_problem, check_markdown_images

sys.path.insert(0, str(ROOT / "tools"))
import make_imgs  # noqa: E402

IMGS = ROOT / "imgs"
MANIFEST = json.loads((IMGS / "manifest.json").read_text(encoding="utf-8")) if (IMGS / "manifest.json").exists() else None
REMAKE = "run `make imgs` and commit imgs/"


def test_the_manifest_lists_every_picture_and_every_picture_is_intact():
    assert MANIFEST is not None, f"imgs/manifest.json is missing: {REMAKE}"
    expected = set(make_imgs.ANIMATIONS) | {make_imgs.LENET[0]}
    assert set(MANIFEST["pictures"]) == expected, REMAKE
    assert {p.name for p in IMGS.iterdir()} == expected | {"manifest.json"}, \
        "imgs/ holds only the pictures make_imgs.py draws (and its manifest)"
    for name, entry in MANIFEST["pictures"].items():
        path = IMGS / name
        assert path.is_file(), f"imgs/{name} is missing: {REMAKE}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], \
            f"imgs/{name} is not what make_imgs.py wrote (edited by hand?): {REMAKE}"
        assert alt_problem(entry["alt"]) is None


def test_the_pictures_were_drawn_by_the_current_code():
    assert MANIFEST["code_sha256"] == make_imgs.code_hash(), \
        f"the drawing code changed since imgs/ was drawn ({', '.join(f for f, _ in make_imgs.SOURCES)}): {REMAKE}"


@pytest.mark.skipif(MANIFEST is None or MANIFEST["versions"] != {"matplotlib": matplotlib.__version__,
                                                                   "Pillow": PIL.__version__},
                    reason="the GIFs were drawn with other Pillow/matplotlib (font) versions")
@pytest.mark.parametrize("name", sorted(make_imgs.ANIMATIONS))
def test_each_gif_redraws_to_the_same_bytes(name, tmp_path):
    spec, _ = make_imgs.ANIMATIONS[name]
    frames, _ = drawing.conv_gif_frames(**spec)
    drawing.save_gif(frames, tmp_path / name)
    assert (tmp_path / name).read_bytes() == (IMGS / name).read_bytes(), f"imgs/{name} is stale: {REMAKE}"


@pytest.mark.parametrize("name", sorted(make_imgs.ANIMATIONS))
def test_each_gif_shows_one_frame_per_output_cell_as_the_formula_and_pytorch_say(name):
    spec, _ = make_imgs.ANIMATIONS[name]
    frames, layout = drawing.conv_gif_frames(**spec)
    make_imgs.check_animation(spec, layout)  # formula == cells drawn == nn.Conv2d / nn.MaxPool2d
    with Image.open(IMGS / name) as gif:
        assert gif.n_frames == len(frames) == layout.out ** 2
        assert gif.info.get("loop") == 0
    assert (IMGS / name).stat().st_size <= 200_000


def test_a_frame_shows_the_taps_the_output_cell_and_the_dropped_cells():
    frames, layout = drawing.conv_gif_frames(size=6, kernel_size=3, stride=2, dilation=1)
    rgb = frames[1].convert("RGB")  # output cell (0, 1): kernel over rows 0-2, columns 2-4
    colour = {k: tuple(int(v[i:i + 2], 16) for i in (1, 3, 5)) for k, v in drawing._GIF_PALETTE.items()}
    assert layout.frames[1]["out"] == (0, 1)
    taps = {(r, c) for r in range(6) for c in range(6) if rgb.getpixel(layout.input_centre(r, c)) == colour["tap"]}
    assert taps == {(r, c) for r in range(3) for c in range(2, 5)} == set(layout.frames[1]["taps"])
    assert layout.unused == [(r, 5) for r in range(5)] + [(5, c) for c in range(6)]
    assert rgb.getpixel(layout.input_centre(5, 0))[0] < 255  # crossed cell: not plain input colour
    out = {(r, c): rgb.getpixel(layout.output_centre(r, c)) for r in range(2) for c in range(2)}
    assert out == {(0, 0): colour["done"], (0, 1): colour["current"], (1, 0): colour["todo"], (1, 1): colour["todo"]}


def test_dilation_leaves_gaps_and_padding_is_drawn_around_the_input():
    frames, layout = drawing.conv_gif_frames(size=7, kernel_size=3, dilation=2)
    rgb = frames[0].convert("RGB")
    tap = tuple(int(drawing._GIF_PALETTE["tap"][i:i + 2], 16) for i in (1, 3, 5))
    taps = {(r, c) for r in range(7) for c in range(7) if rgb.getpixel(layout.input_centre(r, c)) == tap}
    assert taps == {(r, c) for r in (0, 2, 4) for c in (0, 2, 4)}
    frames, layout = drawing.conv_gif_frames(size=5, kernel_size=3, padding=1)
    assert layout.padded == 7 and layout.out == 5 and len(frames) == 25


def test_pooling_values_must_fit_and_the_formula_is_pytorchs():
    with pytest.raises(ValueError):
        drawing.conv_gif_frames(size=4, kernel_size=2, stride=2, values=torch.zeros(3, 3, dtype=torch.long))
    for n, k, s, p, d in [(28, 5, 1, 2, 1), (7, 3, 2, 0, 1), (9, 3, 1, 1, 3), (6, 3, 2, 1, 1)]:
        formula, filled, out = drawing.conv_formula(n, k, s, p, d)
        assert out == torch.nn.Conv2d(1, 1, k, s, p, d)(torch.zeros(1, 1, n, n)).shape[-1]
        assert filled == f"= floor(({n} + 2·{p} − {d}·({k} − 1) − 1) / {s}) + 1 = {out}"


def test_the_lenet_picture_fits_a_page_and_the_readme_column():
    with Image.open(IMGS / make_imgs.LENET[0]) as png:
        assert png.width // drawing.PIXEL_SCALE <= drawing.MAX_WIDTH_PX and png.height < png.width / 3


def references():
    """(where, text, folder) of every markdown text that may show a picture from imgs/."""
    yield "README.md", (ROOT / "README.md").read_text(encoding="utf-8"), ROOT
    for md in sorted((ROOT / "docs").glob("*.md")):
        yield md.name, md.read_text(encoding="utf-8"), md.parent
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"{nb.name} cell {i}", "".join(cell["source"]), nb.parent


def test_pictures_from_imgs_are_shown_with_alt_text_and_exist():
    used = set()
    for where, text, folder in references():
        check_markdown_images(text, folder, where)  # alt text, file exists
        used |= set(re.findall(r"imgs/([\w.-]+\.(?:png|gif|svg|jpe?g))", text))
    assert used <= set(MANIFEST["pictures"]), f"referenced but not drawn by make_imgs.py: {used - set(MANIFEST['pictures'])}"


def test_make_imgs_section_finder_finds_each_source_once():
    for name, header in make_imgs.SOURCES:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert make_imgs.section(text, header)


def test_the_code_hash_notices_a_change_in_the_drawing_code(tmp_path):
    for name, _ in make_imgs.SOURCES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert make_imgs.code_hash(tmp_path) == make_imgs.code_hash()
    drawing_py = tmp_path / "notebooks" / "drawing.py"
    drawing_py.write_text(drawing_py.read_text(encoding="utf-8").replace("GIF_CELL = 28", "GIF_CELL = 30"),
                          encoding="utf-8")
    assert make_imgs.code_hash(tmp_path) != make_imgs.code_hash()
