"""tools/timings.py (`make timings`): measured run times in docs/timings.json."""
import json
import types

import pytest

from kit_fixtures import code, fake_repo, notebook, write_notebook
import timings
from lenetlab import runner
from lenetlab.minutes import minutes
from lenetlab.notebooks import notebook_paths, read_notebook, select


@pytest.fixture
def repo(tmp_path):
    return fake_repo(tmp_path / "repo")


def test_select_by_number_name_or_path(repo):
    paths = notebook_paths(repo)
    assert select(paths, []) == paths
    assert [p.stem for p in select(paths, ["01", "02_c", "notebooks/00_start_here.ipynb"])] == [
        "01_second_one", "02_c", "00_start_here"]
    with pytest.raises(SystemExit, match="no notebook matches '7'.*00_start_here, 01_second_one, 02_c"):
        select(paths, ["7"])


@pytest.mark.kernel
def test_measures_one_notebook_and_keeps_the_others(repo, monkeypatch):
    path = repo / "notebooks" / "01_second_one.ipynb"
    write_notebook(path, notebook("Measured"))
    before = path.read_bytes()
    # A fake clock: the runner reads it once before the kernel starts and once after the last cell.
    ticks = iter([100.0, 103.3])
    monkeypatch.setattr(runner, "time", types.SimpleNamespace(perf_counter=lambda: next(ticks)))
    assert timings.main(["--root", str(repo), "01"]) == 0
    record = json.loads((repo / "docs" / "timings.json").read_text())
    assert record["words_per_minute"] == timings.WORDS_PER_MINUTE
    assert record["minutes_per_exercise"] == timings.MINUTES_PER_EXERCISE
    assert list(record)[-1] == "notebooks"
    measured = record["notebooks"]["01_second_one"]
    assert measured["execute_seconds"] == 3.3 and measured["load_average"] >= 0
    assert 0 < measured["cpu_seconds"] < 60  # the kernel ran: its start-up alone costs CPU
    assert record["notebooks"]["00_start_here"] == {"execute_seconds": 60.0}  # not re-measured: kept
    assert path.read_bytes() == before  # executed in memory: the file is untouched
    info = read_notebook(path)
    assert record["code_lines_per_minute"] == timings.CODE_LINES_PER_MINUTE and info.code_lines > 0
    assert minutes(info, record)["total"] == -(-(measured["execute_seconds"] / 60 + info.words / 150
                                                     + info.code_lines / timings.CODE_LINES_PER_MINUTE + 5) // 1)


@pytest.mark.kernel
def test_a_failing_notebook_is_reported_and_not_recorded(repo, capsys):
    path = repo / "notebooks" / "02_c.ipynb"
    nb = notebook("Broken")
    nb["cells"].insert(2, code("raise ValueError('boom')"))
    write_notebook(path, nb)
    assert timings.main(["--root", str(repo), "02"]) == 1
    assert "not measured (execution failed): 02_c.ipynb" in capsys.readouterr().err
    record = json.loads((repo / "docs" / "timings.json").read_text())
    assert record["notebooks"]["02_c"] == {"execute_seconds": 60.0}
