"""Unit tests for notebooks/setup_check.py: notebook 00's set-up report and version check."""
import pytest

import setup_check


def test_report_prints_and_returns_every_library_and_the_cpu(capsys):
    setup = setup_check.report()
    out = capsys.readouterr().out
    assert out.startswith("your set-up:")
    for name in ("python", *setup_check.LIBRARIES, "cpu"):
        assert name in setup and name in out


def good() -> dict:
    return {"python": "3.11.7", "torch": "2.15.0+cu132", "torchvision": "0.29.2", "numpy": "2.1.0",
            "matplotlib": "3.9.0", "ipywidgets": "8.1.10", "cpu": "x86_64"}


def test_new_enough_versions_pass_with_one_line(capsys):
    assert setup_check.problems(good()) == []
    setup_check.check(good(), on_colab=False)
    assert capsys.readouterr().out.startswith("versions OK: python >= 3.11, torch >= 2.13")


@pytest.mark.parametrize("name, value, said", [
    ("torch", "2.12.1", "too old: torch 2.12.1 (need >= 2.13)"),
    ("python", "3.10.12", "too old: python 3.10.12 (need >= 3.11)"),
    ("ipywidgets", "8.1.8", "too old: ipywidgets 8.1.8 (need >= 8.1.9)"),
    ("numpy", "not installed", "missing: numpy"),
])
def test_an_old_or_missing_library_stops_with_what_to_install(name, value, said):
    setup = good() | {name: value}
    assert setup_check.problems(setup) == [said]
    with pytest.raises(RuntimeError, match="Install requirements.txt's versions"):
        setup_check.check(setup, on_colab=False)


@pytest.mark.parametrize("value", ["2.13.0", "2.13.0+cpu", "2.16.0a0", "2.14.0rc1", "3.0"])
def test_local_and_pre_release_versions_count_by_their_numbers(value):
    assert setup_check.problems(good() | {"torch": value}) == []


def test_on_colab_a_problem_only_warns(capsys):
    setup_check.check(good() | {"torch": "2.12.1"}, on_colab=True)
    assert "Not as the notebooks were tested: too old: torch 2.12.1" in capsys.readouterr().out


def test_a_setup_that_is_not_a_dict_says_which_cell_to_run():
    with pytest.raises(TypeError, match="run the cell above first"):
        setup_check.problems(None)
