"""The website (docs/site/, `make site`): built offline from the stored outputs, every page
opened in headless Chromium.

The module builds the site from the current notebooks, README.md and instructor guide into a
temporary folder (docs/site/build.py: Sphinx with warnings as errors, nothing executed, nothing
downloaded), serves it on a free loopback port and opens every page in Debian's Chromium through
Playwright, with the launch flags of test_browser.py (no host name resolves: a page that asks
the network for anything fails). A page fails on:

* a page or one of its resources (script, style sheet, font, image) that does not load, a
  JavaScript error, a request to any address but the local server;
* maths left untypeset: a formula MathJax did not turn into its output, a MathJax error, raw
  TeX (``$$``, ``\\(``, ``\\[``, ``$...$``) left in the text;
* an image without alt text (none, empty, or Sphinx's default: the file name), or not loading;
* a stored error output (a traceback, or an error line on stderr);
* an internal link (page, file or #anchor) that does not resolve;
* on a lesson: a solution visible (each cell tagged ``solution`` must be on the page, folded
  in a closed toggle labelled "Show solution"; no check's "✓ NN.N" may be visible, which
  also catches a solution that lost its tag), an exercise whose output is not the unanswered
  one ("not answered yet"), a launch link (Binder, Colab, JupyterHub) that is not the one
  tools/nav.py builds from REPO, previous / next not in the lessons' order, a widget left as
  its text fallback instead of its static snapshot.

The tests at the end prove that each check can fail: they damage a copy of the built site
(delete a page or an image, remove alt text or MathJax, add raw TeX, an error output, a broken
link, an open solution, ...) and expect the checker to say so.

Without Sphinx / myst-nb / MathJax (`make site-deps`), Playwright or Chromium the tests skip,
saying why; with CI=true that is a failure.
"""
from __future__ import annotations

import contextlib
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from test_browser import CHROMIUM, CHROMIUM_ARGS, ERROR_LINE, TRACEBACK

from lenetlab.notebooks import notebook_paths

pytestmark = pytest.mark.site
SITE_DIR = ROOT / "docs" / "site"
LESSONS = [p.stem for p in notebook_paths(ROOT)]
PAGES = (["index.html"] + [f"notebooks/{name}.html" for name in LESSONS]
         + ["docs/instructor_guide.html", "search.html", "genindex.html"])
VIEWPORT = {"width": 1280, "height": 900}
BUILD_SECONDS = 900
PAGE_MS = 30_000
MATHJAX_MS = 30_000  # MathJax typesetting a page
# The page has loaded (its scripts have run), so MathJax's startup object is there at once or never.
MATHJAX_START_MS = 5_000
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHECK_PASSED = re.compile(r"✓ (?:exercise \d+|\d\d\.\d+)[^\n]*")  # what checks.check prints for a right answer
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\$[^\s$][^$\n]*?[^\s$\\]\$|\$[^\s$]\$")


# ---- Skip or fail: can this machine build and open the site? -------------------------------

def _why_not() -> str | None:
    for module, what in (("sphinx", "Sphinx"), ("myst_nb", "myst-nb"), ("sphinx_book_theme", "sphinx-book-theme")):
        try:
            __import__(module)
        except ImportError:
            return f"{what} is not installed (make site-deps)"
    if not (SITE_DIR / "node_modules" / "mathjax" / "es5" / "tex-chtml.js").is_file():
        npm = "" if shutil.which("npm") else "; it needs npm, not found on PATH: install Node.js"
        return f"MathJax is not installed in docs/site/node_modules (make site-deps{npm})"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run installs it)"
    return None


@pytest.fixture(scope="module")
def available() -> None:
    reason = _why_not()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true, so the site test must run, but {reason}", pytrace=False)
        pytest.skip(f"site test skipped: {reason}")


# ---- Build and serve -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(available, tmp_path_factory) -> Path:
    """The site, built from the repository as it is now, in a temporary folder."""
    out = tmp_path_factory.mktemp("site-build")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LENET_SITE_")}  # local MathJax
    proc = subprocess.run([sys.executable, str(SITE_DIR / "build.py"), "--out", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=BUILD_SECONDS)
    if proc.returncode != 0:
        pytest.fail(f"the site does not build (docs/site/build.py, warnings are errors):\n"
                    f"{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}", pytrace=False)
    return out / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log on the test's output
        pass


class Server:
    """A static HTTP server for one folder, on a free loopback port."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def browser(available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def checker(built, browser):
    server = Server(built)
    try:
        yield Checker(browser, server, built)
    finally:
        server.stop()


# ---- What a page shows -----------------------------------------------------------------------

_MATH_JS = """() => {
    const maths = [...document.querySelectorAll('.math')];
    return {total: maths.length,
            typeset: maths.filter(m => m.querySelector('mjx-container')).length,
            errors: document.querySelectorAll('mjx-merror, .MathJax_Error').length,
            untypeset: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 120))};
}"""

# The text a reader sees, outside code, outputs of code and typeset maths: raw TeX must not be in it.
_PROSE_JS = """() => {
    const root = document.querySelector('main') || document.body;
    const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .cell_output, .output';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (el && !el.closest(skip)) parts.push(node.textContent);
    }
    return parts.join('');
}"""

_IMAGES_JS = """() => [...document.querySelectorAll('img')].map(img => ({
    src: img.getAttribute('src'), alt: img.getAttribute('alt'), complete: img.complete, width: img.naturalWidth}))"""

_ERRORS_JS = """() => ({
    tracebacks: [...document.querySelectorAll('.output.traceback, .output.error')].map(e => e.textContent.slice(0, 400)),
    stderr: [...document.querySelectorAll('.output.stderr')].map(e => e.textContent)})"""

_LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"

_SOLUTIONS_JS = """() => [...document.querySelectorAll('.cell.tag_solution')].map(cell => {
    const details = cell.querySelector(':scope > details');
    const summary = details && details.querySelector(':scope > summary');
    const parts = [...cell.querySelectorAll('.cell_input, .cell_output')];
    return {folded: !!details, open: !!(details && details.open),
            summary: summary ? summary.innerText.trim() : '',
            summaryVisible: !!(summary && summary.checkVisibility()),
            visibleParts: parts.filter(p => p.checkVisibility()).length, parts: parts.length,
            text: cell.textContent.trim().slice(0, 160)};
})"""

_EXERCISES_JS = """() => [...document.querySelectorAll('.cell.tag_exercise')].map(cell => {
    const out = cell.querySelector('.cell_output');
    return {output: out ? out.innerText : null, visible: cell.checkVisibility(),
            source: (cell.querySelector('.cell_input') || cell).innerText.slice(0, 120)};
})"""

_PREV_NEXT_JS = """() => {
    const prev = document.querySelector('.prev-next-area a.left-prev');
    const next = document.querySelector('.prev-next-area a.right-next');
    return {prev: prev ? prev.href : null, next: next ? next.href : null};
}"""


def _notebook(name: str) -> dict:
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))


def _tagged(nb: dict, tag: str) -> int:
    return sum(tag in c.get("metadata", {}).get("tags", []) for c in nb["cells"])


def _widget_outputs(nb: dict) -> int:
    """Widget outputs with controls (sliders): each becomes a snapshot with a note."""
    state = nb.get("metadata", {}).get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    count = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                import prepare
                models = list(prepare._walk(state, view.get("model_id")))
                count += any(m.get("model_name", "").endswith("SliderModel") for m in models)
    return count


class Checker:
    """Opens a page of a served site and lists everything a reader would see as broken."""

    def __init__(self, browser, server: Server, folder: Path):
        self.browser, self.server, self.folder = browser, server, folder
        self._fetched: dict[str, tuple[int, str]] = {}

    def fetch(self, url: str) -> tuple[int, str]:
        """Status and text of a URL of the local server (cached)."""
        if url not in self._fetched:
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            try:
                with opener.open(url, timeout=10) as response:
                    body = response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status, body = exc.code, b""
            self._fetched[url] = (status, body.decode("utf-8", "replace"))
        return self._fetched[url]

    @contextlib.contextmanager
    def open(self, rel: str):
        """A fresh browser context (no cache) with the page loaded; yields (page, problems)."""
        context = self.browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        problems: list[str] = []
        local = self.server.url.rstrip("/")

        def on_request(request):
            if not (request.url.startswith(local) or request.url.startswith(("data:", "blob:", "about:"))):
                problems.append(f"the page requests {request.url[:150]}: it must work offline, "
                                "from the build alone")

        def on_response(response):
            if response.url.startswith(local) and response.status >= 400 and not response.url.endswith("/favicon.ico"):
                problems.append(f"{response.url[len(local):]} did not load (HTTP {response.status})")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", lambda r: r.url.startswith(local) and problems.append(
            f"{r.url[len(local):]} did not load ({r.failure})"))
        page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {str(exc)[:300]}"))
        try:
            response = page.goto(self.server.url + rel, wait_until="load", timeout=PAGE_MS)
            if response is None or response.status != 200:
                problems.append(f"{rel}: the page did not load (HTTP {response.status if response else 'none'})")
            yield page, problems
        finally:
            context.close()

    def problems(self, rel: str) -> list[str]:
        with self.open(rel) as (page, problems):
            if any("the page did not load" in p for p in problems):
                return problems
            problems += self._maths(page)
            problems += self._images(page)
            problems += self._errors(page)
            problems += self._links(page, rel)
            if rel.startswith("notebooks/"):
                problems += self._lesson(page, Path(rel).stem)
            return problems

    def _maths(self, page) -> list[str]:
        problems = []
        if page.evaluate("() => document.querySelectorAll('.math').length"):
            try:
                page.wait_for_function("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise",
                                       timeout=MATHJAX_START_MS)
                page.evaluate("() => window.MathJax.startup.promise.then(() => true)")
            except Exception as exc:  # noqa: BLE001
                problems.append(f"MathJax did not start, the maths stays raw TeX ({str(exc).splitlines()[0][:150]})")
            m = page.evaluate(_MATH_JS)
            if m["typeset"] < m["total"] or m["errors"]:
                problems.append(f"maths left untypeset: {m['typeset']} of {m['total']} formulas typeset, "
                                f"{m['errors']} MathJax errors; untypeset: {m['untypeset'][:3]}")
        raw = RAW_TEX.findall(page.evaluate(_PROSE_JS))
        if raw:
            problems.append(f"raw TeX left in the text (not typeset): {raw[:5]}")
        return problems

    def _images(self, page) -> list[str]:
        problems = []
        for img in page.evaluate(_IMAGES_JS):
            src, alt = img["src"] or "", (img["alt"] or "").strip()
            if not alt or alt == src or alt.endswith(Path(src).name) or re.fullmatch(r"\S+\.(png|jpe?g|svg|gif)", alt):
                problems.append(f"image without alt text: {src} (alt={img['alt']!r})")
            if not img["complete"] or not img["width"]:
                problems.append(f"image does not load: {src}")
        return problems

    def _errors(self, page) -> list[str]:
        found = page.evaluate(_ERRORS_JS)
        problems = [f"a stored error output is shown: {t!r}" for t in found["tracebacks"]]
        problems += [f"an error is shown on stderr: {t[:300]!r}" for t in found["stderr"]
                     if TRACEBACK in t or ERROR_LINE.search(t)]
        return problems

    def _links(self, page, rel: str) -> list[str]:
        problems = []
        local = self.server.url
        for href in dict.fromkeys(page.evaluate(_LINKS_JS)):
            if not href.startswith(local):
                continue
            url, _, fragment = href.partition("#")
            status, text = self.fetch(url)
            if status != 200:
                problems.append(f"link to {href[len(local):]} does not resolve (HTTP {status})")
            elif fragment and url.endswith(".html"):
                ident = urllib.parse.unquote(fragment)
                if not re.search(r'\b(?:id|name)="' + re.escape(html.escape(ident)) + '"', text):
                    problems.append(f"link to {href[len(local):]}: no element with id {ident!r} on that page")
        return problems

    def _lesson(self, page, name: str) -> list[str]:
        problems = []
        nb = _notebook(name)
        # solutions: all there, all folded
        solutions = page.evaluate(_SOLUTIONS_JS)
        wanted = _tagged(nb, "solution")
        if len(solutions) != wanted:
            problems.append(f"{wanted} cells tagged solution in the notebook, {len(solutions)} on the page")
        for s in solutions:
            if not s["folded"] or s["open"] or s["visibleParts"]:
                problems.append(f"a solution is visible (folded={s['folded']}, open={s['open']}, "
                                f"{s['visibleParts']} of {s['parts']} parts visible): {s['text']!r}")
            elif not (s["summaryVisible"] and s["summary"].startswith("Show solution")):
                problems.append(f"a folded solution has no visible 'Show solution' toggle (summary {s['summary']!r})")
        # a check's ✓ ("✓ 03.2: right.") comes only from a solution: none may be visible
        shown = [t for t in page.evaluate(
            "() => [...document.querySelectorAll('.cell_output')].filter(o => o.checkVisibility()).map(o => o.innerText)")
            if CHECK_PASSED.search(t)]
        if shown:
            problems.append(f"a solution's ✓ is visible on the page: {CHECK_PASSED.search(shown[0]).group(0)!r}")
        # exercises: visible, as a student sees them before answering
        exercises = page.evaluate(_EXERCISES_JS)
        if len(exercises) != _tagged(nb, "exercise"):
            problems.append(f"{_tagged(nb, 'exercise')} cells tagged exercise in the notebook, {len(exercises)} on the page")
        for e in exercises:
            if not e["visible"]:
                problems.append(f"an exercise is hidden: {e['source']!r}")
            if e["output"] is None or "not answered yet" not in e["output"] or "✓" in e["output"]:
                problems.append(f"an exercise does not show its unanswered output ('not answered yet'): "
                                f"{e['source']!r} shows {e['output']!r}")
        # launch buttons from tools/lenetlab/settings.py's REPO, the download of the .ipynb
        import lenet_site
        from lenetlab import settings
        hrefs = set(page.evaluate(_LINKS_JS))
        raw = set(page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"))
        for provider, url in lenet_site.launch_links(f"notebooks/{name}.ipynb").items():
            if url not in raw or settings.REPO not in urllib.parse.unquote(url):
                problems.append(f"no {provider} launch link to {url}")
        if self.server.url + f"notebooks/{name}.ipynb" not in hrefs:
            problems.append(f"no download link to notebooks/{name}.ipynb")
        # previous / next in the lessons' order
        links = page.evaluate(_PREV_NEXT_JS)
        index = LESSONS.index(name)
        want_prev = f"notebooks/{LESSONS[index - 1]}.html" if index else "index.html"
        want_next = f"notebooks/{LESSONS[index + 1]}.html" if index + 1 < len(LESSONS) else "docs/instructor_guide.html"
        for key, want in (("prev", want_prev), ("next", want_next)):
            if not (links[key] or "").split("#")[0].endswith(want):
                problems.append(f"the {key} link goes to {links[key]}, not {want}")
        # widgets: their static snapshot, never the text fallback
        outputs = " ".join(page.locator(".cell_output").all_inner_texts())
        if "interactive(children=" in outputs or "Loading widget" in outputs:
            problems.append("a widget is shown as its text fallback, not as its static snapshot")
        snapshots = page.locator(".lenet-widget-snapshot").count()
        if snapshots < _widget_outputs(nb):
            problems.append(f"{_widget_outputs(nb)} interactive explorer(s) in the notebook, "
                            f"{snapshots} static snapshot(s) on the page")
        return problems


# ---- The site as built -----------------------------------------------------------------------

def test_every_page_was_built(built):
    missing = [rel for rel in PAGES if not (built / rel).is_file()]
    assert not missing, f"pages missing from the build: {missing}"
    assert (built / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax is not served from the build"


@pytest.mark.browser
@pytest.mark.parametrize("rel", PAGES)
def test_page(checker, rel):
    problems = checker.problems(rel)
    assert not problems, f"{rel}:\n- " + "\n- ".join(problems)


@pytest.mark.browser
def test_lesson_03_formula_is_typeset(checker):
    """The output-size formula of 03 must be on its page, typeset by MathJax (the general maths
    check would pass on a page without maths)."""
    with checker.open("notebooks/03_convolution_arithmetic.html") as (page, problems):
        page.wait_for_function("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise",
                               timeout=MATHJAX_MS)
        page.evaluate("() => window.MathJax.startup.promise.then(() => true)")
        typeset = page.locator(".math mjx-container").count()
        text = page.evaluate(_PROSE_JS)
        assert typeset >= 1, "03's formula is not typeset"
        assert "frac" not in text and "lfloor" not in text, "03's formula is left as raw TeX"
        assert not problems, problems


@pytest.mark.browser
def test_a_solution_opens(checker):
    """Folded, not removed: a click on "Show solution" shows the code and its ✓."""
    with checker.open("notebooks/03_convolution_arithmetic.html") as (page, problems):
        cell = page.locator(".cell.tag_solution").first
        cell.locator("summary").click()
        assert cell.locator(".cell_input").is_visible()
        assert "✓" in cell.locator(".cell_output").inner_text()
        assert not problems, problems


@pytest.mark.browser
def test_search_finds_a_lesson(checker):
    with checker.open("search.html?q=convolution") as (page, problems):
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=PAGE_MS)
        hrefs = page.evaluate("() => [...document.querySelectorAll('#search-results li a')].map(a => a.href)")
        assert any("03_convolution_arithmetic" in h for h in hrefs), hrefs
        assert not problems, problems


# ---- Each check can fail: damage a copy of the site ------------------------------------------

FIGURE = re.compile(r'<img ([^>]*?)src="(\.\./_images/[^"]+)"([^>]*)>')  # a figure of a lesson page


def _first_image(text: str) -> str:
    return FIGURE.search(text).group(2)


def _set_alt(alt: str | None):
    """Damage: the first figure's alt attribute removed (None) or set to `alt` ("{src}": its file name)."""
    def change(text: str) -> str:
        m = FIGURE.search(text)
        attrs = re.sub(r'\s*alt="[^"]*"', "", m.group(1))
        new_alt = "" if alt is None else f'alt="{alt.format(src=m.group(2))}" '
        return text[:m.start()] + f'<img {new_alt}{attrs}src="{m.group(2)}"{m.group(3)}>' + text[m.end():]
    return change


def _sub(pattern: str, repl: str, count: int = 1):
    def damage(text: str) -> str:
        new = re.sub(pattern, repl, text, count=count)
        assert new != text, f"the damage {pattern!r} found nothing to change"
        return new
    return damage


L03 = "notebooks/03_convolution_arithmetic.html"
# (name, page damaged and checked, damage: a function of (site folder) -> None, expected problem)
DAMAGES = {
    "page missing": ("notebooks/05_loss_and_backward.html",
                     lambda site: (site / "notebooks/05_loss_and_backward.html").unlink(), "the page did not load"),
    "mathjax missing": (L03, lambda site: (site / "_static/mathjax/tex-chtml.js").write_text(""), "MathJax did not start"),
    "raw tex": ("notebooks/01_modules_and_layers.html",
                lambda site: _edit(site, "notebooks/01_modules_and_layers.html",
                                   _sub(r"(<main[^>]*>)", r"\1<p>the loss is $x^2$ here</p>")), "raw TeX left"),
    "no alt": (L03, lambda site: _edit(site, L03, _set_alt(None)), "image without alt text"),
    "alt is the file name": (L03, lambda site: _edit(site, L03, _set_alt("{src}")), "image without alt text"),
    "image file missing": (L03, lambda site: (site / "notebooks" / _first_image((site / L03).read_text())).unlink(),
                           "did not load"),
    "error output": ("notebooks/04_autograd_graph.html",  # the markup of myst-nb's render_error
                     lambda site: _edit(site, "notebooks/04_autograd_graph.html", _sub(
                         r'(<div class="cell_output docutils container">)',
                         r'\1<div class="output traceback highlight-ipythontb notranslate"><div class="highlight"><pre>'
                         r'Traceback (most recent call last)\nValueError: boom</pre></div></div>')), "stored error output"),
    "error on stderr": ("notebooks/04_autograd_graph.html",
                        lambda site: _edit(site, "notebooks/04_autograd_graph.html", _sub(
                            r'(<div class="cell_output docutils container">)',
                            r'\1<div class="output stderr highlight-myst-ansi notranslate"><div class="highlight"><pre>'
                            r'RuntimeError: shapes do not match</pre></div></div>')), "error is shown on stderr"),
    "broken link": ("index.html", lambda site: _edit(site, "index.html", _sub(r'href="notebooks/02_lenet.html"',
                                                                              'href="notebooks/02_lenet_gone.html"')),
                    "does not resolve"),
    "broken anchor": ("index.html", lambda site: _edit(site, "index.html", _sub(r'href="notebooks/02_lenet.html"',
                                                                                'href="notebooks/02_lenet.html#no-such-heading"')),
                      "no element with id"),
    "solution open": (L03, lambda site: _edit(site, L03, _sub(r'<details class="admonition hide above-input">',
                                                              '<details open class="admonition hide above-input">')),
                      "a solution is visible"),
    "solution not folded": (L03, lambda site: _unfold(site), "a solution is visible"),
    "solution untagged": (L03, lambda site: (_unfold(site), _edit(site, L03, _sub("tag_solution", "tag_other", count=0))),
                          "✓ is visible"),
    "solutions removed": (L03, lambda site: _edit(site, L03, _sub(r"tag_solution", "tag_removed", count=0)),
                          "cells tagged solution in the notebook"),
    "exercise answered": (L03, lambda site: _edit(site, L03, _sub(r"not answered yet", "✓ exact")),
                          "does not show its unanswered output"),
    "launch link": (L03, lambda site: _edit(site, L03, _sub(r'href="https://mybinder\.org/v2/gh/[^/"]+/', 'href="https://mybinder.org/v2/gh/someone/')),
                    "no Binder launch link"),
    "network request": ("docs/instructor_guide.html",
                        lambda site: _edit(site, "docs/instructor_guide.html",
                                           _sub(r"</head>", '<script src="https://cdn.example.org/x.js"></script></head>')),
                        "it must work offline"),
    "widget fallback": ("notebooks/06_manual_weight_updates.html",
                        lambda site: _edit(site, "notebooks/06_manual_weight_updates.html",
                                           _sub(r'<p class="lenet-widget-snapshot">', '<p>interactive(children=(FloatLogSlider()))</p><p class="x">', count=0)),
                        "static snapshot"),
}


def _edit(site: Path, rel: str, change) -> None:
    path = site / rel
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _unfold(site: Path) -> None:
    """Every solution's <details> becomes a plain <div>: the solution shows, unfolded."""
    def change(text: str) -> str:
        new = re.sub(r'<details class="admonition hide above-input">\s*<summary.*?</summary>', "<div>", text, flags=re.S)
        new = new.replace("</details>", "</div>")
        assert new != text
        return new
    _edit(site, L03, change)


@pytest.mark.browser
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_each_check_can_fail(built, browser, damage, tmp_path):
    rel, apply, expected = DAMAGES[damage]
    site = tmp_path / "site"
    shutil.copytree(built, site)
    apply(site)
    server = Server(site)
    try:
        problems = Checker(browser, server, site).problems(rel)
    finally:
        server.stop()
    assert any(expected in p for p in problems), (
        f"damage {damage!r} to {rel}: the checker should report {expected!r}, it reports {problems}")
