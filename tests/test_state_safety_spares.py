"""Continued fits train in spare buffers: a failed call still changes nothing.

``partial_fit`` and warm ``fit`` write their first step into spare arrays kept
between calls instead of deep-copying the fitted state; these tests fail a
call after the spares are in rotation and check that the estimator, and every
later call, is as if the failed call never happened.
"""

import copy

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor, _base, _training

from _helpers import quiet_fit
from _state_helpers import X, Y, assert_same, fitted, snapshot

STOCHASTIC = [
    pytest.param(Est, solver, id=f"{Est.__name__}-{solver}")
    for Est in (ToyNetClassifier, ToyNetRegressor)
    for solver in ("sgd", "adam")
]


def _fail_after_first_step(monkeypatch):
    """The next epoch trains (first step into the spares), then raises."""
    real = _training.run_epoch

    def run_epoch(net, *args):
        real(net, *args)
        monkeypatch.setattr(_training, "run_epoch", real)
        raise RuntimeError("boom")

    monkeypatch.setattr(_training, "run_epoch", run_epoch)


@pytest.mark.parametrize("Est, solver", STOCHASTIC)
def test_failed_partial_fit_among_successful_ones_changes_nothing(
    monkeypatch, Est, solver
):
    est, X_, y_ = fitted(Est, solver, n_partial=3)  # spares in rotation
    twin, _, _ = fitted(Est, solver, n_partial=3)
    before = snapshot(est)
    _fail_after_first_step(monkeypatch)
    with pytest.raises(RuntimeError, match="boom"):
        est.partial_fit(X_, y_)
    assert_same(before, vars(est))
    for _ in range(2):  # the spares the failed call wrote are reused safely
        est.partial_fit(X_, y_)
        twin.partial_fit(X_, y_)
    assert_same(vars(twin), vars(est))


@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam"])
def test_failed_warm_fit_in_spares_changes_nothing(monkeypatch, solver):
    est, X_, y_ = fitted(ToyNetClassifier, solver, n_partial=2)
    est.set_params(warm_start=True)
    twin, _, _ = fitted(ToyNetClassifier, solver, n_partial=2)
    twin.set_params(warm_start=True)
    quiet_fit(est, X_, y_)
    quiet_fit(twin, X_, y_)
    before = snapshot(est)
    if solver == "lbfgs":
        monkeypatch.setattr(_training, "check_weights", _raise)
    else:
        _fail_after_first_step(monkeypatch)
    with pytest.raises(RuntimeError, match="boom"):
        quiet_fit(est, X_, y_)
    assert_same(before, vars(est))
    monkeypatch.undo()
    quiet_fit(est, X_, y_)
    quiet_fit(twin, X_, y_)
    assert_same(vars(twin), vars(est))


def _raise(*args):
    raise RuntimeError("boom")


def test_weights_set_by_hand_are_trained_and_left_alone():
    est, X_, y_ = fitted(ToyNetClassifier, "adam")
    twin, _, _ = fitted(ToyNetClassifier, "adam")
    mine = [W.copy() for W in est.coefs_]  # not views of one buffer
    est.coefs_ = mine
    est.partial_fit(X_, y_)
    twin.partial_fit(X_, y_)
    assert_same(vars(twin), vars(est))
    assert not any(np.shares_memory(a, b) for a in mine for b in est.coefs_)


def test_replaced_weights_are_not_the_new_ones():
    est, X_, y_ = fitted(ToyNetClassifier, "adam")
    old = est.coefs_[0]
    kept = old.copy()
    est.partial_fit(X_, y_)
    assert not np.shares_memory(old, est.coefs_[0])
    np.testing.assert_array_equal(old, kept)  # the call before was not written


@pytest.mark.parametrize(
    "params",
    [
        {"solver": "adam"},
        {"solver": "sgd"},
        {"solver": "sgd", "nesterovs_momentum": False},
        {"solver": "sgd", "momentum": 0.0},
    ],
    ids=["adam", "sgd-nesterov", "sgd-momentum", "sgd-plain"],
)
def test_partial_fit_matches_a_fit_of_the_same_epochs(params):
    # The first step written into the spares is the same arithmetic as in place.
    params = {"hidden_layer_sizes": (5,), "random_state": 0, "shuffle": False, **params}
    stream = ToyNetClassifier(**params)
    for _ in range(4):
        stream.partial_fit(X, Y, classes=np.unique(Y))
    whole = ToyNetClassifier(**params, max_iter=4, tol=None)
    quiet_fit(whole, X, Y)
    for a, b in zip(
        stream.coefs_ + stream.intercepts_, whole.coefs_ + whole.intercepts_
    ):
        np.testing.assert_array_equal(a, b)


def test_a_call_failing_before_training_leaves_no_step_for_the_next_fit(monkeypatch):
    est, X_, y_ = fitted(ToyNetClassifier, "adam")
    monkeypatch.setattr(_base, "fit_stochastic", _raise)
    with pytest.raises(RuntimeError, match="boom"):
        est.partial_fit(X_, y_)
    monkeypatch.undo()
    est.set_params(hidden_layer_sizes=(7, 3))  # a fresh fit of another layout
    quiet_fit(est, X_, y_)
    twin = ToyNetClassifier(**est.get_params())
    quiet_fit(twin, X_, y_)
    assert_same(vars(twin), vars(est))


def test_failed_warm_fit_with_early_stopping_keeps_the_validation_histories(
    monkeypatch,
):
    # Histories are lists the continued state shares no element of: epochs
    # recorded before the failure must not reach the estimator's lists.
    est = ToyNetClassifier(
        hidden_layer_sizes=(8,),
        solver="adam",
        early_stopping=True,
        warm_start=True,
        max_iter=5,
        tol=None,
        random_state=0,
    )
    quiet_fit(est, X, Y)
    quiet_fit(est, X, Y)  # continued: the spares are in rotation
    before = snapshot(est)
    real, calls = _training.run_epoch, []

    def run_epoch(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return real(*args)

    monkeypatch.setattr(_training, "run_epoch", run_epoch)
    with pytest.raises(RuntimeError, match="boom"):
        est.fit(X, Y)
    assert len(est.validation_loss_curve_) == len(est.validation_scores_) == 10
    assert_same(before, vars(est))


def _fail_after_first_step_of_the_call(monkeypatch):
    """The call's first epoch trains, then the divergence check raises."""
    real = _training.check_loss

    def check_loss(*args):
        monkeypatch.setattr(_training, "check_loss", real)
        raise ValueError("boom")

    monkeypatch.setattr(_training, "check_loss", check_loss)


def test_failed_warm_fit_leaves_moments_plain_descent_never_replaced(monkeypatch):
    # momentum=0 never replaces the velocities: they must not become spares
    # that a later call (with momentum) writes into.
    est = ToyNetClassifier(
        hidden_layer_sizes=(5,), solver="sgd", momentum=0.0, random_state=0
    )
    for _ in range(3):
        est.partial_fit(X, Y, classes=np.unique(Y))
    est.set_params(momentum=0.9, warm_start=True, max_iter=3)
    before = snapshot(est)
    _fail_after_first_step_of_the_call(monkeypatch)
    with pytest.raises(ValueError, match="boom"):
        quiet_fit(est, X, Y)
    assert_same(before, vars(est))


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_partial_fit_continues_the_random_stream_instead_of_reseeding(solver):
    # MLP reseeds from random_state at every call (each call shuffles as the
    # first did); ToyNet draws the next row order from the fit's stream.
    params = {"hidden_layer_sizes": (5,), "random_state": 0, "batch_size": 7}
    ours = ToyNetClassifier(solver=solver, **params)
    ours.partial_fit(X, Y, classes=np.unique(Y))
    reseeded = copy.deepcopy(ours)
    reseeded._rng = np.random.RandomState(0)  # what MLP does at each call
    expected = copy.deepcopy(ours)  # with the stream as the first call left it
    ours.partial_fit(X, Y)
    reseeded.partial_fit(X, Y)
    assert not np.array_equal(ours.coefs_[0], reseeded.coefs_[0])
    expected.partial_fit(X, Y)
    np.testing.assert_array_equal(ours.coefs_[0], expected.coefs_[0])
