"""The core's "cosine" learning-rate schedule and decoupled weight decay.

Both are parameters of every ToyNet estimator whose defaults ("constant", 0)
keep MLP's training. The checks follow single full-batch steps of "sgd"
without momentum, where a step is exactly ``-rate * gradient`` (the gradient
from ``loss_and_gradient``, itself checked by finite differences in
``test_gradients_*.py``), and compare the NumPy fit with array-api-strict's.
"""

import math

import numpy as np
import pytest
import sklearn
from _array_api_helpers import on
from sklearn.neural_network import MLPClassifier, MLPRegressor

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._array_api import to_numpy
from sklearn_toynet._losses import Objective
from sklearn_toynet._network import Network
from sklearn_toynet._state import Data
from sklearn_toynet._training import loss_and_gradient

from _helpers import SKLEARN_VERSION, EpochCallback, quiet_fit

RNG = np.random.default_rng(0)
X = RNG.normal(size=(30, 3))
Y = X @ [1.0, -1.0, 0.5] + 0.3

#: One full batch of plain gradient descent: each step is ``-rate * gradient``.
PLAIN_SGD = dict(
    hidden_layer_sizes=(4,),
    activation="tanh",
    solver="sgd",
    momentum=0.0,
    alpha=0.0,
    shuffle=False,
    tol=None,
    learning_rate_init=0.1,
    random_state=0,
)


def gradient(coefs, intercepts):
    """The squared-error gradient of ``ToyNetRegressor`` at these weights."""
    net = Network(
        [W.copy() for W in coefs],
        [b.copy() for b in intercepts],
        activation="tanh",
        out_activation="identity",
        fit_intercept=True,
    )
    grads = [np.empty_like(p) for p in net.params()]
    objective = Objective("squared_error", 0.0, {})
    loss_and_gradient(net, Data(X, Y.reshape(-1, 1), None), grads, objective)
    n = len(coefs)
    return grads[:n], grads[n:]


class Recorder(EpochCallback):
    """Records the weights and the optimizer's step size after every epoch."""

    def __init__(self):
        self.weights, self.steps = [], []

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        if fitted_estimator is not None and context.task_name == "epoch":
            self.weights.append(
                (
                    [W.copy() for W in fitted_estimator.coefs_],
                    [b.copy() for b in fitted_estimator.intercepts_],
                )
            )
            self.steps.append(fitted_estimator._optimizer.step_size)


def test_cosine_steps_each_epoch_by_its_factor_of_the_gradient():
    pytest.importorskip("sklearn.callback")
    max_iter = 5
    recorder = Recorder()
    est = ToyNetRegressor(**PLAIN_SGD, learning_rate="cosine", max_iter=max_iter)
    est.set_callbacks(recorder).fit(X, Y)
    factors = [(1 + math.cos(math.pi * e / max_iter)) / 2 for e in range(max_iter)]
    assert recorder.steps == pytest.approx([0.1 * f for f in factors], rel=1e-15)
    # Epoch e + 1 moves the weights after epoch e by -0.1 * factor * gradient.
    for e in range(max_iter - 1):
        coefs, intercepts = recorder.weights[e]
        next_coefs, next_intercepts = recorder.weights[e + 1]
        g_coefs, g_intercepts = gradient(coefs, intercepts)
        for old, new, g in zip(
            coefs + intercepts, next_coefs + next_intercepts, g_coefs + g_intercepts
        ):
            np.testing.assert_allclose(
                new - old, -0.1 * factors[e + 1] * g, rtol=1e-9, atol=1e-15
            )


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_partial_fit_keeps_learning_rate_init_after_a_cosine_fit(solver):
    est = ToyNetRegressor(
        **{**PLAIN_SGD, "solver": solver}, learning_rate="cosine", max_iter=4
    )
    est.fit(X, Y)
    assert est._optimizer.step_size < est.learning_rate_init  # the last epoch's
    for _ in range(2):
        est.partial_fit(X, Y)
        assert est._optimizer.step_size == est.learning_rate_init


def test_partial_fit_with_cosine_steps_by_learning_rate_init():
    est = ToyNetRegressor(**PLAIN_SGD, learning_rate="cosine", max_iter=4)
    est.fit(X, Y)
    est.partial_fit(X, Y)
    coefs, intercepts = (
        [W.copy() for W in est.coefs_],
        [b.copy() for b in est.intercepts_],
    )
    g_coefs, g_intercepts = gradient(coefs, intercepts)
    est.partial_fit(X, Y)
    for old, new, g in zip(
        coefs + intercepts, est.coefs_ + est.intercepts_, g_coefs + g_intercepts
    ):
        np.testing.assert_allclose(new - old, -0.1 * g, rtol=1e-9, atol=1e-15)


# -- weight decay ------------------------------------------------------------------


@pytest.mark.parametrize("learning_rate", ["constant", "cosine"])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_weight_decay_shrinks_the_weights_and_not_the_intercepts(solver, learning_rate):
    # One full-batch step from the same initial weights: the decayed fit's
    # weights are the plain fit's times 1 - step * weight_decay (the first
    # epoch's step is learning_rate_init, the schedule's factor being 1).
    params = dict(PLAIN_SGD, solver=solver, learning_rate=learning_rate, max_iter=1)
    plain = ToyNetRegressor(**params).fit(X, Y)
    decayed = ToyNetRegressor(**params, weight_decay=2.0).fit(X, Y)
    shrink = 1.0 - 0.1 * 2.0
    for W_plain, W in zip(plain.coefs_, decayed.coefs_):
        np.testing.assert_allclose(W, shrink * W_plain, rtol=1e-12)
    for b_plain, b in zip(plain.intercepts_, decayed.intercepts_):
        np.testing.assert_array_equal(b, b_plain)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_weight_decay_keeps_the_weights_smaller_over_a_fit(solver):
    params = dict(PLAIN_SGD, solver=solver, max_iter=30, learning_rate="cosine")
    plain = ToyNetRegressor(**params).fit(X, Y)
    decayed = ToyNetRegressor(**params, weight_decay=0.5).fit(X, Y)
    norm = [sum(np.sum(W**2) for W in est.coefs_) for est in (plain, decayed)]
    assert norm[1] < 0.9 * norm[0]


# -- the defaults keep MLP's training -----------------------------------------------


@pytest.mark.skipif(SKLEARN_VERSION < (1, 7), reason="compared with 1.7+'s MLP")
@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize(
    "MLP, ToyNet, y",
    [
        (MLPClassifier, ToyNetClassifier, (Y > 0).astype(int)),
        (MLPRegressor, ToyNetRegressor, Y),
    ],
)
def test_constant_rate_and_no_decay_train_mlps_weights(MLP, ToyNet, y, solver):
    params = dict(hidden_layer_sizes=(5,), max_iter=20, solver=solver, random_state=0)
    defaults = ToyNet().get_params()
    assert (defaults["learning_rate"], defaults["weight_decay"]) == ("constant", 0)
    explicit = quiet_fit(
        ToyNet(**params, learning_rate="constant", weight_decay=0.0), X, y
    )
    implicit = quiet_fit(ToyNet(**params), X, y)
    mlp = quiet_fit(MLP(**params), X, y)
    for a, b, c in zip(
        explicit.coefs_ + explicit.intercepts_,
        implicit.coefs_ + implicit.intercepts_,
        mlp.coefs_ + mlp.intercepts_,
    ):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a, c, rtol=0, atol=1e-12)


# -- on array-api-strict --------------------------------------------------------------


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_cosine_and_weight_decay_on_array_api_strict_are_numpys(solver):
    params = dict(
        hidden_layer_sizes=(5,),
        solver=solver,
        learning_rate="cosine",
        weight_decay=0.1,
        max_iter=8,
        tol=None,
        random_state=0,
    )
    y = (Y > 0).astype(int)
    est = ToyNetClassifier(**params).fit(X, y)
    with sklearn.config_context(array_api_dispatch=True):
        other = ToyNetClassifier(**params).fit(
            on("array_api_strict", X), on("array_api_strict", y)
        )
    for a, b in zip(other.coefs_ + other.intercepts_, est.coefs_ + est.intercepts_):
        np.testing.assert_allclose(to_numpy(a), b, rtol=0, atol=1e-10)
