"""What Binder builds: repo2docker's pip build pack with exactly requirements.txt's pins.

binder/requirements.txt must hold the pins of requirements.txt (torch and torchvision as the
CPU-only build of PyTorch's own wheel index, ``+cpu``), and binder/ must hold no
environment.yml, which repo2docker would prefer. ``repo2docker --no-build --debug .`` prints the
Dockerfile it would build, without Docker: it must install binder/requirements.txt with pip,
run binder/postBuild and start through binder/start. repo2docker lives in its own environment
(`make repo2docker`, which .ci/run calls); without it the Dockerfile tests skip, and with
CI=true they fail.
"""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT
from test_environment_files import requirement_names

R2D = ROOT / ".venv-repo2docker" / "bin" / "repo2docker"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CPU_BUILD = {"torch", "torchvision"}  # from CPU_INDEX, one build: a `+cpu` local label on the pin


def binder_pins(text: str) -> dict:
    """{name: version} of binder/requirements.txt, with the `+cpu` label of torch/torchvision."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, _, version = line.partition("==")
            assert version, f"binder/requirements.txt must pin exact versions: {line!r}"
            pins[name.strip().lower()] = version.strip()
    return pins


def test_binder_requirements_hold_exactly_the_pins_of_requirements_txt():
    text = (ROOT / "binder/requirements.txt").read_text()
    pins = requirement_names((ROOT / "requirements.txt").read_text())
    binder = binder_pins(text)
    assert set(binder) == set(pins), (f"only in binder/requirements.txt: {sorted(set(binder) - set(pins))}; "
                                      f"only in requirements.txt: {sorted(set(pins) - set(binder))}")
    expected = {name: version + ("+cpu" if name in CPU_BUILD else "") for name, version in pins.items()}
    wrong = {name: (binder[name], expected[name]) for name in pins if binder[name] != expected[name]}
    assert not wrong, f"binder/requirements.txt pins (found, expected): {wrong}"
    options = [line.split() for line in text.splitlines() if line.strip().startswith("-")]
    assert options == [["--extra-index-url", CPU_INDEX]], options


def test_binder_uses_the_pip_build_pack_and_the_python_of_the_environment_files():
    assert not (ROOT / "binder" / "environment.yml").exists(), "repo2docker would build binder/environment.yml"
    assert not (ROOT / "binder" / "Dockerfile").exists()
    runtime = (ROOT / "binder/runtime.txt").read_text().strip()
    env = (ROOT / "environment.yml").read_text()
    assert f"- python={runtime.removeprefix('python-')}\n" in env, (runtime, "environment.yml's python")


def test_binder_prepares_the_data_and_caps_threads():
    post = ROOT / "binder/postBuild"
    assert os.access(post, os.X_OK) and "set -e" in post.read_text() and "prepare_mnist" in post.read_text()
    start = ROOT / "binder/start"
    assert os.access(start, os.X_OK) and "OMP_NUM_THREADS" in start.read_text()
    assert start.read_text().rstrip().endswith('exec "$@"')


# ---- the Dockerfile repo2docker would build --------------------------------------------------

def repo2docker() -> str:
    found = str(R2D) if os.access(R2D, os.X_OK) else shutil.which("repo2docker")
    if found is None:
        reason = "repo2docker is not installed (make repo2docker; .ci/run installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true, so the Binder test must run, but {reason}", pytrace=False)
        pytest.skip(f"Binder Dockerfile test skipped: {reason}")
    return found


def dockerfile(repo) -> str:
    """The Dockerfile repo2docker would build from ``repo`` (its --debug output)."""
    result = subprocess.run([repo2docker(), "--no-build", "--debug", "."], cwd=repo, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    text = result.stdout + result.stderr
    assert "FROM " in text, text[-2000:]
    return text[text.index("FROM "):]


def problems(text: str) -> list[str]:
    """What in a Dockerfile is not the pip build of binder/requirements.txt with our postBuild and start."""
    lines = [line.strip() for line in text.splitlines()]
    out = []
    if not any(line.startswith("RUN ") and "/bin/pip install" in line and '-r "binder/requirements.txt"' in line
               for line in lines):
        out.append("binder/requirements.txt is not installed with pip")
    if any("environment.yml" in line for line in lines if line.startswith(("RUN", "COPY"))):
        out.append("an environment.yml is built (conda build pack)")
    if "RUN ./binder/postBuild" not in lines:
        out.append("binder/postBuild is not run")
    if not any(line.startswith("ENV R2D_ENTRYPOINT=") and line.endswith("/binder/start\"") for line in lines):
        out.append("binder/start is not the entry point")
    return out


def test_repo2docker_would_build_binder_with_pip_our_pins_postbuild_and_start():
    text = dockerfile(ROOT)
    assert problems(text) == []
    assert "python=3.11" in text or "py-3.11" in text, "the Python of binder/runtime.txt"


def test_the_dockerfile_check_fails_on_a_conda_binder(tmp_path):
    """The check can fail: with binder/environment.yml back, repo2docker builds conda's pytorch."""
    repo = tmp_path / "repo"
    (repo / "binder").mkdir(parents=True)
    for name in ("requirements.txt", "runtime.txt", "postBuild", "start"):
        shutil.copy2(ROOT / "binder" / name, repo / "binder" / name)
    (repo / "binder" / "environment.yml").write_text(
        "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pytorch-cpu>=2.13.0\n")
    found = problems(dockerfile(repo))
    assert "binder/requirements.txt is not installed with pip" in found
    assert "an environment.yml is built (conda build pack)" in found
