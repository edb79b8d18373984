"""The exercise-check engine (notebooks/checks/__init__.py): equivalent forms, hints, no answers shown."""
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
    assert "expected a number, got str. The answer is an int." in capsys.readouterr().out


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
    assert capsys.readouterr().out.splitlines()[-1].startswith("✗ exercise 99.5: not yet. the shape is right")


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
    assert out.startswith("✗ exercise 99.5: not yet. your code raised RuntimeError: ") and "Hint: multiply by two" in out
    assert "Traceback" not in out
    assert checks.check("99.5", lambda x: None) is False
    assert "your code returned None: does it end with `return`?" in capsys.readouterr().out


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
        assert "outside what this experiment gives (90 % give or take a seed's spread)" in out


# ---- the lessons' own checks: forbidden routes refused, other right forms accepted ------------

def said(capsys) -> str:
    return capsys.readouterr().out


def test_01_1_calling_the_layer_is_refused(capsys):
    checks._wrong_tries.clear()
    layer, x = torch.nn.Linear(5, 2), torch.randn(3, 5)
    assert checks.check("01.1", x @ layer.weight.T + layer.bias, layer=layer, x=x)
    for route in (layer(x), torch.nn.functional.linear(x, layer.weight, layer.bias), layer(x).detach()):
        assert not checks.check("01.1", route, layer=layer, x=x)
        assert "Hint:" in said(capsys)


def test_01_4_a_parameter_that_cannot_learn_and_a_buffer_get_their_own_hints(capsys):
    checks._wrong_tries.clear()

    class Frozen(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.full((3,), 2.0), requires_grad=False)

    class Buffered(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("scale", torch.full((3,), 2.0))

    frozen, buffered = Frozen(), Buffered()
    assert not checks.check("01.4", frozen.scale, model=frozen)
    assert "requires_grad=False" in said(capsys)
    assert not checks.check("01.4", buffered.scale, model=buffered)
    out = said(capsys)
    assert "register_buffer" in out and "not registered" not in out
    hints = " ".join(checks.lesson01.EXERCISES["01.4"].hints)
    assert "nn.Parameter(torch.full" not in hints  # a hint never hands over the line


def test_05_3_one_full_batch_backward_is_refused(capsys):
    import helpers
    checks._wrong_tries.clear()
    torch.manual_seed(0)
    net, images, target = helpers.LeNet(), torch.randn(4, 1, 28, 28), torch.randn(4, 10)

    def full_batch(net, images, target):
        torch.nn.MSELoss()(net(images), target).backward()

    def two_pieces(net, images, target):
        for half in (slice(0, 2), slice(2, 4)):
            (torch.nn.MSELoss()(net(images[half]), target[half]) / 2).backward()

    def one_backward_of_both(net, images, target):
        halves = [torch.nn.MSELoss()(net(images[h]), target[h]) for h in (slice(0, 2), slice(2, 4))]
        ((halves[0] + halves[1]) / 2).backward()

    assert not checks.check("05.3", full_batch, net=net, images=images, target=target)
    assert "saw 4 digits at once" in said(capsys)
    assert not checks.check("05.3", one_backward_of_both, net=net, images=images, target=target)
    assert "1 backward() call(s)" in said(capsys)
    assert checks.check("05.3", two_pieces, net=net, images=images, target=target)
    assert net.conv1.weight.grad is None  # the check worked on a copy


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


def test_07_3_a_percentage_is_told_to_be_a_fraction_and_07_4_step_entries_are_named(capsys):
    checks._wrong_tries.clear()
    confusion = torch.eye(10, dtype=torch.long) * 90 + 1
    assert not checks.check("07.3", 100 * (confusion[9, 9] / confusion[9].sum()).item(), confusion=confusion)
    assert "give a fraction between 0 and 1" in said(capsys)
    model = torch.nn.Linear(3, 2)
    optimizer = torch.optim.Adam(model.parameters())
    model(torch.ones(1, 3)).sum().backward()
    optimizer.step()
    checkpoint = {"optimizer": optimizer.state_dict()}
    everything = sum(v.numel() for s in checkpoint["optimizer"]["state"].values() for v in s.values())
    assert not checks.check("07.4", everything, checkpoint=checkpoint)
    assert "step entries" in said(capsys)
    assert checks.check("07.4", 2 * (3 * 2 + 2), checkpoint=checkpoint)


def test_hints_never_hand_over_the_solution_line():
    import checks.lesson05, checks.lesson07  # noqa: E401
    assert "divided by 2" not in " ".join(checks.lesson05.EXERCISES["05.3"].hints)
    assert "math.ceil" not in checks.lesson07.EXERCISES["07.1"].hints[-1]
    assert "predictions[y_test == 9]" not in " ".join(checks.lesson07.EXERCISES["07.3"].hints)
