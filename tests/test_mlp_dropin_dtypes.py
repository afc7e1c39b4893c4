"""Output dtypes as MLP's: a float32 model answers float64 input in float64.

As MLP, by numpy's promotion: float64 input meets float32 weights in float64,
so a float64 answer is float64 throughout (its probability rows sum to 1 to
float64 rounding); float32 input stays float32 end to end.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _helpers import quiet_fit
from _mlp_helpers import X_iris, X_reg, y_iris, y_reg


def fitted(Estimator, X, y, dtype, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = Estimator(max_iter=20, random_state=0, **params)
        return est.fit(X.astype(dtype), y)


def test_float32_model_answers_float64_input_in_float64_as_mlp():
    mlp = fitted(MLPClassifier, X_iris, y_iris, np.float32)
    ours = fitted(ToyNetClassifier, X_iris, y_iris, np.float32)
    X64 = X_iris.astype(np.float64)
    assert mlp.predict_proba(X64).dtype == np.float64
    assert ours.predict_proba(X64).dtype == np.float64
    assert ours.predict_log_proba(X64).dtype == np.float64
    from_64 = ours.predict_proba(X64)
    np.testing.assert_allclose(from_64.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    from_32 = ours.predict_proba(X_iris.astype(np.float32))
    assert from_32.dtype == np.float32
    np.testing.assert_allclose(from_64, from_32, rtol=1e-5, atol=1e-6)
    mlp = fitted(MLPRegressor, X_reg, y_reg, np.float32)
    ours = fitted(ToyNetRegressor, X_reg, y_reg, np.float32)
    assert ours.predict(X_reg).dtype == mlp.predict(X_reg).dtype == np.float64
    # Batch norm's statistics take part in the float64 computation too.
    bn = fitted(ToyNetClassifier, X_iris, y_iris, np.float32, batch_norm=True)
    np.testing.assert_allclose(
        bn.predict_proba(X64), bn.predict_proba(X_iris.astype(np.float32)), atol=1e-6
    )


def test_continued_fits_train_in_the_new_datas_dtype():
    # A deliberate difference (docs' drop-in page): MLP keeps float32 weights
    # and computes in mixed precision; ToyNet converts them and trains in one.
    for params in (dict(warm_start=True), {}):
        ours = fitted(ToyNetClassifier, X_iris, y_iris, np.float32)
        ours.set_params(**params)
        if params:
            quiet_fit(ours, X_iris, y_iris)
        else:
            ours.partial_fit(X_iris, y_iris)
        assert all(a.dtype == np.float64 for a in ours.coefs_ + ours.intercepts_)
