"""A failed ``partial_fit`` or ``fit`` leaves the fitted model exactly as it was.

Weights, batch-norm statistics, optimizer state, random state, counters, and the
attributes validation records (``classes_``, ``n_features_in_``) are all kept,
whether an epoch fails, training diverges or the new data fail validation; and a
failed first ``partial_fit`` leaves the estimator unfitted.
"""

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor, _training

from _helpers import quiet_fit
from _state_helpers import X, Y, assert_same, fitted, snapshot


@pytest.fixture
def fail_at_epoch(monkeypatch):
    """``fail_at_epoch(k)``: the k-th epoch from now trains, wrecks the weights, fails.

    The weights are overwritten in place, as a real blow-up would leave them,
    before the error: only a fit that trains a copy loses nothing.
    """

    def arm(k):
        real = _training.run_epoch
        calls = []

        def run_epoch(net, *args):
            calls.append(1)
            loss = real(net, *args)
            if len(calls) == k:
                for p in net.params():
                    p[...] = np.nan
                raise RuntimeError("boom")
            return loss

        monkeypatch.setattr(_training, "run_epoch", run_epoch)

    return arm


STOCHASTIC = [
    pytest.param(Est, solver, bn, id=f"{Est.__name__}-{solver}-bn={bn}")
    for Est in (ToyNetClassifier, ToyNetRegressor)
    for solver in ("sgd", "adam")
    for bn in (False, True)
]


@pytest.mark.parametrize("Est, solver, batch_norm", STOCHASTIC)
def test_failed_partial_fit_changes_nothing(Est, solver, batch_norm, fail_at_epoch):
    est, X_, y_ = fitted(Est, solver, batch_norm)
    fail_at_epoch(1)
    before = snapshot(est)
    with pytest.raises(RuntimeError, match="boom"):
        est.partial_fit(X_, y_)
    assert_same(before, vars(est))


@pytest.mark.parametrize("Est, solver, batch_norm", STOCHASTIC)
def test_failed_warm_start_fit_changes_nothing(Est, solver, batch_norm, fail_at_epoch):
    est, X_, y_ = fitted(Est, solver, batch_norm)
    est.set_params(warm_start=True, max_iter=5)
    fail_at_epoch(2)  # after one epoch that updated the counters
    before = snapshot(est)
    with pytest.raises(RuntimeError, match="boom"):
        quiet_fit(est, X_, y_)
    assert_same(before, vars(est))


@pytest.mark.parametrize("Est", [ToyNetClassifier, ToyNetRegressor])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_diverging_partial_fit_raises_and_changes_nothing(Est, solver):
    est, X_, y_ = fitted(Est, solver, batch_norm=True)
    before = snapshot(est)
    with pytest.raises(ValueError, match="non-finite parameter weights"):
        est.partial_fit(X_ * 1e300, y_)
    assert_same(before, vars(est))
    est.set_params(warm_start=True)
    before = snapshot(est)
    with pytest.raises(ValueError, match="non-finite parameter weights"):
        quiet_fit(est, X_ * 1e300, y_)
    assert_same(before, vars(est))
    # The model still works, and continues from where it was.
    assert np.isfinite(est.predict(X_)).all()
    est.partial_fit(X_, y_)
    assert len(est.loss_curve_) == len(before["loss_curve_"]) + 1
    assert est.t_ == before["t_"] + len(X_)


def test_failed_lbfgs_warm_start_fit_changes_nothing():
    est, X_, y_ = fitted(ToyNetRegressor, "lbfgs", batch_norm=True)
    est.set_params(warm_start=True)
    before = snapshot(est)
    with pytest.raises(ValueError, match="non-finite parameter weights"):
        quiet_fit(est, X_, y_ * 1e300)
    assert_same(before, vars(est))


def test_failed_partial_fit_with_unseen_label_changes_nothing():
    est, X_, y_ = fitted(ToyNetClassifier)
    before = snapshot(est)
    with pytest.raises(ValueError, match="not in `self.classes_`"):
        est.partial_fit(X_, np.where(y_ == 0, 7, y_))
    assert_same(before, vars(est))


def test_failed_refit_keeps_the_old_model_consistent():
    # Validation of the new data records n_features_in_ and classes_ before the
    # fit fails: they must not stay, next to weights trained on other data.
    est, X_, y_ = fitted(ToyNetClassifier)
    before = snapshot(est)
    expected = est.predict_proba(X_)
    with pytest.raises(ValueError, match="non-finite parameter weights"):
        est.set_params(solver="sgd").fit(X_[:, :2] * 1e300, y_ % 2)
    est.set_params(solver="adam")
    assert_same(before, vars(est))
    np.testing.assert_array_equal(est.predict_proba(X_), expected)


def test_failed_first_partial_fit_leaves_the_estimator_unfitted():
    clf = ToyNetClassifier(hidden_layer_sizes=(5,), solver="sgd", batch_norm=True)
    with pytest.raises(ValueError, match="non-finite parameter weights"):
        clf.partial_fit(X * 1e300, Y, classes=[0, 1, 2])
    assert not hasattr(clf, "classes_")
    assert not hasattr(clf, "n_features_in_")
    # So the next call is a first call again, and says what it needs.
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, Y)
