"""Execute a notebook top to bottom in a fresh kernel: the one runner of `make execute`,
`make timings` and `make memory`.

The kernel is `python3`, started in the notebook's folder; cell timing is not recorded (the
stored notebooks carry none) and the kernel is stopped at once after the last cell, as nbval
stops it (a polite shutdown adds 1.5 to 3 s of Python tearing down torch, which nobody waits for).
"""
from __future__ import annotations

import resource
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TIMEOUT = 900  # seconds a cell may take (07's training, on a slow shared machine)

PEAK_PROBE = r"""
import json as _json, resource as _resource, sys as _sys
def _peak():
    scale = 1 if _sys.platform == "darwin" else 1024          # ru_maxrss: bytes on macOS, KiB elsewhere
    out = {"self_mb": _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss * scale / 1e6,
           "children_mb": _resource.getrusage(_resource.RUSAGE_CHILDREN).ru_maxrss * scale / 1e6}
    try:
        for line in open("/proc/self/status"):
            if line.startswith(("VmHWM:", "VmRSS:")):
                out[line.split(":")[0]] = int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return out
print("PEAK_RSS " + _json.dumps(_peak()))
"""
"""Code that prints the running kernel's peak resident memory (VmHWM on Linux, else ru_maxrss)
as one line ``PEAK_RSS {json}``; tools/peak_rss.py and the notebook tests run it after the last cell."""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int = TIMEOUT) -> dict:
    """Run every cell of ``nb`` in place in a fresh kernel in ``cwd``.

    Returns {"seconds", "cpu_seconds"}: the wall clock from starting the kernel to the last
    cell's reply, and the kernel's CPU time, all threads (counted once it has exited; it hardly
    depends on how busy the machine is, the wall clock does).
    """
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            shutdown_kernel="immediate", resources={"metadata": {"path": str(cwd)}})
    start, cpu = time.perf_counter(), children_cpu()
    client.execute()
    return {"seconds": time.perf_counter() - start, "cpu_seconds": children_cpu() - cpu}

