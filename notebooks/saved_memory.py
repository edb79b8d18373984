"""Memory a backward graph still holds: the activations its nodes saved for ``backward()``.

Unit tests: tests/test_saved_memory.py.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import torch


@contextmanager
def held(exclude: Iterable[torch.Tensor] = ()) -> Iterator[Callable[[], float]]:
    """Count the saved activations of the graphs built inside the ``with`` block.

    Yields a function returning the megabytes (1e6 bytes) of saved tensors still held: each
    storage counted once, and released when the graph that saved it is freed (``del`` of its
    last output, or ``backward()``). The function keeps working after the block ends.

    exclude: tensors alive anyway (the input batch, the parameters), whose storage a graph
        saves without costing memory; they are not counted. Introduced in 04_autograd_graph.
    """
    if isinstance(exclude, torch.Tensor) or not isinstance(exclude, Iterable):
        raise TypeError(f"exclude must be a list of tensors, got {type(exclude).__name__}: "
                        "write exclude=[batch, *net.parameters()]")
    exclude = list(exclude)
    for t in exclude:
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"exclude holds a {type(t).__name__}, not a tensor: pass the "
                            "tensors themselves, e.g. exclude=[batch, *net.parameters()]")
    shared = {t.untyped_storage().data_ptr() for t in exclude}
    alive: dict[int, tuple[int, int]] = {}  # id of a Saved -> (storage address, bytes)

    class Saved:  # what a node holds instead of the tensor; deleted with its graph
        def __init__(self, t: torch.Tensor):
            storage = t.untyped_storage()
            self.t = t.detach()
            alive[id(self)] = (storage.data_ptr(), storage.nbytes())

        def __del__(self):
            alive.pop(id(self), None)

    def pack(t: torch.Tensor):
        return t if t.untyped_storage().data_ptr() in shared else Saved(t)

    def unpack(s):
        return s.t if isinstance(s, Saved) else s

    def held_mb() -> float:
        return sum(dict(alive.values()).values()) / 1e6  # each storage once

    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        yield held_mb
