"""Property-based tests: random shapes, dtypes, values, label sets, hyperparameters.

Whatever hypothesis draws (within valid input), ``fit`` either succeeds or raises
one of the documented ValueErrors, and then every prediction keeps its contract:
probabilities finite, in [0, 1], rows summing to 1; ``predict`` returns only
``classes_`` and agrees with the most probable class; every shape and dtype is
right; no numpy RuntimeWarning (an error under pyproject's filterwarnings).
"""

import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.exceptions import ConvergenceWarning

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The errors a fit of valid input may raise, each clear about its cause.
DOCUMENTED_FIT_ERRORS = re.compile(
    "|".join(
        [
            "Solver produced non-finite parameter weights",  # divergence
            "The training loss exploded",  # divergence, weights still finite
            "The validation set is too small",  # early_stopping on tiny data
            "least populated class(es)? in y ha(s|ve) only 1 member",  # stratified
            "should be greater or equal to the number of classes",
            "the resulting train set will be empty",
        ]
    )
)


def floats(dtype):
    width = 32 if dtype == np.float32 else 64
    # Mostly ordinary values, sometimes anything finite: 1e-300, -max, ...
    return st.one_of(
        st.floats(-10, 10, width=width),
        st.floats(allow_nan=False, allow_infinity=False, width=width),
    )


@st.composite
def matrices(draw, n_samples, n_features=None, dtype=None):
    dtype = dtype or draw(st.sampled_from([np.float64, np.float32]))
    n_features = n_features or draw(st.integers(1, 5))
    return draw(hnp.arrays(dtype, (n_samples, n_features), elements=floats(dtype)))


@st.composite
def hyperparameters(draw, classifier=True):
    solver = draw(st.sampled_from(["sgd", "adam", "lbfgs"]))
    stochastic = solver != "lbfgs"
    params = dict(
        hidden_layer_sizes=tuple(draw(st.lists(st.integers(1, 6), max_size=3))),
        activation=draw(st.sampled_from(["identity", "logistic", "tanh", "relu"])),
        solver=solver,
        alpha=draw(st.sampled_from([0.0, 1e-4, 1.0])),
        learning_rate=draw(st.sampled_from(["constant", "invscaling", "adaptive"])),
        learning_rate_init=draw(st.sampled_from([1e-3, 0.1, 10.0])),
        momentum=draw(st.sampled_from([0.0, 0.9])),
        max_iter=draw(st.integers(1, 4)),
        tol=None,
        shuffle=draw(st.booleans()),
        random_state=draw(st.integers(0, 2**32 - 1)),
        fit_intercept=draw(st.booleans()),
        init=draw(st.sampled_from(["glorot", "uniform"])),
        batch_norm=draw(st.booleans()),
        dropout=draw(st.sampled_from([0.0, 0.3])) if stochastic else 0.0,
        max_grad_norm=draw(st.sampled_from([None, 1.0])),
        early_stopping=draw(st.booleans()) if stochastic else False,
    )
    if classifier:
        params["loss"] = draw(st.sampled_from(["log_loss", "squared_error"]))
    else:
        params["loss"] = draw(st.sampled_from(["squared_error", "poisson"]))
    return params


LABEL_SETS = {
    "ints": st.integers(-(10**9), 10**9),
    "strings": st.text(min_size=1, max_size=3),
    "floats": st.integers(-(10**6), 10**6).map(float),  # integral, else continuous
}


@st.composite
def classification_problems(draw):
    n_classes = draw(st.integers(2, 5))
    n_samples = draw(st.integers(n_classes, 30))
    kind = draw(st.sampled_from(sorted(LABEL_SETS)))
    labels = draw(
        st.lists(LABEL_SETS[kind], min_size=n_classes, max_size=n_classes, unique=True)
    )
    # Every class at least once, then any.
    rest = draw(
        st.lists(
            st.integers(0, n_classes - 1),
            min_size=n_samples - n_classes,
            max_size=n_samples - n_classes,
        )
    )
    index = np.array(list(range(n_classes)) + rest)
    y = np.array(labels)[draw(st.permutations(index)) if draw(st.booleans()) else index]
    X = draw(matrices(n_samples))
    params = draw(hyperparameters())
    params["batch_size"] = draw(st.one_of(st.just("auto"), st.integers(1, n_samples)))
    params["class_weight"] = draw(st.sampled_from([None, "balanced"]))
    params["label_smoothing"] = draw(st.sampled_from([0.0, 0.1]))
    X_new = draw(matrices(draw(st.integers(1, 10)), X.shape[1], X.dtype))
    return X, y, params, X_new, draw(st.booleans())


def fit_or_documented_error(est, X, y):
    """Fit; return False after a documented error (which must change nothing)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings(
            "ignore", message="Got `batch_size`", category=UserWarning
        )
        try:
            est.fit(X, y)
        except ValueError as error:
            assert DOCUMENTED_FIT_ERRORS.search(str(error)), str(error)
            assert not hasattr(est, "coefs_")
            return False
    return True


def check_probabilities(proba, n_rows, n_columns, dtype, rows_sum_to_one=True):
    assert proba.shape == (n_rows, n_columns)
    assert proba.dtype == dtype
    assert np.isfinite(proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    if rows_sum_to_one:
        atol = 1e-5 if dtype == np.float32 else 1e-9
        np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=0, atol=atol)


@SETTINGS
@given(problem=classification_problems())
def test_classifier_predictions_keep_their_contract(problem):
    X, y, params, X_new, sparse = problem
    clf = ToyNetClassifier(**params)
    if not fit_or_documented_error(clf, sp.csr_matrix(X) if sparse else X, y):
        return
    assert sorted(clf.classes_.tolist()) == sorted(set(y.tolist()))
    assert all(np.isfinite(W).all() for W in clf.coefs_ + clf.intercepts_)
    for rows in (X, X_new):
        proba = clf.predict_proba(rows)
        check_probabilities(proba, len(rows), len(clf.classes_), X.dtype)
        pred = clf.predict(rows)
        assert pred.shape == (len(rows),)
        assert pred.dtype == clf.classes_.dtype
        assert set(pred.tolist()) <= set(clf.classes_.tolist())
        # predict is the most probable class wherever that is unambiguous.
        top2 = np.sort(proba, axis=1)[:, -2:]
        clear = top2[:, 1] - top2[:, 0] > 1e-4
        np.testing.assert_array_equal(
            pred[clear], clf.classes_[proba.argmax(axis=1)][clear]
        )
        log_proba = clf.predict_log_proba(rows)
        assert not np.isnan(log_proba).any() and (log_proba <= 0).all()


@st.composite
def multilabel_problems(draw):
    n_samples = draw(st.integers(2, 25))
    n_labels = draw(st.integers(2, 4))
    Y = draw(hnp.arrays(np.int64, (n_samples, n_labels), elements=st.integers(0, 1)))
    X = draw(matrices(n_samples))
    params = draw(hyperparameters())
    params["early_stopping"] = False  # no stratification to test here
    return X, Y, params


@SETTINGS
@given(problem=multilabel_problems())
def test_multilabel_predictions_keep_their_contract(problem):
    X, Y, params = problem
    clf = ToyNetClassifier(**params)
    if not fit_or_documented_error(clf, X, Y):
        return
    proba = clf.predict_proba(X)
    check_probabilities(proba, *Y.shape, X.dtype, rows_sum_to_one=False)
    pred = clf.predict(X)
    assert pred.shape == Y.shape
    assert set(np.unique(pred).tolist()) <= {0, 1}
    np.testing.assert_array_equal(pred, (proba > 0.5).astype(pred.dtype))


@st.composite
def regression_problems(draw):
    n_samples = draw(st.integers(2, 30))
    n_outputs = draw(st.integers(1, 2))
    X = draw(matrices(n_samples))
    params = draw(hyperparameters(classifier=False))
    shape = (n_samples,) if n_outputs == 1 else (n_samples, n_outputs)
    low = 0.0 if params["loss"] == "poisson" else -1e3
    y = draw(hnp.arrays(np.float64, shape, elements=st.floats(low, 1e3)))
    X_new = draw(matrices(draw(st.integers(1, 10)), X.shape[1], X.dtype))
    return X, y, params, X_new


@SETTINGS
@given(problem=regression_problems())
def test_regressor_predictions_keep_their_contract(problem):
    X, y, params, X_new = problem
    reg = ToyNetRegressor(**params)
    if not fit_or_documented_error(reg, X, y):
        return
    for rows in (X, X_new):
        pred = reg.predict(rows)
        assert pred.shape == (len(rows), *y.shape[1:])
        assert pred.dtype == X.dtype
        assert np.isfinite(pred).all()
        if params["loss"] == "poisson":
            assert (pred >= 0).all()


@pytest.mark.parametrize("Est", [ToyNetClassifier, ToyNetRegressor])
@SETTINGS
@given(data=st.data())
def test_predict_refuses_wrong_widths_whatever_the_model(Est, data):
    n_features = data.draw(st.integers(1, 4))
    X = data.draw(hnp.arrays(np.float64, (12, n_features), elements=st.floats(-10, 10)))
    y = np.arange(12) % 2
    est = Est(hidden_layer_sizes=(3,), max_iter=1, tol=None).fit(X, y)
    other = data.draw(st.integers(1, 6).filter(lambda n: n != n_features))
    with pytest.raises(ValueError, match=f"X has {other} features"):
        est.predict(np.zeros((3, other)))
