"""ToyNet on other array libraries: array-api-strict always, PyTorch when installed.

Under scikit-learn's ``array_api_dispatch``, a fit on another library's arrays
must give the NumPy fit's model (weights are drawn, batches shuffled, dropout
masks and validation splits drawn by NumPy's random state, then moved), to
1e-10 in float64 and 1e-5 in float32 over a short fit; its fitted arrays and
its outputs live in the input's namespace, on its device; every method and
option works there. Without dispatch, tensors are converted to NumPy as
scikit-learn converts them.
"""

import pickle

import numpy as np
import pytest
import sklearn
from _array_api_helpers import NAMESPACES, namespace_and_device, on
from sklearn.datasets import load_iris, make_multilabel_classification
from sklearn.preprocessing import StandardScaler
from sklearn.utils._array_api import get_namespace_and_device, move_estimator_to

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._array_api import to_numpy
from sklearn_toynet._init import init_weights
from sklearn_toynet._losses import Objective
from sklearn_toynet._network import BatchNormState, Network, views_of
from sklearn_toynet._state import Data
from sklearn_toynet._training import Workspace, loss_and_gradient

from _gradients_helpers import EPS

TOLERANCE = {np.float64: 1e-10, np.float32: 1e-5}


@pytest.fixture(autouse=True)
def _dispatch():
    with sklearn.config_context(array_api_dispatch=True):
        yield


def _iris(dtype=np.float64):
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X).astype(dtype), y


def _in_namespace_of(array, name):
    xp, device = namespace_and_device(name)
    array_xp, _, array_device = get_namespace_and_device(array)
    return array_xp.__name__.endswith(xp.__name__) and str(array_device) == str(device)


def _assert_same_model(est_xp, est, dtype, name, tol=None):
    tol = TOLERANCE[dtype] if tol is None else tol
    for group in ("coefs_", "intercepts_"):
        for a_xp, a in zip(getattr(est_xp, group), getattr(est, group)):
            assert _in_namespace_of(a_xp, name)
            np.testing.assert_allclose(to_numpy(a_xp), a, rtol=0, atol=tol)
            assert to_numpy(a_xp).dtype == a.dtype
    np.testing.assert_allclose(est_xp.loss_curve_, est.loss_curve_, rtol=tol)
    assert est_xp.n_iter_ == est.n_iter_ and est_xp.t_ == est.t_


ADAM = dict(
    hidden_layer_sizes=(10,),
    solver="adam",
    max_iter=40,
    tol=None,
    learning_rate_init=0.01,
    random_state=0,
)


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_40_epoch_adam_fit_on_iris_is_the_numpy_fit(name, dtype):
    X, y = _iris(dtype)
    est = ToyNetClassifier(**ADAM).fit(X, y)
    est_xp = ToyNetClassifier(**ADAM).fit(on(name, X), on(name, y))
    _assert_same_model(est_xp, est, dtype, name)
    X_xp = on(name, X)
    for method in ("predict_proba", "predict_log_proba"):
        out = getattr(est_xp, method)(X_xp)
        assert _in_namespace_of(out, name)
        np.testing.assert_allclose(
            to_numpy(out), getattr(est, method)(X), atol=10 * TOLERANCE[dtype]
        )
    labels = est_xp.predict(X_xp)
    assert _in_namespace_of(labels, name)
    np.testing.assert_array_equal(to_numpy(labels), est.predict(X))
    assert _in_namespace_of(est_xp.classes_, name)
    np.testing.assert_array_equal(to_numpy(est_xp.classes_), est.classes_)
    score = est_xp.score(X_xp, on(name, y))
    assert isinstance(score, float)
    assert score == pytest.approx(est.score(X, y), abs=1e-6)
    layers = est_xp.activations(X_xp)
    for A_xp, A in zip(layers, est.activations(X)):
        assert _in_namespace_of(A_xp, name)
        np.testing.assert_allclose(to_numpy(A_xp), A, atol=10 * TOLERANCE[dtype])


# Options that change the path through a fit, each against the NumPy fit.
CLASSIFIER_CASES = {
    "sgd-nesterov": dict(solver="sgd", learning_rate_init=0.1),
    "sgd-invscaling": dict(solver="sgd", learning_rate="invscaling", momentum=0.5),
    "early-stopping": dict(early_stopping=True, validation_fraction=0.2),
    "early-stopping-loss": dict(early_stopping=True, scoring="loss"),
    "early-stopping-scorer": dict(early_stopping=True, scoring="accuracy"),
    "batch-norm": dict(batch_norm=True),
    "dropout": dict(dropout=0.2),
    "clipping": dict(max_grad_norm=0.05),
    "two-layers-gelu-silu": dict(
        hidden_layer_sizes=(6, 5), activation=("gelu", "silu")
    ),
    "l2": dict(alpha=0.1),
    "no-intercept-uniform": dict(fit_intercept=False, init="uniform"),
    "class-weight": dict(class_weight="balanced"),
    "label-smoothing-early-stopping": dict(label_smoothing=0.1, early_stopping=True),
    "no-shuffle-minibatch": dict(shuffle=False, batch_size=32),
}


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("case", sorted(CLASSIFIER_CASES))
def test_classifier_options_give_the_numpy_model(name, case):
    X, y = _iris()
    params = {**ADAM, "max_iter": 15, **CLASSIFIER_CASES[case]}
    est = ToyNetClassifier(**params).fit(X, y)
    est_xp = ToyNetClassifier(**params).fit(on(name, X), on(name, y))
    _assert_same_model(est_xp, est, np.float64, name)
    if est.early_stopping:
        np.testing.assert_allclose(
            est_xp.validation_scores_, est.validation_scores_, atol=1e-10
        )
    if est.batch_norm:
        for arrays_xp, arrays in zip(
            vars(est_xp.batch_norm_).values(), vars(est.batch_norm_).values()
        ):
            for a_xp, a in zip(arrays_xp, arrays):
                assert _in_namespace_of(a_xp, name)
                np.testing.assert_allclose(to_numpy(a_xp), a, atol=1e-10)
    np.testing.assert_allclose(
        to_numpy(est_xp.predict_proba(on(name, X))), est.predict_proba(X), atol=1e-10
    )


@pytest.mark.parametrize("name", NAMESPACES)
def test_sample_weight_follows_x_from_numpy(name):
    # Everything follows X: y and sample_weight given as NumPy arrays.
    X, y = _iris()
    weights = np.random.RandomState(0).uniform(0, 2, len(y))
    est = ToyNetClassifier(**ADAM).fit(X, y, sample_weight=weights)
    est_xp = ToyNetClassifier(**ADAM).fit(on(name, X), y, sample_weight=weights)
    _assert_same_model(est_xp, est, np.float64, name)
    est_xp = ToyNetClassifier(**ADAM).fit(
        on(name, X), on(name, y), sample_weight=on(name, weights)
    )
    _assert_same_model(est_xp, est, np.float64, name)


@pytest.mark.parametrize("name", NAMESPACES)
def test_a_given_validation_set_follows_x(name):
    X, y = _iris()
    order = np.random.RandomState(0).permutation(len(y))
    X, y = X[order], y[order]
    params = {**ADAM, "early_stopping": True, "max_iter": 10}
    est = ToyNetClassifier(**params).fit(X[:100], y[:100], X_val=X[100:], y_val=y[100:])
    est_xp = ToyNetClassifier(**params).fit(
        on(name, X[:100]), on(name, y[:100]), X_val=X[100:], y_val=on(name, y[100:])
    )
    _assert_same_model(est_xp, est, np.float64, name)
    np.testing.assert_allclose(
        est_xp.validation_scores_, est.validation_scores_, atol=1e-10
    )


@pytest.mark.parametrize("name", NAMESPACES)
def test_multilabel(name):
    X, Y = make_multilabel_classification(n_samples=60, n_classes=3, random_state=0)
    X = StandardScaler().fit_transform(X)
    est = ToyNetClassifier(**ADAM).fit(X, Y)
    est_xp = ToyNetClassifier(**ADAM).fit(on(name, X), on(name, Y))
    _assert_same_model(est_xp, est, np.float64, name)
    predicted = est_xp.predict(on(name, X))
    assert _in_namespace_of(predicted, name)
    np.testing.assert_array_equal(to_numpy(predicted), est.predict(X))


REGRESSOR_CASES = {
    "squared-error": dict(),
    "huber": dict(loss="huber", huber_delta=0.5),
    "quantile": dict(loss="quantile", quantile=0.3),
    "absolute-error": dict(loss="absolute_error"),
    "poisson": dict(loss="poisson"),
    "early-stopping": dict(early_stopping=True),
    "batch-norm-relu": dict(batch_norm=True, activation="relu"),
}


@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize("case", sorted(REGRESSOR_CASES))
@pytest.mark.parametrize("n_outputs", [1, 2])
def test_regressor_gives_the_numpy_model(name, case, n_outputs):
    # Batch statistics round differently (NumPy's var and the namespace's),
    # and relu's kinks carry that a little further over the epochs.
    tolerance = 1e-8 if case == "batch-norm-relu" else 1e-10
    rng = np.random.RandomState(1)
    X = rng.normal(size=(80, 4))
    y = np.abs(X[:, :n_outputs] * 2 + 0.1 * rng.normal(size=(80, n_outputs)))
    y = y.ravel() if n_outputs == 1 else y
    params = {**ADAM, "max_iter": 15, **REGRESSOR_CASES[case]}
    est = ToyNetRegressor(**params).fit(X, y)
    est_xp = ToyNetRegressor(**params).fit(on(name, X), on(name, y))
    _assert_same_model(est_xp, est, np.float64, name, tolerance)
    predicted = est_xp.predict(on(name, X))
    assert _in_namespace_of(predicted, name)
    assert tuple(predicted.shape) == est.predict(X).shape
    np.testing.assert_allclose(to_numpy(predicted), est.predict(X), atol=tolerance)
    assert est_xp.score(on(name, X), on(name, y)) == pytest.approx(
        est.score(X, y), abs=1e-6
    )


@pytest.mark.parametrize("name", NAMESPACES)
def test_partial_fit_and_warm_start_continue_as_numpy(name):
    X, y = _iris()
    est, est_xp = ToyNetClassifier(**ADAM), ToyNetClassifier(**ADAM)
    for rows in (slice(0, 150, 2), slice(1, 150, 2), slice(None)):
        est.partial_fit(X[rows], y[rows], classes=np.unique(y))
        est_xp.partial_fit(on(name, X[rows]), on(name, y[rows]), classes=np.unique(y))
    _assert_same_model(est_xp, est, np.float64, name)
    est.set_params(warm_start=True, max_iter=5).fit(X, y)
    est_xp.set_params(warm_start=True, max_iter=5).fit(on(name, X), on(name, y))
    _assert_same_model(est_xp, est, np.float64, name)


@pytest.mark.parametrize("name", NAMESPACES)
def test_lbfgs_evaluates_on_the_device_and_steps_on_the_host(name):
    # scipy's L-BFGS-B runs on the host; the data stay on the device, and
    # only the parameter vector and its gradient cross, each evaluation.
    X, y = _iris()
    params = dict(solver="lbfgs", hidden_layer_sizes=(5,), max_iter=30, random_state=0)
    with pytest.warns(sklearn.exceptions.ConvergenceWarning):
        est = ToyNetClassifier(**params).fit(X, y)
    with pytest.warns(sklearn.exceptions.ConvergenceWarning):
        est_xp = ToyNetClassifier(**params).fit(on(name, X), on(name, y))
    for a_xp, a in zip(est_xp.coefs_, est.coefs_):
        assert _in_namespace_of(a_xp, name)
        # Each evaluation differs from NumPy's by rounding; L-BFGS's line
        # searches can amplify that, so a looser tolerance than adam's.
        np.testing.assert_allclose(to_numpy(a_xp), a, atol=1e-6)


@pytest.mark.parametrize("name", NAMESPACES)
def test_a_numpy_input_to_a_model_fitted_elsewhere_is_refused(name):
    X, y = _iris()
    est_xp = ToyNetClassifier(**{**ADAM, "max_iter": 2}).fit(on(name, X), on(name, y))
    for method in ("predict", "predict_proba", "predict_log_proba", "activations"):
        with pytest.raises(ValueError, match=rf"ToyNetClassifier\.{method}\(\) must"):
            getattr(est_xp, method)(X)
    with pytest.raises(ValueError, match="must use the same namespace"):
        est_xp.partial_fit(X, y)


@pytest.mark.parametrize("name", NAMESPACES)
def test_a_model_moves_to_numpy_to_be_saved_and_back(name):
    X, y = _iris()
    params = {**ADAM, "batch_norm": True, "max_iter": 5}
    est_xp = ToyNetClassifier(**params).fit(on(name, X), on(name, y))
    est_np = move_estimator_to(est_xp, np, "cpu")
    for group in ("coefs_", "intercepts_"):
        assert all(type(a) is np.ndarray for a in getattr(est_np, group))
    assert all(
        type(a) is np.ndarray
        for arrays in vars(est_np.batch_norm_).values()
        for a in arrays
    )
    assert all(type(a) is np.ndarray for a in est_np._optimizer.first_moments)
    assert type(est_np.classes_) is np.ndarray
    loaded = pickle.loads(pickle.dumps(est_np))
    expected = to_numpy(est_xp.predict_proba(on(name, X)))
    with sklearn.config_context(array_api_dispatch=False):
        np.testing.assert_allclose(loaded.predict_proba(X), expected)
        loaded.partial_fit(X, y)  # and it trains on, in NumPy
        # The model left on the device asks for dispatch (or a move) instead.
        with pytest.raises(ValueError, match="needs scikit-learn's array API"):
            est_xp.predict_proba(X)
    # The namespace and device as scikit-learn names them: X's.
    xp, _, device = get_namespace_and_device(on(name, X))
    back = move_estimator_to(est_np, xp, device)
    assert _in_namespace_of(back.coefs_[0], name)
    assert _in_namespace_of(back.batch_norm_.running_vars[0], name)
    np.testing.assert_allclose(
        to_numpy(back.predict_proba(on(name, X))),
        to_numpy(est_xp.predict_proba(on(name, X))),
    )
    back.partial_fit(on(name, X), on(name, y))


def test_without_dispatch_tensors_become_numpy():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    X, y = _iris()
    with sklearn.config_context(array_api_dispatch=False):
        est = ToyNetClassifier(**ADAM).fit(torch.asarray(X), torch.asarray(y))
        assert type(est.coefs_[0]) is np.ndarray
        assert type(est.predict_proba(torch.asarray(X))) is np.ndarray
    reference = ToyNetClassifier(**ADAM).fit(X, y)
    np.testing.assert_array_equal(est.coefs_[0], reference.coefs_[0])


@pytest.mark.parametrize("name", NAMESPACES)
def test_inputs_near_the_float_limit_predict_finite(name):
    X, y = _iris()
    est_xp = ToyNetClassifier(**{**ADAM, "max_iter": 3}).fit(on(name, X), on(name, y))
    huge = np.full((2, 4), np.finfo(np.float64).max / 2)
    huge[1] = X[0]
    proba = to_numpy(est_xp.predict_proba(on(name, huge)))
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    np.testing.assert_allclose(
        proba[1], to_numpy(est_xp.predict_proba(on(name, X[:1])))[0]
    )


# -- the gradient on the generic path, against central finite differences --------
@pytest.mark.parametrize("name", NAMESPACES)
@pytest.mark.parametrize(
    "activation", ["logistic", "tanh", "relu", "elu", "gelu", "silu", "softplus"]
)
@pytest.mark.parametrize("batch_norm", [False, True])
def test_generic_gradient_matches_finite_differences(name, activation, batch_norm):
    rng = np.random.RandomState(0)
    X, Y = rng.normal(size=(7, 3)), np.eye(3)[rng.randint(0, 3, 7)]
    weights = rng.uniform(0.5, 1.5, 7)
    X_xp = on(name, X)
    coefs, intercepts = init_weights(
        [3, 5, 4, 3], "glorot", activation, True, rng, np.float64, like=X_xp
    )
    bn = None
    if batch_norm:
        bn = BatchNormState.fresh([5, 4], np.float64).__sklearn_array_api_convert__(
            lambda a: on(name, a)
        )
    net = Network(coefs, intercepts, activation, "softmax", batch_norm=bn)
    flat = net.flatten()
    grads_flat = Workspace(net, flat).flat_grad
    grads = views_of(grads_flat, net.params())
    data = Data(X_xp, on(name, Y), on(name, weights))
    objective = Objective("log_loss", alpha=0.3)
    loss_and_gradient(net, data, grads, objective)
    analytic = to_numpy(grads_flat).copy()
    start = to_numpy(flat).copy()
    numeric = np.empty_like(start)
    for k in range(start.size):
        values = []
        for step in (EPS, -EPS):
            moved = start.copy()
            moved[k] += step
            flat[...] = on(name, moved)
            values.append(loss_and_gradient(net, data, grads, objective)[0])
        numeric[k] = (values[0] - values[1]) / (2 * EPS)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", NAMESPACES)
def test_onnx_and_skops_take_the_model_moved_to_numpy(name):
    pytest.importorskip("skl2onnx", reason="the onnx extra is not installed")
    sio = pytest.importorskip("skops.io", reason="the persistence extra is absent")
    import onnxruntime

    import sklearn_toynet
    from sklearn_toynet.onnx import to_onnx

    X, y = _iris()
    est_xp = ToyNetClassifier(**{**ADAM, "max_iter": 5}).fit(on(name, X), on(name, y))
    with pytest.raises(TypeError, match="move it first"):
        to_onnx(est_xp, X)
    est_np = move_estimator_to(est_xp, np, "cpu")
    expected = to_numpy(est_xp.predict_proba(on(name, X)))
    onx = to_onnx(est_np, X, options={"zipmap": False})
    session = onnxruntime.InferenceSession(onx.SerializeToString())
    inputs = {session.get_inputs()[0].name: X[:5].astype(np.float32)}
    _, proba = session.run(None, inputs)
    np.testing.assert_allclose(proba, expected[:5], atol=1e-5)
    loaded = sio.loads(sio.dumps(est_np), trusted=sklearn_toynet.TRUSTED_TYPES)
    with sklearn.config_context(array_api_dispatch=False):
        np.testing.assert_allclose(loaded.predict_proba(X), expected)


def test_pytorch_cpu_threads_follow_numpys_rule_during_a_call(monkeypatch):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    before = torch.get_num_threads()
    if before < 2:
        pytest.skip("PyTorch runs one CPU thread here: nothing to limit")
    seen = []
    forward = Network.forward

    def spy(self, X, **kwargs):
        seen.append(torch.get_num_threads())
        return forward(self, X, **kwargs)

    monkeypatch.setattr(Network, "forward", spy)
    X, y = _iris()
    est = ToyNetClassifier(**{**ADAM, "max_iter": 2})
    est.fit(torch.asarray(X), torch.asarray(y)).predict(torch.asarray(X))
    # iris's products are far below one thread's worth of multiply-adds.
    assert seen and set(seen) == {1}
    assert torch.get_num_threads() == before
