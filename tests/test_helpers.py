"""Unit tests for notebooks/helpers.py, checked against torch itself."""
import gzip
import random
import shutil

import pytest
import torch
from torch import nn

import helpers
from conftest import ROOT

SHIPPED = ROOT / "data" / "MNIST" / "raw"


# ---- data -----------------------------------------------------------------------------------

def test_data_dir_is_the_repos_data_folder(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert helpers.DATA_DIR == ROOT / "data"
    assert (helpers.DATA_DIR / "MNIST" / "raw" / "t10k-labels-idx1-ubyte.gz").exists()


def test_mnist_test_set_offline():
    ds = helpers.mnist(train=False)
    assert len(ds) == 10_000
    assert [int(ds.targets[i]) for i in range(10)] == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    image, label = ds[0]
    assert label == 7 and image.size == (28, 28)


def test_mnist_train_set_and_its_statistics():
    ds = helpers.mnist(train=True)
    assert len(ds) == 60_000
    assert ds.targets[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    x = ds.data.float() / 255
    assert round(x.mean().item(), 4) == helpers.MNIST_MEAN
    assert round(x.std().item(), 4) == helpers.MNIST_STD


def _copy_labels(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(SHIPPED / "t10k-labels-idx1-ubyte.gz", raw)
    return raw


def test_prepare_extracts_verified_files_atomically(tmp_path):
    raw = _copy_labels(tmp_path)
    assert helpers.prepare_mnist(tmp_path) == raw
    assert helpers._md5(raw / "t10k-labels-idx1-ubyte") == helpers.MNIST_MD5["t10k-labels-idx1-ubyte"]
    assert sorted(p.name for p in raw.iterdir()) == ["t10k-labels-idx1-ubyte", "t10k-labels-idx1-ubyte.gz"]
    assert (raw / "t10k-labels-idx1-ubyte").stat().st_mode & 0o044 == 0o044  # readable by others (shared folder)


def test_truncated_archive_is_a_clear_error_and_leaves_nothing(tmp_path):
    raw = _copy_labels(tmp_path)
    archive = raw / "t10k-labels-idx1-ubyte.gz"
    archive.write_bytes(archive.read_bytes()[:2000])
    with pytest.raises(helpers.DataError, match=r"t10k-labels-idx1-ubyte.gz cannot be decompressed.*truncated.*git checkout"):
        helpers.prepare_mnist(tmp_path)
    assert [p.name for p in raw.iterdir()] == ["t10k-labels-idx1-ubyte.gz"]


def test_altered_archive_is_a_clear_error_naming_the_checksum(tmp_path):
    raw = _copy_labels(tmp_path)
    data = bytearray(gzip.decompress((raw / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    data[100] ^= 1  # one label changed: a valid gzip of the wrong content
    (raw / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes(data)))
    with pytest.raises(helpers.DataError, match="expected 27ae3e4e09519cfbb04c329615203637.*altered"):
        helpers.prepare_mnist(tmp_path)
    assert not (raw / "t10k-labels-idx1-ubyte").exists()


def test_damaged_extracted_file_is_reported_not_used_nor_overwritten(tmp_path):
    raw = _copy_labels(tmp_path)
    helpers.prepare_mnist(tmp_path)
    extracted = raw / "t10k-labels-idx1-ubyte"
    damaged = extracted.read_bytes()[:-10]
    extracted.write_bytes(damaged)
    with pytest.raises(helpers.DataError, match=r"t10k-labels-idx1-ubyte is damaged.*expected 27ae3e4e.*Delete it"):
        helpers.prepare_mnist(tmp_path)
    assert extracted.read_bytes() == damaged  # reported, left for the user to delete
    extracted.unlink()
    helpers.prepare_mnist(tmp_path)  # the fix the message names works
    assert helpers._md5(extracted) == helpers.MNIST_MD5["t10k-labels-idx1-ubyte"]


def test_mnist_without_files_or_network_is_a_clear_error(tmp_path, monkeypatch):
    from torchvision import datasets

    def no_network(self):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(datasets.MNIST, "download", no_network)
    with pytest.raises(helpers.DataError, match="could not be downloaded.*Copy the four"):
        helpers.mnist(root=tmp_path)


# ---- models and shapes ----------------------------------------------------------------------

def test_lenet_output_and_parameter_count():
    net = helpers.LeNet()
    assert net(torch.zeros(16, 1, 28, 28)).shape == (16, 10)
    by_formula = 6 * (1 * 5 * 5 + 1) + 16 * (6 * 5 * 5 + 1) + 120 * (400 + 1) + 84 * (120 + 1) + 10 * (84 + 1)
    assert helpers.count_parameters(net) == by_formula == 61_706


def test_count_parameters_skips_frozen():
    net = helpers.LeNet()
    net.conv1.requires_grad_(False)
    assert helpers.count_parameters(net) == 61_706 - 156


@pytest.mark.parametrize("shape, message", [
    ((1, 28, 28), "unsqueeze"), ((1, 1, 32, 32), r"\(N, 1, 28, 28\), got \(1, 1, 32, 32\)"),
    ((2, 3, 28, 28), "got \\(2, 3, 28, 28\\)")])
def test_lenet_rejects_bad_input_clearly(shape, message):
    with pytest.raises(ValueError, match=message):
        helpers.LeNet()(torch.zeros(shape))


def test_shape_trace_of_lenet():
    trace = helpers.shape_trace(helpers.LeNet(), torch.zeros(2, 1, 28, 28))
    assert list(trace) == [
        ("conv1", (2, 6, 28, 28)), ("pool1", (2, 6, 14, 14)), ("conv2", (2, 16, 10, 10)),
        ("pool2", (2, 16, 5, 5)), ("flatten", (2, 400)), ("fc1", (2, 120)), ("fc2", (2, 84)),
        ("fc3", (2, 10))]
    assert repr(trace).splitlines()[0] == "input    (2, 1, 28, 28)"


def _random_cnn(rng):
    layers, c, size = [], 1, 28
    for _ in range(rng.randint(1, 3)):
        k, out = rng.choice([1, 3, 5]), rng.randint(2, 8)
        if k > size:
            break
        layers += [nn.Conv2d(c, out, k), nn.ReLU()]
        c, size = out, size - k + 1
        if size >= 2 and rng.random() < 0.5:
            layers.append(nn.MaxPool2d(2))
            size //= 2
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(c * size * size, 7)), size


def test_shape_trace_matches_a_plain_forward_on_random_cnns():
    rng = random.Random(0)
    for _ in range(20):
        model, size = _random_cnn(rng)
        x = torch.randn(3, 1, 28, 28)
        expected_out = model(x)
        trace = helpers.shape_trace(model, x)
        names = [n for n, _ in model.named_modules() if n]
        assert [n for n, _ in trace] == names
        assert trace[-1] == (names[-1], tuple(expected_out.shape))


def test_shape_trace_names_nested_modules():
    model = nn.Sequential(nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), nn.Flatten(), nn.Linear(2 * 26 * 26, 3))
    assert [n for n, _ in helpers.shape_trace(model, torch.zeros(1, 1, 28, 28))] == ["0.0", "0.1", "1", "2"]


class Blitz(nn.Module):
    """The official blitz LeNet: 5x5 kernels on 32x32, fc1 = 16 * 5 * 5."""

    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = nn.functional.max_pool2d(nn.functional.relu(self.conv1(x)), 2)
        x = nn.functional.max_pool2d(nn.functional.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(nn.functional.relu(self.fc2(nn.functional.relu(self.fc1(x)))))


def test_shape_error_names_layer_features_and_cause():
    with pytest.raises(helpers.ShapeError) as info:
        helpers.shape_trace(Blitz(), torch.zeros(1, 1, 28, 28))
    assert str(info.value) == ("fc1 expects 400 input features but received 256 (16 x 4 x 4): "
                               "fc1 fits a 32x32 image, this one is 28x28. "
                               "Either pad the image to 32x32 or set fc1's in_features to 256.")
    helpers.shape_trace(Blitz(), torch.zeros(1, 1, 32, 32))  # and the right size passes
    model = Blitz()
    model.fc1 = nn.Linear(256, 120)  # the other fix
    helpers.shape_trace(model, torch.zeros(1, 1, 28, 28))


@pytest.mark.parametrize("side, verb, fits", [(7, "pad", 40), (3, "resize", 24)])
def test_shape_error_when_in_features_is_wrong_offers_both_fixes(side, verb, fits):
    model = Blitz()
    model.fc1 = nn.Linear(16 * side * side, 120)  # a slip in in_features; the 32x32 images are right
    with pytest.raises(helpers.ShapeError) as info:
        helpers.shape_trace(model, torch.zeros(1, 1, 32, 32))
    assert str(info.value).endswith(f"fc1 fits a {fits}x{fits} image, this one is 32x32. Either "
                                    f"{verb} the image to {fits}x{fits} or set fc1's in_features to 400.")


def test_shape_trace_lists_functional_steps_that_change_the_shape():
    x = torch.zeros(2, 1, 32, 32)
    trace = helpers.shape_trace(Blitz(), x)
    assert list(trace) == [
        ("conv1", (2, 6, 28, 28)), ("max_pool2d()", (2, 6, 14, 14)), ("conv2", (2, 16, 10, 10)),
        ("max_pool2d()", (2, 16, 5, 5)), ("flatten()", (2, 400)), ("fc1", (2, 120)), ("fc2", (2, 84)),
        ("fc3", (2, 10))]  # relu keeps the shape: not listed; calls inside the layers: not listed
    assert trace[-1][1] == tuple(Blitz()(x).shape)


def test_shape_error_without_a_fitting_size_points_to_shape_trace():
    model = nn.Sequential(nn.Flatten(), nn.Linear(5, 2))
    with pytest.raises(helpers.ShapeError, match="1 expects 5 input features but received 784.*shape_trace"):
        helpers.shape_trace(model, torch.zeros(1, 1, 28, 28))


# ---- convolution arithmetic -----------------------------------------------------------------

def test_conv_output_size_matches_nn_conv2d_on_random_configs():
    rng = random.Random(1)
    checked = 0
    while checked < 200:
        n, k, s, p, d = rng.randint(1, 20), rng.randint(1, 7), rng.randint(1, 4), rng.randint(0, 3), rng.randint(1, 3)
        if d * (k - 1) + 1 > n + 2 * p:
            continue
        out = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)(torch.zeros(1, 1, n, n)).shape[-1]
        assert helpers.conv_output_size(n, k, s, p, d) == out, (n, k, s, p, d)
        checked += 1


@pytest.mark.parametrize("n, k, s, p", [(28, 2, 2, 0), (27, 3, 2, 1), (10, 3, 3, 1), (5, 5, 1, 2)])
def test_conv_output_size_matches_max_pool(n, k, s, p):
    out = nn.MaxPool2d(k, stride=s, padding=p)(torch.zeros(1, 1, n, n)).shape[-1]
    assert helpers.conv_output_size(n, k, s, p) == out


def test_conv_output_size_rectangular():
    conv = nn.Conv2d(1, 1, (3, 5), stride=(1, 2), padding=(1, 0))
    h, w = conv(torch.zeros(1, 1, 20, 31)).shape[-2:]
    assert (helpers.conv_output_size(20, 3, 1, 1), helpers.conv_output_size(31, 5, 2, 0)) == (h, w)


@pytest.mark.parametrize("kwargs, message", [
    (dict(stride=0), "stride must be >= 1, got 0"), (dict(padding=-1), "padding must be >= 0"),
    (dict(dilation=0), "dilation must be >= 1"), (dict(kernel_size=0), "kernel_size must be >= 1"),
    (dict(kernel_size=7), "kernel covers 7 pixels.*padded input has only 5"),
    (dict(kernel_size=3, dilation=3), "kernel covers 7 pixels"), (dict(stride=1.5), "stride must be an int")])
def test_conv_output_size_says_which_argument_is_wrong(kwargs, message):
    args = dict(size=5, kernel_size=3) | kwargs
    with pytest.raises(ValueError, match=message):
        helpers.conv_output_size(**args)


@pytest.mark.parametrize("lr", [0.1, 0.01, 1e-3, 0.37])
def test_sgd_step_is_bit_identical_to_optim_sgd(lr):
    torch.manual_seed(0)
    a, b = helpers.LeNet(), helpers.LeNet()
    b.load_state_dict(a.state_dict())
    opt = torch.optim.SGD(b.parameters(), lr=lr)
    x, y = torch.randn(8, 1, 28, 28), torch.randn(8, 10)
    for _ in range(5):
        for net in (a, b):
            net.zero_grad()
            nn.MSELoss()(net(x), y).backward()
        helpers.sgd_step(a.parameters(), lr)
        opt.step()
        assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def test_sgd_step_skips_parameters_without_grad():
    p = nn.Parameter(torch.ones(3))
    helpers.sgd_step([p], 0.5)
    assert torch.equal(p, torch.ones(3))
