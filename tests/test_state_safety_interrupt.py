"""A KeyboardInterrupt during a stochastic fit keeps the epochs trained so far.

As MLP does, the fit warns and keeps the model of the last finished epoch, also
under ``warm_start``; L-BFGS, as MLP's, lets the interrupt propagate and leaves
the model as it was.
"""

import copy

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor, _training

from _state_helpers import X_REG, Y_REG, X, Y, assert_same, fitted, snapshot

# -- KeyboardInterrupt --------------------------------------------------------------


@pytest.fixture
def interrupt_at_epoch(monkeypatch):
    """``interrupt_at_epoch(k)``: Ctrl-C arrives as the k-th epoch starts."""

    def arm(k):
        real = _training.run_epoch
        calls = []

        def run_epoch(*args):
            calls.append(1)
            if len(calls) == k:
                raise KeyboardInterrupt
            return real(*args)

        monkeypatch.setattr(_training, "run_epoch", run_epoch)

    return arm


@pytest.mark.parametrize("Est", [ToyNetClassifier, ToyNetRegressor])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_keyboard_interrupt_keeps_the_epochs_trained_so_far(
    Est, solver, interrupt_at_epoch
):
    X_, y_ = (X, Y) if Est is ToyNetClassifier else (X_REG, Y_REG)
    params = dict(hidden_layer_sizes=(5,), solver=solver, tol=None, random_state=0)
    reference = Est(max_iter=3, **params).fit(X_, y_)
    interrupt_at_epoch(4)
    est = Est(max_iter=50, **params)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        est.fit(X_, y_)
    assert est.n_iter_ == 3 and len(est.loss_curve_) == 3
    assert_same(reference.coefs_, est.coefs_)
    assert np.isfinite(est.predict(X_)).all()


def test_keyboard_interrupt_during_warm_start_keeps_the_new_epochs(
    interrupt_at_epoch,
):
    est, X_, y_ = fitted(ToyNetClassifier, n_partial=0)
    est.set_params(warm_start=True, tol=None)
    reference = copy.deepcopy(est).set_params(max_iter=2).fit(X_, y_)
    assert not np.array_equal(reference.coefs_[0], est.coefs_[0])
    interrupt_at_epoch(3)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        est.set_params(max_iter=50).fit(X_, y_)
    assert est.n_iter_ == reference.n_iter_
    assert_same(reference.coefs_, est.coefs_)
    np.testing.assert_allclose(est.predict_proba(X_).sum(axis=1), 1)


def test_keyboard_interrupt_in_lbfgs_propagates_and_changes_nothing(monkeypatch):
    # As MLPClassifier, L-BFGS does not catch Ctrl-C; the model stays as it was.
    est, X_, y_ = fitted(ToyNetClassifier, "lbfgs")
    est.set_params(warm_start=True)
    before = snapshot(est)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_training, "minimize_lbfgs", interrupted)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X_, y_)
    assert_same(before, vars(est))
