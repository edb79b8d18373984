"""Sphinx extension of the LeNet Lab website (docs/site/conf.py loads it).

* Figures keep their alt text: ``figure_style.show(fig, alt)`` stores it in the output's metadata
  (``image/png`` -> ``alt``), which myst-nb 1.4 does not read (it takes only width and height
  from there), so the image nodes it makes get it here.
* Every lesson page gets a launch menu (Binder, Colab, JupyterHub through nbgitpuller) whose
  links come from tools/lenetlab/settings.py, the one place the repository address is set, and a download
  menu: the lesson's .ipynb exactly as in the repository (copied next to its page), and the
  whole repository as a zip from GitHub.
* MathJax is served from the build: the npm package installed by ``make site-deps`` in
  docs/site/node_modules is copied (the parts a page can load) into ``_static/mathjax``, unless
  conf.py's LENET_SITE_MATHJAX=cdn switch is on.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from lenetlab import settings  # noqa: E402

MATHJAX_DIR = HERE / "node_modules" / "mathjax" / "es5"
# tex-chtml.js loads the rest on demand: TeX extensions (autoload), CHTML fonts, the menu's
# accessibility parts. The speech rule engine (sre) and the other combined files are left out.
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml", "ui", "a11y", "adaptors"]
LESSON_PREFIX = "notebooks/"


# ---- alt text of the figures -----------------------------------------------------------------

def _patch_image_alt() -> None:
    from myst_nb.core.render import NbElementRenderer

    original = NbElementRenderer.render_image
    if getattr(original, "_lenet_alt", False):
        return

    def render_image(self, data):
        result = original(self, data)
        alt = data.output_metadata.get(data.mime_type, {}).get("alt")
        if isinstance(alt, str) and alt.strip():
            for node in result:
                for image in node.findall(nodes.image):
                    if not image.get("alt"):
                        image["alt"] = alt.strip()
        return result

    render_image._lenet_alt = True
    NbElementRenderer.render_image = render_image


# ---- launch and download buttons -------------------------------------------------------------

def launch_links(repo_path: str) -> dict[str, str]:
    """Binder, Colab and JupyterHub links for a notebook of the repository (its path in it): they
    open its student copy (settings.LEARNER_DIR, no solutions), which learners work in."""
    repo_path = settings.learner_path(repo_path.rsplit("/", 1)[-1])
    hub = os.environ.get("LENET_SITE_JUPYTERHUB")
    return {
        "Binder": settings.binder_url(repo_path),
        "Colab": settings.colab_url(repo_path),
        "JupyterHub": settings.nbgitpuller_url(repo_path, hub=hub) if hub else settings.nbgitpuller_url(repo_path),
    }


def add_lesson_buttons(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if not pagename.startswith(LESSON_PREFIX) or "header_buttons" not in context:
        return
    repo_path = pagename + ".ipynb"
    pathto = context["pathto"]
    icons = {"Binder": "_static/images/logo_binder.svg", "Colab": "_static/images/logo_colab.png",
             "JupyterHub": "_static/images/logo_jupyterhub.svg"}
    tips = {"Binder": "Launch on Binder: the notebooks in your browser, nothing to install",
            "Colab": "Open in Google Colab",
            "JupyterHub": "Pull the repository into your JupyterHub (nbgitpuller) and open this lesson"}
    launch = [{"type": "link", "text": name, "tooltip": tips[name], "icon": icons[name], "url": url,
               "label": f"launch-{name.lower()}"}
              for name, url in launch_links(repo_path).items()]
    context["header_buttons"].append({"type": "group", "tooltip": "Run this lesson", "icon": "fas fa-rocket",
                                      "buttons": launch, "label": "launch-buttons"})
    download = [
        {"type": "link", "text": ".ipynb", "icon": "fas fa-code", "label": "download-notebook-button",
         "tooltip": "Download this notebook (it needs the modules beside it, helpers.py and the figure modules: get the zip)",
         "url": pathto(repo_path, 1)},
        {"type": "link", "text": "all (.zip)", "icon": "fas fa-file-archive", "label": "download-zip-button",
         "tooltip": "Download the whole collection from GitHub",
         "url": f"https://github.com/{settings.REPO}/archive/refs/heads/{settings.BRANCH}.zip"},
    ]
    context["header_buttons"].append({"type": "group", "tooltip": "Download", "icon": "fas fa-download",
                                      "buttons": download, "label": "download-buttons"})


# ---- files copied into the build -------------------------------------------------------------

def copy_files(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for docname in app.env.found_docs:
        if docname.startswith(LESSON_PREFIX):  # the repository's own notebook, for download
            source = ROOT / f"{docname}.ipynb"
            target = out / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    target = out / "_static" / "mathjax"
    if target.exists():  # also a copy left by an earlier local build when this one uses the CDN
        shutil.rmtree(target)
    if app.config.mathjax_path.startswith("mathjax/"):
        for part in MATHJAX_PARTS:
            src = MATHJAX_DIR / part
            dst = target / part
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)


def check_mathjax(app: Sphinx) -> None:
    if app.config.mathjax_path.startswith("mathjax/") and not (MATHJAX_DIR / "tex-chtml.js").is_file():
        raise ExtensionError(f"MathJax is not installed in {MATHJAX_DIR.parent}: run `make site-deps` "
                             "(needs the npm registry once), or build with LENET_SITE_MATHJAX=cdn")


def setup(app: Sphinx) -> dict:
    _patch_image_alt()
    app.connect("builder-inited", check_mathjax)
    app.connect("html-page-context", add_lesson_buttons, priority=502)
    app.connect("build-finished", copy_files)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
