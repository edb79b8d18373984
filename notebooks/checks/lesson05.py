"""Checks for 05_loss_and_backward's exercises.

Each expected value is computed by autograd from the objects the exercise cell passes (the
output and target, the retained ``h``, the network and its batch, the 4 x 4 map), never by the
formula the student is asked for: it cannot drift from the notebook.
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


def _nonzero_after_relu_pool(x: torch.Tensor) -> int:
    """How many entries of ``x`` get a nonzero gradient from max_pool2d(relu(x), 2).sum()."""
    x = x.detach().clone().requires_grad_()
    F.max_pool2d(F.relu(x), 2).sum().backward()
    return int((x.grad != 0).sum())


def _batches(images, target) -> list:
    """Three batches of two digits (the check's own, overlapping, not the notebook's halves)."""
    return [(images[i:i + 2], target[i:i + 2]) for i in (0, 2, 1)]


def _grad_of_batch(net, images, target) -> torch.Tensor:
    """conv1.bias's gradient of one batch's MSE, by autograd on a copy of ``net``."""
    net = copy.deepcopy(net)
    (grad,) = torch.autograd.grad(nn.MSELoss()(net(images), target), net.conv1.bias)
    return grad


def _per_batch(f, net, images, target) -> list:
    """``f(net, batches)`` on a copy of ``net`` that still holds a gradient from an earlier step
    (ones), as a network in a training loop does."""
    net = copy.deepcopy(net)
    for p in net.parameters():
        p.grad = torch.ones_like(p)
    return [torch.as_tensor(g).detach() for g in f(net, _batches(images, target))]


def _adds_up(answer: list, objects: dict, start: float) -> bool:
    """True when the answer's gradients add up from batch to batch, from ``start`` (1: the earlier
    step's gradient kept, as in the snippet handed out; 0: cleared once, before the loop)."""
    each = [_grad_of_batch(objects["net"], x, y) for x, y in _batches(objects["images"], objects["target"])]
    running = start + torch.stack(each).cumsum(dim=0)
    return len(answer) == len(each) and all(torch.allclose(a, r, rtol=1e-5, atol=1e-7)
                                            for a, r in zip(answer, running))


def _is(scale):
    """A test: the answer is ``scale`` times the expected tensor."""
    def test(a, e, o):
        a = torch.as_tensor(a).detach().double()
        return a.shape == e.shape and torch.allclose(a, scale * e.double(), rtol=1e-4, atol=1e-6)
    return test


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
        expected=lambda x: _nonzero_after_relu_pool(x),
        form="a whole number (how many entries)",
        hints=("Follow each 2 x 2 window on its own: where does max-pool send its gradient, and does the "
               "ReLU let it through there?",
               "ReLU turns every negative number into 0: in a window of only negative numbers, which entry "
               "is the maximum after the ReLU, and is its gate open?"),
        mistakes=((lambda a, e, o: a == 4, "One per window would be right if every window held a positive "
                                           "number: look at the window whose numbers are all negative."),
                  (lambda a, e, o: a == int((o["x"] > 0).sum()), "That counts every positive entry: max-pool "
                                                                 "passes the gradient to one entry per window only.")),
    ),
    "05.5": Exercise(
        expected=lambda net, images, target: [_grad_of_batch(net, x, y) for x, y in _batches(images, target)],
        run=lambda f, net, images, target: _per_batch(f, net, images, target),
        unanswered=lambda f, objects: _adds_up(_per_batch(f, **objects), objects, start=1.0),
        same=lambda a, e, o: len(a) == len(e) and all(torch.allclose(x, y, rtol=1e-5, atol=1e-7)
                                                      for x, y in zip(a, e)),
        form="the fixed function, returning one gradient per batch",
        hints=("Print the list for two batches: how does the second gradient relate to the first, and to "
               "what backward() does with .grad?",
               "backward() adds into .grad: something must clear it between one batch's backward() and the "
               "next: before the new backward(), not between backward() and reading .grad."),
        mistakes=((lambda a, e, o: _adds_up(a, o, start=0.0),
                   "The first gradient is right now, but the next ones still add up: one clearing before "
                   "the loop is not enough."),),
    ),
}
