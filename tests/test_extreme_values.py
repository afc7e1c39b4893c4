"""Extreme numbers stay finite and quiet; divergence is an error, never NaN.

pyproject turns every RuntimeWarning into an error, so each test here also
checks that no numpy overflow/invalid/divide warning escapes.
"""

import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._activations import ACTIVATIONS
from sklearn_toynet._losses import LOSSES
from sklearn_toynet._optimizers import clip_grad_norm
from sklearn_toynet._stopping import check_not_exploding

RNG = np.random.RandomState(0)
X = RNG.normal(size=(60, 3))
Y3 = np.arange(60) % 3
TARGETS = {"binary": Y3 % 2, "multiclass": Y3, "multilabel": np.c_[Y3 % 2, Y3 // 2]}

BIG = np.finfo(np.float64).max
EXTREME_ROWS = np.array(
    [
        [1e300, -1e300, 1e300],
        [1e300, 1e300, 1e300],
        [-1e300, -1e300, -1e300],
        [1e-300, -1e-300, 5e-324],
        [BIG, BIG, BIG],
        [-BIG, BIG, 0.0],
        [1.0, 2.0, 3.0],
    ]
)
# Either divergence error: weights that overflowed (MLPClassifier's message), or a
# loss that exploded while the weights were still finite.
DIVERGED = "non-finite parameter weights|training loss exploded"


def quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


def as_dtype(rows, dtype):
    limit = np.finfo(dtype).max
    return np.clip(rows, -limit, limit).astype(dtype)


def assert_probabilities(proba, n_rows, n_columns, *, rows_sum_to_one=True):
    assert proba.shape == (n_rows, n_columns)
    assert np.isfinite(proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    if rows_sum_to_one:
        atol = 1e-5 if proba.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=0, atol=atol)


# -- predicting on extreme inputs ---------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("activation", ["relu", "logistic", "tanh", "identity"])
@pytest.mark.parametrize("target", TARGETS)
def test_predict_on_extreme_inputs_is_finite(target, activation, batch_norm, dtype):
    y = TARGETS[target]
    clf = ToyNetClassifier(
        hidden_layer_sizes=(6, 4),
        activation=activation,
        batch_norm=batch_norm,
        max_iter=5,
        random_state=0,
    )
    quiet_fit(clf, X.astype(dtype), y)
    rows = as_dtype(EXTREME_ROWS, dtype)
    proba = clf.predict_proba(rows)
    assert proba.dtype == dtype
    n_columns = y.shape[1] if y.ndim == 2 else len(clf.classes_)
    assert_probabilities(
        proba, len(rows), n_columns, rows_sum_to_one=target != "multilabel"
    )
    log_proba = clf.predict_log_proba(rows)
    assert not np.isnan(log_proba).any() and (log_proba <= 0).all()
    pred = clf.predict(rows)
    if target == "multilabel":
        assert set(np.unique(pred)) <= {0, 1}
    else:
        assert set(pred) <= set(clf.classes_)
    # Ordinary rows predict as they do alone: the fallback touches only overflow.
    rtol = 1e-5 if dtype == np.float32 else 1e-12  # BLAS sums by batch shape
    np.testing.assert_allclose(proba[-1:], clf.predict_proba(rows[-1:]), rtol=rtol)


@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_regressor_predicts_finite_values_on_extreme_inputs(loss, activation):
    reg = ToyNetRegressor(
        hidden_layer_sizes=(6, 4), activation=activation, loss=loss, max_iter=5
    )
    quiet_fit(reg, X, np.abs(X[:, 0]))
    pred = reg.predict(EXTREME_ROWS)
    assert pred.shape == (len(EXTREME_ROWS),)
    assert np.isfinite(pred).all()


def test_chunked_prediction_handles_overflowing_rows():
    # More rows than one prediction chunk (8192), overflowing rows in several.
    clf = ToyNetClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    quiet_fit(clf, X, Y3)
    rows = np.tile(X, (150, 1))[:9000]
    rows[::1000] = EXTREME_ROWS[5]
    proba = clf.predict_proba(rows)
    assert_probabilities(proba, 9000, 3)
    ordinary = np.ones(9000, dtype=bool)
    ordinary[::1000] = False
    np.testing.assert_allclose(
        proba[ordinary], clf.predict_proba(rows[ordinary]), rtol=1e-12
    )


def test_huge_logits_give_saturated_finite_probabilities():
    clf = ToyNetClassifier(hidden_layer_sizes=(4,), solver="lbfgs", random_state=0)
    clf.fit(X, Y3)
    clf.coefs_[-1] *= 1e30  # logits of order 1e30
    clf.intercepts_[-1] *= 1e30
    proba = clf.predict_proba(X)
    assert_probabilities(proba, len(X), 3)
    assert set(np.unique(proba)) <= {0.0, 1.0}  # saturated, not NaN
    np.testing.assert_array_equal(proba.argmax(axis=1), clf.predict(X))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_output_activations_and_losses_at_extreme_logits(dtype):
    Z = np.array([[1e30, -1e30, 0.0], [-1e30, -1e30, -1e30], [1e38, -1e38, 1.0]])
    Z = Z.astype(dtype)
    P = ACTIVATIONS["softmax"](Z.copy())
    assert_probabilities(P, 3, 3)
    S = ACTIVATIONS["logistic"](Z.copy())
    assert np.isfinite(S).all() and ((S >= 0) & (S <= 1)).all()
    E = ACTIVATIONS["exp"](Z.copy())
    assert np.isfinite(E).all()
    onehot = np.eye(3, dtype=dtype)
    for name, Y, P_ in [
        ("log_loss", onehot, S),
        ("categorical_log_loss", onehot, P),
        ("squared_error", onehot, P),
        ("poisson", np.abs(onehot), E),
    ]:
        assert np.isfinite(LOSSES[name](Y, P_, P_ - Y)).all(), name


# -- fitting on extreme inputs ------------------------------------------------------


@pytest.mark.parametrize("scale", [1e300, 1e150, 1e-300])
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("activation", ["relu", "logistic"])
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


# -- divergence -------------------------------------------------------------------


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("Est", [ToyNetClassifier, ToyNetRegressor])
def test_blown_up_learning_rate_raises_naming_it(Est, batch_norm):
    est = Est(
        hidden_layer_sizes=(8,),
        solver="sgd",
        learning_rate_init=1e30,
        batch_norm=batch_norm,
        max_iter=20,
        random_state=0,
    )
    y = Y3 if Est is ToyNetClassifier else X[:, 0]
    with pytest.raises(ValueError, match=DIVERGED) as error:
        quiet_fit(est, X, y)
    assert "learning_rate_init=1e+30 is too large" in str(error.value)
    assert "max_grad_norm" in str(error.value)
    assert not hasattr(est, "coefs_")


def test_max_grad_norm_tames_the_same_learning_rate():
    # The remedy the message names works: clipped steps stay finite.
    reg = ToyNetRegressor(
        hidden_layer_sizes=(8,),
        solver="sgd",
        learning_rate_init=10.0,
        momentum=0.0,
        max_grad_norm=0.01,
        max_iter=20,
        random_state=0,
    )
    quiet_fit(reg, X, X[:, 0])
    assert np.isfinite(reg.predict(X)).all()
    with pytest.raises(ValueError, match="learning_rate_init=10.0 is too large"):
        quiet_fit(reg.set_params(max_grad_norm=None), X, X[:, 0] * 1e3)


def test_lbfgs_divergence_message_blames_the_data_not_a_learning_rate():
    reg = ToyNetRegressor(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
    with pytest.raises(ValueError, match=DIVERGED) as error:
        quiet_fit(reg, X, X[:, 0] * 1e300)
    assert "preprocessed" in str(error.value)
    assert "learning_rate_init" not in str(error.value)


@pytest.mark.parametrize("learning_rate_init", [1e2, 1e8, 1e30, 1e300])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("Est", [ToyNetClassifier, ToyNetRegressor])
def test_large_learning_rates_never_leave_a_nan_model(Est, solver, learning_rate_init):
    est = Est(
        hidden_layer_sizes=(8,),
        solver=solver,
        learning_rate_init=learning_rate_init,
        max_iter=10,
        random_state=0,
    )
    y = Y3 if Est is ToyNetClassifier else X[:, 0]
    try:
        quiet_fit(est, X, y)
    except ValueError as error:
        assert re.search(DIVERGED, str(error))
        return
    assert np.isfinite(est.predict(X)).all()
    if Est is ToyNetClassifier:
        assert_probabilities(est.predict_proba(X), len(X), 3)


def test_loss_that_explodes_with_finite_weights_raises():
    # Weights of 1e60 are finite, but no model is left to use: say so, don't
    # stop on "no improvement" with garbage weights.
    rng = np.random.RandomState(0)
    X, y = rng.uniform(0, 1e3, (50, 3)), np.arange(50) % 2
    clf = ToyNetClassifier(solver="sgd", learning_rate_init=1e6, max_iter=50)
    with pytest.raises(ValueError, match="training loss exploded.*learning_rate_init"):
        quiet_fit(clf, X, y)


def test_loss_rising_from_near_zero_is_not_called_an_explosion():
    # A fit whose first epoch is almost perfect (loss 1e-12) may wobble to 1e-3:
    # a millionfold rise, but nothing like divergence.
    est = ToyNetRegressor(learning_rate_init=0.1)
    check_not_exploding(est, {"loss_curve_": [1e-12]}, 1e-3)
    with pytest.raises(ValueError, match="exploded from 0.5 to 1e\\+07"):
        check_not_exploding(est, {"loss_curve_": [0.5]}, 1e7)


def test_clipping_scales_down_gradients_whose_squares_overflow():
    grads = [np.array([3e200, -4e200]), np.array([[0.0, 1e180]])]
    norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5e200)
    flat = np.concatenate([g.ravel() for g in grads])
    assert np.isfinite(flat).all()
    assert np.linalg.norm(flat) == pytest.approx(1.0)
