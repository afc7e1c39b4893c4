"""Prediction shares its chunks out among the BLAS threads, with the same result.

The suite runs with single-threaded BLAS (conftest.py), which keeps prediction
on the calling thread; these tests raise the limit to two threads to take the
threaded path, and check it gives the single-threaded result bit for bit,
keeps numpy's error state, and leaves the BLAS limit as it found it.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor, _parallel

rng = np.random.RandomState(0)
# 64 hidden units: chunks of 4096 rows, so 20,000 rows make 5 chunks.
X_BIG = rng.normal(size=(20_000, 8))
Y_CLASSES = rng.randint(0, 4, 300)


def _blas_threads():
    return max(
        lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"
    )


@pytest.fixture
def pools(monkeypatch):
    """The thread counts of the pools ``run_split`` starts, in order."""
    started = []

    class CountingExecutor(ThreadPoolExecutor):
        def __init__(self, max_workers):
            started.append(max_workers)
            super().__init__(max_workers)

    monkeypatch.setattr(_parallel, "ThreadPoolExecutor", CountingExecutor)
    return started


def _fitted(kind, batch_norm=False):
    params = dict(hidden_layer_sizes=(64,), max_iter=5, tol=None, random_state=0)
    if kind == "classifier":
        return ToyNetClassifier(batch_norm=batch_norm, **params).fit(
            X_BIG[:300], Y_CLASSES
        )
    return ToyNetRegressor(batch_norm=batch_norm, **params).fit(
        X_BIG[:300], X_BIG[:300, :2].sum(axis=1)
    )


@pytest.mark.parametrize("batch_norm", [False, True])
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_predict_on_two_threads_matches_one_thread(kind, batch_norm, pools):
    est = _fitted(kind, batch_norm)
    method = est.predict_proba if kind == "classifier" else est.predict
    with threadpool_limits(limits=1, user_api="blas"):
        serial = method(X_BIG)
    assert pools == []
    with threadpool_limits(limits=2, user_api="blas"):
        threaded = method(X_BIG)
        assert _blas_threads() == 2  # restored after the call
    assert pools == [2]
    np.testing.assert_array_equal(threaded, serial)


def test_few_chunks_stay_on_the_calling_thread(pools):
    est = _fitted("classifier")
    with threadpool_limits(limits=2, user_api="blas"):
        est.predict_proba(X_BIG[:12_000])  # 3 chunks: fewer than 2 per thread
    assert pools == []


def test_threaded_predict_keeps_extreme_rows_finite_and_warning_free(pools):
    # RuntimeWarnings are errors in this suite (pyproject.toml), in every thread.
    est = _fitted("classifier")
    X = X_BIG.copy()
    X[::97] *= 1e300
    with threadpool_limits(limits=1, user_api="blas"):
        serial = est.predict_proba(X)
    with threadpool_limits(limits=2, user_api="blas"):
        threaded = est.predict_proba(X)
    assert pools == [2]
    assert np.isfinite(threaded).all()
    np.testing.assert_array_equal(threaded, serial)


def test_concurrent_threaded_predicts_agree_and_restore_the_blas_limit():
    est = _fitted("classifier")
    with threadpool_limits(limits=1, user_api="blas"):
        expected = est.predict_proba(X_BIG)
    with threadpool_limits(limits=2, user_api="blas"):
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda _: est.predict_proba(X_BIG), range(12)))
        assert _blas_threads() == 2
    for proba in results:
        np.testing.assert_array_equal(proba, expected)


def test_a_failing_chunk_raises_and_restores_the_blas_limit():
    def work(part):
        if 3 in part:
            raise ValueError("chunk 3 failed")

    with threadpool_limits(limits=2, user_api="blas"):
        with pytest.raises(ValueError, match="chunk 3 failed"):
            _parallel.run_split(work, range(8))
        assert _blas_threads() == 2


def test_run_split_covers_every_item_once():
    seen = []
    with threadpool_limits(limits=2, user_api="blas"):
        _parallel.run_split(seen.extend, range(11))
    assert sorted(seen) == list(range(11))


def test_run_split_carries_numpy_error_state_into_its_threads():
    states = []
    with threadpool_limits(limits=2, user_api="blas"), np.errstate(all="ignore"):
        _parallel.run_split(lambda part: states.append(np.geterr()), range(8))
        expected = np.geterr()
    assert len(states) == 2
    assert all(state == expected for state in states)
