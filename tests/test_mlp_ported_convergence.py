"""MLP's own tests of when and how training stops, ported to run on ToyNet too.

Ported from scikit-learn's ``neural_network/tests/test_mlp.py`` (1.9), each test
parametrized over MLP's estimator and ToyNet's (a test that fails only for
ToyNet is a drop-in incompatibility): tolerance, ``n_iter_no_change``, the
adaptive learning rate, early stopping (its stratified split, string labels,
sample weights, a validation set too small, a diverging loss), non-finite
weights and verbose output. ``test_adaptive_learning_rate`` and
``test_n_iter_no_change`` read ``_optimizer.learning_rate`` and
``_no_improvement_count``: ToyNet keeps both under MLP's names, so they are
ported as they are.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning

from _helpers import quiet_fit
from _mlp_helpers import (
    CLASSIFIERS,
    ESTIMATORS,
    REGRESSORS,
    X_digits_binary,
    X_iris,
    y_digits_binary,
    y_iris,
)


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_nonfinite_params(Estimator):
    rng = np.random.RandomState(0)
    n_samples = 10
    fmax = np.finfo(np.float64).max
    X = fmax * rng.uniform(size=(n_samples, 2))
    y = rng.standard_normal(size=n_samples)
    msg = (
        "Solver produced non-finite parameter weights. The input data may contain "
        "large values and need to be preprocessed"
    )
    with pytest.raises(ValueError, match=msg), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Estimator().fit(X, y)


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_tolerance(Estimator):
    clf = Estimator(tol=0.5, max_iter=3000, solver="sgd")
    clf.fit([[3, 2], [1, 6]], [1, 0])
    assert clf.max_iter > clf.n_iter_


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_verbose_sgd(Estimator, capsys):
    X = [[3, 2], [1, 6]]
    y = [1, 0]
    clf = Estimator(solver="sgd", max_iter=2, verbose=10, hidden_layer_sizes=2)
    quiet_fit(clf, X, y)
    clf.partial_fit(X, y)
    out, _ = capsys.readouterr()
    assert "Iteration" in out


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_early_stopping(Estimator):
    X = X_digits_binary[:100]
    y = y_digits_binary[:100]
    tol = 0.2
    mlp = Estimator(tol=tol, max_iter=3000, solver="sgd", early_stopping=True)
    mlp.fit(X, y)
    assert mlp.max_iter > mlp.n_iter_
    assert mlp.best_loss_ is None
    assert isinstance(mlp.validation_scores_, list)
    valid_scores = mlp.validation_scores_
    best_valid_score = mlp.best_validation_score_
    assert max(valid_scores) == best_valid_score
    assert best_valid_score + tol > valid_scores[-2]
    assert best_valid_score + tol > valid_scores[-1]

    mlp = Estimator(tol=tol, max_iter=3000, solver="sgd", early_stopping=False)
    mlp.fit(X, y)
    assert mlp.validation_scores_ is None
    assert mlp.best_validation_score_ is None
    assert mlp.best_loss_ is not None


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_adaptive_learning_rate(Estimator):
    clf = Estimator(tol=0.5, max_iter=3000, solver="sgd", learning_rate="adaptive")
    clf.fit([[3, 2], [1, 6]], [1, 0])
    assert clf.max_iter > clf.n_iter_
    assert clf._optimizer.learning_rate < 1e-6


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_n_iter_no_change(Estimator):
    X = X_digits_binary[:100]
    y = y_digits_binary[:100]
    for n_iter_no_change in [2, 5, 10, 50, 100]:
        clf = Estimator(
            tol=0.01, max_iter=3000, solver="sgd", n_iter_no_change=n_iter_no_change
        )
        clf.fit(X, y)
        assert clf._no_improvement_count == n_iter_no_change + 1
        assert clf.n_iter_ < 3000


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_n_iter_no_change_inf(Estimator):
    X = X_digits_binary[:100]
    y = y_digits_binary[:100]
    max_iter = 3000
    clf = Estimator(tol=1e9, max_iter=max_iter, solver="sgd", n_iter_no_change=np.inf)
    quiet_fit(clf, X, y)
    assert clf.n_iter_ == max_iter
    assert clf._no_improvement_count == clf.n_iter_ - 1


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_early_stopping_stratified(Estimator):
    X = [[1, 2], [2, 3], [3, 4], [4, 5]]
    y = [0, 0, 0, 1]
    with pytest.raises(ValueError, match="The least populated class"):
        Estimator(early_stopping=True).fit(X, y)


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_mlp_early_stopping_string_labels(Estimator):
    X, y = make_classification(
        n_samples=200, n_features=10, n_classes=3, n_informative=5, random_state=42
    )
    y = np.array(["class_a", "class_b", "class_c"], dtype=object)[y]
    mlp = quiet_fit(Estimator(early_stopping=True, max_iter=50, random_state=42), X, y)
    assert mlp.validation_scores_ is not None
    assert len(mlp.validation_scores_) == mlp.n_iter_
    assert np.isfinite(mlp.validation_scores_).all()


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_diverging_loss(Estimator):
    # scikit-learn issue 29504: divergence with early stopping raises no error
    # and records a NaN validation score.
    mlp = Estimator(
        hidden_layer_sizes=100,
        activation="identity",
        solver="sgd",
        alpha=0.0001,
        learning_rate="constant",
        learning_rate_init=1,
        shuffle=True,
        max_iter=20,
        early_stopping=True,
        n_iter_no_change=10,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X_iris, y_iris)
    assert str(mlp.validation_scores_[-1]) == str(np.nan)
    assert isinstance(mlp.validation_scores_[-1], float)


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_sample_weight_with_early_stopping(Estimator):
    X, y = make_regression(
        n_samples=100, n_features=2, n_informative=2, random_state=42
    )
    params = dict(
        hidden_layer_sizes=10,
        solver="adam",
        early_stopping=True,
        tol=1e-2,
        learning_rate_init=0.01,
        batch_size=10,
        random_state=42,
    )
    m1 = quiet_fit(Estimator(**params), X, y, sample_weight=np.ones_like(y))
    m2 = quiet_fit(Estimator(**params), X, y, sample_weight=None)
    np.testing.assert_allclose(m1.predict(X), m2.predict(X))


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_minimum_input_sample_size(Estimator):
    X, y = make_regression(n_samples=2, n_features=5, random_state=0)
    model = Estimator(early_stopping=True, random_state=0)
    with pytest.raises(ValueError, match="The validation set is too small"):
        model.fit(X, y)
