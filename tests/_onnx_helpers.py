"""Conversion and inference shared by the ``test_onnx_*.py`` modules.

Importing this module skips the importing test module when the ``onnx`` extra
(skl2onnx, onnx, onnxruntime) is missing; CI installs it with the test extra.
``convert`` converts with skl2onnx's own ``to_onnx`` and validates the model with
``onnx.checker``; ``run`` runs it in ONNX Runtime and returns the outputs by name;
``reference_forward`` is the network written out from the formulas, in float64,
for activations ToyNet may not have yet.
"""

import numpy as np
import pytest
from scipy.special import erf, expit

REASON = 'the onnx extra is not installed: pip install ".[onnx]" from a clone'
onnx = pytest.importorskip("onnx", reason=REASON)
ort = pytest.importorskip("onnxruntime", reason=REASON)
skl2onnx = pytest.importorskip("skl2onnx", reason=REASON)

import sklearn_toynet.onnx  # noqa: E402, F401  (registers the converters)
from sklearn_toynet import ToyNetRegressor  # noqa: E402

from _helpers import quiet_fit  # noqa: E402

RNG = np.random.RandomState(0)
X = RNG.normal(size=(90, 5))
Y3 = np.arange(90) % 3
TARGETS = {
    "binary": Y3 % 2,
    "multiclass": Y3,
    "multilabel": np.c_[Y3 % 2, Y3 // 2, (Y3 + 1) % 2],
}
Y2 = np.c_[X[:, 0] - X[:, 1], 2 * X[:, 2] + 1]  # two regression targets
ATOL = {np.float32: 1e-5, np.float64: 1e-10}


def convert(model, X_sample, dtype=np.float32, **options):
    """skl2onnx's ``to_onnx`` on a typed first row, the model checked by onnx."""
    options = {id(model): options} if options else None
    onx = skl2onnx.to_onnx(
        model, np.asarray(X_sample[:1], dtype=dtype), options=options
    )
    onnx.checker.check_model(onx)
    return onx


def session(onx):
    so = ort.SessionOptions()
    so.log_severity_level = 3  # errors only
    return ort.InferenceSession(onx.SerializeToString(), so)


def run(onx, X, dtype=np.float32):
    """The model's outputs on ``X`` (one input, cast to ``dtype``), by name."""
    sess = session(onx)
    feed = {sess.get_inputs()[0].name: np.asarray(X, dtype=dtype)}
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(None, feed)))


def run_frame(onx, frame):
    """The model's outputs on a DataFrame, one ONNX input per column."""
    sess = session(onx)
    feed = {}
    for inp in sess.get_inputs():
        column = frame[inp.name].to_numpy()
        if inp.type == "tensor(string)":
            column = column.astype(object)
        elif inp.type == "tensor(float)":
            column = column.astype(np.float32)
        feed[inp.name] = column.reshape(-1, 1)
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(None, feed)))


def fit(est, X, y):
    return quiet_fit(est, X, y)


def regressor(y, dtype=np.float64, **params):
    """A briefly trained two-hidden-layer ToyNetRegressor on ``X`` in ``dtype``."""
    params = {"hidden_layer_sizes": (7, 4), "max_iter": 60, "random_state": 0, **params}
    return fit(ToyNetRegressor(**params), X.astype(dtype), y)


# The hidden activations by their definitions, in float64.
FORMULAS = {
    "identity": lambda Z: Z,
    "logistic": expit,
    "tanh": np.tanh,
    "relu": lambda Z: np.maximum(Z, 0),
    "leaky_relu": lambda Z: np.where(Z > 0, Z, 0.01 * Z),
    "elu": lambda Z: np.where(Z > 0, Z, np.expm1(np.minimum(Z, 0))),
    "gelu": lambda Z: 0.5 * Z * (1 + erf(Z / np.sqrt(2))),
    "silu": lambda Z: Z * expit(Z),
    "softplus": lambda Z: np.logaddexp(0, Z),
}


def reference_forward(est, X, activations):
    """Output-layer values of ``est`` for ``X``, one activation name per layer."""
    A = np.asarray(X, dtype=np.float64)
    last = len(est.coefs_) - 1
    for i, (W, b) in enumerate(zip(est.coefs_, est.intercepts_)):
        Z = A @ W.astype(np.float64) + b
        if i == last:
            break
        A = FORMULAS[activations[i]](Z)
    if est.out_activation_ == "softmax":
        Z = np.exp(Z - Z.max(axis=1, keepdims=True))
        return Z / Z.sum(axis=1, keepdims=True)
    return expit(Z) if est.out_activation_ == "logistic" else Z
