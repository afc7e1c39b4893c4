"""Divergence is an error naming its cause, never a NaN model.

A blown-up learning rate raises, naming it and the remedy (``max_grad_norm``,
which works); L-BFGS's divergence blames the data; a loss that explodes with
finite weights raises, while one rising from near zero does not; and clipping
copes with gradients whose squares overflow. pyproject turns every RuntimeWarning
into an error, so each test here also checks that no numpy overflow/invalid/divide
warning escapes.
"""

import re

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._optimizers import clip_grad_norm
from sklearn_toynet._stopping import check_not_exploding

from _extreme_helpers import DIVERGED, Y3, X, assert_probabilities
from _helpers import quiet_fit

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
    settings = ToyNetRegressor(learning_rate_init=0.1)._training_settings(
        n_samples=10, early_stopping=False, incremental=False
    )
    check_not_exploding(settings, [1e-12], 1e-3)
    with pytest.raises(ValueError, match="exploded from 0.5 to 1e\\+07"):
        check_not_exploding(settings, [0.5], 1e7)


def test_clipping_scales_down_gradients_whose_squares_overflow():
    grads = [np.array([3e200, -4e200]), np.array([[0.0, 1e180]])]
    norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5e200)
    flat = np.concatenate([g.ravel() for g in grads])
    assert np.isfinite(flat).all()
    assert np.linalg.norm(flat) == pytest.approx(1.0)
