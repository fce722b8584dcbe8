"""The engine's tests pass on the readable engine alone, without micrograd/_fast.py: the fast paths
only make it faster (issue 22).  The same files run in a child process with the fast module
blocked (MICROGRAD_PURE=1, see conftest.py)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
ENGINE_TESTS = ['engine/test_backward.py', 'engine/test_ops.py', 'engine/test_engine_safety.py',
                'engine/test_threads.py', 'engine/test_pow_value.py', 'engine/test_custom_op.py',
                'engine/test_errors.py', 'engine/test_properties.py', 'engine/test_no_cycles.py',
                'engine/test_micrograd_compat.py', 'nn/course/test_seeds.py',
                'engine/test_copying.py']


@pytest.mark.skipif(os.environ.get('MICROGRAD_PURE') == '1', reason='this is that run')
def test_the_engine_tests_pass_without_the_fast_paths():
    env = dict(os.environ, MICROGRAD_PURE='1')
    run = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-x',
                          *[str(TESTS / name) for name in ENGINE_TESTS], f"{__file__}::{ASKED}"],
                         cwd=TESTS.parent, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert ' passed' in run.stdout, run.stdout[-2000:]


ASKED = 'test_the_engine_runs_with_or_without_its_fast_paths'


def test_the_engine_runs_with_or_without_its_fast_paths():
    """Whichever way it runs, it is that way: _fast installed, or blocked and absent."""
    from micrograd import Value, engine
    if os.environ.get('MICROGRAD_PURE') == '1':
        assert engine._fast is None and not hasattr(Value.__mul__, '__wrapped__')
    else:
        assert engine._fast is not None and Value.__mul__.__wrapped__.__module__ == 'micrograd.engine'
