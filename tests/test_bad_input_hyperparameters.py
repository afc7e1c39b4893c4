"""A bad hyperparameter gets a clear error naming it and the values allowed.

Every parameter, at ``fit`` and ``partial_fit`` alike, raises scikit-learn's
InvalidParameterError with the allowed values; ``hidden_layer_sizes`` and
``class_weight`` are validated further, and options a solver cannot use are
refused with the reason. Every other array library (``library``, see
``_bad_input_helpers``) gets NumPy's messages, word for word.
"""

import re

import numpy as np
import pytest
import sklearn
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_toynet import (
    ToyNetClassifier,
    ToyNetRegressor,
    ToyNetTabularClassifier,
    ToyNetTabularRegressor,
)
from sklearn_toynet._activations import HIDDEN_ACTIVATIONS

from _bad_input_helpers import (  # noqa: F401 (dispatch_by_library: a fixture)
    ESTIMATORS,
    LIBRARIES,
    X,
    Y,
    dispatch_by_library,
    in_library,
    small,
    target,
)

# -- hyperparameters --------------------------------------------------------------

# (parameter, bad value, text of the allowed values the message must show)
BAD_PARAMS = [
    ("hidden_layer_sizes", "ab", "an array-like or an int in the range [1, inf)"),
    ("activation", "softsign", "a str among {"),
    ("activation", ("relu", "swish"), "a tuple or list of those names, one per"),
    ("solver", "newton", "a str among {"),
    ("alpha", -1.0, "a float in the range [0.0, inf)"),
    ("batch_size", 0, "a str among {'auto'} or an int in the range [1, inf)"),
    ("learning_rate", "cyclic", "a str among {"),
    ("learning_rate_init", 0.0, "a float in the range (0.0, inf)"),
    ("power_t", -0.5, "a float in the range [0.0, inf)"),
    ("max_iter", 0, "an int in the range [1, inf)"),
    ("shuffle", "yes", "an instance of 'bool'"),
    ("random_state", "seed", "an int in the range [0, 4294967295]"),
    ("tol", -1.0, "a float in the range [0.0, inf) or None"),
    ("warm_start", 1.5, "an instance of 'bool'"),
    ("momentum", 1.5, "a float in the range [0.0, 1.0]"),
    ("nesterovs_momentum", "no", "an instance of 'bool'"),
    ("early_stopping", None, "an instance of 'bool'"),
    ("validation_fraction", 1.0, "a float in the range [0.0, 1.0)"),
    ("beta_1", 1.0, "a float in the range [0.0, 1.0)"),
    ("beta_2", -0.1, "a float in the range [0.0, 1.0)"),
    ("epsilon", 0.0, "a float in the range (0.0, inf)"),
    ("n_iter_no_change", 0, "an int in the range [1, inf) or a float among {inf}"),
    ("max_fun", 0, "an int in the range [1, inf)"),
    ("fit_intercept", "no", "an instance of 'bool'"),
    ("init", "he", "a str among {"),
    ("dropout", 1.0, "a float in the range [0.0, 1.0)"),
    ("batch_norm", "yes", "an instance of 'bool'"),
    ("max_grad_norm", 0.0, "a float in the range (0.0, inf) or None"),
    ("loss", "hinge", "a str among {"),
    ("weight_decay", -0.1, "a float in the range [0.0, inf)"),
]
# The same, for the classifier's own parameters.
CLASSIFIER_BAD_PARAMS = [
    ("label_smoothing", 1.0, "a float in the range [0.0, 1.0)"),
    ("label_smoothing", -0.1, "a float in the range [0.0, 1.0)"),
    ("label_smoothing", "a", "a float in the range [0.0, 1.0)"),
]
CASES = [
    *[(Est, *row) for Est in ESTIMATORS for row in BAD_PARAMS],
    *[(ToyNetClassifier, *row) for row in CLASSIFIER_BAD_PARAMS],
]


def bad_params(Est):
    """The rows of ``CASES`` that apply to ``Est``."""
    return [row for Est_, *row in CASES if Est_ is Est]


ALLOWED_STRINGS = {
    "activation": set(HIDDEN_ACTIVATIONS),
    "solver": {"lbfgs", "sgd", "adam"},
    "learning_rate": {"constant", "invscaling", "adaptive", "cosine"},
    "init": {"glorot", "uniform"},
}


@pytest.mark.parametrize(
    "Est, name, value, allowed",
    CASES,
    ids=lambda v: v.__name__ if isinstance(v, type) else str(v),
)
def test_invalid_hyperparameter_names_the_allowed_values(Est, name, value, allowed):
    est = small(Est).set_params(**{name: value})
    calls = [lambda: est.fit(X, target(Est))]
    if name == "solver":
        # As MLP's: partial_fit exists only for the stochastic solvers.
        assert not hasattr(est, "partial_fit")
    else:
        calls.append(
            lambda: est.partial_fit(X, target(Est), **partial_fit_classes(Est))
        )
    for call in calls:
        with pytest.raises(InvalidParameterError) as error:
            call()
        message = str(error.value)
        assert f"The '{name}' parameter of {Est.__name__} must be" in message
        assert allowed in message
        assert f"Got {value!r} instead" in message
        for option in ALLOWED_STRINGS.get(name, ()):
            assert repr(option) in message
        if name == "loss":
            expected = (
                {"log_loss", "squared_error"}
                if Est is ToyNetClassifier
                else {"squared_error", "poisson"}
            )
            assert all(repr(option) in message for option in expected)
        assert not hasattr(est, "coefs_")


# The tabular pair's own parameters, and its early_stopping's "auto".
TABULAR_BAD_PARAMS = [
    ("early_stopping", "sometimes", "an instance of 'bool' or"),
    ("categorical_features", "by_name", "an array-like, a str among {'from_dtype'}"),
    ("max_categories", 1, "an int in the range [2, inf) or None"),
    ("numeric_clip", 0.0, "a float in the range (0.0, inf) or None"),
    ("weight_decay", -0.1, "a float in the range [0.0, inf)"),
    ("learning_rate", "cyclic", "'cosine'"),
]


@pytest.mark.parametrize("Est", [ToyNetTabularClassifier, ToyNetTabularRegressor])
@pytest.mark.parametrize("name, value, allowed", TABULAR_BAD_PARAMS, ids=str)
def test_invalid_tabular_hyperparameter_names_the_allowed_values(
    Est, name, value, allowed
):
    est = Est(hidden_layer_sizes=(4,), max_iter=3, **{name: value})
    y = Y if Est is ToyNetTabularClassifier else target(ToyNetRegressor)
    classes = {"classes": np.unique(Y)} if Est is ToyNetTabularClassifier else {}
    for call in (lambda: est.fit(X, y), lambda: est.partial_fit(X, y, **classes)):
        with pytest.raises(InvalidParameterError) as error:
            call()
        message = str(error.value)
        assert f"The '{name}' parameter of {Est.__name__} must be" in message
        assert allowed in message and f"Got {value!r} instead" in message
        assert not hasattr(est, "coefs_") and not hasattr(est, "encoder_")


def partial_fit_classes(Est):
    return {"classes": np.unique(Y)} if Est is ToyNetClassifier else {}


def _message(method, *args, **kwargs):
    """The message of the error ``method(*args, **kwargs)`` raises."""
    with pytest.raises(InvalidParameterError) as error:
        method(*args, **kwargs)
    return str(error.value)


@pytest.mark.parametrize("library", LIBRARIES[1:])  # NumPy's: the test above
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_every_library_gets_numpys_hyperparameter_messages(Est, library):
    X_, y = in_library(library, X), in_library(library, target(Est))
    for name, value, _ in bad_params(Est):
        est = small(Est).set_params(**{name: value})
        with sklearn.config_context(array_api_dispatch=False):
            expected = _message(est.fit, X, target(Est))
        assert _message(est.fit, X_, y) == expected
        if name != "solver":
            classes = partial_fit_classes(Est)
            assert _message(est.partial_fit, X_, y, **classes) == expected
        assert not hasattr(est, "coefs_")


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("sizes", [(0,), (4, -1), (2.5,), (4, 0, 4)])
def test_hidden_layer_sizes_must_be_positive_integers(sizes, library):
    with pytest.raises(ValueError, match=re.escape("hidden_layer_sizes must be > 0")):
        small(ToyNetClassifier, solver="lbfgs").set_params(
            hidden_layer_sizes=sizes
        ).fit(in_library(library, X), in_library(library, Y))


@pytest.mark.parametrize("library", LIBRARIES)
def test_class_weight_is_validated(library):
    X_ = in_library(library, X)
    with pytest.raises(InvalidParameterError, match="'class_weight' parameter"):
        small(ToyNetClassifier, class_weight="equal").fit(X_, in_library(library, Y))
    Y_multilabel = in_library(library, np.column_stack([Y == 0, Y == 1]).astype(int))
    with pytest.raises(ValueError, match="class_weight is not supported for multil"):
        small(ToyNetClassifier, class_weight="balanced").fit(X_, Y_multilabel)


@pytest.mark.parametrize("library", LIBRARIES)
def test_solver_specific_options_are_refused_with_the_reason(library):
    X_, Y_ = in_library(library, X), in_library(library, Y)
    with pytest.raises(ValueError, match="dropout needs a stochastic solver"):
        small(ToyNetClassifier, solver="lbfgs", dropout=0.5).fit(X_, Y_)
    with pytest.raises(AttributeError, match="has no attribute 'partial_fit'") as err:
        small(ToyNetClassifier, solver="lbfgs").partial_fit  # noqa: B018
    assert "only available for stochastic optimizers" in str(err.value.__cause__)
    with pytest.raises(ValueError, match="partial_fit does not support early_stop"):
        small(ToyNetClassifier, early_stopping=True).partial_fit(X_, Y_, classes=[0, 1])
