"""Fixtures shared by the test files.

MICROGRAD_PURE=1 runs the tests on the readable engine alone: micrograd/_fast.py is blocked before
micrograd is imported (tests/engine/test_pure_engine.py runs the engine's tests so)."""
import gc
import os
import sys

import pytest

if os.environ.get('MICROGRAD_PURE') == '1':
    sys.modules['micrograd._fast'] = None


@pytest.fixture
def cyclic_garbage():
    """count(entry): how many objects a second call of entry() leaves in reference cycles (the
    first call fills import caches), found by gc.collect() with the collector off meanwhile."""
    def count(entry):
        entry()
        gc.collect()
        gc.disable()
        try:
            entry()
            return gc.collect()
        finally:
            gc.enable()
    return count


@pytest.fixture
def english_by_default(monkeypatch):
    """The test starts with no language chosen and no MICROGRAD_LANG, and leaves none behind."""
    import micrograd
    monkeypatch.delenv('MICROGRAD_LANG', raising=False)
    micrograd.set_language(None)
    yield
    micrograd.set_language(None)
