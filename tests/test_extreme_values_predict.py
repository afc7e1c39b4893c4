"""Predicting on extreme numbers stays finite and quiet.

Inputs of 1e300 and float64's largest, logits of 1e30, float32 inputs near
float32's limit and chunked predictions give finite probabilities and
predictions, for every activation, target kind and dtype, with and without batch
normalization; the output activations and losses stay finite at extreme logits.
pyproject turns every RuntimeWarning into an error, so each test here also
checks that no numpy overflow/invalid/divide warning escapes.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from sklearn_toynet._losses import LOSSES

from _extreme_helpers import EXTREME_ROWS, TARGETS, Y3, X, assert_probabilities
from _helpers import quiet_fit


def as_dtype(rows, dtype):
    limit = np.finfo(dtype).max
    return np.clip(rows, -limit, limit).astype(dtype)


def fitted(y, activation, batch_norm, dtype):
    """A briefly trained two-hidden-layer classifier, in ``dtype``."""
    clf = ToyNetClassifier(
        hidden_layer_sizes=(6, 4),
        activation=activation,
        batch_norm=batch_norm,
        max_iter=5,
        random_state=0,
    )
    return quiet_fit(clf, X.astype(dtype), y)


# -- predicting on extreme inputs ---------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("target", TARGETS)
def test_predict_on_extreme_inputs_is_finite(target, activation, batch_norm, dtype):
    y = TARGETS[target]
    clf = fitted(y, activation, batch_norm, dtype)
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


@pytest.mark.parametrize(
    "loss", ["squared_error", "poisson", "absolute_error", "huber", "quantile"]
)
@pytest.mark.parametrize("activation", ["relu", "identity", "gelu", "softplus"])
def test_regressor_predicts_finite_values_on_extreme_inputs(loss, activation):
    reg = ToyNetRegressor(
        hidden_layer_sizes=(6, 4), activation=activation, loss=loss, max_iter=5
    )
    quiet_fit(reg, X, np.abs(X[:, 0]))
    pred = reg.predict(EXTREME_ROWS)
    assert pred.shape == (len(EXTREME_ROWS),)
    assert np.isfinite(pred).all()


def test_chunked_prediction_handles_overflowing_rows():
    # More rows than one prediction chunk, overflowing rows in both chunks.
    clf = ToyNetClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    quiet_fit(clf, X, Y3)
    n = 40_000
    assert clf._network().chunk_rows(X.shape[1]) < n
    rows = np.tile(X, (n // len(X) + 1, 1))[:n]
    rows[::1000] = EXTREME_ROWS[5]
    proba = clf.predict_proba(rows)
    assert_probabilities(proba, n, 3)
    ordinary = np.ones(n, dtype=bool)
    ordinary[::1000] = False
    np.testing.assert_allclose(
        proba[ordinary], clf.predict_proba(rows[ordinary]), rtol=1e-12
    )


@pytest.mark.parametrize("sparse", [False, True])
def test_a_prediction_in_chunks_equals_one_in_a_single_pass(sparse):
    # A small chunk size splits the rows into chunks of 64 (the fewest), the
    # default keeps them in one; overflowing rows land in several chunks.
    clf = ToyNetClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    quiet_fit(clf, X, Y3)
    rows = np.tile(X, (10, 1))[:300]
    rows[::70] = EXTREME_ROWS[5]
    rows = sp.csr_matrix(rows) if sparse else rows
    net = clf._network()
    with np.errstate(all="ignore"):
        chunked = net.predict(rows, chunk_elements=1)
        whole = net.predict(rows)
    assert net.chunk_rows(rows.shape[1], 1) == 64 < rows.shape[0]
    assert_probabilities(whole, 300, 3)
    np.testing.assert_allclose(chunked, whole, rtol=1e-12)


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


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_activations_on_extreme_inputs_are_finite(activation, batch_norm, dtype):
    clf = fitted(Y3, activation, batch_norm, dtype)
    rows = as_dtype(EXTREME_ROWS, dtype)
    layers = clf.activations(rows)
    assert [a.shape for a in layers] == [(len(rows), n) for n in (3, 6, 4, 3)]
    assert all(np.isfinite(a).all() and a.dtype == dtype for a in layers)
    # The output layer is what predict_proba returns, extreme rows included.
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(layers[-1], clf.predict_proba(rows), rtol=rtol)


@pytest.mark.parametrize("random_state", [0, 75])  # 75: a row finite unsaturated
def test_sparse_activations_on_extreme_inputs_are_finite(random_state):
    clf = ToyNetClassifier(
        hidden_layer_sizes=(6,), max_iter=5, random_state=random_state
    )
    clf = quiet_fit(clf, X, Y3)
    rows = sp.csr_matrix(EXTREME_ROWS)
    layers = clf.activations(rows)
    assert sp.issparse(layers[0]) and (layers[0] != rows).nnz == 0  # X as given
    assert all(np.isfinite(a).all() for a in layers[1:])
    np.testing.assert_allclose(layers[-1], clf.predict_proba(rows), rtol=1e-12)
