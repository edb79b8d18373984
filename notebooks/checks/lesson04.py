"""Checks for 04_autograd_graph's exercises.

Each expected value is computed from the objects the exercise cell passes (the tensors, the
function and its input), or, for the exercises where the student writes or fixes a function
(04.2, 04.4, 04.5), from graphs, networks and inputs of the check's own, on which it runs that
function: it cannot drift from the notebook, and no earlier output answers it. While a written
function runs, the routes its prompt forbids raise Refused.
"""
from __future__ import annotations

import contextlib

import torch

from checks import Exercise, Refused


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


def _muls_relu_flipped(fn, x) -> int:
    """The MulBackward0 count of ``fn(x)`` (section 6's ``dynamic``) had its ReLU branch gone the other
    way: the answer of a student who misjudges whether h = x * w2 sums to more than 0."""
    seen, todo, w = set(), [fn(x).grad_fn], None
    while todo:  # w2 is the graph's only leaf
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        w = getattr(node, "variable", w)
        todo += [child for child, _ in node.next_functions]
    h = x * w.detach()
    h = h if h.sum() > 0 else torch.relu(h)
    muls = 1
    while h.norm() < 4 and muls < 100:
        h, muls = h * 2, muls + 1
    return muls


def _bools(a):
    """Four answers as booleans (1 and 0 count as True and False), or None for another form."""
    if isinstance(a, (tuple, list)) and len(a) == 4 and all(isinstance(x, (bool, int)) and x in (0, 1) for x in a):
        return tuple(bool(x) for x in a)
    return None


def _same_values(a, e, o) -> bool:
    """A tensor with the expected numbers, in the expected shape or squeezed (28x28)."""
    if not isinstance(a, torch.Tensor) or a.numel() != e.numel() or a.squeeze().shape != e.squeeze().shape:
        return False
    return torch.allclose(a.detach().reshape(e.shape).double(), e.double(), rtol=1e-4, atol=1e-6)


def _close_to(a, e) -> bool:
    return isinstance(a, torch.Tensor) and a.numel() == e.numel() and torch.allclose(
        a.detach().reshape(e.shape).double(), e.double(), rtol=1e-4, atol=1e-6)


def _leaf_cases():
    """Graphs of the check's own: (output, its leaves by name, the names backward() fills).
    LeNet with conv1 frozen (8 parameters reached), and a graph where a and b are used twice
    and c only through .detach() (a and b reached, c not)."""
    import helpers
    g = torch.Generator().manual_seed(4)
    net = helpers.LeNet()
    net.conv1.requires_grad_(False)
    lenet = net(torch.randn(2, 1, 28, 28, generator=g)).sum()
    named = dict(net.named_parameters())
    a, b, c = (torch.randn(3, generator=g).requires_grad_() for _ in range(3))
    diamond = (a * b + a.exp() * b + c.detach()).sum()
    return [(lenet, named, [n for n in named if not n.startswith("conv1.")]),
            (diamond, {"a": a, "b": b, "c": c}, ["a", "b"])]


def _contents(cell):
    """What a closure cell holds (None while it is still empty)."""
    try:
        return cell.cell_contents
    except ValueError:
        return None


@contextlib.contextmanager
def _replacing(f, replacements: dict):
    """Within the block, each (owner, name) in ``replacements`` is the function it maps to, and so
    is any global or closure variable of ``f`` bound to the original (a `from … import`)."""
    originals = {(owner, name): getattr(owner, name) for owner, name in replacements}
    by_id = {id(original): replacements[key] for key, original in originals.items()}
    scope = getattr(f, "__globals__", {})
    aliases = {key: value for key, value in scope.items() if id(value) in by_id}
    cells = [(cell, _contents(cell)) for cell in getattr(f, "__closure__", None) or ()
             if id(_contents(cell)) in by_id]
    try:
        for (owner, name), new in replacements.items():
            setattr(owner, name, new)
        scope.update({key: by_id[id(value)] for key, value in aliases.items()})
        for cell, original in cells:
            cell.cell_contents = by_id[id(original)]
        yield
    finally:
        for (owner, name), original in originals.items():
            setattr(owner, name, original)
        scope.update(aliases)
        for cell, original in cells:
            cell.cell_contents = original


def _refusing(f, targets, why: str):
    """Within the block, each (owner, name) in ``targets`` raises Refused(why) when called, and so
    does any global or closure variable of ``f`` bound to one of those functions (a `from … import`)."""
    def refuse(*args, **kwargs):
        raise Refused(why)

    return _replacing(f, dict.fromkeys(targets, refuse))


def _counted(original, calls: list, limit: int, why: str):
    """``original``, counting its calls in ``calls[0]``: the call after the ``limit``-th raises Refused(why),
    and so does a call with is_grads_batched (one call, but every row: Refused(_ROW_REFUSED))."""
    def counted(*args, **kwargs):
        if kwargs.get("is_grads_batched") or (len(args) > 7 and args[7]):  # autograd.grad: a batch of v's, every row
            raise Refused(_ROW_REFUSED)
        calls[0] += 1
        if calls[0] > limit:
            raise Refused(why)
        return original(*args, **kwargs)

    return counted


_WALK_REFUSED = ("The exercise asks you to walk next_functions yourself: your function called "
                 "backward, autograd.grad or graph_figures.")
_ROW_REFUSED = ("The exercise asks for one row: jacobian, jacrev and jacfwd compute the whole "
                "Jacobian, and so do vmap over its rows and autograd.grad(..., is_grads_batched=True).")
_ROW_ONE_BACKWARD = ("Your function called backward or autograd.grad more than once for one row: one call "
                     "is enough. Which v makes v J that row?")
_ROW_MANY_FORWARDS = ("Your function ran net on more than 2 images for one row (finite differences, or forward "
                      "mode, need a forward per pixel): one forward and one backward give the whole row. "
                      "Which v makes v J that row?")
_ROW_IMAGES = 2  # images through net (its first layer) allowed per call of the student's function
_ROW_NO_LEAF = "raised: does not require grad"  # autograd asked for the gradient of the caller's x
_ROW_V_SHAPE = "raised: mismatch in shape"  # a v shaped unlike out
_ROW_NOT_RECORDED = "raised: no grad_fn"  # the forward ran where autograd records nothing (no_grad)
_ROW_LEAF_LATE = "raised: not used in the graph"  # the leaf required a gradient only after the forward
_ROW_BATCH_INDEX = "raised: index out of bounds for the batch"  # out[i] on net's (1, 10) output
_WALK_NONE = "returned None"
_WALK_ONE = "returned one value"
_WALK_IN = "compared tensors by value"
_WALK_PAIRS = "walked to (node, index) pairs"  # todo extended with next_functions' pairs, not their nodes
_WALK_FROM_TENSOR = "walked from the output tensor"  # started from output, not output.grad_fn
_WALK_ONE_PATH = "fell off an AccumulateGrad"  # always took next_functions[0]: IndexError at a leaf's node
_TENSOR_COMPARED = ("must match the size", "Boolean value of Tensor")  # == on tensors, as `in` on a list does


def _run_walk(f):
    """The names of the tensors ``f`` returns for each case (duplicates kept, "not a tensor" for
    anything else); backward, autograd.grad and graph_figures' walkers refuse while it runs, and
    a refused call makes the answer ``_WALK_REFUSED`` (told by its own hint, not the ladder's).
    A return value that is not a collection makes it ``_WALK_NONE`` or ``_WALK_ONE``, so the
    student hears what their function returned rather than an error raised by this loop; an
    error from comparing tensors (``t in a_list``) makes it ``_WALK_IN``, asking a pair or a
    tensor for its next_functions makes it ``_WALK_PAIRS`` or ``_WALK_FROM_TENSOR``, and indexing
    an empty next_functions (one path down, onto an AccumulateGrad) makes it ``_WALK_ONE_PATH``."""
    import graph_figures
    cases = _leaf_cases()
    found = []
    try:
        with _refusing(f, [(torch.Tensor, "backward"), (torch.autograd, "backward"), (torch.autograd, "grad"),
                           (graph_figures, "autograd_graph"), (graph_figures, "draw_autograd_graph")],
                       _WALK_REFUSED):
            for output, named, _ in cases:
                by_id = {id(t): n for n, t in named.items()}
                returned = f(output)
                if returned is None:
                    return _WALK_NONE
                if isinstance(returned, torch.Tensor) or not hasattr(returned, "__iter__"):
                    return _WALK_ONE
                found.append(sorted(by_id.get(id(t), "another tensor") if isinstance(t, torch.Tensor)
                                    else "not a tensor" for t in returned))
    except Refused:
        return _WALK_REFUSED
    except (RuntimeError, TypeError) as error:
        if any(words in str(error) for words in _TENSOR_COMPARED):
            return _WALK_IN
        raise
    except IndexError as error:
        if "tuple index out of range" in str(error):
            return _WALK_ONE_PATH
        raise
    except AttributeError as error:
        if str(error).startswith("'tuple' object has no attribute"):
            return _WALK_PAIRS
        if str(error).startswith("'Tensor' object has no attribute 'next_functions'"):
            return _WALK_FROM_TENSOR
        raise
    return tuple(found)


def _row_cases():
    """A network, images and rows of the check's own: (net, x, i), x not requiring a gradient."""
    import helpers
    g = torch.Generator().manual_seed(44)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(44)
        net = helpers.LeNet()
    return [(net, torch.randn(1, 1, 28, 28, generator=g), i) for i in (3, 7, 0)]


def _row_reference(shift: int = 0, ones: bool = False):
    """Each case's row i + shift of the Jacobian (``ones``: the sum of all ten rows)."""
    rows = []
    for net, x, i in _row_cases():
        x = x.clone().requires_grad_()
        out = net(x)
        (grad,) = torch.autograd.grad(out.sum() if ones else out[0, (i + shift) % 10], x)
        rows.append(grad)
    return rows


def _kept(t):
    """A copy of what ``f`` returned, safe from a later backward adding into it."""
    return t.detach().clone() if isinstance(t, torch.Tensor) else t


def _run_row(f):
    """(what ``f`` returns on each case, what a second call on the same x returns, what ``f``
    changed in the x it was given: a sorted tuple of "grad" and "requires_grad", empty if nothing),
    with jacobian, jacrev, jacfwd and vmap refusing: a refused call makes the answer ``_ROW_REFUSED``
    (told by its own hint, not the ladder's), and a second backward or autograd.grad within one call
    of ``f`` (a loop over the rows) makes it ``_ROW_ONE_BACKWARD``, and more than ``_ROW_IMAGES``
    images through net's first layer (finite differences, forward mode) ``_ROW_MANY_FORWARDS``; so do
    the errors of a gradient asked of the caller's x (``_ROW_NO_LEAF``), of a v shaped unlike out
    (``_ROW_V_SHAPE``) and of out[i] on the batch of one image (``_ROW_BATCH_INDEX``)."""
    cases = _row_cases()
    firsts, seconds, changed = [], [], set()
    refuse = [(torch.autograd.functional, "jacobian"), (torch.func, "jacrev"), (torch.func, "jacfwd"),
              (torch.func, "vmap"), (torch, "vmap")]
    calls = [0]  # backward and autograd.grad calls within one call of f (Tensor.backward calls autograd.backward)
    count = {(torch.autograd, name): _counted(getattr(torch.autograd, name), calls, 1, _ROW_ONE_BACKWARD)
             for name in ("grad", "backward")}
    images = [0]  # images through net's first layer within one call of f: a batch of n counts n

    def count_images(layer, inputs):
        images[0] += inputs[0].shape[0] if inputs[0].dim() == 4 else 1
        if images[0] > _ROW_IMAGES:
            raise Refused(_ROW_MANY_FORWARDS)

    nets = {id(net): net for net, _, _ in cases}  # the cases share one network: one hook on it
    hooks = [net.conv1.register_forward_pre_hook(count_images) for net in nets.values()]
    try:
        with _refusing(f, refuse, _ROW_REFUSED), _replacing(f, count):
            for net, x, i in cases:
                calls[0] = images[0] = 0
                firsts.append(_kept(f(net, x, i)))
                calls[0] = images[0] = 0
                seconds.append(_kept(f(net, x, i)))
                changed |= {"requires_grad"} if x.requires_grad else set()
                changed |= {"grad"} if x.grad is not None else set()
    except Refused as why:
        return str(why)
    except RuntimeError as error:  # two typical errors get their own hint; any other is reported as raised
        if "element 0 of tensors does not require grad" in str(error):
            return _ROW_NOT_RECORDED
        if "does not require grad" in str(error):
            return _ROW_NO_LEAF
        if "not have been used in the graph" in str(error):
            return _ROW_LEAF_LATE
        if "Mismatch in shape" in str(error):
            return _ROW_V_SHAPE
        raise
    except IndexError as error:  # out[i]: index i along out's first dimension, the batch of one image
        if "out of bounds for dimension 0 with size 1" in str(error):
            return _ROW_BATCH_INDEX
        raise
    finally:
        for hook in hooks:
            hook.remove()
    return firsts, seconds, tuple(sorted(changed))


def _parameter_shaped(a) -> bool:
    """One tensor per case, each shaped like one of the network's parameters (not like x): a
    parameter's .grad returned instead of the image's gradient."""
    shapes = {tuple(p.shape) for p in _row_cases()[0][0].parameters()}
    return all(isinstance(r, torch.Tensor) and tuple(r.shape) in shapes for r in a[0])


def _same_rows(a, e, o=None) -> bool:
    """One tensor per case with the expected numbers, shaped like x or squeezed (28x28)."""
    return isinstance(a, list) and len(a) == len(e) and all(_same_values(x, y, o) for x, y in zip(a, e))


def _flat_rows(a, e) -> bool:
    """The expected numbers in order, in another shape (flattened, say)."""
    return isinstance(a, list) and len(a) == len(e) and all(_close_to(x, y) for x, y in zip(a, e))


def _right_rows(a, e, o=None) -> bool:
    """Right rows on the first and on a second call, and the caller's x left as it was."""
    return isinstance(a, tuple) and _same_rows(a[0], e) and _same_rows(a[1], e) and not a[2]


_GIVEN_SHIFT = '''def two_terms(x, w):
    """The sum of h * h + (h + 1), for h = x * w."""
    h = x * w
    square = h * h
    h += 1  # shift h by 1
    return (square + h).sum()
'''


def _is_given_shift(f) -> bool:
    """True for the function of exercise 04.5 as handed out (the same bytecode)."""
    scope = {"torch": torch}
    exec(compile(_GIVEN_SHIFT, "<given>", "exec"), scope)
    given, code = scope["two_terms"].__code__, f.__code__
    return (code.co_code, code.co_consts, code.co_names) == (given.co_code, given.co_consts, given.co_names)


def _shift_inputs():
    """x and w of the check's own."""
    return torch.tensor([1.0, -2.0, 0.5, 2.0]), torch.tensor([3.0, 0.5, -1.0, 1.5], requires_grad=True)


_CUT_OFF = "a result cut off from the graph"
_UNRECORDED_EDIT = "an in-place edit under no_grad()"
_SHIFT_NONE = "returned None"  # no return statement: told so, not an AttributeError
_GRAD_OFF = {"no_grad", "set_grad_enabled", "inference_mode"}


def _run_shift(f):
    """(the sum, w.grad) of ``f`` on the check's inputs, as one tensor of 5 numbers
    (``_CUT_OFF`` if the sum does not require a gradient: .detach() or no_grad inside ``f``;
    ``_UNRECORDED_EDIT`` if backward() finds a saved tensor edited and ``f`` turns recording off;
    ``_SHIFT_NONE`` if ``f`` returns None)."""
    x, w = _shift_inputs()
    total = f(x, w)
    if total is None:
        return _SHIFT_NONE
    if isinstance(total, torch.Tensor) and not total.requires_grad:
        return _CUT_OFF
    try:
        total.backward()
    except RuntimeError as error:  # keep the message, not PyTorch's own "Hint: …" after it
        if "inplace" in str(error) and _GRAD_OFF & set(f.__code__.co_names):
            return _UNRECORDED_EDIT  # e.g. `with torch.no_grad(): h += 1`: still a new version of h
        raise RuntimeError(str(error).split("; expected")[0]) from None
    return torch.cat([total.detach().reshape(1), w.grad])


def _shift_reference(hidden: bool = False, cut: bool = False):
    """The right (sum, w.grad); ``hidden``: what an edit hidden from autograd (.data) gives instead
    (the product's backward reads h + 1); ``cut``: the h + 1 term detached (no gradient through it)."""
    x, w = _shift_inputs()
    h = x * w
    square = h * h
    if hidden:
        h.data += 1
        shifted = h
    else:
        shifted = (h.detach() if cut else h) + 1
    total = (square + shifted).sum()
    total.backward()
    return torch.cat([total.detach().reshape(1), w.grad])


EXERCISES = {
    "04.1": Exercise(
        expected=lambda a, b, c, d: (a.is_leaf, b.is_leaf, c.is_leaf, d.is_leaf),
        form="a tuple of four booleans (True or False; 1 and 0 do too)",
        hints=("Ask of each tensor: did autograd record an operation that made it?",
               "Does each tensor have a grad_fn? Decide it from the line that makes each one."),
        mistakes=(
            (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) != len(e),
             "Give one boolean for each of ex1_a, ex1_b, ex1_c, ex1_d."),
            (lambda a, e, o: _bools(a) is not None and _bools(a)[:2] != e[:2],
             "Start from section 1's rule: a tensor is a leaf when it has no grad_fn, that is, when no "
             "operation that autograd recorded made it. Ask that of ex1_a and of ex1_b first."),
            (lambda a, e, o: _bools(a) is not None and _bools(a)[3] and not e[3] and _bools(a)[:3] == e[:3],
             "Look again at ex1_d: taking a part of a tensor (indexing) is an operation too. Is it recorded "
             "when ex1_a requires a gradient?"),
            (lambda a, e, o: _bools(a) is not None and _bools(a)[2] is False and e[2],
             "Look again at the tensor made under torch.no_grad(): did autograd record the multiplication "
             "that made it (section 8)? Section 1's rule asks only whether it has a grad_fn."),
        ),
    ),
    "04.2": Exercise(
        expected=lambda: tuple(sorted(reached) for _, _, reached in _leaf_cases()),
        run=lambda f: _run_walk(f),
        same=lambda a, e, o: a == e,
        form="a function returning a list of tensors",
        hints=("Section 2's loop followed one input per node; here every input of every node leads somewhere. "
               "What could keep track of the nodes still to visit?",
               "A node can be reached along several paths: remember the nodes you have visited, and skip a "
               "node (or None) when you meet it again."),
        mistakes=(
            (lambda a, e, o: a == _WALK_REFUSED, _WALK_REFUSED),
            (lambda a, e, o: a == _WALK_NONE,
             "Your function returned None; expected a list of tensors. Does it end with `return`?"),
            (lambda a, e, o: a == _WALK_ONE,
             "Your function returned one value; expected a list of tensors (the leaves, each once)."),
            (lambda a, e, o: a == _WALK_PAIRS,
             "Your code raised AttributeError ('tuple' object has no attribute …): next_functions holds "
             "(node, index) pairs. Walk on to the node of each pair, not to the pair."),
            (lambda a, e, o: a == _WALK_ONE_PATH,
             "Your code raised IndexError (tuple index out of range): an AccumulateGrad node has no inputs "
             "(its next_functions is empty), so a walk that always takes input 0 falls off there. Keep a list "
             "of the nodes still to visit, and follow every input of every node."),
            (lambda a, e, o: a == _WALK_FROM_TENSOR,
             "Your code raised AttributeError ('Tensor' object has no attribute 'next_functions'): a tensor "
             "has no next_functions, its node has. Start the walk from output.grad_fn."),
            (lambda a, e, o: a == _WALK_IN,
             "Your code raised an error comparing two tensors: `in` on a list compares tensors by value, "
             "element by element. Keep what you found in a set (of nodes, or of tensors): a set finds a tensor "
             "by its identity."),
            (lambda a, e, o: all(sorted(set(x)) == y for x, y in zip(a, e)) and a != e,
             "Some leaves come back more than once: a tensor used twice is reached along two paths "
             "(section 4). Remember the nodes already visited."),
            (lambda a, e, o: any("not a tensor" in x for x in a),
             "Return the tensors themselves, not nodes or (node, index) pairs: an AccumulateGrad node's "
             ".variable is its tensor."),
            (lambda a, e, o: any("another tensor" in x for x in a) and all(len(x) == len(y) for x, y in zip(a, e)),
             "Return the leaf tensors themselves (node.variable), not copies: the check compares the "
             "tensors you return with the graph's own."),
            (lambda a, e, o: all(x == [] for x in a),
             "Your function returned no leaves (an empty list): start from output.grad_fn and put each "
             "AccumulateGrad node's .variable into the list."),
            (lambda a, e, o: a[0] == e[0] and set(a[1]) < set(e[1]),
             "Your function finds LeNet's parameters but misses leaves in the check's other graph: there "
             "the leaves are plain tensors made with requires_grad=True, not nn.Parameter. Keep the "
             ".variable of every AccumulateGrad node you meet."),
            (lambda a, e, o: all(set(x) <= set(y) for x, y in zip(a, e)),
             "Some leaves are missing: follow every input of every node, not only one path down."),
        ),
    ),
    "04.3": Exercise(
        expected=lambda fn, x: _count(fn, x),
        form="an int (a number of nodes)",
        hints=("Follow the code of `dynamic` by hand for this x: is the ReLU taken, and how many times "
               "does the while loop run? Each multiplication records one MulBackward0.",
               "Compute h = x * w2, then apply the ReLU if h sums to more than 0. Count the doublings "
               "needed before h's length (h.norm()) reaches 4."),
        mistakes=(
            (lambda a, e, o: isinstance(a, int) and a == e - 1,
             "You counted the doublings only: the first x * w2 is a multiplication too."),
            (lambda a, e, o: isinstance(a, int) and a == e + 1 == _muls_relu_flipped(o["fn"], o["x"]),
             "Your count is what the graph has if the ReLU runs, or if you count one doubling too many: "
             "check both. Does h = x * w2 sum to more than 0? And the while loop stops as soon as the "
             "length reaches 4."),
            (lambda a, e, o: isinstance(a, int) and a == _muls_relu_flipped(o["fn"], o["x"]) != e,
             "Does h = x * w2 sum to more than 0? Only then does the ReLU run."),
            (lambda a, e, o: isinstance(a, int) and a == e + 1,
             "One doubling too many? The while loop stops as soon as the length reaches 4: follow its "
             "test one doubling at a time."),
        ),
    ),
    "04.4": Exercise(
        expected=lambda: _row_reference(),
        run=lambda f: _run_row(f),
        same=_right_rows,
        form="a function returning a tensor shaped like x",
        hints=("Section 9: out.backward(v) leaves v J in the .grad of an input that requires a gradient; "
               "torch.autograd.grad returns it instead, and adds nothing into the .grad of net's parameters "
               "(cleaner here). Which part of J do you want?",
               "v J is a weighted sum of J's rows, with v's numbers as the weights: which v picks one row?"),
        mistakes=(
            (lambda a, e, o: a == _ROW_REFUSED, _ROW_REFUSED),
            (lambda a, e, o: a == _ROW_ONE_BACKWARD, _ROW_ONE_BACKWARD),
            (lambda a, e, o: a == _ROW_MANY_FORWARDS, _ROW_MANY_FORWARDS),
            (lambda a, e, o: a == _ROW_NO_LEAF,
             "Your code raised RuntimeError (\"… does not require grad\"): autograd differentiates only "
             "with respect to a tensor that requires a gradient, and the caller's x must stay as it was: "
             "make a leaf of your own from it."),
            (lambda a, e, o: a == _ROW_NOT_RECORDED,
             "Your code raised RuntimeError (\"element 0 of tensors does not require grad …\"): net(x)'s "
             "output has no grad_fn. Was the forward run under no_grad() (section 8)? Autograd must record it."),
            (lambda a, e, o: a == _ROW_LEAF_LATE,
             "Your code raised RuntimeError (\"… not have been used in the graph\"): your leaf must require a "
             "gradient before net(x) runs; autograd records only from then on."),
            (lambda a, e, o: a == _ROW_V_SHAPE,
             "Your code raised RuntimeError (\"Mismatch in shape …\"): v must have out's shape, (1, 10)."),
            (lambda a, e, o: a == _ROW_BATCH_INDEX,
             "Your code raised IndexError (\"… out of bounds for dimension 0 with size 1\"): net(x) has "
             "shape (1, 10), one row of 10 outputs for the one image. Output i of that image is out[0, i]."),
            (lambda a, e, o: any(r is None for r in a[0]),
             "Your function returned None; expected a tensor shaped like x, (1, 1, 28, 28). If it returns "
             "x.grad: .grad stays None on a tensor that does not require a gradient; make a leaf of your own "
             "from x, one that requires a gradient. Otherwise: does it end with `return`?"),
            (lambda a, e, o: any(isinstance(r, (tuple, list)) for r in a[0]),
             "Your function returned a tuple (or a list); expected one tensor shaped like x. "
             "torch.autograd.grad returns a tuple, one gradient per input: take its element."),
            (lambda a, e, o: not all(isinstance(r, torch.Tensor) for r in a[0]),
             "Your function returned something other than a tensor; expected a tensor shaped like x, "
             "(1, 1, 28, 28)."),
            (lambda a, e, o: _parameter_shaped(a),
             "Your function returned a gradient with respect to one of net's parameters (it has that "
             "parameter's shape). Row i is with respect to the pixels: return the gradient of your own "
             "copy of x."),
            (lambda a, e, o: _same_rows(a[0], _row_reference(ones=True)),
             "A v of ones adds all ten rows of J together: v must pick row i alone."),
            (lambda a, e, o: any(_same_rows(a[0], _row_reference(shift=s)) for s in (1, -1)),
             "That is the row of a neighbouring output: indices start at 0, so row i is index i."),
            (lambda a, e, o: "grad" in a[2],
             "Your function changed the x it was given: x now holds a .grad, and .grad adds up over "
             "backward calls (section 1). Make a leaf of your own, a copy of x."),
            (lambda a, e, o: a[2] == ("requires_grad",),
             "Your function changed the x it was given: x now requires a gradient, so the caller's later "
             "computations with x would be recorded. Make a leaf of your own, a copy of x."),
            (lambda a, e, o: _same_rows(a[1], [2 * r for r in e]),
             "Called twice on the same image, your function gives twice the answer: .grad adds up over "
             "backward calls (section 1). Backward once into a leaf made afresh on each call."),
            (lambda a, e, o: _flat_rows(a[0], e),
             "Right numbers, wrong shape: return them shaped like x, (1, 1, 28, 28)."),
        ),
    ),
    "04.5": Exercise(
        expected=lambda: _shift_reference(),
        run=lambda f: _run_shift(f),
        unanswered=lambda f, objects: _is_given_shift(f),
        same=lambda a, e, o: _close_to(a, e),
        form="the fixed function",
        hints=("Which operation saved which tensor for its backward? Section 7's exp saved its output; "
               "what does the square (h * h, or h ** 2) need to compute its gradient, and what does h += 1 do "
               "to it? The error calls h \"output 0 of Add\": after h += 1, h's grad_fn is that addition.",
               "Give the shifted values a tensor of their own, and leave the h that the square saved "
               "as it was."),
        mistakes=(
            (lambda a, e, o: isinstance(a, str) and a == _UNRECORDED_EDIT,
             "no_grad() stops the recording, not the version counter: h += 1 still edits the h that the "
             "product saved, and backward() refuses. Make a new tensor instead of editing the saved one."),
            (lambda a, e, o: isinstance(a, str) and a == _SHIFT_NONE,
             "Your function returned None: does it still end with `return (square + …).sum()`?"),
            (lambda a, e, o: isinstance(a, str) and a == _CUT_OFF,
             "You cut the result off from the graph (.detach() or no_grad): w can't get a gradient. Make a "
             "new tensor that stays in the graph."),
            (lambda a, e, o: _close_to(a, _shift_reference(hidden=True)),
             "The error was protecting you: .data (or another way around the version counter) hides the edit, "
             "so the product's backward multiplies by h + 1 instead of h and w.grad is wrong. Make a new "
             "tensor instead of editing the saved one."),
            (lambda a, e, o: _close_to(a, _shift_reference(cut=True)),
             "The sum is right but w.grad misses the gradient of the h + 1 term: it was computed from a "
             "detached h. Keep it in the graph."),
            (lambda a, e, o: _close_to(a[:1], e[:1]),
             "The sum is right but w.grad is not: your fix cut a path. Both terms, h * h and h + 1, must "
             "pass their gradient back to w."),
            (lambda a, e, o: isinstance(a, torch.Tensor),
             "backward() runs, but the sum is not the one asked for: the function must still return the "
             "sum of h * h + (h + 1)."),
        ),
    ),
}
