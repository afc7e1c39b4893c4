"""Bad data gets a clear error at the call that received it.

NaN, infinite, empty, featureless, mis-shaped, string or complex ``X``; ``y`` of
the wrong length, with NaN or infinity, or of a kind the estimator cannot learn;
bad ``sample_weight``; and at predict time, an unfitted model, another number of
features or other column names. Never a crash of another kind, a NaN or a
silently wrong model.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _bad_input_helpers import ESTIMATORS, Y_REG, X, Y, small, target
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
