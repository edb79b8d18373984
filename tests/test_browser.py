"""The notebooks the way students see them: JupyterLab in a real browser (headless Chromium).

nbval runs each notebook in a bare kernel and never renders a widget. This file starts
JupyterLab from this environment on a free loopback port with a token, serving a temporary
COPY of notebooks/ (autosave never touches the stored files), opens every notebook in Debian's
Chromium through Playwright and checks what the page shows: every cell ran, no traceback
anywhere (a warning on stderr is fine), every formula typeset, every widget rendered. A notebook
with a widget runs all its cells there (Run > Run All Cells: a widget needs its live kernel); the
others are checked as stored, the outputs nbval has just proved to be what a fresh kernel prints,
so that `make test` does not execute them a second time. Then it moves the sliders of each interactive widget in the page and checks that the
text the widget prints becomes exactly what the helper function returns for the new values.
Last, a student's journey in the student copy (student/, served beside the notebooks): Run All
in 01, then a write exercise answered by typing a class line by line into its cell, wrong first
(✗ and a hint), then right (✓).

Without Chromium (a student's laptop) the tests skip, saying why; with CI=true a missing
browser is a failure. Screenshots go to a temporary folder, kept (and named in the failure
message) when a test fails, deleted when all pass. A notebook's page is photographed whole only
when it shows a problem; LENET_KEEP_SCREENSHOTS=1 takes and keeps every picture. A notebook's
kernel shuts down while the next notebook opens.
Nothing here reaches the network: JupyterLab's news and update checks are off, and Chromium
resolves no host name and runs none of its services.
"""
from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import ROOT
from lenetlab.exercises import load_attempts
from lenetlab.notebooks import notebook_paths
from lenetlab.settings import LEARNER_DIR as STUDENT
from test_student_build import with_attempt

pytestmark = pytest.mark.browser
NOTEBOOKS = notebook_paths(ROOT)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # Chromium's sandbox refuses to run as root (CI) and in most containers
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-proxy-server",  # the page only talks to 127.0.0.1
    # Chromium still looks up Google's services (autofill, accounts, updates) unless told not
    # to: no name resolves, and those services are off. The server is reached by its IP.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter",
    "--disable-client-side-phishing-detection",
    "--disable-default-apps",
    "--no-pings",
]
VIEWPORT = {"width": 1280, "height": 900}
MAX_SCREENSHOT_HEIGHT = 15_000  # px; Chromium cannot capture much taller pages in one piece
START_SECONDS = 120  # JupyterLab answering, the app loaded, a kernel started
RUN_ALL_SECONDS = 1200  # one notebook, all cells; the training notebook is the longest
WIDGET_SECONDS = 60  # one slider move until the printed text is the new one
KEEP_SCREENSHOTS = bool(os.environ.get("LENET_KEEP_SCREENSHOTS"))  # also when every test passes

STDOUT = "application/vnd.jupyter.stdout"
STDERR = "application/vnd.jupyter.stderr"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TRACEBACK = "Traceback (most recent call last)"
# The last line of an error as IPython shows it ("ValueError: ...", "KeyboardInterrupt"), also
# for a SyntaxError, which has no "Traceback" line. A warning's line starts with its file name
# ("/path/x.py:3: UserWarning: ...") and never matches.
LATEX = re.compile(r"\$\$|\\\(|\\\[")  # display math, \( inline \) or \[ display \]
ERROR_LINE = re.compile(r"^(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)\b(?::|$)", re.M)


# ---- Skip or fail: does this machine have the browser? ---------------------------------------

def _why_no_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return (f"Chromium is not installed at {CHROMIUM} (Debian/Ubuntu: apt-get install chromium "
                "chromium-driver; .ci/run installs it)")
    return None


@pytest.fixture(scope="module")
def browser_available() -> None:
    reason = _why_no_browser()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true, so the browser test must run, but {reason}", pytrace=False)
        pytest.skip(f"browser test skipped: {reason}")


# ---- JupyterLab serving a temporary copy of the notebooks ------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def _copy_notebooks(work: Path) -> Path:
    """work/notebooks: copies of the notebooks and the modules beside them (helpers.py, the figure modules,
    checks/). work/data and work/imgs link to the repository's, so helpers.DATA_DIR (helpers.py's
    parent's parent / "data") and ../imgs resolve."""
    served = work / "notebooks"
    shutil.copytree(ROOT / "notebooks", served,
                    ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pt", "*.pth"))
    for name in ("data", "imgs"):
        if (ROOT / name).exists():
            (work / name).symlink_to(ROOT / name, target_is_directory=True)
    # The student copy, as served/student: its notebooks copied, its modules (links to
    # ../notebooks/ in the repository) linked to the copies beside it.
    student = served / "student"
    student.mkdir()
    for entry in (ROOT / STUDENT).iterdir():
        if entry.is_symlink():
            (student / entry.name).symlink_to(Path("..") / entry.resolve().name)
        elif entry.suffix == ".ipynb":
            shutil.copy2(entry, student / entry.name)
    return served


def _write_lab_settings(settings: Path) -> None:
    """The test's own JupyterLab user settings: no news, no update check, every cell in the page."""
    _write_json(settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
                {"fetchNews": "false", "checkForUpdates": False})
    # By default JupyterLab renders only the cells near the screen; "none" renders them all.
    # No blank screen after the last cell, so that a screenshot as tall as the notebook shows it all.
    _write_json(settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
                {"windowingMode": "none", "scrollPastEnd": False})


@dataclass
class Server:
    url: str
    token: str
    proc: subprocess.Popen
    log: Path

    def api(self, method: str, path: str):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
        with opener.open(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def in_background(self, method: str, path: str) -> None:
        """``api`` in a daemon thread, errors ignored: for what only saves time (stop cleans up)."""
        def call():
            with contextlib.suppress(Exception):
                self.api(method, path)
        threading.Thread(target=call, daemon=True).start()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        self.proc.terminate()  # the server also shuts down any kernel left on SIGTERM
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _start_jupyterlab(work: Path) -> Server:
    served = _copy_notebooks(work)
    _write_lab_settings(work / "lab-settings")
    token, port = secrets.token_hex(24), _free_port()
    env = dict(os.environ)
    env.update(
        # this environment's python first: the python3 kernelspec runs `python`
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        JUPYTER_CONFIG_DIR=str(work / "config"),  # the user's own configuration cannot interfere
        JUPYTER_RUNTIME_DIR=str(work / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(work / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(work / "lab-workspaces"),
        IPYTHONDIR=str(work / "ipython"),
    )
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
        "--ServerApp.allow_root=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # the default one asks PyPI
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run commands, read the cells
    ]
    log = work / "jupyterlab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=served, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", token, proc, log)
    deadline = time.monotonic() + START_SECONDS
    while True:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {proc.returncode} while starting:\n{server.log_tail()}")
        try:
            server.api("GET", "/api/status")
            return server
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                pytest.fail(f"JupyterLab did not answer on {server.url} within {START_SECONDS} s:\n"
                            f"{server.log_tail()}")
            time.sleep(0.3)


# ---- JavaScript run in the page (window.jupyterapp is the JupyterLab application) -------------
# Every function takes the notebook's name and finds its panel among the open documents.

_PANEL = "const panel = [...window.jupyterapp.shell.widgets('main')].find(w => w.context && w.context.path === name + '.ipynb');"

_OPEN_JS = """async name => {
    const panel = await window.jupyterapp.commands.execute('docmanager:open', {path: name + '.ipynb'});
    panel.node.dataset.lenetNotebook = name;  // for the locators of the widget tests
    window.jupyterapp.shell.collapseLeft();  // the notebook at full width, as in the screenshots
}"""

_KERNEL_READY_JS = "name => { " + _PANEL + """
    const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
    return (kernel && kernel.status === 'idle') || !!document.querySelector('.jp-Dialog');
}"""

_KERNEL_STATUS_JS = "name => { " + _PANEL + """
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    return kernel ? kernel.status : 'gone';
}"""

_KERNEL_IDLE_JS = f"name => ({_KERNEL_STATUS_JS})(name) === 'idle'"

# Clear the stored outputs (and execution counts), then Run > Run All Cells, without waiting.
_RUN_ALL_JS = "async name => { " + _PANEL + """
    const app = window.jupyterapp;
    app.shell.activateById(panel.id);  // the notebook commands act on the current notebook
    window.lenetRunAll = {done: false};
    await app.commands.execute('notebook:clear-all-cell-outputs');
    app.commands.execute('notebook:run-all-cells').then(
        ok => { window.lenetRunAll = {done: true, ok}; },
        error => { window.lenetRunAll = {done: true, ok: false, error: String(error)}; });
}"""

_RUN_ALL_DONE_JS = "name => { " + _PANEL + """
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    return window.lenetRunAll.done && (!kernel || kernel.status !== 'busy');
}"""

# Every cell: index, type, source, execution count, prompt ("[*]:" while queued or running), outputs.
_CELLS_JS = "name => { " + _PANEL + """
    return panel.content.widgets.map((cell, index) => {
        const code = cell.model.type === 'code';
        const prompt = cell.node.querySelector('.jp-InputPrompt');
        return {index, type: cell.model.type, source: cell.model.sharedModel.getSource(),
                count: code ? cell.model.executionCount : null,
                prompt: prompt ? prompt.textContent : '',
                outputs: code ? cell.model.outputs.toJSON() : []};
    });
}"""

# Cells with a widget output (in the model) whose view is not in the page: still "Loading
# widget...", or the plain-text fallback JupyterLab shows when the widget extension is missing.
_WIDGETS_MISSING_JS = "name => { " + _PANEL + """
    const missing = [];
    panel.content.widgets.forEach((cell, index) => {
        if (cell.model.type !== 'code') return;
        const wanted = cell.model.outputs.toJSON()
            .filter(o => o.data && o.data['""" + WIDGET_VIEW + """']).length;
        const shown = cell.node.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length;
        const area = cell.node.querySelector('.jp-Cell-outputArea');
        if (shown < wanted) missing.push({index, wanted, shown, text: area ? area.innerText : ''});
    });
    return missing;
}"""

# Every stderr output on the notebook's page, the ones inside widgets (Output areas) included.
_STDERR_JS = "name => { " + _PANEL + """
    return [...panel.node.querySelectorAll('.jp-OutputArea-output[data-mime-type=\"""" + STDERR + """\"]')]
        .map(e => e.textContent);
}"""

# The error views ipywidgets shows when a widget model or view cannot be created.
_WIDGET_ERRORS_JS = "name => { " + _PANEL + """
    return [...panel.node.querySelectorAll('.jupyter-widgets.widget-error, .jupyter-widgets-error-widget')]
        .map(e => e.innerText);
}"""

# For the given cells (markdown with LaTeX): how many formulas MathJax typeset in each, and how
# many it could not (a missing or broken math extension leaves the raw $$ text).
_MATH_JS = "([name, indices]) => { " + _PANEL + """
    return indices.map(index => {
        const node = panel.content.widgets[index].node;
        return {index, typeset: node.querySelectorAll('mjx-container').length,
                errors: node.querySelectorAll('mjx-merror, .MathJax_Error').length,
                text: node.innerText.slice(0, 300)};
    });
}"""

_NOTEBOOK_HEIGHT_JS = "name => { " + _PANEL + """
    const scroller = panel.node.querySelector('.jp-WindowedPanel-outer');
    return scroller ? scroller.getBoundingClientRect().top + scroller.scrollHeight : 0;
}"""

_SCROLL_TO_TOP_JS = "name => { " + _PANEL + """
    panel.node.querySelector('.jp-WindowedPanel-outer').scrollTop = 0;
}"""

# Close the tab without the "save your changes?" dialog (it is a copy); return the session's id, so
# that the test can shut its kernel down through the server without waiting for it.
_CLOSE_JS = "name => { " + _PANEL + """
    if (!panel) return null;
    const session = panel.sessionContext.session;
    const id = session ? session.id : null;
    panel.dispose();
    return id;
}"""


# One cell: its source, execution count and the text of its outputs.
_CELL_JS = "([name, index]) => { " + _PANEL + """
    const cell = panel.content.widgets[index];
    const text = cell.model.outputs.toJSON().map(o => {
        const t = o.text !== undefined ? o.text : (o.data && o.data['text/plain']) || o.evalue || '';
        return Array.isArray(t) ? t.join('') : String(t);
    }).join('');
    return {source: cell.model.sharedModel.getSource(), count: cell.model.executionCount, text};
}"""

# Make a cell the active one, in edit mode, its editor focused: where the keyboard types.
_EDIT_CELL_JS = "([name, index]) => { " + _PANEL + """
    window.jupyterapp.shell.activateById(panel.id);
    const notebook = panel.content;
    notebook.activeCellIndex = index;
    notebook.mode = 'edit';
    notebook.activeCell.node.scrollIntoView({block: 'center'});
    notebook.activeCell.editor.focus();
    return notebook.activeCell.editor.hasFocus();
}"""


def _shorten(text: str, limit: int = 800) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


# ---- The browser session shared by all tests of this file ------------------------------------

class Lab:
    """One JupyterLab page in Chromium. Opens and runs notebooks, keeps screenshots on failure."""

    def __init__(self, server: Server, page, shots: Path):
        self.server, self.page, self.shots = server, page, shots
        self.failed = False
        self.current = ""  # the notebook under test: JavaScript errors are charged to it
        self.js_errors: dict[str, list[str]] = {}
        self.kept_open: set[str] = set()  # executed notebooks whose widget test comes later
        page.on("pageerror", lambda exc: self.js_errors.setdefault(self.current, []).append(str(exc)))

    @contextlib.contextmanager
    def testing(self, name: str, label: str, keep_open: bool = False):
        """Around one test of notebook `name`: on failure screenshot the page, keep the folder and
        name it in the failure message; then close the notebook and its kernel, unless keep_open."""
        self.current = name
        try:
            yield
        except BaseException as exc:  # pytest-timeout's Failed too
            self.failed = True
            with contextlib.suppress(Exception):
                self.page.screenshot(path=self.shots / f"{label}-FAILED.png", timeout=10_000)
            note = f"Screenshots are kept in {self.shots}"
            if hasattr(exc, "add_note"):
                exc.add_note(note)
            print(note)
            raise
        finally:
            if keep_open:
                self.kept_open.add(name)
            else:
                self.close(name)

    def open(self, name: str) -> None:
        """Open notebooks/<name>.ipynb (the copy) in a new tab and wait for its kernel to be idle."""
        self.page.evaluate(_OPEN_JS, name)
        self.page.wait_for_function(_KERNEL_READY_JS, arg=name, timeout=START_SECONDS * 1000, polling=200)
        dialog = self.page.locator(".jp-Dialog")
        if dialog.count():
            raise AssertionError(f"{name}: JupyterLab shows a dialog instead of a ready kernel: "
                                 f"{dialog.inner_text()!r}")

    def run_all(self, name: str) -> None:
        """Clear the stored outputs, Run > Run All Cells, wait until done and the kernel is idle,
        then for the widget views to appear."""
        self.page.evaluate(_RUN_ALL_JS, name)
        try:
            self.page.wait_for_function(_RUN_ALL_DONE_JS, arg=name, timeout=RUN_ALL_SECONDS * 1000,
                                        polling=250)
        except Exception as exc:
            cells = self.page.evaluate(_CELLS_JS, name)
            running = [c["index"] + 1 for c in cells if "*" in c["prompt"]]
            raise AssertionError(f"{name}: Run All Cells did not finish within {RUN_ALL_SECONDS} s; "
                                 f"cells still queued or running (numbered from 1): {running}") from exc
        with contextlib.suppress(Exception):  # if they never appear, problems_shown says which
            self.page.wait_for_function(f"name => ({_WIDGETS_MISSING_JS})(name).length === 0",
                                        arg=name, timeout=30_000, polling=250)

    def settled_status(self, name: str, seconds: float, settle: float) -> str:
        """The kernel's status once it has stayed idle for `settle` seconds, or its last status
        when that has not happened within `seconds`."""
        deadline = time.monotonic() + seconds
        idle_since = None
        while True:
            status = self.page.evaluate(_KERNEL_STATUS_JS, name)
            now = time.monotonic()
            if status != "idle":
                idle_since = None
            elif idle_since is None:
                idle_since = now
            elif now - idle_since >= settle:
                return status
            if now >= deadline:
                return status
            self.page.wait_for_timeout(100)

    def problems_shown(self, name: str) -> list[str]:
        """Everything on the executed notebook's page that a student would read as broken."""
        problems = []
        # Rendering widget views, and JupyterLab's own requests after a kernel starts (the widget
        # manager asks for its comms), make the kernel busy for a moment after Run All ends or after
        # it first reports idle: stuck means not idle for one whole second within 30 s.
        status = self.settled_status(name, seconds=30, settle=1.0)
        if status != "idle":
            problems.append(f"the kernel is {status}, not idle")
        cells = self.page.evaluate(_CELLS_JS, name)
        code = [c for c in cells if c["type"] == "code" and c["source"].strip()]
        counts = [c["count"] for c in code]
        if counts != list(range(1, len(code) + 1)):
            never = [c["index"] + 1 for c in code if c["count"] is None]
            problems.append(f"not every code cell ran, once and in order: execution counts {counts}; "
                            f"cells that never ran (numbered from 1, markdown included): {never}")
        for cell in cells:
            for out in cell["outputs"]:
                if out.get("output_type") == "error":
                    evalue = "\n".join(str(out.get("evalue")).splitlines()[:3])
                    problems.append(f"cell {cell['index'] + 1} (In [{cell['count']}]) raised "
                                    f"{out.get('ename')}: {_shorten(evalue, 300)}")
        for text in self.page.evaluate(_STDERR_JS, name):
            if TRACEBACK in text or ERROR_LINE.search(text):
                problems.append(f"an error is shown on the page:\n{_shorten(text)}")
        for text in self.page.evaluate(_WIDGET_ERRORS_JS, name):
            problems.append(f"a widget failed to render: {_shorten(text)}")
        for m in self.page.evaluate(_WIDGETS_MISSING_JS, name):
            problems.append(f"cell {m['index'] + 1} has {m['wanted']} widget(s) but the page shows {m['shown']}, "
                            f"and this instead: {_shorten(m['text'], 300)!r}")
        latex = [c["index"] for c in cells if c["type"] == "markdown" and LATEX.search(c["source"])]
        for m in self.page.evaluate(_MATH_JS, [name, latex]):
            if not m["typeset"] or m["errors"]:
                problems.append(f"cell {m['index'] + 1}: its LaTeX is not rendered as math "
                                f"({m['typeset']} formulas typeset, {m['errors']} errors): {_shorten(m['text'], 300)!r}")
        problems += [f"JavaScript error in the page: {_shorten(e, 300)}" for e in self.js_errors.get(name, [])]
        return problems

    def screenshot_notebook(self, name: str, path: Path) -> None:
        """The whole notebook in one picture: make the window as tall as the notebook, then shoot."""
        height = self.page.evaluate(_NOTEBOOK_HEIGHT_JS, name) + 40
        self.page.set_viewport_size({"width": VIEWPORT["width"],
                                     "height": int(min(max(height, VIEWPORT["height"]), MAX_SCREENSHOT_HEIGHT))})
        try:
            self.page.evaluate(_SCROLL_TO_TOP_JS, name)
            self.page.wait_for_timeout(300)  # let the layout settle
            self.page.screenshot(path=path)
        finally:
            self.page.set_viewport_size(VIEWPORT)

    def cell(self, name: str, index: int) -> dict:
        """Cell `index` (from 0, markdown included) as the page holds it: source, count, text."""
        return self.page.evaluate(_CELL_JS, [name, index])

    def type_into_cell(self, name: str, index: int, text: str) -> None:
        """Replace cell `index`'s source by typing `text` on the keyboard, as a student would.
        After each Enter the editor indents the new line itself; Shift+Home selects that indent
        and the typed line replaces it with its own."""
        assert self.page.evaluate(_EDIT_CELL_JS, [name, index]), f"{name}: cell {index + 1}'s editor has no focus"
        keyboard = self.page.keyboard
        keyboard.press("Control+A")
        keyboard.press("Delete")
        for number, line in enumerate(text.split("\n")):
            if number:
                keyboard.press("Enter")
                keyboard.press("Shift+Home")
            if line:
                keyboard.type(line)

    def run_cell(self, name: str, index: int) -> str:
        """Ctrl+Enter in cell `index` (its editor focused), wait until it has run, return its text."""
        before = self.cell(name, index)["count"]
        assert self.page.evaluate(_EDIT_CELL_JS, [name, index]), f"{name}: cell {index + 1}'s editor has no focus"
        self.page.keyboard.press("Control+Enter")
        self.page.wait_for_function(
            "([name, index, before]) => { const c = (" + _CELL_JS + ")([name, index]); "
            "return c.count !== null && c.count !== before && (" + _KERNEL_IDLE_JS + ")(name); }",
            arg=[name, index, before], timeout=WIDGET_SECONDS * 1000, polling=200)
        return self.cell(name, index)["text"]

    def activate(self, name: str) -> None:
        self.page.evaluate("name => { " + _PANEL + " window.jupyterapp.shell.activateById(panel.id); }", name)

    def close(self, name: str) -> None:
        """Close the notebook's tab; its kernel shuts down meanwhile (about 2 s) in a thread."""
        self.kept_open.discard(name)
        with contextlib.suppress(Exception):
            session = self.page.evaluate(_CLOSE_JS, name)
            if session:
                self.server.in_background("DELETE", f"/api/sessions/{session}")


@pytest.fixture(scope="module")
def lab(browser_available):
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="lenet-browser-"))
    shots = Path(tempfile.mkdtemp(prefix="lenet-browser-screenshots-"))
    failed = True  # until every test has run and none failed
    try:
        server = _start_jupyterlab(work)
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(work / "chromium-profile"), executable_path=CHROMIUM, headless=True,
                    args=CHROMIUM_ARGS, viewport=VIEWPORT)
                try:
                    page = context.pages[0] if context.pages else context.new_page()
                    page.goto(f"{server.url}/lab?token={server.token}")
                    page.wait_for_function("() => window.jupyterapp", timeout=START_SECONDS * 1000)
                    page.evaluate("""async () => {
                        await window.jupyterapp.restored;  // every plugin is ready
                        for (const w of [...window.jupyterapp.shell.widgets('main')]) w.dispose();  // the Launcher
                    }""")
                    lab = Lab(server, page, shots)
                    yield lab
                    failed = lab.failed
                finally:
                    context.close()
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if failed or KEEP_SCREENSHOTS:
            print(f"\nbrowser test: screenshots kept in {shots}")
        else:
            shutil.rmtree(shots, ignore_errors=True)


# ---- 1. Every notebook runs in JupyterLab without an error on the page -----------------------

@pytest.mark.timeout(2 * START_SECONDS + RUN_ALL_SECONDS + 60)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab_without_errors(lab, path):
    name = path.stem
    # A notebook with a widget stays open: its widget test moves the sliders on this very page.
    with lab.testing(name, name, keep_open=name in WIDGETS):
        clock = [time.monotonic()]

        def took() -> float:
            clock.append(time.monotonic())
            return clock[-1] - clock[-2]

        lab.open(name)
        opened = took()
        if name in WIDGETS:  # a widget renders only from a live kernel; the rest are checked as stored
            lab.run_all(name)
        ran = took()
        problems = lab.problems_shown(name)
        checked = took()
        # The whole notebook in one picture (1-2 s each) when it shows a problem, or on request.
        if problems or KEEP_SCREENSHOTS:
            lab.screenshot_notebook(name, lab.shots / f"{name}.png")
        print(f"{name}: opened with an idle kernel in {opened:.1f} s, ran all cells in {ran:.1f} s "
              f"({'run' if name in WIDGETS else 'stored outputs, not run'}), "
              f"checked the page in {checked:.1f} s, screenshot in {took():.1f} s")
        assert not problems, f"{name}.ipynb in JupyterLab:\n- " + "\n- ".join(problems)


# ---- 2. Interactive widgets: move a slider in the page, read what the widget prints ----------

@dataclass
class Move:
    slider: str  # the slider's description
    key: str  # pressed on the focused slider handle: ArrowRight, ArrowLeft, PageDown, Home, End


@dataclass
class WidgetCheck:
    """An interactive widget's contract: its sliders and the text it prints for their values."""
    sliders: list[str]  # descriptions of the sliders whose values the printed text depends on
    expected: Callable[[dict], str]  # {description: value} -> the text the widget prints
    moves: list[Move]
    helpers: tuple[str, ...]  # the functions of helpers.py the contract names
    log_sliders: tuple[str, ...] = ()  # FloatLogSliders (base 10); the others are IntSliders


def _helper(name: str):
    import conv_figures
    import explorers
    import helpers

    function = getattr(helpers, name, None) or getattr(conv_figures, name, None) or getattr(explorers, name, None)
    assert callable(function), (f"{name} is missing from notebooks/helpers.py, conv_figures.py and explorers.py, but the "
                                "widget's contract is to print exactly what it returns")
    return function


@functools.lru_cache(maxsize=None)
def _mnist_test_set():
    return _helper("mnist")(train=False)


WIDGETS = {
    # 00: the slider "digit index" picks a test digit; prints helpers.digit_caption(test_set, index).
    "00_start_here": WidgetCheck(
        sliders=["digit index"],
        expected=lambda v: _helper("digit_caption")(_mnist_test_set(), v["digit index"]),
        moves=[Move("digit index", "ArrowRight"), Move("digit index", "End")],
        helpers=("digit_caption", "mnist")),
    # 03: the convolution explorer prints conv_figures.describe_conv(size, kernel_size, stride, padding, dilation).
    "03_convolution_arithmetic": WidgetCheck(
        sliders=["input size", "kernel", "padding", "stride", "dilation"],
        expected=lambda v: _helper("describe_conv")(v["input size"], v["kernel"], v["stride"],
                                                    v["padding"], v["dilation"]),
        # to the ends of the ranges too: a small input under a large dilated kernel is "invalid: ..."
        moves=[Move("padding", "ArrowRight"), Move("stride", "ArrowRight"), Move("kernel", "End"),
               Move("dilation", "End"), Move("input size", "Home"), Move("input size", "End")],
        helpers=("describe_conv",)),
    # 06: the learning-rate slider prints explorers.lr_summary(lr).
    "06_manual_weight_updates": WidgetCheck(
        sliders=["lr"],
        expected=lambda v: _helper("lr_summary")(v["lr"]),
        moves=[Move("lr", "ArrowRight"), Move("lr", "PageDown")],
        helpers=("lr_summary",),
        log_sliders=("lr",)),
}

# Where an ipywidgets 8 slider stands: its noUiSlider position, its readout, and 10 ** position
# computed by Math.pow, exactly the float a FloatLogSlider sends to the kernel.
_SLIDER_STATE_JS = """root => {
    const position = Number(root.querySelector('.noUi-target').noUiSlider.get());
    return {position, readout: root.querySelector('.widget-readout').textContent.trim(),
            pow10: String(Math.pow(10, position))};
}"""

# What the widget printed: the stdout of the Output area nearest to the slider (for
# `interactive`, the one in its own box), all pieces joined.
_PRINTED_JS = """root => {
    let box = root;
    while (box && !box.querySelector('.widget-output')) box = box.parentElement;
    if (!box) return null;
    return [...box.querySelectorAll('.widget-output .jp-OutputArea-output[data-mime-type=\"""" + STDOUT + """\"]')]
        .map(e => e.textContent).join('');
}"""

# The stderr shown in the widget's output (tracebacks of a callback that raised).
_WIDGET_STDERR_JS = _PRINTED_JS.replace(STDOUT, STDERR)


class Slider:
    """One ipywidgets 8 slider of a notebook's page, found by its description."""

    def __init__(self, page, name: str, description: str, log: bool):
        self.page, self.name, self.description, self.log = page, name, description, log
        scope = page.locator(f'[data-lenet-notebook="{name}"]')
        label = page.locator("label.widget-label", has_text=re.compile(rf"^\s*{re.escape(description)}\s*$"))
        self.root = scope.locator(".widget-slider").filter(has=label)
        count = self.root.count()
        assert count == 1, (f"{name}: expected one slider described {description!r}, found {count}; the "
                            f"sliders on the page: {scope.locator('.widget-slider label').all_inner_texts()}")

    def value(self) -> int | float:
        """The value this slider sent to the kernel."""
        state = self.root.evaluate(_SLIDER_STATE_JS)
        if self.log:
            value = float(state["pow10"])  # JavaScript's shortest repr reads back to the same float
            assert math.isclose(float(state["readout"]), value, rel_tol=5e-3), (
                f"{self.name}: slider {self.description!r} shows {state['readout']!r} at exponent "
                f"{state['position']}: it is not a FloatLogSlider of base 10")
            return value
        value = round(state["position"])
        assert state["readout"] == str(value), (
            f"{self.name}: slider {self.description!r} shows {state['readout']!r} at position "
            f"{state['position']}: it is not an IntSlider")
        return value

    def press(self, key: str) -> None:
        handle = self.root.locator(".noUi-handle")
        handle.focus()
        handle.press(key)

    def printed(self) -> str | None:
        return self.root.evaluate(_PRINTED_JS)

    def wait_until_printed(self, expected: str, context: str) -> None:
        wanted = expected + "\n"  # print() ends the text with a newline
        deadline = time.monotonic() + WIDGET_SECONDS
        shown = self.printed()
        while shown != wanted and time.monotonic() < deadline:
            self.page.wait_for_timeout(200)
            shown = self.printed()
        assert shown == wanted, (f"{self.name}: {context}: the widget does not print what the helper "
                                 f"returns.\nexpected: {wanted!r}\nshown:    {shown!r}")
        # The callback goes on (it draws a figure) until the kernel is idle; it must not fail.
        self.page.wait_for_function(_KERNEL_IDLE_JS, arg=self.name, timeout=WIDGET_SECONDS * 1000, polling=100)
        errors = self.root.evaluate(_WIDGET_STDERR_JS) or ""
        assert TRACEBACK not in errors and not ERROR_LINE.search(errors), (
            f"{self.name}: {context}: the widget shows an error:\n{_shorten(errors)}")


@pytest.mark.timeout(2 * START_SECONDS + RUN_ALL_SECONDS + 120)
@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_widget_output_follows_its_sliders(lab, name):
    check = WIDGETS[name]
    assert (ROOT / "notebooks" / f"{name}.ipynb").exists(), (
        f"notebooks/{name}.ipynb is missing; it must have a widget with the sliders {check.sliders}")
    for helper in check.helpers:
        _helper(helper)
    with lab.testing(name, f"{name}-widget"):
        if name not in lab.kept_open:  # run on its own (e.g. -k widget): open and run it first
            lab.open(name)
            lab.run_all(name)
        lab.activate(name)
        _move_sliders_and_check(lab, name, check)


def _move_sliders_and_check(lab: Lab, name: str, check: WidgetCheck) -> None:
    def slider(description: str) -> Slider:
        return Slider(lab.page, name, description, description in check.log_sliders)

    def values() -> dict:
        return {d: slider(d).value() for d in check.sliders}

    first = slider(check.sliders[0])
    first.root.scroll_into_view_if_needed()
    widget = first.root.locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][1]")
    start = values()
    first.wait_until_printed(check.expected(start), f"before any move, with the sliders at {start}")
    widget.screenshot(path=lab.shots / f"{name}-widget-before.png")
    changed = 0
    for move in check.moves:
        moved = slider(move.slider)
        printed_before, before = moved.printed(), moved.value()
        moved.press(move.key)
        now = values()
        assert now[move.slider] != before, (
            f"{name}: {move.key} on the slider {move.slider!r} did not move it from {before}")
        expected = check.expected(now)
        moved.wait_until_printed(expected, f"after {move.key} on {move.slider!r} "
                                           f"({before} -> {now[move.slider]}; sliders at {now})")
        changed += printed_before != expected + "\n"
    widget.screenshot(path=lab.shots / f"{name}-widget-after.png")
    assert changed, f"{name}: no slider move changed the printed text, so this check proved nothing"


# ---- 3. A student's journey in the student copy: answer a write exercise by typing it --------

JOURNEY = ("01_modules_and_layers", "01.4")  # a write exercise: a class of a dozen lines


@pytest.mark.timeout(2 * START_SECONDS + RUN_ALL_SECONDS + 180)
def test_a_student_types_a_write_exercise_in_the_student_copy(lab):
    """Open the student copy's notebook, Run All (the exercise says it is not answered yet), type
    the registry's typical wrong attempt into the exercise cell (✗ and a hint), then its right
    attempt (✓), each line by line on the keyboard and run with Ctrl+Enter."""
    stem, exercise = JOURNEY
    name = f"{STUDENT}/{stem}"
    cells = json.loads((ROOT / STUDENT / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    found = [i for i, c in enumerate(cells) if c["metadata"].get("exercise", {}).get("id") == exercise]
    assert len(found) == 1, f"{name}.ipynb should hold exercise {exercise} once, found {len(found)}"
    index = found[0]
    assert cells[index]["metadata"]["exercise"]["kind"] == "write", f"{exercise} is no longer a write exercise"
    assert not any("solution" in c["metadata"].get("tags", []) for c in cells), f"{name} holds a solution"
    stub, attempts = "".join(cells[index]["source"]), load_attempts()[exercise]
    with lab.testing(name, "student-journey"):
        lab.open(name)
        lab.run_all(name)
        problems = lab.problems_shown(name)
        assert not problems, f"{name}.ipynb in JupyterLab:\n- " + "\n- ".join(problems)
        shown = lab.cell(name, index)["text"]
        assert "not answered yet" in shown, f"{exercise} untouched, after Run All, shows {shown!r}"
        for attempt, verdict, also in ((attempts["wrong"], "✗", "Hint:"), (attempts["right"], "✓", "right")):
            wanted = with_attempt(stub, attempt)
            lab.type_into_cell(name, index, wanted)
            typed = lab.cell(name, index)["source"]
            assert [line.rstrip() for line in typed.splitlines()] == wanted.splitlines(), (
                f"the editor holds another text than the one typed:\n{typed}\n--- typed:\n{wanted}")
            shown = lab.run_cell(name, index)
            assert shown.startswith(verdict) and also in shown, (
                f"{exercise} with the registry's {'wrong' if verdict == '✗' else 'right'} attempt typed in "
                f"shows {shown!r}")
        if KEEP_SCREENSHOTS:
            lab.screenshot_notebook(name, lab.shots / "student-journey.png")


def test_the_latex_check_has_a_formula_to_check():
    """The maths check of test 1 looks at the markdown cells LATEX finds: 03's output-size formula
    must be one of them, or that check would pass without looking at anything."""
    nb = json.loads((ROOT / "notebooks" / "03_convolution_arithmetic.ipynb").read_text(encoding="utf-8"))
    found = [c for c in nb["cells"] if c["cell_type"] == "markdown" and LATEX.search("".join(c["source"]))]
    assert any(r"\frac{n + 2p - k}{s}" in "".join(c["source"]) for c in found), (
        "03's output-size formula is no longer display maths: the LaTeX check of test 1 would look at nothing")
