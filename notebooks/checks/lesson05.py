"""Checks for 05_loss_and_backward's exercises.

Each expected value is computed by autograd from the objects the exercise cell passes (the
output and target, the retained ``h``, the network and its batch, the logits and labels), never
by the formula the student is asked for: it cannot drift from the notebook.
"""
from __future__ import annotations

import copy

import torch
from torch import nn
import torch.nn.functional as F

from checks import Exercise, Refused


def _grad_of(loss_fn, x: torch.Tensor) -> torch.Tensor:
    """d loss_fn(x) / dx by autograd, on a copy of ``x`` (nothing else's .grad is touched)."""
    x = x.detach().clone().requires_grad_()
    (grad,) = torch.autograd.grad(loss_fn(x), x)
    return grad


def _full_batch_grad(net, images, target) -> torch.Tensor:
    """The gradient of the 4-digit MSE in conv1.weight, on a copy of ``net``."""
    net = copy.deepcopy(net)
    (grad,) = torch.autograd.grad(nn.MSELoss()(net(images), target), net.conv1.weight)
    return grad


def _in_two_pieces(two_pieces, net, images, target) -> torch.Tensor:
    """conv1.weight.grad after ``two_pieces(copy, images, target)`` on a fresh copy of ``net``,
    refused unless every forward pass saw half the digits and two backward() calls filled it."""
    net = copy.deepcopy(net)
    net.zero_grad(set_to_none=True)
    batches, backwards = [], []
    net.register_forward_pre_hook(lambda module, args: batches.append(len(args[0])))
    net.conv1.weight.register_post_accumulate_grad_hook(lambda p: backwards.append(1))
    two_pieces(net, images, target)
    if any(size > len(images) // 2 for size in batches):
        raise Refused(f"a forward pass saw {max(batches)} digits at once: the exercise asks for two pieces "
                      f"of {len(images) // 2}, each with its own backward().")
    if len(backwards) != 2:
        raise Refused(f"conv1.weight.grad was filled by {len(backwards)} backward() call(s): the exercise "
                      "asks for two, one per piece.")
    return net.conv1.weight.grad


def _is(scale):
    """A test: the answer is ``scale`` times the expected tensor."""
    def test(a, e, o):
        a = torch.as_tensor(a).detach().double()
        return a.shape == e.shape and torch.allclose(a, scale * e.double(), rtol=1e-4, atol=1e-6)
    return test


def _softmax_only(a, e, o):
    a = torch.as_tensor(a).detach().double()
    p = F.softmax(o["logits"].double(), dim=1)
    return a.shape == e.shape and any(torch.allclose(a, p / d, rtol=1e-4, atol=1e-6) for d in (1, len(p)))


EXERCISES = {
    "05.1": Exercise(
        expected=lambda output, target: _grad_of(lambda o: nn.MSELoss(reduction="sum")(o, target), output),
        form="a tensor of shape (4, 10)",
        hints=("Differentiate Σ (ŷ − y)² with respect to one ŷ: only one term of the sum contains it.",
               "It is section 2's gradient of the mean, except for what the mean does and the sum does not."),
        mistakes=((_is(1 / 40), "You divided by N: that is the gradient of the mean. reduction=\"sum\" "
                                "adds the squared errors up and divides by nothing."),
                  (_is(0.5), "The derivative of a square (ŷ − y)² is 2(ŷ − y): the factor 2 is missing.")),
    ),
    "05.2": Exercise(
        expected=lambda h: h.grad,
        form="a tensor of shape (4, 84)",
        hints=("h[n, k] reaches every output ŷ[n, i] of the same digit through W[i, k]: the chain rule "
               "adds up g[n, i] · W[i, k] over the outputs i.",
               "A sum over i of g[n, i] · W[i, k] for every n and k is one matrix product: (4 x 10) with (10 x 84)."),
        mistakes=((lambda a, e, o: torch.is_tensor(a) and tuple(a.shape) == (e.shape[1],),
                   "You summed over the batch, as for the bias: each of the 4 digits has its own h[n], so "
                   "its own row of ∂L/∂h."),
                  (lambda a, e, o: torch.is_tensor(a) and tuple(a.shape) == tuple(reversed(e.shape)),
                   "A gradient has the shape of its tensor: h is (4, 84), so is ∂L/∂h.")),
    ),
    "05.3": Exercise(
        expected=lambda net, images, target: _full_batch_grad(net, images, target),
        run=_in_two_pieces,
        form="a function that calls backward() twice on the net it is given",
        hints=("The 4-digit loss is a mean over 40 numbers, each half's loss a mean over 20: how does the "
               "full loss relate to the two half losses?",
               "backward() adds each piece's gradient into .grad: by what must each half's loss be "
               "weighted so that the two add up to the gradient of the mean over all 40?"),
        mistakes=((_is(2.0), "Each half's loss is a mean over its own 20 numbers, so the two gradients add up "
                             "to twice the full one: the 4-digit loss is the average of the two half losses, "
                             "not their sum."),),
    ),
    "05.4": Exercise(
        expected=lambda logits, labels: _grad_of(lambda z: nn.CrossEntropyLoss()(z, labels), logits),
        form="a tensor of shape (4, 10)",
        hints=("Differentiate the two terms separately: ∂(−z_y)/∂z_i is −1 or 0; for log Σ_j exp(z_j) "
               "use the chain rule through the log.",
               "∂/∂z_i log Σ_j exp(z_j) = exp(z_i) / Σ_j exp(z_j), the softmax (F.softmax); F.one_hot(labels, 10) "
               "marks each digit's label; and the loss is the mean over the batch."),
        mistakes=((_is(4.0), "nn.CrossEntropyLoss() takes the mean over the 4 digits: each digit's gradient "
                             "is divided by the batch size."),
                  (_is(-1.0), "Check the sign: raising the logit of the right class lowers the loss."),
                  (_softmax_only, "That is the derivative of the log Σ exp term only: −z_y contributes too, "
                                  "−1 at the label's entry of each row.")),
    ),
}
