"""Figures of 01_modules_and_layers: why a ReLU sits between two linear layers.

Unit tests: tests/test_layer_figures.py.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from figure_style import OKABE_ITO


def sign_changes(first: nn.Linear, low: float = -2.0, high: float = 2.0) -> list[float]:
    """The inputs s between ``low`` and ``high`` where one of first(s)'s outputs crosses 0, smallest first.

    ``first`` reads one number (in_features 1). Output j of first(s) is w_j·s + b_j, a straight line
    in s: it crosses 0 at s = -b_j / w_j.
    """
    with torch.no_grad():
        s = -first.bias / first.weight[:, 0]
    return sorted(v for v in s.tolist() if low < v < high)


def draw_relu_bends(first: nn.Linear, second: nn.Linear, low: float = -2.0, high: float = 2.0, steps: int = 401):
    """Three panels. Left and middle: ``second(between(first(s)))`` for s from ``low`` to ``high``, one line
    per output, with ``between`` = ``nn.Identity()`` (left), then ``nn.ReLU()`` (middle); a thin grey
    vertical line at each ``sign_changes(first, low, high)``, where ReLU bends the lines. Right:
    ``relu(s) + relu(-s)`` for s from -2 to 2, which is |s|. ``first`` reads one number.

    Returns the figure, for ``figure_style.show``.
    """
    import matplotlib.pyplot as plt

    s = torch.linspace(low, high, steps)
    fig, axes = plt.subplots(1, 3, figsize=(7.4, 2.6), gridspec_kw={"width_ratios": [1, 1, 0.8]})
    axes[1].sharey(axes[0])  # one y-scale for the two stacks, so that only the bends differ
    with torch.no_grad():
        for ax, between, title in ((axes[0], nn.Identity(), "nn.Identity() between"),
                                   (axes[1], nn.ReLU(), "nn.ReLU() between")):
            outputs = second(between(first(s[:, None])))  # one row per input s
            for j in range(outputs.shape[1]):
                ax.plot(s.numpy(), outputs[:, j].numpy(), label=f"output {j}")
            ax.set(title=title, xlabel="input s")
        for crossing in sign_changes(first, low, high):
            axes[1].axvline(crossing, color=OKABE_ITO[7], linewidth=0.8, alpha=0.4, label="_crossing")
    axes[0].set_ylabel("output")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.4, 0.0), ncol=3)
    v = torch.linspace(-2, 2, steps)
    axes[2].plot(v.numpy(), (F.relu(v) + F.relu(-v)).numpy(), color=OKABE_ITO[0])
    axes[2].set(title="relu(s) + relu(−s)", xlabel="s")
    return fig
