"""The picture `train --plot` saves: the loss of every step (and, for the moons, the decision
boundary), drawn with matplotlib's Agg canvas (no display needed) into bytes, which the caller
writes as one file.  Its titles, axes and legends are in the learner's language; Chinese is set
in WenQuanYi Micro Hei (./run installs it) or another CJK font, matplotlib's own font for the rest."""
import io
import os

from ..i18n import _, get_language

# Fonts with Chinese glyphs, the first one installed is used (matplotlib falls back per glyph).
CJK_FONTS = ['WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'SimHei',
             'Microsoft YaHei', 'PingFang SC']
CJK_FILES = ('wqy-microhei', 'notosanscjk', 'sourcehansans', 'simhei', 'msyh', 'pingfang')


def picture(result, dataset, path):
    """The bytes of the plot, in the format path's extension names (.png, .svg or .pdf): the loss
    of every step (and its running mean); for the moons, the decision boundary too."""
    with fonts():
        fig = figure(result, dataset)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=os.path.splitext(path)[1][1:].lower(), dpi=100)
    return buffer.getvalue()


def fonts():
    """matplotlib's settings for the learner's language: for Chinese, a CJK font first."""
    import matplotlib
    if get_language() != 'zh':
        return matplotlib.rc_context()
    _find_cjk_font()
    return matplotlib.rc_context({'font.family': 'sans-serif', 'font.sans-serif':
                                  CJK_FONTS + list(matplotlib.rcParams['font.sans-serif'])})


def _find_cjk_font():
    """Make a CJK font known to matplotlib: its font cache may predate the font's installation."""
    from matplotlib import font_manager
    if {f.name for f in font_manager.fontManager.ttflist} & set(CJK_FONTS):
        return
    for path in font_manager.findSystemFonts():
        if any(k in os.path.basename(path).lower() for k in CJK_FILES):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):      # a file it cannot read: skip it
                pass


def figure(result, dataset):
    """The matplotlib Figure of the plot (drawn, its text set, when it is saved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    moons = dataset == 'moons'
    fig = Figure(figsize=(11 if moons else 6, 4.5), layout='constrained')
    FigureCanvasAgg(fig)                        # Agg: no display needed
    axes = fig.subplots(1, 2 if moons else 1, squeeze=False)[0]
    ax = axes[0]
    steps = range(1, len(result.losses) + 1)
    ax.plot(steps, result.losses, lw=0.8, alpha=0.5 if result.steps_per_epoch > 1 else 1.0,
            label=_('loss of each step'))
    if result.steps_per_epoch > 1:
        k = result.steps_per_epoch
        epochs = [sum(result.losses[i:i + k]) / len(result.losses[i:i + k])
                  for i in range(0, len(result.losses), k)]
        ax.plot([min(i + k, len(result.losses)) for i in range(0, len(result.losses), k)], epochs,
                'o-', lw=1.5, ms=3, label=_('mean over the epoch'))
    if min(result.losses) > 0:
        ax.set_yscale('log')
    ax.set(xlabel=_('step'), ylabel=_('loss'),
           title=_("{dataset}: training loss ({loss})", dataset=dataset,
                   loss=result.settings['loss']))
    ax.legend()
    if moons:
        _boundary(axes[1], result)
    return fig


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
    ax.set(title=_("decision boundary (training accuracy {accuracy})",
                   accuracy=f"{result.train_accuracy:.0%}"), xlabel='x₁', ylabel='x₂')
