"""Bad input gets a clear error at the call that received it.

Never a crash of another kind, a NaN or a silently wrong model; and a call that
raises leaves a fitted model as it was. Sparse input (CSR, CSC; other formats
are converted) is accepted, as MLPClassifier accepts it, and fits the same
model as the dense array.
"""

import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

X, Y = make_classification(
    n_samples=40, n_features=3, n_informative=3, n_redundant=0, n_classes=3,
    random_state=0,
)  # fmt: skip
Y_REG = X[:, 0] - X[:, 1]
ESTIMATORS = [ToyNetClassifier, ToyNetRegressor]


def small(Est, **params):
    return Est(
        **{"hidden_layer_sizes": (4,), "max_iter": 3, "random_state": 0, **params}
    )


def target(Est):
    return Y if Est is ToyNetClassifier else Y_REG


def quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


def with_nan(X_):
    X_ = X_.copy()
    X_[3, 1] = np.nan
    return X_


def with_inf(X_):
    X_ = X_.copy()
    X_[5, 0] = -np.inf
    return X_


BAD_X = {
    "nan": (with_nan, "Input X contains NaN"),
    "inf": (with_inf, "Input X contains infinity"),
    "empty": (lambda X_: X_[:0], "0 sample"),
    "no-features": (lambda X_: X_[:, :0], "0 feature"),
    "1-D": (lambda X_: X_[:, 0], "Expected 2D array, got 1D array"),
    "3-D": (lambda X_: X_[:, :, None], "dim 3"),
    "strings": (lambda X_: X_.astype(str).astype(object) + "x", "could not convert"),
    "complex": (lambda X_: X_ + 1j, "Complex data not supported"),
    "sparse-nan": (lambda X_: sp.csr_matrix(with_nan(X_)), "Input X contains NaN"),
}


def y_for(Est, X_bad, y):
    """Targets of the right length for ``X_bad`` (empty X gets empty y)."""
    return y[: X_bad.shape[0]] if np.ndim(X_bad) >= 1 else y


@pytest.mark.parametrize("case", BAD_X)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_fit_refuses_bad_X(Est, case):
    make, message = BAD_X[case]
    X_bad = make(X)
    est = small(Est)
    with pytest.raises(ValueError, match=message):
        est.fit(X_bad, y_for(Est, X_bad, target(Est)))
    assert not hasattr(est, "coefs_")


@pytest.mark.parametrize("case", BAD_X)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_predict_refuses_bad_X(Est, case):
    make, message = BAD_X[case]
    est = quiet_fit(small(Est), X, target(Est))
    methods = ["predict", "activations"]
    methods += ["predict_proba", "predict_log_proba"] * (Est is ToyNetClassifier)
    for method in methods:
        with pytest.raises(ValueError, match=message):
            getattr(est, method)(make(X))


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_bad_y(Est):
    est = small(Est)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        est.fit(X, target(Est)[:-1])
    with pytest.raises(ValueError, match="Input y contains NaN"):
        est.fit(X, np.where(np.arange(40) == 3, np.nan, target(Est)))
    if Est is ToyNetRegressor:
        with pytest.raises(ValueError, match="Input y contains infinity"):
            est.fit(X, np.where(np.arange(40) == 3, np.inf, Y_REG))
        with pytest.raises(ValueError, match="could not convert"):
            est.fit(X, np.array(["a", "b"] * 20))
        with pytest.raises(ValueError, match="Poisson loss needs non-negative y"):
            est.set_params(loss="poisson").fit(X, Y_REG)
    assert not hasattr(est, "coefs_")


def test_classifier_refuses_a_single_class():
    clf = small(ToyNetClassifier)
    with pytest.raises(ValueError, match="at least 2 classes.*only one class: 'a'"):
        clf.fit(X, ["a"] * 40)
    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.partial_fit(X, np.zeros(40), classes=[0])


def test_classifier_refuses_continuous_and_multioutput_multiclass_targets():
    clf = small(ToyNetClassifier)
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(X, X[:, 0])
    with pytest.raises(ValueError, match="Multioutput target"):
        clf.fit(X, np.column_stack([Y, Y]))


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_bad_sample_weight(Est):
    est = small(Est)
    y = target(Est)
    for sample_weight, message in [
        (np.ones(39), r"sample_weight.shape == \(39,\), expected \(40,\)"),
        (-np.ones(40), "Negative values in data passed to `sample_weight`"),
        (np.full(40, np.nan), "Input sample_weight contains NaN"),
        (np.zeros(40), "at least one non-zero"),
    ]:
        with pytest.raises(ValueError, match=message):
            est.fit(X, y, sample_weight=sample_weight)


# -- predict-time mismatches ----------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_predict_before_fit_raises_not_fitted(Est):
    est = small(Est)
    methods = ["predict", "activations", "score"]
    methods += ["predict_proba", "predict_log_proba"] * (Est is ToyNetClassifier)
    for method in methods:
        args = (X, target(Est)) if method == "score" else (X,)
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(est, method)(*args)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_wrong_number_of_features_at_predict(Est):
    est = quiet_fit(small(Est), X, target(Est))
    for n in (2, 4):
        X_other = np.zeros((5, n))
        with pytest.raises(ValueError, match=f"X has {n} features, but .* 3 features"):
            est.predict(X_other)


def test_different_column_names_at_predict():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    clf = quiet_fit(small(ToyNetClassifier), frame, Y)
    with pytest.raises(ValueError, match="feature names should match"):
        clf.predict(frame.rename(columns={"c": "z"}))
    with pytest.raises(ValueError, match="feature names should match"):
        clf.predict_proba(frame[["c", "b", "a"]])
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        clf.predict(X)
    # Continuing a fit with other names is refused too, and changes nothing.
    coefs = [W.copy() for W in clf.coefs_]
    with pytest.raises(ValueError, match="feature names should match"):
        clf.partial_fit(frame.rename(columns={"a": "q"}), Y)
    for before, after in zip(coefs, clf.coefs_):
        np.testing.assert_array_equal(before, after)


# -- hyperparameters --------------------------------------------------------------

# (parameter, bad value, text of the allowed values the message must show)
BAD_PARAMS = [
    ("hidden_layer_sizes", "ab", "an array-like or an int in the range [1, inf)"),
    ("activation", "softplus", "a str among {"),
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
]
ALLOWED_STRINGS = {
    "activation": {"identity", "logistic", "tanh", "relu"},
    "solver": {"lbfgs", "sgd", "adam"},
    "learning_rate": {"constant", "invscaling", "adaptive"},
    "init": {"glorot", "uniform"},
}


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("name, value, allowed", BAD_PARAMS, ids=lambda v: str(v))
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


def partial_fit_classes(Est):
    return {"classes": np.unique(Y)} if Est is ToyNetClassifier else {}


@pytest.mark.parametrize("sizes", [(0,), (4, -1), (2.5,), (4, 0, 4)])
def test_hidden_layer_sizes_must_be_positive_integers(sizes):
    with pytest.raises(ValueError, match=re.escape("hidden_layer_sizes must be > 0")):
        small(ToyNetClassifier, solver="lbfgs").set_params(
            hidden_layer_sizes=sizes
        ).fit(X, Y)


def test_class_weight_is_validated():
    with pytest.raises(InvalidParameterError, match="'class_weight' parameter"):
        small(ToyNetClassifier, class_weight="equal").fit(X, Y)
    Y_multilabel = np.column_stack([Y == 0, Y == 1]).astype(int)
    with pytest.raises(ValueError, match="class_weight is not supported for multil"):
        small(ToyNetClassifier, class_weight="balanced").fit(X, Y_multilabel)


def test_solver_specific_options_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="dropout needs a stochastic solver"):
        small(ToyNetClassifier, solver="lbfgs", dropout=0.5).fit(X, Y)
    with pytest.raises(AttributeError, match="has no attribute 'partial_fit'") as err:
        small(ToyNetClassifier, solver="lbfgs").partial_fit  # noqa: B018
    assert "only available for stochastic optimizers" in str(err.value.__cause__)
    with pytest.raises(ValueError, match="partial_fit does not support early_stop"):
        small(ToyNetClassifier, early_stopping=True).partial_fit(X, Y, classes=[0, 1])


# -- partial_fit and warm_start contracts -------------------------------------------


def test_partial_fit_needs_classes_on_the_first_call():
    clf = small(ToyNetClassifier)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, Y)
    assert not hasattr(clf, "classes_")


def test_partial_fit_refuses_unseen_labels_and_other_classes():
    clf = small(ToyNetClassifier).partial_fit(X, Y, classes=[0, 1, 2])
    n_iter = clf.n_iter_
    with pytest.raises(ValueError, match=r"classes not in `self.classes_`.*\[0 1 2\]"):
        clf.partial_fit(X, np.where(Y == 2, 5, Y))
    with pytest.raises(ValueError, match="is not the same as on the last call"):
        clf.partial_fit(X, Y, classes=[0, 1, 2, 3])
    assert clf.n_iter_ == n_iter
    clf.partial_fit(X[Y < 2], Y[Y < 2])  # a subset of the classes is fine
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])


def test_warm_start_refuses_other_classes_features_and_shapes():
    clf = quiet_fit(small(ToyNetClassifier, warm_start=True), X, Y)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has"):
        clf.fit(X, Y % 2)
    with pytest.raises(ValueError, match="X has 2 features, but .* 3 features"):
        clf.fit(X[:, :2], Y)
    with pytest.raises(ValueError, match="hidden_layer_sizes=.*differs"):
        clf.set_params(hidden_layer_sizes=(5,)).fit(X, Y)
    with pytest.raises(ValueError, match="batch_norm=True differs"):
        clf.set_params(hidden_layer_sizes=(4,), batch_norm=True).fit(X, Y)
    reg = small(ToyNetRegressor).partial_fit(X, Y_REG)
    with pytest.raises(
        ValueError, match="y has 2 outputs, but the fitted network has 1"
    ):
        reg.partial_fit(X, np.column_stack([Y_REG, Y_REG]))


def test_a_failed_call_leaves_the_fitted_model_usable():
    # Refit on data that fails validation late (after the new X was checked):
    # the model must still describe the old data, not a mixture.
    clf = quiet_fit(small(ToyNetClassifier), X, Y)
    proba = clf.predict_proba(X)
    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.fit(np.zeros((10, 5)), np.zeros(10))
    assert clf.n_features_in_ == 3
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


# -- sparse input ---------------------------------------------------------------------

SPARSE_FORMATS = [sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.coo_matrix]


@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam"])
@pytest.mark.parametrize("fmt", SPARSE_FORMATS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_sparse_input_fits_the_same_model_as_dense(Est, fmt, solver):
    X_sparse_values = np.where(np.abs(X) < 0.5, 0.0, X)  # some real zeros
    params = dict(solver=solver, batch_norm=solver == "sgd", max_iter=5)
    dense = quiet_fit(small(Est, **params), X_sparse_values, target(Est))
    sparse = quiet_fit(small(Est, **params), fmt(X_sparse_values), target(Est))
    for W_dense, W_sparse in zip(dense.coefs_, sparse.coefs_):
        np.testing.assert_allclose(W_sparse, W_dense, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(
        sparse.predict(fmt(X_sparse_values)),
        dense.predict(X_sparse_values),
        rtol=1e-6,
        atol=1e-9,
    )


def test_sparse_predict_on_a_dense_fitted_model_and_partial_fit():
    clf = small(ToyNetClassifier).partial_fit(sp.csr_matrix(X), Y, classes=[0, 1, 2])
    clf.partial_fit(sp.csc_matrix(X), Y)
    clf.partial_fit(X, Y)
    proba = clf.predict_proba(sp.csr_matrix(X))
    np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=1e-12)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert len(clf.activations(sp.csr_matrix(X))) == 3
