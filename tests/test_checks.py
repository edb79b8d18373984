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
