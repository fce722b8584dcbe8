"""A picture shaped for a 16:9 slide: draw_dot(slide=True), to_png, to_pdf and `graph -o` draw a
few shapes and keep the one whose text is largest when shown on a 1920×1080 slide, which is nearly
the one closest to 16:9 (a long strip leaves most of the slide empty).

A shape is a direction (left to right, or top to bottom); records as rows (name | data | grad) or
stacked (name over data over grad: every record, or only the leaves'); and a wrap: a chain of
layers cut in two where one edge leaves a neuron, the second part beside the first (as a line of
text goes on below).  The lecture neuron is 11.6:1 left to right, 1.3:1 top to bottom with its
inputs stacked; 3Blue1Brown's chain 19:1, 1.2:1 in two columns.  Each candidate is a run of dot
(0.2 s for a 400-box graph): above FEW boxes only the two directions are tried, above LARGE only
left to right is drawn.
"""
import re
from dataclasses import dataclass

from .layout import LARGE

__all__ = ['Shape', 'fitted', 'wrap', 'slide_scale']

SLIDE = (1920, 1080)
WRAP_COST = 0.85
FEW = 500                       # boxes: above, only the two directions are tried (a layout each)
_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"[^>]*?\sheight="([\d.]+)pt"')


@dataclass(frozen=True)
class Shape:
    """rankdir; stacked: records name over data over grad (True, or 'leaves': only theirs); wrap:
    the picture cut into this many pieces, laid side by side (a long chain as columns)."""
    rankdir: str = 'LR'
    stacked: object = False
    wrap: int = 1


CANDIDATES = tuple(Shape(rankdir, stacked, wrap) for wrap in (1, 2)
                   for stacked in (False, 'leaves', True) for rankdir in ('LR', 'TB'))
_EDGE = re.compile(r'\t(v\d+(?:op)?) -> (v\d+(?:op)?) \[')


def size(svg):
    """(width, height) of an SVG from its <svg width="…pt" height="…pt">."""
    m = _SIZE.search(svg)
    return float(m[1]), float(m[2])


def slide_scale(width, height):
    """How much a picture of this size is magnified to fill a 1920×1080 slide (without cropping)."""
    return min(SLIDE[0] / width, SLIDE[1] / height)


def fitted(draw, plan):
    """The drawing, among draw(shape) for each candidate shape, whose text is largest on a 16:9
    slide (so, nearly, the one closest to 16:9: a long strip leaves the slide empty); a wrapped
    one (harder to follow) must be 1/WRAP_COST larger per extra piece."""
    if plan.layout > LARGE:
        return draw(Shape('LR'))
    best = None
    for shape in CANDIDATES if plan.layout <= FEW else CANDIDATES[:2]:
        drawing = draw(shape)
        if drawing is None:                     # no place to cut it into that many pieces
            continue
        try:
            w, h = size(drawing.svg())
        except RuntimeError:                    # dot 2.43 loses a flat edge between records
            if shape.wrap == 1:
                raise
            continue
        score = slide_scale(w, h) * WRAP_COST ** (shape.wrap - 1)
        if best is None or score > best[0]:
            best = score, drawing
    return best[1]


def wrap(drawing, plan, pieces):
    """Cut the drawing into `pieces` at ranks no cluster spans: each edge across a cut stops
    constraining the ranks (constraint=false, an invisible one goes), so Graphviz starts the next
    piece again at the first rank, beside the one before.  False when there is no such cut."""
    lines = drawing.body
    edges = [(k, m[1], m[2]) for k, line in enumerate(lines) if (m := _EDGE.match(line))]
    rank = _ranks([(t, h) for _, t, h in edges])
    if not rank:
        return False
    seen = [(rank[t], rank[h], _neuron(plan, t) not in (None, _neuron(plan, h)))
            for k, t, h in edges if 'style=invis' not in lines[k]]
    cuts = _cuts(rank, _clusters(rank, plan), seen, pieces)
    if cuts is None:
        return False
    piece = {v: sum(r > c for c in cuts) for v, r in rank.items()}
    dropped = set()
    for k, tail, head in edges:
        if piece[tail] != piece[head]:
            if 'style=invis' in lines[k]:
                dropped.add(k)
            else:
                lines[k] = lines[k].replace(' [', ' [constraint=false ', 1)
    drawing.body[:] = [line for k, line in enumerate(lines) if k not in dropped]
    return True


def _ranks(edges):
    """Each node's rank as dot would give it, nearly: the longest path from a source, a source
    then moved down to just before its first consumer."""
    into, out = {}, {}
    for t, h in edges:
        out.setdefault(t, []).append(h)
        into.setdefault(h, []).append(t)
        into.setdefault(t, [])
    rank, ready = {}, [v for v, ts in into.items() if not ts]
    waiting = {v: len(ts) for v, ts in into.items()}
    while ready:
        v = ready.pop()
        rank[v] = max((rank[t] + 1 for t in into[v]), default=0)
        for h in out.get(v, ()):
            waiting[h] -= 1
            if not waiting[h]:
                ready.append(h)
    for v, ts in into.items():
        if not ts and out.get(v):
            rank[v] = min(rank[h] for h in out[v]) - 1
    return rank


def _clusters(rank, plan):
    """{cluster: (first rank, last rank)} for every cluster a node of the drawing is in."""
    spans = {}
    for v, r in rank.items():
        key = plan.key[int(v[1:].removesuffix('op'))]
        if key is None:
            continue
        inside = [key[:n] for n in range(2, len(key) + 1)] + ([('passes',), key[:1]]
                                                               if key[0] is not None else [])
        for c in inside:
            low, high = spans.get(c, (r, r))
            spans[c] = (min(low, r), max(high, r))
    return spans


def _neuron(plan, node):
    key = plan.key[int(node[1:].removesuffix('op'))]
    return key if key is not None and len(key) == 3 else None


def _cuts(rank, spans, edges, pieces):
    """The ranks to cut after, pieces − 1 of them, each the allowed one nearest an equal share:
    where no cluster spans the cut and one drawn edge crosses it, out of a neuron (a chain of
    layers goes on in the next piece, as a line of text does; a cut anywhere else reads as an edge
    running back).  `edges`: (tail's rank, head's rank, whether it leaves a neuron)."""
    last = max(rank.values())
    crossing = [[e for e in edges if e[0] <= r < e[1]] for r in range(last)]
    allowed = [r for r in range(last) if not any(low <= r < high for low, high in spans.values())
               and len(crossing[r]) == 1 and crossing[r][0][2]]
    cuts = []
    for j in range(1, pieces):
        ideal = last * j / pieces
        options = [r for r in allowed if not cuts or r > cuts[-1]]
        if not options:
            return None
        cuts.append(min(options, key=lambda r: abs(r - ideal)))
    return cuts
