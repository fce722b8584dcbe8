"""Step through the forward and backward passes in the browser, one chain-rule product at a time.

    player = step_through(o)        # the last expression of a Jupyter cell: the player shows
    player.save_html('o.html')      # the same player as a page that opens from disk
    step_through(o, leaves=True)    # also a step for every input ("a leaf, nothing to push back")

The graph is drawn once (`to_svg`, each value's final gradient) and every step only changes its state:
the current node and its edges are highlighted, gradients not computed yet are blank, partial sums
(more paths to come) are orange, and the step's explanation from `trace` is shown beside the graph,
its formulas as MathML.  The view follows the step: it pans (and zooms out, while text stays at
least 10 px high) so that the node, its parents and the edges between are on screen.  Steps that
only say an input is done are folded into the step that completes it (a checkbox brings them back).

Everything is inline (micrograd/assets/player.js and player.css), so it needs no network and no
kernel: it works in JupyterLab, in nbconvert's HTML, and from disk.  Several players on one page are
independent: each has its own id, and the script only ever looks inside its player.  Where scripts
do not run (an untrusted notebook shows sanitized HTML), the output is the final picture (a PNG, for
graphs of up to 300 values), the steps as text and a line saying how to trust the notebook; the
controls are `hidden` until the script shows them.
"""
import base64
import html
import json
import math
import numbers
import re
import uuid
from importlib import resources

from .engine import Value, topological_order
from .files import write_atomic
from .player_math import math_lines
from .render import check_size, draw_dot
from .renderer import RendererNotFound, render
from .trace import backward_steps, forward_steps

__all__ = ['Player', 'step_through']

_ID = re.compile(r'\bid="([^"]*)"')
_XML_PREAMBLE = re.compile(r'\A.*?(?=<svg\b)', re.S)    # <?xml …?>, <!DOCTYPE …>, comments
# Titles that only say an id ("v3op", "v1->v3op") and comments go; a value's title (its full name and
# formula, shown on hover) stays.
_NOISE = re.compile(r'<title>v\d+(?:op)?(?:&#45;&gt;v\d+(?:op)?)?</title>\n?|<!--.*?-->\n?', re.S)
_SURROGATE = re.compile(r'[\ud800-\udfff]')            # drawn as U+FFFD by render: the same here
_STATIC_STEPS = 300      # steps written out as text where the player cannot run (an untrusted notebook)
_STATIC_PICTURE = 300    # values at most, for the final picture there (a PNG: bigger ones get large)
TRUST = ("Not trusted, so the step-through player cannot run here: run the cell again, or trust the "
         "notebook (JupyterLab: Ctrl+Shift+C, “Trust Notebook”; a terminal: jupyter trust FILE.ipynb).")


def step_through(root, *, rankdir='LR', delay=0.8, start='backward', leaves=False):
    """A Player for the graph ending in `root`: displays in Jupyter; `save_html(path)` writes a page.

    delay: seconds per step while playing (the page has a speed control too); start: 'backward' or
    'forward', the pass shown first; leaves=True: a step of its own for every input, as well.
    """
    return Player(root, rankdir=rankdir, delay=delay, start=start, leaves=leaves)


class Player:
    """The forward and backward steps of one graph, and the HTML that plays them."""

    def __init__(self, root, *, rankdir='LR', delay=0.8, start='backward', leaves=False):
        if not isinstance(root, Value):
            raise TypeError(f"step_through: root must be a Value (the output to step back from), "
                            f"not {type(root).__name__}")
        if start not in ('backward', 'forward'):
            raise ValueError(f"step_through: start must be 'backward' or 'forward', not {start!r}")
        if isinstance(delay, bool) or not isinstance(delay, numbers.Real):
            raise TypeError(f"step_through: delay must be a number of seconds, not {type(delay).__name__}")
        if not (math.isfinite(delay) and delay > 0):
            raise ValueError(f"step_through: delay must be a positive, finite number of seconds, not {delay!r}")
        if not isinstance(leaves, bool):
            raise TypeError(f"step_through: leaves must be True or False, not {leaves!r}")
        check_size(root)                        # a graph too big to draw: refused before any step
        order = topological_order(root)
        index = {v: i for i, v in enumerate(order)}
        self.forward = forward_steps(root)
        self.backward = backward_steps(root)
        grads = {s.value: s.grad for s in self.backward}
        drawing = draw_dot(root, rankdir=rankdir, show_grad=True, grads=grads)
        self._svg = _NOISE.sub('', _XML_PREAMBLE.sub('', drawing.svg(), count=1))
        self._picture = _png_data_uri(drawing.source) if len(order) <= _STATIC_PICTURE else ''
        parents = [[index[p] for p in v._prev] for v in order]
        names = [''] * len(order)
        for s in self.backward:
            names[s.node] = s.name
        L, root_name, n = self.backward[0].L, self.backward[0].name, len(order)
        self._text = [s.explain() for s in self.backward]
        self._data = {
            'parents': parents,
            'delay': max(50, round(delay * 1000)),
            'start': start,
            'leaves': leaves,
            'forward': {
                'intro': f"Forward pass: {n} values, from the inputs to {root_name}. "
                         f"Press Next (or →) to compute the first value.",
                'steps': [_step_json(s, s.explain(), {names[i] for i in (s.node, *s.parents)})
                          for s in self.forward],
            },
            'backward': {
                'intro': f"Backward pass: {n} values, from {root_name} back to the inputs. Each step "
                         f"takes a node whose gradient is complete and pushes it to its parents: "
                         f"∂{L}/∂parent += ∂node/∂parent · ∂{L}/∂node. Press Next (or →) to start.",
                'steps': [_step_json(s, text, _step_names(s, names, parents), _grads(s))
                          for s, text in zip(self.backward, self._text)],
            },
        }

    def _repr_html_(self):
        return self.html()

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        # text/html outranks text/plain, even untrusted (JupyterLab sanitizes it): the HTML's own
        # fallback is what an untrusted notebook shows; text/plain serves terminals and plain viewers.
        return {'text/html': self.html(), 'text/plain': self.text()}

    def text(self):
        """The backward pass as text, then how to see the player in an untrusted notebook."""
        n = len(self._text)
        blocks = [f"backward pass: {n} step{'s' * (n != 1)}"]
        blocks += [f"step {k}/{n}  " + t.replace('\n', '\n    ') for k, t in enumerate(self._text, 1)]
        return _SURROGATE.sub('\ufffd', '\n'.join(blocks + [TRUST]))

    def _static_text(self, most=_STATIC_STEPS):
        """The steps for where the script does not run: all of them up to `most`, then a count."""
        lines = self.text().split('\n')[:-1]
        if len(self._text) <= most:
            return '\n'.join(lines)
        cut = next(i for i, line in enumerate(lines) if line.startswith(f"step {most + 1}/"))
        return '\n'.join(lines[:cut] + [f"… and {len(self._text) - most} more steps (the player shows them all)"])

    def _static_picture(self):
        if not self._picture:
            return ''
        return (f'\n<p><img class="mg-picture" style="max-width: 100%; height: auto" '
                f'src="{self._picture}" alt="the graph with every value and its final gradient"></p>')

    def html(self):
        """The player as an HTML fragment (its own <style> and <script>), with a fresh id."""
        pid = f"mg-{uuid.uuid4().hex[:12]}"
        svg = _ID.sub(lambda m: f'id="{pid}-{m[1]}"', self._svg)
        data = json.dumps(self._data, ensure_ascii=False, separators=(',', ':'))
        # Inside <script>, '</script>' or '<!--' would end it early: \u003c is the same JSON.
        data = data.replace('<', '\\u003c').replace('>', '\\u003e').replace('&', '\\u0026')
        n = len(self.backward)
        start = self._data['start']
        radio = ''.join(
            f'<label><input type="radio" name="{pid}-pass" value="{p}"'
            f'{" checked" if p == start else ""}> {p} pass</label>' for p in ('forward', 'backward'))
        speeds = sorted({0.25, 0.5, 1.0, 2.0, self._data['delay'] / 1000})
        speed = ''.join(f'<option value="{round(s * 1000)}"{" selected" if round(s * 1000) == self._data["delay"] else ""}>'
                        f'{s:g} s</option>' for s in speeds)
        page = f"""<div class="mg-player" id="{pid}" tabindex="0" aria-label="backpropagation, step by step">
<style>{_asset('player.css')}</style>
<div class="mg-static">
<p class="mg-trust">{html.escape(TRUST)}</p>{self._static_picture()}
<details><summary>The backward pass as text ({n} step{'s' * (n != 1)})</summary>
<pre>{html.escape(self._static_text())}</pre></details>
</div>
<div class="mg-live" hidden="hidden">
<div class="mg-bar">
<span class="mg-pass" role="radiogroup" aria-label="pass">{radio}</span>
<button type="button" class="mg-prev" aria-label="Previous">◀ Previous</button>
<button type="button" class="mg-play" aria-label="Play">▶ Play</button>
<button type="button" class="mg-next" aria-label="Next">Next ▶</button>
<input type="range" class="mg-slider" min="0" max="{n}" value="0" step="1" aria-label="step">
<span class="mg-count">step 0 / {n}</span>
<label class="mg-opt">speed <select class="mg-speed" aria-label="seconds per step">{speed}</select></label>
<label class="mg-opt"><input type="checkbox" class="mg-leaves"{" checked" if self._data['leaves'] else ""}> leaf steps</label>
<span class="mg-zoom" role="group" aria-label="zoom">
<button type="button" class="mg-out" aria-label="Zoom out">−</button>
<button type="button" class="mg-in" aria-label="Zoom in">+</button>
<button type="button" class="mg-all" aria-label="Whole graph">whole graph</button></span>
</div>
<div class="mg-main">
<div class="mg-graph" title="drag to pan · wheel or pinch to zoom · click a value to jump to its step">{svg}</div>
<div class="mg-side">
<div class="mg-status" role="status" aria-live="polite"></div>
<div class="mg-key"><span class="mg-k-current">■</span> the node of this step
<span class="mg-k-target">■</span> its parents (backward) or inputs (forward)<br>
grad <span class="mg-k-new">just added</span> · <span class="mg-k-partial">partial sum: more paths to come</span> · blank: not computed yet<br>
click a value to jump to its step; drag to pan, wheel or pinch to zoom (once the player has focus)</div>
</div>
</div>
</div>
<script type="application/json" class="mg-data">{data}</script>
<script>{_asset('player.js')}
microgradPlayer("{pid}");</script>
</div>"""
        return _SURROGATE.sub('\ufffd', page)

    def save_html(self, path, title='micrograd: backpropagation, step by step'):
        """Write a standalone page (no network needed) and return its path."""
        if not isinstance(title, str):
            raise TypeError(f"save_html: title must be a str, not {type(title).__name__}")
        page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f'<meta name="color-scheme" content="light dark">\n'
                f'<title>{html.escape(_SURROGATE.sub(chr(0xfffd), title))}</title>\n'
                f'<style>body {{ margin: 8px; }} @media (prefers-color-scheme: dark) '
                f'{{ body {{ background: #111827; color: #e5e7eb; }} }}</style>\n'
                f'</head>\n<body>\n{self.html()}\n</body>\n</html>\n')
        return write_atomic(path, page)


def _step_names(step, names, parents):
    """Every node a backward step's text can name: itself, its parents, the nodes downstream of it."""
    seen = {step.L, names[step.node], *(names[p] for p in parents[step.node])}
    seen.update(names[t.node] for t in step.incoming)
    seen.update(names[u.node] for t in step.terms for u in t.terms)
    return seen


def _step_json(step, text, names, grads=None):
    """One step for the page: its node, its text (for screen readers), its lines as math."""
    out = {'node': step.node, 'text': text, 'math': math_lines(text, names)}
    if grads is not None:
        out['grads'] = grads
    return out


def _grads(step):
    """The gradients a backward step sets: [node, 'grad text', complete (1/0)]."""
    grads = [] if step.incoming else [[step.node, f"{step.grad:.4f}", 1]]   # the root's seed, 1
    grads += [[t.parent, f"{t.grad:.4f}", int(t.path == t.paths)] for t in step.terms]
    return grads


def _asset(name):
    return resources.files('micrograd').joinpath('assets', name).read_text(encoding='utf-8')


def _png_data_uri(source):
    """The drawing as a PNG data URI (JupyterLab's sanitizer keeps <img src="data:…">), or '' when
    no renderer can make a PNG here."""
    try:
        png = render(source, 'png', dpi=72)
    except RendererNotFound:
        return ''
    return 'data:image/png;base64,' + base64.b64encode(png).decode('ascii')
