"""Unit tests for the learning-rate helpers of 06_manual_weight_updates and for its slider.

bowl_problem / bowl_descent / lr_summary are checked against torch itself (optim.SGD, the
closed-form gradient, the Hessian's eigenvalues); the notebook's slider cell is executed here
and its slider moved, as the browser test does in JupyterLab.
"""
import json
import math
import re
import warnings

import pytest
import torch

import explorers
import figure_style
import training_figures
import helpers
from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "06_manual_weight_updates.ipynb"
SUMMARY = re.compile(r"lr=(\S+): loss (\S+) at the start, (\S+) after (\d+) steps "
                     r"\(lowest possible (\S+)\): (converges|converges slowly|diverges)")


def _bowl_loss(w):
    X, y = explorers.bowl_problem()
    return ((X @ w - y) ** 2).mean()


def _critical_lr() -> float:
    hessian = torch.autograd.functional.hessian(_bowl_loss, torch.zeros(2, dtype=torch.float64))
    return 2 / torch.linalg.eigvalsh(hessian).max().item()


def test_bowl_problem_is_always_the_same_and_leaves_the_global_generator_alone():
    torch.manual_seed(5)
    before = torch.get_rng_state()
    X1, y1 = explorers.bowl_problem()
    explorers.lr_summary(0.1)
    assert torch.equal(torch.get_rng_state(), before)
    torch.manual_seed(123)
    X2, y2 = explorers.bowl_problem()
    assert torch.equal(X1, X2) and torch.equal(y1, y2)
    assert X1.shape == (64, 2) and y1.shape == (64,) and X1.dtype == y1.dtype == torch.float64


@pytest.mark.parametrize("lr", [0.001, 0.05, 0.2, 0.3])
def test_bowl_descent_is_optim_sgd_on_the_bowl(lr):
    losses, path = explorers.bowl_descent(lr, steps=12)
    assert len(losses) == 13 and path.shape == (13, 2)
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for k in range(12):
        torch.testing.assert_close(path[k], w.detach())
        optimizer.zero_grad()
        loss = _bowl_loss(w)
        assert math.isclose(losses[k], loss.item(), rel_tol=1e-12)
        loss.backward()
        optimizer.step()
    torch.testing.assert_close(path[12], w.detach())
    assert math.isclose(losses[12], _bowl_loss(w).item(), rel_tol=1e-12)


def test_bowl_descent_steps_along_the_closed_form_gradient():
    X, y = explorers.bowl_problem()
    _, path = explorers.bowl_descent(0.1, steps=5)
    gradients = 2 * (path[:-1] @ X.T - y) @ X / len(X)  # d/dw mean((Xw - y)^2) = 2/N X^T (Xw - y)
    torch.testing.assert_close(path[1:], path[:-1] - 0.1 * gradients)


def test_the_verdict_flips_to_diverges_exactly_at_two_over_lambda_max():
    critical = _critical_lr()
    assert 0.2 < critical < 0.3
    assert explorers.lr_summary(0.99 * critical).endswith(": converges slowly")
    assert explorers.lr_summary(1.01 * critical).endswith(": diverges")


@pytest.mark.parametrize("lr, verdict", [
    (0.001, "converges slowly"), (0.01, "converges slowly"), (0.1, "converges"), (0.2, "converges"),
    (0.26, "diverges"), (1.0, "diverges"), (1e6, "diverges")])
def test_lr_summary_verdicts(lr, verdict):
    assert SUMMARY.fullmatch(explorers.lr_summary(lr)).group(6) == verdict


@pytest.mark.parametrize("lr", [0.003, 0.1, 0.2, 0.3])
def test_lr_summary_reports_the_losses_of_bowl_descent_and_the_least_squares_minimum(lr):
    match = SUMMARY.fullmatch(explorers.lr_summary(lr))
    losses, _ = explorers.bowl_descent(lr)
    X, y = explorers.bowl_problem()
    best = _bowl_loss(torch.linalg.lstsq(X, y.unsqueeze(1)).solution.squeeze(1)).item()
    assert float(match.group(1)) == float(f"{lr:.3g}") and int(match.group(4)) == explorers.LR_STEPS
    for text, value in [(match.group(2), losses[0]), (match.group(3), losses[-1]), (match.group(5), best)]:
        assert math.isclose(float(text), value, rel_tol=1e-3), (text, value)
    gap_closed = (losses[0] - losses[-1]) / (losses[0] - best)
    expected = "diverges" if losses[-1] > losses[0] else "converges" if gap_closed >= 0.99 else "converges slowly"
    assert match.group(6) == expected


def test_lr_summary_text_at_the_sliders_start_value():
    assert explorers.lr_summary(0.1) == ("lr=0.1: loss 10.6035 at the start, 0.1183 after 30 steps "
                                       "(lowest possible 0.0802): converges")


def test_lr_summary_does_not_depend_on_the_thread_count():
    lrs = [0.01, 10 ** -0.95, 0.25, 0.9]
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = [explorers.lr_summary(lr) for lr in lrs]
        torch.set_num_threads(4)
        four = [explorers.lr_summary(lr) for lr in lrs]
    finally:
        torch.set_num_threads(threads)
    assert one == four


def test_lr_summary_is_fast_enough_for_a_slider(monkeypatch):
    """A slider move costs LR_STEPS backward passes through a 64 x 2 problem: counted, not timed."""
    sizes, backward = [], torch.Tensor.backward
    monkeypatch.setattr(torch.Tensor, "backward", lambda self, *a, **k: (sizes.append(self.numel()),
                                                                         backward(self, *a, **k))[1])
    explorers.lr_summary(0.5)
    assert len(sizes) == explorers.LR_STEPS <= 100 and set(sizes) == {1}
    assert explorers.bowl_problem()[0].numel() <= 1_000


def test_a_huge_lr_overflows_quietly_into_diverges():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert explorers.lr_summary(1e300).endswith(": diverges")


@pytest.mark.parametrize("bad", [0, -0.1, float("nan"), float("inf"), "0.1", True, None])
def test_a_bad_lr_is_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"lr must be a positive number such as 0.1, got"):
        explorers.lr_summary(bad)


# ---- the notebook's slider ------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\r")  # clear_output outside a kernel writes escape codes


def _slider_cell():
    """Check that the notebook shows the learning-rate slider; return a fresh one (Agg backend)."""
    import matplotlib
    matplotlib.use("Agg")

    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code" and "training_figures.lr_explorer()" in "".join(c["source"])]
    assert len(cells) == 1, "06 must have exactly one cell with the learning-rate slider"
    return training_figures.lr_explorer()


def test_the_notebook_slider_prints_exactly_lr_summary_when_moved(capsys):
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    explorer = _slider_cell()
    slider = next(c for c in explorer.children if getattr(c, "description", "") == "lr")
    assert isinstance(explorer, widgets.interactive) and slider in explorer.children
    assert isinstance(slider, widgets.FloatLogSlider) and slider.description == "lr" and slider.base == 10
    assert (slider.value, slider.min, slider.max) == (0.1, -3, 0)
    assert ANSI.sub("", capsys.readouterr().out) == explorers.lr_summary(0.1) + "\n"
    # what ArrowRight and PageDown send from the start value, a diverging value, the lower end
    for value in [10 ** -0.95, 10 ** -1.5, 0.5, 0.001]:
        slider.value = value
        shown = ANSI.sub("", capsys.readouterr().out)
        assert shown == explorers.lr_summary(slider.value) + "\n", value
        assert explorer.result == explorers.lr_summary(value)
    plt.close("all")


# ---- momentum on the bowl and the figures of 06 (and 05) -----------------------------------

@pytest.mark.parametrize("lr, momentum", [(0.05, 0.9), (0.2, 0.5)])
def test_bowl_descent_with_momentum_is_optim_sgd_with_momentum(lr, momentum):
    losses, path = explorers.bowl_descent(lr, steps=10, momentum=momentum)
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=momentum)
    for k in range(10):
        torch.testing.assert_close(path[k], w.detach())
        optimizer.zero_grad()
        loss = _bowl_loss(w)
        assert math.isclose(losses[k], loss.item(), rel_tol=1e-12)
        loss.backward()
        optimizer.step()
    torch.testing.assert_close(path[10], w.detach())


@pytest.mark.parametrize("bad", [-0.1, 1.0, float("nan"), True, "0.9"])
def test_a_bad_momentum_is_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\)"):
        explorers.bowl_descent(0.1, momentum=bad)


def test_bowl_minimum_is_the_least_squares_solution_and_steps_to_close_counts_the_gap():
    X, y = explorers.bowl_problem()
    best_w, best = explorers.bowl_minimum()
    torch.testing.assert_close(best_w, torch.linalg.lstsq(X, y.unsqueeze(1)).solution.squeeze(1))
    assert math.isclose(best, _bowl_loss(best_w).item(), rel_tol=1e-12)
    losses = [best + 100, best + 50, best + 1.5, best + 0.5, best]
    assert explorers.steps_to_close(losses, 0.99) == 3 and explorers.steps_to_close(losses, 0.999) == 4
    assert explorers.steps_to_close([best + 1, best + 2], 0.99) is None
    bounce = [best + 1, best + 0.001, best + 0.5, best + 0.001, best + 0.0001]  # dips at 1, back up at 2
    assert explorers.steps_to_close(bounce, 0.99) == 3, "a dip that bounces back is not counted"
    assert explorers.steps_to_close(bounce[:3], 0.99) is None


def test_momentum_beats_plain_descent_on_the_bowl_as_06_says():
    plain, _ = explorers.bowl_descent(0.2, steps=200)
    half, _ = explorers.bowl_descent(0.2, steps=200, momentum=0.5)
    assert explorers.steps_to_close(half) < explorers.steps_to_close(plain)
    assert 2 * explorers.steps_to_close(half, 0.9999) < explorers.steps_to_close(plain, 0.9999)


# ---- mini-batches on the bowl ----------------------------------------------------------------

def test_bowl_sgd_with_the_full_batch_is_bowl_descent():
    full = explorers.bowl_sgd(0.1, 64, explorers.LR_STEPS)
    plain, _ = explorers.bowl_descent(0.1)
    assert len(full) == explorers.LR_STEPS + 1
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(full, plain))


def test_bowl_sgd_visits_every_point_once_per_pass_like_a_shuffled_dataloader():
    X, y = explorers.bowl_problem()
    batch_size, steps, seed = 16, 8, 3
    gen = torch.Generator().manual_seed(seed)
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.05)
    losses = [_bowl_loss(w).item()]
    for _ in range(steps // (len(X) // batch_size)):
        for batch in torch.randperm(len(X), generator=gen).split(batch_size):
            optimizer.zero_grad()
            ((X[batch] @ w - y[batch]) ** 2).mean().backward()
            optimizer.step()
            losses.append(_bowl_loss(w).item())
    got = explorers.bowl_sgd(0.05, batch_size, steps, seed)
    assert all(math.isclose(a, b, rel_tol=1e-10) for a, b in zip(got, losses)) and len(got) == len(losses)


def test_a_smaller_batch_settles_higher_as_06_says():
    _, lowest = explorers.bowl_minimum()

    def above(lr, batch_size, steps):
        tails = [explorers.bowl_sgd(lr, batch_size, steps, seed)[steps // 2:] for seed in range(5)]
        return sum(sum(t) / len(t) for t in tails) / 5 - lowest

    full, sixteen, four, four_slow = above(0.1, 64, 600), above(0.1, 16, 600), above(0.1, 4, 600), above(0.025, 4, 2400)
    assert full < 1e-9 < sixteen < four and four_slow < sixteen


@pytest.mark.parametrize("bad", [0, 5, 128, 2.0, True, None])
def test_bowl_sgd_refuses_a_batch_size_that_does_not_divide_the_data(bad):
    with pytest.raises(ValueError, match="batch_size must divide 64"):
        explorers.bowl_sgd(0.1, bad, 10)


def test_batch_gradient_error_falls_like_one_over_the_root_of_the_batch_size():
    errors = {b: explorers.batch_gradient_error(b) for b in (1, 4, 16, 64)}
    assert errors[64] < 1e-12  # the whole data: the full gradient itself
    assert 1.6 < errors[1] / errors[4] < 2.4 and 1.6 < errors[4] / errors[16] < 2.4


def test_batch_gradient_error_is_the_mean_relative_error_of_closed_form_batch_gradients():
    X, y = explorers.bowl_problem()
    w = torch.zeros(2, dtype=torch.float64)

    def gradient(rows):  # d/dw mean((Xw - y)^2) = 2/N X^T (Xw - y)
        return 2 * X[rows].T @ (X[rows] @ w - y[rows]) / len(rows)

    full = gradient(torch.arange(64))
    gen = torch.Generator().manual_seed(7)
    errors = [((gradient(torch.randperm(64, generator=gen)[:4]) - full).norm() / full.norm()).item()
              for _ in range(50)]
    assert math.isclose(explorers.batch_gradient_error(4, batches=50, seed=7), sum(errors) / 50, rel_tol=1e-9)


@pytest.mark.parametrize("bad", [0, 65, 1.5, True])
def test_batch_gradient_error_refuses_a_bad_batch_size(bad):
    with pytest.raises(ValueError, match="batch_size must be a whole number from 1 to 64"):
        explorers.batch_gradient_error(bad)


def test_noise_floor_is_the_mean_of_the_second_half_above_the_lowest_loss():
    _, lowest = explorers.bowl_minimum()
    tails = [explorers.bowl_sgd(0.1, 16, 40, seed)[20:] for seed in range(2)]
    expected = (sum(tails[0]) / len(tails[0]) + sum(tails[1]) / len(tails[1])) / 2 - lowest
    assert explorers.noise_floor(0.1, 16, 40, seeds=2) == pytest.approx(expected, rel=1e-12)
    assert explorers.noise_floor(0.1, 64, 600) < 1e-12 < explorers.noise_floor(0.1, 4, 600)  # full batch settles


def test_lr_summary_prints_the_rate_to_4_significant_digits():
    assert explorers.lr_summary(0.2512).startswith("lr=0.2512:")
