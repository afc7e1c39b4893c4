"""Data and state comparisons shared by the ``test_state_safety_*.py`` modules.

``assert_same`` compares whole fitted estimator states exactly (arrays bit for
bit, NaN equal to NaN, random states by their state); ``snapshot`` copies one;
``fitted`` gives an estimator fitted once and then continued with ``partial_fit``.
"""

import copy

import numpy as np
from sklearn.datasets import make_classification, make_regression

from sklearn_toynet import ToyNetClassifier

from _helpers import quiet_fit

X, Y = make_classification(
    n_samples=60, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
    random_state=0,
)  # fmt: skip
X_REG, Y_REG = make_regression(n_samples=60, n_features=4, random_state=0)
Y_REG = Y_REG / Y_REG.std()


# -- comparing whole estimator states ---------------------------------------------


def assert_same(expected, actual, path="est"):
    """Recursive exact equality of fitted state (arrays bit for bit, NaN == NaN)."""
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray), path
        assert expected.dtype == actual.dtype, path
        assert expected.shape == actual.shape, path
        if expected.dtype.kind in "fc":
            np.testing.assert_array_equal(expected, actual, err_msg=path)
        else:
            assert np.array_equal(expected, actual), path
    elif isinstance(expected, np.random.RandomState):
        for e, a in zip(expected.get_state(), actual.get_state()):
            assert np.array_equal(e, a), path
    elif isinstance(expected, dict):
        assert expected.keys() == actual.keys(), path
        for key in expected:
            assert_same(expected[key], actual[key], f"{path}[{key!r}]")
    elif isinstance(expected, list | tuple):
        assert type(expected) is type(actual) and len(expected) == len(actual), path
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_same(e, a, f"{path}[{i}]")
    elif hasattr(expected, "__dict__") and not isinstance(expected, type):
        assert type(expected) is type(actual), path
        assert_same(vars(expected), vars(actual), f"{path}.")
    elif isinstance(expected, float) and np.isnan(expected):
        assert np.isnan(actual), path
    else:
        assert expected == actual, path


def snapshot(est):
    return copy.deepcopy(vars(est))


def fitted(Est, solver="adam", batch_norm=False, n_partial=2, **params):
    """An estimator fitted once, then continued ``n_partial`` times."""
    X_, y_ = (X, Y) if Est is ToyNetClassifier else (X_REG, Y_REG)
    est = Est(
        hidden_layer_sizes=(5,),
        solver=solver,
        batch_norm=batch_norm,
        max_iter=3,
        random_state=0,
        **params,
    )
    quiet_fit(est, X_, y_)
    if solver != "lbfgs":
        for _ in range(n_partial):
            est.partial_fit(X_, y_)
    return est, X_, y_
