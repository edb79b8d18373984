"""Checks for 04_autograd_graph's exercises.

Each expected value is computed from the objects the exercise cell passes (the tensors, the
loss and its net, the function and its input): it cannot drift from the notebook.
"""
from __future__ import annotations

import torch

from checks import Exercise


def _count(fn, x, name="MulBackward0") -> int:
    """How many nodes called ``name`` the backward graph of ``fn(x)`` has."""
    seen, todo = set(), [fn(x).grad_fn]
    while todo:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        todo += [child for child, _ in node.next_functions]
    return sum(type(node).__name__ == name for node in seen)


def _jacobian_row(net, x, row):
    """d net(x)[0, row] / dx, without touching any .grad."""
    x = x.detach().clone().requires_grad_()
    (grad,) = torch.autograd.grad(net(x)[0, row], x)
    return grad


def _same_values(a, e, o) -> bool:
    """A tensor with the expected numbers, in the expected shape or squeezed (28x28)."""
    if not isinstance(a, torch.Tensor) or a.numel() != e.numel() or a.squeeze().shape != e.squeeze().shape:
        return False
    return torch.allclose(a.detach().reshape(e.shape).double(), e.double(), rtol=1e-4, atol=1e-6)


def _close_to(a, e) -> bool:
    return isinstance(a, torch.Tensor) and a.numel() == e.numel() and torch.allclose(
        a.detach().reshape(e.shape).double(), e.double(), rtol=1e-4, atol=1e-6)


def _variable(node):
    return getattr(node, "variable", None)


EXERCISES = {
    "04.1": Exercise(
        expected=lambda a, b, c, d: (a.is_leaf, b.is_leaf, c.is_leaf, d.is_leaf),
        form="a tuple of four booleans (True or False; 1 and 0 do too)",
        hints=("Ask of each tensor: did autograd record an operation that made it? Only such a tensor "
               "has a grad_fn.",
               "A tensor that nothing tracks is a leaf, whether or not it requires a gradient; look again "
               "at what .detach() returns."),
        mistakes=(
            (lambda a, e, o: isinstance(a, tuple) and len(a) == 4 and a[3] is False and a[:3] == e[:3],
             "A detached tensor has no history: .detach() returns a tensor with no grad_fn, a new leaf, "
             "even though it was computed from a result."),
            (lambda a, e, o: isinstance(a, tuple) and len(a) == 4 and a[2] is False and e[2],
             "A tensor that does not require a gradient is still a leaf: nothing recorded how it was made."),
        ),
    ),
    "04.2": Exercise(
        expected=lambda loss, net: net.fc2.bias,
        form="a node of the backward graph (an AccumulateGrad)",
        same=lambda a, e, o: _variable(a) is e,
        hints=("The printed chain of section 2 is your map: which input of an AddmmBackward0 is its "
               "bias, and which leads to the layer before?",
               "From ex2_loss.grad_fn go to fc3's AddmmBackward0, then down through the ReLU to fc2's "
               "AddmmBackward0; one of its inputs is the bias's AccumulateGrad."),
        mistakes=(
            (lambda a, e, o: a is e or isinstance(a, torch.Tensor),
             "That is a tensor; the exercise asks for the node of the graph that fills fc2.bias's .grad "
             "(the step before .variable)."),
            (lambda a, e, o: _variable(a) is o["net"].fc3.bias,
             "That is fc3's own bias (input 0 of fc3's AddmmBackward0): fc2 lies further down, behind the ReLU."),
            (lambda a, e, o: _variable(a) is o["net"].fc2.weight or type(a).__name__ == "TBackward0",
             "Right layer, wrong input: that path leads to fc2's weight, not its bias."),
        ),
    ),
    "04.3": Exercise(
        expected=lambda fn, x: _count(fn, x),
        form="an int (a number of nodes)",
        hints=("Follow the code of `dynamic` by hand for this x: is the ReLU taken, and how many times "
               "does the while loop run? Each multiplication records one MulBackward0.",
               "Compute h = x * w2 and its length (h.norm()); count the doublings needed before the "
               "length reaches 4."),
        mistakes=(
            (lambda a, e, o: isinstance(a, int) and a == e - 1,
             "You counted the doublings only: the first x * w2 is a multiplication too."),
        ),
    ),
    "04.4": Exercise(
        expected=lambda net, x: _jacobian_row(net, x, 3),
        form="a tensor of shape (1, 1, 28, 28), the gradient of output 3 with respect to ex4_x",
        same=_same_values,
        hints=("out.backward(v) computes v J, a weighted sum of the rows of J: which v keeps row 3 and "
               "drops every other row?",
               "Run a fresh forward of ex4_x, call backward with a v that is zero except for class 3, "
               "then read ex4_x.grad."),
        mistakes=(
            (lambda a, e, o: _close_to(a, sum(_jacobian_row(o["net"], o["x"], r) for r in range(10))),
             "A v of ones adds all ten rows of J together: v must be one-hot, a 1 for class 3 only."),
            (lambda a, e, o: _close_to(a, 2 * e),
             "Twice the answer: .grad adds up over backward calls. Run the whole cell again, with one backward."),
            (lambda a, e, o: any(_close_to(a, _jacobian_row(o["net"], o["x"], r)) for r in (2, 4)),
             "That is the row of a neighbouring class: indices start at 0, so class 3 is index 3."),
        ),
    ),
}
