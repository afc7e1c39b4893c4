"""scikit-learn's whole estimator-check suite, on every ToyNet estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_toynet import (
    ToyNetClassifier,
    ToyNetRegressor,
    ToyNetTabularClassifier,
    ToyNetTabularRegressor,
)


@parametrize_with_checks(
    [
        ToyNetClassifier(),
        ToyNetRegressor(),
        ToyNetTabularClassifier(),
        ToyNetTabularRegressor(),
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
