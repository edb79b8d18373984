"""Notebook 00's set-up report and version check: which versions are installed, and whether they
are new enough. It imports only the standard library, so it works even when the setup cell failed
to import torch or another library.

Unit tests: tests/test_setup_check.py.
"""
from __future__ import annotations

import platform
import re
import sys
from importlib.metadata import PackageNotFoundError, version

MINIMUM = {"python": (3, 11), "torch": (2, 13), "torchvision": (0, 28), "ipywidgets": (8, 1, 9)}
"""The oldest versions the notebooks run with (ipywidgets: the version whose sliders were tested)."""

LIBRARIES = ("torch", "torchvision", "numpy", "matplotlib", "ipywidgets")
MISSING = "not installed"


def report() -> dict:
    """Print and return this computer's set-up: Python, each library's installed version (read
    without importing it), the kind of CPU, and the vector-instruction level torch uses on it."""
    setup = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            setup[name] = version(name)
        except PackageNotFoundError:
            setup[name] = MISSING
    setup["cpu"] = platform.machine()  # x86_64, AMD64, arm64, aarch64, ...
    if "torch" in sys.modules:  # AVX512, AVX2, DEFAULT, SVE256, ...
        setup["torch CPU level"] = sys.modules["torch"].backends.cpu.get_cpu_capability()
    print("your set-up:")
    for name, value in setup.items():
        print(f"  {name:15} {value}")
    return setup


def _numbers(text: str) -> tuple:
    """'2.15.0+cpu' -> (2, 15, 0); '8.1.10' -> (8, 1, 10)."""
    return tuple(int(n) for n in re.findall(r"\d+", text)[:3])


def problems(setup: dict, minimum: dict = MINIMUM) -> list[str]:
    """What is missing or older than ``minimum`` in ``setup`` (as :func:`report` returns it)."""
    if not isinstance(setup, dict):
        raise TypeError(f"setup must be the dict setup_check.report() returns, got {type(setup).__name__}: "
                        "run the cell above first (setup = setup_check.report())")
    found = [f"missing: {name}" for name, value in setup.items() if value == MISSING]
    dotted = {name: ".".join(map(str, need)) for name, need in minimum.items()}
    found += [f"too old: {name} {setup[name]} (need >= {dotted[name]})" for name, need in minimum.items()
              if setup.get(name, MISSING) != MISSING and _numbers(setup[name]) < need]
    return found


def check(setup: dict, on_colab: bool | None = None) -> None:
    """Stop with an error that says what to install when ``setup`` misses a library or one is too
    old; on Colab (its own libraries), only warn. Prints one line either way."""
    on_colab = "google.colab" in sys.modules if on_colab is None else on_colab
    found = problems(setup)
    if found and on_colab:
        print(f"Not as the notebooks were tested: {'; '.join(found)}")
        return
    if found:
        raise RuntimeError(f"{'; '.join(found)}. Install requirements.txt's versions as the README's "
                           "Every platform table says for your computer (Windows included)")
    needs = ", ".join(f"{name} >= {'.'.join(map(str, need))}" for name, need in MINIMUM.items())
    print(f"versions OK: {needs}")  # one write: the line stays whole
