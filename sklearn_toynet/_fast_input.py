"""The common case of prediction input, checked in a few microseconds.

scikit-learn's ``validate_data`` handles every kind of input (lists, sparse
matrices, dataframes found through narwhals, array-API namespaces) and costs
tens of microseconds per call, most of a one-row prediction. A C- or
F-ordered float ndarray needs only the checks below; anything else, or
anything that fails them, takes ``validate_data``, which then raises (or
warns) exactly as it always does. Same result either way: the tests compare
the two paths. A classifier's ``partial_fit`` adds the targets' own fast
check (``ClassTargets.encode_fast``).
"""

import numpy as np
from sklearn import get_config

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


def fast_validated(X, n_features):
    """``X`` itself when it passes the fast checks, else None.

    The checks: a 2-D float ndarray (its exact type: a subclass takes the
    general path) with at least one row and ``n_features`` columns, and
    (unless ``assume_finite`` is set) a finite sum, which a NaN or an infinity
    makes NaN or infinite. A sum that overflows on finite data also falls
    back, to the general path's own handling. The estimator decides first
    whether its fitted state allows the fast path (``BaseToyNet._fast_input``).
    """
    if (
        type(X) is not np.ndarray
        or X.ndim != 2
        or X.dtype not in _FLOATS
        or X.shape[0] < 1
        or X.shape[1] != n_features
    ):
        return None
    if not get_config()["assume_finite"]:
        with np.errstate(over="ignore", invalid="ignore"):
            if not np.isfinite(X.sum()):
                return None
    return X
