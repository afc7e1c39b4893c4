"""MLP's own tests of fitting and predicting, ported to run on ToyNet too.

Ported from scikit-learn's ``neural_network/tests/test_mlp.py`` (1.9), each test
parametrized over MLP's estimator and ToyNet's (a test that fails only for
ToyNet is a drop-in incompatibility): L-BFGS classification and regression (with
``max_fun``), the L2 penalty, multilabel and multioutput targets, probabilities,
shuffling, sparse input and the Poisson loss. ``test_mlp_vs_poisson_glm_equivalent``
runs seeds 0 and 1 instead of scikit-learn's ``global_random_seed`` fixture. Not
ported, because they reach into MLP's private internals: ``test_fit`` (sets
``_coef_grads``, ``_intercept_velocity`` and other private solver state by hand
to replay a worked example of one step) and ``test_gradient`` (calls
``MLPClassifier._loss_grad_lbfgs``; ToyNet's gradients are checked against
finite differences in the ``test_gradients_*.py`` modules instead).
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_multilabel_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import PoissonRegressor
from sklearn.metrics import roc_auc_score

from _helpers import quiet_fit
from _mlp_helpers import (
    ACTIVATION_TYPES,
    CLASSIFIERS,
    REGRESSORS,
    X_digits_binary,
    X_digits_multi,
    X_reg,
    classification_datasets,
    y_digits_binary,
    y_digits_multi,
    y_reg,
)


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_alpha(Estimator):
    # Larger alpha yields weights closer to zero.
    X = X_digits_binary[:100]
    y = y_digits_binary[:100]
    alpha_vectors = []
    for alpha in [0, 1]:
        mlp = Estimator(hidden_layer_sizes=10, alpha=alpha, random_state=1)
        quiet_fit(mlp, X, y)
        alpha_vectors.append(
            np.array([np.abs(mlp.coefs_[0]).sum(), np.abs(mlp.coefs_[1]).sum()])
        )
    assert (alpha_vectors[0] > alpha_vectors[1]).all()


@pytest.mark.parametrize("X, y", classification_datasets)
@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_lbfgs_classification(Estimator, X, y):
    X_train, y_train, X_test = X[:150], y[:150], X[150:]
    expected_shape_dtype = (X_test.shape[0], y_train.dtype.kind)
    for activation in ACTIVATION_TYPES:
        mlp = Estimator(
            solver="lbfgs",
            hidden_layer_sizes=50,
            max_iter=150,
            shuffle=True,
            random_state=1,
            activation=activation,
        )
        mlp.fit(X_train, y_train)
        y_predict = mlp.predict(X_test)
        assert mlp.score(X_train, y_train) > 0.95
        assert (y_predict.shape[0], y_predict.dtype.kind) == expected_shape_dtype


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_lbfgs_regression(Estimator):
    for activation in ACTIVATION_TYPES:
        mlp = Estimator(
            solver="lbfgs",
            hidden_layer_sizes=50,
            max_iter=200,
            tol=1e-3,
            shuffle=True,
            random_state=1,
            activation=activation,
        )
        quiet_fit(mlp, X_reg, y_reg)
        if activation == "identity":
            assert mlp.score(X_reg, y_reg) > 0.80
        else:
            # Non-linear models perform much better than a linear bottleneck.
            assert mlp.score(X_reg, y_reg) > 0.98


@pytest.mark.parametrize("X, y", classification_datasets)
@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_lbfgs_classification_maxfun(Estimator, X, y):
    max_fun = 10
    for activation in ACTIVATION_TYPES:
        mlp = Estimator(
            solver="lbfgs",
            hidden_layer_sizes=50,
            max_iter=150,
            max_fun=max_fun,
            shuffle=True,
            random_state=1,
            activation=activation,
        )
        with pytest.warns(ConvergenceWarning):
            mlp.fit(X, y)
        assert max_fun >= mlp.n_iter_


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_lbfgs_regression_maxfun(Estimator):
    max_fun = 10
    for activation in ACTIVATION_TYPES:
        mlp = Estimator(
            solver="lbfgs",
            hidden_layer_sizes=50,
            tol=0.0,
            max_iter=150,
            max_fun=max_fun,
            shuffle=True,
            random_state=1,
            activation=activation,
        )
        with pytest.warns(ConvergenceWarning):
            mlp.fit(X_reg, y_reg)
        assert max_fun >= mlp.n_iter_


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_multilabel_classification(Estimator):
    X, y = make_multilabel_classification(
        n_samples=50, random_state=0, return_indicator=True
    )
    mlp = Estimator(
        solver="lbfgs",
        hidden_layer_sizes=50,
        alpha=1e-5,
        max_iter=150,
        random_state=0,
        activation="logistic",
        learning_rate_init=0.2,
    )
    quiet_fit(mlp, X, y)
    assert mlp.score(X, y) > 0.97

    mlp = Estimator(
        solver="sgd",
        hidden_layer_sizes=50,
        max_iter=150,
        random_state=0,
        activation="logistic",
        alpha=1e-5,
        learning_rate_init=0.2,
    )
    for _ in range(100):
        mlp.partial_fit(X, y, classes=[0, 1, 2, 3, 4])
    assert mlp.score(X, y) > 0.9

    # Early stopping still works: the split is not stratified for multilabel.
    quiet_fit(Estimator(early_stopping=True), X, y).predict(X)


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_multioutput_regression(Estimator):
    X, y = make_regression(n_samples=200, n_targets=5, random_state=11)
    mlp = Estimator(
        solver="lbfgs", hidden_layer_sizes=50, max_iter=200, tol=1e-2, random_state=1
    )
    quiet_fit(mlp, X, y)
    assert mlp.score(X, y) > 0.9


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_predict_proba_binary(Estimator):
    X = X_digits_binary[:50]
    y = y_digits_binary[:50]
    clf = quiet_fit(
        Estimator(hidden_layer_sizes=5, activation="logistic", random_state=1), X, y
    )
    y_proba = clf.predict_proba(X)
    y_log_proba = clf.predict_log_proba(X)
    assert y_proba.shape == (y.shape[0], 2)
    np.testing.assert_array_equal(y_proba.argmax(axis=1), y_log_proba.argmax(axis=1))
    np.testing.assert_allclose(y_log_proba, np.log(y_proba))
    assert roc_auc_score(y, y_proba[:, 1]) == 1.0


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_predict_proba_multiclass(Estimator):
    X = X_digits_multi[:10]
    y = y_digits_multi[:10]
    clf = quiet_fit(Estimator(hidden_layer_sizes=5), X, y)
    y_proba = clf.predict_proba(X)
    y_log_proba = clf.predict_log_proba(X)
    assert y_proba.shape == (y.shape[0], np.unique(y).size)
    np.testing.assert_array_equal(y_proba.argmax(axis=1), y_log_proba.argmax(axis=1))
    np.testing.assert_allclose(y_log_proba, np.log(y_proba))


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_predict_proba_multilabel(Estimator):
    X, Y = make_multilabel_classification(
        n_samples=50, random_state=0, return_indicator=True
    )
    n_samples, n_classes = Y.shape
    clf = quiet_fit(
        Estimator(solver="lbfgs", hidden_layer_sizes=30, random_state=0), X, Y
    )
    y_proba = clf.predict_proba(X)
    assert y_proba.shape == (n_samples, n_classes)
    np.testing.assert_array_equal(y_proba > 0.5, Y)
    y_log_proba = clf.predict_log_proba(X)
    # Independent sigmoids, not a softmax: rows do not sum to 1.
    assert (y_proba.sum(1) - 1).dot(y_proba.sum(1) - 1) > 1e-10
    np.testing.assert_array_equal(y_proba.argmax(axis=1), y_log_proba.argmax(axis=1))
    np.testing.assert_allclose(y_log_proba, np.log(y_proba))


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_shuffle(Estimator):
    X, y = make_regression(n_samples=50, n_features=5, n_targets=1, random_state=0)

    def fit(shuffle):
        return quiet_fit(
            Estimator(
                hidden_layer_sizes=1,
                max_iter=1,
                batch_size=1,
                random_state=0,
                shuffle=shuffle,
            ),
            X,
            y,
        )

    for shuffle in [True, False]:
        assert np.array_equal(fit(shuffle).coefs_[0], fit(shuffle).coefs_[0])
    assert not np.array_equal(fit(True).coefs_[0], fit(False).coefs_[0])


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_sparse_matrices(Estimator):
    X = X_digits_binary[:50]
    y = y_digits_binary[:50]
    X_sparse = sp.csr_matrix(X)
    mlp = Estimator(solver="lbfgs", hidden_layer_sizes=15, random_state=1)
    quiet_fit(mlp, X, y)
    pred1 = mlp.predict(X)
    quiet_fit(mlp, X_sparse, y)
    pred2 = mlp.predict(X_sparse)
    np.testing.assert_array_almost_equal(pred1, pred2)
    np.testing.assert_array_equal(mlp.predict(X), mlp.predict(X_sparse))


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_vs_poisson_glm_equivalent(Estimator, seed):
    n = 100
    rng = np.random.default_rng(seed)
    X = np.linspace(0, 1, n)
    y = rng.poisson(np.exp(X + 1))
    X = X.reshape(n, -1)
    glm = PoissonRegressor(alpha=0, tol=1e-7).fit(X, y)
    params = dict(
        hidden_layer_sizes=(1,),
        activation="identity",
        alpha=0,
        solver="lbfgs",
        tol=1e-7,
        random_state=np.random.RandomState(seed + 1),
    )
    mlp = Estimator(loss="poisson", **params).fit(X, y)
    np.testing.assert_allclose(mlp.predict(X), glm.predict(X), rtol=1e-4)
    params["random_state"] = np.random.RandomState(seed + 1)
    mlp = Estimator(loss="squared_error", **params).fit(X, y)
    assert not np.allclose(mlp.predict(X), glm.predict(X), rtol=1e-4)
