"""training_figures.py: the figures of 05 (finite differences, softmax), 06 (the bowl, loss
curves) and 07 (training curves, confusion matrix) draw what they say."""
import math

import matplotlib
import torch

import explorers
import figure_style
import training_figures

matplotlib.use("Agg")


def _figure_tools():
    import matplotlib.pyplot as plt
    return plt


def test_draw_bowl_runs_draws_one_panel_per_run_with_its_own_style_and_no_hidden_path():
    plt = _figure_tools()
    runs = {"a": {"lr": 0.01}, "b": {"lr": 0.2}, "c": {"lr": 0.2, "momentum": 0.5}}
    fig = training_figures.draw_bowl_runs(runs, shown=15)
    ax_loss, *panels = fig.axes
    assert len(panels) == 3
    curves = [line for line in ax_loss.get_lines() if len(line.get_xdata()) == explorers.LR_STEPS + 1]
    assert len(curves) == 3 and len({(l.get_color(), l.get_marker(), l.get_linestyle()) for l in curves}) == 3
    assert [t.get_text() for t in fig.legends[0].get_texts()][:3] == ["a", "b", "c"]
    for panel, curve, (label, options) in zip(panels, curves, runs.items()):
        path_line = next(l for l in panel.get_lines() if len(l.get_xdata()) == 16)  # the first 15 steps
        assert (path_line.get_color(), path_line.get_marker()) == (curve.get_color(), curve.get_marker())
        _, path = explorers.bowl_descent(steps=explorers.LR_STEPS, **options)
        assert list(path_line.get_xdata()) == path[:16, 0].tolist()
        assert panel.get_aspect() == 1.0 and panel.get_title().replace("\n", " ") == label
    plt.close(fig)


def test_draw_bowl_runs_without_a_loss_row_draws_only_the_panels():
    plt = _figure_tools()
    runs = {"μ = 0.0": {"lr": 0.2, "momentum": 0.0}, "μ = 0.9": {"lr": 0.2, "momentum": 0.9}}
    fig = training_figures.draw_bowl_runs(runs, shown=15, steps=60, loss_height=0)
    assert len(fig.axes) == 2 and not fig.legends
    for panel, (label, options) in zip(fig.axes, runs.items()):
        _, path = explorers.bowl_descent(steps=60, **options)
        path_line = next(l for l in panel.get_lines() if len(l.get_xdata()) == 16)
        assert list(path_line.get_ydata()) == path[:16, 1].tolist() and panel.get_title() == label
    plt.close(fig)


def test_draw_lr_curve_keeps_its_scale_and_marks_the_lowest_loss():
    plt = _figure_tools()
    limits = set()
    _, best = explorers.bowl_minimum()
    for lr in (0.001, 0.1, 0.9):
        fig, ax = plt.subplots()
        training_figures.draw_lr_curve(lr, ax)
        limits.add((ax.get_xlim(), ax.get_ylim()))
        assert any(list(l.get_ydata()) == [best, best] for l in ax.get_lines())
        assert ax.get_yscale() == "log" and ax.get_xlabel() and ax.get_ylabel()
        plt.close(fig)
    assert len(limits) == 1


def test_draw_loss_curves_gives_each_curve_a_style_and_a_label():
    plt = _figure_tools()
    fig, ax = plt.subplots()
    training_figures.draw_loss_curves({"x": [2.3, 1.0, 0.5], "y": [2.3, 2.2, 2.1], "z": [2.3, 50.0, 2.26]}, ax, ylim=(1e-3, 1e3))
    lines = ax.get_lines()
    assert len(lines) == 3 and len({(l.get_linestyle(), l.get_marker()) for l in lines}) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["x", "y", "z"]
    assert ax.get_ylim() == (1e-3, 1e3) and ax.get_yscale() == "log"
    fig.canvas.draw()  # the legend sits right of the axes, where it cannot hide a curve
    legend_box, axes_box = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert legend_box.x0 >= axes_box.x1
    plt.close(fig)


def test_draw_loss_curves_keeps_six_curves_apart_by_style_and_marker():
    plt = _figure_tools()
    fig, ax = plt.subplots()
    training_figures.draw_loss_curves({f"c{k}": [2.3, 1.0 + k] for k in range(6)}, ax)
    lines = ax.get_lines()
    assert [l.get_marker() for l in lines] == figure_style.MARKERS  # the whole cycle, none reused
    plt.close(fig)


def test_draw_fd_errors_draws_a_log_log_line_per_precision_without_zeros():
    plt = _figure_tools()
    fig, ax = plt.subplots()
    training_figures.draw_fd_errors([1e-6, 1e-4, 1e-2], {"float64": [1e-10, 0.0, 1e-6], "float32": [1e-1, 1e-3, 1e-5]}, ax)
    lines = ax.get_lines()
    assert [len(l.get_xdata()) for l in lines] == [2, 3]  # the exact 0 cannot be drawn on a log scale
    assert ax.get_xscale() == ax.get_yscale() == "log" and lines[0].get_marker() != lines[1].get_marker()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["float64", "float32"]
    assert all(t.get_fontsize() >= 9 for t in ax.get_legend().get_texts())  # the house style's smallest font
    fig.canvas.draw()
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1  # outside: it hides no curve
    plt.close(fig)


def test_draw_fd_errors_marks_the_rule_of_thumb_in_each_precision_style():
    plt = _figure_tools()
    fig, ax = plt.subplots()
    training_figures.draw_fd_errors([1e-6, 1e-4, 1e-2], {"float64": [1e-10, 1e-9, 1e-6], "float32": [1e-1, 1e-3, 1e-5]},
                                    ax, rule={"float64": 5e-6, "float32": 4e-3})
    curves = [l for l in ax.get_lines() if len(l.get_xdata()) == 3]
    marks = [l for l in ax.get_lines() if len(l.get_xdata()) == 2 and l.get_xdata()[0] == l.get_xdata()[1]]
    assert [m.get_xdata()[0] for m in marks] == [5e-6, 4e-3]
    assert [m.get_color() for m in marks] == [c.get_color() for c in curves]
    assert [m.get_linestyle() for m in marks] == [c.get_linestyle() for c in curves]
    plt.close(fig)


def test_draw_fd_errors_names_the_rule_in_the_legend():
    plt = _figure_tools()
    fig, ax = plt.subplots()
    training_figures.draw_fd_errors([1e-6, 1e-2], {"float64": [1e-10, 1e-6]}, ax, rule={"float64": 5e-6},
                                    rule_name="ε = u^(1/3)")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["float64", "ε = u^(1/3), float64"]
    plt.close(fig)


def test_draw_softmax_bars_draws_the_logits_and_their_softmax_with_the_label_hatched():
    plt = _figure_tools()
    logits = torch.tensor([0.1, -0.2, 0.3, 0.0, 0.05, -0.1, 0.2, 0.15, -0.05, 0.0])
    ax_logits, ax_probs = training_figures.draw_softmax_bars(logits, 7)
    for ax, values in ((ax_logits, logits), (ax_probs, torch.softmax(logits.double(), 0))):
        bars = ax.patches
        assert len(bars) == 10
        assert [round(b.get_height(), 6) for b in bars] == [round(v, 6) for v in values.tolist()]
        assert [bool(b.get_hatch()) for b in bars] == [k == 7 for k in range(10)]
    assert math.isclose(sum(b.get_height() for b in ax_probs.patches), 1.0, rel_tol=1e-9)
    assert ax_logits.get_title() and ax_probs.get_title()  # the long names sit in titles...
    assert max(len(ax.get_ylabel()) for ax in (ax_logits, ax_probs)) <= 12  # ...not in y-labels that reach a suptitle
    plt.close("all")


def test_training_figures_draw_what_they_say():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import training_figures

    history = {"step_loss": [2.3 - 0.01 * i for i in range(30)], "train_loss": [1.0, 0.1, 0.05],
               "val_loss": [0.2, 0.08, 0.06], "val_acc": [0.97, 0.985, 0.991]}
    fig = training_figures.draw_training_curves(history, steps_per_epoch=10)
    left, right = fig.axes
    assert [len(line.get_xdata()) for line in left.get_lines()] == [15, 3, 3]  # 5 chunks per epoch, 3 epochs
    assert left.get_yscale() == "log" and len(right.get_lines()) == 2        # accuracy and the 99 % line
    assert list(right.get_lines()[1].get_ydata()) == [99, 99]
    plt.close(fig)

    confusion = torch.zeros(10, 10, dtype=torch.long)
    confusion.fill_diagonal_(100)
    confusion[3, 5] = 2
    fig = training_figures.draw_confusion(confusion)
    texts = fig.axes[0].texts
    assert len(texts) == 11 and all(t.get_fontsize() >= 9 for t in texts)  # one label per non-zero cell
    assert fig.axes[0].get_title() == "Confusion matrix (2 mistakes; colour: log count)"
    plt.close(fig)


def test_feature_maps_share_one_scale_with_a_colour_bar():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import training_figures

    maps, pooled = torch.rand(6, 28, 28) * 3, torch.rand(6, 14, 14)
    fig = training_figures.draw_feature_maps(torch.rand(28, 28), maps, pooled)
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert len(images) == 1 + 6 + 6                                      # the input, C1 and S2
    limits = {im.get_clim() for im in images[1:]}
    assert limits == {(0.0, maps.max().item())}                           # one scale for every map
    assert any(ax.get_label() == "<colorbar>" for ax in fig.axes)
    plt.close(fig)
    fig = training_figures.draw_feature_maps(None, torch.rand(16, 10, 10))
    assert sum(len(ax.get_images()) for ax in fig.axes if ax.get_label() != "<colorbar>") == 16
    plt.close(fig)

    history = {"step_loss": [2.3 - 0.01 * i for i in range(30)], "train_loss": [0.2, 0.07, 0.05],
               "train_acc": [0.95, 0.98, 0.99], "val_loss": [0.2, 0.08, 0.06], "val_acc": [0.97, 0.985, 0.991]}
    fig = training_figures.draw_training_curves(history, steps_per_epoch=10)
    assert len(fig.axes[1].get_lines()) == 3                             # training, validation, 99 %
    plt.close(fig)


def test_draw_loss_panels_stacks_one_titled_panel_per_entry_over_one_step_axis():
    import matplotlib.pyplot as plt
    fig = training_figures.draw_loss_panels({"a": {"x": [2.3, 1.0]}, "b": {"y": [2.3, 2.2], "z": [2.3, 0.5]}})
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["a", "b"] and [len(ax.get_lines()) for ax in axes] == [1, 2]
    assert axes[-1].get_xlabel() == "step" and axes[0].get_xlabel() == ""
    assert axes[0].get_shared_x_axes().joined(axes[0], axes[1])
    plt.close(fig)


def test_lr_explorer_prints_the_summary_of_the_sliders_rate(capsys):
    import explorers
    explorer = training_figures.lr_explorer()
    slider = next(c for c in explorer.children if getattr(c, "description", "") == "lr")
    assert (slider.min, slider.max, slider.value) == (-3, 0, 0.1)
    assert explorers.lr_summary(0.1) in capsys.readouterr().out
    slider.value = 0.3
    assert explorer.result == explorers.lr_summary(0.3) and "diverges" in explorer.result
    _figure_tools().close("all")
