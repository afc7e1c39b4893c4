"""Multi-output regression reports its loss, and stops, on MLPRegressor's scale.

MLP reports the squared error averaged over the outputs (while stepping along
the gradient of their sum, as ToyNet does); ``tol`` and ``n_iter_no_change``
compare those numbers. At default settings, 3-output data runs MLP's epochs
and lands on MLP's predictions. L-BFGS minimizes the sum, whose gradient it is
given, and reports the mean, as the other solvers.
"""

import numpy as np
import pytest
import scipy.optimize
from sklearn.datasets import make_regression
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import scale

from sklearn_toynet import ToyNetRegressor
from sklearn_toynet._losses import Objective, reported_loss
from sklearn_toynet._state import Data
from sklearn_toynet._training import loss_and_gradient

from _helpers import quiet_fit


def three_outputs():
    # Large enough that tol / n_iter_no_change end both solvers' default fits.
    X, Y = make_regression(1000, 10, n_targets=3, noise=10.0, random_state=0)
    return scale(X), scale(Y)


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_three_outputs_at_defaults_run_mlps_epochs_and_predictions(solver):
    X, Y = three_outputs()
    mlp = quiet_fit(MLPRegressor(solver=solver, random_state=0), X, Y)
    ours = quiet_fit(ToyNetRegressor(solver=solver, random_state=0), X, Y)
    assert mlp.n_iter_ < mlp.max_iter  # the no-improvement rule ended the fit
    assert ours.n_iter_ == mlp.n_iter_
    np.testing.assert_allclose(ours.predict(X), mlp.predict(X), rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.loss_curve_, mlp.loss_curve_, rtol=1e-9)
    assert ours.best_loss_ == pytest.approx(mlp.best_loss_, rel=1e-9)


def test_three_outputs_early_stopping_matches_mlp():
    X, Y = three_outputs()
    kwargs = dict(early_stopping=True, random_state=0)
    mlp = quiet_fit(MLPRegressor(**kwargs), X, Y)
    ours = quiet_fit(ToyNetRegressor(**kwargs), X, Y)
    assert ours.n_iter_ == mlp.n_iter_
    np.testing.assert_allclose(ours.validation_scores_, mlp.validation_scores_)
    np.testing.assert_allclose(ours.loss_curve_, mlp.loss_curve_, rtol=1e-9)
    np.testing.assert_allclose(ours.predict(X), mlp.predict(X), rtol=0, atol=1e-12)


def test_lbfgs_minimizes_the_sum_and_reports_the_mean_plus_the_penalty(monkeypatch):
    # scipy gets the sum over outputs with its exact gradient (MLP pairs the
    # mean with the sum's gradient, scikit-learn issue 8349); loss_ and
    # loss_curve_ are the mean over outputs plus the L2 penalty, as MLP's.
    X, Y = three_outputs()
    X, Y = X[:50], Y[:50]
    objectives = []
    minimize = scipy.optimize.minimize

    def recording(fun, x0, **kwargs):
        objectives.append((fun, x0.copy()))
        return minimize(fun, x0, **kwargs)

    monkeypatch.setattr(scipy.optimize, "minimize", recording)
    ours = ToyNetRegressor(hidden_layer_sizes=(4,), solver="lbfgs", alpha=0.5)
    quiet_fit(ours.set_params(max_iter=30, random_state=0), X, Y)
    penalty = 0.5 * 0.5 * sum((W**2).sum() for W in ours.coefs_) / len(X)
    mean_loss = 0.5 * ((ours.predict(X) - Y) ** 2).mean() + penalty
    assert ours.loss_ == pytest.approx(mean_loss, rel=1e-9)
    assert ours.loss_curve_[-1] == pytest.approx(mean_loss, rel=1e-9)
    assert ours.best_loss_ == min(ours.loss_curve_)
    # The objective writes into the fitted weights: evaluate it last.
    fun, x0 = objectives[0]
    fitted = np.concatenate([a.ravel() for a in ours.coefs_ + ours.intercepts_])
    sum_loss = 3 * (mean_loss - penalty) + penalty
    assert fun(fitted)[0] == pytest.approx(sum_loss, rel=1e-9)
    error = scipy.optimize.check_grad(
        lambda x: fun(x)[0], lambda x: fun(x)[1], x0, epsilon=1e-6
    )
    assert error < 1e-5 * np.linalg.norm(fun(x0)[1])


def test_reported_loss_averages_squared_error_and_sums_the_others():
    # MLP's squared_loss means over outputs; log-losses and Poisson sum.
    assert reported_loss("squared_error", 6.0, 3) == 2.0
    for name in ("log_loss", "poisson"):
        assert reported_loss(name, 6.0, 3) == 6.0


def test_loss_and_gradient_reports_the_objective_and_mlps_scale():
    X, Y = three_outputs()
    net = quiet_fit(ToyNetRegressor(hidden_layer_sizes=(4,), max_iter=2), X, Y)
    network = net._network()
    grads = [np.empty_like(p) for p in network.params()]
    value, reported = loss_and_gradient(
        network, Data(X, Y), grads, Objective("squared_error")
    )
    assert reported == pytest.approx(value / 3, rel=1e-12)
