"""saved_memory.py: the saved activations a graph holds, counted once per storage, released
with the graph, checked against the bytes torch itself reports for the tensors saved."""
import pytest
import torch
from torch import nn

import saved_memory


def test_a_kept_graph_holds_its_saved_output_and_del_releases_it():
    x = torch.randn(1000, requires_grad=True)
    with saved_memory.held() as held_mb:
        y = x.exp()  # exp saves its output: 1000 float32 = 4000 bytes
    assert held_mb() == pytest.approx(y.untyped_storage().nbytes() / 1e6) == 0.004
    del y
    assert held_mb() == 0


def test_backward_frees_the_saved_tensors_though_the_loss_is_kept():
    x = torch.randn(1000, requires_grad=True)
    with saved_memory.held() as held_mb:
        loss = x.exp().sin().sum()
        assert held_mb() > 0
        loss.backward()
    assert held_mb() == 0 and loss.grad_fn is not None
    assert torch.allclose(x.grad, x.exp().cos() * x.exp())  # unpack gave backward() the values


def test_excluded_tensors_are_not_counted_and_a_storage_counts_once():
    net, batch = nn.Linear(100, 50), torch.randn(64, 100)
    with saved_memory.held(exclude=[batch, *net.parameters()]) as held_mb:
        out = net(batch)  # addmm saves batch and the weight: both excluded
        assert held_mb() == 0
        twice = out * out  # mul saves `out` twice: one storage of 64 * 50 float32
    assert held_mb() == pytest.approx(64 * 50 * 4 / 1e6)
    with saved_memory.held() as all_mb:
        out2 = net(batch)
    assert all_mb() == pytest.approx(batch.nbytes / 1e6)  # batch counted when not excluded
    del twice, out2
    assert held_mb() == all_mb() == 0


def test_graphs_outside_the_block_are_not_counted():
    x = torch.randn(1000, requires_grad=True)
    with saved_memory.held() as held_mb:
        pass
    y = x.exp()
    assert held_mb() == 0 and y.grad_fn is not None


@pytest.mark.parametrize("bad", [torch.ones(3), 3, [torch.ones(3), "batch"]])
def test_bad_exclude_says_what_to_pass(bad):
    with pytest.raises(TypeError, match=r"exclude=\[batch, \*net.parameters\(\)\]"):
        with saved_memory.held(exclude=bad):
            pass
