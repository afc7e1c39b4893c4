"""Dropout and batch normalization keep the backward pass the exact gradient.

With fixed dropout masks, with batch normalization's learned scales and shifts
(their own gradients included), and with both together, the gradient
``loss_and_gradient`` fills in matches central finite differences of the loss it
returns, in float64, for every hidden activation and several depths.
"""

from dataclasses import replace

import numpy as np
import pytest

from sklearn_toynet._network import BatchNormState

from _gradients_helpers import (
    HIDDEN_ACTIVATIONS,
    analytic_and_numeric,
    assert_away_from_relu_kink,
    assert_gradients_match,
    make_problem,
)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("depth", [(5,), (4, 3)])
@pytest.mark.parametrize(
    "pairing", ["log_loss-logistic-binary", "squared_error-identity"]
)
def test_dropout_gradient_matches_finite_differences(pairing, depth, activation):
    net, X, Y, loss = make_problem(pairing, activation, depth, True, n_samples=10)
    net.dropout = 0.4
    assert_away_from_relu_kink(net, X)
    # A freshly seeded rng for every forward pass: the masks are fixed.
    grads, numeric = analytic_and_numeric(
        net, X, Y, None, loss, alpha=0.1, rng=lambda: np.random.RandomState(0)
    )
    assert_gradients_match(grads, numeric)
    # The masks matter: the dropout network's gradient is not the plain one.
    net.dropout = 0.0
    plain, _ = analytic_and_numeric(net, X, Y, None, loss, alpha=0.1)
    assert not np.allclose(grads[0], plain[0])


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("depth", [(5,), (4, 3)])
@pytest.mark.parametrize(
    "pairing",
    ["log_loss-softmax-multiclass", "squared_error-logistic", "poisson-exp"],
)
def test_batch_norm_gradient_matches_finite_differences(
    pairing, depth, activation, fit_intercept
):
    net, X, Y, loss = make_problem(
        pairing, activation, depth, fit_intercept, n_samples=9
    )
    rng = np.random.RandomState(3)
    bn = BatchNormState.fresh(list(depth), np.float64)
    bn.gammas = [rng.uniform(0.5, 1.5, n) for n in depth]
    bn.betas = [rng.uniform(-0.5, 0.5, n) for n in depth]
    net = replace(net, batch_norm=bn)
    if activation == "relu":
        # The kinks sit where the normalized, shifted pre-activation is 0.
        cache = net.forward(X, train=True, bn_momentum=None)
        for H in cache.H[1:]:
            assert np.all((H == 0) | (H > 1e-3))
    running = [a.copy() for a in bn.running_means + bn.running_vars]
    grads, numeric = analytic_and_numeric(
        net, X, Y, None, loss, alpha=0.05, bn_momentum=None
    )
    # W, b (with fit_intercept), then one gamma and one beta per hidden layer.
    n_layers = len(depth) + 1
    assert len(grads) == n_layers * (1 + fit_intercept) + 2 * len(depth)
    assert_gradients_match(grads, numeric)
    gamma_grads = grads[-2 * len(depth) : -len(depth)]
    assert max(np.abs(g).max() for g in gamma_grads) > 1e-4
    # bn_momentum=None leaves the running statistics alone.
    for before, after in zip(running, bn.running_means + bn.running_vars):
        np.testing.assert_array_equal(before, after)


def test_batch_norm_with_dropout_gradient_matches_finite_differences():
    net, X, Y, loss = make_problem(
        "log_loss-logistic-multilabel", "tanh", (5, 4), True, n_samples=12
    )
    net = replace(net, batch_norm=BatchNormState.fresh([5, 4], np.float64))
    net.dropout = 0.3
    grads, numeric = analytic_and_numeric(
        net,
        X,
        Y,
        None,
        loss,
        bn_momentum=None,
        rng=lambda: np.random.RandomState(5),
    )
    assert_gradients_match(grads, numeric)


@pytest.mark.parametrize(
    "pairing", ["log_loss-softmax-multiclass", "squared_error-identity"]
)
def test_weighted_batch_norm_gradient_matches_finite_differences(pairing):
    net, X, Y, loss = make_problem(pairing, "tanh", (5, 4), True, n_samples=10)
    rng = np.random.RandomState(4)
    net = replace(net, batch_norm=BatchNormState.fresh([5, 4], np.float64))
    net.batch_norm.gammas = [rng.uniform(0.5, 1.5, n) for n in (5, 4)]
    sample_weight = rng.uniform(0.1, 3.0, len(X))
    sample_weight[2] = 0.0  # a row that counts as absent
    grads, numeric = analytic_and_numeric(
        net, X, Y, sample_weight, loss, alpha=0.05, bn_momentum=None
    )
    assert_gradients_match(grads, numeric)
    # The weights reach the batch statistics, not only the loss.
    weighted = net.forward(X, train=True, sample_weight=sample_weight).output
    plain = net.forward(X, train=True).output
    assert not np.allclose(weighted[sample_weight > 0], plain[sample_weight > 0])
