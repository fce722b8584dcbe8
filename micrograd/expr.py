"""A safe parser: "tanh(w*x + b)" with w, x, b given -> a graph of Values (never `eval`).

Python's own `ast` module splits the text into a tree; we then walk the tree and accept only a
WHITELIST of node types:

    numbers   names   a + b   a - b   a * b   a / b   a ** b   -a   +a   ( … )
    exp(a)  log(a)  tanh(a)  sigmoid(a)  relu(a)  sin(a)  cos(a)

Anything else — attributes, other calls, indexing, lambdas, strings, comparisons, unknown or
unbound names, absurd length, nesting or constant exponents — is a `ParseError` that points at
the column with a caret.  A name is ONE leaf however often it appears: `x*x` has one x.
Line breaks are spaces (an expression may go on over several lines); a `# comment` ends at the
end of its line, as in Python.
"""
import ast
import unicodedata
import warnings

from .i18n import N_, _
from .engine import Value, leaf

__all__ = ['parse', 'ParseError', 'FUNCTIONS', 'MAX_LENGTH', 'MAX_DEPTH', 'MAX_EXPONENT']

# The functions an expression may call: the engine's one-argument methods.
FUNCTIONS = {
    'exp': Value.exp, 'log': Value.log, 'tanh': Value.tanh, 'sigmoid': Value.sigmoid,
    'relu': Value.relu, 'sin': Value.sin, 'cos': Value.cos,
}
BINARY = {ast.Add: '+', ast.Sub: '-', ast.Mult: '*', ast.Div: '/', ast.Pow: '**'}
UNARY = {ast.USub: '-', ast.UAdd: '+'}

MAX_LENGTH = 2000       # characters
MAX_DEPTH = 200         # nested operations (a + b + c … is one level per +)
MAX_EXPONENT = 1000     # |k| in x ** k for a constant k; past ~1075 every base over- or underflows

# What the learner wrote, in words, for the node types that are refused.
_REFUSED = {
    ast.Subscript: N_("indexing [ ]"), ast.Lambda: "lambda",
    ast.Compare: N_("a comparison (< == …)"), ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "'… if … else …'", ast.NamedExpr: "':='", ast.Tuple: N_("a tuple (commas)"),
    ast.List: N_("a list [ ]"), ast.Dict: N_("a dict { }"), ast.Set: N_("a set { }"),
    ast.JoinedStr: N_("an f-string"), ast.Starred: N_("'*' unpacking"),
    ast.ListComp: N_("a comprehension"), ast.SetComp: N_("a comprehension"),
    ast.DictComp: N_("a comprehension"), ast.GeneratorExp: N_("a generator"),
    ast.Await: "'await'", ast.Yield: "'yield'", ast.YieldFrom: "'yield'", ast.Slice: N_("a slice"),
}
_OPERATOR_WORDS = {
    ast.FloorDiv: '//', ast.Mod: '%', ast.MatMult: '@', ast.LShift: '<<', ast.RShift: '>>',
    ast.BitOr: '|', ast.BitXor: '^', ast.BitAnd: '&', ast.Not: 'not', ast.Invert: '~',
}
_ALLOWED = N_("only numbers, names, + - * / **, parentheses and {functions} are allowed")


def _allowed():
    return _(_ALLOWED, functions=' '.join(FUNCTIONS))


class ParseError(ValueError):
    """An expression that cannot be turned into a graph: `reason`, the `expr` and the 1-based
    `column` where it went wrong; str() shows the expression with a caret under that column."""

    def __init__(self, reason, expr, column):
        self.reason, self.expr, self.column = reason, expr, column
        super().__init__(_("{reason} (column {column})", reason=reason, column=column)
                         + f"\n{_caret(expr, column)}")


def parse(expr, /, **values):
    """The Value graph of `expr`, its names bound to `values` (numbers become leaves labelled
    by name; a Value is used as it is).  Math errors (log(0), 1/0 …) also raise ParseError."""
    if not isinstance(expr, str):
        raise TypeError(_("parse: the expression must be a str, not {type}", type=type(expr).__name__))
    # A name in the tree is NFKC-normalised by Python ('ｘ' is 'x'): look values up the same way.
    values = {unicodedata.normalize('NFKC', name): v for name, v in values.items()}
    # Tabs and line breaks become spaces: one line, so every column still points at its character.
    # Comments go first (as spaces too): on one line, a comment would swallow the lines after it.
    text = _without_comments(expr).translate(_ONE_LINE)
    if len(text) > MAX_LENGTH:
        raise ParseError(_("the expression is too long ({n} characters; the limit is {limit})",
                           n=len(text), limit=MAX_LENGTH), text, MAX_LENGTH + 1)
    tree = _syntax_tree(text)
    _check(tree.body, text, values)
    return _build(tree.body, text, values, leaves={})


# --- step 1: text -> Python's syntax tree ------------------------------------------------------

_ONE_LINE = str.maketrans('\t\n\r\x0b\x0c', '     ')


def _without_comments(text):
    """text with each comment blanked out: as in Python, a '#' outside a string starts a comment
    that ends at the end of its line (strings are refused later; they only hide a '#')."""
    if '#' not in text:
        return text
    chars, quote, i = list(text), None, 0
    while i < len(text):
        c = text[i]
        if quote:                               # inside a string: only its closing quote ends it
            if c == '\\':
                i += 1                          # an escaped character, e.g. \' or \\
            elif text.startswith(quote, i):
                i, quote = i + len(quote) - 1, None
        elif c in '\'"':
            quote = text[i:i + 3] if text[i:i + 3] in ("'''", '"""') else c
            i += len(quote) - 1
        elif c == '#':
            end = min([j for j in (text.find('\n', i), text.find('\r', i)) if j >= 0],
                      default=len(text))
            chars[i:end] = ' ' * (end - i)
            i = end
        i += 1
    return ''.join(chars)


# Python's SyntaxError messages a learner meets most, so that the catalog lists them too.
_PYTHON_SAYS = (N_("too many nested parentheses"), N_("'(' was never closed"),
                N_("unmatched ')'"), N_("invalid decimal literal"),
                N_("unterminated string literal (detected at line 1)"))


def _syntax_tree(text):
    if not text.strip():
        raise ParseError(_("the expression is empty"), text, 1)
    try:
        with warnings.catch_warnings():         # e.g. SyntaxWarning for '\d' in a string
            warnings.simplefilter('ignore')
            return ast.parse(text, mode='eval')
    except UnicodeEncodeError as e:             # a lone surrogate, e.g. from undecodable bytes
        raise ParseError(_("{char} is not a valid character", char=f"U+{ord(text[e.start]):04X}"), text,
                         e.start + 1) from None
    except (SyntaxError, ValueError) as e:      # ValueError: a NUL byte (older Pythons)
        column = getattr(e, 'offset', None) or (text.find('\0') + 1 or len(text) + 1)
        message = getattr(e, 'msg', None) or str(e)
        if message == 'invalid syntax':
            message = _("this is not a valid expression here")
        message = _(message)                    # Python's own words, where the catalog has them
        raise ParseError(message, text, column) from None
    except (RecursionError, MemoryError):
        raise ParseError(_("the expression is nested too deeply"), text, 1) from None


# --- step 2: every node on the whitelist? (before any arithmetic, so errors come in order) -----

def _check(root, text, values):
    """Raise ParseError at the first node (in reading order) that is not allowed."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _error(_("the expression nests more than {n} operations deep; split it up",
                           n=MAX_DEPTH), text, node)
        if isinstance(node, ast.BinOp):
            if type(node.op) not in BINARY:
                raise _operator_error(node, text)
            children = [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in UNARY:
                raise _operator_error(node, text)
            children = [node.operand]
        elif isinstance(node, ast.Call):
            _check_call(node, text, values)
            children = [node.args[0]]
        elif isinstance(node, ast.Name):
            _check_name(node, text, values)
            children = []
        elif isinstance(node, ast.Constant):
            _number(node, text)
            children = []
        elif isinstance(node, ast.Attribute):
            raise _error(_("attribute access (.{attr}) is not allowed: {allowed}", attr=node.attr,
                           allowed=_allowed()), text, node, at_end=len(node.attr.encode()) + 1)
        else:
            what = _(_REFUSED.get(type(node), f"'{type(node).__name__}'"))
            raise _error(_("{what} is not allowed: {allowed}", what=what, allowed=_allowed()),
                         text, node)
        stack.extend((child, depth + 1) for child in reversed(children))


def _check_call(node, text, values):
    f = node.func
    if isinstance(f, ast.Attribute):
        raise _error(_("attribute access (.{attr}) is not allowed: write {attr}(…) if it is one of "
                       "{functions}", attr=f.attr, functions=', '.join(FUNCTIONS)), text, f,
                     at_end=len(f.attr.encode()) + 1)
    if not isinstance(f, ast.Name):
        raise _error(_("only the functions {functions} can be called",
                       functions=', '.join(FUNCTIONS)), text, node)
    if f.id not in FUNCTIONS and f.id in values:
        raise _error(_("'{name}' is a variable, not a function: to multiply, write {name}*(…)",
                       name=f.id), text, f)
    if f.id not in FUNCTIONS:
        raise _error(_("unknown function '{name}': the functions are {functions}", name=f.id,
                       functions=', '.join(FUNCTIONS)), text, f)
    if node.keywords:
        raise _error(_("{name}() takes no keyword arguments", name=f.id), text,
                     node.keywords[0].value)
    if any(isinstance(a, ast.Starred) for a in node.args):
        raise _error(_("'*' unpacking is not allowed: {name}() takes one argument", name=f.id),
                     text, node)
    if len(node.args) != 1:
        raise _error(_("{name}() takes exactly one argument (got {n})", name=f.id,
                       n=len(node.args)), text, node)


def _check_name(node, text, values):
    name = node.id
    if name in FUNCTIONS:
        raise _error(_("'{name}' is a function: call it, e.g. {name}(x)", name=name), text, node)
    if name not in values:
        raise _error(_("'{name}' has no value: give one, e.g. {name}=1.0", name=name), text, node)


def _number(node, text):
    """The float of a number literal; strings, True, None, 1j … are refused."""
    v = node.value
    if isinstance(v, bool) or v is None or v is ...:
        raise _error(_("{value} is not a number: {allowed}", value=repr(v), allowed=_allowed()),
                     text, node)
    if isinstance(v, complex):
        raise _error(_("complex numbers (…j) are not supported: the engine is real-valued"), text,
                     node)
    if not isinstance(v, (int, float)):
        raise _error(_("{what} are not allowed: {allowed}", what=_("strings") if isinstance(
            v, (str, bytes)) else repr(v), allowed=_allowed()), text, node)
    try:
        x = float(v)
    except OverflowError:
        x = float('inf')
    if x - x:                                   # inf (e.g. 1e999)
        raise _error(_("the number {number} is too large for a float",
                       number=_short(ast.get_source_segment(text, node))), text, node)
    return x


# --- step 3: build the graph -------------------------------------------------------------------

def _build(node, text, values, leaves):
    """The Value of this node, built with the engine's operators; one leaf per name in `leaves`."""
    try:
        if isinstance(node, ast.Constant):
            return Value(_number(node, text))
        if isinstance(node, ast.Name):
            if node.id not in leaves:
                leaves[node.id] = leaf(values[node.id], node.id)
            return leaves[node.id]
        if isinstance(node, ast.UnaryOp):
            a = _build(node.operand, text, values, leaves)
            return -a if isinstance(node.op, ast.USub) else a
        if isinstance(node, ast.Call):
            return FUNCTIONS[node.func.id](_build(node.args[0], text, values, leaves))
        a = _build(node.left, text, values, leaves)
        if isinstance(node.op, ast.Pow) and not _has_names(node.right):
            b = _constant(node.right)           # x ** 2 is one node '**2', not a graph for 2
            if b is None:                       # e.g. 2 ** (1/2): evaluate it with the engine
                b = _build(node.right, text, values, {}).data
            if abs(b) > MAX_EXPONENT:           # a float's range ends near 2 ** ±1075
                raise _error(_("the exponent {b} is too large (the limit is ±{limit})", b=f"{b:g}",
                               limit=MAX_EXPONENT), text, node.right)
        else:
            b = _build(node.right, text, values, leaves)
        return _BINARY_OPS[type(node.op)](a, b)
    except (ArithmeticError, ValueError) as e:
        if isinstance(e, ParseError):
            raise
        where = {'at': _operator_offset(node, text)} if isinstance(node, ast.BinOp) else {}
        raise _error(str(e), text, node, **where) from e


_BINARY_OPS = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b,
}


def _has_names(node):
    return any(isinstance(n, ast.Name) for n in ast.walk(node))


def _constant(node):
    """A plain number k, -k or +k as a float, else None."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        sign *= -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        try:
            return sign * float(node.value)
        except OverflowError:
            return sign * float('inf')
    return None


# --- messages: where, with a caret -------------------------------------------------------------

def _error(reason, text, node, at_end=None, at=None):
    """ParseError at `node` (or `at_end` bytes before its end, or at byte offset `at`)."""
    if at is None:
        at = node.end_col_offset - at_end if at_end is not None else node.col_offset
    # ast counts UTF-8 bytes; a column counts characters.
    column = len(text.encode()[:at].decode(errors='ignore')) + 1
    return ParseError(reason, text, column)


def _operator_offset(node, text):
    """The byte offset of a BinOp's operator: the first symbol between its two operands."""
    source = text.encode()
    between = source[node.left.end_col_offset:node.right.col_offset]
    symbol = BINARY.get(type(node.op)) or _OPERATOR_WORDS.get(type(node.op), '')
    i = between.find(symbol.encode()) if symbol else -1
    return node.left.end_col_offset + i if i >= 0 else node.col_offset


def _operator_error(node, text):
    symbol = _OPERATOR_WORDS.get(type(node.op), type(node.op).__name__)
    hint = {'//': _(" (use /)"), '^': _(" (powers are written **)")}.get(symbol, '')
    at = _operator_offset(node, text) if isinstance(node, ast.BinOp) else node.col_offset
    return _error(_("'{symbol}' is not allowed{hint}: {allowed}", symbol=symbol, hint=hint,
                    allowed=_allowed()), text, node, at=at)


def _short(s, n=24):
    return s if len(s) <= n else s[:n - 1] + '…'


def _caret(expr, column, width=72):
    """Two lines: the expression (a window of it, if long) and a caret under `column`."""
    i = column - 1
    start = max(0, min(i - width // 2, len(expr) - width))
    shown = expr[start:start + width]
    left = '…' if start > 0 else ''
    right = '…' if start + width < len(expr) else ''
    # Control characters would move the caret: show them as '?'.  Wide (CJK) characters take two.
    shown = ''.join('?' if unicodedata.category(c)[0] == 'C' else c for c in shown)
    pad = sum(_width(c) for c in shown[:i - start])
    return f"  {left}{shown}{right}\n  {' ' * (len(left) + pad)}^"


def _width(c):
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in 'WF' else 1
