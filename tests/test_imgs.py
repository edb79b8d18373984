"""imgs/: every picture present, drawn by the current code (`make imgs`), used with alt text.

Pictures are judged by pictures: every one is redrawn here and compared with imgs/, so editing a
docstring or a comment in the drawing code leaves imgs/ current, and a change that moves a pixel
does not. The GIFs must come out byte for byte the same (PIL rectangles and FreeType text: integer
arithmetic, the same bytes on any CPU with the same Pillow and matplotlib). The LeNet PNG is
compared pixel by pixel with a tolerance: matplotlib places its shapes with floating-point
transforms, and its antialiased edges differ in a few pixels between CPU levels.
imgs/manifest.json, written by tools/make_imgs.py, holds each picture's SHA-256 (edited by hand?)
and its alt text.
"""
import hashlib
import json
import re
import sys

import matplotlib
import numpy as np
import PIL
import pytest
import torch
from PIL import Image

from conftest import ROOT
from test_notebook_files import alt_problem, check_markdown_images

import conv_gifs
import figure_style
import make_imgs

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


@pytest.mark.skipif(MANIFEST is None or MANIFEST["versions"] != {"matplotlib": matplotlib.__version__,
                                                                   "Pillow": PIL.__version__},
                    reason="the GIFs were drawn with other Pillow/matplotlib (font) versions")
@pytest.mark.parametrize("name", sorted(make_imgs.ANIMATIONS))
def test_each_gif_redraws_to_the_same_bytes(name, tmp_path):
    spec, _ = make_imgs.ANIMATIONS[name]
    frames, _ = conv_gifs.conv_gif_frames(**spec)
    conv_gifs.save_gif(frames, tmp_path / name)
    assert (tmp_path / name).read_bytes() == (IMGS / name).read_bytes(), f"imgs/{name} is stale: {REMAKE}"


@pytest.mark.parametrize("name", sorted(make_imgs.ANIMATIONS))
def test_each_gif_shows_one_frame_per_output_cell_as_the_formula_and_pytorch_say(name):
    spec, _ = make_imgs.ANIMATIONS[name]
    frames, layout = conv_gifs.conv_gif_frames(**spec)
    make_imgs.check_animation(spec, layout)  # formula == cells drawn == nn.Conv2d / nn.MaxPool2d
    with Image.open(IMGS / name) as gif:
        assert gif.n_frames == len(frames) == layout.out ** 2
        assert gif.info.get("loop") == 0
    assert (IMGS / name).stat().st_size <= 200_000


def test_a_frame_shows_the_taps_the_output_cell_and_the_dropped_cells():
    frames, layout = conv_gifs.conv_gif_frames(size=6, kernel_size=3, stride=2, dilation=1)
    rgb = frames[1].convert("RGB")  # output cell (0, 1): kernel over rows 0-2, columns 2-4
    colour = {k: tuple(int(v[i:i + 2], 16) for i in (1, 3, 5)) for k, v in conv_gifs.GIF_PALETTE.items()}
    assert layout.frames[1]["out"] == (0, 1)
    taps = {(r, c) for r in range(6) for c in range(6) if rgb.getpixel(layout.input_centre(r, c)) == colour["tap"]}
    assert taps == {(r, c) for r in range(3) for c in range(2, 5)} == set(layout.frames[1]["taps"])
    assert layout.unused == [(r, 5) for r in range(5)] + [(5, c) for c in range(6)]
    assert rgb.getpixel(layout.input_centre(5, 0))[0] < 255  # crossed cell: not plain input colour
    out = {(r, c): rgb.getpixel(layout.output_centre(r, c)) for r in range(2) for c in range(2)}
    assert out == {(0, 0): colour["done"], (0, 1): colour["current"], (1, 0): colour["todo"], (1, 1): colour["todo"]}


def test_dilation_leaves_gaps_and_padding_is_drawn_around_the_input():
    frames, layout = conv_gifs.conv_gif_frames(size=7, kernel_size=3, dilation=2)
    rgb = frames[0].convert("RGB")
    tap = tuple(int(conv_gifs.GIF_PALETTE["tap"][i:i + 2], 16) for i in (1, 3, 5))
    taps = {(r, c) for r in range(7) for c in range(7) if rgb.getpixel(layout.input_centre(r, c)) == tap}
    assert taps == {(r, c) for r in (0, 2, 4) for c in (0, 2, 4)}
    frames, layout = conv_gifs.conv_gif_frames(size=5, kernel_size=3, padding=1)
    assert layout.padded == 7 and layout.out == 5 and len(frames) == 25


def test_pooling_values_must_fit_and_the_formula_is_pytorchs():
    with pytest.raises(ValueError):
        conv_gifs.conv_gif_frames(size=4, kernel_size=2, stride=2, values=torch.zeros(3, 3, dtype=torch.long))
    for n, k, s, p, d in [(28, 5, 1, 2, 1), (7, 3, 2, 0, 1), (9, 3, 1, 1, 3), (6, 3, 2, 1, 1)]:
        formula, filled, out = conv_gifs.conv_formula(n, k, s, p, d)
        assert out == torch.nn.Conv2d(1, 1, k, s, p, d)(torch.zeros(1, 1, n, n)).shape[-1]
        assert filled == f"= floor(({n} + 2·{p} − {d}·({k} − 1) − 1) / {s}) + 1 = {out}"


def test_the_lenet_picture_fits_a_page_and_the_readme_column():
    with Image.open(IMGS / make_imgs.LENET[0]) as png:
        assert png.width // figure_style.PIXEL_SCALE <= figure_style.MAX_WIDTH_PX and png.height < png.width / 3


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


def differing_pixels(a: bytes, b: bytes) -> float:
    """The fraction of pixels whose colour differs by more than 32 (of 255) in some channel;
    1.0 when the two images differ in size."""
    import io

    with Image.open(io.BytesIO(a)) as x, Image.open(io.BytesIO(b)) as y:
        if x.size != y.size:
            return 1.0
        dx = torch.from_numpy(np.asarray(x.convert("RGB"), dtype=np.int16))
        dy = torch.from_numpy(np.asarray(y.convert("RGB"), dtype=np.int16))
    return ((dx - dy).abs().amax(dim=-1) > 32).float().mean().item()


def test_the_lenet_diagram_redraws_to_the_same_picture():
    assert differing_pixels(make_imgs.draw_lenet_png(), (IMGS / make_imgs.LENET[0]).read_bytes()) <= 0.002, \
        f"imgs/{make_imgs.LENET[0]} no longer matches what the code draws: {REMAKE}"


def test_the_pixel_comparison_notices_a_changed_diagram():
    import io

    drawn = make_imgs.draw_lenet_png()
    with Image.open(io.BytesIO(drawn)) as image:
        changed = image.convert("RGB")
    for x in range(changed.width // 4, changed.width // 4 + 40):  # a 40 x 40 square ~ what a moved label changes
        for y in range(changed.height // 3, changed.height // 3 + 40):
            changed.putpixel((x, y), (255, 0, 0))
    buffer = io.BytesIO()
    changed.save(buffer, format="png")
    assert differing_pixels(buffer.getvalue(), drawn) > 0.002
