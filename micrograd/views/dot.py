"""Writing DOT text by hand: escaping, one statement per node or edge, the style of a picture.

Statements are written directly (names are ours, labels escaped): graphviz's own quoting of every
attribute would make a 100,000-node graph take many seconds.  Labels are records with every special
character escaped, so any text is drawn as itself.  Graphviz writes runs of spaces as no-break
spaces (U+00A0) and draws a blank line as a gap with no <text>.  (HTML-like labels would be nicer,
but the WebAssembly renderer is built without them.)  Text is cleaned first by graph.clean_label.
"""
import re
import types

from .graph import clean_label

HIGHLIGHT = '#dc2626'
_RECORD_SPECIAL = re.compile(r'([\\|{}<>"])')

# The look of a picture: for a notebook or a page, and for a projector (slide=True).
NORMAL = types.MappingProxyType({'font': '12', 'small': '10', 'cluster': '11', 'pen': '1',
                                 'arrow': '0.6', 'height': '0.3', 'nodesep': '0.15',
                                 'ranksep': '0.3'})
# On a slide every text is as large as the values' (a constant, a cluster's name are read too).
SLIDE = types.MappingProxyType({'font': '20', 'small': '20', 'cluster': '20', 'pen': '2',
                                'arrow': '1.0', 'height': '0.45', 'nodesep': '0.25',
                                'ranksep': '0.3'})
# background: 'white' (the default), 'transparent' (the page's own shows through), or 'dark'
THEMES = types.MappingProxyType({
    'white': {'bgcolor': 'white', 'ink': 'black', 'cluster': '#9ca3af'},
    'transparent': {'bgcolor': 'transparent', 'ink': '#6b7280', 'cluster': '#9ca3af'},
    'dark': {'bgcolor': '#111827', 'ink': '#e5e7eb', 'cluster': '#6b7280'},
})


def number(x):
    """4 decimals, as in the lecture; a huge number in e-notation rather than 300 digits."""
    return f"{x:.4f}" if abs(x) < 1e9 else f"{x:.4e}"


def statement(target, element_id, kind, lit, **attrs):
    """`target [id="…" class="…" …]` for a node or an edge; the values must be DOT-escaped already."""
    if lit:
        kind += ' highlight'
        attrs.update(color=HIGHLIGHT, penwidth='3')
    more = ''.join([f' {k}="{v}"' for k, v in attrs.items()])
    return f'\t{target} [id="{element_id}" class="{kind}"{more}]\n'


def _entities(text):
    """Cleaned, with & as &amp; (graphviz reads entities such as &lt; in any label)."""
    return clean_label(text, limit=len(text) + 1).replace('&', '&amp;')


def record_field(text):
    """Text for one record field, drawn as itself: | { } < > " \\ escaped, spaces kept."""
    lines = []
    for line in _entities(text).split('\n'):
        line = _RECORD_SPECIAL.sub(r'\\\1', line)
        stripped = line.lstrip(' ')             # graphviz trims a field's leading blanks
        line = '\u00a0' * (len(line) - len(stripped)) + stripped
        lines.append(line.replace(' ', '\\ '))
    return '\\n'.join(lines)


def plain(text):
    """Text for an ordinary label (an op's symbol), drawn as itself (\\N would be the node's name)."""
    return _entities(text).replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
