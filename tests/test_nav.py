"""tools/nav.py: navigation cells, slide metadata, the README map and the guide tables."""
import json
import math
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from kit_fixtures import code, fake_repo, md, notebook, write_notebook
import nav
from lenetlab import exercises, minutes, notebooks, plans, settings, tables

REAL = notebooks.notebook_paths(ROOT)


def run_cli(*args, root=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "tools" / "nav.py"), "--root", str(root), *args],
                          capture_output=True, text=True)


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def snapshot(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---- the real repository --------------------------------------------------------------------

def test_the_repository_is_up_to_date():
    """Fails when a notebook, README.md or the guide differs from what `make nav` writes."""
    result = run_cli("--check")
    assert result.returncode == 0, f"run `make timings` (if asked) and `make nav`:\n{result.stderr}"


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_notebook_has_a_title_and_learning_bullets(path):
    info = notebooks.read_notebook(path)
    assert info.title and not info.title.startswith("#")
    assert len(info.learn) >= 2, f"{path.name}: list what the student will learn under **What you will learn**"


@pytest.mark.parametrize("plan", list(plans.PLANS))
def test_each_plan_fits_its_time_with_the_measured_minutes(plan):
    lessons = [notebooks.read_notebook(p) for p in REAL]
    rows, total, missing = tables.plan_schedule(plans.PLANS[plan], lessons, minutes.load_timings(ROOT))
    assert not missing, f"not measured: {missing}: run `make timings`"
    room = plans.PLAN_LIMITS[plan] - plans.SLACK[plan]
    assert total <= room, (f"{plan} needs {total} minutes, {room} fit (it keeps {plans.SLACK[plan]} minutes of slack): "
                           "shorten the notebooks' core paths or PLANS in tools/lenetlab/plans.py")
    assert {key for key, *_ in plans.PLANS[plan]} - {"break"} <= {nb.number for nb in lessons}


def test_the_three_hour_plan_reaches_manual_weight_updates():
    """The workshop walks the room from LeNet's definition to torch.optim: the core of 00-06, 07 shown."""
    items = {key: mode for key, mode, _ in plans.PLANS["3-hour workshop"] if key != "break"}
    assert items == {"00": "demo", "01": "core", "02": "core", "03": "core", "04": "core", "05": "core",
                     "06": "core", "07": "demo"}
    assert sum(key == "break" for key, *_ in plans.PLANS["3-hour workshop"]) == 1
    assert {key for key, *_ in plans.PLANS["Full day"]} - {"break"} == {f"{n:02d}" for n in range(9)}


def test_the_guide_cites_sections_that_exist():
    """Every "`NN_name` §k" in the guide names a notebook and one of its numbered headings."""
    text = (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    cited = [(m.group(1), n) for m in re.finditer(r"`(\d\d_[a-z0-9_]+)`([^`|;()]*)", text)
             for n in re.findall(r"§(\d+(?:\.\d+)?)", m.group(2))]
    assert len(cited) > 20
    for stem, number in cited:
        path = ROOT / "notebooks" / f"{stem}.ipynb"
        assert path.exists(), f"the guide cites {stem}, which does not exist"
        headings = "\n".join(notebooks.source(c) for c in notebooks.load(path)["cells"] if c["cell_type"] == "markdown")
        assert re.search(rf"^#{{2,3}} {re.escape(number)}[. ]", headings, re.M), f"{stem} has no section {number}"


def test_the_placeholder_repository_is_written_in_one_place():
    """README.md and the guide mention the repository only inside generated sections."""
    settings_py = ROOT / "tools" / "lenetlab" / "settings.py"
    assert re.findall(r'^REPO = "([^"]+)"', settings_py.read_text(), re.M) == [settings.REPO]
    for path in (ROOT / "README.md", ROOT / "docs" / "instructor_guide.md"):
        text = path.read_text(encoding="utf-8")
        outside = re.sub(r"<!-- BEGIN .*?<!-- END [A-Z ]+ -->", "", text, flags=re.S)
        assert settings.REPO not in outside, f"{path.name} types the repository address outside a generated section"
    for path in (ROOT / "tools").rglob("*.py"):
        if path != settings_py:
            assert settings.REPO not in path.read_text(), path.name


# ---- fake repositories ----------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path):
    return fake_repo(tmp_path / "repo")


def nb_paths(repo):
    return notebooks.notebook_paths(repo)


def test_only_names_matching_the_regex_are_notebooks(repo):
    (repo / "notebooks" / "1_short.ipynb").write_text("{}")
    (repo / "notebooks" / "03_draft.ipynb.bak").write_text("{}")
    assert [p.name for p in nb_paths(repo)] == ["00_start_here.ipynb", "01_second_one.ipynb", "02_c.ipynb"]


def test_two_notebooks_with_one_number_are_an_error(repo):
    write_notebook(repo / "notebooks" / "01_other.ipynb", notebook("Other"))
    with pytest.raises(notebooks.NavError, match="two notebooks are numbered 01"):
        notebooks.notebook_paths(repo)


def test_navigation_cells_first_and_last_link_previous_index_next(repo):
    nav.run(repo)
    first, middle, last = (load(p) for p in nb_paths(repo))
    for nb in (first, middle, last):
        top, bottom = nb["cells"][0], nb["cells"][-1]
        assert notebooks.source(top).startswith(notebooks.SENTINEL)
        # the closing one adds the reminder to save and shut the kernel down (Binder's 1-2 GB)
        assert notebooks.source(bottom) == notebooks.source(top) + "\n\n" + nav.CLOSING_REMINDER
        assert {**top, "source": None, "id": None} == {**bottom, "source": None, "id": None}
        assert sum(notebooks.is_nav(c) for c in nb["cells"]) == 2
        assert top["metadata"]["slideshow"]["slide_type"] == "skip"
    assert "Shut Down Kernel" in nav.CLOSING_REMINDER and "Download" in nav.CLOSING_REMINDER
    assert notebooks.source(first["cells"][0]) == (
        "<!--NAV-->\n[Index](../README.md#the-notebooks) | [01 · Title 1 →](01_second_one.ipynb)")
    assert notebooks.source(middle["cells"][0]) == (
        "<!--NAV-->\n[← 00 · Title 0](00_start_here.ipynb) | [Index](../README.md#the-notebooks)"
        " | [02 · Title 2 →](02_c.ipynb)")
    assert notebooks.source(last["cells"][-1]) == (
        "<!--NAV-->\n[← 01 · Title 1](01_second_one.ipynb) | [Index](../README.md#the-notebooks)"
        "\n\n" + nav.CLOSING_REMINDER)


def test_a_second_run_changes_nothing(repo):
    assert len(nav.run(repo)) == 5  # three notebooks, README.md, the guide
    before = snapshot(repo)
    assert nav.run(repo) == []
    assert snapshot(repo) == before
    result = run_cli(root=repo)
    assert result.returncode == 0 and "everything was up to date" in result.stdout
    assert snapshot(repo) == before


def test_rerunning_replaces_stale_navigation_and_never_duplicates(repo):
    nav.run(repo)
    path = nb_paths(repo)[1]
    nb = load(path)
    nb["cells"].insert(3, md("<!--NAV-->\n[old](x.ipynb)"))  # a stray, stale nav cell mid-notebook
    nb["cells"][0]["source"] = ["<!--NAV-->\n", "[stale](00_old.ipynb)"]
    write_notebook(path, nb)
    assert nav.stale(repo) == [path]
    nav.run(repo)
    cells = load(path)["cells"]
    assert [i for i, c in enumerate(cells) if notebooks.is_nav(c)] == [0, len(cells) - 1]
    assert "stale" not in json.dumps(cells) and "[old]" not in json.dumps(cells)


def shifted(cell):
    """``cell`` as it is once the Colab cell (count 1) comes before it: every count one higher."""
    cell = json.loads(json.dumps(cell))
    if cell.get("execution_count"):
        cell["execution_count"] += 1
    for out in cell.get("outputs", []):
        if out.get("execution_count"):
            out["execution_count"] += 1
    return cell


def test_code_cells_keep_source_outputs_and_counts(repo):
    before = {p: load(p) for p in nb_paths(repo)}
    nav.run(repo)
    for path, old in before.items():
        new = [c for c in load(path)["cells"] if not notebooks.is_nav(c) and not notebooks.is_colab(c)]
        assert len(new) == len(old["cells"])
        for a, b in zip(old["cells"], new):
            meta = dict(b["metadata"])
            assert set(meta.pop("slideshow")) == {"slide_type"}
            assert meta == a["metadata"]
            a = shifted(a)  # the notebook was executed: the new Colab cell took count 1
            assert {k: v for k, v in b.items() if k != "metadata"} == {k: v for k, v in a.items() if k != "metadata"}
        assert load(path)["metadata"]["rise"] == nav.RISE
        assert load(path)["metadata"]["kernelspec"] == old["metadata"]["kernelspec"]


def test_slide_types_put_one_idea_on_each_subslide():
    cells = [md("<!--NAV-->\nx"), md("# Title\n\n**What you will learn**"), md("**Prerequisites**"),
             code("setup"), md("## 1. Section"), md("What to look for."), code("a"), code("b"),
             md("### Detail"), code("c"), md("Another paragraph."), code("d"),
             md("**Exercise 1.**"), code("e", tags=("exercise",)), code("s", tags=("solution",)),
             md("## Summary"), md("<!--NAV-->\nx")]
    assert nav.slide_types(cells) == ["skip", "slide", "-", "subslide", "slide", "-", "-", "subslide",
                                      "subslide", "-", "subslide", "-",
                                      "subslide", "-", "subslide", "slide", "skip"]


def test_readme_map_lists_title_bullets_minutes_and_keeps_the_rest(repo):
    nav.run(repo)
    text = (repo / "README.md").read_text(encoding="utf-8")
    for key in ("BINDER BADGE", "NOTEBOOK MAP"):
        assert f"trailing text of {key} kept." in text
    assert text.startswith("# Fake\n\nIntro text kept.") and "\nold\n" not in text
    rows = [line for line in text.splitlines() if re.match(r"^\| 0\d ", line)]
    assert len(rows) == 3
    # all: 60 s run + 34 words / 150 wpm + 1 exercise x 5 min = 6.23 -> 7 (no exercise in 00: 2);
    # core: the same without the exercise and its prompt
    info = notebooks.read_notebook(nb_paths(repo)[1])
    expected = -(-(60 / 60 + info.words / 150 + 5) // 1)
    core = -(-(60 / 60 + info.core_words / 150) // 1)
    assert info.core_words < info.words
    assert rows[1].split(" | ")[3] == f"{int(core)} / {int(expected)}" and rows[0].split(" | ")[3] == "2 / 2"
    # learners open the student copy (no solutions); links inside the bullets stay relinked
    assert rows[1].startswith("| 01 | [Title 1](student/01_second_one.ipynb) | • build a thing<br>"
                              "• see `a \\| b` in [02](notebooks/02_c.ipynb) continued |")
    assert settings.binder_url("student/01_second_one.ipynb") in rows[1]


def test_a_notebook_may_hold_the_map_and_then_is_the_index(repo):
    path = nb_paths(repo)[0]
    nb = load(path)
    nb["cells"].insert(-2, md(f"## The map\n\nIn order:\n\n{tables.begin('NOTEBOOK MAP')}\n| typed |\n{tables.end('NOTEBOOK MAP')}\n\nEnd."))
    write_notebook(path, nb)
    words = notebooks.read_notebook(path).words
    nav.run(repo)
    cell = next(c for c in load(path)["cells"] if "## The map" in notebooks.source(c))
    text = notebooks.source(cell)
    assert text.startswith("## The map\n\nIn order:\n\n") and text.endswith("\n\nEnd.") and "| typed |" not in text
    assert "| 01 | [Title 1](01_second_one.ipynb) | 2 / 7 |" in text  # the short map: title and minutes
    # on GitHub: `make lab` serves notebooks/ only and Colab opens a notebook alone
    assert f"({settings.github_url('docs/instructor_guide.md')}#timings)" in text and "../docs/" not in text
    assert notebooks.read_notebook(path).words == words  # the generated map is not prose to read
    for p in nb_paths(repo):
        assert "[Index](00_start_here.ipynb)" in notebooks.source(load(p)["cells"][0])
    assert nav.run(repo) == []
    write_notebook(nb_paths(repo)[2], nb)
    with pytest.raises(notebooks.NavError, match="keep them in one notebook"):
        nav.generate(repo)


def test_unmeasured_notebook_shows_a_question_mark_and_fails_the_check(repo):
    timings = load(repo / "docs" / "timings.json")
    del timings["notebooks"]["02_c"]
    (repo / "docs" / "timings.json").write_text(json.dumps(timings))
    nav.run(repo)
    row = next(line for line in (repo / "README.md").read_text().splitlines() if line.startswith("| 02 "))
    assert row.split(" | ")[3] == "? / ?"
    result = run_cli("--check", root=repo)
    assert result.returncode == 1 and "02_c has no measured time" in result.stderr


def test_check_names_each_stale_file_and_writes_nothing(repo):
    result = run_cli("--check", root=repo)
    assert result.returncode == 1
    for name in ("notebooks/00_start_here.ipynb", "notebooks/02_c.ipynb", "README.md", "docs/instructor_guide.md"):
        assert f"stale: {name}" in result.stderr
    nav.run(repo)
    assert run_cli("--check", root=repo).returncode == 0
    path = nb_paths(repo)[2]
    nb = load(path)
    nb["cells"][1]["source"] = ["# A new title\n", "\n", "**What you will learn**\n", "- x\n", "- y"]
    write_notebook(path, nb)  # 01's next link, the README map and the guide tables are now stale
    before = snapshot(repo)
    result = run_cli("--check", root=repo)
    assert result.returncode == 1
    assert sorted(re.findall(r"stale: (\S+)", result.stderr)) == sorted(
        ["notebooks/01_second_one.ipynb", "README.md", "docs/instructor_guide.md"])
    assert snapshot(repo) == before


def test_missing_sentinels_are_a_clear_error(repo):
    (repo / "README.md").write_text("# No map here\n")
    result = run_cli(root=repo)
    assert result.returncode == 2
    assert "README.md must contain exactly one pair of lines" in result.stderr
    assert tables.begin("BINDER BADGE") in result.stderr


def test_a_notebook_without_a_title_is_a_clear_error(repo):
    path = nb_paths(repo)[0]
    nb = load(path)
    nb["cells"][0]["source"] = ["No title here"]
    write_notebook(path, nb)
    with pytest.raises(notebooks.NavError, match="00_start_here.ipynb has no `# Title`"):
        nav.generate(repo)


@pytest.mark.parametrize("markdown, bullets", [
    ("**What you will learn**\n- a\n- b\n\n**Prerequisites**\n- c", ["a", "b"]),
    ("**What you will learn**\n\n* a\n  more\n* b\nNext paragraph\n- c", ["a more", "b"]),
    ("**What you will learn**:\n1. not a bullet\n- a", []),
    ("no section\n- a", []),
])
def test_learning_bullets(markdown, bullets):
    assert notebooks.learn_bullets(markdown) == bullets


def test_words_ignore_link_targets_comments_and_symbols():
    assert notebooks.count_words("<!-- hidden words -->Read [the docs](https://x.org/a-b) now: `16 * 5 * 5` | don't") == 8
    assert notebooks.count_words("Why is 1079 < 1600? Count <b>them</b>: c > 0 here.") == 9  # a "<" in prose is no tag
    assert notebooks.count_words("Read this.\n\n<!--instructor-->\n*Instructors: run §1 and §2.*\n<!--/instructor-->\n") == 2


def test_guide_tables_follow_the_timings(repo):
    nav.run(repo)
    text = (repo / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    assert "| 01 | Title 1 | 60.0 | ? | ? |" in text
    assert settings.nbgitpuller_url("notebooks/02_c.ipynb") in text
    assert "at 150 words per minute" in text and "5 minutes per exercise" in text
    # PLANS names notebooks 03..08 that this fake repository lacks: said, not silently dropped
    assert "Not yet measured, left out: 03, 04, 05, 06, 07 (run `make timings`)" in text  # the 3-hour plan
    assert "Not yet measured, left out: 03, 04, 05, 06, 07, 08 (run" in text  # the full day
    # 00 demonstrated 2, 01 core 2 (its exercise as homework), 02 core 2, break 10
    assert "**3-hour workshop** — 16 of 180 minutes, breaks included" in text
    assert f"| 0:06 | Break | 10 | {plans.SAVE_NOTE} |" in text
    assert "Full day" in text and "Not in this plan" not in text  # the fake notebooks are all in both plans


def test_links_use_the_one_placeholder():
    assert settings.binder_url("notebooks/02_lenet.ipynb") == (
        f"https://mybinder.org/v2/gh/{settings.REPO}/{settings.BRANCH}?urlpath=lab%2Ftree%2Fnotebooks%2F02_lenet.ipynb")
    url = settings.nbgitpuller_url("notebooks/02_lenet.ipynb", hub="https://hub.example.edu")
    owner, name = settings.REPO.split("/")
    assert url == ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2F"
                   f"{owner}%2F{name}&branch={settings.BRANCH}&urlpath=lab%2Ftree%2F{name}%2Fnotebooks%2F02_lenet.ipynb")


def test_guide_lists_each_exercise_with_kind_minutes_and_the_wrong_answer_its_check_catches(repo):
    (repo / "tools" / "exercises").mkdir(parents=True, exist_ok=True)
    (repo / "tools" / "exercises" / "lesson01.py").write_text(
        '"""Attempts."""\nATTEMPTS = {"01.10": {"kind": "write", "title": "a loop", "minutes": 12, '
        '"misconception": "forgets the | bias", "wrong": "ex1_answer = 1\\n  ex1_answer += 1"}, '
        '"01.2": {"kind": "predict", "title": "a shape", "misconception": "m", "wrong": "x = 1"}}\n')
    (repo / "tools" / "exercises" / "lesson07.py").write_text(
        'ATTEMPTS = {"07.1": {"kind": "debug", "title": "t", "misconception": "m", "wrong": "w"}}\n')
    guide = repo / "docs" / "instructor_guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\n\n{tables.begin('EXERCISES')}\nSTALE ROW\n{tables.end('EXERCISES')}\n",
                     encoding="utf-8")
    nav.run(repo)
    text = guide.read_text(encoding="utf-8")
    assert "| 01.10 | write | 12 | a loop | forgets the \\| bias: `ex1_answer = 1; ex1_answer += 1` |" in text  # lines joined
    assert text.index("| 01.2 | predict |  | a shape |") < text.index("| 01.10 |")  # by number, not as text
    assert "STALE ROW" not in text and "| 07.1 |" not in text  # no notebook 07 in this repository


def test_attempts_are_read_as_a_literal_and_never_executed(tmp_path):
    (tmp_path / "tools" / "exercises").mkdir(parents=True)
    (tmp_path / "tools" / "exercises" / "lesson01.py").write_text("ATTEMPTS = {'01.1': open('x')}\n")
    with pytest.raises(ValueError):
        exercises.load_attempts(tmp_path)
    assert exercises.load_attempts(tmp_path / "nowhere") == {}


def nav_md(text):
    return {"cell_type": "markdown", "source": text, "metadata": {}}


# ---- Colab, links for the room, minutes that count code ------------------------------------------

def test_the_colab_cell_is_inserted_once_after_the_title_and_refreshed_on_rerun(repo):
    nav.run(repo)
    path = nb_paths(repo)[1]
    cells = load(path)["cells"]
    colab = [i for i, c in enumerate(cells) if notebooks.is_colab(c)]
    assert colab == [2]  # nav, title, Colab cell, then the notebook's own first code cell
    cell = cells[2]
    assert nav.heading_level(cells[1]) == 1 and cells[3]["cell_type"] == "code"
    assert cell["outputs"] == [] and cell["execution_count"] == 1 and cell["id"] == "colab-setup"
    assert notebooks.tags(cell) == [nav.COLAB_TAG] and cell["metadata"]["slideshow"] == {"slide_type": "skip"}
    assert notebooks.source(cell) == nav.colab_source()
    # a stale cell (older text, an output saved on Colab) is replaced in place, never duplicated
    nb = load(path)
    nb["cells"][2]["source"] = [notebooks.COLAB_SENTINEL + " old\n", "print('old')"]
    nb["cells"][2]["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["old\n"]}]
    write_notebook(path, nb)
    assert nav.stale(repo) == [path]
    nav.run(repo)
    again = load(path)["cells"]
    assert [i for i, c in enumerate(again) if notebooks.is_colab(c)] == [2]
    assert notebooks.source(again[2]) == nav.colab_source() and again[2]["outputs"] == []
    assert [c.get("execution_count") for c in again] == [c.get("execution_count") for c in cells]
    assert nav.run(repo) == []


def test_the_colab_cell_clones_the_one_repository_setting():
    text = nav.colab_source()
    assert f'os.environ.get("{settings.REPO_URL_ENV}", "https://github.com/{settings.REPO}")' in text
    assert f'"--branch", "{settings.BRANCH}"' in text and '"google.colab" in sys.modules' in text
    assert "enable_custom_widget_manager()" in text and "pip install" not in text  # Colab's own PyTorch
    compile(text, "colab cell", "exec")
    assert settings.colab_url("notebooks/02_lenet.ipynb") == (
        f"https://colab.research.google.com/github/{settings.REPO}/blob/{settings.BRANCH}/notebooks/02_lenet.ipynb")


def test_an_unexecuted_notebook_gets_an_unexecuted_colab_cell():
    cells = [md("# T"), code("x = 1"), code("x")]
    out = nav.with_colab_cell(cells, nav.colab_source(), True)
    assert [c.get("execution_count") for c in out] == [None, None, None, None] and notebooks.is_colab(out[1])


def test_readme_and_guide_link_binder_and_colab_and_the_student_copy_apart(repo):
    nav.run(repo)
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert settings.colab_url("student/01_second_one.ipynb") in readme and settings.COLAB_BADGE in readme
    assert settings.colab_url("notebooks/01_second_one.ipynb") not in readme  # the instructor copy: the guide's
    guide = (repo / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    assert settings.colab_url("notebooks/02_c.ipynb") in guide
    student = settings.nbgitpuller_url(branch=settings.STUDENT_BRANCH, targetpath=settings.student_folder())
    assert student in guide and settings.binder_url(settings.learner_path()) in guide
    name = settings.REPO.split("/")[1]
    assert f"&targetpath={name}-student&" in student and f"lab%2Ftree%2F{name}-student%2Fnotebooks" in student
    assert "targetpath" not in settings.nbgitpuller_url()  # main: the repository's name, a different folder


def test_minutes_count_the_code_a_student_reads(repo):
    path = nb_paths(repo)[1]
    info = notebooks.read_notebook(path)
    # fake notebook: 3 + 1 + 1 + 1 lines in its plain code cells, 2 per exercise, 1 at the end; solutions not
    assert info.code_lines == 3 + 1 + 1 + 1 + 2 + 1
    timings = {**load(repo / "docs" / "timings.json"), "code_lines_per_minute": 4}
    m = minutes.minutes(info, timings)
    assert m["code"] == info.code_lines / 4
    assert m["total"] == -(-(1 + info.words / 150 + info.code_lines / 4 + 5) // 1)
    nav.run(repo)
    cells = load(path)["cells"]
    assert notebooks.count_code_lines(cells) == info.code_lines  # the Colab cell is not counted
    assert minutes.minutes(info, {k: v for k, v in timings.items() if k != "code_lines_per_minute"})["code"] == 0


def test_a_demonstrated_notebook_counts_run_and_talk_only(repo):
    lessons = [notebooks.read_notebook(p) for p in nb_paths(repo)]
    timings = load(repo / "docs" / "timings.json")
    rows, total, _ = tables.plan_schedule([("01", "demo", "n")], lessons, timings)
    m = minutes.minutes(lessons[1], timings)
    assert total == -(-(m["run"] + m["read"]) // 1) and "demonstrated" in rows[0][0]


def test_the_real_plans_remind_to_save_before_breaks_and_free_memory_before_07():
    for plan, items in plans.PLANS.items():
        assert all("ownload" in note for key, _, note in items if key == "break"), plan
        assert all("Shut down" in note for key, _, note in items if key == "07"), plan


def test_the_readme_map_rows_stay_short():
    lessons = [notebooks.read_notebook(p) for p in REAL]
    for row in tables.readme_map(lessons, minutes.load_timings(ROOT)).splitlines():
        if re.match(r"^\| \d\d ", row):
            assert row.split(" | ")[2].count("<br>") <= tables.README_BULLETS, row[:80]


# ---- measured figures in the README: generated from docs/memory.json and docs/timings.json -------

def _lessons(*stems):
    from pathlib import Path
    return [notebooks.Notebook(Path(f"notebooks/{s}.ipynb"), s[:2], f"Title {s[:2]}", [], 0, 0) for s in stems]


def test_the_guide_memory_sentence_gives_the_limit_the_range_its_dates_and_the_largest():
    lessons = _lessons("00_a", "01_b")
    memory = {"limit_mb": 1200, "import_torch_torchvision_mb": 750,
              "notebooks": {"00_a": {"peak_mb": 720, "measured": "2026-12-03"},
                            "01_b": {"peak_mb": 985, "measured": "2026-12-06"}}}
    text = tables.guide_memory(lessons, memory)
    assert text.startswith("One kernel of ours stays under 1.2 GB")
    assert "measured peaks 0.72–0.98 GB (3 December 2026 to 6 December 2026), the largest 01's" in text
    assert "of which 0.75 GB is importing PyTorch" in text
    del memory["notebooks"]["01_b"]
    assert "not all measured yet: run `make memory`" in tables.guide_memory(lessons, memory)


def test_the_time_bullet_sums_the_measured_runs_and_names_the_longest():
    lessons = _lessons("00_a", "01_b")
    timings = {"machine": "2 CPU cores (x86_64)",
               "notebooks": {"00_a": {"execute_seconds": 30.4, "measured": "2026-12-03"},
                             "01_b": {"execute_seconds": 10.0, "measured": "2026-12-02"}}}
    assert tables.readme_time(lessons, timings) == (
        "- **Time**: executing all 2 notebooks top to bottom takes about 40 s on 2 cores (`make timings` "
        "measures each one, last on 3 December 2026); the longest is 00, *Title 00*, at about 30 s.")
    del timings["notebooks"]["00_a"]
    assert "not all measured yet" in tables.readme_time(lessons, timings)


def test_the_readme_total_names_the_core_path_first_then_everything():
    lessons = _lessons("00_a", "01_b")
    timings = {"words_per_minute": 150, "minutes_per_exercise": 5,
               "notebooks": {"00_a": {"execute_seconds": 60.0}, "01_b": {"execute_seconds": 60.0}}}
    known = [minutes.minutes(nb, timings) for nb in lessons]
    core, total = sum(m["core"] for m in known), sum(m["total"] for m in known)
    assert tables.readme_total(lessons, timings) == (
        f"about {tables.hours(core)} for the core path (running and reading every notebook), "
        f"about {tables.hours(total)} with every optional section and exercise")
    del timings["notebooks"]["00_a"]
    assert "not measured yet" in tables.readme_total(lessons, timings)


def test_a_plan_row_can_leave_named_exercises_as_homework():
    """"all except 02.5": the core path and every exercise but 02.5, whose minutes are left out."""
    lessons = [notebooks.read_notebook(p) for p in REAL]
    timings = minutes.load_timings(ROOT)
    m = minutes.minutes(next(nb for nb in lessons if nb.number == "02"), timings)
    rows, total, _ = tables.plan_schedule([("02", plans.EXCEPT + "02.5", "n")], lessons, timings)
    left = minutes.registry_minutes()["02.5"]
    assert left >= 10 and total == math.ceil(m["run"] + m["core_read"] + m["core_code"] + m["exercises"] - left)
    assert total < m["core_and_exercises"] and "02.5 as homework" in rows[0][0]
    by_number = {nb.number: nb for nb in lessons}
    for plan, items in plans.PLANS.items():  # every exercise a plan leaves as homework exists
        for key, mode, _ in items:
            if isinstance(mode, str) and mode.startswith(plans.EXCEPT):
                assert set(mode[len(plans.EXCEPT):].split(", ")) <= set(by_number[key].exercise_ids), (plan, key)
