"""The finite-difference gradient check shared by the ``test_gradients_*.py`` modules.

``make_problem`` builds a network straight from ``init_weights`` with data for
one loss/output pairing; ``analytic_and_numeric`` gives ``loss_and_gradient``'s
gradients next to central finite differences (step ``EPS``) of the loss it
returns, in float64; ``assert_gradients_match`` compares them within ``RTOL`` and
``ATOL``; ``assert_away_from_relu_kink`` guards against a step crossing a kink
(of "relu" or "leaky_relu"). ``HIDDEN_ACTIVATIONS`` is every hidden activation.
"""

import numpy as np

from sklearn_toynet._activations import HIDDEN_ACTIVATIONS as _ALL_HIDDEN
from sklearn_toynet._activations import per_layer
from sklearn_toynet._init import init_weights
from sklearn_toynet._losses import Objective
from sklearn_toynet._network import Network
from sklearn_toynet._state import Data
from sklearn_toynet._training import loss_and_gradient

EPS = 1e-6
RTOL = 1e-5
ATOL = 1e-8

HIDDEN_ACTIVATIONS = list(_ALL_HIDDEN)
# Activations with a kink at 0, where a step of EPS across it breaks the check.
KINKED = {"relu", "leaky_relu"}
DEPTHS = [(), (5,), (4, 3)]

# (loss, output activation, kind of target) as the estimators pair them.
PAIRINGS = {
    "log_loss-logistic-binary": ("log_loss", "logistic", "binary"),
    "log_loss-softmax-multiclass": ("log_loss", "softmax", "onehot"),
    "log_loss-logistic-multilabel": ("log_loss", "logistic", "multilabel"),
    "squared_error-logistic": ("squared_error", "logistic", "unit"),
    "squared_error-softmax": ("squared_error", "softmax", "onehot"),
    "squared_error-identity": ("squared_error", "identity", "real"),
    "poisson-exp": ("poisson", "exp", "counts"),
}

N_SAMPLES = 7
N_FEATURES = 3


def make_targets(kind, n_samples, rng):
    if kind == "binary":
        return rng.randint(0, 2, (n_samples, 1)).astype(float)
    if kind == "onehot":
        return np.eye(3)[rng.randint(0, 3, n_samples)]
    if kind == "multilabel":
        return rng.randint(0, 2, (n_samples, 3)).astype(float)
    if kind == "unit":
        return rng.uniform(0, 1, (n_samples, 2))
    if kind == "real":
        return rng.normal(size=(n_samples, 2))
    if kind == "counts":
        return rng.poisson(2.0, (n_samples, 2)).astype(float)
    raise ValueError(kind)


def make_problem(
    pairing, activation, depth, fit_intercept, *, seed=0, n_samples=N_SAMPLES
):
    """A network straight from ``init_weights`` and data for it."""
    loss, out_activation, kind = PAIRINGS[pairing]
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, N_FEATURES))
    Y = make_targets(kind, n_samples, rng)
    units = [N_FEATURES, *depth, Y.shape[1]]
    coefs, intercepts = init_weights(
        units, "uniform", activation, fit_intercept, rng, np.float64
    )
    net = Network(
        coefs,
        intercepts,
        activation=activation,
        out_activation=out_activation,
        fit_intercept=fit_intercept,
    )
    return net, X, Y, loss


def loss_value(
    net,
    X,
    Y,
    sample_weight,
    grads,
    loss,
    alpha=0.0,
    loss_params=None,
    label_smoothing=0.0,
    **forward,
):
    """``loss_and_gradient``'s loss (penalty included), ``grads`` filled."""
    objective = Objective(loss, alpha, loss_params or {}, label_smoothing)
    value, _ = loss_and_gradient(
        net, Data(X, Y, sample_weight), grads, objective, **forward
    )
    return value


def analytic_and_numeric(
    net,
    X,
    Y,
    sample_weight,
    loss,
    alpha=0.0,
    loss_params=None,
    label_smoothing=0.0,
    **forward,
):
    """``loss_and_gradient``'s gradients and central differences of its loss.

    A callable in ``forward`` is called afresh before every forward pass (a
    freshly seeded rng, so that every evaluation draws the same dropout masks).
    """

    def evaluate(grads):
        fresh = {k: (v() if callable(v) else v) for k, v in forward.items()}
        return loss_value(
            net,
            X,
            Y,
            sample_weight,
            grads,
            loss,
            alpha,
            loss_params,
            label_smoothing,
            **fresh,
        )

    params = net.params()
    grads = [np.full_like(p, np.nan) for p in params]
    evaluate(grads)
    scratch = [np.empty_like(p) for p in params]
    numeric = []
    for p in params:
        g = np.empty_like(p)
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for j in range(flat.size):
            orig = flat[j]
            flat[j] = orig + EPS
            up = evaluate(scratch)
            flat[j] = orig - EPS
            down = evaluate(scratch)
            flat[j] = orig
            gflat[j] = (up - down) / (2 * EPS)
        numeric.append(g)
    return grads, numeric


def assert_gradients_match(grads, numeric):
    assert len(grads) == len(numeric)
    for k, (g, n) in enumerate(zip(grads, numeric)):
        assert g.shape == n.shape
        np.testing.assert_allclose(
            g, n, rtol=RTOL, atol=ATOL, err_msg=f"parameter array {k}"
        )
    # The comparison means something only if the gradient is not all zeros.
    assert max(np.abs(n).max() for n in numeric) > 1e-3


def assert_away_from_relu_kink(net, X, margin=1e-4):
    """No ReLU sits within ``margin`` of its kink, where a step of EPS matters.

    A row whose input to the layer is all zeros (every unit below it dead) has
    a pre-activation of exactly 0 for any weights: that one cannot cross.
    """
    names = per_layer(net.activation, net.n_layers - 1)
    A = net.forward(X).A
    for i, (W, b) in enumerate(zip(net.coefs[:-1], net.intercepts[:-1])):
        if names[i] not in KINKED:
            continue
        Z = A[i] @ W + (b if net.fit_intercept else 0)
        live = np.any(A[i] != 0, axis=1)
        assert np.abs(Z[live]).min() > margin, "pick another seed: a ReLU sits on 0"
