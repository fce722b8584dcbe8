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
