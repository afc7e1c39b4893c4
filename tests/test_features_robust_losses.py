"""The regressor's robust losses: "absolute_error", "huber" and "quantile".

With 10% gross outliers in ``y`` the absolute-error and Huber fits stay near the
clean function where the squared-error fit does not; a quantile model covers
about that share of the targets; ``loss_`` is the loss being minimized (as
scikit-learn's metrics compute it, plus the L2 term), which L-BFGS lowers at
every iteration; integer sample weights train as repeated rows; and the new
parameters are validated and ignored by the losses that do not use them.
"""

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_pinball_loss
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_toynet import ToyNetRegressor

from _helpers import quiet_fit

RNG = np.random.RandomState(0)
X = RNG.uniform(-3, 3, (300, 1))
CLEAN = np.sin(X[:, 0])
Y_OUTLIERS = CLEAN + 0.1 * RNG.normal(size=300)
Y_OUTLIERS[RNG.rand(300) < 0.1] += 10.0  # gross, one-sided outliers
# Noise that grows with |x|: the quantiles fan out.
Y_SPREAD = X[:, 0] + (0.3 + 0.3 * np.abs(X[:, 0])) * RNG.normal(size=300)


def regressor(loss, **params):
    defaults = dict(
        hidden_layer_sizes=(16,),
        activation="tanh",
        solver="lbfgs",
        max_iter=300,
        random_state=0,
    )
    return ToyNetRegressor(loss, **{**defaults, **params})


def test_absolute_error_and_huber_ignore_gross_outliers():
    distance = {}
    for loss in ("squared_error", "absolute_error", "huber"):
        reg = quiet_fit(regressor(loss), X, Y_OUTLIERS)
        distance[loss] = np.abs(reg.predict(X) - CLEAN).mean()
    # The outliers drag the mean up by about 1; the median not at all, and
    # Huber's linear tails only by about huber_delta * 10%.
    assert distance["squared_error"] > 0.5
    assert distance["absolute_error"] < 0.1
    assert distance["huber"] < 0.2


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_quantile_model_covers_its_share_of_the_targets(q):
    reg = quiet_fit(regressor("quantile", quantile=q), X, Y_SPREAD)
    coverage = np.mean(reg.predict(X) >= Y_SPREAD)
    assert abs(coverage - q) < 0.05


def test_two_quantile_models_make_a_band_that_widens_with_the_noise():
    low = quiet_fit(regressor("quantile", quantile=0.1), X, Y_SPREAD).predict(X)
    high = quiet_fit(regressor("quantile", quantile=0.9), X, Y_SPREAD).predict(X)
    assert np.mean(low < high) > 0.99
    inside = np.mean((low <= Y_SPREAD) & (high >= Y_SPREAD))
    assert abs(inside - 0.8) < 0.07
    width = high - low
    assert width[np.abs(X[:, 0]) > 2].mean() > 1.5 * width[np.abs(X[:, 0]) < 1].mean()


def huber_loss(y, pred, delta):
    error = np.abs(pred - y)
    return np.mean(
        np.where(error <= delta, 0.5 * error**2, delta * (error - delta / 2))
    )


# Each robust loss with a non-default parameter, and scikit-learn's metric of it.
WITH_METRIC = pytest.mark.parametrize(
    "loss, params, metric",
    [
        ("absolute_error", {}, mean_absolute_error),
        ("huber", {"huber_delta": 0.7}, lambda y, p: huber_loss(y, p, 0.7)),
        (
            "quantile",
            {"quantile": 0.8},
            lambda y, p: mean_pinball_loss(y, p, alpha=0.8),
        ),
    ],
    ids=["absolute_error", "huber", "quantile"],
)


@WITH_METRIC
def test_loss_is_the_loss_being_minimized(loss, params, metric):
    alpha = 0.01
    reg = quiet_fit(regressor(loss, alpha=alpha, **params), X, Y_OUTLIERS)
    penalty = 0.5 * alpha * sum((W**2).sum() for W in reg.coefs_) / len(X)
    expected = metric(Y_OUTLIERS, reg.predict(X)) + penalty
    assert reg.loss_ == pytest.approx(expected, rel=1e-10)
    assert reg.loss_curve_[-1] == pytest.approx(reg.loss_, rel=1e-12)
    # L-BFGS's line search lowers this objective at every iteration: the
    # gradient it is given is this loss's.
    assert np.all(np.diff(reg.loss_curve_) <= 1e-12)
    # ... and ends well below the best constant prediction's loss.
    best_constant = np.quantile(Y_OUTLIERS, params.get("quantile", 0.5))
    constant_loss = metric(Y_OUTLIERS, np.full(len(X), best_constant))
    assert reg.loss_ < 0.9 * constant_loss


@WITH_METRIC
def test_several_outputs_report_the_loss_averaged_over_outputs(loss, params, metric):
    # As MLPRegressor's squared error and scikit-learn's regression metrics; the
    # validation loss of early stopping is on the same scale.
    Y = np.column_stack([Y_OUTLIERS, 2 * CLEAN, Y_SPREAD])
    reg = quiet_fit(regressor(loss, alpha=0.0, **params), X, Y)
    assert reg.loss_ == pytest.approx(metric(Y, reg.predict(X)), rel=1e-10)
    reg = regressor(loss, solver="adam", early_stopping=True, scoring="loss", **params)
    reg = quiet_fit(reg, X[:200], Y[:200], X_val=X[200:], y_val=Y[200:])
    best = min(reg.validation_loss_curve_)
    assert metric(Y[200:], reg.predict(X[200:])) == pytest.approx(best, rel=1e-10)


@pytest.mark.parametrize(
    "loss, params",
    [
        ("absolute_error", {}),
        ("huber", {"huber_delta": 0.5}),
        ("quantile", {"quantile": 0.7}),
    ],
)
@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_integer_sample_weights_equal_repeated_rows(loss, params, solver):
    X_small, y_small = X[:20], Y_OUTLIERS[:20]
    sample_weight = np.arange(20) % 3 + 1
    X_rep = np.repeat(X_small, sample_weight, axis=0)
    y_rep = np.repeat(y_small, sample_weight)
    settings = dict(solver=solver, shuffle=False, max_iter=30, tol=None, alpha=0.01)
    weighted = regressor(loss, batch_size=len(X_small), **settings, **params)
    weighted.fit(X_small, y_small, sample_weight=sample_weight)
    repeated = regressor(loss, batch_size=len(X_rep), **settings, **params)
    repeated.fit(X_rep, y_rep)
    for a, b in zip(weighted.coefs_, repeated.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)
    unweighted = regressor(loss, batch_size=len(X_small), **settings, **params)
    assert not np.allclose(
        unweighted.fit(X_small, y_small).coefs_[0], weighted.coefs_[0]
    )


@pytest.mark.parametrize(
    "name, value, allowed",
    [
        ("quantile", 0.0, "a float in the range (0.0, 1.0)"),
        ("quantile", 1.0, "a float in the range (0.0, 1.0)"),
        ("huber_delta", 0.0, "a float in the range (0.0, inf)"),
        ("huber_delta", "auto", "a float in the range (0.0, inf)"),
        ("loss", "pinball", "'quantile'"),
    ],
)
def test_bad_loss_parameters_are_named(name, value, allowed):
    reg = regressor("quantile").set_params(**{name: value})
    with pytest.raises(InvalidParameterError) as error:
        reg.fit(X, Y_SPREAD)
    message = str(error.value)
    assert f"The '{name}' parameter of ToyNetRegressor must be" in message
    assert allowed in message
    assert not hasattr(reg, "coefs_")


@pytest.mark.parametrize("loss", ["squared_error", "absolute_error"])
def test_loss_parameters_are_ignored_by_other_losses(loss):
    plain = quiet_fit(regressor(loss, max_iter=20), X, Y_SPREAD)
    other = quiet_fit(
        regressor(loss, max_iter=20, quantile=0.9, huber_delta=5.0), X, Y_SPREAD
    )
    np.testing.assert_array_equal(plain.predict(X), other.predict(X))


def test_huber_with_a_huge_threshold_is_squared_error():
    squared = quiet_fit(regressor("squared_error", max_iter=30), X, Y_SPREAD)
    huber = quiet_fit(regressor("huber", max_iter=30, huber_delta=1e6), X, Y_SPREAD)
    np.testing.assert_allclose(huber.loss_curve_, squared.loss_curve_, rtol=1e-10)
    np.testing.assert_allclose(huber.predict(X), squared.predict(X), rtol=1e-8)
