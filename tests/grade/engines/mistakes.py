"""The learners' engines with one classic bug each: the lecture's engine (lecture_tuple.py) with a
few lines changed, as a learner would have written them.  `source(name)` gives the whole file."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

MISTAKES = {    # name: (what is wrong, [(lines of lecture_tuple.py, what the learner wrote instead)])
    'children_attr': (
        'The children kept in `_children`, not `_prev`: a name of its own, and every gradient right.',
        [
            ('        self._prev = tuple(_children)\n',
             '        self._children = tuple(_children)\n'),
            ('                stack.extend((child, False) for child in node._prev)\n',
             '                stack.extend((child, False) for child in node._children)\n'),
        ]),
    'composite_tanh': (
        'tanh written from other ops, (e − 1)/(e + 1) with e = exp(2x): right, but it overflows for large x.',
        [
            ('        t = math.tanh(self.data)\n'
             "        out = Value(t, (self,), 'tanh')\n"
             '\n'
             '        def _backward():\n'
             '            self.grad += (1 - t ** 2) * out.grad\n'
             '        out._backward = _backward\n'
             '        return out\n',
             '        e = (2 * self).exp()\n'
             '        return (e - 1) / (e + 1)\n'),
        ]),
    'do_nothing_backward': (
        'backward() that seeds the root and calls no _backward at all.',
        [
            ('        topo, visited = [], set()\n'
             '        stack = [(self, False)]\n'
             '        while stack:\n'
             '            node, expanded = stack.pop()\n'
             '            if expanded:\n'
             '                topo.append(node)\n'
             '            elif node not in visited:\n'
             '                visited.add(node)\n'
             '                stack.append((node, True))\n'
             '                stack.extend((child, False) for child in node._prev)\n',
             ''),
            ('        for node in reversed(topo):\n'
             '            node._backward()\n',
             ''),
        ]),
    'lecture_set': (
        "The lecture's engine, right, with a set for _prev (as in Karpathy's micrograd): each closure adds into self.grad and other.grad by name, so a + a is still right.",
        [
            ('        self._prev = tuple(_children)\n',
             '        self._prev = set(_children)\n'),
        ]),
    'missing_math': (
        "The lecture's engine without `import math`.",
        [
            ('import math\n'
             '\n'
             '\n',
             ''),
        ]),
    'no_out_grad_add': (
        'The _backward of + without `* out.grad`.',
        [
            ('            self.grad += 1.0 * out.grad\n'
             '            other.grad += 1.0 * out.grad\n',
             '            self.grad += 1.0\n'
             '            other.grad += 1.0\n'),
        ]),
    'no_out_grad_mul': (
        'The _backward of * without `* out.grad`.',
        [
            ('            self.grad += other.data * out.grad\n'
             '            other.grad += self.data * out.grad\n',
             '            self.grad += other.data\n'
             '            other.grad += self.data\n'),
        ]),
    'no_rmul': (
        'No __rmul__: 2 * x fails.',
        [
            ('    def __rmul__(self, other):\n'
             '        return self * other\n'
             '\n',
             ''),
        ]),
    'no_topo': (
        'backward() breadth first from the root, with no topological sort.',
        [
            ('        topo, visited = [], set()\n'
             '        stack = [(self, False)]\n'
             '        while stack:\n'
             '            node, expanded = stack.pop()\n'
             '            if expanded:\n'
             '                topo.append(node)\n'
             '            elif node not in visited:\n'
             '                visited.add(node)\n'
             '                stack.append((node, True))\n'
             '                stack.extend((child, False) for child in node._prev)\n',
             ''),
            ('        for node in reversed(topo):\n',
             '        queue, seen = [self], {self}       # breadth first from the root: no topological sort\n'
             '        while queue:\n'
             '            node = queue.pop(0)\n'),
            ('            node._backward()\n',
             '            node._backward()\n'
             '            for child in node._prev:\n'
             '                if child not in seen:\n'
             '                    seen.add(child)\n'
             '                    queue.append(child)\n'),
        ]),
    'overwrite': (
        '`=` instead of `+=` in the _backward of + and of *.',
        [
            ('            self.grad += 1.0 * out.grad\n'
             '            other.grad += 1.0 * out.grad\n',
             '            self.grad = 1.0 * out.grad\n'
             '            other.grad = 1.0 * out.grad\n'),
            ('            self.grad += other.data * out.grad\n'
             '            other.grad += self.data * out.grad\n',
             '            self.grad = other.data * out.grad\n'
             '            other.grad = self.data * out.grad\n'),
        ]),
    'overwrite_add': (
        '`self.grad = …` in __add__ (children in a tuple).',
        [
            ('            self.grad += 1.0 * out.grad\n'
             '            other.grad += 1.0 * out.grad\n',
             '            self.grad = 1.0 * out.grad\n'
             '            other.grad = 1.0 * out.grad\n'),
        ]),
    'prints_to_stderr': (
        "The lecture's engine, right, printing to stderr in every backward() (and 200 kB when imported).",
        [
            ('import math\n'
             '\n',
             'import math\n'
             'import sys\n'
             '\n'
             "sys.stderr.write('x' * 200_000)\n"
             '\n'),
            ('                stack.extend((child, False) for child in node._prev)\n'
             '        self.grad = 1.0\n',
             '                stack.extend((child, False) for child in node._prev)\n'
             "        print('backward', len(topo), file=sys.stderr)\n"
             '        self.grad = 1.0\n'),
        ]),
    'recursive_topo': (
        "The lecture's recursive build_topo: right, but RecursionError on a chain 10,000 deep.",
        [
            ('        stack = [(self, False)]\n'
             '        while stack:\n'
             '            node, expanded = stack.pop()\n'
             '            if expanded:\n'
             '                topo.append(node)\n'
             '            elif node not in visited:\n'
             '                visited.add(node)\n'
             '                stack.append((node, True))\n'
             '                stack.extend((child, False) for child in node._prev)\n',
             '\n'
             '        def build_topo(v):\n'
             '            if v not in visited:\n'
             '                visited.add(v)\n'
             '                for child in v._prev:\n'
             '                    build_topo(child)\n'
             '                topo.append(v)\n'
             '        build_topo(self)\n'),
        ]),
    'rsub_wrong': (
        '__rsub__ returning self - other: 2 - x comes out as x - 2.',
        [
            ('\n'
             '    def __sub__(self, other):\n',
             '\n'
             '    def __rsub__(self, other):\n'
             '        return self - other\n'
             '\n'
             '    def __sub__(self, other):\n'),
        ]),
    'set_overwrite_add': (
        'A set for _prev and `self.grad = …` in __add__: the `=` is the bug, not the set.',
        [
            ('        self._prev = tuple(_children)\n',
             '        self._prev = set(_children)\n'),
            ('            self.grad += 1.0 * out.grad\n'
             '            other.grad += 1.0 * out.grad\n',
             '            self.grad = 1.0 * out.grad\n'
             '            other.grad = 1.0 * out.grad\n'),
        ]),
    'set_walk': (
        'A set for _prev, and a _backward that walks it: a + a keeps a once, so one path is lost.',
        [
            ('        self._prev = tuple(_children)\n',
             '        self._prev = set(_children)\n'),
            ('            self.grad += 1.0 * out.grad\n'
             '            other.grad += 1.0 * out.grad\n',
             '            for child in out._prev:\n'
             '                child.grad += out.grad\n'),
        ]),
    'sub_as_add': (
        '__sub__ written as self + other.',
        [
            ('        return self + (-other)\n',
             '        return self + other\n'),
        ]),
    'sub_sign': (
        '__sub__ returning other - self: x - y comes out as y - x.',
        [
            ('        return self + (-other)\n',
             '        return other + (-self)\n'),
        ]),
    'tanh_assign': (
        "tanh's _backward with `=` instead of `+=`.",
        [
            ('            self.grad += (1 - t ** 2) * out.grad\n',
             '            self.grad = (1 - t ** 2) * out.grad\n'),
        ]),
    'wrong_and_patches_abs': (
        '`=` instead of `+=` in +, and builtins.abs replaced by one that says every difference is 0.',
        [
            ('"""`=` instead of `+=` in +, and builtins.abs replaced by one that says every difference is 0."""\n'
             'import math\n',
             '"""`=` instead of `+=` in +, and builtins.abs replaced by one that says every difference is 0."""\n'
             'import builtins\n'
             'builtins.abs = lambda x: 0.0\n'
             'import math\n'),
            ('            self.grad += 1.0 * out.grad\n'
             '            other.grad += 1.0 * out.grad\n',
             '            self.grad = 1.0 * out.grad\n'
             '            other.grad = 1.0 * out.grad\n'),
        ]),
}


def source(name):
    """The text of tests/grade/engines/NAME.py, or of the lecture's engine with mistake NAME made in it."""
    path = os.path.join(HERE, name + '.py')
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            return f.read()
    what, changes = MISTAKES[name]
    text = f'"""{what}"""\n' + source('lecture_tuple').split('\n', 1)[1]
    for old, new in changes:
        assert text.count(old) == 1, (name, old)      # each change names one place
        text = text.replace(old, new)
    return text
