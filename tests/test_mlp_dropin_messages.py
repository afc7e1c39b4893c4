"""Where MLP warns or raises, ToyNet does so with the same class and words.

Each case runs on MLP first; its message (estimator name swapped) must then
match ToyNet's, escaped, as a ``pytest.raises(match=...)`` written for MLP
would. ToyNet may add a sentence after MLP's text, never change it. The
deliberate differences (clearer messages, listed on the docs' drop-in page)
are tested at the end.
"""

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

rng = np.random.RandomState(0)
X = rng.randn(40, 3)
y_two = np.arange(40) % 2
y_real = rng.randn(40)
X_huge = np.finfo(np.float64).max * rng.uniform(size=(10, 2))

# name: (what to do with (Classifier, Regressor), raises or warns)
CASES = {
    "hidden_layer_sizes_zero": (
        lambda C, R: C(hidden_layer_sizes=(5, 0)).fit(X, y_two),
        ValueError,
    ),
    "non_finite_weights": (
        lambda C, R: R().fit(X_huge, y_real[:10]),
        ValueError,
    ),
    "partial_fit_early_stopping": (
        lambda C, R: C(early_stopping=True).partial_fit(X, y_two, classes=[0, 1]),
        ValueError,
    ),
    "validation_set_too_small": (
        lambda C, R: R(early_stopping=True, validation_fraction=0.01).fit(X, y_real),
        ValueError,
    ),
    "validation_set_without_every_class": (
        lambda C, R: C(early_stopping=True, validation_fraction=0.01).fit(X, y_two),
        ValueError,
    ),
    "partial_fit_without_classes": (
        lambda C, R: C().partial_fit(X, y_two),
        ValueError,
    ),
    "partial_fit_other_classes": (
        lambda C, R: (
            C()
            .partial_fit(X, y_two, classes=[0, 1])
            .partial_fit(X, y_two, classes=[0, 1, 2])
        ),
        ValueError,
    ),
    "partial_fit_unseen_class": (
        lambda C, R: (
            C().partial_fit(X, y_two, classes=[0, 1]).partial_fit(X, y_two + 1)
        ),
        ValueError,
    ),
    "first_partial_fit_label_outside_classes": (
        lambda C, R: C().partial_fit(X, y_two + 5, classes=[0, 1]),
        ValueError,
    ),
    "warm_start_other_classes": (
        lambda C, R: C(warm_start=True, max_iter=300).fit(X, y_two).fit(X, y_two + 1),
        ValueError,
    ),
    "continuous_target": (lambda C, R: C().fit(X, y_real), ValueError),
    "multioutput_multiclass_target": (
        lambda C, R: C().fit(X, np.c_[np.arange(40) % 3, y_two]),
        ValueError,
    ),
    "all_zero_sample_weight": (
        lambda C, R: C().fit(X, y_two, sample_weight=np.zeros(40)),
        ValueError,
    ),
    "sample_weight_length": (
        lambda C, R: C().fit(X, y_two, sample_weight=np.ones(3)),
        ValueError,
    ),
    "partial_fit_with_lbfgs": (
        lambda C, R: C(solver="lbfgs").partial_fit(X, y_two, classes=[0, 1]),
        AttributeError,
    ),
    "batch_size_clipped": (
        lambda C, R: C(batch_size=100, max_iter=300).fit(X, y_two),
        UserWarning,
    ),
    "stochastic_max_iter": (
        lambda C, R: C(max_iter=2).fit(X, y_two),
        ConvergenceWarning,
    ),
    "lbfgs_max_iter": (
        lambda C, R: C(solver="lbfgs", max_iter=2).fit(X, y_two),
        ConvergenceWarning,
    ),
    "lbfgs_max_fun": (
        lambda C, R: C(solver="lbfgs", max_fun=3, random_state=0).fit(X, y_two),
        ConvergenceWarning,
    ),
    "column_target": (
        lambda C, R: R(max_iter=300).fit(X, y_real[:, None]),
        DataConversionWarning,
    ),
}


def as_toynet(message):
    return message.replace("MLPClassifier", "ToyNetClassifier").replace(
        "MLPRegressor", "ToyNetRegressor"
    )


def mlp_message(action, expected):
    """MLP's message for ``action``: the error it raises or the warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            action(MLPClassifier, MLPRegressor)
        except expected as error:
            return str(error)
    (warning,) = [w for w in caught if w.category is expected]
    return str(warning.message)


@pytest.mark.parametrize("case", CASES)
def test_toynet_raises_and_warns_with_mlps_class_and_text(case):
    action, expected = CASES[case]
    match = re.escape(as_toynet(mlp_message(action, expected)))
    if issubclass(expected, Warning):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # any other warning of the same fit
            with pytest.warns(expected, match=match):
                action(ToyNetClassifier, ToyNetRegressor)
    else:
        with pytest.raises(expected, match=match), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            action(ToyNetClassifier, ToyNetRegressor)


# -- deliberate differences -----------------------------------------------------------


def test_stratified_split_error_names_the_too_small_class_by_its_label():
    # MLP names the binarized label ('True'); ToyNet the user's ('rare'), and
    # stratifies multiclass targets too, so the error comes there as well.
    y_rare = np.where(np.arange(40) == 0, "rare", "common")
    words = "The least populated classes in y have only 1 member, which is too few"
    for y in (y_rare, np.where(np.arange(40) == 0, "rare", y_two.astype(str))):
        with pytest.raises(ValueError, match=words) as error:
            ToyNetClassifier(early_stopping=True).fit(X, y)
        assert "Classes with too few members are: ['rare']" in str(error.value)
        assert "set early_stopping=False" in str(error.value)


def test_lbfgs_non_finite_weights_raise_where_mlp_only_warns():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        MLPRegressor(solver="lbfgs").fit(X * 1e300, y_real)  # warns, fits
    # ToyNet's error starts with the sentence MLP raises for the other solvers.
    sentence = as_toynet(mlp_message(CASES["non_finite_weights"][0], ValueError))
    with pytest.raises(ValueError, match=re.escape(sentence)):
        ToyNetRegressor(solver="lbfgs").fit(X * 1e300, y_real)
