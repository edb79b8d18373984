"""Repository settings and the links built from them.

The public repository is not known yet: ``REPO`` below is the ONE place it is written. Change it
and run `make nav`; README.md, docs/instructor_guide.md and the student README pick it up.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

REPO = "lenet-lab/lenet-lab"  # GitHub owner/name (placeholder)
BRANCH = "main"
STUDENT_BRANCH = "student"  # where an instructor may publish build/student (see the guide)
REPO_URL_ENV = "LENET_REPO_URL"  # overrides the clone address of the Colab cell (tests/test_colab.py)
LEARNER_DIR = "student"  # the committed student copy (tools/learner_copy.py): what learner links open

ROOT = Path(__file__).resolve().parents[2]
TIMINGS = Path("docs/timings.json")
MEMORY = Path("docs/memory.json")  # peak memory of each notebook's kernel (tools/peak_rss.py)
README = Path("README.md")
GUIDE = Path("docs/instructor_guide.md")
ATTEMPTS = Path("tools/exercises")  # lessonNN.py: one entry per exercise, keyed by its id

BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
FIRST = "notebooks/00_start_here.ipynb"



def learner_path(name: str = "00_start_here.ipynb") -> str:
    """A notebook of the student copy (no solutions), the one learner links open."""
    return f"{LEARNER_DIR}/{name}"


def binder_url(path: str = FIRST, repo: str = REPO, branch: str = BRANCH) -> str:
    return f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath={quote('lab/tree/' + path, safe='')}"


def repo_url(repo: str = REPO) -> str:
    """The address the Colab cell clones."""
    return f"https://github.com/{repo}"


def colab_url(path: str = FIRST, repo: str = REPO, branch: str = BRANCH) -> str:
    """Open a notebook of the repository in Google Colab (its first code cell fetches the rest)."""
    return f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"


def nbgitpuller_url(path: str = FIRST, hub: str = "https://HUB.example.org",
                    repo: str = REPO, branch: str = BRANCH, targetpath: str | None = None) -> str:
    """A link that clones (first click) or pulls (later clicks) the repository on a JupyterHub.

    Without ``targetpath`` nbgitpuller clones into a folder named after the repository; give the
    student copy its own ``targetpath`` so the two never land in one folder.
    """
    folder = targetpath or repo.split("/")[1]
    target = f"&targetpath={quote(targetpath, safe='')}" if targetpath else ""
    return (f"{hub}/hub/user-redirect/git-pull?repo={quote(f'https://github.com/{repo}', safe='')}"
            f"&branch={branch}{target}&urlpath={quote(f'lab/tree/{folder}/{path}', safe='')}")


def github_url(path: str = "", repo: str = REPO, branch: str = BRANCH) -> str:
    return f"https://github.com/{repo}" + (f"/blob/{branch}/{path}" if path else "")


def student_folder(repo: str = REPO) -> str:
    """The folder nbgitpuller clones the student copy into (the main copy goes to the repository's name)."""
    return f"{repo.split('/')[1]}-{STUDENT_BRANCH}"
