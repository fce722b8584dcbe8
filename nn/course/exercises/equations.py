"""ex09–ex13 (notebooks/exercises/ex_04, ex_05): Nielsen's four equations (BP1, BP2, BP4) and
the matrix form."""
from micrograd import Value
from micrograd.i18n import _
from nn.losses import quadratic_cost
from .answers import _dims, _matrix, _number, _vector
from .base import Exercise
from .slips import (_HALF_NIELSEN, _HALVED, _NEG, _SIGN_HALF, _fmt, _missing_sigma_prime, _over,
                    _sigma_not_slope, _sigma_prime, _slips, _times, _transposed)

def _ex09_bp1(lang=None):
    z = [Value(0.5, label='z1'), Value(-1.2, label='z2')]
    a = [zj.sigmoid() for zj in z]
    quadratic_cost(a, [1.0, 0.0]).backward()
    answer = tuple(zj.grad for zj in z)
    sp = tuple(_sigma_prime(zj.data) for zj in z)
    diff = (a[0].data - 1.0, a[1].data - 0.0)
    return Exercise(
        'ex09_bp1',
        title=_("BP1: the output error δᴸ (Nielsen)", lang),
        prompt=_("Output layer with 2 sigmoid neurons and Nielsen's cost C = ½ Σⱼ (aⱼᴸ − yⱼ)²:\n"
          "  zᴸ = (0.5, -1.2),   aᴸ = σ(zᴸ),   y = (1.0, 0.0).\n"
          "Give δᴸ = ∂C/∂zᴸ (BP1).", lang),
        expects=_("a list of 2 numbers [δ₁ᴸ, δ₂ᴸ]", lang),
        solution=list(answer),
        read=_vector(2),
        because=_("BP1: δᴸ = (aᴸ − y) ⊙ σ'(zᴸ) — the ½ cancels the 2 of the square.", lang),
        hint=_("δᴸ = ∇ₐC ⊙ σ'(zᴸ): first ∂C/∂aⱼ for this cost, then through the sigmoid.", lang),
        worked=f"(aᴸ − y) ⊙ σ'(zᴸ) = {_fmt(diff)} ⊙ {_fmt(sp)} = {_fmt(answer)}",
        slips=_slips(answer, (_over(sp), _missing_sigma_prime('ᴸ', lang)),
               (_times(2.0), _(_HALF_NIELSEN, lang)), (_over(2.0), _(_HALVED, lang)),
               (_NEG, _(_SIGN_HALF, lang)), lang=lang) +
        [(tuple(d * aj.data for d, aj in zip(diff, a)),
          _sigma_not_slope('ᴸ', lang) + " (σ(zᴸ) = aᴸ.)")],
        names=('δ₁ᴸ', 'δ₂ᴸ'),
        lang=lang)


def _ex10_bp2(lang=None):
    W = ((2.0, -1.0), (-2.0, -1.0))           # Hung-yi Lee's layer-2 weights, row j = neuron j
    delta_next = (0.2, -0.1)
    z = [Value(0.5, label='z1'), Value(-1.0, label='z2')]
    a = [zk.sigmoid() for zk in z]
    z_next = [sum((wjk * ak for wjk, ak in zip(row, a)), Value(0.0)) for row in W]
    sum((zj * dj for zj, dj in zip(z_next, delta_next)), Value(0.0)).backward()
    answer = tuple(zk.grad for zk in z)
    sp = tuple(_sigma_prime(zk.data) for zk in z)
    back = tuple(sum(W[j][k] * delta_next[j] for j in range(2)) for k in range(2))
    wrong_way = tuple(sum(W[k][j] * delta_next[j] for j in range(2)) * sp[k] for k in range(2))
    transpose = _("Transpose: δˡ needs (wˡ⁺¹)ᵀ δˡ⁺¹ — sum down the COLUMN k of w (the weights "
                  "leaving neuron k), not along row k.", lang)
    return Exercise(
        'ex10_bp2',
        title=_("BP2: the error one layer back (Nielsen)", lang),
        prompt=_("Layer l has 2 sigmoid neurons with zˡ = (0.5, -1.0). The next layer's weights (row j =\n"
          "neuron j of layer l+1) and error are\n"
          "  wˡ⁺¹ = [[2, -1], [-2, -1]],   δˡ⁺¹ = (0.2, -0.1).\n"
          "Give δˡ (BP2).", lang),
        expects=_("a list of 2 numbers [δ₁ˡ, δ₂ˡ]", lang),
        solution=list(answer),
        read=_vector(2),
        because=_("BP2: δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ'(zˡ): each neuron collects the errors it fed, weighted.",
          lang),
        hint=_("Neuron k of layer l feeds every neuron j of layer l+1 through w_jk; add those paths.",
          lang),
        worked=f"(wᵀδ) ⊙ σ'(z) = {_fmt(back)} ⊙ {_fmt(sp)} = {_fmt(answer)}",
        slips=_slips(answer, (_over(sp), _missing_sigma_prime('ˡ', lang)),
               (_NEG, _("Check the sign of each product w·δ.", lang)), lang=lang) +
        [(tuple(v / s * ak.data for v, s, ak in zip(answer, sp, a)), _sigma_not_slope('ˡ', lang)),
         (wrong_way, transpose),
         (tuple(v / s for v, s in zip(wrong_way, sp)),
          transpose + _(" Also σ'(zˡ) is missing.", lang))],
        names=('δ₁ˡ', 'δ₂ˡ'),
        lang=lang)


def _ex11_bp4(lang=None):
    a_prev, delta = (0.3, 0.9, -0.5), (0.2, -0.7)
    w = [[Value(0.0, label=f"w{j}{k}") for k in (1, 2, 3)] for j in (1, 2)]
    z = [sum((wjk * ak for wjk, ak in zip(row, a_prev)), Value(0.0)) for row in w]
    sum((zj * dj for zj, dj in zip(z, delta)), Value(0.0)).backward()   # so that ∂C/∂z = δ
    answer = w[1][0].grad                                               # w_jk with j = 2, k = 1
    return Exercise(
        'ex11_bp4',
        title=_("BP4: the gradient of one weight (Nielsen)", lang),
        prompt=_("Layer l has 2 neurons, layer l−1 has 3, and (1-based, w_jk = from neuron k to neuron j)\n"
          "  aˡ⁻¹ = (0.3, 0.9, -0.5),   δˡ = (0.2, -0.7).\n"
          "Give ∂C/∂w₂₁ˡ  (j = 2, k = 1) with BP4.", lang),
        expects=_("one number", lang),
        solution=answer,
        read=_number,
        because=_("BP4: ∂C/∂w_jkˡ = a_kˡ⁻¹ · δ_jˡ — the input it carries times the error where it lands.",
          lang),
        hint=_("A weight's gradient is (what flows in on it) × (the error of the neuron it feeds).",
          lang),
        worked=f"a₁ˡ⁻¹ · δ₂ˡ = {a_prev[0]:g} × {delta[1]:g} = {answer:.10g}",
        slips=[(a_prev[1] * delta[0], _("Transposed indices: w_jk goes FROM neuron k (layer l−1) TO "
                                  "neuron j (layer l); you used a_j · δ_k.", lang)),
         (delta[1], _("That is δ_j alone, BP3's ∂C/∂b_j; a weight also multiplies by its input "
                      "a_k.", lang)),
         (a_prev[0], _("That is a_k alone: the error δ_j of the neuron the weight feeds is "
                       "missing.", lang)),
         (-answer, _("Check the sign of each factor.", lang))],
        lang=lang)


def _ex12_matrix_gradient(lang=None):
    W = [[Value(v, label=f"W{j}{k}") for k, v in enumerate(row, 1)]
         for j, row in enumerate(((0.4, -0.6, 0.2), (-0.3, 0.8, 0.5)), 1)]
    x_prev, t = (0.5, -0.2, 0.9), (1.0, 0.0)
    z = [sum((wjk * xk for wjk, xk in zip(row, x_prev)), Value(0.0)) for row in W]
    x = [zj.sigmoid() for zj in z]
    quadratic_cost(x, t).backward()
    answer = tuple(tuple(w.grad for w in row) for row in W)
    sp = tuple(_sigma_prime(zj.data) for zj in z)
    delta = tuple((xj.data - tj) * s for xj, tj, s in zip(x, t, sp))
    return Exercise(
        'ex12_matrix_gradient',
        title=_("∂E/∂W in matrix form (bias-free)", lang),
        prompt=_("The last layer of the matrix-form seed, no biases, f = σ:\n"
          "  x_L = σ(W_L x_(L−1)),   E = ½‖x_L − t‖²\n"
          "  W_L = [[0.4, -0.6, 0.2], [-0.3, 0.8, 0.5]],  x_(L−1) = (0.5, -0.2, 0.9),  t = (1, 0).\n"
          "Give ∂E/∂W_L as a matrix (a list of rows).", lang),
        expects=_("a 2×3 matrix [[…], […]] (W_L's shape)", lang),
        solution=[list(r) for r in answer],
        read=_matrix,
        because=_("∂E/∂W_L = δ_L x_(L−1)ᵀ with δ_L = (x_L − t) ∘ σ'(W_L x_(L−1)): W_L's own shape.", lang),
        hint=_("First δ_L (one number per output), then an outer product with the layer's input.",
          lang),
        worked=f"δ_L = {_fmt(delta)},  δ_L x_(L−1)ᵀ = {_fmt(answer)}",
        slips=_slips(answer, (_over(sp), _missing_sigma_prime('_L', lang)),
               (_times(2.0), _(_HALF_NIELSEN, lang)), (_over(2.0), _(_HALVED, lang)),
               (_NEG, _("Check the sign: ∂/∂x of ½‖x_L − t‖² is x_L − t, not t − x_L; a cost "
                        "grows when x_L moves away from t.", lang)),
               (_transposed, _("Transposed: ∂E/∂W_L = δ_L x_(L−1)ᵀ has W_L's shape — one row per "
                               "output neuron; yours is x_(L−1) δ_Lᵀ.", lang)), lang=lang) +
        [(_times(tuple(xj.data / s for xj, s in zip(x, sp)))(answer),
          _sigma_not_slope('_L', lang))],
        lang=lang)


def _ex13_gradient_shape(lang=None):
    return Exercise(
        'ex13_gradient_shape',
        title=_("The shape of ∂E/∂W (the matrix-form seed's dimension check)", lang),
        prompt=_("A bias-free network  x_i = f_i(W_i x_(i−1)),  E = ½‖x_L − t‖²,  with W3 of shape 2×3\n"
          "and W2 of shape 3×5 (so x2 has 3 entries and x1 has 5).\n"
          "What is the shape of ∂E/∂W2 = δ2 x1ᵀ?", lang),
        expects=_("a tuple (rows, columns)", lang),
        solution=(3, 5),
        read=_dims,
        because=_("∂E/∂W₂ = δ₂ x₁ᵀ: a column of δ₂'s size times a row of x₁'s size — W₂'s own shape.",
          lang),
        hint=_("A gradient has the shape of the thing it is the gradient of.", lang),
        worked=_("δ2 (3 entries) x1ᵀ (5 entries) is 3×5 — the same as W2", lang),
        slips=[((5, 3), _("Transposed: δ₂ x₁ᵀ has one row per entry of δ₂, and W₂'s shape.", lang)),
         ((3,), _("That is the shape of δ₂ alone; δ₂ x₁ᵀ is an outer product, a matrix.", lang)),
         ((5,), _("That is the shape of x₁ alone; δ₂ x₁ᵀ is an outer product, a matrix.", lang)),
         ((2, 3), _("That is W₃'s shape; the question is about W₂.", lang))],
        lang=lang)
