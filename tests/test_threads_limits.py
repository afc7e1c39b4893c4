"""BLAS thread pools during a call: limited inside, restored after, raised never.

The session runs with every pool at one thread (conftest); each test here sets
the pools to two threads first, so that a limit has something to lower.
"""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor, _base, _threads

from _helpers import quiet_fit
from _state_helpers import X, Y


def _threads_by_file():
    return {
        lib["filepath"]: lib["num_threads"]
        for lib in threadpool_info()
        if lib["user_api"] == "blas"
    }


def _numpy_pool(threads):
    """numpy's pools' entries of a ``_threads_by_file`` dict (as ``_threads``)."""
    ours = {f: n for f, n in threads.items() if "numpy" in f}
    return ours or threads


@pytest.fixture
def two_threads():
    """Every BLAS pool at two threads for the test (one where the build caps it)."""
    with threadpool_limits(limits=2, user_api="blas"):
        yield _threads_by_file()


def _spy(monkeypatch, name, fail=False):
    """Wrap ``_base.<name>`` to record the pools' threads inside it (and raise)."""
    seen = []
    real = getattr(_base, name)

    def spy(*args, **kwargs):
        seen.append(_threads_by_file())
        if fail:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(_base, name, spy)
    return seen


CALLS = [
    pytest.param("fit_lbfgs", {"solver": "lbfgs"}, "fit", id="lbfgs-fit"),
    pytest.param("fit_stochastic", {"solver": "adam"}, "fit", id="adam-fit"),
    pytest.param("fit_stochastic", {"solver": "sgd"}, "fit", id="sgd-fit"),
    pytest.param("fit_stochastic", {"solver": "adam"}, "partial_fit", id="partial"),
]


def _call(est, method):
    if method == "partial_fit":
        return est.partial_fit(X, Y, classes=np.unique(Y))
    return quiet_fit(est, X, Y)


@pytest.mark.parametrize("solver_call, params, method", CALLS)
def test_fit_holds_other_pools_at_one_thread_and_restores(
    monkeypatch, two_threads, solver_call, params, method
):
    seen = _spy(monkeypatch, solver_call)
    est = ToyNetClassifier(hidden_layer_sizes=(5,), max_iter=2, **params)
    _call(est, method)
    (inside,) = seen
    # No second pool spinning beside numpy's; and a problem this small gets
    # one thread in numpy's pool too.
    assert set(inside.values()) == {1}
    assert _threads_by_file() == two_threads


@pytest.mark.parametrize("solver_call, params, method", CALLS)
def test_limits_are_restored_after_an_exception(
    monkeypatch, two_threads, solver_call, params, method
):
    _spy(monkeypatch, solver_call, fail=True)
    est = ToyNetClassifier(hidden_layer_sizes=(5,), max_iter=2, **params)
    with pytest.raises(RuntimeError, match="boom"):
        _call(est, method)
    assert _threads_by_file() == two_threads


def test_large_products_keep_the_users_threads_for_numpy(monkeypatch, two_threads):
    # 2,000 rows x 50 x 100: 10 million multiply-adds, two threads' worth.
    seen = _spy(monkeypatch, "fit_lbfgs")
    rng = np.random.RandomState(0)
    X_big, y_big = rng.rand(2000, 50), rng.rand(2000)
    est = ToyNetRegressor(hidden_layer_sizes=(100,), solver="lbfgs", max_iter=1)
    quiet_fit(est, X_big, y_big)
    ours = _numpy_pool(two_threads)
    assert {f: seen[0][f] for f in ours} == ours


def test_the_users_lower_limit_is_never_raised(monkeypatch, two_threads):
    seen = _spy(monkeypatch, "fit_lbfgs")
    rng = np.random.RandomState(0)
    X_big, y_big = rng.rand(2000, 50), rng.rand(2000)
    with threadpool_limits(limits=1, user_api="blas"):
        est = ToyNetRegressor(hidden_layer_sizes=(100,), solver="lbfgs", max_iter=1)
        quiet_fit(est, X_big, y_big)
        assert set(_threads_by_file().values()) == {1}
    assert set(seen[0].values()) == {1}
    assert _threads_by_file() == two_threads


@pytest.mark.parametrize("n_rows", [1, 5000])
def test_predict_restores_the_pools(two_threads, n_rows):
    est = ToyNetClassifier(hidden_layer_sizes=(64,), solver="lbfgs", max_iter=5)
    quiet_fit(est, X, Y)
    est.predict_proba(np.tile(X, (n_rows // len(X) + 1, 1))[:n_rows])
    assert _threads_by_file() == two_threads


def test_predict_limits_small_products_to_one_numpy_thread(monkeypatch, two_threads):
    est = ToyNetClassifier(hidden_layer_sizes=(64,), solver="lbfgs", max_iter=5)
    quiet_fit(est, X, Y)
    seen = []
    real = _base.Network.predict

    def spy(net, X_):
        seen.append(_threads_by_file())
        return real(net, X_)

    monkeypatch.setattr(_base.Network, "predict", spy)
    est.predict(np.tile(X, (50, 1)))  # 3,000 x 4 x 64: 0.8 million multiply-adds
    ours = _numpy_pool(two_threads)
    assert {f: seen[0][f] for f in ours} == dict.fromkeys(ours, 1)
    assert _threads_by_file() == two_threads


@pytest.mark.parametrize(
    "multiply_adds, threads",
    [(1, 1), (4_915_200, 1), (7_999_999, 1), (8_000_000, 2), (33_554_432, 8)],
)
def test_one_thread_per_four_million_multiply_adds(multiply_adds, threads):
    assert _threads.threads_for(multiply_adds) == threads


def test_largest_product_is_that_of_the_widest_layer_pair():
    assert _threads.largest_product(1200, [64, 64, 10]) == 1200 * 64 * 64
    assert _threads.largest_product(32, [100, 1024, 1024, 5]) == 32 * 1024 * 1024
