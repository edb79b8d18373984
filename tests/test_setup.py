"""`make lab`/`make venv` when the machine is not ready: each failure mode explains itself.

The real Makefile runs in a temporary folder with an empty requirements.txt (nothing to
download: offline and fast) and, where a failure is simulated, a fake `python3` or `id`:

* Debian/Ubuntu without python3-venv: `python3 -m venv` fails after creating `.venv/bin/python`
  (without pip). `make` must stop with the fix in one line and leave no half-made `.venv`, so
  that the run after the fix works without deleting anything by hand;
* a half-made `.venv` left by an older Makefile: detected, removed and made again;
* Python below 3.11: named, with the fix;
* root: `make lab` starts JupyterLab anyway with --allow-root and a one-line warning.
"""
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
REAL_PYTHON = sys.executable


def script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def work(tmp_path):
    """The real Makefile beside an empty requirements.txt."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "requirements.txt").write_text("# nothing to install in this test\n")
    return tmp_path


def make(work: Path, *args, path_extra: Path | None = None):
    env = dict(os.environ)
    env.pop("MAKEFLAGS", None)
    if path_extra:
        env["PATH"] = f"{path_extra}{os.pathsep}{env['PATH']}"
    return subprocess.run(["make", "--no-print-directory", *args], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)


def no_venv_module_python(folder: Path) -> Path:
    """A python3 like Debian's without python3-venv: `-m venv DIR` creates DIR/bin/python, then fails."""
    return script(folder / "python3", f"""\
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/bin/sh\\necho "/usr/bin/python3: No module named pip" >&2\\nexit 1\\n' > "$3/bin/python"
  chmod +x "$3/bin/python"
  echo "The virtual environment was not created successfully because ensurepip is not available." >&2
  exit 1
fi
exec "{REAL_PYTHON}" "$@"
""")


def test_without_python3_venv_make_stops_with_the_fix_and_the_next_run_works(work, tmp_path):
    fake = no_venv_module_python(tmp_path / "fake")
    result = make(work, "venv", f"PYTHON={fake}")
    assert result.returncode != 0
    said = [line for line in (result.stdout + result.stderr).splitlines() if "apt-get install python3-venv" in line]
    assert len(said) == 1 and "then make lab again" in said[0], result.stdout + result.stderr
    assert not (work / ".venv").exists(), "a half-made .venv would make the next run fail"
    # after `apt-get install python3-venv`: the same command, nothing deleted by hand
    result = make(work, "venv", f"PYTHON={REAL_PYTHON}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (work / ".venv" / ".installed-from-requirements").exists()
    assert subprocess.run([str(work / ".venv" / "bin" / "python"), "-m", "pip", "--version"],
                          capture_output=True).returncode == 0


def test_a_half_made_venv_from_an_earlier_run_is_rebuilt(work):
    script(work / ".venv" / "bin" / "python", 'echo "No module named pip" >&2\nexit 1\n')
    result = make(work, "venv", f"PYTHON={REAL_PYTHON}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ".venv is half-made (no working pip in it): removing it and creating it again" in result.stdout
    assert subprocess.run([str(work / ".venv" / "bin" / "python"), "-m", "pip", "--version"],
                          capture_output=True).returncode == 0


def test_a_python_below_3_11_is_named_with_the_fix(work, tmp_path):
    old = script(tmp_path / "fake" / "python3", f"""\
if [ "$1" = "-c" ]; then exec "{REAL_PYTHON}" -c "import sys; sys.version_info = (3, 10, 12, 'final', 0)
$2"; fi
exec "{REAL_PYTHON}" "$@"
""")
    result = make(work, "venv", f"PYTHON={old}")
    assert result.returncode != 0
    assert "LeNet Lab needs Python >= 3.11 (the pinned torch, numpy and matplotlib need it); found 3.10. Install a newer Python or run: make PYTHON=python3.12" in result.stderr
    assert not (work / ".venv").exists()


@pytest.mark.parametrize("uid", ["0", "1000"])
def test_as_root_make_lab_starts_anyway_with_a_warning(work, tmp_path, uid):
    script(tmp_path / "fake" / "id", f'[ "$1" = "-u" ] && echo {uid} && exit 0\nexec /usr/bin/id "$@"\n')
    script(work / ".venv" / "bin" / "jupyter", 'echo "jupyter $*"\n')
    # -o: venv and data count as done, so only the lab rule's own lines run (with the fake jupyter)
    result = make(work, "-o", "venv", "-o", "data", "lab", path_extra=tmp_path / "fake")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    if uid == "0":
        assert lines == ["Warning: running as root, so JupyterLab starts with --allow-root "
                         "(better: run make lab as a normal user)",
                         "jupyter lab --notebook-dir=notebooks --allow-root"]
    else:
        assert lines == ["jupyter lab --notebook-dir=notebooks"]
