"""The same ``random_state`` gives the same model, wherever it is trained.

The weights are bit-identical in another process, and a grid search gives the
same results serially and in parallel (processes and threads).
"""

import json
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from sklearn_toynet import ToyNetClassifier

from _state_helpers import X, Y, assert_same

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


@pytest.mark.slow
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


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(None, id="processes", marks=pytest.mark.slow),
        pytest.param("threading", id="threads"),
    ],
)
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
