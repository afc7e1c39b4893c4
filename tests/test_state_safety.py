"""Nothing lost, reproducible, thread-safe.

- A failed ``partial_fit`` or ``fit`` leaves the fitted model exactly as it was:
  weights, batch-norm statistics, optimizer state, random state, counters, and
  the attributes validation records (``classes_``, ``n_features_in_``).
- A KeyboardInterrupt during a stochastic fit keeps the epochs trained so far,
  with MLP's warning.
- The same ``random_state`` gives bit-identical weights in another process, and a
  grid search gives the same results serially and in parallel.
- Many threads predicting with one model get identical results.
"""

import copy
import json
import subprocess
import sys
import textwrap
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor, _fitting

X, Y = make_classification(
    n_samples=60, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
    random_state=0,
)  # fmt: skip
X_REG, Y_REG = make_regression(n_samples=60, n_features=4, random_state=0)
Y_REG = Y_REG / Y_REG.std()


def quiet_fit(est, *args, method="fit", **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return getattr(est, method)(*args, **kwargs)


# -- comparing whole estimator states ---------------------------------------------


def assert_same(expected, actual, path="est"):
    """Recursive exact equality of fitted state (arrays bit for bit, NaN == NaN)."""
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray), path
        assert expected.dtype == actual.dtype, path
        assert expected.shape == actual.shape, path
        if expected.dtype.kind in "fc":
            np.testing.assert_array_equal(expected, actual, err_msg=path)
        else:
            assert np.array_equal(expected, actual), path
    elif isinstance(expected, np.random.RandomState):
        for e, a in zip(expected.get_state(), actual.get_state()):
            assert np.array_equal(e, a), path
    elif isinstance(expected, dict):
        assert expected.keys() == actual.keys(), path
        for key in expected:
            assert_same(expected[key], actual[key], f"{path}[{key!r}]")
    elif isinstance(expected, list | tuple):
        assert type(expected) is type(actual) and len(expected) == len(actual), path
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_same(e, a, f"{path}[{i}]")
    elif hasattr(expected, "__dict__") and not isinstance(expected, type):
        assert type(expected) is type(actual), path
        assert_same(vars(expected), vars(actual), f"{path}.")
    elif isinstance(expected, float) and np.isnan(expected):
        assert np.isnan(actual), path
    else:
        assert expected == actual, path


def snapshot(est):
    return copy.deepcopy(vars(est))


def fitted(Est, solver="adam", batch_norm=False, n_partial=2, **params):
    """An estimator fitted once, then continued ``n_partial`` times."""
    X_, y_ = (X, Y) if Est is ToyNetClassifier else (X_REG, Y_REG)
    est = Est(
        hidden_layer_sizes=(5,),
        solver=solver,
        batch_norm=batch_norm,
        max_iter=3,
        random_state=0,
        **params,
    )
    quiet_fit(est, X_, y_)
    if solver != "lbfgs":
        for _ in range(n_partial):
            est.partial_fit(X_, y_)
    return est, X_, y_


@pytest.fixture
def fail_at_epoch(monkeypatch):
    """``fail_at_epoch(k)``: the k-th epoch from now trains, wrecks the weights, fails.

    The weights are overwritten in place, as a real blow-up would leave them,
    before the error: only a fit that trains a copy loses nothing.
    """

    def arm(k):
        real = _fitting.run_epoch
        calls = []

        def run_epoch(net, *args):
            calls.append(1)
            loss = real(net, *args)
            if len(calls) == k:
                for p in net.params():
                    p[...] = np.nan
                raise RuntimeError("boom")
            return loss

        monkeypatch.setattr(_fitting, "run_epoch", run_epoch)

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


# -- KeyboardInterrupt --------------------------------------------------------------


@pytest.fixture
def interrupt_at_epoch(monkeypatch):
    """``interrupt_at_epoch(k)``: Ctrl-C arrives as the k-th epoch starts."""

    def arm(k):
        real = _fitting.run_epoch
        calls = []

        def run_epoch(*args):
            calls.append(1)
            if len(calls) == k:
                raise KeyboardInterrupt
            return real(*args)

        monkeypatch.setattr(_fitting, "run_epoch", run_epoch)

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

    monkeypatch.setattr(_fitting, "fit_lbfgs", interrupted)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X_, y_)
    assert_same(before, vars(est))


# -- reproducibility ----------------------------------------------------------------

CONFIGS = {
    "adam-dropout-bn-early": (
        "ToyNetClassifier",
        dict(dropout=0.2, batch_norm=True, early_stopping=True, max_iter=8),
    ),
    "sgd-invscaling-uniform": (
        "ToyNetClassifier",
        dict(solver="sgd", learning_rate="invscaling", init="uniform", max_iter=8),
    ),
    "lbfgs": ("ToyNetClassifier", dict(solver="lbfgs", max_iter=20)),
    "regressor-adam": ("ToyNetRegressor", dict(max_iter=8, batch_size=16)),
}

FINGERPRINT = textwrap.dedent(
    """
    import hashlib, json, sys, warnings
    import numpy as np
    from sklearn.datasets import make_classification, make_regression
    import sklearn_toynet

    def fingerprint(name, params):
        if name == "ToyNetClassifier":
            X, y = make_classification(n_samples=80, n_features=5, random_state=1)
        else:
            X, y = make_regression(n_samples=80, n_features=5, random_state=1)
            y = y / y.std()
        est = getattr(sklearn_toynet, name)(
            hidden_layer_sizes=(6, 4), random_state=42, **params
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X, y)
        digest = hashlib.sha256()
        for a in est.coefs_ + est.intercepts_:
            digest.update(np.ascontiguousarray(a).tobytes())
        return digest.hexdigest()

    if __name__ == "__main__":
        from threadpoolctl import threadpool_limits

        configs = json.loads(sys.argv[1])
        with threadpool_limits(limits=1, user_api="blas"):  # as tests/conftest.py
            print(json.dumps({k: fingerprint(*v) for k, v in configs.items()}))
    """
)


def test_same_random_state_gives_bit_identical_weights_in_another_process():
    namespace = {}
    exec(compile(FINGERPRINT, "fingerprint", "exec"), namespace)
    here = {k: namespace["fingerprint"](*v) for k, v in CONFIGS.items()}
    result = subprocess.run(
        [sys.executable, "-c", FINGERPRINT, json.dumps(CONFIGS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    there = json.loads(result.stdout)
    assert there == here
    assert len(set(here.values())) == len(here)  # the fingerprints see the weights


def _grid_search(n_jobs, backend=None):
    search = GridSearchCV(
        ToyNetClassifier(max_iter=15, random_state=0, dropout=0.1),
        {"hidden_layer_sizes": [(4,), (8,)], "alpha": [1e-4, 1e-1]},
        cv=3,
        n_jobs=n_jobs,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if backend is None:
            search.fit(X, Y)
        else:
            with parallel_backend(backend):
                search.fit(X, Y)
    return search


@pytest.mark.parametrize("backend", [None, "threading"], ids=["processes", "threads"])
def test_grid_search_gives_the_same_results_serially_and_in_parallel(backend):
    serial = _grid_search(n_jobs=1)
    parallel = _grid_search(n_jobs=2, backend=backend)
    for key in serial.cv_results_:
        if "time" in key:
            continue
        expected, actual = serial.cv_results_[key], parallel.cv_results_[key]
        if key == "params":
            assert expected == actual
        else:
            np.testing.assert_array_equal(np.asarray(expected), np.asarray(actual))
    assert serial.best_params_ == parallel.best_params_
    assert_same(serial.best_estimator_.coefs_, parallel.best_estimator_.coefs_)


# -- thread safety ------------------------------------------------------------------


@pytest.mark.parametrize("batch_norm", [False, True])
def test_concurrent_predict_proba_gives_identical_results(batch_norm):
    rng = np.random.RandomState(0)
    X_big = rng.normal(size=(4000, 4))
    X_big[::97] *= 1e300  # rows that take the overflow-safe path too
    clf = ToyNetClassifier(
        hidden_layer_sizes=(32, 16), batch_norm=batch_norm, max_iter=5, tol=None
    ).fit(X, Y)
    before = snapshot(clf)
    expected = clf.predict_proba(X_big)
    assert np.isfinite(expected).all()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: clf.predict_proba(X_big), range(32)))
    for proba in results:
        np.testing.assert_array_equal(proba, expected)
    assert_same(before, vars(clf))  # predicting changes nothing either
