"""Exercise checks for the LeNet Lab notebooks: ✓, ✗ with a hint, or "not answered yet".

An exercise cell ends with ``check("03.2", answer, **objects)``: the exercise id (notebook
number, then the exercise's number), the student's answer, and the objects the expected value
is computed from (the layer, the input, …), passed by keyword. The expected value and the hints
live here, in ``lessonNN.py``, never in the exercise cell, and the expected value is computed
from the objects the notebook passes, so it cannot drift from the notebook.

What a check prints does not depend on the CPU: "✓ exercise 06.2: right." whether the answer is
bit for bit equal or within the tolerance. Equivalent forms pass: a shape as a tuple, a list or
a ``torch.Size``; a number as an int, a float or a 0-d tensor; a tensor within tolerance.
A wrong answer gets the exercise's first hint, which points at the idea; a second wrong answer
the next, stronger hint; an answer that matches a known misconception gets the hint that names it.

The exercise cell, by kind (its metadata: ``"exercise": {"id": "03.2", "kind": "predict"}``):

- predict: one line ``ex2_size = None  # TODO: your prediction of …``, then
  ``check("03.2", ex2_size, conv=ex2_conv, x=ex2_x)``.
- write: the student fills in a function (or a module class) between ``# TODO: …`` and
  ``# END TODO``; the stub body is ``raise NotImplementedError``. The check receives the function
  itself, ``check("03.6", my_conv2d, x=x, weight=w)``, and the exercise's ``run`` calls it
  (``run=lambda f, x, weight: f(x, weight)``) on inputs it may choose itself, so an answer copied
  from an earlier output, or a call of the layer the prompt forbids, does not pass.
- debug: the broken snippet sits between ``# TODO: fix …`` and ``# END TODO`` (a function, a
  class or a training step); the check receives what it defines and runs it. ``unanswered``
  recognises the snippet as given (by what it does), so the untouched cell says "not answered yet".
- experiment: the student changes one setting between ``# TODO`` and ``# END TODO``, the cell
  trains briefly and reports a measured number; ``expected`` returns ``Range(low, high, meaning)``
  and the check accepts any number inside it.

Student code that raises gets ✗ with the exception's type and message and the hint, never a
traceback; ``NotImplementedError`` (the untouched stub) means "not answered yet".
Introduced in 00_start_here.
"""
from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import torch

__all__ = ["check", "Exercise", "Range", "Refused", "expected_value", "same"]


@dataclass
class Exercise:
    """One exercise: how to compute its expected value, how to compare, and its hints.

    ``expected`` receives the objects passed to ``check`` as keyword arguments and returns the
    expected value. ``hints`` go from a nudge to a stronger hint. ``mistakes`` pairs a test on
    ``(answer, expected, objects)`` with the hint naming that misconception. ``form`` says what
    kind of value to give (shown when the answer has the wrong type). ``same`` may replace the
    default comparison (``same(answer, expected, objects) -> bool``). ``run`` turns a function or
    module the student wrote into the value compared (``run(answer, **objects)``); ``unanswered``
    tells an answer that is still the exercise as given (a debug snippet untouched). ``mismatch``,
    if given, replaces the words "the shape is right, the values are not." for a tensor of the
    right shape with wrong values (say, the weights a student's function produced: the student
    gave a function, not a shape).
    """
    expected: Callable[..., Any]
    hints: tuple[str, ...]
    form: str = "a value"
    mistakes: tuple[tuple[Callable[[Any, Any, dict], bool], str], ...] = ()
    same: Callable[[Any, Any, dict], bool] | None = None
    rtol: float = 1e-5
    atol: float = 1e-6
    run: Callable[..., Any] | None = None
    unanswered: Callable[[Any, dict], bool] | None = None
    mismatch: str | None = None


class Refused(Exception):
    """Raised by an exercise's ``run`` when the student's code takes the route the prompt forbids
    (calls the layer it should replace, …); its message is shown with ✗."""


@dataclass(frozen=True)
class Range:
    """The values an experiment may measure: ``low`` to ``high``, and what that range means."""
    low: float
    high: float
    meaning: str = ""


_wrong_tries: dict[str, int] = {}
last_expected: dict[str, Any] = {}
"""The expected value of each exercise checked in this kernel (read by the tests)."""


def _exercise(exercise_id: str) -> Exercise:
    lesson = exercise_id.split(".")[0]
    try:
        module = importlib.import_module(f"checks.lesson{lesson}")
        return module.EXERCISES[exercise_id]
    except (ModuleNotFoundError, KeyError):
        raise KeyError(f"no exercise {exercise_id!r}: exercise ids look like '03.2' "
                       "(notebook 03, exercise 2), as in the exercise's own cell") from None


def expected_value(exercise_id: str, **objects) -> Any:
    """The expected answer of ``exercise_id`` computed from ``objects`` (for tests and instructors)."""
    return _exercise(exercise_id).expected(**objects)


def _as_number(value):
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.dim() == 0:
        return value.item()
    if hasattr(value, "item") and not isinstance(value, torch.Tensor) and getattr(value, "shape", None) == ():
        return value.item()  # a NumPy scalar
    return value


def _as_shape(value):
    if isinstance(value, (torch.Size, list)):
        return tuple(value)
    return value


_VALUES_DIFFER = "the shape is right, the values are not."


def same(answer, expected, rtol: float = 1e-5, atol: float = 1e-6) -> tuple[bool, str]:
    """Compare ``answer`` with ``expected``; returns (right?, what is wrong, in words).

    The words never show the expected value: they say what kind of value was expected.
    """
    if isinstance(expected, Range):
        answer = _as_number(answer)
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            return False, f"expected a number, got {type(answer).__name__}."
        ok = expected.low <= answer <= expected.high
        return ok, "" if ok else f"got {answer:.4g}, outside the range this check accepts ({expected.meaning})."
    if isinstance(expected, torch.Tensor) and expected.dim() > 0:
        if not isinstance(answer, torch.Tensor):
            try:
                answer = torch.as_tensor(answer)
            except (TypeError, ValueError, RuntimeError):
                return False, f"expected a tensor, got {type(answer).__name__}."
        if tuple(answer.shape) != tuple(expected.shape):
            return False, f"your tensor has shape {tuple(answer.shape)}, which is not the shape asked for."
        if answer.is_floating_point() or expected.is_floating_point():
            ok = torch.allclose(answer.double(), expected.double(), rtol=rtol, atol=atol)
        else:
            ok = torch.equal(answer, expected)
        return ok, "" if ok else _VALUES_DIFFER
    expected, answer = _as_number(expected), _as_number(answer)
    given = answer  # as the student wrote it, for the messages (a list stays a list)
    expected, answer = _as_shape(expected), _as_shape(answer)
    if isinstance(expected, bool) and isinstance(answer, int) and answer in (0, 1):
        answer = bool(answer)  # 1 and 0 are True and False written as numbers
    if isinstance(expected, bool) or isinstance(answer, bool):
        ok = isinstance(answer, bool) and answer == expected
        return ok, "" if ok else (f"expected True or False, got {type(answer).__name__}."
                                  if not isinstance(answer, bool) else f"got {answer}.")
    if isinstance(expected, (int, float)):
        if not isinstance(answer, (int, float)):
            return False, f"expected a number, got {type(answer).__name__}."
        if isinstance(expected, int) and isinstance(answer, int):
            ok = answer == expected
        else:
            ok = math.isclose(answer, expected, rel_tol=rtol, abs_tol=atol)
        return ok, "" if ok else f"got {answer:.6g}."
    if isinstance(expected, tuple):
        if not isinstance(answer, tuple):
            return False, f"expected a tuple, got {type(answer).__name__}."
        if len(answer) != len(expected):
            return False, f"got {len(answer)} value{'' if len(answer) == 1 else 's'}, expected {len(expected)}."
        for a, e in zip(answer, expected):
            ok, _ = same(a, e, rtol, atol)
            if not ok:
                return False, f"got {given!r}."
        return True, ""
    ok = answer == expected
    return bool(ok), "" if ok else f"got {answer!r}."


def check(exercise_id: str, answer, **objects) -> bool:
    """Tell the student whether ``answer`` answers exercise ``exercise_id``; returns True if right.

    ``None`` or ``...`` means "not answered yet"; so does a function whose body still raises
    NotImplementedError. ``objects`` are what the expected value is computed from (see the
    exercise's cell). Introduced in 00_start_here.
    """
    exercise = _exercise(exercise_id)
    name = f"exercise {exercise_id}"
    not_yet = f"… {name}: not answered yet — replace the TODO and run the cell again."
    if answer is None or answer is Ellipsis or (exercise.unanswered is not None
                                                and _safely(exercise.unanswered, answer, objects)):
        print(not_yet)
        return False
    if exercise.run is not None:
        try:
            with torch.random.fork_rng(devices=[]):
                answer = exercise.run(answer, **objects)
        except NotImplementedError:
            print(not_yet)
            return False
        except Refused as why:
            return _wrong(exercise_id, exercise, answer, None, objects, str(why), hint_first=False)
        except Exception as error:  # the student's code failed: say how, as a hint, not a traceback
            raised = f"{type(error).__name__}: {error}".rstrip(".") if str(error) else type(error).__name__
            return _wrong(exercise_id, exercise, answer, None, objects, f"your code raised {raised}.",
                          hint_first=False)
        if answer is None:
            return _wrong(exercise_id, exercise, answer, None, objects,
                          "your code returned None: does it end with `return`?", hint_first=False)
    expected = exercise.expected(**objects)
    last_expected[exercise_id] = expected
    if exercise.same is not None:
        ok, detail = bool(_safely(exercise.same, answer, expected, objects)), ""
    else:
        ok, detail = same(answer, expected, exercise.rtol, exercise.atol)
        if detail == _VALUES_DIFFER and exercise.mismatch is not None:
            detail = exercise.mismatch
    if ok:
        _wrong_tries.pop(exercise_id, None)
        print(f"✓ {name}: right.")
        return True
    return _wrong(exercise_id, exercise, answer, expected, objects, detail)


def _wrong(exercise_id: str, exercise: Exercise, answer, expected, objects: dict, detail: str,
           hint_first: bool = True) -> bool:
    """Print ✗, what is wrong and the hint (a named misconception first, else the next hint)."""
    tries = _wrong_tries[exercise_id] = _wrong_tries.get(exercise_id, 0) + 1
    hint = None
    if hint_first:
        hint = next((h for test, h in exercise.mistakes if _safely(test, answer, expected, objects)), None)
    if hint is None:
        hint = exercise.hints[min(tries, len(exercise.hints)) - 1]
    form = f" The answer is {exercise.form}." if detail.startswith("expected ") else ""
    if re.match(r"[a-z]+[ ,:;]", detail):  # a sentence starts with a capital; `p.grad …` stays as typed
        detail = detail[0].upper() + detail[1:]
    print(f"✗ exercise {exercise_id}: not yet. {detail}{form} Hint: {hint}".replace("  ", " "))
    return False


def _safely(test, *args) -> bool:
    """``test(*args)``, False if it raises (a misconception test on an answer of another type)."""
    try:
        return bool(test(*args))
    except Exception:
        return False
