"""Bad data gets a clear error at the call that received it.

NaN, infinite, empty, featureless, mis-shaped, string or complex ``X``; ``y`` of
the wrong length, with NaN or infinity, or of a kind the estimator cannot learn;
bad ``sample_weight``; and at predict time, an unfitted model, another number of
features or other column names. Never a crash of another kind, a NaN or a
silently wrong model. The same errors on every array library (``library``, see
``_bad_input_helpers``): strings are NumPy's only, sparse matrices SciPy's,
column names pandas'.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _bad_input_helpers import (  # noqa: F401 (dispatch_by_library: a fixture)
    ESTIMATORS,
    LIBRARIES,
    Y_REG,
    X,
    Y,
    dispatch_by_library,
    in_library,
    small,
    target,
    with_cases,
)
from _helpers import quiet_fit


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
# Cases no other array library can hold: the Array API has no string arrays,
# and sparse matrices are SciPy's.
NUMPY_ONLY = {"strings", "sparse-nan"}
BAD_X_CASES = with_cases(BAD_X, NUMPY_ONLY)


def y_for(Est, X_bad, y):
    """Targets of the right length for ``X_bad`` (empty X gets empty y)."""
    return y[: X_bad.shape[0]] if np.ndim(X_bad) >= 1 else y


def _bad_x(library, case):
    """``X`` spoilt by ``case``, in ``library``."""
    make, _ = BAD_X[case]
    X_bad = make(X)
    return X_bad if case in NUMPY_ONLY else in_library(library, X_bad)


@pytest.mark.parametrize("library, case", BAD_X_CASES)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_fit_refuses_bad_X(Est, library, case):
    X_bad = _bad_x(library, case)
    est = small(Est)
    with pytest.raises(ValueError, match=BAD_X[case][1]):
        est.fit(X_bad, in_library(library, y_for(Est, X_bad, target(Est))))
    assert not hasattr(est, "coefs_")


@pytest.mark.parametrize("library, case", BAD_X_CASES)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_predict_refuses_bad_X(Est, library, case):
    est = quiet_fit(
        small(Est), in_library(library, X), in_library(library, target(Est))
    )
    methods = ["predict", "activations"]
    methods += ["predict_proba", "predict_log_proba"] * (Est is ToyNetClassifier)
    for method in methods:
        with pytest.raises(ValueError, match=BAD_X[case][1]):
            getattr(est, method)(_bad_x(library, case))


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_bad_y(Est, library):
    est = small(Est)
    X_ = in_library(library, X)
    bad = [
        (target(Est)[:-1], "inconsistent numbers of samples"),
        (np.where(np.arange(40) == 3, np.nan, target(Est)), "Input y contains NaN"),
    ]
    if Est is ToyNetRegressor:
        y_inf = np.where(np.arange(40) == 3, np.inf, Y_REG)
        bad.append((y_inf, "Input y contains infinity"))
    for y_bad, message in bad:
        with pytest.raises(ValueError, match=message):
            est.fit(X_, in_library(library, y_bad))
    if Est is ToyNetRegressor:
        with pytest.raises(ValueError, match="could not convert"):
            est.fit(X_, np.array(["a", "b"] * 20))  # strings: NumPy's only
        with pytest.raises(ValueError, match="Poisson loss needs non-negative y"):
            est.set_params(loss="poisson").fit(X_, in_library(library, Y_REG))
    assert not hasattr(est, "coefs_")


@pytest.mark.parametrize("library", LIBRARIES)
def test_classifier_refuses_continuous_and_multioutput_multiclass_targets(library):
    clf = small(ToyNetClassifier)
    X_ = in_library(library, X)
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(X_, in_library(library, X[:, 0]))
    with pytest.raises(ValueError, match="Multioutput target"):
        clf.fit(X_, in_library(library, np.column_stack([Y, Y])))


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_bad_sample_weight(Est, library):
    est = small(Est)
    X_, y = in_library(library, X), in_library(library, target(Est))
    for sample_weight, message in [
        (np.ones(39), r"sample_weight.shape == \(39,\), expected \(40,\)"),
        (-np.ones(40), "Negative values in data passed to `sample_weight`"),
        (np.full(40, np.nan), "Input sample_weight contains NaN"),
        (np.zeros(40), "at least one non-zero"),
    ]:
        with pytest.raises(ValueError, match=message):
            est.fit(X_, y, sample_weight=in_library(library, sample_weight))


# -- predict-time mismatches ----------------------------------------------------------


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_predict_before_fit_raises_not_fitted(Est, library):
    est = small(Est)
    X_, y = in_library(library, X), in_library(library, target(Est))
    methods = ["predict", "activations", "score"]
    methods += ["predict_proba", "predict_log_proba"] * (Est is ToyNetClassifier)
    for method in methods:
        args = (X_, y) if method == "score" else (X_,)
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(est, method)(*args)


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_wrong_number_of_features_at_predict(Est, library):
    est = quiet_fit(
        small(Est), in_library(library, X), in_library(library, target(Est))
    )
    for n in (2, 4):
        X_other = in_library(library, np.zeros((5, n)))
        with pytest.raises(ValueError, match=f"X has {n} features, but .* 3 features"):
            est.predict(X_other)


def test_different_column_names_at_predict():  # pandas' frames: NumPy's path only
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
