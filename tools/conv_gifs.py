"""The convolution and max-pool animations of imgs/ (drawn by tools/make_imgs.py), in the
way vdumoulin's conv_arithmetic draws them: the (padded) input below left, the kernel's footprint
shaded on it, the output grid beside it, one frame per output cell. Plain PIL rectangles and
text in ``figure_style``'s colours: small GIFs, the same bytes on every run.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from figure_style import OKABE_ITO, PALE

GIF_CELL = 28
"""Side of one grid cell in the convolution GIFs, in pixels."""
GIF_PALETTE = {"background": "#ffffff", "text": "#000000", "grid": "#7f7f7f", "input": PALE["blue"],
               "tap": OKABE_ITO[0], "done": PALE["green"], "current": OKABE_ITO[2], "todo": "#ffffff",
               "max": OKABE_ITO[5], "grey1": "#404040", "grey2": "#9f9f9f", "grey3": "#dfdfdf",
               "tap_text": "#ffffff", "unused": "#cfcfcf"}


@dataclass
class ConvLayout:
    """Where ``conv_gif_frames`` put things: the padded input's and the output's top-left
    corners and sides in cells, the cell size, and per frame the output cell and its taps."""
    input_xy: tuple[int, int]
    output_xy: tuple[int, int]
    padded: int
    out: int
    cell: int
    frames: list[dict] = field(default_factory=list)
    unused: list[tuple[int, int]] = field(default_factory=list)  # (row, col) never under the kernel

    def input_centre(self, row: int, col: int) -> tuple[int, int]:
        return (self.input_xy[0] + col * self.cell + self.cell // 2, self.input_xy[1] + row * self.cell + self.cell // 2)

    def output_centre(self, row: int, col: int) -> tuple[int, int]:
        return (self.output_xy[0] + col * self.cell + self.cell // 2, self.output_xy[1] + row * self.cell + self.cell // 2)


def conv_formula(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 dilation: int = 1) -> tuple[str, str, int]:
    """The output-size formula, the same with the numbers filled in, and its result, e.g.
    ``("floor((n + 2p − d(k − 1) − 1) / s) + 1", "floor((4 + 2·0 − 1·(3 − 1) − 1) / 1) + 1 = 2", 2)``.
    Raises ``ValueError`` as ``helpers.conv_output_size`` does. Introduced in 03_convolution_arithmetic.
    """
    from helpers import conv_output_size

    n, k, s, p, d = size, kernel_size, stride, padding, dilation
    out = conv_output_size(n, k, s, p, d)
    return ("output size = floor((n + 2p − d(k − 1) − 1) / s) + 1",
            f"= floor(({n} + 2·{p} − {d}·({k} − 1) − 1) / {s}) + 1 = {out}", out)


def _gif_font(size: int, bold: bool = False):
    """DejaVu Sans from matplotlib's own fonts: the same glyphs on every machine."""
    from pathlib import Path

    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), size)


def conv_gif_frames(size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1,
                    title: str = "", values: torch.Tensor | None = None, cell: int = GIF_CELL):
    """The frames of a convolution (or, with ``values``, max-pool) animation and their layout.

    One frame per output cell, row by row: the input (light blue, ``size`` x ``size``) with its
    padding (white, dashed) below left; the kernel's taps on it in dark blue (with dilation, the
    cells between taps stay light) inside the outline of its span; thin lines to the output grid
    on the right, where finished cells are light green, the current one dark green and the rest
    white. Above: ``title``, the output-size formula and the formula with the numbers filled in
    (without dilation, d = 1, in section 2's form ``floor((n + 2p − k) / s) + 1``).
    With ``values`` (a ``size`` x ``size`` integer tensor) each input cell shows its number, the
    window's largest is ringed in vermillion and each finished output cell shows its maximum.
    Input cells the kernel never reaches (the floor in the formula drops them) are grey, crossed.
    The heading is ``title`` followed by the numbers n, k, p, s (and d when it is not 1).
    Returns ``(frames, layout)``: palette ("P") PIL images and a ``ConvLayout``.
    Introduced in 03_convolution_arithmetic; draws imgs/*.gif.
    """
    from PIL import Image, ImageDraw

    n, k, s, p, d = size, kernel_size, stride, padding, dilation
    formula, filled, out = conv_formula(n, k, s, p, d)
    if d == 1:  # section 2's form: dilation appears only in the dilation animation
        formula, filled = "output size = floor((n + 2p − k) / s) + 1", f"= floor(({n} + 2·{p} − {k}) / {s}) + 1 = {out}"
    if values is not None:
        values = torch.as_tensor(values)
        if tuple(values.shape) != (n, n) or p:
            raise ValueError(f"values must be {n}x{n} and padding 0 for a pooling picture")
    full, span = n + 2 * p, d * (k - 1) + 1
    covered = {(r * s + i, c * s + j) for r in range(out) for c in range(out)
               for i in range(span) for j in range(span)}
    layout_unused = sorted({(r, c) for r in range(p, p + n) for c in range(p, p + n)} - covered)
    colour = {name: tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for name, h in GIF_PALETTE.items()}
    # captions at 18 and 16 px: readable on a projector at the GIF's own width; numbers in cells at 15
    text, small, bold, big = _gif_font(18), _gif_font(16), _gif_font(18, bold=True), _gif_font(15)
    margin, gap, top = 16, 3 * cell, 16 + 3 * 27 + 14
    numbers = f"n={n}, k={k}, p={p}, s={s}" + (f", d={d}" if d != 1 else "")
    heading = f"{title}: {numbers}" if title else numbers
    width = max(margin * 2 + (full + out) * cell + gap, 20 + int(text.getlength(filled)) + 2 * margin,
                8 + int(text.getlength(formula)) + 2 * margin, 8 + int(bold.getlength(heading)) + 2 * margin)
    height = top + full * cell + 46 + (21 if layout_unused else 0)
    layout = ConvLayout(input_xy=(margin, top), output_xy=(margin + full * cell + gap, top + (full - out) * cell // 2),
                        padded=full, out=out, cell=cell)
    layout.unused = layout_unused
    unused = set(layout_unused)
    pal = Image.new("P", (1, 1))
    flat = [v for c in colour.values() for v in c]
    pal.putpalette(flat + flat[:3] * (256 - len(colour)))
    frames = []
    for index in range(out * out):
        row, col = divmod(index, out)
        taps = [(row * s + i, col * s + j) for i in range(0, span, d) for j in range(0, span, d)]
        image = Image.new("RGB", (width, height), colour["background"])
        draw = ImageDraw.Draw(image)
        draw.text((margin, 12), heading, font=bold, fill=colour["text"])
        draw.text((margin, 12 + 29), formula, font=text, fill=colour["text"])
        draw.text((margin + 12, 12 + 56), filled, font=text, fill=colour["text"])
        x0, y0 = layout.input_xy
        for r in range(full):
            for c in range(full):
                box = [x0 + c * cell, y0 + r * cell, x0 + (c + 1) * cell, y0 + (r + 1) * cell]
                inside = p <= r < p + n and p <= c < p + n
                fill = colour["tap"] if (r, c) in taps else colour["input"] if inside else colour["background"]
                draw.rectangle(box, fill=colour["unused"] if (r, c) in unused else fill)
                if (r, c) in unused:  # never under the kernel: grey, crossed out
                    draw.line([box[0] + 6, box[1] + 6, box[2] - 6, box[3] - 6], fill=colour["grey1"], width=2)
                    draw.line([box[0] + 6, box[3] - 6, box[2] - 6, box[1] + 6], fill=colour["grey1"], width=2)
                if inside:
                    draw.rectangle(box, outline=colour["grid"])
                else:  # padding: a dashed outline
                    for t in range(0, cell, 6):
                        draw.line([box[0] + t, box[1], min(box[0] + t + 3, box[2]), box[1]], fill=colour["grid"])
                        draw.line([box[0] + t, box[3], min(box[0] + t + 3, box[2]), box[3]], fill=colour["grid"])
                        draw.line([box[0], box[1] + t, box[0], min(box[1] + t + 3, box[3])], fill=colour["grid"])
                        draw.line([box[2], box[1] + t, box[2], min(box[1] + t + 3, box[3])], fill=colour["grid"])
                if values is not None:
                    v = int(values[r - p, c - p])
                    window = [int(values[i - p, j - p]) for i, j in taps]
                    ring = (r, c) in taps and v == max(window) and [(i, j) for i, j in taps
                                                                    if int(values[i - p, j - p]) == v][0] == (r, c)
                    if ring:
                        draw.ellipse([box[0] + 3, box[1] + 3, box[2] - 3, box[3] - 3], outline=colour["max"], width=3)
                    draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), str(v), font=big, anchor="mm",
                              fill=colour["tap_text"] if (r, c) in taps else colour["text"])
        fx0, fy0 = x0 + col * s * cell, y0 + row * s * cell
        draw.rectangle([fx0, fy0, fx0 + span * cell, fy0 + span * cell], outline=colour["text"], width=2)
        ox, oy = layout.output_xy
        for r in range(out):
            for c in range(out):
                box = [ox + c * cell, oy + r * cell, ox + (c + 1) * cell, oy + (r + 1) * cell]
                state = "current" if (r, c) == (row, col) else "done" if r * out + c < index else "todo"
                draw.rectangle(box, fill=colour[state], outline=colour["grid"])
                if values is not None and state != "todo":
                    rr, cc = r * s, c * s
                    v = max(int(values[rr + i - p, cc + j - p]) for i in range(0, span, d) for j in range(0, span, d))
                    draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), str(v), font=big, anchor="mm",
                              fill=colour["tap_text"] if state == "current" else colour["text"])
        cx = ox + col * cell
        draw.rectangle([cx, oy + row * cell, cx + cell, oy + (row + 1) * cell], outline=colour["text"], width=2)
        for fy, cy in ((fy0, oy + row * cell), (fy0 + span * cell, oy + (row + 1) * cell)):
            draw.line([fx0 + span * cell, fy, cx, cy], fill=colour["grey2"], width=1)
        below = y0 + full * cell + 8
        notes = [f"input {n}x{n}" + (f", padding {p} (dashed)" if p else "")]
        notes += ["crossed: never under the kernel"] if unused else []
        for i, note in enumerate(notes):
            draw.text((x0, below + 21 * i), note, font=small, fill=colour["text"])
        draw.text((ox, max(below, oy + out * cell + 8)), f"output {out}x{out}", font=small, fill=colour["text"])
        frames.append(image.quantize(palette=pal, dither=Image.Dither.NONE))
        layout.frames.append({"out": (row, col), "taps": taps})
    return frames, layout


def save_gif(frames, path, ms: int = 700, last_ms: int = 1800) -> None:
    """Write ``frames`` as a looping GIF: ``ms`` per frame, ``last_ms`` on the last one.
    Introduced in 03_convolution_arithmetic; used by tools/make_imgs.py."""
    durations = [ms] * (len(frames) - 1) + [last_ms]
    frames[0].save(path, format="GIF", save_all=True, append_images=frames[1:], duration=durations,
                   loop=0, optimize=False, disposal=1)
