"""Inputs near the float limit give ToyNet's finite outputs in ONNX Runtime.

ToyNet's predict computes the rows whose output overflowed again with saturated
layers; the converted model does the same in an ``If``, for classifiers and
regressors, every activation, with and without batch normalization. The option
``saturate=False`` drops that check. A double graph matches ToyNet's float64
arithmetic whatever the weights' dtype; a float64 model in a float32 graph stays
finite where it may differ.
"""

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._network import big

from _extreme_helpers import EXTREME_ROWS
from _onnx_helpers import ATOL, TARGETS, Y2, X, convert, fit, regressor, run


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


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_saturated_pre_activations_stop_where_toynets_do(dtype):
    # An output intercept beyond the clip of saturated pre-activations: the rows
    # that overflow come back at that clip, in ONNX exactly as in ToyNet.
    reg = regressor(Y2, dtype)
    reg.intercepts_[-1][:] = np.finfo(dtype).max / 1.5
    rows = extreme(dtype)
    expected = reg.predict(rows)
    assert (expected == big(dtype)).any()  # some rows did reach the clip
    out = run(convert(reg, rows, dtype), rows, dtype)["variable"]
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


@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_a_float64_model_in_a_float32_graph_stays_finite(activation):
    # Where float32 overflows but ToyNet's float64 does not, the values may differ
    # from ToyNet's (the docs say so), but they stay finite.
    rows = extreme(np.float32)
    for target in TARGETS.values():
        clf = fitted(ToyNetClassifier(), target, np.float64, activation, True)
        proba = run(convert(clf, rows, zipmap=False), rows)["probabilities"]
        assert np.isfinite(proba).all()
        assert ((proba >= 0) & (proba <= 1)).all()
    reg = fitted(ToyNetRegressor(), Y2, np.float64, activation, True)
    assert np.isfinite(run(convert(reg, rows), rows)["variable"]).all()


@pytest.mark.parametrize("activation", ["identity", "tanh", "relu"])
def test_a_float32_model_in_a_double_graph_matches_toynet(activation):
    # ToyNet answers float64 input in float64 whatever its weights' dtype: so
    # does a double graph, saturating at float64's limits.
    rows = extreme(np.float64)
    clf = fitted(
        ToyNetClassifier(), TARGETS["multiclass"], np.float32, activation, True
    )
    out = run(convert(clf, rows, np.float64, zipmap=False), rows, np.float64)
    np.testing.assert_allclose(
        out["probabilities"], clf.predict_proba(rows), rtol=0, atol=ATOL[np.float64]
    )
    reg = fitted(ToyNetRegressor(), Y2, np.float32, activation, True)
    out = run(convert(reg, rows, np.float64), rows, np.float64)["variable"]
    np.testing.assert_allclose(out, reg.predict(rows), rtol=1e-10)
