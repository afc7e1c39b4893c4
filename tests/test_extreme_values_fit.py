"""Fitting on extreme numbers stays finite and quiet, or raises the divergence error.

Inputs scaled by 1e300 or 1e-300, 300 classes of two rows each and a ten-layer
logistic stack train to a model with finite probabilities, or refuse with the
divergence error and no model, never NaN. pyproject turns every RuntimeWarning
into an error, so each test here also checks that no numpy overflow/invalid/divide
warning escapes.
"""

import re

import numpy as np
import pytest
from sklearn.datasets import make_classification

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._activations import HIDDEN_ACTIVATIONS

from _extreme_helpers import DIVERGED, EXTREME_ROWS, Y3, X, assert_probabilities
from _helpers import quiet_fit

# -- fitting on extreme inputs ------------------------------------------------------


@pytest.mark.parametrize("scale", [1e300, 1e150, 1e-300])
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_fit_on_extreme_inputs_raises_or_stays_finite(
    activation, solver, batch_norm, scale
):
    clf = ToyNetClassifier(
        hidden_layer_sizes=(5,),
        activation=activation,
        solver=solver,
        batch_norm=batch_norm,
        max_iter=5,
        random_state=0,
    )
    try:
        quiet_fit(clf, X * scale, Y3)
    except ValueError as error:
        assert re.search(DIVERGED, str(error))
        assert scale > 1  # tiny inputs never diverge
        assert not hasattr(clf, "coefs_")
        return
    for rows in (X * scale, X, EXTREME_ROWS):
        assert_probabilities(clf.predict_proba(rows), len(rows), 3)
    assert np.isfinite(clf.loss_)


def test_lbfgs_with_batch_norm_refuses_overflowing_statistics():
    # The running variance of 1e300-sized pre-activations is inf: adopting it made
    # every prediction NaN. It must count as divergence.
    clf = ToyNetClassifier(
        hidden_layer_sizes=(5,), solver="lbfgs", batch_norm=True, random_state=0
    )
    with pytest.raises(ValueError, match=DIVERGED):
        quiet_fit(clf, X * 1e300, Y3)


def test_300_classes_with_two_rows_each():
    X_many, y_many = make_classification(
        n_samples=600,
        n_features=20,
        n_informative=15,
        n_classes=300,
        n_clusters_per_class=1,
        random_state=0,
    )
    for solver in ("adam", "lbfgs"):
        clf = ToyNetClassifier(
            hidden_layer_sizes=(32,), solver=solver, max_iter=20, random_state=0
        )
        quiet_fit(clf, X_many, y_many)
        assert clf.n_outputs_ == 300
        proba = clf.predict_proba(X_many)
        assert_probabilities(proba, 600, 300)
        assert set(clf.predict(X_many)) <= set(range(300))
        assert np.isfinite(clf.loss_curve_).all()


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_ten_layer_logistic_stack(solver, batch_norm):
    clf = ToyNetClassifier(
        hidden_layer_sizes=(8,) * 10,
        activation="logistic",
        solver=solver,
        batch_norm=batch_norm,
        max_iter=30,
        random_state=0,
    )
    quiet_fit(clf, X, Y3)
    assert clf.n_layers_ == 12
    assert np.isfinite(clf.loss_curve_).all()
    assert all(np.isfinite(W).all() for W in clf.coefs_)
    for rows in (X, X * 1e300, EXTREME_ROWS):
        assert_probabilities(clf.predict_proba(rows), len(rows), 3)


def test_float32_inputs_near_the_float32_limit():
    clf = ToyNetClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    quiet_fit(clf, X.astype(np.float32), Y3)
    rows = np.array([[3e38, -3e38, 3e38], [3e38, 3e38, 3e38]], dtype=np.float32)
    proba = clf.predict_proba(np.tile(rows, (50, 1)))
    assert proba.dtype == np.float32
    assert_probabilities(proba, 100, 3)
    # float64 inputs beyond float32's range, for a float32 model, too.
    assert_probabilities(clf.predict_proba(EXTREME_ROWS), len(EXTREME_ROWS), 3)


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("loss", ["absolute_error", "huber", "quantile"])
def test_robust_losses_on_huge_targets_stay_finite(loss, solver):
    # Their gradients are bounded, so targets of 1e300 give steps of ordinary
    # size and a loss of order 1e300, never inf or NaN.
    reg = ToyNetRegressor(loss, hidden_layer_sizes=(5,), solver=solver, max_iter=5)
    quiet_fit(reg, X, X[:, 0] * 1e300)
    assert np.isfinite(reg.loss_) and reg.loss_ > 1e299
    assert np.isfinite(reg.predict(EXTREME_ROWS)).all()
