"""Shared test setup: ROOT, markers for what the tests start, and each notebook kernel's peak memory.

pytest.ini puts tools/, notebooks/, tests/, docs/site/ and benchmarks/ on the import path, so a
test imports ``helpers``, ``nav`` or ``lenetlab`` by name. This file sits at the repository root
so that its hooks reach the notebooks' nbval items as well as tests/.

* Markers (registered in pytest.ini): every nbval item of a notebook is ``kernel``; the tests of
  files that do not mark themselves are marked from the table below. ``make check`` deselects
  ``kernel``, ``browser``, ``site`` and ``slow`` and runs nbval only on the changed notebooks.
* Memory: when nbval has run a notebook's last cell, one more cell in the same kernel reads the
  kernel's peak resident memory (lenetlab.runner.PEAK_PROBE; /proc's VmHWM on Linux). Above
  ``peak_rss.LIMIT_MB`` that notebook's last item fails at teardown; every peak is listed at the
  end of the run. So strict nbval measures memory in the run that happens anyway, and no notebook
  is executed a second time for it.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

# Tests in files that carry no marker of their own: file -> {test function (no parameters) or "*": markers}.
MARKERS = {
    "test_student_build.py": {"test_the_student_notebook_runs_and_every_exercise_check_judges_attempts": ["kernel"],
                              "test_the_command_line_reports_each_notebook": ["slow"]},
    "test_figure_style.py": {"test_show_in_a_real_kernel_gives_one_output_with_alt_text": ["kernel"]},
    "test_cpu_level.py": {"*": ["kernel"]},
    "test_setup.py": {"*": ["slow"]},
}
PEAKS = pytest.StashKey[dict]()


def limit_mb() -> float:
    """The peak a notebook's kernel may reach (LENET_PEAK_LIMIT_MB overrides it, for the test of this check)."""
    import peak_rss

    return float(os.environ.get("LENET_PEAK_LIMIT_MB", peak_rss.LIMIT_MB))


def is_notebook_item(item: pytest.Item) -> bool:
    return item.path.suffix == ".ipynb"


def pytest_configure(config: pytest.Config) -> None:
    config.stash[PEAKS] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_notebook_item(item):
            item.add_marker(pytest.mark.kernel)
            continue
        table = MARKERS.get(item.path.name, {})
        for name in table.get("*", []) + table.get(getattr(item, "originalname", item.name), []):
            item.add_marker(getattr(pytest.mark, name))


def read_peak(kernel) -> dict:
    """Run PEAK_PROBE in nbval's running kernel; the numbers it prints."""
    from lenetlab.runner import PEAK_PROBE

    printed: list[str] = []

    def hook(msg: dict) -> None:
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])

    kernel.kc.execute_interactive(PEAK_PROBE, output_hook=hook, timeout=60, store_history=False)
    match = re.search(r"PEAK_RSS (\{.*\})", "".join(printed))
    if not match:
        raise RuntimeError(f"the memory probe printed nothing readable: {''.join(printed)!r}")
    return json.loads(match.group(1))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    over = None
    last_cell = is_notebook_item(item) and (nextitem is None or nextitem.parent is not item.parent)
    kernel = getattr(item.parent, "kernel", None) if last_cell else None
    if kernel is not None and kernel.is_alive():
        peak = read_peak(kernel)
        mb = round(peak.get("VmHWM", peak["self_mb"]))
        item.config.stash[PEAKS][item.path.stem] = mb
        if mb > limit_mb():
            over = (f"{item.path.stem}'s kernel peaked at {mb} MB, above the {limit_mb():g} MB limit "
                    "(tools/peak_rss.py LIMIT_MB): free what a section no longer needs, keep images "
                    "uint8, evaluate in batches; `make memory NB=...` measures it alone")
    result = yield  # nbval stops the kernel here
    if over:
        raise AssertionError(over)
    return result


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    peaks = config.stash[PEAKS]
    if peaks:
        terminalreporter.write_line(f"kernel peak memory (limit {limit_mb():g} MB): "
                                    + ", ".join(f"{stem[:2]} {mb} MB" for stem, mb in sorted(peaks.items())))
