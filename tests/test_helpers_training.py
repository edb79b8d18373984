"""Unit tests for the training helpers of notebooks/helpers.py (07_training_lenet_on_mnist).

Everything runs on a small subset of MNIST (a few hundred digits), so it takes seconds.
"""
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision import transforms

import helpers


@pytest.fixture(scope="module")
def test_split():
    return helpers.mnist_tensors(train=False)


@pytest.fixture(scope="module")
def subset(test_split):
    x, y = test_split
    return x[:300], y[:300]


# ---- mnist_tensors --------------------------------------------------------------------------

def test_mnist_tensors_shapes_and_labels(test_split):
    x, y = test_split
    assert x.shape == (10_000, 1, 28, 28) and x.dtype == torch.float32
    assert y.shape == (10_000,) and y.dtype == torch.int64
    assert y[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


@pytest.mark.parametrize("index", [0, 1, 4321, 9999])
def test_mnist_tensors_equal_the_per_sample_transform(test_split, index):
    x, y = test_split
    per_sample = helpers.mnist(train=False, transform=transforms.Compose(
        [transforms.ToTensor(), transforms.Normalize((helpers.MNIST_MEAN,), (helpers.MNIST_STD,))]))
    image, label = per_sample[index]
    assert torch.equal(x[index], image) and y[index].item() == label


# ---- batches --------------------------------------------------------------------------------

@pytest.mark.parametrize("n, batch_size", [(300, 64), (300, 300), (300, 1000), (7, 1), (10, 3)])
@pytest.mark.parametrize("shuffle", [True, False])
def test_batches_cover_every_index_once_per_epoch(n, batch_size, shuffle):
    x = torch.arange(n).float().view(n, 1)
    y = torch.arange(n)
    got = list(helpers.batches(x, y, batch_size, shuffle=shuffle, generator=torch.Generator().manual_seed(1)))
    assert len(got) == -(-n // batch_size)
    assert [len(yb) for _, yb in got[:-1]] == [batch_size] * (len(got) - 1)
    seen = torch.cat([yb for _, yb in got])
    assert sorted(seen.tolist()) == list(range(n))
    assert all(torch.equal(xb.view(-1).long(), yb) for xb, yb in got)  # images stay with their labels
    assert (seen.tolist() == list(range(n))) == (not shuffle or n == 1)


def test_seeded_order_is_reproducible_and_seeds_differ(subset):
    x, y = subset

    def order(seed):
        return torch.cat([yb for _, yb in helpers.batches(x, y, 64, generator=torch.Generator().manual_seed(seed))])

    assert torch.equal(order(0), order(0))
    assert not torch.equal(order(0), order(1))
    expected = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(0))]
    assert torch.equal(order(0), expected)


@pytest.mark.parametrize("batch_size", [0, -5, 2.5, True, "64"])
def test_batches_reject_a_bad_batch_size(subset, batch_size):
    x, y = subset
    with pytest.raises(ValueError, match=r"batch_size must be a positive int"):
        next(helpers.batches(x, y, batch_size))


def test_batches_reject_images_and_labels_of_different_lengths(subset):
    x, y = subset
    with pytest.raises(ValueError, match=r"same length, got 300 images and 299 labels"):
        next(helpers.batches(x, y[:-1], 64))


# ---- evaluate -------------------------------------------------------------------------------

class FixedLogits(nn.Module):
    """Ignores its input pixels and returns the logits stored for each row (by position)."""

    def __init__(self, logits):
        super().__init__()
        self.register_buffer("logits", logits)

    def forward(self, x):
        return self.logits[x.view(len(x), -1)[:, 0].long()]


@pytest.mark.parametrize("batch_size", [1, 4, 5, 1000])
def test_evaluate_counts_like_a_hand_count(batch_size):
    logits = torch.tensor([[2.0, 1.0, 0.0], [0.0, 3.0, 0.0], [1.0, 0.0, 0.5],
                           [0.0, 0.0, 4.0], [0.2, 0.1, 0.0]])
    y = torch.tensor([0, 1, 2, 2, 1])   # by hand: rows 0, 1, 3 right; rows 2, 4 wrong -> 3 / 5
    x = torch.arange(5).float().view(5, 1)
    loss, acc = helpers.evaluate(FixedLogits(logits), x, y, batch_size=batch_size)
    assert acc == 3 / 5
    assert loss == pytest.approx(F.cross_entropy(logits, y).item(), rel=1e-6)


def test_evaluate_matches_torch_and_restores_the_mode(subset):
    x, y = subset
    torch.manual_seed(0)
    model = helpers.LeNet().train()
    loss, acc = helpers.evaluate(model, x, y, batch_size=128)
    assert model.training
    with torch.no_grad():
        logits = model.eval()(x)
    assert acc * len(y) == (logits.argmax(1) == y).sum().item()
    assert loss == pytest.approx(F.cross_entropy(logits, y).item(), rel=1e-5)


def test_evaluate_uses_eval_mode():
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.9), nn.Linear(1, 2))
    with torch.no_grad():
        model[2].weight.copy_(torch.tensor([[1.0], [-1.0]]))
        model[2].bias.zero_()
    x, y = torch.ones(50, 1), torch.zeros(50, dtype=torch.long)
    assert helpers.evaluate(model, x, y)[1] == 1.0   # with dropout active, some rows would be ties


def test_evaluate_rejects_an_empty_set():
    with pytest.raises(ValueError, match="at least one example"):
        helpers.evaluate(helpers.LeNet(), torch.zeros(0, 1, 28, 28), torch.zeros(0, dtype=torch.long))


# ---- train_epoch ----------------------------------------------------------------------------

def test_train_epoch_makes_the_loss_fall(subset):
    x, y = subset
    torch.manual_seed(0)
    model = helpers.LeNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    before = helpers.evaluate(model, x, y)[0]
    g = torch.Generator().manual_seed(0)
    for _ in range(5):
        losses = helpers.train_epoch(model, x, y, optimizer, batch_size=32, generator=g)
    assert len(losses) == 10   # ceil(300 / 32) batches
    after, acc = helpers.evaluate(model, x, y)
    assert after < 0.5 * before and acc > 0.8


def test_train_epoch_progress_prints_a_dot_every_k_steps_and_changes_nothing_else(subset, capsys):
    x, y = subset[0][:100], subset[1][:100]
    runs = {}
    for progress in (0, 2):
        torch.manual_seed(0)
        model = helpers.LeNet()
        losses = helpers.train_epoch(model, x, y, torch.optim.SGD(model.parameters(), lr=0.1), 10,
                                     torch.Generator().manual_seed(0), progress=progress)
        runs[progress] = losses, capsys.readouterr().out
    assert runs[0][1] == "" and runs[2][1] == "." * 5 + "\n"  # 10 steps, a dot every 2
    assert runs[0][0] == runs[2][0]


def test_train_epoch_is_one_written_out_loop_and_steps_the_scheduler(subset):
    x, y = subset[0][:100], subset[1][:100]
    torch.manual_seed(0)
    a = helpers.LeNet()
    b = helpers.LeNet()
    b.load_state_dict(a.state_dict())
    opt_a = torch.optim.SGD(a.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt_a, step_size=1, gamma=0.5)
    losses = helpers.train_epoch(a, x, y, opt_a, batch_size=25, generator=torch.Generator().manual_seed(3),
                                 scheduler=sched)
    opt_b = torch.optim.SGD(b.parameters(), lr=0.1)
    order = torch.randperm(100, generator=torch.Generator().manual_seed(3))
    expected = []
    for k in range(4):
        idx = order[25 * k:25 * (k + 1)]
        for group in opt_b.param_groups:
            group["lr"] = 0.1 * 0.5 ** k
        loss = F.cross_entropy(b(x[idx]), y[idx])
        opt_b.zero_grad()
        loss.backward()
        opt_b.step()
        expected.append(loss.item())
    assert losses == expected
    for pa, pb in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(pa, pb)
    assert opt_a.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5 ** 4)


# ---- uint8 images, normalized per batch --------------------------------------------------------

@pytest.fixture(scope="module")
def test_bytes():
    return helpers.mnist_tensors(train=False, normalize=False)


def test_mnist_tensors_can_keep_the_bytes(test_split, test_bytes):
    x8, y8 = test_bytes
    assert x8.dtype == torch.uint8 and x8.shape == (10_000, 1, 28, 28) and x8.numel() == 4 * 1_960_000
    assert torch.equal(y8, test_split[1])
    assert torch.equal(helpers.normalize_batch(x8), test_split[0])  # the float version, bit for bit


@pytest.mark.parametrize("index", [0, 4321, 9999])
def test_normalize_batch_equals_the_per_sample_transform(test_bytes, index):
    per_sample = helpers.mnist(train=False, transform=transforms.Compose(
        [transforms.ToTensor(), transforms.Normalize((helpers.MNIST_MEAN,), (helpers.MNIST_STD,))]))
    batch = helpers.normalize_batch(test_bytes[0][index:index + 1])
    assert batch.dtype == torch.float32 and torch.equal(batch[0], per_sample[index][0])


def test_normalize_batch_leaves_floats_and_its_input_alone(test_bytes):
    x = torch.randn(3, 1, 28, 28)
    assert helpers.normalize_batch(x) is x
    x8 = test_bytes[0][:5].clone()
    helpers.normalize_batch(x8)
    assert torch.equal(x8, test_bytes[0][:5])  # the bytes are not modified in place


def test_evaluate_and_train_epoch_give_the_same_on_bytes_and_floats(test_bytes):
    x8, y = test_bytes[0][:200], test_bytes[1][:200]
    xf = helpers.normalize_batch(x8)
    torch.manual_seed(0)
    a, b = helpers.LeNet(), helpers.LeNet()
    b.load_state_dict(a.state_dict())
    assert helpers.evaluate(a, x8, y, batch_size=64) == helpers.evaluate(a, xf, y, batch_size=64)
    la = helpers.train_epoch(a, x8, y, torch.optim.Adam(a.parameters()), 50, torch.Generator().manual_seed(0))
    lb = helpers.train_epoch(b, xf, y, torch.optim.Adam(b.parameters()), 50, torch.Generator().manual_seed(0))
    assert la == lb and all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def test_the_benchmark_trains_with_the_notebooks_recipe():
    """benchmarks/train_lenet.py states it measures 07's section 5: the constants must agree."""
    import json
    import re

    import train_lenet
    from conftest import ROOT

    nb = json.loads((ROOT / "notebooks" / "07_training_lenet_on_mnist.ipynb").read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    batch, epochs, lr = re.search(r"^BATCH_SIZE, EPOCHS, MAX_LR = (\d+), (\d+), ([\d.e-]+)$", source, re.M).groups()
    assert (int(batch), int(epochs), float(lr)) == (train_lenet.BATCH_SIZE, train_lenet.EPOCHS, train_lenet.MAX_LR)
    assert "channels_last" in source and "fused=True" in source
    assert "order[5_000:]" in source and train_lenet.VAL_SIZE == 5_000
