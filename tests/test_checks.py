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
