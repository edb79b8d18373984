"""Run the notebook tests (strict nbval) under lower CPU levels than this machine's best.

Float results differ in their last bits between instruction sets, so a stored output that
prints rounding noise passes on one CPU and fails on another. `make test` runs the notebooks at
this machine's best kernels; this script runs them again with PyTorch, oneDNN and MKL capped
together, as a laptop with AVX2 only and a baseline x86-64 CPU would run them:

    avx2     ATEN_CPU_CAPABILITY=avx2     ONEDNN_MAX_CPU_ISA=AVX2   MKL_ENABLE_INSTRUCTIONS=AVX2
    default  ATEN_CPU_CAPABILITY=default  ONEDNN_MAX_CPU_ISA=SSE41  MKL_ENABLE_INSTRUCTIONS=SSE4_2

tests/test_cpu_level.py runs in each pass and checks, inside a real kernel, that the caps took
effect. A level this CPU cannot run (avx2 on a CPU without it, or any cap on a non-x86 CPU) is
skipped with a message: forcing a kernel the CPU lacks crashes with an illegal instruction.

    python tools/cpu_levels.py                 # both levels, every notebook
    python tools/cpu_levels.py default -- -k 06  # one level, extra pytest arguments
    python tools/cpu_levels.py default -- notebooks/05_loss_and_backward.ipynb  # one notebook
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEVELS = {
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    "default": {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41",
                "MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
}


def cpu_flags() -> set[str]:
    """The CPU's feature flags from /proc/cpuinfo (empty where there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def runnable(level: str) -> str | None:
    """None if this CPU can run ``level``, else the reason it cannot."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return f"the caps are x86 instruction sets; this CPU is {platform.machine()}"
    if level == "avx2" and not {"avx2", "fma"} <= cpu_flags():
        return "this CPU has no AVX2/FMA: forcing those kernels would crash"
    return None


def main(argv: list[str]) -> int:
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    names = (argv[:argv.index("--")] if "--" in argv else argv) or list(LEVELS)
    unknown = [n for n in names if n not in LEVELS]
    if unknown:
        print(f"unknown CPU level(s) {unknown}: choose from {list(LEVELS)}", file=sys.stderr)
        return 2
    failed = 0
    for name in names:
        reason = runnable(name)
        if reason:
            print(f"== CPU level {name}: skipped ({reason})")
            continue
        env = dict(os.environ, **LEVELS[name], LENET_CPU_LEVEL=name)
        chosen = [] if any(a.endswith(".ipynb") for a in extra) else ["notebooks"]  # some notebooks, or all
        command = [sys.executable, "-m", "pytest", *chosen, "tests/test_cpu_level.py", *extra]
        print(f"== CPU level {name}: {' '.join(f'{k}={v}' for k, v in LEVELS[name].items())}", flush=True)
        start = time.monotonic()
        code = subprocess.call(command, cwd=ROOT, env=env)
        print(f"== CPU level {name}: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - start:.0f} s",
              flush=True)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
