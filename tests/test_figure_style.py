"""figure_style.py: use_style, signed_scale, figure_png and show(fig, alt)."""
import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from PIL import Image  # noqa: E402

import figure_style  # noqa: E402
from conftest import ROOT  # noqa: E402


@pytest.fixture
def styled():
    with matplotlib.rc_context():
        figure_style.use_style()
        yield
    plt.close("all")


def test_use_style_sets_readable_fonts_and_colour_plus_line_style(styled):
    rc = matplotlib.rcParams
    sizes = [rc[k] for k in ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
                             "ytick.labelsize", "legend.fontsize", "figure.titlesize")]
    assert all(isinstance(s, (int, float)) and s >= 10 for s in sizes), sizes  # 10 pt shrunk to 700 px >= 9 pt
    assert rc["figure.constrained_layout.use"] and rc["figure.dpi"] == figure_style.DISPLAY_DPI
    cycle = list(rc["axes.prop_cycle"])
    assert [to_hex(c["color"]).upper() for c in cycle] == [c.upper() for c in figure_style.OKABE_ITO[:6]]
    assert len({str(c["linestyle"]) for c in cycle}) == len(cycle)  # every colour has its own style
    fig, ax = plt.subplots()
    lines = [ax.plot([0, 1], [k, k])[0] for k in range(3)]
    assert len({(line.get_color(), str(line.get_linestyle())) for line in lines}) == 3
    assert len({line.get_linestyle() for line in lines}) == 3


def test_the_widest_figure_keeps_ten_point_ticks_at_nine_points_in_700_pixels():
    assert 700 * 10 / figure_style.MAX_WIDTH_PX >= 8.97


def test_signed_scale_is_one_scale_centred_on_zero_shared_by_all():
    a, b = torch.tensor([[-0.5, 0.2]]), torch.tensor([0.1, 1.5])
    assert figure_style.signed_scale(a, b) == {"cmap": "RdBu_r", "vmin": -1.5, "vmax": 1.5}
    assert figure_style.signed_scale(-a) == {"cmap": "RdBu_r", "vmin": -0.5, "vmax": 0.5}
    assert figure_style.signed_scale(torch.zeros(3))["vmax"] == 1.0
    w = torch.nn.Parameter(torch.randn(2, 3))  # parameters need no .detach() by the caller
    assert figure_style.signed_scale(w)["vmax"] == pytest.approx(w.detach().abs().max().item())
    with pytest.raises(ValueError):
        figure_style.signed_scale()


def test_figure_png_is_retina_and_smaller_than_a_plain_100_dpi_png(styled):
    fig, ax = plt.subplots(figsize=(6, 3))
    for k in range(3):
        ax.plot(torch.randn(200, generator=torch.Generator().manual_seed(k)).cumsum(0), label=f"run {k}")
    ax.set(xlabel="step", ylabel="loss")
    ax.legend()
    data, width, height = figure_style.figure_png(fig)
    image = Image.open(io.BytesIO(data))
    assert (image.width // figure_style.PIXEL_SCALE, image.height // figure_style.PIXEL_SCALE) == (width, height)
    assert 590 <= width <= 620 and 290 <= height <= 320  # 6 x 3 in at 100 px per in, cropped
    plain = io.BytesIO()
    fig.savefig(plain, format="png", dpi=100, bbox_inches="tight")
    assert len(data) < len(plain.getvalue())


def test_figure_png_measures_the_width_as_shown_whatever_the_figures_dpi(styled):
    widths = []
    for dpi in (figure_style.DISPLAY_DPI, 141.7):
        fig, ax = plt.subplots(figsize=(6, 3), dpi=dpi)
        ax.plot([0, 1], [0, 1])
        ax.set(xlabel="step", ylabel="loss", title="a title")
        widths.append(figure_style.figure_png(fig)[1:])
        plt.close(fig)
    assert widths[0] == widths[1] and 590 <= widths[0][0] <= 620


class _Shell:
    """Stands in for IPython's shell: pyplot registers a hook on its events at the first figure."""

    class events:
        @staticmethod
        def register(event, function):
            pass


def test_show_stores_alt_text_and_display_size(styled, monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: _Shell())
    monkeypatch.setattr(IPython.display, "display", lambda data, raw, metadata: shown.append((data, metadata)))
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([0, 1])
    alt = "A straight line rising from 0 to 1."
    figure_style.show(fig, alt=alt)
    (data, metadata), = shown
    assert data["text/plain"] == alt and set(data) == {"image/png", "text/plain"}
    width, height = Image.open(io.BytesIO(base64.b64decode(data["image/png"]))).size
    assert metadata == {"image/png": {"width": width // 2, "height": height // 2, "alt": alt}}
    assert not plt.fignum_exists(fig.number)  # closed: the inline backend will not show it again
    for bad in (None, "", "plot", 3):
        with pytest.raises(ValueError, match="alt text"):
            figure_style.show(plt.subplots()[0], alt=bad)
    wide, _ = plt.subplots(figsize=(9, 2))
    with pytest.raises(ValueError, match="px wide") as error:
        figure_style.show(wide, alt="A figure far too wide for the output area.")
    assert "sticking out" not in str(error.value)  # the figure itself is too wide: nothing to name
    narrow, ax = plt.subplots(figsize=(6, 2))
    ax.plot([1, 2], label="a legend label far too long to sit beside the axes " * 2)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    with pytest.raises(ValueError, match=r"sticking out of the 6\.0-in figure: Text 'a legend label.*\(\d+ px past the edge\), Legend \(\d+ px"):
        figure_style.show(narrow, alt="A figure whose legend sticks out to the right.")
    assert len(shown) == 1


def test_show_frees_the_figure_at_once(styled, monkeypatch):
    """A shown figure's artists sit in reference cycles: show() clears the figure and collects them
    (issue 14: dead figures added 20-40 MB to 07's peak memory)."""
    import gc
    import weakref

    import IPython
    import IPython.display

    gc.disable()  # no automatic collection may free them for show()
    try:
        fig, ax = plt.subplots(figsize=(4, 2))
        line = weakref.ref(ax.plot([0, 1, 4])[0])
        axes = weakref.ref(ax)
        del ax
        monkeypatch.setattr(IPython, "get_ipython", lambda: _Shell())  # after pyplot has set itself up
        monkeypatch.setattr(IPython.display, "display", lambda data, raw, metadata: None)
        figure_style.show(fig, alt="A line rising steeply after x = 1.")
        assert fig.axes == [] and not plt.fignum_exists(fig.number)
        assert line() is None and axes() is None, "show() left the figure's artists for a later collection"
        assert gc.get_freeze_count() > 0  # later collections skip what was alive at the first one
    finally:
        gc.enable()
        gc.unfreeze()  # the rest of the test session collects as usual


def test_show_in_a_real_kernel_gives_one_output_with_alt_text(tmp_path):
    cells = ["import sys; sys.path.insert(0, %r)\nimport matplotlib.pyplot as plt\nimport figure_style\n"
             "figure_style.use_style()" % str(ROOT / "notebooks"),
             "fig, ax = plt.subplots(figsize=(5, 2))\nax.plot([0, 1, 4])\nax.set(xlabel='x', ylabel='y')\n"
             "figure_style.show(fig, alt='A line rising steeply after x = 1.')"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    outputs = nb.cells[1].outputs
    assert [o.output_type for o in outputs] == ["display_data"]  # no second copy from the backend
    (out,) = outputs
    assert out.data["text/plain"] == "A line rising steeply after x = 1."
    meta = out.metadata["image/png"]
    assert meta["alt"] == out.data["text/plain"]
    width, height = Image.open(io.BytesIO(base64.b64decode(out.data["image/png"]))).size
    assert (meta["width"], meta["height"]) == (width // 2, height // 2) and 490 <= meta["width"] <= 520
