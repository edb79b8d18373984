"""08's optional CIFAR-10 cell runs end to end on a small fake copy of the data.

No test machine has CIFAR-10 (nothing is downloaded), so the stored output is the "not there"
branch. This test writes a tiny folder in CIFAR-10's own format (pickled batches of 40 random
images), tells torchvision to skip its checksums, and runs the notebook's cells that the CIFAR
cell needs (setup, the sample batch, ConvBlock, SmallCNN) and then the CIFAR cell itself.
"""
import json
import pickle

import numpy as np
import torch

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "08_modular_cnns_and_inspection.ipynb"
NEEDED = ("import figure_style", "x = torch.randn(4, 3, 32, 32)", "class ConvBlock(", "class SmallCNN(")
CIFAR_CELL = "datasets.CIFAR10(DATA_DIR, train=True"


def _cell(sources, marker):
    found = [s for s in sources if marker in s]
    assert len(found) == 1, f"expected one cell of 08 containing {marker!r}, found {len(found)}"
    return found[0]


def _fake_cifar(root, per_batch=40):
    folder = root / "cifar-10-batches-py"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {"data": rng.integers(0, 256, (per_batch, 3 * 32 * 32), dtype=np.uint8),
                 "labels": rng.integers(0, 10, per_batch).tolist()}
        (folder / name).write_bytes(pickle.dumps(batch))
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": [str(i) for i in range(10)]}))


def _run_cifar_cell(data_dir, monkeypatch, capsys) -> tuple[dict, str]:
    """Run the cells the CIFAR cell needs, then the CIFAR cell with DATA_DIR = data_dir:
    (its namespace, what the CIFAR cell printed)."""
    sources = ["".join(c["source"]) for c in json.loads(NOTEBOOK.read_text())["cells"]
               if c["cell_type"] == "code"]
    monkeypatch.chdir(ROOT / "notebooks")
    monkeypatch.syspath_prepend(str(ROOT / "notebooks"))
    namespace = {}
    for marker in NEEDED:
        exec(_cell(sources, marker), namespace)
    namespace["DATA_DIR"] = str(data_dir)
    capsys.readouterr()
    exec(_cell(sources, CIFAR_CELL), namespace)
    return namespace, capsys.readouterr().out


def test_the_cifar_cell_trains_and_reports_an_accuracy(tmp_path, monkeypatch, capsys):
    import torchvision.datasets.cifar as cifar

    _fake_cifar(tmp_path)
    monkeypatch.setattr(cifar, "check_integrity", lambda *args, **kwargs: True)
    namespace, printed = _run_cifar_cell(tmp_path, monkeypatch, capsys)
    assert "CIFAR-10 after one epoch: test accuracy" in printed, printed
    assert 0.0 <= namespace["cifar_acc"] <= 1.0
    # the images stay uint8; each batch is normalised per channel with the training images' statistics
    assert tuple(namespace["cifar_x"].shape) == (200, 32, 32, 3) and namespace["cifar_x"].dtype == torch.uint8
    normalized = namespace["cifar_batch"](namespace["cifar_x"])
    assert tuple(normalized.shape) == (200, 3, 32, 32)
    assert normalized.mean(dim=(0, 2, 3)).abs().max() < 1e-4
    assert (normalized.std(dim=(0, 2, 3)) - 1).abs().max() < 1e-3
    assert "cifar_train" not in namespace and "cifar_test" not in namespace  # the datasets were freed


def test_without_cifar_the_cell_says_so(tmp_path, monkeypatch, capsys):
    namespace, printed = _run_cifar_cell(tmp_path, monkeypatch, capsys)
    assert "CIFAR-10 is not in data/cifar-10-batches-py" in printed
    assert "cifar_acc" not in namespace and "cifar_model" not in namespace  # nothing was trained
