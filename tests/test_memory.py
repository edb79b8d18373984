"""tools/peak_rss.py (`make memory`): every notebook's kernel stays under 1.0 GB of peak memory.

Executing all nine notebooks a second time would add about a minute and a half to `make test`
(strict nbval already executes them once, in kernels this test cannot see), so the limit is
checked here on the two notebooks that train on the whole of MNIST, 07 and 08, which had the
largest peaks (1,452 and 1,205 MB before issue 14). `make memory` measures every notebook.
"""
import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import nav  # noqa: E402
import peak_rss  # noqa: E402


def test_select_by_number_name_or_path():
    paths = nav.notebook_paths(ROOT)
    assert [p.stem for p in peak_rss.select(paths, ["07", "notebooks/08_modular_cnns_and_inspection.ipynb"])] == [
        "07_training_lenet_on_mnist", "08_modular_cnns_and_inspection"]
    with pytest.raises(SystemExit, match="no notebook matches '7'"):
        peak_rss.select(paths, ["7"])


@pytest.mark.parametrize("name", ["07_training_lenet_on_mnist", "08_modular_cnns_and_inspection"])
def test_notebook_kernel_peak_is_below_1_gb(name):
    result = peak_rss.run(ROOT / "notebooks" / f"{name}.ipynb")
    assert result["peak_mb"] <= peak_rss.LIMIT_MB, (
        f"{name}'s kernel peaked at {result['peak_mb']} MB, above {peak_rss.LIMIT_MB} MB: "
        f"free what a section no longer needs, keep images uint8, evaluate in batches ({json.dumps(result)})")


def test_main_reports_what_a_cell_allocates_and_fails_above_the_limit(tmp_path, capsys):
    import nbformat

    (tmp_path / "notebooks").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import torch\nx = torch.ones(75_000_000)  # 300 MB, every page touched\ndel x")]),
        tmp_path / "notebooks" / "01_hungry.ipynb")
    assert peak_rss.main(["--root", str(tmp_path), "01", "--limit-mb", "1", "--json"]) == 1
    out, err = capsys.readouterr()
    assert "01_hungry" in out and "OVER THE LIMIT" in out and "peak above 1 MB: 01_hungry" in err
    record = json.loads(out.strip().splitlines()[-1])
    # the 300 MB tensor shows on top of torch (the baseline also holds torchvision, ~170 MB)
    assert record["notebooks"]["01_hungry"]["peak_mb"] - record["import_torch_torchvision_mb"] > 100
