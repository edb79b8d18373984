"""Checks for 08_modular_cnns_and_inspection's exercises."""
import torch
from torch import nn
from torch.nn import functional as F

from checks import Exercise, Range, Refused


class _AblationNet(nn.Module):
    """The check's model for 08.1: ``head`` is registered before ``block`` but runs after it, with a
    max pool called as a function in between (no ConvBlock, not a Sequential)."""

    def __init__(self):
        super().__init__()
        self.head = nn.Sequential(nn.Linear(4 * 3 * 3, 5), nn.Tanh(), nn.Linear(5, 3))
        self.block = nn.Sequential(nn.Conv2d(2, 4, kernel_size=3), nn.ReLU())
        self.flatten = nn.Flatten()

    def forward(self, x):
        # the probe: was a forward hook on block.0 while this model ran? (a zeroed copy of the model,
        # or zeroed and restored weights, give the same numbers for a convolution, without a hook)
        self.hook_seen = getattr(self, "hook_seen", False) or bool(self.block[0]._forward_hooks)
        # and was some other hook on while it ran (a pre-hook on block.1, say, also gives the right numbers)?
        self.other_hook_seen = getattr(self, "other_hook_seen", False) or bool(self.block[0]._forward_pre_hooks) or any(
            m._forward_hooks or m._forward_pre_hooks for m in self.modules() if m is not self.block[0])
        return self.head(self.flatten(F.max_pool2d(self.block(x), 2)))


_ABLATE = ("block.0", 2)
"""The layer (a convolution inside a Sequential) and the channel the check asks to zero."""
_OTHER_CHANNEL = 0
"""The channel of a second run on a fresh model: a function that ignores ``channel`` fails it."""


def _ablation_model() -> tuple[nn.Module, torch.Tensor]:
    """A model of the check's own and its input: 6 images of 2 channels, 8x8."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(8)
        model = _AblationNet()
        x = torch.randn(6, 2, 8, 8)
    return model, x


def _hooks_left(model: nn.Module) -> int:
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())


class _Ablated:
    """What the student's function did on the check's model: its outputs, the hooks it left on the
    model, whether it changed the model's weights, whether a forward hook sat on the layer while
    the model itself ran and whether some other hook did; ``other_outputs``, its outputs when asked
    for ``_OTHER_CHANNEL`` (on a fresh model)."""

    def __init__(self, outputs, hooks_left: int, weights_changed: bool, hooked: bool, other_hooked: bool = False,
                 other_outputs=None):
        self.outputs, self.hooks_left, self.weights_changed = outputs, hooks_left, weights_changed
        self.hooked, self.other_hooked, self.other_outputs = hooked, other_hooked, other_outputs


def _run_once(f, channel: int) -> _Ablated | None:
    """Run the student's function on a fresh check model with ``channel`` (None if it returned None)."""
    model, x = _ablation_model()
    weights = {name: t.clone() for name, t in model.state_dict().items()}
    outputs = f(model, x, _ABLATE[0], channel)
    if outputs is None:
        return None
    changed = any(not torch.equal(t, weights[name]) for name, t in model.state_dict().items())
    return _Ablated(outputs, _hooks_left(model), changed, getattr(model, "hook_seen", False),
                    getattr(model, "other_hook_seen", False))


def _run_ablated(f) -> _Ablated | None:
    """Run the student's function on the check's model with ``_ABLATE``'s channel, then on a fresh one
    with ``_OTHER_CHANNEL`` (None if the first run returned None)."""
    first = _run_once(f, _ABLATE[1])
    if first is not None:
        other = _run_once(f, _OTHER_CHANNEL)
        first.other_outputs = None if other is None else other.outputs
    return first


def _by_hand(zero=None) -> torch.Tensor:
    """The check model's output computed layer by layer; ``zero(name, tensor)`` may change a
    layer's output on the way (``name`` is "block.0", "block.1", "logits")."""
    model, x = _ablation_model()
    zero = zero or (lambda name, h: h)
    with torch.no_grad():
        h = zero("block.0", model.block[0](x))
        h = zero("block.1", model.block[1](h))
        return zero("logits", model.head(model.flatten(F.max_pool2d(h, 2))))


def _zeroed(where: str, dim: int = 1, channel: int = _ABLATE[1]):
    """A ``zero`` for ``_by_hand``: index ``channel`` along ``dim`` of ``where``'s output set to 0."""
    def zero(name, h):
        if name == where:
            h = h.clone()
            h.select(dim, channel).zero_()
        return h
    return zero


def _outputs_close(answer, reference, which: str = "outputs") -> bool:
    outputs = getattr(answer, which, None)
    return (isinstance(outputs, torch.Tensor) and outputs.shape == reference.shape
            and torch.allclose(outputs.detach().double(), reference.double(), rtol=1e-5, atol=1e-6))


def _other_channel_right(answer) -> bool:
    """The second run, asked for ``_OTHER_CHANNEL``, zeroed that channel."""
    return _outputs_close(answer, _by_hand(_zeroed("block.0", channel=_OTHER_CHANNEL)), "other_outputs")


def _ablated_right(answer, expected, objects) -> bool:
    """The outputs with the channel zeroed by a forward hook, no hook left, the weights as they were,
    and the other channel zeroed when asked for it."""
    return (_outputs_close(answer, expected) and answer.hooks_left == 0 and not answer.weights_changed
            and answer.hooked and _other_channel_right(answer))


def _kept_value(drop: nn.Dropout) -> float:
    """What a kept 1.0 becomes in train() mode, read from a real Dropout (global RNG untouched)."""
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        was_training = drop.training
        drop.train()
        value = drop(torch.ones(1000)).max().item()
        drop.train(was_training)
    return value


def _running_stats(batch, calls: int = 2) -> tuple[float, float]:
    """(running_mean, running_var) of a fresh BatchNorm2d in train() mode after ``calls`` calls on ``batch``."""
    bn = nn.BatchNorm2d(batch.shape[1])
    with torch.no_grad():
        for _ in range(calls):
            bn(batch)
    return bn.running_mean[0].item(), bn.running_var[0].item()


def _two_steps(mean_start, var_start, mean, var, m=0.1) -> tuple[float, float]:
    """Two running-statistics updates with momentum ``m`` towards the same (mean, var)."""
    for _ in range(2):
        mean_start, var_start = (1 - m) * mean_start + m * mean, (1 - m) * var_start + m * var
    return mean_start, var_start


def _biased_var(batch) -> float:
    """The batch's variance dividing by n (what BatchNorm normalizes with, not what it stores)."""
    return batch.var(correction=0).item()


def _values(answer) -> list[float] | None:
    """``answer`` as a list of floats (ints, floats, 0-d tensors, a tensor), or None."""
    try:
        return [float(v) for v in (answer.tolist() if isinstance(answer, torch.Tensor) else answer)]
    except (TypeError, ValueError):
        return None


def _pair_close(answer, expected, tolerance: float = 1e-3) -> bool:
    """``answer`` is two numbers (ints, floats, 0-d tensors, a 2-element tensor) within ``tolerance`` of
    ``expected``."""
    values = _values(answer)
    return (values is not None and len(values) == 2
            and all(abs(v - w) <= tolerance for v, w in zip(values, expected)))


def _mean_close(answer, mean) -> bool:
    """``answer`` is a pair whose first number is close to ``mean``."""
    values = _values(answer)
    return values is not None and len(values) == 2 and abs(values[0] - mean) <= 1e-3


def _count(cls) -> int:
    """How many numbers ``cls()``'s parameters() holds."""
    return sum(p.numel() for p in cls().parameters())


def _registered(cls, images) -> tuple[int, tuple]:
    """(how many numbers ``cls()``'s parameters() holds, its output shape on ``images``); refuses a
    model whose parameters() misses some layers, saying how many numbers it misses."""
    try:
        count = _count(cls)
    except TypeError as error:  # nn.ModuleList(a, b): the blocks not in one list; a mistake hint says so
        if "ModuleList" in str(error):
            return None, _ModuleListArgs(f"TypeError: {error}")
        raise
    full = _list_cnn_count()
    if count < full and any(isinstance(v, (list, tuple)) and any(isinstance(m, nn.Module) for m in v)
                            for v in vars(cls()).values()):
        return count, _PlainList("the blocks sit in a plain list")
    if count < full:
        raise Refused(f"parameters() holds {count:,} numbers; all its layers hold {full:,}: a layer the model "
                      "does not hold as an attribute (or in a container module) is never trained.")
    if count > full:
        raise Refused(f"parameters() holds {count:,} numbers, more than TwoBlockCNN's layers ({full:,}): "
                      "keep its layers the same and make the ones it has count.")
    if sum(isinstance(m, nn.Conv2d) for m in cls().modules()) < 2:  # e.g. a ParameterList of the blocks' tensors
        raise Refused("parameters() counts every number, but modules() does not list the two blocks: they are "
                      "still not sub-modules (train()/eval() and .to() miss them, state_dict names their tensors "
                      "oddly). Register the blocks themselves, not their tensors.")
    try:
        with torch.no_grad():
            model = cls()
            shape = tuple(model(images).shape)
    except Exception as error:  # registered, but the forward fails: a mistake hint says so
        dict_keys = any(isinstance(m, nn.ModuleDict) for m in model.modules()) if "model" in locals() else False
        return count, (_DictKeys if dict_keys else _ForwardFailed)(f"{type(error).__name__}: {error}")
    if not _same_twice(model, images):
        return count, _FreshEachCall("two calls on the same images differ")
    if not _computes_as_given(model, images):
        return count, _ForwardChanged("the forward computes something else than the given one")
    if not _every_layer_learns(model, images):
        return count, _NotLearning("one backward leaves some parameters without a gradient")
    return count, shape


def _every_layer_learns(model, images) -> bool:
    """One backward of the output's sum, on random images (global RNG untouched), gives every
    parameter a gradient: a forward that detaches a block or runs it under no_grad(), or a frozen
    parameter, fails; the model's gradients are cleared again."""
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(1)
            x = torch.randn(images.shape)
            model.train()
            model.zero_grad(set_to_none=True)
            model(x).sum().backward()
        return all(p.requires_grad and p.grad is not None and bool(p.grad.abs().sum() > 0)
                   for p in model.parameters())
    except RuntimeError:  # the output does not require a gradient at all
        return False
    finally:
        model.zero_grad(set_to_none=True)
        model.eval()


def _same_twice(model, images) -> bool:
    """Two eval() calls on the same random images (global RNG untouched) give the same output."""
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(1)
        x = torch.randn(images.shape)
        model.eval()
        return torch.equal(model(x), model(x))


def _computes_as_given(model, images) -> bool:
    """``model``'s output equals what the given forward computes from its two blocks and its Linear
    (on random images of ``images``' shape, global RNG untouched); True when those are not found."""
    blocks = [m for m in model.modules() if m is not model and any(isinstance(c, nn.Conv2d) for c in m.children())]
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if len(blocks) != 2 or len(linears) != 1:
        return True
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(0)
        x = torch.randn(images.shape)
        output = model(x)
        ran = False
        for first, second in (blocks, blocks[::-1]):  # block2 may be declared before block1
            try:
                h = second(first(x))
                ran = True
                if torch.allclose(output, linears[0](h.flatten(1)), atol=1e-5):
                    return True
            except Exception:  # the blocks do not chain in this order: try the other
                continue
        return not ran  # neither order runs: nothing to compare against


def _registered_or_undefined(cls, images) -> tuple[int | None, tuple]:
    """``_registered``, or (None, an ``_Undefined``) when the class uses a name not defined (yet)."""
    try:
        return _registered(cls, images)
    except NameError as error:  # after a restart, ConvBlock's cell not run again; or a misspelt name
        return None, _Undefined(f"NameError: {error}")


class _Undefined(str):
    """What ``_registered_or_undefined`` returns instead of a shape when the class uses an undefined name."""


class _ModuleListArgs(str):
    """What ``_registered`` returns instead of a shape when nn.ModuleList got the blocks one by one."""


class _PlainList(str):
    """What ``_registered`` returns instead of a shape when the model keeps modules in a plain list."""


class _ForwardFailed(str):
    """What ``_registered`` returns instead of a shape when the fixed class's forward raised."""


class _DictKeys(str):
    """What ``_registered`` returns instead of a shape when a forward raised in a model holding a ModuleDict."""


class _FreshEachCall(str):
    """What ``_registered`` returns instead of a shape when two calls on the same images differ."""


class _ForwardChanged(str):
    """What ``_registered`` returns instead of a shape when the fixed class computes something else."""


class _NotLearning(str):
    """What ``_registered`` returns instead of a shape when a backward leaves some parameter without
    a gradient (a detached block, a forward under no_grad(), a frozen layer)."""


class _TwoBlockCNNAsGiven(nn.Module):
    """The exercise's forward, exactly as handed out (its bytecode tells an untouched forward)."""

    def forward(self, x):
        x = self.block1(x)
        x = ConvBlock(16, 32)(x)  # noqa: F821 (never run: only its bytecode is compared)
        return self.fc(x.flatten(1))


def _untouched(cls) -> bool:
    """``cls`` is the exercise as given: only block1 and fc registered, forward as given."""
    given, theirs = _TwoBlockCNNAsGiven.forward.__code__, getattr(getattr(cls, "forward", None), "__code__", None)
    return (theirs is not None and (theirs.co_code, theirs.co_names) == (given.co_code, given.co_names)
            and _count(cls) == (3 * 16 * 9 + 16) + (32 * 8 * 8 * 10 + 10))


def _list_cnn_count() -> int:
    """What a TwoBlockCNN with every layer registered holds: two ConvBlocks (3 -> 16 -> 32) and fc."""
    return (3 * 16 * 9 + 16) + (16 * 32 * 9 + 32) + (32 * 8 * 8 * 10 + 10)


def _conv2_share(widths) -> float:
    """The second convolution's weights with ``widths``, as a fraction of those with (16, 32)."""
    first, second = widths
    return first * second / (16 * 32)


def _widths_right(widths) -> bool:
    return widths[1] == 2 * widths[0] and _conv2_share(widths) == 1 / 16


_REGISTERED = "Your layers are registered now: parameters() counts them all. But "  # 08.4's hints
_DROP_TOLERANCE = 0.0051
"""How far a reported drop may be from the measured one: two decimals are enough."""


def _measure_drop(drop, widths, train):
    """(the widths as ints, the drop reported, the drop ``train`` measures, or None when the widths
    are wrong: those are judged by arithmetic, before any training)."""
    if widths is None:
        raise Refused("put your widths in ex5_widths too: the drop is measured with them.")
    widths = tuple(widths)
    if len(widths) != 2:
        raise Refused(f"give two widths, one per block, not {len(widths)}.")
    if any(float(w) != int(w) or int(w) < 1 for w in widths):
        raise Refused("widths are whole channel counts (1, 2, 3, …).")
    widths = tuple(int(w) for w in widths)
    measured = train((16, 32)) - train(widths) if _widths_right(widths) else None
    return widths, float(drop), measured


def _seed_1_drop(answer, train) -> bool:
    """The reported drop is the one ``train`` measures with seed=1 (about 2 s, only for a wrong
    answer with the right widths; False for a ``train`` without a seed)."""
    widths, drop, measured = answer
    if measured is None or abs(drop - measured) <= _DROP_TOLERANCE:
        return False
    try:
        return abs(drop - (train((16, 32), seed=1) - train(widths, seed=1))) <= _DROP_TOLERANCE
    except TypeError:
        return False


def _drop_right(answer, expected, objects) -> bool:
    widths, drop, measured = answer
    return measured is not None and abs(drop - measured) <= _DROP_TOLERANCE and expected.low <= drop <= expected.high


EXERCISES = {
    "08.1": Exercise(
        expected=lambda: _by_hand(_zeroed("block.0")),
        run=lambda f: _run_ablated(f),
        same=_ablated_right,
        form="a function returning the model's outputs on x (a tensor), the channel zeroed",
        hints=("Find the layer by its name (model.get_submodule(layer_name)), register a forward hook on it "
               "that returns the layer's output with the channel set to zero, run the model on x, remove "
               "the hook, return the model's outputs.",
               "A forward hook that returns a tensor replaces the layer's output with it. Channel `channel` "
               "of an (N, C, H, W) output is output[:, channel]: zero it in a copy (output.clone()) and "
               "return the copy. Keep the handle register_forward_hook returns and call .remove() on it "
               "after the forward (in a finally)."),
        mistakes=(
            (lambda a, e, o: not isinstance(a.outputs, torch.Tensor) or a.outputs.shape != e.shape,
             "Return what the model outputs on x while your hook is on (a tensor of logits, one row per "
             "image), not a statistic of it."),
            (lambda a, e, o: a.weights_changed,
             "Your function changed the layer's weights (state_dict differs afterwards), and the model keeps "
             "them: every later call would miss that channel too. Leave the weights alone and zero the "
             "layer's *output*, in a forward hook that you remove afterwards."),
            (lambda a, e, o: _outputs_close(a, _by_hand()),
             "Your outputs are the model's usual ones: the zeroed channel never reached the next layer. A "
             "forward hook replaces the layer's output only with what it *returns*: a hook that changes a "
             "copy (output = output.clone(), output = output * mask, …) and returns None changes nothing. "
             "And is the hook still on when the model runs?"),
            (lambda a, e, o: _outputs_close(a, _by_hand(_zeroed("block.0", dim=0))),
             "You zeroed one image of the batch: dim 0 of an (N, C, H, W) output is the batch, the "
             "channels are dim 1, output[:, channel]."),
            (lambda a, e, o: _outputs_close(a, _by_hand(_zeroed("logits"))),
             "You zeroed a column of the model's final output: hook the layer named layer_name "
             "(model.get_submodule(layer_name)), not the model."),
            (lambda a, e, o: _outputs_close(a, e) and not a.hooked and a.other_hooked,
             "The right numbers, but from a hook on another module (a pre-hook on the next layer, say), not "
             "from a forward hook on the layer named layer_name. That works here because one module takes "
             "the layer's output next; it fails when the output goes to a function call (F.relu) or to two places. Register a forward hook on "
             "model.get_submodule(layer_name) itself, returning its output with the channel zeroed."),
            (lambda a, e, o: _outputs_close(a, e) and not a.hooked,
             "The right numbers, but no forward hook sat on the layer while the model you were given ran: "
             "for a convolution, a copy with a zeroed filter (or zeroed and restored weights) gives the "
             "same numbers, but the tool here is a hook, which works on any layer and leaves the weights "
             "alone. Register a forward hook on model.get_submodule(layer_name) that returns the output "
             "with the channel zeroed, run model(x), then remove the hook."),
            (lambda a, e, o: _outputs_close(a, e) and a.hooks_left > 0,
             "The right outputs, but your hook is still on the model: every later call would zero the "
             "channel too. Keep the handle register_forward_hook returns and call handle.remove() before "
             "returning (in a finally, so that it goes even if the forward raises)."),
            (lambda a, e, o: _outputs_close(a, e) and _outputs_close(a, e, "other_outputs"),
             f"Right for channel {_ABLATE[1]}, but asked for channel {_OTHER_CHANNEL} your function zeroes "
             f"channel {_ABLATE[1]} again: it zeroes the same channel whatever `channel` is. Index the output "
             "with the argument, output[:, channel]."),
            (lambda a, e, o: _outputs_close(a, e),
             f"Right for channel {_ABLATE[1]}, but asked for channel {_OTHER_CHANNEL} (on a fresh model) your "
             "function gives other outputs than that channel zeroed: does it use `channel` and `layer_name` "
             "as given, and leave nothing behind between calls?"),
        ),
    ),
    "08.2": Exercise(
        expected=lambda batch: _running_stats(batch),
        same=lambda answer, expected, objects: _pair_close(answer, expected),
        form="a pair (running_mean, running_var) of numbers",
        hints=("Where does the first call leave running_mean and running_var? The second call starts "
               "from there, not from 0 and 1.",
               "Apply the update of section 4 twice, each time to the values the call before left. The "
               "variance the layer moves towards is the square of the standard deviation you were given "
               "(std() divides by n - 1, as the variance BatchNorm stores does)."),
        mistakes=(
            (lambda a, e, o: (_values(a) is None or len(_values(a)) != 2),
             "Give two numbers, (running_mean, running_var), in that order."),
            (lambda a, e, o: _pair_close(a, e[::-1]),
             "The right numbers in the wrong order: give (running_mean, running_var)."),
            (lambda a, e, o: _pair_close(a, (0.5, 1.8)),
             "That is where the first call leaves them; the second call moves them again, from there."),
            (lambda a, e, o: _pair_close(a, (5.0, 9.0)) or _pair_close(a, (5.0, 3.0)),
             "Those are the batch's own statistics: each call moves running_mean and running_var only a "
             "step (momentum=0.1) towards them."),
            (lambda a, e, o: _mean_close(a, 1.0),
             "Your second step added 0.1 of the batch's mean again, but the update also keeps only 0.9 of "
             "the value the first call left."),
            (lambda a, e, o: _pair_close(a, (4.5, 8.2)) or _pair_close(a, _two_steps(0, 1, 5, 9, m=0.9)),
             "momentum=0.1 is the weight of the *new* batch, not of the old value: the running statistics "
             "keep 0.9 of what they were."),
            (lambda a, e, o: _pair_close(a, _two_steps(0, 0, 5, 9)),
             "Your mean is right; for the variance, do not forget where running_var starts: 1, not 0."),
            (lambda a, e, o: _pair_close(a, _two_steps(0, 1, 5, _biased_var(o["batch"]))),
             "Your mean is right; the variance is the one dividing by n. running_var is fed the unbiased "
             "variance, the one dividing by n - 1 (what var() gives), even though the output is normalized "
             "with the other one."),
            (lambda a, e, o: _pair_close(a, _two_steps(0, 1, 5, 3)),
             "Your mean is right; for running_var use the batch's variance, not its standard deviation."),
            (lambda a, e, o: _values(a) is not None and len(_values(a)) == 2
             and all(abs(v - w) <= 0.025 for v, w in zip(_values(a), e)),
             "Close: your reasoning looks right, but the check wants both numbers to 0.001. Keep every "
             "decimal, or write the arithmetic itself."),
        ),
    ),
    "08.3": Exercise(
        expected=lambda drop: (_kept_value(drop), 1 / _kept_value(drop)),
        unanswered=lambda answer, objects: isinstance(answer, tuple) and any(v is None for v in answer),
        same=lambda answer, expected, objects: _pair_close(answer, expected, 1e-6),
        form="two numbers, (ex3_kept, ex3_eval_factor)",
        hints=("In train() mode Dropout keeps the average of its output equal to its input. What fraction of "
               "the inputs survives? And without that rescaling, what average would train() pass on?",
               "A fraction 1 - p survives; the survivors must carry the whole average on their own. Without "
               "the rescaling, train() passes on 1 - p of the average, and the next layer learns on that: "
               "eval() must give it the same average size."),
        mistakes=(
            (lambda a, e, o: _values(a) is None or len(_values(a)) != 2,
             "Give ex3_kept and ex3_eval_factor one number each."),
            (lambda a, e, o: _pair_close(a, e[::-1], 1e-6),
             "The right numbers in the wrong order: ex3_kept is what a survivor becomes in train() mode, "
             "ex3_eval_factor what eval() would multiply by."),
            (lambda a, e, o: abs(_values(a)[0] - (1 - o["drop"].p)) < 1e-6,
             "ex3_kept: that is the fraction kept, not the value of a kept number. Scale so the average "
             "stays 1."),
            (lambda a, e, o: abs(_values(a)[0] - 1 / o["drop"].p) < 1e-6,
             "ex3_kept: p is the probability of being dropped, not of being kept."),
            (lambda a, e, o: abs(_values(a)[0] - 2) < 1e-6,
             "ex3_kept: 2 is the scale for p = 0.5; this Dropout has another p."),
            (lambda a, e, o: abs(_values(a)[0] - 1) < 1e-6,
             "ex3_kept: in eval() mode a kept 1.0 stays 1.0; the question is about train() mode."),
            (lambda a, e, o: abs(_values(a)[0] - e[0]) < 1e-6 and abs(_values(a)[1] - e[0]) < 1e-6,
             "ex3_kept is right. ex3_eval_factor scales eval() up as train() does, but here train() did not "
             "rescale: a million ones through it would average 0.8. What must eval() give the next layer, "
             "which learned on those inputs?"),
            (lambda a, e, o: abs(_values(a)[0] - e[0]) < 1e-6 and abs(_values(a)[1] - 1) < 1e-6,
             "ex3_kept is right. With ex3_eval_factor = 1, eval() passes on inputs of average 1.0, but "
             "without rescaling the next layer learned on train()'s average. What was that average?"),
            (lambda a, e, o: abs(_values(a)[0] - e[0]) < 1e-6 and abs(_values(a)[1] - (2 - e[0])) < 1e-6,
             "ex3_kept is right. ex3_eval_factor = 1 - (ex3_kept - 1) subtracts the extra part of the scale. "
             "Think about the average instead: without the rescaling, what fraction of its input's average "
             "would train() pass on?"),
        ),
    ),
    "08.4": Exercise(
        expected=lambda images: (_list_cnn_count(), (len(images), 10)),
        run=lambda cls, images: _registered_or_undefined(cls, images),
        unanswered=lambda cls, objects: _untouched(cls),
        form="the fixed class",
        same=lambda answer, expected, objects: answer == expected,
        mistakes=(
            (lambda a, e, o: isinstance(a[1], _Undefined),
             "Your class uses a name that is not defined (a NameError): after a restart, run section 2's "
             "cell that defines ConvBlock first, then this cell again. If that cell has run, check the "
             "spelling of the names in your class."),
            (lambda a, e, o: isinstance(a[1], _ModuleListArgs),
             "Building your class raised a TypeError: nn.ModuleList takes one iterable, not the modules "
             "one by one. Put the blocks in a list: nn.ModuleList([block_a, block_b])."),
            (lambda a, e, o: isinstance(a[1], _PlainList),
             "parameters() misses some layers: the model keeps modules in a plain Python list, which is "
             "not a container module, so nn.Module never sees them. Use nn.ModuleList (01 §8)."),
            (lambda a, e, o: isinstance(a[1], _DictKeys),
             _REGISTERED + "the forward raised an error: "
             "iterating an nn.ModuleDict yields its keys (strings), not its modules; use .values(), or an "
             "attribute per block."),
            (lambda a, e, o: isinstance(a[1], _ForwardFailed),
             _REGISTERED + "the forward raised an "
             "error: it should compute what the given one does (block 1, block 2, then fc)."),
            (lambda a, e, o: isinstance(a[1], _FreshEachCall),
             _REGISTERED + "two calls on the same images "
             "give different outputs: forward still builds a new block, with new random weights, at every "
             "call. Use the block the model holds."),
            (lambda a, e, o: isinstance(a[1], _NotLearning),
             _REGISTERED + "one backward() leaves some of "
             "them without a gradient: a block is detached, run under no_grad(), or its parameters do not "
             "require a gradient. Those layers would never learn; keep the forward as given."),
            (lambda a, e, o: isinstance(a[1], _ForwardChanged),
             _REGISTERED + "the output is not what "
             "block 1, block 2 and then fc compute: keep the forward's computation as given."),
            (lambda a, e, o: a[0] == e[0] and a[1] != e[1],
             _REGISTERED + "the output is not one "
             "row of 10 scores per image: keep the forward's computation (block 1, block 2, then fc)."),
        ),
        hints=("Call TwoBlockCNN().eval() twice on the same images: do the two outputs match? Then print "
               "[name for name, _ in TwoBlockCNN().named_parameters()]: which layers does the model hold?",
               "A layer built inside forward is a new layer, with new random weights, at every call, and "
               "the model does not hold it: an optimizer built from parameters() never sees it. Build each "
               "layer once, where the model keeps its layers."),
    ),
    "08.5": Exercise(
        expected=lambda widths, train: Range(0.0, 0.15, "a sixteenth of conv 2's weights costs a few points "
                                             "after 64 short steps"),
        run=lambda drop, widths, train: _measure_drop(drop, widths, train),
        same=_drop_right,
        form="a number: the accuracy with (16, 32) minus the accuracy with your widths",
        hints=("How many weights has a convolution with in_channels C, out_channels O and a 3x3 kernel? "
               "Narrow both blocks by the same factor: what happens to that count?",
               "The second convolution's in_channels is the first block's width: narrowing both by a "
               "factor f divides its weights by f twice."),
        mistakes=(
            (lambda a, e, o: a[2] is None and _conv2_share(a[0]) == 1 / 256,
             "Both C and O shrink, so the weights shrink by the factor twice: you divided them by 256, "
             "not 16."),
            (lambda a, e, o: a[2] is None and a[0][1] != 2 * a[0][0],
             "Narrow both blocks by the same factor: section 5's second block is twice as wide as its "
             "first, and stays so."),
            (lambda a, e, o: a[2] is None,
             "Count the second convolution's weights with your widths and compare with 16 x 32 x 9."),
            (lambda a, e, o: abs(a[1] + a[2]) <= _DROP_TOLERANCE < abs(a[1] - a[2]),
             "Your widths are right, and your number has the right size but the wrong sign: the drop is "
             "the accuracy with (16, 32) minus the accuracy with your widths."),
            (lambda a, e, o: abs(a[1]) > 0.5 and abs(a[1] - 100 * a[2]) <= 100 * _DROP_TOLERANCE,
             "Your widths are right and so is your measurement, but in percent: give the drop as a "
             "fraction, like the accuracies ex5_train returns."),
            (lambda a, e, o: _seed_1_drop(a, o["train"]),
             "Your widths are right, and your number matches the drop with seed 1: the check measures the "
             "default seed, ex5_train(w) (seed 0). Report that drop; compare it with seed 1 afterwards."),
            (lambda a, e, o: abs(a[1] - a[2]) > _DROP_TOLERANCE,
             "Your widths are right, but your number is not what ex5_train measures with them: measure "
             "both accuracies with ex5_train's default seed and subtract (round to two decimals, do not cut the rest off)."),
            (lambda a, e, o: True,
             "The drop ex5_train measured is outside what this experiment gives: a sixteenth of conv 2's "
             "weights costs a few points after 64 short steps. Did x_train or ex5_train change?"),
        ),
    ),
}
