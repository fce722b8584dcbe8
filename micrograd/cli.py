"""python -m micrograd [demo | graph | train]: the application layer (the one module that uses nn).

    python -m micrograd demo                      the seeds' worked examples: tables, SVGs, players
    python -m micrograd graph "tanh(w*x + b)" w=-3 x=2 b=6.88 -o f.svg --html f.html --steps
    python -m micrograd train moons --plot moons.png
    python -m micrograd train digits --plot digits.png
    python -m micrograd grade my_engine.py[:Value]   (see micrograd/grade/command.py)

Exit codes: 0 done; 2 a bad argument, expression or value (the message says which, no traceback);
1 a missing program or package, or a file that cannot be written.
"""
import argparse
import math
import os
import sys
import time

__all__ = ['main', 'build_parser']

USAGE, MISSING = 2, 1           # exit codes


class CommandError(Exception):
    """A problem to report in one clean message (no traceback), with the exit code to use."""

    def __init__(self, message, code=USAGE):
        super().__init__(message)
        self.code = code


def main(argv=None):
    """Run the command line; returns the exit code (0 on success)."""
    for stream in (sys.stdout, sys.stderr):     # ∂ and σ on a terminal that cannot show them: '?'
        if hasattr(stream, 'reconfigure'):
            stream.reconfigure(errors='replace')
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        hint = ''
        if args.command == 'graph' and any(a[:1] == '-' and a[:2] != '--' for a in extra):
            hint = " (an EXPR that starts with '-' needs '--' before it: graph -- '-x' x=1)"
        parser.error(f"unrecognized arguments: {' '.join(extra)}{hint}")
    if args.command is None:                    # `python -m micrograd` alone: the demo
        args = parser.parse_args(['demo'])
    try:
        code = args.run(args)
    except CommandError as e:
        print(f"micrograd {args.command}: error: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print(f"micrograd {args.command}: interrupted", file=sys.stderr)
        return 130
    return code or 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog='micrograd', description="Backpropagation, shown: run the seeds' worked examples, "
        "draw and step through the graph of an expression, or train a small network. "
        "With no command, runs `demo`.",
        epilog="`micrograd COMMAND --help` describes each command's options.")
    parser.add_argument('--version', action='version', version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')
    _add_demo(commands)
    _add_graph(commands)
    _add_train(commands)
    from .grade.command import add_command      # the grader keeps its own module
    add_command(commands, _command, CommandError)
    return parser


def _command(commands, name, help, description, epilog):
    return commands.add_parser(name, help=help, description=description, epilog=epilog,
                               formatter_class=argparse.RawDescriptionHelpFormatter)


# --- demo ------------------------------------------------------------------------------------

def _add_demo(commands):
    p = _command(commands, 'demo', "the seeds' worked examples (the default command)",
                 "Print the chain-rule tables of the seeds' worked examples (3Blue1Brown's chain,\n"
                 "Hung-yi Lee's network, Nielsen's four equations, the matrix form), then write the\n"
                 "graphs of the first two as SVG pictures and as step-through pages.",
                 "example:\n  python -m micrograd demo -o micrograd-out")
    p.add_argument('-o', '--out', metavar='DIR', default='micrograd-out',
                   help="the folder to write the SVGs and HTML pages into (default: %(default)s)")
    p.set_defaults(run=run_demo)


def run_demo(args):
    import nn
    nn.walkthrough.print_all()
    print()
    os.makedirs(args.out, exist_ok=True)
    for name, title, root in _seed_graphs():
        root.backward()
        svg, page = os.path.join(args.out, f"{name}.svg"), os.path.join(args.out, f"{name}.html")
        _write_svg(root, svg)
        _write_player(root, page, f"micrograd: {title}, step by step")
        print(f"{title}:\n  picture        {svg}\n  step-through   {page}")
    print("Open the .html pages in any browser (they work offline) and press Next, or the → key.")


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
    return [('01-chain-rule', "3Blue1Brown's chain, C0 = (a(3) − y)²", C0),
            ('02-multi-path', "Hung-yi Lee's network, l = ½Σ(a − ŷ)²", loss)]


# --- graph -----------------------------------------------------------------------------------

def _add_graph(commands):
    from .expr import FUNCTIONS
    p = _command(commands, 'graph', "the graph of an expression: value, gradients, picture, steps",
                 "Parse EXPR (numbers, names, + - * / **, unary minus, parentheses and\n"
                 f"{' '.join(FUNCTIONS)}), run backward, and print the value and the\n"
                 "gradient of every input.  Nothing is passed to eval: anything else is refused\n"
                 "with a message that points at the column.",
                 "examples:\n"
                 "  python -m micrograd graph 'tanh(w*x + b)' x=2 w=-3 b=6.88 -o neuron.svg\n"
                 "  python -m micrograd graph 'x*x + log(x)' x=3 --steps --html steps.html\n"
                 "  python -m micrograd graph -- '-x**2' x=3     (an EXPR starting with '-' "
                 "needs '--' before it)")
    p.add_argument('expr', metavar='EXPR', help="the expression, in quotes, e.g. 'tanh(w*x + b)'")
    p.add_argument('values', metavar='NAME=VALUE', nargs='*',
                   help="a number for every name in EXPR, e.g. x=2 w=-3 b=6.88")
    p.add_argument('-o', '--out', metavar='FILE.svg',
                   help="write the graph (data and grad in every node) as an SVG picture")
    p.add_argument('--html', metavar='FILE.html',
                   help="write a standalone step-through page of the forward and backward passes")
    p.add_argument('--steps', action='store_true',
                   help="print the backward pass as text, one chain-rule step at a time")
    p.set_defaults(run=run_graph)


def run_graph(args):
    from .engine import Value, topological_order
    from .expr import ParseError, parse
    from .trace import backward_steps, format_steps
    if args.out and not args.out.lower().endswith('.svg'):
        raise CommandError(f"-o writes an SVG picture: give a file name ending in .svg, not {args.out!r}")
    if args.html and not args.html.lower().endswith(('.html', '.htm')):
        raise CommandError(f"--html writes a web page: give a file name ending in .html, not {args.html!r}")
    leaves = {name: Value(x, label=name) for name, x in _assignments(args.values)}
    try:
        f = parse(args.expr, **leaves)
    except ParseError as e:
        why = "cannot compute it at these values" if e.__cause__ else "cannot use this expression"
        raise CommandError(f"{why}: {e}") from None
    in_graph = set(topological_order(f))
    unused = [name for name, leaf in leaves.items() if leaf not in in_graph]
    if unused:
        raise CommandError(f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} given a value "
                           f"but not used in {args.expr!r}")
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
    if args.out:
        _write_svg(f, args.out)
        print(f"picture: {args.out}")
    if args.html:
        _write_player(f, args.html, f"micrograd: {args.expr.strip()}")
        print(f"step-through: {args.html}")


def _assignments(items):
    """[(name, number)] from ['x=2', 'w=-3']; a clear CommandError for anything else."""
    pairs, seen = [], set()
    for item in items:
        name, eq, number = item.partition('=')
        name = name.strip()
        if not eq or not name.isidentifier():
            raise CommandError(f"expected NAME=VALUE (like x=2), not {item!r}")
        try:
            x = float(number)
        except ValueError:
            raise CommandError(f"{name}={number!r}: the value must be a number, like {name}=2.5") from None
        if not math.isfinite(x):
            raise CommandError(f"{name}={number}: the value must be a finite number")
        if name in seen:
            raise CommandError(f"{name} is given twice")
        seen.add(name)
        pairs.append((name, x))
    return pairs


# --- train -----------------------------------------------------------------------------------

def _add_train(commands):
    from nn.train import DIGITS, LOSSES, MOONS
    p = _command(
        commands, 'train', "train a network on the two moons or the 8×8 digits",
        "Train an MLP with mini-batch SGD, showing a progress bar with the running loss, then\n"
        "print the accuracy on the training set and on held-out data, and optionally plot the\n"
        "loss curve (and, for the moons, the decision boundary).\n\n"
        f"moons:  micrograd's demo: MLP(2, [16, 16, 1]), hinge loss + {MOONS['l2']:g}·Σw², "
        f"{MOONS['epochs']} full-batch steps,\n"
        f"        η = lr·(1 − 0.9·k/steps), {MOONS['n']} points, noise {MOONS['noise']}; "
        "held out: as many fresh points.\n"
        "digits: scikit-learn's 1797 8×8 images (pixels/16), a held-out quarter; a Nielsen-style\n"
        f"        64-{','.join(map(str, DIGITS['hidden']))}-10 {DIGITS['act']} network, "
        f"{DIGITS['loss']}, batch {DIGITS['batch_size']}, η = {DIGITS['lr']:g}, "
        f"{DIGITS['epochs']} epochs.",
        "examples:\n"
        "  python -m micrograd train moons --plot moons.png\n"
        "  python -m micrograd train digits --plot digits.png\n"
        "  python -m micrograd train digits --loss quadratic --lr 3 --epochs 10 --train-size 500\n"
        "  python -m micrograd train moons --compiled")
    p.add_argument('dataset', choices=('moons', 'digits'), metavar='DATASET',
                   help="moons or digits")
    p.add_argument('--hidden', type=_sizes, metavar='N,N,…',
                   help="hidden layer sizes (default: 16,16 for moons, "
                        f"{','.join(map(str, DIGITS['hidden']))} for digits; '' for none)")
    p.add_argument('--act', choices=('relu', 'tanh', 'sigmoid'),
                   help=f"hidden activation (default: {MOONS['act']} for moons, "
                        f"{DIGITS['act']} for digits)")
    p.add_argument('--loss', choices=LOSSES,
                   help=f"the cost (default: {MOONS['loss']} for moons, {DIGITS['loss']} for digits;"
                        " quadratic puts a sigmoid on the digits' outputs, as Nielsen)")
    p.add_argument('--epochs', type=_positive(int), metavar='N',
                   help=f"passes over the training set (default: {MOONS['epochs']} for moons, "
                        f"{DIGITS['epochs']} for digits)")
    p.add_argument('--batch-size', type=_positive(int), metavar='N',
                   help="examples per gradient step (default: all of them for moons, "
                        f"{DIGITS['batch_size']} for digits)")
    p.add_argument('--lr', type=_positive(float), metavar='η',
                   help=f"learning rate (default: {MOONS['lr']:g} for moons, decaying to a tenth; "
                        f"{DIGITS['lr']:g} for digits)")
    p.add_argument('--seed', type=int, metavar='N',
                   help=f"seed of the data, the split, the weights and the shuffles (default: "
                        f"{MOONS['seed']} for moons, {DIGITS['seed']} for digits)")
    p.add_argument('--plot', metavar='FILE.png',
                   help="save the loss curve (and the moons' decision boundary) as PNG, SVG or PDF")
    p.add_argument('--n', type=_positive(int), metavar='N',
                   help=f"moons only: the number of training points (default: {MOONS['n']})")
    p.add_argument('--noise', type=_non_negative, metavar='σ',
                   help=f"moons only: the noise's standard deviation (default: {MOONS['noise']})")
    p.add_argument('--train-size', type=_positive(int), metavar='N',
                   help="digits only: train on the first N examples of the training split "
                        "(default: all 1348)")
    p.add_argument('--compiled', action='store_true',
                   help="record the loss graph once, replay it each step: same numbers, faster "
                        "(not with the cross-entropy loss, the digits' default: add --loss "
                        "quadratic)")
    p.set_defaults(run=run_train)


def run_train(args):
    from nn import train
    moons = args.dataset == 'moons'
    only = {'n': 'moons', 'noise': 'moons', 'train_size': 'digits'}
    for option, dataset in only.items():
        if getattr(args, option) is not None and args.dataset != dataset:
            raise CommandError(f"--{option.replace('_', '-')} is for {dataset} only")
    if args.plot and os.path.splitext(args.plot)[1].lower() not in ('.png', '.svg', '.pdf'):
        raise CommandError(f"--plot: give a file name ending in .png, .svg or .pdf, not {args.plot!r}")
    if moons and args.loss == 'cross-entropy':
        raise CommandError("--loss cross-entropy needs one output per class; the moons network "
                           "has one score: use hinge or quadratic")
    if not moons and args.loss == 'hinge':
        raise CommandError("--loss hinge is for one ±1 score; the digits have 10 classes: use "
                           "cross-entropy or quadratic")
    if args.compiled and not moons and (args.loss or train.DIGITS['loss']) == 'cross-entropy':
        raise CommandError("--compiled cannot replay the cross-entropy loss (the digits' default): "
                           "its target picks one logit by index and its shift m = max s is read "
                           "from the data, so its graph changes from batch to batch; add --loss "
                           "quadratic, or drop --compiled")
    if moons and args.n is not None and args.n < 2:
        raise CommandError("--n: the moons need at least 2 points")
    options = {k: v for k, v in vars(args).items()
               if v is not None and k in ('hidden', 'act', 'loss', 'epochs', 'batch_size', 'lr',
                                          'seed', 'n', 'noise', 'train_size', 'compiled')}
    if not moons:
        _require('sklearn', "the 8×8 digits come with scikit-learn")
    if args.plot:
        _require('matplotlib', "--plot draws with matplotlib")
    progress = _Progress(args.dataset)
    start = time.perf_counter()
    try:
        result = (train.train_moons if moons else train.train_digits)(on_step=progress.step, **options)
    except (ArithmeticError, ValueError) as e:     # e.g. a learning rate so large the loss overflows
        raise CommandError(f"training stopped: {e}") from None
    finally:
        progress.close()
    seconds = time.perf_counter() - start
    held_out = "fresh points" if moons else "held-out quarter"
    print(f"{args.dataset}: training accuracy {result.train_accuracy:.1%} ({result.n_train} examples), "
          f"held-out accuracy {result.test_accuracy:.1%} ({result.n_test} {held_out}); "
          f"final loss {result.losses[-1]:.4g}; {len(result.losses)} steps in {seconds:.1f} s"
          f"{' (compiled)' if args.compiled else ''}")
    if args.plot:
        _plot(result, args.dataset, args.plot)
        print(f"plot: {args.plot}")


class _Progress:
    """A tqdm bar over the gradient steps, showing the loss averaged over the last 10 steps."""

    def __init__(self, name):
        self.name, self.bar, self.recent = name, None, []

    def step(self, k, steps, loss):
        if self.bar is None:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            self.bar = tqdm(total=steps, desc=self.name, unit='step', mininterval=0.5) if tqdm else False
            self.every = max(1, steps // 10)
        self.recent.append(loss)
        if len(self.recent) > 10:
            self.recent.pop(0)
        running = sum(self.recent) / len(self.recent)
        if self.bar:
            self.bar.set_postfix(loss=f"{running:.4f}", refresh=False)
            self.bar.update(1)
        elif k % self.every == 0 or k == steps:
            print(f"{self.name}: step {k}/{steps}, loss {running:.4f}", file=sys.stderr)

    def close(self):
        if self.bar:
            self.bar.close()


def _plot(result, dataset, path):
    """The loss of every step (and its running mean); for the moons, the decision boundary too."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    moons = dataset == 'moons'
    fig = Figure(figsize=(11 if moons else 6, 4.5), layout='constrained')
    FigureCanvasAgg(fig)                        # Agg: no display needed
    axes = fig.subplots(1, 2 if moons else 1, squeeze=False)[0]
    ax = axes[0]
    steps = range(1, len(result.losses) + 1)
    ax.plot(steps, result.losses, lw=0.8, alpha=0.5 if result.steps_per_epoch > 1 else 1.0,
            label='loss of each step')
    if result.steps_per_epoch > 1:
        k = result.steps_per_epoch
        epochs = [sum(result.losses[i:i + k]) / len(result.losses[i:i + k])
                  for i in range(0, len(result.losses), k)]
        ax.plot([min(i + k, len(result.losses)) for i in range(0, len(result.losses), k)], epochs,
                'o-', lw=1.5, ms=3, label='mean over the epoch')
    if min(result.losses) > 0:
        ax.set_yscale('log')
    ax.set(xlabel='step', ylabel='loss', title=f"{dataset}: training loss "
           f"({result.settings['loss']})")
    ax.legend()
    if moons:
        _boundary(axes[1], result)
    fig.savefig(path, dpi=100)


def _boundary(ax, result):
    """Colour the plane by the sign of the network's score; the training points on top."""
    import numpy as np
    from nn import data
    s = result.settings
    X, y = data.moons(s['n'], s['noise'], seed=s['seed'])
    xs, ys = [p[0] for p in X], [p[1] for p in X]
    gx = np.linspace(min(xs) - 0.5, max(xs) + 0.5, 60)
    gy = np.linspace(min(ys) - 0.5, max(ys) + 0.5, 60)
    score = np.array([[result.model([float(a), float(b)]).data for a in gx] for b in gy])
    ax.contourf(gx, gy, score > 0, levels=[-0.5, 0.5, 1.5], colors=['#f4c7c3', '#c6dbef'], alpha=0.8)
    ax.contour(gx, gy, score, levels=[0.0], colors='k', linewidths=1)
    for label, colour in ((-1, '#d62728'), (1, '#1f77b4')):
        points = [p for p, t in zip(X, y) if (t > 0) == (label > 0)]
        ax.scatter([p[0] for p in points], [p[1] for p in points], c=colour, s=18,
                   edgecolors='k', linewidths=0.4, label=f"y = {label:+d}")
    ax.legend(loc='upper right')
    ax.set(title=f"decision boundary (training accuracy {result.train_accuracy:.0%})",
           xlabel='x₁', ylabel='x₂')


# --- shared helpers --------------------------------------------------------------------------

def _write_svg(root, path):
    from .render import to_svg
    _write(path, _drawn(to_svg, root))


def _write_player(root, path, title):
    from .player import step_through
    player = _drawn(step_through, root)
    _mkdir_for(path)
    try:
        player.save_html(path, title=title)
    except OSError as e:
        raise CommandError(f"cannot write {path}: {e.strerror or e}", MISSING) from None


def _drawn(draw, root):
    """draw(root), with the renderer's errors as the command's own (a missing `dot` exits 1)."""
    from .render import GraphTooLarge, RendererNotFound
    try:
        return draw(root)
    except RendererNotFound as e:
        raise CommandError(str(e), MISSING) from None
    except GraphTooLarge as e:
        raise CommandError(str(e)) from None


def _write(path, text):
    _mkdir_for(path)
    try:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
    except OSError as e:
        raise CommandError(f"cannot write {path}: {e.strerror or e}", MISSING) from None


def _mkdir_for(path):
    folder = os.path.dirname(path)
    if folder:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            raise CommandError(f"cannot create the folder {folder}: {e.strerror or e}", MISSING) from None


def _require(module, why):
    import importlib.util
    if importlib.util.find_spec(module) is None:
        from nn.data import INSTALL_HINT
        raise CommandError(f"{why}, which is not installed: {INSTALL_HINT}", MISSING)


def _sizes(text):
    """'16,16' -> (16, 16); '' -> () (no hidden layer)."""
    parts = [s.strip() for s in text.split(',') if s.strip()]
    try:
        sizes = tuple(int(s) for s in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 16,16, not {text!r}") from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"every layer needs at least 1 neuron, not {text!r}")
    return sizes


def _positive(kind):
    def check(text):
        try:
            x = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, not {text!r}") from None
        if not (x > 0 and math.isfinite(x)):
            raise argparse.ArgumentTypeError(f"expected a positive number, not {text!r}")
        return x
    check.__name__ = f"positive {kind.__name__}"
    return check


def _non_negative(text):
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, not {text!r}") from None
    if not (x >= 0 and math.isfinite(x)):
        raise argparse.ArgumentTypeError(f"expected a number ≥ 0, not {text!r}")
    return x


def _version():
    try:
        from importlib.metadata import version
        return version('backprop-classroom')
    except Exception:                           # not installed (run from a source tree)
        return 'unknown'
