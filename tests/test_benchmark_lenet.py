"""benchmarks/train_lenet.py's learning-rate ablation: the stored JSON is what its documented command writes."""
import json

import pytest

import train_lenet
from conftest import ROOT
from lenetlab.settings import github_url


def stored():
    return json.loads(train_lenet.ABLATION_JSON.read_text())


def test_the_stored_ablation_holds_every_configuration_of_the_script_in_its_order():
    """`--lr-ablation --seeds 0 1 2` runs every (schedule, lr) of ABLATION_SCHEDULES for every seed: the file
    notebook 07 reads must hold exactly those runs, in that order, each with one accuracy per epoch."""
    ablation = stored()
    runs = [(run["schedule"], run["lr"], run["seed"]) for run in ablation["runs"]]
    assert runs == train_lenet.ablation_order(ablation["seeds"])
    assert ablation["seeds"] == [0, 1, 2] and ablation["threads"] == 1  # the documented command: --threads 1 --seeds 0 1 2
    assert all(len(run["val_acc"]) == ablation["epochs"] == train_lenet.EPOCHS for run in ablation["runs"])
    assert (ablation["batch_size"], ablation["validation_size"]) == (train_lenet.BATCH_SIZE, train_lenet.VAL_SIZE)


def part(configs, seeds, threads=1):
    return {"what": "w", "epochs": 3, "threads": threads, "seeds": seeds,
            "runs": [{"schedule": s, "lr": lr, "seed": seed, "val_acc": [0.9, 0.95, 0.98]}
                     for s, lr in configs for seed in seeds]}


def test_merged_parts_come_out_in_the_order_of_one_process():
    configs = [(s, lr) for s, lrs in train_lenet.ABLATION_SCHEDULES.items() for lr in lrs]
    parts = [part(configs[-1:], [2]), part(configs[:-1], [0, 1, 2]), part(configs[-1:], [1, 0])]
    merged = train_lenet.merge_ablation(parts)
    assert [(r["schedule"], r["lr"], r["seed"]) for r in merged["runs"]] == train_lenet.ablation_order([0, 1, 2])
    assert merged["seeds"] == [0, 1, 2] and "joined" in merged["note"]


@pytest.mark.parametrize("second", [part([("constant", 1e-3)], [1], threads=2), part([("constant", 1e-3)], [0])],
                         ids=["other settings", "a run twice"])
def test_merging_refuses_parts_that_do_not_belong_together(second):
    with pytest.raises(ValueError):
        train_lenet.merge_ablation([part([("constant", 1e-3)], [0]), second])


def test_notebook_07_links_the_benchmark_by_its_repository_address():
    """The student copy ships notebooks/ but not benchmarks/: a relative link there would be dead."""
    nb = json.loads((ROOT / "notebooks" / "07_training_lenet_on_mnist.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(cell["source"]) for cell in nb["cells"])
    assert "../benchmarks" not in text
    assert github_url("benchmarks/README.md") in text and github_url("benchmarks/train_lenet.py") in text
