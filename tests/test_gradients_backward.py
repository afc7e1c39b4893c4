"""The backward pass is the exact gradient of the loss.

Every gradient ``loss_and_gradient`` fills in is compared with central finite
differences of the loss it returns, in float64, for every hidden activation,
every loss/output pairing the estimators use, with and without intercepts, at
several depths; and sparse input gives the dense input's gradient.
"""

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from sklearn_toynet._network import BatchNormState

from _gradients_helpers import (
    DEPTHS,
    HIDDEN_ACTIVATIONS,
    PAIRINGS,
    analytic_and_numeric,
    assert_away_from_relu_kink,
    assert_gradients_match,
    loss_value,
    make_problem,
)


def _cases():
    for depth in DEPTHS:
        # Without a hidden layer the hidden activation plays no part.
        activations = HIDDEN_ACTIVATIONS if depth else ["identity"]
        for activation in activations:
            for pairing in PAIRINGS:
                for fit_intercept in (True, False):
                    yield pytest.param(
                        pairing,
                        activation,
                        depth,
                        fit_intercept,
                        id=f"{pairing}-{activation}-{depth}-bias={fit_intercept}",
                    )


@pytest.mark.parametrize("pairing, activation, depth, fit_intercept", list(_cases()))
def test_backward_matches_finite_differences(pairing, activation, depth, fit_intercept):
    net, X, Y, loss = make_problem(pairing, activation, depth, fit_intercept)
    assert_away_from_relu_kink(net, X)
    grads, numeric = analytic_and_numeric(net, X, Y, None, loss)
    # One gradient array per weight matrix, plus one per intercept vector.
    assert len(grads) == len(depth) + 1 + (len(depth) + 1) * fit_intercept
    assert_gradients_match(grads, numeric)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_sparse_input_gives_the_dense_gradient(batch_norm):
    net, X, Y, loss = make_problem("log_loss-softmax-multiclass", "tanh", (5,), True)
    X[np.abs(X) < 0.7] = 0.0  # a genuinely sparse matrix
    if batch_norm:
        net = replace(net, batch_norm=BatchNormState.fresh([5], np.float64))
    dense = [np.empty_like(p) for p in net.params()]
    sparse = [np.empty_like(p) for p in net.params()]
    value = loss_value(net, X, Y, None, dense, loss, alpha=0.1)
    sparse_value = loss_value(net, sp.csr_matrix(X), Y, None, sparse, loss, alpha=0.1)
    assert sparse_value == pytest.approx(value, rel=1e-12)
    for d, s in zip(dense, sparse):
        np.testing.assert_allclose(s, d, rtol=1e-12, atol=1e-15)
    _, numeric = analytic_and_numeric(
        net, sp.csr_matrix(X), Y, None, loss, alpha=0.1, bn_momentum=None
    )
    assert_gradients_match(sparse, numeric)


@pytest.mark.parametrize(
    "activations",
    [("gelu", "relu"), ("silu", "elu"), ("softplus", "leaky_relu"), ("tanh", "gelu")],
    ids="-".join,
)
@pytest.mark.parametrize("pairing", ["log_loss-softmax-multiclass", "poisson-exp"])
def test_one_activation_per_layer_matches_finite_differences(pairing, activations):
    net, X, Y, loss = make_problem(pairing, activations, (5, 4), True)
    assert_away_from_relu_kink(net, X)
    grads, numeric = analytic_and_numeric(net, X, Y, None, loss, alpha=0.1)
    assert_gradients_match(grads, numeric)
    # Each layer really runs its own activation: swapping them changes the loss.
    swapped = make_problem(pairing, activations[::-1], (5, 4), True)[0]
    assert not np.allclose(net.forward(X).output, swapped.forward(X).output)
