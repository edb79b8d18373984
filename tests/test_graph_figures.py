"""graph_figures.py: the backward graph of 04_autograd_graph, checked against a walk of
``grad_fn.next_functions``, and its drawing (every node, readable, arrows parent to child)."""
import pytest
import torch
from torch import nn

import graph_figures
import helpers


def _walk(fn, seen):
    """Reference: every grad_fn reachable through next_functions, by identity."""
    if fn is None or any(fn is s for s in seen):
        return
    seen.append(fn)
    for child, _ in fn.next_functions:
        _walk(child, seen)


def test_autograd_graph_of_lenet_matches_a_grad_fn_walk():
    net = helpers.LeNet()
    loss = nn.MSELoss()(net(torch.randn(2, 1, 28, 28)), torch.randn(2, 10))
    params = dict(net.named_parameters())
    graph = graph_figures.autograd_graph(loss, params)
    seen = []
    _walk(loss.grad_fn, seen)
    assert len(graph.nodes) == len(seen) and all(any(n.fn is s for s in seen) for n in graph.nodes)
    assert graph.nodes[0].name == "MseLossBackward0"
    n_edges = sum(c is not None for s in seen for c, _ in s.next_functions)
    assert len(graph.edges) == n_edges
    leaves = {n.label: n for n in graph.nodes if n.name == "AccumulateGrad"}
    assert set(leaves) == set(params)
    assert all(leaves[name].fn.variable is p for name, p in params.items())
    for parent, child in graph.edges:
        assert any(graph.nodes[child].fn is c for c, _ in graph.nodes[parent].fn.next_functions)


def test_autograd_graph_small_and_shared_nodes():
    w = torch.tensor(2.0, requires_grad=True)
    y = w * w + w  # w feeds two ops: its AccumulateGrad appears once, with three edges into it
    graph = graph_figures.autograd_graph(y)
    names = sorted(n.name for n in graph.nodes)
    assert names == ["AccumulateGrad", "AddBackward0", "MulBackward0"]
    acc = next(i for i, n in enumerate(graph.nodes) if n.name == "AccumulateGrad")
    assert sum(child == acc for _, child in graph.edges) == 3
    assert graph.nodes[acc].label is None


def test_autograd_graph_rejects_a_tensor_without_graph():
    with pytest.raises(ValueError, match="no grad_fn.*no_grad"):
        graph_figures.autograd_graph(torch.ones(2, requires_grad=True))
    with torch.no_grad():
        y = torch.ones(2, requires_grad=True) * 2
    with pytest.raises(ValueError, match="no grad_fn"):
        graph_figures.autograd_graph(y)


def test_draw_autograd_graph_draws_every_node():
    import matplotlib
    matplotlib.use("Agg")
    net = helpers.LeNet()
    loss = net(torch.randn(1, 1, 28, 28)).sum()
    ax = graph_figures.draw_autograd_graph(loss, dict(net.named_parameters()))
    texts = [t.get_text() for t in ax.texts if t.get_text()]  # arrows are empty annotations
    graph = graph_figures.autograd_graph(loss)
    assert len(texts) == len(graph.nodes)
    assert "AccumulateGrad\nconv1.weight" in texts and texts.count("SumBackward0") == 1


def _drawn(tensor, params=None, ax=None):
    """Draw, render, and return (graph, boxes in display pixels, arrows, axes)."""
    import matplotlib
    matplotlib.use("Agg")
    ax = graph_figures.draw_autograd_graph(tensor, params, ax=ax)
    ax.figure.canvas.draw()
    boxes = [t.get_bbox_patch().get_window_extent() for t in ax.texts if t.get_text()]
    arrows = [t for t in ax.texts if not t.get_text()]
    return graph_figures.autograd_graph(tensor, params), boxes, arrows, ax


def _lenet_loss():
    torch.manual_seed(0)
    net = helpers.LeNet()
    return nn.MSELoss()(net(torch.randn(1, 1, 28, 28)), torch.randn(1, 10)), dict(net.named_parameters())


def test_drawn_lenet_graph_is_readable():
    import matplotlib.pyplot as plt
    loss, params = _lenet_loss()
    graph, boxes, arrows, ax = _drawn(loss, params)
    width, height = ax.figure.get_size_inches()
    assert width <= 8 and height <= 7  # fits a notebook page
    frame = ax.figure.bbox
    for k, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1, k
        assert not any(a.overlaps(b) for b in boxes[k + 1:]), graph.nodes[k]
    assert len(arrows) == len(graph.edges)
    centers = [b.x0 + b.width / 2 for b in boxes]
    spine = [centers[i] for i, n in enumerate(graph.nodes) if n.name != "AccumulateGrad" and n.name != "TBackward0"]
    assert max(spine) - min(spine) < 1  # the chain from the loss to conv1 is one straight column
    plt.close(ax.figure)


def test_drawn_arrows_run_from_parent_to_child_and_end_at_the_boxes():
    import matplotlib.pyplot as plt
    loss, params = _lenet_loss()
    graph, boxes, arrows, ax = _drawn(loss, params)
    to_px = ax.transData.transform
    for (parent, child), arrow in zip(graph.edges, arrows):
        assert boxes[parent].contains(*to_px(arrow.xyann)) and boxes[child].contains(*to_px(arrow.xy))
        inside = [boxes[parent].padded(-2), boxes[child].padded(-2)]
        for x, y in arrow.arrow_patch.get_path().vertices:  # clipped at the boxes: heads visible
            assert not any(box.contains(x, y) for box in inside)
    plt.close(ax.figure)


def test_drawn_small_graph_rows_and_skipping_edges():
    import matplotlib.pyplot as plt
    w = torch.tensor(2.0, requires_grad=True)
    y = w * w + w  # Add -> Mul -> AccumulateGrad twice, and Add -> AccumulateGrad skipping a row
    graph, boxes, arrows, ax = _drawn(y)
    row, _ = graph_figures._graph_layout(graph)
    for parent, child in graph.edges:
        assert row[child] > row[parent]
    for child in range(1, len(graph.nodes)):  # one row below its deepest parent
        assert row[child] == 1 + max(row[p] for p, c in graph.edges if c == child)
    mul = next(i for i, n in enumerate(graph.nodes) if n.name == "MulBackward0")
    add = next(i for i, n in enumerate(graph.nodes) if n.name == "AddBackward0")
    for (parent, child), arrow in zip(graph.edges, arrows):
        if parent == add and child != mul:  # bows around the Mul box instead of crossing it
            assert not arrow.arrow_patch.get_path().intersects_bbox(boxes[mul], filled=False)
    styles = {str(a.arrow_patch.get_connectionstyle().rad) for (p, c), a in zip(graph.edges, arrows) if p == mul}
    assert len(styles) == 2  # the two Mul -> AccumulateGrad edges are drawn apart
    plt.close(ax.figure)


def test_draw_autograd_graph_on_given_axes_side_by_side():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(8, 3))
    x = torch.ones(3, requires_grad=True)
    for ax, y in zip(axes, [(x * 2).sum(), (x.exp() * x.sin()).sum()]):
        assert graph_figures.draw_autograd_graph(y, ax=ax) is ax
    assert tuple(fig.get_size_inches()) == (8, 3)
    plt.close(fig)


@pytest.mark.parametrize("heights, offsets", [
    ([0, 5, 1], [1, 0, -1]), ([5, 0, 0], [0, -1, 1]), ([0, 0], [-0.5, 0.5]), ([3], [0]),
    ([0, 2, 0, 0, 1], [-1, 0, 1, 2, -2])])
def test_child_offsets_keep_the_deepest_child_straight_below(heights, offsets):
    assert graph_figures._child_offsets(heights) == offsets


def test_drawn_diamond_of_a_tensor_used_twice():
    """04's fan-out figure: w used by 3w and by w², the two paths meeting at one AccumulateGrad,
    drawn on one row each, side by side, without overlapping boxes."""
    import matplotlib.pyplot as plt
    w = torch.tensor(2.0, requires_grad=True)
    a, b = 3 * w, w ** 2
    y = a * b
    graph, boxes, arrows, ax = _drawn(y, {"w": w, "a = 3w": a, "b = w²": b, "y = a·b": y})
    assert sorted(n.name for n in graph.nodes) == ["AccumulateGrad", "MulBackward0", "MulBackward0", "PowBackward0"]
    assert sorted(n.label for n in graph.nodes) == ["a = 3w", "b = w²", "w", "y = a·b"]
    texts = [t.get_text() for t in ax.texts if t.get_text()]
    assert "MulBackward0\na = 3w" in texts and "PowBackward0\nb = w²" in texts  # results told apart
    leaf = next(i for i, n in enumerate(graph.nodes) if n.name == "AccumulateGrad")
    assert graph.nodes[leaf].label == "w" and sum(child == leaf for _, child in graph.edges) == 2
    row, col = graph_figures._graph_layout(graph)
    middle = [i for i in range(len(graph.nodes)) if row[i] == 1]
    assert len(middle) == 2 and row[leaf] == 2 and col[middle[0]] != col[middle[1]]
    assert not any(one.overlaps(other) for k, one in enumerate(boxes) for other in boxes[k + 1:])
    for (parent, child), arrow in zip(graph.edges, arrows):  # two-line boxes leave the arrows room
        gap = boxes[parent].y0 - boxes[child].y1
        assert gap > 12, (graph.nodes[parent].label, graph.nodes[child].label, gap)
    plt.close(ax.figure)


def test_drawn_edge_labels_sit_on_their_arrows_between_the_boxes():
    """04's diamond with the gradient each arrow carries: every label drawn once, halfway between
    its parent's and its child's box, overlapping no box."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    w = torch.tensor(2.0, requires_grad=True)
    a, b = 3 * w, w ** 2
    y = a * b
    params = {"w": w, "a = 3w": a, "b = w²": b, "y = a·b": y}
    carried = {("y = a·b", "a = 3w"): "4", ("y = a·b", "b = w²"): "6", ("a = 3w", "w"): "12", ("b = w²", "w"): "24"}
    ax = graph_figures.draw_autograd_graph(y, params, edge_labels=carried)
    ax.figure.canvas.draw()
    graph = graph_figures.autograd_graph(y, params)
    drawn = {t.get_text(): t for t in ax.texts if t.get_text()}
    assert len(drawn) == len(graph.nodes) + len(carried)
    box = {n.label: drawn[f"{n.name}\n{n.label}"].get_bbox_patch().get_window_extent() for n in graph.nodes}
    for (parent, child), text in carried.items():
        extent = drawn[text].get_window_extent()
        assert box[child].y1 < extent.y0 and extent.y1 < box[parent].y0, text  # between the two rows
        assert not any(extent.overlaps(b) for b in box.values()), text
        x = (extent.x0 + extent.x1) / 2
        lo, hi = sorted([(box[parent].x0 + box[parent].x1) / 2, (box[child].x0 + box[child].x1) / 2])
        assert lo - 1 <= x <= hi + 1, text
    plt.close(ax.figure)


def test_lenet_drawing_puts_every_weight_left_of_its_bias():
    net = helpers.LeNet()
    loss = nn.MSELoss()(net(torch.randn(1, 1, 28, 28)), torch.randn(1, 10))
    graph = graph_figures.autograd_graph(loss, dict(net.named_parameters()))
    _, col = graph_figures._graph_layout(graph)
    at = {node.label: col[i] for i, node in enumerate(graph.nodes) if node.label}
    for layer in ("conv1", "conv2", "fc1", "fc2", "fc3"):
        assert at[f"{layer}.weight"] < at[f"{layer}.bias"], layer
