"""The tabular pair on other array libraries, under scikit-learn's array_api_dispatch.

A numeric array of another library is encoded on the host, moved back, and
trains on its device: the model is the NumPy fit's (to rounding), its fitted
arrays and outputs in the input's namespace, as the drop-ins'
(``test_array_api.py``).
"""

import numpy as np
import pytest
import sklearn
from _array_api_helpers import NAMESPACES, on
from sklearn.utils._array_api import get_namespace

from sklearn_toynet._array_api import to_numpy

from _tabular_helpers import SMALL, estimator_and_targets, outputs, table

TOLERANCE = {np.float64: 1e-10, np.float32: 1e-5}


def numbers(n=120, dtype=np.float64):
    """A numeric array of ``table``'s numbers, and the table for its targets."""
    X = table(n, gaps=False)
    return X[["size", "count"]].to_numpy(dtype=dtype), X


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_a_numeric_array_trains_on_its_library_as_numpy(kind, dtype, name):
    X, frame = numbers(dtype=dtype)
    est, y = estimator_and_targets(kind, frame)
    est.fit(X, y)  # with the default early stopping's split: 120 rows
    assert est.validation_scores_ is not None
    other, _ = estimator_and_targets(kind, frame)
    with sklearn.config_context(array_api_dispatch=True):
        X_xp = on(name, X)
        other.fit(X_xp, on(name, y))
        P = outputs(other, X_xp)
        xp, _ = get_namespace(X_xp)
        assert get_namespace(P)[0] is xp
        assert get_namespace(other.coefs_[0])[0] is xp
    assert P.dtype == X_xp.dtype
    np.testing.assert_allclose(
        to_numpy(P), outputs(est, X), rtol=0, atol=TOLERANCE[dtype]
    )
    # The validation losses, computed in the arrays' own dtype by either library.
    np.testing.assert_allclose(
        other.validation_scores_, est.validation_scores_, rtol=TOLERANCE[dtype]
    )


@pytest.mark.parametrize("name", NAMESPACES)
def test_a_weighted_regression_on_another_library_is_numpys(name):
    X, frame = numbers()
    est, y = estimator_and_targets("regressor", frame)
    y = 100.0 * y + 7.0  # standardized with the weights
    weights = np.random.default_rng(0).integers(1, 5, len(y)).astype(float)
    est.fit(X, y, sample_weight=weights)
    other, _ = estimator_and_targets("regressor", frame)
    with sklearn.config_context(array_api_dispatch=True):
        other.fit(on(name, X), on(name, y), sample_weight=on(name, weights))
        P = to_numpy(other.predict(on(name, X)))
    np.testing.assert_allclose(P, est.predict(X), rtol=1e-10)


@pytest.mark.parametrize("name", NAMESPACES)
def test_partial_fit_on_another_library_continues_as_numpy(name):
    X, frame = numbers()
    est, y = estimator_and_targets("classifier", frame)
    other, _ = estimator_and_targets("classifier", frame)
    for _ in range(2):
        est.partial_fit(X, y, classes=[0, 1])
    with sklearn.config_context(array_api_dispatch=True):
        X_xp, y_xp = on(name, X), on(name, y)
        for _ in range(2):
            other.partial_fit(X_xp, y_xp, classes=on(name, [0, 1]))
        P = to_numpy(other.predict_proba(X_xp))
    np.testing.assert_allclose(P, est.predict_proba(X), rtol=0, atol=1e-10)
    assert SMALL["max_iter"] > other.n_iter_ == 1
