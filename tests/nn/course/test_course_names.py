"""nn/course/ holds the teaching material, and its first names still import: `nn.walkthrough` and
`nn.exercises`, with every module of theirs, are the very modules of nn.course (one copy of each
class for pickle, isinstance and monkeypatching), in whichever order a program imports them."""
import importlib
import json
import pathlib
import pickle
import pkgutil
import re
import subprocess
import sys

import pytest

import nn
import nn.course

ROOT = pathlib.Path(nn.__file__).resolve().parent.parent
ROOMS = {'nn.walkthrough': 'nn.course.walkthrough', 'nn.exercises': 'nn.course.exercises'}


def modules(new):
    package = importlib.import_module(new)
    return [m.name for m in pkgutil.iter_modules(package.__path__) if m.name != '__main__']


@pytest.mark.parametrize('old, new', ROOMS.items())
def test_each_old_name_is_the_course_module_itself(old, new):
    assert importlib.import_module(old) is importlib.import_module(new)
    assert getattr(nn, old.split('.')[1]) is importlib.import_module(new)
    names = modules(new)
    assert len(names) >= 7, names
    for name in names:
        assert importlib.import_module(f"{old}.{name}") is importlib.import_module(f"{new}.{name}"), name


def test_the_course_is_shipped_where_the_network_modules_stay():
    course = ROOT / 'nn' / 'course'
    assert (course / 'walkthrough' / 'chain.py').is_file() and (course / 'exercises' / 'base.py').is_file()
    assert sorted(p.name for p in (ROOT / 'nn' / 'walkthrough').iterdir() if p.suffix == '.py') == ['__init__.py']
    assert sorted(p.name for p in (ROOT / 'nn' / 'exercises').iterdir() if p.suffix == '.py') == ['__init__.py']
    for stays in ('module.py', 'losses.py', 'optim.py', 'train.py', 'data.py', 'torch_bridge.py'):
        assert (ROOT / 'nn' / stays).is_file(), stays


CHILD = r"""
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
by_file = {}
for name, module in list(sys.modules.items()):
    if name.startswith('nn.') and getattr(module, '__file__', None):
        by_file.setdefault(module.__file__, set()).add(id(module))
import nn.walkthrough, nn.course.walkthrough, nn.exercises, nn.course.exercises
print(json.dumps({'copies': sorted(f for f, ids in by_file.items() if len(ids) > 1),
                  'same': [nn.walkthrough.chain.ChainRule is nn.course.walkthrough.chain.ChainRule,
                           nn.exercises.base.Exercise is nn.course.exercises.Exercise]}))
"""


@pytest.mark.parametrize('order', [
    ['nn.walkthrough.chain', 'nn.course.walkthrough.chain'],
    ['nn.course.walkthrough.chain', 'nn.walkthrough.chain', 'nn.walkthrough'],
    ['nn.exercises.answers', 'nn.course.exercises.graph'],
    ['nn.course.exercises', 'nn.exercises.graph', 'nn.walkthrough.neuron'],
    ['micrograd.nn', 'nn.exercises'],
])
def test_a_fresh_program_loads_each_file_once_whichever_name_it_imports_first(order):
    run = subprocess.run([sys.executable, '-c', CHILD, *order], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen == {'copies': [], 'same': [True, True]}, seen


def test_a_pickle_made_under_either_name_loads_as_the_one_class():
    from nn.walkthrough import Check, chain_rule
    check = chain_rule().checks[0]
    assert type(pickle.loads(pickle.dumps(check))) is Check
    old = pickle.dumps(check, protocol=0).replace(b'nn.course.walkthrough.common',
                                                  b'nn.walkthrough.common')
    assert b'cnn.walkthrough.common\n' in old                # as written before nn/course/ existed
    assert type(pickle.loads(old)) is Check and pickle.loads(old) == check


def test_a_patch_through_the_old_name_is_seen_by_the_course(monkeypatch):
    import nn.course.walkthrough.chain as chain
    monkeypatch.setattr('nn.walkthrough.chain.CHAIN_W', (0.0, 0.0, 0.0))
    assert chain.CHAIN_W == (0.0, 0.0, 0.0)
    from nn.exercises.answers import significant_figures
    assert significant_figures is nn.course.exercises.answers.significant_figures


def cited():
    """Each `from nn.walkthrough… import a, b` and each dotted name below them that the docs, notebooks, code
    and tests name, as (module or object path, names imported from it)."""
    files = [ROOT / 'README.md', *ROOT.glob('docs/**/*.md'), *ROOT.glob('docs/**/*.py'),
             *ROOT.glob('micrograd/**/*.py'), *ROOT.glob('tests/**/*.py'), *ROOT.glob('bench/**/*.py')]
    texts = [p.read_text(encoding='utf-8') for p in files]
    for notebook in ROOT.glob('notebooks/**/*.ipynb'):
        texts += [''.join(c['source']) for c in json.loads(notebook.read_text(encoding='utf-8'))['cells']]
    found = set()
    for text in texts:
        for where, names in re.findall(r'from (nn\.(?:walkthrough|exercises)[\w.]*) import \(?([\w, ]+)', text):
            found.add((where, tuple(n.strip() for n in names.split(',') if n.strip())))
        for where in re.findall(r'\bnn\.(?:walkthrough|exercises)(?:\.\w+)*', text):
            found.add((where, ()))
    return sorted(found)


def test_every_path_the_repository_names_imports():
    found = cited()
    assert ('nn.exercises.answers', ('significant_figures',)) in found
    assert ('nn.exercises', ('get',)) in found and ('nn.walkthrough.chain_rule', ()) in found
    for where, names in found:
        try:
            thing = importlib.import_module(where)
        except ImportError:                     # an attribute: nn.walkthrough.chain_rule
            parent, _, attr = where.rpartition('.')
            thing = getattr(importlib.import_module(parent), attr)
        for name in names:
            assert hasattr(thing, name), f"from {where} import {name}"
