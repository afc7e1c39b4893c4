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
"""

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_blas():
    with threadpool_limits(limits=1, user_api="blas"):
        yield
