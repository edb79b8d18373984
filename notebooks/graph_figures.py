"""Figures of 04_autograd_graph: the backward graph a tensor's ``grad_fn`` starts, laid out
as a tree-like drawing (outputs at the top, the leaves at the bottom).

Unit tests: tests/test_graph_figures.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch


@dataclass
class GraphNode:
    name: str                 # grad_fn class name, e.g. "AddmmBackward0", "AccumulateGrad"
    label: str | None = None  # a name from ``params``: of a leaf's AccumulateGrad or a result's node
    fn: object = field(default=None, repr=False)


@dataclass
class AutogradGraph:
    nodes: list[GraphNode]
    edges: list[tuple[int, int]]  # (parent, child): child is in parent.next_functions


def autograd_graph(tensor: torch.Tensor, params: dict | None = None) -> AutogradGraph:
    """The backward graph of ``tensor``: every grad_fn once, edges from ``next_functions``.

    ``params`` maps names to tensors: a leaf (a parameter, ``dict(net.named_parameters())``)
    labels its ``AccumulateGrad`` node, a result labels its ``grad_fn``. Introduced in
    04_autograd_graph.
    """
    if tensor.grad_fn is None:
        raise ValueError("this tensor has no grad_fn: it is a leaf, or it was computed under "
                         "torch.no_grad() or from detached tensors, so no graph was recorded")
    names = {id(t): n for n, t in (params or {}).items()}  # leaves, by tensor
    results = {t.grad_fn: n for n, t in (params or {}).items() if t.grad_fn is not None}
    index, nodes, edges, todo = {}, [], [], [tensor.grad_fn]

    def visit(fn) -> int:
        if fn not in index:
            variable = getattr(fn, "variable", None)
            index[fn] = len(nodes)
            label = results.get(fn) if variable is None else names.get(id(variable))
            nodes.append(GraphNode(type(fn).__name__, label, fn))
            todo.append(fn)
        return index[fn]

    visit(todo.pop())
    while todo:
        fn = todo.pop(0)
        for child, _ in fn.next_functions:
            if child is not None:
                edges.append((index[fn], visit(child)))
    return AutogradGraph(nodes, edges)


def _child_offsets(heights: list[int]) -> list[float]:
    """Columns of a node's children relative to it, given how deep each child's graph goes: the
    deepest sits straight below (the spine), the others on both sides, deeper ones leftmost (so a
    layer's weight, with or without its TBackward0, sits left of its bias); ties centred."""
    top = max(heights, default=0)
    if heights.count(top) > 1:
        return [j - (len(heights) - 1) / 2 for j in range(len(heights))]
    others = sorted((j for j, h in enumerate(heights) if h != top), key=lambda j: -heights[j])
    sides = sorted((k // 2 + 1) * (-1) ** k for k in range(len(others)))  # -1, 1, -2, 2, ...
    offsets = [0.0] * len(heights)
    for j, side in zip(others, sides):
        offsets[j] = side
    return offsets


def _graph_layout(graph: AutogradGraph) -> tuple[list[int], list[float]]:
    """Row and column of each node: one row below its deepest parent, placed where its parents
    want it (``_child_offsets``), nodes in a row pushed at least one column apart."""
    n = len(graph.nodes)
    kids: list[list[int]] = [[] for _ in range(n)]
    for parent, child in graph.edges:
        if child not in kids[parent]:
            kids[parent].append(child)
    waiting = [0] * n
    for k in kids:
        for c in k:
            waiting[c] += 1
    order = [0]  # parents before children (Kahn's algorithm: a node once all its parents are in)
    for i in order:
        for c in kids[i]:
            waiting[c] -= 1
            if waiting[c] == 0:
                order.append(c)
    row, height, col = [0] * n, [0] * n, [0.0] * n
    for i in order:
        for c in kids[i]:
            row[c] = max(row[c], row[i] + 1)
    for i in reversed(order):
        height[i] = max((height[c] + 1 for c in kids[i]), default=0)
    wish: list[list[float]] = [[] for _ in range(n)]  # columns the parents want for each node
    for r in range(max(row) + 1):
        members = [i for i in order if row[i] == r]
        want = sorted((sum(wish[i]) / len(wish[i]) if wish[i] else 0.0, i) for i in members)
        left, right = [w for w, _ in want], [w for w, _ in want]
        for k in range(1, len(want)):  # push apart rightwards, leftwards, then take the average
            left[k] = max(left[k], left[k - 1] + 1)
            right[-k - 1] = min(right[-k - 1], right[-k] - 1)
        for k, (_, i) in enumerate(want):
            col[i] = (left[k] + right[k]) / 2
            for c, offset in zip(kids[i], _child_offsets([height[c] for c in kids[i]])):
                wish[c].append(col[i] + offset)
    return row, col


def draw_autograd_graph(tensor: torch.Tensor, params: dict | None = None, ax=None,
                        edge_labels: dict[tuple[str, str], str] | None = None):
    """Draw ``autograd_graph(tensor, params)`` with matplotlib: the output on top, arrows pointing
    the way the gradient flows, down to the ``AccumulateGrad`` leaves (green).

    The longest chain runs straight down the middle, side branches beside it. Without ``ax`` a
    figure sized to the graph is made. ``edge_labels`` maps ``(parent label, child label)``, labels
    from ``params``, to a text written on that arrow (the gradient it carries, say); rows are
    then drawn further apart. Returns the axes. Introduced in 04_autograd_graph.
    """
    import matplotlib.pyplot as plt

    graph = autograd_graph(tensor, params)
    row, col = _graph_layout(graph)
    lo, hi, depth = min(col), max(col), max(row)
    if ax is None:  # rows further apart when results carry a second line: room for the arrows
        per_row = 0.65 if any(n.label and n.name != "AccumulateGrad" for n in graph.nodes) else 0.42
        per_row = 1.0 if edge_labels else per_row  # room for a text on each arrow
        fig, ax = plt.subplots(figsize=(1.9 * (hi - lo + 1), per_row * (depth + 1) + 0.3), layout="none")
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1 - 0.3 / fig.get_figheight())
    boxes = []
    for i, node in enumerate(graph.nodes):
        leaf = node.name == "AccumulateGrad"
        text = f"{node.name}\n{node.label}" if node.label else node.name
        boxes.append(ax.text(col[i], -row[i], text, ha="center", va="center", fontsize=9, zorder=2,
                             bbox=dict(boxstyle="round,pad=0.25", ec="0.4",
                                       fc="#cfe8cf" if leaf else "#dde6f5")))
    seen: dict[tuple[int, int], int] = {}
    for parent, child in graph.edges:
        k = seen[parent, child] = seen.get((parent, child), -1) + 1
        bend = 0.25 * k * (-1) ** k  # a repeated edge fans out
        between = [col[i] for i in range(len(col)) if row[parent] < row[i] < row[child]]
        if between:  # an edge skipping rows bows away from the nodes it passes
            bend += 0.3 if sum(between) / len(between) > (col[parent] + col[child]) / 2 else -0.3
        ax.annotate("", xy=(col[child], -row[child]), xytext=(col[parent], -row[parent]), zorder=3,
                    arrowprops=dict(arrowstyle="-|>", color="0.45", lw=0.9, mutation_scale=9,
                                    shrinkA=0, shrinkB=0, connectionstyle=f"arc3,rad={bend}",
                                    patchA=boxes[parent].get_bbox_patch(),
                                    patchB=boxes[child].get_bbox_patch()))
        text = (edge_labels or {}).get((graph.nodes[parent].label, graph.nodes[child].label))
        if text is not None:  # halfway along the arrow, on a white patch
            ax.text((col[parent] + col[child]) / 2, -(row[parent] + row[child]) / 2, text, ha="center",
                    va="center", fontsize=9, zorder=4, bbox=dict(boxstyle="round,pad=0.15", ec="none", fc="white"))
    ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.set_ylim(-depth - 0.5, 0.5)
    ax.axis("off")
    return ax
