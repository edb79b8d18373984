"""Tests for the convolution explorer's helpers (03_convolution_arithmetic), checked against torch."""
import random

import matplotlib
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import conv_figures
import helpers

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

SLIDERS = ["input size", "kernel", "stride", "padding", "dilation", "out row", "out col"]


def real_conv_shape(n, k, s, p, d):
    """nn.Conv2d's output shape, or the exception it raises."""
    try:
        return tuple(nn.Conv2d(1, 1, k, s, p, d)(torch.zeros(1, 1, n, n)).shape)
    except RuntimeError as exc:
        return exc


def random_configs(count, seed):
    rng = random.Random(seed)
    return [(rng.randint(1, 16), rng.randint(1, 7), rng.randint(1, 4), rng.randint(0, 3), rng.randint(1, 3))
            for _ in range(count)]


def test_describe_conv_text_for_lenet_c1_without_padding():
    assert conv_figures.describe_conv(28, 5) == (
        "output size = floor((n + 2p - d(k - 1) - 1) / s) + 1\n"
        "n=28, k=5, p=0, s=1, d=1: floor((28 + 2*0 - 1*(5 - 1) - 1) / 1) + 1 = floor(23 / 1) + 1 = 24\n"
        "padded input n + 2p = 28, kernel span d(k - 1) + 1 = 5\n"
        "nn.Conv2d(1, 1, kernel_size=5, stride=1, padding=0, dilation=1) maps (1, 1, 28, 28) to (1, 1, 24, 24)")


@pytest.mark.parametrize("n, k, s, p, d", random_configs(150, seed=3))
def test_describe_conv_agrees_with_nn_conv2d(n, k, s, p, d):
    lines = conv_figures.describe_conv(n, k, stride=s, padding=p, dilation=d).splitlines()
    real = real_conv_shape(n, k, s, p, d)
    assert lines[0] == "output size = floor((n + 2p - d(k - 1) - 1) / s) + 1"
    numbers = lines[1] if isinstance(real, tuple) else lines[2]  # invalid: the reason comes first
    assert numbers.startswith(f"n={n}, k={k}, p={p}, s={s}, d={d}: floor(({n} + 2*{p} - {d}*({k} - 1) - 1) / {s})")
    if isinstance(real, tuple):
        assert numbers.endswith(f" = {real[-1]}")
        assert lines[-1].endswith(f"maps (1, 1, {n}, {n}) to {real}")
        assert not any(line.startswith("invalid:") for line in lines)
    else:
        with pytest.raises(ValueError) as reason:
            helpers.conv_output_size(n, k, s, p, d)
        assert lines[1] == f"invalid: {reason.value}"
        assert int(numbers.rsplit("= ", 1)[1]) <= 0  # the formula itself says: no output
        assert lines[-1].endswith(f"refuses it too: {str(real).splitlines()[0]}")


@pytest.mark.parametrize("kwargs, reason", [
    (dict(stride=0), "stride must be >= 1, got 0"), (dict(padding=-1), "padding must be >= 0, got -1"),
    (dict(dilation=0), "dilation must be >= 1, got 0"), (dict(kernel_size=0), "kernel_size must be >= 1, got 0"),
    (dict(size=2.5), "size must be an int, got 2.5")])
def test_describe_conv_says_which_argument_is_invalid(kwargs, reason):
    text = conv_figures.describe_conv(**(dict(size=5, kernel_size=3) | kwargs))
    assert text.splitlines()[1:] == [f"invalid: {reason}"]


@pytest.mark.parametrize("n, k, s, p, d", [c for c in random_configs(80, seed=4)
                                           if c[3] * 2 + c[0] >= c[4] * (c[1] - 1) + 1])
def test_describe_conv_floor_note_matches_the_pixels_torch_never_reads(n, k, s, p, d):
    x = torch.zeros(1, 1, n + 2 * p, n + 2 * p, requires_grad=True)  # the padded input, explicitly
    F.conv2d(x, torch.ones(1, 1, k, k), stride=s, dilation=d).sum().backward()
    read = x.grad[0, 0].abs().sum(0) > 0  # columns any kernel tap touches
    unread = len(read) - 1 - int(read.nonzero().max())
    text = conv_figures.describe_conv(n, k, s, p, d)
    note = f"the floor drops {unread}: the last " + ("row and column" if unread == 1 else f"{unread} rows and columns")
    assert (note in text) == (unread > 0)
    gaps = [i for i in range(len(read) - unread) if not read[i]]  # inside the reach, between dilated taps
    assert (f"step over {len(gaps)} " in text and "never read: " + ", ".join(map(str, gaps)) + " (" in text) == bool(gaps)


def test_describe_conv_leaves_the_random_state_alone():
    torch.manual_seed(0)
    before = torch.get_rng_state()
    conv_figures.describe_conv(28, 5, padding=2)
    conv_figures.describe_conv(5, 7)
    assert torch.equal(torch.get_rng_state(), before)


def make_explorer():
    """The notebook's explorer (its figures are closed after each test)."""
    return conv_figures.conv_explorer()


def last_output(capsys):
    """The text of the last update: everything after the last clear_output escape."""
    return capsys.readouterr().out.split("\x1b[2K\r")[-1]


@pytest.mark.parametrize("changes", [
    {"input size": 28, "kernel": 5, "padding": 2, "stride": 1},
    {"kernel": 7, "padding": 0, "input size": 5},
    {"dilation": 3, "stride": 3, "input size": 16},
    {"padding": 3, "kernel": 1, "out row": 15}])
def test_explorer_through_ipywidgets_interactive(capsys, changes):
    explorer = make_explorer()
    sliders = {c.description: c for c in explorer.children if hasattr(c, "description") and c.description}
    assert list(sliders) == SLIDERS
    assert last_output(capsys) == conv_figures.describe_conv(7, 3, 2, 1, 1) + "\n"
    for name, value in changes.items():
        sliders[name].value = value
    v = {name: s.value for name, s in sliders.items()}
    expected = conv_figures.describe_conv(v["input size"], v["kernel"], v["stride"], v["padding"], v["dilation"])
    assert last_output(capsys) == expected + "\n"
    assert explorer.kwargs == dict(size=v["input size"], kernel=v["kernel"], padding=v["padding"],
                                   stride=v["stride"], dilation=v["dilation"], out_row=v["out row"],
                                   out_col=v["out col"])
    assert ("invalid:" in expected) == isinstance(
        real_conv_shape(v["input size"], v["kernel"], v["stride"], v["padding"], v["dilation"]), Exception)
    plt.close("all")


@pytest.mark.parametrize("n, k, s, p, d", random_configs(40, seed=5))
def test_draw_conv_footprint_is_what_torch_reads(n, k, s, p, d):
    full = n + 2 * p
    if d * (k - 1) + 1 > full:
        return
    out = helpers.conv_output_size(n, k, s, p, d)
    row, col = random.Random(n * k).randrange(out), out - 1
    ax_in, ax_out = conv_figures.draw_conv(n, k, s, p, d, out_row=row, out_col=col)
    codes = torch.as_tensor(ax_in.images[0].get_array())
    x = torch.zeros(1, 1, full, full, requires_grad=True)  # the padded input, explicitly
    F.conv2d(x, torch.ones(1, 1, k, k), stride=s, dilation=d)[0, 0, row, col].backward()
    assert torch.equal(codes >= 2, x.grad[0, 0] != 0)
    padding = torch.ones(full, full, dtype=torch.bool)
    padding[p:p + n, p:p + n] = False
    assert torch.equal(codes % 2 == 0, padding)
    chosen = torch.as_tensor(ax_out.images[0].get_array())
    assert chosen.shape == (out, out) and chosen.nonzero().tolist() == [[row, col]]
    assert ax_out.get_title() == f"output {out}x{out}, cell ({row}, {col})"
    plt.close("all")


def test_draw_conv_says_it_moved_an_outside_position_and_shows_an_invalid_kernel():
    _, ax_out = conv_figures.draw_conv(7, 3, 2, 1, out_row=99, out_col=-3)
    assert ax_out.get_title() == "output 4x4, cell (3, 0)\n(asked (99, -3) is outside:\nthe nearest cell)"
    _, ax_out = conv_figures.draw_conv(7, 3, 2, 1, out_row=3, out_col=0)
    assert ax_out.get_title() == "output 4x4, cell (3, 0)"
    ax_in, ax_out = conv_figures.draw_conv(5, 7)
    assert ax_in.get_title() == "padded input 5x5: kernel span 7 > 5" and ax_out.get_title() == "no output"
    assert int((torch.as_tensor(ax_in.images[0].get_array()) >= 2).sum()) == 25  # every pixel under it
    with pytest.raises(ValueError, match="stride must be >= 1"):
        conv_figures.draw_conv(5, 3, stride=0)
    plt.close("all")


def test_the_explorer_figure_fits_the_display_width_for_every_setting_near_lenets():
    """figure_style.show refuses a figure wider than MAX_WIDTH_PX: the explorer must never hit it."""
    import figure_style
    figure_style.use_style()
    widest = 0
    for size, kernel in ((7, 3), (28, 3), (32, 7)):
        for padding in (0, 2, 3):
            for stride in (1, 3):
                for out_row, out_col in ((1, 2), (0, 9), (38, 38)):
                    axes = conv_figures.draw_conv(size, kernel, stride, padding, 1, out_row, out_col)
                    assert axes[0].figure.get_layout_engine() is None, "a layout engine can move the axes"
                    widest = max(widest, figure_style.figure_png(axes[0].figure)[1])
                    plt.close("all")
    assert widest <= figure_style.MAX_WIDTH_PX - 60, f"the explorer's figure reaches {widest} px"


@pytest.mark.parametrize("n, k, s, p, d", [(8, 3, 2, 0, 1), (28, 5, 2, 0, 1), (7, 3, 2, 1, 1), (28, 5, 1, 2, 1),
                                           (8, 3, 2, 0, 2), (9, 2, 3, 1, 2), (12, 3, 4, 0, 3), (10, 3, 1, 1, 2)])
def test_draw_conv_crosses_out_exactly_the_cells_torch_never_reads(n, k, s, p, d):
    ax_in, _ = conv_figures.draw_conv(n, k, s, p, d)
    crossed = {(int(y), int(x)) for line in ax_in.lines for x, y in zip(*line.get_data())}
    grads = torch.zeros(1, 1, n + 2 * p, n + 2 * p, requires_grad=True)
    F.conv2d(grads, torch.ones(1, 1, k, k), stride=s, dilation=d).sum().backward()  # 0 where no kernel tap reads
    unread = {(r, c) for r, c in (grads.grad[0, 0] == 0).nonzero().tolist()}
    assert crossed == unread
    plt.close("all")
