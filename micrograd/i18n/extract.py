"""Which sentences the code says, and whether a catalog translates each of them.

    python -m micrograd.i18n check        # missing and stale entries of every catalog; exit 1 if any
    python -m micrograd.i18n pot          # a template (.pot) of every message id, to stdout

The message ids are the string literals passed first to `_()`, `N_()` or `ngettext()` (with the
plural second) anywhere in `micrograd/` and `nn/`, found by reading the source with `ast`.
`english_words(text, labels)` is the test that a translated text has no English left in it.
"""
import ast
import os
import re
import string

from . import LANGUAGES, LOCALE, po

__all__ = ['message_ids', 'check', 'duplicates', 'english_words', 'placeholders', 'pot', 'SOURCES']

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = (os.path.dirname(HERE), os.path.join(os.path.dirname(os.path.dirname(HERE)), 'nn'))
MARKERS = {'_': 1, 'N_': 1, 'ngettext': 2}      # function name -> how many leading literal ids


def _sources(roots=SOURCES):
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(('.', '__')))
            yield from (os.path.join(folder, f) for f in sorted(files) if f.endswith('.py'))


def message_ids(roots=SOURCES):
    """{msgid: [(file, line), …]} for every marked literal; a plural id is (singular, plural)."""
    found = {}
    for path in _sources(roots):
        with open(path, encoding='utf-8') as f:
            tree = ast.parse(f.read(), path)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in MARKERS):
                continue
            args = node.args[:MARKERS[node.func.id]]
            if len(args) == MARKERS[node.func.id] and all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                key = args[0].value if len(args) == 1 else (args[0].value, args[1].value)
                found.setdefault(key, []).append((path, node.lineno))
    return found


def duplicates(lang):
    """Message ids that `lang`'s catalog lists more than once (gettext's msgfmt refuses those)."""
    seen, twice = set(), []
    for e in po.read(os.path.join(LOCALE, f"{lang}.po")):
        key = (e.msgid, e.msgid_plural)
        if key in seen:
            twice.append(e.msgid)
        seen.add(key)
    return twice


def placeholders(text):
    """The {fields} of a format string: {'name', 'grad'} for '{name} = {grad}'."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def check(lang, roots=SOURCES):
    """(missing, stale, mismatched) for `lang`'s catalog: ids with no translation, entries no code
    uses, and translations whose {fields} differ from the id's."""
    ids = message_ids(roots)
    entries = [e for e in po.read(os.path.join(LOCALE, f"{lang}.po")) if e.msgid]
    keys = {e.msgid if e.msgid_plural is None else (e.msgid, e.msgid_plural): e for e in entries}
    missing = sorted((k for k in ids if k not in keys or keys[k].fuzzy or not all(keys[k].msgstr)),
                     key=str)
    stale = sorted((k for k in keys if k not in ids), key=str)
    mismatched = []
    for k, e in keys.items():
        want = placeholders(k if isinstance(k, str) else k[0] + k[1]) - {'n'}
        for s in e.msgstr:
            if s and placeholders(s) - {'n'} != want:
                mismatched.append((k, s))
    return missing, stale, mismatched


# Words that stay in Latin letters in a Chinese text: function names as the formulas write them,
# the sources' names, and the names of tools and code (checked after labels are taken out).
ALLOWED = {'tanh', 'exp', 'log', 'ln', 'ReLU', 'relu', 'sin', 'cos', 'sigmoid', 'max', 'min',
           'Blue', 'Brown', 'Nielsen', 'Karpathy', 'micrograd', 'PyTorch', 'torch', 'Jupyter',
           'grad', 'data', 'BP', 'gradcheck', 'eps', 'atol', 'rtol', 'SVG', 'HTML', 'PNG', 'PDF', 'DOT', 'Graphviz', 'dot', 'MLP',
           'SGD', 'Adam', 'Value', 'nn', 'python', 'Python'}
_CODE = re.compile(r"<[^>]*>|&\w+;"                        # HTML tags and entities
                   r"|`[^`]*`"                              # `code`
                   r"|\b[\w./-]+\.(?:py|md|po|ipynb|html|svg|png|pdf|json)\b"    # file names
                   r"|--?[a-z][\w-]*"                       # --options
                   r"|\b\w+(?:\.\w+)*\([^()]*\)"            # calls: f(x), x.backward()
                   r"|\.\w+"                                 # attributes: .grad
                   r"|(?<![A-Za-z0-9])[A-Za-z0-9]*_[A-Za-z0-9_]*")  # w_jk, local_grad, _backward
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text, labels=(), allowed=ALLOWED):
    """The English words left in `text` once labels, code, file names and symbols are taken out:
    [] for a good Chinese text.  Labels are removed longest first ('x1*w1 + x2*w2' before 'x1')."""
    text = _CODE.sub(' ', _without(text, labels))
    return [w for w in _WORD.findall(text) if w not in allowed]


def numbers(text, labels=()):
    """Every number in `text` outside the labels, in order: the same in every language."""
    text = _without(text, labels)
    return re.findall(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)


def _without(text, labels):
    """`text` with each label taken out where it stands alone ('n' goes, the n of 'tanh' stays)."""
    for label in sorted({str(x) for x in labels if x}, key=len, reverse=True):
        text = re.sub(r"(?<![A-Za-z0-9_])" + re.escape(label) + r"(?![A-Za-z0-9_])", ' ', text)
    return text


def pot(roots=SOURCES):
    """A .pot template: every message id, with where the code says it."""
    out = ['msgid ""', 'msgstr ""', r'"Content-Type: text/plain; charset=UTF-8\n"', '']
    for key, where in sorted(message_ids(roots).items(), key=lambda kv: str(kv[0])):
        out += [f"#: {os.path.relpath(p, os.path.dirname(SOURCES[0]))}:{n}" for p, n in where[:3]]
        if isinstance(key, str):
            out += [f"msgid {_quote(key)}", 'msgstr ""', '']
        else:
            out += [f"msgid {_quote(key[0])}", f"msgid_plural {_quote(key[1])}",
                    'msgstr[0] ""', '']
    return '\n'.join(out)


def _quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def main(argv=None):
    import sys
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['pot']:
        print(pot())
        return 0
    if argv[:1] not in (['check'], []):
        print("usage: python -m micrograd.i18n check | pot", file=sys.stderr)
        return 2
    bad = 0
    for lang in LANGUAGES[1:]:
        missing, stale, mismatched = check(lang)
        print(f"{lang}.po: {len(missing)} missing, {len(stale)} stale, "
              f"{len(mismatched)} with other {{fields}} than their id")
        for k in missing:
            print(f"  missing: {k!r}")
        for k in stale:
            print(f"  stale:   {k!r}")
        for k, s in mismatched:
            print(f"  fields:  {k!r} -> {s!r}")
        for k in duplicates(lang):
            print(f"  twice:   {k!r}")
        bad += len(missing) + len(stale) + len(mismatched) + len(duplicates(lang))
    return 1 if bad else 0
