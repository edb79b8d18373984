"""Peak memory of the notebooks' kernels: tools/peak_rss.py (`make memory`) and the check that
conftest.py makes at the end of every notebook's nbval run.

The limit (peak_rss.LIMIT_MB, 1.2 GB) is checked on every notebook in the strict nbval run
itself, so no notebook runs again for it; these tests show that both ways of measuring see an
allocation and fail above the limit.
"""
import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

import peak_rss
from conftest import ROOT

pytestmark = pytest.mark.kernel
HUNGRY = "import torch\nx = torch.ones(75_000_000)  # 300 MB, every page touched\ndel x"


def test_main_reports_what_a_cell_allocates_and_fails_above_the_limit(tmp_path, capsys):
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(HUNGRY)]),
                   tmp_path / "notebooks" / "01_hungry.ipynb")
    assert peak_rss.main(["--root", str(tmp_path), "01", "--limit-mb", "1", "--json"]) == 1
    out, err = capsys.readouterr()
    assert "01_hungry" in out and "OVER THE LIMIT" in out and "peak above 1 MB: 01_hungry" in err
    record = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    # the 300 MB tensor shows on top of torch (the baseline also holds torchvision, ~170 MB)
    assert record["notebooks"]["01_hungry"]["peak_mb"] - record["import_torch_torchvision_mb"] > 100


def test_the_nbval_run_fails_a_notebook_whose_kernel_peaks_above_the_limit():
    folder = ROOT / "build" / "test-peak-rss"  # under the root, so that conftest.py applies
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(HUNGRY)]), folder / "01_hungry.ipynb")
        env = dict(os.environ, LENET_PEAK_LIMIT_MB="300")
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", str(folder / "01_hungry.ipynb")], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "01_hungry's kernel peaked at" in result.stdout and "above the 300 MB limit" in result.stdout
    assert "kernel peak memory (limit 300 MB): 01 " in result.stdout
