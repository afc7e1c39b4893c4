"""Estimators and data shared by the MLP drop-in and ported-MLP test modules.

Each list pairs scikit-learn's MLP estimator with ToyNet's, so that a test
parametrized over one runs on both; the data sets are those of scikit-learn's
own ``neural_network/tests/test_mlp.py``, plus iris and a small regression.
"""

import pytest
from sklearn.datasets import load_digits, load_iris, make_regression
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import MinMaxScaler, scale

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _helpers import SKLEARN_VERSION

# The MLP side checks each test against scikit-learn's own estimator. The tests
# follow scikit-learn 1.9's MLP (ported from its test suite); an older MLP lacks
# some of its fixes and features (sample_weight, loss="poisson"), so there the
# ToyNet side runs alone.
_MLP_AS_TESTED = pytest.mark.skipif(
    SKLEARN_VERSION < (1, 9), reason="the tests follow scikit-learn 1.9's MLP"
)
CLASSIFIERS = [
    pytest.param(MLPClassifier, id="MLPClassifier", marks=_MLP_AS_TESTED),
    pytest.param(ToyNetClassifier, id="ToyNetClassifier"),
]
REGRESSORS = [
    pytest.param(MLPRegressor, id="MLPRegressor", marks=_MLP_AS_TESTED),
    pytest.param(ToyNetRegressor, id="ToyNetRegressor"),
]
ESTIMATORS = CLASSIFIERS + REGRESSORS
PAIRS = [
    pytest.param(MLPClassifier, ToyNetClassifier, id="classifier"),
    pytest.param(MLPRegressor, ToyNetRegressor, id="regressor"),
]

ACTIVATION_TYPES = ["identity", "logistic", "tanh", "relu"]

X_digits, y_digits = load_digits(n_class=3, return_X_y=True)
X_digits_multi = MinMaxScaler().fit_transform(X_digits[:200])
y_digits_multi = y_digits[:200]

X_digits, y_digits = load_digits(n_class=2, return_X_y=True)
X_digits_binary = MinMaxScaler().fit_transform(X_digits[:200])
y_digits_binary = y_digits[:200]

classification_datasets = [
    pytest.param(X_digits_multi, y_digits_multi, id="multiclass"),
    pytest.param(X_digits_binary, y_digits_binary, id="binary"),
]

X_reg, y_reg = make_regression(
    n_samples=200, n_features=10, bias=20.0, noise=100.0, random_state=7
)
y_reg = scale(y_reg)

X_iris, y_iris = load_iris(return_X_y=True)


def data_for(Estimator):
    if issubclass(Estimator, (MLPClassifier, ToyNetClassifier)):
        return X_iris, y_iris
    return X_reg, y_reg
