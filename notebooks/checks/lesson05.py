"""Checks for 05_loss_and_backward's exercises.

Each expected value is computed by autograd, from the check's own small layer (05.1) or from the
objects the exercise cell passes (the network and its batch, the 4 x 4 map), never by the
formula the student is asked for: it cannot drift from the notebook.
"""
from __future__ import annotations

import copy

import torch
from torch import nn
import torch.nn.functional as F

from checks import Exercise, Refused


_SLOPES = (0.2, 0.05)  # the check's layer runs with two slopes: a slope written in passes at most one


class _Answers(tuple):
    """The answer (dW, db, dx) at the first slope; ``other`` holds it at the second slope."""
    other: tuple = ()


def _layer_case(slope: float = _SLOPES[0]) -> tuple:
    """The check's own linear layer with a leaky ReLU, r = leaky_relu(x Wᵀ + b, slope), and a gradient
    dr arriving at r (fixed numbers and its own slopes, not the notebook's: an answer read off a
    retained .grad, or a slope written in, cannot pass)."""
    gen = torch.Generator().manual_seed(5)
    x, W, b = (torch.randn(*shape, generator=gen, dtype=torch.float64) for shape in ((5, 7), (3, 7), (3,)))
    dr = torch.randn(5, 3, generator=gen, dtype=torch.float64)
    return dr, F.leaky_relu(x @ W.T + b, slope), x, W, b, slope


def _layer_grads(slope: float = _SLOPES[0]) -> tuple:
    """(dL/dW, dL/db, dL/dx) of the check's layer, by autograd."""
    dr, _, x, W, b, slope = _layer_case(slope)
    x, W, b = (t.clone().requires_grad_() for t in (x, W, b))
    return torch.autograd.grad((F.leaky_relu(x @ W.T + b, slope) * dr).sum(), (W, b, x))


def _run_backward(f) -> tuple:
    """``f(dr, r, x, W, slope)`` on the check's layer at each of its slopes, with autograd switched
    off: the three tensors at the first slope, those at the second in ``.other``."""
    first, second = (_run_backward_at(f, slope) for slope in _SLOPES)
    answer = _Answers(first)
    answer.other = second
    return answer


def _run_backward_at(f, slope: float) -> tuple:
    """``f(dr, r, x, W, slope)`` at one slope: three tensors."""
    dr, r, x, W, _, slope = _layer_case(slope)
    graphs = []  # autograd saving a tensor for a backward: a graph was built (torch.enable_grad inside f)

    def saved(tensor):
        graphs.append(1)
        return tensor

    with torch.no_grad(), torch.autograd.graph.saved_tensors_hooks(saved, lambda tensor: tensor):
        try:
            answer = f(dr, r, x, W, slope)
        except RuntimeError as error:
            if "does not require grad" in str(error):
                raise Refused("autograd is switched off here (no graph reaches r): compute the gradients "
                              "by hand.") from None
            if "torch.func" in str(error):  # functorch refuses to run under the check's saved-tensor hook
                raise Refused("torch.func computes gradients by autograd: the exercise asks for them by "
                              "hand.") from None
            if "cannot be multiplied" in str(error):
                raise Refused(f"a matrix product in your function failed ({error}). dW must have W's shape "
                              "(m, k), db b's shape (m,), dx x's shape (n, k): which product of the gradient "
                              "at c (n, m) with x (n, k), or with W (m, k), gives each?") from None
            raise
    if graphs:
        raise Refused("your function switched autograd back on (torch.enable_grad?) and built a graph: "
                      "the exercise asks for the gradients by hand.")
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Refused("the function should return three tensors: (dW, db, dx).")
    return tuple(torch.as_tensor(a).detach().double() for a in answer)


def _right_at_both_slopes(a, e) -> bool:
    """True when the answer matches autograd at the first slope and, in ``a.other``, at the second."""
    return _close_grads(a, e) and _close_grads(getattr(a, "other", ()), _layer_grads(_SLOPES[1]))


def _with_local_slope(local) -> tuple:
    """The layer's gradients when dr is multiplied by ``local(r, dr, slope)`` on the way to c: the
    right local slope, or a typical wrong one."""
    dr, r, x, W, _, slope = _layer_case()
    g = dr * local(r, dr, slope)
    return g.T @ x, g.sum(dim=0), g @ W


def _wrong_local(local, hint: str) -> tuple:
    """A mistake: the answer is what the wrong ``local`` slope gives."""
    return (lambda a, e, o: _close_grads(a, _with_local_slope(local)), hint)


def _wrong_gradient_at_c(g_of, hint: str) -> tuple:
    """A mistake: the answer is what a wrong gradient at c, ``g_of(r, dr, slope)``, gives."""
    def grads():
        dr, r, x, W, _, slope = _layer_case()
        g = g_of(r, dr, slope)
        return g.T @ x, g.sum(dim=0), g @ W
    return (lambda a, e, o: _close_grads(a, grads()), hint)


_PLAIN_GATE = ("That is the plain ReLU's gate: it blocks dr wherever c < 0. A leaky ReLU does not block "
               "there: what is its slope where c < 0, and what does dr become?")


def _close_grads(a, e) -> bool:
    """True when the gradients ``a`` match ``e`` in shape (no broadcasting: a gradient has the shape of
    its tensor) and in value."""
    return len(a) == len(e) and all(torch.as_tensor(x).shape == y.shape and torch.allclose(
        torch.as_tensor(x).double(), y.double(), rtol=1e-5, atol=1e-7) for x, y in zip(a, e))


def _second_half_alone(answer, objects) -> bool:
    """True when the answer is the gradient of the second half alone (cleared in between)."""
    net, images, target = objects["net"], objects["images"], objects["target"]
    half = _full_batch_grad(net, images[2:], target[2:])
    answer = torch.as_tensor(answer).double()
    return any(torch.allclose(answer, s * half.double(), rtol=1e-4, atol=1e-7) for s in (1.0, 0.5))


def _full_batch_grad(net, images, target) -> torch.Tensor:
    """The gradient of the 4-digit MSE in conv1.weight, on a copy of ``net``."""
    net = copy.deepcopy(net)
    (grad,) = torch.autograd.grad(nn.MSELoss()(net(images), target), net.conv1.weight)
    return grad


_TOO_BIG = ("A forward pass saw more than 2 digits at once: the exercise asks for two pieces of 2 digits, "
            "each with its own backward().")
_ONE_BACKWARD = ("conv1.weight.grad was filled by one backward() call: the exercise asks for two, one per "
                 "piece, adding into .grad.")
_NOT_TWO = "conv1.weight.grad was not filled by two backward() calls: the exercise asks for two, one per piece."
_SHARED_GRAPH = ("A backward() went through both halves' forward passes (one loss of all 4 digits, kept with "
                 "retain_graph?): the exercise asks for one loss per half, each with its own backward(), and no "
                 "zero_grad() in between.")
_ONLY_CONV1 = ("conv1.weight.grad is right, but another parameter's .grad is not: every .grad must equal the "
               "4-digit loss's gradient. Weight each half's loss before its backward() instead of fixing one "
               ".grad afterwards.")
_CHANGED_AFTER = ("conv1.weight.grad was changed after the last backward(): weight each half's loss before its "
                  "backward() instead, so that the two backward() calls alone add up to the 4-digit loss's gradient.")


def _graph_walk() -> int:
    """The id of the running backward() or autograd.grad() call (one per walk of the graph)."""
    current = getattr(torch._C, "_current_graph_task_id", None)  # private; without it, all walks count as one
    return current() if current is not None else 0


def _in_two_pieces(two_pieces, net, images, target):
    """conv1.weight.grad after ``two_pieces(copy, images, target)`` on a fresh copy of ``net``; or, when a
    forward pass saw more than half the digits, the number of backward() calls was not two, or conv1.weight.grad
    is right but another parameter's .grad is not, or it was changed after the last backward(), the message saying so (told alone, by its own hint, not the ladder's)."""
    original, net = net, copy.deepcopy(net)
    net.zero_grad(set_to_none=True)
    batches, backwards, reached = [], [], {}  # reached: per graph walk, the forward passes it went through
    accumulated = []  # conv1.weight.grad as each backward() left it

    def watch(module, args, output):
        index = len(batches)
        batches.append(len(args[0]))
        if output.requires_grad:
            output.register_hook(lambda grad: reached.setdefault(_graph_walk(), set()).add(index))

    def count(p):  # a backward() that reached conv1.weight.grad: only its own walk counts (not an autograd.grad)
        backwards.append(frozenset(reached.pop(_graph_walk(), set())))
        accumulated.append(p.grad.detach().clone())

    net.register_forward_hook(watch)
    net.conv1.weight.register_post_accumulate_grad_hook(count)
    two_pieces(net, images, target)
    if any(size > len(images) // 2 for size in batches):
        return _TOO_BIG
    if len(backwards) != 2:
        return _ONE_BACKWARD if len(backwards) == 1 else _NOT_TWO
    if any(len(forwards) > 1 for forwards in backwards):
        return _SHARED_GRAPH
    reference = copy.deepcopy(original)  # every parameter's gradient of the 4-digit loss
    reference.zero_grad(set_to_none=True)
    nn.MSELoss()(reference(images), target).backward()
    if _same_grad(net.conv1.weight.grad, reference.conv1.weight.grad) and not all(
            _same_grad(p.grad, r.grad) for p, r in zip(net.parameters(), reference.parameters())):
        return _ONLY_CONV1
    if not torch.equal(net.conv1.weight.grad, accumulated[-1]):  # fixed afterwards, e.g. every .grad divided by 2
        return _CHANGED_AFTER
    return net.conv1.weight.grad


def _same_grad(answer, expected) -> bool:
    """True when ``answer`` is a tensor of the expected gradient's shape and values."""
    return (isinstance(answer, torch.Tensor) and answer.shape == expected.shape
            and torch.allclose(answer.double(), expected.double(), rtol=1e-5, atol=1e-6))


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


_TOO_FEW_BACKWARDS = ("backward() filled conv1.bias.grad fewer times than there are batches: the exercise "
                      "keeps the loop's backward() and .grad, and fixes them.")
_NEVER_CLEARED = ("Right numbers, but .grad was never cleared: after your loop it still holds the earlier step's "
                  "gradient plus every batch's. The exercise is about clearing: zero_grad(set_to_none=False) "
                  "before each batch's backward(), and a copy of each batch's .grad.")
_SET_TO_NONE = ("Not this way: the exercise keeps zero_grad(set_to_none=False), the default before PyTorch 2.0; fix the loop "
                "with it. (Your loop let conv1.bias.grad be replaced by a new tensor: the default zero_grad() "
                "sets it to None and the next backward() makes a new one, so it needed no copy.)")


def _per_batch(f, net, images, target):
    """``f(net, batches)`` on a copy of ``net`` that still holds a gradient from an earlier step
    (ones), as ``net`` does after section 2 and as a network in a training loop does; or, unless
    backward() filled conv1.bias.grad once per batch (the exercise is about ``.grad``), the message
    saying so (told alone, by its own hint, not the ladder's). So is a right list when conv1.bias.grad
    was replaced on the way (the default ``zero_grad()`` sets it to None): the prompt keeps the
    in-place clearing."""
    each = [_grad_of_batch(net, x, y) for x, y in _batches(images, target)]
    net = copy.deepcopy(net)
    for p in net.parameters():
        p.grad = torch.ones_like(p)
    held = net.conv1.bias.grad
    backwards = []
    net.conv1.bias.register_post_accumulate_grad_hook(lambda p: backwards.append(1))
    batches = _batches(images, target)
    grads = f(net, batches)
    if len(backwards) < len(batches):
        return _TOO_FEW_BACKWARDS
    grads = [g if isinstance(g, torch.Tensor) and not g.requires_grad else torch.as_tensor(g).detach()
             for g in grads]  # the same objects as returned: the .detach() mistake is told by them
    right = len(grads) == len(each) and all(torch.allclose(a, e, rtol=1e-5, atol=1e-7) for a, e in zip(grads, each))
    if right and net.conv1.bias.grad is not held:
        return _SET_TO_NONE
    if right and torch.allclose(held, 1.0 + torch.stack(each).sum(dim=0), rtol=1e-5, atol=1e-7):
        return _NEVER_CLEARED  # the earlier step's ones and every batch's gradient, still there
    return grads


# Exercise 05.4's snippet as the notebook hands it out (comments aside): "not answered" is decided by
# the code, not by the result, since real attempts (no clearing at all; one more clearing before the
# loop) return the same kind of list. The student-build replay fails if the notebook's copy drifts.
_HANDED_OUT = """
def ex4_batch_grads(net, batches):
    grads = []
    for images, target in batches:
        loss = nn.MSELoss()(net(images), target)
        loss.backward()
        grads.append(net.conv1.bias.grad)
        net.zero_grad(set_to_none=False)
    return grads
"""


def _code_key(code) -> tuple:
    """What a function's code does, without its file, name of origin or line numbers."""
    return code.co_code, code.co_consts, code.co_names, code.co_varnames


def _handed_out(f, objects: dict) -> bool:
    """True for the snippet exactly as handed out (its comments may differ), judged by its code.

    Known limit (review 05b, CPython 3.11): when the exercise cell also runs ``from torch import nn``,
    the untouched snippet was seen to compile to other bytecode than here, and then gets the "share
    one memory" hint, which is right, instead of "not answered yet"."""
    namespace: dict = {}
    exec(_HANDED_OUT, namespace)
    code = getattr(f, "__code__", None)
    return code is not None and _code_key(code) == _code_key(namespace["ex4_batch_grads"].__code__)


def _first_holds_the_earlier_step(answer: list, objects: dict) -> bool:
    """True when only the first gradient still holds the earlier step's (ones): cleared after each
    backward(), not before."""
    each = [_grad_of_batch(objects["net"], x, y) for x, y in _batches(objects["images"], objects["target"])]
    each[0] = each[0] + 1.0
    return len(answer) == len(each) and all(torch.allclose(a, r, rtol=1e-5, atol=1e-7)
                                            for a, r in zip(answer, each))


def _adds_up(answer: list, objects: dict, start: float) -> bool:
    """True when the answer's gradients add up from batch to batch, from ``start`` (1: the earlier
    step's gradient kept, a copy per batch; 0: cleared once, before the loop)."""
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


def _ce_grad(z, label):
    """∂L/∂z of nn.CrossEntropyLoss for exercise 5's one digit, by autograd: its 3 entries."""
    z = z.detach().double().requires_grad_()
    return torch.autograd.grad(F.cross_entropy(z, label), z)[0][0]


def _flat(answer) -> torch.Tensor:
    return torch.as_tensor(answer, dtype=torch.float64).flatten()


def _near(answer, value) -> bool:
    a = _flat(answer)
    return a.shape == value.shape and bool(torch.allclose(a, value.double(), atol=1e-3))


def _p(z) -> torch.Tensor:
    return F.softmax(z.double(), dim=1)[0]


EXERCISES = {
    "05.1": Exercise(
        expected=lambda: _layer_grads(),
        run=lambda f: _run_backward(f),
        form="a function returning three tensors (dW, db, dx)",
        same=lambda a, e, o: _right_at_both_slopes(a, e),
        hints=("Go backward one step at a time: first through the leaky ReLU (its slope where c > 0, and "
               "where c < 0?), then through the linear layer, with section 2's three rules for fc3 (its "
               "weight, its bias, its input h).",
               "You get r, not c, but with slope > 0, r = slope · c has the sign of c: r < 0 exactly where "
               "c < 0. Multiply each entry of dr by its local slope; the linear layer then sees that "
               "gradient, as fc3 saw g in section 2, with x in the place of h. Let the shapes tell you "
               "which products and sums to take."),
        mistakes=((lambda a, e, o: _close_grads(a, e),
                   f"Right at slope {_SLOPES[0]}, wrong at slope {_SLOPES[1]}: the check runs your function "
                   "with two slopes. Use the function's argument `slope`, not a number written in."),
                  _wrong_local(lambda r, dr, s: (r > 0).double(), _PLAIN_GATE),
                  _wrong_local(lambda r, dr, s: (r >= 0).double(), _PLAIN_GATE),
                  _wrong_gradient_at_c(lambda r, dr, s: torch.where(r > 0, dr, torch.full_like(dr, s)),
                                       "Where c < 0 your gradient at c is the slope itself. The chain rule "
                                       "multiplies: there it is dr times the slope."),
                  _wrong_local(lambda r, dr, s: torch.ones_like(r),
                               "No entry of dr was changed: that is a linear layer alone. Where c < 0 the leaky "
                               "ReLU's slope is not 1."),
                  _wrong_local(lambda r, dr, s: torch.where(r > 0, s, 1.0),
                               "The two slopes are swapped: where c > 0 the leaky ReLU is c itself (slope 1); "
                               "the small slope is for c < 0."),
                  _wrong_local(lambda r, dr, s: torch.where(r > 0, 1.0, 0.01),
                               "Your answer uses slope 0.01, not the function's argument `slope`: the check's "
                               "layer has a slope of its own."),
                  _wrong_local(lambda r, dr, s: torch.where(r > 0, 1.0, 0.1),
                               "Your answer uses slope 0.1, not the function's argument `slope`: the check's "
                               "layer has a slope of its own."),
                  _wrong_local(lambda r, dr, s: torch.where(dr > 0, 1.0, s),
                               "Your local slope follows the sign of the arriving gradient dr. It depends on the "
                               "forward pass (where c was negative: r tells), not on the gradient arriving."),
                  (lambda a, e, o: len(a) == 3 and _close_grads(a[1:2], (e[1] / len(_layer_case()[2]),)),
                   "db is smaller than autograd's by the batch size: every row of the batch uses the same b, "
                   "and each row's gradient adds into it."),
                  (lambda a, e, o: len(a) == 3 and tuple(a[0].shape) == (7, 3),
                   "dW must have W's shape (m, k): which product of the gradient at c (n, m) and x (n, k) "
                   "gives (m, k)?"),
                  (lambda a, e, o: len(a) == 3 and tuple(a[1].shape) == (5, 3),
                   "db has one number per bias entry: every row of the batch uses the same b."),
                  (lambda a, e, o: len(a) == 3 and tuple(a[1].shape) == (1, 3),
                   "db has shape (1, m), but b has shape (m,): a gradient has the shape of its tensor. Sum over "
                   "the batch without keepdim."),
                  (lambda a, e, o: len(a) == 3 and tuple(a[0].shape) != tuple(e[0].shape),
                   "dW must have W's shape (m, k): a gradient has the shape of its tensor."),
                  (lambda a, e, o: len(a) == 3 and tuple(a[1].shape) != tuple(e[1].shape),
                   "db must have b's shape (m,): a gradient has the shape of its tensor."),
                  (lambda a, e, o: len(a) == 3 and tuple(torch.as_tensor(a[2]).shape) != tuple(e[2].shape),
                   "dx must have x's shape (n, k), one gradient per input number: which product of the "
                   "gradient at c (n, m) and W (m, k) gives that shape?"),
                  (lambda a, e, o: len(a) == 3 and _close_grads(a[:2], e[:2]),
                   "dW and db are right, dx is not: the input's gradient goes through W from the same "
                   "gradient at c as dW and db, after the leaky ReLU."),
                  (lambda a, e, o: len(a) == 3 and _close_grads(a[2:], e[2:]),
                   "dx is right, dW or db is not: both use the gradient at c (after the leaky ReLU), dW "
                   "through the layer's input x, db summed over the batch."),),
    ),
    "05.2": Exercise(
        expected=lambda net, images, target: _full_batch_grad(net, images, target),
        run=_in_two_pieces,
        same=lambda a, e, o: _same_grad(a, e),
        form="a function that calls backward() twice on the net it is given",
        hints=("The 4-digit loss is a mean over 40 numbers, each half's loss a mean over 20: how does the "
               "full loss relate to the two half losses?",
               "backward() adds each piece's gradient into .grad: by what must each half's loss be "
               "weighted so that the two add up to the gradient of the mean over all 40?"),
        mistakes=(*((lambda a, e, o, m=m: a == m if isinstance(a, str) else False, m)  # a refused route, told alone
                    for m in (_TOO_BIG, _ONE_BACKWARD, _NOT_TWO, _SHARED_GRAPH, _ONLY_CONV1,
                              _CHANGED_AFTER)),
                  (_is(2.0), "Your .grad is exactly twice the 4-digit loss's gradient. Why twice? Each backward() "
                             "adds its half's gradient: compare what the 4-digit loss averages over with what "
                             "each half's loss averages over."),
                  (_is(0.5), "Your .grad is exactly half the 4-digit loss's gradient: each half's loss is already a "
                             "mean over its own 20 numbers."),
                  (lambda a, e, o: _second_half_alone(a, o),
                   "Your .grad holds the second half's gradient alone: something cleared it between the two "
                   "backward() calls. Let them add."),),
    ),
    "05.3": Exercise(
        expected=lambda x: _nonzero_after_relu_pool(x),
        form="a whole number (how many entries)",
        hints=("Follow each 2 x 2 window on its own: where does max-pool send its gradient, and does the "
               "ReLU let it through there?",
               "ReLU turns every negative number into 0: in a window with no positive number, every entry is "
               "0 after the ReLU. Whichever max-pool picks, is the ReLU's gate open there (its slope at 0: "
               "section 3)?"),
        mistakes=((lambda a, e, o: a == 4, "One per window would be right if every window held a positive "
                                           "number: look at the window with none (all negative, or 0)."),
                  (lambda a, e, o: a == int((o["x"] > 0).sum()), "That counts every positive entry: max-pool "
                                                                 "passes the gradient to one entry per window only."),
                  (lambda a, e, o: a >= 8, "Max-pool passes each window's gradient to one entry, its maximum, "
                                           "not to all four: the other three get 0."),
                  (lambda a, e, o: a < e, "Too few: in a window whose maximum is positive, the ReLU's gate at "
                                          "that maximum is open, so the gradient gets through.")),
    ),
    "05.4": Exercise(
        expected=lambda net, images, target: [_grad_of_batch(net, x, y) for x, y in _batches(images, target)],
        run=lambda f, net, images, target: _per_batch(f, net, images, target),
        unanswered=_handed_out,
        same=lambda a, e, o: len(a) == len(e) and all(torch.allclose(x, y, rtol=1e-5, atol=1e-7)
                                                      for x, y in zip(a, e)),
        form="the fixed function, returning one gradient per batch",
        hints=("Run it yourself: `grads = ex4_batch_grads(copy.deepcopy(net), [(images[:2], target[:2]), "
               "(images[2:], target[2:])])`, then print `grads` and `grads[0].data_ptr() == grads[1].data_ptr()` "
               "(True: the two share one memory). What do you see?",
               "Compare each entry with a fresh `torch.autograd.grad` of its own batch's loss, and look again "
               "at their `data_ptr()`: which two facts about .grad from section 4 explain what you see?"),
        mistakes=(*((lambda a, e, o, m=m: a == m if isinstance(a, str) else False, m)  # told alone
                    for m in (_TOO_FEW_BACKWARDS, _SET_TO_NONE, _NEVER_CLEARED)),
                  (lambda a, e, o: len({g.data_ptr() for g in a}) < len({id(g) for g in a}),
                   "Your entries are distinct tensors that share one memory, .grad's "
                   "(`grads[0].data_ptr() == grads[1].data_ptr()`): `.detach()` (or a view) gives a new tensor "
                   "on the same memory, so later batches still change it in place. Keep a real copy: `.clone()`."),
                  (lambda a, e, o: len({g.data_ptr() for g in a}) < len(a),
                   "Some entries of your list share one memory, .grad's, which later batches change in place "
                   "(`grads[0].data_ptr() == grads[1].data_ptr()`): each entry must keep its batch's gradient "
                   "as it was then."),
                  (lambda a, e, o: _adds_up(a, o, start=1.0),
                   "Each entry keeps its own values now, but the gradients still add up from batch to batch, "
                   "starting from the earlier step's: backward() adds into .grad."),
                  (lambda a, e, o: _adds_up(a, o, start=0.0),
                   "The first gradient is right now, but the next ones still add up: one clearing before "
                   "the loop is not enough."),
                  (lambda a, e, o: _first_holds_the_earlier_step(a, o),
                   "The later gradients are right, the first is not: your first backward() added onto the "
                   "gradient the network arrived with. Make sure .grad is clear before each batch's backward()."),),
    ),
    "05.5": Exercise(
        expected=lambda z, label: _ce_grad(z, label),
        same=lambda a, e, o: _near(a, e),
        form="3 numbers, a list or a tensor",
        hints=("Section 6: for one digit, ∂L/∂z = p − onehot(label), with p the softmax of the logits. "
               "First p: what is exp(ln 3)?",
               "exp(ln 3) = 3 and exp(0) = 1, so p = [3, 1, 1] / 5. Then subtract 1 at the label's entry "
               "(class 1, the second)."),
        mistakes=((lambda a, e, o: _flat(a).numel() != 3,
                   "Give 3 numbers, one per logit: the gradient has the shape of z's row."),
                  (lambda a, e, o: _near(a, -e),
                   "Your signs are flipped: that is onehot − p. Raising the label's logit lowers the loss "
                   "−log p_label, so ∂L/∂z at the label is negative."),
                  (lambda a, e, o: _near(a, _p(o["z"])),
                   "That is p, the softmax alone. The gradient is p − onehot: 1 comes off the label's entry."),
                  (lambda a, e, o: _near(a, _p(o["z"]) - F.one_hot(torch.tensor(0), 3)),
                   "You took 1 off class 0's entry. The label is 1: the second entry, counting from 0."),
                  (lambda a, e, o: _near(a, torch.full((3,), 1 / 3) - F.one_hot(o["label"][0], 3)),
                   "Your p is [1/3, 1/3, 1/3], as if the logits were equal. They are not: exp(ln 3) = 3, "
                   "so class 0 is three times as likely as each other class."),
                  (lambda a, e, o: abs(float(_flat(a).sum())) > 1e-3,
                   "Your numbers do not sum to 0. p sums to 1 and onehot sums to 1, so p − onehot sums to 0."),),
    ),
}
