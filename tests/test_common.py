"""scikit-learn's whole estimator-check suite, on every ToyNet estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_toynet import (
    ToyNetClassifier,
    ToyNetRegressor,
    ToyNetTabularClassifier,
    ToyNetTabularRegressor,
)


# The checks fit on tiny random data with the estimators' default max_iter, as
# they do MLP: a fit that stops at max_iter warns, which is what the warning is
# for, and is no finding of the checks. Any other warning still shows.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
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
