"""MLP's own tests of input dtypes and feature names, ported to run on ToyNet too.

Ported from scikit-learn's ``neural_network/tests/test_mlp.py`` (1.9), each test
parametrized over MLP's estimator and ToyNet's (a test that fails only for
ToyNet is a drop-in incompatibility): float32 input trains float32 weights that
predict as the float64 model does, and early stopping on a DataFrame raises no
feature-name warning. Adapted: ``test_preserve_feature_names`` gives classifiers
two classes (see there).
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

from sklearn_toynet import ToyNetRegressor

from _helpers import quiet_fit
from _mlp_helpers import CLASSIFIERS, ESTIMATORS, REGRESSORS


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_mlp_classifier_dtypes_casting(Estimator):
    X, y = load_digits(n_class=2, return_X_y=True)
    params = dict(
        alpha=1e-5, hidden_layer_sizes=(5, 3), random_state=1, max_iter=100, tol=1e-1
    )
    mlp_64 = quiet_fit(Estimator(**params), X[:300], y[:300])
    mlp_32 = quiet_fit(Estimator(**params), X[:300].astype(np.float32), y[:300])
    np.testing.assert_array_equal(
        mlp_64.predict(X[300:]), mlp_32.predict(X[300:].astype(np.float32))
    )
    np.testing.assert_allclose(
        mlp_64.predict_proba(X[300:]),
        mlp_32.predict_proba(X[300:].astype(np.float32)),
        rtol=1e-2,
    )


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_regressor_dtypes_casting(Estimator):
    X, y = load_digits(n_class=2, return_X_y=True)
    params = dict(
        alpha=1e-5, hidden_layer_sizes=(5, 3), random_state=1, max_iter=150, tol=1e-3
    )
    mlp_64 = quiet_fit(Estimator(**params), X[:300], y[:300])
    mlp_32 = quiet_fit(Estimator(**params), X[:300].astype(np.float32), y[:300])
    np.testing.assert_allclose(
        mlp_64.predict(X[300:]), mlp_32.predict(X[300:].astype(np.float32)), rtol=5e-4
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_param_dtypes(dtype, Estimator):
    X, y = load_digits(n_class=2, return_X_y=True)
    X = X.astype(dtype)
    mlp = Estimator(
        alpha=1e-5, hidden_layer_sizes=(5, 3), random_state=1, max_iter=50, tol=1e-1
    )
    quiet_fit(mlp, X[:300], y[:300])
    pred = mlp.predict(X[300:])
    assert all(intercept.dtype == dtype for intercept in mlp.intercepts_)
    assert all(coef.dtype == dtype for coef in mlp.coefs_)
    if Estimator in (MLPRegressor, ToyNetRegressor):
        assert pred.dtype == dtype


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_preserve_feature_names(Estimator):
    # scikit-learn issue 24846: no feature-name warning with early stopping.
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = pd.DataFrame(data=rng.randn(10, 2), columns=["colname_a", "colname_b"])
    y = pd.Series(data=np.full(10, 1), name="colname_y")
    model = Estimator(early_stopping=True, validation_fraction=0.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
