"""lenet_figures.py's LeNet diagrams (02_lenet): the stages come from the shapes the model really
produces, ReLU and pooling are drawn, map squares are to scale. Counts of artists, not pixels."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from torch import nn  # noqa: E402

import lenet_figures  # noqa: E402
import helpers  # noqa: E402


class FunctionalNet(nn.Module):
    """The blitz's style: pooling, ReLU and flatten as calls in forward, 3x3 kernels, 32x32."""

    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 6, 3), nn.Conv2d(6, 16, 3)
        self.fc1, self.fc2 = nn.Linear(16 * 6 * 6, 20), nn.Linear(20, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), (2, 2))
        return self.fc2(F.relu(self.fc1(x.view(-1, 576))))


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def rectangles(ax, kind):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_label() == kind]


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_lenet_stages_are_the_shapes_shape_trace_reports():
    net, x = helpers.LeNet(), torch.zeros(2, 1, 28, 28)
    stages = lenet_figures.lenet_stages(net, x)
    assert [s["shape"] for s in stages] == [(1, 28, 28), (6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5),
                                           (400,), (120,), (84,), (10,)]
    assert [(s["name"], (2,) + s["shape"]) for s in stages[1:]] == list(helpers.shape_trace(net, x))
    # ReLU keeps the shape, so the trace has no row for it; the stages carry it on the next arrow
    assert [s["ops"].count("ReLU") for s in stages] == [0, 0, 1, 0, 1, 0, 0, 1, 1]
    assert stages[1]["ops"] == ["conv\n5x5\npad 2"] and stages[2]["ops"] == ["ReLU", "max pool\n2x2"]


def test_functional_calls_and_nn_relu_modules_are_found():
    stages = lenet_figures.lenet_stages(FunctionalNet(), torch.zeros(1, 1, 32, 32))
    assert [s["name"] for s in stages] == ["input", "conv1", "max_pool2d()", "conv2", "max_pool2d()",
                                          "view()", "fc1", "fc2"]
    assert stages[2]["ops"] == stages[4]["ops"] == ["ReLU", "max pool\n2x2"]
    assert stages[5]["shape"] == (576,)
    seq = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2 * 13 * 13, 3))
    stages = lenet_figures.lenet_stages(seq, torch.zeros(1, 1, 28, 28))
    assert [s["name"] for s in stages] == ["input", "0", "2", "3", "4"]  # the nn.ReLU "1" is on an arrow
    assert stages[2]["ops"] == ["ReLU", "max pool\n2x2"]


def test_draw_lenet_draws_every_stage_relu_and_pooling_to_scale():
    ax = lenet_figures.draw_lenet()
    maps, vectors = rectangles(ax, "_map"), rectangles(ax, "_vector")
    assert len(maps) == 1 + 4 * 4  # input (1 channel) and C1, S2, C3, S4 (at most 4 squares each)
    assert len(vectors) == 4  # flatten, C5, F6, OUTPUT
    assert len([c for c in ax.get_children() if type(c).__name__ == "Annotation"]) == 8  # 9 stages, 8 arrows
    words = texts(ax)
    assert words.count("ReLU") == 4 and sum("max\npool" in w for w in words) == 2
    assert [w.split("\n")[0] for w in words if "@" in w or w.split("\n")[-1].isdigit()][:9] == [
        "input", "C1", "S2", "C3", "S4", "flatten", "C5", "F6", "OUTPUT"]
    # squares to scale: the front square of each stage, input 28, C1 28, S2 14, C3 10, S4 5
    fronts = [maps[0]] + [maps[i + 3] for i in range(1, 17, 4)]
    sides = [r.get_width() for r in fronts]
    assert sides[1] == pytest.approx(2 * sides[2]) and sides[3] == pytest.approx(2 * sides[4])
    assert sides[0] / sides[3] == pytest.approx(28 / 10)
    assert all(t.get_fontsize() >= 9 for t in ax.texts)


def test_draw_lenet_uses_the_given_axes_model_and_input():
    fig, ax = plt.subplots()
    assert lenet_figures.draw_lenet(FunctionalNet(), torch.zeros(1, 1, 32, 32), ax=ax) is ax
    words = texts(ax)
    assert "view()\n576" in words and "input\n1@32x32" in words and "C1" not in " ".join(words)


def test_draw_lenet_family_shares_one_scale_and_marks_what_feeds_fc1():
    nets = [("32x32", FunctionalNet(), torch.zeros(1, 1, 32, 32)),
            ("28x28", helpers.LeNet(), torch.zeros(1, 1, 28, 28))]
    axes = lenet_figures.draw_lenet_family(nets)
    assert len(axes) == 2 and [ax.get_title(loc="left") for ax in axes] == ["32x32", "28x28"]
    side_32, side_28 = rectangles(axes[0], "_map")[0].get_width(), rectangles(axes[1], "_map")[0].get_width()
    assert side_32 / side_28 == pytest.approx(32 / 28)
    bold = [[t.get_text() for t in ax.texts if t.get_fontweight() == "bold" and t.get_text() != "ReLU"]
            for ax in axes]
    assert bold == [["view()\n576"], ["flatten\n400"]]


def relu_stages(ax) -> list[str]:
    """The stage labels (first line) under each "ReLU" mark, matched by x position."""
    labels = [t for t in ax.texts if t.get_position()[1] < -0.5]
    marks = [t.get_position()[0] for t in ax.texts if t.get_text() == "ReLU"]
    return [min(labels, key=lambda t: abs(t.get_position()[0] - x)).get_text().split("\n")[0] for x in marks]


def test_relu_is_drawn_on_the_stage_it_rectifies_never_on_the_output_by_mistake():
    assert relu_stages(lenet_figures.draw_lenet()) == ["C1", "C3", "C5", "F6"]  # OUTPUT: logits, no ReLU

    relu_on_output = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 6 * 6, 3), nn.ReLU())
    ax = lenet_figures.draw_lenet(relu_on_output, torch.zeros(1, 1, 8, 8))
    assert relu_stages(ax) == ["0", "3"]  # the bug shows on the last stage


def test_layer_labels_stay_between_the_stages_they_join():
    fig, ax = plt.subplots(figsize=(7, 2.0))
    lenet_figures.draw_lenet(helpers.LeNet(), torch.zeros(1, 1, 28, 28), ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [p.get_window_extent(renderer) for p in ax.patches]
    for text in ax.texts:
        if text.get_position()[1] > 0 and text.get_text() != "ReLU":  # a layer label over an arrow
            label = text.get_window_extent(renderer)
            assert not any(label.overlaps(box) for box in boxes), text.get_text()


@pytest.mark.parametrize("channels", [1, 6])
def test_draw_digit_maps_draws_the_digit_then_each_map(channels):
    digit, maps = torch.rand(28, 28), torch.rand(channels, 28, 28)
    axes = lenet_figures.draw_digit_maps(digit, maps, title="label 7")
    assert len(axes) == 1 + channels
    assert axes[0].get_title() == "label 7" and axes[0].images[0].get_cmap().name == "gray"
    for k, ax in enumerate(axes[1:]):
        assert ax.get_title() == f"C1 map {k}" and ax.images[0].get_cmap().name == "viridis"
        assert (ax.images[0].get_array() == maps[k].numpy()).all()


def test_draw_digit_maps_marks_a_map_that_is_0_everywhere():
    maps = torch.rand(3, 28, 28)
    maps[1] = 0
    axes = lenet_figures.draw_digit_maps(torch.rand(28, 28), maps)
    assert [ax.get_title() for ax in axes[1:]] == ["C1 map 0", "C1 map 1\n(all 0)", "C1 map 2"]


def test_draw_digit_maps_shows_each_maximum_when_asked():
    maps = torch.rand(3, 28, 28)
    maps[1] = 0
    maps[2, 0, 0] = 1.16
    axes = lenet_figures.draw_digit_maps(torch.rand(28, 28), maps, show_max=True)
    assert axes[2].get_title() == "C1 map 1\n(all 0)"
    assert axes[3].get_title() == "C1 map 2\nmax 1.16"
    assert axes[1].get_title() == f"C1 map 0\nmax {maps[0].max().item():.2f}"


def test_alt_texts_are_plain_sentences():
    for alt in (lenet_figures.LENET_ALT, lenet_figures.DIGIT_MAPS_ALT, lenet_figures.FAMILY_ALT):
        assert isinstance(alt, str) and 100 < len(alt) < 400 and alt.endswith(".")


def test_draw_digit_crop_boxes_the_crop_and_writes_its_pixels():
    """00_start_here §3: the crop is boxed on the digit, and the right panel writes every pixel of
    grid[r0:r1, c0:c1] at its own row and column, on the same gray scale as the digit."""
    import numpy as np
    grid = np.arange(28 * 28, dtype=np.int64).reshape(28, 28) % 256
    left, right = lenet_figures.draw_digit_crop(grid, rows=(7, 11), cols=(6, 22))
    (box,) = rectangles(left, "crop")
    assert box.get_xy() == (5.5, 6.5) and (box.get_width(), box.get_height()) == (16, 4)
    texts = {(t.get_position(), t.get_text()) for t in right.texts}
    assert len(right.texts) == 4 * 16
    assert texts == {((j, i), str(grid[i, j])) for i in range(7, 11) for j in range(6, 22)}
    assert (right.images[0].get_array() == grid[7:11, 6:22]).all()
    assert [im.get_clim() for im in (left.images[0], right.images[0])] == [(0, 255), (0, 255)]
    assert list(right.get_yticks()) == [7, 8, 9, 10] and list(right.get_xticks()) == list(range(6, 22))
    assert right.get_title() == "grid[7:11, 6:22]: rows 7-10, columns 6-21"


def test_draw_shares_labels_conv1_plus_conv2_in_both_bars():
    net = helpers.LeNet()
    params = {name: sum(p.numel() for p in getattr(net, name).parameters())
              for name in ("conv1", "conv2", "fc1", "fc2", "fc3")}
    mults = {"conv1": 117_600, "conv2": 240_000, "fc1": 48_000, "fc2": 10_080, "fc3": 840}
    ax = lenet_figures.draw_shares(params, mults).axes[0]
    assert "conv1 + conv2: 86 %" in texts(ax) and "conv1 + conv2: 4 %" in texts(ax)
    assert "fc1\n78 %" in texts(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["conv1", "conv2", "fc1", "fc2", "fc3"]
