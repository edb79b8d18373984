"""Inside a real Jupyter kernel, the CPU level that tools/cpu_levels.py asked for is in force.

Without LENET_CPU_LEVEL (plain `make test`) the kernel must run this machine's best kernels:
no cap inherited from the shell by accident.
"""
import os

import pytest
from jupyter_client.manager import KernelManager

EXPECTED = {"avx2": ("AVX2", "AVX2"), "default": ("DEFAULT", "SSE41")}


def run_in_kernel(code: str, folder) -> str:
    # IPC sockets in a folder of this test's own: TCP ports picked by two kernels starting at once
    # (pytest and the CPU levels run side by side) can collide, and the kernel dies at start.
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(folder / "kernel"))
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    try:
        out = []
        client.execute_interactive(code, timeout=120, output_hook=lambda msg: out.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
        return "".join(out).strip()
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_the_kernel_runs_the_requested_cpu_level(tmp_path):
    shown = run_in_kernel("import os, torch\n"
                          "print(torch.backends.cpu.get_cpu_capability(), os.environ.get('ONEDNN_MAX_CPU_ISA', '-'))",
                          tmp_path)
    capability, onednn = shown.split()
    level = os.environ.get("LENET_CPU_LEVEL")
    if level is None:
        assert onednn == "-" and "ATEN_CPU_CAPABILITY" not in os.environ, (
            "plain `make test` must run at this CPU's best kernels; unset ATEN_CPU_CAPABILITY and ONEDNN_MAX_CPU_ISA")
        assert capability in {"DEFAULT", "AVX2", "AVX512", "NEON", "SVE256", "SVE", "VSX", "ZVECTOR"}, capability
    else:
        assert (capability, onednn) == EXPECTED[level], f"asked for {level}, the kernel runs {shown}"
