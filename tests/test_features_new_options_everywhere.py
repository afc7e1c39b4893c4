"""The new activations, losses and label smoothing work with every other feature.

For per-layer and new hidden activations, for each robust loss and for a
classifier's label smoothing: ``partial_fit`` and ``warm_start`` continue
training exactly, zero sample weights drop rows, float32 stays float32, sparse
input fits as dense, ``activations(X)`` ends in the predictions, pickle and
skops round trips predict bit for bit, and scikit-learn's callbacks observe the
fit.
"""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import TRUSTED_TYPES, ToyNetClassifier, ToyNetRegressor

from _helpers import quiet_fit

X, Y_CLASS = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)
Y_REG = X[:, 0] - X[:, 1] ** 2 + 0.1 * np.random.RandomState(0).normal(size=len(X))

CONFIGS = {
    "clf-gelu-silu": (ToyNetClassifier, dict(activation=("gelu", "silu"))),
    "clf-softplus": (ToyNetClassifier, dict(activation="softplus")),
    "clf-label-smoothing": (ToyNetClassifier, dict(label_smoothing=0.15)),
    "reg-huber-elu-leaky": (
        ToyNetRegressor,
        dict(loss="huber", huber_delta=0.5, activation=("elu", "leaky_relu")),
    ),
    "reg-quantile": (ToyNetRegressor, dict(loss="quantile", quantile=0.8)),
    "reg-absolute_error": (ToyNetRegressor, dict(loss="absolute_error")),
}


def make(name, **params):
    Estimator, options = CONFIGS[name]
    est = Estimator(hidden_layer_sizes=(5, 3), random_state=0, **options)
    y = Y_CLASS if Estimator is ToyNetClassifier else Y_REG
    return est.set_params(**params), y


def outputs(est, X_):
    if hasattr(est, "predict_proba"):
        return est.predict_proba(X_)
    return est.predict(X_)


@pytest.mark.parametrize("name", CONFIGS)
def test_partial_fit_and_warm_start_continue_exactly(name):
    sgd = dict(solver="sgd", momentum=0.0, shuffle=False, tol=None)
    est, y = make(name, max_iter=10, **sgd)
    once = quiet_fit(est, X, y)
    halves, _ = make(name, max_iter=5, warm_start=True, **sgd)
    quiet_fit(halves, X, y)
    quiet_fit(halves, X, y)
    np.testing.assert_allclose(outputs(halves, X), outputs(once, X), rtol=1e-12)
    stepped, _ = make(name, **sgd)
    classes = {"classes": np.unique(y)} if hasattr(est, "classes_") else {}
    for _ in range(10):
        stepped.partial_fit(X, y, **classes)
    np.testing.assert_allclose(outputs(stepped, X), outputs(once, X), rtol=1e-12)


@pytest.mark.parametrize("name", CONFIGS)
def test_zero_sample_weights_drop_rows(name):
    est, y = make(name, solver="lbfgs", max_iter=15)
    weight = np.ones(len(X))
    weight[::4] = 0
    weighted = quiet_fit(clone(est), X, y, sample_weight=weight)
    kept = weight > 0
    dropped = quiet_fit(clone(est), X[kept], y[kept])
    np.testing.assert_allclose(outputs(weighted, X), outputs(dropped, X), rtol=1e-6)


@pytest.mark.parametrize("name", CONFIGS)
def test_float32_and_sparse_input(name):
    est, y = make(name, solver="lbfgs", max_iter=15)
    dense = quiet_fit(clone(est), X, y)
    sparse = quiet_fit(clone(est), sp.csr_matrix(X), y)
    np.testing.assert_allclose(outputs(sparse, X), outputs(dense, X), rtol=1e-9)
    single = quiet_fit(clone(est), X.astype(np.float32), y)
    assert all(W.dtype == np.float32 for W in single.coefs_)
    assert outputs(single, X.astype(np.float32)).dtype == np.float32
    assert np.isfinite(single.loss_)


@pytest.mark.parametrize("name", CONFIGS)
def test_activations_end_in_the_predictions(name):
    est, y = make(name, max_iter=20)
    quiet_fit(est, X, y)
    layers = est.activations(X)
    assert [a.shape[1] for a in layers[1:-1]] == [5, 3]
    np.testing.assert_allclose(
        layers[-1].reshape(outputs(est, X).shape), outputs(est, X), rtol=1e-12
    )


@pytest.mark.parametrize("name", CONFIGS)
def test_pickle_and_skops_round_trips_predict_identically(name):
    est, y = make(name, max_iter=20)
    quiet_fit(est, X, y)
    loaded = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(outputs(loaded, X), outputs(est, X))
    assert loaded.get_params() == est.get_params()
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(est)
    assert set(sio.get_untrusted_types(data=data)) <= set(TRUSTED_TYPES)
    loaded = sio.loads(data, trusted=TRUSTED_TYPES)
    np.testing.assert_array_equal(outputs(loaded, X), outputs(est, X))
    assert loaded.get_params() == est.get_params()


@pytest.mark.parametrize("name", CONFIGS)
def test_callbacks_observe_the_fit(name):
    sk_callback = pytest.importorskip("sklearn.callback")
    est, y = make(name, max_iter=6, tol=None)
    scoring = "accuracy" if isinstance(est, ToyNetClassifier) else "r2"
    monitor = sk_callback.ScoringMonitor(scoring=scoring)
    est.set_callbacks(monitor).fit(X, y)
    scores = {row["task_id_path"]: row[scoring] for row in monitor.get_logs().data}
    assert len(scores) == est.n_iter_ + 1
    assert scores[(0,)] == pytest.approx(est.score(X, y))
