"""Shared test setup: single-threaded BLAS; scipy's array API support on.
The tests train many tiny networks. Threaded OpenBLAS makes each small product
(and each step of scipy's L-BFGS-B) pay a thread hand-off that costs far more
than the arithmetic: on a busy two-core machine the suite ran about 4x slower.
One thread also makes every reduction's rounding the same from run to run, which
the exact-equality tests (same random_state, same weights) rely on.

scikit-learn's array API dispatch (``tests/test_array_api.py``, the estimator
checks' array API checks) needs ``SCIPY_ARRAY_API=1``, which scipy reads once,
when it is first imported: this file is loaded before any test module
imports scipy, so it sets it here and ``python -m pytest`` needs nothing else.

``pytest -m "not slow"`` (the inner loop) does not import the test modules
that are slow as a whole (``pytestmark = pytest.mark.slow``): importing MLflow
and dask would cost every run, and every xdist worker, a few seconds for
tests that are deselected anyway.
"""

import os
import re

# Before anything that may import scipy, which reads it once, at import.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_blas():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# A module's own line marking every test in it slow.
_SLOW_MODULE = re.compile(r"^pytestmark = pytest\.mark\.slow\b", re.MULTILINE)


def pytest_ignore_collect(collection_path, config):
    """Skip importing an all-slow test module when the run deselects slow tests."""
    if config.getoption("markexpr", "").replace(" ", "") != "notslow":
        return None  # let pytest decide
    if collection_path.suffix != ".py" or not collection_path.name.startswith("test_"):
        return None
    if _SLOW_MODULE.search(collection_path.read_text(encoding="utf-8")):
        return True
    return None
