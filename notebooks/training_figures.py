"""Figures of the training notebooks: finite-difference errors and softmax bars (05), gradient
descent on the bowl and loss curves (06), training curves and the
confusion matrix (07).

Unit tests: tests/test_training_figures.py.
"""
from __future__ import annotations

import torch

from explorers import LR_STEPS, bowl_descent, bowl_minimum, bowl_problem
from figure_style import LINESTYLES, MARKERS, OKABE_ITO


def draw_fd_errors(eps, errors: dict, ax=None, rule: dict | None = None, rule_name: str = "rule of thumb"):
    """Log-log plot of a finite-difference estimate's error against the nudge ``eps``.

    ``errors`` maps a label (e.g. ``"float64"``) to the errors ``|estimate - autograd|``, one
    per value of ``eps``; each label gets its own colour, marker and line style. An error of
    exactly 0 cannot be drawn on a log scale and is left out. ``rule`` may map a label to the
    nudge a rule of thumb picks for it, drawn as a vertical line in the label's colour and style and
    named ``rule_name`` in the legend.
    The legend sits outside the axes, to the right, where it hides no curve. Returns the axes.
    Introduced in 05_loss_and_backward.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    eps = [float(e) for e in eps]
    for k, (label, errs) in enumerate(errors.items()):
        points = [(e, float(r)) for e, r in zip(eps, errs) if float(r) > 0]
        style = dict(color=OKABE_ITO[k % 6], linestyle=["-", "--", ":", "-."][k % 4])
        ax.loglog(*zip(*points), marker=MARKERS[k % 4], markersize=4, label=label, **style)
        if rule and label in rule:
            ax.axvline(float(rule[label]), linewidth=1, alpha=0.7, label=f"{rule_name}, {label}", **style)
    ax.set_xlabel("nudge ε")
    ax.set_ylabel("|finite diff. − autograd|")
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    return ax


def draw_softmax_bars(logits: torch.Tensor, label: int, axes=None):
    """Two bar charts for one digit: its 10 logits, and the softmax probabilities they become.

    The right class ``label`` is drawn in another colour and hatched; a dotted line marks 1/10,
    what a network that cannot tell the classes apart gives each. Each panel has a title and a
    short y-label (a long one would run into a figure title above). Returns the two axes.
    Introduced in 05_loss_and_backward.
    """
    import matplotlib.pyplot as plt

    logits = logits.detach().double().flatten()
    probs = torch.softmax(logits, dim=0)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(7, 2.6))
    classes = range(len(logits))
    for ax, values, name, title in zip(axes, (logits, probs), ("logit", "probability"),
                                       ("logits z", "probabilities p = softmax(z)")):
        bars = ax.bar(classes, values.tolist(), color=OKABE_ITO[0], edgecolor="black", linewidth=0.6)
        bars[label].set(facecolor=OKABE_ITO[5], hatch="//", edgecolor="black")
        ax.set_xticks(list(classes))
        ax.set_xlabel(f"class (hatched: the label, {label})")
        ax.set_ylabel(name)
        ax.set_title(title)
    axes[0].axhline(0, color="0.4", linewidth=0.8)
    axes[1].axhline(1 / len(logits), color="0.3", linestyle=":", label="1/10")
    axes[1].set_ylim(0, 1.35 * max(probs.max().item(), 1 / len(logits)))
    axes[1].legend(loc="upper right")
    return axes


_RUN_LINES = ("-", "--", ":", "-.")


def draw_bowl_runs(runs: dict, shown: int = 15, steps: int = LR_STEPS,
                   limits: tuple = ((-2.5, 5.5), (-3.5, 0.5)), figsize: tuple = (5.2, 3.2),
                   loss_height: float = 1.1):
    """Gradient descent on the bowl for each run: the loss curves on top, and below, one panel per
    run with its first ``shown`` steps over the bowl's contour lines (equal scales on both axes,
    a cross at the bottom; its title the run's label, broken before a parenthesis or after a comma),
    so that no path hides another; the legend sits above the loss curves, not on them.

    ``runs`` maps a label to ``bowl_descent``'s keyword arguments (``lr``, optionally
    ``momentum``). Each run keeps its colour, marker and line style in every panel. ``limits``
    are the panels' ``(w[0] range, w[1] range)``; ``loss_height`` the loss row's height relative to
    the panels' (0: no loss row and no legend, the panels' titles name the runs). Returns the figure (``figsize`` inches). Introduced in 06_manual_weight_updates.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import LogLocator

    X, y = bowl_problem()
    best_w, best = bowl_minimum()
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(2, len(runs), height_ratios=(loss_height, 1)) if loss_height else fig.add_gridspec(1, len(runs))
    ax_loss = fig.add_subplot(grid[0, :]) if loss_height else None
    w0, w1 = torch.meshgrid(torch.linspace(*limits[0], 161, dtype=torch.float64),
                            torch.linspace(*limits[1], 81, dtype=torch.float64), indexing="xy")
    surface = ((torch.stack([w0, w1], dim=-1) @ X.T - y) ** 2).mean(dim=-1)
    for k, (label, options) in enumerate(runs.items()):
        losses, path = bowl_descent(steps=steps, **options)
        style = dict(color=OKABE_ITO[k % 6], marker=MARKERS[k % len(MARKERS)], linestyle=LINESTYLES[k % len(LINESTYLES)])
        if ax_loss is not None:
            ax_loss.semilogy(losses, markersize=3, label=label, **style)
        ax = fig.add_subplot(grid[-1, k])
        ax.contour(w0, w1, surface, levels=torch.logspace(-0.5, 1.8, 5).tolist(), colors="0.7", linewidths=0.6)
        ax.plot(path[:shown + 1, 0], path[:shown + 1, 1], markersize=3.5, linewidth=1.1, **style)
        ax.plot(*best_w.tolist(), "kx", markersize=7)
        ax.set(xlim=limits[0], ylim=limits[1], xlabel="w[0]", title=label.replace(" (", "\n(").replace(", ", ",\n"))
        ax.set_aspect("equal")
        ax.set_ylabel("w[1]" if k == 0 else "")
        if k:
            ax.tick_params(labelleft=False)
    if ax_loss is not None:
        ax_loss.axhline(best, color="0.3", linestyle=(0, (1, 3)), label=f"lowest possible ({best:.4f})")
        ax_loss.set(xlabel="step", ylabel="loss (log scale)")
        ax_loss.yaxis.set_major_locator(LogLocator(numticks=20))  # a label at every power of 10, 1 included
        fig.legend(*ax_loss.get_legend_handles_labels(), loc="outside upper center", ncols=2, fontsize=9)
    return fig


def draw_lr_curve(lr: float, ax=None):
    """The learning-rate slider's figure: the loss over ``LR_STEPS`` steps of ``bowl_descent(lr)``
    on a fixed log scale (so that moving the slider does not rescale it), with a dashed line at the
    lowest possible loss; a diverging run leaves through the top. Returns the axes.
    Introduced in 06_manual_weight_updates.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 2.2))
    losses, _ = bowl_descent(lr)
    _, best = bowl_minimum()
    ax.semilogy(losses, color=OKABE_ITO[0], marker="o", markersize=3, label="loss")
    ax.axhline(best, color=OKABE_ITO[5], linestyle="--", label=f"lowest possible {best:.4f}")
    ax.set(xlim=(0, LR_STEPS), ylim=(0.05, 1000), xlabel="step", ylabel="loss (log scale)",
           title=f"Gradient descent on the bowl, lr = {lr:.3g}")
    ax.legend(loc="upper right", fontsize=9)
    return ax


def draw_loss_curves(curves: dict, ax=None, ylim=None):
    """Loss curves on a log scale, each with its own colour, line style and marker (every 10th
    step), and a legend outside the axes, to their right, where it cannot hide a curve.
    ``curves`` maps a label to the losses, one per step. Returns the axes.
    Introduced in 06_manual_weight_updates.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    for k, (label, losses) in enumerate(curves.items()):
        ax.semilogy(losses, label=label, color=OKABE_ITO[k % 6], linestyle=LINESTYLES[k % len(LINESTYLES)],
                    marker=MARKERS[k % len(MARKERS)], markevery=10, markersize=4)
    ax.set(xlabel="step", ylabel="cross-entropy loss (log scale)")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    return ax


def draw_loss_panels(panels: dict, figsize: tuple = (4.4, 4.1)):
    """Panels of ``draw_loss_curves``, stacked over one shared step axis: ``panels`` maps a panel's
    title to its ``curves`` (a label to the losses, one per step). Returns the figure.
    Introduced in 06_manual_weight_updates.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(panels), 1, figsize=figsize, sharex=True, squeeze=False)
    for ax, (title, curves) in zip(axes[:, 0], panels.items()):
        draw_loss_curves(curves, ax)
        ax.set(title=title, ylabel="loss (log scale)", xlabel="")
    axes[-1, 0].set_xlabel("step")
    return fig


def draw_training_curves(history: dict, steps_per_epoch: int, chunks_per_epoch: int = 5, axes=None):
    """Two panels from a training ``history``: left, the running training loss (mean of every
    ``steps_per_epoch / chunks_per_epoch`` steps) and the end-of-epoch training and validation
    losses on a log scale; right, the end-of-epoch accuracies against a dash-dot 99 % line.

    ``history`` holds ``step_loss`` (one per step) and, one per epoch, ``train_loss``, ``val_loss``
    and ``val_acc`` (and optionally ``train_acc``): the end-of-epoch values, measured the same way
    for both splits. Returns the figure. Introduced in 07_training_lenet_on_mnist.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(6.6, 2.6))
    ax1, ax2 = axes
    steps = torch.tensor(history["step_loss"])
    bounds = torch.linspace(0, len(steps), len(history["val_loss"]) * chunks_per_epoch + 1).round().long()
    means = [steps[a:b].mean().item() for a, b in zip(bounds[:-1], bounds[1:])]
    centres = [(a + b) / 2 / steps_per_epoch for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]
    epochs = range(1, len(history["val_loss"]) + 1)
    ax1.plot(centres, means, color="0.55", ls="-", lw=1.2, label="batch means (1/5 epoch)")
    ax1.plot(epochs, history["train_loss"], color=OKABE_ITO[0], ls="--", marker="o", label="training (end of epoch)")
    ax1.plot(epochs, history["val_loss"], color=OKABE_ITO[1], ls=":", marker="s", label="validation")
    ax1.set(xlabel="epoch", ylabel="cross-entropy loss", yscale="log", title="Loss", xticks=list(range(len(epochs) + 1)))
    ax1.legend(fontsize=9)
    if "train_acc" in history:
        ax2.plot(epochs, [100 * a for a in history["train_acc"]], color=OKABE_ITO[0], ls="--", marker="o",
                 label="training")
    ax2.plot(epochs, [100 * a for a in history["val_acc"]], color=OKABE_ITO[1], ls=":", marker="s",
             label="validation")
    ax2.axhline(99, color="grey", ls="-.", lw=1, label="99 %")
    ax2.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy after each epoch", xticks=list(epochs))
    ax2.legend(loc="lower right", fontsize=9)
    return ax1.figure


def draw_confusion(confusion: torch.Tensor, ax=None):
    """A 10x10 confusion matrix (rows true, columns predicted) on a logarithmic colour scale, with
    every non-zero count written in its cell at 9 pt or more (dark text on the bright diagonal).
    Returns the figure. Introduced in 07_training_lenet_on_mnist.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    if ax is None:
        fig, ax = plt.subplots(figsize=(4.8, 4.2))  # room for four-digit counts on the diagonal
    ax.imshow((confusion + 1).numpy(), cmap="viridis", norm=LogNorm())
    for t in range(confusion.shape[0]):
        for p in range(confusion.shape[1]):
            n = int(confusion[t, p])
            if n:
                ax.text(p, t, str(n), ha="center", va="center", fontsize=9 if t == p else 10,
                        color="black" if t == p else "white")
    mistakes = int(confusion.sum() - confusion.trace())
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit",
           title=f"Confusion matrix ({mistakes} mistakes; colour: log count)")
    return ax.figure


def draw_feature_maps(image, maps: torch.Tensor, more: torch.Tensor | None = None, title: str | None = None,
                      names: tuple[str, str] = ("C1", "S2"), per_row: int = 8):
    """Feature maps on one shared viridis scale with a colour bar. With ``more`` (the same channels
    after pooling, say): the input ``image`` (grey) in the first column, ``maps`` on the first row and
    ``more`` on the second, titled with ``names``. Without it: ``maps`` in rows of ``per_row``. One
    scale for every map, so a brighter map is a stronger response. Returns the figure.
    Introduced in 07_training_lenet_on_mnist.
    """
    import matplotlib.pyplot as plt

    if more is not None:
        rows = [[(f"{names[0]} {k}", m) for k, m in enumerate(maps)], [(f"{names[1]} {k}", m) for k, m in enumerate(more)]]
    else:
        labelled = [(f"map {k}", m) for k, m in enumerate(maps)]
        rows = [labelled[i:i + per_row] for i in range(0, len(labelled), per_row)]
    lead = 1 if image is not None else 0
    n_cols = lead + max(len(r) for r in rows)
    values = torch.cat([m.flatten() for r in rows for _, m in r])
    low, top = min(0.0, values.min().item()), values.max().item()
    fig, axes = plt.subplots(len(rows), n_cols, figsize=(min(7.4, 0.95 * n_cols + 0.9), 1.2 * len(rows) + 0.6),
                             squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    if image is not None:
        axes[0, 0].imshow(image, cmap="gray")
        axes[0, 0].set_title("input", fontsize=9)
    for r, row in enumerate(rows):
        for k, (name, m) in enumerate(row):
            im = axes[r, lead + k].imshow(m, cmap="viridis", vmin=low, vmax=top)
            axes[r, lead + k].set_title(name, fontsize=9)
    fig.colorbar(im, ax=axes, shrink=0.85, label="activation")
    fig.suptitle(title or "Feature maps after ReLU, on one shared scale")
    return fig


def lr_explorer():
    """The learning-rate slider: a log-scale slider **lr** from 0.001 to 1; each move prints
    ``lr_summary(lr)`` and shows ``draw_lr_curve(lr)``.

    Returns the ``ipywidgets.interactive`` (show it as a cell's last value).
    Introduced in 06_manual_weight_updates.
    """
    import ipywidgets as widgets

    import figure_style
    from explorers import lr_summary

    def show_lr(lr: float) -> str:
        summary = lr_summary(lr)
        print(summary)
        figure_style.show(draw_lr_curve(lr).figure, alt=f"The loss over {LR_STEPS} steps of gradient descent on the "
                          f"bowl at lr = {lr:.3g}, on a fixed log scale, with a dashed line at the lowest possible loss.")
        return summary

    slider = widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0, step=0.05, description="lr", readout_format=".4f")
    return widgets.interactive(show_lr, lr=slider)
