"""micrograd graph EXPR NAME=VALUE …: the value, every gradient, and optionally the picture,
the step-through page and the backward pass as text."""
import math

from ..i18n import _, ngettext
from . import paths
from .common import CommandError, command

PICTURES, HTML = ('.svg', '.png', '.pdf'), ('.html', '.htm')


def add(commands):
    from ..expr import FUNCTIONS
    p = command(commands, 'graph', _("the graph of an expression: value, gradients, picture, steps"),
                _("Parse EXPR (numbers, names, + - * / **, unary minus, parentheses and\n"
                  "{functions}), run backward, and print the value and the\n"
                  "gradient of every input.  Nothing is passed to eval: anything else is refused\n"
                  "with a message that points at the column.", functions=' '.join(FUNCTIONS)),
                _("examples:") + "\n"
                "  python -m micrograd graph 'tanh(w*x + b)' x=2 w=-3 b=6.88 -o neuron.svg\n"
                "  python -m micrograd graph 'x*x + log(x)' x=3 --steps --html steps.html\n"
                "  python -m micrograd graph -- '-x**2' x=3     "
                + _("(an EXPR starting with '-' needs '--' before it)"), run, writes_files=True)
    p.add_argument('expr', metavar='EXPR', help=_("the expression, in quotes, e.g. 'tanh(w*x + b)'"))
    p.add_argument('values', metavar='NAME=VALUE', nargs='*',
                   help=_("a number for every name in EXPR, e.g. x=2 w=-3 b=6.88"))
    p.add_argument('-o', '--out', metavar='FILE.svg|png|pdf',
                   help=_("write the graph (data and grad in every node) as a picture: SVG, PNG "
                          "(for a slide) or PDF, by the file name's extension"))
    p.add_argument('--html', metavar='FILE.html',
                   help=_("write a standalone step-through page of the forward and backward passes"))
    p.add_argument('--steps', action='store_true',
                   help=_("print the backward pass as text, one chain-rule step at a time"))


def run(args):
    from ..engine import Value, topological_order
    from ..expr import ParseError, parse
    from ..views.trace import backward_steps, format_steps
    if args.out is not None:
        paths.check_file(args.out, '-o', PICTURES, _('a picture'))
    if args.html is not None:
        paths.check_file(args.html, '--html', HTML, _('a web page'))
    leaves = {name: Value(x, label=name) for name, x in _assignments(args.values)}
    try:
        f = parse(args.expr, **leaves)
    except ParseError as e:
        why = _("cannot compute it at these values") if e.__cause__ else \
            _("cannot use this expression")
        raise CommandError(_("{why}: {error}", why=why, error=e)) from None
    in_graph = set(topological_order(f))
    unused = [name for name, leaf in leaves.items() if leaf not in in_graph]
    if unused:
        raise CommandError(ngettext("{names} is given a value but not used in {expr}",
                                    "{names} are given a value but not used in {expr}",
                                    len(unused), names=', '.join(unused), expr=repr(args.expr)))
    f.label = f.label or 'f'
    try:
        f.backward()
    except (ArithmeticError, ValueError) as e:
        raise CommandError(str(e)) from None
    shown = args.expr.strip()
    print(f"{f.label} = {shown + ' = ' if shown != f.label else ''}{f.data:.10g}")
    for name, leaf in leaves.items():
        print(f"∂{f.label}/∂{name} = {leaf.grad:.10g}")
    if args.steps:
        print()
        print(format_steps(backward_steps(f)))
    if args.out is not None:
        # shaped for a slide (the direction, the wrapping closest to 16:9), a PNG or PDF styled for one
        for_a_slide = {'fit': True} if args.out.lower().endswith('.svg') else {'slide': True}
        paths.write_svg(f, args.out, '-o', **for_a_slide)
        print(_("picture: {path}", path=args.out))
    if args.html is not None:
        paths.write_player(f, args.html, '--html', f"micrograd: {args.expr.strip()}")
        print(_("step-through: {path}", path=args.html))


def _assignments(items):
    """[(name, number)] from ['x=2', 'w=-3']; a clear CommandError for anything else."""
    pairs, seen = [], set()
    for item in items:
        name, eq, number = item.partition('=')
        name = name.strip()
        if not eq or not name.isidentifier():
            raise CommandError(_("expected NAME=VALUE (like x=2), not {item}", item=repr(item)))
        try:
            x = float(number)
        except ValueError:
            raise CommandError(_("{name}={number}: the value must be a number, like {name}=2.5",
                                 name=name, number=repr(number))) from None
        if not math.isfinite(x):
            raise CommandError(_("{name}={number}: the value must be a finite number", name=name,
                                 number=number))
        if name in seen:
            raise CommandError(_("{name} is given twice", name=name))
        seen.add(name)
        pairs.append((name, x))
    return pairs
