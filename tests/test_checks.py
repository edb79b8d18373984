"""The exercise-check engine (notebooks/checks/__init__.py): equivalent forms, hints, no answers shown."""
import copy
import linecache
import math
import sys
from pathlib import Path

import pytest
import torch

import checks
from checks import Exercise


@pytest.fixture
def fake_lesson(monkeypatch):
    """Registers exercise '99.1' (expected: 2 * x) and '99.2' (a shape) for the test."""
    exercises = {
        "99.1": Exercise(expected=lambda x: 2 * x, hints=("first nudge", "stronger hint"), form="a tensor",
                         mistakes=((lambda a, e, o: torch.is_tensor(a) and torch.equal(a, o["x"]), "named misconception"),)),
        "99.2": Exercise(expected=lambda t: tuple(t.shape), hints=("look at .shape",), form="a tuple of ints"),
        "99.3": Exercise(expected=lambda: 576, hints=("count",), form="an int"),
    }
    monkeypatch.setattr(checks, "_exercise", lambda i: exercises[i] if i in exercises else pytest.fail(i))
    checks._wrong_tries.clear()


@pytest.mark.parametrize("answer", [None, ...])
def test_unanswered(fake_lesson, capsys, answer):
    assert checks.check("99.1", answer, x=torch.ones(2)) is False
    assert "exercise 99.1: not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [torch.full((2,), 2.0), torch.full((2,), 2.0) + 1e-7, [2.0, 2.0], (2, 2)])
def test_equivalent_tensor_forms_pass_and_print_the_same(fake_lesson, capsys, answer):
    assert checks.check("99.1", answer, x=torch.ones(2)) is True
    assert capsys.readouterr().out == "✓ exercise 99.1: right.\n"  # exact or close: same words on any CPU


@pytest.mark.parametrize("answer", [(1, 6, 28, 28), torch.Size([1, 6, 28, 28]), [1, 6, 28, 28]])
def test_equivalent_shape_forms_pass(fake_lesson, answer):
    assert checks.check("99.2", answer, t=torch.zeros(1, 6, 28, 28))


@pytest.mark.parametrize("answer, ok", [(576, True), (torch.tensor(576), True), (576.0, True), (577, False), ("576", False)])
def test_numbers_as_int_float_or_0d_tensor(fake_lesson, answer, ok):
    assert checks.check("99.3", answer) is ok


def test_hints_escalate_and_misconceptions_are_named(fake_lesson, capsys):
    x = torch.ones(2)
    checks.check("99.1", torch.zeros(2), x=x)
    assert "Hint: first nudge" in capsys.readouterr().out
    checks.check("99.1", torch.zeros(2), x=x)
    assert "Hint: stronger hint" in capsys.readouterr().out
    checks.check("99.1", torch.ones(2), x=x)
    assert "Hint: named misconception" in capsys.readouterr().out


def test_wrong_answers_never_show_the_expected_value(fake_lesson, capsys):
    checks.check("99.3", 577)
    checks.check("99.2", (1, 2), t=torch.zeros(1, 6, 28, 28))
    checks.check("99.1", torch.zeros(3), x=torch.ones(2))
    out = capsys.readouterr().out
    assert "576" not in out and "28" not in out and "(2,)" not in out, out
    assert "not the shape asked for" in out


def test_wrong_type_says_the_form(fake_lesson, capsys):
    checks.check("99.3", "a lot")
    assert "Expected a number, got str. The answer is an int." in capsys.readouterr().out


def test_unknown_exercise_id_says_the_format():
    with pytest.raises(KeyError, match="ids look like '03.2'"):
        checks.check("3.2", 1)


def test_expected_value_is_recorded_for_the_tests(fake_lesson):
    checks.check("99.3", 1)
    assert checks.last_expected["99.3"] == 576


# ---- write, debug and experiment exercises: the check runs the student's code ----------------

@pytest.fixture
def code_lessons(monkeypatch):
    """'99.5' (write: a function doubling x, run on an input of the check's own), '99.6' (debug: a
    module class whose snippet as given keeps its layer in a plain list), '99.7' (experiment: a range)."""
    class Given(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [torch.nn.Linear(2, 2)]
    exercises = {
        "99.5": Exercise(expected=lambda: 2 * torch.arange(4.0), run=lambda f: f(torch.arange(4.0)),
                         hints=("multiply by two",), form="a function of one tensor"),
        "99.6": Exercise(expected=lambda: 6, run=lambda cls: sum(p.numel() for p in cls().parameters()),
                         unanswered=lambda cls, o: sum(p.numel() for p in cls().parameters()) == 0,
                         hints=("is the layer registered?",)),
        "99.7": Exercise(expected=lambda: checks.Range(0.8, 0.95, "90 % give or take a seed's spread"),
                         hints=("train it again: did you change one thing only?",)),
    }
    monkeypatch.setattr(checks, "_exercise", lambda i: exercises[i] if i in exercises else pytest.fail(i))
    checks._wrong_tries.clear()
    return Given


def test_a_function_is_run_and_judged_by_what_it_returns(code_lessons, capsys):
    def right(x):
        out = torch.zeros_like(x)
        for i in range(len(x)):
            out[i] = x[i] + x[i]
        return out
    assert checks.check("99.5", right) is True
    assert checks.check("99.5", lambda x: x + 1) is False
    assert capsys.readouterr().out.splitlines()[-1].startswith("✗ exercise 99.5: not yet. The shape is right")


def test_the_untouched_stub_is_not_answered_yet(code_lessons, capsys):
    def stub(x):
        raise NotImplementedError
    assert checks.check("99.5", stub) is False
    assert capsys.readouterr().out == "… exercise 99.5: not answered yet — replace the TODO and run the cell again.\n"


def test_student_code_that_raises_gets_the_error_and_a_hint_not_a_traceback(code_lessons, capsys):
    def broken(x):
        return x @ torch.ones(3)
    assert checks.check("99.5", broken) is False
    out = capsys.readouterr().out
    assert out.startswith("✗ exercise 99.5: not yet. Your code raised RuntimeError: ") and "Hint: multiply by two" in out
    assert "Traceback" not in out
    assert checks.check("99.5", lambda x: None) is False
    assert "Your code returned None: does it end with `return`?" in capsys.readouterr().out


def test_a_debug_snippet_as_given_is_not_answered_yet_and_its_fix_passes(code_lessons, capsys):
    class Fixed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList([torch.nn.Linear(2, 2)])
    assert checks.check("99.6", code_lessons) is False
    assert "not answered yet" in capsys.readouterr().out
    assert checks.check("99.6", Fixed) is True


@pytest.mark.parametrize("answer, ok", [(0.9, True), (torch.tensor(0.8), True), (0.95, True), (0.97, False),
                                        (90, False), ("0.9", False)])
def test_an_experiment_accepts_a_range_and_says_what_it_means(code_lessons, capsys, answer, ok):
    assert checks.check("99.7", answer) is ok
    out = capsys.readouterr().out
    if isinstance(answer, (int, float)) and not ok:
        assert "outside the range this check accepts (90 % give or take a seed's spread)" in out


# ---- the lessons' own checks: forbidden routes refused, other right forms accepted ------------

def said(capsys) -> str:
    return capsys.readouterr().out


def test_01_4_nn_linear_is_refused_and_a_layer_that_is_not_one_is_told_why(capsys):
    checks._wrong_tries.clear()
    nn = torch.nn

    class Borrowed(nn.Linear):
        def forward(self, t):
            return nn.functional.linear(t, self.weight, self.bias)

    class Right(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.sizes = self.in_features, self.out_features = in_features, out_features
            bound = in_features ** -0.5
            self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-bound, bound))
            self.bias = nn.Parameter(torch.empty(out_features).uniform_(-bound, bound))

        def forward(self, t):
            return t @ self.weight.T + self.bias

        def extra_repr(self):
            return "in_features=%d, out_features=%d" % self.sizes

    class Zeros(Right):
        def __init__(self, in_features, out_features):
            super().__init__(in_features, out_features)
            with torch.no_grad():
                self.weight.zero_()

    class Plain(Right):
        def __init__(self, in_features, out_features):
            super().__init__(in_features, out_features)
            del self.weight
            self.weight = torch.zeros(out_features, in_features)

    class Frozen(Right):
        def __init__(self, in_features, out_features):
            super().__init__(in_features, out_features)
            self.bias.requires_grad_(False)

    class Unnamed(Right):
        def extra_repr(self):
            return ""

    assert checks.check("01.4", Right)
    for wrong, words in ((Borrowed, "linear layer"), (Zeros, "Many weights are equal"),
                         (Plain, "exactly two"), (Frozen, "requires_grad=False"), (Unnamed, "extra_repr")):
        assert not checks.check("01.4", wrong)
        out = said(capsys)
        assert words in out and "Hint:" in out, (wrong, out)


def test_01_4_the_stronger_hint_follows_the_step_that_failed(capsys):
    checks._wrong_tries.clear()
    nn = torch.nn

    def init(draw):
        def __init__(self, in_features, out_features):
            nn.Module.__init__(self)
            self.in_features, self.out_features = in_features, out_features
            bound = in_features ** -0.5
            self.weight = nn.Parameter(draw(torch.empty(out_features, in_features), bound))
            self.bias = nn.Parameter(draw(torch.empty(out_features), bound))
        return __init__

    def linear(draw, forward=lambda self, t: t @ self.weight.T + self.bias):
        return type("MyLinear", (nn.Module,), {
            "__init__": init(draw), "forward": forward,
            "extra_repr": lambda self: f"in_features={self.in_features}, out_features={self.out_features}"})

    uniform = lambda t, b: t.uniform_(-b, b)
    no_shift = lambda t, b: t.uniform_(0, b)  # [0, b): none below 0
    no_transpose = lambda self, t: t @ self.weight + self.bias
    first = "Hint: Fix what the message names"
    assert not checks.check("01.4", linear(no_shift))
    assert first in said(capsys)
    assert not checks.check("01.4", linear(uniform, no_transpose))  # another step: no stronger hint yet
    out = said(capsys)
    assert "weight.T" in out and first in out and "torch.rand" not in out, out
    assert not checks.check("01.4", linear(uniform, no_transpose))  # the same step again
    out = said(capsys)
    assert "Hint: Section 1's cell" in out and first not in out and "torch.rand" not in out, out
    assert not checks.check("01.4", linear(no_shift))
    assert "Hint: torch.rand" in said(capsys)
    assert checks.check("01.4", linear(uniform))
    said(capsys)


def test_01_4_the_forbidden_route_gets_the_stronger_hint_of_its_own_step(capsys):
    """F.linear in forward, twice: the stronger hint is forward's (section 1's formula), not __init__'s."""
    checks._wrong_tries.clear()
    nn = torch.nn

    class Borrowed(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.in_features, self.out_features = in_features, out_features
            bound = in_features ** -0.5
            self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-bound, bound))
            self.bias = nn.Parameter(torch.empty(out_features).uniform_(-bound, bound))

        def forward(self, t):
            return nn.functional.linear(t, self.weight, self.bias)

        def extra_repr(self):
            return f"in_features={self.in_features}, out_features={self.out_features}"

    class BuiltIn(Borrowed):
        def __init__(self, in_features, out_features):
            nn.Module.__init__(self)
            inner = nn.Linear(in_features, out_features)
            self.in_features, self.out_features = in_features, out_features
            self.weight, self.bias = inner.weight, inner.bias

        def forward(self, t):
            return t @ self.weight.T + self.bias

    assert not checks.check("01.4", Borrowed)
    out = said(capsys)
    assert "Your forward calls a linear layer" in out and "Hint: Fix what the message names" in out, out
    assert not checks.check("01.4", Borrowed)
    out = said(capsys)
    assert "Hint: Section 1's cell" in out and "Section 7's Scale" not in out, out
    checks._wrong_tries.clear()
    assert not checks.check("01.4", BuiltIn)
    said(capsys)
    assert not checks.check("01.4", BuiltIn)
    out = said(capsys)
    assert "Your __init__ builds a linear layer" in out and "Hint: Section 7's Scale" in out, out
    checks._wrong_tries.clear()


def test_01_4_f_linear_under_another_name_is_refused(capsys):
    """`lin = F.linear` in the notebook's globals (or as a default argument) hides the name `linear`
    from forward's code: the check sees the call itself, and still passes @ and +."""
    space = {}
    exec("""
import torch
from torch import nn
import torch.nn.functional as F
lin = F.linear

class MyLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        bound = in_features ** -0.5
        self.weight = nn.Parameter(torch.rand(out_features, in_features) * 2 * bound - bound)
        self.bias = nn.Parameter(torch.rand(out_features) * 2 * bound - bound)

    def forward(self, t):
        return lin(t, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}"

class Passed(MyLinear):
    def forward(self, t, use=F.linear):
        return use(t, self.weight, self.bias)

class Own(MyLinear):
    def forward(self, t):
        return t @ self.weight.T + self.bias
""", space)
    for name in ("MyLinear", "Passed"):
        checks._wrong_tries.clear()
        assert not checks.check("01.4", space[name])
        out = said(capsys)
        assert "calls F.linear (under another name)" in out, out
    checks._wrong_tries.clear()
    assert checks.check("01.4", space["Own"])
    said(capsys)
    checks._wrong_tries.clear()


def test_01_4_a_forgotten_super_init_a_bound_without_the_root_and_an_nn_linear_subclass_are_named(capsys):
    checks._wrong_tries.clear()
    nn = torch.nn

    def init(root, call_super=True):
        def __init__(self, in_features, out_features):
            if call_super:
                nn.Module.__init__(self)
            self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-1, 1) / root(in_features))
            self.bias = nn.Parameter(torch.empty(out_features).uniform_(-1, 1) / root(in_features))
            self.in_features, self.out_features = in_features, out_features
        return __init__

    def linear(root=lambda n: n ** 0.5, call_super=True):
        return type("MyLinear", (nn.Module,), {
            "__init__": init(root, call_super), "forward": lambda self, t: t @ self.weight.T + self.bias,
            "extra_repr": lambda self: f"in_features={self.in_features}, out_features={self.out_features}"})

    class Extends(nn.Linear):
        pass

    assert checks.check("01.4", linear())
    said(capsys)
    for wrong, words in ((linear(call_super=False), "must be super().__init__()"),
                         (linear(root=lambda n: n), "without the square root"),
                         (linear(root=lambda n: 2 * n ** 0.5), "That is half the width"),  # (rand - 0.5) * b
                         (Extends, "extends nn.Linear")):
        assert not checks.check("01.4", wrong)
        out = said(capsys)
        assert words in out and "Hint: Fix what the message names" in out, (words, out)
        checks._wrong_tries.clear()


def test_01_4_an_nn_linear_kept_as_a_child_under_another_name_is_named(capsys):
    checks._wrong_tries.clear()
    nn = torch.nn
    borrowed = nn.Linear  # as `from torch.nn import Linear as L`: the name test misses it

    class Wrapped(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.in_features, self.out_features = in_features, out_features
            self.inner = borrowed(in_features, out_features)
            self.weight, self.bias = self.inner.weight, self.inner.bias

        def forward(self, t):
            return t @ self.weight.T + self.bias

        def extra_repr(self):
            return f"in_features={self.in_features}, out_features={self.out_features}"

    assert not checks.check("01.4", Wrapped)
    out = said(capsys)
    assert "holds an nn.Linear (inner)" in out, out
    checks._wrong_tries.clear()


def test_01_4_a_step_left_as_the_stub_is_named_and_the_untouched_stub_is_unanswered(capsys):
    checks._wrong_tries.clear()
    nn = torch.nn

    def stub(self, *args):
        raise NotImplementedError

    def __init__(self, in_features, out_features):
        nn.Module.__init__(self)
        self.sizes, bound = (in_features, out_features), in_features ** -0.5
        self.in_features, self.out_features = self.sizes
        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_features).uniform_(-bound, bound))

    done = {"__init__": __init__, "forward": lambda self, t: t @ self.weight.T + self.bias,
            "extra_repr": lambda self: "in_features=%d, out_features=%d" % self.sizes}

    def linear(*stubs):
        return type("MyLinear", (nn.Module,), {**done, **{name: stub for name in stubs}})

    assert checks.check("01.4", linear())
    assert "✓" in said(capsys)
    assert not checks.check("01.4", linear("__init__", "forward", "extra_repr"))
    assert "not answered yet" in said(capsys)
    for stubs, words in ((("extra_repr",), "step 3 (extra_repr) still raises"),
                         (("forward", "extra_repr"), "step 2 (forward) still raises"),
                         (("forward",), "step 2 (forward) still raises"),
                         (("__init__",), "Step 1 (__init__) still raises NotImplementedError, although you wrote forward and extra_repr"),
                         (("__init__", "forward"), "although you wrote extra_repr:")):
        assert not checks.check("01.4", linear(*stubs)), stubs
        out = said(capsys)
        assert words in out and "Hint:" in out and "not answered yet" not in out, (stubs, out)


def test_01_3_the_given_cell_is_unanswered_and_wrong_fixes_get_their_hints(capsys, tmp_path, monkeypatch):
    import json
    import importlib
    from pathlib import Path
    checks._wrong_tries.clear()
    nn = torch.nn

    # the exercise cell as the notebook gives it, imported from a file so that its source is readable
    notebook = json.loads((Path(__file__).parents[1] / "notebooks" / "01_modules_and_layers.ipynb").read_text())
    cell = next(c for c in notebook["cells"] if c["metadata"].get("exercise", {}).get("id") == "01.3")
    source = "".join(cell["source"]).split("# END TODO")[0]
    (tmp_path / "given_tower.py").write_text("import torch\nfrom torch import nn\n" + source)
    monkeypatch.syspath_prepend(str(tmp_path))
    given = importlib.import_module("given_tower").Tower
    assert not checks.check("01.3", given)
    assert "not answered yet" in said(capsys)
    # only forward edited: checked (still wrong), not "not answered yet"
    edited = source.replace("t = F.relu(self.first(t))", "t = torch.relu(self.first(t))")
    assert edited != source
    (tmp_path / "forward_edited_tower.py").write_text("import torch\nfrom torch import nn\nimport torch.nn.functional as F\n" + edited)
    assert not checks.check("01.3", importlib.import_module("forward_edited_tower").Tower)
    out = said(capsys)
    assert "not answered yet" not in out and "✗" in out, out
    # a class defined through exec (no source to read): the untouched one is still unanswered
    namespace = {"nn": nn, "F": torch.nn.functional}
    exec(source, namespace)
    assert not checks.check("01.3", namespace["Tower"])
    assert "not answered yet" in said(capsys)

    def tower(hidden):
        class Tower(nn.Module):
            def __init__(self, width, depth):
                super().__init__()
                self.first, self.last = nn.Linear(8, width), nn.Linear(width, 3)
                self.hidden = hidden(width, depth)

            def forward(self, t):
                t = torch.relu(self.first(t))
                for layer in self.hidden:
                    t = torch.relu(layer(t))
                return self.last(t)
        return Tower

    checks._wrong_tries.clear()
    assert not checks.check("01.3", tower(lambda w, d: [nn.Linear(w, w) for _ in range(d)]))
    out = said(capsys)
    assert "plain Python list" in out and "parameters() holds 63 numbers" in out, out
    checks._wrong_tries.clear()
    assert not checks.check("01.3", tower(lambda w, d: nn.ModuleList([nn.Linear(w, w)] * d)))
    assert "one layer object listed three times" in said(capsys)
    # a depth written into the class passes Tower(5, 3) but not Tower(4, 1)
    checks._wrong_tries.clear()
    assert not checks.check("01.3", tower(lambda w, d: nn.ModuleList(nn.Linear(w, w) for _ in range(3))))
    out = said(capsys)
    assert "Tower(4, 1) is not" in out and "Tower(4, 1): parameters() holds" in out, out
    for off_by in (-1, 1):  # a depth off by one, after the shared layer is fixed
        checks._wrong_tries.clear()
        assert not checks.check("01.3", tower(lambda w, d: nn.ModuleList(nn.Linear(w, w) for _ in range(d + off_by))))
        out = said(capsys)
        assert "should have 3 hidden layers" in out and "[x] * 3" not in out, (off_by, out)
    assert checks.check("01.3", tower(lambda w, d: nn.ModuleList(nn.Linear(w, w) for _ in range(d))))


def test_01_1_and_01_2_each_mistake_gets_its_own_hint(capsys):
    checks._wrong_tries.clear()
    shapes = dict(conv_args=dict(in_channels=3, out_channels=16, kernel_size=3),
                  linear_args=dict(in_features=256, out_features=32))
    for wrong in (((3, 16, 3, 3), (32, 256)), ((16, 3, 3, 3), (256, 32))):
        assert not checks.check("01.1", wrong, **shapes)
        assert "stored output first" in said(capsys), wrong
    assert not checks.check("01.1", ((16, 3, 5, 5), (32, 256)), **shapes)
    assert "the last two dimensions, kH and kW" in said(capsys)
    for wrong in (((16, 1, 3, 3), (32, 256)), ((16, 27, 3, 3), (32, 256))):  # in_channels copied from conv1, or kH·kW·C
        assert not checks.check("01.1", wrong, **shapes)
        assert "The second dimension is in_channels" in said(capsys), wrong
    for wrong in (((16, 3, 3, 3), (32, 255)), ((15, 3, 3, 3), (32, 256))):  # one typo, order right
        assert not checks.check("01.1", wrong, **shapes)
        assert "one number is not" in said(capsys), wrong
    assert not checks.check("01.1", ((3, 16, 3, 3), (32, 256)), **shapes)
    assert "one number is not" not in said(capsys)
    assert checks.check("01.1", ((16, 3, 3, 3), (32, 256)), **shapes)
    conv = dict(conv_args=dict(in_channels=4, out_channels=8, kernel_size=3))
    for wrong, words in ((1 / 3, "one channel's window"), (1 / 2, "channels only"),
                         (1 / 12 ** 0.5, "both its height"), (1 / 3 ** 0.5, "both its height"),
                         (1 / 36, "1/fan_in"), (1 / 72 ** 0.5, "out_channels counts the outputs"),
                         (0.167, "to 4 decimals"), (0.17, "to 4 decimals"), (0.1664, "looks measured"),
                         (0.1669, "check the 4th decimal"), (-0.1667, "positive end"), (-1 / 6, "positive end"), (0.2, "conv1's bound"),
                         ("0.1667", "got str: remove the quotes"), ("0.17", "got str")):
        assert not checks.check("01.2", wrong, **conv)
        assert words in said(capsys), wrong
    for right in (0.1667, 0.1666, 0.1668, 0.16667, 1 / 6, torch.tensor(1 / 36) ** 0.5):
        assert checks.check("01.2", right, **conv), right



def test_01_5_fc1_in_features_for_32_pixels_each_mistake_gets_its_own_hint(capsys):
    """The expected count comes from the notebook's own layers; each typical slip is named."""
    checks._wrong_tries.clear()
    nn, F = torch.nn, torch.nn.functional

    class Network(nn.Module):  # section 4's layers, as far as fc1
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 12, 5)
            self.fc1 = nn.Linear(12 * 4 * 4, 120)

        def features(self, t):
            t = F.max_pool2d(F.relu(self.conv1(t)), kernel_size=2, stride=2)
            return F.max_pool2d(F.relu(self.conv2(t)), kernel_size=2, stride=2)

    given = dict(network=Network(), image_size=32)
    assert checks.check("01.5", None, **given) is False and "not answered yet" in said(capsys)
    for wrong, words in ((192, "28×28"), (1024, "pixels"), (12 * 7 * 7, "Both convolutions"),
                         (12 * 6 * 6, "count for a 36×36 image"), (12 * 8 * 8, "Both convolutions"),
                         (12 * 10 * 10, "Both poolings"), (12 * 12 * 12, "Both poolings"), (12 * 24 * 24, "Both poolings"),
                         (60, "one side"), (25, "multiply by the channels"), (150, "count its channels"),
                         ("300", "got str"), (300.5, "whole number"), ([300], "whole number")):
        assert not checks.check("01.5", wrong, **given), wrong
        assert words in said(capsys), wrong
    for right in (300, 300.0, torch.tensor(300), 12 * 5 * 5):
        assert checks.check("01.5", right, **given), right
    assert checks.check("01.5", 12 * 6 * 6, network=Network(), image_size=36)  # 36×36: section 4's 432

def test_01_2_the_largest_weight_of_a_real_layer_seldom_passes_and_is_told_it_looks_measured(capsys):
    """Measuring instead of predicting: the largest |weight| lies just below the bound. The window
    accepts 0.1666 (1/6 cut after 4 decimals), so about one measured answer in six passes."""
    conv = dict(conv_args=dict(in_channels=4, out_channels=8, kernel_size=3))
    passed = told = 0
    for seed in range(100):
        checks._wrong_tries.clear()
        torch.manual_seed(seed)
        measured = torch.nn.Conv2d(**conv["conv_args"]).weight.abs().max()
        for answer in (measured, round(measured.item(), 4)):
            passed += checks.check("01.2", answer, **conv)
            out = said(capsys)
            told += "looks measured" in out
    assert passed <= 40 and passed + told >= 195, (passed, told)


def test_01_4_a_range_that_is_not_uniform_over_plus_minus_bound_or_an_own_repr_is_refused(capsys):
    checks._wrong_tries.clear()
    nn = torch.nn

    def linear(weight, bias, **extra):
        def __init__(self, in_features, out_features):
            nn.Module.__init__(self)
            self.sizes, bound = (in_features, out_features), in_features ** -0.5
            self.in_features, self.out_features = self.sizes
            self.weight = nn.Parameter(weight((out_features, in_features), bound))
            self.bias = nn.Parameter(bias((out_features,), bound))

        methods = {"__init__": __init__, "forward": lambda self, t: t @ self.weight.T + self.bias,
                   "extra_repr": lambda self: "in_features=%d, out_features=%d" % self.sizes}
        return type("MyLinear", (nn.Module,), {**methods, **extra})

    uniform = lambda shape, b: torch.empty(shape).uniform_(-b, b)  # noqa: E731
    assert checks.check("01.4", linear(uniform, uniform))
    wrong = {
        "positive only": linear(lambda s, b: torch.empty(s).uniform_(0, b), uniform),
        "normal": linear(lambda s, b: torch.randn(s).clamp(-3, 3) * b / 3, uniform),
        "zero bias": linear(uniform, lambda s, b: torch.zeros(s)),
        "constant bias": linear(uniform, lambda s, b: torch.full(s, b / 2)),
    }
    for what, cls in wrong.items():
        assert not checks.check("01.4", cls), what
        out = said(capsys)
        assert "spread evenly" in out, (what, out)
        assert ("None is below 0" in out) == (what == "positive only"), (what, out)
    with_bias = linear(uniform, uniform, extra_repr=lambda self: "in_features=%d, out_features=%d, bias=True" % self.sizes)
    assert not checks.check("01.4", with_bias)
    assert "the prompt asks for the two sizes only" in said(capsys)
    without = linear(uniform, uniform, extra_repr=lambda self: "%d, %d" % self.sizes)
    assert not checks.check("01.4", without)
    out = said(capsys)
    assert "extra_repr should give" in out and "two sizes only" not in out, out
    own_repr = linear(uniform, uniform, __repr__=lambda self: "MyLinear(in_features=7, out_features=3)")
    assert not checks.check("01.4", own_repr)
    assert "replaces __repr__" in said(capsys)


def test_01_4_arithmetic_done_outside_nn_parameter_is_named(capsys):
    """nn.Parameter(torch.rand(o, i)) * 2 * b - b, or a tensor with requires_grad=True and no
    nn.Parameter, is a plain computed tensor: the check says why, true in both cases."""
    checks._wrong_tries.clear()
    nn = torch.nn

    class Outside(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.sizes, b = (in_features, out_features), in_features ** -0.5
            self.weight = nn.Parameter(torch.rand(out_features, in_features)) * 2 * b - b
            self.bias = nn.Parameter(torch.rand(out_features) * 2 * b - b)

        def forward(self, t):
            return t @ self.weight.T + self.bias

        def extra_repr(self):
            return "in_features=%d, out_features=%d" % self.sizes

    class NoParameter(Outside):  # requires_grad=True, but no nn.Parameter anywhere
        def __init__(self, in_features, out_features):
            nn.Module.__init__(self)
            self.sizes, b = (in_features, out_features), in_features ** -0.5
            self.weight = torch.rand(out_features, in_features, requires_grad=True) * 2 * b - b
            self.bias = torch.rand(out_features, requires_grad=True) * 2 * b - b

    for cls, said_here in ((Outside, "weight is the result of a computation (it has a grad_fn), not an "
                                     "nn.Parameter, so the module does not register it"),
                           (NoParameter, "weight and bias are the result of a computation (they have a "
                                         "grad_fn), not nn.Parameters, so the module does not register them")):
        assert not checks.check("01.4", cls)
        out = said(capsys)
        assert f"Your {said_here}" in out, out
        assert "wrap the result in nn.Parameter(…)" in out and "Hint:" in out, out



def test_01_2_fan_in_itself_or_its_square_root_is_told_the_count_was_right(capsys):
    """36 (fan_in) and 6 (√fan_in, the 1/ forgotten): the fan_in was right, and the hint says so."""
    conv = dict(conv_args=dict(in_channels=4, out_channels=8, kernel_size=3))
    for wrong, words in ((36, "fan_in itself"), (36.0, "fan_in itself"), (6, "That is √fan_in"),
                         (6.0, "That is √fan_in"), (torch.tensor(6.0), "That is √fan_in")):
        checks._wrong_tries.clear()
        assert not checks.check("01.2", wrong, **conv)
        out = said(capsys)
        assert words in out and "your fan_in is right" in out and "count the numbers" not in out, (wrong, out)


def test_01_3_a_forward_that_drops_the_relu_fails(capsys):
    """The right layers, each run once, but no ReLU between them (or the layers in reverse order):
    the counts match, the output does not; the hint names the ReLU, the second try the whole forward."""
    nn = torch.nn

    def tower(forward):
        class Tower(nn.Module):
            def __init__(self, width, depth):
                super().__init__()
                self.first = nn.Linear(8, width)
                self.hidden = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])
                self.last = nn.Linear(width, 3)
        Tower.forward = forward
        return Tower

    def no_relu(self, t):
        t = torch.relu(self.first(t))
        for layer in self.hidden:
            t = layer(t)
        return self.last(t)

    def reversed_order(self, t):
        t = torch.relu(self.first(t))
        for layer in reversed(self.hidden):
            t = torch.relu(layer(t))
        return self.last(t)

    def given(self, t):
        t = torch.relu(self.first(t))
        for layer in self.hidden:
            t = torch.relu(layer(t))
        return self.last(t)

    for forward in (no_relu, reversed_order):
        checks._wrong_tries.clear()
        assert not checks.check("01.3", tower(forward))
        first = said(capsys)
        assert not checks.check("01.3", tower(forward))
        second = said(capsys)
        assert "keep F.relu after first and after each hidden layer" in first, first
        assert "its output is not last(relu(" in first and "Go back to the given forward" in second, second
    assert checks.check("01.3", tower(given))
    said(capsys)


def test_01_4_evenly_spread_weights_that_are_not_random_fail(capsys):
    """torch.linspace(-b, b, n): inside the range, spread evenly and all distinct, but every layer
    starts the same: refused, with a hint to draw at random."""
    checks._wrong_tries.clear()
    nn = torch.nn

    class Linspace(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.in_features, self.out_features = in_features, out_features
            b = in_features ** -0.5
            self.weight = nn.Parameter(torch.linspace(-b, b, out_features * in_features).reshape(out_features, in_features))
            self.bias = nn.Parameter(torch.linspace(-b, b, out_features))

        def forward(self, t):
            return t @ self.weight.T + self.bias

        def extra_repr(self):
            return f"in_features={self.in_features}, out_features={self.out_features}"

    assert not checks.check("01.4", Linspace)
    out = said(capsys)
    assert "built one after the other start with the same weights" in out and "torch.rand" in out, out


def test_01_4_a_forward_without_the_transpose_is_named(capsys):
    """t @ self.weight + self.bias with weight (out, in): the check names the missing .T."""
    checks._wrong_tries.clear()
    nn = torch.nn

    class NoTranspose(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.sizes, b = (in_features, out_features), in_features ** -0.5
            self.weight = nn.Parameter(torch.rand(out_features, in_features) * 2 * b - b)
            self.bias = nn.Parameter(torch.rand(out_features) * 2 * b - b)

        def forward(self, t):
            return t @ self.weight + self.bias

        def extra_repr(self):
            return "in_features=%d, out_features=%d" % self.sizes

    assert not checks.check("01.4", NoTranspose)
    out = said(capsys)
    assert "multiply by weight.T (section 1)" in out and "cannot be multiplied" in out, out


def test_01_3_a_missing_hidden_a_forward_that_skips_layers_and_a_repeated_mistake(capsys):
    """hidden deleted: its own message; the right layers with a forward that skips them, or runs
    hidden[0] depth times: named; the same mistake twice: the stronger hint the second time."""
    nn = torch.nn

    def tower(init_hidden=True, forward=None):
        class Tower(nn.Module):
            def __init__(self, width, depth):
                super().__init__()
                self.first, self.last = nn.Linear(8, width), nn.Linear(width, 3)
                if init_hidden:
                    self.hidden = nn.ModuleList(nn.Linear(width, width) for _ in range(depth))
                else:
                    self.others = nn.ModuleList(nn.Linear(width, width) for _ in range(depth))

            def forward(self, t):
                if forward is not None:
                    return forward(self, t)
                t = torch.relu(self.first(t))
                for layer in getattr(self, "hidden", getattr(self, "others", [])):
                    t = torch.relu(layer(t))
                return self.last(t)
        return Tower

    checks._wrong_tries.clear()
    assert not checks.check("01.3", tower(init_hidden=False))
    out = said(capsys)
    assert "no attribute hidden" in out and "plain Python list" not in out, out
    skips = lambda self, t: self.last(torch.relu(self.first(t)))  # noqa: E731

    def first_only(self, t):
        t = torch.relu(self.first(t))
        for _ in self.hidden:
            t = torch.relu(self.hidden[0](t))
        return self.last(t)

    for forward, runs in ((skips, "runs its hidden layers 0, 0, 0 times"), (first_only, "runs its hidden layers 3, 0, 0 times")):
        checks._wrong_tries.clear()
        assert not checks.check("01.3", tower(forward=forward))
        out = said(capsys)
        assert "forward does not run each of them once" in out and runs in out, out
    assert checks.check("01.3", tower())
    assert "forward runs each hidden layer once" not in said(capsys)  # ✓ only
    checks._wrong_tries.clear()
    shared = tower(forward=None)

    class Shared(shared):
        def __init__(self, width, depth):
            super().__init__(width, depth)
            self.hidden = nn.ModuleList([nn.Linear(width, width)] * depth)

    assert not checks.check("01.3", Shared)
    first = said(capsys)
    assert not checks.check("01.3", Shared)
    second = said(capsys)
    assert "one layer object listed three times" in first and "ONE layer object" in second, (first, second)
    # the stronger hint is kept for the same mistake made again: a new mistake gets its own first hint
    checks._wrong_tries.clear()
    assert not checks.check("01.3", tower(forward=lambda self, t: self.last(torch.relu(self.first(t)))))
    assert not checks.check("01.3", Shared)
    out = said(capsys)
    assert "one layer object listed three times" in out and "ONE layer object" not in out, out


def test_01_4_sizes_hard_coded_or_not_kept_and_equal_bias_values_are_named(capsys):
    """extra_repr returning the prompt's example: MyLinear(40, 1000) prints it too; the sizes not
    kept as in_features/out_features; a bias of one value: the check says which."""
    checks._wrong_tries.clear()
    nn = torch.nn

    class HardCoded(nn.Module):
        def __init__(self, in_features, out_features, keep=False):
            super().__init__()
            if keep:
                self.in_features, self.out_features = in_features, out_features
            b = in_features ** -0.5
            self.weight = nn.Parameter(torch.rand(out_features, in_features) * 2 * b - b)
            self.bias = nn.Parameter(torch.rand(out_features) * 2 * b - b)

        def forward(self, t):
            return t @ self.weight.T + self.bias

        def extra_repr(self):
            return "in_features=7, out_features=3"

    class Kept(HardCoded):
        def __init__(self, in_features, out_features):
            super().__init__(in_features, out_features, keep=True)

    assert not checks.check("01.4", HardCoded)
    out = said(capsys)
    assert "Step 1 keeps in_features and out_features as attributes" in out and "in_features=None" in out, out
    assert not checks.check("01.4", Kept)
    out = said(capsys)
    assert "print(Kept(40, 1000)) shows 'Kept(in_features=7, out_features=3)'" in out, out

    class ZeroBias(Kept):
        def __init__(self, in_features, out_features):
            super().__init__(in_features, out_features)
            with torch.no_grad():
                self.bias.zero_()

        def extra_repr(self):
            return f"in_features={self.in_features}, out_features={self.out_features}"

    assert not checks.check("01.4", ZeroBias)
    out = said(capsys)
    assert "your bias is not spread evenly" in out and "all of yours are equal (0)" in out, out


def test_01_4_sizes_not_kept_as_attributes_are_named(capsys):
    """extra_repr reading self.in_features that __init__ never stored: the check names step 1."""
    checks._wrong_tries.clear()
    nn = torch.nn

    class NoSizes(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            b = in_features ** -0.5
            self.weight = nn.Parameter(torch.rand(out_features, in_features) * 2 * b - b)
            self.bias = nn.Parameter(torch.rand(out_features) * 2 * b - b)

        def forward(self, t):
            return t @ self.weight.T + self.bias

        def extra_repr(self):
            return f"in_features={self.in_features}, out_features={self.out_features}"

    assert not checks.check("01.4", NoSizes)
    out = said(capsys)
    assert "Step 1 keeps in_features and out_features as attributes" in out, out


def test_05_2_one_full_batch_backward_is_refused(capsys):
    import helpers
    checks._wrong_tries.clear()
    torch.manual_seed(0)
    net, images, target = helpers.LeNet(), torch.randn(4, 1, 28, 28), torch.randn(4, 10)

    def full_batch(net, images, target):
        torch.nn.MSELoss()(net(images), target).backward()

    def two_pieces(net, images, target):
        for half in (slice(0, 2), slice(2, 4)):
            (torch.nn.MSELoss()(net(images[half]), target[half]) / 2).backward()

    def cleared_between(net, images, target):
        for half in (slice(0, 2), slice(2, 4)):
            net.zero_grad()
            (torch.nn.MSELoss()(net(images[half]), target[half]) / 2).backward()

    def one_backward_of_both(net, images, target):
        halves = [torch.nn.MSELoss()(net(images[h]), target[h]) for h in (slice(0, 2), slice(2, 4))]
        ((halves[0] + halves[1]) / 2).backward()

    def each_half_over_4(net, images, target):
        for half in (slice(0, 2), slice(2, 4)):
            (torch.nn.MSELoss()(net(images[half]), target[half]) / 4).backward()

    def retained_and_cleared(net, images, target):  # one 4-digit loss from two forwards, backward twice
        loss = torch.nn.MSELoss()(torch.cat([net(images[:2]), net(images[2:])]), target)
        loss.backward(retain_graph=True)
        net.zero_grad()
        loss.backward()

    def one_and_three(net, images, target):
        for piece in (slice(0, 1), slice(1, 4)):
            (torch.nn.MSELoss()(net(images[piece]), target[piece]) * len(images[piece]) / 4).backward()

    def only_conv1_rescaled(net, images, target):  # unweighted halves, then one .grad patched
        for half in (slice(0, 2), slice(2, 4)):
            torch.nn.MSELoss()(net(images[half]), target[half]).backward()
        net.conv1.weight.grad /= 2

    def every_grad_halved_afterwards(net, images, target):  # unweighted halves, then every .grad patched
        for half in (slice(0, 2), slice(2, 4)):
            torch.nn.MSELoss()(net(images[half]), target[half]).backward()
        for p in net.parameters():
            p.grad /= 2

    assert not checks.check("05.2", full_batch, net=net, images=images, target=target)
    out = said(capsys)
    assert "more than 2 digits at once" in out and "weighted" not in out, out  # told alone, not the ladder
    assert not checks.check("05.2", one_backward_of_both, net=net, images=images, target=target)
    out = said(capsys)
    assert "one backward() call" in out and "weighted" not in out, out
    assert not checks.check("05.2", one_and_three, net=net, images=images, target=target)
    out = said(capsys)
    assert "more than 2 digits at once" in out and out.count("Hint:") == 1, out
    assert not checks.check("05.2", cleared_between, net=net, images=images, target=target)
    assert "second half's gradient alone" in said(capsys)
    assert not checks.check("05.2", each_half_over_4, net=net, images=images, target=target)
    assert "exactly half" in said(capsys)
    assert not checks.check("05.2", retained_and_cleared, net=net, images=images, target=target)
    out = said(capsys)
    assert "went through both halves' forward passes" in out and out.count("Hint:") == 1, out
    assert not checks.check("05.2", only_conv1_rescaled, net=net, images=images, target=target)
    out = said(capsys)
    assert "another parameter's .grad is not" in out and out.count("Hint:") == 1, out
    assert not checks.check("05.2", every_grad_halved_afterwards, net=net, images=images, target=target)
    out = said(capsys)
    assert "changed after the last backward()" in out and out.count("Hint:") == 1, out
    assert checks.check("05.2", two_pieces, net=net, images=images, target=target)
    assert net.conv1.weight.grad is None  # the check worked on a copy

    def grad_first_then_two_pieces(net, images, target):  # an extra autograd.grad walk is not a backward()
        torch.autograd.grad(torch.nn.MSELoss()(net(images[:2]), target[:2]), net.conv1.weight)
        for half in (slice(2, 4), slice(0, 2)):
            (torch.nn.MSELoss()(net(images[half]), target[half]) / 2).backward()

    def forwards_then_grad_of_second(net, images, target):  # both forwards, a look at the second, then two backwards
        losses = [torch.nn.MSELoss()(net(images[h]), target[h]) / 2 for h in (slice(0, 2), slice(2, 4))]
        torch.autograd.grad(losses[1], net.conv1.weight, retain_graph=True)
        for loss in losses:
            loss.backward()

    for right_route in (grad_first_then_two_pieces, forwards_then_grad_of_second):
        assert checks.check("05.2", right_route, net=net, images=images, target=target), said(capsys)
        assert "both halves" not in said(capsys)


def _05_1_attempts():
    """Exercise 05.1's answers (dW, db, dx of a linear layer and its leaky ReLU): the right one, then
    typical wrong ones with the words their hint must contain."""
    def through(local):
        def attempt(dr, r, x, W, slope):
            g = dr * local(r, dr, slope)
            return g.T @ x, g.sum(dim=0), g @ W
        return attempt

    right = through(lambda r, dr, slope: torch.where(r > 0, 1.0, slope).double())
    right.__name__ = "right"

    def right_other_form(dr, r, x, W, slope):
        g = dr * (r > 0) + slope * dr * (r < 0)
        return [torch.einsum("ni,nk->ik", g, x), g.sum(0), torch.einsum("ni,ik->nk", g, W)]

    def bias_mean(dr, r, x, W, slope):
        g = torch.where(r > 0, dr, slope * dr)
        return g.T @ x, g.mean(dim=0), g @ W

    def by_autograd(dr, r, x, W, slope):
        return torch.autograd.grad((r * dr).sum(), (W, x), allow_unused=True)

    def by_enable_grad(dr, r, x, W, slope):  # autograd switched back on inside the answer (review 05b)
        with torch.enable_grad():
            W, x = W.clone().requires_grad_(), x.clone().requires_grad_()
            b = torch.zeros(len(W), dtype=W.dtype, requires_grad=True)
            c = torch.where(r > 0, r, r / slope)
            out = torch.nn.functional.leaky_relu(x @ W.T + b + (c - x @ W.T).detach(), slope)
            return torch.autograd.grad((out * dr).sum(), (W, b, x))

    def by_torch_func(dr, r, x, W, slope):  # torch.func.vjp, with b rebuilt from r (review 05c)
        c = torch.where(r > 0, r, r / slope)
        b = (c - x @ W.T)[0]
        _, vjp = torch.func.vjp(lambda W, b, x: torch.nn.functional.leaky_relu(x @ W.T + b, slope), W, b, x)
        return vjp(dr)

    def dx_ungated(dr, r, x, W, slope):
        g = torch.where(r > 0, dr, slope * dr)
        return g.T @ x, g.sum(dim=0), dr @ W

    def only_dx_right(dr, r, x, W, slope):
        g = torch.where(r > 0, dr, slope * dr)
        return dr.T @ x, dr.sum(dim=0), g @ W

    def turned_round(dr, r, x, W, slope):
        g = torch.where(r > 0, dr, slope * dr)
        return x.T @ g, g.sum(dim=0), g @ W

    def db_keepdim(dr, r, x, W, slope):  # right values, db of shape (1, m): torch.allclose alone would broadcast
        g = torch.where(r > 0, dr, slope * dr)
        return g.T @ x, g.sum(dim=0, keepdim=True), g @ W

    def dw_with_a_batch_axis(dr, r, x, W, slope):  # dW of shape (1, m, k)
        g = torch.where(r > 0, dr, slope * dr)
        return (g.T @ x)[None], g.sum(dim=0), g @ W

    def slope_written_in(dr, r, x, W, slope):  # the check's first slope, 0.2, written in (review 05d)
        g = torch.where(r > 0, dr, 0.2 * dr)
        return g.T @ x, g.sum(dim=0), g @ W

    def dx_product_fails(dr, r, x, W, slope):  # g @ W.T raises a shape error (review 05d)
        g = torch.where(r > 0, dr, slope * dr)
        return g.T @ x, g.sum(dim=0), g @ W.T

    def slope_not_multiplied(dr, r, x, W, slope):  # the slope put in place of slope · dr (review 9)
        g = torch.where(r > 0, dr, slope)
        return g.T @ x, g.sum(dim=0), g @ W

    wrong = [(through(lambda r, dr, s: (r > 0).double()), "plain ReLU's gate"),
             (through(lambda r, dr, s: (r >= 0).double()), "plain ReLU's gate"),
             (slope_not_multiplied, "The chain rule multiplies"),
             (through(lambda r, dr, s: torch.ones_like(r)), "a linear layer alone"),
             (through(lambda r, dr, s: torch.where(r > 0, s, 1.0)), "slopes are swapped"),
             (through(lambda r, dr, s: torch.where(r > 0, 1.0, 0.01)), "uses slope 0.01"),
             (through(lambda r, dr, s: torch.where(dr > 0, 1.0, s)), "not on the gradient arriving"),
             (bias_mean, "by the batch size"), (by_autograd, "Autograd is switched off here"),
             (by_enable_grad, "switched autograd back on"),
             (by_torch_func, "torch.func computes gradients by autograd"),
             (dx_ungated, "dW and db are right, dx is not"), (only_dx_right, "dx is right, dW or db is not"),
             (turned_round, "W's shape"), (db_keepdim, "without keepdim"),
             (dw_with_a_batch_axis, "the shape of its tensor"),
             (slope_written_in, "wrong at slope 0.05"), (dx_product_fails, "dx x's shape (n, k)")]
    return (right, right_other_form), wrong


def test_05_1_runs_the_function_on_its_own_layer_without_autograd(capsys):
    checks._wrong_tries.clear()
    rights, wrong = _05_1_attempts()
    for attempt, hint in wrong:
        assert not checks.check("05.1", attempt), hint
        assert hint in said(capsys), hint
    for right in rights:
        assert checks.check("05.1", right), right.__name__


@pytest.mark.parametrize("exercise_id, answer, objects", [
    ("04.1", (1, 0, 1, 1), "leaves"),
    ("04.1", (True, False, True, True), "leaves"),
])
def test_right_answers_in_another_form_pass(exercise_id, answer, objects):
    a = torch.randn(3, requires_grad=True)
    kwargs = {"leaves": dict(a=a, b=a * 2, c=torch.randn(3), d=(a * 2).detach()),
              "labels": dict(y=torch.tensor([0, 3, 9]))}[objects]
    assert checks.check(exercise_id, answer, **kwargs)


def test_07_2_an_untouched_training_loop_is_not_answered_yet(capsys):
    def train_one_epoch(model, loader, optimizer):
        raise NotImplementedError

    assert not checks.check("07.2", train_one_epoch, x=torch.zeros(4, 1, 28, 28, dtype=torch.uint8),
                            y=torch.zeros(4, dtype=torch.long))
    assert "not answered yet" in capsys.readouterr().out


def test_07_1_drop_last_drops_the_short_batch_of_every_epoch(capsys):
    checks._wrong_tries.clear()
    assert checks.check("07.1", 4 * 572, n=55_000, batch_size=96, epochs=4)
    assert not checks.check("07.1", 4 * 573, n=55_000, batch_size=96, epochs=4)  # the short batch counted
    assert "drop_last=True drops it" in said(capsys)
    assert not checks.check("07.1", 4 * 55_000 // 96, n=55_000, batch_size=96, epochs=4)  # 2291: all epochs at once
    assert "all the epochs' digits at once" in said(capsys)
    assert not checks.check("07.1", 572, n=55_000, batch_size=96, epochs=4)
    assert "one epoch's steps" in said(capsys)
    assert not checks.check("07.1", 4 * 55_000 / 96, n=55_000, batch_size=96, epochs=4)
    assert "whole number" in said(capsys)


def test_07_2_a_second_pass_over_the_loader_is_named(capsys):
    import torch.nn.functional as F

    def train_one_epoch(model, loader, optimizer):  # the loss is right; the accuracy from a second pass
        model.train()
        losses = []
        for images, targets in loader:
            loss = F.cross_entropy(model(images), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        with torch.no_grad():
            right = sum((model(images).argmax(1) == targets).sum().item() for images, targets in loader)
        return sum(losses) / len(losses), right / len(loader.dataset)

    import helpers
    x, y = helpers.mnist_tensors(train=True, normalize=False)
    checks._wrong_tries.clear()
    assert not checks.check("07.2", train_one_epoch, x=x[:4_096], y=y[:4_096])
    assert "through the loader more than once" in said(capsys)


def test_07_2_the_last_batch_loss_is_not_the_mean(capsys):
    import torch.nn.functional as F

    def train_one_epoch(model, loader, optimizer):
        for images, targets in loader:
            loss = F.cross_entropy(model(images), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return loss  # the last batch's loss, not the mean

    g = torch.Generator().manual_seed(0)
    assert not checks.check("07.2", train_one_epoch, x=torch.randint(0, 256, (2_048, 1, 28, 28), dtype=torch.uint8, generator=g),
                            y=torch.randint(0, 10, (2_048,), generator=g))
    assert "not the mean of this epoch's batch losses" in said(capsys)


def test_07_2_a_sum_of_loss_tensors_is_refused(capsys):
    import torch.nn.functional as F

    def train_one_epoch(model, loader, optimizer):
        total = 0
        for images, targets in loader:
            loss = F.cross_entropy(model(images), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total = total + loss  # keeps every batch's graph alive
        return total / len(loader)

    checks._wrong_tries.clear()
    g = torch.Generator().manual_seed(0)
    assert not checks.check("07.2", train_one_epoch, x=torch.randint(0, 256, (2_048, 1, 28, 28), dtype=torch.uint8, generator=g),
                            y=torch.randint(0, 10, (2_048,), generator=g))
    assert "Add up loss.item(), not loss" in said(capsys)


def test_07_2_normalizing_the_loaders_floats_again_is_named(capsys):
    import helpers
    import torch.nn.functional as F

    def train_one_epoch(model, loader, optimizer):
        total = 0.0
        for images, targets in loader:
            loss = F.cross_entropy(model((images / 255 - helpers.MNIST_MEAN) / helpers.MNIST_STD), targets)  # normalized twice
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        return total / len(loader)

    g = torch.Generator().manual_seed(0)
    assert not checks.check("07.2", train_one_epoch, x=torch.randint(0, 256, (2_048, 1, 28, 28), dtype=torch.uint8, generator=g),
                            y=torch.randint(0, 10, (2_048,), generator=g))
    assert "normalized floats already" in said(capsys)


def test_07_2_a_loop_without_step_is_named(capsys):
    import torch.nn.functional as F

    def train_one_epoch(model, loader, optimizer):
        total = 0.0
        for images, targets in loader:
            loss = F.cross_entropy(model(images), targets)
            optimizer.zero_grad()
            loss.backward()  # and no optimizer.step(): the weights never move
            total += loss.item()
        return total / len(loader)

    checks._wrong_tries.clear()
    g = torch.Generator().manual_seed(0)
    assert not checks.check("07.2", train_one_epoch, x=torch.randint(0, 256, (2_048, 1, 28, 28), dtype=torch.uint8, generator=g),
                            y=torch.randint(0, 10, (2_048,), generator=g))
    assert "optimizer.step() never ran" in said(capsys)


def test_07_2_the_accuracy_is_asked_for_as_a_fraction_from_the_losss_logits(capsys):
    import torch.nn.functional as F

    def loop(accuracy_of):
        def train_one_epoch(model, loader, optimizer):
            total, right = 0.0, 0
            for images, targets in loader:
                logits = model(images)
                loss = F.cross_entropy(logits, targets)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += loss.item()
                right += accuracy_of(model, images, targets, logits)
            return total / len(loader), right / len(loader.dataset)
        return train_one_epoch

    def loss_alone(model, loader, optimizer):
        return loop(lambda *batch: 0)(model, loader, optimizer)[0]

    import helpers
    x, y = helpers.mnist_tensors(train=True, normalize=False)
    data = dict(x=x[:4_096], y=y[:4_096])  # real digits: the model must learn for the loss hints to pass
    checks._wrong_tries.clear()
    assert not checks.check("07.2", loss_alone, **data)
    assert "now return two numbers" in said(capsys)
    assert not checks.check("07.2", loop(lambda m, x, t, z: 100 * (z.argmax(1) == t).sum().item()), **data)
    assert "looks like a percentage" in said(capsys)
    assert not checks.check("07.2", loop(lambda m, x, t, z: (m(x).argmax(1) == t).sum().item()), **data)  # after the step
    assert "more than once for a batch" in said(capsys)
    assert checks.check("07.2", loop(lambda m, x, t, z: (z.argmax(1) == t).sum().item()), **data)


def test_07_2_the_short_last_batch_separates_means_over_batches_and_over_digits(capsys):
    import torch.nn.functional as F

    def loop(per_digit_loss, per_batch_acc):
        def train_one_epoch(model, loader, optimizer):
            total, weighted, right, accs, n = 0.0, 0.0, 0, [], 0
            for images, targets in loader:
                logits = model(images)
                loss = F.cross_entropy(logits, targets)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += loss.item()
                weighted += loss.item() * len(targets)
                right += (logits.argmax(1) == targets).sum().item()
                accs.append((logits.argmax(1) == targets).float().mean().item())
                n += len(targets)
            mean_loss = weighted / n if per_digit_loss else total / len(loader)
            return mean_loss, (sum(accs) / len(accs) if per_batch_acc else right / n)
        return train_one_epoch

    import helpers
    x, y = helpers.mnist_tensors(train=True, normalize=False)
    data = dict(x=x[:4_096], y=y[:4_096])
    checks._wrong_tries.clear()
    assert not checks.check("07.2", loop(per_digit_loss=False, per_batch_acc=True), **data)
    assert "not by the number of batches" in said(capsys)
    assert not checks.check("07.2", loop(per_digit_loss=True, per_batch_acc=False), **data)
    assert "not the mean of this epoch" in said(capsys)
    assert checks.check("07.2", loop(per_digit_loss=False, per_batch_acc=False), **data)


def test_07_2_zero_grad_between_backward_and_step_is_named(capsys):
    import torch.nn.functional as F

    def train_one_epoch(model, loader, optimizer):
        total, right, seen = 0.0, 0, 0
        for images, targets in loader:
            logits = model(images)
            loss = F.cross_entropy(logits, targets)
            loss.backward()
            optimizer.zero_grad()  # clears the gradients before step can use them
            optimizer.step()
            total += loss.item()
            right, seen = right + (logits.argmax(1) == targets).sum().item(), seen + len(targets)
        return total / len(loader), right / seen

    checks._wrong_tries.clear()
    g = torch.Generator().manual_seed(0)
    assert not checks.check("07.2", train_one_epoch, x=torch.randint(0, 256, (2_048, 1, 28, 28), dtype=torch.uint8, generator=g),
                            y=torch.randint(0, 10, (2_048,), generator=g))
    assert "step found no gradients: zero_grad ran between backward and step" in said(capsys).replace("\n", " ")


def test_07_2_a_batch_tuple_passed_to_the_model_is_named(capsys):
    import torch.nn.functional as F

    def train_one_epoch(model, loader, optimizer):
        for batch in loader:
            loss = F.cross_entropy(model(batch), batch[1])
        return 0.0, 0.0

    checks._wrong_tries.clear()
    g = torch.Generator().manual_seed(0)
    assert not checks.check("07.2", train_one_epoch, x=torch.randint(0, 256, (2_048, 1, 28, 28), dtype=torch.uint8, generator=g),
                            y=torch.randint(0, 10, (2_048,), generator=g))
    assert "the model was given a tuple, not a tensor of images: unpack" in said(capsys)


def test_07_6_choosing_on_the_test_set_biases_it_up(capsys):
    import checks.lesson07  # noqa: F401
    checks._wrong_tries.clear()
    assert not checks.check("07.6", None)
    assert "not answered yet" in said(capsys)
    assert checks.check("07.6", "up") and checks.check("07.6", " Up ")
    assert not checks.check("07.6", "none")
    assert "still zero on average" in said(capsys)
    assert not checks.check("07.6", "down")
    assert "which way" in said(capsys)
    assert not checks.check("07.6", True)
    assert 'one of the strings "up", "down" or "none"' in said(capsys)


def test_07_3_per_class_denominators_are_named_and_07_4_weights_alone_is_named(capsys):
    import checks.lesson07  # noqa: F401
    checks._wrong_tries.clear()

    def per_class_accuracy(predictions, labels):
        return torch.stack([(predictions[labels == k] == k).float().mean() for k in range(10)])

    def over_all_digits(predictions, labels):
        return torch.stack([((predictions == k) & (labels == k)).float().mean() for k in range(10)])

    def over_predicted(predictions, labels):
        return [(labels[predictions == k] == k).float().mean().item() for k in range(10)]

    assert checks.check("07.3", per_class_accuracy)
    assert not checks.check("07.3", lambda p, y: 100 * per_class_accuracy(p, y))
    assert "Those look like percentages" in said(capsys)
    assert not checks.check("07.3", over_all_digits)
    assert "divided by all the digits" in said(capsys)
    assert not checks.check("07.3", over_predicted)
    assert "*predicted* k" in said(capsys)
    assert not checks.check("07.3", lambda p, y: torch.stack([(p[y == k] == k).sum().float() for k in range(10)]))
    assert "Those are counts" in said(capsys)
    assert not checks.check("07.3", lambda p, y: torch.full((10,), (p == y).float().mean().item()))
    assert "overall accuracy" in said(capsys)
    model = torch.nn.Linear(3, 2)
    optimizer = torch.optim.Adam(model.parameters())
    model(torch.ones(1, 3)).sum().backward()
    optimizer.step()
    checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
    kB = checks.lesson07._checkpoint_kB(checkpoint)
    assert not checks.check("07.4", kB / 3, checkpoint=checkpoint)
    assert "weights alone" in said(capsys)
    assert not checks.check("07.4", 1000 * kB, checkpoint=checkpoint)
    assert "looks like bytes" in said(capsys)
    assert not checks.check("07.4", kB / 1000, checkpoint=checkpoint)
    assert "looks like MB" in said(capsys)
    assert checks.check("07.4", 1.02 * kB, checkpoint=checkpoint)
    assert checks.check("07.4", torch.tensor(0.97 * kB), checkpoint=checkpoint)  # a 0-d tensor is a number too
    assert not checks.check("07.4", 1.5 * kB, checkpoint=checkpoint)
    assert "Too high" in said(capsys)  # the direction is named
    checks._wrong_tries.clear()
    assert not checks.check("07.4", 0.8 * kB, checkpoint=checkpoint)  # too low: the first hint
    out = said(capsys)
    assert "more than 5 % away from the checkpoint's real size" in out and "experiment" not in out  # a prediction
    assert not checks.check("07.4", f"{kB}", checkpoint=checkpoint)
    assert "Give one number" in said(capsys)


def test_07_5_hint_describes_the_outcome_not_the_rate(capsys):
    """A failing rate is told what its accuracy means and what to compare, never a threshold on lr."""
    checks._wrong_tries.clear()
    fake = {0.001: 0.86, 0.03: 0.13, 0.01: 0.96}.__getitem__
    assert not checks.check("07.5", 0.03, train=fake)
    out = said(capsys)
    assert "chance" in out and "0.01" not in out
    assert not checks.check("07.5", 0.001, train=fake)
    out = said(capsys)
    assert "falls short" in out and "0.01" not in out
    assert checks.check("07.5", 0.01, train=fake)


def test_hints_never_hand_over_the_solution_line():
    import checks.lesson05, checks.lesson07  # noqa: E401
    assert "divided by 2" not in " ".join(checks.lesson05.EXERCISES["05.2"].hints)
    assert "g.T @ x" not in " ".join(checks.lesson05.EXERCISES["05.1"].hints)
    assert "math.ceil" not in checks.lesson07.EXERCISES["07.1"].hints[-1]
    assert "predictions[labels == k]" not in " ".join(checks.lesson07.EXERCISES["07.3"].hints)


def test_05_4_tells_a_loop_that_still_adds_up_from_a_fixed_one(capsys):
    """The check's copy of the network holds an earlier step's gradient: the snippet as handed out
    reads as not answered (judged by its code: real edits that still alias .grad get the aliasing
    hint), one zero_grad() before the loop or one after each backward() gets its named hint,
    the default zero_grad() (set to None) is refused, one in place per batch before backward() passes."""
    import helpers
    import checks.lesson05
    checks._wrong_tries.clear()
    torch.manual_seed(0)
    net, images, target = helpers.LeNet(), torch.randn(4, 1, 28, 28), torch.randn(4, 10)

    def batch_grads(clear_each: bool, clear_once: bool, clear_after: bool = False, copy: bool | str = True,
                    to_none: bool = False):
        def f(net, batches):
            grads = []
            if clear_once:
                net.zero_grad()
            for x, y in batches:
                if clear_each:
                    net.zero_grad(set_to_none=to_none)
                torch.nn.MSELoss()(net(x), y).backward()
                grad = net.conv1.bias.grad
                grads.append(grad.detach() if copy == "detach" else grad.clone() if copy else grad)
                if clear_after:
                    net.zero_grad()
            return grads
        return f

    handed_out = {"nn": torch.nn}
    exec(checks.lesson05._HANDED_OUT.replace("(set_to_none=False)", "(set_to_none=False)  # a comment"), handed_out)
    assert not checks.check("05.4", handed_out["ex4_batch_grads"], net=net, images=images, target=target)
    assert "not answered yet" in said(capsys)
    # real edits that still return one shared tensor get the aliasing hint, not "not answered":
    # (a) the zero_grad line deleted; (b) one more zero_grad before the loop, .grad still appended
    for edit in ("        net.zero_grad(set_to_none=False)\n",
                 "    for images, target in batches:\n"):
        attempt = {"nn": torch.nn}
        new_line = "" if "zero_grad" in edit else "    net.zero_grad(set_to_none=False)\n" + edit
        exec(checks.lesson05._HANDED_OUT.replace(edit, new_line, 1), attempt)
        assert not checks.check("05.4", attempt["ex4_batch_grads"], net=net, images=images, target=target)
        assert "share one memory, .grad's, which" in said(capsys), edit
    assert not checks.check("05.4", batch_grads(False, False), net=net, images=images, target=target)
    assert "still add up from batch to batch" in said(capsys)
    assert not checks.check("05.4", batch_grads(False, True), net=net, images=images, target=target)
    assert "one clearing before the loop is not enough" in said(capsys)
    assert not checks.check("05.4", batch_grads(False, False, clear_after=True), net=net, images=images, target=target)
    assert "added onto the gradient the network arrived with" in said(capsys)
    assert not checks.check("05.4", batch_grads(True, False, copy=False), net=net, images=images, target=target)
    assert "share one memory, .grad's, which" in said(capsys)
    assert not checks.check("05.4", batch_grads(True, False, copy="detach"), net=net, images=images, target=target)
    out = said(capsys)
    assert "`.detach()` (or a view)" in out and "Keep a real copy: `.clone()`" in out, out

    def by_autograd_grad(net, batches):
        return [torch.autograd.grad(torch.nn.MSELoss()(net(x), y), net.conv1.bias)[0] for x, y in batches]

    assert not checks.check("05.4", by_autograd_grad, net=net, images=images, target=target)
    out = said(capsys)
    assert "fewer times than there are batches" in out and out.count("Hint:") == 1 and "Run it yourself" not in out, out
    def running_differences(net, batches):  # right numbers, but .grad never cleared
        grads, before = [], net.conv1.bias.grad.clone()
        for x, y in batches:
            torch.nn.MSELoss()(net(x), y).backward()
            grads.append(net.conv1.bias.grad - before)
            before = net.conv1.bias.grad.clone()
        return grads

    assert not checks.check("05.4", running_differences, net=net, images=images, target=target)
    out = said(capsys)
    assert "never cleared" in out and out.count("Hint:") == 1, out

    def grad_then_backward(net, batches):  # right numbers by autograd.grad; backward() still adds to .grad
        grads = []
        for x, y in batches:
            loss = torch.nn.MSELoss()(net(x), y)
            grads.append(torch.autograd.grad(loss, net.conv1.bias, retain_graph=True)[0])
            loss.backward()
        return grads

    assert not checks.check("05.4", grad_then_backward, net=net, images=images, target=target)
    out = said(capsys)
    assert "never cleared" in out and "differences" not in out and out.count("Hint:") == 1, out
    assert not checks.check("05.4", batch_grads(True, False, copy=False, to_none=True), net=net, images=images,
                            target=target)
    assert "keeps zero_grad(set_to_none=False)" in said(capsys)  # right, but not by the route the prompt keeps
    assert checks.check("05.4", batch_grads(True, False), net=net, images=images, target=target)
    assert net.conv1.bias.grad is None  # the check worked on a copy


@pytest.mark.parametrize("answer, ok, said_", [(3, True, "right"), (torch.tensor(3), True, "right"),
                                               (3.0, True, "right"), (4, False, "all negative, or 0"),
                                               (6, False, "every positive entry"), (16, False, "not to all four"),
                                               (torch.tensor(8), False, "not to all four"),
                                               (2, False, "Too few"), (0, False, "Too few")])
def test_05_3_counts_the_entries_relu_and_max_pool_let_through(answer, ok, said_, capsys):
    checks._wrong_tries.clear()
    x = torch.tensor([[[[1.0, -2.0, 0.5, -1.0], [-3.0, 2.0, -0.5, -2.0],
                        [-1.0, -4.0, 3.0, 1.0], [0.0, -0.5, 2.0, -1.0]]]])  # the notebook's map: a tie at 0
    assert checks.check("05.3", answer, x=x) is ok
    assert said_ in said(capsys)


@pytest.mark.parametrize("answer, ok, said_", [([0.6, -0.8, 0.2], True, "right"),
                                               (torch.tensor([[3 / 5, 1 / 5 - 1, 1 / 5]]), True, "right"),
                                               ([-0.6, 0.8, -0.2], False, "signs are flipped"),
                                               ([0.6, 0.2, 0.2], False, "the softmax alone"),
                                               ([-0.4, 0.2, 0.2], False, "class 0's entry"),
                                               ([1 / 3, -2 / 3, 1 / 3], False, "as if the logits were equal"),
                                               ([0.6, -0.8, 0.3], False, "do not sum to 0"),
                                               ([0.6, -0.8], False, "Give 3 numbers"),
                                               ("0.6", False, "First p")])
def test_05_5_predicts_cross_entropys_gradient_and_names_the_sign_slip(answer, ok, said_, capsys):
    checks._wrong_tries.clear()
    z, label = torch.tensor([[math.log(3), 0.0, 0.0]]), torch.tensor([1])  # the notebook's digit
    assert checks.check("05.5", answer, z=z, label=label) is ok
    assert said_ in said(capsys)


def _lesson02_class(name: str, source: str):
    namespace = {"nn": torch.nn, "F": torch.nn.functional, "torch": torch}
    exec(source, namespace)
    return namespace[name]


SMALLNET = """
class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3{pad})
        self.conv2 = nn.Conv2d(6, 12, 3)
        self.fc1 = nn.Linear({features}, 84)
        self.fc2 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1({start})), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = {flatten}
        return self.fc2(F.relu(self.fc1(x)))
"""


@pytest.mark.parametrize("pad, features, flatten, verdict, start", [
    ("", "12 * 6 * 6", "x.view(-1, 12 * 6 * 6)", "not answered yet", "x"),      # the snippet as handed out
    ("", "12 * 6 * 6", "torch.flatten(x, 1)", "worked out for 32x32", "x"),      # flattening fixed, fc1 not
    ("", "300", "x.view(-1, 12 * 6 * 6)", "fc1 is right now", "x"),              # fc1 fixed, flattening not
    (", padding=2", "12 * 6 * 6", "x.view(-1, 12 * 6 * 6)", "Keep both convolutions", "x"),  # conv1 changed
    ("", "300", "x.view(72, -1)", "fits one batch size only", "x"),              # right for 72 digits only
    ("", "300", "x.reshape(72, -1)", "fits one batch size only", "x"),
    ("", "12 * 5 * 5", "torch.flatten(x, 1)", "✓", "x"),
    ("", "300", "x.view(-1, 300)", "✓", "x"),
    ("", "12 * 6 * 6", "x.view(-1, 12 * 6 * 6)", "as they are", "F.pad(x, (2, 2, 2, 2))"),  # digits padded: ruled out
    ("", "12 * 6 * 6", "torch.flatten(x, 1)", "as they are", "F.pad(x, (2, 2, 2, 2))"),
    ("", "12 * 6 * 6", "torch.flatten(x, 1)", "no resizing", "F.interpolate(x, size=32)"),  # digits resized
    ("", "12 * 6 * 6", "x.reshape(-1, 12 * 6 * 6)", "did: reshape(-1, 432)", "x"),  # changed, rows cut as before
    ("", "300", "x.reshape(-1, 12 * 6 * 6)", "(reshape(-1, 432) makes rows", "x"),  # the hint names the call used
    ("", "300", "torch.flatten(x)", "flattened the batch too", "x"),            # the 1 forgotten
    ("", "12 * 6 * 6", "torch.flatten(x)", "flattened the batch too", "x"),
    ("", "12 * 6 * 6", "x.view(-1, 12 * 6 * 6)  # TODO: look at this", "not answered yet", "x"),  # a comment only
])
def test_02_3_the_batch_must_survive_the_flattening_and_the_convolutions_stay(capsys, pad, features, flatten,
                                                                            verdict, start):
    checks._wrong_tries.clear()
    cls = _lesson02_class("SmallNet", SMALLNET.format(pad=pad, features=features, flatten=flatten, start=start))
    assert checks.check("02.3", cls) is (verdict == "✓")
    assert verdict in said(capsys)


def test_02_3_the_class_as_given_is_the_notebooks_and_comments_do_not_answer_it(capsys):
    import json
    from checks import lesson02
    cells = json.load(open(Path(__file__).parent.parent / "notebooks" / "02_lenet.ipynb"))["cells"]
    cell = next("".join(c["source"]) for c in cells if c["metadata"].get("exercise", {}).get("id") == "02.3")
    snippet = cell.split("# END TODO")[0]
    assert lesson02._smallnet_as_given(_lesson02_class("SmallNet", snippet))
    checks._wrong_tries.clear()
    commented = snippet.replace("    def forward", "    # the digits are 28x28 now\n\n    def forward")
    assert checks.check("02.3", _lesson02_class("SmallNet", commented)) is False
    assert "not answered yet" in said(capsys)
    for source, verdict in ((commented, "not answered yet"), (snippet.replace("12 * 6 * 6)\n", "432)\n"),
                                                                        "did: view(-1, 432) cuts")):
        filename = f"<cell {verdict}>"  # a notebook cell: inspect finds its source, as IPython lets it
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        namespace = {"nn": torch.nn, "F": torch.nn.functional, "torch": torch}
        exec(compile(source, filename, "exec"), namespace)
        assert checks.check("02.3", namespace["SmallNet"]) is False
        assert verdict in said(capsys)
    renamed = snippet.replace("x = x.view", "flat = x.view").replace("self.fc1(x)", "self.fc1(flat)")
    assert checks.check("02.3", _lesson02_class("SmallNet", renamed)) is False
    out = said(capsys)
    assert "still gives 50 rows" in out and "not answered yet" not in out


ADAPTIVE_SMALLNET = SMALLNET.replace("F.max_pool2d(F.relu(self.conv2(x)), 2)",
                                     "F.adaptive_max_pool2d(F.relu(self.conv2(x)), 6)")


def test_02_3_a_changed_pooling_is_named(capsys):
    checks._wrong_tries.clear()
    cls = _lesson02_class("SmallNet", ADAPTIVE_SMALLNET.format(pad="", features="12 * 6 * 6",
                                                               flatten="torch.flatten(x, 1)", start="x"))
    assert checks.check("02.3", cls) is False
    assert "keep the poolings as they are" in said(capsys)


def test_02_5_refuses_a_recorder_built_on_shape_trace(capsys, monkeypatch):
    import helpers
    monkeypatch.setitem(sys.modules, "helpers", helpers)
    checks._wrong_tries.clear()

    def wrapper(model, x):
        return [(n, s) for n, s in helpers.shape_trace(model, x) if not n.endswith("()")]

    assert checks.check("02.5", wrapper) is False
    out = said(capsys)  # the hint that follows says where to start, not the generic first hint
    assert "write the hooks yourself" in out and "Start from section 1's cell" in out and "Containers" not in out
    assert helpers.shape_trace(torch.nn.ReLU(), torch.zeros(1)) is not None  # restored after the check
    shape_trace = helpers.shape_trace  # imported by name: `from helpers import shape_trace`
    assert checks.check("02.5", lambda model, x: [r for r in shape_trace(model, x) if "()" not in r[0]]) is False
    assert "write the hooks yourself" in said(capsys)


def test_02_5_a_names_dictionary_of_another_model_is_named(capsys):
    checks._wrong_tries.clear()
    other = torch.nn.Sequential(torch.nn.Linear(2, 2))
    names = {module: name for name, module in other.named_modules()}  # section 1's `names`, of net

    def record_shapes(model, x):
        records, handles = [], []
        for module in model.modules():
            if not list(module.children()):
                handles.append(module.register_forward_hook(
                    lambda m, i, out: records.append((names[m], tuple(out.shape)))))
        try:
            model(x)
        finally:
            for handle in handles:
                handle.remove()
        return records

    assert checks.check("02.5", record_shapes) is False
    out = said(capsys)
    assert "KeyError with a module as the key" in out and "names dictionary does not know this module" in out
    assert "model.named_modules() of the model you are given" in out and "walk every level" not in out
    assert checks.check("02.5", lambda model, x: {}["conv1"]) is False  # any other KeyError: as before
    assert "Your code raised KeyError" in said(capsys)


@pytest.mark.parametrize("head, verdict", [
    ("F.relu(self.fc2(F.relu(self.fc1(x))))", "your scores are never negative"),  # 4.1's bug, shapes right
    ("self.fc2(self.fc1(x))", "did forward change elsewhere"),                   # a ReLU left out
])
def test_02_3_right_shapes_with_other_scores_are_not_sent_to_the_flattening(capsys, head, verdict):
    checks._wrong_tries.clear()
    source = SMALLNET.replace("self.fc2(F.relu(self.fc1(x)))", head)
    cls = _lesson02_class("SmallNet", source.format(pad="", features="300", flatten="torch.flatten(x, 1)", start="x"))
    for _ in range(2):  # the second try too: no hint about the flattening
        assert checks.check("02.3", cls) is False
        out = said(capsys)
        assert verdict in out and "The shapes are right now" in out and "flatten" not in out


def test_02_3_a_lazy_linear_fc1_is_refused_as_in_02_4(capsys):
    checks._wrong_tries.clear()
    source = SMALLNET.replace("nn.Linear({features}, 84)", "nn.LazyLinear(84)")
    cls = _lesson02_class("SmallNet", source.format(pad="", features="", flatten="torch.flatten(x, 1)", start="x"))
    assert checks.check("02.3", cls) is False
    assert "A lazy layer (nn.LazyLinear) works in_features out for you" in said(capsys)


def test_02_5_a_recorder_returning_a_fixed_list_fails(capsys):
    checks._wrong_tries.clear()
    fixed = list(checks.lesson02.RECORDER_RIGHT)
    assert checks.check("02.5", lambda model, x: fixed) is False
    assert "shapes" in said(capsys)


@pytest.mark.parametrize("answer, words", [
    (3136, "✓"), (torch.tensor(3136), "✓"),
    (196, "That is one map"),                  # the channels forgotten
    (14, "the side length of one map"),        # the side of the last maps, not their numbers
    (16 * 15 * 15, "rounds down, not up"),     # pooling an odd size rounded up
    (16 * 5 * 5, "the blitz's number"),
    (16 * 13 * 13, "k - 1 fewer positions"),  # each convolution taking k off, not k - 1
    (16 * 16 * 16, "does not keep the side length"),  # the convolutions keeping the side: 64 -> 32 -> 16
    (6 * 14 * 14, "come from the last convolution"),  # the first convolution's channels
    (3136.5, "fractional part"),               # not a whole number of features
])
def test_02_1_names_the_channels_and_the_rounding(capsys, answer, words):
    checks._wrong_tries.clear()
    layers = torch.nn.Sequential(torch.nn.Conv2d(1, 6, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                 torch.nn.Conv2d(6, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                 torch.nn.Flatten())
    assert checks.check("02.1", answer, layers=layers, x=torch.zeros(1, 1, 64, 64)) is (words == "✓")
    assert words in said(capsys)


EX3_FULL = 6 * 26 + 32 * 55 + 120 * 1153 + 84 * 121 + 10 * 85  # TutorialNet with 32 filters in conv2


@pytest.mark.parametrize("answer, words", [
    (EX3_FULL, "✓"),
    (EX3_FULL - 10, "One term lacks its biases"),   # fc3's + 1 forgotten
    (EX3_FULL - 32, "One term lacks its biases"),   # conv2's + 1 forgotten
    (EX3_FULL - 6 - 32 - 120 - 84 - 10, "You counted the weights only"),
    (EX3_FULL - 1, "Add up out·(in·k·k + 1)"),  # no layer has a single bias: the generic hint
    (EX3_FULL - 10 * 85, "One layer is missing"),  # fc3 forgotten
    (EX3_FULL - 6 * 26, "One layer is missing"),  # conv1 forgotten
])
def test_02_2_a_forgotten_bias_in_one_term_is_named(capsys, answer, words):
    checks._wrong_tries.clear()
    assert checks.check("02.2", answer) is (words == "✓")
    assert words in said(capsys)



@pytest.mark.parametrize("answer, words", [
    (float(EX3_FULL), "✓"),
    (torch.tensor(EX3_FULL), "✓"),
    (EX3_FULL + 0.4, "your answer has a fractional part"),  # a count is an integer: no tolerance
    (EX3_FULL - 1e-6, "your answer has a fractional part"),
    (str(EX3_FULL), "Give the count as a number"),
])
def test_02_2_a_count_is_an_integer(capsys, answer, words):
    checks._wrong_tries.clear()
    assert checks.check("02.2", answer) is (words == "✓")
    assert words in said(capsys)

DIGITNET = """
class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        {first}
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 20, 3)
        {last_made}

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d({relu}(self.conv2(x)), 2)
        return {last}(self.head(F.relu(self.fc1(torch.flatten(x, 1)))))
"""
LINEARS = "self.fc1 = nn.Linear({features}, 64); self.head = nn.Linear(64, 10)"


@pytest.mark.parametrize("features, last, words, relu, linears_first", [
    ("20 * 6 * 6", "", "✓", "F.relu", False),
    ("20 * 6 * 6", "", "✓", "F.relu", True),  # the linear layers made before the convolutions
    ("20 * 6 * 6", "F.relu", "which get no ReLU", "F.relu", False),
    ("20 * 6 * 6", "(lambda s: s.softmax(1))", "the loss (05) applies it itself", "F.relu", False),
    ("20 * 6 * 6", "torch.tanh", "nothing goes after the last Linear", "F.relu", False),
    ("20 * 6 * 6", "F.leaky_relu", "nothing goes after the last Linear", "F.relu", False),
    ("20 * 7 * 7", "", "fc1's in_features is channels x height x width", "F.relu", False),
    ("20 * 6 * 6", "", "A ReLU follows each convolution", "", False),  # no ReLU after conv2
    # no second pooling: each map doubled before the pooling, which then gives it back unpooled
    ("20 * 12 * 12", "", "conv2's maps are pooled too", "(lambda t: F.relu(t).repeat_interleave(2, 2)"
     ".repeat_interleave(2, 3))", False),
])
def test_02_4_whatever_follows_the_last_linear_is_named(capsys, features, last, words, relu, linears_first):
    checks._wrong_tries.clear()
    linears = LINEARS.format(features=features)
    source = DIGITNET.format(first=linears if linears_first else "", last_made="" if linears_first else linears,
                             last=last, relu=relu)
    cls = _lesson02_class("DigitNet", source)
    assert checks.check("02.4", cls) is (words == "✓")
    assert words in said(capsys)


@pytest.mark.parametrize("pools", [(0,), (1,), (0, 1)])
def test_02_4_average_pooling_is_named_not_blamed_on_fc1(capsys, pools):
    checks._wrong_tries.clear()
    source = DIGITNET.format(first="", last_made=LINEARS.format(features="20 * 6 * 6"), last="", relu="F.relu")
    parts = source.split("F.max_pool2d")  # the two poolings of forward, in order
    source = parts[0] + "".join(("F.avg_pool2d" if i in pools else "F.max_pool2d") + part
                                for i, part in enumerate(parts[1:]))
    for attempt in range(2):  # the same hint on a second try: it names the mistake
        assert checks.check("02.4", _lesson02_class("DigitNet", source)) is False
        assert "the list asks for max pooling" in said(capsys)


@pytest.mark.parametrize("flatten", ["torch.flatten(x)", "x.flatten()", "x.view(-1)"])
def test_02_4_a_flatten_without_the_1_is_named(capsys, flatten):
    checks._wrong_tries.clear()
    source = DIGITNET.format(first="", last_made=LINEARS.format(features="20 * 6 * 6"), last="", relu="F.relu")
    assert source.count("torch.flatten(x, 1)") == 1
    cls = _lesson02_class("DigitNet", source.replace("torch.flatten(x, 1)", flatten))
    assert checks.check("02.4", cls) is False
    assert "torch.flatten(x) without the 1 starts at dimension 0" in said(capsys)


@pytest.mark.parametrize("fc1, words", [
    ("nn.LazyLinear(64)", "A lazy layer (nn.LazyLinear) works in_features out for you"),
    # a digit through the layers inside __init__: in_features read off its shape, not worked out
    ("nn.Linear(torch.flatten(F.max_pool2d(self.conv2(F.max_pool2d(self.conv1(torch.zeros(1, 1, 28, 28)), 2)), 2), 1)"
     ".shape[1], 64)", "like nn.LazyLinear it lets PyTorch do the exercise"),
    ("nn.Linear(nn.Sequential(self.conv1, nn.MaxPool2d(2), self.conv2, nn.MaxPool2d(2), nn.Flatten())"
     "(torch.zeros(1, 1, 28, 28)).shape[1], 64)", "like nn.LazyLinear it lets PyTorch do the exercise"),
    ("nn.Linear(20 * ((28 // 2 - 2) // 2) ** 2, 64)", "✓"),  # the arithmetic, written in __init__
])
def test_02_4_in_features_worked_out_by_pytorch_is_refused(capsys, fc1, words):
    checks._wrong_tries.clear()
    source = DIGITNET.format(first="", last_made=f"self.fc1 = {fc1}; self.head = nn.Linear(64, 10)", last="",
                             relu="F.relu")
    assert checks.check("02.4", _lesson02_class("DigitNet", source)) is (words == "✓")
    assert words in said(capsys)


def test_02_4_a_forward_without_return_is_named(capsys):
    checks._wrong_tries.clear()
    source = DIGITNET.format(first="", last_made=LINEARS.format(features="20 * 6 * 6"), last="", relu="F.relu")
    source = source.replace("return (self.head", "scores = (self.head")
    assert "return" not in source.split("def forward")[1]
    assert checks.check("02.4", _lesson02_class("DigitNet", source)) is False
    assert "forward returned None" in said(capsys)


def test_02_5_an_empty_list_says_nothing_was_recorded(capsys):
    checks._wrong_tries.clear()
    assert checks.check("02.5", lambda model, x: []) is False
    out = said(capsys)
    assert "nothing was recorded" in out and "no input row" not in out


def test_04_2_a_helper_that_calls_graph_figures_or_backward_is_refused(capsys):
    import graph_figures
    checks._wrong_tries.clear()

    def borrowed(output):
        return [n.fn.variable for n in graph_figures.autograd_graph(output).nodes if n.name == "AccumulateGrad"]

    def through_a_helper(output):
        return borrowed(output)

    def by_backward(output):
        output.backward()
        return []

    for route in (through_a_helper, by_backward):
        assert not checks.check("04.2", route)
        assert "walk next_functions yourself" in said(capsys)
    assert graph_figures.autograd_graph.__name__ == "autograd_graph"  # put back after the check
    assert torch.Tensor.backward.__name__ == "backward"


def test_04_4_jacobian_and_jacrev_are_refused_and_a_28x28_row_passes(capsys):
    from torch.func import jacrev
    checks._wrong_tries.clear()

    def by_jacobian(net, x, i):
        return torch.autograd.functional.jacobian(net, x)[0, i]

    def by_jacrev_imported(net, x, i):
        return jacrev(net)(x)[0, i]

    def by_vmap_of_vjp(net, x, i):  # every row at once, one vector-Jacobian product per one-hot v
        out, vjp = torch.func.vjp(net, x)
        return torch.func.vmap(vjp)(torch.eye(10).reshape(10, 1, 10))[0][i]

    def by_autograd_grad(net, x, i):
        leaf = x.clone().requires_grad_()
        (grad,) = torch.autograd.grad(net(leaf)[0, i], leaf)
        return grad[0, 0]

    def by_batched_grad(net, x, i):  # one autograd.grad call, but a batch of one-hot v's: every row
        leaf = x.clone().requires_grad_()
        (rows,) = torch.autograd.grad(net(leaf), leaf, torch.eye(10).reshape(10, 1, 10), is_grads_batched=True)
        return rows[i]

    def by_batched_grad_positional(net, x, i):
        leaf = x.clone().requires_grad_()
        return torch.autograd.grad(net(leaf), leaf, torch.eye(10).reshape(10, 1, 10), None, False, False, False, True)[0][i]

    for route in (by_jacobian, by_jacrev_imported, by_vmap_of_vjp, by_batched_grad, by_batched_grad_positional):
        assert not checks.check("04.4", route)
        out = said(capsys)
        assert "jacobian, jacrev and jacfwd" in out and "is_grads_batched" in out, out
    assert checks.check("04.4", by_autograd_grad)
    assert torch.autograd.functional.jacobian.__name__ == "jacobian" and jacrev.__name__ == "jacrev"
    assert torch.func.vmap.__name__ == "vmap" and torch.vmap is torch.func.vmap


@pytest.mark.parametrize("x, answer, right, words", [
    ((0.1, 0.1), 6, 7, ["the first x * w2"]),
    ((0.1, 0.1), 8, 7, ["sum to more than 0", "one doubling too many"]),  # both slips give 8 here
    ((4.0, 1.0), 3, 2, ["One doubling too many?"]),  # with or without the ReLU: 2, so only the loop
    ((1.2, 0.2), 3, 4, ["the first x * w2"]),  # the ReLU runs, then 3 doublings; without it, 3 too
    ((1.2, 0.2), 5, 4, ["One doubling too many?"]),
    ((3.2, 1.7), 1, 2, ["the first x * w2"]),  # exercise 3's x: h sums to -0.1, no ReLU, 1 doubling
    ((3.2, 1.7), 3, 2, ["sum to more than 0", "one doubling too many"]),  # with the ReLU: 2 doublings
])
def test_04_3_names_the_forgotten_first_multiplication_the_relu_and_the_extra_doubling(capsys, x, answer, right,
                                                                                      words):
    checks._wrong_tries.clear()
    w2 = torch.tensor([0.5, -1.0], requires_grad=True)

    def dynamic(x):
        h = x * w2
        if h.sum() > 0:
            h = torch.relu(h)
        while h.norm() < 4:
            h = h * 2
        return h.sum()

    assert not checks.check("04.3", answer, fn=dynamic, x=torch.tensor(x))
    out = said(capsys)
    assert all(w in out for w in words) and out.count("Hint:") == 1
    assert checks.check("04.3", right, fn=dynamic, x=torch.tensor(x))


def test_04_5_shows_one_hint_only(capsys):
    checks._wrong_tries.clear()

    def still_in_place(x, w):
        h = x * w
        square = h * h
        h.add_(1)
        return (square + h).sum()

    assert not checks.check("04.5", still_in_place)
    assert said(capsys).count("Hint:") == 1


def test_04_5_an_edit_under_no_grad_is_told_the_version_still_changes(capsys):
    checks._wrong_tries.clear()

    def edit_under_no_grad(x, w):
        h = x * w
        square = h * h
        with torch.no_grad():
            h += 1
        return (square + h).sum()

    assert not checks.check("04.5", edit_under_no_grad)
    out = said(capsys)
    assert "not the version counter" in out and out.count("Hint:") == 1 and "Which operation saved" not in out


def test_04_5_a_function_without_return_is_told_it_returned_none(capsys):
    checks._wrong_tries.clear()

    def no_return(x, w):
        h = x * w
        square = h * h
        shifted = h + 1  # noqa: F841 (the return forgotten)

    assert not checks.check("04.5", no_return)
    out = said(capsys)
    assert "returned None" in out and "AttributeError" not in out and out.count("Hint:") == 1


def test_04_5_a_detached_copy_is_told_it_cut_the_graph(capsys):
    checks._wrong_tries.clear()

    def detached_copy(x, w):
        h = (x * w).detach()
        square = h * h
        h = h + 1
        return (square + h).sum()

    assert not checks.check("04.5", detached_copy)
    out = said(capsys)
    assert "cut the result off from the graph" in out and "Which operation saved" not in out


def test_04_5_a_shift_detached_from_h_is_told_its_gradient_is_missing(capsys):
    checks._wrong_tries.clear()

    def shift_detached(x, w):
        h = x * w
        square = h * h
        h = h.detach() + 1
        return (square + h).sum()

    assert not checks.check("04.5", shift_detached)
    assert "misses the gradient of the h + 1 term" in said(capsys)


def test_04_4_a_function_that_changes_the_callers_x_is_caught(capsys):
    checks._wrong_tries.clear()

    def reuses_x(net, x, i):
        x.requires_grad_()
        net(x)[0, i].backward()
        return x.grad

    assert not checks.check("04.4", reuses_x)
    assert "changed the x it was given" in said(capsys)


@pytest.mark.parametrize("row, words", [
    (lambda net, x, i: torch.autograd.grad(net(x)[0, i], x)[0], "make a leaf of your own from it"),
    (lambda net, x, i: torch.autograd.grad(net(leaf := x.clone().requires_grad_()), leaf, torch.ones(10))[0],
     "v must have out's shape, (1, 10)"),
])
def test_04_4_a_gradient_of_the_callers_x_or_a_v_of_the_wrong_shape_gets_its_own_hint(capsys, row, words):
    checks._wrong_tries.clear()
    assert not checks.check("04.4", row)
    out = said(capsys)
    assert out.count("Hint:") == 1 and words in out.split("Hint:")[1] and "which v picks" not in out


def _row_under_no_grad(net, x, i):
    leaf = x.clone().requires_grad_()
    with torch.no_grad():
        out = net(leaf)
    out[0, i].backward()
    return leaf.grad


def _row_leaf_made_late(net, x, i):
    leaf = x.clone()
    out = net(leaf)
    leaf.requires_grad_()
    return torch.autograd.grad(out[0, i], leaf)[0]


@pytest.mark.parametrize("row, words", [
    (_row_under_no_grad, "Was the forward run under no_grad() (section 8)?"),
    (_row_leaf_made_late, "your leaf must require a gradient before net(x) runs"),
])
def test_04_4_a_forward_autograd_did_not_record_is_named(capsys, row, words):
    """Under no_grad(), or with requires_grad_() after the forward: not 'make a leaf of your own'."""
    checks._wrong_tries.clear()
    assert not checks.check("04.4", row)
    out = said(capsys)
    assert out.count("Hint:") == 1 and words in out.split("Hint:")[1] and "leaf of your own" not in out, out


@pytest.mark.parametrize("exercise_id, route, words", [
    ("04.2", lambda output: output.backward() or [], "walk next_functions yourself"),
    ("04.4", lambda net, x, i: torch.autograd.functional.jacobian(net, x)[0, i], "jacobian, jacrev"),
])
def test_04_a_refused_route_gets_its_own_hint_not_the_ladders(capsys, exercise_id, route, words):
    checks._wrong_tries.clear()
    assert not checks.check(exercise_id, route)
    out = said(capsys)
    assert out.count("Hint:") == 1 and words in out.split("Hint:")[1]


def _walk_onto(start, pairs=False, parameters_only=False):
    """A walk of the whole graph with one slip: ``start`` picks where it starts, ``pairs`` puts the
    (node, index) pairs on the list, ``parameters_only`` keeps only nn.Parameter leaves."""
    def walk(output):
        found, seen, todo = [], set(), [start(output)]
        while todo:
            node = todo.pop()
            if node is None or node in seen:
                continue
            seen.add(node)
            leaf = getattr(node, "variable", None)
            if leaf is not None and (isinstance(leaf, torch.nn.Parameter) or not parameters_only):
                found.append(leaf)
            todo.extend(node.next_functions if pairs else (child for child, _ in node.next_functions))
        return found
    return walk


def _one_path(output):
    """Section 2's loop, always along input 0: it falls off the first AccumulateGrad (IndexError)."""
    found, node = [], output.grad_fn
    while node is not None:
        if hasattr(node, "variable"):
            found.append(node.variable)
        node = node.next_functions[0][0]
    return found


@pytest.mark.parametrize("walk, words", [
    (_walk_onto(lambda output: output.grad_fn, pairs=True), "next_functions holds (node, index) pairs"),
    (_walk_onto(lambda output: output), "Start the walk from output.grad_fn"),
    (_walk_onto(lambda output: output.grad_fn, parameters_only=True), "plain tensors made with requires_grad=True"),
    (lambda output: _one_path(output), "an AccumulateGrad node has no inputs"),
])
def test_04_2_pairs_a_tensor_start_and_a_parameter_filter_are_named(capsys, walk, words):
    """Walking onto the pairs or from the output tensor raises AttributeError, always taking input 0
    raises IndexError at an AccumulateGrad; keeping only
    nn.Parameter leaves misses the plain leaves of the check's second graph: each hint says so, on a
    first and a second try, not the ladder's "remember the nodes you have visited"."""
    checks._wrong_tries.clear()
    for _ in range(2):
        assert not checks.check("04.2", walk)
        out = said(capsys)
        assert out.count("Hint:") == 1 and words in out.split("Hint:")[1] and "visited" not in out, out
    assert checks.check("04.2", _walk_onto(lambda output: output.grad_fn))


def test_04_4_a_loop_of_row_gradients_is_refused_and_one_call_passes(capsys):
    """Every row by ten autograd.grad (or backward) calls, then row i: refused, with its own hint. One
    call, also through an imported alias or autograd.functional.vjp, passes; both are put back."""
    from torch.autograd import grad
    checks._wrong_tries.clear()

    def every_row_by_grad(net, x, i):
        leaf = x.clone().requires_grad_()
        out = net(leaf)
        return [torch.autograd.grad(out[0, k], leaf, retain_graph=True)[0] for k in range(10)][i]

    def every_row_by_backward(net, x, i):
        leaf = x.clone().requires_grad_()
        out = net(leaf)
        rows = []
        for k in range(10):
            leaf.grad = None
            out[0, k].backward(retain_graph=True)
            rows.append(leaf.grad)
        return rows[i]

    def one_imported_grad(net, x, i):
        leaf = x.clone().requires_grad_()
        return grad(net(leaf)[0, i], leaf)[0]

    def one_functional_vjp(net, x, i):
        v = torch.zeros(1, 10)
        v[0, i] = 1
        return torch.autograd.functional.vjp(net, x, v)[1]

    for route in (every_row_by_grad, every_row_by_backward):
        assert not checks.check("04.4", route)
        out = said(capsys)
        assert out.count("Hint:") == 1 and "more than once for one row" in out, out
    assert checks.check("04.4", one_imported_grad) and checks.check("04.4", one_functional_vjp)
    assert torch.autograd.grad is grad and torch.autograd.backward.__name__ == "backward"


def _row_by_central_differences(net, x, i):
    """Row i without backward: two forwards per pixel, in float64 on a copy of net (1,568 images)."""
    net64, x64, eps = copy.deepcopy(net).double(), x.double(), 1e-6
    row = torch.zeros(784, dtype=torch.float64)
    with torch.no_grad():
        for k in range(784):
            step = torch.zeros(784, dtype=torch.float64)
            step[k] = eps
            step = step.reshape(x.shape)
            row[k] = (net64(x64 + step)[0, i] - net64(x64 - step)[0, i]) / (2 * eps)
    return row.reshape(x.shape).float()


def _row_by_batched_differences(net, x, i):
    """The same in one forward of a batch: 784 shifted images at once."""
    eps = 1e-3
    with torch.no_grad():
        shifted = x.double() + eps * torch.eye(784, dtype=torch.float64).reshape(784, 1, 28, 28)
        net64 = copy.deepcopy(net).double()
        return ((net64(shifted)[:, i] - net64(x.double())[0, i]) / eps).reshape(x.shape).float()


def _row_by_forward_mode(net, x, i):
    """Forward mode: one torch.func.jvp per pixel (784 forwards)."""
    row = torch.zeros(784)
    for k in range(784):
        tangent = torch.zeros(784)
        tangent[k] = 1
        row[k] = torch.func.jvp(net, (x,), (tangent.reshape(x.shape),))[1][0, i]
    return row.reshape(x.shape)


@pytest.mark.parametrize("row", [_row_by_central_differences, _row_by_batched_differences, _row_by_forward_mode])
def test_04_4_many_forwards_are_refused(capsys, row):
    """Finite differences (a loop, or one batch of shifted images) and forward mode pass no forbidden name:
    the check counts the images through net's first layer and refuses more than 2 per row."""
    checks._wrong_tries.clear()
    assert not checks.check("04.4", row)
    out = said(capsys)
    assert out.count("Hint:") == 1 and "more than 2 images for one row" in out, out
    assert checks.check("04.4", lambda net, x, i: torch.autograd.grad(net(leaf := x.clone().requires_grad_())[0, i],
                                                                      leaf)[0])


def test_04_5_a_square_written_h_squared_is_told_what_add_means(capsys):
    """`h ** 2` for `h * h`: the same error, naming Add; the first hint covers both spellings and says
    that Add is h after `h += 1`."""
    checks._wrong_tries.clear()

    def still_in_place(x, w):
        h = x * w
        square = h ** 2
        h += 1
        return (square + h).sum()

    assert not checks.check("04.5", still_in_place)
    out = said(capsys)
    assert "output 0 of Add" in out and "h ** 2" in out.split("Hint:")[1] and "h's grad_fn is that addition" in out


@pytest.mark.parametrize("answer", [(1, 0, 1, 1), (True, False, True, True)])
def test_04_1_names_the_indexed_tensor_for_booleans_and_for_ones_and_zeros(capsys, answer):
    checks._wrong_tries.clear()
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        c = a * 2
    assert not checks.check("04.1", answer, a=a, b=a * 2, c=c, d=a[0])
    assert "taking a part of a tensor (indexing)" in said(capsys)


def test_04_1_a_wrong_a_or_b_gets_the_rule_first(capsys):
    checks._wrong_tries.clear()
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        c = a * 2
    assert not checks.check("04.1", (False, True, False, True), a=a, b=a * 2, c=c, d=a[0])
    out = said(capsys)
    assert "section 1's rule" in out and "no_grad" not in out


@pytest.mark.parametrize("answer", [(True, False, True), [True, False, True, True, False]])
def test_04_1_a_wrong_length_is_told_to_give_one_boolean_per_tensor(capsys, answer):
    checks._wrong_tries.clear()
    a = torch.randn(3, requires_grad=True)
    with torch.no_grad():
        c = a * 2
    for _ in range(2):  # the length hint, not a hint to run code, on every try
        assert not checks.check("04.1", answer, a=a, b=a * 2, c=c, d=a[0])
        out = said(capsys)
        assert "one boolean for each of ex1_a, ex1_b, ex1_c, ex1_d" in out and "Print" not in out


@pytest.mark.parametrize("returned, words", [(None, "returned None; expected a list of tensors"),
                                             (7, "returned one value; expected a list of tensors"),
                                             ([], "returned no leaves (an empty list)")])
def test_04_2_a_function_that_returns_no_list_is_told_what_it_returned(capsys, returned, words):
    checks._wrong_tries.clear()
    assert not checks.check("04.2", lambda output: returned)
    out = said(capsys)
    assert words in out and "raised" not in out


def test_04_2_copies_of_the_leaves_are_told_to_return_the_tensors_themselves(capsys):
    checks._wrong_tries.clear()

    def copies(output):
        leaves, seen, todo = [], set(), [output.grad_fn]
        while todo:
            node = todo.pop()
            if node is None or node in seen:
                continue
            seen.add(node)
            if hasattr(node, "variable"):
                leaves.append(node.variable.clone())
            todo.extend(child for child, _ in node.next_functions)
        return leaves

    assert not checks.check("04.2", copies)
    assert "not copies" in said(capsys)


def _walk_with_in_recursive(output):
    found = []

    def visit(node):
        if node is None:
            return
        if hasattr(node, "variable") and node.variable not in found:  # `in` compares tensors by value
            found.append(node.variable)
        for child, _ in node.next_functions:
            visit(child)

    visit(output.grad_fn)
    return found


def _walk_with_in_and_seen(output):
    found, seen, todo = [], set(), [output.grad_fn]
    while todo:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if hasattr(node, "variable") and node.variable not in found:
            found.append(node.variable)
        todo.extend(child for child, _ in node.next_functions)
    return found


@pytest.mark.parametrize("walk", [_walk_with_in_recursive, _walk_with_in_and_seen])
def test_04_2_in_on_a_list_of_tensors_is_named_not_the_ladders_hint(capsys, walk):
    """`tensor in a_list` compares by value (a size mismatch, or an ambiguous boolean): the hint
    says so, on a first and a second try, rather than the ladder's hints."""
    checks._wrong_tries.clear()
    for _ in range(2):
        assert not checks.check("04.2", walk)
        out = said(capsys)
        assert "`in` on a list compares tensors by value" in out and "Section 2's loop" not in out


@pytest.mark.parametrize("make, words", [
    (lambda leaf, out: None, "returned None; expected a tensor shaped like x"),
    (lambda leaf, out: torch.autograd.grad(out, leaf), "returns a tuple, one gradient per input"),
])
def test_04_4_a_function_that_returns_no_tensor_is_told_what_it_returned(capsys, make, words):
    checks._wrong_tries.clear()

    def row(net, x, i):
        leaf = x.clone().requires_grad_()
        return make(leaf, net(leaf)[0, i])

    assert not checks.check("04.4", row)
    assert words in said(capsys)


def test_04_4_returning_the_grad_of_the_callers_x_is_told_why_it_is_none(capsys):
    """Section 9a copied with x itself: out.backward(v) runs (the parameters require a gradient), but
    x.grad stays None. The hint names x.grad and a leaf of one's own, on a first and a second try."""
    checks._wrong_tries.clear()

    def row(net, x, i):
        out = net(x)
        v = torch.zeros_like(out)
        v[0, i] = 1
        out.backward(v)
        return x.grad

    for _ in range(2):
        assert not checks.check("04.4", row)
        out = said(capsys)
        assert ".grad stays None on a tensor that does not require a gradient" in out
        assert "make a leaf of your own" in out


def _row_indexed_by_batch(net, x, i):
    leaf = x.clone().requires_grad_()
    return torch.autograd.grad(net(leaf)[i], leaf)[0]


def _row_of_a_parameter(net, x, i):
    leaf = x.clone().requires_grad_()
    net(leaf)[0, i].backward()
    return net.fc3.weight.grad


@pytest.mark.parametrize("row, words", [
    (_row_indexed_by_batch, "Output i of that image is out[0, i]"),
    (_row_of_a_parameter, "Row i is with respect to the pixels"),
])
def test_04_4_a_batch_index_and_a_parameter_gradient_are_named(capsys, row, words):
    """out[i] on the (1, 10) output, or a parameter's .grad returned: each gets its own hint on the
    first try, not the ladder's."""
    checks._wrong_tries.clear()
    assert not checks.check("04.4", row)
    out = said(capsys)
    assert out.count("Hint:") == 1 and words in out.split("Hint:")[1] and "which v picks" not in out, out


def _loop_conv2d(x, weight, bias, stride=1, padding=0):
    """A right answer to 03.1, written here from the prompt."""
    x = torch.nn.functional.pad(x, (padding,) * 4)
    k = weight.shape[-1]
    rows, cols = (x.shape[1] - k) // stride + 1, (x.shape[2] - k) // stride + 1
    out = torch.empty(weight.shape[0], rows, cols)
    for o in range(weight.shape[0]):
        for i in range(rows):
            for j in range(cols):
                out[o, i, j] = (x[:, i * stride:i * stride + k, j * stride:j * stride + k] * weight[o]).sum() + bias[o]
    return out


def test_03_1_refuses_a_convolution_under_any_name_and_names_a_wrong_shape(capsys):
    from torch.nn.functional import conv2d as renamed

    checks._wrong_tries.clear()
    cheats = [lambda x, w, b, stride=1, padding=0: renamed(x[None], w, b, stride=stride, padding=padding)[0],
              lambda x, w, b, stride=1, padding=0: torch.nn.functional.__dict__["conv2d"](
                  x[None], w, b, stride=stride, padding=padding)[0],
              lambda x, w, b, stride=1, padding=0: torch.nn.Conv2d(3, 4, 3, stride, padding)(x[None])[0],
              lambda x, w, b, stride=1, padding=0: torch.ops.aten.slow_conv_dilated2d(  # aten's own, by name
                  x[None], w, [3, 3], b, [stride] * 2, [padding] * 2, [1, 1])[0],
              lambda x, w, b, stride=1, padding=0: torch.ops.aten._nnpack_spatial_convolution(
                  x[None], w, b, [padding] * 2, [stride] * 2)[0]]
    for cheat in cheats:
        assert not checks.check("03.1", cheat)
        assert "calls a convolution of torch" in said(capsys)

    def by_fft(x, w, b, stride=1, padding=0):  # every output at once, as a product of transforms
        x = torch.nn.functional.pad(x, (padding,) * 4)
        k, (height, width) = w.shape[-1], x.shape[1:]
        spectrum = torch.fft.rfft2(x, s=(height, width)) * torch.fft.rfft2(w.flip(-2, -1), s=(height, width))
        full = torch.fft.irfft2(spectrum, s=(height, width)).sum(1)[:, k - 1:, k - 1:]
        return full[:, ::stride, ::stride] + b[:, None, None]

    assert not checks.check("03.1", by_fft)
    assert "torch.fft" in said(capsys)
    assert checks.check("03.1", _loop_conv2d)  # a window, * and .sum() still run under the refusal
    assert not checks.check("03.1", lambda x, w, b, stride=1, padding=0: _loop_conv2d(x, w, b, stride, padding)[None])
    assert "without a batch dimension" in said(capsys)
    assert not checks.check("03.1", lambda x, w, b, stride=1, padding=0: _loop_conv2d(x[:, :6], w, b, stride, padding))
    assert "7 rows and 6 columns" in said(capsys)


def test_03_1_names_a_missing_plus_one(capsys):
    checks._wrong_tries.clear()

    def no_plus_one(x, weight, bias, stride=1, padding=0):  # counts the moves, not the positions
        x = torch.nn.functional.pad(x, (padding,) * 4)
        k = weight.shape[-1]
        rows, cols = (x.shape[1] - k) // stride, (x.shape[2] - k) // stride
        out = torch.zeros(weight.shape[0], rows, cols)
        for o in range(weight.shape[0]):
            for i in range(rows):
                for j in range(cols):
                    out[o, i, j] = (x[:, i * stride:i * stride + k, j * stride:j * stride + k] * weight[o]).sum() + bias[o]
        return out

    assert not checks.check("03.1", no_plus_one)
    assert "one row and one column short" in said(capsys)
    assert not checks.check("03.1", no_plus_one)  # the second try names it too
    assert "+ 1 counts the kernel's first position" in said(capsys)


def test_03_1_names_a_square_image_assumption_that_raises(capsys):
    def square(x, weight, bias, stride=1, padding=0):  # W = H: the columns run past the image
        x = torch.nn.functional.pad(x, (padding,) * 4)
        k, size = weight.shape[-1], x.shape[1]
        n = (size - k) // stride + 1
        out = torch.empty(weight.shape[0], n, n)
        for o in range(weight.shape[0]):
            for i in range(n):
                for j in range(n):
                    out[o, i, j] = (x[:, i * stride:i * stride + k, j * stride:j * stride + k] * weight[o]).sum() + bias[o]
        return out

    checks._wrong_tries.clear()
    with pytest.raises(RuntimeError):
        square(torch.zeros(3, 7, 6), torch.zeros(4, 3, 3, 3), torch.zeros(4))
    assert not checks.check("03.1", square)
    assert "7 high and 6 wide: compute H_out from the height and W_out from the width" in said(capsys)
    assert not checks.check("03.1", lambda x, w, b, stride=1, padding=0: 1 / 0)  # any other error: reported as raised
    assert "Your code raised ZeroDivisionError" in said(capsys)


def test_03_1_the_stubs_raise_left_above_own_code_is_named_not_unanswered(capsys):
    def stub(x, weight, bias, stride=1, padding=0):
        """(C, H, W), (O, C, k, k), (O,) -> (O, H_out, W_out), as F.conv2d with this stride, padding."""
        # TODO: pad x, compute the output size, then loop over filters and output positions
        raise NotImplementedError
        # END TODO

    def raise_left_above(x, weight, bias, stride=1, padding=0):
        """(C, H, W), (O, C, k, k), (O,) -> (O, H_out, W_out), as F.conv2d with this stride, padding."""
        # TODO: pad x, compute the output size, then loop over filters and output positions
        raise NotImplementedError
        # END TODO
        return _loop_conv2d(x, weight, bias, stride, padding)

    def raise_left_below(x, weight, bias, stride=1, padding=0):
        out = _loop_conv2d(x, weight, bias, stride, padding)
        raise NotImplementedError
        return out

    def no_return(x, weight, bias, stride=1, padding=0):
        out = _loop_conv2d(x, weight, bias, stride, padding)

    checks._wrong_tries.clear()
    assert not checks.check("03.1", stub)
    assert "not answered yet" in said(capsys)
    for left in (raise_left_above, raise_left_below):
        assert not checks.check("03.1", left)
        out = said(capsys)
        assert "still raises NotImplementedError: delete the stub's line" in out and "not answered" not in out
    assert not checks.check("03.1", _loop_conv2d(torch.ones(1, 4, 4), torch.ones(2, 1, 3, 3), torch.zeros(2)))  # a result
    assert "Pass the function itself" in said(capsys)
    assert not checks.check("03.1", no_return)
    assert "does it end with `return`?" in said(capsys)


def test_03_1_refuses_f_unfold_which_cuts_out_the_windows(capsys):
    F = torch.nn.functional

    def by_unfold(x, w, b, stride=1, padding=0):
        k = w.shape[-1]
        rows, cols = (x.shape[1] + 2 * padding - k) // stride + 1, (x.shape[2] + 2 * padding - k) // stride + 1
        columns = F.unfold(x[None], k, stride=stride, padding=padding)[0]
        return (w.flatten(1) @ columns + b[:, None]).view(-1, rows, cols)

    checks._wrong_tries.clear()
    assert torch.allclose(by_unfold(*[torch.ones(3, 5, 5), torch.ones(2, 3, 3, 3), torch.zeros(2)]), torch.full((2, 3, 3), 27.0))
    assert not checks.check("03.1", by_unfold)
    assert "unfold, which cuts out the windows" in said(capsys)


def test_03_1_refuses_tensor_unfold_and_tells_a_list_it_is_not_a_tensor(capsys):
    def by_tensor_unfold(x, w, b, stride=1, padding=0):  # every window at once, no loop, no F.unfold
        k = w.shape[-1]
        windows = torch.nn.functional.pad(x, (padding,) * 4).unfold(1, k, stride).unfold(2, k, stride)
        return torch.einsum("chwuv,ocuv->ohw", windows, w) + b[:, None, None]

    checks._wrong_tries.clear()
    assert torch.allclose(by_tensor_unfold(torch.ones(3, 5, 5), torch.ones(2, 3, 3, 3), torch.zeros(2)),
                          torch.full((2, 3, 3), 27.0))
    assert not checks.check("03.1", by_tensor_unfold)
    assert "unfold, which cuts out the windows" in said(capsys)
    assert not checks.check("03.1", lambda x, w, b, stride=1, padding=0: _loop_conv2d(x, w, b, stride, padding).tolist())
    assert "does not return a tensor" in said(capsys)


@pytest.mark.parametrize("answer, named", [
    ((16, 12), ("rounded up", "divided n by the stride")), ((15, 11), ("added the padding once",)),
    ((14, 11), ("left out the padding", "left out the final + 1")),
    ((16, 12.5), ("does not simply halve",)), ((12, 15), ("Height comes first",)),
    ((30, 23), ("left out the stride",)), ((16, 13), ("rounded up", "TensorFlow's 'SAME'"))])
def test_03_2_each_common_mistake_gives_its_own_answer_and_hint(capsys, answer, named):
    checks._wrong_tries.clear()
    conv, x = torch.nn.Conv2d(3, 8, kernel_size=5, stride=2, padding=1), torch.zeros(1, 3, 32, 25)
    assert checks.check("03.2", (15, 12), conv=conv, x=x)
    said(capsys)
    assert not checks.check("03.2", answer, conv=conv, x=x)
    out = said(capsys)
    assert all(words in out for words in named)


def test_03_2_the_shape_measured_by_running_the_layer_is_refused(capsys):
    checks._wrong_tries.clear()
    conv, x = torch.nn.Conv2d(3, 8, kernel_size=5, stride=2, padding=1), torch.zeros(1, 3, 32, 25)
    assert not checks.check("03.2", conv(x).shape[-2:], conv=conv, x=x)
    assert "measured shape" in said(capsys)
    assert checks.check("03.2", (15, 12), conv=conv, x=x) and checks.check("03.2", [15, 12], conv=conv, x=x)


@pytest.mark.parametrize("layer, size", [((5, 2, 1), (32, 25)), ((3, 1, 1), (28, 28)), ((5, 2, 2), (28, 27)),
                                         ((3, 3, 0), (20, 31))])
def test_03_2_an_answer_two_slips_give_names_both_and_no_other(capsys, layer, size):
    """For each slip of the size formula, the hint for its answer names every slip giving that answer
    (the notebook's layer first: there, no padding and no + 1 collide, and so do rounding up and n // s)."""
    from checks import lesson03

    k, s, p = layer
    objects = dict(conv=torch.nn.Conv2d(3, 8, kernel_size=k, stride=s, padding=p), x=torch.zeros(1, 3, *size))
    right = lesson03._size_by(objects, lambda n, k, s, p: (n + 2 * p - k) // s + 1)
    by_answer = {}
    for name, rule, text in lesson03._SIZE_SLIPS:
        by_answer.setdefault(lesson03._size_by(objects, rule), []).append((name, text))
    print({answer: [name for name, _ in slips] for answer, slips in by_answer.items()})  # which slips collide
    for answer, slips in by_answer.items():
        if answer == right:
            continue  # a slip that changes nothing for this layer is no mistake here
        checks._wrong_tries.clear()
        said(capsys)
        assert not checks.check("03.2", answer, **objects)
        hint = said(capsys).split("Hint:")[1]
        named = {name for name, _, text in lesson03._SIZE_SLIPS if text[1:40] in hint}
        assert named == {name for name, _ in slips}


@pytest.mark.parametrize("answer, named", [(2, "ordinary kernel"), (12, "grows the image"), (13, "whole span"),
                                           (5, "number of taps"), (4, "k − 1"), (3, "dilation itself"),
                                           (7, "One too many")])
def test_03_3_the_answer_differs_from_k_d_and_the_span(capsys, answer, named):
    checks._wrong_tries.clear()
    objects = dict(size=28, kernel_size=5, dilation=3)
    assert checks.check("03.3", 6, **objects)
    said(capsys)
    assert not checks.check("03.3", answer, **objects)
    assert named in said(capsys)


def test_03_5_the_field_of_s4_itself_is_told_the_new_layer_widens_it(capsys):
    checks._wrong_tries.clear()
    torch.manual_seed(0)
    nn = torch.nn
    layers = [nn.Conv2d(1, 6, 5, padding=2), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.MaxPool2d(2), nn.Conv2d(16, 16, 3)]
    assert checks.check("03.5", 24, layers=layers)
    assert not checks.check("03.5", 16, layers=layers)
    assert "S4's own field" in said(capsys)
    assert not checks.check("03.5", 18, layers=layers)
    assert "1 pixel apart" in said(capsys)
    assert not checks.check("03.5", 20, layers=layers)  # 16 + 2 · 2: conv2's jump, before pool2
    assert "pool2's stride doubles it" in said(capsys)


def _downsampler(kernel=3, padding=0, pad_in_forward=0, pad_right_bottom=0):
    nn, F = torch.nn, torch.nn.functional

    class Downsampler(nn.Module):
        def __init__(self):
            super().__init__()
            self.down1 = nn.Conv2d(1, 8, kernel_size=kernel, stride=2, padding=padding)
            self.down2 = nn.Conv2d(8, 8, kernel_size=kernel, stride=2, padding=padding)
            self.fc = nn.Linear(8 * 7 * 7, 10)

        def forward(self, x):
            x = F.pad(x, (pad_in_forward, pad_in_forward + pad_right_bottom) * 2)
            x = F.relu(self.down1(x))
            x = F.relu(self.down2(F.pad(x, (pad_in_forward,) * 4)))
            return self.fc(x.flatten(1))
    return Downsampler


def test_03_4_untouched_only_as_given_and_padding_in_forward_passes(capsys):
    checks._wrong_tries.clear()
    assert not checks.check("03.4", _downsampler())
    assert "not answered yet" in said(capsys)
    assert not checks.check("03.4", _downsampler(kernel=2))  # runs, halves, but not with 3x3 kernels
    assert "Keep the 3x3 kernels" in said(capsys)
    assert checks.check("03.4", _downsampler(padding=1))
    assert checks.check("03.4", _downsampler(pad_in_forward=1))


def test_03_4_a_changed_forward_that_still_raises_the_given_error_is_an_answer(capsys):
    """One pixel padded right and bottom in forward: 29 -> 14 -> 6, the same 2x288 error as given,
    but the student changed the code, so the check says "not yet", not "not answered yet"."""
    checks._wrong_tries.clear()
    assert not checks.check("03.4", _downsampler(pad_right_bottom=1))
    out = said(capsys)
    assert "not answered yet" not in out and "✗" in out


def test_03_4_padding_only_down2_and_padding_same_get_their_own_message(capsys):
    nn = torch.nn
    only_down2 = _downsampler(padding=1)
    original = only_down2.__init__

    def init(self):
        original(self)
        self.down1 = nn.Conv2d(1, 8, kernel_size=3, stride=2)  # 28 -> 13, then down2 13 -> 7
    only_down2.__init__ = init
    checks._wrong_tries.clear()
    assert not checks.check("03.4", only_down2)
    out = said(capsys)
    assert "down1 gives 13x13 maps, down2 7x7" in out and "each strided layer must halve" in out
    assert not checks.check("03.4", _downsampler(padding="same"))
    assert 'PyTorch refuses padding="same" with a stride of 2' in said(capsys)


def test_03_4_padding_only_down1_is_told_that_down2_needs_the_same_fix(capsys):
    nn = torch.nn
    only_down1 = _downsampler(padding=1)
    original = only_down1.__init__

    def init(self):
        original(self)
        self.down2 = nn.Conv2d(8, 8, kernel_size=3, stride=2)  # 14 -> 6: fc still fails
    only_down1.__init__ = init
    checks._wrong_tries.clear()
    assert not checks.check("03.4", only_down1)
    out = said(capsys)
    assert "down2 does not give 7x7 from 14x14" in out and "RuntimeError" not in out.split("Hint:")[1]
    down2_too_much = _downsampler(padding=1)
    original2 = down2_too_much.__init__

    def init2(self):
        original2(self)
        self.down2 = nn.Conv2d(8, 8, kernel_size=3, stride=2, padding=2)  # 14 -> 8: changed, still wrong
    down2_too_much.__init__ = init2
    assert not checks.check("03.4", down2_too_much)
    out = said(capsys)
    assert "down2 does not give 7x7 from 14x14" in out and "same fix" not in out


def test_03_4_resizing_the_maps_before_fc_is_told_the_fix_belongs_in_the_convolutions(capsys):
    F = torch.nn.functional
    resized = _downsampler()

    def forward(self, x):  # the 6x6 maps of down2 resized to 7x7 before fc
        x = F.relu(self.down2(F.relu(self.down1(x))))
        return self.fc(F.interpolate(x, size=7).flatten(1))
    resized.forward = forward
    checks._wrong_tries.clear()
    assert not checks.check("03.4", resized)
    assert "not after them (in fc or by resizing the maps)" in said(capsys)


def test_03_4_padding_height_and_width_differently_is_told_to_pad_both_alike(capsys):
    nn = torch.nn
    uneven = _downsampler(padding=1)
    original = uneven.__init__

    def init(self):
        original(self)
        self.down2 = nn.Conv2d(8, 8, kernel_size=3, stride=2, padding=(1, 0))  # 14x14 -> 7x6
        self.fc = nn.Linear(8 * 7 * 6, 10)  # and fc made to fit: the model runs
    uneven.__init__ = init
    checks._wrong_tries.clear()
    assert not checks.check("03.4", uneven)
    out = said(capsys)
    assert "not square" in out and "padding=p" in out and "not after them" not in out


def test_03_1_names_an_output_size_that_ignores_the_stride(capsys):
    def no_stride_size(x, weight, bias, stride=1, padding=0):  # loops over (H + 2p - k) + 1 positions
        x = torch.nn.functional.pad(x, (padding,) * 4)
        k = weight.shape[-1]
        out = torch.empty(weight.shape[0], x.shape[1] - k + 1, x.shape[2] - k + 1)
        for o in range(weight.shape[0]):
            for i in range(out.shape[1]):
                for j in range(out.shape[2]):
                    out[o, i, j] = (x[:, i * stride:i * stride + k, j * stride:j * stride + k] * weight[o]).sum() + bias[o]
        return out

    checks._wrong_tries.clear()
    assert not checks.check("03.1", no_stride_size)
    assert "your output size ignores the stride, or rounds up" in said(capsys)


def _rounding_conv2d(rule, skip_partial):
    """03.1 with the output size ``rule(x)`` of x = (n + 2p − k) / s; with ``skip_partial``, a window
    that runs past the image is left at 0 instead of raising."""
    def conv(x, weight, bias, stride=1, padding=0):
        x = torch.nn.functional.pad(x, (padding,) * 4)
        k = weight.shape[-1]
        rows, cols = (rule((size - k) / stride) + 1 for size in x.shape[1:])
        out = torch.zeros(weight.shape[0], rows, cols)
        for o in range(weight.shape[0]):
            for i in range(rows):
                for j in range(cols):
                    window = x[:, i * stride:i * stride + k, j * stride:j * stride + k]
                    if skip_partial and window.shape != weight[o].shape:
                        continue
                    out[o, i, j] = (window * weight[o]).sum() + bias[o]
        return out
    return conv


@pytest.mark.parametrize("rule", [round, math.ceil])
def test_03_1_an_output_size_rounded_up_is_told_to_round_down(capsys, rule):
    checks._wrong_tries.clear()
    assert checks.check("03.1", _rounding_conv2d(int, skip_partial=False))  # int() is the floor here: all sizes >= 0
    said(capsys)
    assert not checks.check("03.1", _rounding_conv2d(rule, skip_partial=False))  # raises at stride 2 or 3
    assert "or rounds up. Divide by it and round down with //" in said(capsys)
    assert not checks.check("03.1", _rounding_conv2d(rule, skip_partial=True))  # runs, one row or column too many
    assert "a row or a column too big: you rounded up" in said(capsys)


def test_03_1_right_shapes_wrong_values_names_a_setting_a_position_and_both_numbers(capsys):
    def channel_zero(x, weight, bias, stride=1, padding=0):  # channel 0 only: shapes right, values wrong
        return _loop_conv2d(x[:1], weight[:, :1], bias, stride, padding)

    checks._wrong_tries.clear()
    for _ in range(2):  # the same concrete message on a second try, not a generic hint
        assert not checks.check("03.1", channel_zero)
        out = said(capsys)
        assert "Your shapes are right in all 5 settings; the values are not. With stride 1, padding 0, output (0, 0, 0) is" in out
        got, want = (float(v) for v in __import__("re").findall(r"is (-?\d+\.\d+), F.conv2d gives (-?\d+\.\d+)", out)[0])
        assert got != want
    assert not checks.check("03.1", lambda x, w, b, stride=1, padding=0: _loop_conv2d(x, w, b, stride, padding).int())
    assert "holds integers" in said(capsys)


def test_03_1_indexing_the_output_by_the_input_position_gets_its_own_hint(capsys):
    def by_input_position(x, weight, bias, stride=1, padding=0):  # out[o, i * stride, …]: IndexError at stride 2
        x = torch.nn.functional.pad(x, (padding,) * 4)
        k = weight.shape[-1]
        out = torch.zeros(weight.shape[0], (x.shape[1] - k) // stride + 1, (x.shape[2] - k) // stride + 1)
        for o in range(weight.shape[0]):
            for i in range(0, x.shape[1] - k + 1, stride):
                for j in range(0, x.shape[2] - k + 1, stride):
                    out[o, i, j] = (x[:, i:i + k, j:j + k] * weight[o]).sum() + bias[o]
        return out

    checks._wrong_tries.clear()
    assert not checks.check("03.1", by_input_position)
    out = said(capsys)
    assert "IndexError" in out and "you index the output by the input position" in out and "rounds up" not in out


def test_03_1_refuses_numpy_sliding_window_view_and_gives_numpy_back(capsys):
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    def by_numpy(x, w, b, stride=1, padding=0):
        k = w.shape[-1]
        padded = np.pad(x.numpy(), ((0, 0), (padding, padding), (padding, padding)))
        windows = sliding_window_view(padded, (k, k), axis=(1, 2))[:, ::stride, ::stride]
        return torch.from_numpy(np.einsum("chwuv,ocuv->ohw", windows, w.numpy())) + b[:, None, None]

    checks._wrong_tries.clear()
    assert torch.allclose(by_numpy(torch.ones(3, 5, 5), torch.ones(2, 3, 3, 3), torch.zeros(2)), torch.full((2, 3, 3), 27.0))
    assert not checks.check("03.1", by_numpy)
    assert "NumPy's as in sliding_window_view" in said(capsys)
    assert sliding_window_view(np.arange(4), 2).shape == (3, 2)  # NumPy works again after the check


def test_03_1_refuses_numpy_as_strided_imported_before_the_check_runs(capsys):
    """`from numpy.lib.stride_tricks import as_strided` at the top of the cell keeps NumPy's own
    function, which the check's swap of the module's name cannot reach: found by identity, directly,
    through a helper of the same notebook, or as a default argument."""
    import numpy as np
    namespace = {"np": np, "torch": torch}
    exec(
        "from numpy.lib.stride_tricks import as_strided\n"
        "def windows(a, k, stride):\n"
        "    c, h, w = a.shape\n"
        "    s = a.strides\n"
        "    shape = (c, (h - k) // stride + 1, (w - k) // stride + 1, k, k)\n"
        "    return as_strided(a, shape, (s[0], s[1] * stride, s[2] * stride, s[1], s[2]))\n"
        "def by_as_strided(x, w, b, stride=1, padding=0):\n"
        "    padded = np.pad(x.numpy(), ((0, 0), (padding, padding), (padding, padding)))\n"
        "    views = windows(padded, w.shape[-1], stride)\n"
        "    return torch.from_numpy(np.einsum('chwuv,ocuv->ohw', views, w.numpy()).copy()) + b[:, None, None]\n"
        "def direct(x, w, b, stride=1, padding=0):\n"
        "    as_strided\n"
        "    return by_as_strided(x, w, b, stride, padding)\n"
        "def by_default(x, w, b, stride=1, padding=0, cut=as_strided):\n"
        "    return by_as_strided(x, w, b, stride, padding)\n",
        namespace)
    x, w, b = torch.randn(3, 7, 6), torch.randn(4, 3, 3, 3), torch.randn(4)
    torch.testing.assert_close(namespace["by_as_strided"](x, w, b, 2, 1),
                               torch.nn.functional.conv2d(x[None], w, b, stride=2, padding=1)[0], check_dtype=False)
    for name in ("by_as_strided", "direct", "by_default"):
        checks._wrong_tries.clear()
        assert not checks.check("03.1", namespace[name])
        assert "NumPy's as in sliding_window_view" in said(capsys)
    from checks import lesson03
    assert not lesson03._holds_numpy_as_strided(_loop_conv2d)  # a loop answer holds no as_strided
    assert np.lib.stride_tricks.as_strided(np.arange(4), (2,), (8,)).tolist() == [0, 1]  # NumPy's untouched


def _s4_after_shifts(last_ink_column):
    """C1 to S4 of a seeded LeNet-like stack, and an image whose ink ends at ``last_ink_column``."""
    nn = torch.nn
    g = torch.Generator().manual_seed(0)
    image = torch.zeros(1, 1, 28, 28)
    image[0, 0, 6:20, 5:last_ink_column + 1] = 0.1 + torch.rand(14, last_ink_column - 4, generator=g)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        layers = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                               nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
    return dict(layers=layers, image=image, shifts=range(1, 9))


def test_03_6_measures_which_shifts_move_s4_by_whole_columns():
    # ink up to column 17: an 8-pixel shift pushes none out, so 4 and 8 both move S4 whole
    assert checks.expected_value("03.6", **_s4_after_shifts(17)) == {4: 1, 8: 2}
    # ink up to column 21, as section 9's digit: the 8-pixel shift pushes ink out, and S4 no longer matches
    assert checks.expected_value("03.6", **_s4_after_shifts(21)) == {4: 1}


@pytest.mark.parametrize("answer, named", [
    ({4: 1, 8: 2}, "pushes ink out of the frame"), ({2: 1, 4: 2, 6: 3, 8: 4}, "That is S2's rule"),
    ({s: s for s in range(1, 9)}, "That is how C1 moves"), ({4: 4}, "Count the move in S4 columns"),
    ({4: 4, 8: 8}, "Count the move in S4 columns"), ({}, "Some shifts do move"), ([4], "Give a dict"),
    ({4: 2}, "Right shifts, but count the columns again"), ({"4": 1}, "not as strings"),
    ({4: 1, 2: 0}, "not a multiple of S4's jump"), ({8: 2}, "A shift is missing"),
    ({4: 1, 0: 0}, "the shifts 1 to 8 only"), ({4: 1, 12: 3}, "the shifts 1 to 8 only")])
def test_03_6_a_shift_through_two_pools_measured_and_each_slip_named(capsys, answer, named):
    objects = _s4_after_shifts(21)
    checks._wrong_tries.clear()
    assert checks.check("03.6", {4: 1}, **objects) and checks.check("03.6", {4: 1.0}, **objects)
    said(capsys)
    assert not checks.check("03.6", answer, **objects)
    assert named in said(capsys)


def test_03_6_without_the_border_the_jump_rule_is_right(capsys):
    objects = _s4_after_shifts(17)
    checks._wrong_tries.clear()
    assert checks.check("03.6", {4: 1, 8: 2}, **objects)
    assert not checks.check("03.6", {4: 1}, **objects)


def test_03_4_only_down1_padded_and_fc_made_to_fit_is_told_down2_needs_it(capsys):
    nn = torch.nn
    fitted = _downsampler(padding=1)
    original = fitted.__init__

    def init(self):
        original(self)
        self.down2 = nn.Conv2d(8, 8, kernel_size=3, stride=2)  # 14 -> 6
        self.fc = nn.Linear(8 * 6 * 6, 10)  # 288: the model runs
    fitted.__init__ = init
    checks._wrong_tries.clear()
    assert not checks.check("03.4", fitted)
    out = said(capsys)
    assert "down1 halves, 28 → 14, but down2's maps are not 7x7" in out and "not 14x14" not in out


def test_06_1_an_update_outside_no_grad_is_told_to_use_no_grad(capsys):
    checks._wrong_tries.clear()

    def momentum_step(params, buffers, lr, mu):
        for k, p in enumerate(params):
            buffers[k] = p.grad.clone() if buffers[k] is None else mu * buffers[k] + p.grad
            p -= lr * buffers[k]  # autograd refuses: a leaf that requires grad, changed in place

    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    assert "torch.no_grad()" in capsys.readouterr().out


def test_06_1_a_refusal_gets_its_own_hint_and_is_not_a_wrong_try(capsys):
    from checks.lesson06 import EXERCISES
    hints = EXERCISES["06.1"].hints
    checks._wrong_tries.clear()

    def momentum_step(params, buffers, lr, mu):
        for k, p in enumerate(params):
            buffers[k] = p.grad.clone() if buffers[k] is None else mu * buffers[k] + p.grad
            p -= lr * buffers[k]  # outside torch.no_grad(): refused

    for _ in range(2):
        assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
        out = capsys.readouterr().out
        assert "torch.no_grad()" in out and hints[0] not in out and hints[1] not in out
    assert checks._wrong_tries.get("06.1", 0) == 0  # refusals are not wrong tries


def test_06_1_a_step_up_the_gradient_is_a_named_mistake(capsys):
    checks._wrong_tries.clear()

    @torch.no_grad()
    def momentum_step(params, buffers, lr, mu):
        for k, p in enumerate(params):
            buffers[k] = p.grad.clone() if buffers[k] is None else mu * buffers[k] + p.grad
            p += lr * buffers[k]  # the sign mistake

    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    assert "stepped up the gradient" in capsys.readouterr().out


def test_06_3_an_optimizer_made_outside_train_is_told_so(capsys):
    import torch.nn.functional as F
    other = torch.nn.Linear(5, 3)
    outside = torch.optim.SGD(other.parameters(), lr=0.5, momentum=0.9)  # over another model

    def train(net, x, y, steps, lr):
        losses = []
        for _ in range(steps):
            outside.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            outside.step()
            losses.append(loss.item())
        return losses
    checks._wrong_tries.clear()
    assert checks.check("06.3", train) is False
    out = capsys.readouterr().out
    assert "made outside train" in out and "zero_grad() goes before" not in out
    assert checks._wrong_tries.get("06.3", 0) == 0


def _06_4_epoch(order: str = "randperm(len(x), generator=g)", data: str = "x[batch], y[batch]", clear: bool = True):
    import torch.nn.functional as F

    def train_epoch(net, x, y, lr, g):
        losses = []
        for batch in eval(f"torch.{order}").split(16):
            if clear:
                net.zero_grad()
            loss = F.cross_entropy(*eval(f"(net({data.split(', ')[0]}), {data.split(', ')[1]})"))
            loss.backward()
            with torch.no_grad():
                for p in net.parameters():
                    p -= lr * p.grad
            losses.append(loss.item())
        return losses
    return train_epoch


def test_06_4_one_epoch_in_g_order_passes_and_each_mistake_is_named(capsys):
    checks._wrong_tries.clear()
    assert checks.check("06.4", _06_4_epoch()) is True
    cases = {"index order": _06_4_epoch(order="arange(len(x))"),
             "pile up": _06_4_epoch(clear=False),
             "used all the points": _06_4_epoch(data="x, y")}
    for named, train_epoch in cases.items():
        said(capsys)
        assert checks.check("06.4", train_epoch) is False
        assert named in said(capsys)


def test_06_4_a_summed_loss_is_named(capsys):
    import torch.nn.functional as F

    def train_epoch(net, x, y, lr, g):
        losses = []
        for batch in torch.randperm(len(x), generator=g).split(16):
            net.zero_grad()
            loss = F.cross_entropy(net(x[batch]), y[batch], reduction="sum")
            loss.backward()
            with torch.no_grad():
                for p in net.parameters():
                    p -= lr * p.grad
            losses.append(loss.item())
        return losses
    checks._wrong_tries.clear()
    said(capsys)
    assert checks.check("06.4", train_epoch) is False
    assert "16 times its mean" in said(capsys)


def test_06_4_a_shuffle_without_g_is_refused_and_is_not_a_wrong_try(capsys):
    checks._wrong_tries.clear()
    assert checks.check("06.4", _06_4_epoch(order="randperm(len(x))")) is False
    assert "generator=g" in said(capsys)
    assert checks._wrong_tries.get("06.4", 0) == 0


@pytest.mark.parametrize("route", ["alias", "getattr"])
def test_06_1_torch_optim_through_an_alias_or_getattr_is_refused(capsys, route):
    make = torch.optim.SGD
    kept = {}

    def momentum_step(params, buffers, lr, mu):
        if id(params[0]) not in kept:
            optimizer_class = make if route == "alias" else getattr(getattr(torch, "op" + "tim"), "S" + "GD")
            kept[id(params[0])] = optimizer_class(params, lr=lr, momentum=mu)
        kept[id(params[0])].step()

    checks._wrong_tries.clear()
    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    assert "your function calls torch.optim" in said(capsys)
    assert checks._wrong_tries.get("06.1", 0) == 0
    assert sys.modules["torch.optim.sgd"]._single_tensor_sgd.__name__ == "_single_tensor_sgd"  # restored after the check


def test_06_1_the_functional_sgd_is_refused(capsys):
    @torch.no_grad()
    def momentum_step(params, buffers, lr, mu):
        if buffers[0] is None:
            buffers[:] = [torch.zeros_like(p) for p in params]
            first = True
        else:
            first = False
        grads = [p.grad for p in params]
        state = [None if first else b for b in buffers]
        sys.modules["torch.optim." + "sgd"].sgd(params, grads, state, weight_decay=0.0, momentum=mu, lr=lr,
                                             dampening=0.0, nesterov=False, maximize=False)
        buffers[:] = state

    checks._wrong_tries.clear()
    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    assert "your function calls torch.optim" in said(capsys)


def test_06_4_right_weights_with_wrong_losses_are_refused(capsys):
    right = _06_4_epoch()

    def train_epoch(net, x, y, lr, g):
        right(net, x, y, lr, g)
        return [0.0]

    checks._wrong_tries.clear()
    assert checks.check("06.4", train_epoch) is False
    out = said(capsys)
    assert "weights are right, but the 1 losses" in out and "4 batch losses" in out


def test_06_4_batches_of_the_wrong_size_are_a_named_mistake_and_the_hints_do_not_dictate(capsys):
    from checks.lesson06 import EXERCISES
    import inspect
    namespace = {}  # the same loop, in batches of 8
    source = inspect.getsource(_06_4_epoch).replace(".split(16)", ".split(8)").replace("def _06_4_epoch", "def _by_8")
    exec(source, globals(), namespace)
    checks._wrong_tries.clear()
    for _ in range(2):
        assert checks.check("06.4", namespace["_by_8"]()) is False
        assert "not 16 points each" in said(capsys)
    assert all("for batch in" not in hint and "split(16)" not in hint for hint in EXERCISES["06.4"].hints)


def test_06_1_buffers_kept_outside_the_list_are_refused(capsys):
    kept = {}

    @torch.no_grad()
    def momentum_step(params, buffers, lr, mu):
        for k, p in enumerate(params):
            kept[k] = p.grad.clone() if buffers[0] is None and k not in kept else mu * kept[k] + p.grad
            p -= lr * kept[k]

    checks._wrong_tries.clear()
    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    assert "still holds None" in said(capsys)
    assert checks._wrong_tries.get("06.1", 0) == 0


def test_06_4_the_second_hint_points_to_section_5_not_to_going_deeper():
    from checks.lesson06 import EXERCISES
    hint = EXERCISES["06.4"].hints[1]
    assert "section 5" in hint and "Going deeper" not in hint and "mean loss" in hint


def test_06_1_a_nesterov_step_is_a_named_mistake(capsys):
    checks._wrong_tries.clear()

    @torch.no_grad()
    def momentum_step(params, buffers, lr, mu):
        for k, p in enumerate(params):
            buffers[k] = p.grad.clone() if buffers[k] is None else mu * buffers[k] + p.grad
            p -= lr * (p.grad + mu * buffers[k])  # a look-ahead step: Nesterov's, not PyTorch's default

    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    assert "Nesterov" in capsys.readouterr().out


def test_06_3_hint_1_nudges_and_hint_2_names_where_the_buffer_lives(capsys):
    import importlib
    hints = importlib.import_module("checks.lesson06").EXERCISES["06.3"].hints
    assert "once" not in hints[0] and "optimizer.state" in hints[1] and "plain SGD" in hints[1]


def test_06_1_a_wrong_function_is_told_its_weights_differ_not_that_a_shape_is_right(capsys):
    checks._wrong_tries.clear()

    @torch.no_grad()
    def momentum_step(params, buffers, lr, mu):
        for k, p in enumerate(params):
            buffers[k] = p.grad.clone() if buffers[k] is None else mu * buffers[k] + p.grad
            p -= 2 * lr * buffers[k]  # twice the step

    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    out = capsys.readouterr().out
    assert "Your function runs, but the weights it produces differ" in out and "shape" not in out


def test_06_1_an_aliased_buffer_is_refused_naming_the_in_place_zero_grad(capsys):
    checks._wrong_tries.clear()

    @torch.no_grad()
    def momentum_step(params, buffers, lr, mu):
        for k, p in enumerate(params):
            if buffers[k] is None:
                buffers[k] = p.grad  # no copy
            else:
                buffers[k].mul_(mu).add_(p.grad)
            p -= lr * buffers[k]

    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    out = capsys.readouterr().out
    assert "p.grad itself" in out and "set_to_none=False" in out  # the default zero_grad() leaves it intact


def test_06_2_a_number_written_as_a_string_counts_as_that_number(capsys):
    X = torch.tensor([[1.0, 0.5], [0.2, 2.0], [1.5, -1.0]], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0, 2.0], dtype=torch.float64)
    checks._wrong_tries.clear()
    assert checks.check("06.2", "4", X=X, X2=2 * X, y=y) is True
    assert checks.check("06.2", "2", X=X, X2=2 * X, y=y) is False
    assert "holds x twice" in capsys.readouterr().out  # judged as the number: its named mistake
    assert checks.check("06.2", "a fifth", X=X, X2=2 * X, y=y) is False
    assert "The answer is a number" in capsys.readouterr().out


def test_06_2_a_factor_that_gives_a_diverging_rate_fails(capsys):
    from checks.lesson06 import _critical_lr
    import explorers
    X, y = explorers.bowl_problem()
    old, new = _critical_lr(X, y), _critical_lr(2 * X, y)
    checks._wrong_tries.clear()
    for right in (4, 4.0, torch.tensor(4.0), old / new):
        assert checks.check("06.2", right, X=X, X2=2 * X, y=y) is True
    # 0.07 diverges on 2X (1 - 0.07 * 4 * λ_max < -1): its factor, old / 0.07 = 3.6, must fail, as must 3.9
    assert abs(1 - 0.07 * 2 / new) > 1  # the rate 0.07 is above the new limit
    for diverging in (old / 0.07, 3.9):
        assert checks.check("06.2", diverging, X=X, X2=2 * X, y=y) is False
    assert checks.check("06.2", new, X=X, X2=2 * X, y=y) is False
    assert "the new rate itself" in capsys.readouterr().out


def test_06_2_one_doubled_feature_leaves_the_limit_and_its_curvature_growth_is_named(capsys):
    import explorers
    X, y = explorers.bowl_problem()
    X2 = X * torch.tensor([1.0, 2.0])
    checks._wrong_tries.clear()
    for right in (1, 1.0, "1", torch.tensor(1.0), 1.002):  # the diagonal's 1; the Hessian's 1.002
        assert checks.check("06.2", right, X=X, X2=X2, y=y) is True
    for growth in (4, 0.25):
        assert checks.check("06.2", growth, X=X, X2=X2, y=y) is False
        assert "the largest curvature alone" in capsys.readouterr().out
    assert checks.check("06.2", 2, X=X, X2=X2, y=y) is False
    assert "holds x twice" in capsys.readouterr().out
    for wrong in (16, 1.05):
        assert checks.check("06.2", wrong, X=X, X2=X2, y=y) is False


def test_06_3_a_refusal_gets_its_own_hint_and_is_not_a_wrong_try(capsys):
    import torch.nn.functional as F
    from checks.lesson06 import EXERCISES
    hints = EXERCISES["06.3"].hints

    def tensors(net, x, y, steps, lr):
        optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
        losses = []
        for _ in range(steps):
            optimizer.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss)
        return losses
    checks._wrong_tries.clear()
    for _ in range(2):
        assert checks.check("06.3", tensors) is False
        out = capsys.readouterr().out
        assert "list of tensors" in out and "losses.append(loss.item())" in out
        assert hints[0] not in out and hints[1] not in out
    assert checks._wrong_tries.get("06.3", 0) == 0  # refusals are not wrong tries
    wrong = _06_3_train(fresh_each_step=False, clear=True, order="lr=2 * lr, momentum=0.9")
    assert checks.check("06.3", wrong) is False
    assert hints[0] in capsys.readouterr().out  # the first wrong loop still gets the first hint


def test_06_3_momentum_zero_is_told_it_has_no_momentum_not_to_move_the_optimizer(capsys):
    checks._wrong_tries.clear()
    for fresh in (False, True):
        assert checks.check("06.3", _06_3_train(fresh_each_step=fresh, clear=True, order="lr=lr, momentum=0.0")) is False
        out = capsys.readouterr().out
        assert "momentum 0" in out and "before the loop" not in out
    assert torch.optim.SGD.__name__ == "SGD"  # the recording class is gone after the check
    assert checks.check("06.3", _06_3_train(fresh_each_step=False, clear=False, order="lr=lr")) is False
    assert "momentum 0" in capsys.readouterr().out  # torch's default momentum is 0 too


def test_06_3_another_optimizer_is_told_so_not_to_make_one_optimizer(capsys):
    checks._wrong_tries.clear()
    for order in ("lr=lr, momentum=0.9, nesterov=True", "lr=lr, momentum=0.9, dampening=0.9"):
        assert checks.check("06.3", _06_3_train(fresh_each_step=False, clear=True, order=order)) is False
        out = capsys.readouterr().out
        assert "no longer steps with the given optimizer" in out and "make one optimizer" not in out.lower()
    import torch.nn.functional as F

    def adam(net, x, y, steps, lr):
        optimizer = torch.optim.Adam(net.parameters(), lr=lr)
        losses = []
        for _ in range(steps):
            optimizer.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses
    assert checks.check("06.3", adam) is False
    assert "no longer steps with the given optimizer" in capsys.readouterr().out
    assert checks._wrong_tries.get("06.3", 0) == 0


def test_06_3_a_right_hand_written_momentum_is_refused_without_saying_its_update_differs(capsys):
    import torch.nn.functional as F
    from checks.lesson06 import _problem, _reference_training, _STEPS, _weights

    def by_hand(net, x, y, steps, lr):  # SGD(momentum=0.9)'s update, written out: the same weights
        buffers, losses = [None] * len(list(net.parameters())), []
        for _ in range(steps):
            net.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            with torch.no_grad():
                for k, p in enumerate(net.parameters()):
                    buffers[k] = p.grad.clone() if buffers[k] is None else 0.9 * buffers[k] + p.grad
                    p -= lr * buffers[k]
            losses.append(loss.item())
        return losses
    model, x, y = _problem()
    by_hand(model, x, y, _STEPS, 0.5)
    assert torch.allclose(_weights(model), _reference_training(), rtol=1e-4, atol=1e-6)  # the update is right
    checks._wrong_tries.clear()
    assert checks.check("06.3", by_hand) is False
    out = said(capsys)
    assert "one change to the given loop" in out and "differs" not in out
    assert checks._wrong_tries.get("06.3", 0) == 0


def test_06_4_a_dataloader_and_a_list_of_tensors_are_named(capsys):
    import torch.nn.functional as F

    def loader(net, x, y, lr, g):
        optimizer, losses = torch.optim.SGD(net.parameters(), lr=lr), []
        for xb, yb in torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16,
                                                  shuffle=True, generator=g):
            optimizer.zero_grad()
            loss = F.cross_entropy(net(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses

    def tensors(net, x, y, lr, g):
        optimizer, losses = torch.optim.SGD(net.parameters(), lr=lr), []
        for batch in torch.randperm(len(x), generator=g).split(16):
            optimizer.zero_grad()
            loss = F.cross_entropy(net(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
            losses.append(loss)
        return losses
    checks._wrong_tries.clear()
    assert checks.check("06.4", loader) is False
    assert "DataLoader" in said(capsys)
    assert checks.check("06.4", tensors) is False
    assert "list of tensors" in said(capsys)


def test_06_3_a_wrong_train_is_told_its_weights_differ(capsys):
    checks._wrong_tries.clear()
    train = _06_3_train(fresh_each_step=False, clear=True, order="lr=2 * lr, momentum=0.9")
    assert checks.check("06.3", train) is False
    out = capsys.readouterr().out
    assert "Your train runs, but the weights it produces differ" in out and "shape" not in out


def test_06_3_zero_grad_between_backward_and_step_is_named_and_tensor_losses_are_told(capsys):
    import torch.nn.functional as F
    checks._wrong_tries.clear()

    def train(net, x, y, steps, lr):
        optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
        losses = []
        for _ in range(steps):
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()
            losses.append(loss.item())
        return losses
    for _ in range(2):
        assert checks.check("06.3", train) is False
        out = capsys.readouterr().out
        assert "zeroed gradients" in out and "zero_grad() goes before" in out and "Make one optimizer" not in out

    def tensors(net, x, y, steps, lr):
        optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
        losses = []
        for _ in range(steps):
            optimizer.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss)
        return losses
    assert checks.check("06.3", tensors) is False
    out = capsys.readouterr().out
    assert "list of tensors" in out and "loss.item()" in out


def _06_3_train(fresh_each_step: bool, clear: bool, order: str = "lr=lr, momentum=0.9"):
    import torch.nn.functional as F

    def train(net, x, y, steps, lr):
        optimizer = eval(f"torch.optim.SGD(net.parameters(), {order})")
        losses = []
        for _ in range(steps):
            if fresh_each_step:
                optimizer = eval(f"torch.optim.SGD(net.parameters(), {order})")
            if clear:
                optimizer.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses
    return train


def test_06_3_a_right_fix_with_sgd_imported_by_name_passes(capsys):
    """`from torch.optim import SGD` names the same class: the check records it as SGD, not as a
    replaced optimizer, and SGD is left as it was afterwards."""
    import torch.nn.functional as F
    from torch.optim import SGD
    init = SGD.__dict__["__init__"]

    def train(net, x, y, steps, lr):
        optimizer = SGD(net.parameters(), lr=lr, momentum=0.9)
        losses = []
        for _ in range(steps):
            optimizer.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses
    checks._wrong_tries.clear()
    assert checks.check("06.3", train) is True, said(capsys)
    assert SGD.__dict__["__init__"] is init


def test_06_3_the_given_loop_is_unanswered_a_changed_loop_that_still_resets_is_named(capsys):
    import torch.nn.functional as F
    from checks.lesson06 import _GIVEN
    checks._wrong_tries.clear()
    namespace = {"torch": torch, "F": F}
    exec(_GIVEN, namespace)
    assert checks.check("06.3", namespace["train"]) is False
    assert "not answered yet" in capsys.readouterr().out
    assert checks.check("06.3", _06_3_train(fresh_each_step=True, clear=True, order="momentum=0.9, lr=lr")) is False
    out = capsys.readouterr().out
    assert "not answered yet" not in out and "still plain SGD" in out and "How many optimizers" in out
    assert "before the loop" not in out  # the hint points; it does not hand over the fix


def test_06_3_dropping_zero_grad_is_named_and_one_optimizer_passes(capsys):
    checks._wrong_tries.clear()
    for fresh in (True, False):
        assert checks.check("06.3", _06_3_train(fresh_each_step=fresh, clear=False)) is False
        assert "pile up" in capsys.readouterr().out
    assert checks.check("06.3", _06_3_train(fresh_each_step=False, clear=True)) is True


def test_06_3_a_train_that_returns_no_list_of_losses_is_refused(capsys):
    checks._wrong_tries.clear()
    right = _06_3_train(fresh_each_step=False, clear=True)

    def no_return(net, x, y, steps, lr):
        right(net, x, y, steps, lr)  # the right steps, but nothing returned

    def too_short(net, x, y, steps, lr):
        return right(net, x, y, steps, lr)[:-1]

    def tensors(net, x, y, steps, lr):
        return [torch.tensor(v) for v in right(net, x, y, steps, lr)]

    for train in (no_return, too_short, tensors):
        assert checks.check("06.3", train) is False
        assert "return losses" in capsys.readouterr().out


def test_06_1_an_average_from_zero_is_told_it_averaged(capsys):
    checks._wrong_tries.clear()

    @torch.no_grad()
    def momentum_step(params, buffers, lr, mu):
        for k, p in enumerate(params):
            b = torch.zeros_like(p) if buffers[k] is None else buffers[k]
            buffers[k] = mu * b + (1 - mu) * p.grad  # Adam's average, from 0
            p -= lr * buffers[k]

    assert checks.check("06.1", momentum_step, lr=0.1, mu=0.9) is False
    assert "You averaged" in capsys.readouterr().out


class ConvBlock(torch.nn.Sequential):  # 08's ConvBlock, a global as in the notebook (08.4's forward reads it)
    def __init__(self, c_in, c_out):
        nn = torch.nn
        super().__init__(nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))


def _two_block_cnn(fixed=False):
    nn = torch.nn

    class TwoBlockCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.block1 = ConvBlock(3, 16)
            self.fc = nn.Linear(32 * 8 * 8, 10)

        def forward(self, x):
            x = self.block1(x)
            x = ConvBlock(16, 32)(x)
            return self.fc(x.flatten(1))

    class Fixed(TwoBlockCNN):
        def __init__(self):
            super().__init__()
            self.block2 = ConvBlock(16, 32)

        def forward(self, x):
            return self.fc(self.block2(self.block1(x)).flatten(1))
    return (Fixed if fixed else TwoBlockCNN), ConvBlock


def test_08_2_running_statistics_pass_in_any_form_and_each_classic_slip_is_named(capsys):
    checks._wrong_tries.clear()
    torch.manual_seed(8)
    batch = torch.randn(4, 1, 4, 4)
    batch = 5 + 3 * (batch - batch.mean()) / batch.std()
    assert not checks.check("08.2", None, batch=batch)
    assert "not answered yet" in said(capsys)
    for answer in ((0.95, 2.52), torch.tensor([0.95, 2.52]), [torch.tensor(0.95), 2.52]):
        assert checks.check("08.2", answer, batch=batch)
    biased = 0.81 + 0.19 * batch.var(correction=0).item()
    for answer, words in ((0.95, "two numbers"), ((0.95, 2.52, 0), "two numbers"),
                          ((0.5, 1.8), "where the first call leaves"),
                          ((5, 9), "batch's own statistics"), ((5, 3), "batch's own statistics"),
                          ((1.0, 2.6), "keeps only 0.9"), ((1.0, 3.6), "keeps only 0.9"),
                          ((4.5, 8.2), "weight of the *new* batch"),
                          ((4.95, 8.92), "weight of the *new* batch"),
                          ((0.95, 1.71), "where running_var starts"), ((0.95, biased), "dividing by n - 1"),
                          ((0.95, 0.81 + 0.19 * 3), "not its standard deviation"),
                          ((0.95, 2.5), "to 0.001"), ((0.96, 2.52), "to 0.001")):
        assert not checks.check("08.2", answer, batch=batch)
        assert words in said(capsys)
    for answer in ((0.9, 2.5), (0.9, 2.52), (1.0, 2.52)):  # the mean one step of 0.05 off: not "close"
        assert not checks.check("08.2", answer, batch=batch)
        assert "to 0.001" not in said(capsys)


def test_08_2_a_swapped_pair_is_named(capsys):
    checks._wrong_tries.clear()
    torch.manual_seed(8)
    batch = torch.randn(4, 1, 4, 4)
    batch = 5 + 3 * (batch - batch.mean()) / batch.std()
    assert not checks.check("08.2", (2.52, 0.95), batch=batch)
    assert "wrong order" in said(capsys)


def test_08_3_asks_the_survivor_value_and_the_eval_factor_and_names_each_slip(capsys):
    checks._wrong_tries.clear()
    drop = torch.nn.Dropout(p=0.2)
    for unanswered in (None, (None, None), (1.25, None)):
        assert not checks.check("08.3", unanswered, drop=drop)
        assert "not answered yet" in said(capsys)
    for answer in ((1.25, 0.8), (torch.tensor(1 / 0.8), 1 - drop.p), (1 / 0.8, torch.tensor(0.8))):
        assert checks.check("08.3", answer, drop=drop)
    assert drop.training  # the check leaves the layer's mode as it was
    for answer, words in (((0.8, 1.25), "wrong order"), ((1.25, 1.25), "scales eval() up"),
                          ((1.25, 1), "ex3_eval_factor = 1"), ((0.8, 0.8), "fraction kept"),
                          ((5, 0.2), "probability of being dropped"), ((2, 0.5), "scale for p = 0.5"),
                          ((1, 1), "train() mode"), (1.25, "one number each"), ((1.25,), "one number each")):
        assert not checks.check("08.3", answer, drop=drop)
        assert words in said(capsys)


def test_08_4_the_class_as_given_is_unanswered_and_a_held_block_passes(capsys):
    checks._wrong_tries.clear()
    images = torch.zeros(2, 3, 32, 32)
    assert not checks.check("08.4", _two_block_cnn()[0], images=images)
    assert "not answered yet" in said(capsys)
    assert checks.check("08.4", _two_block_cnn(fixed=True)[0], images=images)


@pytest.mark.parametrize("how", ["detach", "no_grad", "frozen"])
def test_08_4_a_fix_that_leaves_a_block_untrained_is_named(capsys, how):
    """Registered and computing the same numbers is not enough: a block detached, run under
    no_grad(), or frozen would still never learn."""
    checks._wrong_tries.clear()
    images = torch.zeros(2, 3, 32, 32)
    Fixed = _two_block_cnn(fixed=True)[0]

    class Untrained(Fixed):
        def __init__(self):
            super().__init__()
            if how == "frozen":
                self.block2.requires_grad_(False)

        def forward(self, x):
            h = self.block1(x)
            if how == "detach":
                h = h.detach()
            if how == "no_grad":
                with torch.no_grad():
                    h = self.block1(x)
            return self.fc(self.block2(h).flatten(1))

    assert not checks.check("08.4", Untrained, images=images)
    assert "without a gradient" in said(capsys)


def test_08_4_a_fix_declaring_block2_before_block1_passes(capsys):
    checks._wrong_tries.clear()
    nn = torch.nn
    images = torch.zeros(2, 3, 32, 32)

    class Block2First(nn.Module):
        def __init__(self):
            super().__init__()
            self.block2 = ConvBlock(16, 32)
            self.block1 = ConvBlock(3, 16)
            self.fc = nn.Linear(32 * 8 * 8, 10)

        def forward(self, x):
            return self.fc(self.block2(self.block1(x)).flatten(1))

    assert checks.check("08.4", Block2First, images=images)
    assert "raised" not in said(capsys)


def test_08_4_a_plain_list_and_a_changed_forward_get_their_own_hints(capsys):
    checks._wrong_tries.clear()
    images = torch.zeros(2, 3, 32, 32)
    nn = torch.nn

    class InAList(nn.Module):  # the blocks in a plain Python list: parameters() misses them
        def __init__(self):
            super().__init__()
            self.blocks = [ConvBlock(3, 16), ConvBlock(16, 32)]
            self.fc = nn.Linear(32 * 8 * 8, 10)

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return self.fc(x.flatten(1))

    assert not checks.check("08.4", InAList, images=images)
    out = said(capsys)
    assert "plain Python list" in out and "nn.ModuleList" in out and "inside forward" not in out

    class ReluOnLogits(InAList):  # registered, but the forward adds a ReLU to the scores
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList(self.blocks)

        def forward(self, x):
            return super().forward(x).relu()

    assert not checks.check("08.4", ReluOnLogits, images=images)
    out = said(capsys)
    assert "block 1, block 2 and then fc compute" in out and "blocks the model holds" not in out


def test_08_4_a_block_still_built_in_forward_or_a_seed_in_forward_gets_a_hint(capsys):
    checks._wrong_tries.clear()
    images = torch.zeros(2, 3, 32, 32)
    given, ConvBlock = _two_block_cnn()

    class HeldButUnused(given):  # block2 registered, forward still builds a fresh one
        def __init__(self):
            super().__init__()
            self.block2 = ConvBlock(16, 32)

    assert not checks.check("08.4", HeldButUnused, images=images)
    out = said(capsys)
    assert "not answered yet" not in out and "new random weights" in out

    class SeededInForward(given):  # the same output every call, but block 2 is still not held
        def forward(self, x):
            torch.manual_seed(0)
            return super().forward(x)

    with torch.random.fork_rng(devices=[]):
        assert not checks.check("08.4", SeededInForward, images=images)
    out = said(capsys)
    assert "not answered yet" not in out and "parameters() holds 20,938 numbers; all its layers hold 25,578" in out


def test_08_4_a_module_dict_iterated_by_key_and_tensors_only_are_named(capsys):
    checks._wrong_tries.clear()
    images = torch.zeros(2, 3, 32, 32)
    given, ConvBlock = _two_block_cnn()

    class ByKey(given):
        def __init__(self):
            super().__init__()
            self.blocks = torch.nn.ModuleDict({"one": self.block1, "two": ConvBlock(16, 32)})
            del self.block1

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return self.fc(x.flatten(1))

    assert not checks.check("08.4", ByKey, images=images)
    out = said(capsys)
    assert "not answered yet" not in out and "yields its keys" in out

    class TensorsOnly(given):  # block 2 in a plain list; only its tensors are registered
        def __init__(self):
            super().__init__()
            self.spare = [ConvBlock(16, 32)]
            self.params = torch.nn.ParameterList(self.spare[0].parameters())

        def forward(self, x):
            return self.fc(self.spare[0](self.block1(x)).flatten(1))

    assert not checks.check("08.4", TensorsOnly, images=images)
    out = said(capsys)
    assert "not answered yet" not in out and "modules() does not list the two blocks" in out


def test_08_5_judges_the_widths_before_training_then_the_measured_drop(capsys):
    checks._wrong_tries.clear()
    trained = []
    accuracy = {(16, 32): 0.88, (4, 8): 0.835}

    def train(widths):  # stands in for ex5_train: records the widths, returns an accuracy
        trained.append(tuple(widths))
        return accuracy[tuple(widths)]

    for widths in ((1, 2), (8, 4), (2, 16), (8, 16)):  # wrong arithmetic: no training at all
        assert not checks.check("08.5", 0.05, widths=widths, train=train)
    assert trained == [] and "256" in said(capsys)
    assert not checks.check("08.5", 0.05, widths=(4.5, 9), train=train)
    assert "whole channel counts" in said(capsys) and trained == []
    assert not checks.check("08.5", -0.045, widths=(4, 8), train=train)
    assert "wrong sign" in said(capsys)
    assert not checks.check("08.5", 0.1, widths=(4, 8), train=train)  # not what was measured
    assert "not what ex5_train measures" in said(capsys)
    seeded = {((16, 32), 0): 0.88, ((4, 8), 0): 0.835, ((16, 32), 1): 0.906, ((4, 8), 1): 0.803}
    assert not checks.check("08.5", 0.1, widths=(4, 8), train=lambda w, seed=0: seeded[tuple(w), seed])
    assert "the drop with seed 1" in said(capsys)
    assert checks.check("08.5", 0.045, widths=[4, 8], train=train)
    assert checks.check("08.5", torch.tensor(0.05), widths=(4, 8), train=train)  # two decimals
    assert not checks.check("08.5", 0.2, widths=(4, 8), train=lambda w: {(16, 32): 0.9, (4, 8): 0.7}[tuple(w)])
    assert "outside what this experiment gives" in said(capsys)


def _hooked_run(zero, target=lambda model, name: model.get_submodule(name), remove=True):
    """An ablated_outputs whose hook is ``zero(output, channel)``, registered on ``target(model, name)``."""
    def ablated_outputs(model, x, layer_name, channel):
        handle = target(model, layer_name).register_forward_hook(lambda m, i, out: zero(out, channel))
        outputs = model(x)
        if remove:
            handle.remove()
        return outputs
    return ablated_outputs


def _zero_copy(out, channel, dim=1):
    out = out.clone()
    out.select(dim, channel).zero_()
    return out


def test_08_1_each_typical_slip_of_a_zeroing_hook_gets_its_own_hint(capsys):
    checks._wrong_tries.clear()

    def stub(model, x, layer_name, channel):
        raise NotImplementedError

    assert not checks.check("08.1", stub)
    assert "not answered yet" in said(capsys)
    assert checks.check("08.1", _hooked_run(_zero_copy))
    assert checks.check("08.1", _hooked_run(lambda out, c: out.index_fill(1, torch.tensor([c]), 0)))

    def in_place(out, channel):  # changes the tensor passed on itself: returning None is then fine
        out[:, channel] = 0

    assert checks.check("08.1", _hooked_run(in_place))
    said(capsys)

    def copy_not_returned(out, channel):
        _zero_copy(out, channel)

    assert not checks.check("08.1", _hooked_run(copy_not_returned))
    assert "only with what it *returns*" in said(capsys)
    assert not checks.check("08.1", _hooked_run(_zero_copy, remove=False))
    assert "still on the model" in said(capsys)
    assert not checks.check("08.1", _hooked_run(lambda out, c: _zero_copy(out, c, dim=0)))
    assert "one image of the batch" in said(capsys)
    assert not checks.check("08.1", _hooked_run(_zero_copy, target=lambda model, name: model))
    assert "final output" in said(capsys)

    def weights_zeroed(model, x, layer_name, channel):
        layer = model.get_submodule(layer_name)
        with torch.no_grad():
            layer.weight[channel] = 0
            layer.bias[channel] = 0
            return model(x)

    assert not checks.check("08.1", weights_zeroed)
    assert "changed the layer's weights" in said(capsys)

    def by_getattr(model, x, layer_name, channel):  # "block.0" is no attribute: a nested name
        return _hooked_run(_zero_copy, target=getattr)(model, x, layer_name, channel)

    assert not checks.check("08.1", by_getattr)
    assert "AttributeError" in said(capsys)
    assert not checks.check("08.1", lambda model, x, layer_name, channel: 0.5)
    assert "not a statistic" in said(capsys)
    assert not checks.check("08.1", lambda model, x, layer_name, channel: _hooked_run(_zero_copy)(
        model, x, layer_name, channel).abs().mean())  # a 0-d tensor
    assert "not a statistic" in said(capsys)

    def zeroed_copy(model, x, layer_name, channel):  # no hook: a deep copy with the filter zeroed
        twin = copy.deepcopy(model)
        with torch.no_grad():
            twin.get_submodule(layer_name).weight[channel] = 0
            twin.get_submodule(layer_name).bias[channel] = 0
        return twin(x)

    def zeroed_and_restored(model, x, layer_name, channel):  # no hook: zero, run, restore
        layer = model.get_submodule(layer_name)
        saved = layer.weight.detach().clone(), layer.bias.detach().clone()
        with torch.no_grad():
            layer.weight[channel], layer.bias[channel] = 0, 0
            outputs = model(x)
            layer.weight.copy_(saved[0])
            layer.bias.copy_(saved[1])
        return outputs

    for hook_free in (zeroed_copy, zeroed_and_restored):
        assert not checks.check("08.1", hook_free)
        assert "no forward hook sat on the layer" in said(capsys)

    def next_layer_pre_hook(model, x, layer_name, channel):  # a pre-hook (08's Going deeper) on the layer after block.0
        handle = model.get_submodule("block.1").register_forward_pre_hook(
            lambda m, inputs: (_zero_copy(inputs[0], channel),))
        try:
            return model(x)
        finally:
            handle.remove()

    assert not checks.check("08.1", next_layer_pre_hook)
    assert "a pre-hook on the next layer" in said(capsys)
    # a hook that ignores `channel` (zeroes channel 2, the check's first channel, whatever it is asked)
    assert not checks.check("08.1", _hooked_run(lambda out, c: _zero_copy(out, 2)))
    assert "the same channel whatever `channel` is" in said(capsys)


def test_08_4_an_undefined_name_says_run_the_cell_that_defines_it(capsys):
    """After a restart, the untouched exercise cell meets no ConvBlock: a NameError named as such,
    not "your code raised" with an unrelated hint."""
    checks._wrong_tries.clear()
    images = torch.randn(2, 3, 32, 32)
    namespace = {"nn": torch.nn}  # no ConvBlock: its cell was not run after the restart
    exec("class TwoBlockCNN(nn.Module):\n"
         "    def __init__(self):\n"
         "        super().__init__()\n"
         "        self.block1 = ConvBlock(3, 16)\n"
         "        self.fc = nn.Linear(32 * 8 * 8, 10)\n"
         "    def forward(self, x):\n"
         "        x = self.block1(x)\n"
         "        x = ConvBlock(16, 32)(x)\n"
         "        return self.fc(x.flatten(1))\n", namespace)
    assert not checks.check("08.4", namespace["TwoBlockCNN"], images=images)
    out = said(capsys)
    assert "section 2's cell that defines ConvBlock" in out and "your code raised" not in out


def test_00_1_says_a_bool_is_not_a_number_and_names_each_wrong_division(capsys):
    from PIL import Image
    import numpy as np
    grid = np.zeros((28, 28), np.uint8)
    grid[7, 7] = 185
    image = Image.fromarray(grid)
    assert not checks.check("00.1", True, image=image)
    assert "expected a number" in capsys.readouterr().out
    assert not checks.check("00.1", 185, image=image)
    assert "as stored in the grid" in capsys.readouterr().out
    assert not checks.check("00.1", 185 / 256, image=image)
    assert "how many different values" in capsys.readouterr().out
    for by_256 in (0.7227, 0.723):  # 185 / 256 = 0.72266 to 4 and 3 decimals
        assert not checks.check("00.1", by_256, image=image)
        out = capsys.readouterr().out
        assert "how many different values" in out and "Right division" not in out, (by_256, out)
    assert not checks.check("00.1", 0.72, image=image)  # 185 / 256 rounded, and 185 / 255 cut short
    out = capsys.readouterr().out
    assert "Too few decimals" in out and "how many different values" not in out and "Right division" not in out
    assert checks.check("00.1", 0.7255, image=image)
    for short in (0.725, 0.73):  # the right division, to 3 or 2 decimals
        assert not checks.check("00.1", short, image=image)
        out = capsys.readouterr().out
        assert "Right division: give it to 4 decimals" in out and "185 / 255" in out, (short, out)
    for neighbour in (0.7254, 0.7256):  # one step of the 4th decimal either side of 0.7255: both pass
        assert checks.check("00.1", neighbour, image=image), neighbour
    for slip in (0.7253, 0.7257, 0.7281, 0.726):  # a digit off, or rounded up wrongly: not "Right division"  # 4 decimals, a digit off: no "not 4 decimals"
        assert not checks.check("00.1", slip, image=image)
        out = capsys.readouterr().out
        assert "Close, but not this value" in out and "not to 4 decimals" not in out, (slip, out)
    assert "185 / 255" not in out  # the hint for a near miss does not print the answer
    for by_254 in (185 / 254, 0.7283, 0.7284, 0.728):  # the crop's brightest pixel, to 4 or 3 decimals
        assert not checks.check("00.1", by_254, image=image)
        out = capsys.readouterr().out
        assert "You divided by 254" in out and "185 / 255" not in out, (by_254, out)
    assert not checks.check("00.1", 0.73, image=image)  # 185 / 254 to 2 decimals is 255's too
    assert "Right division" in capsys.readouterr().out
    assert not checks.check("00.1", 1 - 185 / 255, image=image)
    assert "no inversion" in capsys.readouterr().out
    grid[7, 7] = 51  # the expected value comes from the image: 51 / 255 = 0.2
    assert checks.check("00.1", 0.2, image=Image.fromarray(grid))
    assert not checks.check("00.1", 0.7255, image=Image.fromarray(grid))


def test_00_1_names_another_pixel_and_whole_number_division(capsys):
    """The right divisor on another pixel of the image (254 / 255), and 185 // 255 = 0: each named."""
    from PIL import Image
    import numpy as np
    grid = np.zeros((28, 28), np.uint8)
    grid[7, 7], grid[8, 7], grid[9, 7] = 185, 254, 255
    image = Image.fromarray(grid)
    assert not checks.check("00.1", 1.0, image=image)  # 255 / 255: its own hint, not "another pixel"
    assert "brightest white" in capsys.readouterr().out
    for other in (254 / 255, 0.9961):
        assert not checks.check("00.1", other, image=image)
        assert "another pixel" in capsys.readouterr().out, other
    assert not checks.check("00.1", 185 // 255, image=image)
    out = capsys.readouterr().out
    assert "whole-number division" in out and "another pixel" not in out
    assert not checks.check("00.1", 0.5, image=image)  # no pixel of 127.5: not "another pixel"
    assert "another pixel" not in capsys.readouterr().out
    assert checks.check("00.1", 185 / 255, image=image)


def test_00_1_second_hint_nudges_without_giving_the_division(capsys):
    """An unnamed wrong answer twice: the second hint is a smaller case to count, not 185 / 255."""
    from PIL import Image
    import numpy as np
    grid = np.zeros((28, 28), np.uint8)
    grid[7, 7] = 185
    image = Image.fromarray(grid)
    assert checks.check("00.1", 0.7255, image=image)  # a right answer resets the count of tries
    capsys.readouterr()
    assert not checks.check("00.1", 0.5, image=image)
    first = capsys.readouterr().out
    assert not checks.check("00.1", 0.99, image=image)
    second = capsys.readouterr().out
    assert "largest" in first and "Hint: " in second and second != first
    assert not any(s in second for s in ("255", "185", "/", "2**8 - 1")), second


def test_00_1_the_idea_is_shown_even_after_a_named_mistake(capsys):
    """A named mistake (185) counts as a wrong try, so the next unnamed one gets the second hint:
    that hint carries the idea too (a general hint, more direct from the second try)."""
    from PIL import Image
    import numpy as np
    grid = np.zeros((28, 28), np.uint8)
    grid[7, 7] = 185
    image = Image.fromarray(grid)
    assert checks.check("00.1", 0.7255, image=image)  # resets the count of tries
    capsys.readouterr()
    assert not checks.check("00.1", 185, image=image)
    assert "as stored in the grid" in capsys.readouterr().out
    assert not checks.check("00.1", 0.99, image=image)
    second = capsys.readouterr().out
    assert "divides by the largest value one pixel can hold" in second and "Count small first" in second


def test_00_2_runs_the_function_with_its_own_k_and_names_each_mistake(capsys):
    """first_batch is called with the check's two k on the dataset passed; the channel, the scale, the
    count, the dtype and a k ignored each get their own hint."""
    from PIL import Image
    import numpy as np
    from torchvision.transforms.functional import to_tensor
    rng = np.random.default_rng(0)
    dataset = [(Image.fromarray(rng.integers(0, 256, (28, 28), dtype=np.uint8)), i % 10) for i in range(16)]
    # the check starts 7 images later: #9 is its third, and its brightest pixel is 199, not 255
    dataset[9] = (Image.fromarray(rng.integers(0, 200, (28, 28), dtype=np.uint8)), 9)

    def right(d, k):
        return torch.stack([to_tensor(d[i][0]) for i in range(k)])

    assert checks.check("00.2", right, dataset=dataset)
    capsys.readouterr()
    wrong = {"lost their channel": lambda d, k: torch.cat([to_tensor(d[i][0]) for i in range(k)]),
             "0 to 255": lambda d, k: torch.stack([torch.tensor(np.asarray(d[i][0])) for i in range(k)]),
             "5 dimensions": lambda d, k: torch.stack([to_tensor(d[i][0]).unsqueeze(0) for i in range(k)]),
             "hold k images": lambda d, k: right(d, 3),
             "not float32": lambda d, k: right(d, k).double(),
             "not return a tensor": lambda d, k: [to_tensor(d[i][0]) for i in range(k)],
             "not the labels": lambda d, k: (right(d, k), torch.tensor([d[i][1] for i in range(k)])),
             "not the first k images": lambda d, k: right(d[1:], k),  # off by one
             "another factor": lambda d, k: right(d, k) * 255 / 256,
             "shifted or scaled": lambda d, k: (right(d, k) - 0.1307) / 0.3081,
             "whole numbers above 1": lambda d, k: right(d, k) * 255,
             "transposed": lambda d, k: right(d, k).transpose(2, 3),
             "inverted": lambda d, k: 1 - right(d, k),
             "its own brightest pixel": lambda d, k: right(d, k) / right(d, k).amax(dim=(1, 2, 3), keepdim=True),
             "not a fixed number": lambda d, k: right(d, 5)}  # ignores k: right only for the check's first k
    for words, attempt in wrong.items():
        assert not checks.check("00.2", attempt, dataset=dataset)
        assert words in capsys.readouterr().out, words
    # the exercise cell passes the global train_set: a function reading it, not its argument, fails
    assert not checks.check("00.2", lambda d, k: right(dataset, k), dataset=dataset)
    assert "not a variable from outside it" in capsys.readouterr().out
    assert not checks.check("00.2", lambda d, k: right(d, k).half(), dataset=dataset)  # float16 rounds
    assert "not float32" in capsys.readouterr().out


def test_00_3_which_expressions_raise_names_each_slip(capsys):
    """(a) W @ x.T + b.unsqueeze(1) works, (3, 5) + (3, 1), (b) x @ W.T + b works, (c) x @ W.T + b.unsqueeze(1)
    fails on broadcasting (5, 3) + (3, 1): the expected verdicts come from running them on the objects passed; each wrong
    verdict gets a hint naming its expression, without the answer; letters are named."""
    W, b, x = torch.ones(3, 4), torch.ones(3), torch.zeros(5, 4)
    assert checks.expected_value("00.3", x=x, W=W, b=b) == (False, False, True)
    assert checks.check("00.3", (False, False, True), x=x, W=W, b=b)
    assert checks.check("00.3", [0, 0, 1], x=x, W=W, b=b)
    capsys.readouterr()
    named = {(True, False, True): "(a), `W @ ex3_x.T + b.unsqueeze(1)`", (False, True, True): "(b), `ex3_x @ W.T + b`",
             (False, False, False): "(c), `ex3_x @ W.T + b.unsqueeze(1)`", (True, True, False): "(a), `W @ ex3_x.T + b.unsqueeze(1)`",
             ("a", "c"): "one True or False per expression", (None, None, None): "one True or False per expression"}
    for answer, words in named.items():
        assert not checks.check("00.3", answer, x=x, W=W, b=b)
        out = capsys.readouterr().out
        assert words in out and "(False, False, True)" not in out, (answer, out)
    assert not checks.check("00.3", (True, False), x=x, W=W, b=b)
    assert "Hint: " in capsys.readouterr().out
    # from the objects: a square x makes (c) broadcast fine
    assert checks.check("00.3", (False, False, False), x=torch.zeros(3, 4), W=W, b=b)


def test_00_2_calls_the_function_on_a_dataset_other_than_the_one_passed():
    """An MNIST-like dataset is copied without its first images, .data cut too: the .data route passes."""
    from PIL import Image

    class Digits:
        def __init__(self):
            self.data = torch.arange(16 * 28 * 28).reshape(16, 28, 28).remainder(256).to(torch.uint8)
            self.targets = torch.arange(16)

        def __len__(self):
            return len(self.data)

        def __getitem__(self, i):
            return Image.fromarray(self.data[i].numpy(), mode="L"), int(self.targets[i])

    dataset = Digits()
    before = dataset.data.clone()
    seen = []

    def by_data(d, k):
        seen.append(d)
        return d.data[:k].unsqueeze(1).float() / 255

    assert checks.check("00.2", by_data, dataset=dataset)
    assert seen[0] is not dataset and torch.equal(seen[0].data, dataset.data[7:])
    assert torch.equal(dataset.data, before) and len(dataset) == 16  # the passed dataset is unchanged


def test_00_2_names_slicing_the_dataset(capsys):
    """``dataset[:k]`` on torchvision's MNIST raises a ValueError about tensors: the check names the slice
    instead; int indexing, ``.data`` and the class name still work on the check's copy."""
    from torchvision.datasets import MNIST
    from torchvision.transforms.functional import to_tensor
    from PIL import Image

    dataset = MNIST.__new__(MNIST)  # no files: only what __getitem__ reads
    dataset.data = torch.arange(16 * 28 * 28).reshape(16, 28, 28).remainder(256).to(torch.uint8)
    dataset.targets = torch.arange(16) % 10
    dataset.transform = dataset.target_transform = None
    with pytest.raises(ValueError):
        dataset[:2]  # what a student meets without the check's copy
    assert isinstance(dataset[0][0], Image.Image)

    def sliced(d, k):
        return torch.stack([to_tensor(image) for image, _ in d[:k]])

    assert not checks.check("00.2", sliced, dataset=dataset)
    out = capsys.readouterr().out
    assert "`dataset[:k]` does not work" in out and "range(k)" in out, out
    seen = []

    def right(d, k):
        seen.append(type(d).__name__)
        return torch.stack([to_tensor(d[i][0]) for i in range(k)])

    assert checks.check("00.2", right, dataset=dataset)
    assert seen == ["MNIST", "MNIST"]


def test_00_section2_names_a_library_that_is_not_installed(monkeypatch):
    """Section 2's two cells, as the notebook has them, run when a library is missing: the report
    says "not installed", and the check stops with "missing: …" (setup_check.py does the work)."""
    import importlib.metadata
    import json
    from pathlib import Path
    import setup_check
    cells = json.loads((Path(__file__).parents[1] / "notebooks" / "00_start_here.ipynb").read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    report = next(s for s in code if "setup_check.report()" in s)
    verdict = next(s for s in code if "setup_check.check(" in s)
    real = setup_check.version

    def version(name):
        if name == "ipywidgets":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)
    monkeypatch.setattr(setup_check, "version", version)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    scope = {}
    exec(report, scope)
    assert scope["setup"]["ipywidgets"] == "not installed"
    with pytest.raises(RuntimeError, match="missing: ipywidgets"):
        exec(verdict, scope)


def test_00_1_refuses_an_answer_read_from_the_tensor_and_accepts_typed_forms(capsys):
    """The prompt says predict without running code: the tensor section 3 made, or its value read
    to every digit, gets ✗ with a hint; a typed number passes in any of its forms."""
    from PIL import Image
    import numpy as np
    from torchvision.transforms.functional import to_tensor
    grid = np.zeros((28, 28), np.uint8)
    grid[7, 7] = 185
    image = Image.fromarray(grid)
    x = to_tensor(image)
    for read in (x[0, 7, 7], torch.tensor(0.7255)):
        assert not checks.check("00.1", read, image=image)
        out = capsys.readouterr().out
        assert "You gave a tensor" in out and "Hint: " in out
    for read in (x[0, 7, 7].item(), float(x[0, 7, 7]), x.numpy()[0, 7, 7]):
        assert not checks.check("00.1", read, image=image)
        out = capsys.readouterr().out
        assert "read from the tensor" in out and "Hint: " in out
    for typed in (0.7255, 0.72549, 185 / 255, 1 - 70 / 255, np.float32(0.7255), grid[7, 7] / 255):
        assert checks.check("00.1", typed, image=image), typed


def test_01_review_b_hints(capsys):
    """01.1: a swapped pair and a Linear shape of the wrong length get their own hints; 01.3: a
    forward that runs no hidden layer says so in words; 01.4: plain tensors are told to use
    nn.Parameter, and the second hint gives torch.rand's range."""
    nn = torch.nn
    checks._wrong_tries.clear()
    shapes = dict(conv_args=dict(in_channels=3, out_channels=16, kernel_size=3),
                  linear_args=dict(in_features=256, out_features=32))
    assert not checks.check("01.1", ((32, 256), (16, 3, 3, 3)), **shapes)
    assert "in the wrong order" in said(capsys)
    for wrong in (((16, 3, 3, 3), (32,)), ((16, 3, 3, 3), (32, 256, 1))):
        assert not checks.check("01.1", wrong, **shapes)
        assert "A Linear weight has two dimensions" in said(capsys), wrong

    class Skips(nn.Module):
        def __init__(self, width, depth):
            super().__init__()
            self.first, self.last = nn.Linear(8, width), nn.Linear(width, 3)
            self.hidden = nn.ModuleList()

        def forward(self, t):
            return self.last(torch.relu(self.first(t)))

    checks._wrong_tries.clear()
    assert not checks.check("01.3", Skips)
    out = said(capsys)
    assert "runs no hidden layer" in out and "never" not in out, out

    class Plain(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.in_features, self.out_features = in_features, out_features
            b = in_features ** -0.5
            self.weight = (torch.rand(out_features, in_features) * 2 * b - b).requires_grad_()
            self.bias = (torch.rand(out_features) * 2 * b - b).requires_grad_()

        def forward(self, t):
            return t @ self.weight.T + self.bias

        def extra_repr(self):
            return f"in_features={self.in_features}, out_features={self.out_features}"

    checks._wrong_tries.clear()
    assert not checks.check("01.4", Plain)
    assert "nn.Parameter(…)" in said(capsys)
    assert "torch.rand(shape) draws" in checks.lesson01._STRONGER["range"]
