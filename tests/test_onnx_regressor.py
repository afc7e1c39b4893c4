"""A converted ToyNetRegressor gives ToyNet's predictions.

One output or several (shape ``(n, n_outputs)``, where MLPRegressor's converter
flattens them), the Poisson loss's capped exponential output, float32 and
double inputs, bias-free layers, batch normalization and dropout.
"""

import numpy as np
import pytest

from _onnx_helpers import ATOL, Y2, X, convert, regressor, run


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


@pytest.mark.parametrize(
    "params",
    [
        {"fit_intercept": False},
        {"batch_norm": True},
        {"dropout": 0.3, "solver": "adam"},
    ],
    ids=["no_intercept", "batch_norm", "dropout"],
)
def test_bias_free_batch_norm_and_dropout_regressors_match(params):
    reg = regressor(Y2, **params)
    out = run(convert(reg, X), X)["variable"]
    np.testing.assert_allclose(out, reg.predict(X), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("loss", ["absolute_error", "huber", "quantile"])
def test_robust_losses_give_the_identity_output(loss):
    reg = regressor(Y2, loss=loss)
    out = run(convert(reg, X), X)["variable"]
    np.testing.assert_allclose(out, reg.predict(X), rtol=1e-5, atol=1e-5)
