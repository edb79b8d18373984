"""Checks for 03_convolution_arithmetic's exercises.

Each expected value is computed from the objects the exercise cell passes (a real layer, a real
input, the layers of a net), never typed in: it cannot drift from the notebook.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from torch.utils._python_dispatch import TorchDispatchMode

from checks import Exercise, Refused


# The settings 03.1 runs a student's convolution with: (stride, padding), plain first.
_SETTINGS = ((1, 0), (2, 0), (1, 1), (2, 1), (3, 2))


def _conv_inputs():
    """An image, filters and biases of the check's own (not the notebook's), with a rectangular
    image so that rows and columns cannot be swapped unnoticed."""
    g = torch.Generator().manual_seed(303)
    return torch.randn(3, 7, 6, generator=g), torch.randn(4, 3, 3, 3, generator=g), torch.randn(4, generator=g)


def _reference(weight_change=lambda w: w, bias_scale=1.0, settings=_SETTINGS):
    x, w, b = _conv_inputs()
    return [F.conv2d(x[None], weight_change(w), b * bias_scale, stride=s, padding=p)[0] for s, p in settings]


class _NoConvolution(TorchDispatchMode):
    """While a student's function runs, refuses every aten operator whose name says convolution
    ("conv" in it: aten.convolution, conv2d, slow_conv_dilated2d, _nnpack_spatial_convolution,
    thnn_conv2d, ...), where F.conv2d, nn.Conv2d, an alias of them or a call through torch.ops end;
    and aten.im2col, aten.unfold and aten.as_strided, which cut out every window at once (F.unfold,
    Tensor.unfold, Tensor.as_strided); and every aten FFT operator ("fft" in its name: torch.fft's
    rfft2, fft2, ...), which computes every output at once by a product of transforms. It sees only
    torch's operators: NumPy code runs unseen."""
    _REFUSED = {torch.ops.aten.im2col, torch.ops.aten.unfold, torch.ops.aten.as_strided}

    @staticmethod
    def _is_convolution(func) -> bool:
        name = func.overloadpacket.__name__
        return ("conv" in name and "convert" not in name) or "fft" in name

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func.overloadpacket in self._REFUSED or self._is_convolution(func):
            raise _ConvolutionCalled
        return func(*args, **(kwargs or {}))

    def __enter__(self):
        _numpy_windows(refuse=True)
        return super().__enter__()

    def __exit__(self, *exc):
        _numpy_windows(refuse=False)
        return super().__exit__(*exc)


def _refused_numpy_as_strided(*args, **kwargs):
    raise _ConvolutionCalled


_NUMPY_AS_STRIDED = {}  # module -> its own as_strided, while refused


def _numpy_windows(refuse: bool):
    """Swap NumPy's as_strided, which sliding_window_view calls to cut out every window at once,
    for a refusal (refuse=True) or back. NumPy code is otherwise unseen by the dispatch mode."""
    try:
        import numpy.lib._stride_tricks_impl as impl
        import numpy.lib.stride_tricks as public
    except ImportError:  # another NumPy layout: nothing to swap
        return
    for module in (impl, public):
        if refuse:
            _NUMPY_AS_STRIDED.setdefault(module, module.as_strided)
            module.as_strided = _refused_numpy_as_strided
        elif module in _NUMPY_AS_STRIDED:
            module.as_strided = _NUMPY_AS_STRIDED.pop(module)


class _ConvolutionCalled(Exception):
    pass


def _numpy_as_strided():
    """NumPy's as_strided itself (the function object), or None without NumPy."""
    try:
        import numpy.lib._stride_tricks_impl as impl
    except ImportError:
        try:
            import numpy.lib.stride_tricks as impl
        except ImportError:
            return None
    return _NUMPY_AS_STRIDED.get(impl, impl.as_strided)


def _code_names(code) -> set:
    """The global (and attribute) names a code object and the functions nested in it use."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _code_names(const)
    return names


def _holds_numpy_as_strided(f) -> bool:
    """Whether ``f``, or a function of the same notebook it reaches by a global name, a closure or
    a default, holds NumPy's as_strided itself. Swapping the name in NumPy's modules (as the check
    does while it runs) misses a reference taken before: ``from numpy.lib.stride_tricks import
    as_strided`` at the top of the cell. This finds it by identity, whatever the name."""
    target = _numpy_as_strided()
    if target is None:
        return False
    home = getattr(f, "__globals__", None)
    seen = set()

    def holds(obj) -> bool:
        if obj is target:
            return True
        func = getattr(obj, "__func__", obj)  # a bound method: its function
        if id(func) in seen or getattr(func, "__globals__", None) is not home or not hasattr(func, "__code__"):
            return False  # only the notebook's own functions are followed, each once
        seen.add(id(func))
        reached = [home[name] for name in _code_names(func.__code__) if name in home]
        for cell in func.__closure__ or ():
            try:
                reached.append(cell.cell_contents)
            except ValueError:  # an empty cell
                pass
        reached += list(func.__defaults__ or ()) + list((func.__kwdefaults__ or {}).values())
        return any(holds(each) for each in reached)

    return home is not None and holds(f)


class _SquareOnly:
    """What 03.1's run returns when the function raises on the check's 7x6 image yet is right on
    a square one: it assumes a square image (the same size for rows and columns)."""


def _right_on_a_square_image(f) -> bool:
    x, w, b = _conv_inputs()
    square = x[:, :6, :6]
    try:
        with _NoConvolution():
            got = [f(square.clone(), w.clone(), b.clone(), stride=s, padding=p) for s, p in _SETTINGS]
    except Exception:
        return False
    return _all_close(got, [F.conv2d(square[None], w, b, stride=s, padding=p)[0] for s, p in _SETTINGS])


class _StrideIgnored:
    """What 03.1's run returns when the function raises with a stride above 1 yet is right at
    stride 1: its output size leaves the stride out of the formula (or rounds up), or, if the error
    is an IndexError, it indexes the output by the input position (i · stride) instead of i."""

    def __init__(self, error: Exception | None = None):
        self.index_error = isinstance(error, IndexError)


def _right_at_stride_one(f) -> bool:
    x, w, b = _conv_inputs()
    ones = [(s, p) for s, p in _SETTINGS if s == 1]
    try:
        with _NoConvolution():
            got = [f(x.clone(), w.clone(), b.clone(), stride=s, padding=p) for s, p in ones]
    except Exception:
        return False
    return _all_close(got, _reference(settings=ones))


def _beyond_the_stub(f) -> bool:
    """Whether ``f`` holds code of its own besides 03.1's stub (a docstring and ``raise
    NotImplementedError``): names it uses or local variables. Python keeps both in the code object
    even for lines below the raise, which never run."""
    code = getattr(f, "__code__", None)
    return code is not None and bool(_code_names(code) - {"NotImplementedError"}
                                     or code.co_nlocals > code.co_argcount + code.co_kwonlyargcount)


def _run_my_conv2d(f):
    """``f`` on the check's inputs in every setting; refused if it calls a convolution of torch.
    If ``f`` raises but is right on a square image, a ``_SquareOnly`` names that slip. The untouched
    stub raises NotImplementedError ("not answered yet"); a function of the student's own that
    still raises it is told to delete the stub's line."""
    if not callable(f):
        raise Refused("pass the function itself, check(\"03.1\", my_conv2d), not what it returns: no "
                      "brackets after its name.")
    x, w, b = _conv_inputs()
    try:
        if _holds_numpy_as_strided(f):
            raise _ConvolutionCalled
        with _NoConvolution():
            results = [f(x.clone(), w.clone(), b.clone(), stride=s, padding=p) for s, p in _SETTINGS]
    except _ConvolutionCalled:
        raise Refused("the exercise asks for loops: your function calls a convolution of torch (or unfold, "
                      "which cuts out the windows for you, or as_strided: torch's, or NumPy's as in "
                      "sliding_window_view, or torch.fft, which computes every output at once).") from None
    except NotImplementedError:
        if _beyond_the_stub(f):
            raise Refused("your function still raises NotImplementedError: delete the stub's line "
                          "`raise NotImplementedError` (it stops the function wherever it stands), then run "
                          "the cell again.") from None
        raise
    except Exception as error:
        if _right_on_a_square_image(f):
            return _SquareOnly()
        if _right_at_stride_one(f):
            return _StrideIgnored(error)
        raise
    if all(result is None for result in results):
        raise Refused("your function returned None: does it end with `return`?")
    return results


def _sizes_by(rule) -> list:
    """The output shape of 03.1's check in each setting if the output size is ``rule(n, k, s, p)``."""
    x, w, _ = _conv_inputs()
    return [(w.shape[0],) + tuple(rule(n, w.shape[-1], s, p) for n in x.shape[1:]) for s, p in _SETTINGS]


# Output sizes that round (n + 2p − k) / s up or to the nearest, not down: wrong only with a stride above 1.
_ROUNDING_UP = (lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1, lambda n, k, s, p: round((n + 2 * p - k) / s) + 1)


def _rounds_up(answer, expected) -> bool:
    """Every output has the shape of a size rounded up (or to the nearest), and some shape is wrong."""
    return (isinstance(answer, list) and all(isinstance(a, torch.Tensor) for a in answer) and _wrong_shape(answer, expected)
            and any([tuple(a.shape) for a in answer] == _sizes_by(rule) for rule in _ROUNDING_UP))


def _shape_is(answer, expected, change) -> bool:
    """Some output has the wrong shape, and every shape is ``change`` of the right one."""
    return (isinstance(answer, list) and len(answer) == len(expected)
            and all(isinstance(a, torch.Tensor) for a in answer)
            and any(tuple(a.shape) != tuple(e.shape) for a, e in zip(answer, expected))
            and all(tuple(a.shape) == change(tuple(e.shape)) for a, e in zip(answer, expected)))


def _wrong_shape(answer, expected) -> bool:
    return (isinstance(answer, list) and len(answer) == len(expected)
            and any(not isinstance(a, torch.Tensor) or a.shape != e.shape for a, e in zip(answer, expected)))


def _all_close(answer, expected) -> bool:
    return (isinstance(answer, list) and len(answer) == len(expected)
            and all(isinstance(a, torch.Tensor) and a.shape == e.shape and torch.allclose(a.double(), e.double(), atol=1e-4)
                    for a, e in zip(answer, expected)))


def _right_where(answer, expected, settings) -> bool:
    """Right in the given settings (their indices in _SETTINGS), wrong in some other."""
    chosen = [i for i, setting in enumerate(_SETTINGS) if setting in settings]
    return (_all_close([answer[i] for i in chosen], [expected[i] for i in chosen])
            and not _all_close(answer, expected))


class _FirstDifference:
    """03.1's hint when every shape is right and some values are not: the test (called with the
    answer) finds the first setting and output position that differ, and the hint, shown with
    str(), names them with the two numbers."""

    def __init__(self):
        self.where = None

    def test(self, answer, expected) -> bool:
        self.where = None
        if not (isinstance(answer, list) and len(answer) == len(expected)
                and all(isinstance(a, torch.Tensor) and a.shape == e.shape for a, e in zip(answer, expected))):
            return False
        for (s, p), a, e in zip(_SETTINGS, answer, expected):
            wrong = ~torch.isclose(a.double(), e.double(), atol=1e-4)
            if wrong.any():
                o, i, j = (int(v) for v in wrong.nonzero()[0])
                self.where = (s, p, o, i, j, float(a[o, i, j]), float(e[o, i, j]))
                return True
        return False

    def __str__(self):
        if self.where is None:
            return "Your shapes are right in all 5 settings; the values are not."
        s, p, o, i, j, got, want = self.where
        return (f"Your shapes are right in all 5 settings; the values are not. With stride {s}, padding {p}, "
                f"output ({o}, {i}, {j}) is {got:.3f}, F.conv2d gives {want:.3f}. Output (o, i, j) is the "
                f"window of the padded image at row i · stride, column j · stride (k x k, all C channels) "
                f"times filter o, summed, plus bias[o].")


_FIRST_DIFFERENCE = _FirstDifference()


class _Shapes(tuple):
    """What 03.4's check compares, shown readably when it is wrong."""

    def __repr__(self):
        down1, down2, out, layers = self
        size = lambda shape: "x".join(map(str, shape[-2:])) if shape else "nothing"
        result = f"the model raised {out}" if isinstance(out, str) else f"the model an output of shape {out}"
        return (f"a model where down1 gives {size(down1)} maps, down2 {size(down2)}, {result}; "
                f"kernels {' and '.join('x'.join(map(str, k)) for k, _ in layers)}, "
                f"strides {' and '.join(str(s[0]) for _, s in layers)}")


def _downsampler_shapes(cls):
    """(shape after down1, after down2, of the output, (kernel, stride) of each layer) for 2 digits,
    the layers' shapes recorded by hooks while the whole model runs (padding may be in forward).
    If the model raises a RuntimeError (fc gets the wrong number of features), the output is the
    error's text and the shapes are those recorded before it: a half-fix is told what changed.
    padding="same" is refused by PyTorch with a stride: said plainly, not as its ValueError."""
    if isinstance(cls, nn.Module):
        raise Refused("Pass the class, not an instance: check(\"03.4\", Downsampler), without ().")
    try:
        model = cls()
    except ValueError as error:
        if "same" in str(error):
            raise Refused('PyTorch refuses padding="same" with a stride of 2: "same" would keep 28x28, '
                          "and a stride cannot keep the size. Give the padding as a number of pixels.") from None
        raise
    x = torch.zeros(2, 1, 28, 28)
    seen = {}

    def record(name):
        def hook(module, inputs, output):  # returns None: the output goes on unchanged
            seen.setdefault(name, tuple(output.shape))
        return hook

    for name in ("down1", "down2"):
        getattr(model, name).register_forward_hook(record(name))
    try:
        out = tuple(model(x).shape)
    except RuntimeError as error:
        out = f"RuntimeError: {str(error).splitlines()[0]}"
    layers = tuple((tuple(m.kernel_size), tuple(m.stride)) for m in (model.down1, model.down2))
    return _Shapes((seen.get("down1"), seen.get("down2"), out, layers))


_GIVEN_ERROR = "mat1 and mat2 shapes cannot be multiplied (2x288 and 392x10)"
"""What the Downsampler as given raises on two 28x28 digits."""


def _as_given(cls, objects) -> bool:
    """The debug snippet untouched: the layers as given (kernels, strides, no padding, fc for 7x7
    maps), a forward that feeds them 28x28 and then 13x13 maps as given (a change in forward, such
    as an F.pad, counts as an answer), and the given shape error."""
    if isinstance(cls, nn.Module):
        return False
    model = cls()
    layers = (model.down1, model.down2)
    if not (all(m.kernel_size == (3, 3) and m.stride == (2, 2) and m.padding == (0, 0) and m.dilation == (1, 1)
                for m in layers) and model.fc.in_features == 8 * 7 * 7):
        return False
    fed = []
    hooks = [m.register_forward_pre_hook(lambda module, args: fed.append(tuple(args[0].shape[-2:])))
             for m in layers]
    try:
        model(torch.zeros(2, 1, 28, 28))
    except RuntimeError as error:
        return _GIVEN_ERROR in str(error) and fed == [(28, 28), (13, 13)]
    finally:
        for hook in hooks:
            hook.remove()
    return False


def _same_padding(size, kernel_size, dilation=1):
    """The padding p with which an nn.Conv2d(kernel_size, dilation, stride 1) keeps size x size."""
    with torch.random.fork_rng(devices=[]), torch.no_grad():  # a layer's init draws random numbers
        return _first_padding(size, kernel_size, dilation)


def _first_padding(size, kernel_size, dilation):
    for p in range(dilation * kernel_size):
        out = nn.Conv2d(1, 1, kernel_size, padding=p, dilation=dilation)(torch.zeros(1, 1, size, size)).shape[-1]
        if out == size:
            return p
    raise ValueError(f"no padding keeps {size} with kernel_size={kernel_size}, dilation={dilation}")


def _field_width(layers, size=28):
    """Width in input pixels of the receptive field of the central unit of the last layer,
    measured with autograd through an all-ones probe with the layers' geometry."""
    with torch.random.fork_rng(devices=[]):  # a layer's init draws random numbers
        return _measure_field(layers, size)


def _measure_field(layers, size):
    probe = []
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            probe.append(nn.Conv2d(1, 1, layer.kernel_size, layer.stride, layer.padding, layer.dilation, bias=False))
            nn.init.ones_(probe[-1].weight)
        else:
            probe.append(nn.AvgPool2d(layer.kernel_size, layer.stride, layer.padding))
    image = torch.zeros(1, 1, size, size, requires_grad=True)
    y = nn.Sequential(*probe)(image)[0, 0]
    y[y.shape[0] // 2, y.shape[1] // 2].backward()
    cols = (image.grad[0, 0] != 0).any(dim=0).nonzero().flatten()
    return int(cols.max() - cols.min() + 1)


def _jump(layers) -> int:
    """Distance in input pixels between neighbouring units of the last layer: the product of the strides."""
    jump = 1
    for layer in layers:
        jump *= layer.stride if isinstance(layer.stride, int) else layer.stride[0]
    return jump


def _size_by(objects, rule) -> tuple:
    """(height, width) of objects["conv"] on objects["x"] by a size rule (n, k, s, p) -> size."""
    conv, (height, width) = objects["conv"], objects["x"].shape[-2:]
    return tuple(rule(n, k, s, p) for n, k, s, p in zip((height, width), conv.kernel_size, conv.stride, conv.padding))


# 03.2's slips in the size formula: (name, rule (n, k, s, p) -> size, what the slip is). Two slips
# can give the same numbers (with s = 2 and p = 1, leaving out the padding is leaving out the + 1):
# an answer gets every slip that gives it, so the hint never names a mistake the student did not make.
_SIZE_SLIPS = (
    ("round up", lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
     "you rounded up, but the floor drops a last step that does not fit"),
    ("n // s", lambda n, k, s, p: n // s,
     "you divided n by the stride, but a stride does not simply halve n: it divides how far the kernel "
     "can move, n + 2p − k, and the + 1 adds the first position"),
    ("one side", lambda n, k, s, p: (n + p - k) // s + 1,
     "you added the padding once, but padding p adds p pixels on each side: n + 2p"),
    ("no padding", lambda n, k, s, p: (n - k) // s + 1,
     "you left out the padding, which this layer adds on both sides before the kernel slides"),
    ("no + 1", lambda n, k, s, p: (n + 2 * p - k) // s,
     "you left out the final + 1, which counts the kernel's first position"),
    ("no stride", lambda n, k, s, p: n + 2 * p - k + 1,
     "you left out the stride: the kernel moves s pixels per step, so divide how far it can move, "
     "n + 2p − k, by s (rounding down) before the + 1"),
)


def _slips(answer, objects) -> tuple:
    """The names of the slips of _SIZE_SLIPS that give ``answer`` for this layer and input."""
    if not isinstance(answer, tuple) or len(answer) != 2:
        return ()
    return tuple(name for name, rule, _ in _SIZE_SLIPS if tuple(answer) == _size_by(objects, rule))


def _slip_hint(names) -> str:
    said = [text for name, _, text in _SIZE_SLIPS if name in names]
    if len(said) == 1:
        return said[0][0].upper() + said[0][1:] + "."
    return ("Different slips give these same numbers here; which one did you make? Either "
            + "; or ".join(said) + ".")


def _slip_mistakes() -> tuple:
    """One (test, hint) per set of slips that can give the same answer: every non-empty subset."""
    names = [name for name, _, _ in _SIZE_SLIPS]
    subsets = [tuple(n for i, n in enumerate(names) if mask >> i & 1) for mask in range(1, 2 ** len(names))]
    return tuple((lambda a, e, o, chosen=chosen: _slips(a, o) == chosen, _slip_hint(chosen)) for chosen in subsets)


def _columns_moved(layers, image, shift):
    """By how many columns the output of ``layers`` moves when ``image`` moves ``shift`` pixels right:
    the smallest m with output(shifted)[..., m:] equal to output(image)[..., :-m] (within 1e-6),
    or None if no whole number of columns makes them equal."""
    with torch.no_grad():
        before = layers(image)
        after = layers(F.pad(image, (shift, 0))[..., :-shift])
    for m in range(before.shape[-1]):
        if torch.allclose(after[..., m:], before[..., :before.shape[-1] - m], rtol=0, atol=1e-6):
            return m
    return None


def _predicted_size(answer):
    """03.2 is a prediction: refuse the shape measured by running the layer (a torch.Size)."""
    if isinstance(answer, torch.Size):
        raise Refused("That is the measured shape (a torch.Size): predict it with section 2's formula, "
                      "once for the height and once for the width, and give a pair of whole numbers.")
    return answer


def _whole_moves(layers, image, shifts) -> dict:
    """{shift: columns} for each shift of ``shifts`` that moves the output by a whole number of columns."""
    moves = {shift: _columns_moved(layers, image, shift) for shift in shifts}
    return {shift: m for shift, m in moves.items() if m is not None}


def _by_rule(objects, jump) -> dict:
    """{shift: shift // jump} for the shifts that are multiples of ``jump``: the moves if the border
    changed nothing."""
    return {shift: shift // jump for shift in objects["shifts"] if shift % jump == 0}


def _pool_stride(layers) -> int:
    return _jump([m for m in layers if hasattr(m, "stride")])


def _is_int(a) -> bool:
    return isinstance(a, int) and not isinstance(a, bool)


EXERCISES = {
    "03.1": Exercise(
        expected=lambda: _reference(),
        run=_run_my_conv2d,
        same=lambda a, e, o: _all_close(a, e),
        form="a function returning a tensor of shape (O, H_out, W_out)",
        hints=("Pad first (a zero border of `padding` pixels on every side), then compute H_out and W_out "
               "with section 2's formula, then loop over the filters and the output positions.",
               "Output (o, i, j) reads the window of the padded image that starts at row i · stride and "
               "column j · stride, k rows and k columns, through all channels; then add bias[o]."),
        mistakes=(
            (lambda a, e, o: isinstance(a, _SquareOnly),
             "Your code fails on the check's image but is right on a square one: it uses one size for both "
             "dimensions. The check's image is 7 high and 6 wide: compute H_out from the height and W_out "
             "from the width, separately."),
            (lambda a, e, o: isinstance(a, _StrideIgnored) and a.index_error,
             "Your code is right with stride 1 but raises an IndexError with a larger stride: you index "
             "the output by the input position (i · stride) instead of i. Output (i, j) is the i-th window "
             "down and the j-th across; only the window's first row and column are i · stride and j · stride."),
            (lambda a, e, o: isinstance(a, _StrideIgnored),
             "Your code is right with stride 1 but raises with a larger stride: your output size ignores "
             "the stride, or rounds up. Divide by it and round down with //, as section 2's formula does: "
             "a last step that does not fit is dropped (section 4)."),
            (lambda a, e, o: _rounds_up(a, e),
             "With a stride above 1 some output is a row or a column too big: you rounded up (or to the "
             "nearest). Section 2's formula rounds down with //: a last step that does not fit is dropped "
             "(section 4)."),
            (lambda a, e, o: isinstance(a, list) and any(not isinstance(t, torch.Tensor) for t in a),
             "Your function does not return a tensor: the answer is a function returning a tensor of "
             "shape (O, H_out, W_out), as F.conv2d does for one image (not a list or a number)."),
            (lambda a, e, o: _all_close(a, _reference(lambda w: w.flip(-1, -2))),
             "You flipped the kernel, as a textbook convolution does: F.conv2d multiplies each window with "
             "the filter as it is (section 1's loops)."),
            (lambda a, e, o: _all_close(a, _reference(bias_scale=0.0)),
             "Every number is off by the same amount per filter: each output number also gets its filter's bias."),
            (lambda a, e, o: _right_where(a, e, {(1, 0), (2, 0)}),
             "Right without padding, wrong with it: pad the image with zeros on all four sides before sliding "
             "the window, and use the padded size in the formula."),
            (lambda a, e, o: _right_where(a, e, {(1, 0), (1, 1)}),
             "Right with stride 1, wrong with a larger stride: the window of output (i, j) starts at row "
             "i · stride, column j · stride, and the formula divides by the stride."),
            (lambda a, e, o: _shape_is(a, e, lambda shape: (1,) + shape),
             "Your outputs have 4 dimensions, (1, O, H_out, W_out): the function takes one image (C, H, W) "
             "and returns (O, H_out, W_out), without a batch dimension."),
            (lambda a, e, o: _shape_is(a, e, lambda shape: (shape[0], shape[1], shape[1]))
             or _shape_is(a, e, lambda shape: (shape[0], shape[2], shape[2])),
             "Your outputs are square, but the check's image is not: 3 channels of 7 rows and 6 columns. "
             "Compute H_out from the height and W_out from the width."),
            (lambda a, e, o: not _wrong_shape(a, e) and any(not t.is_floating_point() for t in a),
             "Your output tensor holds integers, so every number is cut to a whole one: make it with "
             "torch.zeros(...), which gives floats, or x.new_zeros(...)."),
            (lambda a, e, o: _shape_is(a, e, lambda shape: (shape[0], shape[1] - 1, shape[2] - 1)),
             "Every output is one row and one column short: the formula's + 1 counts the kernel's first position."),
            (lambda a, e, o: _FIRST_DIFFERENCE.test(a, e), _FIRST_DIFFERENCE),
            (lambda a, e, o: _wrong_shape(a, e),
             "Some output has the wrong shape. The check's image has 3 channels of 7 rows and 6 columns "
             "and 4 filters of 3x3; it tries (stride, padding) = (1, 0), (2, 0), (1, 1), (2, 1) and (3, 2). "
             "Each output is (4, H_out, W_out), H_out from the height, W_out from the width, by section 2's formula."),
        ),
    ),
    "03.2": Exercise(
        expected=lambda conv, x: tuple(conv(x).shape[-2:]),
        form="a pair (height, width) of whole numbers",
        run=lambda answer, conv, x: _predicted_size(answer),
        hints=("Which of n, k, p, s, d does this layer set? The formula of section 2 takes all five, "
               "once for the height and once for the width.",
               "Division in the formula rounds down (Python's //), and the padding is added on both sides."),
        mistakes=(
            (lambda a, e, o: isinstance(a, tuple) and len(a) == 4,
             "That is the whole output shape; the question asks for its height and width only."),
            (lambda a, e, o: isinstance(a, tuple) and any(isinstance(v, float) and v != int(v) for v in a),
             "A size is a whole number: the formula divides by the stride and rounds down (the floor); "
             "a stride of 2 does not simply halve n."),
            (lambda a, e, o: isinstance(a, tuple) and tuple(a) == (e[1], e[0]) and e[0] != e[1],
             "Height comes first: a tensor's shape is (batch, channels, height, width)."),
            (lambda a, e, o: isinstance(a, tuple) and len(a) == 2 and a != e and not _slips(a, o)
             and tuple(a) == tuple(-(-n // o["conv"].stride[0]) for n in o["x"].shape[-2:]),
             "That is n / s rounded up, as TensorFlow's 'SAME' padding gives: a stride does not simply "
             "divide n. Use section 2's formula with this layer's kernel and padding, once per dimension."),
        ) + _slip_mistakes(),
    ),
    "03.3": Exercise(
        expected=lambda size, kernel_size, dilation: _same_padding(size, kernel_size, dilation),
        form="an int (the padding on each side)",
        hints=("Without padding, by how many pixels does the kernel shrink the image? It depends on the "
               "kernel's span, not on its number of taps. Padding adds p pixels on each side.",
               "The padding must give back what the kernel's span takes away, split evenly between the two sides."),
        mistakes=(
            (lambda a, e, o: _is_int(a) and a == 2 * e,
             "That much padding on each side grows the image: padding=p adds p pixels on both sides."),
            (lambda a, e, o: _is_int(a) and a == (o["kernel_size"] - 1) // 2 and o["dilation"] > 1,
             "That keeps the size for an ordinary kernel of this size, where the span is the number of taps. "
             "Dilation spreads the taps over a wider span: how many pixels "
             "does that span take away?"),
            (lambda a, e, o: _is_int(a) and a == o["dilation"] * (o["kernel_size"] - 1) + 1,
             "That is the kernel's whole span. The kernel takes span − 1 pixels away, and padding gives them "
             "back on two sides."),
            (lambda a, e, o: _is_int(a) and a == o["kernel_size"],
             "That is the number of taps in a row; the padding depends on the span they cover."),
            (lambda a, e, o: _is_int(a) and a == o["kernel_size"] - 1 and o["dilation"] > 1,
             "That is k − 1, what an ordinary kernel of this size takes away in all. Dilation "
             "spreads the taps over a wider span, and padding=p adds p pixels on each side."),
            (lambda a, e, o: _is_int(a) and a == o["dilation"] and o["dilation"] > 1,
             "That is the dilation itself; the padding depends on the span the dilated taps cover."),
            (lambda a, e, o: _is_int(a) and a == e + 1,
             "One too many: the image would grow by 2 pixels. The kernel takes span − 1 pixels away and "
             "padding=p gives 2p back, so 2p = span − 1 (half the span rounded up is too much)."),
            (lambda a, e, o: isinstance(a, str) and a.strip().strip("'\"") == "same",
             "padding='same' would do it in PyTorch (at stride 1), but the question asks which number it "
             "computes: give that int."),
        ),
    ),
    "03.4": Exercise(
        expected=lambda: ((2, 8, 14, 14), (2, 8, 7, 7), (2, 10), (((3, 3), (2, 2)), ((3, 3), (2, 2)))),
        run=_downsampler_shapes,
        unanswered=_as_given,
        form="the fixed class Downsampler",
        hints=("Use section 2's formula on down1: n = 28, k = 3, s = 2 and p = ? What comes out, and what "
               "should come out?",
               "A 3x3 kernel takes k − 1 = 2 pixels from a row; padding p on each side gives 2p back. Which p "
               "lets a stride of 2 halve 28, and then 14?"),
        mistakes=(
            (lambda a, e, o: a[3] != e[3],
             "Keep the 3x3 kernels and the stride of 2: the question is how much padding they need."),
            (lambda a, e, o: a[0] == e[0] and a[1] != e[1] and a[2] != e[2],
             "down1 now halves, 28 → 14, but down2 does not give 7x7 from 14x14, so fc still gets the "
             "wrong number of features. Which padding does section 2's formula need for 14 → 7?"),
            (lambda a, e, o: a[0] != e[0] and a[1] == e[1],
             "down1 still does not give 14x14, and down2 makes up for it: each strided layer must halve, "
             "28 → 14, then 14 → 7."),
            (lambda a, e, o: any(shape is not None and shape[-2] != shape[-1] for shape in a[:2]),
             "Some maps are not square: you padded the height and the width differently. The image is "
             "square and each dimension needs the same padding on both sides: one number, padding=p, "
             "pads every side."),
            (lambda a, e, o: a[0] is not None and a[0][-1] > e[0][-1],
             "down1's maps come out larger than 14x14: that is too much padding. Which p makes section 2's "
             "formula give 14 from 28 with k = 3 and s = 2?"),
            (lambda a, e, o: a[2] == e[2] and a[0] == e[0] and a[1] != e[1],
             "The model runs now and down1 halves, 28 → 14, but down2's maps are not 7x7: the fix belongs "
             "in down2, not after it (in fc or by resizing the maps). Which padding halves 14?"),
            (lambda a, e, o: a[2] == e[2] and a[1] != e[1],
             "The model runs now, but its maps are not 14x14 and 7x7: the fix belongs in the convolutions, "
             "not after them (in fc or by resizing the maps)."),
        ),
    ),
    "03.5": Exercise(
        expected=lambda layers: _field_width(layers),
        form="an int (the width of the field in input pixels)",
        hints=("Start from what section 10 found for an S4 unit, its field and its jump, and apply the "
               "recurrence once more for the new layer.",
               "A new layer widens the field by (k − 1) times the jump of the layer before it: neighbouring "
               "S4 units are not 1 pixel apart."),
        mistakes=(
            (lambda a, e, o: _is_int(a) and a == _field_width(o["layers"][:-1]) + o["layers"][-1].kernel_size[0] - 1,
             "You added k − 1 input pixels, as if neighbouring S4 units were 1 pixel apart: after two "
             "poolings they are further apart (the jump)."),
            (lambda a, e, o: _is_int(a) and a == _field_width(o["layers"][:-1])
             + (o["layers"][-1].kernel_size[0] - 1) * _jump(o["layers"][:-2]),
             "You used conv2's jump, 2 pixels; pool2's stride doubles it: neighbouring S4 units are 4 pixels "
             "apart (section 10: pool2 r=16 j=4)."),
            (lambda a, e, o: _is_int(a) and a == e + _jump(o["layers"][:-1]),
             "You added k jumps; a k-wide kernel reaches only k − 1 units past its first one, whose field "
             "is already counted."),
            (lambda a, e, o: _is_int(a) and a == _field_width(o["layers"][:-1]),
             "That is S4's own field; the new layer reads several S4 units side by side, so it widens the field."),
            (lambda a, e, o: _is_int(a) and a == o["layers"][-1].kernel_size[0],
             "That is the kernel's width in S4 units; the question asks how many input pixels the unit sees."),
        ),
    ),
    "03.6": Exercise(
        expected=lambda layers, image, shifts: _whole_moves(layers, image, shifts),
        form="a dict {shift: columns}, one entry per shift that moves the S4 maps by whole columns",
        hints=("Neighbouring S4 units are 4 input pixels apart (their jump, section 10): which shifts of 1 "
               "to 8 pixels are a whole number of S4 columns?",
               "A shift must also keep the ink. Section 9 printed the columns that hold the digit's ink: which "
               "shifts push some of it out of the frame? An S4 unit near the right border sees 16 pixels, "
               "some of them in the columns pushed out."),
        mistakes=(
            (lambda a, e, o: isinstance(a, dict) and any(_is_int(s) and s not in o["shifts"] for s in a),
             "The exercise asks about the shifts 1 to 8 only: leave out the other keys."),
            (lambda a, e, o: isinstance(a, (list, tuple, set)),
             "Give a dict {shift: columns}, such as {3: 2, 5: 1}: each shift that moves the maps by whole "
             "columns, with the number of columns."),
            (lambda a, e, o: isinstance(a, dict) and a == {s: s for s in o["shifts"]},
             "That is how C1 moves (stride 1), pixel for pixel. Two pools lie between the input and S4."),
            (lambda a, e, o: isinstance(a, dict) and a == _by_rule(o, 2) != e,
             "That is S2's rule: one pool, S2's jump of 2. S4 comes after a second pool, so its columns "
             "are 4 input pixels apart (S4's jump, section 10)."),
            (lambda a, e, o: isinstance(a, dict) and any(isinstance(key, str) for key in a),
             "Write the shifts as whole numbers, {4: ...}, not as strings, {'4': ...}."),
            (lambda a, e, o: isinstance(a, dict) and a != e and all(a.get(s) == s for s in e),
             "Count the move in S4 columns, not in input pixels: each S4 column is 4 input pixels further on."),
            (lambda a, e, o: isinstance(a, dict) and e and set(a) == set(e) and a != e,
             "Right shifts, but count the columns again: a shift of s pixels moves S4 by s divided by S4's "
             "jump (section 10)."),
            (lambda a, e, o: isinstance(a, dict) and a == _by_rule(o, _pool_stride(o["layers"])) != e,
             "Right for the jump, but one of these shifts pushes ink out of the frame (section 9's 8-pixel "
             "shift). The S4 units near the right border see those columns, so their values change."),
            (lambda a, e, o: isinstance(a, dict) and not a and e,
             "Some shifts do move the S4 maps by whole columns: which are multiples of S4's jump (section 10)?"),
            (lambda a, e, o: isinstance(a, dict) and any(_is_int(s) and s % _pool_stride(o["layers"]) for s in a),
             "A shift that is not a multiple of S4's jump (4 pixels, section 10) moves S4 by part of a column: "
             "no whole move makes the maps equal. Leave such shifts out."),
            (lambda a, e, o: isinstance(a, dict) and a and any(s not in a for s in e),
             "A shift is missing. Every multiple of S4's jump (4 pixels) from 1 to 8 is a candidate. Then test "
             "each one against the ink: does it push some of section 9's ink out of the frame?"),
        ),
    ),
}
