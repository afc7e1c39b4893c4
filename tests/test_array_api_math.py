"""The math modules' generic path (other array libraries) against their NumPy path.

Every activation and derivative, every loss with its output delta (a
classifier's with label smoothing too), batch norm's two passes, both
optimizers' steps and gradient clipping, computed on array-api-strict (always)
and on PyTorch (when installed), must equal the NumPy path's numbers to float64
rounding. The inputs are random and include
large values, so the tails (exact sigmoid, capped exponential) are compared
too.
"""

import numpy as np
import pytest
from _array_api_helpers import NAMESPACES, on

from sklearn_toynet._activations import (
    ACTIVATIONS,
    DERIVATIVES,
    GENERIC_ACTIVATIONS,
    GENERIC_DERIVATIVES,
    GENERIC_OUTPUT_ACTIVATIONS,
    NEEDS_Z,
    OUTPUT_ACTIVATIONS,
)
from sklearn_toynet._array_api import to_numpy
from sklearn_toynet._batchnorm import batch_norm_backward, batch_norm_forward
from sklearn_toynet._losses import CANONICAL, Objective
from sklearn_toynet._optimizers import SGD, Adam, clip_grad_norm

RTOL = 1e-12
ATOL = 1e-13


def _close(actual, expected):
    np.testing.assert_allclose(to_numpy(actual), expected, rtol=RTOL, atol=ATOL)


def _inputs(seed=0, shape=(6, 4)):
    rng = np.random.RandomState(seed)
    Z = rng.normal(scale=3.0, size=shape)
    Z[0, 0], Z[1, 1] = 800.0, -800.0  # beyond exp's range: the tails
    return Z


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_activation_and_derivative_match_numpy(name, activation):
    Z = _inputs()
    for plain, numpy_table in (
        (GENERIC_ACTIVATIONS, ACTIVATIONS),
        (GENERIC_OUTPUT_ACTIVATIONS, OUTPUT_ACTIVATIONS),
    ):
        expected = numpy_table[activation](Z.copy())
        _close(plain[activation](on(name, Z)), expected)
    A = ACTIVATIONS[activation](Z.copy())
    slope_of = Z if activation in NEEDS_Z else A
    delta = np.random.RandomState(1).normal(size=Z.shape)
    expected = DERIVATIVES[activation](slope_of, delta.copy())
    actual = GENERIC_DERIVATIVES[activation](on(name, slope_of), on(name, delta))
    _close(actual, expected)


def _targets(loss, out_activation, P, rng):
    if loss == "log_loss" and out_activation == "softmax":
        return np.eye(P.shape[1])[rng.randint(0, P.shape[1], P.shape[0])]
    if loss == "log_loss":
        return rng.randint(0, 2, P.shape).astype(float)
    if loss == "poisson":
        return rng.poisson(2.0, P.shape).astype(float)
    return rng.normal(size=P.shape)


LOSS_CASES = [
    *sorted(CANONICAL),
    ("squared_error", "logistic"),
    ("squared_error", "softmax"),
    ("absolute_error", "identity"),
    ("huber", "identity"),
    ("quantile", "identity"),
]
LOSS_PARAMS = {"huber": {"huber_delta": 0.7}, "quantile": {"quantile": 0.3}}


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("loss, out_activation", LOSS_CASES)
def test_loss_and_delta_match_numpy(name, weighted, loss, out_activation):
    rng = np.random.RandomState(2)
    Z = rng.normal(size=(8, 3))
    P = OUTPUT_ACTIVATIONS[out_activation](Z)
    Y = _targets(loss, out_activation, P, rng)
    if loss == "quantile":
        Y[0] = P[0]  # on the kink: a subgradient of 0
    sample_weight = rng.uniform(0, 2, 8) if weighted else None
    objective = Objective(loss, 0.0, LOSS_PARAMS.get(loss, {}))
    _assert_plain_loss_matches(name, objective, out_activation, Y, P, sample_weight)


def _assert_plain_loss_matches(name, objective, out_activation, Y, P, sample_weight):
    value, delta = objective.loss_and_delta(out_activation, Y, P, sample_weight)
    value_xp, delta_xp = objective.loss_and_delta(
        out_activation,
        on(name, Y),
        on(name, P),
        None if sample_weight is None else on(name, sample_weight),
    )
    assert value_xp == pytest.approx(value, rel=RTOL)
    _close(delta_xp, delta)


# A classifier's losses on its outputs: binary or multilabel sigmoid, softmax.
CLASSIFIER_LOSS_CASES = [
    (loss, out) for loss, out in LOSS_CASES if out in ("logistic", "softmax")
]


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("loss, out_activation", CLASSIFIER_LOSS_CASES)
def test_smoothed_loss_and_delta_match_numpy(name, weighted, loss, out_activation):
    rng = np.random.RandomState(3)
    P = OUTPUT_ACTIVATIONS[out_activation](rng.normal(size=(8, 3)))
    Y = _targets("log_loss", out_activation, P, rng)  # 0/1 labels
    sample_weight = rng.uniform(0, 2, 8) if weighted else None
    objective = Objective(loss, 0.0, {}, label_smoothing=0.2)
    _assert_plain_loss_matches(name, objective, out_activation, Y, P, sample_weight)


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("weighted", [False, True])
def test_batch_norm_matches_numpy(name, weighted):
    rng = np.random.RandomState(3)
    Z = rng.normal(2.0, 3.0, size=(9, 4))
    gamma, beta = rng.uniform(0.5, 2, 4), rng.normal(size=4)
    sw = rng.uniform(0, 2, 9) if weighted else None
    running = [np.zeros(4), np.ones(4)]
    out, cache = batch_norm_forward(
        Z, gamma, beta, *running, train=True, momentum=0.1, sample_weight=sw
    )
    running_xp = [on(name, a) for a in (np.zeros(4), np.ones(4))]
    out_xp, cache_xp = batch_norm_forward(
        on(name, Z),
        on(name, gamma),
        on(name, beta),
        *running_xp,
        train=True,
        momentum=0.1,
        sample_weight=None if sw is None else on(name, sw),
    )
    _close(out_xp, out)
    for a_xp, a in zip(running_xp, running):  # moved in place, as NumPy's
        _close(a_xp, a)
    delta = rng.normal(size=Z.shape)
    for a_xp, a in zip(
        batch_norm_backward(cache_xp, on(name, delta)),
        batch_norm_backward(cache, delta),
    ):
        _close(a_xp, a)
    predicted, _ = batch_norm_forward(
        on(name, Z),
        on(name, gamma),
        on(name, beta),
        *running_xp,
        train=False,
        momentum=None,
    )
    expected, _ = batch_norm_forward(
        Z, gamma, beta, *running, train=False, momentum=None
    )
    _close(predicted, expected)


OPTIMIZERS = {
    "adam": lambda p: Adam(p, learning_rate_init=0.01),
    "sgd-nesterov": lambda p: SGD(p, learning_rate_init=0.1, momentum=0.9),
    "sgd-momentum": lambda p: SGD(p, 0.1, momentum=0.9, nesterov=False),
    "sgd-plain": lambda p: SGD(p, 0.1, momentum=0.0),
}


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_optimizer_steps_match_numpy(name, optimizer):
    rng = np.random.RandomState(4)
    param = rng.normal(size=50)
    param_xp = on(name, param)
    numpy_opt = OPTIMIZERS[optimizer]([param])
    plain_opt = OPTIMIZERS[optimizer]([param_xp])
    for _ in range(3):
        grad = rng.normal(size=50)
        numpy_opt.update([param], [grad.copy()])
        plain_opt.update([param_xp], [on(name, grad)])
    _close(param_xp, param)  # stepped in place, as the flat buffer needs
    for moments_xp, moments in zip(plain_opt.moments(), numpy_opt.moments()):
        if optimizer != "sgd-plain":
            _close(moments_xp[0], moments[0])


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("scale", [1.0, 1e200])
def test_clip_grad_norm_matches_numpy(name, scale):
    grad = np.random.RandomState(5).normal(size=30) * scale
    grad_xp = on(name, grad)
    norm = clip_grad_norm([grad], 1.0)
    # As a fit calls it: squares that overflow are expected (array-api-strict
    # computes with NumPy, which would warn).
    with np.errstate(over="ignore"):
        assert clip_grad_norm([grad_xp], 1.0) == pytest.approx(norm, rel=RTOL)
    _close(grad_xp, grad)
