"""scikit-learn's whole estimator-check suite, on every ToyNet estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor


@parametrize_with_checks([ToyNetClassifier(), ToyNetRegressor()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
