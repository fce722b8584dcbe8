"""Every notebook under notebooks/ runs top to bottom in a fresh kernel, and is committed clean.

Each notebook is executed with plain nbclient, its kernel working in a temporary directory so that
nothing is written into the repository.  Run one with  pytest tests/package/test_notebooks.py -k 03_multi.
"""
import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[2] / 'notebooks'
PATHS = sorted(p for p in NOTEBOOKS.rglob('*.ipynb') if '.ipynb_checkpoints' not in p.parts)
NAMES = [p.relative_to(NOTEBOOKS).as_posix() for p in PATHS]
LESSONS = [n for n in NAMES if '/' not in n]               # 01_….ipynb: one idea each
BLANK = '# your answer here'


def _read(name):
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _code(nb):
    return [c for c in nb.cells if c.cell_type == 'code']


def _text(outputs):
    """Everything a cell showed, as text (streams, results, errors)."""
    parts = []
    for out in outputs:
        if out.output_type == 'stream':
            parts.append(out.text)
        elif out.output_type in ('execute_result', 'display_data'):
            parts.extend(str(out.data.get(kind, '')) for kind in ('text/plain', 'text/html'))
        elif out.output_type == 'error':
            parts.append(f"{out.ename}: {out.evalue}")
    return '\n'.join(parts)


def test_the_notebooks_are_there():
    numbers = [n[:2] for n in LESSONS]
    assert numbers == [f"{k:02d}" for k in range(1, len(LESSONS) + 1)], \
        f"the lessons must be numbered 01, 02, … without gaps: {LESSONS}"
    assert len(LESSONS) >= 6, f"expected at least 6 numbered notebooks, found {LESSONS}"


@pytest.mark.parametrize('name', NAMES)
def test_notebook_runs_top_to_bottom(name, tmp_path):
    nb = _read(name)
    client = NotebookClient(nb, timeout=300, kernel_name='python3',
                            extra_arguments=['--colors=nocolor'],
                            resources={'metadata': {'path': str(tmp_path)}})
    error = None
    try:
        client.execute()
    except CellExecutionError as e:
        error = e                       # reported below, outside the except: no chained traceback
    if error is not None:
        cells = _code(nb)
        failed = next((i for i, c in enumerate(cells, 1)
                       if any(o.output_type == 'error' for o in c.get('outputs', []))), None)
        where = f"code cell {failed} of {len(cells)}" if failed else "a cell"
        pytest.fail(f"{name}: {where} raised\n{error}", pytrace=False)

    # The exercises answer an unanswered `...` with a ✗ message (not an exception), and the
    # solutions with ✓.
    for i, cell in enumerate(_code(nb), 1):
        if name.startswith('exercises/') and BLANK in cell.source:
            assert '✗' in _text(cell.outputs), \
                f"{name}, code cell {i}: a blank answer should print ✗, got:\n{_text(cell.outputs)}"
        if name == '08_build_your_own.ipynb' and cell.source == 'grade(Value)':   # all blanks
            assert 'not yet' in _text(cell.outputs) and '✓' not in _text(cell.outputs), \
                f"{name}, code cell {i}: the blank engine should be 'not yet', never ✓"
        if name.startswith('solutions/') and 'ex.check(answer)' in cell.source:
            assert '✓' in _text(cell.outputs), \
                f"{name}, code cell {i}: the solution should print ✓, got:\n{_text(cell.outputs)}"


@pytest.mark.parametrize('name', NAMES)
def test_committed_without_outputs(name):
    dirty = [i for i, c in enumerate(_code(_read(name)), 1)
             if c.get('outputs') or c.get('execution_count') is not None]
    assert not dirty, (f"{name}: code cells {dirty} have outputs or execution counts; clear them "
                       f"(jupyter nbconvert --clear-output --inplace {name}) before committing")


@pytest.mark.parametrize('name', NAMES)
def test_imports_the_installed_package_first(name):
    cells = _code(_read(name))
    first = cells[0].source if cells else ''
    assert re.search(r'^\s*(from (micrograd|nn)\b.* import |import (micrograd|nn)\b)', first, re.M), \
        f"{name}: the first code cell should import the installed package, got:\n{first}"
    hacks = [i for i, c in enumerate(cells, 1) if 'sys.path' in c.source]
    assert not hacks, f"{name}: code cells {hacks} touch sys.path; import the installed package"


@pytest.mark.parametrize('name', [n for n in NAMES if not n.startswith('exercises/')])
def test_ends_with_asserts(name):
    cells = _code(_read(name))
    last = cells[-1].source if cells else ''
    assert re.search(r'^\s*assert\b', last, re.M), \
        f"{name}: the last code cell should assert the claim just shown, got:\n{last}"


@pytest.mark.parametrize('name', [n for n in NAMES if n.startswith('exercises/')])
def test_every_exercise_has_its_solutions(name):
    stem = pathlib.PurePosixPath(name).stem
    solutions = f"solutions/{stem}_solutions.ipynb"
    assert solutions in NAMES, f"{name} has no solutions notebook {solutions}"
    blanks = [c.source for c in _code(_read(name)) if BLANK in c.source]
    solved = [c.source for c in _code(_read(solutions)) if 'ex.check(answer)' in c.source]
    assert blanks, f"{name}: no blank (`{BLANK}`) to fill"
    assert len(blanks) == len(solved), \
        f"{name} has {len(blanks)} blanks but {solutions} answers {len(solved)}"
    asserts = [c for c in solved if re.search(r'^\s*assert\b', c, re.M)]
    assert len(asserts) == len(solved), f"{solutions}: every answer should `assert ex.check(answer)`"
