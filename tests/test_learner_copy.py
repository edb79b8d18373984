"""student/, the committed student copy (tools/learner_copy.py, `make student`): current, and what
every learner link opens; no solution in it; every picture in it loads where Colab opens a
notebook alone.

Learner links: the README's badges and map, the instructor guide's student-copy links, the
website's launch buttons, and the links between the student notebooks (navigation, 00's map).
Each is followed to a file of this repository, which must exist and hold no cell tagged
`solution`. (The guide's JupyterHub link opens the `student` branch, which an instructor
publishes from `make student`'s build/student/: tests/test_student_build.py checks that build.)
"""
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from conftest import ROOT

import learner_copy
import nav
from lenetlab import settings

STUDENT = ROOT / settings.LEARNER_DIR
LINK = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>\s]+)>")
PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)|<img\s[^>]*?src=\"([^\"]+)\"")


def test_the_student_copy_is_current():
    stale = learner_copy.stale(ROOT)
    assert not stale, ("student/ (the committed student copy learner links open) is stale: run `make student` "
                       "and commit student/. Stale: " + ", ".join(stale))


def test_the_student_copy_links_the_modules_instead_of_copying_them():
    texts, links = learner_copy.expected(ROOT)
    assert {"helpers.py", "checks"} <= set(links) and len(texts) == len(nav.notebook_paths(ROOT))
    for name in links:
        assert (STUDENT / name).is_symlink() and (STUDENT / name).resolve() == (ROOT / "notebooks" / name).resolve()


def test_a_stale_student_copy_is_found(tmp_path):
    """The currency check can fail: a notebook edited after `make student`, a module added."""
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    for path in nav.notebook_paths(ROOT)[:2]:
        (repo / "notebooks" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "notebooks" / "helpers.py").write_text("")
    assert learner_copy.stale(repo)
    learner_copy.write(repo)
    assert learner_copy.stale(repo) == []
    first = nav.notebook_paths(repo)[0]
    nb = nav.load(first)
    nb["cells"][1]["source"] += "\nEdited."
    first.write_text(nav.dumps(nb), encoding="utf-8")
    (repo / "notebooks" / "figures.py").write_text("")
    assert learner_copy.stale(repo) == [f"student/{first.name}", "student/figures.py (a link to ../notebooks/figures.py)"]


# ---- learner links ------------------------------------------------------------------------------

def repo_path(url: str, base: Path) -> tuple[str, str] | None:
    """(branch, path in the repository) a link opens, or None for a link to something else."""
    parsed = urlparse(url)
    if parsed.netloc == "mybinder.org" and parsed.path.startswith(f"/v2/gh/{settings.REPO}/"):
        branch = parsed.path.split("/")[5]
        return branch, unquote(parse_qs(parsed.query)["urlpath"][0]).removeprefix("lab/tree/")
    if parsed.netloc == "colab.research.google.com":
        m = re.fullmatch(rf"/github/{settings.REPO}/blob/([^/]+)/(.+)", parsed.path)
        return (m.group(1), m.group(2)) if m else None
    if "git-pull" in parsed.path:
        query = parse_qs(parsed.query)
        folder = query.get("targetpath", [settings.REPO.split("/")[1]])[0]
        return query["branch"][0], unquote(query["urlpath"][0]).removeprefix(f"lab/tree/{folder}/")
    if parsed.netloc == "github.com":
        m = re.fullmatch(rf"/{settings.REPO}/blob/([^/]+)/(.+)", parsed.path)
        return (m.group(1), m.group(2)) if m else None
    if not parsed.scheme and parsed.path.endswith(".ipynb"):
        return settings.BRANCH, (base / parsed.path).resolve().relative_to(ROOT).as_posix()
    return None


def notebook_targets(text: str, base: Path) -> list[tuple[str, str]]:
    """(branch, path) of every link to a notebook in ``text``."""
    found = [repo_path(a or b, base) for a, b in LINK.findall(text)]
    return [t for t in found if t and t[1].endswith(".ipynb")]


def has_solution(path: str) -> bool:
    return any("solution" in nav.tags(c) for c in nav.load(ROOT / path)["cells"])


def readme_learner_links() -> list[tuple[str, str]]:
    """Every notebook link of the README's part for learners (badges, map)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("<!-- END LEARNER PART -->")[0]
    return notebook_targets(text, ROOT)


def guide_learner_links() -> list[tuple[str, str]]:
    lines = [line for line in (ROOT / "docs/instructor_guide.md").read_text(encoding="utf-8").splitlines()
             if "student copy:" in line]
    return notebook_targets("\n".join(lines), ROOT / "docs")


def site_learner_links() -> list[tuple[str, str]]:
    import lenet_site
    return [repo_path(url, ROOT) for p in nav.notebook_paths(ROOT)
            for url in lenet_site.launch_links(f"notebooks/{p.name}").values()]


def notebook_learner_links() -> list[tuple[str, str]]:
    """Links between the student notebooks: navigation, 00's map, "Next"."""
    out = []
    for path in sorted(STUDENT.glob("*.ipynb")):
        text = "\n".join(nav.source(c) for c in nav.load(path)["cells"] if c["cell_type"] == "markdown")
        out += notebook_targets(text, STUDENT)
    return out


SOURCES = {"README": readme_learner_links, "instructor guide": guide_learner_links,
           "website launch buttons": site_learner_links, "student notebooks": notebook_learner_links}
LEAST = {"README": 2 + 2 * 9, "instructor guide": 2, "website launch buttons": 3 * 9, "student notebooks": 9}


@pytest.mark.parametrize("source", SOURCES)
def test_every_learner_link_opens_a_notebook_without_solutions(source):
    links = SOURCES[source]()
    assert len(links) >= LEAST[source], f"{source}: found only {len(links)} learner links"
    handout = [t for t in links if t[0] == settings.STUDENT_BRANCH]
    assert source == "instructor guide" or not handout, f"{source}: links to the `student` branch {handout}"
    problems = []
    for branch, path in links:
        if branch == settings.STUDENT_BRANCH:
            continue  # build/student, published by the instructor: tests/test_student_build.py
        if branch != settings.BRANCH:
            problems.append(f"{path}: branch {branch}, not {settings.BRANCH}")
        elif not (ROOT / path).is_file():
            problems.append(f"{path}: no such file")
        elif not path.startswith(f"{settings.LEARNER_DIR}/") or has_solution(path):
            problems.append(f"{path}: the instructor copy, with solutions")
    assert not problems, f"{source}: " + "; ".join(sorted(set(problems)))


def test_the_solution_check_can_fail():
    """The instructor copy has solution cells, and a link to it is recognized as one."""
    assert any(has_solution(f"notebooks/{p.name}") for p in nav.notebook_paths(ROOT))
    assert not any(has_solution(f"student/{p.name}") for p in nav.notebook_paths(ROOT))
    assert repo_path(settings.colab_url("notebooks/03_convolution_arithmetic.ipynb"), ROOT) == (
        settings.BRANCH, "notebooks/03_convolution_arithmetic.ipynb")
    assert repo_path(settings.binder_url("notebooks/03_convolution_arithmetic.ipynb"), ROOT)[1].startswith("notebooks/")


# ---- pictures -------------------------------------------------------------------------------

def pictures(path: Path) -> list[str]:
    nb = nav.load(path)
    return [a or b for c in nb["cells"] if c["cell_type"] == "markdown" for a, b in PICTURE.findall(nav.source(c))]


@pytest.mark.parametrize("path", sorted(STUDENT.glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_picture_of_the_student_copy_loads_on_colab(path):
    """Colab opens a notebook alone: a picture must be an address on GitHub, of a file in imgs/
    (raw.githubusercontent.com, REPO and BRANCH of tools/nav.py)."""
    prefix = learner_copy.raw_url("")
    for url in pictures(path):
        assert url.startswith(prefix), f"{path.name}: picture {url} does not load where the notebook is alone"
        file = ROOT / url[len(prefix):]
        assert file.is_file() and url[len(prefix):].startswith("imgs/"), f"{path.name}: {url} names no file in imgs/"


def test_the_instructor_copy_keeps_relative_pictures_and_the_student_copy_has_them_all():
    """Offline JupyterLab shows the instructor copy's ../imgs pictures; the student copy holds the
    same pictures, by URL."""
    for path in nav.notebook_paths(ROOT):
        relative = pictures(path)
        assert all(p.startswith("../imgs/") and (path.parent / p).is_file() for p in relative), relative
        assert pictures(STUDENT / path.name) == [learner_copy.raw_url(p[len("../"):]) for p in relative]
    assert sum(len(pictures(p)) for p in nav.notebook_paths(ROOT)) >= 4  # 03's animations at least


def test_absolute_pictures_rewrites_markdown_and_html():
    text = '![a](../imgs/x.gif) and <img alt="b" src="../imgs/y.png"> and [link](../imgs/z.gif)'
    assert learner_copy.absolute_pictures(text) == (
        f'![a]({learner_copy.raw_url("imgs/x.gif")}) and <img alt="b" src="{learner_copy.raw_url("imgs/y.png")}">'
        " and [link](../imgs/z.gif)")


def test_the_student_copy_tells_a_learner_on_their_own_where_the_solutions_are():
    for path in nav.notebook_paths(ROOT):
        original = "\n".join(nav.source(c) for c in nav.load(path)["cells"])
        text = "\n".join(nav.source(c) for c in nav.load(STUDENT / path.name)["cells"])
        assert "<!--solutions-->" not in text and learner_copy.student.STUDENT_SOLUTIONS not in text
        assert text.count(learner_copy.LEARNER_SOLUTIONS) == original.count("<!--solutions-->"), path.name
