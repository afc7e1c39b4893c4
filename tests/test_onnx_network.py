"""The converted network computes ToyNet's layers: activations and batch norm.

Every hidden activation ToyNet has matches ToyNet's own predictions; every one
the converter writes matches its definition (the leaky ReLU's slope 0.01, ELU's
alpha 1, GELU's exact erf form, SiLU, a stable softplus), one name per layer as
well as one for all; batch normalization's running statistics are emitted as
operators in ToyNet's order, which rounds closer to ToyNet than folding them
into the weights.
"""

import copy

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from sklearn_toynet._batchnorm import EPSILON
from sklearn_toynet._onnx_graph import HIDDEN

from _onnx_helpers import (
    ATOL,
    FORMULAS,
    TARGETS,
    X,
    convert,
    fit,
    reference_forward,
    run,
)

TOYNET_HIDDEN = sorted(HIDDEN_ACTIVATIONS)


def test_every_toynet_activation_has_a_converter():
    assert set(TOYNET_HIDDEN) <= set(HIDDEN)


@pytest.mark.parametrize("activation", TOYNET_HIDDEN)
@pytest.mark.parametrize("target", TARGETS)
def test_each_activation_matches_toynet(activation, target):
    clf = ToyNetClassifier((8, 5), activation=activation, max_iter=40, random_state=0)
    clf = fit(clf, X, TARGETS[target])
    out = run(convert(clf, X, zipmap=False), X)
    np.testing.assert_allclose(
        out["probabilities"], clf.predict_proba(X), rtol=0, atol=ATOL[np.float32]
    )
    assert out["label"].tolist() == clf.predict(X).tolist()


@pytest.mark.parametrize("activation", TOYNET_HIDDEN)
def test_each_activation_matches_toynet_in_a_regressor(activation):
    reg = ToyNetRegressor(
        hidden_layer_sizes=(8, 5), activation=activation, max_iter=40, random_state=0
    )
    reg = fit(reg, X, X[:, :2] @ [[1.0, 0.5], [-1.0, 2.0]])
    out = run(convert(reg, X), X)["variable"]
    np.testing.assert_allclose(out, reg.predict(X), rtol=1e-5, atol=1e-5)


def regressor_with(activations):
    """A fitted 3-hidden-layer regressor, its activation replaced after fit."""
    reg = ToyNetRegressor(hidden_layer_sizes=(6, 5, 4), max_iter=30, random_state=0)
    reg = fit(reg, X, X[:, 0] - 2 * X[:, 1])
    reg.activation = activations
    return reg


@pytest.mark.parametrize("activation", sorted(HIDDEN))
def test_each_converted_activation_follows_its_definition(activation):
    reg = regressor_with(activation)
    # Wide inputs: the negative and positive tails of every activation.
    X_wide = np.r_[X, 30 * X, -30 * X]
    out = run(convert(reg, X_wide), X_wide)["variable"]
    expected = reference_forward(reg, X_wide, [activation] * 3)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_one_activation_per_hidden_layer():
    names = ("gelu", "tanh", "leaky_relu")
    reg = regressor_with(names)
    out = run(convert(reg, X), X)["variable"]
    np.testing.assert_allclose(
        out, reference_forward(reg, X, names), rtol=1e-5, atol=1e-5
    )
    reg.activation = list(names)
    out_list = run(convert(reg, X), X)["variable"]
    np.testing.assert_array_equal(out_list, out)


def test_softplus_stays_finite_and_exact_in_its_tails():
    # log(1 + exp(z)) computed naively overflows for z > 89 in float32.
    reg = regressor_with("softplus")
    X_huge = 1e4 * X
    out = run(convert(reg, X_huge), X_huge)["variable"]
    assert np.isfinite(out).all()
    expected = reference_forward(reg, X_huge, ["softplus"] * 3)
    np.testing.assert_allclose(out, expected, rtol=1e-5)


@pytest.mark.parametrize("activation", TOYNET_HIDDEN)
def test_each_activation_loads_and_matches_toynet_in_double(activation):
    # ONNX Runtime has no double Erf, Elu, LeakyRelu or Softplus: the double
    # graph must not use them (gelu's erf runs in float32, hence its tolerance).
    reg = ToyNetRegressor(
        hidden_layer_sizes=(8, 5), activation=activation, max_iter=40, random_state=0
    )
    reg = fit(reg, 3 * X, X[:, :2] @ [[1.0, 0.5], [-1.0, 2.0]])
    out = run(convert(reg, 3 * X, np.float64), 3 * X, np.float64)["variable"]
    atol = 1e-6 if activation == "gelu" else ATOL[np.float64]
    np.testing.assert_allclose(out, reg.predict(3 * X), rtol=0, atol=atol)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_norm_matches_toynet(target, dtype):
    clf = ToyNetClassifier((8, 5), batch_norm=True, max_iter=40, random_state=0)
    clf = fit(clf, X.astype(dtype), TARGETS[target])
    out = run(convert(clf, X, dtype, zipmap=False), X, dtype)
    np.testing.assert_allclose(
        out["probabilities"],
        clf.predict_proba(X.astype(dtype)),
        rtol=0,
        atol=ATOL[dtype],
    )
    assert out["label"].tolist() == clf.predict(X).tolist()


def folded(est):
    """``est`` with its batch-norm statistics folded into the layers' weights."""
    est = copy.deepcopy(est)
    bn = est.batch_norm_
    for i in range(len(est.coefs_) - 1):
        scale = bn.gammas[i] / np.sqrt(bn.running_vars[i] + EPSILON)
        est.coefs_[i] = est.coefs_[i] * scale
        shift = (est.intercepts_[i] - bn.running_means[i]) * scale + bn.betas[i]
        est.intercepts_[i] = shift
    est.batch_norm_ = None
    return est


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_norm_as_operators_is_closer_to_toynet_than_folded(dtype):
    rng = np.random.RandomState(1)
    X_big = rng.normal(size=(2000, 20)).astype(dtype)
    y = (X_big[:, :3].sum(axis=1) > 0).astype(int) + (X_big[:, 3] > 1)
    clf = ToyNetClassifier((64, 32), batch_norm=True, max_iter=30, random_state=0)
    clf = fit(clf, X_big, y)
    expected = clf.predict_proba(X_big)
    errors = {}
    for name, est in [("ops", clf), ("folded", folded(clf))]:
        proba = run(convert(est, X_big, dtype, zipmap=False), X_big, dtype)
        errors[name] = np.abs(proba["probabilities"] - expected).max()
    assert errors["ops"] < errors["folded"], errors


def test_integer_input_is_cast_to_float():
    clf = fit(ToyNetClassifier((6,), max_iter=40, random_state=0), X, TARGETS["binary"])
    X_int = np.rint(3 * X).astype(np.int64)
    onx = convert(clf, X_int, np.int64, zipmap=False)
    out = run(onx, X_int, np.int64)
    np.testing.assert_allclose(
        out["probabilities"], clf.predict_proba(X_int), rtol=0, atol=ATOL[np.float32]
    )


def test_formulas_agree_with_toynet_where_toynet_has_them():
    # The tests' reference definitions are ToyNet's, for the names it has.
    Z = np.linspace(-30, 30, 601).reshape(-1, 1)
    for name in TOYNET_HIDDEN:
        np.testing.assert_allclose(
            ACTIVATIONS[name](Z.copy()), FORMULAS[name](Z), rtol=1e-12, atol=1e-15
        )
