"""The pictures of 03_convolution_arithmetic (conv_figures.py): each draws what its docstring says.

Counted in artists (texts, patches, images), never compared pixel by pixel.
"""
import matplotlib
import pytest
import torch
import torch.nn.functional as F
from matplotlib.patches import Rectangle

import conv_figures
import helpers

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def numbers(ax) -> list[float]:
    return [float(t.get_text()) for t in ax.texts]


@pytest.mark.parametrize("filter, row, col", [(0, 0, 0), (2, 1, 0), (3, 2, 2)])
def test_window_times_kernel_shows_the_window_the_kernel_their_products_and_the_sum(filter, row, col):
    gen = torch.Generator().manual_seed(filter)
    x, w, b = torch.randn(3, 5, 5, generator=gen), torch.randn(4, 3, 3, 3, generator=gen), torch.randn(4, generator=gen)
    fig = conv_figures.draw_window_times_kernel(x, w, b, filter=filter, row=row, col=col)
    axes = fig.axes
    assert len(axes) == 3 * 4  # a row per input channel: the channel, its window, the kernel, the products
    for c in range(3):
        whole, window, kernel, products = axes[4 * c:4 * c + 4]
        assert torch.equal(torch.as_tensor(whole.images[0].get_array()), x[c])
        outline, = whole.patches  # the window, outlined where the kernel lies
        assert (outline.get_x(), outline.get_y(), outline.get_width(), outline.get_height()) == (
            col - 0.5, row - 0.5, 3, 3) and not outline.get_fill()
        assert whole.get_ylabel() == f"channel {c}"
        expected = [x[c, row:row + 3, col:col + 3], w[filter, c], x[c, row:row + 3, col:col + 3] * w[filter, c]]
        for ax, values in zip((window, kernel, products), expected):
            assert len(ax.texts) == 9
            assert numbers(ax) == pytest.approx(values.flatten().tolist(), abs=0.051)
            assert len(ax.images) == 1
        assert products.get_title() == "= products"
    total = F.conv2d(x[None], w, b)[0, filter, row, col].item()
    title = fig._suptitle.get_text()  # "all 27 products add up to P; + bias B = T = output (f, r, c)"
    assert title.startswith("all 27 products add up to ") and title.endswith(f" = output ({filter}, {row}, {col})")
    parts = title.removeprefix("all 27 products add up to ").split(" = ")
    summed, bias = parts[0].split("; + bias ")
    digits = len(parts[1].split(".")[1])
    assert digits >= 3 and float(parts[1]) == pytest.approx(total, abs=10 ** -digits)
    assert f"{float(summed) + float(bias):.{digits}f}" == parts[1]  # the parts add up as printed
    norms = {(ax.images[0].norm.vmin, ax.images[0].norm.vmax) for ax in axes}
    assert len(norms) == 1 and sum(norms.pop()) == 0  # one scale, centred on 0


def test_max_pool_marks_each_windows_maximum_and_shows_the_output():
    grid = torch.tensor([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 2], [2, 6, 1, 1]])
    ax_in, ax_out = conv_figures.draw_max_pool(grid)
    assert numbers(ax_in) == grid.flatten().tolist()
    bold = [float(t.get_text()) for t in ax_in.texts if t.get_fontweight() == "bold"]
    pooled = F.max_pool2d(grid[None, None].float(), 2)[0, 0]
    assert sorted(bold) == sorted(pooled.flatten().tolist())
    assert numbers(ax_out) == pooled.flatten().tolist()
    outlines = [p for p in ax_in.patches if not p.get_fill()]
    assert len(outlines) == 4 and all(p.get_width() == 2 for p in outlines)
    assert len(ax_out.patches) == 4 and ax_out.get_title() == "output 2x2"


def test_receptive_fields_draw_the_padding_and_one_outline_per_field():
    digit = torch.zeros(28, 28, dtype=torch.uint8)
    paths = torch.rand(28, 28)
    fields = {"unit (2, 2)": (6, 6, 16), "unit (0, 0)": (-2, -2, 16)}
    fig = conv_figures.draw_receptive_fields(digit, paths, fields, padding=2, unit="S4 unit (2, 2)")
    ax_digit, ax_paths = fig.axes[:2]
    outlines = [p for p in ax_digit.patches if not p.get_fill()]
    assert [(p.get_x(), p.get_y(), p.get_width()) for p in outlines] == [(5.5, 5.5, 16), (-2.5, -2.5, 16)]
    assert len({p.get_linestyle() for p in outlines}) == 2  # told apart by line style, not colour alone
    padding = [p for p in ax_digit.patches if p.get_fill()]
    assert len(padding) == 1 and (padding[0].get_x(), padding[0].get_width()) == (-2.5, 32)
    assert ax_digit.get_xlim()[0] < -2.5 and ax_digit.get_xlim()[1] > 29.5  # the whole padding in view
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["padding (2 pixels)", *fields]
    assert ax_paths.images[0].get_cmap().name == "viridis"
    assert ax_paths.get_title() == "paths to S4 unit (2, 2)"


def test_draw_conv_ticks_are_readable():
    for ax in conv_figures.draw_conv(28, 5, padding=2):
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            assert label.get_fontsize() >= 9


def test_shifted_maps_show_both_images_and_both_outputs_on_one_scale():
    image = torch.zeros(1, 1, 28, 28)
    image[..., 8:20, 10:14] = 1
    shifted = torch.zeros_like(image)
    shifted[..., 3:] = image[..., :-3]
    kernel = torch.tensor([-1.0, -1, 0, 1, 1]).repeat(5, 1)
    fig = conv_figures.draw_shifted_maps(image, shifted, kernel, shift=3, guide=13)
    axes = fig.axes[:4]
    guides = [[line.get_xdata()[0] for line in ax.lines] for ax in axes]
    assert guides == [[13], [16], [13], [16]]  # the same edge, marked 3 columns further right
    assert 13 in axes[0].get_xticks() and 16 in axes[1].get_xticks()  # each line has its own tick
    assert axes[0].images[0].get_cmap().name == "gray"  # white on black, as every digit of the notebook
    assert torch.equal(torch.as_tensor(axes[1].images[0].get_array()), shifted[0, 0])
    before, after = (torch.as_tensor(ax.images[0].get_array()) for ax in axes[2:4])
    assert torch.equal(before, F.conv2d(image, kernel.view(1, 1, 5, 5), padding=2)[0, 0])
    assert torch.equal(after[:, 3:], before[:, :-3])  # the map moved with the image
    lows, highs = zip(*(ax.images[0].get_clim() for ax in axes[2:4]))
    assert len(set(lows)) == len(set(highs)) == 1 and lows[0] == -highs[0] > -float("inf")
    assert len(fig.axes) == 5  # four panels and one colour bar


def test_receptive_fields_without_paths_draw_the_digit_panel_only():
    fields = {"unit (2, 2)": (6, 6, 16), "unit (0, 0)": (-2, -2, 16)}
    fig = conv_figures.draw_receptive_fields(torch.zeros(28, 28, dtype=torch.uint8), None, fields, padding=2)
    assert len(fig.axes) == 1 and len([p for p in fig.axes[0].patches if not p.get_fill()]) == 2
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["padding (2 pixels)", *fields]


def test_receptive_fields_without_digit_draw_the_paths_panel_only():
    fig = conv_figures.draw_receptive_fields(None, torch.rand(28, 28), {}, unit="S4 unit (2, 2)")
    ax_paths = fig.axes[0]
    assert ax_paths.get_title() == "paths to S4 unit (2, 2)" and ax_paths.images[0].get_cmap().name == "viridis"
    assert not fig.legends and len(fig.axes) == 2  # the panel and its colour bar


def test_field_growth_marks_what_one_lenet_s4_unit_reads_and_labels_r_and_j():
    layers = [("conv1", 5, 1, 2), ("pool1", 2, 2, 0), ("conv2", 5, 1, 0), ("pool2", 2, 2, 0)]
    fig = conv_figures.draw_field_growth(layers, size=28, unit=2)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts if t.get_text().startswith("r =")]
    assert labels == ["r = 1, j = 1", "r = 5, j = 1", "r = 6, j = 2", "r = 14, j = 2", "r = 16, j = 4"]
    orange = [c for c in ax.collections if len(c.get_offsets()) and c.get_sizes()[0] == 22]
    counts = [len(c.get_offsets()) for c in orange]
    assert counts == [16, 12, 6, 2, 1]  # input pixels, conv1, pool1, conv2, pool2 units the S4 unit depends on
    xs = orange[0].get_offsets()[:, 0]
    assert (xs.min(), xs.max()) == (6, 21)  # the 16 input columns field_map measures in the notebook
    plt.close(fig)
