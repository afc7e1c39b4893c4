"""Shared test setup: single-threaded BLAS.

The tests train many tiny networks. Threaded OpenBLAS makes each small product
(and each step of scipy's L-BFGS-B) pay a thread hand-off that costs far more
than the arithmetic: on a busy two-core machine the suite ran about 4x slower.
One thread also makes every reduction's rounding the same from run to run, which
the exact-equality tests (same random_state, same weights) rely on.
"""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_blas():
    with threadpool_limits(limits=1, user_api="blas"):
        yield
