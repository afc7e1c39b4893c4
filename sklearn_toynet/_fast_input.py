"""The common case of prediction input, checked in a few microseconds.

scikit-learn's ``validate_data`` handles every kind of input (lists, sparse
matrices, dataframes found through narwhals, array-API namespaces) and costs
tens of microseconds per call, most of a one-row prediction. A C- or
F-ordered float ndarray needs only the checks below; anything else, or
anything that fails them, takes ``validate_data``, which then raises (or
warns) exactly as it always does. Same result either way: the tests compare
the two paths. ``fast_targets`` does the same for a classifier's
``partial_fit``.
"""

import numpy as np
from sklearn import get_config

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


def fast_validated(est, X):
    """``X`` itself when it passes the fast checks, else None.

    The checks: a fitted estimator without feature names (those decide
    warnings), a plain 2-D float ndarray with at least one row and the fitted
    number of features, and (unless ``assume_finite`` is set) a finite sum,
    which a NaN or an infinity makes NaN or infinite. A sum that overflows on
    finite data also falls back, to the general path's own handling.
    """
    params = vars(est)
    if (
        type(X) is not np.ndarray
        or X.ndim != 2
        or X.dtype not in _FLOATS
        or "coefs_" not in params
        or "feature_names_in_" in params
        or X.shape[0] < 1
        or X.shape[1] != params.get("n_features_in_")
    ):
        return None
    if not get_config()["assume_finite"]:
        with np.errstate(over="ignore", invalid="ignore"):
            if not np.isfinite(X.sum()):
                return None
    return X


def fast_targets(est, X, y):
    """``(X, Y)`` of a ``partial_fit`` on plain arrays of known labels, or None.

    The general path's checks, cut to what a float ndarray ``X`` and a 1-D
    integer or string ndarray ``y`` of fitted classes need (a few
    microseconds, against most of a small call). Anything else, and every
    error, takes the general path, which raises and warns as it always does.
    """
    classes = est.classes_
    if (
        type(y) is not np.ndarray
        or y.ndim != 1
        or y.shape[0] != getattr(X, "shape", (None,))[0]
        or y.dtype.kind not in "iuU"
        or y.dtype.kind != classes.dtype.kind
        or est._label_binarizer.y_type_ == "multilabel-indicator"
    ):
        return None
    X = fast_validated(est, X)
    if X is None:
        return None
    index = np.minimum(np.searchsorted(classes, y), len(classes) - 1)
    if not np.array_equal(classes[index], y):
        return None
    return X, est._one_hot(index, X.dtype)
