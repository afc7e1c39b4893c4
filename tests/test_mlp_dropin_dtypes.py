"""Output dtypes as MLP's: a float32 model answers float64 input in float64.

The network computes in its weights' dtype (float32 stays float32 end to end);
only the result takes the promoted dtype of input and weights, as MLP's
``predict_proba``/``predict`` do by numpy's promotion.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _mlp_helpers import X_iris, X_reg, y_iris, y_reg


def fitted(Estimator, X, y, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return Estimator(max_iter=20, random_state=0).fit(X.astype(dtype), y)


def test_float32_model_answers_float64_input_in_float64_as_mlp():
    mlp = fitted(MLPClassifier, X_iris, y_iris, np.float32)
    ours = fitted(ToyNetClassifier, X_iris, y_iris, np.float32)
    X64 = X_iris.astype(np.float64)
    assert mlp.predict_proba(X64).dtype == np.float64
    assert ours.predict_proba(X64).dtype == np.float64
    assert ours.predict_log_proba(X64).dtype == np.float64
    # The same float32 numbers, upcast: the network computes in float32.
    from_32 = ours.predict_proba(X_iris.astype(np.float32))
    assert from_32.dtype == np.float32
    np.testing.assert_array_equal(ours.predict_proba(X64), from_32.astype(np.float64))
    mlp = fitted(MLPRegressor, X_reg, y_reg, np.float32)
    ours = fitted(ToyNetRegressor, X_reg, y_reg, np.float32)
    assert ours.predict(X_reg).dtype == mlp.predict(X_reg).dtype == np.float64


def test_continued_fits_train_in_the_new_datas_dtype():
    # A deliberate difference (docs' drop-in page): MLP keeps float32 weights
    # and computes in mixed precision; ToyNet converts them and trains in one.
    for params in (dict(warm_start=True), {}):
        ours = fitted(ToyNetClassifier, X_iris, y_iris, np.float32)
        ours.set_params(**params)
        if params:
            ours.fit(X_iris, y_iris)
        else:
            ours.partial_fit(X_iris, y_iris)
        assert all(a.dtype == np.float64 for a in ours.coefs_ + ours.intercepts_)
