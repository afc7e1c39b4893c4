"""float32 in, float32 out: every training feature keeps the data's dtype.

Weights, batch-norm statistics, probabilities, predictions and activations of a
model trained on float32 data are float32, for every solver and feature; float64
data trains in float64.
"""

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _features_helpers import X_MOONS, Y_MOONS
from _helpers import quiet_fit as quiet

# -- dtypes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        dict(solver="adam"),
        dict(solver="sgd", dropout=0.2, max_grad_norm=5.0),
        dict(solver="lbfgs"),
        dict(solver="adam", batch_norm=True),
        dict(solver="lbfgs", batch_norm=True, fit_intercept=False),
    ],
    ids=["adam", "sgd-dropout-clip", "lbfgs", "adam-bn", "lbfgs-bn-nobias"],
)
@pytest.mark.parametrize("Estimator", [ToyNetClassifier, ToyNetRegressor])
def test_float32_in_float32_out(Estimator, params):
    X = X_MOONS.astype(np.float32)
    est = quiet(
        Estimator(hidden_layer_sizes=(8, 4), max_iter=20, random_state=0, **params),
        X,
        Y_MOONS,
    )
    for a in est.coefs_ + est.intercepts_:
        assert a.dtype == np.float32
    if est.batch_norm_ is not None:
        bn = est.batch_norm_
        for a in bn.gammas + bn.betas + bn.running_means + bn.running_vars:
            assert a.dtype == np.float32
    if Estimator is ToyNetClassifier:
        assert est.predict_proba(X).dtype == np.float32
    else:
        assert est.predict(X).dtype == np.float32
    assert all(a.dtype == np.float32 for a in est.activations(X))
    # float64 data trains in float64.
    est64 = quiet(clone(est), X_MOONS, Y_MOONS)
    assert est64.coefs_[0].dtype == np.float64
