"""Checks for 06_manual_weight_updates' exercises.

Each expected value is computed by ``torch.optim`` (or from the Hessian, for the bowl with a feature scaled) on
objects of the check's own or on copies of what the exercise cell passes; the student's function
runs on the check's own small model and data, so an answer copied from an earlier output cannot
pass. Nothing the student is asked for is written out here as code the cell could show.
"""
from __future__ import annotations

import importlib

import torch
from torch import nn
import torch.nn.functional as F

import checks
from checks import Exercise, Refused

_STEPS = 6  # steps the checks run a student's update or training loop
_OPTIMIZER = importlib.import_module("torch.optim.optimizer")  # not attributes of torch.optim itself
_SGD = importlib.import_module("torch.optim.sgd")


def _problem(n: int = 16, seed: int = 6) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    """A small model and data of the check's own: a linear layer, ``n`` inputs of 5 features, 3 classes."""
    gen = torch.Generator().manual_seed(seed)
    model = nn.Linear(5, 3)
    with torch.no_grad():
        model.weight.copy_(torch.randn(3, 5, generator=gen))
        model.bias.copy_(torch.randn(3, generator=gen))
    return model, torch.randn(n, 5, generator=gen), torch.randint(0, 3, (n,), generator=gen)


def _weights(model: nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in model.parameters()])


_refusal_hint: list[str] = []  # the hint that goes with the refusal just raised, read once by _Hints


def _refuse(message: str, hint: str) -> Refused:
    """A refusal whose hint is ``hint``, not the next of the exercise's hints."""
    _refusal_hint[:] = [hint]
    return Refused(message)


class _Hints(tuple):
    """An exercise's hints (06.1's, 06.3's). Right after a refusal the hint is the refusal's own next
    step, and the refusal does not count as a wrong try, so the next wrong answer still gets the first hint."""

    def __new__(cls, exercise_id: str, hints: tuple[str, ...]):
        self = super().__new__(cls, hints)
        self.exercise_id = exercise_id
        return self

    def __getitem__(self, k):
        if _refusal_hint:
            hint = _refusal_hint.pop()
            tries = checks._wrong_tries
            tries[self.exercise_id] = tries.get(self.exercise_id, 1) - 1
            return hint
        return super().__getitem__(k)


def _with_momentum(update, lr: float, mu: float) -> torch.Tensor:
    """The weights after ``_STEPS`` steps in which ``update(params, buffers)`` follows each backward."""
    model, x, y = _problem()
    params = list(model.parameters())
    buffers = [None] * len(params)
    for _ in range(_STEPS):
        model.zero_grad(set_to_none=False)  # zeroes each .grad in place: a buffer that is p.grad itself is caught
        F.cross_entropy(model(x), y).backward()
        update(params, buffers, lr, mu)
        if any(b is not None and b.data_ptr() == p.grad.data_ptr() for b, p in zip(buffers, params)):
            raise _refuse("Your buffer is the tensor p.grad itself, not a copy. With zero_grad(set_to_none=False), "
                          "which this check and some training code use, zero_grad() empties it in place and "
                          "backward() writes the new gradient into it. Keep a copy, as optim.SGD does.",
                          "At the first step store p.grad.clone(), not p.grad.")
    if not all(isinstance(b, torch.Tensor) for b in buffers):
        raise _refuse("After your steps, the list buffers still holds None for a parameter: the exercise asks "
                      "you to keep each parameter's buffer in it, as buffers[k], where the next call finds it.",
                      "Assign buffers[k] at the first step, then update buffers[k] at every later step.")
    return _weights(model)


def _step_then_update(params, buffers, lr: float, mu: float, start_at_zero: bool = False) -> None:
    """The order mistake: step along the buffer as it was, then update it with the new gradient
    (at the first step the buffer is the gradient, or zero with ``start_at_zero``)."""
    with torch.no_grad():
        for k, p in enumerate(params):
            if buffers[k] is None and not start_at_zero:
                buffers[k] = p.grad.clone()
                p.sub_(lr * buffers[k])
                continue
            if buffers[k] is None:
                buffers[k] = torch.zeros_like(p)
            p.sub_(lr * buffers[k])
            buffers[k].mul_(mu).add_(p.grad)


def _average_from_zero(params, buffers, lr: float, mu: float) -> None:
    """Adam's kind of average: b = μ·b + (1 − μ)·g, with b starting at 0."""
    with torch.no_grad():
        for k, p in enumerate(params):
            if buffers[k] is None:
                buffers[k] = torch.zeros_like(p)
            buffers[k].mul_(mu).add_(p.grad, alpha=1 - mu)
            p.sub_(lr * buffers[k])


def _optim_momentum(lr: float, mu: float, dampening: float = 0.0, nesterov: bool = False) -> torch.Tensor:
    model, x, y = _problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=mu, dampening=dampening, nesterov=nesterov)
    for _ in range(_STEPS):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    return _weights(model)


def _sign_flipped(params, buffers, lr: float, mu: float) -> None:
    """The sign mistake: the right buffer, but the step goes up it, p + lr·b."""
    with torch.no_grad():
        for k, p in enumerate(params):
            buffers[k] = p.grad.clone() if buffers[k] is None else buffers[k].mul_(mu).add_(p.grad)
            p.add_(lr * buffers[k])


class _OptimWatch:
    """While active, records whether any of torch.optim's optimizers steps, or torch.optim.sgd's update
    functions run: an update that hands the work to torch.optim through an alias or getattr is seen
    at run time, where its names in the code are not."""

    _FUNCTIONS = ("_single_tensor_sgd", "_multi_tensor_sgd", "_fused_sgd")

    def __enter__(self):
        self.used = False

        def seen(optimizer, *args):
            if type(optimizer).__module__.startswith("torch.optim"):
                self.used = True

        self._hook = _OPTIMIZER.register_optimizer_step_pre_hook(seen)
        self._saved = {name: getattr(_SGD, name) for name in self._FUNCTIONS if hasattr(_SGD, name)}

        def recording(function):
            def run(*args, **kwargs):
                self.used = True
                return function(*args, **kwargs)
            return run

        for name, function in self._saved.items():
            setattr(_SGD, name, recording(function))
        return self

    def __exit__(self, *exc):
        self._hook.remove()
        for name, function in self._saved.items():
            setattr(_SGD, name, function)
        return False


_USES_OPTIM = ("The exercise asks you to write the update: your function calls torch.optim.",
               "Drop torch.optim: loop over the parameters and change each one in place, as section 1 does.")


def _run_momentum(step, lr: float, mu: float) -> torch.Tensor:
    """The student's step over several steps, refused if it hands the work to torch.optim (named in
    its code, or seen stepping while it runs)."""
    _refusal_hint.clear()
    if {"optim", "SGD"} & set(getattr(getattr(step, "__code__", None), "co_names", ())):
        raise _refuse(*_USES_OPTIM)
    watch = _OptimWatch()
    try:
        with watch:
            weights = _with_momentum(step, lr, mu)
    except Refused:  # a buffer left None or aliased; torch.optim stepping explains it first
        if watch.used:
            raise _refuse(*_USES_OPTIM) from None
        raise
    except RuntimeError as error:
        if watch.used:
            raise _refuse(*_USES_OPTIM) from None
        if "leaf Variable" not in str(error):
            raise
        raise _refuse("Autograd refused to change a parameter in place: it records the change unless "
                      "the update runs inside torch.no_grad() (section 1).",
                      "Put the update under `with torch.no_grad():` (or decorate the function with "
                      "@torch.no_grad()), then run the check again.") from None
    if watch.used:
        raise _refuse(*_USES_OPTIM)
    return weights


def _critical_lr(X, y) -> float:
    """2 / the largest eigenvalue of the Hessian of mean((X w - y)^2)."""
    hessian = torch.autograd.functional.hessian(lambda w: ((X @ w - y) ** 2).mean(),
                                                torch.zeros(X.shape[1], dtype=X.dtype))
    return 2 / torch.linalg.eigvalsh(hessian).max().item()


def _factor(ratio: float) -> int | float:
    """The ratio of two limits, as an int when it is a whole number (4 for X scaled by 2)."""
    return round(ratio) if abs(ratio - round(ratio)) < 1e-9 * ratio else ratio


def _number(a) -> float | None:
    try:
        return float(a)
    except (TypeError, ValueError, RuntimeError):
        return None


def _near(a, value) -> bool:
    a = _number(a)
    return a is not None and abs(a - value) <= 2e-2 * abs(value)


def _curvature_growths(X, X2) -> list[float]:
    """How many times each curvature 2·mean(x_i²) grows from X to X2 (4 for a doubled column)."""
    return ((X2 ** 2).mean(0) / (X ** 2).mean(0)).tolist()


def _near_growth(a, X, X2, expected, root: bool = False) -> bool:
    """a is a changed column's curvature growth (or its square root), or one over it, but not the answer."""
    return any((_near(a, g) or _near(a, 1 / g)) and not _near(g, expected)
               for g in (v ** 0.5 if root else v for v in _curvature_growths(X, X2)) if not _near(g, 1))


def _close(a, b) -> bool:
    return isinstance(a, torch.Tensor) and a.shape == b.shape and torch.allclose(a, b, rtol=1e-4, atol=1e-6)


def _train_result(train, lr: float = 0.5) -> torch.Tensor:
    """The weights after the student's ``train(model, x, y, steps, lr)`` on the check's problem.

    While it runs, ``torch.optim.SGD``'s ``__init__`` records the momentum of each optimizer the loop
    makes (however the class was imported): a loop
    whose optimizers all have momentum 0 is told so (its steps are plain SGD, whether it makes one
    optimizer or one per step), not that it should make the optimizer once.
    """
    _refusal_hint.clear()
    model, x, y = _problem()
    momenta: list[float] = []
    variants: list[bool] = []  # per SGD made: nesterov or dampening, another update than SGD(momentum=0.9)
    sgd = torch.optim.SGD
    original_init = sgd.__dict__["__init__"]

    def recording_init(self, *args, **kwargs):  # on the class itself: `from torch.optim import SGD` too
        original_init(self, *args, **kwargs)
        momenta.append(self.defaults["momentum"])
        variants.append(bool(self.defaults["nesterov"] or self.defaults["dampening"]))

    sgd.__init__ = recording_init
    try:
        losses = train(model, x, y, _STEPS, lr)
    finally:
        sgd.__init__ = original_init
    if isinstance(losses, list) and losses and all(isinstance(v, torch.Tensor) for v in losses):
        raise _refuse("Your train returned a list of tensors: keep `return losses`, but append the number "
                      "loss.item(), not the tensor loss.",
                      "Change only the append, losses.append(loss.item()), then run the check again.")
    if not (isinstance(losses, list) and len(losses) == _STEPS and all(isinstance(v, float) for v in losses)):
        raise _refuse(f"Your train returned {type(losses).__name__}, not its losses: keep `return losses`, "
                      f"a list with one float (loss.item()) per step ({_STEPS} here).",
                      "Keep the given losses list and its return; the bug is elsewhere in the loop.")
    if not momenta and torch.equal(_weights(model), _weights(_problem()[0])):
        raise _refuse("Your train made no optimizer, and its weights never moved: the optimizer it stepped was "
                      "made outside train, over another model's parameters.",
                      "Make the optimizer inside train, once, before the loop, from net.parameters().")
    if any(variants):
        raise _refuse("Your train no longer steps with the given optimizer: nesterov or dampening changes "
                      "SGD(momentum=0.9)'s update. Keep that optimizer with no other option, and look for "
                      "what stops its buffer building.",
                      "Print len(optimizer.state) just before each step(): where does SGD keep a weight's "
                      "momentum buffer, and what happens to it on the next pass of the loop?")
    if not momenta:  # another optimizer, or an update written by hand (even a right one)
        raise _refuse("Your train no longer steps with the given optimizer, SGD(momentum=0.9). The exercise "
                      "asks for one change to the given loop, and replacing its optimizer is not that change. "
                      "Keep that optimizer and look for what stops its buffer building.",
                      "Print len(optimizer.state) just before each step(): where does SGD keep a weight's "
                      "momentum buffer, and what happens to it on the next pass of the loop?")
    if momenta and not any(momenta):
        raise _refuse("Your optimizer has momentum 0, so its steps are plain SGD. The loop is meant to be "
                      "SGD with momentum 0.9: keep momentum=0.9 and look for what stops the buffer building.",
                      "Print len(optimizer.state) just before each step(): where does SGD keep a weight's "
                      "momentum buffer, and what happens to it on the next pass of the loop?")
    return _weights(model)


def _epoch_problem() -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    """06.4's model and data: 64 inputs (4 batches of 16), from ``_problem``."""
    return _problem(64, seed=64)


_EPOCH_LR, _EPOCH_SEED = 0.5, 4


def _reference_epoch(order: str = "shuffled", clear: bool = True, size: int = 16, summed: bool = False) -> torch.Tensor:
    """The weights after one epoch of section 2's step on batches of 16: in the order
    ``torch.randperm(64, generator=g)`` gives ("shuffled", right), the order a shuffling DataLoader
    drawing from g gives ("dataloader"), in index order ("in order"), one
    step on all 64 points ("one batch") or four steps each on all 64 ("whole data"); the gradients
    cleared before each backward() (right) or never; in batches of ``size`` (16, right); each step on
    the batch's mean loss (right) or, ``summed``, on its sum."""
    return _epoch_run(order, clear, size, summed)[0]


def _reference_losses() -> list[float]:
    """The four batch losses of the right epoch, each computed on its batch before its step."""
    return _epoch_run()[1]


def _epoch_run(order: str = "shuffled", clear: bool = True, size: int = 16,
               summed: bool = False) -> tuple[torch.Tensor, list[float]]:
    model, x, y = _epoch_problem()
    losses = []
    g = torch.Generator().manual_seed(_EPOCH_SEED)
    if order == "dataloader":  # DataLoader(..., shuffle=True, generator=g): it draws from g before its randperm
        rows = torch.cat(list(torch.utils.data.DataLoader(range(64), batch_size=16, shuffle=True, generator=g)))
    else:
        rows = {"shuffled": torch.randperm(64, generator=g), "in order": torch.arange(64)}.get(order, torch.arange(64))
    batches = [torch.arange(64)] if order == "one batch" else [torch.arange(64)] * 4 if order == "whole data" else rows.split(size)
    for batch in batches:
        if clear:
            model.zero_grad()
        loss = F.cross_entropy(model(x[batch]), y[batch], reduction="sum" if summed else "mean")
        loss.backward()
        losses.append(loss.item())
        with torch.no_grad():
            for p in model.parameters():
                p -= _EPOCH_LR * p.grad
    return _weights(model), losses


def _epoch_result(train_epoch) -> torch.Tensor:
    """The weights after the student's ``train_epoch(net, x, y, lr, generator)`` on the check's problem;
    refused if it never draws from ``g`` (its order could not be repeated) or returns no losses."""
    _refusal_hint.clear()
    model, x, y = _epoch_problem()
    g = torch.Generator().manual_seed(_EPOCH_SEED)
    losses = train_epoch(model, x, y, _EPOCH_LR, g)
    unshuffled = ("in order", "one batch", "whole data")  # named mistakes that need no shuffle
    if torch.equal(g.get_state(), torch.Generator().manual_seed(_EPOCH_SEED).get_state()) \
            and not torch.equal(_weights(model), _weights(_epoch_problem()[0])) \
            and not any(_close(_weights(model), _reference_epoch(order)) for order in unshuffled):
        raise _refuse("Your epoch never drew from the generator, so its order cannot be repeated.",
                      "Pass it to the shuffle: torch.randperm(len(x), generator=generator).")
    if not (isinstance(losses, list) and losses and all(isinstance(v, float) for v in losses)):
        if isinstance(losses, list) and losses and all(isinstance(v, torch.Tensor) for v in losses):
            raise _refuse("Your train_epoch returned a list of tensors: keep `return losses`, but append the "
                          "number loss.item(), not the tensor loss.",
                          "Change only the append, losses.append(loss.item()), then run the check again.")
        raise _refuse(f"Your train_epoch returned {type(losses).__name__}, not its losses: keep `return losses`, "
                      "a list with one float (loss.item()) per batch.",
                      "Append loss.item() for each batch to losses.")
    weights, right = _weights(model), _reference_losses()
    if _close(weights, _reference_epoch()) and not (
            len(losses) == len(right) and torch.allclose(torch.tensor(losses), torch.tensor(right), rtol=1e-4, atol=1e-6)):
        raise _refuse(f"Your weights are right, but the {len(losses)} losses you returned are not the epoch's "
                      f"{len(right)} batch losses: one loss.item() per batch, the loss on x[batch] and y[batch] "
                      "that its backward() used.",
                      "Print len(losses) and the losses: one per step, each the batch's loss before its step.")
    return weights


def _as_number_if_written_as_one(answer):
    """A number written as a string ("0.06") counts as that number, so the wrong type costs no hint."""
    if isinstance(answer, str):
        try:
            return float(answer)
        except ValueError:
            pass
    return answer


def _reference_training(lr: float = 0.5, mu: float = 0.9, clear: bool = True, fresh: bool = False) -> torch.Tensor:
    """SGD with momentum ``mu`` on the check's problem: one optimizer for the whole run (right) or a
    new one every step (``fresh``: its buffer starts empty each time); the gradients cleared every
    step (right) or never (they accumulate)."""
    model, x, y = _problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=mu)
    for _ in range(_STEPS):
        if fresh:
            optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=mu)
        if clear:
            optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    return _weights(model)


# The exercise cell's loop as given, to tell "not answered yet" from an attempt that still fails.
_GIVEN = """
def train(net, x, y, steps, lr):
    losses = []
    for _ in range(steps):
        optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
"""


def _unchanged(train) -> bool:
    namespace: dict = {"torch": torch, "F": F}
    exec(_GIVEN, namespace)
    given, code = namespace["train"].__code__, getattr(train, "__code__", None)
    return code is not None and (code.co_code, code.co_consts, code.co_names) == (given.co_code, given.co_consts, given.co_names)


EXERCISES = {
    "06.1": Exercise(
        expected=lambda lr, mu: _optim_momentum(lr, mu),
        run=lambda step, lr, mu: _run_momentum(step, lr, mu),
        form="a function that updates the parameters and buffers in place",
        mismatch="your function runs, but the weights it produces differ from torch.optim.SGD(momentum=mu)'s.",
        rtol=1e-4, atol=1e-6,
        hints=_Hints("06.1", ("Each parameter has its own buffer. At the first step (buffer None) the buffer is a copy "
               "of the gradient; afterwards it is μ times itself plus the gradient. Then step along the buffer.",
               "At every step: first the buffer, b = μ·b + g, kept in buffers[k] as a tensor of its own so the "
               "next call finds it; then the parameter, p − lr·b, changed in place inside torch.no_grad().")),
        mistakes=((lambda a, e, o: _close(a, _weights(_problem()[0])),
                   "Your parameters did not change. If you wrote p = p − …, that makes a new tensor and rebinds "
                   "the name p, leaving the model's parameter as it was: change the parameter itself, in place."),
                  (lambda a, e, o: _close(a, _with_momentum(_sign_flipped, o["lr"], o["mu"])),
                   "You stepped up the gradient, p + lr·b: the loss grows. Step against it, p − lr·b."),
                  (lambda a, e, o: _close(a, _optim_momentum(o["lr"], 0.0)),
                   "Your steps are plain SGD: the buffer is not kept from one call to the next. Store it in "
                   "the list buffers, at the parameter's index."),
                  (lambda a, e, o: _close(a, _optim_momentum(o["lr"], o["mu"], dampening=o["mu"]))
                   or _close(a, _with_momentum(_average_from_zero, o["lr"], o["mu"])),
                   "You averaged, μ·b + (1 − μ)·g: PyTorch's buffer adds the whole gradient, μ·b + g."),
                  (lambda a, e, o: _close(a, _optim_momentum(o["lr"], o["mu"], nesterov=True)),
                   "You stepped along g + μ·b, a look-ahead (Nesterov's momentum, SGD(nesterov=True)): "
                   "PyTorch's default steps along the buffer b itself."),
                  (lambda a, e, o: any(_close(a, _with_momentum(lambda *args: _step_then_update(*args, start_at_zero=zero),
                                                                  o["lr"], o["mu"])) for zero in (False, True)),
                   "You stepped along the buffer before adding this step's gradient to it, so each step "
                   "follows the previous buffer: update b = μ·b + g first, then step along the new b.")),
    ),
    "06.2": Exercise(
        expected=lambda X, X2, y: _factor(_critical_lr(X, y) / _critical_lr(X2, y)),
        run=lambda answer, X, X2, y: _as_number_if_written_as_one(answer),
        form="a number (old limit / new limit)",
        # within 2 %, as the prompt says: for the bowl's X2 = X * [1, 2]
        # the curvatures on the diagonal predict 1 and the Hessian's small off-diagonal part makes it
        # 1.002, so 0.99 and 1.01 pass; wrong answers (2, 4, 16, 0.25) are far off
        rtol=2e-2,
        hints=("The limit is 2 / λ_max. Which curvature 2·mean(x_i²) does doubling the second feature "
               "change, by how much, and which curvature is the largest afterwards?",
               "w[1]'s curvature 2·mean(x_1²) grows 2² = 4 times, from 0.54 to about 2.2; w[0]'s stays 7.9. "
               "Which of them sets 2 / λ_max?"),
        mistakes=((lambda a, e, o: _number(a) is not None and 0 < _number(a) < 0.5
                   and abs(_number(a) - _critical_lr(o["X2"], o["y"])) <= 2e-3 * _critical_lr(o["X2"], o["y"]),
                   "That is the new rate itself: the exercise asks for the factor, the old limit divided "
                   "by the new one."),
                  (lambda a, e, o: _near_growth(a, o["X"], o["X2"], e, root=True),
                   "Doubling a feature doubles the slope, but the curvature 2·mean(x_i²) holds x twice: it "
                   "grows more than twice."),
                  (lambda a, e, o: _near_growth(a, o["X"], o["X2"], e),
                   "That is how many times the doubled feature's curvature grows (or one over it). But the limit is 2 / λ_max, set "
                   "by the largest curvature alone: is the doubled feature's now the largest?"),
                  (lambda a, e, o: not _near(e, 1) and (_near(a, e * e) or _near(a, 1 / e)),
                   "Scaling X scales every curvature λ, and the limit is 2 / λ_max: one factor, "
                   "in the right direction."),
                  (lambda a, e, o: not _near(e, 1) and _near(a, 1),
                   "A factor 1 keeps the old limit: the bowl is steeper now, so the largest safe step is smaller.")),
    ),
    "06.3": Exercise(
        expected=lambda: _reference_training(),
        run=lambda train: _train_result(train),
        unanswered=lambda train, objects: _unchanged(train),
        form="the fixed function",
        mismatch="your train runs, but the weights it produces differ from SGD with momentum 0.9's.",
        hints=_Hints("06.3", ("Print len(optimizer.state) just before each step(): where does SGD keep a weight's momentum "
                      "buffer, and what happens to it on the next pass of the loop?",
                      "The buffer b lives in the optimizer (optimizer.state). A new optimizer starts with no "
                      "buffer, so its first step is b = g: plain SGD. Make one optimizer that the whole loop uses.")),
        mistakes=((lambda a, e, o: _close(a, _reference_training(mu=0.0)),
                   "Your steps are still plain SGD: each step's optimizer starts with an empty momentum "
                   "buffer. How many optimizers should the whole loop use, and where must that line go?"),
                  (lambda a, e, o: _close(a, _reference_training(clear=False, fresh=True))
                   or _close(a, _reference_training(clear=False)),
                   "Your gradients now pile up: backward() adds to .grad, so keep zero_grad() before each "
                   "backward(). Momentum's memory is the buffer b, not .grad."),
                  (lambda a, e, o: _close(a, _weights(_problem()[0])),
                   "Your weights never moved: your step() sees zeroed gradients. zero_grad() goes before "
                   "backward(), not between backward() and step()."),),
    ),
    "06.4": Exercise(
        expected=lambda: _reference_epoch(),
        run=lambda train_epoch: _epoch_result(train_epoch),
        form="a function that trains net in place for one epoch",
        mismatch="your train_epoch runs, but the weights it produces differ from one epoch of batches of 16 in generator's order.",
        rtol=1e-4, atol=1e-6,
        hints=_Hints("06.4", ("An epoch, as in section 5: shuffle with torch.randperm(len(x), generator=generator), split that "
                              "order into batches of 16, and on each take section 3's step, with x[batch] and "
                              "y[batch] in place of all the data.",
                              "Compare your loop with section 5's epoch: one shuffle of all the points for the whole "
                              "epoch, then split it into batches of 16 and take one step per batch, each on the "
                              "batch's mean loss (cross_entropy's default). 64 points make 4 steps.")),
        mistakes=((lambda a, e, o: _close(a, _reference_epoch("in order")),
                   "You took the batches in index order, 0–15, 16–31, …: shuffle first, "
                   "torch.randperm(len(x), generator=generator), then split that order."),
                  (lambda a, e, o: _close(a, _reference_epoch("dataloader")),
                   "You shuffled with a DataLoader: it draws a seed from generator before its own randperm, so its "
                   "order differs. Use torch.randperm(len(x), generator=generator).split(16)."),
                  (lambda a, e, o: any(_close(a, _reference_epoch(size=size)) for size in (1, 2, 4, 8, 32)),
                   "Your batches are not 16 points each: 64 points in batches of 16 make 4 steps. Split the "
                   "shuffled order into batches of 16."),
                  (lambda a, e, o: _close(a, _reference_epoch("one batch")),
                   "You took one step on all 64 points: split the shuffled order into batches of 16 and step on each."),
                  (lambda a, e, o: _close(a, _reference_epoch("whole data")),
                   "Each of your steps used all the points: index the data with the batch, x[batch] and y[batch]."),
                  (lambda a, e, o: _close(a, _reference_epoch(summed=True)),
                   "Your loss is the batch's sum, 16 times its mean, so each step is 16 times too large. "
                   "Keep cross_entropy's default, the mean over the batch."),
                  (lambda a, e, o: _close(a, _reference_epoch(clear=False)),
                   "Your gradients pile up from batch to batch: backward() adds to .grad, so zero_grad() "
                   "before each backward()."),
                  (lambda a, e, o: _close(a, _weights(_epoch_problem()[0])),
                   "Your weights never moved: after backward(), call optimizer.step() on each batch.")),
    ),
}
