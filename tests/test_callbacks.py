"""scikit-learn's callback API (sklearn.callback) drives and observes a fit."""

import importlib.util
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler

import sklearn_toynet._callbacks as callbacks_module
from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _helpers import EpochCallback

sk_callback = pytest.importorskip("sklearn.callback")


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


class StopAfter(EpochCallback):
    """A callback that asks the fit to stop once ``n_iter_`` reaches ``n``."""

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        return fitted_estimator is not None and fitted_estimator.n_iter_ >= self.n


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_callback_that_asks_to_stop_ends_the_fit(iris, solver):
    X, y = iris
    clf = ToyNetClassifier(solver=solver, max_iter=50, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf.set_callbacks(StopAfter(4)).fit(X, y)
    assert clf.n_iter_ == 4
    assert len(clf.loss_curve_) == 4


def test_scoring_monitor_records_a_score_per_epoch(iris):
    X, y = iris
    monitor = sk_callback.ScoringMonitor(scoring="neg_log_loss")
    clf = ToyNetClassifier(max_iter=12, tol=None, random_state=0)
    clf.set_callbacks(monitor).fit(X, y)
    scores = {
        row["task_id_path"]: row["neg_log_loss"] for row in monitor.get_logs().data
    }
    # One score per epoch, (0, i), plus one for the whole fit, (0,).
    assert len(scores) == clf.n_iter_ + 1
    final = -log_loss(y, clf.predict_proba(X))
    assert scores[(0,)] == pytest.approx(final)
    assert scores[(0, clf.n_iter_ - 1)] == pytest.approx(final)
    assert scores[(0, 0)] < final  # the model improved epoch by epoch


def test_progress_bar_runs_on_classifier_and_regressor(iris):
    pytest.importorskip("rich")
    X, y = iris
    ToyNetClassifier(max_iter=5, tol=None).set_callbacks(sk_callback.ProgressBar()).fit(
        X, y
    )
    reg = ToyNetRegressor(max_iter=5, tol=None)
    reg.set_callbacks(sk_callback.ProgressBar()).fit(X, y.astype(float))
    assert reg.n_iter_ == 5


def test_fit_without_callbacks_is_unchanged_by_the_bridge(iris):
    X, y = iris
    plain = ToyNetClassifier(max_iter=5, tol=None, random_state=0).fit(X, y)
    observed = ToyNetClassifier(max_iter=5, tol=None, random_state=0)
    observed.set_callbacks(StopAfter(100)).fit(X, y)
    for W1, W2 in zip(plain.coefs_, observed.coefs_):
        np.testing.assert_array_equal(W1, W2)


def test_old_scikit_learn_gets_a_clear_message(monkeypatch):
    # Load a fresh copy of the bridge as if sklearn.callback did not exist.
    monkeypatch.setitem(sys.modules, "sklearn.callback", None)
    spec = importlib.util.spec_from_file_location(
        "old_bridge", callbacks_module.__file__
    )
    old_bridge = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old_bridge)
    with pytest.raises(ImportError, match=r"scikit-learn >= 1\.9"):
        old_bridge.CallbackSupportMixin().set_callbacks(StopAfter(1))
