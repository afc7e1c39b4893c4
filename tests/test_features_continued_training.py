"""Continued training does what its name promises: ``partial_fit`` and ``warm_start``.

``partial_fit`` trains multilabel targets, thirty one-epoch calls being thirty
epochs of ``fit``; ``warm_start`` continues from the last fit (five epochs and
five more are ten), and without it a second fit starts over.
"""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _features_helpers import X_MOONS, Y_MOONS

# -- partial_fit ---------------------------------------------------------------------


def test_partial_fit_trains_multilabel_targets():
    X, Y = make_multilabel_classification(100, n_classes=4, random_state=0)
    params = dict(
        hidden_layer_sizes=(20,),
        solver="adam",
        learning_rate_init=0.01,
        random_state=0,
    )
    clf = ToyNetClassifier(**params)
    clf.partial_fit(X, Y, classes=[0, 1, 2, 3])
    first_loss = clf.loss_
    assert clf.out_activation_ == "logistic"
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2, 3])
    for _ in range(29):
        clf.partial_fit(X, Y)
    assert clf.loss_ < first_loss
    assert clf.predict(X).shape == Y.shape
    assert set(np.unique(clf.predict(X))) <= {0, 1}
    assert clf.predict_proba(X).shape == Y.shape
    # Thirty one-epoch calls are thirty epochs of fit.
    full = ToyNetClassifier(max_iter=30, tol=None, **params).fit(X, Y)
    for a, b in zip(full.coefs_, clf.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-10)


# -- warm start ---------------------------------------------------------------------


@pytest.mark.parametrize("Estimator", [ToyNetClassifier, ToyNetRegressor])
def test_warm_start_continues_training(Estimator):
    X, y = X_MOONS, Y_MOONS
    params = dict(
        hidden_layer_sizes=(8,),
        solver="sgd",
        momentum=0.0,
        learning_rate_init=0.1,
        tol=None,
        random_state=0,
    )
    warm = Estimator(warm_start=True, max_iter=5, **params).fit(X, y)
    first = [W.copy() for W in warm.coefs_]
    warm.fit(X, y)
    straight = Estimator(max_iter=10, **params).fit(X, y)
    # Five epochs, then five more from there, are ten epochs.
    for a, b in zip(
        warm.coefs_ + warm.intercepts_, straight.coefs_ + straight.intercepts_
    ):
        np.testing.assert_allclose(a, b, rtol=1e-10)
    assert len(warm.loss_curve_) == 10
    assert warm.loss_curve_ == pytest.approx(straight.loss_curve_, rel=1e-10)
    assert warm.t_ == straight.t_ == 10 * len(X)
    # As MLPClassifier, n_iter_ counts the epochs of the last call.
    assert warm.n_iter_ == 5
    # Without warm_start a second fit starts over.
    cold = Estimator(max_iter=5, **params).fit(X, y)
    cold.fit(X, y)
    for a, b in zip(cold.coefs_, first):
        np.testing.assert_array_equal(a, b)
