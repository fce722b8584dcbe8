"""micrograd train moons|digits: train an MLP with mini-batch SGD, showing the running loss; then
the accuracies, and optionally the plot of the loss (and the moons' decision boundary)."""
import argparse
import math
import sys
import time

from ..i18n import _
from . import paths, plot
from .common import CommandError, command, require

PLOTS = ('.png', '.svg', '.pdf')


def add(commands):
    from nn.train import DIGITS, LOSSES, MOONS
    d, m = DIGITS, MOONS
    hidden = ','.join(map(str, d['hidden']))
    p = command(
        commands, 'train', _("train a network on the two moons or the 8×8 digits"),
        _("Train an MLP with mini-batch SGD, showing a progress bar with the running loss, then\n"
          "print the accuracy on the training set and on held-out data, and optionally plot the\n"
          "loss curve (and, for the moons, the decision boundary).\n\n"
          "moons:  micrograd's demo: MLP(2, [16, 16, 1]), hinge loss + {l2}·Σw², "
          "{moons_epochs} full-batch steps,\n"
          "        η = lr·(1 − 0.9·k/steps), {n} points, noise {noise}; "
          "held out: as many fresh points.\n"
          "digits: scikit-learn's 1797 8×8 images (pixels/16), a held-out quarter; a Nielsen-style\n"
          "        64-{hidden}-10 {act} network, {loss}, batch {batch}, η = {lr} decaying to a "
          "tenth, {epochs} epochs.\n"
          "Both train on a compiled replay of the loss (the same numbers, faster); --eager builds "
          "the graph every step.",
          l2=f"{m['l2']:g}", moons_epochs=m['epochs'], n=m['n'], noise=m['noise'], hidden=hidden,
          act=d['act'], loss=d['loss'], batch=d['batch_size'], lr=f"{d['lr']:g}",
          epochs=d['epochs']),
        _("examples:") + "\n"
        "  python -m micrograd train moons --plot moons.png\n"
        "  python -m micrograd train digits --plot digits.png\n"
        "  python -m micrograd train digits --loss quadratic --lr 3 --epochs 10 --train-size 500\n"
        "  python -m micrograd train moons --eager", run, writes_files=True)
    p.add_argument('dataset', choices=('moons', 'digits'), metavar='DATASET',
                   help=_("moons or digits"))
    p.add_argument('--hidden', type=_sizes, metavar='N,N,…',
                   help=_("hidden layer sizes (default: 16,16 for moons, {hidden} for digits; '' "
                          "for none)", hidden=hidden))
    p.add_argument('--act', choices=('relu', 'tanh', 'sigmoid'),
                   help=_("hidden activation (default: {moons} for moons, {digits} for digits)",
                          moons=m['act'], digits=d['act']))
    p.add_argument('--loss', choices=LOSSES,
                   help=_("the cost (default: {moons} for moons, {digits} for digits; quadratic "
                          "puts a sigmoid on the digits' outputs, as Nielsen)", moons=m['loss'],
                          digits=d['loss']))
    p.add_argument('--epochs', type=_positive(int), metavar='N',
                   help=_("passes over the training set (default: {moons} for moons, {digits} for "
                          "digits)", moons=m['epochs'], digits=d['epochs']))
    p.add_argument('--batch-size', type=_positive(int), metavar='N',
                   help=_("examples per gradient step (default: all of them for moons, {digits} "
                          "for digits)", digits=d['batch_size']))
    p.add_argument('--lr', type=_positive(float), metavar='η',
                   help=_("learning rate (default: {moons} for moons, decaying to a tenth; "
                          "{digits} for digits)", moons=f"{m['lr']:g}", digits=f"{d['lr']:g}"))
    p.add_argument('--seed', type=int, metavar='N',
                   help=_("seed of the data, the split, the weights and the shuffles (default: "
                          "{moons} for moons, {digits} for digits)", moons=m['seed'],
                          digits=d['seed']))
    p.add_argument('--plot', metavar='FILE.png',
                   help=_("save the loss curve (and the moons' decision boundary) as PNG, SVG or "
                          "PDF"))
    p.add_argument('--n', type=_positive(int), metavar='N',
                   help=_("moons only: the number of training points (default: {n})", n=m['n']))
    p.add_argument('--noise', type=_non_negative, metavar='σ',
                   help=_("moons only: the noise's standard deviation (default: {noise})",
                          noise=m['noise']))
    p.add_argument('--train-size', type=_positive(int), metavar='N',
                   help=_("digits only: train on the first N examples of the training split "
                          "(default: all 1348)"))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument('--compiled', action='store_true',
                      help=_("record the loss graph once per batch size, replay it each step: the "
                             "same numbers, faster (the default)"))
    mode.add_argument('--eager', action='store_true',
                      help=_("build and backpropagate the loss graph every step, as in a lecture"))


def run(args):
    from nn import train as recipes
    moons = args.dataset == 'moons'
    only = {'n': 'moons', 'noise': 'moons', 'train_size': 'digits'}
    for option, dataset in only.items():
        if getattr(args, option) is not None and args.dataset != dataset:
            raise CommandError(_("--{option} is for {dataset} only", option=option.replace('_', '-'),
                                 dataset=dataset))
    if moons and args.loss == 'cross-entropy':
        raise CommandError(_("--loss cross-entropy needs one output per class; the moons network "
                             "has one score: use hinge or quadratic"))
    if not moons and args.loss == 'hinge':
        raise CommandError(_("--loss hinge is for one ±1 score; the digits have 10 classes: use "
                             "cross-entropy or quadratic"))
    if moons and args.n is not None and args.n < 2:
        raise CommandError(_("--n: the moons need at least 2 points"))
    if args.plot is not None:               # before the training, which may take minutes
        paths.check_file(args.plot, '--plot', PLOTS, _('a picture of the loss'))
    options = {k: v for k, v in vars(args).items()
               if v is not None and k in ('hidden', 'act', 'loss', 'epochs', 'batch_size', 'lr',
                                          'seed', 'n', 'noise', 'train_size')}
    options['compiled'] = not args.eager
    if not moons:
        require('sklearn', _("the 8×8 digits come with scikit-learn"))
    if args.plot is not None:
        require('matplotlib', _("--plot draws with matplotlib"))
    progress = _Progress(args.dataset)
    start = time.perf_counter()
    try:
        result = (recipes.train_moons if moons else recipes.train_digits)(on_step=progress.step, **options)
    except (ArithmeticError, ValueError) as e:     # e.g. a learning rate so large the loss overflows
        raise CommandError(_("training stopped: {error}", error=e)) from None
    finally:
        progress.close()
    seconds = time.perf_counter() - start
    held_out = _("fresh points") if moons else _("held-out quarter")
    print(_("{dataset}: training accuracy {train} ({n_train} examples), held-out accuracy {test} "
            "({n_test} {held_out}); final loss {loss}; {steps} steps in {seconds} s",
            dataset=args.dataset, train=f"{result.train_accuracy:.1%}", n_train=result.n_train,
            test=f"{result.test_accuracy:.1%}", n_test=result.n_test, held_out=held_out,
            loss=f"{result.losses[-1]:.4g}", steps=len(result.losses), seconds=f"{seconds:.1f}")
          + (_(" (eager: a graph built every step)") if args.eager else _(" (compiled replay)")))
    if args.plot is not None:
        paths.write(args.plot, '--plot', plot.picture(result, args.dataset, args.plot))
        print(_("plot: {path}", path=args.plot))


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
            self.bar = (tqdm(total=steps, desc=self.name, unit=_('step'), mininterval=0.5)
                        if tqdm else False)
            self.every = max(1, steps // 10)
        self.recent.append(loss)
        if len(self.recent) > 10:
            self.recent.pop(0)
        running = sum(self.recent) / len(self.recent)
        if self.bar:
            self.bar.set_postfix({_('loss'): f"{running:.4f}"}, refresh=False)
            self.bar.update(1)
        elif k % self.every == 0 or k == steps:
            print(_("{name}: step {k}/{steps}, loss {loss}", name=self.name, k=k, steps=steps,
                    loss=f"{running:.4f}"), file=sys.stderr)

    def close(self):
        if self.bar:
            self.bar.close()


def _sizes(text):
    """'16,16' -> (16, 16); '' -> () (no hidden layer)."""
    parts = [s.strip() for s in text.split(',') if s.strip()]
    try:
        sizes = tuple(int(s) for s in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected sizes like 16,16, not {text}", text=repr(text))) from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(_("every layer needs at least 1 neuron, not {text}", text=repr(text)))
    return sizes


def _positive(kind):
    def check(text):
        try:
            x = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_("expected a positive {kind}, not {text}", kind=kind.__name__, text=repr(text))) from None
        if not (x > 0 and math.isfinite(x)):
            raise argparse.ArgumentTypeError(_("expected a positive number, not {text}", text=repr(text)))
        return x
    check.__name__ = f"positive {kind.__name__}"
    return check


def _non_negative(text):
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected a number ≥ 0, not {text}", text=repr(text))) from None
    if not (x >= 0 and math.isfinite(x)):
        raise argparse.ArgumentTypeError(_("expected a number ≥ 0, not {text}", text=repr(text)))
    return x
