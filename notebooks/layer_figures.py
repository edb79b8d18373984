"""Figures of 01_modules_and_layers: why a ReLU sits between two linear layers.

Unit tests: tests/test_layer_figures.py.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from figure_style import OKABE_ITO


def sign_changes(first: nn.Linear, x: torch.Tensor, low: float = -0.5, high: float = 0.5) -> list[float]:
    """The t between ``low`` and ``high`` where one of first(t·x)'s outputs crosses 0, smallest first.

    Output j of first(t·x) is t·(W x)_j + b_j, a straight line in t: it crosses 0 at
    t = -b_j / (W x)_j. ``x`` is one sample, shape (1, in_features) or (in_features,).
    """
    with torch.no_grad():
        slope, start = (x.reshape(1, -1) @ first.weight.T).flatten(), first.bias
        t = -start / slope
    return sorted(v for v in t.tolist() if low < v < high)


def draw_relu_bends(first: nn.Linear, second: nn.Linear, x: torch.Tensor, low: float = -0.5, high: float = 0.5,
                    steps: int = 401):
    """Three panels. Left and middle: ``second(between(first(t·x)))`` for t from ``low`` to ``high``, one line
    per output, with ``between`` = ``nn.Identity()`` (left), then ``nn.ReLU()`` (middle); a thin grey
    vertical line at each ``sign_changes(first, x, low, high)``, where ReLU bends the lines. Right:
    ``relu(s) + relu(-s)`` for s from -2 to 2, which is |s|.

    Returns the figure, for ``figure_style.show``.
    """
    import matplotlib.pyplot as plt

    t = torch.linspace(low, high, steps)
    inputs = t[:, None] * x.reshape(1, -1)  # one row per t: t·x
    fig, axes = plt.subplots(1, 3, figsize=(7.4, 2.6), gridspec_kw={"width_ratios": [1, 1, 0.8]})
    axes[1].sharey(axes[0])  # one y-scale for the two stacks, so that only the bends differ
    with torch.no_grad():
        for ax, between, title in ((axes[0], nn.Identity(), "nn.Identity() between"),
                                   (axes[1], nn.ReLU(), "nn.ReLU() between")):
            outputs = second(between(first(inputs)))
            for j in range(outputs.shape[1]):
                ax.plot(t.numpy(), outputs[:, j].numpy(), label=f"output {j}")
            ax.set(title=title, xlabel="t (input t·x)")
        for crossing in sign_changes(first, x, low, high):
            axes[1].axvline(crossing, color=OKABE_ITO[7], linewidth=0.8, alpha=0.4, label="_crossing")
    axes[0].set_ylabel("output")
    axes[0].legend(loc="best")
    s = torch.linspace(-2, 2, steps)
    axes[2].plot(s.numpy(), (F.relu(s) + F.relu(-s)).numpy(), color=OKABE_ITO[0])
    axes[2].set(title="relu(s) + relu(−s)", xlabel="s")
    return fig
