"""Many threads predicting with one model get identical results.

Concurrent ``predict_proba`` calls, overflow-safe rows included, all return the
serial result, and predicting leaves the fitted model unchanged.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier

from _state_helpers import X, Y, assert_same, snapshot

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
