"""layer_figures.py's ReLU figure (01_modules_and_layers §3): the thin vertical lines sit where one of
first's outputs crosses 0, and the stack bends there with ReLU, not with nn.Identity()."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import layer_figures  # noqa: E402


def layers():
    torch.manual_seed(0)
    return nn.Linear(4, 5), nn.Linear(5, 3), torch.tensor([[1.0, 2.0, 3.0, 4.0]])


def test_sign_changes_are_where_first_outputs_cross_zero():
    first, _, x = layers()
    crossings = layer_figures.sign_changes(first, x)
    assert crossings == sorted(crossings) and all(-0.5 < c < 0.5 for c in crossings)
    with torch.no_grad():
        for c in crossings:  # one output changes sign across each crossing
            below, above = first((c - 1e-3) * x), first((c + 1e-3) * x)
            assert ((below > 0) != (above > 0)).sum() == 1
        # and none elsewhere in the range: the signs at the ends differ by the number of crossings
        ends = (first(-0.5 * x) > 0) != (first(0.5 * x) > 0)
    assert ends.sum() == len(crossings)
    assert layer_figures.sign_changes(first, x, 0.0, 2.0) == [c for c in crossings if c > 0]


def test_draw_relu_bends_draws_straight_lines_then_bent_ones_and_a_v():
    first, second, x = layers()
    fig = layer_figures.draw_relu_bends(first, second, x)
    left, middle, right = fig.axes
    verticals = [line for line in middle.get_lines() if line.get_label() == "_crossing"]
    assert [line.get_xdata()[0] for line in verticals] == layer_figures.sign_changes(first, x)
    for ax, straight in ((left, True), (middle, False)):
        curves = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
        assert len(curves) == 3
        bends = [torch.as_tensor(line.get_ydata()).diff().diff().abs().max().item() for line in curves]
        assert (max(bends) < 1e-4) == straight, (ax.get_title(), bends)
    v = right.get_lines()[0].get_ydata()
    assert min(v) < 1e-6 and abs(v[0] - 2) < 1e-6 and abs(v[-1] - 2) < 1e-6
    plt.close(fig)
