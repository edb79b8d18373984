#!/usr/bin/env python3
"""Draw the pictures in imgs/ (`make imgs`): the LeNet-5 diagram and the convolution GIFs.

    imgs/lenet5.png              lenet_figures.draw_lenet(): helpers.LeNet on one 28x28 digit, every
                                 shape from a real forward pass, ReLU and pooling drawn
    imgs/conv_*.gif, maxpool_*   conv_gifs.conv_gif_frames(): input, kernel footprint and output
                                 grid, one frame per output cell, the size formula filled in
    imgs/manifest.json           per picture its SHA-256 and alt text (tests/test_imgs.py redraws
                                 every picture and fails when one no longer matches imgs/)

Before writing, each animation's formula result is checked against the output cells it draws
and against the shape a real nn.Conv2d (nn.MaxPool2d) gives. Drawing is deterministic: the GIFs
are PIL rectangles and DejaVu Sans text in a fixed palette; the PNG is matplotlib's Agg.

    python tools/make_imgs.py              write imgs/
    python tools/make_imgs.py --out DIR    write DIR/ instead (to compare)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "notebooks"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import PIL  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import conv_gifs  # noqa: E402
import figure_style  # noqa: E402
import lenet_figures  # noqa: E402

POOL_VALUES = [[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 7, 4]]

# name: (what the conv_gif_frames call gets, alt text)
ANIMATIONS = {
    "conv_no_padding.gif": (
        dict(size=4, kernel_size=3, title="No padding, stride 1"),
        "Animation: a 3x3 kernel slides over a 4x4 input one cell at a time; it fits in 2 positions "
        "per row and per column, so the output is 2x2."),
    "conv_padding.gif": (
        dict(size=5, kernel_size=3, padding=1, title="Padding 1 keeps the size"),
        "Animation: a 5x5 input with a border of zero padding one cell wide; a 3x3 kernel visits "
        "every cell, overhanging the padding at the edges, and the output is 5x5 like the input."),
    "conv_stride_2.gif": (
        dict(size=5, kernel_size=3, stride=2, padding=1, title="Stride 2"),
        "Animation: a 3x3 kernel moves two cells at a time over a 5x5 input padded by 1, so the "
        "output is 3x3."),
    "conv_stride_2_floor.gif": (
        dict(size=6, kernel_size=3, stride=2, title="Stride 2 leaves a row and a column out"),
        "Animation: a 3x3 kernel moves two cells at a time over a 6x6 input; a third step would "
        "overhang the edge, so the last row and column are never covered and the output is 2x2."),
    "conv_dilation_2.gif": (
        dict(size=7, kernel_size=3, dilation=2, title="Dilation 2"),
        "Animation: a 3x3 kernel with dilation 2 takes every other cell, spanning 5x5 cells of a "
        "7x7 input, so the output is 3x3."),
    "maxpool_2x2.gif": (
        dict(size=4, kernel_size=2, stride=2, title="2x2 max-pool, stride 2", values=POOL_VALUES),
        "Animation: a 2x2 window moves two cells at a time over a 4x4 grid of numbers and keeps "
        "the largest of each window (6, 5, 3, 7), giving a 2x2 output."),
}
LENET = ("lenet5.png", "LeNet-5 as helpers.LeNet builds it: a 1x28x28 digit, conv 5x5 with padding 2 "
         "to 6 maps of 28x28, ReLU, 2x2 max-pool to 14x14, conv 5x5 to 16 maps of 10x10, ReLU, "
         "max-pool to 5x5, flattened to 400, then linear layers of 120 and 84 with ReLU and 10 outputs.")

def check_animation(spec: dict, layout) -> None:
    """The formula, the cells drawn and PyTorch must agree on the output size."""
    n, k = spec["size"], spec["kernel_size"]
    s, p, d = spec.get("stride", 1), spec.get("padding", 0), spec.get("dilation", 1)
    _, filled, out = conv_gifs.conv_formula(n, k, s, p, d)
    layer = (nn.MaxPool2d(k, s, p, d) if "values" in spec else nn.Conv2d(1, 1, k, s, p, d))
    with torch.no_grad():
        shape = tuple(layer(torch.zeros(1, 1, n, n)).shape[-2:])
    drawn = sorted({f["out"] for f in layout.frames})
    assert filled.endswith(f"= {out}") and layout.out == out, (filled, layout.out)
    assert shape == (out, out) and drawn == [(r, c) for r in range(out) for c in range(out)], (shape, drawn)
    if "values" in spec:
        pooled = layer(torch.tensor(spec["values"], dtype=torch.float32)[None, None])[0, 0]
        assert pooled.tolist() == [[6.0, 5.0], [3.0, 7.0]], pooled


def draw_lenet_png() -> bytes:
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():
        figure_style.use_style()
        fig, ax = plt.subplots(figsize=(7, 2.0))
        lenet_figures.draw_lenet(ax=ax)
        ax.text(sum(ax.get_xlim()) / 2, ax.get_ylim()[1] + 0.55, "LeNet-5 (helpers.LeNet): every shape "
                "from a forward pass of one 28x28 digit", ha="center", va="bottom", fontsize=11, clip_on=False)
        data, _, _ = figure_style.figure_png(fig)
        plt.close(fig)
    return data


def make(out: Path) -> dict:
    """Write every picture into ``out`` and return the manifest (also written there)."""
    out.mkdir(parents=True, exist_ok=True)
    pictures = {}
    for name, (spec, alt) in ANIMATIONS.items():
        frames, layout = conv_gifs.conv_gif_frames(**spec)
        check_animation(spec, layout)
        conv_gifs.save_gif(frames, out / name)
        pictures[name] = alt
    (out / LENET[0]).write_bytes(draw_lenet_png())
    pictures[LENET[0]] = LENET[1]
    manifest = {
        "made_by": "tools/make_imgs.py (make imgs)",
        "versions": {"matplotlib": matplotlib.__version__, "Pillow": PIL.__version__},
        "pictures": {name: {"sha256": hashlib.sha256((out / name).read_bytes()).hexdigest(),
                            "bytes": (out / name).stat().st_size, "alt": alt}
                     for name, alt in sorted(pictures.items())},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "imgs", help="folder to write (default imgs/)")
    args = parser.parse_args()
    manifest = make(args.out)
    for name, entry in manifest["pictures"].items():
        print(f"{args.out.name}/{name}: {entry['bytes'] / 1000:.1f} KB")


if __name__ == "__main__":
    main()
