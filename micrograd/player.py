"""Step through the forward and backward passes in the browser, one chain-rule product at a time.

    player = step_through(o)        # the last expression of a Jupyter cell: the player shows
    player.save_html('o.html')      # the same player as a page that opens from disk

The graph is drawn once (`to_svg`, each value's final gradient) and every step only changes its state:
the current node and its edges are highlighted, gradients not computed yet are blank, partial sums
(more paths to come) are orange, and the step's explanation from `trace` is shown beside the graph.
Everything is inline (micrograd/assets/player.js and player.css), so it needs no network and no
kernel: it works in JupyterLab, in nbconvert's HTML, and from disk.  Several players on one page
are independent: each has its own id, and the script only ever looks inside its player.
"""
import html
import json
import re
import uuid
from importlib import resources

from .engine import topological_order
from .render import to_svg
from .trace import backward_steps, forward_steps

__all__ = ['Player', 'step_through']

_ID = re.compile(r'\bid="([^"]*)"')
_XML_PREAMBLE = re.compile(r'\A.*?(?=<svg\b)', re.S)    # <?xml …?>, <!DOCTYPE …>, comments
_NOISE = re.compile(r'<title>[^<]*</title>\n?|<!--.*?-->\n?', re.S)  # hover titles say "v3op"


def step_through(root, *, rankdir='LR', delay=0.8, start='backward'):
    """A Player for the graph ending in `root`: displays in Jupyter; `save_html(path)` writes a page.

    delay: seconds per step while playing; start: 'backward' or 'forward', the pass shown first.
    """
    return Player(root, rankdir=rankdir, delay=delay, start=start)


class Player:
    """The forward and backward steps of one graph, and the HTML that plays them."""

    def __init__(self, root, *, rankdir='LR', delay=0.8, start='backward'):
        if start not in ('backward', 'forward'):
            raise ValueError(f"step_through: start must be 'backward' or 'forward', not {start!r}")
        order = topological_order(root)
        index = {v: i for i, v in enumerate(order)}
        self.forward = forward_steps(root)
        self.backward = backward_steps(root)
        grads = {s.value: s.grad for s in self.backward}
        L = self.backward[0].L
        svg = to_svg(root, rankdir=rankdir, show_grad=True, grads=grads)
        self._svg = _NOISE.sub('', _XML_PREAMBLE.sub('', svg, count=1))
        self._data = {
            'parents': [[index[p] for p in v._prev] for v in order],
            'delay': max(50, round(delay * 1000)),
            'start': start,
            'forward': {
                'intro': f"Forward pass: {len(self.forward)} steps, from the inputs to "
                         f"{self.backward[0].name}. Press Next (or →) to compute the first value.",
                'steps': [{'node': s.node, 'text': s.explain()} for s in self.forward],
            },
            'backward': {
                'intro': f"Backward pass: {len(self.backward)} steps, from {self.backward[0].name} "
                         f"back to the inputs. Each step takes a node whose gradient is complete and "
                         f"pushes it to its parents: ∂{L}/∂parent += ∂node/∂parent · ∂{L}/∂node. "
                         f"Press Next (or →) to start.",
                'steps': [_backward_json(s) for s in self.backward],
            },
        }

    def _repr_html_(self):
        return self.html()

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
        final = ("The graph shows the final gradients. To step through it, run this in a browser with "
                 "JavaScript (in Jupyter: trust the notebook).")
        return f"""<div class="mg-player" id="{pid}" tabindex="0" aria-label="backpropagation, step by step">
<style>{_asset('player.css')}</style>
<div class="mg-bar">
<span class="mg-pass" role="radiogroup" aria-label="pass">{radio}</span>
<button type="button" class="mg-prev" aria-label="Previous">◀ Previous</button>
<button type="button" class="mg-play" aria-label="Play">▶ Play</button>
<button type="button" class="mg-next" aria-label="Next">Next ▶</button>
<input type="range" class="mg-slider" min="0" max="{n}" value="0" step="1" aria-label="step">
<span class="mg-count">step 0 / {n}</span>
<label class="mg-fit"><input type="checkbox" class="mg-fit-box"> fit to width</label>
</div>
<div class="mg-main">
<div class="mg-graph">{svg}</div>
<div class="mg-side">
<div class="mg-status" role="status" aria-live="polite">{html.escape(final)}</div>
<div class="mg-key"><span class="mg-k-current">■</span> the node of this step
<span class="mg-k-target">■</span> its parents (backward) or inputs (forward)<br>
grad <span class="mg-k-new">just added</span> · <span class="mg-k-partial">partial sum: more paths to come</span> · blank: not computed yet</div>
</div>
</div>
<script type="application/json" class="mg-data">{data}</script>
<script>{_asset('player.js')}
microgradPlayer("{pid}");</script>
</div>"""

    def save_html(self, path, title='micrograd: backpropagation, step by step'):
        """Write a standalone page (no network needed) and return its path."""
        page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f'<title>{html.escape(title)}</title>\n</head>\n<body>\n{self.html()}\n</body>\n</html>\n')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(page)
        return path


def _backward_json(step):
    """The step's explanation and the gradients it sets: [node, 'grad text', complete (1/0)]."""
    grads = [] if step.incoming else [[step.node, f"{step.grad:.4f}", 1]]   # the root's seed, 1
    grads += [[t.parent, f"{t.grad:.4f}", int(t.path == t.paths)] for t in step.terms]
    return {'node': step.node, 'text': step.explain(), 'grads': grads}


def _asset(name):
    return resources.files('micrograd').joinpath('assets', name).read_text(encoding='utf-8')
