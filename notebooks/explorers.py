"""The maths behind the learning-rate explorer of 06_manual_weight_updates: a two-weight
least-squares bowl, gradient descent on it (with or without momentum), its exact minimum, and the
explorer's verdict. The figures of these runs are in ``training_figures``.

Unit tests: tests/test_explorers.py.
"""
from __future__ import annotations

import math

import torch


LR_STEPS = 30  # steps of gradient descent the learning-rate explorer runs


def bowl_problem() -> tuple[torch.Tensor, torch.Tensor]:
    """A least-squares problem small enough to understand fully: ``X`` (64, 2), ``y`` (64,), float64.

    The loss ``((X @ w - y)**2).mean()`` is a narrow bowl over the two weights ``w`` (features
    scaled by 2 and 0.5). Always the same numbers: own generator, seed 0.
    Introduced in 06_manual_weight_updates.
    """
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(64, 2, generator=gen, dtype=torch.float64) * torch.tensor([2.0, 0.5], dtype=torch.float64)
    noise = torch.randn(64, generator=gen, dtype=torch.float64)
    return X, X @ torch.tensor([1.5, -2.0], dtype=torch.float64) + 0.3 * noise


def bowl_descent(lr: float, steps: int = LR_STEPS, momentum: float = 0.0) -> tuple[list[float], torch.Tensor]:
    """Gradient descent on ``bowl_problem()`` from ``w = 0``: ``loss.backward()``, ``w -= lr * w.grad``.

    With ``momentum`` μ > 0 it steps along a buffer instead, PyTorch's form: ``b = g`` at the first
    step, then ``b = μ·b + g``; ``w -= lr * b``. Returns the loss before each step and after the
    last (``steps + 1`` floats) and the weights visited, shape ``(steps + 1, 2)``.
    Introduced in 06_manual_weight_updates.
    """
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr < math.inf:
        raise ValueError(f"lr must be a positive number such as 0.1, got {lr!r}")
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum < 1:
        raise ValueError(f"momentum must be a number in [0, 1) such as 0.9, got {momentum!r}")
    X, y = bowl_problem()
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    losses, path, buffer = [], [w.detach().clone()], None
    for step in range(steps + 1):
        loss = ((X @ w - y) ** 2).mean()
        losses.append(loss.item())
        if step < steps:
            loss.backward()
            with torch.no_grad():
                if momentum:
                    buffer = w.grad.clone() if buffer is None else buffer.mul_(momentum).add_(w.grad)
                    w -= lr * buffer
                else:
                    w -= lr * w.grad
            w.grad = None
            path.append(w.detach().clone())
    return losses, torch.stack(path)


def bowl_minimum() -> tuple[torch.Tensor, float]:
    """The bottom of ``bowl_problem()``'s bowl: the least-squares weights and the lowest possible loss.

    Introduced in 06_manual_weight_updates.
    """
    X, y = bowl_problem()
    best_w = torch.linalg.solve(X.T @ X, X.T @ y)
    return best_w, ((X @ best_w - y) ** 2).mean().item()


def steps_to_close(losses: list[float], fraction: float = 0.99) -> int | None:
    """The first step from which ``losses`` (from ``bowl_descent``) stay within ``1 - fraction`` of
    the gap between the start and ``bowl_minimum()``'s lowest loss, at every later step recorded;
    None if the last loss is not. A loss that dips below and bounces back (momentum) does not count.
    Introduced in 06_manual_weight_updates.
    """
    _, best = bowl_minimum()
    close = [loss - best <= (1 - fraction) * (losses[0] - best) for loss in losses]
    if not close or not close[-1]:
        return None
    above = [k for k, ok in enumerate(close) if not ok]
    return above[-1] + 1 if above else 0


def lr_summary(lr: float) -> str:
    """The learning-rate slider's text: loss at the start and after ``LR_STEPS`` steps, and a verdict.

    Runs ``bowl_descent(lr)``: "diverges" if the loss ends higher than it started (or overflows),
    "converges" if it closed 99% of the gap to the lowest possible loss, else "converges slowly".
    Introduced in 06_manual_weight_updates.
    """
    losses, _ = bowl_descent(lr)
    _, best = bowl_minimum()
    first, last = losses[0], losses[-1]
    if not last <= first:  # also catches inf and nan
        verdict = "diverges"
    elif steps_to_close([first, last]) is not None:  # the last loss closed 99 % of the gap
        verdict = "converges"
    else:
        verdict = "converges slowly"
    return (f"lr={lr:.4g}: loss {first:.4f} at the start, {last:.4g} after {LR_STEPS} steps "
            f"(lowest possible {best:.4f}): {verdict}")


def bowl_sgd(lr: float, batch_size: int, steps: int, seed: int = 0) -> list[float]:
    """Mini-batch gradient descent on ``bowl_problem()`` from ``w = 0``, as a DataLoader with
    ``shuffle=True`` feeds it: each pass over the 64 points visits them in a new random order
    (own generator, ``seed``), ``batch_size`` points per step; each step uses the gradient of the
    batch's mean squared error. Returns the loss on all 64 points before each step and after the
    last (``steps + 1`` floats). ``batch_size=64`` is ``bowl_descent``.
    Introduced in 06_manual_weight_updates.
    """
    X, y = bowl_problem()
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1 or len(X) % batch_size:
        raise ValueError(f"batch_size must divide {len(X)}, such as 16, got {batch_size!r}")
    gen = torch.Generator().manual_seed(seed)
    w = torch.zeros(2, dtype=torch.float64)
    losses, order = [((X @ w - y) ** 2).mean().item()], torch.empty(0, dtype=torch.long)
    for step in range(steps):
        if len(order) == 0:
            order = torch.randperm(len(X), generator=gen)
        batch, order = order[:batch_size], order[batch_size:]
        xb, yb = X[batch], y[batch]
        w = w - lr * 2 * xb.T @ (xb @ w - yb) / batch_size  # the gradient of mean((xb w - yb)²)
        losses.append(((X @ w - y) ** 2).mean().item())
    return losses


def batch_gradient_error(batch_size: int, batches: int = 400, seed: int = 0) -> float:
    """How far the gradient of a random batch is from the full gradient, on ``bowl_problem()`` at
    ``w = 0``: ‖g_batch − g‖ / ‖g‖, averaged over ``batches`` batches of ``batch_size`` distinct
    points (own generator, ``seed``). Both gradients by autograd, of the mean squared error.
    Introduced in 06_manual_weight_updates.
    """
    X, y = bowl_problem()
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= len(X):
        raise ValueError(f"batch_size must be a whole number from 1 to {len(X)}, got {batch_size!r}")
    gen = torch.Generator().manual_seed(seed)
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)

    def gradient(rows: torch.Tensor) -> torch.Tensor:
        return torch.autograd.grad(((X[rows] @ w - y[rows]) ** 2).mean(), w)[0]

    full = gradient(torch.arange(len(X)))
    errors = [(gradient(torch.randperm(len(X), generator=gen)[:batch_size]) - full).norm() / full.norm()
              for _ in range(batches)]
    return torch.stack(errors).mean().item()


def noise_floor(lr: float, batch_size: int, steps: int, seeds: int = 3) -> float:
    """How far ``bowl_sgd(lr, batch_size, steps, seed)`` stays above the bowl's lowest loss: its loss
    averaged over the second half of the steps and over seeds ``0 .. seeds - 1``, minus
    ``bowl_minimum()``'s loss (at least 0: rounding can give -1e-17).
    Introduced in 06_manual_weight_updates.
    """
    tails = [bowl_sgd(lr, batch_size, steps, seed)[steps // 2:] for seed in range(seeds)]
    return max(sum(sum(tail) / len(tail) for tail in tails) / seeds - bowl_minimum()[1], 0.0)
