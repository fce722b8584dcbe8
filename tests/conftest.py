"""Fixtures shared by the test files."""
import gc

import pytest


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
