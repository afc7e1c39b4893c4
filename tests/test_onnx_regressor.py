"""A converted ToyNetRegressor gives ToyNet's predictions; extreme inputs stay finite.

One output or several (shape ``(n, n_outputs)``, where MLPRegressor's converter
flattens them), the Poisson loss's capped exponential output, float32 and
double inputs; and inputs near the float limit, which ToyNet's predict computes
again with saturated layers, give the same finite outputs in ONNX Runtime.
"""

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _extreme_helpers import EXTREME_ROWS
from _onnx_helpers import ATOL, TARGETS, X, convert, fit, run

Y2 = np.c_[X[:, 0] - X[:, 1], 2 * X[:, 2] + 1]


def regressor(y, dtype=np.float64, **params):
    params = {"hidden_layer_sizes": (7, 4), "max_iter": 60, "random_state": 0, **params}
    return fit(ToyNetRegressor(**params), X.astype(dtype), y)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_outputs", [1, 2, 3])
def test_outputs_have_one_column_per_target(n_outputs, dtype):
    y = np.c_[Y2, X[:, 3]][:, :n_outputs]
    reg = regressor(y[:, 0] if n_outputs == 1 else y)
    out = run(convert(reg, X, dtype), X, dtype)["variable"]
    assert out.shape == (len(X), n_outputs)
    assert out.dtype == dtype
    expected = reg.predict(X).reshape(len(X), -1)
    np.testing.assert_allclose(out, expected, rtol=ATOL[dtype], atol=ATOL[dtype])


@pytest.mark.parametrize("y", [np.exp(Y2[:, 0] / 2), np.exp(Y2 / 3)], ids=["1", "2"])
def test_poisson_loss_gives_the_exponential_output(y):
    reg = regressor(np.round(y), loss="poisson")
    out = run(convert(reg, X), X)["variable"]
    expected = reg.predict(X).reshape(len(X), -1)
    assert (out > 0).all()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_poisson_output_is_capped_as_toynet_caps_it(dtype):
    reg = regressor(np.round(np.exp(Y2 / 3)), dtype, loss="poisson")
    reg.intercepts_[-1][:] = 1e4  # exp would overflow in any dtype
    out = run(convert(reg, X, dtype), X, dtype)["variable"]
    expected = reg.predict(X.astype(dtype))
    assert np.isfinite(expected).all()
    np.testing.assert_allclose(out, expected, rtol=1e-6)


@pytest.mark.parametrize("params", [{"fit_intercept": False}, {"batch_norm": True}])
def test_bias_free_and_batch_norm_regressors_match(params):
    reg = regressor(Y2, **params)
    out = run(convert(reg, X), X)["variable"]
    np.testing.assert_allclose(out, reg.predict(X), rtol=1e-5, atol=1e-5)


# -- inputs near the float limit ------------------------------------------------------
def extreme(dtype):
    limit = np.finfo(dtype).max
    rows = np.clip(EXTREME_ROWS, -limit, limit)
    rows = np.c_[rows, rows[:, ::-1]][:, :5]  # five features, as X
    return rows.astype(dtype)


def fitted(est, target, dtype, activation, batch_norm):
    est.set_params(
        hidden_layer_sizes=(6, 4),
        activation=activation,
        batch_norm=batch_norm,
        max_iter=20,
        random_state=0,
    )
    return fit(est, X.astype(dtype), target)


@pytest.mark.parametrize("batch_norm", [False, True])
@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_inputs_give_toynets_finite_probabilities(
    dtype, activation, batch_norm
):
    rows = extreme(dtype)
    for target in TARGETS.values():
        clf = fitted(ToyNetClassifier(), target, dtype, activation, batch_norm)
        out = run(convert(clf, rows, dtype, zipmap=False), rows, dtype)
        expected = clf.predict_proba(rows)
        assert np.isfinite(out["probabilities"]).all()
        np.testing.assert_allclose(
            out["probabilities"], expected, rtol=0, atol=ATOL[np.float32]
        )
        assert out["label"].tolist() == clf.predict(rows).tolist()


@pytest.mark.parametrize("batch_norm", [False, True])
@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_inputs_give_toynets_finite_predictions(dtype, activation, batch_norm):
    rows = extreme(dtype)
    reg = fitted(ToyNetRegressor(), Y2, dtype, activation, batch_norm)
    out = run(convert(reg, rows, dtype), rows, dtype)["variable"]
    expected = reg.predict(rows)
    assert np.isfinite(out).all()
    # Saturated outputs reach a quarter of the float limit: compare relatively.
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_finite_outputs_whose_sum_overflows_are_kept():
    # The model checks the sum of its outputs first; finite rows stay as computed.
    reg = regressor(Y2, np.float32)
    reg.intercepts_[-1][:] = np.finfo(np.float32).max / 1.5
    out = run(convert(reg, X), X)["variable"]
    expected = reg.predict(X.astype(np.float32))
    assert np.isfinite(expected).all()
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("make", [ToyNetClassifier, ToyNetRegressor])
def test_saturate_false_drops_the_overflow_check(make):
    rows = extreme(np.float64)
    target = TARGETS["multiclass"] if make is ToyNetClassifier else Y2
    est = fitted(make(), target, np.float64, "identity", False)
    options = {"zipmap": False} if make is ToyNetClassifier else {}
    plain = convert(est, X, np.float64, saturate=False, **options)
    assert "If" not in {node.op_type for node in plain.graph.node}
    out = list(run(plain, rows, np.float64).values())[-1]
    expected = (
        est.predict_proba(rows) if make is ToyNetClassifier else est.predict(rows)
    )
    finite = np.isfinite(out).all(axis=1)
    assert not finite.all()  # the overflowed rows, no longer recomputed
    np.testing.assert_allclose(out[finite], expected[finite], rtol=1e-10)
    assert "If" in {node.op_type for node in convert(est, X, **options).graph.node}
