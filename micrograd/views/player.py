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

Everything is inline (micrograd/views/assets/player.js and player.css), so it needs no network and no
kernel: it works in JupyterLab, in nbconvert's HTML, and from disk.  Several players on one page are
independent: each has its own id, and the script only ever looks inside its player.  Where scripts
do not run (an untrusted notebook shows sanitized HTML), the output is the final picture (a PNG, for
graphs of up to 300 values), the steps as text and a line saying how to trust the notebook; the
controls are `hidden` until the script shows them.
"""
import html
import inspect
import json
import math
import numbers
import re
import uuid
from importlib import resources

from ..engine import Value
from ..files import write_atomic
from .graph import describe, without_surrogates
from ..i18n import N_, _, get_language, ngettext
from .layout import GraphTooLarge
from .player_math import math_lines
from .render import check_size, draw_dot
from .renderer import RendererNotFound, png_data_uri, render, zoom_buttons
from .trace import backward_steps, forward_steps

__all__ = ['Player', 'step_through']

_ID = re.compile(r'\bid="([^"]*)"')
_XML_PREAMBLE = re.compile(r'\A.*?(?=<svg\b)', re.S)    # <?xml …?>, <!DOCTYPE …>, comments
# Titles that only say an id ("v3op", "v1->v3op") and comments go; a value's title (its full name and
# formula, shown on hover) stays.
_NOISE = re.compile(r'<title>v\d+(?:op)?(?:&#45;&gt;v\d+(?:op)?)?</title>\n?|<!--.*?-->\n?', re.S)
_STATIC_STEPS = 300      # steps written out as text where the player cannot run (an untrusted notebook)
_STATIC_PICTURE = 300    # values at most, for the final picture there (a PNG: bigger ones get large)
_MAX_VALUES = inspect.signature(check_size).parameters['max_nodes'].default   # draw_dot's limit
ALT = N_("the graph with every value and its final gradient")
TITLE = N_("micrograd: backpropagation, step by step")
TRUST = N_("Not trusted, so the step-through player cannot run here: run the cell again, or trust the "
         "notebook (JupyterLab: Ctrl+Shift+C, “Trust Notebook”; a terminal: jupyter trust FILE.ipynb).")


def step_through(root, *, rankdir='LR', delay=0.8, start='backward', leaves=False, lang=None):
    """A Player for the graph ending in `root`: displays in Jupyter; `save_html(path)` writes a page.

    delay: seconds per step while playing (the page has a speed control too); start: 'backward' or
    'forward', the pass shown first; leaves=True: a step of its own for every input, as well;
    lang: 'en' or 'zh', the language of every word on the page (default: micrograd.set_language's).
    """
    return Player(root, rankdir=rankdir, delay=delay, start=start, leaves=leaves, lang=lang)


class Player:
    """The forward and backward steps of one graph, and the HTML that plays them."""

    def __init__(self, root, *, rankdir='LR', delay=0.8, start='backward', leaves=False, lang=None):
        self.lang = lang = get_language(lang)   # fixed when made: the page is drawn in one language
        if not isinstance(root, Value):
            raise TypeError(_("step_through: root must be a Value (the output to step back from), "
                              "not {type}", lang, type=type(root).__name__))
        if start not in ('backward', 'forward'):
            raise ValueError(_("step_through: start must be 'backward' or 'forward', not {start}",
                               lang, start=repr(start)))
        if isinstance(delay, bool) or not isinstance(delay, numbers.Real):
            raise TypeError(_("step_through: delay must be a number of seconds, not {type}", lang,
                              type=type(delay).__name__))
        if not (math.isfinite(delay) and delay > 0):
            raise ValueError(_("step_through: delay must be a positive, finite number of seconds, "
                               "not {delay}", lang, delay=repr(delay)))
        if not isinstance(leaves, bool):
            raise TypeError(_("step_through: leaves must be True or False, not {leaves}", lang,
                              leaves=repr(leaves)))
        _refuse_more_values_than(root, _MAX_VALUES, lang)   # before describing a 1e6-node graph
        g = describe(root, 'step_through')      # once: the size check, steps and drawing share it
        check_size(root, graph=g)               # a graph too big to draw: refused before any step
        self.forward = forward_steps(root, graph=g)
        self.backward = backward_steps(root, graph=g)
        grads = {s.value: s.grad for s in self.backward}
        drawing = draw_dot(root, rankdir=rankdir, show_grad=True, grads=grads, graph=g)
        self._svg = _NOISE.sub('', _XML_PREAMBLE.sub('', drawing.svg(), count=1))
        self._picture = _png_data_uri(drawing.source) if len(g) <= _STATIC_PICTURE else ''
        parents = g.parents
        # the names the math shows as names; a constant ('1.0', no step of its own) stays a number
        names = [name if role != 'constant' else '' for name, role in zip(g.names, g.roles)]
        L, root_name, n = self.backward[0].L, self.backward[0].name, len(g)
        self._root = root_name
        self._text = [s.explain(lang) for s in self.backward]
        self._data = {
            'parents': parents,
            'delay': max(50, round(delay * 1000)),
            'start': start,
            'leaves': leaves,
            'words': _words(lang),
            'forward': {
                'intro': _("Forward pass: {n} values, from the inputs to {root}. Press Next (or →) "
                           "to compute the first value.", lang, n=n, root=root_name),
                'steps': [_step_json(s, s.explain(lang), {names[i] for i in (s.node, *s.parents)})
                          for s in self.forward],
            },
            'backward': {
                'intro': _("Backward pass: {n} values, from {root} back to the inputs. Each step "
                           "takes a node whose gradient is complete and pushes it to its parents: "
                           "{rule}. Press Next (or →) to start.", lang, n=n, root=root_name,
                           rule=_("∂{L}/∂parent += ∂node/∂parent · ∂{L}/∂node", lang, L=L)),
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
        blocks = [ngettext("backward pass: {n} step", "backward pass: {n} steps", n, self.lang)]
        blocks += [_("step {number}/{n}", self.lang, number=k, n=n) + "  " + t.replace('\n', '\n    ')
                   for k, t in enumerate(self._text, 1)]
        return without_surrogates('\n'.join(blocks + [_(TRUST, self.lang)]))

    def _static_text(self, most=_STATIC_STEPS):
        """The steps for where the script does not run: all of them up to `most`, then a count."""
        lines = self.text().split('\n')[:-1]
        if len(self._text) <= most:
            return '\n'.join(lines)
        first = _("step {number}/{n}", self.lang, number=most + 1, n=len(self._text))
        cut = next(i for i, line in enumerate(lines) if line.startswith(first))
        return '\n'.join(lines[:cut] + [_("… and {n} more steps (the player shows them all)",
                                            self.lang, n=len(self._text) - most)])

    def _static_picture(self):
        if not self._picture:
            return ''
        return (f'\n<p><img class="mg-picture" style="max-width: 100%; height: auto" '
                f'src="{self._picture}" alt="{html.escape(_(ALT, self.lang))}"></p>')

    def html(self):
        """The player as an HTML fragment (its own <style> and <script>), with a fresh id."""
        pid = f"mg-{uuid.uuid4().hex[:12]}"
        svg = _ID.sub(lambda m: f'id="{pid}-{m[1]}"', self._svg)
        data = json.dumps(self._data, ensure_ascii=False, separators=(',', ':'))
        # Inside <script>, '</script>' or '<!--' would end it early: \u003c is the same JSON.
        data = data.replace('<', '\\u003c').replace('>', '\\u003e').replace('&', '\\u0026')
        n = len(self.backward)
        start = self._data['start']
        w = {k: html.escape(v) for k, v in _page_words(self.lang).items()}
        said = {'forward': w['forward_pass'], 'backward': w['backward_pass']}
        radio = ''.join(
            f'<label><input type="radio" name="{pid}-pass" value="{p}"'
            f'{" checked" if p == start else ""}> {said[p]}</label>' for p in ('forward', 'backward'))
        speeds = sorted({0.25, 0.5, 1.0, 2.0, self._data['delay'] / 1000})
        speed = ''.join(f'<option value="{round(s * 1000)}"{" selected" if round(s * 1000) == self._data["delay"] else ""}>'
                        f'{s:g} s</option>' for s in speeds)
        summary = html.escape(ngettext("The backward pass as text ({n} step)",
                                       "The backward pass as text ({n} steps)", n, self.lang))
        count = html.escape(_("step {k} / {n}", self.lang, k=0, n=n))
        page = f"""<div class="mg-player" id="{pid}" tabindex="0" aria-label="{w['title']}">
<style>{_asset('player.css')}</style>
<div class="mg-static">
<p class="mg-trust">{html.escape(_(TRUST, self.lang))}</p>{self._static_picture()}
<details><summary>{summary}</summary>
<pre>{html.escape(self._static_text())}</pre></details>
</div>
<div class="mg-live" hidden="hidden">
<div class="mg-bar">
<span class="mg-pass" role="radiogroup" aria-label="{w['pass']}">{radio}</span>
<button type="button" class="mg-prev" aria-label="{w['previous']}">◀ {w['previous']}</button>
<button type="button" class="mg-play" aria-label="{w['play']}">▶ {w['play']}</button>
<button type="button" class="mg-next" aria-label="{w['next']}">{w['next']} ▶</button>
<input type="range" class="mg-slider" min="0" max="{n}" value="0" step="1" aria-label="{w['step']}">
<span class="mg-count">{count}</span>
<label class="mg-opt">{w['speed']} <select class="mg-speed" aria-label="{w['seconds']}">{speed}</select></label>
<label class="mg-opt"><input type="checkbox" class="mg-leaves"{" checked" if self._data['leaves'] else ""}> {w['leaf_steps']}</label>
{zoom_buttons(w['zoom'], w['zoom_out'], w['zoom_in'], w['whole'])}
</div>
<div class="mg-main">
<div class="mg-graph" title="{w['graph_hint']}">{svg}</div>
<div class="mg-side">
<div class="mg-status" role="status" aria-live="polite"></div>
<div class="mg-key"><span class="mg-k-current">■</span> {w['key_current']}
<span class="mg-k-target">■</span> {w['key_target']}<br>
grad <span class="mg-k-new">{w['key_new']}</span> · <span class="mg-k-partial">{w['key_partial']}</span> · {w['key_blank']}<br>
{w['key_hint']}</div>
</div>
</div>
</div>
<script type="application/json" class="mg-data">{data}</script>
<script>{_asset('player.js')}
microgradPlayer("{pid}");</script>
</div>"""
        return without_surrogates(page)

    def context(self):
        """One line saying what the saved page shows: which graph, how many values and steps."""
        n = len(self.backward)
        return without_surrogates(ngettext(
            "The graph of {root}: {values} values, {n} step back from {root} to its inputs.",
            "The graph of {root}: {values} values, {n} steps back from {root} to its inputs.",
            n, self.lang, root=self._root,
            values=len(self._data['parents'])))

    def save_html(self, path, title=TITLE):
        """Write a standalone page (no network needed) and return its path; title: the page's
        (default 'micrograd: backpropagation, step by step', in the player's language)."""
        if title == TITLE:                  # the default title, said in the player's language
            title = _(TITLE, self.lang)
        if not isinstance(title, str):
            raise TypeError(_("save_html: title must be a str, not {type}", self.lang,
                              type=type(title).__name__))
        page = (f'<!DOCTYPE html>\n<html lang="{_HTML_LANG[self.lang]}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f'<meta name="color-scheme" content="light dark">\n'
                f'<title>{html.escape(without_surrogates(title))}</title>\n'
                f'<style>body {{ margin: 8px; }} @media (prefers-color-scheme: dark) '
                f'{{ body {{ background: #111827; color: #e5e7eb; }} }}</style>\n'
                f'</head>\n<body>\n<p class="mg-context">{html.escape(self.context())}</p>\n'
                f'{self.html()}\n</body>\n</html>\n')
        return write_atomic(path, page)


_HTML_LANG = {'en': 'en', 'zh': 'zh-CN'}


def _refuse_more_values_than(root, limit, lang):
    """GraphTooLarge if more than `limit` values lead to `root`, found by a walk that stops at the
    (limit + 1)-th: the cost of a refusal does not grow with the graph."""
    seen, stack = {root}, [root]
    while stack:
        for p in stack.pop()._prev:
            if p not in seen:
                if len(seen) == limit:
                    raise GraphTooLarge(_(
                        "step_through: this graph has more than {limit} values, too many to draw "
                        "(draw_dot's max_nodes) and to step through: step through a sub-expression "
                        "instead (one neuron, one term of the loss, one example's pass)", lang,
                        limit=f"{limit:,}"))
                seen.add(p)
                stack.append(p)


def _page_words(lang):
    """Every word of the page's controls and key, in `lang` (the HTML part)."""
    return {
        'title': _("backpropagation, step by step", lang), 'pass': _("pass", lang),
        'forward_pass': _("forward pass", lang), 'backward_pass': _("backward pass", lang),
        'previous': _("Previous", lang), 'play': _("Play", lang), 'next': _("Next", lang),
        'step': _("step", lang), 'speed': _("speed", lang),
        'seconds': _("seconds per step", lang), 'leaf_steps': _("leaf steps", lang),
        'zoom': _("zoom", lang), 'zoom_out': _("Zoom out", lang), 'zoom_in': _("Zoom in", lang),
        'whole': _("whole graph", lang),
        'graph_hint': _("drag to pan · wheel or pinch to zoom · click a value to jump to its step",
                        lang),
        'key_current': _("the node of this step", lang),
        'key_target': _("its parents (backward) or inputs (forward)", lang),
        'key_new': _("just added", lang), 'key_partial': _("partial sum: more paths to come", lang),
        'key_blank': _("blank: not computed yet", lang),
        'key_hint': _("click a value to jump to its step; drag to pan, wheel or pinch to zoom (once "
                      "the player has focus)", lang),
    }


def _words(lang):
    """The words player.js writes itself, in `lang` ({k} and {n} filled in by the script)."""
    return {
        'forward': _("Forward pass", lang), 'backward': _("Backward pass", lang),
        'stepOf': _("step {k} of {n}", lang, k='{k}', n='{n}'), 'ready': _("ready", lang),
        'count': _("step {k} / {n}", lang, k='{k}', n='{n}'),
        'play': _("Play", lang), 'pause': _("Pause", lang),
        'folded': _(" The inputs’ own steps are folded into the step that completes them (tick "
                    "“leaf steps” to see them).", lang),
    }


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
    return resources.files('micrograd.views').joinpath('assets', name).read_text(encoding='utf-8')


def _png_data_uri(source):
    """The drawing as a PNG data URI (JupyterLab's sanitizer keeps <img src="data:…">), or '' when
    no renderer can make a PNG here."""
    try:
        return png_data_uri(render(source, 'png', dpi=72))
    except RendererNotFound:
        return ''
