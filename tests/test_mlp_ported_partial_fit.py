"""MLP's own tests of ``partial_fit``, ported to run on ToyNet too.

Ported from scikit-learn's ``neural_network/tests/test_mlp.py`` (1.9), each test
parametrized over MLP's estimator and ToyNet's (a test that fails only for
ToyNet is a drop-in incompatibility): ``partial_fit`` matches ``fit``, checks its
classes, learns classes announced but not yet seen, continues a model loaded
with joblib, and refuses early stopping.
"""

import joblib
import numpy as np
import pytest

from _helpers import quiet_fit
from _mlp_helpers import (
    CLASSIFIERS,
    ESTIMATORS,
    REGRESSORS,
    X_iris,
    X_reg,
    classification_datasets,
    y_iris,
    y_reg,
)


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_classes_error(Estimator):
    clf = Estimator(solver="sgd")
    clf.partial_fit([[3, 2]], [0], classes=[0, 1])
    with pytest.raises(ValueError):
        clf.partial_fit([[3, 2]], [0], classes=[1, 2])


@pytest.mark.parametrize("X, y", classification_datasets)
@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_classification(Estimator, X, y):
    # partial_fit gives the same results as fit.
    mlp = Estimator(
        solver="sgd",
        max_iter=100,
        random_state=1,
        tol=0,
        alpha=1e-5,
        learning_rate_init=0.2,
    )
    quiet_fit(mlp, X, y)
    pred1 = mlp.predict(X)
    mlp = Estimator(solver="sgd", random_state=1, alpha=1e-5, learning_rate_init=0.2)
    for _ in range(100):
        mlp.partial_fit(X, y, classes=np.unique(y))
    pred2 = mlp.predict(X)
    np.testing.assert_array_equal(pred1, pred2)
    assert mlp.score(X, y) > 0.95


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_unseen_classes(Estimator):
    clf = Estimator(random_state=0)
    clf.partial_fit([[1], [2], [3]], ["a", "b", "c"], classes=["a", "b", "c", "d"])
    clf.partial_fit([[4]], ["d"])
    assert clf.score([[1], [2], [3], [4]], ["a", "b", "c", "d"]) > 0


@pytest.mark.parametrize("momentum", [0, 0.9])
@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_partial_fit_regression(Estimator, momentum):
    params = dict(
        solver="sgd",
        activation="relu",
        random_state=1,
        learning_rate_init=0.01,
        batch_size=X_reg.shape[0],
        momentum=momentum,
    )
    mlp = quiet_fit(Estimator(max_iter=100, **params), X_reg, y_reg)
    pred1 = mlp.predict(X_reg)
    mlp = Estimator(**params)
    for _ in range(100):
        mlp.partial_fit(X_reg, y_reg)
    pred2 = mlp.predict(X_reg)
    np.testing.assert_allclose(pred1, pred2)
    assert mlp.score(X_reg, y_reg) > 0.65


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_errors(Estimator):
    X = [[3, 2], [1, 6]]
    y = [1, 0]
    # classes that do not cover y
    with pytest.raises(ValueError):
        Estimator(solver="sgd").partial_fit(X, y, classes=[2])
    assert not hasattr(Estimator(solver="lbfgs"), "partial_fit")


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_loading_from_joblib_partial_fit(Estimator, tmp_path):
    # scikit-learn issue 19626: a loaded model's partial_fit updates the weights.
    est = Estimator(
        hidden_layer_sizes=(42,), random_state=42, learning_rate_init=0.01, max_iter=200
    )
    quiet_fit(est, [[2]], [4])
    pickled_file = tmp_path / "mlp.pkl"
    joblib.dump(est, pickled_file)
    loaded = joblib.load(pickled_file)
    for _ in range(200):
        loaded.partial_fit([[2]], [1])
    np.testing.assert_allclose(loaded.predict([[2]]), [1], rtol=1e-4)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_partial_fit_after_fit(Estimator):
    # scikit-learn issue 25693.
    mlp = quiet_fit(Estimator(early_stopping=True, random_state=0), X_iris, y_iris)
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        mlp.partial_fit(X_iris, y_iris)
