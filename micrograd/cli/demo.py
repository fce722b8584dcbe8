"""micrograd demo: the seeds' chain-rule tables, then their graphs as SVGs and step-through pages."""
import os

from ..i18n import _
from . import paths
from .common import command

OUT = '-o/--out'


def add(commands):
    p = command(commands, 'demo', _("the seeds' worked examples (the default command)"),
                _("Print the chain-rule tables of the seeds' worked examples (3Blue1Brown's chain,\n"
                  "Hung-yi Lee's network, Nielsen's four equations, the matrix form), then write the\n"
                  "graphs of the first two as SVG pictures and as step-through pages."),
                _("example:") + "\n  python -m micrograd demo -o micrograd-out", run,
                writes_files=True)
    p.add_argument('-o', '--out', metavar='DIR', default='micrograd-out',
                   help=_("the folder to write the SVGs and HTML pages into, created if missing "
                          "(its parent must exist; default: %(default)s)"))


def run(args):
    import nn
    paths.check_folder(args.out, OUT)
    nn.walkthrough.print_all()
    print()
    paths.make_folder(args.out, OUT)
    for name, title, root in _seed_graphs():
        root.backward()
        svg, page = os.path.join(args.out, f"{name}.svg"), os.path.join(args.out, f"{name}.html")
        paths.write_svg(root, svg, OUT)
        paths.write_player(root, page, OUT, _("micrograd: {title}, step by step", title=title))
        print(_("{title}:\n  picture        {svg}\n  step-through   {page}", title=title, svg=svg,
                page=page))
    print(_("Open the .html pages in any browser (they work offline) and press Next, or the → key."))


def _seed_graphs():
    """(file name, title, root) for 3Blue1Brown's chain and Hung-yi Lee's network, built as in
    nn.walkthrough: sigmoid neurons with the seeds' weights, and their costs."""
    import nn
    from nn import walkthrough as wt
    chain = nn.MLP.from_weights([[[w]] for w in wt.CHAIN_W], [[b] for b in wt.CHAIN_B],
                                act='sigmoid')
    C0 = nn.squared_error(chain([wt.CHAIN_A0]), wt.CHAIN_Y)
    C0.label = 'C0'
    lee = nn.MLP.from_weights([[list(row) for row in W] for W in wt.LEE_WEIGHTS],
                              [list(b) for b in wt.LEE_BIASES], act='sigmoid')
    loss = nn.quadratic_cost(lee(list(wt.LEE_X)), list(wt.LEE_TARGET))
    loss.label = 'l'
    return [('01-chain-rule', _("3Blue1Brown's chain, C0 = (a(3) − y)²"), C0),
            ('02-multi-path', _("Hung-yi Lee's network, l = ½Σ(a − ŷ)²"), loss)]
