"""Checks for 06_manual_weight_updates' exercises.

Each expected value is computed by ``torch.optim`` (or from the Hessian, for exercise 3) on
copies of the objects the exercise cell passes: the weights and their gradient, the learning
rate, the scaled features. Nothing the student is asked for is written out here as a formula
the cell could show.
"""
from __future__ import annotations

import torch

from checks import Exercise


def _optimizer_step(weight, grad, optimizer_class, **options) -> torch.Tensor:
    """``weight`` after one step of ``optimizer_class`` with gradient ``grad``, on copies."""
    p = weight.detach().clone().requires_grad_()
    p.grad = grad.detach().clone()
    optimizer_class([p], **options).step()
    return p.detach()


def _critical_lr(X, y) -> float:
    """2 / the largest eigenvalue of the Hessian of mean((X w - y)^2)."""
    hessian = torch.autograd.functional.hessian(lambda w: ((X @ w - y) ** 2).mean(),
                                                torch.zeros(X.shape[1], dtype=X.dtype))
    return 2 / torch.linalg.eigvalsh(hessian).max().item()


def _close(a, b) -> bool:
    try:
        a = torch.as_tensor(a).detach().double()
    except (TypeError, ValueError, RuntimeError):
        return False
    return a.shape == b.shape and torch.allclose(a, b.double(), rtol=1e-4, atol=1e-6)


def _number(a) -> float | None:
    try:
        return float(a)
    except (TypeError, ValueError, RuntimeError):
        return None


def _near(a, value) -> bool:
    a = _number(a)
    return a is not None and abs(a - value) <= 1e-3 * abs(value)


EXERCISES = {
    "06.1": Exercise(
        expected=lambda w, lr: _optimizer_step(w, w.grad, torch.optim.SGD, lr=lr),
        form="a tensor of 3 numbers",
        hints=("One step moves each weight against its gradient, by the learning rate times the gradient.",
               "The gradient is already in ex1_w.grad; the new weights are the old ones minus lr times it."),
        mistakes=((lambda a, e, o: _close(a, o["w"].detach() + o["lr"] * o["w"].grad),
                   "You stepped up the gradient, where the loss grows: gradient descent subtracts."),
                  (lambda a, e, o: _close(a, o["w"].detach() - o["lr"] * o["w"].detach()),
                   "The gradient of Σ w² is 2w, not w: use ex1_w.grad."),
                  (lambda a, e, o: _close(a, -o["lr"] * o["w"].grad),
                   "That is only the change; add it to the weights.")),
    ),
    "06.2": Exercise(
        expected=lambda w, lr: _optimizer_step(w, w.grad, torch.optim.Adam, lr=lr),
        form="a tensor of 4 numbers",
        hints=("At the first step m̂ = g and √v̂ = √(g²): what is g / (√(g²) + ε) for a positive g, and for "
               "a negative one?",
               "g / (|g| + 1e-8) is almost exactly the sign of g: each weight moves by about lr, against its "
               "gradient."),
        mistakes=((lambda a, e, o: _close(a, o["w"].detach() - o["lr"] * o["w"].grad),
                   "That is an SGD step, lr · g: Adam divides by √v̂ + ε, so the size of g drops out."),
                  (lambda a, e, o: _close(a, 2 * o["w"].detach() - e),
                   "Check the sign of the step: Adam, too, moves against the gradient."),
                  (lambda a, e, o: _close(a, o["w"].detach() - o["lr"] * o["w"].grad / (o["w"].grad ** 2 + 1e-8)),
                   "You divided by v̂ = g², not by its square root √v̂ = |g|.")),
    ),
    "06.3": Exercise(
        expected=lambda X, y: _critical_lr(X, y),
        form="a number (a float)",
        rtol=1e-3,
        hints=("The limit is 2 / λ_max of the Hessian H = 2 XᵀX / N. What happens to H when X doubles?",
               "X appears twice in H: doubling X multiplies H, and every eigenvalue of it, by 4."),
        mistakes=((lambda a, e, o: _near(a, 2 * e),
                   "Doubling X doubles the slope, but the Hessian 2 XᵀX / N holds X twice: the curvature "
                   "grows 4 times, not 2."),
                  (lambda a, e, o: _near(a, 4 * e),
                   "That is the old limit: the bowl is steeper now, so the largest safe step is smaller."),
                  (lambda a, e, o: _near(a, 16 * e) or _near(a, e / 4),
                   "Scaling X scales the Hessian's eigenvalues, and the limit is 2 / λ_max: one factor of 4, "
                   "in the right direction.")),
    ),
    "06.4": Exercise(
        expected=lambda weight, grad, lr, weight_decay: _optimizer_step(
            weight, grad, torch.optim.SGD, lr=lr, weight_decay=weight_decay),
        form="a tensor of the shape of fc3.weight, (10, 84)",
        hints=("First the new gradient: the old one plus wd · p. Then the usual step with it.",
               "The learning rate multiplies the whole new gradient, the decay term included."),
        mistakes=((lambda a, e, o: _close(a, o["weight"] - o["lr"] * o["grad"] - o["weight_decay"] * o["weight"]),
                   "You subtracted the decay without the learning rate: wd · p joins the gradient, and lr "
                   "multiplies the sum."),
                  (lambda a, e, o: _close(a, o["weight"] - o["lr"] * o["grad"]),
                   "That is a step without weight decay: add wd · p to the gradient first."),
                  (lambda a, e, o: _close(a, o["weight"] - o["lr"] * (o["grad"] - o["weight_decay"] * o["weight"])),
                   "Check the sign: the decay pulls weights towards 0, so wd · p is added to the gradient.")),
    ),
}
