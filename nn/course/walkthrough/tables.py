"""The four worked examples printed as tables (`python -m nn.walkthrough [--lang zh]`): each
derivative by hand, by the engine and by finite differences, with its equation.
"""
from micrograd.i18n import LANGUAGES, _, display_width, ngettext, pad
from .chain import chain_rule
from .matrix import MATRIX_T, matrix_form
from .nielsen import NIELSEN_X, NIELSEN_Y, four_equations
from .paths import LEE_A, LEE_TARGET, multi_path


def walkthroughs():
    """All four worked examples, in the order of docs/seeds.md."""
    return [chain_rule(), multi_path(), four_equations(), matrix_form()]


def _nums(xs, digits=6):
    if isinstance(xs, (list, tuple)):
        return '(' + ', '.join(_nums(x, digits) for x in xs) + ')'
    return f"{xs:.{digits}g}"


def check_table(checks, lang=None):
    """The Check rows as a table: quantity, by hand, engine .grad, finite diff., max |diff|, equation."""
    rows = [(_("quantity", lang), _("by hand", lang), _("engine .grad", lang),
             _("finite diff.", lang), _("max |diff|", lang), _("equation", lang))]
    rows += [(c.quantity, f"{c.closed_form:.10f}", f"{c.engine:.10f}", f"{c.numeric:.10f}",
              f"{c.error:.1e}", _(c.formula, lang)) for c in checks]
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ['  '.join(pad(cell, wd, '<' if i in (0, 5) else '>')
                       for i, (cell, wd) in enumerate(zip(r, widths))).rstrip() for r in rows]
    lines.insert(1, '-' * display_width(lines[0]))
    return '\n'.join('  ' + line for line in lines)


def print_all(file=None, lang=None):
    """Print every worked example's numbers as tables, in English or Chinese (lang='zh')."""
    def out(*lines):
        for line in lines:
            print(line, file=file)

    c, m, n, mf = walkthroughs()
    L = len(c.w)
    out(_("1. 3Blue1Brown — one neuron per layer, C0 = (a(3) − y)²   (docs/seeds.md §1)", lang),
        _("  our numbers: w = {w}, b = {b}, a(0) = {a0}, y = {y}", lang,
          w=_nums(c.w), b=_nums(c.b), a0=f"{c.a[0]:g}", y=f"{c.y:g}"),
        _("  forward: z = {z}, a = {a}, C0 = {C0}", lang,
          z=_nums(c.z), a=_nums(c.a), C0=f"{c.C0:.10f}"),
        "  ∂C0/∂w(L) = ∂z(L)/∂w(L) · ∂a(L)/∂z(L) · ∂C0/∂a(L) = a(L−1) · σ'(z(L)) · 2(a(L) − y)",
        f"            = {c.dz_dw:.10f} · {c.da_dz:.10f} · {c.dC0_da:.10f}"
        f" = {c.dz_dw * c.da_dz * c.dC0_da:.10f}   (L = {L})",
        check_table(c.checks, lang),
        ngettext("  averaged over n = {n} example (a(0), y) = {examples}:",
                 "  averaged over n = {n} examples (a(0), y) = {examples}:", len(c.examples),
                 lang, examples=_nums(c.examples)),
        f"  ∂C_k/∂w({L}) = {_nums(c.per_example, 10)}",
        check_table([c.averaged], lang), "")

    head = [_("layer", lang), "z", "a = σ(z)", _("table a (2 d.p.)", lang)]
    widths = (max(display_width(head[0]), 7), 26, 26)
    out(_("2. Hung-yi Lee — the slides' network, x = (1, −1), sigmoid   (docs/seeds.md §2)", lang),
        '  ' + ' '.join(pad(h, wd) for h, wd in zip(head, widths + (0,))).rstrip())
    for l, (z, a, ta) in enumerate(zip(m.z, m.a, LEE_A), 1):
        cells = (str(l), _nums(z, 8), _nums(a, 8), _nums(ta))
        out('  ' + ' '.join(pad(x, wd) for x, wd in zip(cells, widths + (0,))).rstrip())
    out(_("  forward pass: ∂z/∂w = the input on that weight", lang))
    for w, g, name, value in m.dz_dw:
        out(f"    ∂z/∂{w} = {g:.8f}   ({name} = {value:.8f})")
    out(_("  our loss: l = ½Σ(a(3) − ŷ)², ŷ = {target}: l = {loss}", lang,
          target=_nums(LEE_TARGET), loss=f"{m.loss:.10f}"),
        _("  backward pass, first neuron of layer 1: "
          "∂l/∂z = σ'(z) · [w3 · ∂l/∂z' + w4 · ∂l/∂z'']", lang),
        f"    = {m.sigma_prime_z:.10f} · [{m.w3:g} · {m.dl_dz1:.10f} + ({m.w4:g}) · {m.dl_dz2:.10f}]",
        f"    = {m.sigma_prime_z:.10f} · [{m.term_w3:.10f} + ({m.term_w4:.10f})] = {m.dl_dz:.10f}",
        check_table(m.checks, lang), "")

    out(_("3. Nielsen — the four fundamental equations, C = ½‖a − y‖²   (docs/seeds.md §3)", lang),
        _("  our numbers: x = {x}, y = {y}, C = {C}; [1, 2] ⊙ [3, 4] = {example}", lang,
          x=_nums(NIELSEN_X), y=_nums(NIELSEN_Y), C=f"{n.C:.10f}", example=n.hadamard_example),
        _("  (our layer l is Nielsen's l + 1: he counts the input as layer 1)", lang))
    for ly in n.layers:
        out(_("  layer {l}: z = {z}, σ'(z) = {sigma_prime}", lang, l=ly.l, z=_nums(ly.z, 8),
              sigma_prime=_nums(ly.sigma_prime, 8)),
            _("           δ by hand = {delta}", lang, delta=_nums(ly.delta, 10)),
            f"           z.grad    = {_nums(ly.delta_engine, 10)}")
    out(check_table(n.checks, lang), "")

    out(_("4. Matrix form — no biases, E = ½‖x3 − t‖², f = σ   (docs/seeds.md §4)", lang),
        _("  x0 = {x0} (our choice of size 4), t = {t}, E = {E}", lang,
          x0=_nums(mf.x[0]), t=_nums(MATRIX_T), E=f"{mf.E:.10f}"))
    for i, (sW, sd, sx, sg) in enumerate(mf.shapes, 1):
        out(_("  ∂E/∂W{i} = δ{i} x{j}ᵀ: {delta} times {x} = {grad}, the shape of W{i} ({W})", lang,
              i=i, j=i - 1, delta=f"{sd[0]}×{sd[1]}", x=f"{sx[0]}×{sx[1]}",
              grad=f"{sg[0]}×{sg[1]}", W=f"{sW[0]}×{sW[1]}"))
    out(check_table(mf.checks, lang),
        _("  one step W ← W − α ∂E/∂W with α = {alpha}: E {E} → {E_new}", lang,
          alpha=f"{mf.alpha:g}", E=f"{mf.E:.10f}", E_new=f"{mf.E_new:.10f}"))
    worst = max(ch.error for ch in c.checks + [c.averaged] + m.checks + n.checks + mf.checks)
    out("", _("largest disagreement between by hand, engine and finite differences: {worst}",
              lang, worst=f"{worst:.1e}"))


def main(argv=None):
    """python -m nn.walkthrough [--lang en|zh]"""
    import argparse
    parser = argparse.ArgumentParser(prog='python -m nn.walkthrough',
                                     description=_("Print the seeds' worked examples as tables."))
    parser.add_argument('--lang', choices=LANGUAGES, default=None,
                        help=_("the language of the tables (default: $MICROGRAD_LANG, else en)"))
    print_all(lang=parser.parse_args(argv).lang)
