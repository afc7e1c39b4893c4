"""MLP's own tests of ``warm_start``, ported to run on ToyNet too.

Ported from scikit-learn's ``neural_network/tests/test_mlp.py`` (1.9), each test
parametrized over MLP's estimator and ToyNet's (a test that fails only for
ToyNet is a drop-in incompatibility): a warm start keeps the classes, runs
``max_iter`` more epochs, continues the learning-rate schedule and the
early-stopping scores, and stops at ``max_iter``. ``test_learning_rate_warmstart``
reads ``_optimizer.learning_rate``: ToyNet keeps it under MLP's name, so it is
ported as it is.
"""

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from _helpers import quiet_fit
from _mlp_helpers import CLASSIFIERS, ESTIMATORS, X_iris, y_iris


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_learning_rate_warmstart(Estimator):
    X = [[3, 2], [1, 6], [5, 6], [-2, -4]]
    y = [1, 1, 1, 0]
    for learning_rate in ["invscaling", "constant"]:
        mlp = Estimator(
            solver="sgd",
            hidden_layer_sizes=4,
            learning_rate=learning_rate,
            max_iter=1,
            power_t=0.25,
            warm_start=True,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            mlp.fit(X, y)
            prev_eta = mlp._optimizer.learning_rate
            mlp.fit(X, y)
            post_eta = mlp._optimizer.learning_rate
        if learning_rate == "constant":
            assert prev_eta == post_eta
        else:
            assert mlp.learning_rate_init / pow(8 + 1, mlp.power_t) == post_eta


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_warm_start(Estimator):
    X, y = X_iris, y_iris
    y_2classes = np.array([0] * 75 + [1] * 75)
    y_3classes = np.array([0] * 40 + [1] * 40 + [2] * 70)
    y_3classes_alt = np.array([0] * 50 + [1] * 50 + [3] * 50)
    y_4classes = np.array([0] * 37 + [1] * 37 + [2] * 38 + [3] * 38)
    y_5classes = np.array([0] * 30 + [1] * 30 + [2] * 30 + [3] * 30 + [4] * 30)
    params = dict(
        hidden_layer_sizes=2, solver="lbfgs", warm_start=True, random_state=42, tol=1e-2
    )
    # No error raised.
    clf = quiet_fit(Estimator(**params), X, y)
    quiet_fit(clf, X, y)
    quiet_fit(clf, X, y_3classes)
    for y_i in (y_2classes, y_3classes_alt, y_4classes, y_5classes):
        clf = quiet_fit(Estimator(**params), X, y)
        message = (
            "warm_start can only be used where `y` has the same "
            "classes as in the previous call to fit."
            " Previously got [0 1 2], `y` has %s" % np.unique(y_i)
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            clf.fit(X, y_i)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_warm_start_full_iteration(Estimator):
    # scikit-learn issue 16812: a warm-started fit runs max_iter epochs.
    max_iter = 3
    clf = Estimator(
        hidden_layer_sizes=2, solver="sgd", warm_start=True, max_iter=max_iter
    )
    quiet_fit(clf, X_iris, y_iris)
    assert max_iter == clf.n_iter_
    quiet_fit(clf, X_iris, y_iris)
    assert max_iter == clf.n_iter_


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_warm_start_with_early_stopping(Estimator):
    mlp = Estimator(max_iter=10, random_state=0, warm_start=True, early_stopping=True)
    quiet_fit(mlp, X_iris, y_iris)
    n_validation_scores = len(mlp.validation_scores_)
    mlp.set_params(max_iter=20)
    quiet_fit(mlp, X_iris, y_iris)
    assert len(mlp.validation_scores_) > n_validation_scores


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_warm_start_no_convergence(Estimator, solver):
    # scikit-learn issue 24764: a warm-started fit stops at max_iter.
    model = Estimator(
        solver=solver,
        warm_start=True,
        early_stopping=False,
        max_iter=10,
        n_iter_no_change=np.inf,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning):
        model.fit(X_iris, y_iris)
    assert model.n_iter_ == 10
    model.set_params(max_iter=20)
    with pytest.warns(ConvergenceWarning):
        model.fit(X_iris, y_iris)
    assert model.n_iter_ == 20
