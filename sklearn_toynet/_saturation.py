"""Keeping a forward pass finite for inputs near the float limit.

``Network.forward(..., saturate=True)`` clips each layer's input so that no
pre-activation can pass a quarter of the dtype's largest value; prediction
computes again, this way, the rows whose ordinary pass overflowed.
"""

import numpy as np
import scipy.sparse as sp


def big(dtype):
    """A quarter of the dtype's largest value: sums of a few such stay finite."""
    return np.finfo(dtype).max / 4


def saturated(A, W):
    """``A`` clipped so that every entry of ``A @ W`` stays within ``big``."""
    bound = big(W.dtype) / (1 + float(np.abs(W).sum(axis=0).max(initial=0)))
    if sp.issparse(A):  # clip the stored values; zeros are within any bound
        A = A.copy()
        np.clip(A.data, -bound, bound, out=A.data)
        return A
    return np.clip(A, -bound, bound)


def clip_to_big(Z):
    """``Z`` clipped to within ``big`` in place: no sum of a few overflows."""
    np.clip(Z, -big(Z.dtype), big(Z.dtype), out=Z)
