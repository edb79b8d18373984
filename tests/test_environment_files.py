"""requirements.txt (pip pins), environment.yml (local conda) and binder/environment.yml list the same packages."""
import re

import pytest

from conftest import ROOT

CONDA_TO_PIP = {"pytorch-cpu": "torch"}
NOT_PACKAGES = {"python", "pip"}


def requirement_names(text: str) -> dict:
    pins = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt must pin exact versions: {line!r}"
            pins[name.strip().lower()] = version.strip()
    return pins


def conda_names(text: str) -> set:
    names = set()
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z0-9_.-]+)", line.split("#")[0])
        if m and not line.strip().endswith(":"):
            name = m.group(1).lower()
            names.add(CONDA_TO_PIP.get(name, name))
    return names - NOT_PACKAGES


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_conda_files_list_the_same_packages_as_requirements(path):
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    names = conda_names((ROOT / path).read_text())
    assert names == set(pins), (
        f"{path} and requirements.txt differ: only in {path}: {sorted(names - set(pins))}; "
        f"only in requirements.txt: {sorted(set(pins) - names)}")


def test_torch_pins():
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    assert pins["torch"] == "2.15.0" and pins["torchvision"] == "0.29.2"


def test_binder_is_cpu_only_and_prepares_data():
    env = (ROOT / "binder/environment.yml").read_text()
    assert "pytorch-cpu" in env and "cuda" not in env.lower().replace("no cuda", "")
    post = (ROOT / "binder/postBuild").read_text()
    assert "set -e" in post and "prepare_mnist" in post
    assert "OMP_NUM_THREADS" in (ROOT / "binder/start").read_text()


def conda_bounds(text: str) -> dict:
    """{pip name: lower bound} of every `name>=version` line of a conda environment file."""
    bounds = {}
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*$", line.split("#")[0])
        if m:
            bounds[CONDA_TO_PIP.get(m.group(1).lower(), m.group(1).lower())] = m.group(2)
    return bounds


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_every_lower_bound_is_a_version_the_notebooks_ran_on(path):
    """Issue 11: a lower bound is a promise. Each is the requirements.txt pin, which CI runs."""
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    bounds = conda_bounds((ROOT / path).read_text())
    assert set(bounds) == set(pins), f"{path}: give every package a lower bound (`name>=version`)"
    wrong = {name: (bounds[name], pins[name]) for name in pins if bounds[name] != pins[name]}
    assert not wrong, f"{path}: lower bounds differ from the pins (bound, pin): {wrong}"
