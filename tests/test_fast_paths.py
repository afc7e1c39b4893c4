"""Small calls' fast paths behave as the general path (the reference), errors included.

A float ndarray takes a few-microsecond check; a list of lists, the same
values, takes scikit-learn's ``validate_data``: both must give the same
numbers, the same errors and the same warnings as MLPClassifier.
"""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn import config_context
from sklearn.neural_network import MLPClassifier

from sklearn_toynet import ToyNetClassifier

from _state_helpers import X, Y, assert_same, snapshot

PARAMS = {"hidden_layer_sizes": (8,), "max_iter": 30, "random_state": 0}


def _fitted(Est=ToyNetClassifier, X_=X, y_=Y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Est(**PARAMS).fit(X_, y_)


def _error(call):
    with pytest.raises(ValueError) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "predict_log_proba"])
@pytest.mark.parametrize(
    "y",
    [Y, Y == 1, np.array(["a", "b", "c"])[Y], np.zeros_like(Y)],
    ids=["ints", "bools", "strings", "one-class"],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("model_dtype", [np.float64, np.float32])
def test_fast_prediction_equals_the_general_paths(method, y, dtype, model_dtype):
    # float64 input to a float32 model is computed in float64 on both paths.
    est = _fitted(X_=X.astype(model_dtype), y_=y)
    X_ = X.astype(dtype)
    fast = getattr(est, method)(X_)
    # A DataFrame without feature names takes validate_data's path, in its dtype.
    general = getattr(est, method)(pd.DataFrame(X_))
    assert fast.dtype == general.dtype
    if method != "predict":
        assert fast.dtype == np.result_type(dtype, model_dtype)
    np.testing.assert_array_equal(fast, general)
    for rows in (X_[:1], np.asfortranarray(X_[:7])):
        expected = getattr(est, method)(pd.DataFrame(rows))
        np.testing.assert_array_equal(getattr(est, method)(rows), expected)


@pytest.mark.parametrize("y", [Y, Y == 1], ids=["multiclass", "binary"])
def test_fast_decoding_equals_the_label_binarizers(y):
    est = _fitted(y_=y)
    P = est._forward_output(X)
    targets = est._target_coding
    np.testing.assert_array_equal(targets.decode(P), targets.decode_targets(P))


def test_single_class_decodes_to_its_class_whatever_the_output():
    est = _fitted(y_=np.full(len(Y), "only"))
    est.intercepts_[-1][:] = 50.0  # the one output unit far above 0.5
    assert (est.predict(X) == "only").all()
    assert (est.predict(X.tolist()) == "only").all()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("rows", [1, 20])
def test_non_finite_input_raises_mlps_error(bad, rows):
    est, mlp = _fitted(), _fitted(MLPClassifier)
    X_bad = X[:rows].copy()
    X_bad[0, 1] = bad
    message = _error(lambda: est.predict(X_bad))
    assert message == _error(lambda: mlp.predict(X_bad)).replace(
        "MLPClassifier", "ToyNetClassifier"
    )
    assert message == _error(lambda: est.predict(X_bad.tolist()))
    y_ = Y[:rows]
    before = snapshot(est)
    assert _error(lambda: est.partial_fit(X_bad, y_)) == _error(
        lambda: est.partial_fit(X_bad.tolist(), y_.tolist())
    )
    assert_same(before, vars(est))


def test_assume_finite_skips_the_finiteness_check_on_both_paths():
    est = _fitted()
    X_bad = X[:3].copy()
    X_bad[0, 0] = np.nan
    with config_context(assume_finite=True):
        fast = est.predict_proba(X_bad)
        general = est.predict_proba(X_bad.tolist())
    np.testing.assert_array_equal(fast, general)
    np.testing.assert_array_equal(fast[1:], est.predict_proba(X[1:3]))


def test_wrong_number_of_features_raises_mlps_error():
    est, mlp = _fitted(), _fitted(MLPClassifier)
    wide = np.hstack([X, X])[:1]
    message = _error(lambda: est.predict(wide))
    expected = _error(lambda: mlp.predict(wide)).replace(
        "MLPClassifier", "ToyNetClassifier"
    )
    assert message == expected
    assert _error(lambda: est.partial_fit(wide, Y[:1])) == expected


def test_feature_name_warnings_stay_mlps():
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    named, plain = _fitted(X_=frame), _fitted()
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        named.predict(X[:1])
    with pytest.warns(UserWarning, match="fitted without feature names"):
        plain.predict(frame.iloc[:1])
    np.testing.assert_array_equal(named.predict(frame), plain.predict(X))


@pytest.mark.parametrize("convert", [sp.csr_matrix, sp.csc_matrix, pd.DataFrame])
def test_sparse_and_dataframe_input_predict_as_arrays(convert):
    est = _fitted()
    np.testing.assert_allclose(
        est.predict_proba(convert(X)), est.predict_proba(X), rtol=1e-12
    )


def test_unfitted_estimator_still_raises_not_fitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        ToyNetClassifier().predict(X)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_partial_fit_equals_the_general_paths(dtype):
    # float32 batches on a float64 model: both paths train in the batch's dtype.
    fast, general = _fitted(), _fitted()
    X_ = X.astype(dtype)
    for start in range(0, 60, 10):
        fast.partial_fit(X_[start : start + 10], Y[start : start + 10])
        general.partial_fit(X_[start : start + 10], Y[start : start + 10].tolist())
    assert fast.coefs_[0].dtype == dtype
    assert_same(vars(general), vars(fast))


def test_unknown_label_in_partial_fit_raises_mlps_error():
    est, mlp = _fitted(), _fitted(MLPClassifier)
    y_new = Y[:5].copy()
    y_new[0] = 7
    before = snapshot(est)
    message = _error(lambda: est.partial_fit(X[:5], y_new))
    assert_same(before, vars(est))
    mlp_message = _error(lambda: mlp.partial_fit(X[:5], y_new))
    assert re.sub(r"\s+", " ", message) == re.sub(r"\s+", " ", mlp_message)


def test_pickled_estimator_carries_no_scratch_memory():
    est = _fitted(ToyNetClassifier)
    est.partial_fit(X, Y)
    est.partial_fit(X, Y)
    clone = pickle.loads(pickle.dumps(est))
    assert not [k for k in vars(clone) if "spare" in k or "workspace" in k]
    for a, b in zip(clone.coefs_, est.coefs_):
        np.testing.assert_array_equal(a, b)
    clone.partial_fit(X, Y)
    est.partial_fit(X, Y)
    assert_same(vars(est), vars(clone))
