"""The divergence check on trained weights: exact for huge finite values too.

It tries a dot product first (no temporary array) and falls back to the
elementwise check when that is not finite, which finite weights beyond 1e154
also make it.
"""

import numpy as np
import pytest

from sklearn_toynet._stopping import _finite


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_huge_finite_weights_are_finite(dtype):
    big = np.finfo(dtype).max / 2
    assert _finite(np.array([big, -big, 1.0], dtype=dtype))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_or_infinite_weights_are_not_finite(bad, dtype):
    weights = np.ones(1000, dtype=dtype)
    weights[500] = bad
    assert not _finite(weights)
    weights[0] = np.finfo(dtype).max  # with an overflowing product as well
    assert not _finite(weights)
