"""requirements.txt (pip pins) and environment.yml (local conda) list the same packages, and every
lower bound of environment.yml is a version CI runs the notebooks on: the pin (`make test`), or
for torch and torchvision the oldest pair (`make test-oldest`). Notebook 00 checks the same
minimum. (binder/requirements.txt: tests/test_binder.py.)"""
import json
import re
import sys

import pytest

from conftest import ROOT

import oldest

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


@pytest.mark.parametrize("path", ["environment.yml"])
def test_conda_files_list_the_same_packages_as_requirements(path):
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    names = conda_names((ROOT / path).read_text())
    assert names == set(pins), (
        f"{path} and requirements.txt differ: only in {path}: {sorted(names - set(pins))}; "
        f"only in requirements.txt: {sorted(set(pins) - names)}")


def test_torch_pins():
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    assert pins["torch"] == "2.15.0" and pins["torchvision"] == "0.29.2"


def test_conda_asks_for_cpu_pytorch():
    assert "pytorch-cpu" in (ROOT / "environment.yml").read_text()


def conda_bounds(text: str) -> dict:
    """{pip name: lower bound} of every `name>=version` line of a conda environment file."""
    bounds = {}
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*$", line.split("#")[0])
        if m:
            bounds[CONDA_TO_PIP.get(m.group(1).lower(), m.group(1).lower())] = m.group(2)
    return bounds


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0]))


def test_every_lower_bound_is_a_version_ci_runs_the_notebooks_on():
    """A lower bound is a promise. torch and torchvision: the oldest pair, which `make test-oldest`
    installs (tools/oldest.py reads these very bounds) and runs every notebook on, older than or
    equal to the pins; every other package: its requirements.txt pin, which `make test` runs."""
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    bounds = conda_bounds((ROOT / "environment.yml").read_text())
    assert set(bounds) == set(pins), "environment.yml: give every package a lower bound (`name>=version`)"
    tested_oldest = oldest.lower_bounds(ROOT)
    assert set(tested_oldest) == {"torch", "torchvision"}
    assert oldest.pins(ROOT) == [f"{n}==={bounds[n]}" for n in ("torch", "torchvision")]
    for name, bound in tested_oldest.items():
        assert version(bound) <= version(pins[name]), f"{name}: bound {bound} above the pin {pins[name]}"
    wrong = {name: (bounds[name], pins[name]) for name in pins
             if name not in tested_oldest and bounds[name] != pins[name]}
    assert not wrong, f"environment.yml: lower bounds differ from the pins (bound, pin): {wrong}"


def test_the_oldest_pair_is_one_conda_forge_has():
    """conda-forge's pytorch-cpu lags PyPI by months: 2.13.0 is what it had when these bounds were
    set (August 2026), with torchvision 0.28.0. Raise the bounds only to versions it has."""
    bounds = conda_bounds((ROOT / "environment.yml").read_text())
    assert version(bounds["torch"]) <= (2, 13, 0) and version(bounds["torchvision"]) <= (0, 28, 0), bounds


def notebook_minimum(path) -> dict:
    """The ``MINIMUM = {...}`` of the version check notebook 00 calls (setup_check.py beside it),
    as {name: (major, minor)}; the notebook must call that check."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    calls = any("setup_check.check(" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert calls, f"{path.name} no longer calls setup_check.check(...)"
    m = re.search(r"^MINIMUM = (\{.*?\})$", (path.parent / "setup_check.py").read_text(encoding="utf-8"), re.M)
    assert m, f"{path.parent.name}/setup_check.py has no `MINIMUM = {{...}}` line"
    return eval(m.group(1), {})  # a literal dict of tuples


@pytest.mark.parametrize("folder", ["notebooks", "student"])
def test_notebook_00_checks_and_states_the_minimum_of_environment_yml(folder):
    """One truth: 00's version check and its prose ask for environment.yml's torch / torchvision."""
    path = ROOT / folder / "00_start_here.ipynb"
    bounds = conda_bounds((ROOT / "environment.yml").read_text())
    minimum = notebook_minimum(path)
    for name in ("torch", "torchvision"):
        assert minimum[name] == version(bounds[name])[:2], (name, minimum[name], bounds[name])
    prose = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                      if c["cell_type"] == "markdown")
    stated = {m.group(1): m.group(2) for m in re.finditer(r"\b(torch|torchvision) ≥ ([0-9.]+)", prose)}
    assert stated, "00's text must say which torch and torchvision it needs (`torch ≥ X.Y`)"
    for name, said in stated.items():
        assert version(said)[:2] == version(bounds[name])[:2], f"00 says {name} ≥ {said}; environment.yml {bounds[name]}"
    assert {"torch", "torchvision"} <= set(stated)


def test_contributing_names_the_versions_of_the_outputs_and_the_oldest_that_runs():
    """CONTRIBUTING.md's Versions section: the pins made the stored outputs, the bounds are known to run."""
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    bounds = conda_bounds((ROOT / "environment.yml").read_text())
    text = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split("## Versions and pins", 1)[1].split())
    assert f"torch {pins['torch']}, torchvision {pins['torchvision']}" in text
    assert f"torch {bounds['torch']} with torchvision {bounds['torchvision']}" in text


def makefile_minimum_python() -> tuple:
    m = re.search(r"v >= \((\d+), (\d+)\) else", (ROOT / "Makefile").read_text())
    assert m, "the Makefile's venv rule checks `v >= (X, Y)`"
    return int(m.group(1)), int(m.group(2))


def test_the_makefile_asks_for_the_python_the_pinned_wheels_require():
    """`make lab` checks the Python version before pip runs: it must ask for at least what every
    pinned package declares (Requires-Python of the installed pins), or pip fails on an older
    Python (3.10) with a message a beginner cannot read."""
    from importlib import metadata
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    needed, checked = (0, 0), []
    for name, pinned in pins.items():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if dist.version.split("+")[0] != pinned:
            continue  # another version installed: its metadata says nothing about the pin
        spec = dist.metadata.get("Requires-Python") or ""
        for low in re.findall(r">=\s*(\d+)\.(\d+)", spec):
            needed = max(needed, (int(low[0]), int(low[1])))
        checked.append(name)
    if "torch" not in checked:
        pytest.skip("the pinned torch is not installed here: no Requires-Python to compare with")
    assert makefile_minimum_python() == needed, (
        f"the Makefile checks Python >= {makefile_minimum_python()}, the pins need >= {needed}")


def test_every_file_names_the_makefiles_minimum_python():
    """README, notebook 00 (and its student copy), the handout README, the guides: one minimum."""
    low = "%d.%d" % makefile_minimum_python()
    files = ["README.md", "Makefile", "notebooks/00_start_here.ipynb", "student/00_start_here.ipynb",
             "tools/student.py", "docs/instructor_guide.md", "CONTRIBUTING.md"]
    said = []
    for name in files:
        text = (ROOT / name).read_text(encoding="utf-8")
        found = re.findall(r"Python (?:≥|>=) ?(3\.\d+)|Python (3\.\d+) or newer|Python below\s+(3\.\d+)"
                           r"|\"python\": \((3), (\d+)\)", text)
        for groups in found:
            value = groups[0] or groups[1] or groups[2] or f"{groups[3]}.{groups[4]}"
            said.append((name, value))
    assert {"README.md", "Makefile", "notebooks/00_start_here.ipynb"} <= {name for name, _ in said}
    wrong = [(name, value) for name, value in said if value != low]
    assert not wrong, f"the Makefile asks for Python >= {low}; these say otherwise: {wrong}"
