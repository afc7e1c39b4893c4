"""The robust regression losses send their exact gradient (or subgradient) back.

Away from their kinks, "absolute_error", "huber" and "quantile" give the
gradient of the loss they report, by central finite differences in float64, at
several depths and activations, with and without sample weights and the L2
penalty. At a kink (a prediction equal to its target) the delta is the
subgradient 0, which lies between the loss's one-sided slopes.
"""

import numpy as np
import pytest

from sklearn_toynet._losses import LOSSES, loss_and_delta

from _gradients_helpers import (
    analytic_and_numeric,
    assert_away_from_relu_kink,
    assert_gradients_match,
    make_problem,
)

# (loss, its parameters): huber_delta=0.5 puts errors on both sides of it.
ROBUST = {
    "absolute_error": ("absolute_error", {}),
    "huber": ("huber", {"huber_delta": 0.5}),
    "quantile-0.9": ("quantile", {"quantile": 0.9}),
    "quantile-0.2": ("quantile", {"quantile": 0.2}),
}


def assert_away_from_loss_kinks(net, X, Y, loss, params, margin=1e-4):
    """No error ``P - Y`` within ``margin`` of a kink of the loss."""
    error = net.forward(X).output - Y
    kinks = [0.0]
    if loss == "huber":
        # Huber's slope is continuous; its curvature jumps at +-huber_delta.
        kinks = [-params["huber_delta"], params["huber_delta"]]
        assert (np.abs(error) < params["huber_delta"]).any()
        assert (np.abs(error) > params["huber_delta"]).any()
    for kink in kinks:
        assert np.abs(error - kink).min() > margin, "pick another seed"


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize(
    "activation, depth",
    [("identity", ()), ("tanh", (5,)), ("gelu", (4, 3)), ("softplus", (4,))],
)
@pytest.mark.parametrize("name", list(ROBUST))
def test_robust_loss_gradient_matches_finite_differences(
    name, activation, depth, weighted
):
    loss, params = ROBUST[name]
    net, X, Y, _ = make_problem(
        "squared_error-identity", activation, depth, True, n_samples=12
    )
    assert_away_from_relu_kink(net, X)
    assert_away_from_loss_kinks(net, X, Y, loss, params)
    sample_weight = None
    if weighted:
        sample_weight = np.random.RandomState(1).uniform(0.1, 3.0, X.shape[0])
    grads, numeric = analytic_and_numeric(
        net, X, Y, sample_weight, loss, alpha=0.2, loss_params=params
    )
    assert_gradients_match(grads, numeric)


@pytest.mark.parametrize("name", list(ROBUST))
def test_subgradient_at_the_kink_lies_between_the_one_sided_slopes(name):
    loss, params = ROBUST[name]
    rng = np.random.RandomState(0)
    Y = rng.normal(size=(6, 2))
    P = Y + rng.normal(size=Y.shape)
    P[::2] = Y[::2]  # predictions exactly on their targets: the kink
    _, delta = loss_and_delta(loss, "identity", Y, P.copy(), **params)
    h = 1e-7
    n = P.shape[0]
    for i, j in zip(*np.nonzero(P == Y)):

        def entry_loss(p, i=i, j=j):
            P_ = P.copy()
            P_[i, j] = p
            return float(LOSSES[loss](Y, P_, P_ - Y, **params).sum()) / n

        right = (entry_loss(Y[i, j] + h) - entry_loss(Y[i, j])) / h
        left = (entry_loss(Y[i, j]) - entry_loss(Y[i, j] - h)) / h
        assert delta[i, j] == 0.0
        assert left - 1e-6 <= delta[i, j] <= right + 1e-6
        if loss != "huber":  # a true kink: the one-sided slopes differ
            assert right - left > 0.1 / n


def test_huber_is_half_the_squared_error_within_its_threshold():
    rng = np.random.RandomState(0)
    Y = rng.normal(size=(20, 2))
    P = Y + rng.uniform(-0.5, 0.5, Y.shape)
    huber, huber_delta = loss_and_delta("huber", "identity", Y, P, huber_delta=0.5)
    squared, squared_delta = loss_and_delta("squared_error", "identity", Y, P)
    assert huber == pytest.approx(squared, rel=1e-12)
    np.testing.assert_allclose(huber_delta, squared_delta, rtol=1e-12)
    # Beyond it, an error counts linearly: doubling a large error doubles it.
    far = LOSSES["huber"](Y, Y + 100.0, np.full_like(Y, 100.0), huber_delta=1.0)
    farther = LOSSES["huber"](Y, Y + 200.0, np.full_like(Y, 200.0), huber_delta=1.0)
    np.testing.assert_allclose(farther - 100.0, far, rtol=1e-12)


def test_median_quantile_is_half_the_absolute_error():
    rng = np.random.RandomState(0)
    Y, P = rng.normal(size=(20, 2)), rng.normal(size=(20, 2))
    median, median_delta = loss_and_delta("quantile", "identity", Y, P, quantile=0.5)
    absolute, absolute_delta = loss_and_delta("absolute_error", "identity", Y, P)
    assert median == pytest.approx(0.5 * absolute, rel=1e-12)
    np.testing.assert_allclose(median_delta, 0.5 * absolute_delta, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(ROBUST))
def test_robust_losses_stay_finite_and_keep_the_dtype(name, dtype):
    loss, params = ROBUST[name]
    limit = np.finfo(dtype).max
    Y = np.array([[0.0, 1.0], [-limit / 4, limit / 4], [1e-30, -1e-30]], dtype=dtype)
    P = np.array([[limit / 4, -limit / 4], [0.0, 0.0], [0.0, 0.0]], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, delta = loss_and_delta(loss, "identity", Y, P, **params)
    assert np.isfinite(value)
    assert delta.dtype == dtype and np.isfinite(delta).all()
