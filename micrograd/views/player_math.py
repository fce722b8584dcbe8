"""A step's explanation as math: each line of `explain()` cut into prose and formulas, the formulas as
MathML token trees that the player draws with the browser's own math layout (no CDN, no fonts).

    '∂o/∂w1 = x1 · 0.5 = 1.0  (x1 = 2.0)'
    → [['f', ['o∂', 'io'], ['o∂', 'iw1']], 'o=', 'ix1', 'o·', 'n0.5', 'o=', 'n1.0', ' (', 'ix1', …]

The text is the terminal's (trace's `explain()`), so the page and `print_steps` say the same thing;
only its layout changes: ∂a/∂b and 1/x become fractions, x² and x^k superscripts.  A line is a list
of segments: a str is prose, a list is one <math>.  In a formula, 'iX' is an identifier (<mi>),
'nX' a number (<mn>), 'oX' an operator (<mo>); ['f', num, den] is a fraction, ['s', base, sup] a
superscript.  Node names are known to the caller (a label may hold spaces or operators: 'x1*w1 + b'
stays one name), so each is one <mi> whatever it contains.
"""
import re

__all__ = ['math_lines', 'plain_text']

_SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹'
_CJK_RANGE = '\u3000-\u303f\u4e00-\u9fff\uff00-\uffef'   # Chinese characters and punctuation
_WORD = r"[^\W\d_" + _SUPERSCRIPTS + _CJK_RANGE + r"][^\W" + _SUPERSCRIPTS + _CJK_RANGE + r"]*"
_CJK = re.compile(r"[" + _CJK_RANGE + r"“”]+ ?")              # Chinese prose: never math
_IDENT = re.compile(_WORD + r"(?:\[[^\]\s]*\])*'*")           # x1, a[3][1], σ', z''
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])")
_PROSE_WORD = re.compile(r"(?:[A-Za-z][a-z']+|a(?= (?!is\b)[a-z]{2}))(?![\w\[(])")   # 'a leaf', not 'a is' 
_PROSE_GLUE = re.compile(r"[ ,:;.]+(?:\d+[ ,:;.]+)?")
_OPERATORS = ('+=', '→')


def math_lines(text, names=()):
    """The lines of `text` (an explanation), each as a list of prose str and formula token lists."""
    words = set(names)
    spelled = sorted((n for n in words if n and not _IDENT.fullmatch(n)), key=len, reverse=True)
    return [_line(line, words, spelled) for line in text.split('\n')]


def plain_text(line):
    """The text back from a line's segments (tests check it is the explanation, character for character,
    apart from spacing, the '/' of a fraction and the '^' of a superscript)."""
    out = []
    for seg in line:
        out.append(seg if isinstance(seg, str) else ' '.join(_plain(t) for t in seg))
    return ''.join(out)


def _plain(t):
    if isinstance(t, str):
        return t[1:]
    parts = [' '.join(_plain(u) for u in x) for x in t[1:]]
    return {'f': '/', 's': '^', 'r': ''}[t[0]].join(parts)


def _line(line, names, spelled):
    segments, formula, i = [], [], 0
    indent = len(line) - len(line.lstrip(' '))
    if indent:
        segments.append(line[:indent])      # the player indents by CSS: keep the terminal's spaces
    i = indent
    while i < len(line):
        if line.startswith('  ', i) and formula:    # '= 1.0  (x1 = 2.0)': a note, not a product
            segments.append(_structure(formula))
            formula = []
            segments.append('\u2003')
            i += 2
            continue
        cjk = _CJK.match(line, i)
        prose = cjk[0] if cjk else _prose_at(line, i, names)
        if prose:
            if formula:
                segments.append(_structure(formula))
                formula = []
            if segments and isinstance(segments[-1], str):
                segments[-1] += prose
            else:
                segments.append(prose)
            i += len(prose)
            continue
        token, i = _token(line, i, spelled)
        if token is not None:
            formula.append(token)
    if formula:
        segments.append(_structure(formula))
    return segments


def _prose_at(line, i, names):
    """English words from i on (with the spaces, commas and small numbers between them), or ''."""
    start = i
    if line[i] == '(' and _word_at(line, i + 1, names):
        i += 1                                  # '(the start: …)' and '(a leaf)' are prose
    elif line[i] == ' ' and _word_at(line, i + 1, names):
        i += 1
    end, words = None, []
    while True:
        m = _word_at(line, i, names)
        if not m:
            break
        i = end = m.end()
        words.append(m[0])
        glue = _PROSE_GLUE.match(line, i)
        if not glue or not _word_at(line, glue.end(), names):
            break
        i = glue.end()
    if end is None or (len(words) == 1 and len(words[0]) < 4):
        return ''                               # 'ln x' is math; 'is complete', 'leaf' are prose
    tail = re.compile(r"\)?[,:;.]?(?: (?=\S))?").match(line, end)   # ')' ':' and one space
    return line[start:tail.end()]


def _word_at(line, i, names):
    m = _PROSE_WORD.match(line, i)
    if not m or (m[0] in names and m[0] != 'a'):     # a node named 'loss' is math; 'a leaf' is prose
        return None
    return m


def _token(line, i, names):
    """The formula token at i, and where the next one starts (spaces are skipped)."""
    c = line[i]
    if c == ' ':
        return None, i + 1
    for name in names:                          # names with spaces or operators in them, longest first
        if line.startswith(name, i):
            return 'i' + name, i + len(name)
    if c == '−' and _NUMBER.match(line, i + 1) and line[:i].rstrip(' ')[-1:] in ('', '(', '=', '['):
        m = _NUMBER.match(line, i + 1)          # '(−1)', '= −0.5': a negative number, not a minus
        return 'n−' + m[0], m.end()
    m = _NUMBER.match(line, i)
    if m:                                       # trace writes a negative number -0.5, a minus −
        return 'n' + m[0].replace('-', '−'), m.end()
    m = _IDENT.match(line, i)
    if m:
        return 'i' + m[0], m.end()
    for op in _OPERATORS:
        if line.startswith(op, i):
            return 'o' + op, i + len(op)
    if c in _SUPERSCRIPTS:
        j = i
        while j < len(line) and line[j] in _SUPERSCRIPTS:
            j += 1
        return ('^', 'n' + ''.join(str(_SUPERSCRIPTS.index(d)) for d in line[i:j])), j
    return 'o' + ('−' if c == '-' else c), i + 1


def _structure(tokens):
    """Groups, superscripts (x², x^(k − 1)), then fractions (∂a/∂b, 1/x) from the flat tokens."""
    items, i = [], 0
    while i < len(tokens):
        t = tokens[i]
        if isinstance(t, tuple):                # ² after an operand
            items[-1:] = [['s', items[-1:], [t[1]]]]
            i += 1
        elif t == 'o^' and items and i + 1 < len(tokens):
            sup, i = _operand(tokens, i + 1)
            items[-1] = ['s', [items[-1]], [sup]]
        elif t == 'o(' or t == 'o[' and items[-1:] == ['o∂']:     # ∂[(a − y)^2] is one group
            group, i = _operand(tokens, i)
            items.append(group)
        else:
            items.append(t)
            i += 1
    out, k = [], 0
    while k < len(items):
        if items[k] == 'o/' and out and k + 1 < len(items):
            num = [out.pop()]
            if out and out[-1] == 'o∂':
                num.insert(0, out.pop())
            den, k = [items[k + 1]], k + 2
            if den == ['o∂'] and k < len(items):
                den.append(items[k])
                k += 1
            out.append(['f', num, den])
        else:
            out.append(items[k])
            k += 1
    return out


def _operand(tokens, i):
    """The token at i, or the parenthesised (or bracketed) group that starts there (as ['r', items])."""
    if tokens[i] not in ('o(', 'o['):
        t = tokens[i]
        return (t[1] if isinstance(t, tuple) else t), i + 1
    opens, closes = tokens[i], {'o(': 'o)', 'o[': 'o]'}[tokens[i]]
    depth, j = 0, i
    while j < len(tokens):
        depth += tokens[j] == opens
        depth -= tokens[j] == closes
        j += 1
        if depth == 0:
            break
    inner = tokens[i + 1:j - 1] if depth == 0 else tokens[i + 1:j]
    return ['r', [opens] + _structure(inner) + ([closes] if depth == 0 else [])], j
