"""The Colab set-up cell that tools/nav.py puts in every notebook, tested without Colab.

A fake ``google.colab`` module is imported at kernel start (as Colab does), the notebook sits
alone in an empty folder (as Colab opens it), and ``LENET_REPO_URL`` points the cell at a local
clone source: a git repository made from this working tree after `make nav`. The notebook must
then run to the end. The student copy (student/, what learner links open) is tested the same way:
its cell must move into student/ and find the modules there. By default three notebooks run
(00 of both copies and the student copy's 02, about a minute and a half together);
``LENET_COLAB_NOTEBOOKS=all`` (or ``=03,07``) runs those numbers of both copies.

Outside Colab the cell must do nothing and print nothing: strict nbval compares its empty output.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

import learner_copy
import nav
from conftest import ROOT
from lenetlab import notebooks, settings

pytestmark = pytest.mark.kernel  # each test runs a notebook in a kernel

DEFAULT = (("notebooks", "00"), (settings.LEARNER_DIR, "00"), (settings.LEARNER_DIR, "02"))
FAKE_COLAB = '''"""A stand-in for Colab's google.colab, enough for the set-up cell."""'''
FAKE_OUTPUT = '''"""Records that the set-up cell turned Colab's widget manager on."""
import os


def enable_custom_widget_manager():
    with open(os.environ["FAKE_COLAB_LOG"], "a") as log:
        log.write("enable_custom_widget_manager\\n")
'''


def chosen() -> list[tuple[str, str]]:
    """(folder, notebook number) pairs to run."""
    wanted = os.environ.get("LENET_COLAB_NOTEBOOKS", "")
    numbers = [p.name[:2] for p in notebooks.notebook_paths(ROOT)]
    if not wanted:
        return list(DEFAULT)
    picked = numbers if wanted == "all" else [n for n in wanted.split(",") if n in numbers]
    return [(folder, n) for n in picked for folder in ("notebooks", settings.LEARNER_DIR)]


def git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main",
                    *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def source_repo(tmp_path_factory):
    """This working tree (tracked and untracked files, as they would be committed) after `make nav`,
    committed on the branch the cell clones: what GitHub would serve."""
    repo = tmp_path_factory.mktemp("github") / settings.REPO.split("/")[1]
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if name.startswith(("build/", ".venv")) or "node_modules/" in name:
            continue
        if src.is_symlink():  # student/'s links to the modules in notebooks/, as git stores them
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).symlink_to(os.readlink(src))
        elif src.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / name)
    nav.run(repo)  # the Colab cell in every notebook, as after `make nav`
    learner_copy.write(repo)  # and the student copy, as after `make student`
    git("init", "-q", "-b", settings.BRANCH, cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "snapshot", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def fake_colab(tmp_path_factory):
    """PYTHONPATH with google.colab, and an IPython profile that imports it at kernel start."""
    base = tmp_path_factory.mktemp("fake_colab")
    pkg = base / "site" / "google" / "colab"   # `google` stays a namespace package
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(FAKE_COLAB)
    (pkg / "output.py").write_text(FAKE_OUTPUT)
    startup = base / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab\n")
    return base


def run_notebook(path, cwd, env):
    """Execute ``path`` in a fresh python3 kernel started in ``cwd`` with ``env``; return the notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    old = dict(os.environ)
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    return nb


@pytest.mark.parametrize("folder, number", chosen(), ids=lambda v: v)
def test_a_notebook_opened_alone_on_colab_fetches_the_repository_and_runs_to_the_end(
        folder, number, source_repo, fake_colab, tmp_path):
    name = next(p.name for p in notebooks.notebook_paths(source_repo) if p.name.startswith(number + "_"))
    alone = tmp_path / "content"  # Colab's working folder: the notebook and nothing else
    alone.mkdir()
    shutil.copy(source_repo / folder / name, alone / name)
    log = tmp_path / "colab.log"
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(fake_colab / "site"), os.environ.get("PYTHONPATH")])),
           "IPYTHONDIR": str(fake_colab / "ipython"),
           settings.REPO_URL_ENV: source_repo.as_uri(),
           "FAKE_COLAB_LOG": str(log)}
    nb = run_notebook(alone / name, alone, env)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    first = cells[0]
    assert nav.COLAB_TAG in first.metadata.get("tags", []), "the Colab cell must be the first code cell"
    said = "".join(o.get("text", "") for o in first.outputs)
    clone = alone / settings.REPO.split("/")[1]
    assert "On Colab: working in" in said and str(clone / folder) in said.split()
    assert (clone / folder / "helpers.py").exists()
    assert log.read_text() == "enable_custom_widget_manager\n"
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert errors == [] and all(c.execution_count for c in cells if c.source.strip()), "ran to the end"


def test_outside_colab_the_cell_does_nothing_and_prints_nothing(tmp_path):
    code = nav.colab_source() + "\nprint('cwd', os.getcwd() == START, 'modules', 'subprocess' in dir())\n"
    result = subprocess.run([sys.executable, "-c", "import os; START = os.getcwd()\n" + code], cwd=tmp_path,
                            capture_output=True, text=True, env={**os.environ, settings.REPO_URL_ENV: "/nowhere"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "cwd True modules False\n" and result.stderr == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", notebooks.notebook_paths(ROOT), ids=lambda p: p.stem)
def test_the_generated_cell_is_first_and_its_stored_output_empty(path):
    """After `make nav` every notebook holds the cell: first code cell, tagged, no output."""
    nb = json.loads(nav.generate(ROOT)[path])
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert notebooks.is_colab(code[0]) and code[0]["outputs"] == [] and nav.COLAB_TAG in notebooks.tags(code[0])
    assert sum(notebooks.is_colab(c) for c in nb["cells"]) == 1
    counts = [c["execution_count"] for c in code if notebooks.source(c).strip()]
    assert counts == list(range(1, len(counts) + 1))
