"""layer_figures.py's ReLU figure (01_modules_and_layers §3): the thin vertical lines sit where one of
first's outputs crosses 0, and the stack bends there with ReLU, not with nn.Identity()."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import layer_figures  # noqa: E402


def layers():
    torch.manual_seed(5)  # the notebook's seed: all five crossings lie between -2 and 2
    return nn.Linear(1, 5), nn.Linear(5, 3)


def test_sign_changes_are_where_first_outputs_cross_zero():
    first, _ = layers()
    crossings = layer_figures.sign_changes(first)
    assert crossings == sorted(crossings) and all(-2 < c < 2 for c in crossings) and len(crossings) == 5
    with torch.no_grad():
        for c in crossings:  # one output changes sign across each crossing
            below, above = first(torch.tensor([[c - 1e-3]])), first(torch.tensor([[c + 1e-3]]))
            assert ((below > 0) != (above > 0)).sum() == 1
        # and none elsewhere in the range: the signs at the ends differ by the number of crossings
        ends = (first(torch.tensor([[-2.0]])) > 0) != (first(torch.tensor([[2.0]])) > 0)
    assert ends.sum() == len(crossings)
    assert layer_figures.sign_changes(first, 0.0, 2.0) == [c for c in crossings if c > 0]


def test_draw_relu_bends_draws_straight_lines_then_bent_ones_and_a_v():
    first, second = layers()
    fig = layer_figures.draw_relu_bends(first, second)
    left, middle, right = fig.axes
    verticals = [line for line in middle.get_lines() if line.get_label() == "_crossing"]
    assert [line.get_xdata()[0] for line in verticals] == layer_figures.sign_changes(first)
    for ax, straight in ((left, True), (middle, False)):
        curves = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
        assert len(curves) == 3
        bends = [torch.as_tensor(line.get_ydata()).diff().diff().abs().max().item() for line in curves]
        assert (max(bends) < 1e-4) == straight, (ax.get_title(), bends)
    v = right.get_lines()[0].get_ydata()
    assert min(v) < 1e-6 and abs(v[0] - 2) < 1e-6 and abs(v[-1] - 2) < 1e-6
    plt.close(fig)
